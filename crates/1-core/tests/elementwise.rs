//! Elementwise functions checked against NumPy (`fixtures/elementwise.json`,
//! written by `fixtures/gen_elementwise.py` with NumPy 2.4), and every kernel
//! path (contiguous, scalar broadcast, strided, negative strides,
//! transposed, threaded, in place) checked against the others.
//!
//! Values compare exactly (bit for bit, NaN equal to NaN, `-0.0` distinct
//! from `0.0`) for integer results, comparisons, and the correctly rounded
//! float operations (`+ - * /`, `sqrt`, `floor_divide`, `remainder`, …).
//! The transcendental functions, float `pow`, `atan2`, `hypot` and
//! `logaddexp`, and complex results other than `+ - *`, compare within
//! the ULP bounds of [`ulp_bound`], measured here (run with
//! `--nocapture` to print the table). NumPy's own float32 functions are
//! SIMD (SVML-derived) kernels that are not correctly rounded either, so a
//! bound is the sum of both sides' errors.
//!
//! # Where oxarray deliberately differs from NumPy 2.4
//!
//! | op | operands | NumPy | oxarray | why |
//! |---|---|---|---|---|
//! | `add`, `multiply`, `maximum`, `minimum` | bool, bool | logical or / and | error | the Array API standard defines no arithmetic on bool |
//! | `floor_divide`, `remainder`, `pow`, `bitwise_left_shift`, `bitwise_right_shift` | bool, bool | computes in int8 | error | same |
//! | `abs`, `floor`, `ceil`, `trunc` | bool | bool | error | same |
//! | `square` | bool | int8 | error | same |
//! | `round` | bool | float16 | error | same |
//! | `reciprocal` | integers | integer `1 // x` (0 for \|x\| > 1) | float, as `sqrt` | NumPy's result is almost never what is meant; the Array API defines `reciprocal` for floats |
//! | `maximum`, `minimum` | complex | lexicographic | error | complex numbers are unordered (Array API) |
//! | `maximum`, `minimum` | `+0.0` with `-0.0` | either zero, depending on the loop (SIMD or scalar, dtype) | `maximum` is `+0.0`, `minimum` is `-0.0` | IEEE 754-2019's `maximum`/`minimum`, the same on every path |
//! | `conj` | bool | int8 | error | arithmetic on bool |
//! | `less`, `less_equal`, `greater`, `greater_equal` | complex | lexicographic | error | same |
//! | `log1p` | complex near 0 | `log(hypot(1+x, y))`, loses digits | accurate | more accurate; compared with NumPy only where `\|z\| ≥ 1e-3` |
//! | in-place `a op= b` | result does not fit `a`'s dtype (`int8 += int16`) | wraps silently | error naming the element | casting never loses data silently |
//!
//! bfloat16 (not a NumPy dtype) is checked against float32: every op on
//! bfloat16 must equal the float32 op on the same values, rounded once to
//! bfloat16.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use oxarray_core::{Array, BinaryOp, DType, Element, Index, UnaryOp, Wide, bf16, dispatch, f16, s};
use oxarray_kernels::elementwise::PAR_THRESHOLD;
use serde_json::Value;

fn fixture() -> &'static Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        serde_json::from_str(include_str!("fixtures/elementwise.json")).expect("elementwise.json parses")
    })
}

fn dt(v: &Value) -> DType {
    v.as_str().expect("a dtype name").parse().expect("a known dtype")
}

/// Parses a float string in the precision of `d` (float32 strings are the
/// shortest float32 repr: parsing them as f64 first could double-round).
fn float(v: &Value, d: DType) -> f64 {
    let s = v.as_str().expect("floats are strings");
    if d.real() == DType::Float32 { s.parse::<f32>().expect("a float") as f64 } else { s.parse().expect("a float") }
}

fn wide(v: &Value, d: DType) -> Wide {
    if d.is_bool() {
        Wide::Bool(v.as_bool().unwrap())
    } else if d.is_integer() {
        Wide::Int(v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from)).unwrap())
    } else if d.is_float() {
        Wide::Float(float(v, d))
    } else {
        Wide::Complex(float(&v[0], d), float(&v[1], d))
    }
}

fn array_of(values: &[Wide], shape: &[usize], d: DType) -> Array {
    dispatch!(d, T => {
        let v: Vec<T> = values.iter().map(|&w| T::from_wide_checked(w).expect("fixture value fits its dtype")).collect();
        Array::from_slice(&v, shape).unwrap()
    })
}

/// An array from `{"dtype", "shape", "data"}`.
fn array(v: &Value) -> Array {
    let d = dt(&v["dtype"]);
    let shape: Vec<usize> = v["shape"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect();
    let data: Vec<Wide> = v["data"].as_array().unwrap().iter().map(|x| wide(x, d)).collect();
    array_of(&data, &shape, d)
}

fn wides(a: &Array) -> Vec<Wide> {
    dispatch!(a.dtype(), T => a.iter::<T>().unwrap().map(Element::to_wide).collect())
}

fn ones(d: DType, n: usize) -> Array {
    dispatch!(d, T => Array::from_vec(vec![T::one(); n], &[n]).unwrap())
}

// ---------------------------------------------------------------------------
// Deliberate differences and tolerances.

/// Why oxarray rejects an operation NumPy accepts, or returns another
/// dtype; `None` where it must agree. Mirrors the table in the module docs.
fn deviation(op: &str, dtypes: &[DType]) -> Option<&'static str> {
    let all = |k: fn(DType) -> bool| dtypes.iter().all(|&d| k(d));
    let any = |k: fn(DType) -> bool| dtypes.iter().any(|&d| k(d));
    let bool_arithmetic = [
        "add",
        "multiply",
        "maximum",
        "minimum",
        "floor_divide",
        "remainder",
        "pow",
        "bitwise_left_shift",
        "bitwise_right_shift",
        "abs",
        "floor",
        "ceil",
        "trunc",
        "square",
        "round",
        "conj",
    ];
    if all(DType::is_bool) && bool_arithmetic.contains(&op) {
        return Some("arithmetic on bool");
    }
    if op == "reciprocal" && all(|d| d.is_integer() || d.is_bool()) {
        return Some("reciprocal of integers computes in float");
    }
    let ordered = ["maximum", "minimum", "less", "less_equal", "greater", "greater_equal"];
    if any(DType::is_complex) && ordered.contains(&op) {
        return Some("complex numbers are unordered");
    }
    None
}

/// Largest error allowed for `op` on results of dtype `d`, in ULPs of `d`
/// for real results and in units of `eps · |expected|` for complex ones;
/// 0 means bit-exact.
fn ulp_bound(op: &str, d: DType, complex_input: bool) -> u64 {
    let approximate_real = [
        "pow",
        "atan2",
        "hypot",
        "logaddexp",
        "exp",
        "expm1",
        "exp2",
        "log",
        "log1p",
        "log2",
        "log10",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "sinh",
        "cosh",
        "tanh",
        "asinh",
        "acosh",
        "atanh",
    ];
    let exact_complex = ["add", "subtract", "multiply", "negative", "positive", "conj", "real", "imag", "square"];
    if d.is_complex() {
        return match op {
            _ if exact_complex.contains(&op) => 0,
            // NumPy multiplies by ln 2 in float32 before its float32 `cexp`;
            // oxarray computes in float64 and rounds once.
            "exp2" if d == DType::Complex64 => 16,
            _ => 4,
        };
    }
    // |z| of a complex number: NumPy's SIMD hypot is not correctly rounded.
    let approximate = approximate_real.contains(&op) || (op == "abs" && complex_input);
    if !d.is_float() || !approximate {
        return 0;
    }
    match d {
        DType::Float16 => 1,
        DType::Float32 => 4,
        _ => 2,
    }
}

/// Ordered integer image of a float in its own precision: adjacent floats
/// differ by 1, and `-0.0` and `0.0` coincide.
fn ordered(x: f64, d: DType) -> i64 {
    let (bits, sign) = match d {
        DType::Float16 => (f16::from_f64(x).to_bits() as i64, 1i64 << 15),
        DType::BFloat16 => (bf16::from_f64(x).to_bits() as i64, 1i64 << 15),
        DType::Float32 => ((x as f32).to_bits() as i64, 1i64 << 31),
        _ => return if (x.to_bits() as i64) < 0 { i64::MIN - x.to_bits() as i64 } else { x.to_bits() as i64 },
    };
    if bits & sign != 0 { -(bits & (sign - 1)) } else { bits }
}

