//! oxarray's benchmark runner: the same workloads on oxarray, the `ndarray`
//! crate (with rayon where it has a parallel form) and NumPy, in one run,
//! next to the machine's limits measured in the same run.
//!
//! ```text
//! cargo run --release -p oxarray-bench                 # everything (a few minutes)
//! cargo run --release -p oxarray-bench -- --quick      # fewer runs, smaller files
//! cargo run --release -p oxarray-bench -- --no-numpy   # Rust only
//! ```
//!
//! Every time is the best wall time of several runs (after a warm-up run),
//! with the CPU time per run (all threads) beside it. Ratios are
//! `peer time / oxarray time`: above 1, oxarray is faster. "of limit" is
//! oxarray's share of the machine's limit: for memory-bound work the bytes
//! the workload must read and write at least, per second, over the copy
//! bandwidth of all threads; for matmul the FLOP/s over the float32 FMA
//! peak of all cores measured by a register-blocked FMA kernel at the widest
//! SIMD level (half of it for float64).
//!
//! NumPy's numbers come from `bench/numpy_peer.py`, run with the system
//! `python3` after the Rust workloads (so the two never share the cores); the
//! column is empty when `python3` or NumPy is missing.

mod measure;
mod stream;
mod workloads;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use measure::{Limits, Plan, Timing};

/// What a workload is held to.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// At least this share of the machine's limit.
    Limit(f64),
    /// At least this many times NumPy's speed.
    NumPy(f64),
    /// Nothing fixed; shown for comparison.
    None,
}

/// The machine limit a workload's share is computed against.
#[derive(Clone, Copy, Debug)]
pub enum Work {
    /// Bytes read plus bytes written at the least (memory-bound work).
    Bytes(f64),
    /// Floating-point operations in float32.
    Flops32(f64),
    /// Floating-point operations in float64 (half the float32 peak).
    Flops64(f64),
    /// No meaningful limit (sorting, file opening).
    None,
}

/// One line of the table.
pub struct Row {
    /// Shared with the NumPy script's output.
    pub key: &'static str,
    /// What is timed, for people.
    pub name: String,
    /// oxarray's timing.
    pub ox: Timing,
    /// The Rust peer's timing, if it has the operation.
    pub nd: Option<Timing>,
    /// NumPy's timing, filled in after the Python run.
    pub np: Option<Timing>,
    /// The work, for the share of the limit.
    pub work: Work,
    /// The target.
    pub target: Target,
}

struct Options {
    quick: bool,
    numpy: bool,
    stream_rows: usize,
    dir: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        numpy: true,
        stream_rows: 17_000_000,
        dir: std::env::temp_dir().join(format!("oxarray-bench-{}", std::process::id())),
    };
    let mut args = std::env::args().skip(1);
    let mut stream_set = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => o.quick = true,
            "--no-numpy" => o.numpy = false,
            "--stream-rows" => {
                let v = args.next().ok_or("--stream-rows needs a number of rows")?;
                o.stream_rows = v.parse().map_err(|_| format!("--stream-rows: {v:?} is not a number of rows"))?;
                stream_set = true;
            }
            "--dir" => o.dir = PathBuf::from(args.next().ok_or("--dir needs a folder for the temporary files")?),
            "-h" | "--help" => {
                println!(
                    "usage: oxarray-bench [--quick] [--no-numpy] [--stream-rows N] [--dir FOLDER]\n\
                     --stream-rows: rows of 64 float32 in the streamed .npy (default 17000000, 4.35 GB)\n\
                     --dir: where the temporary .npy files go (default: a new folder in the temp dir)"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if o.quick && !stream_set {
        o.stream_rows = 2_000_000;
    }
    Ok(o)
}

fn main() {
    // The streaming benchmark runs in a child process of its own, so that
    // its peak resident memory is its own.
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(stream::CHILD_FLAG) {
        if let Err(e) = stream::child(&args[2..]) {
            eprintln!("oxarray-bench: stream child: {e}");
            std::process::exit(1);
        }
        return;
    }
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("oxarray-bench: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&opts) {
        eprintln!("oxarray-bench: error: {e}");
        let _ = std::fs::remove_dir_all(&opts.dir);
        std::process::exit(1);
    }
    let _ = std::fs::remove_dir_all(&opts.dir);
}

fn run(opts: &Options) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&opts.dir)?;
    print_machine();
    let limits = measure::measure_limits();
    print_limits(&limits);

    let plan = if opts.quick { Plan { min_runs: 2, budget: 0.3 } } else { Plan { min_runs: 5, budget: 1.0 } };
    let npy = opts.dir.join("load_400mb.npy");
    let mut rows = workloads::run_all(&plan, opts.quick, &npy)?;

    if opts.numpy {
        match numpy_peer(opts.quick, &npy) {
            Ok((version, times)) => {
                println!("NumPy peer: {version}");
                for r in &mut rows {
                    r.np = times.get(r.key).copied();
                }
            }
            Err(e) => println!("NumPy peer not run: {e}"),
        }
    }
    print_table(&rows, &limits);
    let _ = std::fs::remove_file(&npy);

    let mmap = workloads::load_mmap_scaling(&plan, &opts.dir)?;
    println!(
        "\nload_mmap: {:.3} ms for a 40 MB file, {:.3} ms for a 400 MB file (x{:.2} for 10x the size; target: O(1))",
        mmap.0 * 1e3,
        mmap.1 * 1e3,
        mmap.1 / mmap.0
    );

    stream::run_parent(&opts.dir, opts.stream_rows, &limits)?;
    Ok(())
}

