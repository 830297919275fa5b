//! Promotion and casting checked against NumPy (`fixtures/casting.json`,
//! written by `fixtures/gen_casting.py`), and oxarray's stricter casting
//! where NumPy silently produces garbage.

use std::sync::OnceLock;

use oxarray_core::{
    Array, Casting, DType, Element, Error, ErrorKind, Index, Lossy, ScalarKind, Wide, c64, c128, can_cast, dispatch,
    result_type, result_type_many, result_type_with_scalar, s,
};
use serde_json::Value;

const POLICIES: [Casting; 5] = [Casting::No, Casting::Equiv, Casting::Safe, Casting::SameKind, Casting::Unsafe];

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| serde_json::from_str(include_str!("fixtures/casting.json")).expect("casting.json parses"))
}

fn dt(name: &str) -> DType {
    name.parse().expect("a known dtype")
}

fn dtype(v: &Value) -> DType {
    dt(v.as_str().expect("a dtype name"))
}

/// The dtypes NumPy has, in the fixture's order.
fn numpy_dtypes() -> Vec<DType> {
    fixture()["dtypes"].as_array().unwrap().iter().map(dtype).collect()
}

fn float(v: &Value) -> f64 {
    v.as_str().expect("floats are strings").parse().expect("a float")
}

/// A fixture value of dtype `d` (encoded as the generator's docstring says).
fn wide(v: &Value, d: DType) -> Wide {
    if d.is_bool() {
        Wide::Bool(v.as_bool().unwrap())
    } else if d.is_integer() {
        Wide::Int(v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from)).unwrap())
    } else if d.is_float() {
        Wide::Float(float(v))
    } else {
        Wide::Complex(float(&v[0]), float(&v[1]))
    }
}

/// Equality that counts NaN as equal to NaN and tells -0.0 from 0.0.
fn same(a: Wide, b: Wide) -> bool {
    let f = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits();
    match (a, b) {
        (Wide::Float(x), Wide::Float(y)) => f(x, y),
        (Wide::Complex(xr, xi), Wide::Complex(yr, yi)) => f(xr, yr) && f(xi, yi),
        _ => a == b,
    }
}

fn array_of(values: &[Wide], d: DType) -> Array {
    dispatch!(d, T => {
        let v: Vec<T> = values.iter().map(|&w| T::from_wide_checked(w).expect("fixture value fits its dtype")).collect();
        Array::from_slice(&v, &[v.len()]).unwrap()
    })
}

fn wides(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(Element::to_wide).collect())
}

fn scalar_kind(name: &str) -> ScalarKind {
    match name {
        "bool" => ScalarKind::Bool,
        "int" => ScalarKind::Int,
        "float" => ScalarKind::Float,
        "complex" => ScalarKind::Complex,
        other => panic!("unknown scalar kind {other}"),
    }
}

fn policy(name: &str) -> Casting {
    name.parse().unwrap()
}

#[test]
fn fixture_is_from_the_pinned_numpy() {
    let version = fixture()["numpy_version"].as_str().unwrap();
    assert!(version.starts_with("2.4."), "casting.json was written by NumPy {version}");
    let mut ours: Vec<DType> = DType::ALL.into_iter().filter(|&d| d != DType::BFloat16).collect();
    let mut theirs = numpy_dtypes();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);
}

#[test]
fn result_type_matches_numpy() {
    for (a, row) in fixture()["result_type"].as_object().unwrap() {
        for (b, expected) in row.as_object().unwrap() {
            let (a, b) = (dt(a), dt(b));
            assert_eq!(result_type(a, b).unwrap(), dtype(expected), "result_type({a}, {b})");
        }
    }
}

#[test]
fn result_type_many_matches_numpy() {
    for t in fixture()["result_type_triples"].as_array().unwrap() {
        let (a, b, c, expected) = (dtype(&t[0]), dtype(&t[1]), dtype(&t[2]), dtype(&t[3]));
        for order in [[a, b, c], [c, b, a], [b, c, a]] {
            assert_eq!(result_type_many(&order).unwrap(), expected, "result_type{order:?}");
        }
    }
}

#[test]
fn can_cast_matches_numpy() {
    for (p, table) in fixture()["can_cast"].as_object().unwrap() {
        let casting = policy(p);
        for (from, row) in table.as_object().unwrap() {
            for (to, expected) in row.as_object().unwrap() {
                let (from, to) = (dt(from), dt(to));
                assert_eq!(
                    can_cast(from, to, casting),
                    expected.as_bool().unwrap(),
                    "can_cast({from}, {to}, {casting})"
                );
            }
        }
    }
}

