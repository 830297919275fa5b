//! Reductions: folding the elements of a strided layout over a set of axes
//! ([`reduce`]), searching for the best element along one axis
//! ([`arg_reduce`]), and running scans along an axis ([`scan`]).
//!
//! A reduction is a [`Reduction`]: an identity, a `step` that folds one
//! element into an accumulator and a `merge` that combines two accumulators.
//! The loops never assume more than that `merge` is associative up to
//! rounding, so the same code serves sums (where the order of additions
//! decides the accuracy), products, minima, maxima and truth tests.
//!
//! # How the elements are walked
//!
//! The layout is normalised first: axes of length 1 are dropped, reduced
//! axes with negative strides are flipped, reduced axes are ordered by
//! stride and merged where they are contiguous with each other (a reduction
//! over every axis of any contiguous array, transposed or reversed, becomes
//! one run over a slice). Then one of two strategies runs:
//!
//! 1. **Along runs** — the innermost (smallest-stride) axis is reduced: each
//!    output element folds its own run of elements. A contiguous run is
//!    folded by a block of [`LANES`] independent accumulators (LLVM turns it
//!    into SIMD adds, compares or blends) inside a pairwise recursion.
//!    When every output is one short contiguous run (a row of a narrow
//!    matrix), a task folds all of its rows in one loop.
//! 2. **Across rows** — the innermost axis is kept (say `mean` along axis 0
//!    of a C-contiguous matrix): whole rows are folded into a row of
//!    accumulators, `acc[j] = step(acc[j], x[i, j])`, which is the same
//!    vectorisable loop, instead of striding down each column. Rows are
//!    folded in column tiles that stay in L1, and combined pairwise.
//!
//! The contiguous leaves run under [`simd::dispatch`]: the lanes are
//! explicit, so the wider instruction set changes the speed, never the bits.
//!
//! # Accuracy
//!
//! Both strategies are pairwise: blocks are folded sequentially and block
//! results are merged in a balanced binary tree, so a floating-point sum of
//! `n` elements has a first-order error bound of
//! `|error| ≤ (c + ⌈log2 n⌉)·ε·Σ|x_i|` where `ε` is the unit roundoff of the
//! accumulator type and `c` is the length of the sequential part: `c =
//! BLOCK / LANES + log2(LANES) = 37` along a contiguous run, at most
//! [`MAX_ROW_LEAF`] across rows, and the run length plus 37 for strided runs.
//! The split points depend only on the sizes, never on the thread count, so
//! results are bitwise reproducible however many threads run them.
//!
//! # Threads
//!
//! Work above [`PAR_THRESHOLD`] elements is split with rayon: across output
//! elements when there are many, and inside the pairwise recursion (the two
//! halves of a split run on two threads) when there are few.

use crate::elementwise::Operand;
use crate::layout::size;
use crate::simd;

/// Independent accumulators in the innermost fold: enough for LLVM to fill
/// several SIMD registers (16 `f32` make one AVX-512 register, 32 keep two
/// AVX2 or eight SSE add pipelines busy).
pub const LANES: usize = 32;
/// Elements folded sequentially (per lane `BLOCK / LANES`) before pairwise
/// merging takes over.
pub const BLOCK: usize = 1024;
/// Most rows folded sequentially into one row of accumulators.
pub const MAX_ROW_LEAF: usize = 256;
/// Elements above which a reduction uses every core. Reductions read and
/// never write, so a task must be larger than an elementwise one to pay for
/// itself.
pub const PAR_THRESHOLD: usize = 1 << 18;
/// Columns per tile when folding across rows: 2 KiB of `f32` accumulators,
/// comfortably inside L1 together with the rows being read.
const TILE: usize = 512;

/// A fold of elements of type `T` into an accumulator.
///
/// `merge` must be associative (up to floating-point rounding) with
/// `identity` as its neutral element, and `step(acc, x, p)` must equal
/// `merge(acc, step(identity, x, p))`: the loops are free to regroup.
pub trait Reduction<T>: Sync {
    /// The running value (a sum, a product, a maximum, a flag…).
    type Acc: Copy + Send + Sync;
    /// A value fixed per output element (the mean, for a sum of squared
    /// deviations); `()` for most reductions.
    type Param: Copy + Send + Sync + Default;
    /// The accumulator of an empty fold.
    fn identity(&self) -> Self::Acc;
    /// Folds one element in.
    fn step(&self, acc: Self::Acc, x: T, p: Self::Param) -> Self::Acc;
    /// Combines two accumulators (the left one folded earlier elements).
    fn merge(&self, a: Self::Acc, b: Self::Acc) -> Self::Acc;
}

/// Length of the left part when splitting `n` elements pairwise: a power of
/// two, so that every left leaf is a full block.
fn split(n: usize) -> usize {
    n.div_ceil(2).next_power_of_two()
}

/// Folds the index range `lo..hi` pairwise: ranges of at most `leaf_len`
/// go to `leaf`, larger ones are split and their results merged (`merge`'s
/// left argument comes from the lower indices); halves of at least
/// `par_len` run on two threads. The split points (the left part is a
/// power of two) depend only on the range and `leaf_len`, so the result
/// does not depend on the number of threads. An empty range is one empty
/// leaf; a `leaf_len` of 0 counts as 1.
///
/// `leaf` and `merge` are trait objects: they run once per leaf of at least
/// a block of elements, so the indirect call costs nothing measurable, and
/// the threading machinery is compiled once per accumulator type instead of
/// once per reduction.
pub fn pairwise<A: Send>(
    lo: usize,
    hi: usize,
    leaf_len: usize,
    par_len: usize,
    leaf: &(dyn Fn(usize, usize) -> A + Sync),
    merge: &(dyn Fn(A, A) -> A + Sync),
) -> A {
    let n = hi - lo;
    if n < par_len || n <= leaf_len.max(1) {
        return pairwise_serial(lo, hi, leaf_len, leaf, merge);
    }
    let split = |lo: usize, hi: usize| {
        let n = hi - lo;
        (n >= par_len && n > leaf_len.max(1)).then(|| lo + split(n))
    };
    crate::par::fold_tree(lo, hi, &split, &|lo, hi| pairwise_serial(lo, hi, leaf_len, leaf, merge), merge)
}

/// [`pairwise`] on the calling thread alone.
fn pairwise_serial<A>(
    lo: usize,
    hi: usize,
    leaf_len: usize,
    leaf: &dyn Fn(usize, usize) -> A,
    merge: &dyn Fn(A, A) -> A,
) -> A {
    let n = hi - lo;
    if n <= leaf_len.max(1) {
        return leaf(lo, hi);
    }
    let mid = lo + split(n);
    merge(pairwise_serial(lo, mid, leaf_len, leaf, merge), pairwise_serial(mid, hi, leaf_len, leaf, merge))
}

