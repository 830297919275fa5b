//! oxarray-prep against scikit-learn: fixtures written by
//! `fixtures/gen_prep.py` (scikit-learn 1.9, NumPy 2.4) hold fitted
//! attributes, transforms, inverse transforms, feature names, split sizes
//! and folds for small data with NaNs, a constant column, negative values
//! and an outlier, in float32 and float64.
//!
//! Tolerances: float64 results agree to 1e-12 (relative, with an absolute
//! floor of 1e-12 times the column's scale); float32 results to 4 ulp of
//! float32 (scikit-learn sums float32 data in float32 in places where
//! oxarray sums in float64).

#![allow(missing_docs)]

use std::collections::BTreeMap;

use oxarray_core::{Array, DType};
use oxarray_prep::*;
use serde_json::Value;

fn fixtures() -> Value {
    let text = include_str!("fixtures/prep_sklearn.json");
    serde_json::from_str(text).expect("fixture parses")
}

fn floats(v: &Value) -> Vec<Option<f64>> {
    v.as_array().expect("list").iter().map(|x| x.as_f64()).collect()
}

fn shape(v: &Value) -> Vec<usize> {
    v["shape"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect()
}

/// A fixture array as an oxarray array of `dtype`.
fn array(v: &Value, dtype: DType) -> Array {
    let data: Vec<f64> = floats(&v["data"]).into_iter().map(|x| x.unwrap_or(f64::NAN)).collect();
    Array::from_slice(&data, &shape(v)).unwrap().astype(dtype).unwrap()
}

fn as_f64(a: &Array) -> Vec<f64> {
    a.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap()
}

fn assert_close(got: &[f64], want: &[Option<f64>], single: bool, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        match w {
            None => assert!(g.is_nan(), "{what}[{i}]: expected NaN, got {g}"),
            Some(w) => {
                let tol = if single {
                    4.0 * f32::EPSILON as f64 * w.abs().max(scale * 1e-6)
                } else {
                    1e-12 * w.abs().max(scale * 1e-3)
                };
                assert!((g - w).abs() <= tol, "{what}[{i}]: got {g}, want {w} (diff {:e}, tol {tol:e})", (g - w).abs());
            }
        }
    }
}

fn check_array(got: &Array, want: &Value, dtype: DType, what: &str) {
    assert_eq!(got.shape(), &shape(want)[..], "{what}: shape");
    assert_eq!(got.dtype(), dtype, "{what}: dtype");
    assert_close(&as_f64(got), &floats(&want["data"]), dtype == DType::Float32, what);
}

fn build(kind: &str, p: &Value) -> Step {
    let b = |k: &str| p[k].as_bool().unwrap();
    let pair = |k: &str| (p[k][0].as_f64().unwrap(), p[k][1].as_f64().unwrap());
    match kind {
        "SimpleImputer" => {
            let strategy = match p["strategy"].as_str().unwrap() {
                "mean" => Strategy::Mean,
                "median" => Strategy::Median,
                "most_frequent" => Strategy::MostFrequent,
                "constant" => Strategy::Constant(p["fill_value"].as_f64().unwrap()),
                s => panic!("strategy {s}"),
            };
            SimpleImputer::new(strategy)
                .add_indicator(b("add_indicator"))
                .keep_empty_features(b("keep_empty_features"))
                .into()
        }
        "StandardScaler" => StandardScaler::new().with_mean(b("with_mean")).with_std(b("with_std")).into(),
        "MinMaxScaler" => {
            let (lo, hi) = pair("feature_range");
            MinMaxScaler::new().feature_range(lo, hi).unwrap().clip(b("clip")).into()
        }
        "MaxAbsScaler" => MaxAbsScaler::new().clip(b("clip")).into(),
        "RobustScaler" => {
            let (lo, hi) = pair("quantile_range");
            RobustScaler::new()
                .with_centering(b("with_centering"))
                .with_scaling(b("with_scaling"))
                .quantile_range(lo, hi)
                .unwrap()
                .into()
        }
        "Normalizer" => Normalizer::new(match p["norm"].as_str().unwrap() {
            "l1" => Norm::L1,
            "l2" => Norm::L2,
            _ => Norm::Max,
        })
        .into(),
        k => panic!("unknown kind {k}"),
    }
}

