//! Statistical functions checked against NumPy (`fixtures/reductions.json`,
//! written by `fixtures/gen_reductions.py`) on C-contiguous, transposed,
//! reversed and strided layouts of every input; accuracy of float sums
//! against an exact reference; broadcast views; threaded sizes; and the
//! deliberate differences from NumPy.

use std::sync::OnceLock;

use oxarray_core::{Array, DType, Element, ErrorKind, Index, Result, Wide, dispatch, s};
use serde_json::Value;

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE
        .get_or_init(|| serde_json::from_str(include_str!("fixtures/reductions.json")).expect("reductions.json parses"))
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

fn shape(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect()
}

fn array(spec: &Value) -> Array {
    let d: DType = spec["dtype"].as_str().unwrap().parse().unwrap();
    let values: Vec<Wide> = spec["values"].as_array().unwrap().iter().map(|v| wide(v, d)).collect();
    dispatch!(d, T => {
        let v: Vec<T> = values.iter().map(|&w| T::from_wide_checked(w).expect("fixture value fits")).collect();
        Array::from_slice(&v, &shape(&spec["shape"])).unwrap()
    })
}

fn wides(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(Element::to_wide).collect())
}

/// The same logical array in other memory layouts.
fn layouts(a: &Array) -> Vec<(&'static str, Array)> {
    let mut out = vec![("C order", a.clone())];
    if a.ndim() == 0 {
        return out;
    }
    // Transposed memory: a C copy of the transpose, transposed back.
    out.push(("transposed", a.transpose().copy().transpose()));
    // Negative strides on every axis.
    out.push(("reversed", a.flip(None).unwrap().copy().flip(None).unwrap()));
    // Every other element of a buffer twice as long in the last axis.
    let mut big_shape = a.shape().to_vec();
    *big_shape.last_mut().unwrap() *= 2;
    let mut big = Array::zeros(&big_shape, a.dtype()).unwrap();
    let every_other = [Index::Ellipsis, Index::step(2)];
    big.assign(&every_other, a).unwrap();
    out.push(("strided", big.slice(&every_other).unwrap()));
    out
}

fn axes(v: &Value) -> Option<Vec<isize>> {
    v.as_array().map(|l| l.iter().map(|a| a.as_i64().unwrap() as isize).collect())
}

fn run(case: &Value, a: &Array) -> Result<Array> {
    let ax = axes(&case["axes"]);
    let ax = ax.as_deref();
    let kd = case["keepdims"].as_bool().unwrap_or(false);
    let axis = case["axis"].as_i64().map(|a| a as isize);
    let dtype: Option<DType> = case["dtype"].as_str().map(|d| d.parse().unwrap());
    let correction = case["correction"].as_f64().unwrap_or(0.0);
    let ii = case["include_initial"].as_bool().unwrap_or(false);
    match case["fn"].as_str().unwrap() {
        "sum" => match dtype {
            Some(d) => a.sum_as(ax, kd, d),
            None => a.sum(ax, kd),
        },
        "prod" => match dtype {
            Some(d) => a.prod_as(ax, kd, d),
            None => a.prod(ax, kd),
        },
        "mean" => a.mean(ax, kd),
        "var" => a.var(ax, correction, kd),
        "std" => a.std(ax, correction, kd),
        "min" => a.min(ax, kd),
        "max" => a.max(ax, kd),
        "any" => a.any(ax, kd),
        "all" => a.all(ax, kd),
        "nansum" => a.nansum(ax, kd),
        "nanmean" => a.nanmean(ax, kd),
        "nanmin" => a.nanmin(ax, kd),
        "nanmax" => a.nanmax(ax, kd),
        "argmin" => a.argmin(axis, kd),
        "argmax" => a.argmax(axis, kd),
        "cumulative_sum" => a.cumulative_sum(axis, dtype, ii),
        "cumulative_prod" => a.cumulative_prod(axis, dtype, ii),
        other => panic!("unknown function {other}"),
    }
}

/// Unit roundoff of a real or complex dtype's components.
fn eps(d: DType) -> f64 {
    match d.real() {
        DType::Float16 => 2f64.powi(-11),
        DType::BFloat16 => 2f64.powi(-8),
        DType::Float32 => 2f64.powi(-24),
        _ => 2f64.powi(-53),
    }
}

/// Whether two floats agree: both NaN, equal (infinities too), or within
/// `tol`.
fn close(x: f64, y: f64, tol: f64) -> bool {
    (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= tol
}

/// Checks one result against NumPy's, returning what differs.
fn compare(case: &Value, got: &Array) -> std::result::Result<(), String> {
    let expect = &case["result"];
    let d: DType = expect["dtype"].as_str().unwrap().parse().unwrap();
    if got.dtype() != d {
        return Err(format!("dtype {} instead of {d}", got.dtype()));
    }
    if got.shape() != shape(&expect["shape"]) {
        return Err(format!("shape {:?} instead of {:?}", got.shape(), shape(&expect["shape"])));
    }
    let want: Vec<Wide> = expect["values"].as_array().unwrap().iter().map(|v| wide(v, d)).collect();
    let got = wides(got);
    let scale = expect["scale"].as_f64().unwrap_or(0.0);
    let relative = case["fn"].as_str().unwrap().ends_with("prod");
    for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
        let tol = |x: f64, y: f64| {
            if relative { 64.0 * eps(d) * x.abs().max(y.abs()) } else { 32.0 * eps(d) * scale }
        };
        let ok = match (g, w) {
            (Wide::Float(x), Wide::Float(y)) => close(x, y, tol(x, y)),
            (Wide::Complex(xr, xi), Wide::Complex(yr, yi)) => {
                close(xr, yr, tol(xr, yr).max(tol(xi, yi))) && close(xi, yi, tol(xr, yr).max(tol(xi, yi)))
            }
            _ => g == w,
        };
        if !ok {
            return Err(format!("element {i}: {g:?} instead of {w:?}"));
        }
    }
    Ok(())
}

#[test]
fn fixture_pins_numpy() {
    let v = fixture()["numpy_version"].as_str().unwrap();
    assert!(v.starts_with("2.4."), "fixture written by NumPy {v}");
}

