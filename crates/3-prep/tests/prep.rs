//! Behaviour that needs no scikit-learn fixture: errors, in-place
//! transforms, chunked fitting, saving and loading, splits and batches.

#![allow(missing_docs)]

use std::collections::HashSet;

use oxarray_core::{Array, DType, Generator, s};
use oxarray_prep::*;

fn data(rows: usize, cols: usize, seed: u64, missing: f64) -> Array {
    let mut rng = Generator::new(seed);
    let mut x = rng.normal(5.0, 2.0, &[rows, cols], DType::Float64).unwrap();
    let m = rng.random(&[rows, cols], DType::Float64).unwrap().to_vec::<f64>().unwrap();
    for (v, m) in x.as_slice_mut::<f64>().unwrap().iter_mut().zip(m) {
        if m < missing {
            *v = f64::NAN;
        }
    }
    x
}

fn bits(a: &Array) -> Vec<u64> {
    a.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap().iter().map(|v| v.to_bits()).collect()
}

fn all_steps() -> Vec<Step> {
    vec![
        SimpleImputer::new(Strategy::Median).into(),
        StandardScaler::new().into(),
        MinMaxScaler::new().into(),
        MaxAbsScaler::new().into(),
        RobustScaler::new().into(),
    ]
}

// --- errors ------------------------------------------------------------------

#[test]
fn transform_before_fit_is_an_error() {
    let x = data(4, 2, 0, 0.0);
    for step in all_steps() {
        let err = step.transform(&x).unwrap_err().to_string();
        assert!(err.contains("is not fitted yet") && err.contains(step.name()), "{err}");
    }
    assert!(OneHotEncoder::new().transform(&Frame::new()).unwrap_err().to_string().contains("not fitted"));
    assert!(ColumnTransformer::new().transform(&Frame::new()).unwrap_err().to_string().contains("not fitted"));
}

#[test]
fn wrong_number_of_columns_is_an_error() {
    let x = data(6, 3, 1, 0.1);
    let y = data(6, 4, 1, 0.1);
    for mut step in all_steps() {
        step.fit(&x).unwrap();
        let err = step.transform(&y).unwrap_err().to_string();
        assert!(err.contains("X has 4 features") && err.contains("expecting 3 features"), "{err}");
    }
    let mut s = StandardScaler::new();
    s.partial_fit(&x).unwrap();
    assert!(s.partial_fit(&y).is_err());
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let one_d = Array::from_slice(&[1.0f64, 2.0], &[2]).unwrap();
    assert!(StandardScaler::new().fit(&one_d).unwrap_err().to_string().contains("2-D"));
    let complex = Array::zeros(&[2, 2], DType::Complex64).unwrap();
    assert!(StandardScaler::new().fit(&complex).is_err());
    assert!(MinMaxScaler::new().feature_range(1.0, 1.0).is_err());
    assert!(RobustScaler::new().quantile_range(80.0, 20.0).is_err());
    assert!(KFold::new(1).is_err());
    assert!(KFold::new(5).unwrap().split(3).is_err());
    assert!(train_test_split(10, Size::Fraction(1.5), 0).is_err());
    assert!(train_test_split(10, Size::Count(10), 0).is_err());
    assert!(TrainTestSplit::new().split_stratified(&[0, 0, 0, 1]).is_err(), "a class of one");
    assert!(TrainTestSplit::new().shuffle(false).split_stratified(&[0, 0, 1, 1]).is_err());
    assert!(BatchLoader::new(vec![data(3, 2, 0, 0.0), data(4, 2, 0, 0.0)], 2).is_err());
    assert!(BatchLoader::new(vec![], 2).is_err());
    assert!(CategoricalColumn::from_codes(vec!["a".into()], vec![0, 1]).is_err());
    assert!(CategoricalColumn::from_codes(vec!["a".into(), "a".into()], vec![0]).is_err());
    assert!(Normalizer::default().transform(&data(3, 2, 0, 0.5)).is_err(), "NaN");
    // Empty inputs do not panic.
    let empty = Array::zeros(&[0, 3], DType::Float32).unwrap();
    for mut step in all_steps() {
        let _ = step.fit_transform(&empty);
    }
}

