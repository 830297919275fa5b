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
//! has it) and split across threads (rayon) above [`PAR_THRESHOLD`]
//! elements; below it they run on the calling thread with no overhead.

use rayon::prelude::*;

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

/// `out[i] = f(x[i])` over equal-length slices, threaded above the threshold.
#[inline(always)]
fn map_slices<A: Copy + Sync, O: Send>(out: &mut [O], x: &[A], f: &(impl Fn(A) -> O + Sync)) {
    let body = |o: &mut [O], x: &[A]| simd::dispatch(|| o.iter_mut().zip(x).for_each(|(o, &p)| *o = f(p)));
    if out.len() >= PAR_THRESHOLD {
        out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(o, x)| body(o, x));
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
) {
    let body = |o: &mut [O], x: &[A], y: &[B]| {
        simd::dispatch(|| o.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (&p, &q))| *o = f(p, q)))
    };
    if out.len() >= PAR_THRESHOLD {
        out.par_chunks_mut(CHUNK)
            .zip(x.par_chunks(CHUNK).zip(y.par_chunks(CHUNK)))
            .for_each(|(o, (x, y))| body(o, x, y));
    } else {
        body(out, x, y);
    }
}

/// `d[i] = f(d[i])` over a slice, threaded above the threshold.
#[inline(always)]
fn update_slice<T: Copy + Send + Sync>(d: &mut [T], f: &(impl Fn(T) -> T + Sync)) {
    let body = |d: &mut [T]| simd::dispatch(|| d.iter_mut().for_each(|v| *v = f(*v)));
    if d.len() >= PAR_THRESHOLD {
        d.par_chunks_mut(CHUNK).for_each(body);
    } else {
        body(d);
    }
}

/// `d[i] = f(d[i], y[i])` over equal-length slices, threaded above the threshold.
#[inline(always)]
fn update_zip_slices<T: Copy + Send + Sync, B: Copy + Sync>(d: &mut [T], y: &[B], f: &(impl Fn(T, B) -> T + Sync)) {
    let body = |d: &mut [T], y: &[B]| simd::dispatch(|| d.iter_mut().zip(y).for_each(|(v, &q)| *v = f(*v, q)));
    if d.len() >= PAR_THRESHOLD {
        d.par_chunks_mut(CHUNK).zip(y.par_chunks(CHUNK)).for_each(|(d, y)| body(d, y));
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
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    if let Some(a) = a.contiguous(shape) {
        map_slices(out, a, &f);
        return;
    }
    let mut i = 0;
    for_each_offset(shape, a.strides, a.offset, |o| {
        out[i] = f(a.data[o]);
        i += 1;
    });
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
    let n = size(shape);
    debug_assert_eq!(out.len(), n);
    if n == 0 {
        return;
    }
    match (a.contiguous(shape), b.contiguous(shape)) {
        (Some(x), Some(y)) => return zip_slices(out, x, y, &f),
        (Some(x), None) => {
            if let Some(q) = b.constant() {
                return map_slices(out, x, &|p| f(p, q));
            }
        }
        (None, Some(y)) => {
            if let Some(p) = a.constant() {
                return map_slices(out, y, &|q| f(p, q));
            }
        }
        (None, None) => {}
    }
    let mut i = 0;
    for_each_offset2(shape, a.strides, a.offset, b.strides, b.offset, |oa, ob| {
        out[i] = f(a.data[oa], b.data[ob]);
        i += 1;
    });
}

/// `dst[i] = f(dst[i])` in place for every element of `shape`.
pub fn unary_inplace<T>(dst: OperandMut<'_, T>, shape: &[usize], f: impl Fn(T) -> T + Sync)
where
    T: Copy + Send + Sync,
{
    let n = size(shape);
    if n == 0 {
        return;
    }
    if is_c_contiguous(shape, dst.strides) {
        return update_slice(&mut dst.data[dst.offset..dst.offset + n], &f);
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
    let n = size(shape);
    if n == 0 {
        return;
    }
    if is_c_contiguous(shape, dst.strides) {
        let d = &mut dst.data[dst.offset..dst.offset + n];
        if let Some(y) = b.contiguous(shape) {
            return update_zip_slices(d, y, &f);
        }
        if let Some(q) = b.constant() {
            return update_slice(d, &|p| f(p, q));
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
            simd::dispatch(|| {
                for (((o, &c), &p), &q) in o.iter_mut().zip(c).zip(p).zip(q) {
                    *o = if c { p } else { q };
                }
            })
        };
        if n >= PAR_THRESHOLD {
            out.par_chunks_mut(CHUNK)
                .zip(c.par_chunks(CHUNK).zip(p.par_chunks(CHUNK).zip(q.par_chunks(CHUNK))))
                .for_each(|(o, (c, (p, q)))| body(o, c, p, q));
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
    use super::*;
    use crate::layout::c_strides;

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
