//! Fused elementwise expressions: `a * b + c` in one pass.
//!
//! Eager elementwise functions write every intermediate result to memory
//! and read it back: `a.multiply(&b)?.add(&c)?` makes two passes over a
//! large temporary. An [`Expr`] is the same computation written lazily —
//! a tree of [`BinaryOp`] and [`UnaryOp`] over arrays and weak scalars —
//! which [`Expr::eval`] runs in **one pass**: the output is cut into blocks
//! of [`BLOCK_BYTES`] bytes (in parallel above the kernels' threshold), and
//! per block every node runs the eager op's own contiguous loop on
//! block-sized scratch buffers that stay in the L1 cache. Results larger
//! than the last-level cache are written with non-temporal stores.
//!
//! ```
//! use oxarray_core::{Array, Expr};
//! let a = Array::from_vec(vec![1.0f32, 2.0, 3.0], &[3])?;
//! let b = Array::from_vec(vec![2.0f32, 2.0, 2.0], &[3])?;
//! let c = Array::scalar(0.5f32);
//! let y = (Expr::from(&a) * &b + &c).eval()?; // read a, b, c once; write y once
//! assert_eq!(y.to_vec::<f32>()?, vec![2.5, 4.5, 6.5]);
//! // Rust numbers are weak scalars, as Python's are in NumPy 2:
//! let z = ((Expr::from(&a) - 1.0) / 2.0).exp().eval()?;
//! assert_eq!(z.dtype(), oxarray_core::DType::Float32);
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! **Semantics are exactly the eager ones.** Evaluating an expression gives
//! the same dtype, shape, values (bit for bit, NaN payloads aside) and
//! errors as applying its ops one by one with [`Array::binary`],
//! [`Array::binary_scalar`] and [`Array::unary`]: each node's result is
//! rounded to its dtype as the eager op's is (blocks hold intermediates in
//! that dtype; no FMA contraction), operands are cast to the dtype the eager
//! op computes in, and broadcasting is the eager op's.
//!
//! **What is fused.** A node joins its parent's pass when its loop is a
//! plain one of the parent's dtype (arithmetic, `maximum`, `minimum`, the
//! float functions such as `exp`, bitwise and logical ops, … for every
//! dtype). Everything else is evaluated on its own first, exactly as the
//! eager op does, and enters the pass as an input array: nodes of another
//! dtype, comparisons (their `bool` result), integer `pow` (which checks
//! for negative exponents), shortcuts (`floor` of an integer), weak integer
//! scalars out of the array dtype's range, and sub-expressions over fewer
//! elements than the result (`x - mean * 2` computes `mean * 2` once, not
//! once per row). An empty result is computed eagerly.
//!
//! **Inputs are read in place** where their layout allows: a C-contiguous
//! array, a single value, or a broadcast row (`x - mean` with the means of
//! the columns, any input that repeats with a period of at most 16 Ki
//! elements), which is laid out once, repeated, and read at each block's
//! phase. Other layouts (a broadcast column, a transpose, longer periods)
//! are copied into a block-sized buffer for every block.

use std::ops;

use oxarray_kernels::elementwise::{Operand, PAR_THRESHOLD};
use oxarray_kernels::layout::{coalesce, is_c_contiguous, size};
use oxarray_kernels::simd;
use rayon::prelude::*;

use crate::array::Array;
use crate::dtype::DType;
use crate::element::{Element, Wide};
use crate::elementwise::{BinaryOp, BlockFn1, BlockFn2, UnaryOp, binary_block_fn, unary_block_fn, weak_scalar_dtype};
use crate::error::{Error, Result};
use crate::manipulation::broadcast_shapes;
use crate::promotion::{ScalarKind, result_type_with_scalar};

/// Bytes of each scratch buffer of a fused pass: a block of
/// [`block_len`] elements. Every node's buffer, the block of each input
/// and the tiles of the broadcast rows then stay in the L1 cache together
/// (at twice as many bytes the float64 standardisation ran 1.6× slower,
/// and at eight times the float32 one 1.3×: `docs/decisions.md`), and the
/// instructions of a block follow each other closely enough for the
/// hardware prefetcher to keep reading the inputs while the later ones
/// compute. Per-block overheads (a few calls per node) stay small against
/// the work.
pub const BLOCK_BYTES: usize = 2048;