#[test]
fn unknown_category_error_names_column_and_value() {
    let train = Frame::new()
        .with_categorical("island", CategoricalColumn::from_values(&[Some("Biscoe"), Some("Dream")]))
        .unwrap();
    let serve = Frame::new()
        .with_categorical("island", CategoricalColumn::from_values(&[Some("Dream"), Some("Torgersen")]))
        .unwrap();
    let mut enc = OneHotEncoder::new();
    enc.fit(&train).unwrap();
    let err = enc.transform(&serve).unwrap_err().to_string();
    assert!(err.contains("\"Torgersen\"") && err.contains("\"island\"") && err.contains("row 1"), "{err}");
    let mut ord = OrdinalEncoder::new();
    ord.fit(&train).unwrap();
    assert!(ord.transform(&serve).unwrap_err().to_string().contains("\"Torgersen\""));
    // Ignored unknowns are zero rows; the known value maps by name although
    // the serving file numbers its categories differently.
    let y = OneHotEncoder::new().handle_unknown(HandleUnknown::Ignore);
    let mut y = y;
    y.fit(&train).unwrap();
    assert_eq!(y.transform(&serve).unwrap().to_vec::<f64>().unwrap(), vec![0.0, 1.0, 0.0, 0.0]);
}

// --- dtypes and in-place work ---------------------------------------------------

#[test]
fn float32_stays_float32_and_integers_become_float64() {
    let x32 = data(5, 2, 2, 0.0).astype(DType::Float32).unwrap();
    let ints = Array::from_slice(&[1i32, 2, 3, 4, 5, 6], &[3, 2]).unwrap();
    for mut step in all_steps() {
        assert_eq!(step.fit_transform(&x32).unwrap().dtype(), DType::Float32, "{}", step.name());
        assert_eq!(step.fit_transform(&ints).unwrap().dtype(), DType::Float64, "{}", step.name());
    }
}

#[test]
fn owned_unique_inputs_are_transformed_in_place() {
    let x = data(50, 4, 3, 0.1).astype(DType::Float32).unwrap();
    let mut steps = all_steps();
    steps.push(Normalizer::new(Norm::L1).into());
    for mut step in steps {
        step.fit(&x).unwrap();
        // Normalizer refuses NaN: give it imputed data.
        let input =
            if step.name() == "Normalizer" { SimpleImputer::default().fit_transform(&x).unwrap() } else { x.copy() };
        let expected = step.transform(&input).unwrap();
        let before = input.as_ptr();
        let out = step.transform_owned(input).unwrap();
        assert_eq!(out.as_ptr(), before, "{} allocated", step.name());
        assert_eq!(bits(&out), bits(&expected), "{}", step.name());
    }
    // A shared input is left alone.
    let mut sc = StandardScaler::new();
    sc.fit(&x).unwrap();
    let keep = x.clone();
    let out = sc.transform_owned(x.clone()).unwrap();
    assert_ne!(out.as_ptr(), x.as_ptr());
    assert_eq!(bits(&keep), bits(&x));
}

#[test]
fn a_pipeline_allocates_once_for_shape_preserving_steps() {
    let x = data(40, 3, 4, 0.0);
    let mut p = Pipeline::new()
        .step("impute", SimpleImputer::new(Strategy::Mean))
        .unwrap()
        .step("scale", StandardScaler::new())
        .unwrap()
        .step("minmax", MinMaxScaler::new())
        .unwrap();
    p.fit(&x).unwrap();
    let input = x.copy();
    let before = input.as_ptr();
    assert_eq!(p.transform_owned(input).unwrap().as_ptr(), before);
}

// --- chunked fitting ----------------------------------------------------------------