/// The fitted attribute `name` of a step, as scikit-learn names it.
fn attr(step: &Step, name: &str) -> Option<Vec<f64>> {
    let v = |a: Option<Array>| a.map(|a| as_f64(&a));
    match (step, name) {
        (Step::SimpleImputer(s), "statistics_") => v(s.statistics()),
        (Step::SimpleImputer(s), "indicator_.features_") => {
            Some(s.indicator_features().unwrap().iter().map(|&j| j as f64).collect())
        }
        (Step::StandardScaler(s), "mean_") => v(s.mean()),
        (Step::StandardScaler(s), "var_") => v(s.var()),
        (Step::StandardScaler(s), "scale_") => v(s.scale()),
        (Step::StandardScaler(s), "n_samples_seen_") => Some(s.n_samples_seen()?.iter().map(|&n| n as f64).collect()),
        (Step::MinMaxScaler(s), "data_min_") => v(s.data_min()),
        (Step::MinMaxScaler(s), "data_max_") => v(s.data_max()),
        (Step::MinMaxScaler(s), "data_range_") => v(s.data_range()),
        (Step::MinMaxScaler(s), "scale_") => v(s.scale()),
        (Step::MinMaxScaler(s), "min_") => v(s.min()),
        (Step::MinMaxScaler(s), "n_samples_seen_") => Some(vec![s.n_samples_seen()? as f64]),
        (Step::MaxAbsScaler(s), "max_abs_") => v(s.max_abs()),
        (Step::MaxAbsScaler(s), "scale_") => v(s.scale()),
        (Step::MaxAbsScaler(s), "n_samples_seen_") => Some(vec![s.n_samples_seen()? as f64]),
        (Step::RobustScaler(s), "center_") => v(s.center()),
        (Step::RobustScaler(s), "scale_") => v(s.scale()),
        _ => panic!("no attribute {name} for {}", step.name()),
    }
}

fn check_attrs(step: &Step, attrs: &Value, single: bool, what: &str) {
    for (name, want) in attrs.as_object().unwrap() {
        let got = attr(step, name);
        let what = format!("{what} {name}");
        match (got, want.is_null()) {
            (None, true) => {}
            (Some(g), false) => {
                let w = floats(&want["data"]);
                // scikit-learn stores n_samples_seen_ as one number when all
                // columns saw the same count.
                let g = if name == "n_samples_seen_" && w.len() == 1 { g[..1].to_vec() } else { g };
                // Statistics of float32 data are float32 values in scikit-learn
                // except StandardScaler's (float64 accumulators).
                let single = single && !(matches!(step, Step::StandardScaler(_)) || name.starts_with("indicator"));
                assert_close(&g, &w, single, &what);
            }
            (g, _) => panic!("{what}: got {g:?}, want {want}"),
        }
    }
}

#[test]
fn numeric_transformers_match_sklearn() {
    let fx = fixtures();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for case in fx["numeric"].as_array().unwrap() {
        let kind = case["kind"].as_str().unwrap();
        let dtype: DType = case["dtype"].as_str().unwrap().parse().unwrap();
        let what = format!("{kind} {} {}", case["params"], case["dtype"]);
        let x = array(&fx["data"][case["data"].as_str().unwrap()], dtype);
        let mut step = build(kind, &case["params"]);
        let y = step.fit_transform(&x).unwrap_or_else(|e| panic!("{what}: {e}"));
        check_array(&y, &case["transform"], dtype, &format!("{what} transform"));
        check_attrs(&step, &case["attrs"], dtype == DType::Float32, &what);
        let names: Vec<String> = serde_json::from_value(case["feature_names_out"].clone()).unwrap();
        assert_eq!(step.get_feature_names_out(None).unwrap(), names, "{what} names");
        if let Some(inv) = case.get("inverse") {
            check_array(&step.inverse_transform(&y).unwrap(), inv, dtype, &format!("{what} inverse"));
        }
        if let Some(other) = case.get("other") {
            let xo = array(&fx["data"][other.as_str().unwrap()], dtype);
            check_array(&step.transform(&xo).unwrap(), &case["transform_other"], dtype, &format!("{what} other"));
        }
        if let Some(chunks) = case.get("chunks").and_then(Value::as_u64) {
            let mut part = build(kind, &case["params"]);
            let n = x.shape()[0];
            for lo in (0..n).step_by(chunks as usize) {
                let rows: Vec<usize> = (lo..(lo + chunks as usize).min(n)).collect();
                let chunk = take_rows(&x, &rows).unwrap();
                match &mut part {
                    Step::StandardScaler(s) => s.partial_fit(&chunk).unwrap(),
                    Step::MinMaxScaler(s) => s.partial_fit(&chunk).unwrap(),
                    Step::MaxAbsScaler(s) => s.partial_fit(&chunk).unwrap(),
                    _ => unreachable!(),
                }
            }
            check_attrs(&part, &case["partial_attrs"], dtype == DType::Float32, &format!("{what} partial_fit"));
            check_array(&part.transform(&x).unwrap(), &case["partial_transform"], dtype, &format!("{what} partial"));
        }
        *counts.entry(kind.to_string()).or_default() += 1;
    }
    assert_eq!(counts.values().sum::<usize>(), 66, "{counts:?}");
}

