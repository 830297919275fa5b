//! CSV reading and writing: agreement with pandas on the fixtures of
//! `fixtures/gen_csv.py`, round trips, malformed input, and mutated inputs
//! that must never panic and must read the same whether cut into threads,
//! streamed, or read whole.

use std::path::{Path, PathBuf};

use oxarray_core::{Array, DType, ErrorKind, Location};
use oxarray_io::csv::{
    Column, CsvChunks, CsvOptions, CsvWriteOptions, Table, read_csv, read_csv_array, read_csv_bytes,
    read_csv_bytes_array, write_csv, write_csv_array, write_table,
};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv")
}

fn options_from(json: &Value) -> CsvOptions {
    let strings = |key: &str| -> Vec<String> {
        json.get(key)
            .and_then(Value::as_array)
            .map_or(Vec::new(), |a| a.iter().map(|v| v.as_str().expect("strings").to_string()).collect())
    };
    let mut o = CsvOptions::default()
        .missing_markers(strings("missing"))
        .categorical(strings("categorical"))
        .header(json.get("header").and_then(Value::as_bool).unwrap_or(true));
    if json.get("columns").is_some() {
        o = o.columns(strings("columns"));
    }
    o
}

/// Compares a table with pandas' reading as recorded in expected.json.
fn check_against(table: &Table, expected: &Value, what: &str, f32_values: bool) {
    let rows = expected["rows"].as_u64().unwrap() as usize;
    assert_eq!(table.n_rows(), rows, "{what}: rows");
    let columns = expected["columns"].as_array().unwrap();
    let names: Vec<&str> = columns.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(table.names(), names, "{what}: names");
    if rows == 0 {
        return;
    }
    for (col, exp) in table.columns().iter().zip(columns) {
        let name = exp["name"].as_str().unwrap();
        match (exp["kind"].as_str().unwrap(), col) {
            ("numeric", Column::Numeric(n)) => {
                let got: Vec<f64> = n.values.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
                let mask = n.mask.as_ref().map(|m| m.to_vec::<bool>().unwrap());
                for (i, (g, e)) in got.iter().zip(exp["values"].as_array().unwrap()).enumerate() {
                    match e.as_str() {
                        None => {
                            assert!(g.is_nan(), "{what}: {name}[{i}] should be missing, got {g}");
                            assert!(mask.as_ref().is_some_and(|m| m[i]), "{what}: {name}[{i}] mask");
                        }
                        Some(s) => {
                            let mut e: f64 = s.parse().unwrap();
                            if f32_values {
                                e = f64::from(e as f32);
                            }
                            assert_eq!(g.to_bits(), e.to_bits(), "{what}: {name}[{i}] = {g}, pandas {e}");
                            assert!(!mask.as_ref().is_some_and(|m| m[i]), "{what}: {name}[{i}] not missing");
                        }
                    }
                }
            }
            ("categorical", Column::Categorical(c)) => {
                let cats: Vec<&str> =
                    exp["categories"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
                assert_eq!(c.categories, cats, "{what}: {name} categories");
                let codes: Vec<i32> =
                    exp["codes"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap() as i32).collect();
                assert_eq!(c.codes.to_vec::<i32>().unwrap(), codes, "{what}: {name} codes");
            }
            (kind, col) => panic!("{what}: column {name} is {kind} for pandas, {col:?} here"),
        }
    }
}

/// Everything a table holds, in a comparable form: names, and per column
/// either value bits and mask or the text of each row.
#[derive(Debug, PartialEq)]
enum Flat {
    Num(Vec<u64>, Vec<bool>),
    Cat(Vec<Option<String>>),
}

fn flatten(t: &Table) -> (Vec<String>, Vec<Flat>) {
    let cols = t
        .columns()
        .iter()
        .map(|c| match c {
            Column::Numeric(n) => {
                let v = n.values.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
                let mask = n.mask.as_ref().map_or(vec![false; v.len()], |m| m.to_vec::<bool>().unwrap());
                Flat::Num(v.iter().map(|x| x.to_bits()).collect(), mask)
            }
            Column::Categorical(c) => {
                Flat::Cat(c.texts().unwrap().into_iter().map(|s| s.map(str::to_string)).collect())
            }
        })
        .collect();
    (t.names().to_vec(), cols)
}

/// Appends the rows of `b` to `a` (same names and kinds).
fn append(a: &mut (Vec<String>, Vec<Flat>), b: (Vec<String>, Vec<Flat>)) {
    assert_eq!(a.0, b.0);
    for (x, y) in a.1.iter_mut().zip(b.1) {
        match (x, y) {
            (Flat::Num(v, m), Flat::Num(v2, m2)) => {
                v.extend(v2);
                m.extend(m2);
            }
            (Flat::Cat(t), Flat::Cat(t2)) => t.extend(t2),
            (x, y) => panic!("kinds differ between chunks: {x:?} vs {y:?}"),
        }
    }
}

/// Reads `bytes` in chunks of `rows`, checking that codes stay consistent.
fn stream(bytes: &[u8], opts: &CsvOptions, rows: usize) -> oxarray_core::Result<Option<(Vec<String>, Vec<Flat>)>> {
    let mut all: Option<(Vec<String>, Vec<Flat>)> = None;
    let mut seen_categories: Vec<Vec<String>> = Vec::new();
    for t in CsvChunks::new(bytes, opts, rows)? {
        let t = t?;
        assert!(t.n_rows() <= rows && t.n_rows() > 0);
        // A later chunk's categories extend the earlier ones.
        for (i, c) in t.columns().iter().enumerate() {
            if let Column::Categorical(c) = c {
                if seen_categories.len() <= i {
                    seen_categories.resize(i + 1, Vec::new());
                }
                assert!(c.categories.starts_with(&seen_categories[i]), "categories only grow");
                seen_categories[i] = c.categories.clone();
            }
        }
        match &mut all {
            None => all = Some(flatten(&t)),
            Some(a) => append(a, flatten(&t)),
        }
    }
    Ok(all)
}

fn parallel(o: CsvOptions) -> CsvOptions {
    o.threads(3).min_chunk_bytes(1)
}

#[test]
fn fixtures_read_as_pandas_reads_them() {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("expected.json")).unwrap()).unwrap();
    let files = expected["files"].as_array().unwrap();
    assert!(files.len() >= 10);
    for f in files {
        let name = f["file"].as_str().unwrap();
        let path = fixtures().join(name);
        let opts = options_from(&f["options"]);
        let table = read_csv(&path, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_against(&table, f, name, false);
        let table = read_csv(&path, &parallel(opts.clone())).unwrap();
        check_against(&table, f, &format!("{name} (threads)"), false);
        let table = read_csv(&path, &opts.clone().float_dtype(DType::Float32)).unwrap();
        check_against(&table, f, &format!("{name} (float32)"), true);
        let bytes = std::fs::read(&path).unwrap();
        let whole = flatten(&read_csv_bytes(&bytes, &opts).unwrap());
        if whole.1.first().is_some_and(|c| !matches!(c, Flat::Num(v, _) if v.is_empty())) {
            let streamed = stream(&bytes, &opts, 1000).unwrap().unwrap();
            assert_eq!(streamed, whole, "{name}: one chunk");
        }
        // Small chunks fix the kinds from the first chunk: equal, or an error
        // naming the column that turned out categorical later.
        match stream(&bytes, &opts, 2) {
            Ok(Some(s)) => assert_eq!(s, whole, "{name}: chunks of 2"),
            Ok(None) => assert_eq!(f["rows"], 0),
            Err(e) => assert!(e.to_string().contains("CsvOptions::categorical"), "{name}: {e}"),
        }
    }
}

