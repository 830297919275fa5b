//! Streaming standardisation of a memory-mapped `.npy` larger than memory
//! budgets allow to load: `StandardScaler::partial_fit` over chunks of rows,
//! then `transform` of each chunk, against simply reading the file.
//!
//! The parent writes the file (rows of 64 float32) and runs the measurement
//! in a child process, so the child's peak resident memory (`VmHWM`) is that
//! of the streaming alone. The child maps one chunk of rows at a time
//! (`Buffer::map_file` at the chunk's byte offset) and unmaps it before the
//! next: mapped file pages count as resident memory while they are mapped,
//! so a map of the whole file would make every page read resident.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use oxarray_core::{Array, Buffer, DType, Generator};
use oxarray_prep::{StandardScaler, Transformer};

use crate::measure::{Limits, peak_rss};

/// The first argument that makes the binary act as the child.
pub const CHILD_FLAG: &str = "--stream-child";
const COLS: usize = 64;
/// Rows per chunk: 16 MiB of float32.
const CHUNK_ROWS: usize = 65_536;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Writes a `.npy` of `rows` x 64 float32 (normal values), chunk by chunk.
fn write_npy(path: &Path, rows: usize) -> Res<()> {
    // Format 1.0 header: magic, version, little-endian u16 length, then the
    // dict padded with spaces so the data starts at a multiple of 64 bytes.
    let mut dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {COLS}), }}");
    let unpadded = 10 + dict.len() + 1;
    dict.push_str(&" ".repeat(unpadded.next_multiple_of(64) - unpadded));
    dict.push('\n');
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path)?);
    w.write_all(b"\x93NUMPY\x01\x00")?;
    w.write_all(&u16::try_from(dict.len())?.to_le_bytes())?;
    w.write_all(dict.as_bytes())?;
    let mut g = Generator::new(11);
    let mut done = 0;
    while done < rows {
        let n = CHUNK_ROWS.min(rows - done);
        let chunk = g.normal(5.0, 2.0, &[n, COLS], DType::Float32)?;
        w.write_all(chunk.contiguous_bytes().expect("fresh arrays are contiguous"))?;
        done += n;
    }
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Writes the file, runs the child and prints its results.
pub fn run_parent(dir: &Path, rows: usize, limits: &Limits) -> Res<()> {
    let path = dir.join("stream.npy");
    let bytes = (rows * COLS * 4) as f64;
    println!("\nstreaming standardisation of a memory-mapped {rows}×{COLS} float32 .npy ({:.2} GB):", bytes / 1e9);
    let t = Instant::now();
    write_npy(&path, rows)?;
    println!("  wrote it in {:.1} s", t.elapsed().as_secs_f64());
    let out = Command::new(std::env::current_exe()?).arg(CHILD_FLAG).arg(&path).output()?;
    let _ = std::fs::remove_file(&path);
    if !out.status.success() {
        return Err(format!("stream child failed: {}", String::from_utf8_lossy(&out.stderr).trim()).into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let get = |k: &str| -> Res<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| format!("stream child printed no {k}: {text}").into())
    };
    let (read, fit, transform, hwm) = (get("read_s")?, get("fit_s")?, get("transform_s")?, get("vmhwm_bytes")?);
    let gbs = |s: f64| bytes / s / 1e9;
    println!("  read (sum of every chunk):      {:>7.3} s  {:>6.2} GB/s", read, gbs(read));
    println!("  partial_fit over the chunks:    {:>7.3} s  {:>6.2} GB/s", fit, gbs(fit));
    println!("  transform of every chunk:       {:>7.3} s  {:>6.2} GB/s", transform, gbs(transform));
    println!(
        "  fit + transform: {:.2} GB/s = {:.0}% of reading the file (target ≥ 50%); \
         {:.0}% of the copy bandwidth",
        gbs(fit + transform),
        100.0 * read / (fit + transform),
        100.0 * bytes / (fit + transform) / limits.copy_all
    );
    println!("  peak resident memory of the child: {:.0} MB (target < 512 MB)", hwm / 1e6);
    Ok(())
}

/// Maps rows `start..start + n` of the file as a `(n, 64)` float32 array.
fn map_rows(file: &File, data_offset: u64, start: usize, n: usize) -> Res<Array> {
    let offset = data_offset + (start * COLS * 4) as u64;
    let buffer = Buffer::map_file(file, offset, n * COLS * 4, false)?;
    Ok(Array::from_buffer(Arc::new(buffer), DType::Float32, vec![n, COLS], vec![COLS as isize, 1], 0)?)
}

/// The child: times one read pass, the fit pass and the transform pass.
pub fn child(args: &[String]) -> Res<()> {
    let path = args.first().ok_or("the child needs the .npy path")?;
    let mut file = File::open(path)?;
    let header = oxarray_io::npy::read_header(&mut file)?;
    if header.dtype != DType::Float32 || header.shape.len() != 2 || header.shape[1] != COLS || header.fortran_order {
        return Err(format!("{path}: expected a C-order (rows, {COLS}) float32 array, found {header:?}").into());
    }
    let rows = header.shape[0];
    let chunks = |mut f: Box<dyn FnMut(Array) -> Res<()> + '_>| -> Res<f64> {
        let t = Instant::now();
        let mut start = 0;
        while start < rows {
            let n = CHUNK_ROWS.min(rows - start);
            f(map_rows(&file, header.data_offset, start, n)?)?;
            start += n;
        }
        Ok(t.elapsed().as_secs_f64())
    };
    let mut checksum = 0.0f64;
    // A first pass brings the file into the page cache if it is not there.
    chunks(Box::new(|a| {
        checksum += a.sum(None, false)?.item::<f32>()? as f64;
        Ok(())
    }))?;
    let read = chunks(Box::new(|a| {
        checksum += a.sum(None, false)?.item::<f32>()? as f64;
        Ok(())
    }))?;
    let mut scaler = StandardScaler::new();
    let fit = chunks(Box::new(|a| Ok(scaler.partial_fit(&a)?)))?;
    let transform = chunks(Box::new(|a| {
        let y = scaler.transform(&a)?;
        checksum += y.get::<f32>(&[0, 0])? as f64;
        Ok(())
    }))?;
    println!("read_s={read}");
    println!("fit_s={fit}");
    println!("transform_s={transform}");
    println!("vmhwm_bytes={}", peak_rss().unwrap_or(0));
    println!("checksum={checksum}");
    Ok(())
}
