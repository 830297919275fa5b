//! Linear algebra checked against NumPy (`fixtures/linalg.json`, written by
//! `fixtures/gen_linalg.py`), invariants of the decompositions whose factors
//! are defined only up to signs, and the fast matmul against a slow,
//! obviously correct one on random shapes and strides.

use std::sync::OnceLock;

use oxarray_core::linalg::{self, MatrixNorm, QrMode, TensordotAxes};
use oxarray_core::{Array, BinaryOp, DType, Element, ErrorKind, Index, UnaryOp, Wide, c64, c128, dispatch, s};
use proptest::prelude::*;
use serde_json::Value;

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| serde_json::from_str(include_str!("fixtures/linalg.json")).expect("linalg.json parses"))
}

fn float(v: &Value) -> f64 {
    match v {
        Value::String(s) => s.parse().expect("nan, inf or -inf"),
        _ => v.as_f64().expect("a number"),
    }
}

/// A fixture array (see the generator's docstring for the encoding).
fn decode(v: &Value) -> Array {
    let d: DType = v["dtype"].as_str().unwrap().parse().unwrap();
    let shape: Vec<usize> = v["shape"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect();
    let wides: Vec<Wide> = v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            if d.is_bool() {
                Wide::Bool(x.as_bool().unwrap())
            } else if d.is_integer() {
                Wide::Int(x.as_i64().map(i128::from).or_else(|| x.as_u64().map(i128::from)).unwrap())
            } else if d.is_complex() {
                Wide::Complex(float(&x[0]), float(&x[1]))
            } else {
                Wide::Float(float(x))
            }
        })
        .collect();
    dispatch!(d, T => {
        let data: Vec<T> = wides.iter().map(|&w| T::from_wide_checked(w).expect("fixture value fits")).collect();
        Array::from_vec(data, &shape).unwrap()
    })
}

fn wides(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(Element::to_wide).collect())
}

fn parts(w: Wide) -> (f64, f64) {
    match w {
        Wide::Bool(b) => (b as u8 as f64, 0.0),
        Wide::Int(i) => (i as f64, 0.0),
        Wide::Float(f) => (f, 0.0),
        Wide::Complex(r, i) => (r, i),
    }
}

/// Relative tolerance for results computed in `d`.
fn tol(d: DType) -> f64 {
    match d.real() {
        DType::Float16 | DType::BFloat16 => 1e-2,
        DType::Float32 => 2e-4,
        _ => 1e-9,
    }
}