#[test]
fn partial_fit_over_chunks_equals_fit() {
    // 70 000 × 5 crosses the parallel threshold, so the one-shot fit runs in
    // blocks on several threads.
    let x = data(70_000, 5, 5, 0.05);
    let rows = x.shape()[0];
    for chunk in [1_000usize, 7_777, 33_333] {
        let mut whole = StandardScaler::new();
        whole.fit(&x).unwrap();
        let (mut part, mut mm, mut ma) = (StandardScaler::new(), MinMaxScaler::new(), MaxAbsScaler::new());
        for lo in (0..rows).step_by(chunk) {
            let c = x.slice(&s![lo as isize..(lo + chunk).min(rows) as isize, ..]).unwrap();
            part.partial_fit(&c).unwrap();
            mm.partial_fit(&c).unwrap();
            ma.partial_fit(&c).unwrap();
        }
        assert_eq!(part.n_samples_seen(), whole.n_samples_seen());
        for (a, b) in [(part.mean(), whole.mean()), (part.var(), whole.var())] {
            let (a, b) = (a.unwrap().to_vec::<f64>().unwrap(), b.unwrap().to_vec::<f64>().unwrap());
            for (a, b) in a.iter().zip(&b) {
                assert!((a - b).abs() <= 1e-12 * b.abs(), "chunk {chunk}: {a} vs {b}");
            }
        }
        let mut mm1 = MinMaxScaler::new();
        mm1.fit(&x).unwrap();
        assert_eq!(bits(&mm.data_min().unwrap()), bits(&mm1.data_min().unwrap()));
        assert_eq!(bits(&mm.scale().unwrap()), bits(&mm1.scale().unwrap()));
        let mut ma1 = MaxAbsScaler::new();
        ma1.fit(&x).unwrap();
        assert_eq!(bits(&ma.scale().unwrap()), bits(&ma1.scale().unwrap()));
    }
}

#[test]
fn a_chunk_without_values_in_a_column_changes_nothing() {
    let x = Array::from_slice(&[1.0f64, 2.0, 3.0, f64::NAN, 5.0, 6.0, 7.0, f64::NAN], &[4, 2]).unwrap();
    let mut whole = StandardScaler::new();
    whole.fit(&x).unwrap();
    let mut part = StandardScaler::new();
    part.partial_fit(&x.slice(&s![..3, ..]).unwrap()).unwrap();
    part.partial_fit(&x.slice(&s![3.., ..]).unwrap()).unwrap(); // column 1 all NaN here
    let (a, b) = (part.var().unwrap().to_vec::<f64>().unwrap(), whole.var().unwrap().to_vec::<f64>().unwrap());
    assert!(a.iter().zip(&b).all(|(a, b)| (a - b).abs() < 1e-12), "{a:?} vs {b:?}");
}

#[test]
fn constant_columns_scale_by_one() {
    let x = Array::from_slice(&[3.0f64, 1.0, 3.0, 2.0, 3.0, 3.0], &[3, 2]).unwrap();
    let mut s = StandardScaler::new();
    let y = s.fit_transform(&x).unwrap().to_vec::<f64>().unwrap();
    assert_eq!(s.scale().unwrap().to_vec::<f64>().unwrap()[0], 1.0);
    assert_eq!([y[0], y[2], y[4]], [0.0, 0.0, 0.0]);
}

// --- saving and loading ------------------------------------------------------------

fn fitted_pipeline(x: &Array) -> Pipeline {
    let mut p = Pipeline::new()
        .step("impute", SimpleImputer::new(Strategy::Median).add_indicator(true))
        .unwrap()
        .step("robust", RobustScaler::new())
        .unwrap()
        .step("scale", StandardScaler::new())
        .unwrap()
        .step("maxabs", MaxAbsScaler::new())
        .unwrap()
        .step("minmax", MinMaxScaler::new().feature_range(-1.0, 1.0).unwrap().clip(true))
        .unwrap()
        .step("norm", Normalizer::new(Norm::Max))
        .unwrap();
    p.fit(x).unwrap();
    p
}

#[test]
fn pipeline_save_load_transform_is_bit_identical() {
    let mut x = data(200, 4, 6, 0.1);
    // A column with no value at all: NaN statistics must survive JSON.
    for i in 0..200 {
        x.set(&[i, 2], f64::NAN).unwrap();
    }
    let p = fitted_pipeline(&x);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prep.json");
    p.save(&path).unwrap();
    let q = Pipeline::load(&path).unwrap();
    assert_eq!(p.to_json().unwrap(), q.to_json().unwrap(), "NaN statistics survive");
    let x_new = data(50, 4, 7, 0.2);
    assert_eq!(bits(&p.transform(&x_new).unwrap()), bits(&q.transform(&x_new).unwrap()));
    assert_eq!(p.get_feature_names_out(None).unwrap(), q.get_feature_names_out(None).unwrap());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}

