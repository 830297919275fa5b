//! Selection, sorting, searching and set functions checked against NumPy
//! (`fixtures/selection.json`, written by `fixtures/gen_selection.py`),
//! plus properties (sorted permutations, stability, unique round trips) and
//! the no-copy promise of `split`.

use std::sync::OnceLock;

use oxarray_core::{
    Array, DType, Element, ErrorKind, Repeats, Side, SortOptions, SplitAt, Wide, bf16, c128, concat, dispatch, f16,
    searchsorted, stack, where_,
};
use proptest::prelude::*;
use serde_json::Value;

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE
        .get_or_init(|| serde_json::from_str(include_str!("fixtures/selection.json")).expect("selection.json parses"))
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

fn decode(v: &Value) -> Array {
    let d: DType = v["dtype"].as_str().unwrap().parse().unwrap();
    let shape: Vec<usize> = v["shape"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect();
    let values: Vec<Wide> = v["data"].as_array().unwrap().iter().map(|x| wide(x, d)).collect();
    dispatch!(d, T => {
        let data: Vec<T> = values.iter().map(|&w| T::from_wide_checked(w).expect("fixture value fits")).collect();
        Array::from_vec(data, &shape).unwrap()
    })
}

fn wides(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(Element::to_wide).collect())
}

/// Equality that counts any NaN as equal to any NaN and tells -0.0 from 0.0.
fn same(a: Wide, b: Wide) -> bool {
    let f = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits();
    match (a, b) {
        (Wide::Float(x), Wide::Float(y)) => f(x, y),
        (Wide::Complex(xr, xi), Wide::Complex(yr, yi)) => f(xr, yr) && f(xi, yi),
        _ => a == b,
    }
}

fn assert_matches(got: &Array, want: &Value, ctx: &str) {
    let want = decode(want);
    assert_eq!(got.dtype(), want.dtype(), "dtype of {ctx}");
    assert_eq!(got.shape(), want.shape(), "shape of {ctx}");
    let (g, w) = (wides(got), wides(&want));
    assert!(g.iter().zip(&w).all(|(&a, &b)| same(a, b)), "values of {ctx}:\n got  {g:?}\n want {w:?}");
}

fn axis_opt(v: &Value) -> Option<isize> {
    v.as_i64().map(|a| a as isize)
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()
}

/// Runs one fixture case through oxarray.
fn run(fun: &str, args: &Value, inputs: &[Array]) -> oxarray_core::Result<Vec<Array>> {
    let x = &inputs[0];
    let axis = || args["axis"].as_i64().unwrap() as isize;
    let opts = || {
        let o = SortOptions::default();
        if args["descending"].as_bool() == Some(true) { o.descending() } else { o }
    };
    Ok(match fun {
        "sort" => vec![x.sort_with(axis(), opts())?],
        "argsort" => vec![x.argsort_with(axis(), opts())?],
        "topk" => {
            let t = x.topk(args["k"].as_u64().unwrap() as usize, axis(), args["largest"].as_bool().unwrap())?;
            vec![t.values, t.indices]
        }
        "unique_all" => {
            let u = x.unique_all()?;
            vec![u.values, u.indices, u.inverse_indices, u.counts]
        }
        "unique_values" => vec![x.unique_values()?],
        "unique_counts" => {
            let u = x.unique_counts()?;
            vec![u.values, u.counts]
        }
        "unique_inverse" => {
            let u = x.unique_inverse()?;
            vec![u.values, u.inverse_indices]
        }
        "take" => vec![x.take(&inputs[1], axis_opt(&args["axis"]))?],
        "take_along_axis" => vec![x.take_along_axis(&inputs[1], axis_opt(&args["axis"]))?],
        "mask" => vec![x.mask(&inputs[1])?],
        "nonzero" => x.nonzero()?,
        "argwhere" => vec![x.argwhere()?],
        "concat" => vec![concat(inputs, axis_opt(&args["axis"]))?],
        "stack" => vec![stack(inputs, axis())?],
        "split" => {
            let at = &args["at"];
            let ix: Vec<isize>;
            let at = match at.as_u64() {
                Some(n) => SplitAt::Sections(n as usize),
                None => {
                    ix = at.as_array().unwrap().iter().map(|v| v.as_i64().unwrap() as isize).collect();
                    SplitAt::Indices(&ix)
                }
            };
            x.split(at, axis())?
        }
        "array_split" => x.array_split(args["sections"].as_u64().unwrap() as usize, axis())?,
        "tile" => vec![x.tile(&usizes(&args["reps"]))?],
        "repeat" => {
            let r = &args["repeats"];
            let counts;
            let reps = match r.as_u64() {
                Some(n) => Repeats::Each(n as usize),
                None => {
                    let v: Vec<i64> = r.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
                    counts = Array::from_slice(&v, &[v.len()])?;
                    Repeats::PerElement(&counts)
                }
            };
            vec![x.repeat(reps, axis_opt(&args["axis"]))?]
        }
        "pad" => {
            let width: Vec<(usize, usize)> = args["pad_width"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_u64().unwrap() as usize, p[1].as_u64().unwrap() as usize))
                .collect();
            let v = &args["value"];
            vec![if let Some(b) = v.as_bool() {
                x.pad(&width, b)?
            } else if let Some(i) = v.as_i64() {
                x.pad(&width, i)?
            } else {
                x.pad(&width, v.as_f64().unwrap())?
            }]
        }
        "searchsorted" => {
            let side = if args["side"] == "left" { Side::Left } else { Side::Right };
            vec![searchsorted(x, &inputs[1], side, inputs.get(2))?]
        }
        "where" => vec![where_(x, &inputs[1], &inputs[2])?],
        other => panic!("unknown function {other}"),
    })
}

