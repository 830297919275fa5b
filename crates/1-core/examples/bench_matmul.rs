//! Matrix-product throughput: oxarray's `matmul` (faer underneath) against
//! the `ndarray` crate's `dot` (matrixmultiply), in GFLOP/s and as a
//! fraction of the machine's peak.
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_matmul
//! RAYON_NUM_THREADS=1 cargo run --release -p oxarray-core --example bench_matmul   # one core
//! ```
//!
//! Peak is taken as 116 GFLOP/s float32 per core (Zen 4: two 256-bit FMA
//! pipes at the measured clock; see the design notes) and half that for
//! float64, times the number of rayon threads. A host whose cores run
//! 512-bit FMAs at full width (faer uses AVX-512 where present) can exceed
//! it: shares above 100% mean the assumed peak is too low for that host. Each number is the best of
//! several runs, so other load on the machine shows as noise, not bias.
//! The last sections show what reading strided operands in place saves over
//! copying them first, and a batch of small products.

use std::time::Instant;

use oxarray_core::{DType, Generator};

const PEAK_F32_PER_CORE: f64 = 116.0;

/// Seconds of CPU time this process has used (all threads).
fn cpu_seconds() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec for the call.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Best wall time and mean CPU time of `f`, in seconds, over runs lasting
/// about `budget` seconds in all (at least 3 runs after one warm-up). CPU
/// time counts every thread, so `flops / cpu` is the throughput per busy
/// core, which other load on a shared machine distorts far less than wall
/// time.
fn best(budget: f64, mut f: impl FnMut()) -> (f64, f64) {
    f();
    let (mut wall, mut runs) = (f64::INFINITY, 0);
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    while runs < 3 || (start.elapsed().as_secs_f64() < budget && runs < 50) {
        let t = Instant::now();
        f();
        wall = wall.min(t.elapsed().as_secs_f64());
        runs += 1;
    }
    // The kernel accounts other threads' CPU time lazily, so only the total
    // over many runs is accurate, not one run's.
    (wall, (cpu_seconds() - cpu0) / runs as f64)
}

fn ndarray_dot<T: ndarray::LinalgScalar>(a: &[T], b: &[T], n: usize) -> (f64, f64) {
    let a = ndarray::Array2::from_shape_vec((n, n), a.to_vec()).unwrap();
    let b = ndarray::Array2::from_shape_vec((n, n), b.to_vec()).unwrap();
    best(1.0, || {
        std::hint::black_box(a.dot(&b));
    })
}

fn main() -> oxarray_core::Result<()> {
    let threads = rayon::current_num_threads();
    println!(
        "rayon threads: {threads}; peak float32 {:.0} GFLOP/s, float64 {:.0}",
        PEAK_F32_PER_CORE * threads as f64,
        PEAK_F32_PER_CORE * threads as f64 / 2.0
    );
    println!("GFLOP/s per wall second (share of the machine's peak) and per CPU second (share of one core's)");
    println!(
        "{:>8} {:>5} {:>9} {:>9} {:>8} {:>10} {:>8} {:>13} {:>8}",
        "dtype", "n", "ms", "GFLOP/s", "of peak", "GF/cpu-s", "of core", "ndarray GF/s", "ratio"
    );
    let mut g = Generator::new(1);
    for dtype in [DType::Float32, DType::Float64] {
        let peak = PEAK_F32_PER_CORE * threads as f64 / if dtype == DType::Float64 { 2.0 } else { 1.0 };
        for n in [256usize, 1024, 2048] {
            let a = g.uniform(-1.0, 1.0, &[n, n], dtype)?;
            let b = g.uniform(-1.0, 1.0, &[n, n], dtype)?;
            let flops = 2.0 * (n as f64).powi(3);
            let t = best(1.0, || {
                std::hint::black_box(a.matmul(&b).unwrap());
            });
            let nd = if dtype == DType::Float32 {
                ndarray_dot(&a.to_vec::<f32>()?, &b.to_vec::<f32>()?, n)
            } else {
                ndarray_dot(&a.to_vec::<f64>()?, &b.to_vec::<f64>()?, n)
            };
            let (gf, gf_cpu) = (flops / t.0 / 1e9, flops / t.1 / 1e9);
            let core_peak = peak / threads as f64;
            println!(
                "{:>8} {:>5} {:>9.3} {:>9.1} {:>7.0}% {:>10.1} {:>7.0}% {:>13.1} {:>7.2}x",
                dtype.name(),
                n,
                t.0 * 1e3,
                gf,
                100.0 * gf / peak,
                gf_cpu,
                100.0 * gf_cpu / core_peak,
                flops / nd.0 / 1e9,
                nd.0 / t.0
            );
        }
    }

    println!("\nstrided operand (b transposed and reversed), float64:");
    println!("{:>5} {:>14} {:>20}", "n", "in place ms", "copy, then ms");
    for n in [32usize, 64, 128, 256, 1024] {
        let a = g.uniform(-1.0, 1.0, &[n, n], DType::Float64)?;
        let b = g.uniform(-1.0, 1.0, &[n, n], DType::Float64)?.matrix_transpose()?.flip(Some(&[0]))?;
        let t_view = best(0.5, || {
            std::hint::black_box(a.matmul(&b).unwrap());
        });
        let t_copy = best(0.5, || {
            std::hint::black_box(a.matmul(&b.copy()).unwrap());
        });
        println!("{n:>5} {:>14.4} {:>20.4}", t_view.0 * 1e3, t_copy.0 * 1e3);
    }

    println!("\nrectangular products, float32 (m x k @ k x n):");
    for (m, k, n) in
        [(64usize, 1024usize, 4096usize), (4096, 1024, 64), (256, 4096, 256), (64, 100_000, 64), (100_000, 64, 64)]
    {
        let a = g.uniform(-1.0, 1.0, &[m, k], DType::Float32)?;
        let b = g.uniform(-1.0, 1.0, &[k, n], DType::Float32)?;
        let t = best(0.5, || {
            std::hint::black_box(a.matmul(&b).unwrap());
        });
        let flops = 2.0 * (m * k * n) as f64;
        println!("{m:>7} x {k:>6} @ {n:>5} {:>9.3} ms {:>7.1} GFLOP/s", t.0 * 1e3, flops / t.0 / 1e9);
    }

    println!("\nbatches of small products (spread over threads), float32:");
    for (batch, n) in [(4096usize, 8usize), (1024, 32), (64, 128)] {
        let a = g.uniform(-1.0, 1.0, &[batch, n, n], DType::Float32)?;
        let b = g.uniform(-1.0, 1.0, &[batch, n, n], DType::Float32)?;
        let t = best(0.5, || {
            std::hint::black_box(a.matmul(&b).unwrap());
        });
        let flops = 2.0 * batch as f64 * (n as f64).powi(3);
        println!("{batch:>6} x {n:>3}x{n:<3} {:>9.3} ms {:>7.1} GFLOP/s", t.0 * 1e3, flops / t.0 / 1e9);
    }

    println!("\nint32 (blocked loop, wrapping), for scale:");
    for n in [256usize, 1024] {
        let a = g.integers(-100, 100, &[n, n], DType::Int32)?;
        let b = g.integers(-100, 100, &[n, n], DType::Int32)?;
        let t = best(1.0, || {
            std::hint::black_box(a.matmul(&b).unwrap());
        });
        println!("{n:>5} {:>10.3} ms {:>7.1} Gop/s", t.0 * 1e3, 2.0 * (n as f64).powi(3) / t.0 / 1e9);
    }
    Ok(())
}