/// Elements per block of a fused pass over `T`: [`BLOCK_BYTES`] of them,
/// but at least 256 (complex numbers) and at most 2048 (bytes, `bool`).
pub fn block_len<T>() -> usize {
    (BLOCK_BYTES / std::mem::size_of::<T>().max(1)).clamp(256, 2048)
}

/// Blocks per parallel task of a fused pass: each task ends with one store
/// fence when its result is streamed out.
const TASK_BLOCKS: usize = 64;

/// A lazy elementwise expression over arrays and weak scalars; see the
/// [module docs](self). Build it from an [`Array`] (`Expr::from(&a)`), a
/// Rust number (a weak scalar, like a Python number in NumPy 2) or with
/// [`Expr::binary`] / [`Expr::unary`], combine with the operators
/// (`+ - * / % & | ^ << >>`, unary `-`) and the named ops, then
/// [`eval`](Expr::eval).
#[derive(Clone, Debug)]
pub struct Expr(Node);

#[derive(Clone, Debug)]
enum Node {
    Array(Array),
    Scalar(Wide),
    Unary(UnaryOp, Box<Node>),
    Binary(BinaryOp, Box<Node>, Box<Node>),
}

impl Expr {
    /// An expression over an array (a cheap handle; no bytes are copied).
    pub fn array(a: &Array) -> Expr {
        Expr(Node::Array(a.clone()))
    }

    /// A weak scalar: takes the dtype of the array it meets unless it is of
    /// a higher kind ([`Array::binary_scalar`]'s rules).
    pub fn scalar(value: Wide) -> Expr {
        Expr(Node::Scalar(value))
    }

    /// `op(left, right)`; the same as `left.binary(&right, op)` eagerly.
    pub fn binary(op: BinaryOp, left: impl Into<Expr>, right: impl Into<Expr>) -> Expr {
        Expr(Node::Binary(op, Box::new(left.into().0), Box::new(right.into().0)))
    }

    /// `op(operand)`; the same as `operand.unary(op)` eagerly.
    pub fn unary(op: UnaryOp, operand: impl Into<Expr>) -> Expr {
        Expr(Node::Unary(op, Box::new(operand.into().0)))
    }

    /// `self op other` (method form of [`Expr::binary`]).
    pub fn apply2(self, op: BinaryOp, other: impl Into<Expr>) -> Expr {
        Expr::binary(op, self, other)
    }

    /// `op(self)` (method form of [`Expr::unary`]).
    pub fn apply(self, op: UnaryOp) -> Expr {
        Expr::unary(op, self)
    }

    /// `e^self`.
    pub fn exp(self) -> Expr {
        self.apply(UnaryOp::Exp)
    }

    /// Natural logarithm.
    pub fn log(self) -> Expr {
        self.apply(UnaryOp::Log)
    }

    /// Square root.
    pub fn sqrt(self) -> Expr {
        self.apply(UnaryOp::Sqrt)
    }

    /// `|self|`.
    pub fn abs(self) -> Expr {
        self.apply(UnaryOp::Abs)
    }

    /// `self * self`.
    pub fn square(self) -> Expr {
        self.apply(UnaryOp::Square)
    }

    /// Hyperbolic tangent.
    pub fn tanh(self) -> Expr {
        self.apply(UnaryOp::Tanh)
    }

    /// The larger of `self` and `other` (NaN if either is).
    pub fn maximum(self, other: impl Into<Expr>) -> Expr {
        self.apply2(BinaryOp::Maximum, other)
    }

    /// The smaller of `self` and `other` (NaN if either is).
    pub fn minimum(self, other: impl Into<Expr>) -> Expr {
        self.apply2(BinaryOp::Minimum, other)
    }

    /// `self ** other`.
    pub fn pow(self, other: impl Into<Expr>) -> Expr {
        self.apply2(BinaryOp::Pow, other)
    }

    /// Evaluates the expression: fused into one pass where possible (see
    /// the [module docs](self)), with exactly the eager ops' result and
    /// errors. An expression that is a bare array returns that array (a
    /// handle to the same buffer); one with no array at all (only scalars)
    /// is an error, as the eager ops need an array.
    pub fn eval(&self) -> Result<Array> {
        match eval_node(&self.0)? {
            Value::Array(a) => Ok(a),
            Value::Scalar(_) => Err(scalar_only()),
        }
    }