/// Asserts `got` ≈ `want`: same shape, values within `rtol` of the largest
/// magnitude in `want` (exact for integers and bools; NaN matches NaN,
/// infinities must be equal).
fn assert_close(got: &Array, want: &Array, rtol: f64, what: &str) {
    assert_eq!(got.shape(), want.shape(), "{what}: shape");
    let (g, w) = (wides(got), wides(want));
    if want.dtype().is_integer() || want.dtype().is_bool() {
        assert_eq!(g, w, "{what}: values");
        return;
    }
    let scale = w.iter().map(|&x| parts(x)).map(|(r, i)| r.hypot(i)).filter(|x| x.is_finite()).fold(1.0, f64::max);
    for (k, (&a, &b)) in g.iter().zip(&w).enumerate() {
        let ((ar, ai), (br, bi)) = (parts(a), parts(b));
        for (x, y) in [(ar, br), (ai, bi)] {
            let ok = (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= rtol * scale;
            assert!(ok, "{what}: element {k}: got {a:?}, NumPy {b:?} (scale {scale})");
        }
    }
}

/// `x·y` as oxarray computes it (itself checked against NumPy below).
fn mm(x: &Array, y: &Array) -> Array {
    x.matmul(y).unwrap()
}

/// Conjugate transpose of the last two axes.
fn adj(x: &Array) -> Array {
    x.matrix_transpose().unwrap().unary(UnaryOp::Conj).unwrap()
}

/// Identity matrices of `n × n` broadcast to `batch`, in dtype `d`.
fn eye_like(batch: &[usize], n: usize, d: DType) -> Array {
    let mut shape = batch.to_vec();
    shape.extend([n, n]);
    Array::eye(n, None, 0, d).unwrap().broadcast_to(&shape).unwrap()
}

fn batch_of(x: &Array) -> Vec<usize> {
    x.shape()[..x.ndim() - 2].to_vec()
}

/// Columns `..k` (or rows with `rows`) of each matrix.
fn leading(x: &Array, k: usize, rows: bool) -> Array {
    let k = k as isize;
    if rows { x.slice(&s![Index::Ellipsis, ..k, ..]).unwrap() } else { x.slice(&s![Index::Ellipsis, ..k]).unwrap() }
}

/// The values of a 1-d-per-batch array sorted (by real, then imaginary
/// part) within each lane, for comparing eigenvalues whose order is free.
fn sorted_lanes(x: &Array) -> Vec<(f64, f64)> {
    let n = *x.shape().last().unwrap();
    let mut v: Vec<(f64, f64)> = wides(x).into_iter().map(parts).collect();
    for lane in v.chunks_mut(n.max(1)) {
        lane.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    v
}

fn assert_pairs_close(got: &[(f64, f64)], want: &[(f64, f64)], rtol: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want.iter().map(|(r, i)| r.hypot(*i)).fold(1.0, f64::max);
    for (a, b) in got.iter().zip(want) {
        assert!((a.0 - b.0).hypot(a.1 - b.1) <= rtol * scale, "{what}: got {got:?}, NumPy {want:?}");
    }
}

fn matrix_norm_ord(name: &str) -> MatrixNorm {
    match name {
        "fro" => MatrixNorm::Fro,
        "nuc" => MatrixNorm::Nuc,
        "1" => MatrixNorm::One,
        "-1" => MatrixNorm::NegOne,
        "2" => MatrixNorm::Two,
        "-2" => MatrixNorm::NegTwo,
        "inf" => MatrixNorm::Inf,
        "-inf" => MatrixNorm::NegInf,
        other => panic!("unknown matrix norm {other}"),
    }
}

fn isizes(v: &Value) -> Vec<isize> {
    v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap() as isize).collect()
}

fn rtol_arg(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Runs one fixture case; returns `Err` with oxarray's error if it fails.
fn run(case: &Value) -> Result<(), oxarray_core::Error> {
    let op = case["op"].as_str().unwrap();
    let args = &case["args"];
    let inputs: Vec<Array> = case["inputs"].as_array().unwrap().iter().map(decode).collect();
    let what = format!("{op} {args} on {:?}", inputs.iter().map(|a| a.shape().to_vec()).collect::<Vec<_>>());
    let out = || decode(&case["out"]);
    let outs = |k: &str| decode(&case["outs"][k]);
    let a = &inputs[0];
    let t = tol(a.dtype());
    match op {
        "matmul" | "tensordot" | "vecdot" | "outer" | "cross" | "inv" | "solve" | "pinv" | "matrix_power"
        | "cholesky" | "det" => {
            let got = match op {
                "matmul" => a.matmul(&inputs[1])?,
                "tensordot" => {
                    let axes = match &args["axes"] {
                        Value::Array(p) => TensordotAxes::Pairs(isizes(&p[0]), isizes(&p[1])),
                        n => TensordotAxes::Last(n.as_u64().unwrap() as usize),
                    };
                    linalg::tensordot(a, &inputs[1], axes)?
                }
                "vecdot" => linalg::vecdot(a, &inputs[1], args["axis"].as_i64().unwrap() as isize)?,
                "outer" => linalg::outer(a, &inputs[1])?,
                "cross" => linalg::cross(a, &inputs[1], args["axis"].as_i64().unwrap() as isize)?,
                "inv" => linalg::inv(a)?,
                "solve" => linalg::solve(a, &inputs[1])?,
                "pinv" => linalg::pinv(a, rtol_arg(&args["rtol"]))?,
                "matrix_power" => linalg::matrix_power(a, args["n"].as_i64().unwrap())?,
                "cholesky" => linalg::cholesky(a, args["upper"].as_bool().unwrap())?,
                _ => linalg::det(a)?,
            };
            let want = out();
            assert_eq!(got.dtype(), want.dtype(), "{what}: dtype");
            // Errors grow with the condition number for inverses and powers.
            let t = match op {
                "inv" | "solve" | "pinv" | "matrix_power" => t * 100.0,
                _ => t,
            };
            assert_close(&got, &want, tol(want.dtype()).max(t), &what);
        }
        "slogdet" => {
            let r = linalg::slogdet(a)?;
            assert_close(&r.sign, &outs("sign"), t * 10.0, &what);
            assert_close(&r.logabsdet, &outs("logabsdet"), t * 10.0, &what);
        }
        "svdvals" | "eigvalsh" | "matrix_rank" | "trace" | "diagonal" | "matrix_norm" | "vector_norm" => {
            let got = match op {
                "svdvals" => linalg::svdvals(a)?,
                "eigvalsh" => linalg::eigvalsh(a)?,
                "matrix_rank" => linalg::matrix_rank(a, rtol_arg(&args["rtol"]))?,
                "trace" => linalg::trace(a, args["offset"].as_i64().unwrap() as isize)?,
                "diagonal" => {
                    let d = linalg::diagonal(a, args["offset"].as_i64().unwrap() as isize)?;
                    assert!(d.shares_buffer(a), "{what}: diagonal must be a view");
                    d
                }
                "matrix_norm" => linalg::matrix_norm(
                    a,
                    matrix_norm_ord(args["ord"].as_str().unwrap()),
                    args["keepdims"].as_bool().unwrap(),
                )?,
                _ => {
                    let axis = args["axis"].as_array().map(|_| isizes(&args["axis"]));
                    linalg::vector_norm(a, float(&args["ord"]), axis.as_deref(), args["keepdims"].as_bool().unwrap())?
                }
            };
            let want = out();
            assert_eq!(got.dtype(), want.dtype(), "{what}: dtype");
            assert_close(&got, &want, tol(want.dtype()) * 10.0, &what);
        }
        "qr" => {
            let mode = if args["mode"] == "complete" { QrMode::Complete } else { QrMode::Reduced };
            let r = linalg::qr(a, mode)?;
            let (wq, wr) = (outs("Q"), outs("R"));
            assert_eq!((r.q.shape(), r.r.shape()), (wq.shape(), wr.shape()), "{what}: shapes");
            assert_eq!((r.q.dtype(), r.r.dtype()), (wq.dtype(), wr.dtype()), "{what}: dtypes");
            let (m, n) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
            assert_close(&mm(&r.q, &r.r), a, t, &format!("{what}: Q·R"));
            let qc = r.q.shape()[r.q.ndim() - 1];
            assert_close(&mm(&adj(&r.q), &r.q), &eye_like(&batch_of(a), qc, r.q.dtype()), t, &format!("{what}: QᴴQ"));
            // R is upper triangular and |diag R| is unique for full-rank input.
            for (k, w) in wides(&r.r).into_iter().enumerate() {
                let (i, j) = ((k / n) % r.r.shape()[r.r.ndim() - 2], k % n);
                if i > j {
                    assert_eq!(parts(w), (0.0, 0.0), "{what}: R[{i}, {j}]");
                }
            }
            if m.min(n) > 0 {
                let diag = |x: &Array| linalg::diagonal(x, 0).unwrap().unary(UnaryOp::Abs).unwrap();
                assert_close(&diag(&r.r), &diag(&wr), t * 10.0, &format!("{what}: |diag R|"));
            }
        }
        "svd" => {
            let full = args["full_matrices"].as_bool().unwrap();
            let r = linalg::svd(a, full)?;
            let (wu, ws, wvh) = (outs("U"), outs("S"), outs("Vh"));
            assert_eq!((r.u.shape(), r.s.shape(), r.vh.shape()), (wu.shape(), ws.shape(), wvh.shape()), "{what}");
            assert_eq!((r.u.dtype(), r.s.dtype(), r.vh.dtype()), (wu.dtype(), ws.dtype(), wvh.dtype()), "{what}");
            assert_close(&r.s, &ws, t * 10.0, &format!("{what}: S"));
            let k = *r.s.shape().last().unwrap();
            let us = leading(&r.u, k, false).binary(&r.s.expand_dims(-2)?, BinaryOp::Multiply)?;
            assert_close(&mm(&us, &leading(&r.vh, k, true)), a, t * 10.0, &format!("{what}: U·S·Vh"));
            let (uc, vr) = (r.u.shape()[r.u.ndim() - 1], r.vh.shape()[r.vh.ndim() - 2]);
            let batch = batch_of(a);
            assert_close(&mm(&adj(&r.u), &r.u), &eye_like(&batch, uc, r.u.dtype()), t, &format!("{what}: UᴴU"));
            assert_close(&mm(&r.vh, &adj(&r.vh)), &eye_like(&batch, vr, r.vh.dtype()), t, &format!("{what}: VhVhᴴ"));
        }
        "eigh" => {
            let r = linalg::eigh(a)?;
            let (ww, wv) = (outs("eigenvalues"), outs("eigenvectors"));
            assert_eq!((r.eigenvalues.dtype(), r.eigenvectors.dtype()), (ww.dtype(), wv.dtype()), "{what}");
            assert_close(&r.eigenvalues, &ww, t * 10.0, &format!("{what}: eigenvalues"));
            let v = &r.eigenvectors;
            let lv = v.binary(&r.eigenvalues.expand_dims(-2)?, BinaryOp::Multiply)?;
            assert_close(&mm(a, v), &lv, t * 10.0, &format!("{what}: A·v = λ·v"));
            let n = a.shape()[a.ndim() - 1];
            assert_close(&mm(&adj(v), v), &eye_like(&batch_of(a), n, v.dtype()), t, &format!("{what}: VᴴV"));
        }
        "eig" | "eigvals" => {
            let w = if op == "eig" { linalg::eig(a)?.eigenvalues } else { linalg::eigvals(a)? };
            let want = if op == "eig" { outs("eigenvalues") } else { out() };
            let cx = if a.dtype() == DType::Float32 || a.dtype() == DType::Complex64 {
                DType::Complex64
            } else {
                DType::Complex128
            };
            assert_eq!(w.dtype(), cx, "{what}: eigenvalues are complex");
            assert_pairs_close(&sorted_lanes(&w), &sorted_lanes(&want), t * 10.0, &what);
            if op == "eig" {
                let r = linalg::eig(a)?;
                let v = &r.eigenvectors;
                let ac = a.astype(cx)?;
                let lv = v.binary(&r.eigenvalues.expand_dims(-2)?, BinaryOp::Multiply)?;
                assert_close(&mm(&ac, v), &lv, t * 10.0, &format!("{what}: A·v = λ·v"));
                let norms = linalg::vector_norm(v, 2.0, Some(&[-2]), false)?;
                assert_close(&norms, &Array::ones(norms.shape(), cx.real())?, t, &format!("{what}: |v| = 1"));
            }
        }
        other => panic!("no runner for {other}"),
    }
    Ok(())
}

#[test]
fn fixture_is_from_pinned_numpy() {
    assert!(fixture()["numpy"].as_str().unwrap().starts_with("2.4."));
}

#[test]
fn numpy_fixtures() {
    let mut count = 0;
    for case in fixture()["cases"].as_array().unwrap() {
        let result = run(case);
        match (&case["error"], result) {
            (Value::Null, Ok(())) => {}
            (Value::Null, Err(e)) => panic!("{} {}: oxarray failed where NumPy did not: {e}", case["op"], case["args"]),
            (Value::String(numpy), Ok(())) => {
                panic!("{} {}: NumPy raised {numpy} but oxarray did not", case["op"], case["args"])
            }
            (Value::String(numpy), Err(e)) => {
                // NumPy's LinAlgError for a numerical failure is ErrorKind::LinAlg with
                // the same message; shape errors are argument errors in both.
                for msg in ["Singular matrix", "not positive definite", "did not converge", "infs or NaNs"] {
                    if numpy.contains(msg) {
                        assert!(matches!(e.kind(), ErrorKind::LinAlg { .. }), "{numpy} vs {e}");
                        assert!(e.to_string().contains(msg), "{numpy} vs {e}");
                    }
                }
            }
            (other, _) => panic!("bad fixture error field {other}"),
        }
        count += 1;
    }
    assert!(count > 250, "{count} cases");
}

#[test]
fn linalg_errors_name_the_batch_index() {
    let a = Array::from_slice(&[1.0f64, 0.0, 0.0, 1.0, 1.0, 2.0, 2.0, 4.0, 2.0, 0.0, 0.0, 2.0], &[3, 2, 2]).unwrap();
    let e = linalg::inv(&a).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::LinAlg { index, .. } if index == &vec![1]), "{e:?}");
    assert_eq!(e.to_string(), "inv: Singular matrix (the matrix at batch index (1,))");
    let e = linalg::solve(&a, &Array::ones(&[2], DType::Float64).unwrap()).unwrap_err();
    assert!(e.to_string().contains("batch index (1,)"), "{e}");
    let e = linalg::cholesky(&a.binary(&Array::scalar(-1.0f64), BinaryOp::Multiply).unwrap(), false).unwrap_err();
    assert!(e.to_string().contains("not positive definite") && e.to_string().contains("(0,)"), "{e}");
    assert!(linalg::det(&Array::zeros(&[2, 3], DType::Float64).unwrap()).is_err());
    assert!(linalg::det(&Array::zeros(&[3], DType::Float64).unwrap()).is_err());
    assert!(linalg::inv(&Array::zeros(&[2, 2], DType::Float16).unwrap()).is_err());
    let one = Array::scalar(1.0f64);
    assert!(one.matmul(&one).is_err());
}