/// Calls `f(first, chunk)` for consecutive chunks of `out` of `chunk`
/// elements (`first` is the chunk's starting index), on every core when
/// `par`. Compiled once per element type (see [`pairwise`]).
fn for_chunks<A: Send>(out: &mut [A], chunk: usize, par: bool, f: &(dyn Fn(usize, &mut [A]) + Sync)) {
    if par {
        crate::par::for_each_chunk(out, chunk, f);
    } else {
        out.chunks_mut(chunk).enumerate().for_each(|(c, part)| f(c * chunk, part));
    }
}

/// Output elements per parallel task: enough work to amortise the task
/// (a quarter of [`PAR_THRESHOLD`] elements) and at least two tasks per
/// thread to balance.
fn per_task(n_out: usize, work_per_out: usize) -> usize {
    (PAR_THRESHOLD / 4 / work_per_out.max(1)).clamp(1, n_out.div_ceil(2 * rayon::current_num_threads()).max(1))
}

/// Merges `L` accumulators in a balanced tree.
#[inline(always)]
fn merge_lanes<T, R: Reduction<T>, const L: usize>(r: &R, mut acc: [R::Acc; L]) -> R::Acc {
    let mut w = L;
    while w > 1 {
        w /= 2;
        for k in 0..w {
            acc[k] = r.merge(acc[k], acc[k + w]);
        }
    }
    acc[0]
}

/// `L` independent accumulators, each taking every `L`-th element, so the
/// loop body is a vector operation.
#[inline(always)]
fn fold_lanes<T: Copy, R: Reduction<T>, const L: usize>(r: &R, xs: &[T], p: R::Param) -> R::Acc {
    let mut acc = [r.identity(); L];
    let mut chunks = xs.chunks_exact(L);
    for c in &mut chunks {
        for k in 0..L {
            acc[k] = r.step(acc[k], c[k], p);
        }
    }
    let mut tail = r.identity();
    for &x in chunks.remainder() {
        tail = r.step(tail, x, p);
    }
    r.merge(merge_lanes(r, acc), tail)
}

/// One block of a contiguous fold: [`LANES`] accumulators, or 8 for short
/// runs (a row of a narrow matrix), where merging 32 lanes would cost more
/// than the loop.
#[inline(always)]
fn fold_block<T: Copy, R: Reduction<T>>(r: &R, xs: &[T], p: R::Param) -> R::Acc {
    if xs.len() < 4 * LANES { fold_lanes::<T, R, 8>(r, xs, p) } else { fold_lanes::<T, R, LANES>(r, xs, p) }
}

/// Folds a contiguous slice: [`fold_block`] leaves under a pairwise
/// recursion, threaded above [`PAR_THRESHOLD`].
pub fn fold_contiguous<T: Copy + Sync, R: Reduction<T>>(r: &R, xs: &[T], p: R::Param) -> R::Acc {
    if xs.len() <= BLOCK {
        // Short runs skip the recursion.
        return simd::dispatch(
            #[inline(always)]
            || fold_block(r, xs, p),
        );
    }
    let leaf = |lo: usize, hi: usize| {
        simd::dispatch(
            #[inline(always)]
            || fold_block(r, &xs[lo..hi], p),
        )
    };
    pairwise(0, xs.len(), BLOCK, PAR_THRESHOLD, &leaf, &|a, b| r.merge(a, b))
}

/// Folds `n` elements `data[base + i·stride]` (the same tree as
/// [`fold_contiguous`], with gathered loads).
fn fold_strided<T: Copy + Sync, R: Reduction<T>>(
    r: &R,
    data: &[T],
    base: isize,
    n: usize,
    stride: isize,
    p: R::Param,
) -> R::Acc {
    if stride == 1 {
        return fold_contiguous(r, &data[base as usize..base as usize + n], p);
    }
    let leaf = |lo: usize, hi: usize| {
        let mut acc = [r.identity(); LANES];
        let mut i = lo;
        while i + LANES <= hi {
            for (k, a) in acc.iter_mut().enumerate() {
                *a = r.step(*a, data[(base + (i + k) as isize * stride) as usize], p);
            }
            i += LANES;
        }
        let mut tail = r.identity();
        for j in i..hi {
            tail = r.step(tail, data[(base + j as isize * stride) as usize], p);
        }
        r.merge(merge_lanes(r, acc), tail)
    };
    pairwise(0, n, BLOCK, PAR_THRESHOLD, &leaf, &|a, b| r.merge(a, b))
}

/// An odometer over a strided layout: the element offset of successive
/// flat (C-order) indices, without a division per step.
struct Walk<'a> {
    shape: &'a [usize],
    strides: &'a [isize],
    idx: Vec<usize>,
    pos: isize,
}

impl<'a> Walk<'a> {
    /// Starts at flat index `flat`.
    fn new(shape: &'a [usize], strides: &'a [isize], mut flat: usize) -> Self {
        let mut idx = vec![0; shape.len()];
        let mut pos = 0isize;
        for k in (0..shape.len()).rev() {
            idx[k] = flat % shape[k];
            flat /= shape[k];
            pos += idx[k] as isize * strides[k];
        }
        Walk { shape, strides, idx, pos }
    }

    /// Moves to the next flat index.
    #[inline]
    fn advance(&mut self) {
        for k in (0..self.shape.len()).rev() {
            self.idx[k] += 1;
            self.pos += self.strides[k];
            if self.idx[k] < self.shape[k] {
                return;
            }
            self.pos -= self.strides[k] * self.shape[k] as isize;
            self.idx[k] = 0;
        }
    }
}

/// One axis of a normalised layout.
#[derive(Clone, Copy, Debug)]
struct Axis {
    len: usize,
    /// Input stride (elements).
    stride: isize,
    /// Output stride (elements; 0 for reduced axes).
    out: isize,
}

/// The reduced axes as one strided block: ordered outermost first by
/// stride, flipped to positive strides (moving `base`), merged where
/// contiguous. Never empty: a reduction over nothing is one axis of length 1.
fn normalise_reduced(mut axes: Vec<Axis>, base: &mut isize) -> (Vec<usize>, Vec<isize>) {
    for a in &mut axes {
        if a.stride < 0 {
            *base += (a.len as isize - 1) * a.stride;
            a.stride = -a.stride;
        }
    }
    axes.sort_by_key(|a| std::cmp::Reverse(a.stride));
    let (mut shape, mut strides): (Vec<usize>, Vec<isize>) = (Vec::new(), Vec::new());
    for a in axes {
        if let (Some(d), Some(s)) = (shape.last_mut(), strides.last_mut())
            && *s == a.stride * a.len as isize
        {
            *d *= a.len;
            *s = a.stride;
            continue;
        }
        shape.push(a.len);
        strides.push(a.stride);
    }
    if shape.is_empty() {
        shape.push(1);
        strides.push(0);
    }
    (shape, strides)
}

fn param<P: Copy + Default>(params: Option<&[P]>, i: usize) -> P {
    params.map_or_else(P::default, |p| p[i])
}

