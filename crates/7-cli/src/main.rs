//! `ox`: oxarray's command-line tool.
//!
//! - `ox prep [INPUT]` turns a CSV table into model-ready arrays (impute,
//!   scale, encode, stratified train/test split) and writes them as `.npz`
//!   and `.safetensors` with the fitted preparation as JSON. Without INPUT it
//!   runs on the Palmer Penguins table shipped inside the binary and trains
//!   a logistic regression on the result.
//! - `ox inspect FILE` shows a file's header, shapes, dtypes, layout and
//!   summary statistics, reading no more than that needs.
//! - `ox convert IN OUT` converts between npy, npz, safetensors, CSV and
//!   PNG (JPEG read only).
//! - `ox prep DIR` prepares a folder of images, one sub-folder per class.
//!
//! Errors are one line on standard error (`ox: error: …`, naming the file,
//! line and column where there is one) and exit status 1; usage errors exit
//! with status 2. The command never panics on bad input; a bug that would
//! panic is reported on one line as an internal error (status 101).

mod convert;
mod error;
mod format;
mod inspect;
mod model;
mod pipeline;
mod plot;
mod prep;
mod prep_images;
mod progress;
mod report;
mod stats;
mod text;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::CliResult;
use crate::progress::Progress;

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(name = "ox", version, about = "Inspect, convert and prepare data files into model-ready arrays.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Prepare a CSV table for a model: impute, scale, encode, split, save.
    ///
    /// Without INPUT, runs on the Palmer Penguins table built into `ox`
    /// (target `species`) and trains a logistic regression on the result.
    Prep(prep::PrepArgs),
    /// Show a file's header, shape, dtype, layout and summary statistics.
    ///
    /// Reads .npy, .npz, .safetensors, CSV, PNG and JPEG files. Arrays are
    /// memory-mapped where the format allows; CSV files are streamed in
    /// chunks, so memory stays bounded.
    Inspect {
        /// The file to inspect.
        file: PathBuf,
        /// Stop a CSV pass after this many rows.
        #[arg(long, value_name = "N")]
        max_rows: Option<u64>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Convert between .npy, .npz, .safetensors, CSV and PNG (formats by extension).
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write (atomically: no partial file on error).
        output: PathBuf,
        /// The array to pick from a multi-array input, or the name to give
        /// a single array in a multi-array output (default: the input's
        /// file stem).
        #[arg(long)]
        name: Option<String>,
        /// Element type of arrays read from CSV.
        #[arg(long, value_enum, default_value_t = FloatType::Float64)]
        dtype: FloatType,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        /// Print what was written as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A float element type for outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FloatType {
    /// 32-bit floats (what most models train in).
    Float32,
    /// 64-bit floats.
    Float64,
}

impl FloatType {
    /// The oxarray dtype.
    pub fn dtype(self) -> oxarray::DType {
        match self {
            FloatType::Float32 => oxarray::DType::Float32,
            FloatType::Float64 => oxarray::DType::Float64,
        }
    }
}

/// Writes `text` to standard output (a closed pipe stops quietly).
pub fn print(text: &str) -> CliResult<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes `value` as pretty JSON and a newline to standard output.
pub fn print_json(value: &impl serde::Serialize) -> CliResult<()> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| error::CliError::new(format!("cannot format the report as JSON: {e}")))?;
    print(&(json + "\n"))
}

fn run(cli: Cli) -> CliResult<()> {
    match cli.command {
        Command::Prep(args) => prep::run(&args),
        Command::Inspect { file, max_rows, json } => {
            let report = Progress::new(json).step("reading", || inspect::inspect(&file, max_rows))?;
            if json { print_json(&report) } else { print(&report.render()) }
        }
        Command::Convert { input, output, name, dtype, quiet, json } => {
            let done = Progress::new(quiet || json)
                .step("converting", || convert::convert(&input, &output, name.as_deref(), dtype.dtype()))?;
            if json {
                print_json(&done)
            } else if quiet {
                Ok(())
            } else {
                let arrays: Vec<String> =
                    done.arrays.iter().map(|(n, d, s)| format!("{n} {d} {}", text::shape(s))).collect();
                let what = if arrays.is_empty() { String::new() } else { format!(" ({})", arrays.join(", ")) };
                print(&format!("wrote {}{what}\n", done.output))
            }
        }
    }
}

fn main() -> ExitCode {
    // A panic would be a bug: report it on one line, with no backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("ox: internal error (please report it): {}{at}", msg.replace('\n', " "));
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) if e.broken_pipe => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("ox: error: {e}");
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(101),
    }
}