fn same_bits(x: f64, y: f64) -> bool {
    (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
}

/// The error of `got` against NumPy's `expected` (see [`ulp_bound`]), or
/// `None` if they disagree on a special value (NaN, ±inf, exactness).
fn error(got: Wide, expected: Wide, d: DType, exact: bool) -> Option<f64> {
    match (got, expected) {
        (Wide::Float(g), Wide::Float(e)) => {
            if same_bits(g, e) {
                return Some(0.0);
            }
            if exact || !g.is_finite() || !e.is_finite() {
                return None;
            }
            Some((ordered(g, d) - ordered(e, d)).unsigned_abs() as f64)
        }
        (Wide::Complex(gr, gi), Wide::Complex(er, ei)) => {
            if same_bits(gr, er) && same_bits(gi, ei) {
                return Some(0.0);
            }
            // Non-finite parts must match exactly; the finite ones are
            // compared normwise.
            let special = |g: f64, e: f64| !g.is_finite() || !e.is_finite();
            if exact || (special(gr, er) && !same_bits(gr, er)) || (special(gi, ei) && !same_bits(gi, ei)) {
                return None;
            }
            let finite = |g: f64, e: f64| if special(g, e) { (0.0, 0.0) } else { (g - e, e) };
            let ((dr, er), (di, ei)) = (finite(gr, er), finite(gi, ei));
            let eps = if d == DType::Complex64 { f32::EPSILON as f64 } else { f64::EPSILON };
            let scale = er.hypot(ei).max(f64::MIN_POSITIVE);
            Some(dr.hypot(di) / (eps * scale))
        }
        _ => (got == expected).then_some(0.0),
    }
}

/// A value as a complex number.
fn parts(w: Wide) -> (f64, f64) {
    match w {
        Wide::Complex(a, b) => (a, b),
        Wide::Float(a) => (a, 0.0),
        Wide::Int(a) => (a as f64, 0.0),
        Wide::Bool(a) => (a as u8 as f64, 0.0),
    }
}

/// Collects disagreements and the largest error per (op, dtype).
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    worst: BTreeMap<(String, DType), f64>,
}

impl Report {
    fn fail(&mut self, msg: String) {
        self.failures.push(msg);
    }

