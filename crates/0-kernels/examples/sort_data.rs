//! The sort of bijective keys (`radix_sort_keys_into`) on 10M `u32` keys
//! of different shapes: integers in a small range (sorted by counting),
//! ten distinct float32 values far apart (bins of single keys), and the
//! full range (the split and the leaves), next to a plain copy of the
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
use oxarray_kernels::sort::radix_sort_keys_into;

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

fn main() {
    let n = 10_000_000;
    let only = std::env::args().nth(1).unwrap_or_default();
    let mut rng = Rng::seed_from_u64(1);
    let mut keys = |f: &mut dyn FnMut(u64) -> u32| (0..n).map(|_| f(rng.next_u64())).collect::<Vec<u32>>();
    // The core's int32 and float32 keys flip the sign bit.
    let sets: Vec<(&str, Vec<u32>)> = vec![
        ("int32 in 0..1000", keys(&mut |r| (r % 1000) as u32 | 1 << 31)),
        ("int32 in 0..10", keys(&mut |r| (r % 10) as u32 | 1 << 31)),
        ("float32, 10 distinct", keys(&mut |r| ((r % 10) as f32).to_bits() | 1 << 31)),
        ("uint32 full range", keys(&mut |r| r as u32)),
    ];
    let mut dst = vec![0u32; n];
    let mut scratch = vec![0u32; n];
    for (name, src) in sets.iter().filter(|s| s.0.contains(&only)) {
        let sort = best(|| radix_sort_keys_into(src, &mut dst, &mut scratch, |k| k, |k| k));
        let mut expected = src.clone();
        expected.sort_unstable();
        assert!(expected == dst, "{name}: not sorted");
        let copy = best(|| dst.copy_from_slice(src));
        println!("{name:<22} sort {sort:7.2} ms   copy {copy:6.2} ms");
    }
}