/// Reduces the layout `(shape, src.strides, src.offset)` over the axes where
/// `reduced[k]` is true, writing one accumulator per kept position into
/// `out` in C order of the kept axes (`out.len()` is the product of the
/// kept lengths). `params`, if given, holds one [`Reduction::Param`] per
/// output element. A reduction over zero elements yields the identity.
pub fn reduce<T, R>(
    src: Operand<'_, T>,
    shape: &[usize],
    reduced: &[bool],
    r: &R,
    params: Option<&[R::Param]>,
    out: &mut [R::Acc],
) where
    T: Copy + Send + Sync,
    R: Reduction<T>,
{
    debug_assert_eq!(shape.len(), reduced.len());
    debug_assert_eq!(shape.len(), src.strides.len());
    if out.is_empty() {
        return;
    }
    if size(shape) == 0 {
        out.fill(r.identity());
        return;
    }
    // Output strides: C order over the kept axes.
    let mut axes: Vec<(Axis, bool)> = Vec::with_capacity(shape.len());
    let mut acc = 1isize;
    for k in (0..shape.len()).rev() {
        let out_stride = if reduced[k] { 0 } else { acc };
        if !reduced[k] {
            acc *= shape[k] as isize;
        }
        if shape[k] != 1 {
            axes.push((Axis { len: shape[k], stride: src.strides[k], out: out_stride }, reduced[k]));
        }
    }
    axes.reverse();
    let kept: Vec<Axis> = axes.iter().filter(|(_, red)| !red).map(|(a, _)| *a).collect();
    let mut base = src.offset as isize;
    let (rshape, rstrides) =
        normalise_reduced(axes.iter().filter(|(_, red)| *red).map(|(a, _)| *a).collect(), &mut base);
    let inner_reduced = *rstrides.last().expect("never empty");
    // Strategy 2 when a kept axis is laid out more tightly than every
    // reduced one (and there is more than one row to fold).
    let tightest = (0..kept.len()).min_by_key(|&k| kept[k].stride.unsigned_abs());
    match tightest {
        Some(k) if size(&rshape) > 1 && kept[k].stride.unsigned_abs() < inner_reduced.unsigned_abs() => {
            across_rows(src.data, &kept, k, &rshape, &rstrides, base, r, params, out);
        }
        _ => along_runs(src.data, &kept, &rshape, &rstrides, base, r, params, out),
    }
}

/// Strategy 1: each output element folds its own block of elements.
#[allow(clippy::too_many_arguments)]
fn along_runs<T, R>(
    data: &[T],
    kept: &[Axis],
    rshape: &[usize],
    rstrides: &[isize],
    base: isize,
    r: &R,
    params: Option<&[R::Param]>,
    out: &mut [R::Acc],
) where
    T: Copy + Send + Sync,
    R: Reduction<T>,
{
    let kshape: Vec<usize> = kept.iter().map(|a| a.len).collect();
    let kstrides: Vec<isize> = kept.iter().map(|a| a.stride).collect();
    let nd = rshape.len();
    let (run_len, run_stride) = (rshape[nd - 1], rstrides[nd - 1]);
    let (oshape, ostrides) = (&rshape[..nd - 1], &rstrides[..nd - 1]);
    let n_runs = size(oshape);
    let block = size(rshape);
    // Fold one output's block: runs merged pairwise, several short runs
    // per leaf so that a leaf holds about BLOCK elements.
    let fold_one = |start: isize, p: R::Param| -> R::Acc {
        if n_runs == 1 {
            return fold_strided(r, data, start, run_len, run_stride, p);
        }
        let runs_per_leaf = (BLOCK / run_len).max(1);
        let leaf = |lo: usize, hi: usize| {
            let mut w = Walk::new(oshape, ostrides, lo);
            let mut acc = r.identity();
            for _ in lo..hi {
                acc = r.merge(acc, fold_strided(r, data, start + w.pos, run_len, run_stride, p));
                w.advance();
            }
            acc
        };
        let par_runs = (PAR_THRESHOLD / run_len).max(2);
        pairwise(0, n_runs, runs_per_leaf, par_runs, &leaf, &|a, b| r.merge(a, b))
    };
    // Each output one short contiguous run (the rows of a narrow matrix):
    // one vectorised loop over the outputs, without the recursion's setup
    // per output.
    let short_rows = n_runs == 1 && run_stride == 1 && run_len <= BLOCK;
    let work = |first: usize, chunk: &mut [R::Acc]| {
        let mut w = Walk::new(&kshape, &kstrides, first);
        if short_rows {
            simd::dispatch(
                #[inline(always)]
                || {
                    for (i, o) in chunk.iter_mut().enumerate() {
                        let start = (base + w.pos) as usize;
                        *o = fold_block(r, &data[start..start + run_len], param(params, first + i));
                        w.advance();
                    }
                },
            );
            return;
        }
        for (i, o) in chunk.iter_mut().enumerate() {
            *o = fold_one(base + w.pos, param(params, first + i));
            w.advance();
        }
    };
    let n_out = out.len();
    let par = n_out > 1 && n_out * block >= PAR_THRESHOLD;
    for_chunks(out, if par { per_task(n_out, block) } else { n_out }, par, &work);
}

/// Strategy 2: the kept axis `kept[k_in]` is innermost in memory; fold
/// whole rows of it into a row of accumulators.
#[allow(clippy::too_many_arguments)]
fn across_rows<T, R>(
    data: &[T],
    kept: &[Axis],
    k_in: usize,
    rshape: &[usize],
    rstrides: &[isize],
    base: isize,
    r: &R,
    params: Option<&[R::Param]>,
    out: &mut [R::Acc],
) where
    T: Copy + Send + Sync,
    R: Reduction<T>,
{
    let inner = kept[k_in];
    let outer: Vec<Axis> = kept.iter().enumerate().filter(|&(k, _)| k != k_in).map(|(_, a)| *a).collect();
    let oshape: Vec<usize> = outer.iter().map(|a| a.len).collect();
    let oin: Vec<isize> = outer.iter().map(|a| a.stride).collect();
    let oout: Vec<isize> = outer.iter().map(|a| a.out).collect();
    let n_rows = size(rshape);
    let len = inner.len;
    // Work order is (outer position, j); it is the output order when the
    // inner axis is the last kept axis.
    let direct = inner.out == 1 && k_in == kept.len() - 1;
    let fold_tile = |in_base: isize, out_base: isize, c0: usize, tile: &mut [R::Acc]| {
        let w = tile.len();
        let ps: Vec<R::Param> =
            (0..w).map(|j| param(params, (out_base + (c0 + j) as isize * inner.out) as usize)).collect();
        let start = in_base + c0 as isize * inner.stride;
        let leaf = |lo: usize, hi: usize| {
            let mut acc = vec![r.identity(); w];
            if inner.stride == 1 {
                let rows = Rows { data, start, shape: rshape, strides: rstrides, lo, hi };
                simd::dispatch(
                    #[inline(always)]
                    || fold_rows(&rows, r, &ps, &mut acc),
                );
                return acc;
            }
            let mut walk = Walk::new(rshape, rstrides, lo);
            for _ in lo..hi {
                let off = start + walk.pos;
                for (j, (a, &p)) in acc.iter_mut().zip(&ps).enumerate() {
                    *a = r.step(*a, data[(off + j as isize * inner.stride) as usize], p);
                }
                walk.advance();
            }
            acc
        };
        let merge = |mut a: Vec<R::Acc>, b: Vec<R::Acc>| {
            for (x, y) in a.iter_mut().zip(b) {
                *x = r.merge(*x, y);
            }
            a
        };
        // Leaves of 16 Ki elements (at most MAX_ROW_LEAF rows) amortise
        // the leaf's allocation and setup.
        let leaf_rows = (16 * BLOCK / w).clamp(8, MAX_ROW_LEAF);
        let par_rows = (PAR_THRESHOLD / w).max(2);
        tile.copy_from_slice(&pairwise(0, n_rows, leaf_rows, par_rows, &leaf, &merge));
    };
    let n_pos = size(&oshape);
    let par = n_pos * len * n_rows >= PAR_THRESHOLD;
    let per_pos = |pos: usize, row_out: &mut [R::Acc]| {
        let walk_in = Walk::new(&oshape, &oin, pos);
        let walk_out = Walk::new(&oshape, &oout, pos);
        let (in_base, out_base) = (base + walk_in.pos, walk_out.pos);
        for_chunks(row_out, TILE, par && len > TILE, &|c0, tile| fold_tile(in_base, out_base, c0, tile));
    };
    let run = |dst: &mut [R::Acc]| for_chunks(dst, len, par && n_pos > 1, &|first, row| per_pos(first / len, row));
    if direct {
        run(out);
    } else {
        let mut work = vec![r.identity(); out.len()];
        run(&mut work);
        let mut walk_out = Walk::new(&oshape, &oout, 0);
        for row in work.chunks(len) {
            for (j, &v) in row.iter().enumerate() {
                out[(walk_out.pos + j as isize * inner.out) as usize] = v;
            }
            walk_out.advance();
        }
    }
}

