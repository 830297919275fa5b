//! Creation functions against NumPy: `fixtures/creation.json` holds the
//! results of `np.arange`, `np.linspace`, `np.eye`, `np.ones` and `np.full`
//! made by `fixtures/gen_creation.py` (NumPy's version is pinned there and
//! recorded in the file). Every case must match **bit for bit**: the same
//! dtype, shape and bytes. Where NumPy warns about an overflow (a value that
//! becomes infinity in a cast), oxarray must return an error instead.

use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, ErrorKind, Nested, Wide, c128, dispatch};
use serde_json::Value;

fn fixtures() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/creation.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read creation.json")).expect("parse creation.json")
}

/// A scalar argument as the generator stored it.
enum Arg {
    Bool(bool),
    Int(i128),
    Float(f64),
    Complex(f64, f64),
}

fn arg(v: &Value) -> Arg {
    if let Some(b) = v.get("b") {
        return Arg::Bool(b.as_bool().unwrap());
    }
    if let Some(i) = v.get("i") {
        return Arg::Int(i.as_i64().map(i128::from).or_else(|| i.as_u64().map(i128::from)).unwrap());
    }
    if let Some(f) = v.get("f") {
        return Arg::Float(f64::from_bits(f.as_u64().unwrap()));
    }
    let c = v["c"].as_array().unwrap();
    Arg::Complex(f64::from_bits(c[0].as_u64().unwrap()), f64::from_bits(c[1].as_u64().unwrap()))
}

fn float(v: &Value) -> f64 {
    match arg(v) {
        Arg::Float(f) => f,
        Arg::Int(i) => i as f64,
        _ => panic!("not a real number: {v}"),
    }
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The expected array, rebuilt from NumPy's bytes.
fn expected(r: &Value) -> Array {
    let dtype: DType = r["dtype"].as_str().unwrap().parse().unwrap();
    let shape = usizes(&r["shape"]);
    let strides = oxarray_kernels::layout::c_strides(&shape);
    let buffer = Arc::new(Buffer::copy_from(&hex(r["hex"].as_str().unwrap())).unwrap());
    Array::from_buffer(buffer, dtype, shape, strides, 0).unwrap()
}

fn values(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(oxarray_core::Element::to_wide).collect())
}

/// Compares `got` with NumPy's result `r` bit for bit; returns a message on
/// mismatch. NumPy errors (overflow warnings) must be oxarray errors.
fn check(what: &str, got: oxarray_core::Result<Array>, r: &Value) -> Option<String> {
    if let Some(e) = r.get("error") {
        return match got {
            Ok(_) => Some(format!("{what}: NumPy reports {e}, oxarray returned an array")),
            Err(_) => None,
        };
    }
    let got = match got {
        Ok(a) => a,
        Err(e) => return Some(format!("{what}: unexpected error {e}")),
    };
    let want = expected(r);
    if (got.dtype(), got.shape()) != (want.dtype(), want.shape()) {
        return Some(format!(
            "{what}: got {} {:?}, NumPy {} {:?}",
            got.dtype(),
            got.shape(),
            want.dtype(),
            want.shape()
        ));
    }
    assert!(got.is_c_contiguous() && got.offset() == 0, "{what}: creation returns fresh C-contiguous arrays");
    if got.buffer().as_bytes()[..got.nbytes()] != want.buffer().as_bytes()[..want.nbytes()] {
        let (g, w) = (values(&got), values(&want));
        let i = (0..g.len()).find(|&i| g[i].to_bits() != w[i].to_bits()).unwrap_or(0);
        return Some(format!("{what}: element {i} is {:?}, NumPy has {:?}", g[i], w[i]));
    }
    None
}

/// Bitwise identity of widened values (so NaN == NaN and -0.0 != 0.0).
trait Bits {
    fn to_bits(&self) -> (u64, u64);
}

impl Bits for Wide {
    fn to_bits(&self) -> (u64, u64) {
        match *self {
            Wide::Bool(b) => (b as u64, 0),
            Wide::Int(i) => (i as u64, (i >> 64) as u64),
            Wide::Float(f) => (f.to_bits(), 0),
            Wide::Complex(re, im) => (re.to_bits(), im.to_bits()),
        }
    }
}

fn run(section: &str, mut case: impl FnMut(&Value) -> (String, oxarray_core::Result<Array>)) {
    let data = fixtures();
    let cases = data[section].as_array().unwrap();
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            let (what, got) = case(c);
            check(&what, got, &c["result"])
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} {section} cases differ from NumPy {}:\n{}",
        failures.len(),
        cases.len(),
        data["numpy_version"],
        failures.join("\n")
    );
}

#[test]
fn fixtures_pin_numpy() {
    assert_eq!(fixtures()["numpy_version"], "2.3.4");
}

#[test]
fn arange_matches_numpy() {
    run("arange", |c| {
        let dtype: DType = c["dtype"].as_str().unwrap().parse().unwrap();
        let args: Vec<Arg> = c["args"].as_array().unwrap().iter().map(arg).collect();
        let what = format!("arange({}, {}) {dtype}", c["args"], c["dtype"]);
        let got = match args.as_slice() {
            [Arg::Int(a), Arg::Int(b), Arg::Int(s)] => Array::arange_int(*a, *b, *s, dtype),
            _ => {
                let a: Vec<f64> = c["args"].as_array().unwrap().iter().map(float).collect();
                Array::arange(a[0], a[1], a[2], dtype)
            }
        };
        (what, got)
    });
}