#[test]
fn fixture_is_numpy_2_4() {
    assert!(fixture()["numpy_version"].as_str().unwrap().starts_with("2.4."));
}

#[test]
fn matches_numpy() {
    let cases = fixture()["cases"].as_array().unwrap();
    assert!(cases.len() > 1000);
    for (i, c) in cases.iter().enumerate() {
        let fun = c["fn"].as_str().unwrap();
        let inputs: Vec<Array> = c["inputs"].as_array().unwrap().iter().map(decode).collect();
        let ctx =
            format!("case {i}: {fun}({}) on {:?}", c["args"], inputs.iter().map(Array::shape).collect::<Vec<_>>());
        let result = run(fun, &c["args"], &inputs);
        match (&c["error"], result) {
            (Value::String(kind), Ok(_)) => panic!("{ctx}: NumPy raised {kind}, oxarray succeeded"),
            (Value::String(kind), Err(e)) => {
                let ok = match kind.as_str() {
                    "AxisError" => matches!(e.kind(), ErrorKind::AxisOutOfBounds { .. }),
                    "IndexError" => matches!(
                        e.kind(),
                        ErrorKind::IndexOutOfBounds { .. }
                            | ErrorKind::ShapeMismatch { .. }
                            | ErrorKind::AxisOutOfBounds { .. }
                    ),
                    _ => true,
                };
                assert!(ok, "{ctx}: NumPy raised {kind}, oxarray: {e}");
            }
            (_, Err(e)) => panic!("{ctx}: {e}"),
            (_, Ok(got)) => {
                let want = c["expected"].as_array().unwrap();
                assert_eq!(got.len(), want.len(), "{ctx}: number of outputs");
                for (k, (g, w)) in got.iter().zip(want).enumerate() {
                    assert_matches(g, w, &format!("{ctx}, output {k}"));
                }
            }
        }
    }
}