/// Rows `lo..hi` of a fold across rows: row `i` starts at
/// `start + walk(i)` in `data` (the walk over the reduced `shape` and
/// `strides`) and its columns are contiguous.
struct Rows<'a, T> {
    data: &'a [T],
    start: isize,
    shape: &'a [usize],
    strides: &'a [isize],
    lo: usize,
    hi: usize,
}

/// Columns per register tile in [`fold_rows`]: a whole row of a 64-column
/// matrix, 256 bytes of `f32` accumulators (8 AVX2 registers) or 512 of
/// `f64`. Narrower tiles were slower on 64 columns of `f64` (`mean` along
/// axis 0 took 1.7× the row-by-row time with tiles of 32 columns, 0.9×
/// with 64): two tiles make two strided passes over each block of rows
/// instead of one sequential pass.
const TILE_COLS: usize = 64;

/// `acc[j] = step(acc[j], row[j], ps[j])` for every row of `rows` in order
/// and every column `j < acc.len()`. The columns are folded in tiles of
/// [`TILE_COLS`] whose accumulators (and parameters) stay in registers for
/// all the rows, so that the loop-carried dependency is an add, not a
/// store and a reload of `acc` per row: `var`'s second pass over a block
/// in L2 ran 3× faster, `std` along axis 0 of 1M×64 `f32` 1.4×
/// (`docs/decisions.md`). Per column the steps are the same, in the same
/// order, as row by row, so the bits do not change. Accumulators larger
/// than 8 bytes (complex `f64`, sums with counts) fold row by row.
#[inline(always)]
fn fold_rows<T: Copy, R: Reduction<T>>(rows: &Rows<'_, T>, r: &R, ps: &[R::Param], acc: &mut [R::Acc]) {
    if std::mem::size_of::<R::Acc>() <= 8 {
        fold_rows_tiled::<T, R, TILE_COLS>(rows, r, ps, acc);
    } else {
        fold_rows_tiled::<T, R, 0>(rows, r, ps, acc);
    }
}

/// [`fold_rows`] with tiles of `W` columns (`W = 0`: no tiles, row by row
/// over all columns); the columns past the last whole tile are folded row
/// by row.
#[inline(always)]
fn fold_rows_tiled<T: Copy, R: Reduction<T>, const W: usize>(
    rows: &Rows<'_, T>,
    r: &R,
    ps: &[R::Param],
    acc: &mut [R::Acc],
) {
    let w = acc.len();
    let whole = if W == 0 { 0 } else { w - w % W };
    for c0 in (0..whole).step_by(W.max(1)) {
        let mut a: [R::Acc; W] = std::array::from_fn(|j| acc[c0 + j]);
        let p: [R::Param; W] = std::array::from_fn(|j| ps[c0 + j]);
        let mut walk = Walk::new(rows.shape, rows.strides, rows.lo);
        for _ in rows.lo..rows.hi {
            let off = (rows.start + walk.pos) as usize + c0;
            let x: &[T; W] = rows.data[off..off + W].try_into().expect("W elements");
            for j in 0..W {
                a[j] = r.step(a[j], x[j], p[j]);
            }
            walk.advance();
        }
        acc[c0..c0 + W].copy_from_slice(&a);
    }
    if whole < w {
        let (acc, ps) = (&mut acc[whole..], &ps[whole..]);
        let n = acc.len();
        let mut walk = Walk::new(rows.shape, rows.strides, rows.lo);
        for _ in rows.lo..rows.hi {
            let off = (rows.start + walk.pos) as usize + whole;
            for ((a, &x), &p) in acc.iter_mut().zip(&rows.data[off..off + n]).zip(ps) {
                *a = r.step(*a, x, p);
            }
            walk.advance();
        }
    }
}

/// Elements per chunk of the vectorised search in [`arg_reduce`].
const SEARCH_CHUNK: usize = 1024;

/// The order an arg-search uses: the first element for which `nan` holds
/// wins outright (NumPy's argmax returns the first NaN); otherwise the
/// first element that no other is strictly `better` than.
#[derive(Clone, Copy)]
struct Order<B, N> {
    better: B,
    nan: N,
}

impl<B, N> Order<B, N> {
    /// Whether `x` replaces the current best `cur` in a sequential scan.
    #[inline(always)]
    fn replaces<T: Copy>(&self, cur: T, x: T) -> bool
    where
        B: Fn(T, T) -> bool,
        N: Fn(T) -> bool,
    {
        !(self.nan)(cur) & ((self.nan)(x) | (self.better)(cur, x))
    }
}

/// The best of a part of a search: value, index, whether it is a NaN.
type Found<T> = (T, usize, bool);

/// Splits a contiguous search across threads above [`PAR_THRESHOLD`]
/// (`search` does each part); between parts a NaN wins, then the better
/// value, then the earlier part.
fn arg_split<T: Copy + Send + Sync>(
    xs: &[T],
    search: &(dyn Fn(&[T]) -> Found<T> + Sync),
    better: &(dyn Fn(T, T) -> bool + Sync),
) -> Found<T> {
    if xs.len() < PAR_THRESHOLD {
        return search(xs);
    }
    let parts = |lo: usize, hi: usize| (hi - lo >= PAR_THRESHOLD).then(|| lo + split(hi - lo));
    let part = |lo: usize, hi: usize| {
        let (v, i, nan) = search(&xs[lo..hi]);
        (v, i + lo, nan)
    };
    let merge = |a: Found<T>, b: Found<T>| if !a.2 && (b.2 || better(a.0, b.0)) { b } else { a };
    crate::par::fold_tree(0, xs.len(), &parts, &part, &merge)
}