fn cat_frame(cols: &Value) -> Frame {
    let mut f = Frame::new();
    for name in ["island", "sex", "species"] {
        let values: Vec<Option<&str>> = cols[name].as_array().unwrap().iter().map(|v| v.as_str()).collect();
        f.push(name, Column::Categorical(CategoricalColumn::from_values(&values))).unwrap();
    }
    f
}

fn decoded(frame: &Frame) -> Vec<Vec<Option<String>>> {
    let cols: Vec<&CategoricalColumn> = frame
        .columns()
        .iter()
        .map(|c| match c {
            Column::Categorical(c) => c,
            Column::Numeric(_) => panic!("numeric"),
        })
        .collect();
    (0..frame.n_rows()).map(|i| cols.iter().map(|c| c.value(i).map(str::to_string)).collect()).collect()
}

#[test]
fn encoders_match_sklearn() {
    let fx = fixtures();
    let train = cat_frame(&fx["categorical_data"]["train"]);
    let other = cat_frame(&fx["categorical_data"]["other"]);
    for case in fx["categorical"].as_array().unwrap() {
        let kind = case["kind"].as_str().unwrap();
        let want_cats: Vec<Vec<Option<String>>> = serde_json::from_value(case["categories"].clone()).unwrap();
        let want_names: Vec<String> = serde_json::from_value(case["feature_names_out"].clone()).unwrap();
        let want_inverse: Vec<Vec<Option<String>>> = serde_json::from_value(case["inverse"].clone()).unwrap();
        let (y, cats, names, inverse, y_other) = if kind.starts_with("OneHot") {
            let mut enc = OneHotEncoder::new();
            if kind.ends_with("ignore") {
                enc = enc.handle_unknown(HandleUnknown::Ignore);
            }
            let y = enc.fit_transform(&train).unwrap();
            let inv = enc.inverse_transform(&y).unwrap();
            let yo = enc.transform(&other);
            (y, enc.categories().unwrap(), enc.get_feature_names_out().unwrap(), inv, yo)
        } else {
            let mut enc = OrdinalEncoder::new();
            if kind.ends_with("unknown") {
                enc = enc.handle_unknown(OrdinalUnknown::UseEncodedValue(-1.0));
            }
            let y = enc.fit_transform(&train).unwrap();
            let inv = enc.inverse_transform(&y).unwrap();
            let yo = enc.transform(&other);
            (y, enc.categories().unwrap(), enc.get_feature_names_out().unwrap(), inv, yo)
        };
        assert_eq!(cats, want_cats, "{kind} categories_");
        assert_eq!(names, want_names, "{kind} names");
        check_array(&y, &case["transform"], DType::Float64, kind);
        // scikit-learn's inverse gives NaN/None for missing; ours -1 codes.
        assert_eq!(decoded(&inverse), want_inverse, "{kind} inverse");
        match case.get("transform_other") {
            Some(want) => check_array(&y_other.unwrap(), want, DType::Float64, &format!("{kind} other")),
            None => {
                let err = y_other.unwrap_err().to_string();
                assert!(err.contains("\"Atlantis\"") && err.contains("\"island\""), "{err}");
            }
        }
    }
}