#[test]
fn split_returns_views() {
    let a = Array::from_vec((0..24i32).collect(), &[6, 4]).unwrap();
    let parts = a.split(SplitAt::Sections(3), 0).unwrap();
    for (k, p) in parts.iter().enumerate() {
        assert!(p.shares_buffer(&a));
        assert_eq!(p.as_ptr(), a.as_ptr().wrapping_add(k * 2 * 4 * 4));
    }
    let cols = a.split(SplitAt::Indices(&[1, 3]), 1).unwrap();
    assert_eq!(cols.iter().map(|c| c.shape()[1]).collect::<Vec<_>>(), vec![1, 2, 1]);
    assert_eq!(cols[1].as_ptr(), a.as_ptr().wrapping_add(4));
    assert!(cols.iter().all(|c| c.shares_buffer(&a)));
    let uneven = a.array_split(4, 0).unwrap();
    assert!(uneven.iter().all(|c| c.shares_buffer(&a)));
    assert_eq!(uneven[2].as_ptr(), a.as_ptr().wrapping_add(4 * 4 * 4));
}

#[test]
fn take_errors_name_the_index_and_axis() {
    let a = Array::from_vec((0..12i64).collect(), &[3, 4]).unwrap();
    let e = a.take(&Array::from_slice(&[0i64, 7, -9], &[3]).unwrap(), Some(1)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::IndexOutOfBounds { axis: 1, index: 7, len: 4 }), "{e:?}");
    assert_eq!(e.to_string(), "index 7 is out of bounds for axis 1 with size 4");
    let e = a.take(&Array::from_slice(&[u64::MAX], &[1]).unwrap(), None).unwrap_err();
    assert!(e.to_string().contains("18446744073709551615"), "{e}");
    let e = a.take(&Array::from_slice(&[0.5f32], &[1]).unwrap(), None).unwrap_err();
    assert!(e.to_string().contains("integer"), "{e}");
    // Large, parallel path: the first offending position is the one named.
    let n = 1 << 20;
    let mut idx: Vec<i32> = (0..n).map(|i| i % 12).collect();
    idx[1000] = 12;
    idx[n as usize - 1] = -13;
    let e = a.take(&Array::from_vec(idx, &[n as usize]).unwrap(), None).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::IndexOutOfBounds { axis: 0, index: 12, len: 12 }), "{e:?}");
}

#[test]
fn mask_and_take_agree_on_large_inputs() {
    let n = 600_001usize;
    let x: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
    let m: Vec<bool> = x.iter().map(|&v| v > 0.2).collect();
    let xa = Array::from_slice(&x, &[n]).unwrap();
    let got = xa.mask(&Array::from_slice(&m, &[n]).unwrap()).unwrap().to_vec::<f32>().unwrap();
    let want: Vec<f32> = x.iter().copied().filter(|&v| v > 0.2).collect();
    assert_eq!(got, want);
    let pos = Array::from_slice(&m, &[n]).unwrap().nonzero().unwrap().remove(0);
    assert_eq!(xa.take(&pos, None).unwrap().to_vec::<f32>().unwrap(), want);
}

/// The reference order: NaN last, -0.0 == 0.0.
fn key(x: f64) -> (bool, f64) {
    (x.is_nan(), if x.is_nan() || x == 0.0 { 0.0 } else { x })
}

fn reference_argsort(v: &[f64], descending: bool) -> Vec<i64> {
    let mut p: Vec<usize> = (0..v.len()).collect();
    p.sort_by(|&i, &j| {
        let (a, b) = (key(v[i]), key(v[j]));
        if descending && !a.0 && !b.0 { b.1.partial_cmp(&a.1).unwrap() } else { a.partial_cmp(&b).unwrap() }
    });
    p.into_iter().map(|i| i as i64).collect()
}

