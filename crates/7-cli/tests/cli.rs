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
    assert_error(&ox(d, &["convert", "t.csv", "t.png"]), &["t.png", "images convert to and from npy"]);
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

// ---------------------------------------------------------------------------
// prep

/// The arrays of one split as written, from both formats (which must agree).
struct Written {
    x: Array,
    y: Option<Array>,
    metadata: std::collections::BTreeMap<String, String>,
}

fn load_split(out: &Path, split: &str) -> Written {
    let mut archive = NpzReader::open(out.join(format!("{split}.npz"))).unwrap();
    let x = archive.get("X").unwrap();
    let y = archive.contains("y").then(|| archive.get("y").unwrap());
    let st = SafeTensors::open(out.join(format!("{split}.safetensors"))).unwrap();
    let xs = st.get("X").unwrap();
    assert_eq!((xs.dtype(), xs.shape()), (x.dtype(), x.shape()));
    assert_eq!(xs.to_bytes(), x.to_bytes(), "npz and safetensors hold the same X");
    assert_eq!(st.info("y").is_some(), y.is_some());
    Written { x, y, metadata: st.metadata().clone() }
}

fn labels(y: &Array) -> Vec<i64> {
    y.to_vec::<i64>().unwrap()
}

/// Each class's share of the test split is its share of the data, to
/// within one row.
fn assert_stratified(train: &[i64], test: &[i64], classes: usize, test_size: f64) {
    for c in 0..classes as i64 {
        let (tr, te) = (train.iter().filter(|&&v| v == c).count(), test.iter().filter(|&&v| v == c).count());
        let expected = (tr + te) as f64 * test_size;
        assert!((te as f64 - expected).abs() <= 1.0, "class {c}: {te} test rows, expected about {expected}");
    }
}

