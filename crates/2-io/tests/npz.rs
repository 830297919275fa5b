//! `.npz`: archives written by NumPy, round trips, malformed archives,
//! memory-mapped members.

mod common;

use std::io::Cursor;

use common::{assert_matches, assert_same, expected, fixture, layouts};
use oxarray_core::{DType, ErrorKind, Location};
use oxarray_io::npz::{self, Compression, NpzReader};

#[test]
fn reads_numpy_archives() {
    let want = expected();
    for file in ["stored.npz", "compressed.npz"] {
        let w = &want["npz"][file];
        let mut r = NpzReader::open(fixture(file)).unwrap();
        assert_eq!(r.names(), vec!["a", "b", "c", "empty", "flags", "z", "arr_0"], "{file}");
        assert_eq!(r.member_names()[0], "a.npy");
        let stored = file == "stored.npz";
        for (name, m) in w["members"].as_object().unwrap() {
            let a = r.get(name).unwrap_or_else(|e| panic!("{file}/{name}: {e}"));
            assert_matches(&a, m, &format!("{file}/{name}"));
            assert_eq!(r.is_stored(name), Some(stored));
            assert_same(&r.get(&format!("{name}.npy")).unwrap(), &a, name);
        }
        assert!(r.get("b").unwrap().is_f_contiguous());
        // The same from memory.
        let mut m = NpzReader::new(Cursor::new(std::fs::read(fixture(file)).unwrap())).unwrap();
        assert_eq!(m.get_all().unwrap().len(), 7);
        assert_eq!(npz::load_npz(fixture(file)).unwrap().len(), 7);
    }
}

#[test]
fn missing_members_are_named() {
    let mut r = NpzReader::open(fixture("stored.npz")).unwrap();
    let e = r.get("nope").unwrap_err().to_string();
    assert!(e.contains("nope") && e.contains("arr_0"), "{e}");
    assert!(!r.contains("nope") && r.contains("flags"));
}

#[test]
fn round_trips_every_dtype_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    for compression in [Compression::Stored, Compression::Deflated] {
        let path = dir.path().join("all.npz");
        let mut arrays = Vec::new();
        for dtype in DType::ALL.into_iter().filter(|&d| d != DType::BFloat16) {
            for (label, a) in layouts(dtype) {
                arrays.push((format!("{dtype} {label}"), a));
            }
        }
        let refs: Vec<(&str, &oxarray_core::Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
        match compression {
            Compression::Stored => npz::savez(&path, &refs).unwrap(),
            Compression::Deflated => npz::savez_compressed(&path, &refs).unwrap(),
        }
        let mut r = NpzReader::open(&path).unwrap();
        assert_eq!(r.names(), refs.iter().map(|(n, _)| *n).collect::<Vec<_>>());
        for (name, a) in &refs {
            let b = r.get(name).unwrap();
            assert_same(a, &b, name);
            if compression == Compression::Stored {
                // savez aligns every member, so every one can be mapped.
                let m = r.load_mmap_member(name).unwrap();
                assert_same(a, &m, name);
                assert!(m.size() == 0 || m.buffer().is_mapped(), "{name}");
            } else {
                let e = r.load_mmap_member(name).unwrap_err().to_string();
                assert!(e.contains("deflate"), "{e}");
            }
        }
        let mut mem = Cursor::new(Vec::new());
        npz::write_npz(&mut mem, &refs, compression).unwrap();
        assert_eq!(mem.into_inner(), std::fs::read(&path).unwrap(), "in-memory and file writers agree");
    }
}

#[test]
fn writer_refuses_bfloat16_and_duplicate_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.npz");
    let bf = common::patterned(DType::BFloat16, &[2]);
    let f = common::patterned(DType::Float32, &[2]);
    let e = npz::savez(&path, &[("w", &bf)]).unwrap_err().to_string();
    assert!(e.contains("bfloat16") && e.contains("safetensors"), "{e}");
    assert!(npz::savez(&path, &[("w", &f), ("w", &f)]).unwrap_err().to_string().contains("twice"));
    assert!(!path.exists());
}

