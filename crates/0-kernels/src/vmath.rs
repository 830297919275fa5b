//! Vectorisable float32 math: `exp`, `exp2`, `expm1`, `ln`, `log2`,
//! `log1p` and `tanh` as branch-free polynomial kernels.
//!
//! The standard library's `f32::exp` calls the platform's libm one element at
//! a time; these functions use only multiplies, adds, divides, bit
//! operations and selects, so inside an elementwise loop (run under
//! [`crate::simd::dispatch_wide`]) LLVM turns them into SIMD code, 8 lanes at
//! a time with AVX2 and 16 with AVX-512. They are the classic Cephes
//! reductions (Cody–Waite argument reduction, minimax or Taylor
//! polynomials) written without branches. None of them calls `mul_add`, so
//! every instruction-set level gives the same bits.
//!
//! Error bounds, in units in the last place of the correctly rounded result
//! (the tests check them on a dense sweep of about 70 million inputs that
//! covers every exponent; oxarray documents **≤ 4 ULP** for every
//! vectorised float32 function):
//!
//! | function | method | bound (tested) | max measured on the sweep |
//! |---|---|---|---|
//! | [`exp_f32`] | `2^n · p(r)`, `r = x − n·ln 2`, degree-7 polynomial | ≤ 1 ULP | ≤ 1 |
//! | [`exp2_f32`] | `2^n · e^(r·ln 2)`, `r = x − n`, same polynomial | ≤ 1 ULP | 0.98 |
//! | [`expm1_f32`] | `2^n · q(r) + (2^n − 1)`, `q` the degree-7 Taylor series of `e^r − 1`; `e^x − 1` past ±16 | ≤ 2 ULP | 1.69 |
//! | [`ln_f32`] | `e·ln 2 + log(m)`, `m ∈ [√½, √2)`, degree-10 polynomial | ≤ 1 ULP | ≤ 1 |
//! | [`log2_f32`] | `e + log(m)·log2(e)`, the same polynomial | ≤ 2 ULP | 1.22 |
//! | [`log1p_f32`] | `ln(u) + (x − (u − 1))/u`, `u = 1 + x` | ≤ 2 ULP | 1.44 |
//! | [`tanh_f32`] | odd degree-11 polynomial below 0.625, `1 − 2/(e^(2·abs(x)) + 1)` above | ≤ 2 ULP | 1.30 |
//!
//! Special values follow IEEE 754 and C99: `exp(NaN) = NaN`, `exp(+inf) =
//! +inf`, `exp(-inf) = 0`, overflow gives +inf and underflow 0 or a
//! subnormal; `ln(0) = -inf`, `ln(x < 0) = NaN`, `ln(+inf) = +inf`,
//! subnormal inputs are exact-scaled first; `expm1`, `log1p` and `tanh`
//! keep the sign of zero, `log1p(-1) = -inf`, `tanh(±inf) = ±1`.

/// `log2(e)` rounded to f32.
const LOG2E: f32 = std::f32::consts::LOG2_E;
/// `ln 2` split in two: `LN2_HI` has 9 significant bits, so `n · LN2_HI` is
/// exact for every exponent `n` the reductions produce.
const LN2_HI: f32 = 0.693_359_4;
/// `ln 2 − LN2_HI`.
const LN2_LO: f32 = -2.121_944_4e-4;
/// `1.5 · 2^23`: adding it rounds a float of magnitude below 2^22 to an
/// integer, which then sits in the low mantissa bits.
const ROUND: f32 = 12_582_912.0;

/// `e^x` for `f32`, within 1 ULP of the correctly rounded result;
/// branch-free and vectorisable.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    // Past these bounds the result is +inf or 0 anyway; clamping keeps the
    // exponent arithmetic below in range. NaN passes through `clamp`.
    let xc = x.clamp(-104.0, 89.0);
    // n = round(x / ln 2), as a float and as an integer.
    let t = xc * LOG2E + ROUND;
    let n = t - ROUND;
    let ni = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    // r = x − n·ln 2, |r| ≤ ln 2 / 2 (plus rounding).
    let r = (xc - n * LN2_HI) - n * LN2_LO;
    let p = exp_poly(r);
    scale(p, ni)
}