fn parse_error(r: oxarray_core::Result<impl std::fmt::Debug>) -> (u64, Option<u64>, String) {
    let e = r.expect_err("expected an error");
    let text = e.to_string();
    match e.into_kind() {
        ErrorKind::Parse { location: Location::Line { line, column }, format: "csv", .. } => (line, column, text),
        other => panic!("expected a located CSV parse error, got {other:?}"),
    }
}

#[test]
fn malformed_inputs_are_located_errors() {
    let d = CsvOptions::default();
    let (line, col, msg) = parse_error(read_csv_bytes(b"a,b\n1,2\n3\n4,5\n", &d));
    assert_eq!((line, col), (3, None));
    assert!(msg.contains("expected 2 fields") && msg.contains("found 1"), "{msg}");
    let (line, _, msg) = parse_error(read_csv_bytes(b"a,b\r\n1,2\r\n3,4,5\r\n", &d));
    assert_eq!(line, 3);
    assert!(msg.contains("found 3"), "{msg}");
    // Lines count the breaks inside quoted fields.
    let (line, _, _) = parse_error(read_csv_bytes(b"a,b\n\"x\ny\",1\n1,2,3\n", &d));
    assert_eq!(line, 4);

    let (line, col, msg) = parse_error(read_csv_bytes(b"a,b\n1,2\n3,x y\n", &d.clone().numeric(["b"])));
    assert_eq!((line, col), (3, Some(2)));
    assert!(msg.contains("\"x y\" is not a number") && msg.contains("\"b\""), "{msg}");
    let (line, col, _) = parse_error(read_csv_bytes_array(b"a,b\n1,2\n3,4\n5,six\n", &d, DType::Float32));
    assert_eq!((line, col), (4, Some(2)));

    let (line, col, msg) = parse_error(read_csv_bytes(b"a,b\n1,\"abc\n2,3\n", &d));
    assert_eq!((line, col), (2, Some(2)));
    assert!(msg.contains("never closed"), "{msg}");

    let (line, col, msg) = parse_error(read_csv_bytes(b"a,b\n1,x\n2,\xff\xfe\n", &d));
    assert_eq!((line, col), (3, Some(2)));
    assert!(msg.contains("UTF-8"), "{msg}");
    let (line, col, _) = parse_error(read_csv_bytes(b"a,\xff\n1,2\n", &d));
    assert_eq!((line, col), (1, Some(2)));

    for empty in [&b""[..], b"\n\n", b"\xEF\xBB\xBF", b"\r\n  \r\n"] {
        let (line, _, msg) = parse_error(read_csv_bytes(empty, &d));
        assert_eq!(line, 1);
        assert!(msg.contains("empty"), "{msg}");
    }
    let (_, _, msg) = parse_error(read_csv_bytes(b"", &d.clone().header(false)));
    assert!(msg.contains("empty"));

    // A header without records is an empty table, not an error.
    let t = read_csv_bytes(b"a,b,c\n", &d).unwrap();
    assert_eq!((t.n_rows(), t.n_cols()), (0, 3));
    assert_eq!(read_csv_bytes_array(b"a,b,c\r\n", &d, DType::Float32).unwrap().shape(), &[0, 3]);
}