#[test]
fn matmul_threads_large_and_batched_products() {
    // One product above the threading threshold and a batch of small ones
    // spread over threads agree with the slow reference.
    let mut g = oxarray_core::Generator::new(3);
    let a = g.uniform(-1.0, 1.0, &[70, 90], DType::Float64).unwrap();
    let b = g.uniform(-1.0, 1.0, &[90, 80], DType::Float64).unwrap();
    assert_close(&a.matmul(&b).unwrap(), &reference_matmul(&a, &b), 1e-12, "70x90x80");
    let a = g.uniform(-1.0, 1.0, &[400, 5, 6], DType::Float32).unwrap();
    let b = g.uniform(-1.0, 1.0, &[6, 7], DType::Float32).unwrap();
    assert_close(&a.matmul(&b).unwrap(), &reference_matmul(&a, &b), 1e-5, "400 x 5x6x7");
    let a = g.integers(-1000, 1000, &[300, 200], DType::Int32).unwrap();
    let b = g.integers(-1000, 1000, &[200, 100], DType::Int32).unwrap();
    assert_close(&a.matmul(&b).unwrap(), &reference_matmul(&a, &b), 0.0, "int32 300x200x100");
}

#[test]
fn matmul_splits_one_product_into_bands_of_rows_or_columns() {
    // Products above the threading threshold are cut into bands of output
    // rows (tall results) or columns (wide ones), one per thread, of uneven
    // sizes (97 rows in three bands: 32, 32, 33); from outside the pool and
    // inside pools of one to three threads, with strided and reversed
    // operands on both paths, batches and complex numbers, they agree with
    // the slow reference.
    let mut g = oxarray_core::Generator::new(4);
    let mut cases = Vec::new();
    for (m, k, n) in [(150, 70, 40), (40, 70, 150), (97, 200, 97), (64, 4000, 3)] {
        let a = g.uniform(-1.0, 1.0, &[m, k], DType::Float64).unwrap();
        let b = g.uniform(-1.0, 1.0, &[k, n], DType::Float64).unwrap();
        cases.push((format!("{m}x{k}x{n}"), a, b));
    }
    let a = g.uniform(-1.0, 1.0, &[3, 100, 60], DType::Float32).unwrap();
    let b = g.uniform(-1.0, 1.0, &[90, 60], DType::Float32).unwrap();
    cases.push((
        "rows: batch of 3, b transposed and reversed".into(),
        a,
        b.matrix_transpose().unwrap().flip(Some(&[0])).unwrap(),
    ));
    let a = g.uniform(-1.0, 1.0, &[70, 40], DType::Float64).unwrap();
    let b = g.uniform(-1.0, 1.0, &[70, 130], DType::Float64).unwrap();
    cases.push((
        "columns: a transposed, b reversed".into(),
        a.matrix_transpose().unwrap(),
        b.flip(Some(&[1])).unwrap(),
    ));
    let re = g.uniform(-1.0, 1.0, &[120, 50], DType::Float32).unwrap();
    let im = g.uniform(-1.0, 1.0, &[120, 50], DType::Float32).unwrap();
    let z =
        re.astype(DType::Complex64).unwrap().add(&im.multiply(&Array::scalar(c64::new(0.0, 1.0))).unwrap()).unwrap();
    cases.push(("complex64, z @ z.T".into(), z.clone(), z.matrix_transpose().unwrap()));
    let pools: Vec<_> = (1..=3).map(|t| rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap()).collect();
    for (name, a, b) in &cases {
        let tol = if a.dtype() == DType::Float64 { 1e-12 } else { 1e-4 };
        let expected = reference_matmul(a, b);
        assert_close(&a.matmul(b).unwrap(), &expected, tol, &format!("{name}, outside the pool"));
        for pool in &pools {
            let inside = pool.install(|| a.matmul(b).unwrap());
            assert_close(&inside, &expected, tol, &format!("{name}, in a pool of {}", pool.current_num_threads()));
        }
    }
}