#[test]
fn radix_paths_match_a_reference_sort() {
    // Sizes that reach the threaded passes (with one more element than
    // its threshold too), the 11-bit digits on one thread, the 8-bit digits
    // and the parallel lanes; values with many ties, NaNs and signed zeros.
    for (n, lanes) in [(300_000usize, 1usize), (131_073, 1), (70_000, 1), (65_536, 2), (2000, 300)] {
        let v: Vec<f64> = (0..n * lanes)
            .map(|i| match i % 11 {
                0 => f64::NAN,
                1 => -0.0,
                2 => 0.0,
                _ => ((i * 7919) % 1013) as f64 - 500.0,
            })
            .collect();
        let a = Array::from_slice(&v, &[lanes, n]).unwrap();
        for descending in [false, true] {
            let opts = if descending { SortOptions::default().descending() } else { SortOptions::default() };
            let perm = a.argsort_with(-1, opts).unwrap().to_vec::<i64>().unwrap();
            let sorted = a.sort_with(-1, opts).unwrap().to_vec::<f64>().unwrap();
            for l in 0..lanes {
                let lane = &v[l * n..(l + 1) * n];
                let want = reference_argsort(lane, descending);
                assert_eq!(&perm[l * n..(l + 1) * n], &want[..], "n={n} lane {l} descending={descending}");
                let s = &sorted[l * n..(l + 1) * n];
                assert!(s.iter().zip(&want).all(|(&x, &i)| x.to_bits() == lane[i as usize].to_bits()));
            }
        }
    }
}

#[test]
fn sorts_other_axes_and_half_floats() {
    let v: Vec<f32> = vec![3.0, -1.0, f32::NAN, 2.0, 0.5, -7.0];
    let a = Array::from_slice(&v, &[3, 2]).unwrap();
    let s = a.sort(0).unwrap().to_vec::<f32>().unwrap();
    assert_eq!(&s[..4], &[0.5, -7.0, 3.0, -1.0]);
    assert!(s[4].is_nan() && s[5] == 2.0);
    let h = Array::from_vec(v.iter().map(|&x| f16::from_f32(x)).collect::<Vec<_>>(), &[6]).unwrap();
    let p = h.argsort(-1).unwrap().to_vec::<i64>().unwrap();
    assert_eq!(p, vec![5, 1, 4, 3, 0, 2]);
    let b = Array::from_vec(v.iter().map(|&x| bf16::from_f32(x)).collect::<Vec<_>>(), &[6]).unwrap();
    assert_eq!(
        b.argsort_with(0, SortOptions::default().descending()).unwrap().to_vec::<i64>().unwrap(),
        vec![0, 3, 4, 1, 5, 2]
    );
}

#[test]
fn complex_descending_keeps_nan_last() {
    let nan = f64::NAN;
    let v = [c128::new(1.0, 0.0), c128::new(nan, 0.0), c128::new(2.0, -1.0), c128::new(1.0, nan), c128::new(2.0, 1.0)];
    let a = Array::from_slice(&v, &[5]).unwrap();
    let d = a.argsort_with(0, SortOptions::default().descending()).unwrap().to_vec::<i64>().unwrap();
    assert_eq!(d, vec![4, 2, 0, 3, 1]);
    let u = a.unique_values().unwrap();
    assert_eq!(u.size(), 5);
}

#[test]
fn topk_examples() {
    let a = Array::from_slice(&[1.0f64, f64::NAN, 5.0, 5.0, -2.0], &[5]).unwrap();
    let t = a.topk(3, 0, true).unwrap();
    assert_eq!(t.indices.to_vec::<i64>().unwrap(), vec![2, 3, 0]);
    let t = a.topk(5, 0, true).unwrap();
    assert_eq!(t.indices.to_vec::<i64>().unwrap(), vec![2, 3, 0, 4, 1]);
    let t = a.topk(2, -1, false).unwrap();
    assert_eq!(t.values.to_vec::<f64>().unwrap(), vec![-2.0, 1.0]);
    let m = Array::from_vec((0..12i32).map(|i| (i * 5) % 12).collect(), &[3, 4]).unwrap();
    let t = m.topk(2, 0, true).unwrap();
    assert_eq!(t.values.shape(), &[2, 4]);
    assert_eq!(t.values.to_vec::<i32>().unwrap(), vec![8, 9, 10, 11, 4, 5, 6, 7]);
    assert_eq!(t.indices.to_vec::<i64>().unwrap(), vec![1, 2, 0, 1, 2, 0, 1, 2]);
}

fn arb_floats() -> impl Strategy<Value = Vec<f64>> {
    let val = prop_oneof![
        4 => (-20i32..20).prop_map(|i| i as f64 * 0.5),
        1 => Just(f64::NAN),
        1 => Just(-0.0),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => any::<f64>(),
    ];
    prop::collection::vec(val, 0..300)
}

