//! Vectorisable float32 math: `exp` and `ln` as branch-free polynomial
//! kernels.
//!
//! The standard library's `f32::exp` calls the platform's libm one element at
//! a time; these functions use only multiplies, adds, bit operations and
//! selects, so inside an elementwise loop (run under [`crate::simd::dispatch`])
//! LLVM turns them into SIMD code, 8 lanes at a time with AVX2. They are
//! the classic Cephes reductions (Cody–Waite argument reduction, minimax
//! polynomials) written without branches:
//!
//! | function | method | max error (dense sweep, see tests) |
//! |---|---|---|
//! | [`exp_f32`] | `2^n · p(r)`, `r = x − n·ln 2`, degree-7 polynomial | ≤ 1 ULP |
//! | [`ln_f32`] | `e·ln 2 + log(m)`, `m ∈ [√½, √2)`, degree-10 polynomial | ≤ 1 ULP |
//!
//! Special values follow IEEE 754 and C99: `exp(NaN) = NaN`, `exp(+inf) =
//! +inf`, `exp(-inf) = 0`, overflow gives +inf and underflow 0 or a
//! subnormal; `ln(0) = -inf`, `ln(x < 0) = NaN`, `ln(+inf) = +inf`,
//! subnormal inputs are exact-scaled first.

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
    let z = r * r;
    let p = (((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1)
        * r
        + 0.5)
        * z
        + r
        + 1.0;
    // Scale by 2^n in two exact steps so that n outside the normal exponent
    // range (down to −150, up to 129) still gives subnormals or +inf.
    let n1 = ni >> 1;
    let n2 = ni.wrapping_sub(n1);
    let s1 = f32::from_bits((n1.wrapping_add(127) as u32) << 23);
    let s2 = f32::from_bits((n2.wrapping_add(127) as u32) << 23);
    p * s1 * s2
}

/// `√2`, where the mantissa range folds.
const SQRT2: f32 = std::f32::consts::SQRT_2;

/// Natural logarithm for `f32`, within 1 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn ln_f32(x: f32) -> f32 {
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
    let y = p + LN2_LO * e - 0.5 * z;
    let r = (f + y) + LN2_HI * e;
    // Special values, as selects.
    let r = if x == 0.0 { f32::NEG_INFINITY } else { r };
    let r = if x < 0.0 { f32::NAN } else { r };
    if x.is_nan() || x == f32::INFINITY { x } else { r }
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

    #[test]
    #[ignore = "exhaustive over all 2^32 inputs: run with --release --ignored"]
    fn exhaustive() {
        for (name, f, r) in [("exp", exp_f32 as fn(f32) -> f32, f64::exp as fn(f64) -> f64), ("ln", ln_f32, f64::ln)] {
            let (err, at) = max_error(f, r, 1);
            println!("{name}_f32: max {err:.3} ULP at {at:e}");
            assert!(err <= 1.0);
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
    }
}