#[test]
fn option_errors_name_the_columns() {
    let data = b"alpha,beta,gamma\n1,x,3\n";
    let e = read_csv_bytes(data, &CsvOptions::default().columns(["beta", "delta"])).unwrap_err().to_string();
    assert!(e.contains("\"delta\"") && e.contains("\"alpha\", \"beta\", \"gamma\""), "{e}");
    let e = read_csv_bytes(data, &CsvOptions::default().columns([5])).unwrap_err().to_string();
    assert!(e.contains("index 5") && e.contains("3 columns"), "{e}");
    let e = read_csv_bytes(data, &CsvOptions::default().categorical(["nope"])).unwrap_err().to_string();
    assert!(e.contains("\"nope\""), "{e}");
    let e = read_csv_bytes_array(data, &CsvOptions::default(), DType::Float64).unwrap_err().to_string();
    assert!(e.contains("\"beta\""), "{e}");
    let e = read_csv_bytes_array(data, &CsvOptions::default().categorical(["gamma"]).columns([0, 2]), DType::Float64)
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"gamma\" is categorical"), "{e}");
    let e = read_csv_bytes(data, &CsvOptions::default().float_dtype(DType::Int32)).unwrap_err().to_string();
    assert!(e.contains("float32 or float64"), "{e}");
    let e = read_csv_bytes(data, &CsvOptions::default().delimiter(b'"')).unwrap_err().to_string();
    assert!(e.contains("delimiter"), "{e}");
    let e = CsvChunks::new(&data[..], &CsvOptions::default(), 0).err().unwrap().to_string();
    assert!(e.contains("at least one row"), "{e}");
}

