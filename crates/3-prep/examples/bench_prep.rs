//! Times `SimpleImputer(mean)` + `StandardScaler` (fit and transform) on a
//! float32 array with 5 % missing values, the workload
//! `bench/prep_sklearn.py` runs through scikit-learn for comparison.
//!
//! ```text
//! cargo run --release -p oxarray-prep --example bench_prep -- [rows] [cols] [repeats]
//! ```
//!
//! Prints one `key=value` line per measurement (wall milliseconds, best of
//! `repeats`; `*_cpu_ms`: CPU milliseconds per run, all threads), which
//! the Python script parses.

use std::time::Instant;

use oxarray_core::{Array, DType, Generator};
use oxarray_prep::{Pipeline, SimpleImputer, StandardScaler, Strategy, Transformer};

fn main() -> Result<(), oxarray_core::Error> {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("numeric arguments")).collect();
    let rows = args.first().copied().unwrap_or(500_000);
    let cols = args.get(1).copied().unwrap_or(64);
    let repeats = args.get(2).copied().unwrap_or(5);

    let mut rng = Generator::new(0);
    let mut x = rng.normal(10.0, 3.0, &[rows, cols], DType::Float32)?;
    let mask = rng.random(&[rows, cols], DType::Float64)?.to_vec::<f64>()?;
    for (v, m) in x.as_slice_mut::<f32>()?.iter_mut().zip(mask) {
        if m < 0.05 {
            *v = f32::NAN;
        }
    }

    // Best wall time of `repeats` runs, and the mean CPU time (user +
    // system, all threads) per run: on a shared machine the CPU time is the
    // steadier number.
    type Timed = (f64, f64, Array);
    let best = |f: &mut dyn FnMut() -> Result<Array, oxarray_core::Error>| -> Result<Timed, oxarray_core::Error> {
        let mut best = f64::INFINITY;
        let mut out = None;
        let cpu0 = cpu_ms();
        for _ in 0..repeats {
            let t = Instant::now();
            let y = f()?;
            best = best.min(t.elapsed().as_secs_f64() * 1e3);
            out = Some(y);
        }
        let cpu = cpu_ms().zip(cpu0).map_or(f64::NAN, |(b, a)| (b - a) / repeats as f64);
        Ok((best, cpu, out.expect("at least one repeat")))
    };

    // The two steps one after the other, as a user would call them.
    let (separate, separate_cpu, y1) = best(&mut || {
        let mut imp = SimpleImputer::new(Strategy::Mean);
        let filled = imp.fit_transform(&x)?;
        let mut sc = StandardScaler::new();
        sc.fit(&filled)?;
        sc.transform_owned(filled)
    })?;
    // The same as a pipeline.
    let (pipeline, pipeline_cpu, y2) = best(&mut || {
        let mut p =
            Pipeline::new().step("impute", SimpleImputer::new(Strategy::Mean))?.step("scale", StandardScaler::new())?;
        p.fit_transform(&x)
    })?;
    // Serving: transform only, with a fitted pipeline.
    let mut fitted =
        Pipeline::new().step("impute", SimpleImputer::new(Strategy::Mean))?.step("scale", StandardScaler::new())?;
    fitted.fit(&x)?;
    let (transform, transform_cpu, _) = best(&mut || fitted.transform(&x))?;

    let checksum: f64 = y2.to_vec::<f32>()?.iter().map(|&v| f64::from(v)).sum();
    assert_eq!(y1.to_vec::<f32>()?, y2.to_vec::<f32>()?);
    println!("rows={rows}");
    println!("cols={cols}");
    println!("threads={}", rayon::current_num_threads());
    println!("impute_scale_fit_transform_ms={separate:.2}");
    println!("pipeline_fit_transform_ms={pipeline:.2}");
    println!("pipeline_transform_ms={transform:.2}");
    println!("impute_scale_fit_transform_cpu_ms={separate_cpu:.1}");
    println!("pipeline_fit_transform_cpu_ms={pipeline_cpu:.1}");
    println!("pipeline_transform_cpu_ms={transform_cpu:.1}");
    println!("checksum={checksum:.6}");
    Ok(())
}

/// CPU time (user + system, all threads) of this process so far, in ms,
/// from `/proc/self/stat` (Linux; 10 ms clock ticks). `None` elsewhere.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}