#[test]
fn column_transformer_matches_sklearn() {
    let fx = fixtures();
    let ct = &fx["column_transformer"];
    let f = &ct["frame"];
    let mut frame = Frame::new();
    for name in ["bill", "mass", "flipper"] {
        let v: Vec<f64> = floats(&f[name]).into_iter().map(|x| x.unwrap_or(f64::NAN)).collect();
        frame.push(name, Column::Numeric(Array::from_slice(&v, &[v.len()]).unwrap())).unwrap();
    }
    for name in ["island", "sex"] {
        let values: Vec<Option<&str>> = f[name].as_array().unwrap().iter().map(|v| v.as_str()).collect();
        frame.push(name, Column::Categorical(CategoricalColumn::from_values(&values))).unwrap();
    }
    for case in ct["cases"].as_array().unwrap() {
        let remainder = match case["remainder"].as_str().unwrap() {
            "drop" => Remainder::Drop,
            _ => Remainder::Passthrough,
        };
        let num = Pipeline::new()
            .step("impute", SimpleImputer::new(Strategy::Median))
            .unwrap()
            .step("scale", StandardScaler::new())
            .unwrap();
        let mut t = ColumnTransformer::new()
            .add("num", num, &["bill", "mass"])
            .unwrap()
            .add("cat", (CategoricalImputer::new(CategoricalStrategy::MostFrequent), OneHotEncoder::new()), &["island"])
            .unwrap()
            .add("sex", OrdinalEncoder::new(), &["sex"])
            .unwrap()
            .remainder(remainder);
        let y = t.fit_transform(&frame).unwrap();
        check_array(&y, &case["transform"], DType::Float64, "ColumnTransformer");
        let names: Vec<String> = serde_json::from_value(case["feature_names_out"].clone()).unwrap();
        assert_eq!(t.get_feature_names_out().unwrap(), names);
        let back = ColumnTransformer::from_json(&t.to_json().unwrap()).unwrap();
        assert_eq!(
            as_f64(&back.transform(&frame).unwrap()).iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            as_f64(&y).iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
}

fn size(v: &Value) -> Option<Size> {
    if v.is_null() {
        None
    } else if let Some(c) = v.as_u64() {
        Some(Size::Count(c as usize))
    } else {
        Some(Size::Fraction(v.as_f64().unwrap()))
    }
}

#[test]
fn split_sizes_match_sklearn() {
    let fx = fixtures();
    for case in fx["train_test_split"].as_array().unwrap() {
        let n = case["n"].as_u64().unwrap() as usize;
        let mut opts = TrainTestSplit::new().seed(3);
        if let Some(s) = size(&case["test_size"]) {
            opts = opts.test_size(s);
        }
        if let Some(s) = size(&case["train_size"]) {
            opts = opts.train_size(s);
        }
        let s = opts.split(n).unwrap();
        assert_eq!(s.train.len() as u64, case["n_train"].as_u64().unwrap(), "{case}");
        assert_eq!(s.test.len() as u64, case["n_test"].as_u64().unwrap(), "{case}");
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), s.train.len() + s.test.len(), "disjoint");
        assert!(all.iter().all(|&i| i < n));
    }
}

#[test]
fn stratified_split_class_counts_match_sklearn() {
    let fx = fixtures();
    for case in fx["stratified_split"].as_array().unwrap() {
        let labels: Vec<i64> = serde_json::from_value(case["labels"].clone()).unwrap();
        let classes: Vec<i64> = serde_json::from_value(case["classes"].clone()).unwrap();
        // scikit-learn's possible allocations (one unless classes tie for a
        // leftover sample, which it then gives at random).
        let allowed: Vec<(Vec<usize>, Vec<usize>)> = case["allocations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    serde_json::from_value(a["train"].clone()).unwrap(),
                    serde_json::from_value(a["test"].clone()).unwrap(),
                )
            })
            .collect();
        for seed in 0..20 {
            let s = TrainTestSplit::new()
                .test_size(size(&case["test_size"]).unwrap())
                .seed(seed)
                .split_stratified(&labels)
                .unwrap();
            let count = |part: &[usize]| -> Vec<usize> {
                classes.iter().map(|&c| part.iter().filter(|&&i| labels[i] == c).count()).collect()
            };
            let got = (count(&s.train), count(&s.test));
            assert!(allowed.contains(&got), "{labels:?}: got {got:?}, scikit-learn gives one of {allowed:?}");
        }
    }
}

#[test]
fn kfold_and_stratified_kfold_equal_sklearn() {
    let fx = fixtures();
    let folds = |v: &Value| -> Vec<Split> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| Split {
                train: serde_json::from_value(f["train"].clone()).unwrap(),
                test: serde_json::from_value(f["test"].clone()).unwrap(),
            })
            .collect()
    };
    for case in fx["kfold"].as_array().unwrap() {
        let (n, k) = (case["n"].as_u64().unwrap() as usize, case["k"].as_u64().unwrap() as usize);
        assert_eq!(KFold::new(k).unwrap().split(n).unwrap(), folds(&case["folds"]), "KFold({k}) of {n}");
    }
    for case in fx["stratified_kfold"].as_array().unwrap() {
        let labels: Vec<i64> = serde_json::from_value(case["labels"].clone()).unwrap();
        let k = case["k"].as_u64().unwrap() as usize;
        assert_eq!(StratifiedKFold::new(k).unwrap().split(&labels).unwrap(), folds(&case["folds"]), "{labels:?}");
    }
}

#[test]
fn fixture_records_its_versions() {
    let fx = fixtures();
    assert!(fx["versions"]["sklearn"].as_str().unwrap().starts_with("1.9."));
    assert!(fx["versions"]["numpy"].as_str().unwrap().starts_with("2.4."));
}