#[test]
fn diagonal_is_a_view_and_copy_on_write() {
    let a = Array::arange(0.0, 24.0, 1.0, DType::Float64).unwrap().reshape(&[2, 3, 4]).unwrap();
    let mut d = linalg::diagonal(&a, -1).unwrap();
    assert_eq!(d.shape(), &[2, 2]);
    assert_eq!(d.to_vec::<f64>().unwrap(), vec![4.0, 9.0, 16.0, 21.0]);
    assert_eq!(d.as_ptr(), a.slice(&s![0, 1, 0]).unwrap().as_ptr());
    d.fill(0.0).unwrap();
    assert_eq!(a.get::<f64>(&[0, 1, 0]).unwrap(), 4.0, "writing the diagonal does not write a");
    let t = a.matrix_transpose().unwrap();
    assert_eq!(linalg::diagonal(&t, 1).unwrap().to_vec::<f64>().unwrap(), vec![4.0, 9.0, 16.0, 21.0]);
}

#[test]
fn matrix_power_and_products_of_views() {
    let a = Array::from_slice(&[1i64, 1, 1, 0], &[2, 2]).unwrap();
    assert_eq!(linalg::matrix_power(&a, 10).unwrap().to_vec::<i64>().unwrap(), vec![89, 55, 55, 34]);
    assert_eq!(linalg::matrix_power(&a, 0).unwrap().to_vec::<i64>().unwrap(), vec![1, 0, 0, 1]);
    let f = a.astype(DType::Float64).unwrap();
    let p = linalg::matrix_power(&f, -3).unwrap();
    assert_close(&mm(&p, &linalg::matrix_power(&f, 3).unwrap()), &eye_like(&[], 2, DType::Float64), 1e-12, "A⁻³A³");
    // Reversed and transposed operands are read in place, not copied.
    let x = Array::arange(0.0, 12.0, 1.0, DType::Float32).unwrap().reshape(&[3, 4]).unwrap();
    let y = x.flip(None).unwrap().matrix_transpose().unwrap();
    assert_close(&x.matmul(&y).unwrap(), &reference_matmul(&x, &y), 1e-6, "flipped");
}

