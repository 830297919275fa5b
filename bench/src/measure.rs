//! Timing and the machine's limits: best-of-N wall time with CPU time
//! alongside, copy bandwidth on one thread and on all, and the float32 FMA
//! peak on one thread and on all, each measured at the start of the run.

use std::hint::black_box;
use std::time::Instant;

use oxarray_kernels::simd::{self, Level};
use rayon::prelude::*;

/// One workload's timing: the best wall time of its runs and the mean CPU
/// time per run (all threads of the process), both in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Best wall-clock time of one run.
    pub wall: f64,
    /// CPU time per run, averaged over the runs (user + system, every
    /// thread). On a shared machine it moves less than wall time; above the
    /// wall time it shows how many cores the run kept busy.
    pub cpu: f64,
}

/// CPU time (user + system, all threads) this process has used, in seconds,
/// from `/proc/self/stat` (clock ticks of 10 ms; averaged over many runs).
/// Zero where `/proc` is missing.
pub fn process_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    let Some((_, rest)) = stat.rsplit_once(')') else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// How long to measure each workload.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Runs at least this many times after one warm-up run.
    pub min_runs: usize,
    /// Then keeps running while the total stays under this many seconds.
    pub budget: f64,
}

impl Plan {
    /// Times `f`: one warm-up (page faults, caches, the thread pool), then at
    /// least `min_runs` runs and more while within the budget (at most 50).
    pub fn time<R>(&self, mut f: impl FnMut() -> R) -> Timing {
        self.time_runs(self.min_runs, &mut f)
    }

    /// [`time`](Self::time) with another minimum number of runs (for the
    /// slow workloads).
    pub fn time_runs<R>(&self, min_runs: usize, mut f: impl FnMut() -> R) -> Timing {
        black_box(f());
        let (mut wall, mut runs) = (f64::INFINITY, 0usize);
        let (start, cpu0) = (Instant::now(), process_cpu());
        while runs < min_runs.max(1) || (start.elapsed().as_secs_f64() < self.budget && runs < 50) {
            let t = Instant::now();
            black_box(f());
            wall = wall.min(t.elapsed().as_secs_f64());
            runs += 1;
        }
        Timing { wall, cpu: (process_cpu() - cpu0) / runs as f64 }
    }
}

/// The machine's limits, measured at the start of the run.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Copy bandwidth on one thread, bytes per second counting the bytes
    /// read and the bytes written (a 512 MB `memcpy` moves 1 GB).
    pub copy_1t: f64,
    /// The same with every rayon thread copying its share.
    pub copy_all: f64,
    /// Measured float32 FMA peak of one thread, FLOP/s (2 per FMA lane), at
    /// the widest SIMD level the CPU has (AVX-512 where present).
    pub fma_f32_core: f64,
    /// The same with every rayon thread running the kernel at once.
    pub fma_f32_all: f64,
    /// The one-thread peak with 256-bit AVX2 FMAs (equal to `fma_f32_core`
    /// where AVX-512 is missing or splits its FMAs in two).
    pub fma_f32_avx2: f64,
    /// The SIMD level of `fma_f32_core`.
    pub fma_level: Level,
    /// rayon threads.
    pub threads: usize,
}

/// float32 elements in each copy buffer: 512 MB, 16 times a 32 MB L3.
const COPY_LEN: usize = 128 << 20;

/// Measures the limits (about two seconds; most of it is filling the copy
/// buffers).
pub fn measure_limits() -> Limits {
    let threads = rayon::current_num_threads();
    // Both buffers written before timing, so no run pays page faults.
    let src = vec![1.0f32; COPY_LEN];
    let mut dst = vec![2.0f32; COPY_LEN];
    let bytes = 2.0 * (COPY_LEN * 4) as f64;
    let plan = Plan { min_runs: 3, budget: 0.3 };
    let one = plan.time(|| dst.copy_from_slice(&src));
    let chunk = COPY_LEN.div_ceil(threads);
    let all = plan.time(|| {
        dst.par_chunks_mut(chunk).zip(src.par_chunks(chunk)).for_each(|(d, s)| d.copy_from_slice(s));
    });
    black_box(&dst);
    drop((src, dst));

    let widest = [Level::Avx512, Level::Avx2].into_iter().find(|&l| simd::fma_kernel(l, 1).is_some());
    let (fma_level, fma_core, fma_all, fma_avx2) = match widest {
        Some(level) => {
            let core = simd::measure_fma_peak(level).unwrap_or(0.0);
            // Every thread at once: the sum of their rates.
            let all: f64 = rayon::broadcast(|_| simd::measure_fma_peak(level).unwrap_or(0.0)).iter().sum();
            let avx2 = simd::measure_fma_peak(Level::Avx2).unwrap_or(0.0);
            (level, core, all, avx2)
        }
        None => (Level::Baseline, 0.0, 0.0, 0.0),
    };
    Limits {
        copy_1t: bytes / one.wall,
        copy_all: bytes / all.wall,
        fma_f32_core: fma_core,
        fma_f32_all: fma_all,
        fma_f32_avx2: fma_avx2,
        fma_level,
        threads,
    }
}

/// Peak resident memory of this process so far, in bytes (`VmHWM` in
/// `/proc/self/status`); `None` where unavailable.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