#[test]
fn every_case_matches_numpy_in_every_layout() {
    let inputs = fixture()["inputs"].as_object().unwrap();
    let cases = fixture()["cases"].as_array().unwrap();
    let arrays: std::collections::HashMap<&str, Vec<(&str, Array)>> =
        inputs.iter().map(|(k, v)| (k.as_str(), layouts(&array(v)))).collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases {
        for (layout, a) in &arrays[case["input"].as_str().unwrap()] {
            checked += 1;
            let outcome = run(case, a);
            let problem = match (&outcome, case.get("error")) {
                (Ok(_), Some(e)) => Some(format!("NumPy raised {e}, oxarray returned a result")),
                (Err(e), None) => Some(format!("error: {e}")),
                (Err(_), Some(_)) => None,
                (Ok(r), None) => compare(case, r).err(),
            };
            if let Some(p) = problem {
                let input = case["input"].as_str().unwrap();
                let kind = (
                    case["fn"].to_string(),
                    input.split('|').next().unwrap().to_string() + input.rsplit('|').next().unwrap(),
                );
                failures.push((kind, format!("{case} [{layout}]: {p}")));
            }
        }
    }
    // One line per (function, input kind) keeps a report readable.
    let mut seen = std::collections::HashSet::new();
    let sample: Vec<&String> =
        failures.iter().filter(|(key, _)| seen.insert(key.clone())).map(|(_, line)| line).take(40).collect();
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed; first of each kind:\n{}",
        failures.len(),
        sample.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

/// Exact-enough reference: Neumaier's compensated sum in f64.
fn neumaier(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut s, mut c, mut abs) = (0.0f64, 0.0f64, 0.0f64);
    for x in xs {
        let t = s + x;
        c += if s.abs() >= x.abs() { (s - t) + x } else { (x - t) + s };
        s = t;
        abs += x.abs();
    }
    (s + c, abs)
}

/// Mixed magnitudes and signs, deterministic.
fn mixed(n: usize) -> Vec<f32> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 40) as f32 / (1u64 << 24) as f32 + 0.5;
            let exponent = ((state >> 8) % 24) as i32 - 12;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            sign * mantissa * 2f32.powi(exponent)
        })
        .collect()
}

#[test]
fn float32_sum_meets_the_pairwise_bound() {
    let n = 1_000_000usize;
    let xs = mixed(n);
    let (exact, abs) = neumaier(xs.iter().map(|&x| x as f64));
    let a = Array::from_slice(&xs, &[n]).unwrap();
    let got = a.sum(None, false).unwrap().item::<f32>().unwrap() as f64;
    let eps = 2f64.powi(-24);
    let bound = (37.0 + (n as f64).log2().ceil()) * eps * abs;
    assert!((got - exact).abs() <= bound, "error {} exceeds the bound {bound}", (got - exact).abs());
    // A sequential f32 loop for comparison: its bound is n·ε·Σ|x|.
    let naive = xs.iter().fold(0.0f32, |s, &x| s + x) as f64;
    eprintln!(
        "sum of {n} mixed f32: pairwise error {:.3e}, sequential {:.3e}, bound {bound:.3e}",
        (got - exact).abs(),
        (naive - exact).abs()
    );

    // Down the columns of a tall matrix (rows folded across a kept axis),
    // and the mean along the rows.
    let (rows, cols) = (20_000usize, 50usize);
    let m = Array::from_slice(&xs[..rows * cols], &[rows, cols]).unwrap();
    let col_sums = m.sum(Some(&[0]), false).unwrap().to_vec::<f32>().unwrap();
    for (j, &s) in col_sums.iter().enumerate() {
        let (exact, abs) = neumaier((0..rows).map(|i| xs[i * cols + j] as f64));
        let bound = (256.0 + (rows as f64).log2().ceil()) * eps * abs;
        assert!((s as f64 - exact).abs() <= bound, "column {j}");
    }
    let row_means = m.mean(Some(&[1]), false).unwrap().to_vec::<f32>().unwrap();
    for (i, &mu) in row_means.iter().enumerate().step_by(997) {
        let (exact, abs) = neumaier(xs[i * cols..(i + 1) * cols].iter().map(|&x| x as f64));
        assert!((mu as f64 - exact / cols as f64).abs() <= 64.0 * eps * abs / cols as f64, "row {i}");
    }
}

#[test]
fn variance_is_stable_for_a_large_offset() {
    // The one-pass formula E[x²] - E[x]² loses every digit here.
    let xs: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 10) as f64).collect();
    let a = Array::from_slice(&xs, &[1000]).unwrap();
    assert!((a.var(None, 0.0, false).unwrap().item::<f64>().unwrap() - 8.25).abs() < 1e-9);
    assert!((a.std(None, 1.0, false).unwrap().item::<f64>().unwrap() - (8.25f64 * 1000.0 / 999.0).sqrt()).abs() < 1e-9);
    let c: Vec<oxarray_core::c64> = (0..4).map(|i| oxarray_core::c64::new(i as f32, -(i as f32))).collect();
    let v = Array::from_slice(&c, &[4]).unwrap().var(None, 0.0, false).unwrap();
    assert_eq!(v.dtype(), DType::Float32);
    assert!((v.item::<f32>().unwrap() - 2.5).abs() < 1e-6);
}

/// Two-pass variance in f64 of `xs` (the reference).
fn var_f64(xs: &[f64]) -> f64 {
    let mean = neumaier(xs.iter().copied()).0 / xs.len() as f64;
    neumaier(xs.iter().map(|&x| (x - mean) * (x - mean))).0 / xs.len() as f64
}

