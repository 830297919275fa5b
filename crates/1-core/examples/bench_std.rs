//! `std`/`var`/`std_mean` along axis 0 of a 1M×64 float32 matrix against
//! `mean`, against `mean` then `std` (two reads), and against a copy of
//! `std`'s leaf code built from the public kernels (each 256 KiB leaf
//! reduced twice by `reduce::reduce`, once for the sums and once for the
//! squared deviations, leaves merged pairwise with Chan's update: a
//! baseline for changes to the leaves), and the same reductions of the
//! matrix's memory seen as 64000×1000 (wide rows, folded in several
//! column tiles) and 1.6M×40 (narrower than a register tile), all in one
//! process and alternated round by round, so that every line sees the
//! same load.
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_std [-- ROUNDS [FILTER]]
//! ```
//!
//! Prints, per workload, the best wall time of all rounds and the process
//! CPU time per run (all threads; steadier than wall time on a loaded
//! machine), and the ratio of each to `mean`'s.

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{DType, Generator};
use oxarray_kernels::elementwise::Operand;
use oxarray_kernels::reduce::{self, Reduction};

const ROWS: usize = 1_000_000;
const COLS: usize = 64;
/// Runs per workload per round.
const RUNS: usize = 5;

/// CPU time of the whole process (every thread), user + system, in ms,
/// from `/proc/self/stat` (clock ticks of 10 ms); 0 elsewhere.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(14) + tick(15)) * 10.0
}

/// The sum of the elements (float32).
struct Sum;

impl Reduction<f32> for Sum {
    type Acc = f32;
    type Param = ();
    #[inline(always)]
    fn identity(&self) -> f32 {
        0.0
    }
    #[inline(always)]
    fn step(&self, acc: f32, x: f32, _: ()) -> f32 {
        acc + x
    }
    #[inline(always)]
    fn merge(&self, a: f32, b: f32) -> f32 {
        a + b
    }
}

/// `Σ (x - mean)²`, the mean per output.
struct SquaredDeviations;

impl Reduction<f32> for SquaredDeviations {
    type Acc = f32;
    type Param = f32;
    #[inline(always)]
    fn identity(&self) -> f32 {
        0.0
    }
    #[inline(always)]
    fn step(&self, acc: f32, x: f32, mean: f32) -> f32 {
        let d = x - mean;
        acc + d * d
    }
    #[inline(always)]
    fn merge(&self, a: f32, b: f32) -> f32 {
        a + b
    }
}

type Moments = (usize, Vec<f32>, Vec<f32>);

/// The previous `std(axis=0)` of a C-contiguous float32 matrix: leaves of
/// 256 KiB, each reduced in two calls of `reduce::reduce`, merged pairwise
/// with Chan's update.
fn old_std_axis0(data: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let leaf_rows = (256 << 10) / (4 * cols);
    let strides = [cols as isize, 1];
    let leaf = |lo: usize, hi: usize| -> Moments {
        let (mut means, mut m2) = (vec![0f32; cols], vec![0f32; cols]);
        let src = Operand { data, strides: &strides, offset: lo * cols };
        let shape = [hi - lo, cols];
        reduce::reduce(src, &shape, &[true, false], &Sum, None, &mut means);
        let n = (hi - lo) as f64;
        means.iter_mut().for_each(|m| *m = (*m as f64 / n) as f32);
        reduce::reduce(src, &shape, &[true, false], &SquaredDeviations, Some(&means), &mut m2);
        (hi - lo, means, m2)
    };
    let merge = |left: Moments, right: Moments| -> Moments {
        let ((na, mut means, mut m2), (nb, mb, qb)) = (left, right);
        let n = (na + nb) as f64;
        let (fa, fb) = (na as f64, nb as f64);
        for ((m, q), (&mb, &qb)) in means.iter_mut().zip(m2.iter_mut()).zip(mb.iter().zip(&qb)) {
            let delta = mb - *m;
            *m += (delta as f64 / (n / fb)) as f32;
            *q = *q + qb + ((delta * delta) as f64 / (n / (fa * fb))) as f32;
        }
        (na + nb, means, m2)
    };
    let (_, _, m2) = reduce::pairwise(0, rows, leaf_rows, 4 * leaf_rows, &leaf, &merge);
    m2.iter().map(|&q| ((q as f64 / rows as f64) as f32).sqrt()).collect()
}

