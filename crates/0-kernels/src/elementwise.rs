//! Elementwise loops: `out[i] = f(a[i])` and `out[i] = f(a[i], b[i])` over
//! a shape, with each input on its own strided (possibly broadcast) layout
//! and the output C-contiguous; the same loops in place
//! (`dst[i] = f(dst[i], b[i])`), and `select` (`where`).
//!
//! Three paths, chosen per call:
//! 1. every operand contiguous: one flat loop over slices, which LLVM
//!    vectorises for simple `f`;
//! 2. an operand that is a single broadcast value: the same flat loop with a
//!    constant;
//! 3. anything else: the coalesced strided walk of [`crate::strided`].
//!
//! Paths 1 and 2 run under [`simd::dispatch`] (AVX2 + FMA code when the CPU
//! has it) and split across threads ([`crate::par`], the calling thread
//! taking part) above [`PAR_THRESHOLD`] elements ([`HEAVY_PAR_THRESHOLD`]
//! for the transcendentals); below it they run on the calling thread with
//! no overhead.

use crate::layout::{is_c_contiguous, size};
use crate::simd;
use crate::strided::{for_each_offset, for_each_offset2};

/// Elements above which contiguous elementwise loops use every core.
/// Below ~256 Ki elements thread start-up and cache effects cost more than
/// the second core saves on this class of machine (measured by the bench).
pub const PAR_THRESHOLD: usize = 1 << 18;
/// Elements per parallel task: large enough to amortise scheduling, small
/// enough to balance (a few hundred KiB of f32).
const CHUNK: usize = 1 << 16;
/// [`PAR_THRESHOLD`] for [`Heavy`] loops (the vectorised transcendentals),
/// whose elements cost 5–20× a light op's: from Python, `sin` of 10⁵
/// float32 took 70 µs on one thread and 38 split in pieces of
/// [`HEAVY_CHUNK`] (NumPy 52); a threshold of 32 Ki elements gained nothing
/// more (`docs/decisions.md`).
pub const HEAVY_PAR_THRESHOLD: usize = 1 << 16;
/// Elements per parallel task of a [`Heavy`] loop.
const HEAVY_CHUNK: usize = 1 << 14;

/// A read-only operand: the buffer slice and a layout into it.
#[derive(Clone, Copy, Debug)]
pub struct Operand<'a, T> {
    /// The whole buffer, typed.
    pub data: &'a [T],
    /// Strides (elements) of the operand viewed at the output's shape.
    pub strides: &'a [isize],
    /// Offset (elements) of the first element.
    pub offset: usize,
}

impl<'a, T: Copy> Operand<'a, T> {
    fn contiguous(&self, shape: &[usize]) -> Option<&'a [T]> {
        is_c_contiguous(shape, self.strides).then(|| &self.data[self.offset..self.offset + size(shape)])
    }

    fn constant(&self) -> Option<T> {
        self.strides.iter().all(|&s| s == 0).then(|| self.data[self.offset])
    }
}

/// A writable operand: the whole buffer and a layout into it that addresses
/// every element at most once (the caller guarantees it).
#[derive(Debug)]
pub struct OperandMut<'a, T> {
    /// The whole buffer, typed.
    pub data: &'a mut [T],
    /// Strides (elements).
    pub strides: &'a [isize],
    /// Offset (elements) of the first element.
    pub offset: usize,
}

/// `out[i] = f(x[i])` over equal-length slices: the loop every contiguous
/// unary path ends in. Indexed (the lengths are checked once, so the bounds
/// checks go) and always inlined, so that all of it compiles inside the
/// `#[target_feature]` function of [`simd::dispatch`]. `f` is called as
/// `(*f)(x)`, the closure's own call: calling the `&F` would go through the
/// standard library's `Fn for &F` shim, which LLVM leaves out of line (and
/// so compiled for the baseline) when `f` is large, as the `vmath` ones are.
#[inline(always)]
fn map_loop<A: Copy, O, F: Fn(A) -> O>(o: &mut [O], x: &[A], f: &F) {
    let x = &x[..o.len()];
    for i in 0..o.len() {
        o[i] = (*f)(x[i]);
    }
}

/// `o[i] = f(x[i], y[i])` over equal-length slices (see [`map_loop`]).
#[inline(always)]
fn zip_loop<A: Copy, B: Copy, O, F: Fn(A, B) -> O>(o: &mut [O], x: &[A], y: &[B], f: &F) {
    let (x, y) = (&x[..o.len()], &y[..o.len()]);
    for i in 0..o.len() {
        o[i] = (*f)(x[i], y[i]);
    }
}

/// `d[i] = f(d[i])` (see [`map_loop`]).
#[inline(always)]
fn update_loop<T: Copy, F: Fn(T) -> T>(d: &mut [T], f: &F) {
    for v in d.iter_mut() {
        *v = (*f)(*v);
    }
}

/// `d[i] = f(d[i], y[i])` over equal-length slices (see [`map_loop`]).
#[inline(always)]
fn update_zip_loop<T: Copy, B: Copy, F: Fn(T, B) -> T>(d: &mut [T], y: &[B], f: &F) {
    let y = &y[..d.len()];
    for i in 0..d.len() {
        d[i] = (*f)(d[i], y[i]);
    }
}

/// Returns `f` itself: lets a closure literal carry `#[inline(always)]`
/// where an attribute could not stand on its own (after `&`).
#[inline(always)]
fn inline<F>(f: F) -> F {
    f
}

/// How much work a loop does per element, which picks its dispatcher: a
/// type, so that a loop is compiled only for the levels its cost uses.
pub trait Cost: Copy + Send + Sync {
    /// Runs `body` under this cost's dispatcher.
    fn run<R>(self, body: impl FnOnce() -> R) -> R;

    /// Elements from which a contiguous loop of this cost is split across
    /// threads.
    fn par_threshold(self) -> usize {
        PAR_THRESHOLD
    }

    /// Elements per piece when it is.
    fn chunk(self) -> usize {
        CHUNK
    }
}

/// A few instructions per element (arithmetic, comparisons, casts):
/// memory-bound, compiled up to AVX2 ([`simd::dispatch`]).
#[derive(Clone, Copy, Debug)]
pub struct Light;

/// A polynomial or more per element (the [`crate::vmath`] functions):
/// compiled up to AVX-512 where the CPU has it ([`simd::dispatch_wide`]).
#[derive(Clone, Copy, Debug)]
pub struct Heavy;