/// Inputs above the cache size get both passes of `var` slab by slab:
/// independent slabs along a kept outer axis, slabs combined with Chan's
/// update along a reduced one. Every layout is checked against a two-pass
/// f64 reference.
#[test]
fn large_variances_read_by_slabs_match_the_two_pass_reference() {
    let (rows, cols) = (40_000usize, 64usize); // 10 MB of f32: several slabs
    let xs: Vec<f32> = mixed(rows * cols).iter().map(|&x| 1000.0 + x).collect();
    let a = Array::from_slice(&xs, &[rows, cols]).unwrap();
    let col = |j: usize| (0..rows).map(|i| xs[i * cols + j] as f64).collect::<Vec<_>>();
    let row = |i: usize| xs[i * cols..(i + 1) * cols].iter().map(|&x| x as f64).collect::<Vec<_>>();
    let check = |got: Vec<f32>, expect: Vec<f64>, what: &str| {
        assert_eq!(got.len(), expect.len(), "{what}");
        for (k, (&g, &e)) in got.iter().zip(&expect).enumerate() {
            assert!((g as f64 - e).abs() <= 2e-5 * e.abs() + 1e-9, "{what} [{k}]: {g} vs {e}");
        }
    };
    let by_col: Vec<f64> = (0..cols).map(|j| var_f64(&col(j))).collect();
    let by_row: Vec<f64> = (0..rows).map(|i| var_f64(&row(i))).collect();
    check(a.var(Some(&[0]), 0.0, false).unwrap().to_vec().unwrap(), by_col.clone(), "axis 0");
    check(a.var(Some(&[1]), 0.0, false).unwrap().to_vec().unwrap(), by_row.clone(), "axis 1");
    check(
        a.var(None, 0.0, true).unwrap().to_vec().unwrap(),
        vec![var_f64(&xs.iter().map(|&x| x as f64).collect::<Vec<_>>())],
        "all",
    );
    // Reversed rows (a negative outer stride) and the transpose.
    let rev = a.slice(&s![Index::step(-1), ..]).unwrap();
    check(rev.var(Some(&[0]), 0.0, false).unwrap().to_vec().unwrap(), by_col.clone(), "reversed, axis 0");
    let rev_rows: Vec<f64> = by_row.iter().rev().copied().collect();
    check(rev.var(Some(&[1]), 0.0, false).unwrap().to_vec().unwrap(), rev_rows, "reversed, axis 1");
    let t = a.transpose();
    check(t.var(Some(&[1]), 0.0, false).unwrap().to_vec().unwrap(), by_col.clone(), "transposed, axis 1");
    check(t.var(Some(&[0]), 0.0, false).unwrap().to_vec().unwrap(), by_row.clone(), "transposed, axis 0");
    // Slabs along a kept axis give the bits of a small input.
    let head = a.slice(&s![..100, ..]).unwrap().std(Some(&[1]), 1.0, false).unwrap().to_vec::<f32>().unwrap();
    let all = a.std(Some(&[1]), 1.0, false).unwrap().to_vec::<f32>().unwrap();
    assert_eq!(head, all[..100]);
    // 3-D, reducing the outer and inner axes, with keepdims.
    let cube = a.reshape(&[20, 2000, 64]).unwrap();
    let v = cube.var(Some(&[0, 2]), 0.0, true).unwrap();
    assert_eq!(v.shape(), &[1, 2000, 1]);
    let expect: Vec<f64> =
        (0..2000).map(|m| var_f64(&(0..20).flat_map(|o| row(o * 2000 + m)).collect::<Vec<_>>())).collect();
    check(v.to_vec().unwrap(), expect, "3-D, axes (0, 2)");
    // NaN or inf in one slab poisons its column only, as in NumPy.
    let mut poisoned = xs.clone();
    poisoned[30_000 * cols + 3] = f32::NAN;
    poisoned[5 * cols + 7] = f32::INFINITY;
    let p = Array::from_slice(&poisoned, &[rows, cols]).unwrap().var(Some(&[0]), 0.0, false).unwrap();
    let p = p.to_vec::<f32>().unwrap();
    assert!(p[3].is_nan() && p[7].is_nan());
    check(p[8..].to_vec(), by_col[8..].to_vec(), "untouched columns");
    // float64, sample variance.
    let a64 = a.astype(DType::Float64).unwrap();
    let got = a64.var(Some(&[0]), 1.0, false).unwrap().to_vec::<f64>().unwrap();
    for (j, &g) in got.iter().enumerate() {
        let e = by_col[j] * rows as f64 / (rows - 1) as f64;
        assert!((g - e).abs() <= 1e-12 * e, "float64 column {j}: {g} vs {e}");
    }
}

/// Rows wider than a leaf (here 1 MB) reduced along the outer axis: the
/// slabs are folded in order, two output-sized parts at a time, and match
/// the two-pass reference per column, with a negative outer stride too.
#[test]
fn wide_rows_reduced_along_the_outer_axis_match_the_two_pass_reference() {
    let (rows, cols) = (12usize, 250_000usize); // 12 MB of f32 in rows of 1 MB
    let xs: Vec<f32> = mixed(rows * cols).iter().map(|&x| 1000.0 + x).collect();
    let a = Array::from_slice(&xs, &[rows, cols]).unwrap();
    let expect: Vec<f64> =
        (0..cols).map(|j| var_f64(&(0..rows).map(|i| xs[i * cols + j] as f64).collect::<Vec<_>>())).collect();
    let rev = a.slice(&s![Index::step(-1), ..]).unwrap();
    for (what, arr) in [("C order", &a), ("reversed rows", &rev)] {
        let got = arr.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f32>().unwrap();
        assert_eq!(got.len(), cols);
        for (j, (&g, &e)) in got.iter().zip(&expect).enumerate() {
            // Twelve float32 values near 1000 per column, merged from slabs
            // whose float32 means carry an error of about ε·1000 each: the
            // merge's error is of the order of that times σ.
            let bound = 1e-4 * e + 4.0 * f32::EPSILON as f64 * 1000.0 * e.sqrt();
            assert!((g as f64 - e).abs() <= bound, "{what} [{j}]: {g} vs {e}");
        }
    }
}