    /// Evaluates the expression node by node with the eager ops (no
    /// fusion): the reference [`eval`](Expr::eval) is tested against.
    pub fn eval_eager(&self) -> Result<Array> {
        match eval_eager_node(&self.0)? {
            Value::Array(a) => Ok(a),
            Value::Scalar(_) => Err(scalar_only()),
        }
    }
}

fn scalar_only() -> Error {
    Error::invalid("expr", "an expression needs at least one array operand")
}

/// A node's value: an array, or a weak scalar that has not met one yet.
enum Value {
    Array(Array),
    Scalar(Wide),
}

/// Evaluates a node with the eager ops only.
fn eval_eager_node(node: &Node) -> Result<Value> {
    eager(node, &eval_eager_node)
}

/// Applies `node`'s op eagerly to its children, each evaluated with `rec`
/// (left to right, as the eager calls would run).
fn eager(node: &Node, rec: &dyn Fn(&Node) -> Result<Value>) -> Result<Value> {
    match node {
        Node::Array(a) => Ok(Value::Array(a.clone())),
        Node::Scalar(w) => Ok(Value::Scalar(*w)),
        Node::Unary(op, c) => match rec(c)? {
            Value::Array(a) => a.unary(*op).map(Value::Array),
            Value::Scalar(_) => Err(scalar_only()),
        },
        Node::Binary(op, l, r) => {
            let (l, r) = (rec(l)?, rec(r)?);
            match (l, r) {
                (Value::Array(a), Value::Array(b)) => a.binary(&b, *op),
                (Value::Array(a), Value::Scalar(s)) => a.binary_scalar(s, *op, false),
                (Value::Scalar(s), Value::Array(b)) => b.binary_scalar(s, *op, true),
                (Value::Scalar(_), Value::Scalar(_)) => Err(scalar_only()),
            }
            .map(Value::Array)
        }
    }
}

/// Evaluates a node: fused when its op can lead a fused pass, else its op
/// eagerly over children that are themselves evaluated this way.
fn eval_node(node: &Node) -> Result<Value> {
    if let Some(meta) = meta(node)
        && let Some(dtype) = meta.dtype
        && size(&meta.shape) > 0
        && inlinable(node, dtype, size(&meta.shape))
    {
        return crate::dispatch!(dtype, T => fused::<T>(node, &meta.shape)).map(Value::Array);
    }
    eager(node, &eval_node)
}

/// What a node evaluates to, found without evaluating: its dtype (`None`
/// for a weak scalar) and shape. `None` when the eager ops would fail (the
/// eager path then reports the error) or take a value-dependent route.
struct Meta {
    dtype: Option<DType>,
    shape: Vec<usize>,
}

fn meta(node: &Node) -> Option<Meta> {
    match node {
        Node::Array(a) => Some(Meta { dtype: Some(a.dtype()), shape: a.shape().to_vec() }),
        Node::Scalar(_) => Some(Meta { dtype: None, shape: vec![] }),
        Node::Unary(op, c) => {
            let m = meta(c)?;
            let (_, out) = op.resolve(m.dtype?).ok()?;
            Some(Meta { dtype: Some(out), shape: m.shape })
        }
        Node::Binary(op, l, r) => {
            let (ml, mr) = (meta(l)?, meta(r)?);
            let shape = broadcast_shapes(&[&ml.shape, &mr.shape]).ok()?;
            let (_, out, _) = binary_compute(*op, l, &ml, r, &mr)?;
            Some(Meta { dtype: Some(out), shape })
        }
    }
}

/// `(compute dtype, result dtype, whether the eager op is the plain loop)`
/// of a binary node whose children have metadata `ml`, `mr`.
fn binary_compute(op: BinaryOp, l: &Node, ml: &Meta, r: &Node, mr: &Meta) -> Option<(DType, DType, bool)> {
    match (ml.dtype, mr.dtype) {
        (Some(a), Some(b)) => {
            let (compute, out) = op.resolve(a, b).ok()?;
            // Integer comparisons across signedness are answered exactly,
            // not in the compute dtype.
            let exact_cmp = op.is_comparison() && a.is_integer() && b.is_integer() && !compute.is_integer();
            Some((compute, out, !exact_cmp && compute == out))
        }
        (Some(d), None) => weak(op, d, r),
        (None, Some(d)) => weak(op, d, l),
        (None, None) => None,
    }
}

