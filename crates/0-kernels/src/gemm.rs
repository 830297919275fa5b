//! Matrix multiplication for the element types BLAS-style GEMMs do not
//! cover: integers with wrapping arithmetic, and `bool` (`or` of `and`s).
//! Floats and complex numbers go through faer in the core crate.
//!
//! The loop is blocked for the cache rather than a naive `i, j, k` triple
//! loop: `k` is cut into panels of [`KC`] rows of `B` and `j` into panels of
//! `NC` columns sized so that one `KC × NC` panel of `B`, copied to adjacent
//! memory, stays in L2; inside a panel, four rows of `C` are updated at a time (`C[i..i+4, j] += A[i..i+4, p]
//! · B[p, j]`), so every `B` element loaded from cache feeds four
//! multiply-adds and the innermost loop runs along contiguous rows, which the
//! compiler vectorises. Large products split the rows of `C` across rayon
//! threads.

use rayon::prelude::*;

/// A scalar with a multiply-add: `acc + a·b` with wrapping integer
/// arithmetic, or `acc | (a & b)` for `bool`.
pub trait MulAdd: Copy + Send + Sync + 'static {
    /// The additive identity.
    const ZERO: Self;
    /// `acc + a·b` in the type's arithmetic.
    fn mul_add(acc: Self, a: Self, b: Self) -> Self;
}

macro_rules! impl_mul_add_int {
    ($($t:ty),*) => {$(
        impl MulAdd for $t {
            const ZERO: Self = 0;
            #[inline(always)]
            fn mul_add(acc: Self, a: Self, b: Self) -> Self {
                acc.wrapping_add(a.wrapping_mul(b))
            }
        }
    )*};
}
impl_mul_add_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl MulAdd for bool {
    const ZERO: Self = false;
    #[inline(always)]
    fn mul_add(acc: Self, a: Self, b: Self) -> Self {
        acc | (a & b)
    }
}

/// Rows of `B` per panel.
pub const KC: usize = 256;
/// Rows of `C` updated together by the micro-kernel.
const MR: usize = 4;
/// Bytes of `B` one panel may occupy (a share of a 1 MiB L2).
const PANEL_BYTES: usize = 256 << 10;
/// Multiply-adds below which threads cost more than they save.
const PARALLEL_MIN_WORK: usize = 1 << 20;

/// Columns of `B` per panel for element type `T`.
fn nc<T>() -> usize {
    (PANEL_BYTES / (KC * size_of::<T>().max(1))).max(16)
}

/// `C = A · B` for row-major contiguous `A` (`m × k`), `B` (`k × n`) and
/// `C` (`m × n`, overwritten).
///
/// # Panics
/// If a slice's length does not match its dimensions.
pub fn gemm<T: MulAdd>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert_eq!(a.len(), m * k, "A is not m × k");
    assert_eq!(b.len(), k * n, "B is not k × n");
    assert_eq!(c.len(), m * n, "C is not m × n");
    c.fill(T::ZERO);
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    let work = m.saturating_mul(n).saturating_mul(k);
    let threads = rayon::current_num_threads();
    if work >= PARALLEL_MIN_WORK && threads > 1 && m >= 2 * MR {
        // Row blocks that are a multiple of MR, about two per thread.
        let rows = m.div_ceil(2 * threads).next_multiple_of(MR);
        c.par_chunks_mut(rows * n).enumerate().for_each(|(t, c_block)| {
            let r0 = t * rows;
            let r = c_block.len() / n;
            gemm_rows(c_block, &a[r0 * k..(r0 + r) * k], b, r, k, n);
        });
    } else {
        gemm_rows(c, a, b, m, k, n);
    }
}