/// `1e4 + k·2⁻¹⁰` (float32) or `1e9 + k·2⁻²⁰` (float64) for small
/// integers `k`: exact in the dtype, with a mean far larger than the
/// spread (the case where the one-pass formula loses every digit), and an
/// exact variance per column from integer sums.
fn ill_conditioned(rows: usize, cols: usize) -> (Vec<i64>, Vec<f64>) {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let ks: Vec<i64> = (0..rows * cols)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as i64 % 601 - 300
        })
        .collect();
    let exact = (0..cols)
        .map(|j| {
            let (s1, s2) = (0..rows).fold((0i128, 0i128), |(a, b), i| {
                let k = ks[i * cols + j] as i128;
                (a + k, b + k * k)
            });
            let n = rows as i128;
            // Σ(k - mean)² · n = n·Σk² - (Σk)², in units of the step².
            (n * s2 - s1 * s1) as f64 / (n * n) as f64
        })
        .collect();
    (ks, exact)
}

/// A large input reduced along its outer axis is cut into leaves that each
/// get both passes in cache, merged pairwise: on ill-conditioned columns
/// the result keeps the accuracy of two passes (a one-pass formula would
/// lose every digit), on every float dtype, reversed, and the same bits on
/// one thread as on all.
#[test]
fn large_ill_conditioned_variances_keep_two_pass_accuracy() {
    let (rows, cols) = (300_000usize, 8usize); // 9.6 MB of float32
    let (ks, exact) = ill_conditioned(rows, cols);
    let step32 = 2f64.powi(-10);
    let x32: Vec<f32> = ks.iter().map(|&k| (1e4 + k as f64 * step32) as f32).collect();
    assert!(x32.iter().zip(&ks).all(|(&x, &k)| x as f64 == 1e4 + k as f64 * step32), "exact in f32");
    let a = Array::from_slice(&x32, &[rows, cols]).unwrap();
    let got = a.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f32>().unwrap();
    let mut worst = 0f64;
    for (j, (&g, &e)) in got.iter().zip(&exact).enumerate() {
        let e = e * step32 * step32;
        worst = worst.max(((g as f64 - e) / e).abs());
        assert!(((g as f64 - e) / e).abs() < 1e-4, "float32 column {j}: {g} vs {e}");
    }
    eprintln!("var of {rows}×{cols} float32 1e4 + noise along axis 0: largest relative error {worst:.2e}");
    let rev = a.slice(&s![Index::step(-1), ..]).unwrap().var(Some(&[0]), 0.0, false).unwrap();
    for (j, (&g, &e)) in rev.to_vec::<f32>().unwrap().iter().zip(&exact).enumerate() {
        let e = e * step32 * step32;
        assert!(((g as f64 - e) / e).abs() < 1e-4, "reversed float32 column {j}: {g} vs {e}");
    }
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let single = one.install(|| a.std(Some(&[0]), 1.0, false).unwrap().to_vec::<f32>().unwrap());
    let multi = a.std(Some(&[0]), 1.0, false).unwrap().to_vec::<f32>().unwrap();
    assert_eq!(
        single.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        multi.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );

    // float64: the mean 6e12 times the spread (float32 above: 6e4).
    let step64 = 2f64.powi(-20);
    let x64: Vec<f64> = ks.iter().map(|&k| 1e9 + k as f64 * step64).collect();
    let a = Array::from_slice(&x64, &[rows, cols]).unwrap();
    let got = a.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f64>().unwrap();
    let mut worst = 0f64;
    for (j, (&g, &e)) in got.iter().zip(&exact).enumerate() {
        let e = e * step64 * step64;
        worst = worst.max(((g - e) / e).abs());
        assert!(((g - e) / e).abs() < 1e-4, "float64 column {j}: {g} vs {e}");
    }
    eprintln!("var of {rows}×{cols} float64 1e9 + noise along axis 0: largest relative error {worst:.2e}");

    // Half floats accumulate in float32: 768 + k/2 (|k| < 48) is exact in
    // float16, 768 + 4k in bfloat16 (8 significant bits).
    let (rows, cols) = (600_000usize, 8usize); // 9.6 MB
    let (ks, _) = ill_conditioned(rows, cols);
    for (dtype, step) in [(DType::Float16, 0.5f64), (DType::BFloat16, 4.0)] {
        let xs: Vec<f64> = ks.iter().map(|&k| 768.0 + k.clamp(-47, 47) as f64 * step).collect();
        let a = Array::from_slice(&xs, &[rows, cols]).unwrap().astype(dtype).unwrap();
        assert_eq!(a.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap(), xs, "exact in {dtype:?}");
        let got = a.var(Some(&[0]), 0.0, false).unwrap().astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
        for j in 0..cols {
            let col: Vec<f64> = (0..rows).map(|i| xs[i * cols + j]).collect();
            let e = var_f64(&col);
            assert!(((got[j] - e) / e).abs() < 1e-2, "{dtype:?} column {j}: {} vs {e}", got[j]);
        }
    }
}