fn main() -> oxarray_core::Result<()> {
    let rounds: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(6);
    let filter = std::env::args().nth(2);
    let mut g = Generator::new(0);
    let x = g.normal(10.0, 3.0, &[ROWS, COLS], DType::Float32)?;
    let data: Vec<f32> = x.to_vec()?;
    let x64 = x.astype(DType::Float64)?;
    let wide = x.reshape(&[ROWS * COLS / 1000, 1000])?;
    let narrow = x.reshape(&[ROWS * COLS / 40, 40])?;
    // The copy gives `std`'s bits (it is the same algorithm).
    let old = old_std_axis0(&data, ROWS, COLS);
    let new = x.std(Some(&[0]), 0.0, false)?.to_vec::<f32>()?;
    let same = old.iter().zip(&new).filter(|(a, b)| a.to_bits() == b.to_bits()).count();
    println!("std vs the copy of its leaf code: {same} of {COLS} columns bit-identical");
    type Work<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let works: Vec<Work> = vec![
        ("mean axis 0", Box::new(|| drop(black_box(x.mean(Some(&[0]), false).unwrap())))),
        ("std axis 0 (copy of leaves)", Box::new(|| drop(black_box(old_std_axis0(&data, ROWS, COLS))))),
        ("std axis 0", Box::new(|| drop(black_box(x.std(Some(&[0]), 0.0, false).unwrap())))),
        ("var axis 0", Box::new(|| drop(black_box(x.var(Some(&[0]), 0.0, false).unwrap())))),
        ("std_mean axis 0", Box::new(|| drop(black_box(x.std_mean(Some(&[0]), 0.0, false).unwrap())))),
        (
            "mean then std axis 0",
            Box::new(|| drop(black_box((x.mean(Some(&[0]), false).unwrap(), x.std(Some(&[0]), 0.0, false).unwrap())))),
        ),
        ("mean axis 0 wide", Box::new(|| drop(black_box(wide.mean(Some(&[0]), false).unwrap())))),
        ("std axis 0 wide", Box::new(|| drop(black_box(wide.std(Some(&[0]), 0.0, false).unwrap())))),
        ("mean axis 0 narrow", Box::new(|| drop(black_box(narrow.mean(Some(&[0]), false).unwrap())))),
        ("std axis 0 narrow", Box::new(|| drop(black_box(narrow.std(Some(&[0]), 0.0, false).unwrap())))),
        ("mean axis 0 f64", Box::new(|| drop(black_box(x64.mean(Some(&[0]), false).unwrap())))),
        ("std axis 0 f64", Box::new(|| drop(black_box(x64.std(Some(&[0]), 0.0, false).unwrap())))),
    ];
    let works: Vec<Work> =
        works.into_iter().filter(|(name, _)| filter.as_ref().is_none_or(|f| name.contains(f.as_str()))).collect();
    let mut best = vec![f64::INFINITY; works.len()];
    let mut cpu = vec![0f64; works.len()];
    for _ in 0..rounds {
        for (k, (_, f)) in works.iter().enumerate() {
            let c0 = cpu_ms();
            for _ in 0..RUNS {
                let t = Instant::now();
                f();
                best[k] = best[k].min(t.elapsed().as_secs_f64() * 1e3);
            }
            cpu[k] += cpu_ms() - c0;
        }
    }
    let runs = (rounds * RUNS) as f64;
    let (base_ms, base_cpu) = (best[0], cpu[0] / runs);
    for (k, (name, _)) in works.iter().enumerate() {
        let c = cpu[k] / runs;
        println!(
            "{name:<28} best {:7.2} ms ({:4.2}× mean)   CPU {c:7.2} ms/run ({:4.2}× mean)",
            best[k],
            best[k] / base_ms,
            c / base_cpu
        );
    }
    Ok(())
}