#[test]
fn selection_order_kinds_and_arrays() {
    let data = b"a;b;c;d\n1;x;3;04\n5;y;7;05\n";
    let o = CsvOptions::default().columns(["d", "a"]);
    let t = read_csv_bytes(data, &o).unwrap();
    assert_eq!(t.names(), ["d", "a"]);
    let a = read_csv_bytes_array(data, &o, DType::Float32).unwrap();
    assert_eq!(a.to_vec::<f32>().unwrap(), [4.0, 1.0, 5.0, 5.0]);
    assert_eq!(t.to_array(DType::Int64).unwrap().to_vec::<i64>().unwrap(), [4, 1, 5, 5]);
    let t = read_csv_bytes(data, &CsvOptions::default().categorical(["d"])).unwrap();
    let d = t.column("d").unwrap().as_categorical().unwrap();
    assert_eq!(d.categories, ["04", "05"]);
    assert!(t.to_array(DType::Float64).unwrap_err().to_string().contains("\"b\""));
    // Integer results cannot hold NaN: a missing value is a cast error.
    let e = read_csv_bytes_array(b"a\n1\n\n\nNA\n", &CsvOptions::default(), DType::Int32).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LossyCast { .. }), "{e}");
    // Sorted categories.
    let t = read_csv_bytes(b"k\nz\na\nm\nNA\na\n", &CsvOptions::default()).unwrap();
    let s = t.column("k").unwrap().as_categorical().unwrap().sorted().unwrap();
    assert_eq!(s.categories, ["a", "m", "z"]);
    assert_eq!(s.codes.to_vec::<i32>().unwrap(), [2, 0, 1, -1, 0]);
    // Without the default markers an empty field is text.
    let t = read_csv_bytes(b"k,v\n,1\nNA,2\n", &CsvOptions::default().default_missing(false)).unwrap();
    assert_eq!(t.column("k").unwrap().as_categorical().unwrap().categories, ["", "NA"]);
}

/// xorshift64*, for deterministic pseudo-random tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn f64(&mut self) -> f64 {
        match self.below(10) {
            0 => f64::from_bits(self.next()),
            1 => [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, 5e-324, f64::MAX][self.below(7)],
            _ => (self.next() as i64 as f64) / (1u64 << self.below(64)) as f64,
        }
    }
}

#[test]
fn write_then_read_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(7);
    let n = 500;
    let f64s: Vec<f64> = (0..n).map(|_| rng.f64()).collect();
    let f32s: Vec<f32> = (0..n).map(|_| rng.f64() as f32).collect();
    let ints: Vec<i64> =
        (0..n).map(|_| (rng.next() as i64) >> rng.below(64)).filter(|x| x.unsigned_abs() < 1 << 53).collect();
    let ints = [ints.clone(), vec![0; n - ints.len()]].concat();
    let path = dir.path().join("rt.csv");
    let cols = [
        Array::from_vec(f64s.clone(), &[n]).unwrap(),
        Array::from_vec(f32s.clone(), &[n]).unwrap(),
        Array::from_vec(ints.clone(), &[n]).unwrap(),
    ];
    write_csv(&path, &["x", "y, \"quoted\"", "k"], &cols, &CsvWriteOptions::default()).unwrap();
    let t = read_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(t.names(), ["x", "y, \"quoted\"", "k"]);
    let x = t.columns()[0].as_numeric().unwrap().values.to_vec::<f64>().unwrap();
    for (a, b) in x.iter().zip(&f64s) {
        assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{a} != {b}");
    }
    let k = t.columns()[2].as_numeric().unwrap().values.to_vec::<f64>().unwrap();
    assert_eq!(k, ints.iter().map(|&i| i as f64).collect::<Vec<_>>());
    let t32 = read_csv(&path, &CsvOptions::default().float_dtype(DType::Float32).columns([1])).unwrap();
    let y = t32.columns()[0].as_numeric().unwrap().values.to_vec::<f32>().unwrap();
    for (a, b) in y.iter().zip(&f32s) {
        assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{a} != {b}");
    }

    // A 2-D array, CRLF and another delimiter.
    let m = Array::from_vec((0..12).map(|i| i as f32 / 7.0).collect::<Vec<_>>(), &[4, 3]).unwrap();
    let opts = CsvWriteOptions::default().delimiter(b'\t').crlf(true);
    write_csv_array(&path, &[], &m, &opts).unwrap();
    let back = read_csv_array(&path, &CsvOptions::default().header(false), DType::Float32).unwrap();
    assert_eq!(back.to_vec::<f32>().unwrap(), m.to_vec::<f32>().unwrap());
    assert!(std::fs::read_to_string(&path).unwrap().contains("\t") && std::fs::read(&path).unwrap().ends_with(b"\r\n"));

    // Tables with text that needs quoting, missing values and a custom marker.
    let src = "name,v\n\"a,b\",1\n\"say \"\"hi\"\"\",\n\"two\nlines\",3\n,4\nplain,NA\n";
    let t = read_csv_bytes(src.as_bytes(), &CsvOptions::default()).unwrap();
    write_table(&path, &t, &CsvWriteOptions::default()).unwrap();
    let back = read_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(flatten(&back), flatten(&t));
    write_table(&path, &t, &CsvWriteOptions::default().missing("?")).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("\n?,4.0\n"));
    let back = read_csv(&path, &CsvOptions::default().missing_markers(["?"])).unwrap();
    assert_eq!(flatten(&back), flatten(&t));

    // Bad arguments.
    let e = write_csv(&path, &["a"], &cols, &CsvWriteOptions::default()).unwrap_err().to_string();
    assert!(e.contains("1 header names for 3 columns"), "{e}");
    let short = Array::from_vec(vec![1.0f64], &[1]).unwrap();
    assert!(write_csv(&path, &[], &[cols[0].clone(), short], &CsvWriteOptions::default()).is_err());
}