/// Prints the CPU model, the core count and the load average, which the
/// results depend on.
fn print_machine() {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("machine: {model}, {cores} cores; load average at start: {}", load_average());
    println!(
        "SIMD: CPU level {}, used {} (OXARRAY_SIMD caps it); rayon threads: {}",
        oxarray_kernels::simd::cpu_level().name(),
        oxarray_kernels::simd::level().name(),
        rayon::current_num_threads()
    );
}

/// The 1-, 5- and 15-minute load averages from `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn print_limits(l: &Limits) {
    println!(
        "limits: copy {:.1} GB/s on 1 thread, {:.1} GB/s on {} (512 MB buffers, bytes read + written)",
        l.copy_1t / 1e9,
        l.copy_all / 1e9,
        l.threads,
    );
    println!(
        "limits: float32 FMA peak {:.1} GFLOP/s on 1 thread, {:.1} on {} ({}, measured; AVX2 alone {:.1} on 1 thread)",
        l.fma_f32_core / 1e9,
        l.fma_f32_all / 1e9,
        l.threads,
        l.fma_level.name(),
        l.fma_f32_avx2 / 1e9,
    );
}

/// Runs `bench/numpy_peer.py` and parses its `key wall_ms cpu_ms` lines.
fn numpy_peer(quick: bool, npy: &Path) -> Result<(String, HashMap<String, Timing>), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("numpy_peer.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&script).arg("--npy").arg(npy);
    if quick {
        cmd.arg("--quick");
    }
    let out = cmd.output().map_err(|e| format!("could not start python3: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("{} exited with {}: {}", script.display(), out.status, err.trim()));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = String::from("unknown version");
    let mut times = HashMap::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("# ") {
            version = v.to_string();
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let parse = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
        match (f.first(), parse(1), parse(2)) {
            (Some(k), Some(w), Some(c)) => {
                times.insert(k.to_string(), Timing { wall: w / 1e3, cpu: c / 1e3 });
            }
            _ => return Err(format!("unexpected line from the NumPy script: {line:?}")),
        }
    }
    Ok((version, times))
}

/// oxarray's share of the limit for `work` done in `secs`.
pub fn share(work: Work, secs: f64, l: &Limits) -> Option<f64> {
    match work {
        Work::Bytes(b) => Some(b / secs / l.copy_all),
        Work::Flops32(f) => Some(f / secs / l.fma_f32_all),
        Work::Flops64(f) => Some(f / secs / (l.fma_f32_all / 2.0)),
        Work::None => None,
    }
}

fn print_table(rows: &[Row], l: &Limits) {
    let ms = |t: Option<Timing>| t.map_or("—".to_string(), |t| format!("{:.2}", t.wall * 1e3));
    let ratio =
        |peer: Option<Timing>, ox: Timing| peer.map_or("—".to_string(), |p| format!("{:.2}", p.wall / ox.wall));
    println!();
    println!(
        "| workload | oxarray ms | ox CPU ms | ndarray ms | NumPy ms | ndarray/ox | NumPy/ox | of limit | target | met |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for r in rows {
        let frac = share(r.work, r.ox.wall, l);
        let (target, met) = match r.target {
            Target::Limit(t) => (format!("≥ {:.0}% of limit", t * 100.0), frac.map(|f| f >= t)),
            Target::NumPy(t) => (format!("≥ {t}× NumPy"), r.np.map(|np| np.wall / r.ox.wall >= t)),
            Target::None => ("—".into(), None),
        };
        println!(
            "| {} | {:.2} | {:.2} | {} | {} | {} | {} | {} | {} | {} |",
            r.name,
            r.ox.wall * 1e3,
            r.ox.cpu * 1e3,
            ms(r.nd),
            ms(r.np),
            ratio(r.nd, r.ox),
            ratio(r.np, r.ox),
            frac.map_or("—".into(), |f| format!("{:.0}%", f * 100.0)),
            target,
            match met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            }
        );
    }
    println!("load average after the table: {}", load_average());
}
