//! Times the vectorised float32 and float64 functions of `vmath` over 10M elements at
//! every SIMD level the CPU has, into a reused (already faulted-in) output,
//! threaded as the elementwise loops are. Prints milliseconds per call; the
//! NumPy peer is `bench/vmath_peer.py` (run right after, same buffers and
//! `out=`).
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example vmath_speed [N]
//! ```
//!
//! On a loaded machine, `VMATH_ONLY=sin,old_sin` times only the named rows
//! and `VMATH_REPS=50` takes the best of more calls.

// The functions are wrapped in `#[inline(always)]` closures on purpose: a
// closure's own call inlines into the SIMD loop, a function item's call may not.
#![allow(clippy::redundant_closure)]

use std::time::Instant;

use oxarray_kernels::elementwise::{Heavy, Operand, Split, binary_with, unary_split, unary_with};
use oxarray_kernels::simd::{self, Level};
use oxarray_kernels::vmath;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000_000);
    if std::env::args().nth(2).as_deref() == Some("fma") {
        let p: Vec<f64> = rayon::broadcast(|_| simd::measure_fma_peak(simd::cpu_level()).unwrap_or(0.0));
        println!("FMA peak per thread, all at once: {p:?}");
    }
    // Inputs where every function is defined: (0.01, 10) for the logs, the
    // same shifted to (-5, 5) for the rest.
    let pos: Vec<f32> = (0..n).map(|i| 0.01 + 9.99 * ((i as u64 * 2_654_435_761) % 1_000_003) as f32 / 1e6).collect();
    let sym: Vec<f32> = pos.iter().map(|&x| x - 5.0).collect();
    let levels: Vec<Level> =
        [Level::Baseline, Level::Avx2, Level::Avx512].into_iter().filter(|&l| l <= simd::cpu_level()).collect();
    print!("n={n} ms/call (best of {}), threads={}:", reps(), rayon::current_num_threads());
    for l in &levels {
        print!(" {}", l.name());
    }
    println!();
    let mut out = vec![1.0f32; n];
    // Each function passed as its own item (not a pointer), so that it
    // inlines into the loop as it does in the core's tables.
    time(
        "exp",
        #[inline(always)]
        |v| vmath::exp_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "exp2",
        #[inline(always)]
        |v| vmath::exp2_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "expm1",
        #[inline(always)]
        |v| vmath::expm1_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "log",
        #[inline(always)]
        |v| vmath::ln_f32(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "log2",
        #[inline(always)]
        |v| vmath::log2_f32(v),
        &pos,
        &mut out,
        &levels,
    );
    // The logarithms as the core runs them (split on `log_needs_full`), and
    // the previous kernels (mantissa folded by a compare and multiply).
    time_split_with(
        "log_split",
        #[inline(always)]
        |v| vmath::ln_f32_fast(v),
        #[inline(always)]
        |v| vmath::ln_f32(v),
        #[inline(always)]
        |v| vmath::log_needs_full(v),
        &pos,
        &mut out,
        &levels,
    );
    time_split_with(
        "log2_split",
        #[inline(always)]
        |v| vmath::log2_f32_fast(v),
        #[inline(always)]
        |v| vmath::log2_f32(v),
        #[inline(always)]
        |v| vmath::log_needs_full(v),
        &pos,
        &mut out,
        &levels,
    );
    time_split_with(
        "log10_split",
        #[inline(always)]
        |v| vmath::log10_f32_fast(v),
        #[inline(always)]
        |v| vmath::log10_f32(v),
        #[inline(always)]
        |v| vmath::log_needs_full(v),
        &pos,
        &mut out,
        &levels,
    );
    time_split_with(
        "est_log2",
        #[inline(always)]
        |v| estrin::log2(v),
        #[inline(always)]
        |v| vmath::log2_f32(v),
        #[inline(always)]
        |v| vmath::log_needs_full(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "old_log",
        #[inline(always)]
        |v| old_log::ln(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "old_log2",
        #[inline(always)]
        |v| old_log::log2(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "old_log10",
        #[inline(always)]
        |v| old_log::log10(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "log1p",
        #[inline(always)]
        |v| vmath::log1p_f32(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "tanh",
        #[inline(always)]
        |v| vmath::tanh_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "log10",
        #[inline(always)]
        |v| vmath::log10_f32(v),
        &pos,
        &mut out,
        &levels,
    );
    time_split(
        "sin",
        #[inline(always)]
        |v| vmath::sin_f32_fast(v),
        #[inline(always)]
        |v| vmath::sin_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "old_sin",
        #[inline(always)]
        |v| old_trig::sin(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "old_cos",
        #[inline(always)]
        |v| old_trig::cos(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "old_tan",
        #[inline(always)]
        |v| old_trig::tan(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "sin_full",
        #[inline(always)]
        |v| vmath::sin_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time_split(
        "cos",
        #[inline(always)]
        |v| vmath::cos_f32_fast(v),
        #[inline(always)]
        |v| vmath::cos_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "cos_full",
        #[inline(always)]
        |v| vmath::cos_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time_split(
        "tan",
        #[inline(always)]
        |v| vmath::tan_f32_fast(v),
        #[inline(always)]
        |v| vmath::tan_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "tan_full",
        #[inline(always)]
        |v| vmath::tan_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "sqrt",
        #[inline(always)]
        |v: f32| v.sqrt(),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "libm_tanh",
        #[inline(always)]
        |v: f32| v.tanh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_sin",
        #[inline(always)]
        |v: f32| v.sin(),
        &sym,
        &mut out,
        &levels,
    );
    // The inverse trigonometric and the remaining hyperbolic functions, each
    // beside the libm loop it replaces: on (-0.95, 0.95) where the domain is
    // [-1, 1], on [1.01, 11) for acosh.
    let unit: Vec<f32> = sym.iter().map(|&x| x * 0.19).collect();
    let above1: Vec<f32> = pos.iter().map(|&x| x + 1.0).collect();
    time(
        "asin",
        #[inline(always)]
        |v| vmath::asin_f32(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_asin",
        #[inline(always)]
        |v: f32| v.asin(),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "acos",
        #[inline(always)]
        |v| vmath::acos_f32(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_acos",
        #[inline(always)]
        |v: f32| v.acos(),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "atan",
        #[inline(always)]
        |v| vmath::atan_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_atan",
        #[inline(always)]
        |v: f32| v.atan(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "sinh",
        #[inline(always)]
        |v| vmath::sinh_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_sinh",
        #[inline(always)]
        |v: f32| v.sinh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "cosh",
        #[inline(always)]
        |v| vmath::cosh_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_cosh",
        #[inline(always)]
        |v: f32| v.cosh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "asinh",
        #[inline(always)]
        |v| vmath::asinh_f32(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_asinh",
        #[inline(always)]
        |v: f32| v.asinh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "acosh",
        #[inline(always)]
        |v| vmath::acosh_f32(v),
        &above1,
        &mut out,
        &levels,
    );
    time(
        "libm_acosh",
        #[inline(always)]
        |v: f32| v.acosh(),
        &above1,
        &mut out,
        &levels,
    );
    time(
        "atanh",
        #[inline(always)]
        |v| vmath::atanh_f32(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "old_asinh",
        #[inline(always)]
        |v| old_inv::asinh(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "old_acosh",
        #[inline(always)]
        |v| old_inv::acosh(v),
        &above1,
        &mut out,
        &levels,
    );
    time(
        "old_atanh",
        #[inline(always)]
        |v| old_inv::atanh(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "exp_atanh",
        #[inline(always)]
        |v| estrin::atanh_one_div(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_atanh",
        #[inline(always)]
        |v: f32| v.atanh(),
        &unit,
        &mut out,
        &levels,
    );
    // The binary functions beside the libm loops they replace, in the heavy
    // binary loop (up to AVX-512; the light one the core used before stops
    // at AVX2, so its AVX-512 column would repeat the AVX2 one). Pairs from
    // (-5, 5) and the same reversed; logaddexp on (-20, 20).
    let rev: Vec<f32> = sym.iter().rev().copied().collect();
    let wide: Vec<f32> = sym.iter().map(|&x| x * 4.0).collect();
    let wide_rev: Vec<f32> = rev.iter().map(|&x| x * 4.0).collect();
    time2(
        "atan2",
        #[inline(always)]
        |y, x| vmath::atan2_f32(y, x),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "libm_atan2",
        #[inline(always)]
        |y: f32, x: f32| y.atan2(x),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "hypot",
        #[inline(always)]
        |x, y| vmath::hypot_f32(x, y),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "libm_hypot",
        #[inline(always)]
        |x: f32, y: f32| x.hypot(y),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "logaddexp",
        #[inline(always)]
        |x, y| vmath::logaddexp_f32(x, y),
        (&wide[..], &wide_rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "logaddexp_f32k",
        #[inline(always)]
        |x, y| logaddexp_f32_kernels(x, y),
        (&wide[..], &wide_rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "old_logaddexp",
        #[inline(always)]
        |x, y| old_logaddexp(x, y),
        (&wide[..], &wide_rev[..]),
        &mut out,
        &levels,
    );
    // float64: the same inputs widened.
    let pos: Vec<f64> = pos.iter().map(|&v| v as f64).collect();
    let sym: Vec<f64> = sym.iter().map(|&v| v as f64).collect();
    let mut out = vec![1.0f64; n];
    time(
        "exp_f64",
        #[inline(always)]
        |v| vmath::exp_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "exp2_f64",
        #[inline(always)]
        |v| vmath::exp2_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "expm1_f64",
        #[inline(always)]
        |v| vmath::expm1_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "log_f64",
        #[inline(always)]
        |v| vmath::ln_f64(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "log2_f64",
        #[inline(always)]
        |v| vmath::log2_f64(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "log10_f64",
        #[inline(always)]
        |v| vmath::log10_f64(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "log1p_f64",
        #[inline(always)]
        |v| vmath::log1p_f64(v),
        &pos,
        &mut out,
        &levels,
    );
    time(
        "tanh_f64",
        #[inline(always)]
        |v| vmath::tanh_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time_split64(
        "sin_f64",
        #[inline(always)]
        |v| vmath::sin_f64_fast(v),
        #[inline(always)]
        |v| vmath::sin_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_sin_f64",
        #[inline(always)]
        |v: f64| v.sin(),
        &sym,
        &mut out,
        &levels,
    );
    time_split64(
        "cos_f64",
        #[inline(always)]
        |v| vmath::cos_f64_fast(v),
        #[inline(always)]
        |v| vmath::cos_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_cos_f64",
        #[inline(always)]
        |v: f64| v.cos(),
        &sym,
        &mut out,
        &levels,
    );
    time_split64(
        "tan_f64",
        #[inline(always)]
        |v| vmath::tan_f64_fast(v),
        #[inline(always)]
        |v| vmath::tan_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_tan_f64",
        #[inline(always)]
        |v: f64| v.tan(),
        &sym,
        &mut out,
        &levels,
    );
    let unit: Vec<f64> = unit.iter().map(|&v| v as f64).collect();
    let above1: Vec<f64> = above1.iter().map(|&v| v as f64).collect();
    time(
        "atan_f64",
        #[inline(always)]
        |v| vmath::atan_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_atan_f64",
        #[inline(always)]
        |v: f64| v.atan(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "asin_f64",
        #[inline(always)]
        |v| vmath::asin_f64(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_asin_f64",
        #[inline(always)]
        |v: f64| v.asin(),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "acos_f64",
        #[inline(always)]
        |v| vmath::acos_f64(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_acos_f64",
        #[inline(always)]
        |v: f64| v.acos(),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "sinh_f64",
        #[inline(always)]
        |v| vmath::sinh_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_sinh_f64",
        #[inline(always)]
        |v: f64| v.sinh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "cosh_f64",
        #[inline(always)]
        |v| vmath::cosh_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "libm_cosh_f64",
        #[inline(always)]
        |v: f64| v.cosh(),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "asinh_f64",
        #[inline(always)]
        |v| vmath::asinh_f64(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "old_asinh_f64",
        #[inline(always)]
        |v| old64::asinh(v),
        &sym,
        &mut out,
        &levels,
    );
    time(
        "acosh_f64",
        #[inline(always)]
        |v| vmath::acosh_f64(v),
        &above1,
        &mut out,
        &levels,
    );
    time(
        "old_acosh_f64",
        #[inline(always)]
        |v| old64::acosh(v),
        &above1,
        &mut out,
        &levels,
    );
    time(
        "atanh_f64",
        #[inline(always)]
        |v| vmath::atanh_f64(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "old_atanh_f64",
        #[inline(always)]
        |v| old64::atanh(v),
        &unit,
        &mut out,
        &levels,
    );
    time(
        "libm_exp_f64",
        #[inline(always)]
        |v: f64| v.exp(),
        &sym,
        &mut out,
        &levels,
    );
    let rev: Vec<f64> = sym.iter().rev().copied().collect();
    time2(
        "hypot_f64",
        #[inline(always)]
        |x, y| vmath::hypot_f64(x, y),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "atan2_f64",
        #[inline(always)]
        |y, x| vmath::atan2_f64(y, x),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "libm_atan2_f64",
        #[inline(always)]
        |y: f64, x: f64| y.atan2(x),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    let wide: Vec<f64> = sym.iter().map(|&x| x * 4.0).collect();
    let wide_rev: Vec<f64> = rev.iter().map(|&x| x * 4.0).collect();
    time2(
        "logaddexp_f64",
        #[inline(always)]
        |x, y| vmath::logaddexp_f64(x, y),
        (&wide[..], &wide_rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "old_logaddexp_f64",
        #[inline(always)]
        |x, y| old64::logaddexp(x, y),
        (&wide[..], &wide_rev[..]),
        &mut out,
        &levels,
    );
    time2(
        "libm_hypot_f64",
        #[inline(always)]
        |x: f64, y: f64| x.hypot(y),
        (&sym[..], &rev[..]),
        &mut out,
        &levels,
    );
    simd::set_max_level(None);
}

/// Whether the row `name` is wanted (`VMATH_ONLY`, comma-separated; all
/// rows when unset).
fn wanted(name: &str) -> bool {
    std::env::var("VMATH_ONLY").map_or(true, |only| only.split(',').any(|n| n == name))
}

/// Calls per row, the best of which is printed (`VMATH_REPS`, default 10).
fn reps() -> usize {
    std::env::var("VMATH_REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(10)
}

/// Prints the best of [`reps`] calls of `f` over `x` at each level.
fn time<T: Copy + Send + Sync>(name: &str, f: impl Fn(T) -> T + Sync + Copy, x: &[T], out: &mut [T], levels: &[Level]) {
    if !wanted(name) {
        return;
    }
    let shape = [x.len()];
    let strides = [1isize];
    print!("{name:>13}");
    for &l in levels {
        simd::set_max_level(Some(l));
        let mut best = f64::INFINITY;
        for _ in 0..reps() {
            let t = Instant::now();
            unary_with(out, &shape, Operand { data: x, strides: &strides, offset: 0 }, f, Heavy);
            best = best.min(t.elapsed().as_secs_f64());
        }
        print!(" {:8.3}", best * 1e3);
    }
    println!();
    std::hint::black_box(&out);
}

/// Prints the best of [`reps`] calls of the binary `f` over the pairs of
/// `xy` at each level (the heavy elementwise binary loop, as the core runs
/// the vmath binary functions).
fn time2<T: Copy + Send + Sync>(
    name: &str,
    f: impl Fn(T, T) -> T + Sync + Copy,
    xy: (&[T], &[T]),
    out: &mut [T],
    levels: &[Level],
) {
    if !wanted(name) {
        return;
    }
    let shape = [xy.0.len()];
    let strides = [1isize];
    print!("{name:>13}");
    for &l in levels {
        simd::set_max_level(Some(l));
        let mut best = f64::INFINITY;
        for _ in 0..reps() {
            let t = Instant::now();
            let a = Operand { data: xy.0, strides: &strides, offset: 0 };
            let b = Operand { data: xy.1, strides: &strides, offset: 0 };
            binary_with(out, &shape, a, b, f, Heavy);
            best = best.min(t.elapsed().as_secs_f64());
        }
        print!(" {:8.3}", best * 1e3);
    }
    println!();
    std::hint::black_box(&out);
}

/// The core's float32 `logaddexp` before `vmath::logaddexp_f32`: libm's
/// `exp` and `log1p` in f64, one element at a time.
fn old_logaddexp(a: f32, b: f32) -> f32 {
    let (a, b) = (a as f64, b as f64);
    if a == b {
        return (a + std::f64::consts::LN_2) as f32;
    }
    let m = a.max(b);
    if m.is_nan() || a.is_nan() || b.is_nan() {
        return f32::NAN;
    }
    (m + (-(a - b).abs()).exp().ln_1p()) as f32
}

/// `logaddexp` with the float32 kernels only (the alternative to
/// `vmath::logaddexp_f32`'s f64 intermediate, timed beside it; it loses
/// several ULP where the result is near 0).
#[inline(always)]
fn logaddexp_f32_kernels(x: f32, y: f32) -> f32 {
    let m = if x > y { x } else { y };
    let r = m + vmath::log1p_f32(vmath::exp_f32(-(x - y).abs()));
    if x == y { x + std::f32::consts::LN_2 } else { r }
}

/// [`time`] for a [`Split`] pair with the trigonometric predicate, as the
/// core runs float32 `sin`, `cos`, `tan`.
fn time_split(
    name: &str,
    fast: impl Fn(f32) -> f32 + Sync + Copy,
    full: impl Fn(f32) -> f32 + Sync + Copy,
    x: &[f32],
    out: &mut [f32],
    levels: &[Level],
) {
    time_split_with(name, fast, full, vmath::trig_needs_full, x, out, levels);
}

/// [`time_split`] for float64 `sin`, `cos`, `tan` (the predicate
/// [`vmath::trig64_needs_full`]), as the core runs them.
fn time_split64(
    name: &str,
    fast: impl Fn(f64) -> f64 + Sync + Copy,
    full: impl Fn(f64) -> f64 + Sync + Copy,
    x: &[f64],
    out: &mut [f64],
    levels: &[Level],
) {
    time_split_with(name, fast, full, vmath::trig64_needs_full, x, out, levels);
}

/// [`time`] for a [`Split`] with the predicate `rare`.
fn time_split_with<T: Copy + Send + Sync>(
    name: &str,
    fast: impl Fn(T) -> T + Sync + Copy,
    full: impl Fn(T) -> T + Sync + Copy,
    rare: impl Fn(T) -> bool + Sync + Copy,
    x: &[T],
    out: &mut [T],
    levels: &[Level],
) {
    if !wanted(name) {
        return;
    }
    let shape = [x.len()];
    let strides = [1isize];
    print!("{name:>13}");
    for &l in levels {
        simd::set_max_level(Some(l));
        let mut best = f64::INFINITY;
        for _ in 0..reps() {
            let t = Instant::now();
            let s = Split { fast, full, rare };
            unary_split(out, &shape, Operand { data: x, strides: &strides, offset: 0 }, s, Heavy);
            best = best.min(t.elapsed().as_secs_f64());
        }
        print!(" {:8.3}", best * 1e3);
    }
    println!();
    std::hint::black_box(&out);
}

/// Experiments, timed only: the log2 fast path with the polynomial in
/// Estrin's scheme (other bits), and `atanh` with one division (the
/// `log1p` correction divided by `u` through a refined bit-trick reciprocal).
mod estrin {
    #[inline(always)]
    pub fn atanh_one_div(x: f32) -> f32 {
        let a = x.abs();
        let z = a * a;
        let p = 3.333_333_4e-1
            + z * (2.000_002_9e-1
                + z * (1.428_447e-1
                    + z * (1.113_679_6e-1
                        + z * (8.800_265e-2 + z * (9.574_025e-2 + z * (-1.405_770_7e-3 + z * 1.788_957_3e-1))))));
        let small = a + a * z * p;
        let t = 2.0 * a / (1.0 - a);
        let u = 1.0 + t;
        let r0 = f32::from_bits(0x7ef3_11c7_u32.wrapping_sub(u.to_bits()));
        let r1 = r0 * (2.0 - u * r0);
        let l = if u < f32::INFINITY { oxarray_kernels::vmath::ln_f32_fast(u) } else { u } + (t - (u - 1.0)) * r1;
        let large = 0.5 * if t == f32::INFINITY { t } else { l };
        let r = if a < 0.5 { small } else { large };
        (if a <= 1.0 { r } else { f32::NAN }).copysign(x)
    }

    #[inline(always)]
    pub fn log2(x: f32) -> f32 {
        const OFF: i32 = 0x3f35_04f4;
        let ix = x.to_bits() as i32;
        let t = ix.wrapping_sub(OFF);
        let k = t >> 23;
        let m = f32::from_bits(ix.wrapping_sub(t & (0xff80_0000_u32 as i32)) as u32);
        let e = k as f32;
        let f = m - 1.0;
        let z = f * f;
        let z2 = z * z;
        let a = 3.333_333e-1 - 2.499_999_4e-1 * f;
        let b = 2.000_071_4e-1 - 1.666_805_8e-1 * f;
        let c = 1.424_932_3e-1 - 1.242_014_1e-1 * f;
        let d = 1.167_699_9e-1 - 1.151_461e-1 * f;
        let q = (a + b * z) + z2 * ((c + d * z) + z2 * 7.037_683_6e-2);
        let p = q * f * z;
        let y = p - 0.5 * z;
        const LOG2E_HI: f32 = 1.442_382_8;
        const LOG2E_LO: f32 = std::f32::consts::LOG2_E - LOG2E_HI;
        let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
        let f_lo = f - f_hi;
        let l = ((f_lo + y) * std::f32::consts::LOG2_E + f_hi * LOG2E_LO) + f_hi * LOG2E_HI;
        e + l
    }
}

/// The previous float32 `asinh`, `acosh`, `atanh`: their logarithms with
/// every special value checked (`ln_f32`, `log1p_f32`), as the same-run
/// baseline of the versions whose logarithms skip the checks.
mod old_inv {
    use oxarray_kernels::vmath::{ln_f32, log1p_f32};

    #[inline(always)]
    pub fn asinh(x: f32) -> f32 {
        let a = x.abs();
        let z = a * a;
        let p = -1.666_666_4e-1
            + z * (7.499_87e-2
                + z * (-4.462_3e-2
                    + z * (3.022_832_6e-2
                        + z * (-2.166_59e-2
                            + z * (1.523_519_9e-2
                                + z * (-9.552_041e-3
                                    + z * (4.805_431_7e-3
                                        + z * (-1.735_818_1e-3 + z * (3.895_254e-4 + z * -4.020_313_6e-5)))))))));
        let small = a + a * z * p;
        let big = a > 4096.0;
        let w = if big { a } else { a + (z + 1.0).sqrt() };
        let large = ln_f32(w) + if big { std::f32::consts::LN_2 } else { 0.0 };
        (if a < 1.2 { small } else { large }).copysign(x)
    }

    #[inline(always)]
    pub fn acosh(x: f32) -> f32 {
        let t = x - 1.0;
        let q = -8.333_333e-2
            + t * (1.874_989e-2
                + t * (-5.579_17e-3
                    + t * (1.892_382e-3
                        + t * (-6.787_915_5e-4 + t * (2.322_473_4e-4 + t * (-6.232_091e-5 + t * 8.951_939e-6))))));
        let d = 2.0 * t;
        let s = d.sqrt();
        let hi = f32::from_bits(s.to_bits() & 0xffff_f000);
        let lo = if d == 0.0 { 0.0 } else { (d - hi * hi) / (s + hi) };
        let small = hi + (lo + s * (t * q));
        let big = x > 4096.0;
        let w = if big { x } else { x + (t * (x + 1.0)).sqrt() };
        let large = ln_f32(w) + if big { std::f32::consts::LN_2 } else { 0.0 };
        let r = if x < 2.0 { small } else { large };
        if x >= 1.0 { r } else { f32::NAN }
    }

    #[inline(always)]
    pub fn atanh(x: f32) -> f32 {
        let a = x.abs();
        let z = a * a;
        let p = 3.333_333_4e-1
            + z * (2.000_002_9e-1
                + z * (1.428_447e-1
                    + z * (1.113_679_6e-1
                        + z * (8.800_265e-2 + z * (9.574_025e-2 + z * (-1.405_770_7e-3 + z * 1.788_957_3e-1))))));
        let small = a + a * z * p;
        let large = 0.5 * log1p_f32(2.0 * a / (1.0 - a));
        let r = if a < 0.5 { small } else { large };
        (if a <= 1.0 { r } else { f32::NAN }).copysign(x)
    }
}

/// The previous float32 `ln`, `log2`, `log10` (the mantissa folded by a
/// compare and a multiply, the special values selected per element), kept
/// as the same-run baseline of `vmath`'s split versions.
mod old_log {
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    const LOG10_2_HI: f32 = 0.301_025_4;
    const LOG10_2_LO: f32 = 4.605_039e-6;

    #[inline(always)]
    fn parts(x: f32) -> (f32, f32, f32, f32) {
        let sub = x < f32::MIN_POSITIVE;
        let xs = if sub { x * 8_388_608.0 } else { x };
        let bits = xs.to_bits() as i32;
        let e = ((bits >> 23) & 0xff) - 127 - if sub { 23 } else { 0 };
        let m = f32::from_bits(((bits & 0x007f_ffff) | 0x3f80_0000) as u32);
        let big = m > std::f32::consts::SQRT_2;
        let m = if big { m * 0.5 } else { m };
        let e = (e + big as i32) as f32;
        let f = m - 1.0;
        let z = f * f;
        let p = ((((((((7.037_683_6e-2 * f - 1.151_461e-1) * f + 1.167_699_9e-1) * f - 1.242_014_1e-1) * f
            + 1.424_932_3e-1)
            * f
            - 1.666_805_8e-1)
            * f
            + 2.000_071_4e-1)
            * f
            - 2.499_999_4e-1)
            * f
            + 3.333_333e-1)
            * f
            * z;
        (e, f, p, z)
    }

    #[inline(always)]
    fn special(x: f32, r: f32) -> f32 {
        let r = if x == 0.0 { f32::NEG_INFINITY } else { r };
        let r = if x < 0.0 { f32::NAN } else { r };
        if x.is_nan() || x == f32::INFINITY { x } else { r }
    }

    #[inline(always)]
    pub fn ln(x: f32) -> f32 {
        let (e, f, p, z) = parts(x);
        let y = p + LN2_LO * e - 0.5 * z;
        special(x, (f + y) + LN2_HI * e)
    }

    #[inline(always)]
    pub fn log2(x: f32) -> f32 {
        let (e, f, p, z) = parts(x);
        let y = p - 0.5 * z;
        const LOG2E_HI: f32 = 1.442_382_8;
        const LOG2E_LO: f32 = std::f32::consts::LOG2_E - LOG2E_HI;
        let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
        let f_lo = f - f_hi;
        let l = ((f_lo + y) * std::f32::consts::LOG2_E + f_hi * LOG2E_LO) + f_hi * LOG2E_HI;
        special(x, e + l)
    }

    #[inline(always)]
    pub fn log10(x: f32) -> f32 {
        let (e, f, p, z) = parts(x);
        let y = p - 0.5 * z;
        const LOG10E_HI: f32 = 0.434_326_17;
        const LOG10E_LO: f32 = std::f32::consts::LOG10_E - LOG10E_HI;
        let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
        let f_lo = f - f_hi;
        let l = ((f_lo + y) * std::f32::consts::LOG10_E + f_hi * LOG10E_LO) + f_hi * LOG10E_HI;
        special(x, (e * LOG10_2_LO + l) + e * LOG10_2_HI)
    }
}

/// The previous float32 `sin`, `cos`, `tan` fast paths (the argument reduced
/// in f64, 8 lanes per AVX-512 vector), kept here as the same-run baseline of
/// the f32 reduction.
mod old_trig {
    const ROUND64: f64 = 6_755_399_441_055_744.0;
    const PIO2_1: f64 = 1.570_796_325_802_803;
    const PIO2_2: f64 = 9.920_935_808_982_456e-10;
    const PIO2_3: f64 = -1.217_705_177_797_396_6e-18;

    #[inline(always)]
    fn reduce(a: f32) -> (u32, f64) {
        let ad = a as f64;
        let t = ad * std::f64::consts::FRAC_2_PI + ROUND64;
        let j = t - ROUND64;
        (t.to_bits() as u32 & 3, ((ad - j * PIO2_1) - j * PIO2_2) - j * PIO2_3)
    }

    #[inline(always)]
    fn poly(r: f64) -> (f32, f32) {
        let h = r as f32;
        let l = (r - h as f64) as f32;
        let z = h * h;
        let p = -1.666_666_7e-1 + z * (8.333_333e-3 + z * (-1.984_127e-4 + z * 2.755_731_9e-6));
        let s = h + (l + h * z * p);
        let q = 4.166_666_8e-2 + z * (-1.388_888_9e-3 + z * (2.480_158_7e-5 + z * -2.755_732e-7));
        (s, (1.0 - 0.5 * z) + z * z * q)
    }

    #[inline(always)]
    fn odd(x: f32, v: f32) -> f32 {
        let r = f32::from_bits(v.to_bits() ^ (x.to_bits() & 0x8000_0000));
        if x.abs() == f32::INFINITY { f32::NAN } else { r }
    }

    #[inline(always)]
    pub fn sin(x: f32) -> f32 {
        let (j, r) = reduce(x.abs());
        let (s, c) = poly(r);
        let v = if j & 1 == 0 { s } else { c };
        odd(x, if j & 2 == 0 { v } else { -v })
    }

    #[inline(always)]
    pub fn cos(x: f32) -> f32 {
        let (j, r) = reduce(x.abs());
        let (s, c) = poly(r);
        let v = if j & 1 == 0 { c } else { s };
        let v = if (j ^ (j >> 1)) & 1 == 0 { v } else { -v };
        if x.abs() == f32::INFINITY { f32::NAN } else { v }
    }

    #[inline(always)]
    pub fn tan(x: f32) -> f32 {
        let (j, r) = reduce(x.abs());
        let (s, c) = poly(r);
        let odd_j = j & 1 != 0;
        odd(x, if odd_j { c } else { s } / if odd_j { -s } else { c })
    }
}

/// The core's float64 `asinh`, `acosh`, `atanh`, `logaddexp` before the
/// `vmath` kernels: fdlibm's ranges with libm's `ln`/`ln_1p`/`exp`, one
/// element at a time (the "old" rows).
mod old64 {
    use std::f64::consts::LN_2;

    pub fn asinh(x: f64) -> f64 {
        let a = x.abs();
        let r = if a >= 2f64.powi(28) {
            a.ln() + LN_2
        } else if a >= 2.0 {
            (2.0 * a + 1.0 / ((a * a + 1.0).sqrt() + a)).ln()
        } else if a >= 2f64.powi(-28) {
            (a + a * a / ((a * a + 1.0).sqrt() + 1.0)).ln_1p()
        } else {
            a
        };
        r.copysign(x)
    }

    pub fn acosh(x: f64) -> f64 {
        if x < 1.0 {
            return f64::NAN;
        }
        if x < 2.0 {
            let t = x - 1.0;
            (t + (2.0 * t + t * t).sqrt()).ln_1p()
        } else if x < 2f64.powi(28) {
            (2.0 * x - 1.0 / (x + (x * x - 1.0).sqrt())).ln()
        } else {
            x.ln() + LN_2
        }
    }

    pub fn atanh(x: f64) -> f64 {
        let a = x.abs();
        let r = if a < 0.5 {
            0.5 * (2.0 * a + 2.0 * a * a / (1.0 - a)).ln_1p()
        } else {
            0.5 * (2.0 * (a / (1.0 - a))).ln_1p()
        };
        r.copysign(x)
    }

    pub fn logaddexp(a: f64, b: f64) -> f64 {
        if a == b {
            return a + LN_2;
        }
        let m = a.max(b);
        if m.is_nan() || a.is_nan() || b.is_nan() {
            return f64::NAN;
        }
        m + (-(a - b).abs()).exp().ln_1p()
    }
}
