//! Times CSV reading: a rows × 20 float file with 1% missing values (by
//! default 1,000,000 rows, about 170 MB) read into a float32 array and into
//! a table, and streamed in chunks of 100,000 rows.
//!
//! ```text
//! cargo run --release -p oxarray-io --example csv_read -- [--generate] [--rows N] [--repeat K] [PATH]
//! ```
//!
//! `--generate` (re)writes the file first (normal values printed with five
//! decimals, deterministic; `--repeat 0` only generates). `--only A,B` runs
//! only the named timings. Each result is printed as
//! `RESULT <name> <best seconds> <median seconds>` for `bench/csv_read.py`,
//! which also times pandas on the same file.

use std::io::Write;
use std::time::Instant;

use oxarray_core::DType;
use oxarray_io::csv::{CsvChunks, CsvOptions, read_csv, read_csv_array};

const COLS: usize = 20;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

fn generate(path: &str, rows: usize) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let header: Vec<String> = (0..COLS).map(|j| format!("f{j}")).collect();
    writeln!(w, "{}", header.join(","))?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut line = String::with_capacity(256);
    for _ in 0..rows {
        line.clear();
        for j in 0..COLS {
            if j > 0 {
                line.push(',');
            }
            if rng.uniform() >= 0.01 {
                use std::fmt::Write as _;
                let _ = write!(line, "{:.5}", rng.normal());
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}

fn time<T>(name: &str, repeat: usize, only: &Option<String>, mut f: impl FnMut() -> T) {
    if repeat == 0 || only.as_ref().is_some_and(|o| !o.split(',').any(|o| o == name)) {
        return;
    }
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let (best, median) = (times[0], times[times.len() / 2]);
    println!("RESULT {name} {best:.4} {median:.4}");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut path, mut gen_file, mut rows, mut repeat) =
        ("/tmp/oxarray_csv_bench.csv".to_string(), false, 1_000_000, 5);
    let mut only = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--generate" => gen_file = true,
            "--rows" => rows = args.next().ok_or("--rows needs a value")?.parse()?,
            "--repeat" => repeat = args.next().ok_or("--repeat needs a value")?.parse()?,
            "--only" => only = Some(args.next().ok_or("--only needs a value")?),
            _ => path = a,
        }
    }
    if gen_file || !std::path::Path::new(&path).exists() {
        generate(&path, rows)?;
    }
    let size = std::fs::metadata(&path)?.len();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("file {path}: {:.1} MB; {cores} cores", size as f64 / 1e6);
    let opts = CsvOptions::default();
    time("oxarray_array_f32", repeat, &only, || read_csv_array(&path, &opts, DType::Float32).unwrap());
    time("oxarray_array_f32_1thread", repeat, &only, || {
        read_csv_array(&path, &opts.clone().threads(1), DType::Float32).unwrap()
    });
    time("oxarray_array_f64", repeat, &only, || read_csv_array(&path, &opts, DType::Float64).unwrap());
    time("oxarray_table_f64", repeat, &only, || read_csv(&path, &opts).unwrap());
    // Streaming, one thread, 100,000 rows (about 17 MB of text) at a time.
    time("oxarray_stream_f32", repeat, &only, || {
        let f32_opts = opts.clone().float_dtype(DType::Float32);
        let chunks = CsvChunks::open(&path, &f32_opts, 100_000).unwrap();
        chunks.map(|t| t.unwrap().to_array(DType::Float32).unwrap().shape()[0]).sum::<usize>()
    });
    Ok(())
}