#[test]
fn every_transformer_round_trips_through_json() {
    let x = data(30, 3, 8, 0.1);
    for mut step in all_steps() {
        step.fit(&x).unwrap();
        let p = Pipeline::new().step("only", step).unwrap();
        let q = Pipeline::from_json(&p.to_json().unwrap()).unwrap();
        assert_eq!(p, q);
    }
    let mut s = StandardScaler::new();
    s.fit(&x).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scaler.json");
    persist::save(&s, &path).unwrap();
    assert_eq!(persist::load::<StandardScaler>(&path).unwrap(), s);
    assert!(persist::load::<MinMaxScaler>(&path).unwrap_err().to_string().contains("not a MinMaxScaler"));
}

#[test]
fn loading_a_bad_file_is_a_clear_error() {
    let x = data(20, 3, 9, 0.1);
    let good = fitted_pipeline(&x).to_json().unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("not json".into(), "line 1"),
        ("[1, 2]".into(), "expected a JSON object"),
        (good.replace("oxarray-prep", "something-else"), "format"),
        (good.replace("\"version\": 1", "\"version\": 99"), "version"),
        (good.replace("\"kind\": \"Pipeline\"", "\"kind\": \"ColumnTransformer\""), "not a Pipeline"),
        (good[..good.len() / 2].to_string(), "line"),
        (good.replacen("\"with_mean\": true", "\"with_mean\": true, \"surprise\": 1", 1), "surprise"),
        (good.replacen("\"with_mean\": true", "\"with_mean\": 7", 1), "line"),
        (good.replacen("\"Median\"", "\"Mode\"", 1).replacen("\"median\"", "\"mode\"", 1), "line"),
        // Inconsistent fitted state: drop one entry of a per-column vector.
        (drop_first_number_after(&good, "\"var\": ["), "entries"),
        (replace_list(&good, "\"feature_range\": [", "1.0, -1.0"), "feature range"),
        (good.replacen("\"missing_features\": [", "\"missing_features\": [99, ", 1), "indicator feature 99"),
    ];
    for (text, needle) in cases {
        let err = Pipeline::from_json(&text).expect_err(needle).to_string();
        assert!(err.contains(needle), "expected {needle:?} in: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    assert!(Pipeline::load(&missing).unwrap_err().to_string().contains("nope.json"));
}

/// `text` with the list after `key` (which ends in `[`) replaced by `items`.
fn replace_list(text: &str, key: &str, items: &str) -> String {
    let start = text.find(key).unwrap() + key.len();
    let end = start + text[start..].find(']').unwrap();
    format!("{}{items}{}", &text[..start], &text[end..])
}

fn drop_first_number_after(text: &str, key: &str) -> String {
    let start = text.find(key).unwrap() + key.len();
    let rest = &text[start..];
    let comma = rest.find(',').unwrap();
    format!("{}{}", &text[..start], &rest[comma + 1..])
}

#[test]
fn column_transformer_handles_reordered_serving_columns_and_remainder() {
    let frame = Frame::new()
        .with_numeric("a", Array::from_slice(&[1.0f32, 2.0, 3.0], &[3]).unwrap())
        .unwrap()
        .with_numeric("b", Array::from_slice(&[10.0f32, f32::NAN, 30.0], &[3]).unwrap())
        .unwrap()
        .with_categorical("c", CategoricalColumn::from_values(&[Some("x"), Some("y"), Some("x")]))
        .unwrap();
    let mut ct = ColumnTransformer::new()
        .add("scale", StandardScaler::new(), &["a"])
        .unwrap()
        .add("onehot", OneHotEncoder::new().dtype(DType::Float32).unwrap(), &["c"])
        .unwrap()
        .remainder(Remainder::Passthrough);
    let y = ct.fit_transform(&frame).unwrap();
    assert_eq!(y.dtype(), DType::Float32);
    assert_eq!(ct.get_feature_names_out().unwrap(), ["scale__a", "onehot__c_x", "onehot__c_y", "remainder__b"]);
    // Serving data: other column order, other category numbering, an extra column.
    let serve = Frame::new()
        .with_categorical("c", CategoricalColumn::from_codes(vec!["y".into(), "x".into()], vec![1, 0, 1]).unwrap())
        .unwrap()
        .with_numeric("extra", Array::from_slice(&[0.0f64; 3], &[3]).unwrap())
        .unwrap()
        .with_numeric("b", Array::from_slice(&[30.0f32, f32::NAN, 10.0], &[3]).unwrap())
        .unwrap()
        .with_numeric("a", Array::from_slice(&[3.0f32, 2.0, 1.0], &[3]).unwrap())
        .unwrap();
    let loaded = ColumnTransformer::from_json(&ct.to_json().unwrap()).unwrap();
    let z = loaded.transform(&serve).unwrap().to_vec::<f32>().unwrap();
    let y = y.to_vec::<f32>().unwrap();
    let row = |v: &[f32], i: usize| v[i * 4..i * 4 + 4].iter().map(|f| f.to_bits()).collect::<Vec<_>>();
    assert_eq!(row(&z, 0), row(&y, 2));
    assert_eq!(row(&z, 2), row(&y, 0));
    // A categorical remainder cannot pass through.
    let mut bad =
        ColumnTransformer::new().add("a", StandardScaler::new(), &["a"]).unwrap().remainder(Remainder::Passthrough);
    assert!(bad.fit(&frame).unwrap_err().to_string().contains("categorical"));
    // A missing column is named.
    let mut missing = ColumnTransformer::new().add("z", StandardScaler::new(), &["zzz"]).unwrap();
    assert!(missing.fit(&frame).unwrap_err().to_string().contains("\"zzz\""));
}

// --- splits -------------------------------------------------------------------------

#[test]
fn splits_are_seeded_disjoint_and_complete() {
    let a = train_test_split(100, Size::Fraction(0.2), 5).unwrap();
    let b = train_test_split(100, Size::Fraction(0.2), 5).unwrap();
    let c = train_test_split(100, Size::Fraction(0.2), 6).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let mut all: Vec<usize> = a.train.iter().chain(&a.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..100).collect::<Vec<_>>());
    let ordered = TrainTestSplit::new().shuffle(false).test_size(Size::Count(3)).split(10).unwrap();
    assert_eq!((ordered.train, ordered.test), ((0..7).collect(), vec![7, 8, 9]));
    for folds in [
        KFold::new(4).unwrap().shuffle(1).split(10).unwrap(),
        StratifiedKFold::new(3).unwrap().shuffle(2).split(&[0, 1, 0, 1, 0, 1, 0, 1, 0]).unwrap(),
    ] {
        let mut tests: Vec<usize> = folds.iter().flat_map(|f| f.test.clone()).collect();
        tests.sort_unstable();
        assert_eq!(tests, (0..tests.len()).collect::<Vec<_>>(), "each sample tests once");
        for f in &folds {
            assert_eq!(f.train.len() + f.test.len(), tests.len());
        }
    }
}

