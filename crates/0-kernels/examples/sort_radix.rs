//! The radix sort on 10M float32 (uniform in [-5, 5), as the bench's
//! `sort_f32` row) and on other inputs, against NumPy on the same machine
//! in the same run (NumPy is timed by a `python3` child process; its row is
//! left out if NumPy is not installed).
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example sort_radix [n]
//! ```
//!
//! The oxarray times include copying the input into the buffer being sorted
//! (NumPy's `np.sort` returns a sorted copy too) but not allocating it:
//! the core sorts inside a buffer it has just allocated.

use std::process::Command;
use std::time::Instant;

use oxarray_kernels::random::Rng;
use oxarray_kernels::sort::{radix_sort_by_key, radix_sort_by_key_with};

/// The core's float32 key (`Sortable::key` in `oxarray_core::sorting`):
/// NaN largest, `-0.0 == 0.0`, integer order is float order, no branches.
#[inline(always)]
fn key(x: f32) -> u32 {
    let bits = x.to_bits();
    let mag = bits & 0x7fff_ffff;
    let bits = bits & (mag.wrapping_neg() >> 31).wrapping_neg();
    let key = bits ^ ((bits >> 31).wrapping_neg() | 0x8000_0000);
    key | (f32::INFINITY.to_bits().wrapping_sub(mag) >> 31).wrapping_neg()
}

/// CPU time of the whole process in seconds (Linux; 0 elsewhere).
fn process_cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The best wall time of `runs` calls, and the mean process CPU time.
fn best_of(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    let c0 = process_cpu();
    let best = (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min);
    eprintln!("  (mean process CPU per run {:.1} ms)", (process_cpu() - c0) / runs as f64 * 1e3);
    best
}

const NUMPY: &str = r#"
import sys, time, numpy as np
n = int(sys.argv[1])
a = np.random.default_rng(0).uniform(-5, 5, n).astype(np.float32)
def best(f, runs=5):
    t = []
    for _ in range(runs):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return min(t)
print(best(lambda: np.sort(a)), best(lambda: np.sort(a, kind="stable")), best(lambda: np.argsort(a, kind="stable")), best(lambda: np.argsort(a)))
"#;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000_000);
    let mut rng = Rng::seed_from_u64(0);
    let a: Vec<f32> = (0..n).map(|_| (rng.next_f64() * 10.0 - 5.0) as f32).collect();
    let runs = 7;

    let mut v = a.clone();
    let mut scratch = a.clone();
    let sort = best_of(runs, || {
        let t = Instant::now();
        v.copy_from_slice(&a);
        radix_sort_by_key_with(&mut v, &mut scratch, |x| key(*x));
        t.elapsed().as_secs_f64()
    });
    assert!(v.windows(2).all(|w| key(w[0]) <= key(w[1])));
    let fresh = best_of(runs, || {
        let t = Instant::now();
        let mut v = a.clone();
        radix_sort_by_key(&mut v, |x| key(*x));
        t.elapsed().as_secs_f64()
    });
    let mut pairs: Vec<(u32, u32)> = vec![(0, 0); n];
    let mut pscratch = pairs.clone();
    let mut out = vec![0i64; n];
    let argsort = best_of(runs, || {
        let t = Instant::now();
        for (i, (p, &x)) in pairs.iter_mut().zip(&a).enumerate() {
            *p = (key(x), i as u32);
        }
        radix_sort_by_key_with(&mut pairs, &mut pscratch, |p| p.0);
        for (o, p) in out.iter_mut().zip(&pairs) {
            *o = p.1 as i64;
        }
        t.elapsed().as_secs_f64()
    });

    let np = Command::new("python3").args(["-c", NUMPY, &n.to_string()]).output().ok().and_then(|o| {
        let s = String::from_utf8(o.stdout).ok()?;
        let t: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
        (t.len() == 4).then_some(t)
    });
    println!("n = {n}, rayon threads = {}", rayon::current_num_threads());
    let row = |name: &str, ox: f64, peer: Option<(f64, &str)>| match peer {
        Some((p, pname)) => {
            println!("{name:<44} {:8.2} ms   {pname} {:8.2} ms   ratio {:.2}x", ox * 1e3, p * 1e3, p / ox)
        }
        None => println!("{name:<44} {:8.2} ms", ox * 1e3),
    };
    let np = np.as_deref();
    row("sort (reused scratch)", sort, np.map(|t| (t[0], "np.sort")));
    row("sort (reused scratch) vs stable", sort, np.map(|t| (t[1], "np.sort stable")));
    row("sort (fresh Vec + fresh scratch)", fresh, np.map(|t| (t[0], "np.sort")));
    row("argsort (reused buffers)", argsort, np.map(|t| (t[2], "np.argsort stable")));
    row("argsort (reused buffers) vs default", argsort, np.map(|t| (t[3], "np.argsort")));
}