/// Contiguous rows reduced along the outer axis of a large input (the
/// leaves of 256 KiB merged pairwise), at widths from narrow to wider than
/// a 16 KiB block of rows (1, 7, 15, 16, 64, 513, 2049 float32): ill-conditioned
/// columns against the exact variance, a negative outer stride, a padded
/// row stride, NaN and ±inf, every float dtype, integers and complex, and
/// the same bits at every SIMD level and on one thread.
#[test]
fn contiguous_rows_reduced_along_the_outer_axis_keep_two_pass_accuracy() {
    use oxarray_kernels::simd::{self, Level};
    let step32 = 2f64.powi(-10);
    for cols in [1usize, 7, 15, 16, 64, 513, 2049] {
        let rows = (9 << 20) / (4 * cols) + 37; // above 8 MiB of float32
        let (ks, exact) = ill_conditioned(rows, cols);
        let x32: Vec<f32> = ks.iter().map(|&k| (1e4 + k as f64 * step32) as f32).collect();
        let a = Array::from_slice(&x32, &[rows, cols]).unwrap();
        let rev = a.slice(&s![Index::step(-1), ..]).unwrap();
        for (what, arr) in [("C order", &a), ("reversed", &rev)] {
            let got = arr.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f32>().unwrap();
            let mut worst = 0f64;
            for (j, (&g, &e)) in got.iter().zip(&exact).enumerate() {
                let e = e * step32 * step32;
                worst = worst.max(((g as f64 - e) / e).abs());
                // The two-pass class: the one-pass formula would be off by
                // a factor of about 10⁴ here. Measured: 1.0e-4 at 15 and 16
                // columns, 4.0e-4 at 64, 5.3e-4 at 513, 1.1e-3 at 2049
                // (fewer rows per column), against 5.9e-5 at 8 columns.
                assert!(((g as f64 - e) / e).abs() < 2e-3, "{cols} columns, {what}, column {j}: {g} vs {e}");
            }
            if what == "C order" {
                eprintln!("var of {rows}×{cols} float32 1e4 + noise: largest relative error {worst:.2e}");
            }
        }
        let bits = |arr: &Array| -> Vec<u32> {
            arr.std(Some(&[0]), 1.0, false).unwrap().to_vec::<f32>().unwrap().iter().map(|x| x.to_bits()).collect()
        };
        let multi = bits(&a);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(one.install(|| bits(&a)), multi, "{cols} columns: one thread");
        for level in [Level::Baseline, Level::Avx2].into_iter().filter(|&l| l < simd::cpu_level()) {
            simd::set_max_level(Some(level));
            let got = bits(&a);
            simd::set_max_level(None);
            assert_eq!(got, multi, "{cols} columns at {level:?}");
        }
    }

    // A padded row stride (every other column of a wider matrix), NaN and
    // ±inf poison their column only.
    let (rows, cols) = (80_000usize, 64usize);
    let mut xs: Vec<f32> = mixed(rows * 2 * cols).iter().map(|&x| 1000.0 + x).collect();
    xs[70_000 * 2 * cols + 3] = f32::NAN;
    xs[5 * 2 * cols + 7] = f32::INFINITY;
    xs[9 * 2 * cols + 8] = f32::NEG_INFINITY;
    let wide = Array::from_slice(&xs, &[rows, 2 * cols]).unwrap();
    let half = wide.slice(&s![.., ..cols as isize]).unwrap();
    let got = half.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f32>().unwrap();
    assert!(got[3].is_nan() && got[7].is_nan() && got[8].is_nan());
    for (j, &g) in got.iter().enumerate().filter(|&(j, _)| ![3, 7, 8].contains(&j)) {
        let e = var_f64(&(0..rows).map(|i| xs[i * 2 * cols + j] as f64).collect::<Vec<_>>());
        assert!((g as f64 - e).abs() <= 2e-5 * e, "padded rows, column {j}: {g} vs {e}");
    }

    // float64, the half floats, integers, complex: against two passes in
    // f64 (complex: the sum of the real and imaginary parts' variances).
    let (rows, cols) = (70_000usize, 24usize); // > 8 MiB as float64
    let base: Vec<f64> = mixed(rows * cols).iter().map(|&x| 100.0 + (x as f64).clamp(-50.0, 50.0)).collect();
    let col_var = |xs: &[f64], j: usize| var_f64(&(0..rows).map(|i| xs[i * cols + j]).collect::<Vec<_>>());
    for dtype in [DType::Float64, DType::Float32, DType::Float16, DType::BFloat16, DType::Int32, DType::UInt16] {
        let big_rows = rows * 8 / dtype.itemsize(); // also above 8 MiB
        let xs: Vec<f64> = (0..big_rows * cols).map(|i| base[i % base.len()]).collect();
        let a = Array::from_slice(&xs, &[big_rows, cols]).unwrap().astype(dtype).unwrap();
        let held = a.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
        let got = a.var(Some(&[0]), 0.0, false).unwrap().astype(DType::Float64).unwrap().to_vec::<f64>().unwrap();
        let tol = match dtype {
            DType::Float64 | DType::Int32 | DType::UInt16 => 1e-12,
            DType::Float32 => 1e-4,
            // Accumulated in float32, rounded once to 11 or 8 bits.
            DType::Float16 => 1e-3,
            _ => 1e-2,
        };
        for (j, &g) in got.iter().enumerate() {
            let e = var_f64(&(0..big_rows).map(|i| held[i * cols + j]).collect::<Vec<_>>());
            assert!(((g - e) / e).abs() < tol, "{dtype:?} column {j}: {g} vs {e}");
        }
    }
    let c: Vec<oxarray_core::c128> =
        base.iter().zip(base.iter().rev()).map(|(&re, &im)| oxarray_core::c128::new(re, -im)).collect();
    let a = Array::from_slice(&c, &[rows, cols]).unwrap();
    let got = a.var(Some(&[0]), 0.0, false).unwrap().to_vec::<f64>().unwrap();
    let (re, im): (Vec<f64>, Vec<f64>) = c.iter().map(|z| (z.re, z.im)).unzip();
    for (j, &g) in got.iter().enumerate() {
        let e = col_var(&re, j) + col_var(&im, j);
        assert!(((g - e) / e).abs() < 1e-12, "complex128 column {j}: {g} vs {e}");
    }
}

/// The rows of a narrow matrix are summed several at a time; each row's
/// sum and mean are the bits of summing that row alone, whatever the row
/// length around the lane widths, with NaN and ±inf, reversed rows, and
/// in float32 and float64.
#[test]
fn row_sums_of_narrow_matrices_are_the_bits_of_each_row_alone() {
    for cols in [1usize, 3, 8, 63, 64, 65, 127, 128, 300] {
        let rows = 4099;
        let mut xs = mixed(rows * cols);
        xs[5 * cols] = f32::NAN;
        xs[9 * cols + cols / 2] = f32::INFINITY;
        xs[10 * cols] = f32::NEG_INFINITY;
        let a32 = Array::from_slice(&xs, &[rows, cols]).unwrap();
        for a in [a32.clone(), a32.astype(DType::Float64).unwrap()] {
            for view in [a.clone(), a.slice(&s![Index::step(-1), ..]).unwrap()] {
                let sums = view.sum(Some(&[1]), false).unwrap();
                let means = view.mean(Some(&[-1]), true).unwrap();
                assert_eq!(means.shape(), &[rows, 1]);
                for i in [0usize, 1, 3, 4, 5, 9, 10, 2047, rows - 2, rows - 1] {
                    let row = view.slice(&s![i as isize, ..]).unwrap();
                    let what = format!("row {i} of {rows}×{cols} {:?}", view.dtype());
                    let bits = |x: &Array| x.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap()[0].to_bits();
                    let s = sums.slice(&s![i as isize..i as isize + 1]).unwrap();
                    let m = means.slice(&s![i as isize..i as isize + 1, ..]).unwrap();
                    assert_eq!(bits(&s), bits(&row.sum(None, true).unwrap()), "sum, {what}");
                    assert_eq!(bits(&m), bits(&row.mean(None, true).unwrap()), "mean, {what}");
                }
            }
        }
    }
}