#[test]
fn prep_embedded_penguins_gives_model_ready_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let r = json(&ox(dir.path(), &["prep", "--json", "--out", "out"]));
    let out = dir.path().join("out");
    let mut written = entries(&out);
    written.sort();
    assert_eq!(written, ["preparation.json", "test.npz", "test.safetensors", "train.npz", "train.safetensors"]);

    assert_eq!(
        (r["input"].as_str(), r["rows"].as_u64(), r["columns"].as_u64()),
        (Some("embedded:penguins.csv"), Some(344), Some(8))
    );
    assert_eq!(r["target"]["name"], "species");
    assert_eq!(r["target"]["classes"], serde_json::json!(["Adelie", "Chinstrap", "Gentoo"]));
    assert_eq!(r["target"]["dropped_rows"], 0);
    let sex = r["input_columns"].as_array().unwrap().iter().find(|c| c["name"] == "sex").unwrap();
    assert_eq!((sex["kind"].as_str(), sex["statistics"]["missing"].as_u64()), (Some("categorical"), Some(11)));
    let features: Vec<&str> =
        r["preparation"]["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    // 5 numeric columns, island one-hot (3) and sex one-hot (2, its missing values imputed).
    assert_eq!(features.len(), 10, "{features:?}");
    assert_eq!(r["preparation"]["dtype"], "float32");

    let (train, test) = (load_split(&out, "train"), load_split(&out, "test"));
    let (n_train, n_test) = (train.x.shape()[0], test.x.shape()[0]);
    assert_eq!(n_train + n_test, 344);
    assert_eq!(n_test, 69); // ceil(0.2 × 344)
    assert_eq!((train.x.dtype(), train.x.shape()[1]), (DType::Float32, 10));
    assert!(train.x.to_vec::<f32>().unwrap().iter().chain(&test.x.to_vec::<f32>().unwrap()).all(|v| v.is_finite()));
    let (ytr, yte) = (train.y.unwrap(), test.y.unwrap());
    assert_eq!((ytr.dtype(), ytr.shape(), yte.shape()), (DType::Int64, &[n_train][..], &[n_test][..]));
    assert_stratified(&labels(&ytr), &labels(&yte), 3, 0.2);
    assert_eq!(train.metadata["target"], "species");
    assert_eq!(train.metadata["classes"], r#"["Adelie","Chinstrap","Gentoo"]"#);

    // Standardised on the training rows: mean 0, standard deviation 1.
    let after = r["features_after"].as_array().unwrap();
    let bill = after.iter().find(|f| f["name"] == "bill_length_mm").unwrap();
    assert!(bill["statistics"]["mean"].as_f64().unwrap().abs() < 1e-5, "{bill}");
    assert!((bill["statistics"]["std"].as_f64().unwrap() - 1.0).abs() < 1e-4, "{bill}");

    let prep: Value = serde_json::from_slice(&std::fs::read(out.join("preparation.json")).unwrap()).unwrap();
    assert!(prep.is_object());

    let model = &r["model"];
    if cfg!(not(feature = "model")) {
        assert_eq!(*model, Value::Null);
        return;
    }
    assert_eq!(model["zero_copy"], true);
    assert_eq!(model["test_rows"], 69);
    assert!(model["test_accuracy"].as_f64().unwrap() >= 0.9, "{model}");
}

#[test]
fn prep_text_report_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let o = ox(dir.path(), &["prep"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let model = if cfg!(feature = "model") { "test accuracy" } else { "" };
    for part in ["344 rows × 8 columns", "species", "stratified", "prepared/", model] {
        assert!(text.contains(part), "{part:?} not in\n{text}");
    }
    assert!(stderr(&o).is_empty(), "no progress drawn when stderr is not a terminal");
    assert!(dir.path().join("prepared/train.npz").exists(), "the default --out is ./prepared");

    let o = ox(dir.path(), &["prep", "--quiet", "--out", "q", "--no-train"]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    assert_eq!(entries(&dir.path().join("q")).len(), 5);
}

#[test]
fn prep_options_on_a_small_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "t.csv", &small_csv());
    let args = [
        "prep",
        "t.csv",
        "--target",
        "label",
        "--scale",
        "minmax",
        "--encode",
        "ordinal",
        "--impute",
        "median",
        "--test-size",
        "0.3",
        "--seed",
        "7",
        "--dtype",
        "float64",
        "--json",
        "--out",
    ];
    let r = json(&ox(d, &[&args[..], &["a"]].concat()));
    assert_eq!(r["preparation"]["features"], serde_json::json!(["height", "weight", "color"]));
    assert_eq!(r["model"], Value::Null, "no model unless asked for on a user's file");
    let (train, test) = (load_split(&d.join("a"), "train"), load_split(&d.join("a"), "test"));
    assert_eq!(
        (train.x.dtype(), train.x.shape(), test.x.shape()),
        (DType::Float64, &[21usize, 3][..], &[9usize, 3][..])
    );
    assert_stratified(&labels(train.y.as_ref().unwrap()), &labels(test.y.as_ref().unwrap()), 3, 0.3);
    // Min-max scaled on the training rows: each numeric column spans [0, 1] there.
    let x = train.x.to_vec::<f64>().unwrap();
    for j in 0..2 {
        let col: Vec<f64> = x.iter().skip(j).step_by(3).copied().collect();
        let (lo, hi) = col.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(lo.abs() < 1e-12 && (hi - 1.0).abs() < 1e-12, "column {j}: {lo}..{hi}");
    }
    // Ordinal codes of color (blue, green, red sorted): 0, 1 or 2, never missing.
    assert!(x.iter().skip(2).step_by(3).all(|&v| v == 0.0 || v == 1.0 || v == 2.0));

    // The same seed gives the same files; another seed another split.
    let r2 = json(&ox(d, &[&args[..], &["b"]].concat()));
    assert_eq!(r2["split"], r["split"]);
    assert_eq!(std::fs::read(d.join("a/train.npz")).unwrap(), std::fs::read(d.join("b/train.npz")).unwrap());
    let mut other = args.to_vec();
    other[13] = "8";
    assert_eq!(args[12], "--seed");
    json(&ox(d, &[&other[..], &["c"]].concat()));
    assert_ne!(std::fs::read(d.join("a/train.npz")).unwrap(), std::fs::read(d.join("c/train.npz")).unwrap());

    // --train on a user's file trains and reports.
    let trained = ox(d, &["prep", "t.csv", "--target", "label", "--train", "--json", "--out", "m"]);
    if cfg!(feature = "model") {
        assert!(json(&trained)["model"]["test_accuracy"].is_number());
    } else {
        assert_error(&trained, &["without the `model` feature"]);
    }
}

#[test]
fn prep_without_a_target_writes_features_only() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "t.csv", &small_csv());
    let r = json(&ox(dir.path(), &["prep", "t.csv", "--json", "--out", "o"]));
    assert_eq!(r["target"], Value::Null);
    assert_eq!(r["split"]["stratified"], false);
    let train = load_split(&dir.path().join("o"), "train");
    assert!(train.y.is_none());
    assert_eq!(train.x.shape()[0] + load_split(&dir.path().join("o"), "test").x.shape()[0], 30);
    assert_error(&ox(dir.path(), &["prep", "t.csv", "--train", "--out", "p"]), &["--train", "--target"]);
    assert!(!dir.path().join("p").exists());
}