impl Cost for Light {
    #[inline(always)]
    fn run<R>(self, body: impl FnOnce() -> R) -> R {
        simd::dispatch(body)
    }
}

impl Cost for Heavy {
    #[inline(always)]
    fn run<R>(self, body: impl FnOnce() -> R) -> R {
        simd::dispatch_wide(body)
    }

    fn par_threshold(self) -> usize {
        HEAVY_PAR_THRESHOLD
    }

    fn chunk(self) -> usize {
        HEAVY_CHUNK
    }
}

/// Calls `body(first, piece)` for the consecutive `chunk`-element pieces
/// of `out` (`first`: the piece's starting index) on every core.
///
/// `body` is a trait object, called once per piece of tens of thousands of
/// elements, so the indirect call costs nothing measurable; in exchange
/// rayon's machinery is compiled once per element type instead of once per
/// op and dtype (it was about half of the core crate's generated code and
/// compile time).
fn par_chunks<O: Send>(out: &mut [O], chunk: usize, body: &(dyn Fn(usize, &mut [O]) + Sync)) {
    crate::par::for_each_chunk(out, chunk, body);
}

/// `out[i] = f(x[i])` over equal-length slices, threaded above the threshold.
#[inline(always)]
fn map_slices<A: Copy + Sync, O: Send>(out: &mut [O], x: &[A], f: impl Fn(A) -> O + Sync, cost: impl Cost) {
    let f = &f;
    let body = |o: &mut [O], x: &[A]| {
        cost.run(
            #[inline(always)]
            || map_loop(o, x, f),
        )
    };
    if out.len() >= cost.par_threshold() {
        par_chunks(out, cost.chunk(), &|i, o| body(o, &x[i..i + o.len()]));
    } else {
        body(out, x);
    }
}

/// `out[i] = f(x[i], y[i])` over equal-length slices, threaded above the threshold.
#[inline(always)]
fn zip_slices<A: Copy + Sync, B: Copy + Sync, O: Send>(
    out: &mut [O],
    x: &[A],
    y: &[B],
    f: &(impl Fn(A, B) -> O + Sync),
    cost: impl Cost,
) {
    let body = |o: &mut [O], x: &[A], y: &[B]| {
        cost.run(
            #[inline(always)]
            || zip_loop(o, x, y, f),
        )
    };
    if out.len() >= cost.par_threshold() {
        par_chunks(out, cost.chunk(), &|i, o| body(o, &x[i..i + o.len()], &y[i..i + o.len()]));
    } else {
        body(out, x, y);
    }
}

/// `d[i] = f(d[i])` over a slice, threaded above the threshold.
#[inline(always)]
fn update_slice<T: Copy + Send + Sync>(d: &mut [T], f: impl Fn(T) -> T + Sync, cost: impl Cost) {
    let f = &f;
    let body = |d: &mut [T]| {
        cost.run(
            #[inline(always)]
            || update_loop(d, f),
        )
    };
    if d.len() >= cost.par_threshold() {
        par_chunks(d, cost.chunk(), &|_, d| body(d));
    } else {
        body(d);
    }
}

/// `d[i] = f(d[i], y[i])` over equal-length slices, threaded above the threshold.
#[inline(always)]
fn update_zip_slices<T: Copy + Send + Sync, B: Copy + Sync>(
    d: &mut [T],
    y: &[B],
    f: &(impl Fn(T, B) -> T + Sync),
    cost: impl Cost,
) {
    let body = |d: &mut [T], y: &[B]| {
        cost.run(
            #[inline(always)]
            || update_zip_loop(d, y, f),
        )
    };
    if d.len() >= cost.par_threshold() {
        par_chunks(d, cost.chunk(), &|i, d| body(d, &y[i..i + d.len()]));
    } else {
        body(d, y);
    }
}

/// `out[i] = f(a[i])` for every element of `shape` in C order.
pub fn unary<A, O>(out: &mut [O], shape: &[usize], a: Operand<'_, A>, f: impl Fn(A) -> O + Sync)
where
    A: Copy + Send + Sync,
    O: Send,
{
    unary_with(out, shape, a, f, Light)
}

/// [`unary`] for a loop of the given [`Cost`] (`Heavy` for the
/// polynomial [`crate::vmath`] functions, which gain from AVX-512).
pub fn unary_with<A, O>(out: &mut [O], shape: &[usize], a: Operand<'_, A>, f: impl Fn(A) -> O + Sync, cost: impl Cost)
where
    A: Copy + Send + Sync,
    O: Send,
{
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    if let Some(a) = a.contiguous(shape) {
        map_slices(out, a, f, cost);
        return;
    }
    let mut i = 0;
    for_each_offset(shape, a.strides, a.offset, |o| {
        out[i] = f(a.data[o]);
        i += 1;
    });
}

/// The slice an operand of a one-dimensional block of `n` elements reads:
/// `Ok` for a unit-stride run, `Err` with the value for a broadcast one.
#[inline(always)]
fn block_input<'a, T: Copy>(a: &Operand<'a, T>, n: usize) -> Result<&'a [T], T> {
    match a.strides {
        [0] => Err(a.data[a.offset]),
        _ => {
            debug_assert!(n <= 1 || a.strides == [1], "block operands are unit-stride or broadcast");
            Ok(&a.data[a.offset..a.offset + n])
        }
    }
}

/// `out[i] = f(a[i], b[i])` over one block of a fused evaluation, on the
/// calling thread: each operand is a unit-stride run of `out.len()`
/// elements or a broadcast value (strides `[1]` or `[0]`). The same loops
/// and dispatch as the contiguous paths of [`binary`], so the same bits,
/// without its threading and strided paths, which a block never needs
/// (each adapter is compiled for every op and dtype: this keeps them small).
pub fn binary_block<A, B, O>(out: &mut [O], a: Operand<'_, A>, b: Operand<'_, B>, f: impl Fn(A, B) -> O)
where
    A: Copy,
    B: Copy,
{
    binary_block_with(out, a, b, f, Light)
}