#[test]
fn linspace_matches_numpy() {
    run("linspace", |c| {
        let dtype: DType = c["dtype"].as_str().unwrap().parse().unwrap();
        let (start, stop) = (float(&c["start"]), float(&c["stop"]));
        let (num, endpoint) = (c["num"].as_u64().unwrap() as usize, c["endpoint"].as_bool().unwrap());
        let what = format!("linspace({start:?}, {stop:?}, {num}, endpoint={endpoint}) {dtype}");
        (what, Array::linspace(start, stop, num, endpoint, dtype))
    });
}

#[test]
fn eye_matches_numpy() {
    run("eye", |c| {
        let dtype: DType = c["dtype"].as_str().unwrap().parse().unwrap();
        let n = c["n"].as_u64().unwrap() as usize;
        let m = c["m"].as_u64().map(|m| m as usize);
        let k = c["k"].as_i64().unwrap() as isize;
        (format!("eye({n}, {m:?}, {k}) {dtype}"), Array::eye(n, m, k, dtype))
    });
}

#[test]
fn ones_and_full_match_numpy() {
    run("fill", |c| {
        let dtype: DType = c["dtype"].as_str().unwrap().parse().unwrap();
        let shape = usizes(&c["shape"]);
        if c["op"] == "ones" {
            return (format!("ones({shape:?}) {dtype}"), Array::ones(&shape, dtype));
        }
        let what = format!("full({shape:?}, {}) {dtype}", c["value"]);
        let got = match arg(&c["value"]) {
            Arg::Bool(b) => Array::full(&shape, b, dtype),
            Arg::Int(i) => match i64::try_from(i) {
                Ok(i) => Array::full(&shape, i, dtype),
                Err(_) => Array::full(&shape, u64::try_from(i).unwrap(), dtype),
            },
            Arg::Float(f) => Array::full(&shape, f, dtype),
            Arg::Complex(re, im) => Array::full(&shape, c128::new(re, im), dtype),
        };
        (what, got)
    });
}

// Edge cases NumPy accepts but oxarray rejects, by design.

#[test]
fn rejects_what_numpy_would_garble() {
    // np.arange(250, 260, dtype=np.uint8) wraps to [250, ..., 255, 0, 1, 2, 3].
    let e = Array::arange_int(250, 260, 1, DType::UInt8).err().unwrap();
    assert!(matches!(e.kind(), ErrorKind::LossyCast { index, .. } if index == &[6]), "{e}");
    // np.full(3, 1e30, dtype=np.float16) is inf; np.full(3, 1.5, dtype=int) is 1.
    assert!(Array::full(&[3], 1e30, DType::Float16).is_err());
    assert!(matches!(Array::full(&[3], 1.5, DType::Int64).err().unwrap().kind(), ErrorKind::CastNotAllowed { .. }));
    // np.arange(0.5, 3, 1, dtype=int) is [0, 1, 2].
    assert!(Array::arange(0.5, 3.0, 1.0, DType::Int64).is_err());
}

#[test]
fn bad_arguments_are_errors() {
    let invalid = |r: oxarray_core::Result<Array>| {
        matches!(r.err().map(|e| e.into_kind()), Some(ErrorKind::InvalidArgument { .. }))
    };
    assert!(invalid(Array::arange(0.0, 10.0, 0.0, DType::Float64)));
    assert!(invalid(Array::arange_int(0, 10, 0, DType::Int64)));
    assert!(invalid(Array::arange(0.0, 3.0, 1.0, DType::Bool)));
    assert!(invalid(Array::linspace(0.0, f64::NAN, 5, true, DType::Float64)));
    let overflow =
        |r: oxarray_core::Result<Array>| matches!(r.err().map(|e| e.into_kind()), Some(ErrorKind::SizeOverflow { .. }));
    assert!(overflow(Array::zeros(&[usize::MAX, 2], DType::Float64)));
    assert!(overflow(Array::ones(&[1 << 40, 1 << 40], DType::Bool)));
    assert!(overflow(Array::full(&[1 << 61, 2], 1.0, DType::Float64)));
    assert!(overflow(Array::eye(1 << 33, None, 0, DType::Int8)));
    assert!(overflow(Array::linspace(0.0, 1.0, usize::MAX / 4, true, DType::Float64)));
    assert!(overflow(Array::arange_int(0, i64::MAX as i128, 1, DType::Int64)));
    assert!(overflow(oxarray_core::random::uniform(0.0, 1.0, &[usize::MAX], DType::Float32, 0)));
}

#[test]
fn zero_size_and_zero_d() {
    for d in DType::ALL {
        assert_eq!(Array::ones(&[], d).unwrap().size(), 1);
        assert_eq!(Array::empty(&[0, 5], d).unwrap().shape(), &[0, 5]);
        assert_eq!(Array::eye(0, Some(3), 0, d).unwrap().shape(), &[0, 3]);
        assert_eq!(Array::linspace(0.0, 1.0, 0, true, d).unwrap().shape(), &[0]);
        assert_eq!(Array::arange(5.0, 0.0, 1.0, d).unwrap().shape(), &[0]);
    }
    let a = Array::full(&[], 2.5, DType::Float32).unwrap();
    assert_eq!((a.ndim(), a.item::<f32>().unwrap()), (0, 2.5));
    assert_eq!(a.to_nested::<f32>().unwrap(), Nested::Scalar(2.5));
}