/// `p · 2^n` for `n` in −150..=129, in two exact steps so that `n` outside
/// the normal exponent range still gives subnormals or +inf.
#[inline(always)]
fn scale(p: f32, n: i32) -> f32 {
    let n1 = n >> 1;
    let n2 = n.wrapping_sub(n1);
    let s1 = f32::from_bits((n1.wrapping_add(127) as u32) << 23);
    let s2 = f32::from_bits((n2.wrapping_add(127) as u32) << 23);
    p * s1 * s2
}

/// `e^r` for `|r| ≤ ln 2 / 2`: the degree-7 polynomial of [`exp_f32`].
#[inline(always)]
fn exp_poly(r: f32) -> f32 {
    let z = r * r;
    (((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1) * r + 0.5)
        * z
        + r
        + 1.0
}

/// `2^x` for `f32`, within 1 ULP of the correctly rounded result and exact
/// for integer `x`; branch-free and vectorisable.
#[inline(always)]
pub fn exp2_f32(x: f32) -> f32 {
    let xc = x.clamp(-151.0, 129.0);
    // n = round(x); r = x − n is exact, |r| ≤ 1/2.
    let t = xc + ROUND;
    let n = t - ROUND;
    let ni = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let r = xc - n;
    scale(exp_poly(r * std::f32::consts::LN_2), ni)
}

/// `e^x − 1` for `f32`, within 2 ULP of the correctly rounded result and
/// accurate near 0; branch-free and vectorisable.
#[inline(always)]
pub fn expm1_f32(x: f32) -> f32 {
    // Below |x| = 16 (n ≤ 23, so 2^n − 1 is exact): reduce as exp does.
    let xc = x.clamp(-16.0, 16.0);
    let t = xc * LOG2E + ROUND;
    let n = t - ROUND;
    let ni = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let r = (xc - n * LN2_HI) - n * LN2_LO;
    // e^r − 1, Taylor to degree 7 (the remainder is below 0.2 ULP).
    let q = r + r
        * r
        * (0.5
            + r * (1.666_666_7e-1
                + r * (4.166_666_8e-2 + r * (8.333_334e-3 + r * (1.388_888_9e-3 + r * 1.984_127e-4)))));
    let s = f32::from_bits((ni.wrapping_add(127) as u32) << 23);
    let near = q * s + (s - 1.0);
    // Beyond ±16, e^x − 1 rounds like e^x minus one (NaN goes this way too).
    let far = exp_f32(x) - 1.0;
    let r = if x.abs() <= 16.0 { near } else { far };
    if x == 0.0 { x } else { r }
}

/// `√2`, where the mantissa range folds.
const SQRT2: f32 = std::f32::consts::SQRT_2;

/// The pieces of `ln x` for finite `x > 0`: `(e, f, p, z)` with
/// `ln x = e·ln 2 + f − z/2 + p`, `f = m − 1` for the mantissa
/// `m ∈ [√½, √2)`, `z = f²` and `p` the small polynomial rest.
#[inline(always)]
fn ln_parts(x: f32) -> (f32, f32, f32, f32) {
    // Subnormals: scale by 2^23 (exact) and correct the exponent.
    let sub = x < f32::MIN_POSITIVE;
    let xs = if sub { x * 8_388_608.0 } else { x };
    let bits = xs.to_bits() as i32;
    let e = ((bits >> 23) & 0xff) - 127 - if sub { 23 } else { 0 };
    // m in [1, 2), folded to [√½, √2) so that f = m − 1 is small.
    let m = f32::from_bits(((bits & 0x007f_ffff) | 0x3f80_0000) as u32);
    let big = m > SQRT2;
    let m = if big { m * 0.5 } else { m };
    let e = (e + big as i32) as f32;
    let f = m - 1.0;
    let z = f * f;
    let p = ((((((((7.037_683_6e-2 * f - 1.151_461e-1) * f + 1.167_699_9e-1) * f - 1.242_014_1e-1) * f
        + 1.424_932_3e-1)
        * f
        - 1.666_805_8e-1)
        * f
        + 2.000_071_4e-1)
        * f
        - 2.499_999_4e-1)
        * f
        + 3.333_333e-1)
        * f
        * z;
    (e, f, p, z)
}

/// The special values of a logarithm: `-inf` at ±0, NaN below 0, `x` itself
/// for NaN and +inf; `r` elsewhere.
#[inline(always)]
fn log_special(x: f32, r: f32) -> f32 {
    let r = if x == 0.0 { f32::NEG_INFINITY } else { r };
    let r = if x < 0.0 { f32::NAN } else { r };
    if x.is_nan() || x == f32::INFINITY { x } else { r }
}

/// Natural logarithm for `f32`, within 1 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn ln_f32(x: f32) -> f32 {
    let (e, f, p, z) = ln_parts(x);
    let y = p + LN2_LO * e - 0.5 * z;
    log_special(x, (f + y) + LN2_HI * e)
}

