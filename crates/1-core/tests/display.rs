//! `Debug` and `Display` of arrays against NumPy's `repr` and `str`.
//!
//! The cases live in `fixtures/repr.json`, written by `fixtures/gen_repr.py`
//! with the NumPy version it pins. Each case is rebuilt with
//! [`Array::from_slice`], optionally turned into a non-contiguous view, and
//! printed both ways.

use std::collections::BTreeSet;

use oxarray_core::{Array, DType, Element, Index, Wide, bf16, dispatch};
use serde_json::Value;

/// Cases where oxarray knowingly prints something else than NumPy, with the
/// reason. Empty: every case matches.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/repr.json");
    let text = std::fs::read_to_string(path).expect("fixtures/repr.json exists");
    serde_json::from_str(&text).expect("fixtures/repr.json is valid JSON")
}

fn float(v: &Value) -> f64 {
    v.as_str().expect("floats are stored as strings").parse().expect("a float literal")
}

/// The value of one JSON element, widened.
fn wide(v: &Value, dtype: DType) -> Wide {
    if dtype.is_bool() {
        Wide::Bool(v.as_bool().expect("a bool"))
    } else if dtype.is_integer() {
        let int = v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from));
        Wide::Int(int.expect("an integer"))
    } else if dtype.is_float() {
        Wide::Float(float(v))
    } else {
        Wide::Complex(float(&v[0]), float(&v[1]))
    }
}

fn build(case: &Value) -> Array {
    let dtype: DType = case["dtype"].as_str().unwrap().parse().unwrap();
    let shape: Vec<usize> = case["shape"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect();
    let values: Vec<Wide> = case["values"].as_array().unwrap().iter().map(|v| wide(v, dtype)).collect();
    let array = dispatch!(dtype, T => {
        let typed: Vec<T> = values.iter().map(|&w| T::from_wide_checked(w).expect("the value fits its dtype")).collect();
        Array::from_slice(&typed, &shape).unwrap()
    });
    match case["view"].as_str() {
        None => array,
        Some("transpose") => array.transpose(),
        Some("flip") => array.flip(None).unwrap(),
        Some("step2") => array.slice(&vec![Index::step(2); array.ndim()]).unwrap(),
        Some(other) => panic!("unknown view {other}"),
    }
}

#[test]
fn repr_and_str_match_numpy() {
    let fixture = fixture();
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() > 700, "the fixture holds {} cases", cases.len());
    let known: BTreeSet<&str> = KNOWN_DIFFERENCES.iter().map(|&(name, _)| name).collect();
    let mut failures = Vec::new();
    let mut views = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let array = build(case);
        views += usize::from(case.get("view").is_some());
        assert_eq!(array.is_c_contiguous(), case.get("view").is_none() || array.size() <= 1, "{name}");
        let repr = format!("{array:?}");
        let str = format!("{array}");
        let matches = repr == case["repr"] && str == case["str"];
        if matches == known.contains(name) {
            failures.push(format!(
                "{name} ({}):\n  repr ours:  {repr:?}\n  repr numpy: {}\n  str ours:   {str:?}\n  str numpy:  {}",
                if matches { "listed as a known difference but matches" } else { "differs" },
                case["repr"],
                case["str"],
            ));
        }
    }
    assert!(views >= 6, "the fixture covers non-contiguous views");
    assert!(
        failures.is_empty(),
        "{} of {} cases fail (numpy {}):\n{}",
        failures.len(),
        cases.len(),
        fixture["numpy_version"],
        failures.join("\n")
    );
}

#[test]
fn views_print_in_logical_order() {
    let a = Array::from_slice(&[1i64, 2, 3, 4, 5, 6], &[2, 3]).unwrap();
    assert_eq!(format!("{:?}", a.transpose()), "array([[1, 4],\n       [2, 5],\n       [3, 6]])");
    assert_eq!(format!("{}", a.flip(None).unwrap()), "[[6 5 4]\n [3 2 1]]");
}

fn bf16_array(values: &[f32], shape: &[usize]) -> Array {
    let values: Vec<bf16> = values.iter().map(|&x| bf16::from_f32(x)).collect();
    Array::from_slice(&values, shape).unwrap()
}

/// NumPy has no bfloat16: it prints like float16, with bfloat16's own
/// shortest digits and its precision of 2 decimal digits (so scientific
/// notation from 100 on, as float16 switches at 1000).
#[test]
fn bfloat16_prints_like_numpy_floats() {
    let a = bf16_array(&[0.1, 0.5, 2.0], &[3]);
    assert_eq!(format!("{a:?}"), "array([0.1, 0.5, 2. ], dtype=bfloat16)");
    assert_eq!(format!("{a}"), "[0.1 0.5 2. ]");
    // 1/3 in bfloat16 is 0.333984375; three digits tell it from its neighbours.
    let a = bf16_array(&[1.0 / 3.0, -1.5], &[1, 2]);
    assert_eq!(format!("{a:?}"), "array([[ 0.334, -1.5  ]], dtype=bfloat16)");
    let a = bf16_array(&[100.0, 1.0], &[2]);
    assert_eq!(format!("{a:?}"), "array([1.e+02, 1.e+00], dtype=bfloat16)");
    let a = bf16_array(&[99.0, f32::NAN, f32::NEG_INFINITY], &[3]);
    assert_eq!(format!("{a:?}"), "array([ 99.,  nan, -inf], dtype=bfloat16)");
    // float32's range: 3e38 is 3.004e38 in bfloat16, one digit tells it apart.
    let a = bf16_array(&[3.0e38, 1e-30], &[2]);
    assert_eq!(format!("{a:?}"), "array([3.e+38, 1.e-30], dtype=bfloat16)");
    // Padded to the longest mantissa with exact digits: 0.1 is 0.10009765625.
    let a = bf16_array(&[0.1, 1e-5, 1.2345678], &[3]);
    assert_eq!(format!("{a:?}"), "array([1.001e-01, 1.001e-05, 1.234e+00], dtype=bfloat16)");
    let a = Array::scalar(bf16::from_f32(0.1));
    assert_eq!(format!("{a:?}"), "array(0.1, dtype=bfloat16)");
    assert_eq!(format!("{a}"), "0.1");
    assert_eq!(format!("{}", Array::scalar(bf16::from_f32(256.0))), "2.56e+02");
    assert_eq!(format!("{:?}", bf16_array(&[], &[0, 2])), "array([], shape=(0, 2), dtype=bfloat16)");
}