    /// Compares `got` with NumPy's `expected` (`{"dtype", "shape", "data"}`).
    fn values(&mut self, ctx: &str, op: &str, got: &Array, expected: &Value, inputs: &[Vec<Wide>]) {
        let d = dt(&expected["dtype"]);
        if got.dtype() != d {
            return self.fail(format!("{ctx}: dtype {} but NumPy gives {d}", got.dtype()));
        }
        let shape: Vec<usize> =
            expected["shape"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect();
        if got.shape() != shape {
            return self.fail(format!("{ctx}: shape {:?} but NumPy gives {shape:?}", got.shape()));
        }
        let complex_input = inputs.iter().flatten().any(|w| matches!(w, Wide::Complex(..)));
        let bound = ulp_bound(op, d, complex_input);
        let got = wides(got);
        for (i, (g, e)) in got.iter().zip(expected["data"].as_array().unwrap()).enumerate() {
            let e = wide(e, d);
            let input: Vec<String> = inputs.iter().filter(|v| !v.is_empty()).map(|v| format!("{:?}", v[i])).collect();
            if op == "log1p" && d.is_complex() && matches!(inputs[0][i], Wide::Complex(x, y) if x.hypot(y) < 1e-3) {
                continue; // a deliberate difference: ours is accurate there
            }
            // NumPy's maximum/minimum of +0.0 and -0.0 return either zero
            // depending on the loop (SIMD or not, the dtype); oxarray orders
            // -0.0 below +0.0 as IEEE 754-2019 does.
            let zeros = matches!((g, e), (Wide::Float(x), Wide::Float(y)) if *x == 0.0 && y == 0.0);
            if zeros && (op == "maximum" || op == "minimum") {
                continue;
            }
            // z^w in complex is ill-conditioned: an error of ε in ln z becomes
            // |w ln z|·ε; and where the result overflows or an operand is
            // infinite, glibc's `cpow` and oxarray's (both exp(w·ln z), with
            // different rounding) may put the infinities and NaNs in
            // different parts: there both must be non-finite.
            let mut bound = bound as f64;
            if op == "pow" && d.is_complex() {
                let ((zr, zi), (wr, wi)) = (parts(inputs[0][i]), parts(inputs[1][i]));
                let (lr, li) = (zr.hypot(zi).ln(), zi.atan2(zr));
                bound += (wr * lr - wi * li).hypot(wr * li + wi * lr);
                if let (Wide::Complex(gr, gi), Wide::Complex(er, ei)) = (g, e)
                    && !(er.is_finite() && ei.is_finite())
                {
                    if gr.is_finite() && gi.is_finite() {
                        self.fail(format!("{ctx} at {input:?}: {g:?} vs NumPy {e:?}"));
                    }
                    continue;
                }
            }
            match error(*g, e, d, bound == 0.0) {
                Some(err) => {
                    let w = self.worst.entry((op.to_string(), d)).or_insert(0.0);
                    *w = w.max(err);
                    if err > bound {
                        self.fail(format!("{ctx} at {input:?}: {g:?} vs NumPy {e:?} ({err:.2} > {bound})"));
                    }
                }
                None => self.fail(format!("{ctx} at {input:?}: {g:?} vs NumPy {e:?}")),
            }
        }
    }

    fn finish(self, what: &str) {
        let mut table = String::new();
        for ((op, d), err) in &self.worst {
            if *err > 0.0 {
                table += &format!("  {op:>12} {d:>10}: {err:.2}\n");
            }
        }
        println!("{what}: largest errors against NumPy (ULP, or eps·|z| for complex):\n{table}");
        if !self.failures.is_empty() {
            let n = self.failures.len();
            let mut by_case: BTreeMap<&str, usize> = BTreeMap::new();
            for f in &self.failures {
                *by_case.entry(f.split(" at ").next().unwrap_or(f)).or_default() += 1;
            }
            println!("{what}: disagreements per case: {by_case:#?}");
            for f in &self.failures {
                println!("  {f}");
            }
            let shown: Vec<&String> = self.failures.iter().take(60).collect();
            panic!(
                "{what}: {n} disagreements with NumPy:\n{}",
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
            );
        }
    }
}

/// Broadcast `(n, 1)` and `(m,)` operands as flat per-output-element inputs,
/// for error messages.
fn outer_inputs(a: &Array, b: &Array) -> Vec<Vec<Wide>> {
    let shape = oxarray_core::broadcast_shapes(&[a.shape(), b.shape()]).unwrap();
    vec![wides(&a.broadcast_to(&shape).unwrap()), wides(&b.broadcast_to(&shape).unwrap())]
}

// ---------------------------------------------------------------------------
// NumPy comparisons.

#[test]
fn fixture_is_from_the_pinned_numpy() {
    let version = fixture()["numpy_version"].as_str().unwrap();
    assert!(version.starts_with("2.4."), "elementwise.json was written by NumPy {version}");
    let names: Vec<&str> = fixture()["binary_dtypes"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
    for op in BinaryOp::ALL {
        assert!(names.contains(&op.name()), "the fixture lacks {}", op.name());
    }
    let names: Vec<&str> = fixture()["unary_dtypes"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
    for op in UnaryOp::ALL {
        assert!(names.contains(&op.name()), "the fixture lacks {}", op.name());
    }
}

fn numpy_dtypes() -> Vec<DType> {
    fixture()["dtypes"].as_array().unwrap().iter().map(dt).collect()
}

/// Checks one dtype-resolution outcome against NumPy's `expected`
/// (a dtype name or "!Error").
fn check_outcome(
    report: &mut Report,
    ctx: String,
    op: &str,
    dtypes: &[DType],
    got: Result<DType, String>,
    expected: &str,
) {
    let numpy = expected.strip_prefix('!').map_or(Ok(expected), Err);
    match (got, numpy) {
        (Ok(g), Ok(e)) => {
            if g.name() != e && deviation(op, dtypes).is_none() {
                report.fail(format!("{ctx}: {g} but NumPy gives {e}"));
            }
        }
        (Err(_), Err(_)) => {}
        (Err(msg), Ok(e)) => {
            if deviation(op, dtypes).is_none() {
                report.fail(format!("{ctx}: error ({msg}) but NumPy gives {e}"));
            }
        }
        (Ok(g), Err(e)) => report.fail(format!("{ctx}: {g} but NumPy raises {e}")),
    }
}

#[test]
fn binary_dtypes_and_errors_match_numpy() {
    let names = numpy_dtypes();
    let mut report = Report::default();
    for (op, table) in fixture()["binary_dtypes"].as_object().unwrap() {
        let bop = BinaryOp::from_name(op).unwrap();
        for (i, row) in table.as_array().unwrap().iter().enumerate() {
            for (j, expected) in row.as_array().unwrap().iter().enumerate() {
                let (da, db) = (names[i], names[j]);
                let got = ones(da, 1).binary(&ones(db, 1), bop).map(|r| r.dtype()).map_err(|e| e.to_string());
                check_outcome(&mut report, format!("{op}({da}, {db})"), op, &[da, db], got, expected.as_str().unwrap());
            }
        }
    }
    report.finish("binary dtypes");
}

#[test]
fn unary_dtypes_and_errors_match_numpy() {
    let mut report = Report::default();
    for (op, table) in fixture()["unary_dtypes"].as_object().unwrap() {
        let uop = UnaryOp::from_name(op).unwrap();
        for (d, expected) in table.as_object().unwrap() {
            let d: DType = d.parse().unwrap();
            let got = ones(d, 1).unary(uop).map(|r| r.dtype()).map_err(|e| e.to_string());
            if let Ok(r) = &got {
                assert_eq!(Ok(*r), uop.resolve(d).map(|x| x.1).map_err(|e| e.to_string()), "{op}({d})");
            }
            check_outcome(&mut report, format!("{op}({d})"), op, &[d], got, expected.as_str().unwrap());
        }
    }
    report.finish("unary dtypes");
}

fn binary_section(section: &str) {
    let mut report = Report::default();
    for case in fixture()[section].as_array().unwrap() {
        let op = case["op"].as_str().unwrap();
        let (a, b) = (array(&case["a"]), array(&case["b"]));
        let ctx = format!("{section} {op}({} {:?}, {} {:?})", a.dtype(), a.shape(), b.dtype(), b.shape());
        let got = a.binary(&b, BinaryOp::from_name(op).unwrap());
        match (&got, case.get("error")) {
            (Err(_), Some(_)) => {}
            (Ok(r), Some(e)) => report.fail(format!("{ctx}: {} result but NumPy raises {e}", r.dtype())),
            (Err(err), None) => {
                if deviation(op, &[a.dtype(), b.dtype()]).is_none() {
                    report.fail(format!("{ctx}: {err}"));
                }
            }
            (Ok(r), None) => {
                if deviation(op, &[a.dtype(), b.dtype()]).is_none() {
                    report.values(&ctx, op, r, &case["result"], &outer_inputs(&a, &b));
                }
            }
        }
    }
    report.finish(section);
}

#[test]
fn binary_values_match_numpy() {
    binary_section("binary");
}

#[test]
fn mixed_dtype_values_match_numpy() {
    binary_section("mixed");
}

#[test]
fn broadcasting_matches_numpy() {
    binary_section("broadcast");
}

#[test]
fn unary_values_match_numpy() {
    let mut report = Report::default();
    let inputs = &fixture()["unary_inputs"];
    for case in fixture()["unary"].as_array().unwrap() {
        let op = case["op"].as_str().unwrap();
        let a = array(&inputs[case["dtype"].as_str().unwrap()]);
        let ctx = format!("{op}({})", a.dtype());
        match a.unary(UnaryOp::from_name(op).unwrap()) {
            Ok(r) => {
                if deviation(op, &[a.dtype()]).is_none() {
                    report.values(&ctx, op, &r, &case["result"], &[wides(&a)]);
                }
            }
            Err(err) => {
                if deviation(op, &[a.dtype()]).is_none() {
                    report.fail(format!("{ctx}: {err}"));
                }
            }
        }
    }
    report.finish("unary");
}

fn scalar_value(v: &Value) -> Wide {
    let value = &v["value"];
    match v["kind"].as_str().unwrap() {
        "bool" => Wide::Bool(value.as_bool().unwrap()),
        "int" => Wide::Int(value.as_str().unwrap().parse().unwrap()),
        "float" => Wide::Float(float(value, DType::Float64)),
        _ => Wide::Complex(float(&value[0], DType::Float64), float(&value[1], DType::Float64)),
    }
}

#[test]
fn weak_scalars_match_numpy() {
    let mut report = Report::default();
    for case in fixture()["scalar"].as_array().unwrap() {
        let op = case["op"].as_str().unwrap();
        let bop = BinaryOp::from_name(op).unwrap();
        let a = array(&case["a"]);
        for row in case["cases"].as_array().unwrap() {
            let (s, reflected, outcome) = (scalar_value(&row[0]), row[1].as_bool().unwrap(), row[2].as_str().unwrap());
            let ctx = if reflected {
                format!("{op}({s:?}, {} array)", a.dtype())
            } else {
                format!("{op}({} array, {s:?})", a.dtype())
            };
            let got = a.binary_scalar(s, bop, reflected);
            let dtypes = [a.dtype(), oxarray_core::result_type_with_scalar(a.dtype(), kind(s)).unwrap()];
            match (&got, outcome.strip_prefix('!')) {
                (Err(_), Some(_)) => {}
                (Ok(r), Some(e)) => report.fail(format!("{ctx}: {} result but NumPy raises {e}", r.dtype())),
                (Err(err), None) => {
                    if deviation(op, &dtypes).is_none() {
                        report.fail(format!("{ctx}: {err}"));
                    }
                }
                (Ok(r), None) => {
                    let expected = serde_json::json!({"dtype": outcome, "shape": a.shape(), "data": row[3]});
                    let (x, y) = (wides(&a), vec![s; a.size()]);
                    let inputs = if reflected { [y, x] } else { [x, y] };
                    report.values(&ctx, op, r, &expected, &inputs);
                }
            }
        }
    }
    report.finish("weak scalars");
}

fn kind(s: Wide) -> oxarray_core::ScalarKind {
    use oxarray_core::ScalarKind;
    match s {
        Wide::Bool(_) => ScalarKind::Bool,
        Wide::Int(_) => ScalarKind::Int,
        Wide::Float(_) => ScalarKind::Float,
        Wide::Complex(..) => ScalarKind::Complex,
    }
}

#[test]
fn inplace_casting_matches_numpy() {
    let names = numpy_dtypes();
    let mut report = Report::default();
    for (op, table) in fixture()["inplace"].as_object().unwrap() {
        let bop = BinaryOp::from_name(op).unwrap();
        for (i, row) in table.as_array().unwrap().iter().enumerate() {
            for (j, expected) in row.as_array().unwrap().iter().enumerate() {
                let (da, db) = (names[i], names[j]);
                let mut a = ones(da, 2);
                let got = a.binary_inplace(&ones(db, 2), bop).map(|()| a.dtype()).map_err(|e| e.to_string());
                if let Ok(d) = got {
                    assert_eq!(d, da, "{op}({da}, {db}, out=a) changed the dtype");
                    let fresh = ones(da, 2).binary(&ones(db, 2), bop).unwrap().astype(da).unwrap();
                    assert_eq!(wides(&a), wides(&fresh), "{op}({da}, {db}, out=a)");
                }
                let ctx = format!("{op}({da}, {db}, out=a)");
                check_outcome(&mut report, ctx, op, &[da, db], got, expected.as_str().unwrap());
            }
        }
    }
    report.finish("in place");
}

// ---------------------------------------------------------------------------
// bfloat16: the float32 result, rounded once.

/// float32 → bfloat16, rounded once (`bf16::from_f32`; casting through
/// float64 would round the float32 value twice).
fn to_bf16(a: &Array) -> Array {
    let v: Vec<bf16> = a.to_vec::<f32>().unwrap().into_iter().map(bf16::from_f32).collect();
    Array::from_vec(v, a.shape()).unwrap()
}

fn assert_same_values(got: &Array, expected: &Array, ctx: &str) {
    assert_eq!(got.dtype(), expected.dtype(), "{ctx}");
    assert_eq!(got.shape(), expected.shape(), "{ctx}");
    for (g, e) in wides(got).iter().zip(wides(expected)) {
        let same = match (g, e) {
            (Wide::Float(x), Wide::Float(y)) => same_bits(*x, y),
            (Wide::Complex(a, b), Wide::Complex(c, d)) => same_bits(*a, c) && same_bits(*b, d),
            (x, y) => *x == y,
        };
        assert!(same, "{ctx}: {g:?} vs {e:?}");
    }
}

#[test]
fn bfloat16_is_float32_rounded_once() {
    let inputs = &fixture()["unary_inputs"]["float32"];
    let x = to_bf16(&array(inputs)); // the bfloat16 inputs
    let x32 = x.astype(DType::Float32).unwrap(); // the same values, exactly
    for &op in UnaryOp::ALL {
        let (Ok(got), Ok(r32)) = (x.unary(op), x32.unary(op)) else {
            assert!(x.unary(op).is_err() && x32.unary(op).is_err(), "{}", op.name());
            continue;
        };
        let expected = if r32.dtype() == DType::Float32 { to_bf16(&r32) } else { r32 };
        assert_same_values(&got, &expected, &format!("{}(bfloat16)", op.name()));
    }
    let n = x.size();
    let (a, b) = (x.reshape(&[n, 1]).unwrap(), x.slice(&s![Index::step(7)]).unwrap());
    let (a32, b32) = (a.astype(DType::Float32).unwrap(), b.astype(DType::Float32).unwrap());
    for &op in BinaryOp::ALL {
        let (Ok(got), Ok(r32)) = (a.binary(&b, op), a32.binary(&b32, op)) else {
            assert!(a.binary(&b, op).is_err() && a32.binary(&b32, op).is_err(), "{}", op.name());
            continue;
        };
        if op == BinaryOp::NextAfter {
            // Steps by one bfloat16, not by one float32.
            assert_eq!(got.dtype(), DType::BFloat16);
            for ((g, x), y) in wides(&got)
                .iter()
                .zip(wides(&a.broadcast_to(got.shape()).unwrap()))
                .zip(wides(&b.broadcast_to(got.shape()).unwrap()))
            {
                let (Wide::Float(g), Wide::Float(x), Wide::Float(y)) = (*g, x, y) else { unreachable!() };
                let expected = if x.is_nan() || y.is_nan() {
                    f64::NAN
                } else if x == y {
                    x
                } else {
                    let xb = bf16::from_f64(x);
                    let step = if x == 0.0 { bf16::from_bits(1) } else { xb };
                    let bits = step.to_bits();
                    let next = if x == 0.0 {
                        if y > x { step } else { -step }
                    } else if (y > x) == (x > 0.0) {
                        bf16::from_bits(bits + 1)
                    } else {
                        bf16::from_bits(bits - 1)
                    };
                    next.to_f64()
                };
                assert!(same_bits(g, expected), "nextafter({x}, {y}) = {g} in bfloat16, expected {expected}");
            }
            continue;
        }
        let expected = if r32.dtype() == DType::Float32 { to_bf16(&r32) } else { r32 };
        assert_same_values(&got, &expected, &format!("{}(bfloat16, bfloat16)", op.name()));
    }
}

// ---------------------------------------------------------------------------
// Kernel paths: every layout gives what the contiguous path gives.

fn arange_f32(n: usize) -> Array {
    Array::from_vec((0..n).map(|i| (i % 1000) as f32 * 0.01 - 3.0).collect(), &[n]).unwrap()
}

/// `op` over views with every layout kind against the same op over
/// contiguous copies.
fn check_paths(op: BinaryOp, a: &Array, b: &Array) {
    let expected = a.copy().binary(&b.copy(), op).unwrap();
    let got = a.binary(b, op).unwrap();
    assert_same_values(&got, &expected, &format!("{} on {:?}/{:?} strides", op.name(), a.strides(), b.strides()));
}

#[test]
fn binary_paths_agree() {
    for op in [BinaryOp::Add, BinaryOp::Multiply, BinaryOp::Less, BinaryOp::Maximum, BinaryOp::Atan2] {
        for n in [7usize, 64, PAR_THRESHOLD + 5] {
            let a = arange_f32(2 * n);
            let b = Array::from_vec((0..2 * n).map(|i| (i % 13) as f32 - 6.0).collect(), &[2 * n]).unwrap();
            let (ca, cb) = (a.slice(&s![..n as isize]).unwrap(), b.slice(&s![..n as isize]).unwrap());
            check_paths(op, &ca, &cb); // contiguous
            check_paths(op, &ca, &Array::scalar(2.5f32)); // scalar broadcast, both sides
            check_paths(op, &Array::scalar(-1.5f32), &cb);
            check_paths(op, &a.slice(&s![Index::step(2)]).unwrap(), &cb); // strided
            check_paths(
                op,
                &a.slice(&s![Index::slice(Some(n as isize - 1), None, -1)]).unwrap(),
                &b.slice(&s![Index::slice(None, Some(n as isize - 1), -1)]).unwrap(),
            ); // negative strides
            let m = a.reshape(&[2, n]).unwrap();
            check_paths(op, &m.transpose(), &b.reshape(&[n, 2]).unwrap()); // transposed
            check_paths(op, &m, &b.slice(&s![..n as isize]).unwrap().reshape(&[1, n]).unwrap()); // row broadcast
        }
    }
}

#[test]
fn threaded_add_and_exp_match_plain_loops() {
    let n = 4 * PAR_THRESHOLD + 3;
    let a = arange_f32(n);
    let b = Array::from_vec((0..n).map(|i| (i % 7) as f32).collect(), &[n]).unwrap();
    let (va, vb) = (a.to_vec::<f32>().unwrap(), b.to_vec::<f32>().unwrap());
    let sum = a.add(&b).unwrap().to_vec::<f32>().unwrap();
    assert!(sum.iter().zip(va.iter().zip(&vb)).all(|(s, (x, y))| *s == x + y));
    let e = a.exp().unwrap().to_vec::<f32>().unwrap();
    let reference: Vec<f32> = va.iter().map(|&x| oxarray_kernels::vmath::exp_f32(x)).collect();
    assert_eq!(e, reference, "the threaded SIMD loop gives the scalar function's bits");
    for (x, y) in va.iter().zip(&e) {
        let exact = (*x as f64).exp();
        assert!(((*y as f64) - exact).abs() <= exact * f32::EPSILON as f64, "exp({x}) = {y}");
    }
    // The strided path over the same values.
    let rev = a.slice(&s![Index::step(-1)]).unwrap().exp().unwrap().to_vec::<f32>().unwrap();
    assert!(rev.iter().rev().zip(&e).all(|(p, q)| p == q));
    let ln = a.abs().unwrap().log().unwrap().to_vec::<f32>().unwrap();
    assert!(ln.iter().zip(&va).all(|(l, x)| *l == oxarray_kernels::vmath::ln_f32(x.abs())));
}

#[test]
fn unary_paths_agree() {
    for op in [UnaryOp::Exp, UnaryOp::Log, UnaryOp::Sqrt, UnaryOp::Negative, UnaryOp::IsNan, UnaryOp::Abs] {
        for n in [5usize, PAR_THRESHOLD + 1] {
            let a = arange_f32(2 * n);
            let expected = a.slice(&s![Index::step(2)]).unwrap().copy().unary(op).unwrap();
            assert_same_values(&a.slice(&s![Index::step(2)]).unwrap().unary(op).unwrap(), &expected, op.name());
            let m = a.reshape(&[n, 2]).unwrap().transpose();
            assert_same_values(&m.unary(op).unwrap(), &m.copy().unary(op).unwrap(), op.name());
        }
    }
}

/// Every float unary op and a few binary ones, on float32 values that
/// include every special case, through the baseline (SSE2) and AVX2 paths
/// forced with `simd::set_max_level` and through the CPU's best SIMD level
/// (AVX-512 for the transcendentals): the same
/// bits (none of the loops uses FMA contraction). float16 and float64 too,
/// which compute through the same tables.
#[test]
fn forced_baseline_path_gives_the_simd_bits() {
    use oxarray_kernels::simd::{self, Level};
    let n = PAR_THRESHOLD + 29;
    let specials = [
        0.0f32,
        -0.0,
        1.0,
        -1.0,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        1e-40,
        88.7,
        -103.0,
        // The three argument reductions of sin/cos/tan (f32 below 2^13, f64
        // Cody–Waite below 2^24, Payne–Hanek above).
        8191.999,
        8192.0,
        16_777_216.0,
        -1e20,
        3e38,
        0.5,
    ];
    let v: Vec<f32> = (0..n)
        .map(|i| if i % 97 < specials.len() { specials[i % 97] } else { ((i as f32) * 0.37).sin() * 12.0 })
        .collect();
    let a = Array::from_vec(v, &[n]).unwrap();
    let b = Array::from_vec((0..n).map(|i| (i % 13) as f32 * 0.5 - 3.0).collect(), &[n]).unwrap();
    let bits = |x: &Array| -> Vec<u64> {
        x.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap().iter().map(|v| v.to_bits()).collect()
    };
    let ops = [
        UnaryOp::Exp,
        UnaryOp::Exp2,
        UnaryOp::Expm1,
        UnaryOp::Log,
        UnaryOp::Log2,
        UnaryOp::Log1p,
        UnaryOp::Tanh,
        UnaryOp::Sqrt,
        UnaryOp::Log10,
        UnaryOp::Sin,
        UnaryOp::Cos,
        UnaryOp::Tan,
        UnaryOp::Asin,
        UnaryOp::Acos,
        UnaryOp::Atan,
        UnaryOp::Sinh,
        UnaryOp::Cosh,
        UnaryOp::Asinh,
        UnaryOp::Acosh,
        UnaryOp::Atanh,
        UnaryOp::Negative,
        UnaryOp::Abs,
        UnaryOp::Square,
    ];
    for dtype in [DType::Float32, DType::Float16, DType::Float64] {
        let a = a.astype_with(dtype, oxarray_core::Casting::Unsafe).unwrap();
        let b = b.astype(dtype).unwrap();
        let run = || {
            let mut r: Vec<(String, Vec<u64>)> =
                ops.iter().map(|&op| (op.name().to_string(), bits(&a.unary(op).unwrap()))).collect();
            for op in [
                BinaryOp::Add,
                BinaryOp::Multiply,
                BinaryOp::Divide,
                BinaryOp::Maximum,
                BinaryOp::Atan2,
                BinaryOp::Hypot,
                BinaryOp::Logaddexp,
            ] {
                r.push((op.name().to_string(), bits(&a.binary(&b, op).unwrap())));
            }
            let mut inplace = a.copy();
            inplace.unary_inplace(UnaryOp::Tanh).unwrap();
            r.push(("tanh in place".into(), bits(&inplace)));
            // The heavy binary loops in place, with a broadcast row, and on
            // positive inputs (the log split's fast blocks).
            let row = b.slice(&s![Index::slice(Some(0), Some(1), 1)]).unwrap();
            let pos = a.unary(UnaryOp::Abs).unwrap().binary_scalar(Wide::Float(0.25), BinaryOp::Add, false).unwrap();
            for op in [BinaryOp::Atan2, BinaryOp::Hypot, BinaryOp::Logaddexp] {
                let mut inplace = a.copy();
                inplace.binary_inplace(&b, op).unwrap();
                r.push((format!("{} in place", op.name()), bits(&inplace)));
                r.push((format!("{} broadcast", op.name()), bits(&a.binary(&row, op).unwrap())));
            }
            for op in [UnaryOp::Log, UnaryOp::Log2, UnaryOp::Log10] {
                r.push((format!("{} positive", op.name()), bits(&pos.unary(op).unwrap())));
            }
            r
        };
        simd::set_max_level(None);
        let best = run();
        for level in [Level::Baseline, Level::Avx2].into_iter().filter(|&l| l < simd::cpu_level()) {
            simd::set_max_level(Some(level));
            assert_eq!(simd::level(), level);
            let capped = run();
            simd::set_max_level(None);
            for ((name, x), (_, y)) in capped.iter().zip(&best) {
                assert!(x == y, "{name} on {dtype:?}: the {level:?} path and {:?} differ", simd::level());
            }
        }
    }
}

/// float32 `sin`, `cos`, `tan` run a fast reduction on blocks whose inputs
/// are all below 2^13 and the full one on blocks holding a larger input: an
/// element's result must not depend on which its block took (contiguous,
/// strided and in place).
#[test]
fn trig_results_do_not_depend_on_neighbours() {
    let n = PAR_THRESHOLD + 1000;
    let small: Vec<f32> = (0..n).map(|i| ((i as f32) * 0.618).sin() * 8191.0).collect();
    // The same values with a huge one every 300th element.
    let mixed: Vec<f32> = small.iter().enumerate().map(|(i, &x)| if i % 300 == 7 { 1e9 } else { x }).collect();
    let (a, b) = (Array::from_vec(small, &[n]).unwrap(), Array::from_vec(mixed, &[n]).unwrap());
    for op in [UnaryOp::Sin, UnaryOp::Cos, UnaryOp::Tan] {
        let x = a.unary(op).unwrap().to_vec::<f32>().unwrap();
        let y = b.unary(op).unwrap().to_vec::<f32>().unwrap();
        let strided = b.slice(&s![Index::step(-1)]).unwrap().unary(op).unwrap().to_vec::<f32>().unwrap();
        let mut inplace = b.copy();
        inplace.unary_inplace(op).unwrap();
        let inplace = inplace.to_vec::<f32>().unwrap();
        for i in (0..n).filter(|i| i % 300 != 7) {
            assert_eq!(x[i].to_bits(), y[i].to_bits(), "{op:?} at {i}");
            assert_eq!(x[i].to_bits(), strided[n - 1 - i].to_bits(), "{op:?} strided at {i}");
            assert_eq!(x[i].to_bits(), inplace[i].to_bits(), "{op:?} in place at {i}");
        }
    }
}

/// float64 `sin`, `cos`, `tan` run the vectorised reduction on blocks whose
/// inputs are all below 2^20 and libm per element on blocks holding a
/// larger input: an element's result must not depend on which its block
/// took (contiguous, strided and in place), and is the kernel function's.
#[test]
fn trig64_results_do_not_depend_on_neighbours() {
    use oxarray_kernels::vmath;
    let n = PAR_THRESHOLD + 1000;
    let small: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.618).sin() * 1_048_575.0).collect();
    // The same values with a huge one (or an infinity) every 300th element.
    let huge = |i: usize| if i % 600 == 7 { f64::INFINITY } else { -1e300 };
    let mixed: Vec<f64> = small.iter().enumerate().map(|(i, &x)| if i % 300 == 7 { huge(i) } else { x }).collect();
    let (a, b) = (Array::from_vec(small.clone(), &[n]).unwrap(), Array::from_vec(mixed.clone(), &[n]).unwrap());
    type F64Fn = fn(f64) -> f64;
    let full: [(UnaryOp, F64Fn); 3] =
        [(UnaryOp::Sin, vmath::sin_f64), (UnaryOp::Cos, vmath::cos_f64), (UnaryOp::Tan, vmath::tan_f64)];
    for (op, f) in full {
        let x = a.unary(op).unwrap().to_vec::<f64>().unwrap();
        let y = b.unary(op).unwrap().to_vec::<f64>().unwrap();
        let strided = b.slice(&s![Index::step(-1)]).unwrap().unary(op).unwrap().to_vec::<f64>().unwrap();
        let mut inplace = b.copy();
        inplace.unary_inplace(op).unwrap();
        let inplace = inplace.to_vec::<f64>().unwrap();
        for i in 0..n {
            assert!(same_bits(y[i], f(mixed[i])), "{op:?} at {i}");
            assert!(same_bits(strided[n - 1 - i], y[i]), "{op:?} strided at {i}");
            assert!(same_bits(inplace[i], y[i]), "{op:?} in place at {i}");
            if i % 300 != 7 {
                assert_eq!(x[i].to_bits(), y[i].to_bits(), "{op:?} at {i}");
            }
        }
    }
}

/// float32 `log`, `log2`, `log10` skip their special values on blocks of
/// positive normal inputs: an element's result must not depend on whether
/// its block holds a zero, negative, subnormal, infinite or NaN input
/// (contiguous, strided and in place).
#[test]
fn log_results_do_not_depend_on_neighbours() {
    let n = PAR_THRESHOLD + 1000;
    let normal: Vec<f32> = (0..n).map(|i| 1e-3 + ((i as f32) * 0.618).sin().abs() * 1e3).collect();
    let odd = [0.0, -0.0, -1.0, 1e-40, f32::INFINITY, f32::NAN, f32::NEG_INFINITY];
    let mixed: Vec<f32> =
        normal.iter().enumerate().map(|(i, &x)| if i % 300 == 7 { odd[(i / 300) % odd.len()] } else { x }).collect();
    let (a, b) = (Array::from_vec(normal, &[n]).unwrap(), Array::from_vec(mixed.clone(), &[n]).unwrap());
    use oxarray_kernels::vmath;
    for (op, f) in [
        (UnaryOp::Log, vmath::ln_f32 as fn(f32) -> f32),
        (UnaryOp::Log2, vmath::log2_f32),
        (UnaryOp::Log10, vmath::log10_f32),
    ] {
        let x = a.unary(op).unwrap().to_vec::<f32>().unwrap();
        let y = b.unary(op).unwrap().to_vec::<f32>().unwrap();
        let strided = b.slice(&s![Index::step(-1)]).unwrap().unary(op).unwrap().to_vec::<f32>().unwrap();
        let mut inplace = b.copy();
        inplace.unary_inplace(op).unwrap();
        let inplace = inplace.to_vec::<f32>().unwrap();
        for i in 0..n {
            if i % 300 == 7 {
                // The special inputs themselves: the scalar kernel's bits.
                let want = f(mixed[i]);
                assert!(y[i].to_bits() == want.to_bits() || (y[i].is_nan() && want.is_nan()), "{op:?}({})", mixed[i]);
                continue;
            }
            assert_eq!(x[i].to_bits(), y[i].to_bits(), "{op:?} at {i}");
            assert_eq!(x[i].to_bits(), strided[n - 1 - i].to_bits(), "{op:?} strided at {i}");
            assert_eq!(x[i].to_bits(), inplace[i].to_bits(), "{op:?} in place at {i}");
        }
    }
}

// ---------------------------------------------------------------------------
// Named methods, where, clip.

#[test]
fn named_methods_are_the_table_ops() {
    let a = Array::from_vec(vec![1.0f64, -2.0, 4.0], &[3]).unwrap();
    let b = Array::from_vec(vec![3.0f64, 0.5, -1.0], &[3]).unwrap();
    let pairs: Vec<(Array, BinaryOp)> = vec![
        (a.add(&b).unwrap(), BinaryOp::Add),
        (a.subtract(&b).unwrap(), BinaryOp::Subtract),
        (a.divide(&b).unwrap(), BinaryOp::Divide),
        (a.pow(&b).unwrap(), BinaryOp::Pow),
        (a.less(&b).unwrap(), BinaryOp::Less),
        (a.logaddexp(&b).unwrap(), BinaryOp::Logaddexp),
        (a.nextafter(&b).unwrap(), BinaryOp::NextAfter),
    ];
    for (r, op) in pairs {
        assert_same_values(&r, &a.binary(&b, op).unwrap(), op.name());
    }
    assert_same_values(&a.exp().unwrap(), &a.unary(UnaryOp::Exp).unwrap(), "exp");
    assert_same_values(&a.sign().unwrap(), &a.unary(UnaryOp::Sign).unwrap(), "sign");
    assert_eq!(a.sqrt().unwrap().get::<f64>(&[2]).unwrap(), 2.0);
}

#[test]
fn where_broadcasts_promotes_and_reads_truthiness() {
    let cond = Array::from_vec(vec![1.0f32, 0.0, f32::NAN], &[3, 1]).unwrap();
    let x = Array::from_vec(vec![1i8, 2], &[2]).unwrap();
    let y = Array::scalar(300i16);
    let r = Array::where_(&cond, &x, &y).unwrap();
    assert_eq!(r.dtype(), DType::Int16);
    assert_eq!(r.shape(), &[3, 2]);
    assert_eq!(r.to_vec::<i16>().unwrap(), vec![1, 2, 300, 300, 1, 2]);
    // Strided and reversed operands, large enough for the threaded path.
    let n = PAR_THRESHOLD + 9;
    let c = Array::from_vec((0..n).map(|i| i.is_multiple_of(3)).collect(), &[n]).unwrap();
    let v = arange_f32(n);
    let w = v.slice(&s![Index::step(-1)]).unwrap();
    let r = Array::where_(&c, &v, &w).unwrap().to_vec::<f32>().unwrap();
    let (vv, wv) = (v.to_vec::<f32>().unwrap(), w.to_vec::<f32>().unwrap());
    assert!(r.iter().enumerate().all(|(i, &x)| x == if i.is_multiple_of(3) { vv[i] } else { wv[i] }));
    let r2 = Array::where_(&c.slice(&s![Index::step(-1)]).unwrap(), &w, &v).unwrap().to_vec::<f32>().unwrap();
    assert!(r2.iter().enumerate().all(|(i, &x)| x == if (n - 1 - i).is_multiple_of(3) { wv[i] } else { vv[i] }));
    assert!(
        Array::where_(&Array::zeros(&[2], DType::Bool).unwrap(), &x, &Array::zeros(&[3], DType::Int8).unwrap())
            .is_err()
    );
}

#[test]
fn clip_keeps_the_dtype_and_propagates_nan() {
    let x = Array::from_vec(vec![-3.0f32, 0.5, f32::NAN, 9.0], &[4]).unwrap();
    let r = x.clip(Some(&Array::scalar(-1.0f64)), Some(&Array::scalar(2.0f32))).unwrap();
    assert_eq!(r.dtype(), DType::Float32);
    let v = r.to_vec::<f32>().unwrap();
    assert_eq!((v[0], v[1], v[3]), (-1.0, 0.5, 2.0));
    assert!(v[2].is_nan());
    let lo = Array::from_vec(vec![0.0f32, 1.0, 0.0, f32::NAN], &[4]).unwrap();
    let v = x.clip(Some(&lo), None).unwrap().to_vec::<f32>().unwrap();
    assert_eq!((v[0], v[1]), (0.0, 1.0));
    assert!(v[3].is_nan(), "a NaN bound gives NaN");
    assert_same_values(&x.clip(None, None).unwrap(), &x, "no bounds");
    // Integers: a wider bound that never wins is fine, one that wins and does not fit is an error.
    let i = Array::from_vec(vec![-100i8, 0, 100], &[3]).unwrap();
    assert_eq!(
        i.clip(Some(&Array::scalar(-1000i16)), Some(&Array::scalar(5i64))).unwrap().to_vec::<i8>().unwrap(),
        vec![-100, 0, 5]
    );
    assert!(i.clip(Some(&Array::scalar(1000i16)), None).is_err());
    assert!(i.clip(Some(&Array::scalar(0.5f32)), None).is_err(), "float bound for an int array");
    // Bounds broadcast to x's shape, not the other way.
    let m = Array::from_vec(vec![1i32, 5, 9, 2, 6, 10], &[2, 3]).unwrap();
    let hi = Array::from_vec(vec![4i32, 5, 6], &[3]).unwrap();
    assert_eq!(m.clip(None, Some(&hi)).unwrap().to_vec::<i32>().unwrap(), vec![1, 5, 6, 2, 5, 6]);
    assert!(hi.clip(None, Some(&m)).is_err());
    assert!(Array::scalar(true).clip(None, None).is_err());
}

// ---------------------------------------------------------------------------
// In place.

#[test]
fn inplace_writes_into_a_unique_buffer_without_allocating() {
    let n = PAR_THRESHOLD + 17;
    for (b, name) in [
        (arange_f32(n), "contiguous"),
        (Array::scalar(2.0f32), "scalar"),
        (arange_f32(2 * n).slice(&s![Index::step(2)]).unwrap(), "strided"),
    ] {
        let mut a = arange_f32(n);
        let expected = a.multiply(&b).unwrap();
        let p = a.as_ptr();
        a.binary_inplace(&b, BinaryOp::Multiply).unwrap();
        assert_eq!(a.as_ptr(), p, "{name}: the result is in the same buffer");
        assert_same_values(&a, &expected, name);
    }
    let mut a = arange_f32(n);
    let (p, expected) = (a.as_ptr(), a.exp().unwrap());
    a.unary_inplace(UnaryOp::Exp).unwrap();
    assert_eq!(a.as_ptr(), p);
    assert_same_values(&a, &expected, "exp in place");
    // A transposed unique array: written in place through its strides.
    let mut t = arange_f32(12).reshape(&[3, 4]).unwrap().copy().transpose();
    let (p, expected) = (t.as_ptr(), t.add(&Array::scalar(1.0f32)).unwrap());
    t.binary_inplace(&Array::scalar(1.0f32), BinaryOp::Add).unwrap();
    assert_eq!(t.as_ptr(), p);
    assert_same_values(&t, &expected, "transposed in place");
    // Same-dtype ops of every kind.
    let mut i = Array::from_vec(vec![5i32, -7, 9], &[3]).unwrap();
    let p = i.as_ptr();
    i.binary_inplace(&Array::scalar(2i32), BinaryOp::FloorDivide).unwrap();
    i.binary_inplace(&Array::from_vec(vec![1i8, 2, 3], &[3]).unwrap(), BinaryOp::LeftShift).unwrap();
    i.unary_inplace(UnaryOp::Negative).unwrap();
    assert_eq!(i.as_ptr(), p);
    assert_eq!(i.to_vec::<i32>().unwrap(), vec![-4, 16, -32]);
}

#[test]
fn inplace_copies_on_write_and_is_safe_under_aliasing() {
    let a0 = Array::from_vec(vec![1.0f64, 2.0, 3.0, 4.0], &[4]).unwrap();
    // Another handle shares the buffer: it must not see the write.
    let mut a = a0.clone();
    a.binary_inplace(&Array::scalar(10.0f64), BinaryOp::Add).unwrap();
    assert_eq!(a0.to_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(a.to_vec::<f64>().unwrap(), vec![11.0, 12.0, 13.0, 14.0]);
    // `b` is a reversed view of `a`'s own buffer: the result is as if `b`
    // had been copied first.
    let mut a = Array::from_vec(vec![1.0f64, 2.0, 3.0, 4.0], &[4]).unwrap();
    let b = a.slice(&s![Index::step(-1)]).unwrap();
    a.binary_inplace(&b, BinaryOp::Subtract).unwrap();
    assert_eq!(a.to_vec::<f64>().unwrap(), vec![-3.0, -1.0, 1.0, 3.0]);
    assert_eq!(b.to_vec::<f64>().unwrap(), vec![4.0, 3.0, 2.0, 1.0]);
    let mut a = Array::from_vec(vec![1i64, 2, 3], &[3]).unwrap();
    let same = a.clone();
    a.binary_inplace(&same, BinaryOp::Multiply).unwrap();
    assert_eq!((a.to_vec::<i64>().unwrap(), same.to_vec::<i64>().unwrap()), (vec![1, 4, 9], vec![1, 2, 3]));
    // A broadcast (overlapping) view is never written in place.
    let mut bc = Array::scalar(1.0f32).broadcast_to(&[3]).unwrap();
    bc.binary_inplace(&arange_f32(3), BinaryOp::Add).unwrap();
    assert_eq!(bc.to_vec::<f32>().unwrap(), vec![-2.0, -1.99, -1.98]);
}

#[test]
fn inplace_casting_rules() {
    // int8 += int16 computes in int16 and stores back when the values fit ...
    let mut a = Array::from_vec(vec![100i8, -5], &[2]).unwrap();
    a.binary_inplace(&Array::from_vec(vec![20i16, -100], &[2]).unwrap(), BinaryOp::Add).unwrap();
    assert_eq!((a.dtype(), a.to_vec::<i8>().unwrap()), (DType::Int8, vec![120, -105]));
    // ... and is an error naming the element where they do not (NumPy wraps).
    let err = a.binary_inplace(&Array::from_vec(vec![0i16, 1000], &[2]).unwrap(), BinaryOp::Add).unwrap_err();
    assert!(err.to_string().contains("(1,)"), "{err}");
    assert_eq!(a.to_vec::<i8>().unwrap(), vec![120, -105], "a failed in-place op leaves the array unchanged");
    // int += float and exp(int) in place are errors, as in NumPy.
    assert!(a.binary_inplace(&Array::scalar(1.0f32), BinaryOp::Add).is_err());
    assert!(a.unary_inplace(UnaryOp::Exp).is_err());
    // float32 += float64 rounds.
    let mut f = Array::from_vec(vec![1.0f32], &[1]).unwrap();
    f.binary_inplace(&Array::scalar(0.1f64), BinaryOp::Add).unwrap();
    assert_eq!(f.to_vec::<f32>().unwrap(), vec![(1.0f64 + 0.1) as f32]);
    // Comparisons into a numeric array store 0/1 (bool casts safely).
    let mut g = Array::from_vec(vec![1.0f64, 5.0], &[2]).unwrap();
    g.binary_inplace(&Array::scalar(2.0f64), BinaryOp::Less).unwrap();
    assert_eq!(g.to_vec::<f64>().unwrap(), vec![1.0, 0.0]);
    // The operand broadcasts to `a`, never the other way.
    let mut row = Array::from_vec(vec![1.0f64, 2.0, 3.0], &[3]).unwrap();
    let err = row.binary_inplace(&Array::zeros(&[2, 3], DType::Float64).unwrap(), BinaryOp::Add).unwrap_err();
    assert!(err.to_string().contains("non-broadcastable"), "{err}");
    let mut m = Array::zeros(&[2, 3], DType::Float64).unwrap();
    m.binary_inplace(&row, BinaryOp::Add).unwrap();
    assert_eq!(m.to_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
}

// ---------------------------------------------------------------------------
// Spot checks of NumPy corner cases the fixture also covers, readable here.

#[test]
fn corner_cases() {
    let i64a = Array::from_vec(vec![-1i64, 9_007_199_254_740_993], &[2]).unwrap();
    let u64a = Array::from_vec(vec![u64::MAX, 9_007_199_254_740_992], &[2]).unwrap();
    assert_eq!(i64a.less(&u64a).unwrap().to_vec::<bool>().unwrap(), vec![true, false], "exact, not via float64");
    assert_eq!(i64a.equal(&u64a).unwrap().to_vec::<bool>().unwrap(), vec![false, false]);
    let z = Array::from_vec(vec![-0.0f64, 0.0], &[2]).unwrap();
    let zr = Array::from_vec(vec![0.0f64, -0.0], &[2]).unwrap();
    let mx = z.maximum(&zr).unwrap().to_vec::<f64>().unwrap();
    assert!(mx.iter().all(|v| v.is_sign_positive()), "maximum(-0.0, 0.0) is 0.0");
    let mn = z.minimum(&zr).unwrap().to_vec::<f64>().unwrap();
    assert!(mn.iter().all(|v| v.is_sign_negative()), "minimum(-0.0, 0.0) is -0.0");
    assert!(z.sign().unwrap().to_vec::<f64>().unwrap().iter().all(|v| v.to_bits() == 0), "sign(-0.0) is 0.0");
    let p = Array::scalar(3i64).pow(&Array::scalar(i64::MAX)).unwrap();
    // NumPy: np.array(3) ** np.array(2**63 - 1), i.e. 3^(2^63-1) mod 2^64.
    assert_eq!(p.item::<i64>().unwrap(), -6_148_914_691_236_517_205, "wrapping power over the full exponent");
}

/// float64 `asinh`, `acosh`, `atanh` and `logaddexp` run the vectorised
/// kernels: every element's result is the kernel function's bits
/// (contiguous, strided, in place, and a broadcast row for `logaddexp`),
/// whatever its neighbours (special values mixed in).
#[test]
fn inverse_hyperbolic64_and_logaddexp64_are_the_kernels() {
    use oxarray_kernels::vmath;
    let n = PAR_THRESHOLD + 1000;
    let specials =
        [0.0, -0.0, 1.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 5e-324, 1e-300, 3e8, -1e300, 0.5, 2.0];
    let v: Vec<f64> = (0..n)
        .map(|i| if i % 89 < specials.len() { specials[i % 89] } else { ((i as f64) * 0.618).sin() * 4.0 })
        .collect();
    let w: Vec<f64> = (0..n).map(|i| ((i as f64) * 0.37).cos() * 30.0).collect();
    let (a, b) = (Array::from_vec(v.clone(), &[n]).unwrap(), Array::from_vec(w.clone(), &[n]).unwrap());
    type F64Fn = fn(f64) -> f64;
    let unary: [(UnaryOp, F64Fn); 3] =
        [(UnaryOp::Asinh, vmath::asinh_f64), (UnaryOp::Acosh, vmath::acosh_f64), (UnaryOp::Atanh, vmath::atanh_f64)];
    for (op, f) in unary {
        let x = a.unary(op).unwrap().to_vec::<f64>().unwrap();
        let strided = a.slice(&s![Index::step(-1)]).unwrap().unary(op).unwrap().to_vec::<f64>().unwrap();
        let mut inplace = a.copy();
        inplace.unary_inplace(op).unwrap();
        let inplace = inplace.to_vec::<f64>().unwrap();
        for i in 0..n {
            assert!(same_bits(x[i], f(v[i])), "{op:?} at {i}");
            assert!(same_bits(strided[n - 1 - i], x[i]), "{op:?} strided at {i}");
            assert!(same_bits(inplace[i], x[i]), "{op:?} in place at {i}");
        }
    }
    let op = BinaryOp::Logaddexp;
    let x = a.binary(&b, op).unwrap().to_vec::<f64>().unwrap();
    let row = Array::from_vec(vec![-0.75], &[1]).unwrap();
    let broadcast = a.binary(&row, op).unwrap().to_vec::<f64>().unwrap();
    let mut inplace = a.copy();
    inplace.binary_inplace(&b, op).unwrap();
    let inplace = inplace.to_vec::<f64>().unwrap();
    for i in 0..n {
        assert!(same_bits(x[i], vmath::logaddexp_f64(v[i], w[i])), "logaddexp at {i}");
        assert!(same_bits(broadcast[i], vmath::logaddexp_f64(v[i], -0.75)), "logaddexp broadcast at {i}");
        assert!(same_bits(inplace[i], x[i]), "logaddexp in place at {i}");
    }
}

/// `Array::weak_scalar`: NumPy 2.4's dtype and value for a Python scalar
/// next to an array of each dtype (`np.where(c, x, s)`), except that an
/// `int` that does not fit is an error where NumPy's `where` wraps it.
#[test]
fn weak_scalar_dtype_and_value() {
    use DType::*;
    let big = 1i128 << 63;
    /// A scalar, an array dtype, and the result's dtype and value (`None`: an error).
    type Case = (Wide, DType, Option<(DType, Wide)>);
    let cases: Vec<Case> = vec![
        (Wide::Bool(true), Bool, Some((Bool, Wide::Bool(true)))),
        (Wide::Bool(true), Int8, Some((Int8, Wide::Int(1)))),
        (Wide::Bool(false), Float16, Some((Float16, Wide::Float(0.0)))),
        (Wide::Bool(true), Complex64, Some((Complex64, Wide::Complex(1.0, 0.0)))),
        (Wide::Int(1), Bool, Some((Int64, Wide::Int(1)))),
        (Wide::Int(-1), Bool, Some((Int64, Wide::Int(-1)))),
        (Wide::Int(big), Bool, None),
        (Wide::Int(127), Int8, Some((Int8, Wide::Int(127)))),
        (Wide::Int(128), Int8, None),
        (Wide::Int(-128), Int8, Some((Int8, Wide::Int(-128)))),
        (Wide::Int(-129), Int8, None),
        (Wide::Int(1000), Int8, None),
        (Wide::Int(-1), UInt8, None),
        (Wide::Int(255), UInt8, Some((UInt8, Wide::Int(255)))),
        (Wide::Int(300), UInt8, None),
        (Wide::Int(1000), Int16, Some((Int16, Wide::Int(1000)))),
        (Wide::Int(big), Int64, None),
        (Wide::Int(big), UInt64, Some((UInt64, Wide::Int(big)))),
        (Wide::Int(-1), UInt64, None),
        (Wide::Int(1000), Float16, Some((Float16, Wide::Float(1000.0)))),
        (Wide::Int(big), Float16, Some((Float16, Wide::Float(f64::INFINITY)))),
        (Wide::Int(-big - 1), Float32, Some((Float32, Wide::Float(-(big as f64))))),
        (Wide::Int(3), BFloat16, Some((BFloat16, Wide::Float(3.0)))),
        (Wide::Int(3), Complex64, Some((Complex64, Wide::Complex(3.0, 0.0)))),
        (Wide::Float(2.5), Bool, Some((Float64, Wide::Float(2.5)))),
        (Wide::Float(2.5), Int8, Some((Float64, Wide::Float(2.5)))),
        (Wide::Float(2.5), UInt64, Some((Float64, Wide::Float(2.5)))),
        (Wide::Float(1e6), Float16, Some((Float16, Wide::Float(f64::INFINITY)))),
        (Wide::Float(-1e300), Float32, Some((Float32, Wide::Float(f64::NEG_INFINITY)))),
        (Wide::Float(0.1), Float32, Some((Float32, Wide::Float(0.1f32 as f64)))),
        (Wide::Float(-0.0), Float16, Some((Float16, Wide::Float(-0.0)))),
        (Wide::Float(5e-324), Float32, Some((Float32, Wide::Float(0.0)))),
        (Wide::Float(5e-324), Float64, Some((Float64, Wide::Float(5e-324)))),
        (Wide::Float(1e6), BFloat16, Some((BFloat16, Wide::Float(999424.0)))),
        (Wide::Float(0.5), Complex64, Some((Complex64, Wide::Complex(0.5, 0.0)))),
        (Wide::Complex(1.0, 2.0), Int8, Some((Complex128, Wide::Complex(1.0, 2.0)))),
        (Wide::Complex(1.0, 2.0), Float16, Some((Complex64, Wide::Complex(1.0, 2.0)))),
        (Wide::Complex(0.1, 0.0), Float32, Some((Complex64, Wide::Complex(0.1f32 as f64, 0.0)))),
        (Wide::Complex(1.0, 2.0), Float64, Some((Complex128, Wide::Complex(1.0, 2.0)))),
    ];
    for (value, like, expected) in cases {
        let got = Array::weak_scalar(value, like);
        match (got, expected) {
            (Err(_), None) => {}
            (Ok(a), Some((dtype, v))) => {
                assert_eq!((a.dtype(), a.shape()), (dtype, &[][..]), "{value:?} next to {like}");
                let w = a.item_wide().unwrap();
                let same = match (w, v) {
                    (Wide::Float(x), Wide::Float(y)) => x.to_bits() == y.to_bits(),
                    _ => w == v,
                };
                assert!(same, "{value:?} next to {like}: {w:?}, expected {v:?}");
            }
            (got, expected) => panic!("{value:?} next to {like}: {got:?}, expected {expected:?}"),
        }
    }
    // NaN stays NaN in every float dtype.
    for like in [Float16, BFloat16, Float32, Float64, Int8] {
        let a = Array::weak_scalar(Wide::Float(f64::NAN), like).unwrap();
        assert!(matches!(a.item_wide().unwrap(), Wide::Float(x) if x.is_nan()), "{like}");
    }
}

/// The value of `binary_scalar` is the binary op with `weak_scalar`'s
/// array wherever the scalar converts (one conversion for both).
#[test]
fn binary_scalar_is_binary_with_weak_scalar() {
    let scalars =
        [Wide::Bool(true), Wide::Int(3), Wide::Int(-2), Wide::Float(0.1), Wide::Float(1e6), Wide::Complex(1.0, -1.0)];
    for &dtype in DType::ALL.iter() {
        let a = Array::from_vec(vec![0i8, 1, -3, 5], &[4]).unwrap();
        let a = a.astype_with(dtype, oxarray_core::Casting::Unsafe).unwrap();
        for s in scalars {
            for op in [BinaryOp::Add, BinaryOp::Multiply, BinaryOp::Maximum, BinaryOp::NextAfter, BinaryOp::Less] {
                let Ok(got) = a.binary_scalar(s, op, false) else { continue };
                // An integer out of range is compared exactly instead.
                let Ok(w) = Array::weak_scalar(s, dtype) else { continue };
                let want = a.binary(&w, op).unwrap();
                assert_eq!(got.dtype(), want.dtype(), "{op:?}({dtype}, {s:?})");
                assert_eq!(format!("{:?}", wides(&got)), format!("{:?}", wides(&want)), "{op:?}");
            }
        }
    }
}

/// `Array::weak_clip_bound`: NumPy 2.4's `clip` drops an `int` bound that
/// lies beyond an integer dtype's limit on its own side, and refuses one
/// beyond the other limit (OverflowError).
#[test]
fn weak_clip_bounds_follow_numpy() {
    let x = Array::from_vec(vec![0u8, 100, 255], &[3]).unwrap();
    assert!(x.weak_clip_bound(Wide::Int(-5), false).unwrap().is_none());
    assert!(x.weak_clip_bound(Wide::Int(300), true).unwrap().is_none());
    assert!(x.weak_clip_bound(Wide::Int(300), false).is_err());
    assert!(x.weak_clip_bound(Wide::Int(-5), true).is_err());
    let lo = x.weak_clip_bound(Wide::Int(0), false).unwrap();
    let hi = x.weak_clip_bound(Wide::Int(255), true).unwrap();
    assert_eq!(x.clip(lo.as_ref(), hi.as_ref()).unwrap().to_vec::<u8>().unwrap(), vec![0, 100, 255]);
    let hi = x.weak_clip_bound(Wide::Int(99), true).unwrap();
    assert_eq!(x.clip(None, hi.as_ref()).unwrap().to_vec::<u8>().unwrap(), vec![0, 99, 99]);
    let i = Array::from_vec(vec![-128i8, 0, 127], &[3]).unwrap();
    assert!(i.weak_clip_bound(Wide::Int(-(1i128 << 100)), false).unwrap().is_none());
    assert!(i.weak_clip_bound(Wide::Int(1i128 << 100), true).unwrap().is_none());
    assert!(i.weak_clip_bound(Wide::Int(128), false).is_err());
    // A float bound of an integer array is a float64 array, which `clip`
    // refuses (its result keeps the array's dtype).
    let f = i.weak_clip_bound(Wide::Float(2.5), false).unwrap().unwrap();
    assert_eq!(f.dtype(), DType::Float64);
    assert!(i.clip(Some(&f), None).is_err());
    // Float arrays: every int converts (rounding), floats may overflow to inf.
    let h = Array::from_vec(vec![f16::from_f32(1.0), f16::from_f32(-2.0)], &[2]).unwrap();
    let hi = h.weak_clip_bound(Wide::Int(1i128 << 100), true).unwrap().unwrap();
    assert_eq!(hi.item_wide().unwrap(), Wide::Float(f64::INFINITY));
    let lo = h.weak_clip_bound(Wide::Float(1e6), false).unwrap().unwrap();
    assert_eq!(h.clip(Some(&lo), None).unwrap().to_vec::<f16>().unwrap(), vec![f16::INFINITY; 2]);
    // A bool array's bounds are not dropped (NumPy's rule is for integers).
    let b = Array::from_vec(vec![true, false], &[2]).unwrap();
    assert_eq!(b.weak_clip_bound(Wide::Int(5), true).unwrap().unwrap().dtype(), DType::Int64);
}