/// Base-2 logarithm for `f32`, within 2 ULP of the correctly rounded result
/// and exact at powers of two; branch-free and vectorisable.
#[inline(always)]
pub fn log2_f32(x: f32) -> f32 {
    let (e, f, p, z) = ln_parts(x);
    let y = p - 0.5 * z;
    // log2(m) = (f + y)·log2(e), with f·log2(e) split so that its rounding
    // error is not doubled.
    const LOG2E_HI: f32 = 1.442_382_8; // 12 significant bits
    const LOG2E_LO: f32 = LOG2E - LOG2E_HI;
    let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
    let f_lo = f - f_hi;
    let l = ((f_lo + y) * LOG2E + f_hi * LOG2E_LO) + f_hi * LOG2E_HI;
    log_special(x, e + l)
}

/// `ln(1 + x)` for `f32`, within 2 ULP of the correctly rounded result and
/// accurate near 0; branch-free and vectorisable.
#[inline(always)]
pub fn log1p_f32(x: f32) -> f32 {
    let u = 1.0 + x;
    // ln(u) is accurate; the rounding of 1 + x is corrected to first order.
    let r = ln_f32(u) + (x - (u - 1.0)) / u;
    let r = if u == 1.0 { x } else { r };
    let r = if u == 0.0 { f32::NEG_INFINITY } else { r };
    if x == f32::INFINITY { x } else { r }
}