#[test]
fn broadcast_views_reduce_without_copying() {
    let row = Array::from_vec(vec![1i32, -2, 3, 4], &[1, 4]).unwrap();
    let b = row.broadcast_to(&[3, 4]).unwrap();
    assert_eq!(b.strides(), &[0, 1]);
    assert_eq!(b.sum(Some(&[0]), false).unwrap().to_vec::<i64>().unwrap(), vec![3, -6, 9, 12]);
    assert_eq!(b.sum(None, false).unwrap().item::<i64>().unwrap(), 18);
    assert_eq!(b.prod(Some(&[1]), true).unwrap().to_vec::<i64>().unwrap(), vec![-24; 3]);
    assert_eq!(b.argmax(Some(1), false).unwrap().to_vec::<i64>().unwrap(), vec![3; 3]);
    assert_eq!(b.argmin(None, false).unwrap().item::<i64>().unwrap(), 1);
    assert_eq!(b.max(Some(&[0]), false).unwrap().to_vec::<i32>().unwrap(), vec![1, -2, 3, 4]);
    let col = Array::from_vec(vec![0.5f64, 1.5], &[2, 1]).unwrap().broadcast_to(&[2, 1000]).unwrap();
    assert_eq!(col.mean(Some(&[1]), false).unwrap().to_vec::<f64>().unwrap(), vec![0.5, 1.5]);
    assert_eq!(col.var(Some(&[1]), 0.0, false).unwrap().to_vec::<f64>().unwrap(), vec![0.0, 0.0]);
    let scalar = Array::scalar(2.0f32).broadcast_to(&[10, 10]).unwrap();
    assert_eq!(scalar.cumulative_sum(Some(0), None, false).unwrap().get::<f32>(&[9, 3]).unwrap(), 20.0);
}

/// Threaded sizes: every path, checked against plain loops.
#[test]
fn large_reductions_match_plain_loops() {
    let (rows, cols) = (3000usize, 257usize);
    let data: Vec<i64> = (0..rows * cols).map(|i| ((i * 7919) % 10007) as i64 - 5000).collect();
    let a = Array::from_slice(&data, &[rows, cols]).unwrap();
    let d = &data;
    let col = |j: usize| (0..rows).map(move |i| d[i * cols + j]);
    let row = |i: usize| data[i * cols..(i + 1) * cols].iter().copied();
    assert_eq!(a.sum(None, false).unwrap().item::<i64>().unwrap(), data.iter().sum::<i64>());
    assert_eq!(
        a.sum(Some(&[0]), false).unwrap().to_vec::<i64>().unwrap(),
        (0..cols).map(|j| col(j).sum()).collect::<Vec<i64>>()
    );
    assert_eq!(
        a.sum(Some(&[1]), false).unwrap().to_vec::<i64>().unwrap(),
        (0..rows).map(|i| row(i).sum()).collect::<Vec<i64>>()
    );
    let t = a.transpose();
    assert_eq!(
        t.sum(Some(&[1]), false).unwrap().to_vec::<i64>().unwrap(),
        (0..cols).map(|j| col(j).sum()).collect::<Vec<i64>>()
    );
    assert_eq!(
        t.max(Some(&[0]), false).unwrap().to_vec::<i64>().unwrap(),
        (0..rows).map(|i| row(i).max().unwrap()).collect::<Vec<i64>>()
    );
    let first_max = |it: &mut dyn Iterator<Item = i64>| {
        it.enumerate().fold((0usize, i64::MIN), |(bi, bv), (i, v)| if v > bv { (i, v) } else { (bi, bv) }).0 as i64
    };
    assert_eq!(
        a.argmax(Some(0), false).unwrap().to_vec::<i64>().unwrap(),
        (0..cols).map(|j| first_max(&mut col(j))).collect::<Vec<_>>()
    );
    assert_eq!(
        a.argmax(Some(1), false).unwrap().to_vec::<i64>().unwrap(),
        (0..rows).map(|i| first_max(&mut row(i))).collect::<Vec<_>>()
    );
    assert_eq!(a.argmax(None, false).unwrap().item::<i64>().unwrap(), first_max(&mut data.iter().copied()));
    let cs = a.cumulative_sum(Some(0), None, false).unwrap();
    assert_eq!(cs.get::<i64>(&[-1, 5]).unwrap(), col(5).sum::<i64>());
    let f = a.astype(DType::Float64).unwrap();
    let means = f.mean(Some(&[0]), false).unwrap().to_vec::<f64>().unwrap();
    for (j, &m) in means.iter().enumerate() {
        assert!((m - col(j).sum::<i64>() as f64 / rows as f64).abs() < 1e-9);
    }
    assert!(a.any(None, false).unwrap().item::<bool>().unwrap());
    assert!(!a.all(None, false).unwrap().item::<bool>().unwrap());
}

#[test]
fn order_statistics_of_nothing_are_errors_naming_the_op() {
    let e = Array::zeros(&[3, 0], DType::Float32).unwrap();
    for (op, r) in [("max", e.max(Some(&[1]), false)), ("nanmin", e.nanmin(None, false))] {
        let err = r.unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::InvalidArgument { .. }), "{err}");
        assert!(err.to_string().contains(op), "{err}");
    }
    assert!(e.max(Some(&[1]), false).unwrap_err().to_string().contains("[1]"));
    assert!(e.argmax(Some(1), false).unwrap_err().to_string().contains("argmax"));
    // Reducing the non-empty axis of an empty array is fine: nothing to do.
    assert_eq!(e.max(Some(&[0]), false).unwrap().shape(), &[0]);
    assert_eq!(e.sum(Some(&[1]), false).unwrap().to_vec::<f32>().unwrap(), vec![0.0; 3]);
    assert!(e.mean(None, false).unwrap().item::<f32>().unwrap().is_nan());
}