/// Builds a multi-megabyte CSV with quoted text (some with line breaks),
/// missing values and a column that turns categorical late.
fn big_input(rows: usize, newlines_in_quotes: bool, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut s = String::from("id,x,label,late,note\n");
    for r in 0..rows {
        let x = if rng.below(50) == 0 { String::new() } else { format!("{}", rng.f64() / 1e3) };
        let label = ["a", "b", "c,d", "\"q\""][rng.below(4)];
        let late = if r == rows - 3 { "text".to_string() } else { rng.below(1000).to_string() };
        let note = if newlines_in_quotes && rng.below(3) == 0 { "\"multi\nline\r\nnote\"" } else { "plain" };
        let label =
            if label.contains([',', '"']) { format!("\"{}\"", label.replace('"', "\"\"")) } else { label.into() };
        s.push_str(&format!("{r},{x},{label},{late},{note}{}", if rng.below(5) == 0 { "\r\n" } else { "\n" }));
    }
    s.into_bytes()
}

#[test]
fn threads_and_streaming_agree_with_one_thread() {
    for (newlines, seed) in [(false, 1), (true, 2)] {
        let data = big_input(60_000, newlines, seed);
        let one = read_csv_bytes(&data, &CsvOptions::default().threads(1)).unwrap();
        assert_eq!(one.n_rows(), 60_000);
        assert!(one.column("late").unwrap().as_categorical().is_some());
        let flat = flatten(&one);
        for threads in [2, 3, 7] {
            let many = read_csv_bytes(&data, &CsvOptions::default().threads(threads).min_chunk_bytes(4096)).unwrap();
            assert_eq!(flatten(&many), flat, "threads {threads}, newlines in quotes {newlines}");
        }
        let o = CsvOptions::default().categorical(["late"]);
        let whole = flatten(&read_csv_bytes(&data, &o).unwrap());
        for rows in [1_000, 7_777, 100_000] {
            assert_eq!(stream(&data, &o, rows).unwrap().unwrap(), whole, "chunks of {rows}");
        }
        // Without forcing it, the late text is a located schema error.
        let e = stream(&data, &CsvOptions::default(), 1_000).unwrap_err().to_string();
        assert!(e.contains("\"late\"") && e.contains("\"text\""), "{e}");
    }
}

#[test]
fn errors_deep_in_large_inputs_name_the_right_line() {
    let mut data = big_input(50_000, false, 3);
    // Break the record on line 40,001 (line 1 is the header).
    let mut line = 1;
    let mut at = 0;
    for (i, &b) in data.iter().enumerate() {
        if b == b'\n' {
            line += 1;
            if line == 40_001 {
                at = i + 1;
                break;
            }
        }
    }
    data.splice(at..at, b"1,2,3\n".iter().copied());
    let o = CsvOptions::default().categorical(["late"]);
    for opts in [o.clone().threads(1), o.clone().threads(4).min_chunk_bytes(1000)] {
        let (line, _, msg) = parse_error(read_csv_bytes(&data, &opts));
        assert_eq!(line, 40_001, "{msg}");
    }
    let e = stream(&data, &o, 999).unwrap_err();
    assert!(e.to_string().contains("line 40001"), "{e}");
}

