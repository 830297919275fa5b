//! Runtime CPU-feature dispatch: runs a loop compiled for the best
//! instruction set the machine has.
//!
//! The loops themselves are plain, branch-free Rust that LLVM vectorises;
//! what changes per instruction set is only how wide the vectors are. A loop
//! passed to [`dispatch`] is inlined into a function compiled with AVX2 and
//! FMA enabled and called there when the CPU has them (checked once, then
//! cached by the standard library); elsewhere it runs as compiled for the
//! baseline target (SSE2 on x86-64, NEON on aarch64). AVX-512 is not
//! dispatched separately: on the Zen 4 machines oxarray targets it reaches
//! the same arithmetic peak as AVX2 (512-bit operations are split in two),
//! and each extra level doubles the code of every loop.
//!
//! This module holds the kernels crate's only `unsafe` code.

/// Runs `body`, compiled for AVX2 + FMA when the CPU supports them.
///
/// `body` must be a closure that the compiler can inline (the elementwise
/// loops are): its code is then generated inside a function compiled with
/// the wider instruction set. The result is the same on every path, bit for
/// bit, for loops that do not call `mul_add` (FMA is enabled but LLVM never
/// fuses a separate multiply and add on its own).
#[inline(always)]
pub fn dispatch<R>(body: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: `with_avx2_fma` only requires that the CPU supports
            // AVX2 and FMA, which was checked just above.
            return unsafe { with_avx2_fma(body) };
        }
    }
    body()
}

/// Whether [`dispatch`] runs loops with AVX2 and FMA on this machine.
pub fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[inline]
fn with_avx2_fma<R>(body: impl FnOnce() -> R) -> R {
    body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_gives_the_same_bits() {
        let a: Vec<f32> = (0..1000).map(|i| i as f32 * 0.37 - 100.0).collect();
        let f = |x: &[f32]| x.iter().map(|&v| v * 1.5 + 0.25).collect::<Vec<f32>>();
        let dispatched = dispatch(|| f(&a));
        assert_eq!(dispatched, f(&a));
        let _ = has_avx2_fma();
    }
}
