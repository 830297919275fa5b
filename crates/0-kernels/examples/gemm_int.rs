//! Throughput of the blocked integer GEMM on one thread and on all.
//!
//! ```text
//! cargo run --release -p oxarray-kernels --example gemm_int
//! ```

use std::time::Instant;

use oxarray_kernels::gemm::gemm;

/// CPU time of the calling thread in seconds (Linux), so that other load on
/// a shared machine does not count against the kernel.
fn thread_cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    s.split_whitespace().next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) * 1e-9
}

fn main() {
    for n in [256usize, 1024] {
        let a: Vec<i32> = (0..n * n).map(|i| (i % 201) as i32 - 100).collect();
        let b: Vec<i32> = (0..n * n).map(|i| (i % 197) as i32 - 98).collect();
        let mut c = vec![0i32; n * n];
        gemm(&mut c, &a, &b, n, n, n);
        let (mut best, c0) = (f64::INFINITY, thread_cpu());
        for _ in 0..5 {
            let t = Instant::now();
            gemm(&mut c, &a, &b, n, n, n);
            best = best.min(t.elapsed().as_secs_f64());
        }
        let cpu = (thread_cpu() - c0) / 5.0;
        let ops = 2.0 * (n as f64).powi(3);
        // CPU time is this thread's only: meaningful with RAYON_NUM_THREADS=1.
        println!(
            "int32 {n}: {:.3} ms, {:.1} Gop/s wall, {:.1} Gop/s per CPU second of this thread",
            best * 1e3,
            ops / best / 1e9,
            ops / cpu / 1e9
        );
    }
}