#[test]
fn vecdot_conjugates_the_first_operand() {
    let a = Array::from_slice(&[c128::new(0.0, 1.0)], &[1]).unwrap();
    let v = linalg::vecdot(&a, &a, -1).unwrap();
    assert_eq!(v.item::<c128>().unwrap(), c128::new(1.0, 0.0));
}

/// The slow, obviously correct product: every element a sum over `k` in
/// the operands' own dtype arithmetic, computed with `Wide` values (`f64`
/// sums for floats, exact wrapping for integers).
fn reference_matmul(a: &Array, b: &Array) -> Array {
    let dtype = oxarray_core::result_type(a.dtype(), b.dtype()).unwrap();
    let a = a.astype(dtype).unwrap();
    let b = b.astype(dtype).unwrap();
    let (m, k, n) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 1]);
    let batch = oxarray_core::broadcast_shapes(&[&a.shape()[..a.ndim() - 2], &b.shape()[..b.ndim() - 2]]).unwrap();
    let shape = |r, c| batch.iter().copied().chain([r, c]).collect::<Vec<usize>>();
    let (av, bv) = (wides(&a.broadcast_to(&shape(m, k)).unwrap()), wides(&b.broadcast_to(&shape(k, n)).unwrap()));
    let count: usize = batch.iter().product();
    let mut out = Vec::with_capacity(count * m * n);
    for t in 0..count {
        for i in 0..m {
            for j in 0..n {
                let (mut re, mut im, mut int) = (0.0f64, 0.0f64, 0i128);
                for p in 0..k {
                    let (x, y) = (av[t * m * k + i * k + p], bv[t * k * n + p * n + j]);
                    match (x, y) {
                        (Wide::Int(x), Wide::Int(y)) => int = int.wrapping_add(x.wrapping_mul(y)),
                        (Wide::Bool(x), Wide::Bool(y)) => int |= (x && y) as i128,
                        _ => {
                            let ((xr, xi), (yr, yi)) = (parts(x), parts(y));
                            re += xr * yr - xi * yi;
                            im += xr * yi + xi * yr;
                        }
                    }
                }
                out.push(match dtype.kind() {
                    oxarray_core::Kind::Bool => Wide::Bool(int != 0),
                    oxarray_core::Kind::SignedInt | oxarray_core::Kind::UnsignedInt => Wide::Int(int),
                    oxarray_core::Kind::Float => Wide::Float(re),
                    oxarray_core::Kind::Complex => Wide::Complex(re, im),
                });
            }
        }
    }
    dispatch!(dtype, T => {
        let data: Vec<T> = out.into_iter().map(T::from_wide_wrapping).collect();
        Array::from_vec(data, &shape(m, n)).unwrap()
    })
}