#[test]
fn weak_scalars_match_numpy() {
    for (a, row) in fixture()["weak_scalars"].as_object().unwrap() {
        let a = dt(a);
        for (kind, expected) in row.as_object().unwrap() {
            let got = result_type_with_scalar(a, scalar_kind(kind)).unwrap();
            assert_eq!(got, dtype(expected), "{a} array with a Python {kind}");
        }
    }
}

fn check_astype_cases(section: &str, cast: impl Fn(&Array, DType) -> oxarray_core::Result<Array>) {
    let mut checked = 0;
    for case in fixture()[section].as_array().unwrap() {
        let (from, to) = (dtype(&case["from"]), dtype(&case["to"]));
        let values: Vec<Wide> = case["values"].as_array().unwrap().iter().map(|v| wide(v, from)).collect();
        let expected: Vec<Wide> = case["expected"].as_array().unwrap().iter().map(|v| wide(v, to)).collect();
        let got =
            wides(&cast(&array_of(&values, from), to).unwrap_or_else(|e| panic!("{section} {from} -> {to}: {e}")));
        for ((v, g), e) in values.iter().zip(&got).zip(&expected) {
            assert!(same(*g, *e), "{section} {from} -> {to} of {v:?}: got {g:?}, NumPy gives {e:?}");
        }
        checked += values.len();
    }
    assert!(checked > 1000, "only {checked} values in {section}");
}

#[test]
fn astype_matches_numpy_where_numpy_is_exact() {
    check_astype_cases("astype", Array::astype);
}

#[test]
fn unsafe_astype_wraps_like_numpy() {
    check_astype_cases("astype_unsafe", |a, d| a.astype_with(d, Casting::Unsafe));
    let a = Array::from_slice(&[300i32, -1, 255, 256], &[4]).unwrap();
    assert_eq!(a.astype_with(DType::UInt8, Casting::Unsafe).unwrap().to_vec::<u8>().unwrap(), vec![44, 255, 255, 0]);
    // Out-of-range floats, undefined in NumPy, wrap deterministically.
    let f = Array::from_slice(&[300.0f64, -1.9, f64::NAN, 1e10], &[4]).unwrap();
    assert_eq!(f.astype_with(DType::UInt8, Casting::Unsafe).unwrap().to_vec::<u8>().unwrap(), vec![44, 255, 0, 0]);
    let c = Array::from_slice(&[c128::new(1.5, 2.0)], &[1]).unwrap();
    assert_eq!(c.astype_with(DType::Float64, Casting::Unsafe).unwrap().to_vec::<f64>().unwrap(), vec![1.5]);
}

#[test]
fn casting_policies_reject_what_numpy_rejects() {
    for (p, table) in fixture()["can_cast"].as_object().unwrap() {
        let casting = policy(p);
        for (from, row) in table.as_object().unwrap() {
            let from = dt(from);
            let src = array_of(&[Wide::Int(0), Wide::Int(1)], from);
            for (to, allowed) in row.as_object().unwrap() {
                let to = dt(to);
                match (src.astype_with(to, casting), allowed.as_bool().unwrap()) {
                    (Ok(out), true) => assert_eq!(wides(&out), wides(&array_of(&[Wide::Int(0), Wide::Int(1)], to))),
                    (Err(e), false) => match e.kind() {
                        ErrorKind::CastNotAllowed { from: f, to: t, casting: c } => {
                            assert_eq!((*f, *t, *c), (from, to, casting));
                        }
                        other => panic!("astype_with({from} -> {to}, {casting}): {other:?}"),
                    },
                    (got, allowed) => panic!(
                        "astype_with({from} -> {to}, {casting}) {}, but NumPy allows: {allowed}",
                        got.map_or_else(|e| e.to_string(), |_| "succeeded".to_string())
                    ),
                }
            }
        }
    }
    // bfloat16 follows the same table.
    let bf = Array::zeros(&[2], DType::BFloat16).unwrap();
    for to in DType::ALL {
        for casting in POLICIES {
            assert_eq!(bf.astype_with(to, casting).is_ok(), can_cast(DType::BFloat16, to, casting), "bf16 -> {to}");
        }
    }
}

#[test]
fn every_pair_round_trips_zero_and_one() {
    for from in DType::ALL {
        let src = array_of(&[Wide::Int(0), Wide::Int(1)], from);
        for to in DType::ALL {
            let there = src.astype(to).unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
            assert_eq!(there.dtype(), to);
            assert_eq!(wides(&there), wides(&array_of(&[Wide::Int(0), Wide::Int(1)], to)), "{from} -> {to}");
            let back = there.astype(from).unwrap_or_else(|e| panic!("{to} -> {from}: {e}"));
            assert_eq!(wides(&back), wides(&src), "{from} -> {to} -> {from}");
        }
    }
}