/// [`binary_block`] with the dispatch of `cost` (`Heavy` for the
/// polynomial binary [`crate::vmath`] functions, as [`binary_with`]).
pub fn binary_block_with<A, B, O>(
    out: &mut [O],
    a: Operand<'_, A>,
    b: Operand<'_, B>,
    f: impl Fn(A, B) -> O,
    cost: impl Cost,
) where
    A: Copy,
    B: Copy,
{
    let n = out.len();
    let f = &f;
    match (block_input(&a, n), block_input(&b, n)) {
        (Ok(x), Ok(y)) => cost.run(
            #[inline(always)]
            || zip_loop(out, x, y, f),
        ),
        (Ok(x), Err(q)) => cost.run(
            #[inline(always)]
            || {
                map_loop(
                    out,
                    x,
                    &inline(
                        #[inline(always)]
                        |p| (*f)(p, q),
                    ),
                )
            },
        ),
        (Err(p), Ok(y)) => cost.run(
            #[inline(always)]
            || {
                map_loop(
                    out,
                    y,
                    &inline(
                        #[inline(always)]
                        |q| (*f)(p, q),
                    ),
                )
            },
        ),
        (Err(p), Err(q)) => out.iter_mut().for_each(|o| *o = f(p, q)),
    }
}

/// `out[i] = f(a[i])` over one block of a fused evaluation (see
/// [`binary_block`]), with the dispatch of `cost`.
pub fn unary_block<A: Copy, O>(out: &mut [O], a: Operand<'_, A>, f: impl Fn(A) -> O, cost: impl Cost) {
    let n = out.len();
    let f = &f;
    match block_input(&a, n) {
        Ok(x) => cost.run(
            #[inline(always)]
            || map_loop(out, x, f),
        ),
        Err(p) => out.iter_mut().for_each(|o| *o = f(p)),
    }
}

/// A unary function with a cheap path that is exact except on rare inputs
/// (the float32 `sin` of [`crate::vmath`] past 2^24): `fast` where no input
/// of a block is `rare`, `full` (correct everywhere) otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Split<F, G, P> {
    /// The cheap path, exact where `rare` is false.
    pub fast: F,
    /// The path that is exact for every input.
    pub full: G,
    /// Whether an input needs `full`.
    pub rare: P,
}

/// Elements per block of a [`Split`] loop: each block is checked for a
/// `rare` input (a vectorised scan of data that then stays in L1) and runs
/// one of the two paths, so normal data never pays for the full one.
pub const SPLIT_BLOCK: usize = 256;

impl<F, G, P> Split<F, G, P> {
    /// The per-element function: `full` where `rare`, else `fast` (the
    /// strided paths; not vectorised).
    #[inline(always)]
    fn one<A: Copy, O>(&self, v: A) -> O
    where
        F: Fn(A) -> O,
        G: Fn(A) -> O,
        P: Fn(A) -> bool,
    {
        if (self.rare)(v) { (self.full)(v) } else { (self.fast)(v) }
    }

    /// Whether any of `x` is rare: a scan without early exit, so that it
    /// vectorises.
    #[inline(always)]
    fn any_rare<A: Copy>(&self, x: &[A]) -> bool
    where
        P: Fn(A) -> bool,
    {
        x.iter().fold(false, |acc, &v| acc | (self.rare)(v))
    }
}

/// `out[i] = s(x[i])` over equal-length slices, block by block (see [`Split`]).
#[inline(always)]
fn split_loop<A: Copy, O, F: Fn(A) -> O, G: Fn(A) -> O, P: Fn(A) -> bool>(o: &mut [O], x: &[A], s: &Split<F, G, P>) {
    for (o, x) in o.chunks_mut(SPLIT_BLOCK).zip(x.chunks(SPLIT_BLOCK)) {
        if s.any_rare(x) { map_loop(o, x, &s.full) } else { map_loop(o, x, &s.fast) }
    }
}

/// `d[i] = s(d[i])` over a slice, block by block (see [`Split`]).
#[inline(always)]
fn split_update_loop<T: Copy, F: Fn(T) -> T, G: Fn(T) -> T, P: Fn(T) -> bool>(d: &mut [T], s: &Split<F, G, P>) {
    for d in d.chunks_mut(SPLIT_BLOCK) {
        if s.any_rare(d) { update_loop(d, &s.full) } else { update_loop(d, &s.fast) }
    }
}