/// A random operand of shape `batch + [r, c]` viewed through a random
/// layout: axes possibly swapped (transposed), reversed (negative strides),
/// stepped, or broadcast (zero strides) along the batch axis.
fn operand(dtype: DType, batch: usize, r: usize, c: usize, seed: u64, how: u8) -> Array {
    let mut g = oxarray_core::Generator::new(seed);
    let d = 2 * r.max(c).max(1);
    let (lo, hi) = if dtype.is_bool() { (0, 2) } else { (-50, 50) };
    let base = if dtype.is_integer() || dtype.is_bool() {
        g.integers(lo, hi, &[batch, d, d], DType::Int64).unwrap()
    } else if dtype.is_complex() {
        let re = g.uniform(-1.0, 1.0, &[batch, d, d], DType::Float64).unwrap();
        let im = g.uniform(-1.0, 1.0, &[batch, d, d], DType::Float64).unwrap();
        let i = Array::scalar(c128::new(0.0, 1.0));
        re.binary(&im.binary(&i, BinaryOp::Multiply).unwrap(), BinaryOp::Add).unwrap()
    } else {
        g.uniform(-1.0, 1.0, &[batch, d, d], DType::Float64).unwrap()
    };
    let base = base.astype_with(dtype, oxarray_core::Casting::Unsafe).unwrap();
    // Every other row/column, then one of the layout changes.
    let stepped = base
        .slice(&s![.., Index::slice(None, Some(2 * r as isize), 2), Index::slice(None, Some(2 * c as isize), 2)])
        .unwrap();
    match how % 4 {
        0 => stepped,
        1 => stepped.flip(Some(&[1, 2])).unwrap(),
        2 => {
            // A transposed view of a c × r matrix: same logical shape.
            let t = base.slice(&s![.., ..(c as isize), ..(r as isize)]).unwrap();
            t.matrix_transpose().unwrap()
        }
        _ => stepped.slice(&s![..1]).unwrap().broadcast_to(&[batch, r, c]).unwrap(),
    }
}