/// Three non-contiguous 2-D views of a 3x4 buffer holding `fill`, with
/// `first` and `second` placed so that `first` comes first in logical (C)
/// order of the view but `second` comes first in memory. Each view comes
/// with the logical multi-index of `first`.
fn views_with_two_bad<T: Element>(fill: T, first: T, second: T) -> Vec<(&'static str, Array, Vec<usize>)> {
    let base = |at_first: usize, at_second: usize| {
        let mut data = vec![fill; 12];
        data[at_first] = first;
        data[at_second] = second;
        Array::from_slice(&data, &[3, 4]).unwrap()
    };
    let mut views = Vec::new();
    // t[i, j] = b[j, i]: b[2, 0] is t[0, 2] (logical 2), b[0, 2] is t[2, 0] (logical 6).
    let t = base(8, 2).transpose();
    views.push(("transposed", t, vec![0, 2]));
    // r[i, j] = b[i, 3 - j]: b[1, 3] is r[1, 0], b[1, 1] is r[1, 2].
    let r = base(7, 5).slice(&s![.., Index::step(-1)]).unwrap();
    views.push(("reversed columns", r, vec![1, 0]));
    // f[i, j] = b[2 - i, 3 - j]: b[1, 2] is f[1, 1] (logical 5), b[0, 0] is f[2, 3] (logical 11).
    let f = base(6, 0).flip(None).unwrap();
    views.push(("flipped", f, vec![1, 1]));
    for (name, v, _) in &views {
        assert!(!v.is_c_contiguous(), "{name} view should be non-contiguous");
    }
    views
}

fn expect_lossy(err: Error, from: DType, to: DType, index: &[usize], value: &str, reason: Lossy) {
    match err.kind() {
        ErrorKind::LossyCast { from: f, to: t, index: i, value: v, reason: r } => {
            assert_eq!((*f, *t), (from, to), "{err}");
            assert_eq!(i, index, "{err}");
            assert_eq!(v, value, "{err}");
            assert_eq!(*r, reason, "{err}");
        }
        other => panic!("expected LossyCast, got {other:?}"),
    }
}

/// The error of a cast that must fail (`Array` has no `Debug` for `expect_err`).
fn must_fail(r: oxarray_core::Result<Array>, what: &str) -> Error {
    match r {
        Ok(a) => panic!("{what}: cast to {} succeeded", a.dtype()),
        Err(e) => e,
    }
}

fn check_first_bad<T: Element>(fill: T, first: T, second: T, to: DType, value: &str, reason: Lossy) {
    for (name, view, index) in views_with_two_bad(fill, first, second) {
        let err = must_fail(view.astype(to), name);
        expect_lossy(err, T::DTYPE, to, &index, value, reason);
        // Every checked policy that allows the cast reports the same element.
        for casting in [Casting::Safe, Casting::SameKind] {
            if can_cast(T::DTYPE, to, casting) {
                let err = must_fail(view.astype_with(to, casting), name);
                expect_lossy(err, T::DTYPE, to, &index, value, reason);
            }
        }
    }
}

#[test]
fn lossy_casts_name_the_first_offending_element() {
    check_first_bad(1.5f64, f64::NAN, f64::NAN, DType::Int32, "NaN", Lossy::NaN);
    check_first_bad(1.5f32, f32::NAN, 7e9, DType::UInt8, "NaN", Lossy::NaN);
    check_first_bad(-2.0f64, f64::INFINITY, f64::NAN, DType::Int64, "inf", Lossy::Infinite);
    check_first_bad(-2.0f64, f64::NEG_INFINITY, 1e300, DType::Int16, "-inf", Lossy::Infinite);
    check_first_bad(0.0f64, 3e9, 4e9, DType::Int32, "3000000000.0", Lossy::OutOfRange);
    check_first_bad(0.0f64, -1.0, 256.0, DType::UInt8, "-1.0", Lossy::OutOfRange);
    check_first_bad(0.0f64, 9.3e18, 1e19, DType::Int64, "9.3e18", Lossy::OutOfRange);
    check_first_bad(3i64, -1, -5, DType::UInt32, "-1", Lossy::OutOfRange);
    check_first_bad(3i8, -128, -1, DType::UInt64, "-128", Lossy::OutOfRange);
    check_first_bad(7i16, 400, 300, DType::UInt8, "400", Lossy::OutOfRange);
    check_first_bad(7u16, 300, 256, DType::Int8, "300", Lossy::OutOfRange);
    check_first_bad(1u64, u64::MAX, u64::MAX, DType::Int64, "18446744073709551615", Lossy::OutOfRange);
    check_first_bad(
        c128::new(1.0, 0.0),
        c128::new(1.0, 2.0),
        c128::new(0.0, -1.0),
        DType::Float64,
        "(1.0+2.0j)",
        Lossy::ImaginaryPart,
    );
    check_first_bad(
        c64::new(1.0, 0.0),
        c64::new(2.5, -0.5),
        c64::new(0.0, 1.0),
        DType::Int32,
        "(2.5-0.5j)",
        Lossy::ImaginaryPart,
    );
    check_first_bad(1.0f64, 1e300, -1e300, DType::Float32, "1e300", Lossy::OutOfRange);
    check_first_bad(1.0f64, -7e4, 1e5, DType::Float16, "-70000.0", Lossy::OutOfRange);
    check_first_bad(
        c128::new(0.0, 0.0),
        c128::new(0.0, 1e300),
        c128::new(1e300, 0.0),
        DType::Complex64,
        "(0.0+1e300j)",
        Lossy::OutOfRange,
    );
}

