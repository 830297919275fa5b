//! Memory-bound statistics on a 1M×64 float32 matrix, measured in one run:
//! the column and row means and sums, the column `std`/`var`/`std_mean`,
//! and the standardisation `(x - mean) / std` eagerly and fused ([`Expr`])
//! with its statistics from `std_mean` (and, to compare, from `mean` then
//! `std`: two reads), next to
//! a copy of the same matrix (the bandwidth the machine gives this run).
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_memb
//! ```
//!
//! Prints the best of several runs in milliseconds, the GB/s that the
//! bytes each workload must move imply, and the process CPU time per run
//! (all threads; steadier than wall time on a loaded machine). Arguments:
//! the number of runs (default 15) and a filter (only the workloads whose
//! name contains it). Build it at two commits and run the two binaries
//! back to back to compare code on the same load.

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{DType, Expr, Generator};

const ROWS: usize = 1_000_000;
const COLS: usize = 64;
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

/// Times `f` unless a filter (the second argument) is given and `name`
/// does not contain it.
fn row(name: &str, bytes: f64, runs: usize, f: impl FnMut()) {
    if let Some(filter) = std::env::args().nth(2)
        && !name.contains(&filter)
    {
        return;
    }
    let cpu0 = cpu_ms();
    let ms = best_ms(runs, f);
    let cpu = (cpu_ms() - cpu0) / runs as f64;
    println!("{name:<40} {ms:8.2} ms {:6.1} GB/s   CPU {cpu:8.2} ms/run", bytes / ms / 1e6);
}

/// CPU time of the whole process (every thread), user + system, in ms:
/// on a machine shared with other work it moves much less than wall time.
/// From `/proc/self/stat` (Linux; clock ticks of 10 ms, `USER_HZ`), 0
/// elsewhere.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which ends with the last ')'):
    // state is field 3, utime 14 and stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(14) + tick(15)) * 10.0
}

fn main() -> oxarray_core::Result<()> {
    let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(15);
    let mut g = Generator::new(0);
    let x = g.normal(10.0, 3.0, &[ROWS, COLS], DType::Float32)?;
    let xb = (ROWS * COLS * 4) as f64;
    x.mean(Some(&[0]), false)?; // warm the pool and threads
    row("copy 1M×64 f32 (read + write)", 2.0 * xb, runs, || {
        black_box(x.copy());
    });
    row("mean axis 0", xb, runs, || {
        black_box(x.mean(Some(&[0]), false).unwrap());
    });
    row("mean axis 1", xb, runs, || {
        black_box(x.mean(Some(&[1]), false).unwrap());
    });
    row("sum axis 1", xb, runs, || {
        black_box(x.sum(Some(&[1]), false).unwrap());
    });
    row("std axis 0", xb, runs, || {
        black_box(x.std(Some(&[0]), 0.0, false).unwrap());
    });
    row("var axis 0", xb, runs, || {
        black_box(x.var(Some(&[0]), 0.0, false).unwrap());
    });
    let m = x.mean(Some(&[0]), false)?;
    let s = x.std(Some(&[0]), 0.0, false)?;
    row("(x-m)/s eager", 2.0 * xb, runs, || {
        black_box(x.subtract(&m).unwrap().divide(&s).unwrap());
    });
    row("(x-m)/s fused", 2.0 * xb, runs, || {
        black_box(((Expr::from(&x) - &m) / &s).eval().unwrap());
    });
    row("std_mean axis 0", xb, runs, || {
        black_box(x.std_mean(Some(&[0]), 0.0, false).unwrap());
    });
    row("standardize eager (stats + apply)", 3.0 * xb, runs, || {
        let (s, m) = x.std_mean(Some(&[0]), 0.0, false).unwrap();
        black_box(x.subtract(&m).unwrap().divide(&s).unwrap());
    });
    row("standardize fused (stats + apply)", 3.0 * xb, runs, || {
        let (s, m) = x.std_mean(Some(&[0]), 0.0, false).unwrap();
        black_box(((Expr::from(&x) - &m) / &s).eval().unwrap());
    });
    row("standardize fused, mean then std", 3.0 * xb, runs, || {
        let m = x.mean(Some(&[0]), false).unwrap();
        let s = x.std(Some(&[0]), 0.0, false).unwrap();
        black_box(((Expr::from(&x) - &m) / &s).eval().unwrap());
    });
    let x64 = x.astype(DType::Float64)?;
    row("std axis 0 f64", 2.0 * xb, runs, || {
        black_box(x64.std(Some(&[0]), 0.0, false).unwrap());
    });
    row("mean axis 1 f64", 2.0 * xb, runs, || {
        black_box(x64.mean(Some(&[1]), false).unwrap());
    });
    let (s64, m64) = x64.std_mean(Some(&[0]), 0.0, false)?;
    row("copy f64 (read + write)", 4.0 * xb, runs, || {
        black_box(x64.copy());
    });
    row("(x-m)/s f64 eager", 4.0 * xb, runs, || {
        black_box(x64.subtract(&m64).unwrap().divide(&s64).unwrap());
    });
    row("(x-m)/s f64 fused", 4.0 * xb, runs, || {
        black_box(((Expr::from(&x64) - &m64) / &s64).eval().unwrap());
    });
    drop((x, x64));
    let a = g.uniform(-5.0, 5.0, &[N], DType::Float32)?;
    let b = g.uniform(0.5, 1.5, &[N], DType::Float32)?;
    let c = g.uniform(-1.0, 1.0, &[N], DType::Float32)?;
    let f = 4.0 * N as f64;
    row("a*b+c 10M eager", 4.0 * f, runs, || {
        black_box(a.multiply(&b).unwrap().add(&c).unwrap());
    });
    row("a*b+c 10M fused", 4.0 * f, runs, || {
        black_box((Expr::from(&a) * &b + &c).eval().unwrap());
    });
    Ok(())
}