#[test]
fn prep_errors_are_one_line_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_error(&ox(d, &["prep", "missing.csv", "--target", "y"]), &["missing.csv", "No such file"]);
    write(d, "ragged.csv", "a,b,c\n1,2,x\n3,4\n5,6,y\n");
    assert_error(
        &ox(d, &["prep", "ragged.csv", "--target", "c"]),
        &["ragged.csv", "line 3, column 3", "expected 3 fields", "found 2"],
    );
    write(d, "t.csv", &small_csv());
    assert_error(
        &ox(d, &["prep", "t.csv", "--target", "colour"]),
        &["--target \"colour\"", "t.csv", "height, weight, color, label"],
    );
    assert_error(&ox(d, &["prep", "--target", "beak"]), &["\"beak\"", "species"]);
    write(d, "empty.csv", "a,b,y\n");
    assert_error(&ox(d, &["prep", "empty.csv", "--target", "y"]), &["empty.csv", "no data rows"]);
    assert_eq!(entries(d), ["empty.csv", "ragged.csv", "t.csv"], "no output folder, no temporary file");

    // A failed run leaves an earlier run's files as they were.
    json(&ox(d, &["prep", "t.csv", "--target", "label", "--json", "--out", "o"]));
    let before = std::fs::read(d.join("o/train.npz")).unwrap();
    assert_error(&ox(d, &["prep", "ragged.csv", "--target", "c", "--out", "o"]), &["ragged.csv"]);
    assert_eq!(std::fs::read(d.join("o/train.npz")).unwrap(), before);
    assert_eq!(entries(&d.join("o")).len(), 5, "no staging folder left");

    // --out naming a file is an error that leaves the file alone.
    write(d, "plain", "x");
    assert_error(&ox(d, &["prep", "--out", "plain", "--no-train"]), &["plain"]);
    assert_eq!(std::fs::read_to_string(d.join("plain")).unwrap(), "x");
}

// ---------------------------------------------------------------------------
// images

use oxarray::io::image::{read_image, write_png};

/// A `h × w × 3` image whose pixels depend on `seed`.
fn picture(h: usize, w: usize, seed: usize) -> Array {
    let px: Vec<u8> = (0..h * w * 3).map(|i| ((i * 31 + seed * 97) % 256) as u8).collect();
    Array::from_vec(px, &[h, w, 3]).unwrap()
}

/// `root/<class>/<i>.png` for three classes of `per_class` images each, of
/// varying sizes.
fn image_folder(root: &Path, per_class: usize) {
    for (k, class) in ["cat", "dog", "owl"].iter().enumerate() {
        std::fs::create_dir_all(root.join(class)).unwrap();
        for i in 0..per_class {
            write_png(root.join(class).join(format!("{i:02}.png")), &picture(10 + i, 12 + k, k * 100 + i)).unwrap();
        }
    }
}