#[test]
fn checked_casts_of_views_keep_logical_order() {
    for (name, view, _) in views_with_two_bad(2.9f64, -3.7, 255.5) {
        let expected: Vec<i16> = view.to_vec::<f64>().unwrap().iter().map(|&x| x.trunc() as i16).collect();
        let got = view.astype(DType::Int16).unwrap();
        assert_eq!(got.shape(), view.shape(), "{name}");
        assert!(got.is_c_contiguous(), "{name}");
        assert_eq!(got.to_vec::<i16>().unwrap(), expected, "{name}");
    }
}

#[test]
fn set_and_fill_convert_weak_scalars() {
    let mut ints = Array::from_slice(&[1i32, 2, 3, 4], &[2, 2]).unwrap();
    let before = ints.to_vec::<i32>().unwrap();
    // A float never goes into an integer array, even an integral one.
    for err in
        [ints.set(&[0, 1], 1.5f64).unwrap_err(), ints.set(&[0, 1], 2.0f32).unwrap_err(), ints.fill(0.0f64).unwrap_err()]
    {
        assert!(matches!(err.kind(), ErrorKind::CastNotAllowed { to: DType::Int32, .. }), "{err}");
    }
    assert_eq!(ints.to_vec::<i32>().unwrap(), before);
    ints.set(&[1, 0], true).unwrap();
    ints.set(&[1, 1], -9i64).unwrap();
    assert_eq!(ints.to_vec::<i32>().unwrap(), vec![1, 2, 1, -9]);

    let mut bytes = Array::from_slice(&[1u8, 2, 3], &[3]).unwrap();
    let err = bytes.set(&[1], 300i64).unwrap_err();
    expect_lossy(err, DType::Int64, DType::UInt8, &[], "300", Lossy::OutOfRange);
    let err = bytes.fill(-1i32).unwrap_err();
    expect_lossy(err, DType::Int32, DType::UInt8, &[], "-1", Lossy::OutOfRange);
    assert_eq!(bytes.to_vec::<u8>().unwrap(), vec![1, 2, 3]);
    bytes.fill(255i64).unwrap();
    assert_eq!(bytes.to_vec::<u8>().unwrap(), vec![255; 3]);

    let mut floats = Array::zeros(&[2], DType::Float32).unwrap();
    let err = floats.set(&[0], 1e300f64).unwrap_err();
    expect_lossy(err, DType::Float64, DType::Float32, &[], "1e300", Lossy::OutOfRange);
    let err = floats.set(&[0], c128::new(1.0, 0.0)).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::CastNotAllowed { .. }), "{err}");
    floats.set(&[1], 16_777_217i64).unwrap(); // rounds to float32's precision, as in NumPy
    assert_eq!(floats.to_vec::<f32>().unwrap(), vec![0.0, 16_777_216.0]);
}

#[test]
fn set_accepts_exactly_the_scalar_kinds_that_keep_the_dtype() {
    for d in DType::ALL {
        let mut a = Array::zeros(&[1], d).unwrap();
        let cases = [
            (ScalarKind::Bool, a.set(&[0], true).is_ok()),
            (ScalarKind::Int, a.set(&[0], 1i64).is_ok()),
            (ScalarKind::Float, a.set(&[0], 1.0f64).is_ok()),
            (ScalarKind::Complex, a.set(&[0], c128::new(1.0, 0.0)).is_ok()),
        ];
        for (kind, accepted) in cases {
            assert_eq!(accepted, result_type_with_scalar(d, kind).unwrap() == d, "{kind:?} into {d}");
        }
    }
}