/// Hyperbolic tangent for `f32`, within 2 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    let a = x.abs();
    let z = a * a;
    let small =
        ((((-5.704_988_7e-3 * z + 2.063_909e-2) * z - 5.373_971_6e-2) * z + 1.333_144_2e-1) * z - 3.333_328e-1) * z * a
            + a;
    // exp(2a) overflows to +inf past a ≈ 44, which gives exactly 1.
    let large = 1.0 - 2.0 / (exp_f32(2.0 * a) + 1.0);
    let r = if a < 0.625 { small } else { large };
    r.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Error of `got` in units in the last place of the f32 nearest `exact`
    /// (subnormal ULP below the normal range).
    pub(crate) fn ulp_error(got: f32, exact: f64) -> f64 {
        if got.is_nan() && exact.is_nan() {
            return 0.0;
        }
        if got as f64 == exact {
            return 0.0;
        }
        if got.is_infinite() || exact.is_infinite() || got.is_nan() || exact.is_nan() {
            // Overflow edge: exact beyond f32::MAX rounds to inf.
            let rounded = exact as f32;
            return if rounded == got { 0.0 } else { f64::INFINITY };
        }
        let rounded = (exact as f32).abs();
        let e = if rounded < f32::MIN_POSITIVE { -126 } else { rounded.log2().floor() as i32 };
        let ulp = 2f64.powi(e - 23);
        (got as f64 - exact).abs() / ulp
    }

    /// Every `step`-th f32 bit pattern, positive and negative.
    fn sweep(step: u32) -> impl Iterator<Item = f32> {
        (0..=u32::MAX / step).map(move |i| f32::from_bits(i * step))
    }

    fn max_error(f: fn(f32) -> f32, reference: fn(f64) -> f64, step: u32) -> (f64, f32) {
        let mut worst = (0.0, 0.0);
        for x in sweep(step) {
            let e = ulp_error(f(x), reference(x as f64));
            if e > worst.0 {
                worst = (e, x);
            }
        }
        worst
    }

    #[test]
    fn exp_is_within_one_ulp() {
        // Every 61st bit pattern: about 70 million inputs, all exponents.
        let (err, at) = max_error(exp_f32, f64::exp, 61);
        assert!(err <= 1.0, "exp_f32: {err} ULP at {at:e}");
    }

    #[test]
    fn ln_is_within_one_ulp() {
        let (err, at) = max_error(ln_f32, f64::ln, 61);
        assert!(err <= 1.0, "ln_f32: {err} ULP at {at:e}");
    }

    /// A function under test: name, the function, its float64 reference and
    /// the error bound (ULP) the module docs state.
    type Case = (&'static str, fn(f32) -> f32, fn(f64) -> f64, f64);

    /// Every function with its reference and bound.
    const FUNCTIONS: [Case; 7] = [
        ("exp", exp_f32, f64::exp, 1.0),
        ("exp2", exp2_f32, f64::exp2, 1.0),
        ("expm1", expm1_f32, f64::exp_m1, 2.0),
        ("ln", ln_f32, f64::ln, 1.0),
        ("log2", log2_f32, f64::log2, 2.0),
        ("log1p", log1p_f32, f64::ln_1p, 2.0),
        ("tanh", tanh_f32, f64::tanh, 2.0),
    ];

    #[test]
    fn new_functions_are_within_their_bounds() {
        for (name, f, r, bound) in FUNCTIONS.iter().filter(|f| !matches!(f.0, "exp" | "ln")) {
            let (err, at) = max_error(*f, *r, 61);
            println!("{name}_f32: max {err:.3} ULP at {at:e}");
            assert!(err <= *bound, "{name}_f32: {err} ULP at {at:e}");
        }
    }

    #[test]
    #[ignore = "exhaustive over all 2^32 inputs: run with --release --ignored"]
    fn exhaustive() {
        for (name, f, r, bound) in FUNCTIONS {
            let (err, at) = max_error(f, r, 1);
            println!("{name}_f32: max {err:.3} ULP at {at:e}");
            assert!(err <= bound);
        }
    }

    #[test]
    fn special_values() {
        assert!(exp_f32(f32::NAN).is_nan());
        assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f32(-0.0), 1.0);
        assert_eq!(exp_f32(88.8), f32::INFINITY);
        assert_eq!(exp_f32(-104.0), 0.0);
        assert!(exp_f32(-100.0) > 0.0, "subnormal results survive");
        assert_eq!(exp_f32(1.0), std::f32::consts::E);
        assert!(ln_f32(f32::NAN).is_nan());
        assert!(ln_f32(-1.0).is_nan());
        assert!(ln_f32(-0.0) == f32::NEG_INFINITY && ln_f32(0.0) == f32::NEG_INFINITY);
        assert_eq!(ln_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(ln_f32(1.0), 0.0);
        assert_eq!(ln_f32(std::f32::consts::E), 1.0);
        assert!((ln_f32(f32::from_bits(1)) - (-103.278_93)).abs() < 1e-4);

        // 2^e exactly, subnormals included.
        let pow2 =
            |e: i32| if e >= -126 { f32::from_bits(((e + 127) as u32) << 23) } else { f32::from_bits(1 << (e + 149)) };
        for e in -149..128 {
            assert_eq!(exp2_f32(e as f32), pow2(e), "exp2({e})");
        }
        assert_eq!(exp2_f32(128.0), f32::INFINITY);
        assert_eq!(exp2_f32(f32::NEG_INFINITY), 0.0);
        assert!(exp2_f32(f32::NAN).is_nan());
        for e in -149..128 {
            assert_eq!(log2_f32(pow2(e)), e as f32, "log2(2^{e})");
        }
        assert_eq!(log2_f32(0.0), f32::NEG_INFINITY);
        assert!(log2_f32(-0.5).is_nan() && log2_f32(f32::NAN).is_nan());
        assert_eq!(log2_f32(f32::INFINITY), f32::INFINITY);

        assert_eq!(expm1_f32(0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(expm1_f32(-0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(expm1_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(expm1_f32(f32::NEG_INFINITY), -1.0);
        assert_eq!(expm1_f32(100.0), f32::INFINITY);
        assert!(expm1_f32(f32::NAN).is_nan());
        assert_eq!(expm1_f32(1e-30), 1e-30);

        assert_eq!(log1p_f32(0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(log1p_f32(-0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(log1p_f32(-1.0), f32::NEG_INFINITY);
        assert!(log1p_f32(-1.5).is_nan() && log1p_f32(f32::NEG_INFINITY).is_nan() && log1p_f32(f32::NAN).is_nan());
        assert_eq!(log1p_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(log1p_f32(1e-30), 1e-30);
        assert_eq!(log1p_f32(f32::MAX), f32::MAX.ln());

        assert_eq!(tanh_f32(0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(tanh_f32(-0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(tanh_f32(f32::INFINITY), 1.0);
        assert_eq!(tanh_f32(f32::NEG_INFINITY), -1.0);
        assert_eq!(tanh_f32(50.0), 1.0);
        assert!(tanh_f32(f32::NAN).is_nan());
        assert_eq!(tanh_f32(1e-30), 1e-30);
    }
}
