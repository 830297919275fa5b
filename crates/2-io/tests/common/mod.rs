//! Shared helpers for the io tests: fixtures written by NumPy and the
//! safetensors package, and arrays of every dtype and layout.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, Index};
use serde_json::Value;

/// The folder of committed fixtures.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture's path.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// `expected.json`, written by `gen_fixtures.py` next to the fixtures.
pub fn expected() -> Value {
    let text = std::fs::read_to_string(fixture("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks dtype, shape and every element's bytes (C order, little-endian)
/// against an entry of `expected.json`.
pub fn assert_matches(a: &Array, want: &Value, what: &str) {
    assert_eq!(a.dtype().name(), want["dtype"].as_str().unwrap(), "{what}: dtype");
    let shape: Vec<usize> = want["shape"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect();
    assert_eq!(a.shape(), &shape[..], "{what}: shape");
    assert_eq!(hex(&a.to_bytes()), want["hex"].as_str().unwrap(), "{what}: values");
}

/// A C-contiguous array of `shape` filled with a deterministic byte
/// pattern valid for `dtype` (bool bytes are 0 or 1).
pub fn patterned(dtype: DType, shape: &[usize]) -> Array {
    let n: usize = shape.iter().product::<usize>() * dtype.itemsize();
    let bytes: Vec<u8> = (0..n)
        .map(|i| if dtype == DType::Bool { (i % 3 == 0) as u8 } else { (i.wrapping_mul(37) + 11) as u8 })
        .collect();
    let buffer = Buffer::copy_from(&bytes).unwrap();
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = step;
        step *= d.max(1) as isize;
    }
    Array::from_buffer(Arc::new(buffer), dtype, shape.to_vec(), strides, 0).unwrap()
}

/// Arrays of `dtype` in every layout the writers must handle, with a label.
pub fn layouts(dtype: DType) -> Vec<(&'static str, Array)> {
    let c = patterned(dtype, &[3, 4]);
    let f = patterned(dtype, &[4, 3]).transpose();
    assert!(f.is_f_contiguous() && !f.is_c_contiguous());
    let strided = patterned(dtype, &[4, 6]).slice(&[Index::step(2), Index::step(-1)]).unwrap();
    assert!(!strided.is_contiguous());
    let permuted = patterned(dtype, &[2, 3, 4]).permute_dims(&[1, 0, 2]).unwrap();
    assert!(!permuted.is_contiguous());
    vec![
        ("C", c),
        ("F", f),
        ("strided view", strided),
        ("permuted view", permuted),
        ("0-d", patterned(dtype, &[])),
        ("empty (0,)", patterned(dtype, &[0])),
        ("empty (3, 0)", patterned(dtype, &[3, 0])),
        ("1-d", patterned(dtype, &[5])),
    ]
}

/// Same dtype, shape and element bytes.
pub fn assert_same(a: &Array, b: &Array, what: &str) {
    assert_eq!(a.dtype(), b.dtype(), "{what}: dtype");
    assert_eq!(a.shape(), b.shape(), "{what}: shape");
    assert_eq!(a.to_bytes(), b.to_bytes(), "{what}: values");
}
