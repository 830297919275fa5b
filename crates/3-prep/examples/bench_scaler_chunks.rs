//! Times `StandardScaler::partial_fit` and `transform` chunk by chunk (the
//! streaming standardisation of `bench/src/stream.rs`, on an in-memory
//! array instead of a memory-mapped file) against one read pass (`sum`) of
//! the same chunks, then `transform` and `fit_transform` of the whole
//! array against a copy of it.
//!
//! ```text
//! cargo run --release -p oxarray-prep --example bench_scaler_chunks -- [rows] [repeats]
//! ```

use std::time::Instant;

use oxarray_core::{Array, DType, Generator, Index};
use oxarray_prep::{StandardScaler, Transformer};

const COLS: usize = 64;
const CHUNK_ROWS: usize = 65_536;

fn main() -> Result<(), oxarray_core::Error> {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("numeric arguments")).collect();
    let rows = args.first().copied().unwrap_or(2_000_000);
    let repeats = args.get(1).copied().unwrap_or(5);
    let x = Generator::new(0).normal(10.0, 3.0, &[rows, COLS], DType::Float32)?;
    let chunks: Vec<Array> = (0..rows)
        .step_by(CHUNK_ROWS)
        .map(|s| x.slice(&[Index::slice(Some(s as isize), Some((s + CHUNK_ROWS).min(rows) as isize), 1)]))
        .collect::<Result<_, _>>()?;
    let gb = (rows * COLS * 4) as f64 / 1e9;
    let best =
        |name: &str, f: &mut dyn FnMut() -> Result<(), oxarray_core::Error>| -> Result<(), oxarray_core::Error> {
            let mut b = f64::INFINITY;
            for _ in 0..repeats {
                let t = Instant::now();
                f()?;
                b = b.min(t.elapsed().as_secs_f64());
            }
            println!("{name:<20} {:8.2} ms  {:6.2} GB/s", b * 1e3, gb / b);
            Ok(())
        };
    let mut check = 0.0f64;
    best("read (sum)", &mut || {
        for c in &chunks {
            check += c.sum(None, false)?.item::<f32>()? as f64;
        }
        Ok(())
    })?;
    let mut scaler = StandardScaler::new();
    best("partial_fit", &mut || {
        scaler = StandardScaler::new();
        for c in &chunks {
            scaler.partial_fit(c)?;
        }
        Ok(())
    })?;
    best("transform", &mut || {
        for c in &chunks {
            check += scaler.transform(c)?.get::<f32>(&[0, 0])? as f64;
        }
        Ok(())
    })?;
    // The whole array at once: a result above `simd::STREAM_BYTES` is
    // streamed out (at the default 2M rows, 512 MB), against a copy.
    best("copy whole", &mut || {
        check += x.copy().get::<f32>(&[0, 0])? as f64;
        Ok(())
    })?;
    best("transform whole", &mut || {
        check += scaler.transform(&x)?.get::<f32>(&[0, 0])? as f64;
        Ok(())
    })?;
    best("fit_transform whole", &mut || {
        check += StandardScaler::new().fit_transform(&x)?.get::<f32>(&[0, 0])? as f64;
        Ok(())
    })?;
    println!("checksum {check:.3}");
    Ok(())
}