/// `C += A · B` on one thread (`C` is zeroed by the caller).
fn gemm_rows<T: MulAdd>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    let nc = nc::<T>();
    // The panel of B, copied so its rows are adjacent: rows of B itself lie
    // `n` elements apart, and for `n` a multiple of 1024 bytes they all map
    // to the same cache sets and evict each other.
    let mut panel = vec![T::ZERO; KC.min(k) * nc.min(n)];
    for jc in (0..n).step_by(nc) {
        let nb = nc.min(n - jc);
        for pc in (0..k).step_by(KC) {
            let kb = KC.min(k - pc);
            for p in 0..kb {
                panel[p * nb..(p + 1) * nb].copy_from_slice(&b[(pc + p) * n + jc..(pc + p) * n + jc + nb]);
            }
            let panel = &panel[..kb * nb];
            let mut i = 0;
            while i + MR <= m {
                let (c0, rest) = c[i * n..(i + MR) * n].split_at_mut(n);
                let (c1, rest) = rest.split_at_mut(n);
                let (c2, c3) = rest.split_at_mut(n);
                let rows = [&mut c0[jc..jc + nb], &mut c1[jc..jc + nb], &mut c2[jc..jc + nb], &mut c3[jc..jc + nb]];
                micro4(rows, &a[i * k + pc..], k, panel, nb, kb);
                i += MR;
            }
            for i in i..m {
                let crow = &mut c[i * n + jc..i * n + jc + nb];
                for p in 0..kb {
                    let ap = a[i * k + pc + p];
                    let brow = &panel[p * nb..(p + 1) * nb];
                    for j in 0..nb {
                        crow[j] = T::mul_add(crow[j], ap, brow[j]);
                    }
                }
            }
        }
    }
}

/// Four rows of `C` (`nb` columns each) += four rows of `A` (`kb` columns,
/// rows `k` apart) · the packed `kb × nb` panel of `B`.
#[inline(always)]
fn micro4<T: MulAdd>(rows: [&mut [T]; MR], a: &[T], k: usize, panel: &[T], nb: usize, kb: usize) {
    let [c0, c1, c2, c3] = rows;
    let (c0, c1, c2, c3) = (&mut c0[..nb], &mut c1[..nb], &mut c2[..nb], &mut c3[..nb]);
    for p in 0..kb {
        let (a0, a1, a2, a3) = (a[p], a[k + p], a[2 * k + p], a[3 * k + p]);
        let brow = &panel[p * nb..(p + 1) * nb];
        for j in 0..nb {
            let y = brow[j];
            c0[j] = T::mul_add(c0[j], a0, y);
            c1[j] = T::mul_add(c1[j], a1, y);
            c2[j] = T::mul_add(c2[j], a2, y);
            c3[j] = T::mul_add(c3[j], a3, y);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive<T: MulAdd>(a: &[T], b: &[T], m: usize, k: usize, n: usize) -> Vec<T> {
        let mut c = vec![T::ZERO; m * n];
        for i in 0..m {
            for j in 0..n {
                let mut acc = T::ZERO;
                for p in 0..k {
                    acc = T::mul_add(acc, a[i * k + p], b[p * n + j]);
                }
                c[i * n + j] = acc;
            }
        }
        c
    }

    #[test]
    fn matches_the_naive_loop_across_block_edges() {
        let mut rng = crate::random::Rng::seed_from_u64(7);
        for &(m, k, n) in &[(0, 3, 2), (3, 0, 2), (1, 1, 1), (5, 7, 3), (9, 300, 70), (66, 513, 1030), (130, 40, 9)] {
            let a: Vec<i32> = (0..m * k).map(|_| rng.below(200) as i32 - 100).collect();
            let b: Vec<i32> = (0..k * n).map(|_| rng.below(200) as i32 - 100).collect();
            let mut c = vec![1; m * n];
            gemm(&mut c, &a, &b, m, k, n);
            assert_eq!(c, naive(&a, &b, m, k, n), "{m}x{k}x{n}");
        }
    }

    #[test]
    fn integers_wrap_and_bools_or_ands() {
        let mut c = [0u8; 1];
        gemm(&mut c, &[200, 100], &[2, 3], 1, 2, 1);
        assert_eq!(c[0], 200u8.wrapping_mul(2).wrapping_add(100u8.wrapping_mul(3)));
        let mut c = [true; 4];
        gemm(&mut c, &[true, false, false, false], &[true, true, false, true], 2, 2, 2);
        assert_eq!(c, [true, true, false, false]);
    }
}
