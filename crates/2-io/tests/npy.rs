//! `.npy`: files written by NumPy, round trips, malformed input, memory maps.

mod common;

use std::io::Write;

use common::{assert_matches, assert_same, expected, fixture, layouts};
use oxarray_core::{Array, DType, ErrorKind, Location};
use oxarray_io::npy;

/// The parse error's location and message, or a panic naming what came back.
fn parse_error(r: oxarray_core::Result<Array>) -> (Location, String) {
    let e = r.expect_err("malformed input must be an error");
    let message = e.to_string();
    match e.into_kind() {
        ErrorKind::Parse { format, location, .. } => {
            assert_eq!(format, "npy", "{message}");
            (location, message)
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn reads_every_numpy_fixture() {
    let want = expected();
    let files = want["npy"].as_object().unwrap();
    assert!(files.len() >= 40);
    for (name, w) in files {
        let a = npy::load(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_matches(&a, w, name);
        if w["fortran_order"].as_bool().unwrap() {
            assert!(a.is_f_contiguous() && !a.is_c_contiguous(), "{name}: F order must stay an F-strided view");
        } else {
            assert!(a.is_c_contiguous(), "{name}");
        }
        // The same bytes from memory and from a stream.
        let bytes = std::fs::read(fixture(name)).unwrap();
        assert_same(&npy::from_bytes(&bytes).unwrap(), &a, name);
        assert_same(&npy::read_npy(&bytes[..]).unwrap(), &a, name);
    }
}

#[test]
fn header_versions_and_byte_order() {
    let h = npy::read_header(std::fs::File::open(fixture("v2_f4.npy")).unwrap()).unwrap();
    assert_eq!(h.version, (2, 0));
    let h = npy::read_header(std::fs::File::open(fixture("v3_f4.npy")).unwrap()).unwrap();
    assert_eq!(h.version, (3, 0));
    let h = npy::read_header(std::fs::File::open(fixture("be_f8.npy")).unwrap()).unwrap();
    assert_eq!((h.byte_order, h.dtype, h.data_offset), (npy::ByteOrder::Big, DType::Float64, 128));
    assert!(h.needs_byteswap());
    // Big-endian data comes back in native order.
    let a = npy::load(fixture("be_i4.npy")).unwrap();
    assert_eq!(a.to_vec::<i32>().unwrap()[..2], [i32::MIN, i32::MAX]);
    let c = npy::load(fixture("be_c8.npy")).unwrap();
    assert_eq!(c.get::<oxarray_core::c64>(&[0]).unwrap(), oxarray_core::c64::new(1.0, 2.0));
}

#[test]
fn writes_what_numpy_writes() {
    // Native-order files from NumPy, saved again, are identical to the byte.
    let want = expected();
    let dir = tempfile::tempdir().unwrap();
    let mut compared = 0;
    for name in want["npy"].as_object().unwrap().keys() {
        if name.starts_with("be_") || name.starts_with("v2") || name.starts_with("v3") {
            continue;
        }
        let a = npy::load(fixture(name)).unwrap();
        let out = dir.path().join(name);
        npy::save(&out, &a).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(fixture(name)).unwrap(), "{name}");
        assert_eq!(npy::to_bytes(&a).unwrap(), std::fs::read(fixture(name)).unwrap(), "{name}");
        compared += 1;
    }
    assert!(compared >= 33);
}

#[test]
fn round_trips_every_dtype_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.npy");
    for dtype in DType::ALL {
        if dtype == DType::BFloat16 {
            continue;
        }
        for (label, a) in layouts(dtype) {
            let what = format!("{dtype} {label}");
            npy::save(&path, &a).unwrap();
            let b = npy::load(&path).unwrap();
            assert_same(&a, &b, &what);
            let fortran = a.is_f_contiguous() && !a.is_c_contiguous();
            assert_eq!(npy::read_header(std::fs::File::open(&path).unwrap()).unwrap().fortran_order, fortran, "{what}");
            assert_eq!(b.is_f_contiguous() && !b.is_c_contiguous(), fortran, "{what}");
            let mut stream = Vec::new();
            npy::write_npy(&mut stream, &a).unwrap();
            assert_eq!(stream, std::fs::read(&path).unwrap(), "{what}");
            if a.size() > 0 {
                let m = npy::load_mmap(&path, false).unwrap();
                assert!(m.buffer().is_mapped(), "{what}");
                assert_same(&a, &m, &what);
            }
        }
    }
}

#[test]
fn bfloat16_is_refused_with_advice() {
    let dir = tempfile::tempdir().unwrap();
    let a = common::patterned(DType::BFloat16, &[2]);
    let e = npy::save(dir.path().join("x.npy"), &a).unwrap_err().to_string();
    assert!(e.contains("bfloat16") && e.contains("safetensors"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn refuses_dtypes_it_cannot_hold() {
    for (name, why) in [
        ("object.npy", "never unpickles"),
        ("structured.npy", "structured"),
        ("unicode.npy", "strings"),
        ("datetime.npy", "datetimes"),
    ] {
        let (loc, msg) = parse_error(npy::load(fixture(name)));
        assert!(msg.contains(why) && msg.contains(name), "{msg}");
        assert!(matches!(loc, Location::Byte(b) if (10..128).contains(&b)), "{loc:?}");
    }
}

/// A version 1.0 file with the given header text (padded as NumPy pads)
/// followed by `data`.
fn npy_with(header: &str, data: &[u8]) -> Vec<u8> {
    let mut h = header.to_string();
    while !(10 + h.len() + 1).is_multiple_of(64) {
        h.push(' ');
    }
    h.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(h.len() as u16).to_le_bytes());
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn malformed_inputs_are_located_errors() {
    let good = std::fs::read(fixture("float32_c.npy")).unwrap();
    let cases: Vec<(&str, Vec<u8>, u64, &str)> = vec![
        ("bad magic", [b"\x93NUMPZ".as_slice(), &good[6..]].concat(), 5, "magic"),
        ("zip, not npy", b"PK\x03\x04 and so on".to_vec(), 0, "magic"),
        ("version 4.0", [&good[..6], &[4, 0], &good[8..]].concat(), 6, "version 4.0"),
        ("version 1.1", [&good[..6], &[1, 1], &good[8..]].concat(), 6, "version 1.1"),
        ("empty", vec![], 0, "ends after 0 bytes"),
        ("truncated header", good[..40].to_vec(), 40, "ends"),
        ("header length past the end", [&good[..8], &[0xff, 0xff], &good[10..]].concat(), 152, "inside the header"),
        ("header not a dict", npy_with("[('descr', '<f4')]", &[]), 10, "not a dict"),
        (
            "unknown descr",
            npy_with("{'descr': '<f3', 'fortran_order': False, 'shape': (1,), }", &[0; 4]),
            20,
            "unknown",
        ),
        (
            "size overflows",
            npy_with("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", &[]),
            60,
            "overflows",
        ),
        ("data short", good[..good.len() - 1].to_vec(), 151, "needs 24"),
        (
            "claims a terabyte",
            npy_with("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", &[1, 2, 3]),
            131,
            "needs 4398046511104",
        ),
        (
            "bool byte 2",
            npy_with("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", &[1, 0, 2]),
            130,
            "byte 2",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (what, bytes, at, text) in cases {
        let path = dir.path().join("bad.npy");
        std::fs::write(&path, &bytes).unwrap();
        let (loc, msg) = parse_error(npy::load(&path));
        assert_eq!(loc, Location::Byte(at), "{what}: {msg}");
        assert!(msg.contains(text) && msg.contains("bad.npy"), "{what}: {msg}");
        let (loc2, _) = parse_error(npy::from_bytes(&bytes));
        assert_eq!(loc2, loc, "{what}");
        assert!(npy::read_npy(&bytes[..]).is_err(), "{what}");
        assert!(npy::load_mmap(&path, false).is_err(), "{what}");
    }
}

#[test]
fn every_truncation_is_an_error() {
    for name in ["float64_f.npy", "bool_c.npy", "be_c8.npy", "v2_f4.npy", "v3_f4.npy", "scalar_f8.npy"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for n in 0..bytes.len() {
            assert!(npy::from_bytes(&bytes[..n]).is_err(), "{name} cut at {n}");
            assert!(npy::read_npy(&bytes[..n]).is_err(), "{name} cut at {n}");
        }
    }
}

#[test]
fn trailing_bytes_are_ignored_like_numpy() {
    let mut bytes = std::fs::read(fixture("int16_c.npy")).unwrap();
    let a = npy::from_bytes(&bytes).unwrap();
    bytes.extend_from_slice(b"trailing garbage");
    assert_same(&npy::from_bytes(&bytes).unwrap(), &a, "trailing");
}

#[test]
fn mmap_read_only_copies_on_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npy");
    std::fs::copy(fixture("float64_c.npy"), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut a = npy::load_mmap(&path, false).unwrap();
    assert!(a.buffer().is_mapped() && !a.buffer().is_writable());
    assert_same(&a, &npy::load(&path).unwrap(), "mapped values");
    a.set(&[0, 0], 42.0f64).unwrap();
    assert_eq!(a.get::<f64>(&[0, 0]).unwrap(), 42.0);
    assert!(!a.buffer().is_mapped(), "the write copied the array");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the file is unchanged");
}

#[test]
fn mmap_writable_writes_through() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npy");
    std::fs::copy(fixture("int32_f.npy"), &path).unwrap();
    let mut a = npy::load_mmap(&path, true).unwrap();
    assert!(a.buffer().is_mapped() && a.buffer().is_writable() && a.is_f_contiguous());
    a.set(&[2, 1], 7i32).unwrap();
    assert!(a.buffer().is_mapped(), "written in place");
    drop(a);
    assert_eq!(npy::load(&path).unwrap().get::<i32>(&[2, 1]).unwrap(), 7);
}

#[test]
fn mmap_refuses_big_endian_and_unaligned_data() {
    let e = npy::load_mmap(fixture("be_f8.npy"), false).unwrap_err().to_string();
    assert!(e.contains("big-endian") && e.contains("load"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.npy");
    // A header of odd length puts the f8 data at an unaligned offset.
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    let h = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n";
    bytes.extend_from_slice(&(h.len() as u16).to_le_bytes());
    bytes.extend_from_slice(h.as_bytes());
    bytes.extend_from_slice(&[0u8; 16]);
    std::fs::write(&path, &bytes).unwrap();
    let e = npy::load_mmap(&path, false).unwrap_err().to_string();
    assert!(e.contains("not aligned"), "{e}");
    assert_eq!(npy::load(&path).unwrap().to_vec::<f64>().unwrap(), vec![0.0, 0.0]);
}

#[test]
fn mmap_of_a_large_file_reads_nothing() {
    // A sparse 1 GiB file: mapping it is O(1); touching one element pages in
    // one page.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.npy");
    let n: usize = 1 << 28;
    let header = npy::to_bytes(&Array::zeros(&[0], DType::Float32).unwrap()).unwrap();
    let text = String::from_utf8(header[10..].to_vec()).unwrap().replace("(0,)", &format!("({n},)"));
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(&header[..10]).unwrap();
    f.write_all(text.trim_end().as_bytes()).unwrap();
    let pad = 128 - 10 - text.trim_end().len() - 1;
    f.write_all(&vec![b' '; pad]).unwrap();
    f.write_all(b"\n").unwrap();
    f.set_len(128 + 4 * n as u64).unwrap();
    drop(f);
    let a = npy::load_mmap(&path, false).unwrap();
    assert_eq!(a.shape(), &[n]);
    assert_eq!(a.get::<f32>(&[-1]).unwrap(), 0.0);
}
