//! Profiling driver: sorts 10M float32 uniform(-5, 5) repeatedly with one
//! algorithm (`new`, `hybrid`, `lsd`; `copy` only copies), for `perf`.
use oxarray_kernels::random::Rng;
use oxarray_kernels::sort::{hybrid, lsd, radix_sort_by_key_into, radix_sort_keys_into};
use std::time::Instant;

#[inline(always)]
fn key(x: f32) -> u32 {
    let bits = x.to_bits();
    let mag = bits & 0x7fff_ffff;
    let bits = bits & (mag.wrapping_neg() >> 31).wrapping_neg();
    let key = bits ^ ((bits >> 31).wrapping_neg() | 0x8000_0000);
    key | (f32::INFINITY.to_bits().wrapping_sub(mag) >> 31).wrapping_neg()
}

/// CPU time of all threads of the process in ns (Linux schedstat; 0
/// elsewhere): unlike wall time, it does not count the time other
/// processes hold the cores.
fn cpu_ns() -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc/self/task") else { return 0 };
    dir.filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

/// A bijective float32 key: IEEE total order, rotated so that NaNs of
/// both signs come last.
#[inline(always)]
fn bij(x: f32) -> u32 {
    let bits = x.to_bits();
    (bits ^ (((bits as i32) >> 31) as u32 | 0x8000_0000)).wrapping_sub(0x007f_ffff)
}

#[inline(always)]
fn unbij(k: u32) -> f32 {
    let k = k.wrapping_add(0x007f_ffff);
    f32::from_bits(k ^ ((((!k) as i32) >> 31) as u32 | 0x8000_0000))
}

fn main() {
    let n = 10_000_000;
    let algo = std::env::args().nth(1).unwrap_or_else(|| "new".into());
    let reps: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(30);
    let mut rng = Rng::seed_from_u64(0);
    let a: Vec<f32> = (0..n).map(|_| (rng.next_f64() * 10.0 - 5.0) as f32).collect();
    let mut v = a.clone();
    let mut s = a.clone();
    let mut ks = vec![0u32; n];
    let (mut best, mut best_cpu) = (f64::INFINITY, u64::MAX);
    for _ in 0..reps {
        let c = cpu_ns();
        let t = Instant::now();
        match algo.as_str() {
            "new" => radix_sort_by_key_into(&a, &mut v, &mut s, |x| key(*x)),
            "keys" => radix_sort_keys_into(&a, &mut v, &mut ks, bij, unbij),
            "hybrid" => {
                v.copy_from_slice(&a);
                hybrid::radix_sort_by_key_with(&mut v, &mut s, |x| key(*x))
            }
            "lsd" => {
                v.copy_from_slice(&a);
                lsd::radix_sort_by_key_with(&mut v, &mut s, |x| key(*x))
            }
            _ => v.copy_from_slice(&a),
        }
        best = best.min(t.elapsed().as_secs_f64());
        best_cpu = best_cpu.min(cpu_ns() - c);
    }
    let mut w = a.clone();
    w.sort_by(|x, y| x.total_cmp(y));
    assert!(algo == "copy" || v == w);
    println!("{algo}: best wall {:.2} ms, best CPU {:.2} ms", best * 1e3, best_cpu as f64 * 1e-6);
}