fn matmul_dtype() -> impl Strategy<Value = DType> {
    prop::sample::select(vec![
        DType::Float32,
        DType::Float64,
        DType::Complex64,
        DType::Complex128,
        DType::Int8,
        DType::Int32,
        DType::UInt16,
        DType::Int64,
        DType::Bool,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn matmul_matches_the_reference(
        dtype in matmul_dtype(),
        (batch, m, k, n) in (1usize..4, 0usize..9, 0usize..9, 0usize..9),
        (how_a, how_b, seed) in (0u8..4, 0u8..4, 0u64..1000),
        vector in 0u8..3,
    ) {
        let a = operand(dtype, batch, m, k, seed, how_a);
        let b = operand(dtype, batch, k, n, seed + 1, how_b);
        let want = reference_matmul(&a, &b);
        let got = a.matmul(&b).unwrap();
        prop_assert_eq!(got.shape(), want.shape());
        assert_close(&got, &want, tol(dtype) / 10.0, "matmul");
        // 1-d operands: a row of `a`, a column of `b`.
        if vector == 1 && m > 0 {
            let row = a.slice(&s![0, 0]).unwrap();
            let got = row.matmul(&b).unwrap();
            let want = reference_matmul(&row.expand_dims(0).unwrap(), &b).squeeze(&[-2]).unwrap();
            assert_close(&got, &want, tol(dtype) / 10.0, "vector @ matrix");
        }
        if vector == 2 && n > 0 {
            let col = b.slice(&s![0, .., 0]).unwrap();
            let got = a.matmul(&col).unwrap();
            let want = reference_matmul(&a, &col.expand_dims(-1).unwrap()).squeeze(&[-1]).unwrap();
            assert_close(&got, &want, tol(dtype) / 10.0, "matrix @ vector");
        }
    }
}
