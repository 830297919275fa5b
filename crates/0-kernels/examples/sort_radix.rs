//! The radix sort on 10M elements: float32 uniform in [-5, 5) (as the
//! bench's `sort_f32` row), uint32 and float64, and the argsort of the
//! float32 (as `(key, index)` pairs), each timed with the current entry
//! points (`radix_sort_keys_into` for the unstable sort on bijective keys,
//! `radix_sort_by_key_into` for the stable sort), the previous hybrid sort
//! (`sort::hybrid`), the plain LSD sort before it (`sort::lsd`), and NumPy
//! on the same machine in the same run (NumPy is timed by a `python3`
//! child process; its column is left out if NumPy is not installed).
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example sort_radix [n]
//! ```
//!
//! Every time is of a sorted copy, as NumPy's `np.sort` returns: the
//! current entries read the input and write the result buffer, the older
//! sorts copy the input into it first; no time includes allocating the
//! result (the core sorts into a buffer it has just allocated).

use std::process::Command;
use std::time::Instant;

use oxarray_kernels::random::Rng;
use oxarray_kernels::sort::{
    RadixKey, hybrid, lsd, radix_sort_by_key_into, radix_sort_by_key_with, radix_sort_keys_into,
};

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

/// The same key for float64.
#[inline(always)]
fn key64(x: f64) -> u64 {
    let bits = x.to_bits();
    let mag = bits & !(1 << 63);
    let bits = bits & (mag.wrapping_neg() >> 63).wrapping_neg();
    let key = bits ^ ((bits >> 63).wrapping_neg() | 1 << 63);
    key | (f64::INFINITY.to_bits().wrapping_sub(mag) >> 63).wrapping_neg()
}

/// CPU time of the whole process in seconds (Linux; 0 elsewhere).
fn process_cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The best wall time of `runs` calls, and the mean process CPU time.
fn best_of(runs: usize, mut f: impl FnMut() -> f64) -> (f64, f64) {
    let c0 = process_cpu();
    let best = (0..runs).map(|_| f()).fold(f64::INFINITY, f64::min);
    (best, (process_cpu() - c0) / runs as f64)
}

const NUMPY: &str = r#"
import sys, time, numpy as np
n = int(sys.argv[1])
a = np.random.default_rng(0).uniform(-5, 5, n).astype(np.float32)
u = np.random.default_rng(1).integers(0, 2**32, n, dtype=np.uint32)
d = np.random.default_rng(2).uniform(-5, 5, n)
def best(f, runs=5):
    t = []
    for _ in range(runs):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return min(t)
print(best(lambda: np.sort(a)), best(lambda: np.sort(a, kind="stable")), best(lambda: np.argsort(a)),
      best(lambda: np.argsort(a, kind="stable")), best(lambda: np.sort(u)), best(lambda: np.sort(d)))
"#;

/// A bijective float32 key (IEEE total order, NaNs of both signs last:
/// the core's `Sortable::bij`) and its inverse.
#[inline(always)]
fn bij(x: f32) -> u32 {
    let b = x.to_bits();
    (b ^ ((b >> 31).wrapping_neg() | 1 << 31)).wrapping_sub(0x007f_ffff)
}
#[inline(always)]
fn unbij(k: u32) -> f32 {
    let k = k.wrapping_add(0x007f_ffff);
    f32::from_bits(k ^ ((!k >> 31).wrapping_neg() | 1 << 31))
}
/// The same for float64.
#[inline(always)]
fn bij64(x: f64) -> u64 {
    let b = x.to_bits();
    (b ^ ((b >> 63).wrapping_neg() | 1 << 63)).wrapping_sub((1 << 52) - 1)
}
#[inline(always)]
fn unbij64(k: u64) -> f64 {
    let k = k.wrapping_add((1 << 52) - 1);
    f64::from_bits(k ^ ((!k >> 63).wrapping_neg() | 1 << 63))
}

