//! safetensors: files written by the `safetensors` package, round trips,
//! validation, zero-copy views.

mod common;

use std::collections::BTreeMap;

use common::{assert_matches, assert_same, expected, fixture, layouts};
use oxarray_core::{Array, DType, ErrorKind, Location};
use oxarray_io::safetensors::{self, SafeTensors};

fn meta(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn reads_reference_files_zero_copy() {
    let want = expected();
    for file in ["tensors.safetensors", "simple.safetensors"] {
        let w = &want["safetensors"][file];
        let st = SafeTensors::open(fixture(file)).unwrap();
        assert!(st.is_mapped());
        let metadata: BTreeMap<String, String> = w["metadata"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        assert_eq!(st.metadata(), &metadata);
        let tensors = w["tensors"].as_object().unwrap();
        assert_eq!(st.len(), tensors.len());
        let first = st.get(st.names()[0]).unwrap();
        for (name, t) in tensors {
            let a = st.get(name).unwrap_or_else(|e| panic!("{file}/{name}: {e}"));
            assert_matches(&a, t, &format!("{file}/{name}"));
            assert!(a.shares_buffer(&first), "{name}: every tensor views the one map");
            assert!(a.buffer().is_mapped() && !a.buffer().is_writable());
            assert_eq!(st.info(name).unwrap().dtype, a.dtype());
        }
        let (all, m) = safetensors::load_safetensors(fixture(file)).unwrap();
        assert_eq!((all.len(), &m), (tensors.len(), &metadata));
        let bytes = std::fs::read(fixture(file)).unwrap();
        let mem = SafeTensors::from_bytes(&bytes).unwrap();
        assert!(!mem.is_mapped());
        for (name, a) in &all {
            assert_same(&mem.get(name).unwrap(), a, name);
        }
    }
}

#[test]
fn writes_what_the_reference_writer_writes() {
    for file in ["tensors.safetensors", "simple.safetensors"] {
        let st = SafeTensors::open(fixture(file)).unwrap();
        let arrays = st.arrays().unwrap();
        // Any input order: the writer sorts as the reference does.
        let mut refs: Vec<(&str, &Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
        refs.reverse();
        let ours = safetensors::to_bytes(&refs, st.metadata()).unwrap();
        assert_eq!(ours, std::fs::read(fixture(file)).unwrap(), "{file}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        safetensors::save_safetensors(&path, &refs, st.metadata()).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), ours);
    }
}

#[test]
fn round_trips_every_dtype_and_layout() {
    let mut arrays = Vec::new();
    for dtype in DType::ALL.into_iter().filter(|&d| d != DType::Complex128) {
        for (label, a) in layouts(dtype) {
            arrays.push((format!("{dtype} {label}"), a));
        }
    }
    let refs: Vec<(&str, &Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.safetensors");
    let m = meta(&[("format", "pt"), ("quote\"d", "new\nline ü")]);
    safetensors::save_safetensors(&path, &refs, &m).unwrap();
    let st = SafeTensors::open(&path).unwrap();
    assert_eq!(st.metadata(), &m);
    for (name, a) in &refs {
        let b = st.get(name).unwrap();
        assert_same(a, &b, name);
        assert!(b.size() == 0 || b.buffer().is_mapped(), "{name}: aligned, so viewed in place");
    }
    let mut w = Vec::new();
    safetensors::write_safetensors(&mut w, &refs, &m).unwrap();
    assert_eq!(w, std::fs::read(&path).unwrap());
}

#[test]
fn writer_refusals() {
    let c = common::patterned(DType::Complex128, &[2]);
    let f = common::patterned(DType::Float32, &[2]);
    let none = BTreeMap::new();
    let e = safetensors::to_bytes(&[("z", &c)], &none).unwrap_err().to_string();
    assert!(e.contains("complex128") && e.contains("C64"), "{e}");
    assert!(safetensors::to_bytes(&[("__metadata__", &f)], &none).is_err());
    assert!(safetensors::to_bytes(&[("a", &f), ("a", &f)], &none).is_err());
    assert_eq!(safetensors::to_bytes(&[], &none).unwrap(), b"\x08\0\0\0\0\0\0\0{}      ");
}

/// A file with `header` (as given, unpadded) followed by `data`.
fn file_with(header: &str, data: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn unaligned_tensors_are_copied() {
    // A 9-byte-longer header puts the F32 data at an odd offset.
    let values = [1.5f32, -2.0];
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let header = r#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
    assert_eq!((8 + header.len()) % 4, 2);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.safetensors");
    std::fs::write(&path, file_with(header, &data)).unwrap();
    let st = SafeTensors::open(&path).unwrap();
    let x = st.get("x").unwrap();
    assert_eq!(x.to_vec::<f32>().unwrap(), values);
    assert!(!x.buffer().is_mapped(), "copied into aligned memory");
}

fn st_error(bytes: &[u8]) -> (Location, String) {
    let e = SafeTensors::from_bytes(bytes).and_then(|s| s.arrays()).expect_err("must be an error");
    let message = e.to_string();
    match e.into_kind() {
        ErrorKind::Parse { format, location, .. } => {
            assert_eq!(format, "safetensors");
            (location, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn validation_errors() {
    let t = |dtype: &str, shape: &str, b: usize, e: usize| {
        format!(r#""{dtype}_{b}":{{"dtype":"{dtype}","shape":{shape},"data_offsets":[{b},{e}]}}"#)
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("short", b"\x08\0\0".to_vec(), "too short"),
        ("header past end", [&100u64.to_le_bytes()[..], b"{}"].concat(), "runs past the end"),
        ("header too large", [&200_000_000u64.to_le_bytes()[..], b"{}"].concat(), "exceeds the limit"),
        ("not utf-8", [&4u64.to_le_bytes()[..], b"{\"\xff\"}"].concat(), "UTF-8"),
        ("not json", file_with("{\"a\":", &[]), "not valid JSON"),
        ("not an object", file_with("[1, 2]", &[]), "not a JSON object"),
        ("metadata not strings", file_with(r#"{"__metadata__":{"a":1}}"#, &[]), "not a string"),
        ("unknown dtype", file_with(&format!("{{{}}}", t("Q8", "[1]", 0, 1)), &[0]), "unknown dtype"),
        ("fp8", file_with(&format!("{{{}}}", t("F8_E4M3", "[1]", 0, 1)), &[0]), "F8_E4M3"),
        ("size mismatch", file_with(&format!("{{{}}}", t("F32", "[2]", 0, 4)), &[0; 4]), "needs 8"),
        ("overlap", file_with(&format!("{{{},{}}}", t("U8", "[4]", 0, 4), t("I8", "[2]", 2, 4)), &[0; 4]), "overlaps"),
        ("gap", file_with(&format!("{{{}}}", t("U8", "[2]", 2, 4)), &[0; 4]), "gap"),
        ("out of range", file_with(&format!("{{{}}}", t("U8", "[4]", 0, 4)), &[0; 2]), "cover 4 bytes"),
        ("trailing bytes", file_with(&format!("{{{}}}", t("U8", "[2]", 0, 2)), &[0; 3]), "holds 3"),
        ("reversed", file_with(&format!("{{{}}}", t("U8", "[0]", 4, 0)), &[]), "ends before"),
        ("overflow", file_with(&format!("{{{}}}", t("F64", "[4294967296,4294967296]", 0, 0)), &[]), "overflows"),
        ("bad bool", file_with(&format!("{{{}}}", t("BOOL", "[3]", 0, 3)), &[0, 1, 7]), "byte 7"),
        ("no shape", file_with(r#"{"x":{"dtype":"U8","data_offsets":[0,0]}}"#, &[]), "\"shape\""),
        ("negative", file_with(&format!("{{{}}}", t("U8", "[-1]", 0, 0)), &[]), "non-negative"),
    ];
    for (what, bytes, want) in cases {
        let (_, msg) = st_error(&bytes);
        assert!(msg.contains(want), "{what}: {msg}");
    }
    // Locations point into the file.
    let (loc, _) = st_error(&file_with("{\"a\": x}", &[]));
    assert_eq!(loc, Location::Byte(8 + 6));
    let (loc, _) = st_error(&file_with(&format!("{{{}}}", t("BOOL", "[3]", 0, 3)), &[0, 1, 7]));
    assert!(matches!(loc, Location::Byte(b) if b > 8));
}

#[test]
fn every_truncation_is_an_error() {
    for file in ["tensors.safetensors", "simple.safetensors"] {
        let bytes = std::fs::read(fixture(file)).unwrap();
        for n in 0..bytes.len() {
            assert!(SafeTensors::from_bytes(&bytes[..n]).is_err(), "{file} cut at {n}");
        }
    }
}