/// The first best element of a contiguous slice. Each chunk of
/// [`SEARCH_CHUNK`] elements is scanned with `LANES` independent candidates
/// and NaN flags — a vector compare, blend and or — and folded to its best;
/// the search remembers the first chunk whose best beat every earlier one
/// and finds the position there once, at the end (a chunk holding a NaN
/// ends the search at once: the first NaN wins). Short slices take a plain
/// scan. (Keeping each lane's index in the loop, as NumPy's SIMD argmax
/// does, stopped LLVM from vectorising it: 5× slower.)
#[inline(always)]
fn arg_chunks<T: Copy, B: Fn(T, T) -> bool, N: Fn(T) -> bool>(xs: &[T], order: &Order<B, N>) -> Found<T> {
    let (better, nan) = (&order.better, &order.nan);
    if xs.len() < 2 * LANES {
        let (mut best, mut at) = (xs[0], 0usize);
        for (i, &x) in xs.iter().enumerate().skip(1) {
            if order.replaces(best, x) {
                best = x;
                at = i;
            }
        }
        return (best, at, nan(best));
    }
    let (mut best, mut best_chunk) = (xs[0], 0usize);
    for (ci, chunk) in xs.chunks(SEARCH_CHUNK).enumerate() {
        let mut lanes = [chunk[0]; LANES];
        let mut nans = [false; LANES];
        let mut groups = chunk.chunks_exact(LANES);
        for g in &mut groups {
            for k in 0..LANES {
                lanes[k] = if better(lanes[k], g[k]) { g[k] } else { lanes[k] };
                nans[k] |= nan(g[k]);
            }
        }
        let mut m = lanes[0];
        let mut any_nan = nan(chunk[0]) | nans.iter().fold(false, |a, &b| a | b);
        for &x in lanes[1..].iter().chain(groups.remainder()) {
            any_nan |= nan(x);
            if better(m, x) {
                m = x;
            }
        }
        if any_nan {
            let i = chunk.iter().position(|&x| nan(x)).expect("the chunk holds a NaN");
            return (chunk[i], ci * SEARCH_CHUNK + i, true);
        }
        if better(best, m) {
            best = m;
            best_chunk = ci;
        }
    }
    // Every earlier chunk is strictly worse, so the first equal element of
    // this one is the first best of all.
    let start = best_chunk * SEARCH_CHUNK;
    let chunk = &xs[start..xs.len().min(start + SEARCH_CHUNK)];
    let same = |x: T| !better(x, best) && !better(best, x);
    let i = chunk.iter().position(|&x| same(x)).expect("the chunk holds its best");
    (best, start + i, false)
}

/// Index of the first best of `n >= 1` elements `data[base + i·stride]`.
fn arg_strided<T, B, N>(data: &[T], base: isize, n: usize, stride: isize, order: &Order<B, N>) -> usize
where
    T: Copy + Send + Sync,
    B: Fn(T, T) -> bool + Sync,
    N: Fn(T) -> bool + Sync,
{
    if stride == 1 {
        let xs = &data[base as usize..base as usize + n];
        let search = |part: &[T]| {
            simd::dispatch(
                #[inline(always)]
                || arg_chunks(part, order),
            )
        };
        return arg_split(xs, &search, &|a, b| (order.better)(a, b)).1;
    }
    let (mut best, mut at) = (data[base as usize], 0);
    for i in 1..n {
        let x = data[(base + i as isize * stride) as usize];
        if order.replaces(best, x) {
            best = x;
            at = i;
        }
    }
    at
}

/// For every position of the other axes, the index along `axis` of the
/// first NaN (the first element for which `nan` holds), or if there is
/// none, of the first element that no other element is `better` than:
/// `better(cur, x)` says whether `x` is strictly better than `cur`. So
/// NumPy's argmax is `better = |c, x| x > c` with `nan = is_nan`. Writes
/// `out` in C order of the remaining axes. The axis must not be empty
/// unless `out` is.
pub fn arg_reduce<T: Copy + Send + Sync>(
    src: Operand<'_, T>,
    shape: &[usize],
    axis: usize,
    better: impl Fn(T, T) -> bool + Sync,
    nan: impl Fn(T) -> bool + Sync,
    out: &mut [i64],
) {
    if out.is_empty() {
        return;
    }
    let order = Order { better, nan };
    let (n, stride) = (shape[axis], src.strides[axis]);
    assert!(n > 0, "arg_reduce over an empty axis");
    let mut kept: Vec<Axis> = Vec::new();
    let mut acc = 1isize;
    for k in (0..shape.len()).rev() {
        if k != axis {
            if shape[k] != 1 {
                kept.push(Axis { len: shape[k], stride: src.strides[k], out: acc });
            }
            acc *= shape[k] as isize;
        }
    }
    kept.reverse();
    let base = src.offset as isize;
    let data = src.data;
    let tightest = (0..kept.len()).min_by_key(|&k| kept[k].stride.unsigned_abs());
    match tightest {
        Some(k_in) if n > 1 && kept[k_in].stride.unsigned_abs() < stride.unsigned_abs() => {
            // Rows: keep a best value and index per column, in logical order.
            let inner = kept[k_in];
            let outer: Vec<Axis> = kept.iter().enumerate().filter(|&(k, _)| k != k_in).map(|(_, a)| *a).collect();
            let oshape: Vec<usize> = outer.iter().map(|a| a.len).collect();
            let oin: Vec<isize> = outer.iter().map(|a| a.stride).collect();
            let oout: Vec<isize> = outer.iter().map(|a| a.out).collect();
            let (mut win, mut wout) = (Walk::new(&oshape, &oin, 0), Walk::new(&oshape, &oout, 0));
            let mut vals: Vec<T> = Vec::with_capacity(TILE);
            let mut idx: Vec<i64> = Vec::with_capacity(TILE);
            for _ in 0..size(&oshape) {
                for c0 in (0..inner.len).step_by(TILE) {
                    let w = TILE.min(inner.len - c0);
                    let start = base + win.pos + c0 as isize * inner.stride;
                    let at =
                        |i: usize, j: usize| data[(start + i as isize * stride + j as isize * inner.stride) as usize];
                    vals.clear();
                    vals.extend((0..w).map(|j| at(0, j)));
                    idx.clear();
                    idx.resize(w, 0);
                    for i in 1..n {
                        for j in 0..w {
                            let x = at(i, j);
                            if order.replaces(vals[j], x) {
                                vals[j] = x;
                                idx[j] = i as i64;
                            }
                        }
                    }
                    for (j, &v) in idx.iter().enumerate() {
                        out[(wout.pos + (c0 + j) as isize * inner.out) as usize] = v;
                    }
                }
                win.advance();
                wout.advance();
            }
        }
        _ => {
            let kshape: Vec<usize> = kept.iter().map(|a| a.len).collect();
            let kstrides: Vec<isize> = kept.iter().map(|a| a.stride).collect();
            let work = |first: usize, chunk: &mut [i64]| {
                let mut w = Walk::new(&kshape, &kstrides, first);
                for o in chunk.iter_mut() {
                    *o = arg_strided(data, base + w.pos, n, stride, &order) as i64;
                    w.advance();
                }
            };
            let n_out = out.len();
            let par = n_out > 1 && n_out * n >= PAR_THRESHOLD;
            for_chunks(out, if par { per_task(n_out, n) } else { n_out }, par, &work);
        }
    }
}