/// [`binary_compute`] for an array of dtype `d` and the weak scalar `s`.
fn weak(op: BinaryOp, d: DType, s: &Node) -> Option<(DType, DType, bool)> {
    let Node::Scalar(w) = s else { return None };
    match weak_scalar_dtype(d, *w, op) {
        Some(scalar) => {
            let (compute, out) = op.resolve(d, scalar).ok()?;
            Some((compute, out, compute == out))
        }
        None => {
            // The out-of-range comparison route (a bool result) or an error:
            // known only to the eager path.
            let dtype = result_type_with_scalar(d, ScalarKind::of(*w)).ok()?;
            let (compute, out) = op.resolve(dtype, dtype).ok()?;
            if op.is_comparison() && d.is_integer() { Some((compute, out, false)) } else { None }
        }
    }
}

/// Whether `node` can run inside a fused pass of dtype `dtype` over `n`
/// elements: an op whose eager form is the plain loop of `dtype` over the
/// full result.
fn inlinable(node: &Node, dtype: DType, n: usize) -> bool {
    let Some(m) = meta(node) else { return false };
    if m.dtype != Some(dtype) || size(&m.shape) != n {
        return false;
    }
    match node {
        Node::Array(_) | Node::Scalar(_) => false,
        Node::Unary(op, c) => {
            let Some(input) = meta(c).and_then(|m| m.dtype) else { return false };
            crate::dispatch!(dtype, T => unary_block_fn::<T>(*op, input).is_some())
        }
        Node::Binary(op, l, r) => {
            let (Some(ml), Some(mr)) = (meta(l), meta(r)) else { return false };
            let Some((compute, _, plain)) = binary_compute(*op, l, &ml, r, &mr) else { return false };
            plain && compute == dtype && crate::dispatch!(dtype, T => binary_block_fn::<T>(*op).is_some())
        }
    }
}

/// Where an instruction reads an operand.
#[derive(Clone, Copy, Debug)]
enum Src {
    Leaf(usize),
    Slot(usize),
}

/// Longest period of a [`Leaf::Periodic`] input: its tile (the period
/// repeated over a block and one more period) stays in the L2 cache. A
/// longer broadcast row is gathered per block, in runs long enough for the
/// copy to cost little.
const MAX_PERIOD: usize = 16 << 10;

/// An input of the fused pass, viewed at the result's shape.
enum Leaf<T> {
    /// One value for every element (a scalar or an all-broadcast array).
    Const(T),
    /// C-contiguous at the result's shape: read in place.
    Contig(Array),
    /// The same `period` elements over and over in C order (a row of
    /// means against a matrix): `tile` holds them repeated to at least a
    /// block and a period, so the block starting at flat element `start`
    /// reads `tile[start % period..]` in place, with no per-block copy.
    Periodic { tile: Vec<T>, period: usize },
    /// Anything else (column broadcasts, transposes, negative strides):
    /// gathered per block; `shape`/`strides` are coalesced.
    Gather { array: Array, shape: Vec<usize>, strides: Vec<isize> },
}

enum Ins<T> {
    Unary(BlockFn1<T>, Src),
    Binary(BlockFn2<T>, Src, Src),
}

/// A fused pass: the inputs and the instructions in evaluation order; the
/// last one writes the result.
struct Program<T> {
    shape: Vec<usize>,
    leaves: Vec<Leaf<T>>,
    ins: Vec<Ins<T>>,
}