/// [`unary_with`] for a [`Split`] function: the same results as
/// `unary_with(.., |v| if rare(v) { full(v) } else { fast(v) }, ..)`, with
/// contiguous data run block by block so that each block's loop is
/// branch-free and vectorised.
pub fn unary_split<A, O, F, G, P>(out: &mut [O], shape: &[usize], a: Operand<'_, A>, s: Split<F, G, P>, cost: impl Cost)
where
    A: Copy + Send + Sync,
    O: Send,
    F: Fn(A) -> O + Sync,
    G: Fn(A) -> O + Sync,
    P: Fn(A) -> bool + Sync,
{
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    if let Some(x) = a.contiguous(shape) {
        let s = &s;
        let body = |o: &mut [O], x: &[A]| {
            cost.run(
                #[inline(always)]
                || split_loop(o, x, s),
            )
        };
        if out.len() >= cost.par_threshold() {
            par_chunks(out, cost.chunk(), &|i, o| body(o, &x[i..i + o.len()]));
        } else {
            body(out, x);
        }
        return;
    }
    let mut i = 0;
    for_each_offset(shape, a.strides, a.offset, |o| {
        out[i] = s.one(a.data[o]);
        i += 1;
    });
}

/// [`unary_block`] for a [`Split`] function (see [`unary_split`]).
pub fn unary_split_block<A, O, F, G, P>(out: &mut [O], a: Operand<'_, A>, s: Split<F, G, P>, cost: impl Cost)
where
    A: Copy,
    F: Fn(A) -> O,
    G: Fn(A) -> O,
    P: Fn(A) -> bool,
{
    let n = out.len();
    let s = &s;
    match block_input(&a, n) {
        Ok(x) => cost.run(
            #[inline(always)]
            || split_loop(out, x, s),
        ),
        Err(p) => out.iter_mut().for_each(|o| *o = s.one(p)),
    }
}

/// [`unary_inplace_with`] for a [`Split`] function (see [`unary_split`]).
pub fn unary_inplace_split<T, F, G, P>(dst: OperandMut<'_, T>, shape: &[usize], s: Split<F, G, P>, cost: impl Cost)
where
    T: Copy + Send + Sync,
    F: Fn(T) -> T + Sync,
    G: Fn(T) -> T + Sync,
    P: Fn(T) -> bool + Sync,
{
    let n = size(shape);
    if n == 0 {
        return;
    }
    if is_c_contiguous(shape, dst.strides) {
        let d = &mut dst.data[dst.offset..dst.offset + n];
        let s = &s;
        let body = |d: &mut [T]| {
            cost.run(
                #[inline(always)]
                || split_update_loop(d, s),
            )
        };
        if d.len() >= cost.par_threshold() {
            par_chunks(d, cost.chunk(), &|_, d| body(d));
        } else {
            body(d);
        }
        return;
    }
    for_each_offset(shape, dst.strides, dst.offset, |o| dst.data[o] = s.one(dst.data[o]));
}

/// `out[i] = f(a[i], b[i])` for every element of `shape` in C order.
pub fn binary<A, B, O>(
    out: &mut [O],
    shape: &[usize],
    a: Operand<'_, A>,
    b: Operand<'_, B>,
    f: impl Fn(A, B) -> O + Sync,
) where
    A: Copy + Send + Sync,
    B: Copy + Send + Sync,
    O: Send,
{
    binary_with(out, shape, a, b, f, Light)
}

/// [`binary`] for a loop of the given [`Cost`] (`Heavy` for the
/// polynomial binary [`crate::vmath`] functions, `atan2`, `hypot`,
/// `logaddexp`, which gain from AVX-512); the same bits at every level
/// for functions that (like those) use no `mul_add`.
pub fn binary_with<A, B, O>(
    out: &mut [O],
    shape: &[usize],
    a: Operand<'_, A>,
    b: Operand<'_, B>,
    f: impl Fn(A, B) -> O + Sync,
    cost: impl Cost,
) where
    A: Copy + Send + Sync,
    B: Copy + Send + Sync,
    O: Send,
{
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    match (a.contiguous(shape), b.contiguous(shape)) {
        (Some(x), Some(y)) => return zip_slices(out, x, y, &f, cost),
        (Some(x), None) => {
            if let Some(q) = b.constant() {
                return map_slices(
                    out,
                    x,
                    #[inline(always)]
                    |p| f(p, q),
                    cost,
                );
            }
        }
        (None, Some(y)) => {
            if let Some(p) = a.constant() {
                return map_slices(
                    out,
                    y,
                    #[inline(always)]
                    |q| f(p, q),
                    cost,
                );
            }
        }
        (None, None) => {}
    }
    if binary_runs(out, shape, a, b, &f, cost) {
        return;
    }
    let mut i = 0;
    for_each_offset2(shape, a.strides, a.offset, b.strides, b.offset, |oa, ob| {
        out[i] = f(a.data[oa], b.data[ob]);
        i += 1;
    });
}

/// Shortest innermost run worth a slice loop of its own in [`binary_runs`].
const MIN_RUN: usize = 16;

/// Axes of two layouts over one shape, merged where both allow it, with
/// axes of length 1 dropped: `(length, stride in a, stride in b)`.
fn joint_dims(shape: &[usize], sa: &[isize], sb: &[isize]) -> Vec<(usize, isize, isize)> {
    let mut dims: Vec<(usize, isize, isize)> = Vec::with_capacity(shape.len());
    for k in 0..shape.len() {
        let (d, a, b) = (shape[k], sa[k], sb[k]);
        if d == 1 {
            continue;
        }
        if let Some(last) = dims.last_mut()
            && last.1 == a * d as isize
            && last.2 == b * d as isize
        {
            *last = (last.0 * d, a, b);
            continue;
        }
        dims.push((d, a, b));
    }
    dims
}

/// The broadcasting case of [`binary`] that is neither flat nor a single
/// constant, when the innermost (merged) axis is a contiguous run in each
/// operand or a repeated value: `x - mean` with a row of means, `x / s[:, None]`,
/// `a + b.T` is not (its inner axis is strided). Each run is the flat,
/// vectorised slice loop, and runs are spread over threads for large
/// outputs. Returns `false`, doing nothing, when the layout does not fit.
fn binary_runs<A, B, O>(
    out: &mut [O],
    shape: &[usize],
    a: Operand<'_, A>,
    b: Operand<'_, B>,
    f: &(impl Fn(A, B) -> O + Sync),
    cost: impl Cost,
) -> bool
where
    A: Copy + Send + Sync,
    B: Copy + Send + Sync,
    O: Send,
{
    let dims = joint_dims(shape, a.strides, b.strides);
    let Some(&(len, ia, ib)) = dims.last() else { return false };
    if len < MIN_RUN || !matches!((ia, ib), (1, 1) | (1, 0) | (0, 1)) {
        return false;
    }
    let outer = &dims[..dims.len() - 1];
    // Buffer offsets of the first element of run `r` (C order of `outer`).
    let run_start = |mut r: usize| {
        let (mut pa, mut pb) = (a.offset as isize, b.offset as isize);
        for &(d, sa, sb) in outer.iter().rev() {
            let i = (r % d) as isize;
            r /= d;
            pa += i * sa;
            pb += i * sb;
        }
        (pa as usize, pb as usize)
    };
    let body = |o: &mut [O], first_run: usize| {
        for (k, o) in o.chunks_exact_mut(len).enumerate() {
            let (pa, pb) = run_start(first_run + k);
            cost.run(
                #[inline(always)]
                || match (ia, ib) {
                    (1, 1) => zip_loop(o, &a.data[pa..pa + len], &b.data[pb..pb + len], f),
                    (1, 0) => {
                        let q = b.data[pb];
                        map_loop(
                            o,
                            &a.data[pa..pa + len],
                            &inline(
                                #[inline(always)]
                                |p| (*f)(p, q),
                            ),
                        )
                    }
                    _ => {
                        let p = a.data[pa];
                        map_loop(
                            o,
                            &b.data[pb..pb + len],
                            &inline(
                                #[inline(always)]
                                |q| (*f)(p, q),
                            ),
                        )
                    }
                },
            );
        }
    };
    if out.len() >= PAR_THRESHOLD {
        let runs_per_task = (CHUNK / len).max(1);
        par_chunks(out, runs_per_task * len, &|i, o| body(o, i / len));
    } else {
        body(out, 0);
    }
    true
}

/// `dst[i] = f(dst[i])` in place for every element of `shape`.
pub fn unary_inplace<T>(dst: OperandMut<'_, T>, shape: &[usize], f: impl Fn(T) -> T + Sync)
where
    T: Copy + Send + Sync,
{
    unary_inplace_with(dst, shape, f, Light)
}

/// [`unary_inplace`] for a loop of the given [`Cost`].
pub fn unary_inplace_with<T>(dst: OperandMut<'_, T>, shape: &[usize], f: impl Fn(T) -> T + Sync, cost: impl Cost)
where
    T: Copy + Send + Sync,
{
    let n = size(shape);
    if n == 0 {
        return;
    }
    if is_c_contiguous(shape, dst.strides) {
        return update_slice(&mut dst.data[dst.offset..dst.offset + n], f, cost);
    }
    for_each_offset(shape, dst.strides, dst.offset, |o| dst.data[o] = f(dst.data[o]));
}

/// `dst[i] = f(dst[i], b[i])` in place for every element of `shape` (NumPy's
/// `a += b`). `b` is read from its own buffer, which cannot alias `dst`'s.
pub fn binary_inplace<T, B>(dst: OperandMut<'_, T>, shape: &[usize], b: Operand<'_, B>, f: impl Fn(T, B) -> T + Sync)
where
    T: Copy + Send + Sync,
    B: Copy + Send + Sync,
{
    binary_inplace_with(dst, shape, b, f, Light)
}

/// [`binary_inplace`] for a loop of the given [`Cost`] (see [`binary_with`]).
pub fn binary_inplace_with<T, B>(
    dst: OperandMut<'_, T>,
    shape: &[usize],
    b: Operand<'_, B>,
    f: impl Fn(T, B) -> T + Sync,
    cost: impl Cost,
) where
    T: Copy + Send + Sync,
    B: Copy + Send + Sync,
{
    let n = size(shape);
    if n == 0 {
        return;
    }
    if is_c_contiguous(shape, dst.strides) {
        let d = &mut dst.data[dst.offset..dst.offset + n];
        if let Some(y) = b.contiguous(shape) {
            return update_zip_slices(d, y, &f, cost);
        }
        if let Some(q) = b.constant() {
            return update_slice(
                d,
                #[inline(always)]
                |p| f(p, q),
                cost,
            );
        }
    }
    for_each_offset2(shape, dst.strides, dst.offset, b.strides, b.offset, |od, ob| {
        dst.data[od] = f(dst.data[od], b.data[ob]);
    });
}

/// `out[i] = if cond[i] { x[i] } else { y[i] }` for every element of `shape`
/// in C order (the Array API's `where`).
pub fn select<T>(out: &mut [T], shape: &[usize], cond: Operand<'_, bool>, x: Operand<'_, T>, y: Operand<'_, T>)
where
    T: Copy + Send + Sync,
{
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    if let (Some(c), Some(p), Some(q)) = (cond.contiguous(shape), x.contiguous(shape), y.contiguous(shape)) {
        let body = |o: &mut [T], c: &[bool], p: &[T], q: &[T]| {
            simd::dispatch(
                #[inline(always)]
                || {
                    let (c, p, q) = (&c[..o.len()], &p[..o.len()], &q[..o.len()]);
                    for i in 0..o.len() {
                        o[i] = if c[i] { p[i] } else { q[i] };
                    }
                },
            )
        };
        if n >= PAR_THRESHOLD {
            par_chunks(out, CHUNK, &|i, o| body(o, &c[i..i + o.len()], &p[i..i + o.len()], &q[i..i + o.len()]));
        } else {
            body(out, c, p, q);
        }
        return;
    }
    // General layouts: walk the condition with `x`, then fill from `y` where
    // the condition was false, reusing the paired walk of two layouts.
    let mut taken = vec![false; n];
    let mut i = 0;
    for_each_offset2(shape, cond.strides, cond.offset, x.strides, x.offset, |oc, ox| {
        if cond.data[oc] {
            out[i] = x.data[ox];
            taken[i] = true;
        }
        i += 1;
    });
    let mut i = 0;
    for_each_offset(shape, y.strides, y.offset, |oy| {
        if !taken[i] {
            out[i] = y.data[oy];
        }
        i += 1;
    });
}

#[cfg(test)]
mod tests {

    #[test]
    fn split_runs_full_exactly_on_blocks_with_rare_inputs() {
        // fast is "wrong" (adds 1) so that the test sees which path ran.
        let s = Split { fast: |v: f32| v * 2.0 + 1.0, full: |v: f32| v * 2.0, rare: |v: f32| v > 100.0 };
        let per_element = |v: f32| if v > 100.0 { v * 2.0 } else { v * 2.0 + 1.0 };
        for n in [0, 1, SPLIT_BLOCK - 1, SPLIT_BLOCK + 3, 3 * SPLIT_BLOCK, PAR_THRESHOLD + 77] {
            let mut x: Vec<f32> = (0..n).map(|i| (i % 50) as f32).collect();
            if n > SPLIT_BLOCK + 2 {
                x[SPLIT_BLOCK + 1] = 1000.0;
            }
            let mut out = vec![0.0f32; n];
            unary_split(&mut out, &[n], Operand { data: &x, strides: &[1], offset: 0 }, s, Heavy);
            for (b, (o, xb)) in out.chunks(SPLIT_BLOCK).zip(x.chunks(SPLIT_BLOCK)).enumerate() {
                let full = xb.iter().any(|&v| v > 100.0);
                for (&o, &v) in o.iter().zip(xb) {
                    assert_eq!(o, if full { v * 2.0 } else { v * 2.0 + 1.0 }, "n={n} block {b}");
                }
            }
            let mut d = x.clone();
            unary_inplace_split(OperandMut { data: &mut d, strides: &[1], offset: 0 }, &[n], s, Heavy);
            assert_eq!(d, out, "in place, n={n}");
            // Strided (every second element): per element.
            if n >= 2 {
                let m = n / 2;
                let mut o = vec![0.0f32; m];
                unary_split(&mut o, &[m], Operand { data: &x, strides: &[2], offset: 0 }, s, Heavy);
                let want: Vec<f32> = x.iter().step_by(2).take(m).map(|&v| per_element(v)).collect();
                assert_eq!(o, want);
                let mut d = x.clone();
                unary_inplace_split(OperandMut { data: &mut d, strides: &[2], offset: 0 }, &[m], s, Heavy);
                for (i, &v) in d.iter().enumerate() {
                    assert_eq!(v, if i % 2 == 0 && i / 2 < m { per_element(x[i]) } else { x[i] });
                }
            }
        }
    }
    use super::*;
    use crate::layout::c_strides;
    use proptest::prelude::*;

    #[test]
    fn blocks_equal_the_general_loops() {
        let f = |a: f32, b: f32| a * b - a / (b + 0.5);
        let g = |a: f32| crate::vmath::exp_f32(a) - a;
        let s = Split { fast: |v: f32| v * 2.0 + 1.0, full: |v: f32| v * 2.0, rare: |v: f32| v > 100.0 };
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for n in [0, 1, 2, 15, SPLIT_BLOCK + 3, 4096] {
            let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin() * 3.0).collect();
            let mut y: Vec<f32> = (0..n).map(|i| (i % 7) as f32 - 2.5).collect();
            if n > 5 {
                y[5] = 500.0;
            }
            let (c, d) = ([1.25f32], [-0.75f32]);
            type Case<'a> = (&'a [f32], &'a [isize], &'a [f32], &'a [isize]);
            let cases: [Case<'_>; 4] =
                [(&x, &[1], &y, &[1]), (&x, &[1], &c, &[0]), (&c, &[0], &y, &[1]), (&c, &[0], &d, &[0])];
            for (k, &(a, sa, b, sb)) in cases.iter().enumerate() {
                let (oa, ob) =
                    (Operand { data: a, strides: sa, offset: 0 }, Operand { data: b, strides: sb, offset: 0 });
                let (mut want, mut got) = (vec![0.0f32; n], vec![0.0f32; n]);
                binary(&mut want, &[n], oa, ob, f);
                binary_block(&mut got, oa, ob, f);
                assert_eq!(bits(&got), bits(&want), "binary case {k}, n={n}");
                binary_with(&mut want, &[n], oa, ob, f, Heavy);
                binary_block_with(&mut got, oa, ob, f, Heavy);
                assert_eq!(bits(&got), bits(&want), "heavy binary case {k}, n={n}");
                unary_with(&mut want, &[n], ob, g, Heavy);
                unary_block(&mut got, ob, g, Heavy);
                assert_eq!(bits(&got), bits(&want), "unary case {k}, n={n}");
                unary_split(&mut want, &[n], ob, s, Heavy);
                unary_split_block(&mut got, ob, s, Heavy);
                assert_eq!(bits(&got), bits(&want), "split case {k}, n={n}");
            }
        }
    }

    /// Strides of a C-contiguous array of `shape` with the axes in `bcast`
    /// broadcast (stride 0), the innermost optionally reversed, and the
    /// offset of its first element: a broadcast operand as the core builds it.
    fn operand_layout(shape: &[usize], bcast: &[bool], reverse_inner: bool) -> (Vec<isize>, usize, usize) {
        let own: Vec<usize> = shape.iter().zip(bcast).map(|(&d, &b)| if b { 1 } else { d }).collect();
        let mut strides = c_strides(&own);
        for (s, &b) in strides.iter_mut().zip(bcast) {
            if b {
                *s = 0;
            }
        }
        let len = own.iter().product::<usize>();
        let mut offset = 0;
        if reverse_inner
            && let Some(last) = strides.last_mut()
            && *last != 0
        {
            offset = own.last().map_or(0, |&d| d.saturating_sub(1));
            *last = -*last;
        }
        (strides, offset, len)
    }

    proptest! {
        #[test]
        fn broadcast_runs_equal_the_plain_walk(
            shape in prop::collection::vec(1usize..40, 1..4),
            ba in prop::collection::vec(any::<bool>(), 4),
            bb in prop::collection::vec(any::<bool>(), 4),
            rev in any::<bool>(),
            big in any::<bool>(),
        ) {
            // `big` adds a leading axis that takes the output over the
            // threading threshold.
            let mut shape = shape;
            if big {
                shape.insert(0, PAR_THRESHOLD / shape.iter().product::<usize>() + 1);
            }
            let nd = shape.len();
            let (sa, oa, la) = operand_layout(&shape, &ba[..nd.min(4)].iter().chain(&[false; 4]).take(nd).copied().collect::<Vec<_>>(), rev);
            let (sb, ob, lb) = operand_layout(&shape, &bb[..nd.min(4)].iter().chain(&[false; 4]).take(nd).copied().collect::<Vec<_>>(), false);
            let a: Vec<f32> = (0..la).map(|i| i as f32 * 0.5).collect();
            let b: Vec<f32> = (0..lb).map(|i| (i % 97) as f32 + 1.0).collect();
            let n = shape.iter().product::<usize>();
            let mut out = vec![f32::NAN; n];
            let f = |x: f32, y: f32| x / y - 1.0;
            binary(&mut out, &shape, Operand { data: &a, strides: &sa, offset: oa }, Operand { data: &b, strides: &sb, offset: ob }, f);
            let mut expect = Vec::with_capacity(n);
            for_each_offset2(&shape, &sa, oa, &sb, ob, |i, j| expect.push(f(a[i], b[j])));
            prop_assert_eq!(out, expect);
        }
    }

    #[test]
    fn every_path_agrees_with_a_plain_loop() {
        for n in [0usize, 1, 7, PAR_THRESHOLD + 3] {
            let a: Vec<f32> = (0..n).map(|i| i as f32).collect();
            let b: Vec<f32> = (0..n).map(|i| (i % 13) as f32).collect();
            let st = c_strides(&[n]);
            let mut out = vec![0.0f32; n];
            binary(
                &mut out,
                &[n],
                Operand { data: &a, strides: &st, offset: 0 },
                Operand { data: &b, strides: &st, offset: 0 },
                |x, y| x * y + 1.0,
            );
            assert!(out.iter().enumerate().all(|(i, &o)| o == a[i] * b[i] + 1.0));
            // Scalar broadcast on either side.
            let c = [2.0f32];
            binary(
                &mut out,
                &[n],
                Operand { data: &a, strides: &st, offset: 0 },
                Operand { data: &c, strides: &[0], offset: 0 },
                |x, y| x - y,
            );
            assert!(out.iter().enumerate().all(|(i, &o)| o == a[i] - 2.0));
            binary(
                &mut out,
                &[n],
                Operand { data: &c, strides: &[0], offset: 0 },
                Operand { data: &a, strides: &st, offset: 0 },
                |x, y| x - y,
            );
            assert!(out.iter().enumerate().all(|(i, &o)| o == 2.0 - a[i]));
            // Reversed input: the strided path.
            if n > 0 {
                binary(
                    &mut out,
                    &[n],
                    Operand { data: &a, strides: &[-1], offset: n - 1 },
                    Operand { data: &b, strides: &st, offset: 0 },
                    |x, y| x + y,
                );
                assert!(out.iter().enumerate().all(|(i, &o)| o == a[n - 1 - i] + b[i]));
            }
            let mut u = vec![0i64; n];
            unary(&mut u, &[n], Operand { data: &a, strides: &st, offset: 0 }, |x| x as i64 * 2);
            assert!(u.iter().enumerate().all(|(i, &o)| o == 2 * i as i64));
        }
    }

    /// Runs `f` once per SIMD level the CPU has (the baseline forced
    /// through [`simd::set_max_level`]) and checks that every level gives
    /// the baseline's bits. The cap is process-wide; other tests running
    /// meanwhile only change path, not result.
    fn on_every_level<R: PartialEq + std::fmt::Debug>(what: &str, f: impl Fn() -> R) {
        let mut results = Vec::new();
        for l in [simd::Level::Baseline, simd::Level::Avx2, simd::Level::Avx512] {
            if l > simd::cpu_level() {
                continue;
            }
            simd::set_max_level(Some(l));
            assert_eq!(simd::level(), l.min(simd::level()), "the cap holds");
            results.push((l, f()));
        }
        simd::set_max_level(None);
        for (l, r) in &results[1..] {
            assert_eq!(r, &results[0].1, "{what}: {l:?} differs from the baseline");
        }
    }

    /// Bits of a float vector, so NaNs compare equal to themselves.
    fn bits(v: &[f32]) -> Vec<u32> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    #[test]
    // `#[inline(always)] |v| f(v)` rather than `f`: the closure's own call
    // inlines into the SIMD loop, as in the core's tables.
    #[allow(clippy::redundant_closure)]
    fn forced_baseline_and_simd_paths_agree() {
        // Values with every special case, long enough to thread, with a
        // tail that is not a multiple of any vector width.
        let n = PAR_THRESHOLD + 37;
        let specials = [0.0f32, -0.0, 1.0, -1.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, f32::MIN_POSITIVE, 1e-40];
        let a: Vec<f32> = (0..n)
            .map(|i| if i % 101 < specials.len() { specials[i % 101] } else { (i as f32 * 0.013).sin() * 90.0 })
            .collect();
        let b: Vec<f32> = (0..n).map(|i| (i % 17) as f32 * 0.25 - 2.0).collect();
        let st = [1isize];
        let op = |d| Operand { data: d, strides: &st, offset: 0 };
        for len in [0usize, 1, 15, 16, 17, 1000, n] {
            let (x, y) = (&a[..len], &b[..len]);
            let sh = [len];
            on_every_level("binary", || {
                let mut o = vec![0.0f32; len];
                binary(&mut o, &sh, op(x), op(y), |p, q| p * q + p / q);
                bits(&o)
            });
            on_every_level("binary with a constant", || {
                let mut o = vec![0.0f32; len];
                binary(&mut o, &sh, op(x), Operand { data: &[3.5f32], strides: &[0], offset: 0 }, |p, q| p - q);
                bits(&o)
            });
            on_every_level("comparison", || {
                let mut o = vec![false; len];
                binary(&mut o, &sh, op(x), op(y), |p, q| p < q);
                o
            });
            on_every_level("cast", || {
                let mut o = vec![0i32; len];
                unary(&mut o, &sh, op(x), |p| p as i32);
                o
            });
            on_every_level("in place", || {
                let mut d = x.to_vec();
                binary_inplace(OperandMut { data: &mut d, strides: &st, offset: 0 }, &sh, op(y), |p, q| p / q);
                unary_inplace_with(OperandMut { data: &mut d, strides: &st, offset: 0 }, &sh, |p| p.abs(), Heavy);
                bits(&d)
            });
            on_every_level("select", || {
                let c: Vec<bool> = x.iter().map(|v| *v > 0.0).collect();
                let mut o = vec![0.0f32; len];
                select(&mut o, &sh, Operand { data: &c, strides: &st, offset: 0 }, op(x), op(y));
                bits(&o)
            });
            // Each function as its own item, so that it inlines and
            // vectorises as in the core's tables.
            use crate::vmath::*;
            vmath_on_every_level(
                "exp",
                #[inline(always)]
                |v| exp_f32(v),
                x,
            );
            vmath_on_every_level(
                "exp2",
                #[inline(always)]
                |v| exp2_f32(v),
                x,
            );
            vmath_on_every_level(
                "expm1",
                #[inline(always)]
                |v| expm1_f32(v),
                x,
            );
            vmath_on_every_level(
                "ln",
                #[inline(always)]
                |v| ln_f32(v),
                x,
            );
            vmath_on_every_level(
                "log2",
                #[inline(always)]
                |v| log2_f32(v),
                x,
            );
            vmath_on_every_level(
                "log10",
                #[inline(always)]
                |v| log10_f32(v),
                x,
            );
            vmath_on_every_level(
                "log1p",
                #[inline(always)]
                |v| log1p_f32(v),
                x,
            );
            vmath_on_every_level(
                "tanh",
                #[inline(always)]
                |v| tanh_f32(v),
                x,
            );
            // The binary functions (in the light loops up to AVX2 and the
            // heavy ones up to AVX-512), with the
            // special values on either side and against each other.
            let xr: Vec<f32> = x.iter().rev().copied().collect();
            for (p, q) in [(x, y), (y, x), (x, &xr[..])] {
                vmath2_on_every_level(
                    "atan2",
                    #[inline(always)]
                    |u, v| atan2_f32(u, v),
                    p,
                    q,
                );
                vmath2_on_every_level(
                    "hypot",
                    #[inline(always)]
                    |u, v| hypot_f32(u, v),
                    p,
                    q,
                );
                vmath2_on_every_level(
                    "logaddexp",
                    #[inline(always)]
                    |u, v| logaddexp_f32(u, v),
                    p,
                    q,
                );
            }
        }
        // A broadcast row: the runs path.
        let rows = 700;
        let row: Vec<f32> = b[..64].to_vec();
        on_every_level("runs", || {
            let mut o = vec![0.0f32; rows * 64];
            binary(
                &mut o,
                &[rows, 64],
                Operand { data: &a, strides: &[64, 1], offset: 0 },
                Operand { data: &row, strides: &[0, 1], offset: 0 },
                |p, q| (p - q) * 0.5,
            );
            bits(&o)
        });
    }

    /// `f` over `x` in the elementwise loop on every level, each equal to
    /// the baseline and to `f` called one element at a time.
    fn vmath_on_every_level(name: &str, f: impl Fn(f32) -> f32 + Sync + Copy, x: &[f32]) {
        on_every_level(name, || {
            let mut o = vec![0.0f32; x.len()];
            unary_with(&mut o, &[x.len()], Operand { data: x, strides: &[1], offset: 0 }, f, Heavy);
            bits(&o)
        });
        let mut o = vec![0.0f32; x.len()];
        unary_with(&mut o, &[x.len()], Operand { data: x, strides: &[1], offset: 0 }, f, Heavy);
        let plain: Vec<f32> = x.iter().map(|&v| std::hint::black_box(f)(v)).collect();
        assert_eq!(bits(&o), bits(&plain), "{name}: the loop differs from the scalar function");
    }

    /// `f` over the pairs of `(x, y)` in the binary loop on every level,
    /// each equal to the baseline and to `f` called one pair at a time.
    /// Both the light (up to AVX2) and the heavy (up to AVX-512) loops,
    /// and the pairs with `y` broadcast.
    fn vmath2_on_every_level(name: &str, f: impl Fn(f32, f32) -> f32 + Sync + Copy, x: &[f32], y: &[f32]) {
        let st = [1isize];
        type Loop<'a> = &'a dyn Fn(&mut [f32], Operand<'_, f32>, Operand<'_, f32>);
        let run = |cost: Loop<'_>| {
            let mut o = vec![0.0f32; x.len()];
            let (a, b) = (Operand { data: x, strides: &st, offset: 0 }, Operand { data: y, strides: &st, offset: 0 });
            cost(&mut o, a, b);
            bits(&o)
        };
        let light = |o: &mut [f32], a: Operand<'_, f32>, b: Operand<'_, f32>| binary(o, &[o.len()], a, b, f);
        let heavy =
            |o: &mut [f32], a: Operand<'_, f32>, b: Operand<'_, f32>| binary_with(o, &[o.len()], a, b, f, Heavy);
        on_every_level(name, || run(&light));
        on_every_level(name, || run(&heavy));
        let plain: Vec<f32> = x.iter().zip(y).map(|(&p, &q)| std::hint::black_box(f)(p, q)).collect();
        assert_eq!(run(&light), bits(&plain), "{name}: the loop differs from the scalar function");
        assert_eq!(run(&heavy), bits(&plain), "{name}: the heavy loop differs from the scalar function");
        // y[0] broadcast: the constant path of the heavy loop.
        let q = y.first().copied().unwrap_or(0.0);
        let bcast = || {
            let mut o = vec![0.0f32; x.len()];
            let a = Operand { data: x, strides: &st, offset: 0 };
            binary_with(&mut o, &[x.len()], a, Operand { data: &[q], strides: &[0], offset: 0 }, f, Heavy);
            bits(&o)
        };
        on_every_level(name, bcast);
        let plain: Vec<f32> = x.iter().map(|&p| std::hint::black_box(f)(p, q)).collect();
        assert_eq!(bcast(), bits(&plain), "{name}: the broadcast loop differs from the scalar function");
    }

    #[test]
    fn broadcast_rows_and_columns() {
        let col = [1i32, 2, 3];
        let row = [10i32, 20];
        let mut out = vec![0; 6];
        binary(
            &mut out,
            &[3, 2],
            Operand { data: &col, strides: &[1, 0], offset: 0 },
            Operand { data: &row, strides: &[0, 1], offset: 0 },
            |x, y| x + y,
        );
        assert_eq!(out, vec![11, 21, 12, 22, 13, 23]);
    }

    #[test]
    fn in_place_paths_agree_with_fresh_loops() {
        for n in [0usize, 5, PAR_THRESHOLD + 3] {
            let b: Vec<f32> = (0..n).map(|i| (i % 7) as f32).collect();
            let st = c_strides(&[n]);
            let bop = Operand { data: &b, strides: &st, offset: 0 };
            let mut d: Vec<f32> = (0..n).map(|i| i as f32).collect();
            binary_inplace(OperandMut { data: &mut d, strides: &st, offset: 0 }, &[n], bop, |x, y| x * y);
            assert!(d.iter().enumerate().all(|(i, &v)| v == i as f32 * b[i]));
            let mut d: Vec<f32> = (0..n).map(|i| i as f32).collect();
            binary_inplace(
                OperandMut { data: &mut d, strides: &st, offset: 0 },
                &[n],
                Operand { data: &[3.0], strides: &[0], offset: 0 },
                |x, y| x - y,
            );
            assert!(d.iter().enumerate().all(|(i, &v)| v == i as f32 - 3.0));
            unary_inplace(OperandMut { data: &mut d, strides: &st, offset: 0 }, &[n], |x| x + 3.0);
            assert!(d.iter().enumerate().all(|(i, &v)| v == i as f32));
        }
        // A strided destination: every other element, reversed.
        let mut d = vec![0i32, 1, 2, 3, 4, 5];
        binary_inplace(
            OperandMut { data: &mut d, strides: &[-2], offset: 4 },
            &[3],
            Operand { data: &[10, 20, 30], strides: &[1], offset: 0 },
            |x, y| x + y,
        );
        assert_eq!(d, vec![30, 1, 22, 3, 14, 5]);
        unary_inplace(OperandMut { data: &mut d, strides: &[2], offset: 1 }, &[3], |x| -x);
        assert_eq!(d, vec![30, -1, 22, -3, 14, -5]);
    }

    #[test]
    fn select_paths_agree() {
        for n in [0usize, 9, PAR_THRESHOLD + 1] {
            let c: Vec<bool> = (0..n).map(|i| i.is_multiple_of(3)).collect();
            let x: Vec<i64> = (0..n as i64).collect();
            let y: Vec<i64> = (0..n as i64).map(|i| -i).collect();
            let st = c_strides(&[n]);
            let op = |d| Operand { data: d, strides: &st, offset: 0 };
            let mut out = vec![0i64; n];
            select(&mut out, &[n], Operand { data: &c, strides: &st, offset: 0 }, op(&x), op(&y));
            assert!(
                out.iter().enumerate().all(|(i, &v)| v == if i.is_multiple_of(3) { i as i64 } else { -(i as i64) })
            );
        }
        // Broadcast condition and reversed y: the strided path.
        let mut out = vec![0u8; 6];
        select(
            &mut out,
            &[2, 3],
            Operand { data: &[true, false, true], strides: &[0, 1], offset: 0 },
            Operand { data: &[1, 2, 3, 4, 5, 6], strides: &[3, 1], offset: 0 },
            Operand { data: &[10, 20, 30, 40, 50, 60], strides: &[-3, -1], offset: 5 },
        );
        assert_eq!(out, vec![1, 50, 3, 4, 20, 6]);
    }
}