/// Applies 1–4 random edits that CSV parsers find interesting.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    const BYTES: &[u8] = b",;\t|\"\n\r 0123456789.-+eENA/\xff\xc3\xa9";
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if at < v.len() => v[at] = BYTES[rng.below(BYTES.len())],
            1 => v.insert(at, BYTES[rng.below(BYTES.len())]),
            2 if at < v.len() => {
                v.remove(at);
            }
            3 => v.truncate(at),
            4 => {
                let end = (at + rng.below(20)).min(v.len());
                let piece = v[at..end].to_vec();
                let to = rng.below(v.len() + 1);
                v.splice(to..to, piece);
            }
            _ => v.insert(at, rng.next() as u8),
        }
    }
    v
}

#[test]
fn mutated_fixtures_never_panic_and_read_the_same_every_way() {
    let mut rng = Rng(0xC5F);
    let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "tsv"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    inputs.sort();
    let mut oks = 0;
    let total = 4_000;
    for i in 0..total {
        let base = &inputs[i % inputs.len()];
        let data = mutate(&mut rng, base);
        for opts in [CsvOptions::default(), CsvOptions::default().header(false).categorical([0])] {
            let one = read_csv_bytes(&data, &opts.clone().threads(1));
            let many = read_csv_bytes(&data, &parallel(opts.clone()));
            match (&one, &many) {
                (Ok(a), Ok(b)) => assert_eq!(flatten(a), flatten(b), "input {:?}", String::from_utf8_lossy(&data)),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!("threads disagree on {:?}: {one:?} vs {many:?}", String::from_utf8_lossy(&data)),
            }
            let _ = read_csv_bytes_array(&data, &opts, DType::Float32);
            if let Ok(t) = &one {
                oks += 1;
                let _ = t.to_array(DType::Float64);
                match stream(&data, &opts, 1 + rng.below(3)) {
                    Ok(Some(s)) => assert_eq!(s, flatten(t)),
                    Ok(None) => assert_eq!(t.n_rows(), 0),
                    Err(e) => assert!(e.to_string().contains("CsvOptions::categorical"), "{e}"),
                }
            } else {
                // Streaming reports an error too (possibly a schema error first).
                assert!(stream(&data, &opts, 2).is_err());
            }
        }
    }
    assert!(oks > total / 4, "most mutations still read: {oks}");
}

#[test]
fn cuts_inside_blank_lines_and_quotes() {
    // Blank-line runs and quoted line breaks everywhere: every cut is either
    // inside a blank run or inside quotes.
    let mut s = String::from("a,b\n");
    for i in 0..20_000 {
        s.push_str(&format!("{i},\"x\n\n y\"\n\n \n\r\n"));
    }
    let data = s.into_bytes();
    let one = flatten(&read_csv_bytes(&data, &CsvOptions::default().threads(1)).unwrap());
    for threads in [2, 5] {
        let many = read_csv_bytes(&data, &CsvOptions::default().threads(threads).min_chunk_bytes(100)).unwrap();
        assert_eq!(flatten(&many), one);
    }
}

#[test]
fn tables_built_by_hand() {
    use oxarray_io::csv::{CategoricalColumn, NumericColumn};
    let values = Array::from_vec(vec![1.5f64, 2.0, -3.0], &[3]).unwrap();
    let mask = Array::from_vec(vec![false, true, false], &[3]).unwrap();
    let codes = Array::from_vec(vec![1i32, -1, 0], &[3]).unwrap();
    let t = Table::new(
        vec!["v".into(), "c".into()],
        vec![
            Column::Numeric(NumericColumn { values: values.clone(), mask: Some(mask) }),
            Column::Categorical(CategoricalColumn { categories: vec!["x".into(), "y;z".into()], codes }),
        ],
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    write_table(&path, &t, &CsvWriteOptions::default().delimiter(b';')).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "v;c\n1.5;\"y;z\"\n;\n-3.0;x\n");
    let bad_codes = Array::from_vec(vec![0i32, 5, 0], &[3]).unwrap();
    let e = Table::new(
        vec!["c".into()],
        vec![Column::Categorical(CategoricalColumn { categories: vec!["x".into()], codes: bad_codes })],
    )
    .unwrap_err();
    assert!(e.to_string().contains("code 5"), "{e}");
    let short = Array::from_vec(vec![1.0f64], &[1]).unwrap();
    let e = Table::new(
        vec!["a".into(), "b".into()],
        vec![
            Column::Numeric(NumericColumn { values, mask: None }),
            Column::Numeric(NumericColumn { values: short, mask: None }),
        ],
    )
    .unwrap_err();
    assert!(e.to_string().contains("\"b\""), "{e}");
}