#[test]
fn frames_take_rows() {
    let f = Frame::new()
        .with_numeric("x", Array::from_slice(&[1i64, 2, 3], &[3]).unwrap())
        .unwrap()
        .with_categorical("c", CategoricalColumn::from_values(&[Some("a"), None, Some("b")]))
        .unwrap();
    let t = f.take_rows(&[2, 1]).unwrap();
    assert_eq!(t.n_rows(), 2);
    let Some(Column::Categorical(c)) = t.column("c") else { panic!() };
    assert_eq!((c.value(0), c.value(1)), (Some("b"), None));
    assert!(f.take_rows(&[3]).is_err());
}

// --- batches ------------------------------------------------------------------------

#[test]
fn ordered_batches_are_views() {
    let x = Array::arange(0.0, 30.0, 1.0, DType::Float32).unwrap().reshape(&[10, 3]).unwrap();
    let y = Array::arange_int(0, 10, 1, DType::Int64).unwrap();
    let loader = BatchLoader::new(vec![x.clone(), y.clone()], 4).unwrap();
    let batches: Vec<Batch> = loader.epoch(0).map(Result::unwrap).collect();
    assert_eq!(batches.len(), 3);
    for (k, b) in batches.iter().enumerate() {
        let start = (k * 4) as isize;
        assert_eq!(b.get(0).as_ptr(), x.slice(&s![start, ..]).unwrap().as_ptr(), "batch {k} copied");
        assert_eq!(b.get(1).as_ptr(), y.slice(&s![start]).unwrap().as_ptr());
        assert!(b.get(0).shares_buffer(&x));
    }
    assert_eq!(batches[2].len(), 2);
    assert_eq!(BatchLoader::new(vec![x], 4).unwrap().drop_last(true).epoch(0).count(), 2);
}

