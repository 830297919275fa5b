//! Elementwise loops: `out[i] = f(a[i])` and `out[i] = f(a[i], b[i])` over
//! a shape, with each input on its own strided (possibly broadcast) layout
//! and the output C-contiguous.
//!
//! Three paths, chosen per call:
//! 1. every operand contiguous: one flat loop over slices, which LLVM
//!    vectorises for simple `f`;
//! 2. an operand that is a single broadcast value: the same flat loop with a
//!    constant;
//! 3. anything else: the coalesced strided walk of [`crate::strided`].
//!
//! Paths 1 and 2 split across threads (rayon) above [`PAR_THRESHOLD`]
//! elements; below it they run on the calling thread with no overhead.

use rayon::prelude::*;

use crate::layout::{is_c_contiguous, size};
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
        if n >= PAR_THRESHOLD {
            out.par_chunks_mut(CHUNK).zip(a.par_chunks(CHUNK)).for_each(|(o, a)| {
                o.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x));
            });
        } else {
            out.iter_mut().zip(a).for_each(|(o, &x)| *o = f(x));
        }
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
    let par = n >= PAR_THRESHOLD;
    match (a.contiguous(shape), b.contiguous(shape)) {
        (Some(x), Some(y)) => {
            if par {
                out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK).zip(y.par_chunks(CHUNK))).for_each(|(o, (x, y))| {
                    o.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (&p, &q))| *o = f(p, q));
                });
            } else {
                out.iter_mut().zip(x.iter().zip(y)).for_each(|(o, (&p, &q))| *o = f(p, q));
            }
            return;
        }
        (Some(x), None) => {
            if let Some(q) = b.constant() {
                if par {
                    out.par_chunks_mut(CHUNK).zip(x.par_chunks(CHUNK)).for_each(|(o, x)| {
                        o.iter_mut().zip(x).for_each(|(o, &p)| *o = f(p, q));
                    });
                } else {
                    out.iter_mut().zip(x).for_each(|(o, &p)| *o = f(p, q));
                }
                return;
            }
        }
        (None, Some(y)) => {
            if let Some(p) = a.constant() {
                if par {
                    out.par_chunks_mut(CHUNK).zip(y.par_chunks(CHUNK)).for_each(|(o, y)| {
                        o.iter_mut().zip(y).for_each(|(o, &q)| *o = f(p, q));
                    });
                } else {
                    out.iter_mut().zip(y).for_each(|(o, &q)| *o = f(p, q));
                }
                return;
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
}