fn multiset(v: &[f64]) -> Vec<u64> {
    let mut bits: Vec<u64> = v.iter().map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() }).collect();
    bits.sort_unstable();
    bits
}

proptest! {
    #[test]
    fn sort_is_a_sorted_permutation(v in arb_floats(), descending in any::<bool>(), stable in any::<bool>()) {
        let mut opts = SortOptions::default();
        if descending { opts = opts.descending(); }
        if !stable { opts = opts.unstable(); }
        let a = Array::from_slice(&v, &[v.len()]).unwrap();
        let s = a.sort_with(0, opts).unwrap().to_vec::<f64>().unwrap();
        prop_assert_eq!(multiset(&s), multiset(&v));
        for w in s.windows(2) {
            let (x, y) = (key(w[0]), key(w[1]));
            let ok = if descending && !x.0 && !y.0 { x.1 >= y.1 } else { x <= y };
            prop_assert!(ok, "{:?} then {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn argsort_is_stable(v in prop::collection::vec(-5i16..5, 0..400), descending in any::<bool>()) {
        let a = Array::from_slice(&v, &[v.len()]).unwrap();
        let opts = if descending { SortOptions::default().descending() } else { SortOptions::default() };
        let p = a.argsort_with(-1, opts).unwrap().to_vec::<i64>().unwrap();
        let mut seen = vec![false; v.len()];
        for &i in &p { seen[i as usize] = true; }
        prop_assert!(seen.iter().all(|&s| s));
        for w in p.windows(2) {
            let (x, y) = (v[w[0] as usize], v[w[1] as usize]);
            let ordered = if descending { x >= y } else { x <= y };
            prop_assert!(ordered, "{} then {}", x, y);
            if x == y { prop_assert!(w[0] < w[1], "equal values out of input order"); }
        }
    }

    #[test]
    fn unique_round_trips(v in arb_floats(), rows in 1usize..4) {
        let n = v.len() / rows * rows;
        let a = Array::from_slice(&v[..n], &[rows, n / rows]).unwrap();
        let u = a.unique_all().unwrap();
        let back = u.values.take(&u.inverse_indices, None).unwrap();
        prop_assert_eq!(back.shape(), a.shape());
        let (b, orig) = (back.to_vec::<f64>().unwrap(), a.to_vec::<f64>().unwrap());
        // -0.0 and 0.0 are one value, so compare by value (NaN by NaN-ness).
        prop_assert!(b.iter().zip(&orig).all(|(x, y)| x == y || (x.is_nan() && y.is_nan())));
        let counts = u.counts.to_vec::<i64>().unwrap();
        prop_assert_eq!(counts.iter().sum::<i64>() as usize, n);
        let values = u.values.to_vec::<f64>().unwrap();
        prop_assert_eq!(values.iter().filter(|x| x.is_nan()).count(), orig.iter().filter(|x| x.is_nan()).count());
        prop_assert_eq!(u.values.to_vec::<f64>().unwrap().len(), a.unique_values().unwrap().size());
        for (k, &i) in u.indices.to_vec::<i64>().unwrap().iter().enumerate() {
            prop_assert!(orig[i as usize] == values[k] || values[k].is_nan());
        }
    }

    #[test]
    fn topk_is_a_stable_sort_prefix(v in arb_floats(), k in 0usize..40, largest in any::<bool>()) {
        let k = k.min(v.len());
        let a = Array::from_slice(&v, &[v.len()]).unwrap();
        let t = a.topk(k, 0, largest).unwrap();
        let opts = if largest { SortOptions::default().descending() } else { SortOptions::default() };
        let p = a.argsort_with(0, opts).unwrap().to_vec::<i64>().unwrap();
        prop_assert_eq!(t.indices.to_vec::<i64>().unwrap(), p[..k].to_vec());
        let vals = t.values.to_vec::<f64>().unwrap();
        prop_assert!(vals.iter().zip(&p).all(|(x, &i)| x.to_bits() == v[i as usize].to_bits()));
    }
}
