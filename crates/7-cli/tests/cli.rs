//! End-to-end tests of the `ox` binary: exit codes, what is printed, the
//! files written (loaded back with oxarray's readers) and that failures
//! leave nothing behind.

#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use oxarray::io::{NpzReader, SafeTensors, npy, npz, safetensors};
use oxarray::{Array, DType};
use serde_json::Value;

fn ox(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ox")).args(args).current_dir(dir).output().expect("the ox binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a failure with exit status 1 and a single `ox: error:` line
/// containing every one of `parts`.
fn assert_error(o: &Output, parts: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(err.starts_with("ox: error: "), "{err}");
    for p in parts {
        assert!(err.contains(p), "{p:?} not in {err:?}");
    }
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

/// Names of the entries of a folder, sorted (hidden ones included).
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A small table: two numeric columns (one with a missing value), a
/// categorical feature with a missing value and a three-class target.
fn small_csv() -> String {
    let mut s = String::from("height,weight,color,label\n");
    for i in 0..30 {
        let weight = if i == 4 { "NA".to_string() } else { format!("{}", 50 + (i * 7) % 23) };
        let color = match i % 4 {
            0 => "red",
            1 => "green",
            2 => "blue",
            _ if i == 7 => "",
            _ => "red",
        };
        let label = ["a", "b", "c"][i % 3];
        s.push_str(&format!("{}.5,{weight},{color},{label}\n", 150 + i));
    }
    s
}

// ---------------------------------------------------------------------------
// inspect

#[test]
fn inspect_csv_streams_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.csv", &small_csv());
    let r = json(&ox(dir.path(), &["inspect", "t.csv", "--json"]));
    assert_eq!(r["format"], "csv");
    let t = &r["table"];
    assert_eq!(t["rows"], 30);
    assert_eq!(t["truncated"], false);
    let cols = t["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 4);
    assert_eq!((cols[0]["name"].as_str(), cols[0]["kind"].as_str()), (Some("height"), Some("numeric")));
    assert_eq!(cols[0]["statistics"]["min"], 150.5);
    assert_eq!(cols[0]["statistics"]["max"], 179.5);
    assert_eq!(cols[1]["statistics"]["missing"], 1);
    assert_eq!(cols[2]["kind"], "categorical");
    assert_eq!(cols[2]["statistics"]["missing"], 1);
    assert_eq!(cols[2]["categories"][0], serde_json::json!(["red", 14]));
    assert_eq!(cols[3]["categories"].as_array().unwrap().len(), 3);

    let r = json(&ox(dir.path(), &["inspect", "t.csv", "--json", "--max-rows", "10"]));
    assert_eq!((r["table"]["rows"].as_u64(), r["table"]["truncated"].as_bool()), (Some(10), Some(true)));

    let text = ox(dir.path(), &["inspect", "t.csv"]);
    assert!(text.status.success());
    let text = stdout(&text);
    assert!(text.contains("30 rows × 4 columns"), "{text}");
    assert!(text.contains("3: a 10, b 10, c 10"), "{text}");
}

#[test]
fn inspect_arrays_reports_layout_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let a = Array::from_vec((0..12).map(|i| i as f32).collect(), &[4, 3]).unwrap();
    npy::save(dir.path().join("c.npy"), &a).unwrap();
    npy::save(dir.path().join("f.npy"), &a.transpose()).unwrap();
    let r = json(&ox(dir.path(), &["inspect", "c.npy", "--json"]));
    let info = &r["arrays"][0];
    assert_eq!(info["dtype"], "float32");
    assert_eq!(info["shape"], serde_json::json!([4, 3]));
    assert_eq!((info["order"].as_str(), info["byte_order"].as_str()), (Some("C"), Some("little")));
    assert_eq!((info["version"].as_str(), info["data_offset"].as_u64()), (Some("1.0"), Some(128)));
    assert_eq!(info["memory_mapped"], true);
    assert_eq!(info["statistics_scope"], "columns");
    assert_eq!(info["statistics"][2]["mean"], 6.5);
    assert_eq!(info["statistics"][0]["max"], 9.0);
    let r = json(&ox(dir.path(), &["inspect", "f.npy", "--json"]));
    assert_eq!(r["arrays"][0]["order"], "F");
    assert_eq!(r["arrays"][0]["statistics"][0]["mean"], 1.0); // first column of the transpose: 0, 1, 2

    let y = Array::from_vec(vec![1i64, 0, 2], &[3]).unwrap();
    npz::savez(dir.path().join("d.npz"), &[("X", &a), ("y", &y)]).unwrap();
    let r = json(&ox(dir.path(), &["inspect", "d.npz", "--json"]));
    let arrays = r["arrays"].as_array().unwrap();
    assert_eq!((arrays[0]["name"].as_str(), arrays[1]["dtype"].as_str()), (Some("X"), Some("int64")));
    assert_eq!(
        (arrays[1]["statistics_scope"].as_str(), arrays[1]["statistics"][0]["mean"].as_f64()),
        (Some("all"), Some(1.0))
    );
    assert_eq!(arrays[0]["memory_mapped"], true);

    let meta = [("source".to_string(), "test".to_string())].into_iter().collect();
    safetensors::save_safetensors(dir.path().join("d.safetensors"), &[("X", &a), ("y", &y)], &meta).unwrap();
    let r = json(&ox(dir.path(), &["inspect", "d.safetensors", "--json"]));
    assert_eq!(r["metadata"]["source"], "test");
    assert_eq!(r["arrays"].as_array().unwrap().len(), 2);
    let text = stdout(&ox(dir.path(), &["inspect", "d.safetensors"]));
    assert!(text.contains("X: float32 (4, 3), C order, little-endian, memory-mapped"), "{text}");
}

#[test]
fn inspect_errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    assert_error(&ox(dir.path(), &["inspect", "missing.csv"]), &["missing.csv", "No such file"]);
    write(dir.path(), "bad.npy", "not a numpy file at all");
    assert_error(&ox(dir.path(), &["inspect", "bad.npy"]), &["bad.npy", "invalid npy", "magic"]);
    write(dir.path(), "ragged.csv", "a,b\n1,2\n3\n");
    assert_error(&ox(dir.path(), &["inspect", "ragged.csv"]), &["ragged.csv", "line 3"]);
    assert_error(&ox(dir.path(), &["inspect", "x.parquet"]), &["x.parquet", "unknown extension .parquet"]);
}

