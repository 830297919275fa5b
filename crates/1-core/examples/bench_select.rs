//! Selection and sorting on 10M float32 (40 MB, above this machine's 32 MB
//! L3): oxarray against the plain Rust a user would write.
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_select
//! ```
//!
//! Prints the best of several runs in milliseconds and the ratio
//! `plain / oxarray` (above 1: oxarray is faster). The NumPy numbers to
//! compare with come from the same workloads in Python:
//! `np.take(x, idx)`, `np.sort(x)`, `np.sort(x, kind="stable")`,
//! `np.argsort(x)`, `x[m]`.

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{Array, SortOptions};
use oxarray_kernels::random::Rng;

const N: usize = 10_000_000;

fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn row(name: &str, ox: f64, plain: f64) {
    println!("{name:<34} oxarray {ox:8.1} ms   plain Rust {plain:8.1} ms   ratio {:5.2}x", plain / ox);
}

fn main() -> oxarray_core::Result<()> {
    let mut rng = Rng::seed_from_u64(42);
    let x: Vec<f32> = (0..N).map(|_| rng.next_f64() as f32).collect();
    let idx: Vec<i64> = (0..N).map(|_| rng.below(N as u64) as i64).collect();
    let m: Vec<bool> = (0..N).map(|_| rng.next_u64() & 1 == 1).collect();
    let xa = Array::from_slice(&x, &[N])?;
    let ia = Array::from_slice(&idx, &[N])?;
    let ma = Array::from_slice(&m, &[N])?;
    println!("threads: {}", std::thread::available_parallelism().map_or(1, |n| n.get()));

    let ox = best_ms(7, || {
        black_box(xa.take(&ia, None).unwrap());
    });
    let plain = best_ms(7, || {
        black_box(idx.iter().map(|&i| x[i as usize]).collect::<Vec<f32>>());
    });
    row("take 10M random int64 indices", ox, plain);

    let ox = best_ms(7, || {
        black_box(xa.mask(&ma).unwrap());
    });
    let plain = best_ms(7, || {
        black_box(x.iter().zip(&m).filter(|p| *p.1).map(|p| *p.0).collect::<Vec<f32>>());
    });
    row("boolean mask (50% true)", ox, plain);

    let ox = best_ms(5, || {
        black_box(xa.sort_with(-1, SortOptions::default().unstable()).unwrap());
    });
    let plain = best_ms(3, || {
        let mut v = x.clone();
        v.sort_unstable_by(|a, b| a.total_cmp(b));
        black_box(v);
    });
    row("sort unstable vs sort_unstable_by", ox, plain);

    let ox = best_ms(5, || {
        black_box(xa.sort(-1).unwrap());
    });
    let plain = best_ms(3, || {
        let mut v = x.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        black_box(v);
    });
    row("sort stable vs sort_by", ox, plain);

    let ox = best_ms(3, || {
        black_box(xa.argsort(-1).unwrap());
    });
    let plain = best_ms(3, || {
        let mut p: Vec<i64> = (0..N as i64).collect();
        p.sort_by(|&i, &j| x[i as usize].total_cmp(&x[j as usize]));
        black_box(p);
    });
    row("argsort (stable) vs sort_by indices", ox, plain);

    let xi: Vec<i32> = (0..N).map(|_| rng.next_u64() as i32).collect();
    let xia = Array::from_slice(&xi, &[N])?;
    let ox = best_ms(5, || {
        black_box(xia.sort(-1).unwrap());
    });
    let plain = best_ms(3, || {
        let mut v = xi.clone();
        v.sort_unstable();
        black_box(v);
    });
    row("sort int32 vs sort_unstable", ox, plain);

    let y = Array::from_slice(&x, &[1000, N / 1000])?;
    let ox = best_ms(3, || {
        black_box(y.sort(0).unwrap());
    });
    let plain = best_ms(3, || {
        let (r, c) = (1000, N / 1000);
        let mut out = x.clone();
        let mut lane = vec![0f32; r];
        for j in 0..c {
            for i in 0..r {
                lane[i] = out[i * c + j];
            }
            lane.sort_unstable_by(|a, b| a.total_cmp(b));
            for i in 0..r {
                out[i * c + j] = lane[i];
            }
        }
        black_box(out);
    });
    row("sort axis 0 of (1000, 10000)", ox, plain);

    let ox = best_ms(3, || {
        black_box(xa.topk(100, -1, true).unwrap());
    });
    let plain = best_ms(3, || {
        let mut v = x.clone();
        v.select_nth_unstable_by(100, |a, b| b.total_cmp(a));
        v.truncate(100);
        v.sort_unstable_by(|a, b| b.total_cmp(a));
        black_box(v);
    });
    row("topk 100 (values+indices) vs select_nth", ox, plain);
    Ok(())
}