#[test]
fn shuffled_batches_cover_every_row_once_and_keep_arrays_aligned() {
    let n = 1003;
    let x = Array::arange(0.0, (2 * n) as f64, 1.0, DType::Float64).unwrap().reshape(&[n, 2]).unwrap();
    let y = Array::arange_int(0, n as i128, 1, DType::Int32).unwrap();
    let loader = BatchLoader::new(vec![x, y], 64).unwrap().shuffle(11);
    let mut seen = Vec::new();
    for b in loader.epoch(3) {
        let b = b.unwrap();
        let xs = b.get(0).to_vec::<f64>().unwrap();
        let ys = b.get(1).to_vec::<i32>().unwrap();
        for (r, &label) in ys.iter().enumerate() {
            assert_eq!(xs[2 * r], 2.0 * label as f64, "features and labels of one row stay together");
        }
        seen.extend(ys);
    }
    let order: Vec<i32> = loader.order(3).iter().map(|&i| i as i32).collect();
    assert_eq!(seen, order, "batches follow the epoch's order");
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..n as i32).collect::<Vec<_>>());
    assert_ne!(loader.order(3), loader.order(4), "each epoch reshuffles");
    assert_eq!(
        loader.order(3),
        BatchLoader::new(vec![Array::zeros(&[n], DType::Int8).unwrap()], 5).unwrap().shuffle(11).order(3)
    );
}

#[test]
fn shuffled_batches_reuse_their_buffers() {
    let x = Array::zeros(&[1024, 16], DType::Float32).unwrap();
    // 2 KiB batches: by default one group of 1 MiB would hold the epoch.
    assert_eq!(BatchLoader::new(vec![x.clone()], 32).unwrap().group_batches(), 512);
    let loader = BatchLoader::new(vec![x], 32).unwrap().shuffle(0).prefetch(2);
    assert_eq!(loader.group_batches(), 2);
    let mut pointers = HashSet::new();
    let mut count = 0;
    for b in loader.epoch(0) {
        let b = b.unwrap();
        pointers.insert(b.get(0).as_ptr() as usize);
        count += 1;
        // dropped here: its buffer goes back to the worker
    }
    assert_eq!(count, 32);
    // At most two groups ahead of the caller, plus the caller's batch.
    assert!(pointers.len() <= 2 * 2 + 2, "{} distinct buffers for {count} batches", pointers.len());
}

#[test]
fn shuffled_batches_gathered_in_parallel_groups_follow_the_order() {
    // 20 000 rows of 64 + 8 bytes in batches of 100: groups of 145 batches
    // (1 MiB), gathered on every core, and a last batch of 100 rows.
    let n = 20_000;
    let x = Array::arange(0.0, (16 * n) as f64, 1.0, DType::Float32).unwrap().reshape(&[n, 16]).unwrap();
    let y = Array::arange_int(0, n as i128, 1, DType::Int64).unwrap();
    let loader = BatchLoader::new(vec![x, y], 100).unwrap().shuffle(5);
    assert_eq!(loader.group_batches(), (1 << 20) / (100 * 72));
    for drop_last in [false, true] {
        let loader = loader.clone().drop_last(drop_last);
        let mut seen = Vec::new();
        for b in loader.epoch(1) {
            let b = b.unwrap();
            let xs = b.get(0).to_vec::<f32>().unwrap();
            let ys = b.get(1).to_vec::<i64>().unwrap();
            assert_eq!(xs.len(), 16 * ys.len());
            for (r, &label) in ys.iter().enumerate() {
                let expect: Vec<f32> = (0..16).map(|j| (16 * label + j) as f32).collect();
                assert_eq!(&xs[16 * r..16 * (r + 1)], &expect[..], "row {r} of a batch");
            }
            seen.extend(ys.iter().map(|&i| i as usize));
        }
        assert_eq!(seen, loader.order(1), "drop_last {drop_last}");
    }
    // Batches that do not divide the rows: a short last batch, or none.
    let odd = BatchLoader::new(vec![Array::zeros(&[1001, 300], DType::Float32).unwrap()], 10).unwrap().shuffle(1);
    let lens: Vec<usize> = odd.epoch(0).map(|b| b.unwrap().len()).collect();
    assert_eq!((lens.len(), lens[99], lens[100]), (101, 10, 1));
    assert_eq!(odd.drop_last(true).epoch(0).count(), 100);
}