// ---------------------------------------------------------------------------
// convert

#[test]
fn convert_round_trips_between_formats() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let x = Array::from_vec((0..6).map(|i| i as f64 * 0.5).collect(), &[3, 2]).unwrap();
    let y = Array::from_vec(vec![0i64, 1, 0], &[3]).unwrap();
    npz::savez(d.join("a.npz"), &[("X", &x), ("y", &y)]).unwrap();

    assert!(ox(d, &["convert", "a.npz", "b.safetensors", "--quiet"]).status.success());
    let st = SafeTensors::open(d.join("b.safetensors")).unwrap();
    let mut names = st.names();
    names.sort();
    assert_eq!(names, ["X", "y"]);
    assert_eq!(st.get("X").unwrap().to_vec::<f64>().unwrap(), x.to_vec::<f64>().unwrap());

    assert!(ox(d, &["convert", "b.safetensors", "c.npz"]).status.success());
    let mut c = NpzReader::open(d.join("c.npz")).unwrap();
    assert_eq!(c.get("y").unwrap().to_vec::<i64>().unwrap(), vec![0, 1, 0]);

    // Several arrays into one: --name picks.
    assert_error(&ox(d, &["convert", "c.npz", "x.npy"]), &["c.npz", "holds 2 arrays", "--name"]);
    assert!(!d.join("x.npy").exists());
    let done = json(&ox(d, &["convert", "c.npz", "x.npy", "--name", "X", "--json"]));
    assert_eq!(done["arrays"][0], serde_json::json!(["X", "float64", [3, 2]]));
    assert_eq!(npy::load(d.join("x.npy")).unwrap().shape(), &[3, 2]);

    // One array to CSV and back.
    assert!(ox(d, &["convert", "x.npy", "x.csv"]).status.success());
    assert_eq!(std::fs::read_to_string(d.join("x.csv")).unwrap().lines().next(), Some("0,1"));
    assert!(ox(d, &["convert", "x.csv", "x32.npy", "--dtype", "float32"]).status.success());
    let back = npy::load(d.join("x32.npy")).unwrap();
    assert_eq!((back.dtype(), back.shape()), (DType::Float32, &[3usize, 2][..]));
    assert_eq!(back.to_vec::<f32>().unwrap(), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);

    // A single array into an archive is named after the input's stem.
    assert!(ox(d, &["convert", "x32.npy", "s.safetensors"]).status.success());
    assert_eq!(SafeTensors::open(d.join("s.safetensors")).unwrap().names(), ["x32"]);
}

#[test]
fn convert_failures_leave_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "t.csv", &small_csv());
    // A categorical column cannot be a float array: named in the error.
    assert_error(&ox(d, &["convert", "t.csv", "t.npy"]), &["t.csv", "line 2, column 3", "color"]);
    assert_error(&ox(d, &["convert", "t.csv", "t.png"]), &["PNG"]);
    assert_error(&ox(d, &["convert", "nope.npy", "t.npz"]), &["nope.npy"]);
    assert_eq!(entries(d), ["t.csv"], "nothing written, no temporary file left");
    // A 3-D array has no CSV form.
    let a = Array::zeros(&[2, 2, 2], DType::Float32).unwrap();
    npy::save(d.join("cube.npy"), &a).unwrap();
    assert_error(&ox(d, &["convert", "cube.npy", "cube.csv"]), &["cube.csv", "3 dimensions"]);
    assert!(!d.join("cube.csv").exists());
}

#[test]
fn usage_errors_exit_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = ox(dir.path(), &["prep", "--test-size", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not between 0 and 1"), "{}", stderr(&o));
    assert_eq!(ox(dir.path(), &["prep", "--scale", "log"]).status.code(), Some(2));
    assert_eq!(ox(dir.path(), &["frobnicate"]).status.code(), Some(2));
    assert!(ox(dir.path(), &["--help"]).status.success());
    assert!(entries(dir.path()).is_empty());
}