#[test]
fn bad_axes_are_errors() {
    let a = Array::zeros(&[2, 3], DType::Int32).unwrap();
    assert!(matches!(a.sum(Some(&[2]), false).unwrap_err().kind(), ErrorKind::AxisOutOfBounds { axis: 2, ndim: 2 }));
    assert!(a.sum(Some(&[1, -1]), false).unwrap_err().to_string().contains("repeated axis"));
    assert!(a.argmax(Some(-3), false).is_err());
    assert!(a.cumulative_sum(None, None, false).unwrap_err().to_string().contains("axis"));
    assert!(a.var(None, -1.0, false).is_err());
}

/// Where oxarray differs from NumPy on purpose.
#[test]
fn deliberate_differences_from_numpy() {
    // Complex numbers have no order: min/max/argmax are errors (NumPy
    // orders them lexicographically); the Array API standard leaves them
    // out too.
    let z = Array::from_vec(vec![oxarray_core::c128::new(1.0, 2.0)], &[1]).unwrap();
    for r in [z.max(None, false), z.min(None, false), z.argmax(None, false), z.nanmax(None, false)] {
        assert!(matches!(r.unwrap_err().kind(), ErrorKind::UnsupportedDType { .. }));
    }
    // A result dtype that cannot hold a value is an error, not garbage
    // (NumPy's sum([1.5, nan], dtype=int64) is -9223372036854775807).
    let f = Array::from_vec(vec![1.5f64, f64::NAN], &[2]).unwrap();
    assert!(matches!(f.sum_as(None, false, DType::Int64).unwrap_err().kind(), ErrorKind::LossyCast { .. }));
    // Negative integers do not convert to an unsigned result dtype (NumPy
    // wraps -1 to 2**64 - 1).
    let i = Array::from_vec(vec![3i64, -1], &[2]).unwrap();
    assert!(matches!(i.sum_as(None, false, DType::UInt64).unwrap_err().kind(), ErrorKind::LossyCast { .. }));
    assert!(i.cumulative_sum(None, Some(DType::UInt64), false).is_err());
    // bool is not an accumulator dtype.
    assert!(f.sum_as(None, false, DType::Bool).is_err());
    // float16 sums accumulate in float32 and round once, everywhere (NumPy
    // rounds to float16 between rows when reducing a non-contiguous axis):
    // 2048 + 1 + 1 is 2050 here and 2048 in NumPy along axis 0.
    let h: Vec<oxarray_core::f16> = [2048.0f32, 1.0, 1.0].iter().map(|&x| oxarray_core::f16::from_f32(x)).collect();
    let h = Array::from_vec(h, &[3, 1]).unwrap();
    assert_eq!(h.sum(Some(&[0]), false).unwrap().to_vec::<oxarray_core::f16>().unwrap()[0].to_f32(), 2050.0);
}

/// Whether two arrays have the same dtype, shape and element bits.
fn same_bits(a: &Array, b: &Array) -> bool {
    a.dtype() == b.dtype() && a.shape() == b.shape() && a.to_bytes() == b.to_bytes()
}