/// Inclusive scan along the middle axis of a C-contiguous block of shape
/// `(outer, n, inner)`, in place: `x[o, i, :] = f(x[o, i-1, :], x[o, i, :])`
/// for `i = 1..n`. Rows are combined whole, so the loop vectorises across
/// `inner` (a scan along the last axis, `inner == 1`, is inherently
/// sequential).
pub fn scan<A: Copy + Send + Sync>(data: &mut [A], outer: usize, n: usize, inner: usize, f: impl Fn(A, A) -> A + Sync) {
    debug_assert_eq!(data.len(), outer * n * inner);
    if data.is_empty() {
        return;
    }
    let line = |block: &mut [A]| {
        if inner == 1 {
            for i in 1..n {
                block[i] = f(block[i - 1], block[i]);
            }
            return;
        }
        for i in 1..n {
            let (prev, cur) = block[(i - 1) * inner..(i + 1) * inner].split_at_mut(inner);
            for (c, &p) in cur.iter_mut().zip(prev.iter()) {
                *c = f(p, *c);
            }
        }
    };
    let block = n * inner;
    let par = data.len() >= PAR_THRESHOLD && outer > 1;
    let blocks_per_task = if par { per_task(outer, block) } else { outer };
    for_chunks(data, blocks_per_task * block, par, &|_, blocks| blocks.chunks_mut(block).for_each(line));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::c_strides;

    struct Sum;
    impl Reduction<f64> for Sum {
        type Acc = f64;
        type Param = ();
        fn identity(&self) -> f64 {
            0.0
        }
        fn step(&self, acc: f64, x: f64, _: ()) -> f64 {
            acc + x
        }
        fn merge(&self, a: f64, b: f64) -> f64 {
            a + b
        }
    }

    /// Sums with a parameter subtracted per output, to check the mapping
    /// of parameters to outputs in both strategies.
    struct Shifted;
    impl Reduction<i64> for Shifted {
        type Acc = i64;
        type Param = i64;
        fn identity(&self) -> i64 {
            0
        }
        fn step(&self, acc: i64, x: i64, p: i64) -> i64 {
            acc + x - p
        }
        fn merge(&self, a: i64, b: i64) -> i64 {
            a + b
        }
    }

    /// The obvious reduction: walk every element, accumulate per output.
    fn reference(
        data: &[i64],
        shape: &[usize],
        strides: &[isize],
        offset: usize,
        reduced: &[bool],
        p: &[i64],
    ) -> Vec<i64> {
        let kept: Vec<usize> = (0..shape.len()).filter(|&k| !reduced[k]).map(|k| shape[k]).collect();
        let mut out = vec![0i64; size(&kept)];
        let n = size(shape);
        let mut idx = vec![0usize; shape.len()];
        for _ in 0..n {
            let off = offset as isize + idx.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum::<isize>();
            let mut o = 0;
            for k in 0..shape.len() {
                if !reduced[k] {
                    o = o * shape[k] + idx[k];
                }
            }
            out[o] += data[off as usize] - p[o];
            for k in (0..shape.len()).rev() {
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    }

    #[test]
    fn every_layout_and_axis_set_matches_the_reference() {
        let data: Vec<i64> = (0..5000).map(|i| (i * 7919) % 1009).collect();
        let shapes: [&[usize]; 5] = [&[5], &[3, 4], &[2, 3, 4], &[7, 1, 300], &[40, 33]];
        for shape in shapes {
            let nd = shape.len();
            let c = c_strides(shape);
            // C order, reversed first axis, transposed (F order), a strided slice.
            let mut layouts: Vec<(Vec<isize>, usize)> = vec![(c.clone(), 0)];
            let mut rev = c.clone();
            rev[0] = -rev[0];
            layouts.push((rev, (shape[0] - 1) * c[0] as usize));
            layouts.push((crate::layout::f_strides(shape), 0));
            layouts.push((c.iter().map(|s| s * 2).collect(), 1));
            for (strides, offset) in &layouts {
                for mask in 0..(1u32 << nd) {
                    let reduced: Vec<bool> = (0..nd).map(|k| mask & (1 << k) != 0).collect();
                    let n_out: usize = (0..nd).filter(|&k| !reduced[k]).map(|k| shape[k]).product();
                    let p: Vec<i64> = (0..n_out as i64).map(|i| i % 5).collect();
                    let expect = reference(&data, shape, strides, *offset, &reduced, &p);
                    let mut out = vec![0i64; n_out];
                    let src = Operand { data: &data, strides, offset: *offset };
                    reduce(src, shape, &reduced, &Shifted, Some(&p), &mut out);
                    assert_eq!(out, expect, "shape {shape:?} strides {strides:?} reduced {reduced:?}");
                }
            }
        }
    }

    #[test]
    fn large_folds_split_across_threads_deterministically() {
        let n = 3 * PAR_THRESHOLD + 17;
        // Multiples of 1/2048 below 1: every partial sum is exact in f64.
        let exact: Vec<f64> = (0..n).map(|i| ((i % 1000) as f64 - 499.5) / 1024.0).collect();
        let expect: f64 = exact.iter().sum();
        let mut out = [0.0];
        reduce(Operand { data: &exact, strides: &[1], offset: 0 }, &[n], &[true], &Sum, None, &mut out);
        assert_eq!(out[0], expect);
        // Rows: a tall matrix reduced along axis 0.
        let (rows, cols) = (n / 10, 10);
        let mut out = vec![0.0; cols];
        let src = Operand { data: &exact[..rows * cols], strides: &[cols as isize, 1], offset: 0 };
        reduce(src, &[rows, cols], &[true, false], &Sum, None, &mut out);
        for (j, &o) in out.iter().enumerate() {
            assert_eq!(o, (0..rows).map(|i| exact[i * cols + j]).sum::<f64>());
        }
        // Inexact values: the same bits on one thread as on all of them.
        let inexact: Vec<f64> = (0..n).map(|i| (i as f64 * 0.1).sin()).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        for (shape, strides, reduced) in
            [(vec![n], vec![1], vec![true]), (vec![rows, cols], vec![cols as isize, 1], vec![true, false])]
        {
            let len = if shape.len() == 1 { 1 } else { cols };
            let src = Operand { data: &inexact, strides: &strides, offset: 0 };
            let (mut many, mut one) = (vec![0.0; len], vec![0.0; len]);
            reduce(src, &shape, &reduced, &Sum, None, &mut many);
            pool.install(|| reduce(src, &shape, &reduced, &Sum, None, &mut one));
            assert_eq!(
                many.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                one.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    struct SumF32;
    impl Reduction<f32> for SumF32 {
        type Acc = f32;
        type Param = f32;
        fn identity(&self) -> f32 {
            0.0
        }
        fn step(&self, acc: f32, x: f32, p: f32) -> f32 {
            acc + (x - p)
        }
        fn merge(&self, a: f32, b: f32) -> f32 {
            a + b
        }
    }

    /// `Σ (x - p)²` with the parameter `p` per output (`var`'s second pass).
    struct SumSq;
    impl Reduction<f32> for SumSq {
        type Acc = f32;
        type Param = f32;
        fn identity(&self) -> f32 {
            0.0
        }
        fn step(&self, acc: f32, x: f32, p: f32) -> f32 {
            let d = x - p;
            acc + d * d
        }
        fn merge(&self, a: f32, b: f32) -> f32 {
            a + b
        }
    }

    /// The rows of a narrow matrix are folded in one loop over the rows;
    /// each must get the bits of folding it alone (`fold_block`, what a 1-D
    /// run of the same length gets), with its own parameter, at every SIMD
    /// level, in C order and with the rows reversed.
    #[test]
    fn short_rows_fold_with_the_bits_of_one_row_at_a_time() {
        use crate::simd::{self, Level};
        for level in [Level::Baseline, Level::Avx2, Level::Avx512] {
            simd::set_max_level(Some(level));
            for len in [1usize, 3, 7, 8, 9, 31, 64, 65, 127, 128, 200] {
                for rows in [1usize, 3, 4, 5, 9, 4099] {
                    let data: Vec<f32> =
                        (0..rows * len).map(|i| ((i as f32) * 0.37).sin() * 1e3 + (i % 7) as f32 * 1e-3).collect();
                    let ps: Vec<f32> = (0..rows).map(|i| (i % 5) as f32 * 0.25).collect();
                    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    let expect: Vec<f32> =
                        (0..rows).map(|i| fold_block(&SumF32, &data[i * len..(i + 1) * len], ps[i])).collect();
                    let mut out = vec![0.0f32; rows];
                    let src = Operand { data: &data, strides: &[len as isize, 1], offset: 0 };
                    reduce(src, &[rows, len], &[false, true], &SumF32, Some(&ps), &mut out);
                    assert_eq!(bits(&out), bits(&expect), "{rows} rows of {len} at {level:?}");
                    // Rows reversed: row i of the view is row rows-1-i of the data.
                    let src = Operand { data: &data, strides: &[-(len as isize), 1], offset: (rows - 1) * len };
                    reduce(src, &[rows, len], &[false, true], &SumF32, Some(&ps), &mut out);
                    let expect: Vec<f32> = (0..rows)
                        .map(|i| {
                            let r = rows - 1 - i;
                            fold_block(&SumF32, &data[r * len..(r + 1) * len], ps[i])
                        })
                        .collect();
                    assert_eq!(bits(&out), bits(&expect), "{rows} reversed rows of {len} at {level:?}");
                }
            }
        }
        simd::set_max_level(None);
    }

    /// Folding across rows in register tiles gives, per column, the bits
    /// of folding row by row: widths around the tile, a tail, rows walked
    /// over two reduced axes with a gap, at every SIMD level.
    #[test]
    fn register_tiles_fold_with_the_bits_of_row_by_row() {
        use crate::simd::{self, Level};
        let data: Vec<f32> = (0..200_000).map(|i| ((i as f32) * 0.377).sin() * 1e2 + (i % 11) as f32).collect();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for level in [Level::Baseline, Level::Avx2, Level::Avx512] {
            simd::set_max_level(Some(level));
            for w in [1usize, 63, 64, 65, 128, 130, 200] {
                // Rows walked over (3, 17): row (i, k) at 1000·i + (w + 3)·k.
                let (shape, strides) = ([3usize, 17], [1000isize * 4, (w + 3) as isize]);
                for (lo, hi) in [(0usize, 51usize), (5, 40), (7, 7)] {
                    let rows = Rows { data: &data, start: 11, shape: &shape, strides: &strides, lo, hi };
                    let ps: Vec<f32> = (0..w).map(|j| (j % 7) as f32 * 1.5).collect();
                    let init: Vec<f32> = (0..w).map(|j| j as f32 * 0.25).collect();
                    let (mut tiled, mut plain) = (init.clone(), init.clone());
                    simd::dispatch(
                        #[inline(always)]
                        || fold_rows(&rows, &SumSq, &ps, &mut tiled),
                    );
                    fold_rows_tiled::<f32, SumSq, 0>(&rows, &SumSq, &ps, &mut plain);
                    assert_eq!(bits(&tiled), bits(&plain), "width {w}, rows {lo}..{hi} at {level:?}");
                }
            }
            // Through `reduce`: a C-order matrix of 200 columns folded along
            // axis 0 equals the plain sequential sum of each column.
            let (n, w) = (700usize, 200usize);
            let ps: Vec<f32> = (0..w).map(|j| (j % 3) as f32).collect();
            let mut out = vec![0.0f32; w];
            let src = Operand { data: &data[..n * w], strides: &[w as isize, 1], offset: 0 };
            reduce(src, &[n, w], &[true, false], &SumSq, Some(&ps), &mut out);
            let mut plain = vec![0.0f32; w];
            let rows = Rows { data: &data, start: 0, shape: &[n], strides: &[w as isize], lo: 0, hi: n };
            let leaf = (16 * BLOCK / w).clamp(8, MAX_ROW_LEAF);
            let fold = |lo: usize, hi: usize| {
                let mut acc = vec![0.0f32; w];
                fold_rows_tiled::<f32, SumSq, 0>(&Rows { lo, hi, ..rows }, &SumSq, &ps, &mut acc);
                acc
            };
            let merged = pairwise(0, n, leaf, usize::MAX, &fold, &|mut a: Vec<f32>, b: Vec<f32>| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            });
            plain.copy_from_slice(&merged);
            assert_eq!(bits(&out), bits(&plain), "reduce of {n}×{w} at {level:?}");
        }
        simd::set_max_level(None);
    }

    #[test]
    fn empty_reductions_give_the_identity() {
        let data = [1.0f64];
        let mut out = [9.0; 3];
        reduce(Operand { data: &data, strides: &[0, 1], offset: 0 }, &[3, 0], &[false, true], &Sum, None, &mut out);
        assert_eq!(out, [0.0; 3]);
    }

    #[test]
    fn search_finds_the_first_best() {
        let order = Order { better: |c: f32, x: f32| x > c, nan: |x: f32| x.is_nan() };
        let search = |xs: &[f32]| arg_strided(xs, 0, xs.len(), 1, &order);
        for n in [1usize, 5, 31, 32, 33, 1024, 1025, 5000, PAR_THRESHOLD + 9] {
            let mut xs: Vec<f32> = (0..n).map(|i| ((i * 37) % 101) as f32).collect();
            let expect = xs.iter().enumerate().fold(0, |b, (i, &x)| if order.replaces(xs[b], x) { i } else { b });
            assert_eq!(search(&xs), expect, "n = {n}");
            if n > 3 {
                xs[n - 2] = f32::NAN;
                xs[n - 1] = f32::NAN;
                assert_eq!(search(&xs), n - 2);
                xs[0] = f32::NAN;
                assert_eq!(search(&xs), 0);
            }
        }
        // Along each axis of a small 3-d array, every layout.
        let data: Vec<i32> = (0..24).map(|i| (i * 5) % 7).collect();
        let shape = [2, 3, 4];
        for strides in [c_strides(&shape), crate::layout::f_strides(&shape)] {
            for axis in 0..3 {
                let mut out = vec![0i64; 24 / shape[axis]];
                let src = Operand { data: &data, strides: &strides, offset: 0 };
                arg_reduce(src, &shape, axis, |c, x| x > c, |_| false, &mut out);
                let mut expect = Vec::new();
                let others: Vec<usize> = (0..3).filter(|&k| k != axis).collect();
                for a in 0..shape[others[0]] {
                    for b in 0..shape[others[1]] {
                        let at = |i: usize| {
                            let mut idx = [0usize; 3];
                            idx[axis] = i;
                            idx[others[0]] = a;
                            idx[others[1]] = b;
                            data[idx.iter().zip(&strides).map(|(&i, &s)| i as isize * s).sum::<isize>() as usize]
                        };
                        expect.push((0..shape[axis]).fold(0, |bi, i| if at(i) > at(bi) { i } else { bi }) as i64);
                    }
                }
                assert_eq!(out, expect, "axis {axis} strides {strides:?}");
            }
        }
    }

    /// The lane search against a plain scan: values with many ties (the
    /// first of equal values must win across lanes and groups), the best
    /// in the tail past the last whole group, NaNs, ±0, at every SIMD level.
    #[test]
    fn lane_search_finds_the_first_best_at_every_level() {
        use crate::simd::{self, Level};
        type F32Order = Order<fn(f32, f32) -> bool, fn(f32) -> bool>;
        let scan = |xs: &[f32], order: &F32Order| {
            xs.iter().enumerate().fold(0, |b, (i, &x)| if order.replaces(xs[b], x) { i } else { b })
        };
        let max: F32Order = Order { better: |c, x| x > c, nan: |x| x.is_nan() };
        let min: F32Order = Order { better: |c, x| x < c, nan: |x| x.is_nan() };
        let mut seed = 12345u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for level in [Level::Baseline, Level::Avx2, Level::Avx512] {
            simd::set_max_level(Some(level));
            for n in [1usize, 2, 63, 64, 65, 95, 1023, 1024, 1025, 3000, 70_001] {
                for distinct in [2u32, 50, 1 << 20] {
                    let mut xs: Vec<f32> = (0..n).map(|_| (next() % distinct) as f32 - 1.0).collect();
                    for order in [&max, &min] {
                        let search = |xs: &[f32]| arg_strided(xs, 0, xs.len(), 1, order);
                        assert_eq!(search(&xs), scan(&xs, order), "{level:?} n = {n} distinct = {distinct}");
                        // The best in the tail, once and twice.
                        if n > 2 {
                            let saved = (xs[n - 1], xs[n - 2]);
                            xs[n - 1] = if std::ptr::eq(order, &max) { 1e9 } else { -1e9 };
                            assert_eq!(search(&xs), n - 1);
                            xs[n - 2] = xs[n - 1];
                            assert_eq!(search(&xs), n - 2);
                            (xs[n - 1], xs[n - 2]) = saved;
                        }
                    }
                    // ±0 are equal: the first wins; a NaN anywhere wins.
                    let mut zs: Vec<f32> = (0..n).map(|i| if i % 3 == 0 { 0.0 } else { -0.0 }).collect();
                    assert_eq!(arg_strided(&zs, 0, n, 1, &max), 0);
                    zs[n / 2] = f32::NAN;
                    assert_eq!(arg_strided(&zs, 0, n, 1, &min), n / 2);
                }
            }
        }
        simd::set_max_level(None);
    }

    #[test]
    fn scans_along_every_position() {
        let mut d: Vec<i32> = (1..=24).collect();
        scan(&mut d, 2, 3, 4, |a, b| a + b);
        assert_eq!(&d[..12], &[1, 2, 3, 4, 6, 8, 10, 12, 15, 18, 21, 24]);
        let mut d: Vec<i32> = vec![1; 6];
        scan(&mut d, 2, 3, 1, |a, b| a + b);
        assert_eq!(d, vec![1, 2, 3, 1, 2, 3]);
    }

    /// Float sums and sums of squares through each path (one contiguous
    /// fold, long and short rows along axis 1, columns along axis 0,
    /// strided and reversed) give the same bits at every SIMD level: the
    /// folds keep a fixed number of lanes, so the vector width must not
    /// change the order of additions.
    #[test]
    fn every_simd_level_gives_the_same_bits() {
        use crate::simd::{self, Level};
        let data: Vec<f32> = (0..300_000).map(|i| ((i as f32) * 0.731).sin() * 1e3 + 1e-3).collect();
        let wide: Vec<f64> = data.iter().map(|&x| f64::from(x) * 1.1).collect();
        // (shape, strides, offset, reduced axes)
        type Case = (Vec<usize>, Vec<isize>, usize, Vec<bool>);
        let cases: [Case; 6] = [
            (vec![300_000], vec![1], 0, vec![true]),
            (vec![4_687, 64], vec![64, 1], 0, vec![false, true]),
            (vec![100, 3_000], vec![3_000, 1], 0, vec![false, true]),
            (vec![4_687, 64], vec![64, 1], 0, vec![true, false]),
            (vec![4_687, 64], vec![-64, 1], 4_686 * 64, vec![true, false]),
            (vec![1_000, 100], vec![200, 2], 1, vec![false, true]),
        ];
        for (shape, strides, offset, reduced) in &cases {
            let n_out: usize = shape.iter().zip(reduced).filter(|&(_, &r)| !r).map(|(&n, _)| n).product();
            let ps: Vec<f32> = (0..n_out).map(|i| (i % 3) as f32).collect();
            let run = || {
                let mut a = vec![0.0f32; n_out];
                let mut b = vec![0.0f64; n_out];
                reduce(Operand { data: &data, strides, offset: *offset }, shape, reduced, &SumSq, Some(&ps), &mut a);
                reduce(Operand { data: &wide, strides, offset: *offset }, shape, reduced, &Sum, None, &mut b);
                (a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), b.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            simd::set_max_level(Some(Level::Baseline));
            let base = run();
            for level in [Level::Avx2, Level::Avx512] {
                simd::set_max_level(Some(level));
                assert_eq!(run(), base, "shape {shape:?} strides {strides:?} reduced {reduced:?} at {level:?}");
            }
            simd::set_max_level(None);
        }
    }
}