impl<T: Element> Program<T> {
    /// Adds `node` (inlinable or not) and returns where its value is.
    fn add(&mut self, node: &Node) -> Result<Src> {
        let n = size(&self.shape);
        if !inlinable(node, T::DTYPE, n) {
            return match node {
                Node::Scalar(_) => Err(scalar_only()),
                Node::Array(a) => self.array_leaf(a),
                _ => match eval_node(node)? {
                    Value::Array(a) => self.array_leaf(&a),
                    Value::Scalar(_) => Err(scalar_only()),
                },
            };
        }
        match node {
            Node::Unary(op, c) => {
                let input = meta(c).and_then(|m| m.dtype).expect("inlinable checked it");
                let f = unary_block_fn::<T>(*op, input).expect("inlinable checked it");
                let a = self.add(c)?;
                self.ins.push(Ins::Unary(f, a));
            }
            Node::Binary(op, l, r) => {
                let f = binary_block_fn::<T>(*op).expect("inlinable checked it");
                let (dl, dr) = (meta(l).and_then(|m| m.dtype), meta(r).and_then(|m| m.dtype));
                let a = self.operand(*op, l, dr)?;
                let b = self.operand(*op, r, dl)?;
                self.ins.push(Ins::Binary(f, a, b));
            }
            _ => unreachable!("leaves are not inlinable"),
        }
        Ok(Src::Slot(self.ins.len() - 1))
    }

    /// Adds an operand of the binary `op` whose other operand has dtype
    /// `other`: a weak scalar becomes the 0-d array the eager
    /// [`Array::binary_scalar`] makes of it.
    fn operand(&mut self, op: BinaryOp, node: &Node, other: Option<DType>) -> Result<Src> {
        let Node::Scalar(w) = node else { return self.add(node) };
        let dtype = other.and_then(|d| weak_scalar_dtype(d, *w, op)).ok_or_else(scalar_only)?;
        let s = crate::dispatch!(dtype, S => Array::scalar(S::from_wide_wrapping(*w)));
        self.array_leaf(&s)
    }

    fn leaf(&mut self, leaf: Leaf<T>) -> Src {
        self.leaves.push(leaf);
        Src::Leaf(self.leaves.len() - 1)
    }

    /// An array operand, cast to `T` as the eager op casts it and viewed at
    /// the result's shape.
    fn array_leaf(&mut self, a: &Array) -> Result<Src> {
        let cast = if a.dtype() == T::DTYPE { a.clone() } else { a.astype(T::DTYPE)? };
        let view = cast.broadcast_to(&self.shape)?;
        let leaf = if view.strides().iter().all(|&s| s == 0) {
            Leaf::Const(view.typed::<T>("expr")?[view.offset()])
        } else if is_c_contiguous(view.shape(), view.strides()) {
            Leaf::Contig(view)
        } else {
            let (shape, strides) = coalesce(view.shape(), view.strides());
            // Leading broadcast axes: the rest of the layout is one period.
            let outer = strides.iter().take_while(|&&s| s == 0).count();
            let period = size(&shape[outer..]);
            if outer > 0 && period <= MAX_PERIOD {
                let block = block_len::<T>().min(size(&self.shape));
                let data = view.typed::<T>("expr")?;
                let mut tile = vec![T::zero(); period];
                gather(&mut tile, data, &shape[outer..], &strides[outer..], view.offset(), 0, &mut Vec::new());
                let len = block + period;
                tile.reserve(len - period);
                for i in period..len {
                    tile.push(tile[i - period]);
                }
                Leaf::Periodic { tile, period }
            } else {
                Leaf::Gather { array: view, shape, strides }
            }
        };
        Ok(self.leaf(leaf))
    }
}