/// `var_mean`/`std_mean` give `var`/`std` bit for bit and `mean` (dtype,
/// shape and bits, for inputs that fit in cache): every dtype, every
/// layout of `layouts`, axes `None`, one, negative and several, keepdims,
/// two corrections, empty and 0-d inputs, NaN and ±inf; and the errors of
/// `var` under their own names.
#[test]
fn var_mean_and_std_mean_are_var_std_and_mean() {
    // A shape and the axes to reduce it over.
    type Case<'a> = (&'a [usize], &'a [Option<&'a [isize]>]);
    let cases: [Case; 5] = [
        (&[2, 3, 5], &[None, Some(&[0]), Some(&[-1]), Some(&[0, 2]), Some(&[1])]),
        (&[7], &[None, Some(&[0])]),
        (&[0, 3], &[None, Some(&[0]), Some(&[1])]),
        (&[3, 0], &[None, Some(&[0]), Some(&[-1])]),
        (&[], &[None]),
    ];
    let mut checked = 0;
    for dtype in DType::ALL {
        for &(shape, axes_list) in &cases {
            let n: usize = shape.iter().product();
            let values: Vec<f64> = (0..n).map(|i| ((i * 7) % 10) as f64).collect();
            let a = Array::from_slice(&values, shape).unwrap().astype(dtype).unwrap();
            for (layout, view) in layouts(&a) {
                for &axes in axes_list {
                    for keepdims in [false, true] {
                        for correction in [0.0, 1.0] {
                            let what = format!(
                                "{dtype:?} {shape:?} {layout} axes {axes:?} keepdims {keepdims} ddof {correction}"
                            );
                            let (var, mean) = view.var_mean(axes, correction, keepdims).unwrap();
                            let (std, mean2) = view.std_mean(axes, correction, keepdims).unwrap();
                            assert!(same_bits(&var, &view.var(axes, correction, keepdims).unwrap()), "var, {what}");
                            assert!(same_bits(&std, &view.std(axes, correction, keepdims).unwrap()), "std, {what}");
                            let expect = view.mean(axes, keepdims).unwrap();
                            assert!(same_bits(&mean, &expect), "mean, {what}");
                            assert!(same_bits(&mean2, &expect), "std_mean's mean, {what}");
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 1000);
    // Empty reductions: NaN for both, as `var` and `mean`.
    let e = Array::zeros(&[0, 3], DType::Float32).unwrap();
    let (v, m) = e.var_mean(Some(&[0]), 0.0, false).unwrap();
    assert!(v.to_vec::<f32>().unwrap().iter().chain(&m.to_vec::<f32>().unwrap()).all(|x| x.is_nan()));
    // NaN and ±inf poison their own column only, in both results.
    let mut xs = mixed(6 * 4);
    xs[5] = f32::NAN;
    xs[4 * 4 + 2] = f32::INFINITY;
    xs[3] = f32::NEG_INFINITY;
    xs[7] = f32::INFINITY;
    let a = Array::from_slice(&xs, &[6, 4]).unwrap();
    for (layout, view) in layouts(&a) {
        let (s, m) = view.std_mean(Some(&[0]), 1.0, false).unwrap();
        assert!(same_bits(&s, &view.std(Some(&[0]), 1.0, false).unwrap()), "{layout}");
        assert!(same_bits(&m, &view.mean(Some(&[0]), false).unwrap()), "{layout}");
        let (s, m) = (s.to_vec::<f32>().unwrap(), m.to_vec::<f32>().unwrap());
        assert!(s[1].is_nan() && m[1].is_nan() && s[2].is_nan() && m[2] == f32::INFINITY && s[3].is_nan());
        assert!(m[3].is_nan() && s[0].is_finite() && m[0].is_finite(), "{layout}: inf - inf is NaN");
    }
    // The errors of `var`, named after the function called.
    let a = Array::from_slice(&[1.0f64, 2.0], &[2]).unwrap();
    let err = a.var_mean(None, -1.0, false).unwrap_err();
    assert!(err.to_string().contains("var_mean"), "{err}");
    let err = a.std_mean(None, f64::NAN, false).unwrap_err();
    assert!(err.to_string().contains("std_mean"), "{err}");
    assert!(matches!(a.var_mean(Some(&[1]), 0.0, false).unwrap_err().kind(), ErrorKind::AxisOutOfBounds { .. }));
    assert!(a.std_mean(Some(&[0, -1]), 0.0, false).is_err(), "repeated axis");
}

/// Inputs above the cache size: `var_mean`'s variance is `var`'s bit for
/// bit; its mean is `mean`'s bit for bit for a matrix reduced along its
/// rows (C order or reversed; float32, float64, float16) and along a kept
/// outer axis, and within `mean`'s error bound elsewhere (all axes, 3-D,
/// the transpose, rows wider than a leaf); the same bits on one thread.
#[test]
fn large_var_mean_matches_var_and_mean() {
    let (rows, cols) = (40_000usize, 64usize); // 10 MB of float32: leaves merged pairwise
    let xs: Vec<f32> = mixed(rows * cols).iter().map(|&x| 1000.0 + x).collect();
    let a32 = Array::from_slice(&xs, &[rows, cols]).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    for a in [a32.clone(), a32.astype(DType::Float64).unwrap(), a32.astype(DType::Float16).unwrap()] {
        let rev = a.slice(&s![Index::step(-1), ..]).unwrap();
        for (what, view) in [("C order", &a), ("reversed rows", &rev)] {
            for axes in [&[0isize][..], &[1], &[-2]] {
                let what = format!("{what} {:?} axes {axes:?}", a.dtype());
                let (s, m) = view.std_mean(Some(axes), 1.0, false).unwrap();
                assert!(same_bits(&s, &view.std(Some(axes), 1.0, false).unwrap()), "std, {what}");
                assert!(same_bits(&m, &view.mean(Some(axes), false).unwrap()), "mean, {what}");
                let (s1, m1) = one.install(|| view.std_mean(Some(axes), 1.0, false).unwrap());
                assert!(same_bits(&s, &s1) && same_bits(&m, &m1), "one thread, {what}");
            }
        }
        // A reduced outer axis is read in memory order: reversing it does
        // not change a bit.
        let (s, m) = a.std_mean(Some(&[0]), 0.0, false).unwrap();
        let (rs, rm) = rev.std_mean(Some(&[0]), 0.0, false).unwrap();
        assert!(same_bits(&s, &rs) && same_bits(&m, &rm), "reversed rows, {:?}", a.dtype());
    }
    // Elsewhere: the variance is var's, the mean within the pairwise bound
    // of an exact reference: |error| ≤ (256 + log2 n)·ε·Σ|x| / n.
    let within = |got: &Array, elems: &dyn Fn(usize) -> Vec<f64>, what: &str| {
        for (k, &g) in got.to_vec::<f32>().unwrap().iter().enumerate() {
            let xs = elems(k);
            let (exact, abs) = neumaier(xs.iter().copied());
            let n = xs.len() as f64;
            let bound = (256.0 + n.log2()) * f32::EPSILON as f64 / 2.0 * abs / n;
            assert!((g as f64 - exact / n).abs() <= bound, "{what} [{k}]: {g} vs {}", exact / n);
        }
    };
    let (v, m) = a32.var_mean(None, 0.0, false).unwrap();
    assert!(same_bits(&v, &a32.var(None, 0.0, false).unwrap()));
    within(&m, &|_| xs.iter().map(|&x| x as f64).collect(), "all axes");
    let cube = a32.reshape(&[20, 2000, 64]).unwrap();
    let (v, m) = cube.var_mean(Some(&[0, 2]), 0.0, true).unwrap();
    assert!(same_bits(&v, &cube.var(Some(&[0, 2]), 0.0, true).unwrap()));
    assert_eq!(m.shape(), &[1, 2000, 1]);
    within(
        &m,
        &|mid| {
            (0..20)
                .flat_map(|o| xs[(o * 2000 + mid) * 64..(o * 2000 + mid + 1) * 64].iter().map(|&x| x as f64))
                .collect()
        },
        "3-D, axes (0, 2)",
    );
    let t = a32.transpose();
    let (v, m) = t.var_mean(Some(&[1]), 0.0, false).unwrap();
    assert!(same_bits(&v, &t.var(Some(&[1]), 0.0, false).unwrap()));
    within(&m, &|j| (0..rows).map(|i| xs[i * cols + j] as f64).collect(), "transposed");
    // Rows wider than a leaf (1 MB), folded slab by slab.
    let (wr, wc) = (12usize, 250_000usize);
    let ws: Vec<f32> = mixed(wr * wc).iter().map(|&x| 1000.0 + x).collect();
    let w = Array::from_slice(&ws, &[wr, wc]).unwrap();
    let (v, m) = w.var_mean(Some(&[0]), 0.0, false).unwrap();
    assert!(same_bits(&v, &w.var(Some(&[0]), 0.0, false).unwrap()));
    within(&m, &|j| (0..wr).map(|i| ws[i * wc + j] as f64).collect(), "wide rows");
}
