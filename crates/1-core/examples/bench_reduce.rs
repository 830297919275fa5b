//! Reduction speed: oxarray against a plain Rust loop and against copying
//! the same bytes (`memcpy`, which reads them once and writes them once).
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_reduce
//! ```
//!
//! Each timing is the best of several runs. "1 thread" runs oxarray inside
//! a one-thread rayon pool, so the ratio to it shows what the second core
//! (and more) adds.

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{Array, Result};

/// Best wall time of `reps` runs of `f`, in milliseconds.
fn best(reps: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm up: page faults, caches, thread pool
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

/// Deterministic values in [-1, 1).
fn values(n: usize) -> Vec<f32> {
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

struct Row {
    name: String,
    ox: f64,
    ox1: f64,
    plain: f64,
    copy: f64,
}

fn report(rows: &[Row]) {
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "workload", "oxarray", "1 thread", "plain", "memcpy", "plain/ox", "ox/copy", "1t/ox"
    );
    for r in rows {
        println!(
            "{:<34} {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>7.2}ms {:>8.2} {:>8.2} {:>8.2}",
            r.name,
            r.ox,
            r.ox1,
            r.plain,
            r.copy,
            r.plain / r.ox,
            r.ox / r.copy,
            r.ox1 / r.ox
        );
    }
}

fn main() -> Result<()> {
    let reps = 15;
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let mut rows = Vec::new();
    println!("threads: {}", rayon::current_num_threads());

    for n in [10_000_000usize, 50_000_000] {
        let x = values(n);
        let a = Array::from_slice(&x, &[n])?;
        let mut dst = vec![0f32; n];
        let copy = best(reps, || {
            dst.copy_from_slice(&x);
            black_box(&dst);
        });
        let ox = best(reps, || {
            black_box(a.sum(None, false).unwrap());
        });
        let ox1 = one.install(|| best(reps, || drop(black_box(a.sum(None, false).unwrap()))));
        let plain = best(reps, || {
            black_box(x.iter().sum::<f32>());
        });
        rows.push(Row { name: format!("sum {}M f32", n / 1_000_000), ox, ox1, plain, copy });

        if n == 10_000_000 {
            let ox = best(reps, || drop(black_box(a.argmax(None, false).unwrap())));
            let ox1 = one.install(|| best(reps, || drop(black_box(a.argmax(None, false).unwrap()))));
            let plain = best(reps, || {
                let (mut bi, mut bv) = (0usize, x[0]);
                for (i, &v) in x.iter().enumerate() {
                    if v > bv {
                        bv = v;
                        bi = i;
                    }
                }
                black_box(bi);
            });
            rows.push(Row { name: "argmax 10M f32".into(), ox, ox1, plain, copy });

            let x64: Vec<f64> = x.iter().map(|&v| v as f64).collect();
            let a64 = Array::from_slice(&x64, &[n])?;
            let mut dst64 = vec![0f64; n];
            let copy = best(reps, || {
                dst64.copy_from_slice(&x64);
                black_box(&dst64);
            });
            let ox = best(reps, || drop(black_box(a64.sum(None, false).unwrap())));
            let ox1 = one.install(|| best(reps, || drop(black_box(a64.sum(None, false).unwrap()))));
            let plain = best(reps, || {
                black_box(x64.iter().sum::<f64>());
            });
            rows.push(Row { name: "sum 10M f64".into(), ox, ox1, plain, copy });
        }
    }

    let (r, c) = (1_000_000usize, 64usize);
    let x = values(r * c);
    let m = Array::from_slice(&x, &[r, c])?;
    let mut dst = vec![0f32; r * c];
    let copy = best(5, || {
        dst.copy_from_slice(&x);
        black_box(&dst);
    });
    for axis in [0isize, 1] {
        let ox = best(5, || drop(black_box(m.mean(Some(&[axis]), false).unwrap())));
        let ox1 = one.install(|| best(5, || drop(black_box(m.mean(Some(&[axis]), false).unwrap()))));
        let plain = best(5, || {
            if axis == 0 {
                let mut acc = vec![0f32; c];
                for row in x.chunks_exact(c) {
                    for (a, &v) in acc.iter_mut().zip(row) {
                        *a += v;
                    }
                }
                acc.iter_mut().for_each(|a| *a /= r as f32);
                black_box(acc);
            } else {
                let means: Vec<f32> = x.chunks_exact(c).map(|row| row.iter().sum::<f32>() / c as f32).collect();
                black_box(means);
            }
        });
        rows.push(Row { name: format!("mean axis {axis} of 1M x 64 f32"), ox, ox1, plain, copy });
    }
    report(&rows);
    println!("plain/ox > 1: oxarray is faster than the loop; ox/copy < 1: faster than copying the bytes once.");
    Ok(())
}