#[test]
fn prep_a_folder_of_images_with_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    image_folder(&d.join("imgs"), 10);
    let o = ox(d, &["prep", "imgs", "--size", "8x6", "--out", "out", "--report", "rep", "--json"]);
    let r = json(&o);
    assert_eq!(r["images"], 30);
    assert_eq!(r["classes"], serde_json::json!(["cat", "dog", "owl"]));
    assert_eq!(r["image_shape"], serde_json::json!([8, 6, 3]));
    let (train, test) = (load_split(&d.join("out"), "train"), load_split(&d.join("out"), "test"));
    assert_eq!((train.x.dtype(), train.x.shape()), (DType::Float32, &[24, 8, 6, 3][..]));
    assert_eq!(test.x.shape(), &[6, 8, 6, 3]);
    let xs = train.x.to_vec::<f32>().unwrap();
    assert!(xs.iter().all(|v| (0.0..=1.0).contains(v)) && xs.iter().any(|&v| v > 0.5));
    let (ytr, yte) = (labels(train.y.as_ref().unwrap()), labels(test.y.as_ref().unwrap()));
    assert_stratified(&ytr, &yte, 3, 0.2);
    assert_eq!(train.metadata["classes"], r#"["cat","dog","owl"]"#);
    // The report: a histogram grid that decodes, with coloured bars in it.
    let hist = read_image(d.join("rep/histograms.png")).unwrap();
    let [h, w, c] = hist.shape() else { panic!() };
    assert_eq!((*w, *c), (520, 3));
    assert!(*h > 3 * 150, "one row per channel: {h}");
    let px = hist.to_vec::<u8>().unwrap();
    let blue = px.chunks(3).filter(|p| p == &[52, 101, 164]).count();
    let orange = px.chunks(3).filter(|p| p == &[230, 126, 34]).count();
    assert!(blue > 500 && orange > 500, "bars drawn: {blue} blue, {orange} orange pixels");
    // uint8 output keeps the pixels as they are.
    let o = ox(d, &["prep", "imgs", "--size", "4x4", "--dtype", "uint8", "--fit", "crop", "--out", "o8", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(load_split(&d.join("o8"), "train").x.dtype(), DType::UInt8);
    // Without --size, images of different sizes are an error naming one.
    assert_error(&ox(d, &["prep", "imgs", "--out", "o3"]), &["01.png", "give a size"]);
    assert!(!d.join("o3").exists());
}

#[test]
fn prep_a_malformed_image_is_one_line_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    image_folder(&d.join("imgs"), 4);
    std::fs::write(d.join("imgs/dog/02.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    assert_error(&ox(d, &["prep", "imgs", "--size", "8x8", "--out", "out", "--report", "rep"]), &["02.png", "png"]);
    assert!(!d.join("out").exists() && !d.join("rep").exists());
    let o = ox(d, &["prep", "imgs", "--size", "0x8"]);
    assert_eq!(o.status.code(), Some(2), "a usage error: {}", stderr(&o));
    assert!(stderr(&o).contains("is not a size like 64x64"), "{}", stderr(&o));
}

#[test]
fn prep_csv_report_draws_histograms_and_the_missing_map() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "t.csv", &small_csv());
    let o = ox(d, &["prep", "t.csv", "--target", "label", "--out", "out", "--report", "rep", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let hist = read_image(d.join("rep/histograms.png")).unwrap();
    assert_eq!(hist.shape()[1], 520);
    assert!(hist.shape()[0] > 2 * 150, "height, weight: {:?}", hist.shape());
    let map = read_image(d.join("rep/missing.png")).unwrap();
    let px = map.to_vec::<u8>().unwrap();
    // 30 rows, 4 columns, 2 missing cells (weight row 4, color row 7).
    let red = px.chunks(3).filter(|p| p == &[214, 39, 40]).count();
    let grey = px.chunks(3).filter(|p| p == &[225, 225, 225]).count();
    assert!(red > 0 && grey > 30 * red, "{red} red, {grey} grey");
    let cell = red / 2;
    assert_eq!(red, 2 * cell, "two cells of the same width");
}

#[test]
fn inspect_and_convert_images() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = picture(5, 7, 1);
    write_png(d.join("p.png"), &a).unwrap();
    let r = json(&ox(d, &["inspect", "p.png", "--json"]));
    assert_eq!(r["format"], "png");
    assert_eq!(r["image"]["width"], 7);
    assert_eq!(r["image"]["bit_depth"], 8);
    assert_eq!(r["image"]["color_type"], "rgb");
    assert_eq!(r["arrays"][0]["shape"], serde_json::json!([5, 7, 3]));
    assert_eq!(r["arrays"][0]["statistics"].as_array().unwrap().len(), 3);
    let text = stdout(&ox(d, &["inspect", "p.png"]));
    assert!(text.contains("image 7×5, 8-bit rgb") && text.contains("green"), "{text}");
    // png → npy → png, exact.
    assert!(ox(d, &["convert", "p.png", "p.npy", "-q"]).status.success());
    assert_eq!(npy::load(d.join("p.npy")).unwrap().to_vec::<u8>().unwrap(), a.to_vec::<u8>().unwrap());
    assert!(ox(d, &["convert", "p.npy", "q.png", "-q"]).status.success());
    assert_eq!(read_image(d.join("q.png")).unwrap().to_vec::<u8>().unwrap(), a.to_vec::<u8>().unwrap());
    assert!(ox(d, &["convert", "p.png", "p.safetensors", "-q"]).status.success());
    assert_eq!(SafeTensors::open(d.join("p.safetensors")).unwrap().names(), ["p"]);
    // What PNG cannot hold: an error, no file.
    npy::save(d.join("f.npy"), &Array::zeros(&[2, 2], DType::Float32).unwrap()).unwrap();
    assert_error(&ox(d, &["convert", "f.npy", "f.png"]), &["f.png", "float32"]);
    assert!(!d.join("f.png").exists());
    write(d, "bad.png", "\u{89}PNG garbage");
    assert_error(&ox(d, &["inspect", "bad.png"]), &["bad.png"]);
    assert_error(&ox(d, &["convert", "p.png", "p.jpg"]), &["p.jpg", "JPEG"]);
}