#[test]
fn mmap_members_of_numpy_archives() {
    let mut r = NpzReader::open(fixture("stored.npz")).unwrap();
    // One-byte dtypes need no alignment.
    for name in ["c", "flags"] {
        let m = r.load_mmap_member(name).unwrap();
        assert!(m.buffer().is_mapped() && !m.buffer().is_writable(), "{name}");
        assert_same(&m, &r.get(name).unwrap(), name);
    }
    // NumPy does not align members; an unaligned float64 member says so.
    let a_start = {
        let bytes = std::fs::read(fixture("stored.npz")).unwrap();
        bytes.windows(6).position(|w| w == b"\x93NUMPY").unwrap() + 128
    };
    match r.load_mmap_member("a") {
        Ok(m) => assert!(a_start % 8 == 0 && m.buffer().is_mapped()),
        Err(e) => assert!(e.to_string().contains("not aligned"), "{e}"),
    }
    let mut c = NpzReader::open(fixture("compressed.npz")).unwrap();
    assert!(c.load_mmap_member("c").unwrap_err().to_string().contains("deflate"));
}

fn npz_error(bytes: Vec<u8>) -> (String, Location, String) {
    let result = NpzReader::new(Cursor::new(bytes)).and_then(|mut r| r.get_all());
    let e = result.expect_err("malformed archive must be an error");
    let message = e.to_string();
    match e.into_kind() {
        ErrorKind::Parse { format, location, .. } => (format.to_string(), location, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn malformed_archives_are_located_errors() {
    let good = std::fs::read(fixture("stored.npz")).unwrap();
    let (format, _, msg) = npz_error(b"not a zip at all, just some text".to_vec());
    assert!(format == "npz" && msg.contains("end-of-central-directory"), "{msg}");
    let (_, _, msg) = npz_error(b"PK".to_vec());
    assert!(msg.contains("too short"), "{msg}");

    // A flipped byte in a stored member's data: the CRC catches it.
    let mut bad = good.clone();
    let data = bad.windows(6).position(|w| w == b"\x93NUMPY").unwrap() + 128;
    bad[data + 3] ^= 0x40;
    let (format, loc, msg) = npz_error(bad);
    assert_eq!(format, "npy");
    assert!(matches!(&loc, Location::Member { name, .. } if name == "a.npy"), "{loc:?}");
    assert!(msg.contains("CRC-32"), "{msg}");

    // A member whose npy header is broken names the member.
    let mut bad = good.clone();
    let magic = bad.windows(6).position(|w| w == b"\x93NUMPY").unwrap();
    bad[magic + 1] = b'X';
    let (_, loc, msg) = npz_error(bad);
    assert_eq!(loc, Location::Member { name: "a.npy".into(), offset: Some(1) }, "{msg}");

    // A directory that points outside the file.
    let mut bad = good.clone();
    let eocd = bad.len() - 22;
    bad[eocd + 16..eocd + 20].copy_from_slice(&u32::MAX.to_le_bytes());
    let (_, _, msg) = npz_error(bad);
    assert!(msg.contains("outside the file"), "{msg}");

    // A deflated member claiming an impossible size is refused before
    // anything is allocated.
    let mut bad = std::fs::read(fixture("compressed.npz")).unwrap();
    let cd = bad.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bad[cd + 24..cd + 28].copy_from_slice(&0x7fff_ffffu32.to_le_bytes());
    let (_, loc, msg) = npz_error(bad);
    assert!(matches!(loc, Location::Member { .. }) && msg.contains("more than deflate"), "{msg}");

    // Unsupported compression methods and encryption.
    for (field, value, want) in [(10usize, 12u16, "method 12"), (8, 1, "encrypted")] {
        let mut bad = good.clone();
        let cd = bad.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bad[cd + field..cd + field + 2].copy_from_slice(&value.to_le_bytes());
        let (_, _, msg) = npz_error(bad);
        assert!(msg.contains(want), "{msg}");
    }
}

#[test]
fn every_truncation_is_an_error() {
    for file in ["stored.npz", "compressed.npz"] {
        let bytes = std::fs::read(fixture(file)).unwrap();
        for n in 0..bytes.len() {
            let r = NpzReader::new(Cursor::new(&bytes[..n])).and_then(|mut r| r.get_all());
            assert!(r.is_err(), "{file} cut at {n}");
        }
    }
}