#[test]
fn a_batch_kept_by_the_caller_is_never_overwritten() {
    let x = Array::arange(0.0, 64.0, 1.0, DType::Float32).unwrap().reshape(&[64, 1]).unwrap();
    let loader = BatchLoader::new(vec![x], 8).unwrap().shuffle(1);
    let mut kept = Vec::new();
    for b in loader.epoch(0) {
        let b = b.unwrap();
        kept.push((b.get(0).clone(), b.get(0).to_vec::<f32>().unwrap()));
    }
    for (a, v) in kept {
        assert_eq!(a.to_vec::<f32>().unwrap(), v);
    }
    // Dropping the iterator early stops the worker.
    let mut it =
        BatchLoader::new(vec![Array::zeros(&[1000, 4], DType::Float64).unwrap()], 10).unwrap().shuffle(2).epoch(0);
    assert!(it.next().is_some());
    drop(it);
}

#[test]
fn fused_pipeline_transform_equals_step_by_step() {
    let x = data(3000, 7, 12, 0.05).astype(DType::Float32).unwrap();
    let mut p = Pipeline::new()
        .step("impute", SimpleImputer::new(Strategy::Median))
        .unwrap()
        .step("robust", RobustScaler::new())
        .unwrap()
        .step("scale", StandardScaler::new())
        .unwrap()
        .step("norm", Normalizer::new(Norm::L2))
        .unwrap()
        .step("maxabs", MaxAbsScaler::new().clip(true))
        .unwrap()
        .step("minmax", MinMaxScaler::new())
        .unwrap();
    let fused = p.fit_transform(&x).unwrap();
    let mut by_step = x.clone();
    for (_, step) in p.steps() {
        by_step = step.transform(&by_step).unwrap();
    }
    assert_eq!(bits(&fused), bits(&by_step));
    assert_eq!(bits(&p.transform(&x).unwrap()), bits(&by_step));
}

/// Large inputs (above `simd::STREAM_BYTES`) that the transform may not
/// overwrite are transformed into a new array with the same bits as
/// transforming a copy in place, for the scalers on float32 and float64, a
/// row count that is not a multiple of the block, NaN, and at the baseline
/// SIMD level.
#[test]
fn large_shared_inputs_are_transformed_with_the_in_place_bits() {
    use oxarray_kernels::simd;
    for dtype in [DType::Float32, DType::Float64] {
        let cols = 64usize;
        let rows = simd::STREAM_BYTES / dtype.itemsize() / cols + 5;
        let x = Generator::new(3).normal(2.0, 3.0, &[rows, cols], dtype).unwrap();
        let mut poisoned = x.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
        poisoned[7 * cols + 2] = f64::NAN;
        let x = Array::from_vec(poisoned, &[rows, cols]).unwrap().astype(dtype).unwrap();
        let mut standard = StandardScaler::new();
        standard.fit(&x).unwrap();
        let mut minmax = MinMaxScaler::new();
        minmax.fit(&x).unwrap();
        same_bits_shared_and_in_place(&standard, &x);
        same_bits_shared_and_in_place(&minmax, &x);
    }
}

/// `t.transform(x)` (a new array, `x` held) has the bits of transforming
/// a copy of `x` in place, at the machine's SIMD level and at baseline.
fn same_bits_shared_and_in_place<T: Transformer>(t: &T, x: &Array) {
    // `transform_owned` of a uniquely held copy works in place.
    let in_place = t.transform_owned(x.copy()).unwrap();
    for level in [None, Some(oxarray_kernels::simd::Level::Baseline)] {
        oxarray_kernels::simd::set_max_level(level);
        let shared = t.transform(x);
        oxarray_kernels::simd::set_max_level(None);
        let shared = shared.unwrap();
        assert_eq!(shared.to_bytes(), in_place.to_bytes(), "{} {:?} at {level:?}", t.name(), x.dtype());
    }
}