/// Times sorting `a`: by its bijective key with `radix_sort_keys_into`
/// (what the core runs for unstable float sorts and all integer sorts), by
/// `k` with `radix_sort_by_key_into` (stable float sorts; both out of
/// place: `a` into the result buffer, no copy), and with the previous
/// hybrid sort and the plain LSD sort (copy, then sort in place); all with
/// reused scratch. Checks they agree (`a` has no `-0.0` or NaN, so the
/// key sort's order is the stable one) and returns the four times.
fn time_all<T, K>(
    a: &[T],
    k: impl Fn(&T) -> K + Sync + Copy,
    bij: (impl Fn(T) -> K + Sync + Copy, impl Fn(K) -> T + Sync + Copy),
    runs: usize,
) -> [(f64, f64); 4]
where
    T: Copy + Send + Sync + PartialEq + std::fmt::Debug,
    K: RadixKey,
{
    let mut scratch = a.to_vec();
    let mut ks = vec![K::MAX; a.len()];
    let mut u = a.to_vec();
    let keys = best_of(runs, || {
        let t = Instant::now();
        radix_sort_keys_into(a, &mut u, &mut ks, bij.0, bij.1);
        t.elapsed().as_secs_f64()
    });
    let mut v = a.to_vec();
    let into = best_of(runs, || {
        let t = Instant::now();
        radix_sort_by_key_into(a, &mut v, &mut scratch, k);
        t.elapsed().as_secs_f64()
    });
    let mut h = a.to_vec();
    let hyb = best_of(runs, || {
        let t = Instant::now();
        h.copy_from_slice(a);
        hybrid::radix_sort_by_key_with(&mut h, &mut scratch, k);
        t.elapsed().as_secs_f64()
    });
    let mut w = a.to_vec();
    let old = best_of(runs, || {
        let t = Instant::now();
        w.copy_from_slice(a);
        lsd::radix_sort_by_key_with(&mut w, &mut scratch, k);
        t.elapsed().as_secs_f64()
    });
    assert!(u == w && v == w && h == w, "the sorts disagree");
    assert!(v.windows(2).all(|p| k(&p[0]) <= k(&p[1])));
    [keys, into, hyb, old]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000_000);
    let mut rng = Rng::seed_from_u64(0);
    let a: Vec<f32> = (0..n).map(|_| (rng.next_f64() * 10.0 - 5.0) as f32).collect();
    let u: Vec<u32> = (0..n).map(|_| rng.next_u64() as u32).collect();
    let d: Vec<f64> = (0..n).map(|_| rng.next_f64() * 10.0 - 5.0).collect();
    let runs = 7;

    let f32_sort = time_all(&a, |x| key(*x), (|x| bij(x), |k| unbij(k)), runs);
    let u32_sort = time_all(&u, |x| *x, (|x: u32| x, |x: u32| x), runs);
    let f64_sort = time_all(&d, |x| key64(*x), (|x| bij64(x), |k| unbij64(k)), runs);
    // Argsort: fill (key, index) pairs, sort them, read the indices.
    let mut out = vec![0i64; n];
    let mut argsort = |which: usize| {
        let mut pairs: Vec<(u32, u32)> = vec![(0, 0); n];
        let mut pscratch = pairs.clone();
        best_of(runs, || {
            let t = Instant::now();
            for (i, (p, &x)) in pairs.iter_mut().zip(&a).enumerate() {
                *p = (key(x), i as u32);
            }
            match which {
                0 => radix_sort_by_key_with(&mut pairs, &mut pscratch, |p| p.0),
                1 => hybrid::radix_sort_by_key_with(&mut pairs, &mut pscratch, |p| p.0),
                _ => lsd::radix_sort_by_key_with(&mut pairs, &mut pscratch, |p| p.0),
            }
            for (o, p) in out.iter_mut().zip(&pairs) {
                *o = p.1 as i64;
            }
            t.elapsed().as_secs_f64()
        })
    };
    let arg = [argsort(0), argsort(1), argsort(2)];

    let np = Command::new("python3").args(["-c", NUMPY, &n.to_string()]).output().ok().and_then(|o| {
        let s = String::from_utf8(o.stdout).ok()?;
        let t: Vec<f64> = s.split_whitespace().filter_map(|x| x.parse().ok()).collect();
        (t.len() == 6).then_some(t)
    });
    println!(
        "n = {n}, rayon threads = {}; best of {runs} ms (mean process CPU ms per run)",
        rayon::current_num_threads()
    );
    let np = np.as_deref();
    let ms = |x: (f64, f64)| format!("{:7.2} ({:5.0})", x.0 * 1e3, x.1 * 1e3);
    let peer = |i: usize, name: &str, ours: (f64, f64)| match np {
        Some(t) => format!("  {name} {:7.2}, {name}/ours {:.2}x", t[i] * 1e3, t[i] / ours.0),
        None => String::new(),
    };
    for (name, [keys, into, hyb, old], np_unstable) in
        [("f32 sort", f32_sort, Some(0)), ("u32 sort", u32_sort, Some(4)), ("f64 sort", f64_sort, Some(5))]
    {
        println!(
            "{name:<9} keys {}  into {}  hybrid {}  lsd {}  hybrid/keys {:.2}x hybrid/into {:.2}x{}{}",
            ms(keys),
            ms(into),
            ms(hyb),
            ms(old),
            hyb.0 / keys.0,
            hyb.0 / into.0,
            np_unstable.map_or(String::new(), |i| peer(i, "np.sort", keys)),
            if name == "f32 sort" { peer(1, "np.sort stable", into) } else { String::new() },
        );
    }
    let [new, hyb, old] = arg;
    println!(
        "f32 argsort new {}  hybrid {}  lsd {}  hybrid/new {:.2}x{}{}",
        ms(new),
        ms(hyb),
        ms(old),
        hyb.0 / new.0,
        peer(2, "np.argsort", new),
        peer(3, "np.argsort stable", new)
    );
}
