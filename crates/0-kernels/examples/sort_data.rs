//! The sort of bijective keys (`radix_sort_keys_into`) on 10M `u32` and
//! `u64` keys of different shapes: integers in a small range (sorted by
//! counting), ten distinct float32 values far apart (bins of single keys),
//! the full range (the split and the leaves), and float64 uniform and
//! normal (histogram bins larger than a leaf), next to a plain copy of the
//! same bytes. Buffers are reused, as the core's pool does.
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example sort_data [name filter]
//! ```
//!
//! NumPy's times for the same shapes come from `bench/py_sort.py`; this
//! example is for profiling the kernel alone (`perf record`).

use std::time::Instant;

use oxarray_kernels::random::Rng;
use oxarray_kernels::sort::{
    RadixKey, argsort_by_counting, argsort_into, radix_sort_by_key_with, radix_sort_keys_into,
};
use rayon::prelude::*;

/// The best wall time of nine calls, in ms.
fn best(mut f: impl FnMut()) -> f64 {
    (0..9)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

/// The float64 key the core uses for an ascending sort: the sign bit
/// flipped for positive values, every bit for negative ones.
fn f64_key(x: f64) -> u64 {
    let b = x.to_bits();
    b ^ (((b as i64 >> 63) as u64) | 1 << 63)
}

/// Sorts `n` keys made by `make` from random numbers, if `name` contains
/// `only`, and prints the times.
fn run<K: RadixKey + std::fmt::Debug>(name: &str, only: &str, make: impl Fn(u64, u64) -> K) {
    if !name.contains(only) {
        return;
    }
    let n = 10_000_000;
    let mut rng = Rng::seed_from_u64(1);
    let src: Vec<K> = (0..n).map(|_| make(rng.next_u64(), rng.next_u64())).collect();
    let mut dst = vec![K::MAX; n];
    let mut scratch = vec![K::MAX; n];
    let sort = best(|| radix_sort_keys_into(&src, &mut dst, &mut scratch, |k| k, |k| k));
    let mut expected = src.clone();
    expected.sort_unstable();
    assert!(expected == dst, "{name}: not sorted");
    let copy = best(|| dst.copy_from_slice(&src));
    println!("{name:<22} sort {sort:7.2} ms   copy {copy:6.2} ms");
}

/// The stable argsort of `n` keys made by `make`, if `name` contains
/// `only`: by counting if the keys are few distinct values
/// (`argsort_by_counting`), else two ways: `(key, index)` pairs built in a
/// pass of their own, sorted, and read back into `i64` indices (the core's
/// argsort before `argsort_into`), and `argsort_into`.
fn run_argsort<K: RadixKey + std::fmt::Debug>(name: &str, only: &str, make: impl Fn(u64, u64) -> K) {
    if !name.contains(only) {
        return;
    }
    let n = 10_000_000;
    let mut rng = Rng::seed_from_u64(1);
    let src: Vec<K> = (0..n).map(|_| make(rng.next_u64(), rng.next_u64())).collect();
    let mut pairs = vec![(K::MAX, 0u32); n];
    let mut scratch = pairs.clone();
    let mut out = vec![0i64; n];
    let mut expected: Vec<i64> = (0..n as i64).collect();
    expected.sort_by_key(|&i| src[i as usize]);
    if argsort_by_counting(&src, &mut out, |&k| k, |i| i as i64) {
        let counting = best(|| assert!(argsort_by_counting(&src, &mut out, |&k| k, |i| i as i64)));
        assert!(expected == out, "{name}: argsort_by_counting not sorted");
        println!("{name:<22} argsort_by_counting {counting:7.2} ms");
        return;
    }
    let by_pairs = best(|| {
        pairs.par_iter_mut().zip(&src).enumerate().for_each(|(i, (p, &k))| *p = (k, i as u32));
        radix_sort_by_key_with(&mut pairs, &mut scratch, |p| p.0);
        out.par_iter_mut().zip(&pairs).for_each(|(o, p)| *o = i64::from(p.1));
    });
    assert!(expected == out, "{name}: pairs not sorted");
    out.fill(-1);
    let into = best(|| argsort_into(&src, &mut out, &mut scratch, |&k| k, |i| i as i64));
    assert!(expected == out, "{name}: argsort_into not sorted");
    println!("{name:<22} pairs {by_pairs:7.2} ms   argsort_into {into:7.2} ms");
}

/// A standard normal float64 (Box-Muller).
fn normal(r: u64, s: u64) -> f64 {
    let (u, v) = (uniform(r).max(1e-300), uniform(s));
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// The float32 key the core uses for an ascending sort.
fn f32_key(x: f32) -> u32 {
    let b = x.to_bits();
    b ^ (((b as i32 >> 31) as u32) | 1 << 31)
}

/// A uniform float64 in [0, 1).
fn uniform(r: u64) -> f64 {
    (r >> 11) as f64 / (1u64 << 53) as f64
}

fn main() {
    let only = &std::env::args().nth(1).unwrap_or_default();
    // The core's int32 and float32 keys flip the sign bit.
    run("int32 in 0..1000", only, |r, _| (r % 1000) as u32 | 1 << 31);
    run("int32 in 0..10", only, |r, _| (r % 10) as u32 | 1 << 31);
    run("float32, 10 distinct", only, |r, _| ((r % 10) as f32).to_bits() | 1 << 31);
    run("uint32 full range", only, |r, _| r as u32);
    run("float32 in [-5, 5)", only, |r, _| f32_key((uniform(r) * 10.0 - 5.0) as f32));
    run("float32 normal", only, |r, s| f32_key(normal(r, s) as f32));
    run("float64 in [-5, 5)", only, |r, _| f64_key(uniform(r) * 10.0 - 5.0));
    run("float64 normal", only, |r, s| f64_key(normal(r, s)));
    run("uint64 full range", only, |r, _| r);
    run_argsort("argsort float32 uniform", only, |r, _| f32_key((uniform(r) * 10.0 - 5.0) as f32));
    run_argsort("argsort float32 normal", only, |r, s| f32_key(normal(r, s) as f32));
    run_argsort("argsort float64 uniform", only, |r, _| f64_key(uniform(r) * 10.0 - 5.0));
    run_argsort("argsort int32 in 0..1000", only, |r, _| (r % 1000) as u32 | 1 << 31);
    run_argsort("argsort float32, 10 distinct", only, |r, _| f32_key((r % 10) as f32));
}
