//! Times the vectorised float32 and float64 functions of `vmath` over 10M elements at
//! every SIMD level the CPU has, into a reused (already faulted-in) output,
//! threaded as the elementwise loops are. Prints milliseconds per call; the
//! NumPy peer is `bench/vmath_peer.py` (run right after, same buffers and
//! `out=`).
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example vmath_speed [N]
//! ```

// The functions are wrapped in `#[inline(always)]` closures on purpose: a
// closure's own call inlines into the SIMD loop, a function item's call may not.
#![allow(clippy::redundant_closure)]

use std::time::Instant;

use oxarray_kernels::elementwise::{Heavy, Operand, Split, unary_split, unary_with};
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
    print!("n={n} ms/call (best of 10), threads={}:", rayon::current_num_threads());
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
    time(
        "libm_exp_f64",
        #[inline(always)]
        |v: f64| v.exp(),
        &sym,
        &mut out,
        &levels,
    );
    simd::set_max_level(None);
}

/// Prints the best of 10 calls of `f` over `x` at each level.
fn time<T: Copy + Send + Sync>(name: &str, f: impl Fn(T) -> T + Sync + Copy, x: &[T], out: &mut [T], levels: &[Level]) {
    let shape = [x.len()];
    let strides = [1isize];
    print!("{name:>13}");
    for &l in levels {
        simd::set_max_level(Some(l));
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let t = Instant::now();
            unary_with(out, &shape, Operand { data: x, strides: &strides, offset: 0 }, f, Heavy);
            best = best.min(t.elapsed().as_secs_f64());
        }
        print!(" {:8.3}", best * 1e3);
    }
    println!();
    std::hint::black_box(&out);
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
    let shape = [x.len()];
    let strides = [1isize];
    print!("{name:>13}");
    for &l in levels {
        simd::set_max_level(Some(l));
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let t = Instant::now();
            let s = Split { fast, full, rare: vmath::trig_needs_full };
            unary_split(out, &shape, Operand { data: x, strides: &strides, offset: 0 }, s, Heavy);
            best = best.min(t.elapsed().as_secs_f64());
        }
        print!(" {:8.3}", best * 1e3);
    }
    println!();
    std::hint::black_box(&out);
}