/// The fused pass for the inlinable `node` of dtype `T` and result `shape`.
fn fused<T: Element>(node: &Node, shape: &[usize]) -> Result<Array> {
    let mut prog = Program::<T> { shape: shape.to_vec(), leaves: Vec::new(), ins: Vec::new() };
    prog.add(node)?;
    let leaves = prog
        .leaves
        .iter()
        .map(|l| {
            Ok(match l {
                Leaf::Const(v) => Input::Const(*v),
                Leaf::Contig(a) => Input::Contig(a.typed::<T>("expr")?, a.offset()),
                Leaf::Periodic { tile, period } => Input::Periodic(tile, *period),
                Leaf::Gather { array, shape, strides } => {
                    Input::Gather(array.typed::<T>("expr")?, shape, strides, array.offset())
                }
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let n = size(shape);
    let mut out = Array::for_overwrite(shape, T::DTYPE)?;
    let dst = out.typed_mut_unique::<T>()?;
    let block = block_len::<T>().min(n);
    // A result far larger than the cache: each block is computed into a
    // scratch buffer and streamed out (`simd::streaming`), which spares
    // the read for ownership of every line of the result.
    let stream = n * std::mem::size_of::<T>() >= simd::STREAM_BYTES;
    let new_scratch = || Scratch::<T>::new(&leaves, prog.ins.len(), block, stream);
    // The blocks of `part`, which starts at flat element `first`, under
    // one streaming scope (one store fence per task, not per block).
    let run = |s: &mut Scratch<T>, first: usize, part: &mut [T]| {
        simd::streaming(|streamer| {
            for (i, chunk) in part.chunks_mut(block).enumerate() {
                run_block(&leaves, &prog.ins, first + i * block, chunk, s, streamer);
            }
        })
    };
    if n >= PAR_THRESHOLD {
        let task = block * TASK_BLOCKS;
        dst.par_chunks_mut(task).enumerate().for_each_init(new_scratch, |s, (t, part)| run(s, t * task, part));
    } else {
        run(&mut new_scratch(), 0, dst);
    }
    Ok(out)
}

/// A leaf's data, borrowed for the pass.
enum Input<'a, T> {
    Const(T),
    /// The whole buffer and the offset of the result's first element.
    Contig(&'a [T], usize),
    /// The tile and the period of a [`Leaf::Periodic`].
    Periodic(&'a [T], usize),
    /// The whole buffer, the coalesced layout and the offset.
    Gather(&'a [T], &'a [usize], &'a [isize], usize),
}

/// Per-thread block buffers: one per gathered leaf, one per instruction but
/// the last (which writes into the result), and when the result is
/// streamed out, one for the last instruction's block.
struct Scratch<T> {
    leaves: Vec<Vec<T>>,
    slots: Vec<Vec<T>>,
    index: Vec<usize>,
    /// The last instruction's block before it is streamed into the result;
    /// empty when the last instruction writes the result directly.
    stream: Vec<T>,
}

impl<T: Element> Scratch<T> {
    fn new(leaves: &[Input<'_, T>], ins: usize, block: usize, stream: bool) -> Scratch<T> {
        let buf = |used: bool| if used { vec![T::zero(); block] } else { Vec::new() };
        Scratch {
            leaves: leaves.iter().map(|l| buf(matches!(l, Input::Gather(..)))).collect(),
            slots: (0..ins.saturating_sub(1)).map(|_| buf(true)).collect(),
            index: Vec::new(),
            stream: buf(stream),
        }
    }
}

const UNIT: &[isize] = &[1];
const BROADCAST: &[isize] = &[0];

/// Runs every instruction over the block of the result that starts at flat
/// (C-order) element `start` and is `out.len()` long.
fn run_block<T: Element>(
    leaves: &[Input<'_, T>],
    ins: &[Ins<T>],
    start: usize,
    out: &mut [T],
    s: &mut Scratch<T>,
    streamer: &mut simd::Streamer,
) {
    let n = out.len();
    for (leaf, buf) in leaves.iter().zip(&mut s.leaves) {
        if let Input::Gather(data, shape, strides, offset) = leaf {
            gather(&mut buf[..n], data, shape, strides, *offset, start, &mut s.index);
        }
    }
    let (last, body) = ins.split_last().expect("a fused pass has an instruction");
    for (k, i) in body.iter().enumerate() {
        let (done, rest) = s.slots.split_at_mut(k);
        let dst = &mut rest[0][..n];
        exec(i, dst, leaves, &s.leaves, done, start);
    }
    if s.stream.is_empty() {
        exec(last, out, leaves, &s.leaves, &s.slots, start);
    } else {
        let staged = &mut s.stream[..n];
        exec(last, staged, leaves, &s.leaves, &s.slots, start);
        streamer.copy(out, staged);
    }
}

fn exec<T: Element>(
    ins: &Ins<T>,
    dst: &mut [T],
    leaves: &[Input<'_, T>],
    gathered: &[Vec<T>],
    slots: &[Vec<T>],
    start: usize,
) {
    let n = dst.len();
    let src = Sources { leaves, gathered, slots, n, start };
    match ins {
        Ins::Unary(f, a) => f(dst, src.operand(*a)),
        Ins::Binary(f, a, b) => f(dst, src.operand(*a), src.operand(*b)),
    }
}

/// Everything an instruction may read in one block.
struct Sources<'a, T> {
    leaves: &'a [Input<'a, T>],
    gathered: &'a [Vec<T>],
    slots: &'a [Vec<T>],
    n: usize,
    start: usize,
}

impl<'a, T: Element> Sources<'a, T> {
    fn operand(&self, src: Src) -> Operand<'a, T> {
        let n = self.n;
        match src {
            Src::Slot(j) => Operand { data: &self.slots[j][..n], strides: UNIT, offset: 0 },
            Src::Leaf(j) => match &self.leaves[j] {
                Input::Const(v) => Operand { data: std::slice::from_ref(v), strides: BROADCAST, offset: 0 },
                Input::Contig(data, offset) => Operand { data, strides: UNIT, offset: offset + self.start },
                Input::Periodic(tile, period) => Operand { data: tile, strides: UNIT, offset: self.start % period },
                Input::Gather(..) => Operand { data: &self.gathered[j][..n], strides: UNIT, offset: 0 },
            },
        }
    }
}

/// Copies the elements `start..start + dst.len()` (C order) of the layout
/// `(shape, strides, offset)` over `data` into `dst`, one run of the
/// innermost axis at a time.
fn gather<T: Copy>(
    dst: &mut [T],
    data: &[T],
    shape: &[usize],
    strides: &[isize],
    offset: usize,
    start: usize,
    index: &mut Vec<usize>,
) {
    let nd = shape.len();
    if nd == 0 {
        dst.fill(data[offset]);
        return;
    }
    index.clear();
    index.resize(nd, 0);
    let mut rem = start;
    let mut base = offset as isize;
    for k in (0..nd).rev() {
        index[k] = rem % shape[k];
        rem /= shape[k];
        base += index[k] as isize * strides[k];
    }
    let (inner, step) = (shape[nd - 1], strides[nd - 1]);
    let mut done = 0;
    while done < dst.len() {
        let run = (inner - index[nd - 1]).min(dst.len() - done);
        let d = &mut dst[done..done + run];
        let b = base as usize;
        match step {
            1 => d.copy_from_slice(&data[b..b + run]),
            0 => d.fill(data[b]),
            _ => {
                for (j, x) in d.iter_mut().enumerate() {
                    *x = data[(base + j as isize * step) as usize];
                }
            }
        }
        done += run;
        index[nd - 1] += run;
        base += run as isize * step;
        if index[nd - 1] == inner {
            base -= inner as isize * step;
            index[nd - 1] = 0;
            // Odometer over the outer axes.
            for k in (0..nd - 1).rev() {
                index[k] += 1;
                base += strides[k];
                if index[k] < shape[k] {
                    break;
                }
                base -= strides[k] * shape[k] as isize;
                index[k] = 0;
            }
        }
    }
}

/// The expression as a formula: operators infix (`+ - * / // % ** & | ^
/// << >> == != < <= > >=`, unary `-`, `+`, `~`), every other op as a call
/// by its Array API name, arrays as their dtype and shape
/// (`float32[1000000, 64]`), weak scalars as their value. Nested operator
/// nodes are parenthesised, so the text reads unambiguously:
/// `(float32[4, 3] - float32[3]) / float32[3]`.
impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_node(f, &self.0, false)
    }
}

/// The infix symbol of a binary operator, if it has one.
fn binary_symbol(op: BinaryOp) -> Option<&'static str> {
    use BinaryOp::*;
    Some(match op {
        Add => "+",
        Subtract => "-",
        Multiply => "*",
        Divide => "/",
        FloorDivide => "//",
        Remainder => "%",
        Pow => "**",
        BitwiseAnd => "&",
        BitwiseOr => "|",
        BitwiseXor => "^",
        LeftShift => "<<",
        RightShift => ">>",
        Equal => "==",
        NotEqual => "!=",
        Less => "<",
        LessEqual => "<=",
        Greater => ">",
        GreaterEqual => ">=",
        _ => return None,
    })
}

/// The prefix symbol of a unary operator, if it has one.
fn unary_symbol(op: UnaryOp) -> Option<&'static str> {
    match op {
        UnaryOp::Negative => Some("-"),
        UnaryOp::Positive => Some("+"),
        UnaryOp::BitwiseInvert => Some("~"),
        _ => None,
    }
}

/// Writes `node`; `nested` operator nodes get parentheses.
fn write_node(f: &mut std::fmt::Formatter<'_>, node: &Node, nested: bool) -> std::fmt::Result {
    match node {
        Node::Array(a) => {
            write!(f, "{}[", a.dtype())?;
            for (i, n) in a.shape().iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{n}")?;
            }
            f.write_str("]")
        }
        Node::Scalar(w) => match *w {
            Wide::Bool(b) => write!(f, "{b}"),
            Wide::Int(i) => write!(f, "{i}"),
            Wide::Float(x) => write!(f, "{x:?}"),
            Wide::Complex(re, im) => write!(f, "({re:?}{im:+?}j)"),
        },
        Node::Unary(op, c) => match unary_symbol(*op) {
            Some(s) => {
                f.write_str(s)?;
                write_node(f, c, true)
            }
            None => {
                write!(f, "{}(", op.name())?;
                write_node(f, c, false)?;
                f.write_str(")")
            }
        },
        Node::Binary(op, l, r) => match binary_symbol(*op) {
            Some(s) => {
                if nested {
                    f.write_str("(")?;
                }
                write_node(f, l, true)?;
                write!(f, " {s} ")?;
                write_node(f, r, true)?;
                if nested {
                    f.write_str(")")?;
                }
                Ok(())
            }
            None => {
                write!(f, "{}(", op.name())?;
                write_node(f, l, false)?;
                f.write_str(", ")?;
                write_node(f, r, false)?;
                f.write_str(")")
            }
        },
    }
}

impl From<&Array> for Expr {
    fn from(a: &Array) -> Expr {
        Expr::array(a)
    }
}

impl From<Array> for Expr {
    fn from(a: Array) -> Expr {
        Expr(Node::Array(a))
    }
}

impl From<&Expr> for Expr {
    fn from(e: &Expr) -> Expr {
        e.clone()
    }
}

impl From<Wide> for Expr {
    fn from(w: Wide) -> Expr {
        Expr::scalar(w)
    }
}

/// Rust numbers are weak scalars (Python's `float`, `int`, `bool`).
macro_rules! weak_scalars {
    ($($t:ty => $variant:ident as $wide:ty;)*) => {$(
        impl From<$t> for Expr {
            fn from(v: $t) -> Expr {
                Expr::scalar(Wide::$variant(v as $wide))
            }
        }
    )*};
}

weak_scalars! {
    f64 => Float as f64;
    f32 => Float as f64;
    i64 => Int as i128;
    i32 => Int as i128;
    u64 => Int as i128;
    u32 => Int as i128;
    usize => Int as i128;
}

impl From<bool> for Expr {
    fn from(v: bool) -> Expr {
        Expr::scalar(Wide::Bool(v))
    }
}

/// The operators, each building a [`BinaryOp`] node: `Expr op rhs` for any
/// `rhs` that converts into an [`Expr`] (an `&Array`, an `Expr`, a number),
/// and `number op Expr` for the reflected forms.
macro_rules! operators {
    ($($trait:ident $method:ident => $op:ident;)*) => {$(
        impl<R: Into<Expr>> ops::$trait<R> for Expr {
            type Output = Expr;
            fn $method(self, rhs: R) -> Expr {
                Expr::binary(BinaryOp::$op, self, rhs)
            }
        }

        impl<R: Into<Expr>> ops::$trait<R> for &Expr {
            type Output = Expr;
            fn $method(self, rhs: R) -> Expr {
                Expr::binary(BinaryOp::$op, self.clone(), rhs)
            }
        }

        impl ops::$trait<Expr> for f64 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::binary(BinaryOp::$op, self, rhs)
            }
        }

        impl ops::$trait<Expr> for i64 {
            type Output = Expr;
            fn $method(self, rhs: Expr) -> Expr {
                Expr::binary(BinaryOp::$op, self, rhs)
            }
        }
    )*};
}

operators! {
    Add add => Add;
    Sub sub => Subtract;
    Mul mul => Multiply;
    Div div => Divide;
    Rem rem => Remainder;
    BitAnd bitand => BitwiseAnd;
    BitOr bitor => BitwiseOr;
    BitXor bitxor => BitwiseXor;
    Shl shl => LeftShift;
    Shr shr => RightShift;
}

impl ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.apply(UnaryOp::Negative)
    }
}

impl ops::Neg for &Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.clone().apply(UnaryOp::Negative)
    }
}
