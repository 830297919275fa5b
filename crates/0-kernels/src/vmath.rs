//! Vectorisable float math: float32 `exp`, `exp2`, `expm1`, `ln`, `log2`,
//! `log10`, `log1p`, `tanh`, `sin`, `cos`, `tan`, `asin`, `acos`, `atan`,
//! `sinh`, `cosh`, `asinh`, `acosh`, `atanh`, the binary `atan2`, `hypot`,
//! `logaddexp`, and float64 `exp`, `exp2`, `expm1`, `ln`, `log2`, `log10`,
//! `log1p`, `tanh`, `sin`, `cos`, `tan`, `asin`, `acos`, `atan`, `sinh`,
//! `cosh`, `asinh`, `acosh`, `atanh`, the binary `atan2`, `hypot` and
//! `logaddexp` as branch-free polynomial kernels.
//!
//! The standard library's `f32::exp` calls the platform's libm one element at
//! a time; these functions use only multiplies, adds, divides, bit
//! operations, selects and (for the large-argument sine reduction) table
//! loads, so inside an elementwise loop (run under
//! [`crate::simd::dispatch_wide`]) LLVM turns them into SIMD code, 8 lanes at
//! a time with AVX2 and 16 with AVX-512 (half that for float64). They are
//! the classic Cephes/fdlibm reductions (Cody–Waite argument reduction,
//! minimax or Taylor polynomials) written without branches. None of them
//! calls `mul_add`, so every instruction-set level gives the same bits.
//!
//! float32 error bounds, in units in the last place of the correctly rounded
//! result (the reference is the float64 libm value; the tests check them on
//! a dense sweep of about 70 million inputs that covers every exponent;
//! oxarray documents **≤ 4 ULP** for every vectorised float32 function):
//!
//! | function | method | bound (tested) | max measured on the sweep |
//! |---|---|---|---|
//! | [`exp_f32`] | `2^n · p(r)`, `r = x − n·ln 2`, degree-7 polynomial | ≤ 1 ULP | ≤ 1 |
//! | [`exp2_f32`] | `2^n · e^(r·ln 2)`, `r = x − n`, same polynomial | ≤ 1 ULP | 0.98 |
//! | [`expm1_f32`] | `2^n · q(r) + (2^n − 1)`, `q` the degree-7 Taylor series of `e^r − 1`; `e^x − 1` past ±16 | ≤ 2 ULP | 1.69 |
//! | [`ln_f32`] | `e·ln 2 + log(m)`, `m ∈ [√½, √2)`, degree-10 polynomial | ≤ 1 ULP | ≤ 1 |
//! | [`log2_f32`] | `e + log(m)·log2(e)`, the same polynomial | ≤ 2 ULP | 1.22 |
//! | [`log10_f32`] | `e·log10(2) + log(m)·log10(e)`, the same polynomial, exact at powers of ten | ≤ 2 ULP | 1.28 |
//! | [`log1p_f32`] | `ln(u) + (x − (u − 1))/u`, `u = 1 + x` | ≤ 2 ULP | 1.44 |
//! | [`tanh_f32`] | odd degree-11 polynomial below 0.625, `1 − 2/(e^(2·abs(x)) + 1)` above | ≤ 2 ULP | 1.30 |
//! | [`sin_f32`], [`cos_f32`] | `x = j·π/2 + r`: below 2^13 in f32 (Cody–Waite, 4-part `π/2`, `r` as a two-float sum), above in f64 (Cody–Waite, 3-part `π/2`, below 2^24; Payne–Hanek from a 104-entry table of `2^k·2/π mod 4` above); Taylor series of degrees 9/10 in f32 on `r` split in two | ≤ 2 ULP | 1.58 / 1.57 (every input below 2^13: 1.574 / 1.577) |
//! | [`tan_f32`] | the same `sin r`, `cos r`, divided in f32 | ≤ 4 ULP | 3.14 (on every input below 2^13; 3.12 on the sweep) |
//! | [`asin_f32`] | `s + s·z·P(z)`, `z = s²`, below 1/2; `π/2 − 2·asin √((1 − a)/2)` above, the root's rounding carried | ≤ 1 ULP | 0.63 |
//! | [`acos_f32`] | `π/2 − asin x` below 1/2; `2·asin √((1 − x)/2)`, `π − 2·asin √((1 + x)/2)` above | ≤ 2 ULP | 1.26 |
//! | [`atan_f32`] | `t = a`, `(a − 1)/(a + 1)` or `−1/a` (one division), `base + t + t·z·P(z)` with base `0`, `π/4`, `π/2` | ≤ 2 ULP | 1.62 |
//! | [`sinh_f32`] | odd Taylor series to degree 11 below 1; `h − 1/(4h)`, `h = e^a/2` (exponent lowered, so finite to 89.4) | ≤ 2 ULP | 1.62 |
//! | [`cosh_f32`] | `h + 1/(4h)` | ≤ 2 ULP | 1.42 |
//! | [`asinh_f32`] | `a + a·z·P(z)` below 1.2; `ln(a + √(a² + 1))`; `ln a + ln 2` past 2^12 | ≤ 2 ULP | 1.39 |
//! | [`acosh_f32`] | `√(2t)·(1 + t·P(t))`, `t = x − 1`, below 2 (root's rounding carried); `ln(x + √(t(x + 1)))`; `ln x + ln 2` past 2^12 | ≤ 2 ULP | 1.28 |
//! | [`atanh_f32`] | `a + a·z·P(z)` below 1/2; `log1p(2a/(1 − a))/2` | ≤ 2 ULP | 1.24 |
//!
//! The `P` of the inverse functions are weighted minimax fits (Lawson's
//! iteration on Chebyshev nodes against 40-digit references) with relative
//! error below 3e-10; the table's measured maxima are over the dense sweep
//! and every f32 in `[1/2, 2)` and `(−2, −1/2]`, where these functions switch
//! branches.
//!
//! The binary float32 functions run in the heavy binary elementwise loops
//! ([`crate::elementwise::binary_with`] with `Heavy`: compiled up to
//! AVX-512, 16 lanes). They are tested on 12.6 million pairs
//! (random bit patterns; magnitudes within a factor 2^8 of each other, both
//! signs; uniform on `[−20, 20]²`) and dense grids around their branch
//! switches and range ends, against the float64 libm result:
//!
//! | function | method | bound (tested) | max measured |
//! |---|---|---|---|
//! | [`atan2_f32`] | `atan`'s reduction on `\|y\|`, `\|x\|` without forming the ratio (`a/b`, `(a − b)/(a + b)` or `−b/a`, one division), its polynomial, `base ± atan t` with `base ∈ {0, π/4, π/2, 3π/4, π}` in two floats | ≤ 2 ULP | 1.71 |
//! | [`hypot_f32`] | `√(x² + y²)` in f64 (exact squares) | ≤ 1 ULP | 0.50 |
//! | [`logaddexp_f32`] | `max(x, y) + log1p(e^(−\|x − y\|))` in f64 ([`exp_f64`], [`log1p_f64`]) | ≤ 1 ULP | 0.50 |
//!
//! `logaddexp` in f32 arithmetic (the f32 `exp` and `log1p`) loses all
//! relative accuracy where `max(x, y) < 0` and the result is near 0 (the
//! sum cancels; 7.9 million ULP at `(−0.788, −0.606)` on the same sweep);
//! in f64 the cancellation costs nothing visible down to results of about
//! `1e-8` (the f64 intermediate's absolute error, a few `1e-16`, against
//! the f32 ULP of the result), and libm's f64 formula, the reference, has
//! the same absolute error below that.
//!
//! The logarithms [`ln_f32`], [`log2_f32`], [`log10_f32`] have `_fast`
//! forms without the special values and the subnormal scaling
//! ([`ln_f32_fast`], [`log2_f32_fast`], [`log10_f32_fast`]), right for
//! positive normal finite inputs; elementwise loops run them through
//! [`crate::elementwise::Split`] with [`log_needs_full`], so a block of
//! ordinary inputs skips about a third of the work. The exponent and the
//! mantissa in `[√½, √2)` come out of one integer subtraction
//! (`ln_reduce`), exact, so the fast and full forms give the same bits
//! (tested), as did the previous compare-and-halve fold.
//!
//! The trigonometric functions are right for every input, `f32::MAX`
//! included, but the f64 reductions cost more than the rest (half the
//! lanes, and the table loads are gathers): [`sin_f32_fast`],
//! [`cos_f32_fast`], [`tan_f32_fast`] run only the f32 reduction and are
//! right only below 2^13. Elementwise loops run them through
//! [`crate::elementwise::Split`]: each block of 256 inputs is scanned for
//! `|x| ≥ 2^13` ([`trig_needs_full`]) and takes the full function if it
//! holds one, so normal data never pays for the f64 paths and huge
//! arguments are still right. The full functions select the f32 reduction
//! per element below 2^13, so an element's result is the same whichever
//! path its block took (tested on every f32 below 2^13).
//!
//! float64 bounds, in f64 ULPs from glibc's result (glibc documents its
//! `exp`, `log`, `exp2`, `log2` within 1 ULP and most are correctly rounded
//! in practice; the tests sweep 2^24 bit patterns over every exponent and
//! sign plus 2^22 points of each function's interesting range, and check
//! the exact identities `exp2(k) = 2^k`, `log2(2^k) = k`,
//! `log10(10^k) = k`, `ln(1) = 0`, subnormals included):
//!
//! | function | method | max distance from glibc, tested |
//! |---|---|---|
//! | [`exp_f64`] | `2^n · (1 + r + r²·P(r))`, `r = x − n·ln 2` (2-part `ln 2`), Taylor to degree 13 | 1 |
//! | [`exp2_f64`] | `2^n · e^(r·ln 2)`, the product carried in two parts | 1 |
//! | [`expm1_f64`] | as `expm1_f32`, below ±36; `e^x − 1` past | 2 |
//! | [`ln_f64`] | fdlibm's `f − (f²/2 − s·(f²/2 + R(s²)))`, `s = f/(2 + f)`, `R` the `atanh` series to `s^21` | 1 |
//! | [`log2_f64`], [`log10_f64`] | the same parts times `log2(e)`/`log10(e)` split as in float32 | 1 / 2 |
//! | [`log1p_f64`] | as `log1p_f32` | 1 |
//! | [`tanh_f64`] | `−t/(t + 2)`, `t = expm1(−2·abs(x))` | 3 |
//! | [`hypot_f64`] | `√(x² + y²)` with the larger scaled to `[1, 4)` by a power of two | 1 |
//! | [`sin_f64`], [`cos_f64`] | `x = j·π/2 + r` below 2^20: Cody–Waite with a four-part `π/2` (three 33-bit parts, exact products for `j < 2^20`), `r` as a two-double sum; Taylor series of degrees 17/16; glibc's `sin`/`cos` at and above 2^20 | 1 / 1 |
//! | [`tan_f64`] | the same `sin r`, `cos r`, divided | 2 |
//! | [`atan_f64`] | `t = a`, `(2a − 1)/(2 + a)`, `(a − 1)/(a + 1)`, `(2a − 3)/(2 + 3a)` or `−1/a` (`\|t\| ≤ 7/16`, one division), `base + atan t` with the base in two doubles and `base + t` a two-sum; degree-11 Chebyshev polynomial in `t²` | 1 |
//! | [`atan2_f64`] | `atan`'s reduction on `\|y\|`, `\|x\|` without forming the ratio, `base ± atan t` by the sign of `x` | 1 |
//! | [`asin_f64`], [`acos_f64`] | as `asin_f32`/`acos_f32` (the root's rounding carried), degree-13 Chebyshev polynomial in `z`, `π/2 − …` and `π − …` as two-sums | 1 / 1 |
//! | [`sinh_f64`] | odd Taylor series to degree 19 below 1; `h − 1/(4h)`, `h = e^a/2` (exponent lowered, so finite to 710.47) | 2 (glibc itself is 2 ULP from the correctly rounded value there, at 0.4434…) |
//! | [`cosh_f64`] | `h + 1/(4h)` | 2 |
//! | [`asinh_f64`] | fdlibm's ranges, `s = √(a² + 1)`: `log1p(a + a²/(s + 1))` below 2, `ln(2a + 1/(s + a))` below 2^28, `ln a + ln 2` above, `x` below 2^-28; the `log1p` as `ln(1 + u)` plus its rounding correction, so one [`ln_f64`] per element, and one shared division | 2 (1 measured) |
//! | [`acosh_f64`] | fdlibm's ranges, `t = x − 1`: `log1p(t + √(2t + t²))` below 2, `ln(2x − 1/(x + √(x² − 1)))` below 2^28, `ln x + ln 2` above; one `ln_f64`, one square root, one division (the `log1p` correction and the reciprocal share it) | 2 (1 measured) |
//! | [`atanh_f64`] | fdlibm's `log1p(2a + 2a²/(1 − a))/2` below 1/2, `log1p(2a/(1 − a))/2` above ([`log1p_f64`], one shared division) | 2 (1 measured) |
//! | [`logaddexp_f64`] | `max(x, y) + log1p(e^(−\|x − y\|))` ([`exp_f64`], [`log1p_f64`]) | 2 from glibc's same formula where `max(x, y) ≥ 0`; below, 2.0 ULPs of the larger term (both lose the result's relative accuracy where the sum cancels) |
//!
//! The trigonometric rows are measured on 2^24 bit patterns, 2^14 random
//! mantissas in every binade from 2^-30 to 2^20, and the doubles nearest
//! `k·π/2` (two neighbours each side) for every `k < 10^5` and every 7th
//! `k` up to 2^20 (where Cody–Waite cancels most); the inverse and
//! hyperbolic rows on 2^24 bit patterns, 2^22 points of their range and
//! 2^17 doubles around each branch switch; `atan2` on 6.3 million pairs
//! (random bit patterns, magnitudes within 2^±4 of each other, the square
//! `[−2, 2]²`), grids around its interval switches at every scale, and all
//! pairs of the 64 smallest subnormals. float64 `sin`, `cos`, `tan` run in
//! loops as the float32 ones do: [`sin_f64_fast`] (and `cos`, `tan`) on
//! blocks without an input of magnitude 2^20 or more
//! ([`trig64_needs_full`]), [`sin_f64`] on the others, which selects the
//! same vectorised path per element below 2^20 and calls glibc above, so
//! no result depends on its neighbours.
//!
//! The inverse hyperbolic rows are measured against glibc's own `asinh`,
//! `acosh`, `atanh` (the standard library's `f64::asinh` and friends are
//! other formulas) on 26.7 million inputs: 2^24 bit patterns, 256 random
//! mantissas in every binade of both signs (subnormals included), 2^22
//! points of `[−4, 4]` and of `[1, 4]`, and 2^14 doubles each side of
//! `2^-28`, `1/2`, `1`, `2`, `2^28` and the arguments where `x²` and `2x`
//! overflow; `logaddexp` on 8.4 million pairs (random bit patterns, pairs
//! within 2^±6 of each other, uniform on `[−40, 40]²` and `[−2, 2]²`).
//! Against the libm loops they replace (10M, two threads, AVX-512,
//! `vmath_speed`, two same-run A/Bs at load average 3.7–4.0): `asinh`
//! 3.0–3.1×, `acosh` 1.8–2.1×, `atanh` 2.7–2.9×, `logaddexp` 1.5–2.2×
//! faster; at the SSE2 baseline level (two lanes, every range computed)
//! about 2× slower than libm, as the other float64 kernels.
//!
//! Special values follow IEEE 754 and C99 in both widths: `exp(NaN) = NaN`,
//! `exp(+inf) = +inf`, `exp(-inf) = 0`, overflow gives +inf and underflow 0
//! or a subnormal; `ln(0) = -inf`, `ln(x < 0) = NaN`, `ln(+inf) = +inf`,
//! subnormal inputs are exact-scaled first; `expm1`, `log1p`, `tanh`, `sin`
//! and `tan` keep the sign of zero, `log1p(-1) = -inf`, `tanh(±inf) = ±1`,
//! `sin(±inf) = cos(±inf) = tan(±inf) = NaN`; `asin`, `atan`, `sinh`,
//! `asinh`, `atanh` keep the sign of zero and return tiny and subnormal
//! arguments as they are; `asin(|x| > 1)`, `acos(|x| > 1)`, `acosh(x < 1)`,
//! `atanh(|x| > 1)` are NaN, `atanh(±1) = ±inf`, `atan(±inf) = ±π/2`,
//! `sinh` and `cosh` overflow to ±inf/+inf only past 89.4 (710.47 in
//! float64). The binary
//! functions follow C99 Annex F: `atan2(±0, +0) = ±0`, `atan2(±0, −0) = ±π`,
//! `atan2(±0, x < 0) = ±π`, `atan2(±y, ±0) = ±π/2`, `atan2(±inf, +inf) = ±π/4`,
//! `atan2(±inf, −inf) = ±3π/4`, `atan2(±y, +inf) = ±0`, `atan2(±y, −inf) = ±π`;
//! `hypot(±inf, NaN) = +inf` in either order; `logaddexp(x, x) = x + ln 2`
//! (so `±inf` for `±inf`), `logaddexp(+inf, −inf) = +inf`; NaN in gives NaN
//! otherwise.

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

/// The pieces of `ln x` for finite `x > 0`: `(e, f, p, z)` with
/// `ln x = e·ln 2 + f − z/2 + p`, `f = m − 1` for the mantissa
/// `m ∈ [√½, √2)`, `z = f²` and `p` the small polynomial rest.
#[inline(always)]
fn ln_parts(x: f32) -> (f32, f32, f32, f32) {
    // Subnormals: scale by 2^23 (exact) and correct the exponent.
    let sub = x < f32::MIN_POSITIVE;
    let xs = if sub { x * 8_388_608.0 } else { x };
    let (k, f) = ln_reduce(xs);
    ln_poly((k - if sub { 23 } else { 0 }) as f32, f)
}

/// [`ln_parts`] for a positive normal finite `x` (the same bits there;
/// anything for other inputs).
#[inline(always)]
fn ln_parts_normal(x: f32) -> (f32, f32, f32, f32) {
    let (k, f) = ln_reduce(x);
    ln_poly(k as f32, f)
}

/// `(k, f)` with `x = 2^k · (1 + f)` and `1 + f ∈ [√½, √2)` (folded where
/// the mantissa is above `√2` rounded to f32) for a
/// positive normal finite `x`: one integer subtraction from the bits of
/// `√½` puts the fold into the exponent field (`k = (bits − off) >> 23`),
/// and the mantissa is `x` with `k` taken off its exponent. Exact.
#[inline(always)]
fn ln_reduce(x: f32) -> (i32, f32) {
    // The bits of √½ rounded to f32 (0x3f35_04f3) plus one: a mantissa
    // field up to 0x35_04f3 (that of √2 rounded) borrows from the exponent
    // (not folded), one above it does not (folded).
    const OFF: i32 = 0x3f35_04f4;
    let ix = x.to_bits() as i32;
    let t = ix.wrapping_sub(OFF);
    let k = t >> 23;
    let m = f32::from_bits(ix.wrapping_sub(t & (0xff80_0000_u32 as i32)) as u32);
    (k, m - 1.0)
}

/// The polynomial part of [`ln_parts`] for the exponent `e` and reduced
/// mantissa `f`.
#[inline(always)]
fn ln_poly(e: f32, f: f32) -> (f32, f32, f32, f32) {
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

/// Whether `x` needs the full [`ln_f32`], [`log2_f32`], [`log10_f32`]
/// rather than their `_fast` forms: every input but the positive normal
/// finite ones (zero, subnormals, negatives, infinities, NaN). The
/// predicate of a [`crate::elementwise::Split`] loop.
#[inline(always)]
pub fn log_needs_full(x: f32) -> bool {
    // One unsigned comparison: the bits of the positive normal finite
    // floats, less those of f32::MIN_POSITIVE, are below 0x7f00_0000.
    (x.to_bits().wrapping_sub(0x0080_0000)) >= 0x7f00_0000
}

/// [`ln_f32`] for `x ≥ 1`, `+inf` or NaN (the arguments of the inverse
/// hyperbolic functions' logarithms): the same bits there without the
/// checks for zero, negative and subnormal inputs.
#[inline(always)]
fn ln_above_one(x: f32) -> f32 {
    if x < f32::INFINITY { ln_f32_fast(x) } else { x }
}

/// `ln` from its parts (see [`ln_parts`]).
#[inline(always)]
fn ln_combine((e, f, p, z): (f32, f32, f32, f32)) -> f32 {
    let y = p + LN2_LO * e - 0.5 * z;
    (f + y) + LN2_HI * e
}

/// Natural logarithm for `f32`, within 1 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn ln_f32(x: f32) -> f32 {
    log_special(x, ln_combine(ln_parts(x)))
}

/// [`ln_f32`] without its special values and subnormal scaling: the same
/// bits where [`log_needs_full`] is false, anything elsewhere.
#[inline(always)]
pub fn ln_f32_fast(x: f32) -> f32 {
    ln_combine(ln_parts_normal(x))
}

/// `log2` from its parts (see [`ln_parts`]).
#[inline(always)]
fn log2_combine((e, f, p, z): (f32, f32, f32, f32)) -> f32 {
    let y = p - 0.5 * z;
    // log2(m) = (f + y)·log2(e), with f·log2(e) split so that its rounding
    // error is not doubled.
    const LOG2E_HI: f32 = 1.442_382_8; // 12 significant bits
    const LOG2E_LO: f32 = LOG2E - LOG2E_HI;
    let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
    let f_lo = f - f_hi;
    let l = ((f_lo + y) * LOG2E + f_hi * LOG2E_LO) + f_hi * LOG2E_HI;
    e + l
}

/// Base-2 logarithm for `f32`, within 2 ULP of the correctly rounded result
/// and exact at powers of two; branch-free and vectorisable.
#[inline(always)]
pub fn log2_f32(x: f32) -> f32 {
    log_special(x, log2_combine(ln_parts(x)))
}

/// [`log2_f32`] without its special values and subnormal scaling: the same
/// bits where [`log_needs_full`] is false, anything elsewhere.
#[inline(always)]
pub fn log2_f32_fast(x: f32) -> f32 {
    log2_combine(ln_parts_normal(x))
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

/// `log10(e)` rounded to f32, and split like `LOG2E` in [`log2_f32`].
const LOG10E: f32 = std::f32::consts::LOG10_E;
/// `log10(2)` split: `LOG10_2_HI` has 12 significant bits, so `e ·
/// LOG10_2_HI` is exact for every exponent `e`.
const LOG10_2_HI: f32 = 0.301_025_4;
/// `log10(2) − LOG10_2_HI`.
const LOG10_2_LO: f32 = 4.605_039e-6;

/// `log10` from its parts (see [`ln_parts`]).
#[inline(always)]
fn log10_combine((e, f, p, z): (f32, f32, f32, f32)) -> f32 {
    let y = p - 0.5 * z;
    // log10(m) = (f + y)·log10(e), with f·log10(e) split as in `log2_f32`.
    const LOG10E_HI: f32 = 0.434_326_17; // 12 significant bits
    const LOG10E_LO: f32 = LOG10E - LOG10E_HI;
    let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
    let f_lo = f - f_hi;
    let l = ((f_lo + y) * LOG10E + f_hi * LOG10E_LO) + f_hi * LOG10E_HI;
    (e * LOG10_2_LO + l) + e * LOG10_2_HI
}

/// Base-10 logarithm for `f32`, within 2 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn log10_f32(x: f32) -> f32 {
    log_special(x, log10_combine(ln_parts(x)))
}

/// [`log10_f32`] without its special values and subnormal scaling: the
/// same bits where [`log_needs_full`] is false, anything elsewhere.
#[inline(always)]
pub fn log10_f32_fast(x: f32) -> f32 {
    log10_combine(ln_parts_normal(x))
}

// ---------------------------------------------------------------------------
// float32 sin, cos, tan: reduced and evaluated in float64.

/// `1.5 · 2^52`: adding it rounds an `f64` of magnitude below 2^51 to an
/// integer, which then sits in the low mantissa bits.
const ROUND64: f64 = 6_755_399_441_055_744.0;
/// `2/π` rounded to f64.
const INV_PIO2: f64 = std::f64::consts::FRAC_2_PI;
/// `π/2` in three parts: `PIO2_1` and `PIO2_2` have 28 significant bits, so
/// `j · PIO2_k` is exact for `j < 2^25`; `PIO2_3` is the rounded rest.
const PIO2_1: f64 = 1.570_796_325_802_803;
/// Second part of `π/2`.
const PIO2_2: f64 = 9.920_935_808_982_456e-10;
/// Third part of `π/2`.
const PIO2_3: f64 = -1.217_705_177_797_396_6e-18;

// `2^k · 2/π mod 4` for k = 1..=104 in two f64 pieces: HI truncated to the
// grid 2^-50 (52 bits, exact) and LO the rounded rest. `reduce_pio2` splits
// each once more, so that every product with a 24-bit integer is exact.
// Generated with mpmath at 2000 bits.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
mod inv_pio2 {
    //! Payne–Hanek table: `2^k · 2/π mod 4` (see the comment above).
    pub(super) const INV_PIO2_HI: [f64; 104] = [
        1.273239544735162,
        2.546479089470325,
        1.0929581789406502,
        2.1859163578813012,
        0.37183271576260246,
        0.7436654315252058,
        1.4873308630504116,
        2.9746617261008232,
        1.9493234522016474,
        3.8986469044032948,
        3.7972938088065904,
        3.594587617613181,
        3.1891752352263616,
        2.378350470452724,
        0.756700940905449,
        1.513401881810899,
        3.026803763621799,
        2.0536075272435985,
        0.10721505448719792,
        0.21443010897439674,
        0.4288602179487935,
        0.857720435897587,
        1.715440871795174,
        3.430881743590348,
        2.8617634871806965,
        1.723526974361393,
        3.447053948722786,
        2.894107897445573,
        1.7882157948911468,
        3.5764315897822945,
        3.152863179564589,
        2.305726359129179,
        0.6114527182583576,
        1.222905436516716,
        2.445810873033432,
        0.891621746066865,
        1.7832434921337308,
        3.5664869842674625,
        3.132973968534926,
        2.2659479370698525,
        0.5318958741397051,
        1.063791748279411,
        2.127583496558822,
        0.2551669931176441,
        0.5103339862352883,
        1.0206679724705774,
        2.0413359449411557,
        0.08267188988231222,
        0.16534377976462533,
        0.33068755952925155,
        0.6613751190585031,
        1.322750238117007,
        2.645500476234014,
        1.2910009524680293,
        2.5820019049360585,
        1.164003809872117,
        2.328007619744235,
        0.6560152394884708,
        1.3120304789769417,
        2.6240609579538843,
        1.2481219159077686,
        2.496243831815537,
        0.9924876636310751,
        1.984975327262151,
        3.969950654524302,
        3.9399013090486052,
        3.8798026180972114,
        3.7596052361944237,
        3.5192104723888473,
        3.0384209447776955,
        2.076841889555392,
        0.1536837791107848,
        0.3073675582215696,
        0.6147351164431392,
        1.2294702328862783,
        2.4589404657725566,
        0.9178809315451133,
        1.8357618630902266,
        3.671523726180454,
        3.343047452360909,
        2.686094904721818,
        1.372189809443637,
        2.744379618887275,
        1.4887592377745502,
        2.9775184755491013,
        1.9550369510982035,
        3.910073902196407,
        3.820147804392815,
        3.640295608785631,
        3.2805912175712617,
        2.5611824351425234,
        1.1223648702850468,
        2.2447297405700946,
        0.4894594811401891,
        0.9789189622803791,
        1.9578379245607582,
        3.9156758491215164,
        3.831351698243034,
        3.6627033964860676,
        3.325406792972136,
        2.650813585944272,
        1.301627171888545,
        2.603254343777091,
        1.206508687554182,
    ];
    pub(super) const INV_PIO2_LO: [f64; 104] = [
        5.87419108074364e-16,
        2.8665979644860273e-16,
        5.733195928972055e-16,
        2.5846076609428563e-16,
        5.169215321885713e-16,
        1.4566464467701736e-16,
        2.913292893540347e-16,
        5.826585787080694e-16,
        2.771387377160137e-16,
        5.542774754320274e-16,
        2.2037653116392958e-16,
        4.4075306232785917e-16,
        8.815061246557183e-16,
        8.748338296113114e-16,
        8.614892395224975e-16,
        8.348000593448699e-16,
        7.814216989896146e-16,
        6.74664978279104e-16,
        4.611515368580826e-16,
        3.412465401603999e-17,
        6.824930803207998e-17,
        1.3649861606415995e-16,
        2.729972321283199e-16,
        5.459944642566398e-16,
        2.0381050881315446e-16,
        4.0762101762630893e-16,
        8.152420352526179e-16,
        7.423056508051106e-16,
        5.964328819100959e-16,
        3.0468734412006654e-16,
        6.093746882401331e-16,
        3.305709567801409e-16,
        6.611419135602818e-16,
        4.3410540742043845e-16,
        8.682108148408769e-16,
        8.482432099816285e-16,
        8.083080002631317e-16,
        7.284375808261382e-16,
        5.686967419521513e-16,
        2.492150642041774e-16,
        4.984301284083548e-16,
        1.0868183711658421e-16,
        2.1736367423316843e-16,
        4.3472734846633686e-16,
        8.694546969326737e-16,
        8.507309741652223e-16,
        8.132835286303193e-16,
        7.383886375605134e-16,
        5.885988554209016e-16,
        2.890192911416779e-16,
        5.780385822833558e-16,
        2.6789874486658647e-16,
        5.357974897331729e-16,
        1.8341655976622056e-16,
        3.668331195324411e-16,
        7.336662390648822e-16,
        5.791540584296392e-16,
        2.7012969715915314e-16,
        5.402593943183063e-16,
        1.9234036893648733e-16,
        3.8468073787297466e-16,
        7.693614757459493e-16,
        6.505445317917733e-16,
        4.1291064388342135e-16,
        8.258212877668427e-16,
        7.634641558335603e-16,
        6.387498919669952e-16,
        3.8932136423386513e-16,
        7.786427284677303e-16,
        6.691070372353353e-16,
        4.500356547705454e-16,
        1.1892889840965575e-17,
        2.378577968193115e-17,
        4.75715593638623e-17,
        9.51431187277246e-17,
        1.902862374554492e-16,
        3.805724749108984e-16,
        7.611449498217968e-16,
        6.341114799434683e-16,
        3.8004454018681146e-16,
        7.600890803736229e-16,
        6.319997410471207e-16,
        3.758210623941161e-16,
        7.516421247882322e-16,
        6.151058298763392e-16,
        3.420332400525531e-16,
        6.840664801051062e-16,
        4.799545405100872e-16,
        7.173066132004923e-17,
        1.4346132264009847e-16,
        2.8692264528019694e-16,
        5.738452905603939e-16,
        2.595121614206625e-16,
        5.19024322841325e-16,
        1.498702259825248e-16,
        2.997404519650496e-16,
        5.994809039300992e-16,
        3.1078338816007317e-16,
        6.215667763201463e-16,
        3.549551329401675e-16,
        7.09910265880335e-16,
        5.316421120605448e-16,
        1.7510580442096445e-16,
        3.502116088419289e-16,
    ];
}

/// `x = j·π/2 + r` for `f32` `a = |x|` (finite or not): the quadrant `j mod 4`
/// and `r` in f64, `|r| ≤ π/4` plus rounding, with a relative error near
/// 2^-50 for every finite input.
///
/// Below 2^24 the reduction is Cody–Waite with the three-part `π/2`
/// (exact products, `j < 2^24`). From 2^24 on, `a = m · 2^k` with a 24-bit
/// integer `m` and `k ≥ 1`, and `a · 2/π mod 4 = m · (2^k · 2/π mod 4) mod 4`
/// comes from the table: the first two products are exact and cancel
/// exactly, so the fraction keeps full precision. Both are computed for
/// every element and selected (the two table loads become gathers), so the
/// loop stays branch-free. NaN gives a NaN `r`; infinities give a finite `r` that
/// the callers replace with NaN.
#[inline(always)]
fn reduce_pio2_f64(a: f32) -> (u32, f64) {
    use inv_pio2::*;
    // Cody–Waite.
    let ad = a as f64;
    let t = ad * INV_PIO2 + ROUND64;
    let j = t - ROUND64;
    let r_small = ((ad - j * PIO2_1) - j * PIO2_2) - j * PIO2_3;
    // Payne–Hanek for a ≥ 2^24 (the index is clamped so that smaller,
    // infinite and NaN inputs read a valid, unused entry).
    let bits = a.to_bits();
    let k = (((bits >> 23) as i32) - 150).clamp(1, 104) as usize - 1;
    let m = ((bits & 0x007f_ffff) | 0x0080_0000) as f64;
    // Two loads (gathers), split on the grids 2^-24 and 2^-76 by rounding:
    // A (27 bits), B = HI − A (|B| ≤ 2^-25, 25 bits), C (27 bits), D.
    const S_A: f64 = 402_653_184.0; // 1.5 · 2^28
    const S_C: f64 = 8.940_696_716_308_594e-8; // 1.5 · 2^-24
    let hi = INV_PIO2_HI[k];
    let lo = INV_PIO2_LO[k];
    let ta = (hi + S_A) - S_A;
    let tb = hi - ta;
    let tc = (lo + S_C) - S_C;
    let td = lo - tc;
    let p = m * ta;
    // p mod 4 into [−2, 2], exactly (p is on the grid 2^-24, below 2^27).
    let p = p - 4.0 * ((p * 0.25 + ROUND64) - ROUND64);
    let q = m * tb;
    let tj = (p + q) + ROUND64;
    let jb = tj - ROUND64;
    // Exact: both terms sit on the grid 2^-50 and the sum is below 1.
    let f = (p - jb) + q;
    let f = f + (m * tc + m * td);
    let r_big = f * std::f64::consts::FRAC_PI_2;
    let big = a >= 16_777_216.0;
    let r = if big { r_big } else { r_small };
    let n = if big { tj.to_bits() } else { t.to_bits() };
    (n as u32 & 3, r)
}

/// `π/2` in four f32 parts for [`reduce_pio2_f32`]: the first three have 11
/// significant bits (the leading bits of `π/2`, truncated), so `j · PIO2_Fk`
/// is exact for every quadrant `j < 2^13`; the fourth is the rest rounded.
/// Together they hold `π/2` to about 2^-60.
const PIO2_F1: f32 = 1.570_312_5;
/// Second part of `π/2` for [`reduce_pio2_f32`].
const PIO2_F2: f32 = 4.837_513e-4;
/// Third part of `π/2` for [`reduce_pio2_f32`].
const PIO2_F3: f32 = 7.549_533_6e-8;
/// Fourth part (the rounded rest) of `π/2` for [`reduce_pio2_f32`].
const PIO2_F4: f32 = 2.563_344e-12;

/// `x = j·π/2 + r` in f32 arithmetic for `a = |x| <` [`TRIG_FAST_MAX`]
/// (16 lanes per AVX-512 vector instead of the 8 of [`reduce_pio2_f64`]):
/// the quadrant `j mod 4` and `r = h + l` as an unevaluated f32 sum with
/// `|l| ≤ ulp(h)/2`, `|r| ≤ π/4` plus rounding.
///
/// Cody–Waite with the four-part `π/2`: `a − j·PIO2_F1` is exact (the
/// product is exact and within a factor of two of `a`), so is the next
/// subtraction (both terms sit on a grid fine enough for the small
/// difference), the third one's rounding error is carried in `l` (a
/// two-sum) and the fourth product is added to `l`. An exhaustive check over
/// every f32 below 2^13 (`exhaustive_trig_reduction`) bounds the relative
/// error of `h + l` by 2^-28 against the f64 reduction with the same `j`, where
/// the smallest `|r|` is about 2^-27.8 (at `a = 252.898…`). NaN gives NaN.
#[inline(always)]
fn reduce_pio2_f32(a: f32) -> (u32, f32, f32) {
    let t = a * std::f32::consts::FRAC_2_PI + ROUND;
    let j = t - ROUND;
    let r1 = a - j * PIO2_F1;
    let r2 = r1 - j * PIO2_F2;
    // Two-sum of r2 and −j·PIO2_F3: s + e = r2 − j·PIO2_F3 exactly.
    let b = -(j * PIO2_F3);
    let s = r2 + b;
    let bv = s - r2;
    let e = (r2 - (s - bv)) + (b - bv);
    let lo = e - j * PIO2_F4;
    // Renormalise (|s| ≥ |lo| where it matters: lo is below ulp(s) there).
    let h = s + lo;
    let l = lo - (h - s);
    (t.to_bits() & 3, h, l)
}

/// `(sin r, cos r)` for the reduced argument `r = h + l` (`|r| ≤ π/4`,
/// `|l| ≤ ulp(h)/2`), in f32: `sin r = h + (l + h·z·P(z))`,
/// `cos r = 1 − z/2 + z²·Q(z)` with `z = h²` and `P`, `Q` the Taylor series
/// to degrees 9 and 10 (remainders below 0.05 ULP).
#[inline(always)]
fn sincos_poly(h: f32, l: f32) -> (f32, f32) {
    let z = h * h;
    let p = -1.666_666_7e-1 + z * (8.333_333e-3 + z * (-1.984_127e-4 + z * 2.755_731_9e-6));
    let s = h + (l + h * z * p);
    let q = 4.166_666_8e-2 + z * (-1.388_888_9e-3 + z * (2.480_158_7e-5 + z * -2.755_732e-7));
    let c = (1.0 - 0.5 * z) + z * z * q;
    (s, c)
}

/// The reduced argument of `a = |x|` as `(j mod 4, h, l)`: from
/// [`reduce_pio2_f32`] alone (`FULL = false`, right below
/// [`TRIG_FAST_MAX`]), or (`FULL = true`) from it below [`TRIG_FAST_MAX`]
/// and from [`reduce_pio2_f64`] above, selected per element, so that the two
/// give the same bits wherever both are right.
#[inline(always)]
fn trig_reduce<const FULL: bool>(a: f32) -> (u32, f32, f32) {
    let (j, h, l) = reduce_pio2_f32(a);
    if !FULL {
        return (j, h, l);
    }
    let (jd, r) = reduce_pio2_f64(a);
    let hd = r as f32;
    let ld = (r - hd as f64) as f32;
    // NaN takes the f32 path, as in `trig_needs_full` (the same NaN bits).
    let near = !trig_needs_full(a);
    (if near { j } else { jd }, if near { h } else { hd }, if near { l } else { ld })
}

/// `v` with its sign flipped where `x` is negative (bit XOR, so that `-0.0`
/// keeps its sign), NaN where `x` is infinite.
#[inline(always)]
fn odd_result(x: f32, v: f32) -> f32 {
    let r = f32::from_bits(v.to_bits() ^ (x.to_bits() & 0x8000_0000));
    if x.abs() == f32::INFINITY { f32::NAN } else { r }
}

/// Where the f32 reduction of the `*_fast` trigonometric functions stops
/// being accurate: they are for `|x| <` this value (and NaN, ±inf).
pub const TRIG_FAST_MAX: f32 = 8192.0;

/// Whether `x` needs [`sin_f32`] rather than [`sin_f32_fast`] (the same for
/// `cos` and `tan`): `|x| ≥ 2^13`. The predicate of a
/// [`crate::elementwise::Split`] loop.
#[inline(always)]
pub fn trig_needs_full(x: f32) -> bool {
    x.abs() >= TRIG_FAST_MAX
}

#[inline(always)]
fn sin_impl<const FULL: bool>(x: f32) -> f32 {
    let (j, h, l) = trig_reduce::<FULL>(x.abs());
    let (s, c) = sincos_poly(h, l);
    // sin(jπ/2 + r) = s, c, −s, −c.
    let v = if j & 1 == 0 { s } else { c };
    let v = if j & 2 == 0 { v } else { -v };
    odd_result(x, v)
}

#[inline(always)]
fn cos_impl<const FULL: bool>(x: f32) -> f32 {
    let (j, h, l) = trig_reduce::<FULL>(x.abs());
    let (s, c) = sincos_poly(h, l);
    // cos(jπ/2 + r) = c, −s, −c, s.
    let v = if j & 1 == 0 { c } else { s };
    let v = if (j ^ (j >> 1)) & 1 == 0 { v } else { -v };
    if x.abs() == f32::INFINITY { f32::NAN } else { v }
}

#[inline(always)]
fn tan_impl<const FULL: bool>(x: f32) -> f32 {
    let (j, h, l) = trig_reduce::<FULL>(x.abs());
    let (s, c) = sincos_poly(h, l);
    // tan(jπ/2 + r) = s/c for even j, −c/s for odd j.
    let odd = j & 1 != 0;
    let num = if odd { c } else { s };
    let den = if odd { -s } else { c };
    odd_result(x, num / den)
}

/// Sine for `f32`, within 2 ULP of the correctly rounded result for every
/// input (the argument reduction is exact to about 2^-50 up to `f32::MAX`);
/// branch-free and vectorisable, but it pays for the large-argument
/// reduction on every element: loops use [`sin_f32_fast`] where no input
/// needs it ([`trig_needs_full`]).
#[inline(always)]
pub fn sin_f32(x: f32) -> f32 {
    sin_impl::<true>(x)
}

/// [`sin_f32`] for `|x| < 2^13` ([`TRIG_FAST_MAX`]), NaN and ±inf, with
/// the same bits there, reduced in f32 (twice the lanes); wrong beyond (see
/// [`trig_needs_full`]).
#[inline(always)]
pub fn sin_f32_fast(x: f32) -> f32 {
    sin_impl::<false>(x)
}

/// Cosine for `f32`, within 2 ULP of the correctly rounded result for every
/// input; branch-free and vectorisable (see [`sin_f32`]).
#[inline(always)]
pub fn cos_f32(x: f32) -> f32 {
    cos_impl::<true>(x)
}

/// [`cos_f32`] for `|x| < 2^13`, NaN and ±inf (see [`sin_f32_fast`]).
#[inline(always)]
pub fn cos_f32_fast(x: f32) -> f32 {
    cos_impl::<false>(x)
}

/// Tangent for `f32`, within 4 ULP of the correctly rounded result for every
/// input; branch-free and vectorisable (see [`sin_f32`]).
#[inline(always)]
pub fn tan_f32(x: f32) -> f32 {
    tan_impl::<true>(x)
}

/// [`tan_f32`] for `|x| < 2^13`, NaN and ±inf (see [`sin_f32_fast`]).
#[inline(always)]
pub fn tan_f32_fast(x: f32) -> f32 {
    tan_impl::<false>(x)
}

// ---------------------------------------------------------------------------
// float64 exp and log families.

/// `ln 2` split for f64: `LN2_HI_64` has 32 significant bits, so `n ·
/// LN2_HI_64` is exact for every exponent `n` (|n| < 2^11).
const LN2_HI_64: f64 = 0.693_147_180_601_954_5;
/// `ln 2 − LN2_HI_64`.
const LN2_LO_64: f64 = -4.200_915_072_681_084_6e-11;

/// `p · 2^n` for `n` in −1080..=1030, in two exact steps (subnormal results
/// round once, overflow gives +inf).
#[inline(always)]
fn scale64(p: f64, n: i64) -> f64 {
    let n1 = n >> 1;
    let n2 = n.wrapping_sub(n1);
    let s1 = f64::from_bits((n1.wrapping_add(1023) as u64) << 52);
    let s2 = f64::from_bits((n2.wrapping_add(1023) as u64) << 52);
    p * s1 * s2
}

/// `x = n·ln 2 + r` for f64, `|r| ≤ ln 2 / 2` plus rounding: `(n, n as i64,
/// r)`. `x` must be within ±1100 (callers clamp).
#[inline(always)]
fn reduce_ln2_64(x: f64) -> (f64, i64, f64) {
    let t = x * std::f64::consts::LOG2_E + ROUND64;
    let n = t - ROUND64;
    let ni = (t.to_bits() as i64).wrapping_sub(ROUND64.to_bits() as i64);
    (n, ni, (x - n * LN2_HI_64) - n * LN2_LO_64)
}

/// `e^r − 1 − r` for `|r| ≤ 0.35`: `r²·(1/2 + r/6 + …)`, the Taylor series
/// to degree 13 (remainder below 2^-58 relative).
#[inline(always)]
fn expm1_poly64(r: f64) -> f64 {
    const C: [f64; 12] = [
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    let mut p = C[11];
    for &c in C[..11].iter().rev() {
        p = p * r + c;
    }
    r * r * p
}

/// `e^x` for `f64`, within 1 ULP of the correctly rounded result;
/// branch-free and vectorisable.
#[inline(always)]
pub fn exp_f64(x: f64) -> f64 {
    // Past these bounds the result is +inf or 0 anyway. NaN passes through.
    let xc = x.clamp(-746.0, 710.0);
    let (_, n, r) = reduce_ln2_64(xc);
    scale64(1.0 + (r + expm1_poly64(r)), n)
}

/// `2^x` for `f64`, within 1 ULP of the correctly rounded result and exact
/// for integer `x`; branch-free and vectorisable.
#[inline(always)]
pub fn exp2_f64(x: f64) -> f64 {
    let xc = x.clamp(-1076.0, 1025.0);
    let t = xc + ROUND64;
    let n = t - ROUND64;
    let ni = (t.to_bits() as i64).wrapping_sub(ROUND64.to_bits() as i64);
    // r·ln 2 with the product's rounding error carried into the sum.
    let r = xc - n;
    let r_hi = f64::from_bits(r.to_bits() & 0xffff_ffff_f800_0000);
    let r_lo = r - r_hi;
    let rl = r_hi * LN2_HI_64;
    let rl_lo = r_lo * std::f64::consts::LN_2 + r_hi * LN2_LO_64;
    let u = rl + rl_lo;
    scale64(1.0 + (rl + (rl_lo + expm1_poly64(u))), ni)
}

/// `e^x − 1` for `f64`, within 2 ULP of the correctly rounded result and
/// accurate near 0; branch-free and vectorisable.
#[inline(always)]
pub fn expm1_f64(x: f64) -> f64 {
    // Below |x| = 36 (n ≤ 52, so 2^n − 1 is exact): reduce as exp does.
    let xc = x.clamp(-36.0, 36.0);
    let (_, n, r) = reduce_ln2_64(xc);
    let q = r + expm1_poly64(r);
    let s = f64::from_bits((n.wrapping_add(1023) as u64) << 52);
    let near = q * s + (s - 1.0);
    // Beyond ±36, e^x − 1 rounds like e^x minus one (NaN goes this way too).
    let far = exp_f64(x) - 1.0;
    let r = if x.abs() <= 36.0 { near } else { far };
    if x == 0.0 { x } else { r }
}

/// The pieces of `ln x` for finite `x > 0` in f64: `(e, f, hfsq, t)` with
/// `ln x = e·ln 2 + f − hfsq + t`, `f = m − 1` for the mantissa
/// `m ∈ [√½, √2)`, `hfsq = f²/2` and `t = s·(hfsq + R(s²))` the small rest
/// (`s = f/(2 + f)`, `R` the series of `2·atanh(s)/s − 2`).
#[inline(always)]
fn ln_parts64(x: f64) -> (f64, f64, f64, f64) {
    // Subnormals: scale by 2^54 (exact) and correct the exponent.
    let sub = x < f64::MIN_POSITIVE;
    let xs = if sub { x * 18_014_398_509_481_984.0 } else { x };
    let bits = xs.to_bits() as i64;
    let e = ((bits >> 52) & 0x7ff) - 1023 - if sub { 54 } else { 0 };
    let m = f64::from_bits(((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000) as u64);
    let big = m > std::f64::consts::SQRT_2;
    let m = if big { m * 0.5 } else { m };
    // `e` fits in i32 (it is masked above), so LLVM converts it with
    // `vcvtdq2pd` under AVX2, which has no i64 → f64 conversion.
    let e = (e + big as i64) as f64;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    // 2/3, 2/5, …, 2/21: the remainder is below 2^-58 relative for s ≤ 0.172.
    const C: [f64; 10] = [
        2.0 / 3.0,
        2.0 / 5.0,
        2.0 / 7.0,
        2.0 / 9.0,
        2.0 / 11.0,
        2.0 / 13.0,
        2.0 / 15.0,
        2.0 / 17.0,
        2.0 / 19.0,
        2.0 / 21.0,
    ];
    let mut p = C[9];
    for &c in C[..9].iter().rev() {
        p = p * z + c;
    }
    let hfsq = 0.5 * f * f;
    (e, f, hfsq, s * (hfsq + z * p))
}

/// The special values of an f64 logarithm (as [`log_special`]).
#[inline(always)]
fn log_special64(x: f64, r: f64) -> f64 {
    let r = if x == 0.0 { f64::NEG_INFINITY } else { r };
    let r = if x < 0.0 { f64::NAN } else { r };
    if x.is_nan() || x == f64::INFINITY { x } else { r }
}

/// Natural logarithm for `f64`, within 1 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn ln_f64(x: f64) -> f64 {
    let (e, f, hfsq, t) = ln_parts64(x);
    log_special64(x, e * LN2_HI_64 + (f - (hfsq - (t + e * LN2_LO_64))))
}

/// `log_b(m) = (f − hfsq + t)·c` for the constant `c = log_b(e)` given in two
/// parts (`c_hi` with at most 32 significant bits), with `f·c` split so that
/// its rounding error is not doubled.
#[inline(always)]
fn scaled_log64(f: f64, hfsq: f64, t: f64, c: f64, c_hi: f64, c_lo: f64) -> f64 {
    let f_hi = f64::from_bits(f.to_bits() & 0xffff_ffff_0000_0000);
    let f_lo = f - f_hi;
    let y = t - hfsq;
    ((f_lo + y) * c + f_hi * c_lo) + f_hi * c_hi
}

/// Base-2 logarithm for `f64`, within 1 ULP of the correctly rounded result
/// and exact at powers of two; branch-free and vectorisable.
#[inline(always)]
pub fn log2_f64(x: f64) -> f64 {
    const C: f64 = std::f64::consts::LOG2_E;
    const C_HI: f64 = 1.442_695_040_721_446_3; // 32 significant bits
    const C_LO: f64 = C - C_HI;
    let (e, f, hfsq, t) = ln_parts64(x);
    log_special64(x, e + scaled_log64(f, hfsq, t, C, C_HI, C_LO))
}

/// Base-10 logarithm for `f64`, within 2 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn log10_f64(x: f64) -> f64 {
    const C: f64 = std::f64::consts::LOG10_E;
    const C_HI: f64 = 0.434_294_481_878_168_9; // 32 significant bits
    const C_LO: f64 = C - C_HI;
    const L2_HI: f64 = 0.301_029_995_665_885_5; // 32 significant bits
    const L2_LO: f64 = std::f64::consts::LOG10_2 - L2_HI;
    let (e, f, hfsq, t) = ln_parts64(x);
    log_special64(x, e * L2_HI + (e * L2_LO + scaled_log64(f, hfsq, t, C, C_HI, C_LO)))
}

/// `ln(1 + x)` for `f64`, within 2 ULP of the correctly rounded result and
/// accurate near 0; branch-free and vectorisable.
#[inline(always)]
pub fn log1p_f64(x: f64) -> f64 {
    let u = 1.0 + x;
    // ln(u) is accurate; the rounding of 1 + x is corrected to first order.
    let r = ln_f64(u) + (x - (u - 1.0)) / u;
    let r = if u == 1.0 { x } else { r };
    let r = if u == 0.0 { f64::NEG_INFINITY } else { r };
    if x == f64::INFINITY { x } else { r }
}

/// Hyperbolic tangent for `f64`, within 3 ULP of the correctly rounded
/// result: `−t/(t + 2)` with `t = e^(−2·abs(x)) − 1`; branch-free and
/// vectorisable.
#[inline(always)]
pub fn tanh_f64(x: f64) -> f64 {
    let t = expm1_f64(-2.0 * x.abs());
    let r = -t / (t + 2.0);
    r.copysign(x)
}

// ---------------------------------------------------------------------------
// float64 trigonometric functions.

/// `π/2` in four parts for [`reduce_pio2_64`]: the first three have 33
/// significant bits (the leading bits of `π/2`, truncated), so `j · PIO2_64_k`
/// is exact for every quadrant `j < 2^20`; the fourth is the rest rounded.
/// Together they hold `π/2` to about 2^-160.
const PIO2_64_1: f64 = 1.570_796_326_734_125_6;
/// Second part of `π/2` for [`reduce_pio2_64`].
const PIO2_64_2: f64 = 6.077_100_506_303_966e-11;
/// Third part of `π/2` for [`reduce_pio2_64`].
const PIO2_64_3: f64 = 2.022_266_248_711_166_5e-21;
/// Fourth part (the rounded rest) of `π/2` for [`reduce_pio2_64`].
const PIO2_64_4: f64 = 8.478_427_660_368_9e-32;

/// Where the vectorised f64 reduction stops being exact: [`sin_f64_fast`],
/// [`cos_f64_fast`], [`tan_f64_fast`] are for `|x| <` this value (2^20, so
/// that every quadrant is below 2^20), NaN and ±inf.
pub const TRIG64_FAST_MAX: f64 = 1_048_576.0;

/// Whether `x` needs [`sin_f64`] rather than [`sin_f64_fast`] (the same for
/// `cos` and `tan`): `|x| ≥ 2^20` (±inf included). The predicate of a
/// [`crate::elementwise::Split`] loop.
#[inline(always)]
pub fn trig64_needs_full(x: f64) -> bool {
    x.abs() >= TRIG64_FAST_MAX
}

/// `s + e = a + b` exactly (Knuth's two-sum, no ordering needed).
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bv = s - a;
    let e = (a - (s - bv)) + (b - bv);
    (s, e)
}

/// `x = j·π/2 + r` for `a = |x| <` [`TRIG64_FAST_MAX`] in f64: the quadrant
/// `j mod 4` and `r = hi + lo` as an unevaluated sum with `|lo| ≤ ulp(hi)/2`,
/// `|r| ≤ π/4` plus rounding.
///
/// Cody–Waite with the four-part `π/2`: every product `j·PIO2_64_k` (k ≤ 3)
/// is exact, `a − j·PIO2_64_1` is exact (the two are within a factor of two),
/// the next two subtractions are two-sums whose errors are carried in `lo`,
/// and `j·PIO2_64_4` is added to `lo`. The parts hold `π/2` to 2^-160 and
/// the smallest `|r|` of a double below 2^20 is far above 2^-100, so `hi +
/// lo` is `r` to well below an ULP of `hi` (tested on the doubles nearest
/// `k·π/2`). NaN gives NaN, ±inf NaN.
#[inline(always)]
fn reduce_pio2_64(a: f64) -> (u64, f64, f64) {
    let t = a * INV_PIO2 + ROUND64;
    let j = t - ROUND64;
    let r1 = a - j * PIO2_64_1;
    let (s2, e2) = two_sum(r1, -(j * PIO2_64_2));
    let (s3, e3) = two_sum(s2, -(j * PIO2_64_3));
    let lo = (e2 + e3) - j * PIO2_64_4;
    // Renormalise (|s3| ≥ |lo| wherever lo matters).
    let hi = s3 + lo;
    let lo = lo - (hi - s3);
    (t.to_bits() & 3, hi, lo)
}

/// `(sin r, cos r)` for `r = hi + lo` (`|r| ≤ π/4` plus rounding, `|lo| ≤
/// ulp(hi)/2`) in f64: `sin r = hi + (hi·z·P(z) + lo·(1 − z/2))` and
/// `cos r = w + (((1 − w) − z/2) + (z²·Q(z) − hi·lo))` with `z = hi²`,
/// `w = 1 − z/2` (the rounding of `w` carried), `P` and `Q` the Taylor
/// series to degrees 17 and 16 (remainders below 2^-58 relative at π/4).
#[inline(always)]
fn sincos_poly64(hi: f64, lo: f64) -> (f64, f64) {
    // (−1)^(k+1)/(2k+1)! for k = 1..=8.
    const S: [f64; 8] = [
        -1.0 / 6.0,
        1.0 / 120.0,
        -1.0 / 5040.0,
        1.0 / 362_880.0,
        -1.0 / 39_916_800.0,
        1.0 / 6_227_020_800.0,
        -1.0 / 1_307_674_368_000.0,
        1.0 / 355_687_428_096_000.0,
    ];
    // (−1)^k/(2k+4)! for k = 0..=6.
    const C: [f64; 7] = [
        1.0 / 24.0,
        -1.0 / 720.0,
        1.0 / 40_320.0,
        -1.0 / 3_628_800.0,
        1.0 / 479_001_600.0,
        -1.0 / 87_178_291_200.0,
        1.0 / 20_922_789_888_000.0,
    ];
    let z = hi * hi;
    let mut p = S[7];
    for &c in S[..7].iter().rev() {
        p = p * z + c;
    }
    let mut q = C[6];
    for &c in C[..6].iter().rev() {
        q = q * z + c;
    }
    let hz = 0.5 * z;
    let s = hi + (hi * z * p + (lo - lo * hz));
    let w = 1.0 - hz;
    let c = w + (((1.0 - w) - hz) + (z * z * q - hi * lo));
    (s, c)
}

/// `v` with its sign flipped where `x` is negative (bit XOR, so that `-0.0`
/// keeps its sign).
#[inline(always)]
fn flip_sign64(x: f64, v: f64) -> f64 {
    f64::from_bits(v.to_bits() ^ (x.to_bits() & 0x8000_0000_0000_0000))
}

/// [`sin_f64`] for `|x| < 2^20` ([`TRIG64_FAST_MAX`]) and NaN, with the same
/// bits there: Cody–Waite reduction ([`reduce_pio2_64`]) and the Taylor
/// polynomials of `sincos_poly64`, branch-free and vectorisable; wrong beyond
/// (see [`trig64_needs_full`]), NaN for ±inf.
#[inline(always)]
pub fn sin_f64_fast(x: f64) -> f64 {
    let (j, hi, lo) = reduce_pio2_64(x.abs());
    let (s, c) = sincos_poly64(hi, lo);
    // sin(jπ/2 + r) = s, c, −s, −c.
    let v = if j & 1 == 0 { s } else { c };
    let v = if j & 2 == 0 { v } else { -v };
    flip_sign64(x, v)
}

/// [`cos_f64`] for `|x| < 2^20`, NaN and ±inf (see [`sin_f64_fast`]).
#[inline(always)]
pub fn cos_f64_fast(x: f64) -> f64 {
    let (j, hi, lo) = reduce_pio2_64(x.abs());
    let (s, c) = sincos_poly64(hi, lo);
    // cos(jπ/2 + r) = c, −s, −c, s.
    let v = if j & 1 == 0 { c } else { s };
    if (j ^ (j >> 1)) & 1 == 0 { v } else { -v }
}

/// [`tan_f64`] for `|x| < 2^20`, NaN and ±inf (see [`sin_f64_fast`]):
/// `sin r / cos r`, or `−cos r / sin r` in odd quadrants.
#[inline(always)]
pub fn tan_f64_fast(x: f64) -> f64 {
    let (j, hi, lo) = reduce_pio2_64(x.abs());
    let (s, c) = sincos_poly64(hi, lo);
    let odd = j & 1 != 0;
    let num = if odd { c } else { s };
    let den = if odd { -s } else { c };
    flip_sign64(x, num / den)
}

/// Sine for `f64`, within 1 ULP of glibc's `sin` (correctly rounded in
/// practice) for every input: [`sin_f64_fast`] below 2^20 and NaN, glibc's
/// `sin` (one call per element) at and above 2^20 and for ±inf. Loops run
/// [`sin_f64_fast`] on blocks without such inputs ([`trig64_needs_full`]).
#[inline(always)]
pub fn sin_f64(x: f64) -> f64 {
    if trig64_needs_full(x) { x.sin() } else { sin_f64_fast(x) }
}

/// Cosine for `f64`, within 1 ULP of glibc's `cos` for every input (see
/// [`sin_f64`]).
#[inline(always)]
pub fn cos_f64(x: f64) -> f64 {
    if trig64_needs_full(x) { x.cos() } else { cos_f64_fast(x) }
}

/// Tangent for `f64`, within 2 ULP of glibc's `tan` for every input (see
/// [`sin_f64`]).
#[inline(always)]
pub fn tan_f64(x: f64) -> f64 {
    if trig64_needs_full(x) { x.tan() } else { tan_f64_fast(x) }
}

/// `atan(1/2)` rounded to f64, and the rest.
const ATAN_HALF_HI: f64 = 0.463_647_609_000_806_1;
/// `atan(1/2) − ATAN_HALF_HI`.
const ATAN_HALF_LO: f64 = 2.269_877_745_296_168_7e-17;
/// `π/4` rounded to f64, and the rest.
const PIO4_64_HI: f64 = std::f64::consts::FRAC_PI_4;
/// `π/4 − PIO4_64_HI`.
const PIO4_64_LO: f64 = 3.061_616_997_868_383e-17;
/// `atan(3/2)` rounded to f64, and the rest.
const ATAN_3HALF_HI: f64 = 0.982_793_723_247_329;
/// `atan(3/2) − ATAN_3HALF_HI`.
const ATAN_3HALF_LO: f64 = 1.390_331_103_123_099_8e-17;
/// `π/2` rounded to f64, and the rest.
const PIO2_64_HI: f64 = std::f64::consts::FRAC_PI_2;
/// `π/2 − PIO2_64_HI`.
const PIO2_64_LO: f64 = 6.123_233_995_736_766e-17;
/// `π − atan(1/2)` rounded to f64, and the rest.
const PI_M_ATAN_HALF_HI: f64 = 2.677_945_044_588_987;
/// `π − atan(1/2) − PI_M_ATAN_HALF_HI`.
const PI_M_ATAN_HALF_LO: f64 = 1.552_770_536_930_314_7e-16;
/// `3π/4` rounded to f64, and the rest.
const PI3O4_64_HI: f64 = 2.356_194_490_192_345;
/// `3π/4 − PI3O4_64_HI`.
const PI3O4_64_LO: f64 = 9.184_850_993_605_148e-17;
/// `π − atan(3/2)` rounded to f64, and the rest.
const PI_M_ATAN_3HALF_HI: f64 = 2.158_798_930_342_464;
/// `π − atan(3/2) − PI_M_ATAN_3HALF_HI`.
const PI_M_ATAN_3HALF_LO: f64 = 2.195_836_713_460_199_7e-16;
/// `π` rounded to f64, and the rest.
const PI_64_HI: f64 = std::f64::consts::PI;
/// `π − PI_64_HI`.
const PI_64_LO: f64 = 1.224_646_799_147_353_2e-16;

/// `atan t − t` for `|t| ≤ 0.44`: `t·z·P(z)`, `z = t²`, `P` the degree-11
/// Chebyshev interpolant of `(atan √z − √z)/z^{3/2}` on `[0, 0.1936]`
/// (computed at 200 bits; its error contributes below 2^-58 relative to
/// `atan t`).
#[inline(always)]
fn atan_tail64(t: f64) -> f64 {
    const P: [f64; 12] = [
        -0.333_333_333_333_333_3,
        0.199_999_999_999_993_38,
        -0.142_857_142_855_507_68,
        0.111_111_110_952_525_32,
        -0.090_909_082_938_748_73,
        0.076_922_839_648_917_45,
        -0.066_662_164_803_171_29,
        0.058_766_858_068_169_454,
        -0.052_149_692_455_425_61,
        0.044_853_068_821_307_95,
        -0.032_968_806_809_414_33,
        0.014_615_839_938_233_758,
    ];
    let z = t * t;
    let mut p = P[11];
    for &c in P[..11].iter().rev() {
        p = p * z + c;
    }
    t * z * p
}

/// `base + atan t` for `base = hi + lo` and `|t| ≤ 0.44`: `hi + t` as an
/// exact two-sum, so that only the final addition rounds at the result's
/// scale.
#[inline(always)]
fn atan_finish64(hi: f64, lo: f64, t: f64) -> f64 {
    let (s, e) = two_sum(hi, t);
    s + ((e + lo) + atan_tail64(t))
}

/// Arctangent for `f64`, within 1 ULP of glibc's `atan`: `a = |x|` is
/// mapped to `|t| ≤ 7/16` by one division, `t = a`, `(2a − 1)/(2 + a)`,
/// `(a − 1)/(a + 1)`, `(2a − 3)/(2 + 3a)` or `−1/a` on `[0, 7/16)`,
/// `[7/16, 11/16)`, `[11/16, 19/16)`, `[19/16, 39/16)` and above, and
/// `atan a = base + atan t` with `base` `0`, `atan(1/2)`, `π/4`,
/// `atan(3/2)` or `π/2` in two parts. Keeps the sign of zero, returns tiny
/// and subnormal `x` as they are, `atan(±inf) = ±π/2`; branch-free and
/// vectorisable.
#[inline(always)]
pub fn atan_f64(x: f64) -> f64 {
    let a = x.abs();
    let (i1, i2, i3, i4) = (a >= 0.4375, a >= 0.6875, a >= 1.1875, a >= 2.4375);
    // One division for the five cases (inf gives t = −0, NaN stays NaN).
    let num = if i4 {
        -1.0
    } else if i3 {
        2.0 * a - 3.0
    } else if i2 {
        a - 1.0
    } else if i1 {
        2.0 * a - 1.0
    } else {
        a
    };
    let den = if i4 {
        a
    } else if i3 {
        2.0 + 3.0 * a
    } else if i2 {
        a + 1.0
    } else if i1 {
        2.0 + a
    } else {
        1.0
    };
    let t = num / den;
    let (hi, lo) = if i4 {
        (PIO2_64_HI, PIO2_64_LO)
    } else if i3 {
        (ATAN_3HALF_HI, ATAN_3HALF_LO)
    } else if i2 {
        (PIO4_64_HI, PIO4_64_LO)
    } else if i1 {
        (ATAN_HALF_HI, ATAN_HALF_LO)
    } else {
        (0.0, 0.0)
    };
    atan_finish64(hi, lo, t).copysign(x)
}

/// The angle of the point `(x, y)` for `f64`, in `[−π, π]`: `atan2(y, x)`,
/// within 1 ULP of glibc's.
///
/// With `a = |y|`, `b = |x|`, one division maps the ratio to `|t| ≤ 7/16`
/// as [`atan_f64`] does, without forming `a/b` (no spurious overflow or
/// underflow): `a/b`, `(2a − b)/(2b + a)`, `(a − b)/(a + b)`,
/// `(2a − 3b)/(2b + 3a)` or `−b/a` (both scaled by 1/8 near overflow and by
/// 2^600 when both are below 1e-290, exactly, so that the interval tests
/// `a > c·b` are not blurred by subnormal rounding); then `base ± atan t`
/// with `base` or `π − base` by the sign of `x`, and the sign of `y`. C99's
/// special values (`atan2(±0, ±0)`, infinities, NaN); branch-free and
/// vectorisable.
#[inline(always)]
pub fn atan2_f64(y: f64, x: f64) -> f64 {
    let (a, b) = (y.abs(), x.abs());
    let neg = x.is_sign_negative();
    let both_inf = a == f64::INFINITY && b == f64::INFINITY;
    let up = if a < 1e-290 && b < 1e-290 { 4.149_515_568_880_993e180 } else { 1.0 };
    let (a, b) = (a * up, b * up);
    // a > (39/16)·b written so that it cannot overflow (inf with a finite b
    // is big; both infinite are π/4, t = 0 below). The other products may
    // overflow only where a is finite and so below them.
    let i4 = a * (16.0 / 39.0) > b;
    let i3 = a > 1.1875 * b;
    let i2 = a > 0.6875 * b || both_inf;
    let i1 = a > 0.4375 * b;
    // In the middle intervals a and b are within a factor 2.5 of each other.
    let s = if a > 1e300 || b > 1e300 { 0.125 } else { 1.0 };
    let (sa, sb) = (a * s, b * s);
    let num = if i4 {
        -b
    } else if i3 {
        2.0 * sa - 3.0 * sb
    } else if i2 {
        sa - sb
    } else if i1 {
        2.0 * sa - sb
    } else {
        a
    };
    let den = if i4 {
        a
    } else if i3 {
        2.0 * sb + 3.0 * sa
    } else if i2 {
        sa + sb
    } else if i1 {
        2.0 * sb + sa
    } else {
        b
    };
    // atan2(±0, ±0) would divide 0/0 and atan2(±inf, ±inf) inf/inf.
    let t = if a == 0.0 || both_inf { 0.0 } else { num / den };
    // |angle| = base + atan t for x ≥ +0, (π − base) − atan t for x ≤ −0.
    let (hi, lo) = if i4 {
        (PIO2_64_HI, PIO2_64_LO)
    } else if i3 {
        if neg { (PI_M_ATAN_3HALF_HI, PI_M_ATAN_3HALF_LO) } else { (ATAN_3HALF_HI, ATAN_3HALF_LO) }
    } else if i2 {
        if neg { (PI3O4_64_HI, PI3O4_64_LO) } else { (PIO4_64_HI, PIO4_64_LO) }
    } else if i1 {
        if neg { (PI_M_ATAN_HALF_HI, PI_M_ATAN_HALF_LO) } else { (ATAN_HALF_HI, ATAN_HALF_LO) }
    } else if neg {
        (PI_64_HI, PI_64_LO)
    } else {
        (0.0, 0.0)
    };
    let t = if neg { -t } else { t };
    let r = atan_finish64(hi, lo, t).copysign(y);
    if x.is_nan() || y.is_nan() { f64::NAN } else { r }
}

/// `asin` of `a = |x|` as an unevaluated sum `(small, hi, tail)`:
/// `small = a ≤ 1/2`, where `asin a ≈ hi + tail`; above,
/// `asin √((1 − a)/2) ≈ hi + tail` (half of `acos a`). `hi` has 21
/// significant bits, so that `hi²` is exact and the square root's rounding
/// error is carried in `tail` (`√z − hi = (z − hi²)/(√z + hi)`, the
/// difference exact). The polynomial is `s + s·z·P(z)`, `P` the degree-13
/// Chebyshev interpolant of `(asin √z − √z)/z^{3/2}` on `[0, 1/4]`
/// (computed at 200 bits; its error contributes below 2^-58 relative).
/// NaN for `a > 1` and NaN.
#[inline(always)]
fn asin_parts64(a: f64) -> (bool, f64, f64) {
    const P: [f64; 14] = [
        0.166_666_666_666_666_66,
        0.075_000_000_000_001_18,
        0.044_642_857_142_551_895,
        0.030_381_944_475_532_34,
        0.022_372_157_443_507_22,
        0.017_352_816_540_325_496,
        0.013_963_780_012_203_57,
        0.011_566_459_612_121_669,
        0.009_621_842_970_100_282,
        0.009_319_560_794_767_446,
        0.003_044_879_909_455_677_3,
        0.019_554_513_336_123_378,
        -0.019_241_671_746_743_04,
        0.029_612_011_264_955_12,
    ];
    let small = a <= 0.5;
    // 1 − a is exact for a ≥ 1/2 (Sterbenz), the halving too.
    let z = if small { a * a } else { (1.0 - a) * 0.5 };
    let s = if small { a } else { z.sqrt() };
    let hi = f64::from_bits(s.to_bits() & 0xffff_ffff_0000_0000);
    // (z = 0 at a = 1, where the quotient would be 0/0.)
    let root_lo = if z == 0.0 { 0.0 } else { (z - hi * hi) / (s + hi) };
    let lo = if small { a - hi } else { root_lo };
    let mut p = P[13];
    for &c in P[..13].iter().rev() {
        p = p * z + c;
    }
    (small, hi, lo + s * z * p)
}

/// `(c_hi + c_lo) + v` for a constant in two parts and `v = v_hi + v_lo`
/// (`|v_hi| ≤ |c_hi|`): `c_hi + v_hi` as an exact two-sum, so that only the
/// last addition rounds at the result's scale.
#[inline(always)]
fn add_to_const64(c_hi: f64, c_lo: f64, v_hi: f64, v_lo: f64) -> f64 {
    let (s, e) = two_sum(c_hi, v_hi);
    s + ((e + c_lo) + v_lo)
}

/// Arcsine for `f64`, within 1 ULP of glibc's `asin`: `asin a = s + s·z·P(z)`
/// below 1/2, `π/2 − 2·asin √((1 − a)/2)` above (`a = |x|`). Keeps the sign
/// of zero, returns tiny and subnormal `x` as they are, NaN beyond ±1;
/// branch-free and vectorisable.
#[inline(always)]
pub fn asin_f64(x: f64) -> f64 {
    let (small, hi, tail) = asin_parts64(x.abs());
    let large = add_to_const64(PIO2_64_HI, PIO2_64_LO, -2.0 * hi, -2.0 * tail);
    (if small { hi + tail } else { large }).copysign(x)
}

/// Arccosine for `f64`, within 1 ULP of glibc's `acos`: `π/2 − asin x` for
/// `|x| ≤ 1/2`, `2·asin √((1 − x)/2)` above and `π − 2·asin √((1 + x)/2)`
/// below; NaN beyond ±1; branch-free and vectorisable.
#[inline(always)]
pub fn acos_f64(x: f64) -> f64 {
    let (small, hi, tail) = asin_parts64(x.abs());
    let mid = add_to_const64(PIO2_64_HI, PIO2_64_LO, -hi.copysign(x), -tail.copysign(x));
    let pos = 2.0 * hi + 2.0 * tail;
    let neg = add_to_const64(PI_64_HI, PI_64_LO, -2.0 * hi, -2.0 * tail);
    let r = if x < 0.0 { neg } else { pos };
    if small { mid } else { r }
}

/// `e^a / 2` for `f64` `a ≥ 0` (NaN passes), finite up to `a ≈ 710.47`
/// where `e^a` itself has overflowed: the reduction of [`exp_f64`] with the
/// exponent lowered by one.
#[inline(always)]
fn exp_half64(a: f64) -> f64 {
    let xc = a.clamp(-746.0, 711.0);
    let (_, n, r) = reduce_ln2_64(xc);
    scale64(1.0 + (r + expm1_poly64(r)), n - 1)
}

/// Hyperbolic sine for `f64`, within 2 ULP of glibc's `sinh`: the odd
/// Taylor series to degree 19 below 1 (remainder below 2^-65), `h − 1/(4h)`
/// with `h = e^abs(x)/2` above (finite up to `sinh`'s own overflow at
/// 710.47). Keeps the sign of zero, returns tiny and subnormal `x` as they
/// are; branch-free and vectorisable.
#[inline(always)]
pub fn sinh_f64(x: f64) -> f64 {
    // 1/(2k+1)! for k = 1..=9.
    const S: [f64; 9] = [
        1.0 / 6.0,
        1.0 / 120.0,
        1.0 / 5040.0,
        1.0 / 362_880.0,
        1.0 / 39_916_800.0,
        1.0 / 6_227_020_800.0,
        1.0 / 1_307_674_368_000.0,
        1.0 / 355_687_428_096_000.0,
        1.0 / 121_645_100_408_832_000.0,
    ];
    let a = x.abs();
    let z = a * a;
    let mut p = S[8];
    for &c in S[..8].iter().rev() {
        p = p * z + c;
    }
    let small = a + a * z * p;
    let h = exp_half64(a);
    let large = h - 0.25 / h;
    (if a < 1.0 { small } else { large }).copysign(x)
}

/// Hyperbolic cosine for `f64`, within 2 ULP of glibc's `cosh`: `h + 1/(4h)`
/// with `h = e^abs(x)/2` (finite up to 710.47); branch-free and
/// vectorisable.
#[inline(always)]
pub fn cosh_f64(x: f64) -> f64 {
    let h = exp_half64(x.abs());
    h + 0.25 / h
}

/// Inverse hyperbolic sine for `f64`, within 2 ULP of glibc's `asinh`:
/// fdlibm's three ranges with `a = |x|` and `s = √(a² + 1)`:
/// `log1p(a + a²/(s + 1))` below 2, `ln(2a + 1/(s + a))` below 2^28,
/// `ln a + ln 2` above, and `x` itself below 2^-28. One [`ln_f64`] per
/// element: the `log1p` is written as `ln(1 + u)` plus its rounding
/// correction (as in [`log1p_f64`]), the two ranges' divisions share one
/// division. Keeps the sign of zero; branch-free and vectorisable.
#[inline(always)]
pub fn asinh_f64(x: f64) -> f64 {
    const TWO_M28: f64 = 3.725_290_298_461_914e-9;
    const TWO_28: f64 = 268_435_456.0;
    let a = x.abs();
    let z = a * a;
    // +inf past 1.3e154 (only the `ln a + ln 2` range uses it then).
    let s = (z + 1.0).sqrt();
    let small = a < 2.0;
    let huge = a >= TWO_28;
    let q = if small { z } else { 1.0 } / if small { s + 1.0 } else { s + a };
    // Below 2: w = 1 + u rounded, and what the rounding lost relative to w.
    let u = a + q;
    let w1 = 1.0 + u;
    let w = if huge {
        a
    } else if small {
        w1
    } else {
        2.0 * a + q
    };
    let c = (u - (w1 - 1.0)) / w1;
    let extra = if huge {
        std::f64::consts::LN_2
    } else if small {
        c
    } else {
        0.0
    };
    let r = ln_f64(w) + extra;
    (if a < TWO_M28 { a } else { r }).copysign(x)
}

/// Inverse hyperbolic cosine for `f64`, within 2 ULP of glibc's `acosh`:
/// fdlibm's ranges with `t = x − 1` (exact) and `s = √(x² − 1)` (as
/// `√(2t + t²)` below 2): `log1p(t + s)` below 2, `ln(2x − 1/(x + s))`
/// below 2^28, `ln x + ln 2` above; NaN below 1. One [`ln_f64`] and one
/// division per element besides the logarithm's own (the `log1p`
/// correction and the large range's reciprocal share it); branch-free and
/// vectorisable.
#[inline(always)]
pub fn acosh_f64(x: f64) -> f64 {
    const TWO_28: f64 = 268_435_456.0;
    let t = x - 1.0;
    let small = x < 2.0;
    let huge = x >= TWO_28;
    // +inf past 1.3e154 (only the `ln x + ln 2` range uses it then).
    let s = (if small { 2.0 * t + t * t } else { x * x - 1.0 }).sqrt();
    let u = t + s;
    let w1 = 1.0 + u;
    let q = if small { u - (w1 - 1.0) } else { 1.0 } / if small { w1 } else { x + s };
    let w = if huge {
        x
    } else if small {
        w1
    } else {
        2.0 * x - q
    };
    let extra = if huge {
        std::f64::consts::LN_2
    } else if small {
        q
    } else {
        0.0
    };
    let r = ln_f64(w) + extra;
    if x >= 1.0 { r } else { f64::NAN }
}

/// Inverse hyperbolic tangent for `f64`, within 2 ULP of glibc's `atanh`:
/// fdlibm's `log1p(2a + 2a²/(1 − a))/2` below 1/2 and
/// `log1p(2a/(1 − a))/2` above (`a = |x|`, one shared division), through
/// [`log1p_f64`]; ±inf at ±1, NaN beyond, tiny and subnormal `x` and the
/// sign of zero kept; branch-free and vectorisable.
#[inline(always)]
pub fn atanh_f64(x: f64) -> f64 {
    let a = x.abs();
    let small = a < 0.5;
    let q = (if small { 2.0 * a * a } else { 2.0 * a }) / (1.0 - a);
    let t = if small { 2.0 * a + q } else { q };
    let r = 0.5 * log1p_f64(t);
    (if a <= 1.0 { r } else { f64::NAN }).copysign(x)
}

// ---------------------------------------------------------------------------
// float32 inverse trigonometric and the remaining hyperbolic functions.

/// `π/2` rounded to f32, and the rest.
const PIO2_HI: f32 = 1.570_796_4;
/// `π/2 − PIO2_HI`.
const PIO2_LO: f32 = -4.371_139e-8;
/// `π/4` rounded to f32, and the rest.
const PIO4_HI: f32 = std::f32::consts::FRAC_PI_4;
/// `π/4 − PIO4_HI`.
const PIO4_LO: f32 = -2.185_569_4e-8;
/// `π` rounded to f32, and the rest.
const PI_HI: f32 = std::f32::consts::PI;
/// `π − PI_HI`.
const PI_LO: f32 = 8.742_278e-8;

/// `asin` of `a = |x|` as an unevaluated sum `(small, hi, tail)`:
/// `small = a ≤ 1/2`, where `asin a ≈ hi + tail`; above,
/// `asin √((1 − a)/2) ≈ hi + tail` (half of `acos a`). `hi` has 12
/// significant bits, so that `2·hi` subtracts exactly from `π/2` and `π`
/// and the square root's rounding error is carried in `tail`
/// (`√z − hi = (z − hi²)/(√z + hi)`, `hi²` exact). NaN for `a > 1` and NaN.
#[inline(always)]
fn asin_parts(a: f32) -> (bool, f32, f32) {
    let small = a <= 0.5;
    // 1 − a is exact for a ≥ 1/2 (Sterbenz), the halving too.
    let z = if small { a * a } else { (1.0 - a) * 0.5 };
    let s = if small { a } else { z.sqrt() };
    let hi = f32::from_bits(s.to_bits() & 0xffff_f000);
    // a − hi exactly, or the rest of the square root.
    // (z = 0 at a = 1, where the quotient would be 0/0.)
    let root_lo = if z == 0.0 { 0.0 } else { (z - hi * hi) / (s + hi) };
    let lo = if small { a - hi } else { root_lo };
    let p = 1.666_666e-1
        + z * (7.500_511e-2 + z * (4.451_572e-2 + z * (3.181_760_8e-2 + z * (1.440_261_5e-2 + z * 3.756_518_7e-2))));
    // asin s = s + s·z·P(z), P a degree-5 weighted minimax fit of
    // (asin √z − √z)/z^{3/2} on [0, 1/4] (relative error below 3e-10).
    (small, hi, lo + s * z * p)
}

/// Arcsine for `f32`: `asin a = s + s·z·P(z)` below 1/2,
/// `π/2 − 2·asin √((1 − a)/2)` above; branch-free and vectorisable.
#[inline(always)]
pub fn asin_f32(x: f32) -> f32 {
    let (small, hi, tail) = asin_parts(x.abs());
    let large = (PIO2_HI - 2.0 * hi) - (2.0 * tail - PIO2_LO);
    (if small { hi + tail } else { large }).copysign(x)
}

/// Arccosine for `f32`: `π/2 − asin x` for `|x| ≤ 1/2`, `2·asin √((1 − x)/2)`
/// above and `π − 2·asin √((1 + x)/2)` below; branch-free and vectorisable.
#[inline(always)]
pub fn acos_f32(x: f32) -> f32 {
    let (small, hi, tail) = asin_parts(x.abs());
    let mid = (PIO2_HI - hi.copysign(x)) - (tail.copysign(x) - PIO2_LO);
    let pos = 2.0 * hi + 2.0 * tail;
    let neg = (PI_HI - 2.0 * hi) - (2.0 * tail - PI_LO);
    let r = if x < 0.0 { neg } else { pos };
    if small { mid } else { r }
}

/// Arctangent for `f32`: `a = |x|` is mapped to `t = a` (below 1/2),
/// `(a − 1)/(a + 1)` (below `tan 3π/8`) or `−1/a`, `|t| ≤ 1/2`, and
/// `atan a = base + t + t·z·P(z)` with `base` 0, `π/4` or `π/2` and `P` a
/// degree-5 weighted minimax fit on `z = t² ∈ [0, 1/4]` (relative error
/// below 3e-10); branch-free and vectorisable.
#[inline(always)]
pub fn atan_f32(x: f32) -> f32 {
    let a = x.abs();
    let big = a > 2.414_213_7;
    let mid = a > 0.5;
    // One division for the three cases (inf gives t = −0, NaN stays NaN).
    let num = if big {
        -1.0
    } else if mid {
        a - 1.0
    } else {
        a
    };
    let den = if big {
        a
    } else if mid {
        a + 1.0
    } else {
        1.0
    };
    let t = num / den;
    let (hi, lo) = if big {
        (PIO2_HI, PIO2_LO)
    } else if mid {
        (PIO4_HI, PIO4_LO)
    } else {
        (0.0, 0.0)
    };
    (hi + (lo + atan_poly(t))).copysign(x)
}

/// `atan t` for `|t| ≤ 1/2` (and a rounding beyond): `t + t·z·P(z)`,
/// `z = t²`, `P` the degree-5 fit of [`atan_f32`]; `t` itself for tiny and
/// subnormal `t` (the callers set the sign of a zero result).
#[inline(always)]
fn atan_poly(t: f32) -> f32 {
    let z = t * t;
    let p = -3.333_332_8e-1
        + z * (1.999_95e-1 + z * (-1.427_225_2e-1 + z * (1.094_237e-1 + z * (-7.989_126e-2 + z * 3.879_196_2e-2))));
    t + t * z * p
}

/// `e^a / 2` for `a ≥ 0` (NaN passes), finite up to `a ≈ 89.4` where
/// `e^a` itself has overflowed: the reduction of [`exp_f32`] with the
/// exponent lowered by one.
#[inline(always)]
fn exp_half(a: f32) -> f32 {
    let xc = a.clamp(-104.0, 90.0);
    let t = xc * LOG2E + ROUND;
    let n = t - ROUND;
    let ni = (t.to_bits() as i32).wrapping_sub(ROUND.to_bits() as i32);
    let r = (xc - n * LN2_HI) - n * LN2_LO;
    scale(exp_poly(r), ni - 1)
}

/// Hyperbolic sine for `f32`: the odd Taylor series to degree 11 below 1,
/// `h − 1/(4h)` with `h = e^abs(x)/2` above (finite up to `sinh`'s own
/// overflow at 89.4); branch-free and vectorisable.
#[inline(always)]
pub fn sinh_f32(x: f32) -> f32 {
    let a = x.abs();
    let z = a * a;
    let small = a + a
        * z
        * (1.666_666_7e-1 + z * (8.333_334e-3 + z * (1.984_127e-4 + z * (2.755_732e-6 + z * 2.505_210_8e-8))));
    let h = exp_half(a);
    let large = h - 0.25 / h;
    (if a < 1.0 { small } else { large }).copysign(x)
}

/// Hyperbolic cosine for `f32`: `h + 1/(4h)` with `h = e^abs(x)/2`;
/// branch-free and vectorisable.
#[inline(always)]
pub fn cosh_f32(x: f32) -> f32 {
    let h = exp_half(x.abs());
    h + 0.25 / h
}

/// Inverse hyperbolic sine for `f32`: `a + a·z·P(z)` below 1.2 (`a = |x|`,
/// `z = a²`, `P` a degree-10 weighted minimax fit of
/// `(asinh √z − √z)/z^{3/2}` on `[0, 1.44]`, relative error below 3e-10),
/// `ln(a + √(a² + 1))` above (the log's input keeps its relative error near
/// 2^-24 where the result is above 1), `ln a + ln 2` past 2^12;
/// branch-free and vectorisable.
#[inline(always)]
pub fn asinh_f32(x: f32) -> f32 {
    let a = x.abs();
    let z = a * a;
    let p = -1.666_666_4e-1
        + z * (7.499_87e-2
            + z * (-4.462_3e-2
                + z * (3.022_832_6e-2
                    + z * (-2.166_59e-2
                        + z * (1.523_519_9e-2
                            + z * (-9.552_041e-3
                                + z * (4.805_431_7e-3
                                    + z * (-1.735_818_1e-3 + z * (3.895_254e-4 + z * -4.020_313_6e-5)))))))));
    let small = a + a * z * p;
    let big = a > 4096.0;
    let w = if big { a } else { a + (z + 1.0).sqrt() };
    let large = ln_above_one(w) + if big { std::f32::consts::LN_2 } else { 0.0 };
    (if a < 1.2 { small } else { large }).copysign(x)
}

/// Inverse hyperbolic cosine for `f32`: `√(2t)·(1 + t·P(t))` for
/// `t = x − 1 < 1` (exact; `P` a degree-8 minimax fit of
/// `(acosh(1 + t)/√(2t) − 1)/t` on `[0, 1]`, error below 3e-11, and the
/// square root's rounding carried as in `asin`), `ln(x + √(t·(x + 1)))`
/// from 2, `ln x + ln 2` past 2^12; NaN below 1; branch-free and
/// vectorisable.
#[inline(always)]
pub fn acosh_f32(x: f32) -> f32 {
    let t = x - 1.0;
    let q = -8.333_333e-2
        + t * (1.874_989e-2
            + t * (-5.579_17e-3
                + t * (1.892_382e-3
                    + t * (-6.787_915_5e-4 + t * (2.322_473_4e-4 + t * (-6.232_091e-5 + t * 8.951_939e-6))))));
    let d = 2.0 * t;
    let s = d.sqrt();
    let hi = f32::from_bits(s.to_bits() & 0xffff_f000);
    let lo = if d == 0.0 { 0.0 } else { (d - hi * hi) / (s + hi) };
    let small = hi + (lo + s * (t * q));
    let big = x > 4096.0;
    let w = if big { x } else { x + (t * (x + 1.0)).sqrt() };
    let large = ln_above_one(w) + if big { std::f32::consts::LN_2 } else { 0.0 };
    let r = if x < 2.0 { small } else { large };
    if x >= 1.0 { r } else { f32::NAN }
}

/// Inverse hyperbolic tangent for `f32`: `a + a·z·P(z)` below 1/2
/// (`a = |x|`, `z = a²`, `P` a degree-7 weighted minimax fit of
/// `(atanh √z − √z)/z^{3/2}` on `[0, 1/4]`, relative error below 6e-12),
/// `log1p(2a/(1 − a))/2` above ([`log1p_f32`]; ±inf at ±1, NaN beyond);
/// branch-free and vectorisable.
#[inline(always)]
pub fn atanh_f32(x: f32) -> f32 {
    let a = x.abs();
    let z = a * a;
    let p = 3.333_333_4e-1
        + z * (2.000_002_9e-1
            + z * (1.428_447e-1
                + z * (1.113_679_6e-1
                    + z * (8.800_265e-2 + z * (9.574_025e-2 + z * (-1.405_770_7e-3 + z * 1.788_957_3e-1))))));
    let small = a + a * z * p;
    // log1p_f32(t) for t = 2a/(1 − a) ≥ 2 (the lanes that take `large`),
    // +inf at a = 1 and NaN for NaN: its `ln` without the special values
    // and subnormal scaling that u = 1 + t ≥ 3 never needs.
    let t = 2.0 * a / (1.0 - a);
    let u = 1.0 + t;
    let l = ln_above_one(u) + (t - (u - 1.0)) / u;
    let large = 0.5 * if t == f32::INFINITY { t } else { l };
    let r = if a < 0.5 { small } else { large };
    (if a <= 1.0 { r } else { f32::NAN }).copysign(x)
}

// ---------------------------------------------------------------------------
// Binary functions: atan2, hypot, logaddexp.

/// `3π/4` rounded to f32 (from the f64 value; the constants are evaluated at
/// compile time).
const PI3O4_HI: f32 = (3.0 * std::f64::consts::FRAC_PI_4) as f32;
/// `3π/4 − PI3O4_HI`.
const PI3O4_LO: f32 = (3.0 * std::f64::consts::FRAC_PI_4 - PI3O4_HI as f64) as f32;

/// The angle of the point `(x, y)` for `f32`, in `[−π, π]`: `atan2(y, x)`.
///
/// With `a = |y|`, `b = |x|`, one division maps the ratio to `|t| ≤ 1/2`
/// as [`atan_f32`] does, without forming `a/b` (so no spurious overflow or
/// underflow at `1e38/1e-38`): `t = a/b` (below 1/2), `(a − b)/(a + b)`
/// (below `tan 3π/8`, both halved near overflow) or `−b/a`; then
/// `base ± atan t` with `base` one of `0, π/4, π/2, 3π/4, π` by the
/// branch and the sign of `x`, and the sign of `y`. Within 2 ULP;
/// C99's special values (`atan2(±0, ±0)`, infinities, NaN); branch-free
/// and vectorisable.
#[inline(always)]
pub fn atan2_f32(y: f32, x: f32) -> f32 {
    let (a, b) = (y.abs(), x.abs());
    let neg = x.is_sign_negative();
    let both_inf = a == f32::INFINITY && b == f32::INFINITY;
    // `a > tan(3π/8)·b` written so that it cannot overflow (a = inf with a
    // finite b is big; both infinite are in the middle); the product
    // underflows to 0 for the smallest subnormal a, so b = 0 is tested too.
    let big = a * 0.414_213_57 > b || (b == 0.0 && a > 0.0);
    let mid = a > 0.5 * b || both_inf;
    // In the middle range a and b are within a factor 2.5 of each other, so
    // halving both (to keep a + b finite) is exact when either is large.
    let s = if a > 1e37 || b > 1e37 { 0.5 } else { 1.0 };
    let (sa, sb) = (a * s, b * s);
    let num = if big {
        -b
    } else if mid {
        sa - sb
    } else {
        a
    };
    let den = if big {
        a
    } else if mid {
        sa + sb
    } else {
        b
    };
    // atan2(±0, ±0) would divide 0/0 and atan2(±inf, ±inf) inf/inf: both
    // take t = 0 (angle 0 or π, π/4 or 3π/4).
    let t = if a == 0.0 || both_inf { 0.0 } else { num / den };
    let v = atan_poly(t);
    // |angle| = base + v for x ≥ +0, (π − base) − v for x ≤ −0.
    let (hi, lo) = if big {
        (PIO2_HI, PIO2_LO)
    } else if mid {
        if neg { (PI3O4_HI, PI3O4_LO) } else { (PIO4_HI, PIO4_LO) }
    } else if neg {
        (PI_HI, PI_LO)
    } else {
        (0.0, 0.0)
    };
    let v = if neg { -v } else { v };
    let r = (hi + (lo + v)).copysign(y);
    if x.is_nan() || y.is_nan() { f32::NAN } else { r }
}

/// `√(x² + y²)` for `f32`, without overflow or underflow in between: the
/// squares and their sum in f64 (exact squares, one rounding in the sum
/// and one in the root, so within 0.5 ULP plus a double-rounding
/// tail); `hypot(±inf, NaN) = +inf` in either order, NaN otherwise NaN;
/// branch-free and vectorisable.
#[inline(always)]
pub fn hypot_f32(x: f32, y: f32) -> f32 {
    let (xd, yd) = (x as f64, y as f64);
    let r = (xd * xd + yd * yd).sqrt() as f32;
    let r = if r.is_nan() { f32::NAN } else { r };
    if x.abs() == f32::INFINITY || y.abs() == f32::INFINITY { f32::INFINITY } else { r }
}

/// `√(x² + y²)` for `f64`, without overflow or underflow in between: the
/// larger magnitude is scaled to `[1, 4)` by a power of two (exact; the
/// smaller one may lose bits only where it no longer matters), the root
/// taken and scaled back. Within 2 ULP of glibc's correctly rounded
/// `hypot`; `hypot(±inf, NaN) = +inf` in either order, NaN otherwise NaN;
/// branch-free and vectorisable.
#[inline(always)]
pub fn hypot_f64(x: f64, y: f64) -> f64 {
    let (a, b) = (x.abs(), y.abs());
    // NaN in either ends up in `lo` or `hi` and so in the root.
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    // k = the exponent of hi, kept in −1022..=1022 so that 2^−k and 2^k are
    // both normal (subnormal hi is scaled up, exactly).
    let k = ((hi.to_bits() >> 52) as i64).clamp(1, 2045) - 1023;
    let down = f64::from_bits(((1023 - k) as u64) << 52);
    let up = f64::from_bits(((1023 + k) as u64) << 52);
    let (h, l) = (hi * down, lo * down);
    let r = (h * h + l * l).sqrt() * up;
    let r = if r.is_nan() { f64::NAN } else { r };
    if a == f64::INFINITY || b == f64::INFINITY { f64::INFINITY } else { r }
}

/// `ln(e^x + e^y)` for `f32`: `max(x, y) + log1p(e^(−|x − y|))` in f64
/// ([`exp_f64`], [`log1p_f64`]), rounded once. The f64 intermediate keeps
/// the sum's cancellation (`x`, `y` below 0 with `e^x + e^y` near 1, a
/// result near 0) below an f32 ULP down to results of about `1e-8`;
/// within 1 ULP elsewhere. `x + ln 2` where `x == y` (so
/// `logaddexp(±inf, ±inf) = ±inf`), `logaddexp(+inf, −inf) = +inf`, NaN in
/// either gives NaN; branch-free and vectorisable.
#[inline(always)]
pub fn logaddexp_f32(x: f32, y: f32) -> f32 {
    let (xd, yd) = (x as f64, y as f64);
    let m = if xd > yd { xd } else { yd };
    // −inf for (+inf, −inf) and a finite with an infinity: e^d = 0, the
    // result is m. NaN in either propagates through d.
    let d = -(xd - yd).abs();
    let r = m + log1p_f64(exp_f64(d));
    let r = if x == y { xd + std::f64::consts::LN_2 } else { r };
    // One NaN for every level: which operand's NaN an add passes on
    // depends on the instruction order.
    if r.is_nan() { f32::NAN } else { r as f32 }
}

/// `ln(e^x + e^y)` for `f64`: `max(x, y) + log1p(e^(−|x − y|))`
/// ([`exp_f64`], [`log1p_f64`]), NumPy's and the previous libm loop's
/// formula. Within 2 ULP of the same formula in glibc where
/// `max(x, y) ≥ 0`; below, where the sum cancels (a result near 0 at
/// `(−0.69, −0.7)`), both have an absolute error of about an ULP of the
/// larger term (`|max(x, y)|` or the `log1p`), not of the result: 2.0
/// such ULPs from glibc's measured. `x + ln 2` where `x == y` (so
/// `logaddexp(±inf, ±inf) = ±inf`), `logaddexp(+inf, −inf) = +inf`, NaN in
/// either gives NaN; branch-free and vectorisable.
#[inline(always)]
pub fn logaddexp_f64(x: f64, y: f64) -> f64 {
    let m = if x > y { x } else { y };
    // −inf for (+inf, −inf) and a finite with an infinity: e^d = 0, the
    // result is m. NaN in either propagates through d.
    let d = -(x - y).abs();
    let r = m + log1p_f64(exp_f64(d));
    let r = if x == y { x + std::f64::consts::LN_2 } else { r };
    if r.is_nan() { f64::NAN } else { r }
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
    const FUNCTIONS: [Case; 19] = [
        ("exp", exp_f32, f64::exp, 1.0),
        ("exp2", exp2_f32, f64::exp2, 1.0),
        ("expm1", expm1_f32, f64::exp_m1, 2.0),
        ("ln", ln_f32, f64::ln, 1.0),
        ("log2", log2_f32, f64::log2, 2.0),
        ("log10", log10_f32, f64::log10, 2.0),
        ("log1p", log1p_f32, f64::ln_1p, 2.0),
        ("tanh", tanh_f32, f64::tanh, 2.0),
        ("sin", sin_f32, f64::sin, 2.0),
        ("cos", cos_f32, f64::cos, 2.0),
        ("tan", tan_f32, f64::tan, 4.0),
        ("asin", asin_f32, f64::asin, 1.0),
        ("acos", acos_f32, f64::acos, 2.0),
        ("atan", atan_f32, f64::atan, 2.0),
        ("sinh", sinh_f32, f64::sinh, 2.0),
        ("cosh", cosh_f32, f64::cosh, 2.0),
        ("asinh", asinh_f32, f64::asinh, 2.0),
        ("acosh", acosh_f32, f64::acosh, 2.0),
        ("atanh", atanh_f32, f64::atanh, 2.0),
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

    /// The float32 logarithms before the exponent split of `ln_reduce`
    /// (the mantissa folded by a comparison and a multiply), to show that
    /// the new split gives the same bits.
    mod old_log {
        #[inline(always)]
        pub fn parts(x: f32) -> (f32, f32, f32, f32) {
            let sub = x < f32::MIN_POSITIVE;
            let xs = if sub { x * 8_388_608.0 } else { x };
            let bits = xs.to_bits() as i32;
            let e = ((bits >> 23) & 0xff) - 127 - if sub { 23 } else { 0 };
            let m = f32::from_bits(((bits & 0x007f_ffff) | 0x3f80_0000) as u32);
            let big = m > std::f32::consts::SQRT_2;
            let m = if big { m * 0.5 } else { m };
            let e = (e + big as i32) as f32;
            let f = m - 1.0;
            let (_, _, p, z) = super::ln_poly(e, f);
            (e, f, p, z)
        }
    }

    /// `f(x)` and `g(x)` have the same bits (any NaN equal to any NaN).
    fn same_bits(a: f32, b: f32) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn log_reduction_matches_the_previous_one_and_fast_matches_full() {
        type Combine = fn((f32, f32, f32, f32)) -> f32;
        type Case = (&'static str, fn(f32) -> f32, fn(f32) -> f32, Combine);
        let cases: [Case; 3] = [
            ("ln", ln_f32, ln_f32_fast, ln_combine),
            ("log2", log2_f32, log2_f32_fast, log2_combine),
            ("log10", log10_f32, log10_f32_fast, log10_combine),
        ];
        // Every 61st bit pattern (all exponents, both signs, the specials),
        // every f32 near √½ and √2 where the mantissa folds, and 1.
        let folds = (0x3f34_0000u32..0x3f36_0000).chain(0x3fb4_0000..0x3fb6_0000).map(f32::from_bits);
        for x in sweep(61).chain(folds).chain([1.0, 2.0, 0.5]) {
            for (name, full, fast, combine) in cases {
                let old = log_special(x, combine(old_log::parts(x)));
                assert!(same_bits(full(x), old), "{name}({x:e}): {} vs previous {old}", full(x));
                if !log_needs_full(x) {
                    assert!(same_bits(fast(x), full(x)), "{name}_fast({x:e})");
                }
            }
            let normal = x.is_normal() && x > 0.0;
            assert_eq!(log_needs_full(x), !normal, "log_needs_full({x:e})");
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

    /// The functions added last, by name.
    const INVERSE_AND_HYPERBOLIC: [&str; 8] = ["asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh"];

    #[test]
    fn inverse_and_hyperbolic_on_every_input_of_two_binades() {
        // [1/2, 2) holds every branch switch of asin, acos, atan (1/2,
        // tan 3π/8 is above but 1 is the π/4 pivot), sinh (1) and acosh's
        // start; both signs.
        let all = (0.5f32.to_bits()..2.0f32.to_bits()).map(f32::from_bits).flat_map(|x| [x, -x]);
        let xs: Vec<f32> = all.collect();
        for (name, f, r, bound) in FUNCTIONS.iter().filter(|f| INVERSE_AND_HYPERBOLIC.contains(&f.0)) {
            let mut worst = (0.0, 0.0f32);
            for &x in &xs {
                let e = ulp_error(f(x), r(x as f64));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f32 on [1/2, 2): max {:.3} ULP at {:e}", worst.0, worst.1);
            assert!(worst.0 <= *bound, "{name}_f32: {} ULP at {:e}", worst.0, worst.1);
        }
    }

    /// A float32 function under test.
    type F32Fn = fn(f32) -> f32;

    #[test]
    fn inverse_and_hyperbolic_special_values() {
        let same = |a: f32, b: f32| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        let inf = f32::INFINITY;
        // (function, x, expected) per C99 Annex F.
        let odd: [(&str, F32Fn); 6] = [
            ("asin", asin_f32),
            ("atan", atan_f32),
            ("sinh", sinh_f32),
            ("asinh", asinh_f32),
            ("atanh", atanh_f32),
            ("tanh", tanh_f32),
        ];
        for (name, f) in odd {
            // Odd functions keep the sign of zero and are exact on tiny and
            // subnormal arguments.
            for x in [0.0f32, -0.0, 1e-30, -1e-30, f32::from_bits(1), -f32::from_bits(1), f32::MIN_POSITIVE, 1e-20] {
                assert!(same(f(x), x), "{name}({x:e}) = {:e}", f(x));
            }
            assert!(f(f32::NAN).is_nan(), "{name}(NaN)");
        }
        let cases: [(&str, F32Fn, f32, f32); 33] = [
            ("asin", asin_f32, 1.0, std::f32::consts::FRAC_PI_2),
            ("asin", asin_f32, -1.0, -std::f32::consts::FRAC_PI_2),
            ("asin", asin_f32, 2.0, f32::NAN),
            ("asin", asin_f32, -1.000_000_1, f32::NAN),
            ("asin", asin_f32, inf, f32::NAN),
            ("acos", acos_f32, 1.0, 0.0),
            ("acos", acos_f32, -1.0, std::f32::consts::PI),
            ("acos", acos_f32, 0.0, std::f32::consts::FRAC_PI_2),
            ("acos", acos_f32, -0.0, std::f32::consts::FRAC_PI_2),
            ("acos", acos_f32, 1.000_000_1, f32::NAN),
            ("acos", acos_f32, -inf, f32::NAN),
            ("acos", acos_f32, f32::NAN, f32::NAN),
            ("atan", atan_f32, inf, std::f32::consts::FRAC_PI_2),
            ("atan", atan_f32, -inf, -std::f32::consts::FRAC_PI_2),
            ("atan", atan_f32, 1.0, std::f32::consts::FRAC_PI_4),
            ("atan", atan_f32, f32::MAX, std::f32::consts::FRAC_PI_2),
            ("sinh", sinh_f32, inf, inf),
            ("sinh", sinh_f32, -inf, -inf),
            ("sinh", sinh_f32, 100.0, inf),
            ("sinh", sinh_f32, -89.5, -inf),
            ("cosh", cosh_f32, 0.0, 1.0),
            ("cosh", cosh_f32, -0.0, 1.0),
            ("cosh", cosh_f32, inf, inf),
            ("cosh", cosh_f32, -inf, inf),
            ("cosh", cosh_f32, -100.0, inf),
            ("cosh", cosh_f32, f32::NAN, f32::NAN),
            ("asinh", asinh_f32, inf, inf),
            ("asinh", asinh_f32, -inf, -inf),
            ("acosh", acosh_f32, 1.0, 0.0),
            ("acosh", acosh_f32, inf, inf),
            ("acosh", acosh_f32, 0.5, f32::NAN),
            ("acosh", acosh_f32, -inf, f32::NAN),
            ("acosh", acosh_f32, f32::NAN, f32::NAN),
        ];
        for (name, f, x, want) in cases {
            assert!(same(f(x), want), "{name}({x:e}) = {:e}, want {want:e}", f(x));
        }
        assert_eq!(atanh_f32(1.0), inf);
        assert_eq!(atanh_f32(-1.0), -inf);
        assert!(atanh_f32(2.0).is_nan() && atanh_f32(-inf).is_nan() && atanh_f32(1.000_000_1).is_nan());
        // The largest finite results: sinh and cosh just below their own
        // overflow (e^x itself overflows from 88.73 on), asinh and acosh of
        // f32::MAX.
        for x in [88.0f32, 88.8, 89.0, 89.4, 89.415] {
            assert!(sinh_f32(x).is_finite() && ulp_error(sinh_f32(x), (x as f64).sinh()) <= 2.0, "sinh({x})");
            assert!(ulp_error(cosh_f32(-x), (x as f64).cosh()) <= 2.0, "cosh({x})");
        }
        assert_eq!(sinh_f32(89.42), inf);
        for (f, r) in [(asinh_f32 as fn(f32) -> f32, f64::asinh as fn(f64) -> f64), (acosh_f32, f64::acosh)] {
            assert!(ulp_error(f(f32::MAX), r(f32::MAX as f64)) <= 1.0);
        }
        let x = 1.0f32.next_up();
        assert!(ulp_error(acosh_f32(x), (x as f64).acosh()) <= 1.0, "acosh just above 1");
    }

    #[test]
    fn trig_special_values() {
        for f in [sin_f32, tan_f32] {
            assert_eq!(f(0.0).to_bits(), 0.0f32.to_bits());
            assert_eq!(f(-0.0).to_bits(), (-0.0f32).to_bits());
            assert_eq!(f(1e-30), 1e-30);
            assert_eq!(f(-1e-40), -1e-40, "subnormals are returned as they are");
        }
        assert_eq!(cos_f32(0.0), 1.0);
        assert_eq!(cos_f32(-0.0), 1.0);
        assert_eq!(cos_f32(1e-40), 1.0);
        for f in [sin_f32, cos_f32, tan_f32] {
            assert!(f(f32::NAN).is_nan() && f(f32::INFINITY).is_nan() && f(f32::NEG_INFINITY).is_nan());
        }
        // The three reductions around 2^13 and 2^24, and the largest inputs.
        for x in
            [8191.999, 8192.0, -8_192.001, 16_777_215.0f32, 16_777_216.0, 16_777_218.0, 1e20, 1e30, f32::MAX, -f32::MAX]
        {
            assert!(ulp_error(sin_f32(x), (x as f64).sin()) <= 2.0, "sin({x:e})");
            assert!(ulp_error(cos_f32(x), (x as f64).cos()) <= 2.0, "cos({x:e})");
            assert!(ulp_error(tan_f32(x), (x as f64).tan()) <= 4.0, "tan({x:e})");
        }
        assert_eq!(log10_f32(0.0), f32::NEG_INFINITY);
        assert!(log10_f32(-1.0).is_nan() && log10_f32(f32::NAN).is_nan());
        assert_eq!(log10_f32(f32::INFINITY), f32::INFINITY);
        let mut p = 1.0f32;
        for k in 0..=38 {
            assert_eq!(log10_f32(p), k as f32, "log10(1e{k})");
            p *= 10.0;
        }
    }

    #[test]
    fn fast_trig_matches_full_below_its_limit() {
        type Pair = (fn(f32) -> f32, fn(f32) -> f32);
        let fast: [Pair; 3] = [(sin_f32_fast, sin_f32), (cos_f32_fast, cos_f32), (tan_f32_fast, tan_f32)];
        let edge = [
            TRIG_FAST_MAX.next_down(),
            -TRIG_FAST_MAX.next_down(),
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
            f32::from_bits(1),
            f32::MIN_POSITIVE,
        ];
        for x in sweep(61).filter(|&x| !trig_needs_full(x)).chain(edge) {
            for (f, g) in fast {
                assert_eq!(f(x).to_bits(), g(x).to_bits(), "{x:e}");
            }
        }
        assert!(!trig_needs_full(f32::NAN) && trig_needs_full(f32::INFINITY) && trig_needs_full(-TRIG_FAST_MAX));
    }

    /// Every f32 in `[lo, hi)` and its negation, for the trigonometric
    /// tests below: exhaustive in the two binades where the reduction is
    /// hardest (the smallest `|r|` below 2^13 is at 252.898…, the largest
    /// quadrants just below 2^13), every 7th pattern elsewhere below the
    /// limit.
    fn trig_inputs() -> impl Iterator<Item = f32> {
        let range = |lo: f32, hi: f32, step: usize| (lo.to_bits()..hi.to_bits()).step_by(step).map(f32::from_bits);
        range(128.0, 256.0, 1)
            .chain(range(4096.0, 8192.0, 1))
            .chain(range(0.0, 128.0, 7))
            .chain(range(256.0, 4096.0, 7))
            .flat_map(|x| [x, -x])
    }

    #[test]
    fn trig_pio2_parts() {
        // Three parts of 11 significant bits: j·part is exact for j < 2^13.
        for c in [PIO2_F1, PIO2_F2, PIO2_F3] {
            assert_eq!(c.to_bits() & 0x1fff, 0, "{c:e} has more than 11 significant bits");
        }
        // Their sum is π/2 to about 2^-60 (against the f64 parts, which hold
        // it to about 2^-110). Each step is exact or far below the bound.
        let d = (PIO2_F1 as f64 - PIO2_1) - PIO2_2 + PIO2_F2 as f64 + PIO2_F3 as f64 + PIO2_F4 as f64 - PIO2_3;
        assert!(d.abs() < 2f64.powi(-60), "parts off by {d:e}");
        // The largest quadrant below the limit is exact in 13 bits.
        let t = TRIG_FAST_MAX.next_down() * std::f32::consts::FRAC_2_PI + ROUND;
        assert!(t - ROUND < 8192.0);
    }

    /// The relative error of the f32 reduction's `h + l` against the f64
    /// reduction with the same quadrant, over `xs`.
    fn reduction_error(xs: impl Iterator<Item = f32>) -> (f64, f32) {
        let mut worst = (0.0, 0.0);
        for x in xs {
            let a = x.abs();
            let (j, h, l) = reduce_pio2_f32(a);
            let jf = (a * std::f32::consts::FRAC_2_PI + ROUND) - ROUND;
            assert_eq!(j, jf as u32 & 3);
            let (jf, ad) = (jf as f64, a as f64);
            let r = ((ad - jf * PIO2_1) - jf * PIO2_2) - jf * PIO2_3;
            assert!(l.abs() <= 0.5 * (h.abs().next_up() - h.abs()), "{x:e}: l not below half an ulp of h");
            let e = if r == 0.0 { (h as f64 + l as f64).abs() } else { ((h as f64 + l as f64 - r) / r).abs() };
            if e > worst.0 {
                worst = (e, x);
            }
        }
        worst
    }

    #[test]
    fn trig_f32_reduction_is_accurate() {
        let (err, at) = reduction_error(trig_inputs());
        assert!(err <= 2f64.powi(-27), "relative error 2^{:.2} at {at:e}", err.log2());
    }

    #[test]
    fn trig_f32_reduction_within_bounds() {
        for (name, f, r, bound) in FUNCTIONS.iter().filter(|f| matches!(f.0, "sin" | "cos" | "tan")) {
            let mut worst = (0.0, 0.0f32);
            for x in trig_inputs() {
                let e = ulp_error(f(x), r(x as f64));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f32 below 2^13: max {:.3} ULP at {:e}", worst.0, worst.1);
            assert!(worst.0 <= *bound, "{name}_f32: {} ULP at {:e}", worst.0, worst.1);
        }
    }

    #[test]
    #[ignore = "exhaustive over all 2^30 f32 below 2^13: run with --release --ignored"]
    fn exhaustive_trig_reduction() {
        let all = || (0..TRIG_FAST_MAX.to_bits()).map(f32::from_bits);
        let (err, at) = reduction_error(all());
        println!("f32 reduction below 2^13: max relative error 2^{:.2} at {at:e}", err.log2());
        assert!(err <= 2f64.powi(-27));
        type Pair = (fn(f32) -> f32, fn(f32) -> f32);
        let fast: [Pair; 3] = [(sin_f32_fast, sin_f32), (cos_f32_fast, cos_f32), (tan_f32_fast, tan_f32)];
        for x in all() {
            for (f, g) in fast {
                assert_eq!(f(x).to_bits(), g(x).to_bits(), "{x:e}");
                assert_eq!(f(-x).to_bits(), g(-x).to_bits(), "{x:e}");
            }
        }
        // The error bounds on every input (negative ones mirror these: the
        // functions work on |x| and set the sign with a bit operation).
        for (name, f, r, bound) in FUNCTIONS.iter().filter(|f| matches!(f.0, "sin" | "cos" | "tan")) {
            let mut worst = (0.0, 0.0f32);
            for x in all() {
                let e = ulp_error(f(x), r(x as f64));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f32, every input below 2^13: max {:.3} ULP at {:e}", worst.0, worst.1);
            assert!(worst.0 <= *bound);
        }
    }

    /// Distance in f64 ULPs between `got` and `want` (the count of f64
    /// values between them; NaN matches NaN, infinities must match).
    fn ulp64(got: f64, want: f64) -> f64 {
        if (got.is_nan() && want.is_nan()) || got == want {
            return 0.0;
        }
        if !got.is_finite() || !want.is_finite() {
            return f64::INFINITY;
        }
        let ord =
            |v: f64| if v.is_sign_negative() { -((v.to_bits() & !(1 << 63)) as i128) } else { v.to_bits() as i128 };
        (ord(got) - ord(want)).unsigned_abs() as f64
    }

    /// An f64 function under test: name, function, reference, bound (f64
    /// ULPs from the reference) and the dense range swept besides the bit
    /// patterns.
    type Case64 = (&'static str, fn(f64) -> f64, fn(f64) -> f64, f64, (f64, f64));

    /// The f64 functions, against the platform libm (glibc: its `exp`,
    /// `log`, `exp2`, `log2` are documented within 1 ULP, the others
    /// within 1–2), so the bound covers both errors.
    const FUNCTIONS64: [Case64; 8] = [
        ("exp", exp_f64, f64::exp, 1.0, (-746.0, 710.0)),
        ("exp2", exp2_f64, f64::exp2, 1.0, (-1076.0, 1025.0)),
        ("expm1", expm1_f64, f64::exp_m1, 2.0, (-40.0, 710.0)),
        ("ln", ln_f64, f64::ln, 1.0, (0.0, 4.0)),
        ("log2", log2_f64, f64::log2, 1.0, (0.0, 4.0)),
        ("log10", log10_f64, f64::log10, 2.0, (0.0, 4.0)),
        ("log1p", log1p_f64, f64::ln_1p, 2.0, (-1.0, 4.0)),
        ("tanh", tanh_f64, f64::tanh, 3.0, (-20.0, 20.0)),
    ];

    /// The largest distance of `f` from `reference` over 2^24 bit patterns
    /// spread over every exponent and sign, plus 2^22 evenly spaced points of
    /// `range`.
    fn max_error64(f: fn(f64) -> f64, reference: fn(f64) -> f64, range: (f64, f64)) -> (f64, f64) {
        let step = (u64::MAX >> 24) | 1;
        let bits = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step)));
        let n = 1 << 22;
        let dense = (0..n).map(|i| range.0 + (range.1 - range.0) * (i as f64 + 0.5) / n as f64);
        let mut worst = (0.0, 0.0);
        for x in bits.chain(dense) {
            let e = ulp64(f(x), reference(x));
            if e > worst.0 {
                worst = (e, x);
            }
        }
        worst
    }

    #[test]
    fn f64_functions_are_within_their_bounds() {
        for (name, f, r, bound, range) in FUNCTIONS64 {
            let (err, at) = max_error64(f, r, range);
            println!("{name}_f64: max {err} ULP from libm at {at:e}");
            assert!(err <= bound, "{name}_f64: {err} ULP at {at:e}");
        }
    }

    #[test]
    fn f64_special_values() {
        assert!(exp_f64(f64::NAN).is_nan());
        assert_eq!(exp_f64(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp_f64(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp_f64(0.0), 1.0);
        assert_eq!(exp_f64(-0.0), 1.0);
        assert_eq!(exp_f64(709.8), f64::INFINITY);
        assert_eq!(exp_f64(-746.0), 0.0);
        assert_eq!(exp_f64(-745.0), f64::from_bits(1), "the smallest subnormal");
        assert!(ulp64(exp_f64(1.0), std::f64::consts::E) <= 1.0);
        let pow2 = |e: i32| {
            if e >= -1022 { f64::from_bits(((e + 1023) as u64) << 52) } else { f64::from_bits(1 << (e + 1074)) }
        };
        for e in -1074..1024 {
            assert_eq!(exp2_f64(e as f64), pow2(e), "exp2({e})");
            assert_eq!(log2_f64(pow2(e)), e as f64, "log2(2^{e})");
        }
        assert_eq!(exp2_f64(1024.0), f64::INFINITY);
        assert_eq!(exp2_f64(f64::NEG_INFINITY), 0.0);
        let mut p = 1.0f64;
        for k in 0..=22 {
            assert_eq!(log10_f64(p), k as f64, "log10(1e{k})");
            p *= 10.0;
        }
        for f in [ln_f64, log2_f64, log10_f64] {
            assert!(f(0.0) == f64::NEG_INFINITY && f(-0.0) == f64::NEG_INFINITY);
            assert!(f(-1.0).is_nan() && f(f64::NAN).is_nan() && f(f64::NEG_INFINITY).is_nan());
            assert_eq!(f(f64::INFINITY), f64::INFINITY);
            assert_eq!(f(1.0), 0.0);
        }
        assert_eq!(ln_f64(std::f64::consts::E), 1.0);
        assert!((ln_f64(f64::from_bits(1)) - (-744.440_071_921_381_3)).abs() < 1e-12);
        for f in [expm1_f64, log1p_f64, tanh_f64] {
            assert_eq!(f(0.0).to_bits(), 0.0f64.to_bits());
            assert_eq!(f(-0.0).to_bits(), (-0.0f64).to_bits());
            assert_eq!(f(1e-300), 1e-300);
            assert_eq!(f(5e-324), 5e-324);
            assert!(f(f64::NAN).is_nan());
        }
        assert_eq!(expm1_f64(f64::INFINITY), f64::INFINITY);
        assert_eq!(expm1_f64(f64::NEG_INFINITY), -1.0);
        assert_eq!(expm1_f64(710.0), f64::INFINITY);
        assert_eq!(log1p_f64(-1.0), f64::NEG_INFINITY);
        assert!(log1p_f64(-1.5).is_nan() && log1p_f64(f64::NEG_INFINITY).is_nan());
        assert_eq!(log1p_f64(f64::INFINITY), f64::INFINITY);
        assert_eq!(log1p_f64(f64::MAX), f64::MAX.ln());
        assert_eq!(tanh_f64(f64::INFINITY), 1.0);
        assert_eq!(tanh_f64(f64::NEG_INFINITY), -1.0);
        assert_eq!(tanh_f64(30.0), 1.0);
    }

    /// `logaddexp` in f64 with libm, as the core computed every float
    /// dtype before: the reference of [`logaddexp_f32`].
    fn logaddexp_ref(a: f64, b: f64) -> f64 {
        if a == b {
            return a + std::f64::consts::LN_2;
        }
        if a.is_nan() || b.is_nan() {
            return f64::NAN;
        }
        a.max(b) + (-(a - b).abs()).exp().ln_1p()
    }

    /// A binary float32 function under test: name, function, float64
    /// reference (same argument order) and the bound (ULP) the module docs
    /// state.
    type Case2 = (&'static str, fn(f32, f32) -> f32, fn(f64, f64) -> f64, f64);

    /// The binary functions with their references and bounds.
    const BINARY: [Case2; 3] = [
        ("atan2", atan2_f32, f64::atan2, 2.0),
        ("hypot", hypot_f32, f64::hypot, 1.0),
        ("logaddexp", logaddexp_f32, logaddexp_ref, 1.0),
    ];

    /// splitmix64: a reproducible stream of pseudo-random bits.
    fn splitmix(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The pairs of the binary sweeps: `n` pairs of random bit patterns
    /// (every exponent and sign, NaN and infinities included); `n` pairs
    /// whose magnitudes are within a factor 2^8 of each other, both signs
    /// (where both arguments matter: atan2's ratio near 1, hypot's two
    /// terms); `n` pairs uniform in `[−20, 20]²`.
    fn binary_sweep(n: usize) -> Vec<(f32, f32)> {
        let mut s = 0x0123_4567_89ab_cdef;
        let mut v = Vec::with_capacity(3 * n);
        for _ in 0..n {
            let r = splitmix(&mut s);
            v.push((f32::from_bits(r as u32), f32::from_bits((r >> 32) as u32)));
        }
        for _ in 0..n {
            let r = splitmix(&mut s);
            let x = f32::from_bits(r as u32);
            // A factor 2^e·m, e in −8..=8, m in [1, 2), random sign.
            let e = ((r >> 32) % 17) as u32 + 127 - 8;
            let f = f32::from_bits((e << 23) | ((r >> 40) as u32 & 0x007f_ffff) | (((r >> 63) as u32) << 31));
            v.push((x, x * f));
        }
        for _ in 0..n {
            let r = splitmix(&mut s);
            let u = |b: u64| (b & 0xff_ffff) as f32 / 16_777_216.0 * 40.0 - 20.0;
            v.push((u(r), u(r >> 32)));
        }
        v
    }

    /// Every f32 within `k` bit patterns of `c` (same sign).
    fn around(c: f32, k: u32) -> impl Iterator<Item = f32> {
        let b = c.to_bits();
        (b.saturating_sub(k)..=b.saturating_add(k)).map(f32::from_bits).filter(|v| v.is_finite())
    }

    /// Dense grids where the functions switch branches, and at the extremes
    /// of the range: atan2 with `|y|/|x|` near 1/2, 1 and `tan 3π/8`;
    /// hypot with equal terms and with the smaller one at the rounding
    /// boundary (2^-12 of the larger); logaddexp with `x` near `y` and far
    /// from it, and on a 2048² grid of `[−3, 3]²` (results near 0). Every
    /// sign combination.
    fn binary_grid(name: &str) -> Vec<(f32, f32)> {
        let scales = [1.0f32, 1.5, 1e-30, 1e30, 3e38, 1e-40, f32::MIN_POSITIVE, 1e-45];
        let mut v = Vec::new();
        let mut signs = |a: f32, b: f32| {
            for (p, q) in [(a, b), (-a, b), (a, -b), (-a, -b)] {
                v.push((p, q));
            }
        };
        match name {
            "atan2" => {
                for x in scales {
                    for c in [0.5f32, 1.0, 2.414_213_7] {
                        for y in around(c * x, 1 << 13) {
                            signs(y, x);
                        }
                    }
                }
            }
            "hypot" => {
                for x in scales {
                    for c in [1.0f32, 1.0 / 4096.0, 0.75] {
                        for y in around(c * x, 1 << 13) {
                            signs(x, y);
                        }
                    }
                }
            }
            _ => {
                for x in [0.0f32, 0.5, 1.0, 88.0, -100.0, 1e6, -1e-20] {
                    for y in around(x, 1 << 13).chain(around(x - 16.0, 1 << 12)).chain(around(x - 40.0, 1 << 12)) {
                        v.push((x, y));
                        v.push((y, x));
                    }
                }
                for i in 0..2048 {
                    for j in 0..2048 {
                        v.push((i as f32 * (6.0 / 2048.0) - 3.0, j as f32 * (6.0 / 2048.0) - 3.0));
                    }
                }
            }
        }
        v
    }

    #[test]
    fn binary_functions_are_within_their_bounds() {
        let sweep = binary_sweep(1 << 22);
        for (name, f, r, bound) in BINARY {
            let mut worst = (0.0, (0.0f32, 0.0f32));
            for &(x, y) in sweep.iter().chain(&binary_grid(name)) {
                let e = ulp_error(f(x, y), r(x as f64, y as f64));
                if e > worst.0 {
                    worst = (e, (x, y));
                }
            }
            let (x, y) = worst.1;
            println!("{name}_f32: max {:.3} ULP at ({x:e}, {y:e})", worst.0);
            assert!(worst.0 <= bound, "{name}_f32: {} ULP at ({x:e}, {y:e})", worst.0);
        }
    }

    #[test]
    fn binary_special_values() {
        use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, PI};
        let same = |a: f32, b: f32| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        let (inf, nan, sub) = (f32::INFINITY, f32::NAN, f32::from_bits(1));
        let pi3o4 = (3.0 * std::f64::consts::FRAC_PI_4) as f32;
        // (y, x, atan2(y, x)) per C99 Annex F, and ratios that would
        // overflow or underflow if formed.
        let atan2_cases = [
            (0.0, 0.0, 0.0),
            (-0.0, 0.0, -0.0),
            (0.0, -0.0, PI),
            (-0.0, -0.0, -PI),
            (0.0, -1.0, PI),
            (-0.0, -1.0, -PI),
            (0.0, -sub, PI),
            (-0.0, -inf, -PI),
            (0.0, 1.0, 0.0),
            (-0.0, 1.0, -0.0),
            (-0.0, inf, -0.0),
            (1.0, 0.0, FRAC_PI_2),
            (1.0, -0.0, FRAC_PI_2),
            (-1.0, 0.0, -FRAC_PI_2),
            (-sub, -0.0, -FRAC_PI_2),
            (inf, inf, FRAC_PI_4),
            (-inf, inf, -FRAC_PI_4),
            (inf, -inf, pi3o4),
            (-inf, -inf, -pi3o4),
            (1.0, inf, 0.0),
            (-1.0, inf, -0.0),
            (f32::MAX, inf, 0.0),
            (1.0, -inf, PI),
            (-1.0, -inf, -PI),
            (inf, 1.0, FRAC_PI_2),
            (-inf, 1.0, -FRAC_PI_2),
            (inf, -1.0, FRAC_PI_2),
            (-inf, -f32::MAX, -FRAC_PI_2),
            (1.0, 1.0, FRAC_PI_4),
            (1.0, -1.0, pi3o4),
            (-1.0, -1.0, -pi3o4),
            (f32::MAX, f32::MAX, FRAC_PI_4),
            (f32::MAX, -f32::MAX, pi3o4),
            (sub, sub, FRAC_PI_4),
            (-sub, -sub, -pi3o4),
            (1e38, 1e-38, FRAC_PI_2),
            (1e38, -1e-38, FRAC_PI_2),
            (1e-38, 1e38, 0.0),
            (-1e-38, -1e38, -PI),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (nan, nan, nan),
            (inf, nan, nan),
            (nan, inf, nan),
            (0.0, nan, nan),
            (nan, -0.0, nan),
        ];
        for (y, x, want) in atan2_cases {
            assert!(same(atan2_f32(y, x), want), "atan2({y:e}, {x:e}) = {:e}, want {want:e}", atan2_f32(y, x));
        }
        // Tiny, subnormal and huge arguments: within the bound of the
        // correctly rounded result.
        for (y, x) in
            [(1e-40f32, 3.0f32), (3e-39, -2e-39), (1e-45, 1e-44), (3e38, 2e38), (-3e38, 1e-45), (1e-30, 1e-30)]
        {
            assert!(ulp_error(atan2_f32(y, x), (y as f64).atan2(x as f64)) <= 2.0, "atan2({y:e}, {x:e})");
        }
        // hypot: an infinity wins over NaN, signs do not matter.
        let hypot_cases = [
            (inf, nan, inf),
            (nan, inf, inf),
            (-inf, nan, inf),
            (nan, -inf, inf),
            (-inf, 1.0, inf),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (nan, nan, nan),
            (0.0, 0.0, 0.0),
            (-0.0, -0.0, 0.0),
            (3.0, -4.0, 5.0),
            (-3.0, 4.0, 5.0),
            (f32::MAX, 0.0, f32::MAX),
            (f32::MAX, f32::MAX, inf),
            (-sub, 0.0, sub),
        ];
        for (x, y, want) in hypot_cases {
            assert!(same(hypot_f32(x, y), want), "hypot({x:e}, {y:e}) = {:e}, want {want:e}", hypot_f32(x, y));
        }
        // Where f32 squares would overflow or underflow.
        for (x, y) in [(1e30f32, 1e30f32), (3e38, 1e38), (1e-30, 1e-30), (1e-40, 3e-40), (sub, sub), (1e20, 1e-20)] {
            assert!(ulp_error(hypot_f32(x, y), (x as f64).hypot(y as f64)) <= 0.501, "hypot({x:e}, {y:e})");
        }
        let ln2 = |x: f32| (x as f64 + std::f64::consts::LN_2) as f32;
        let logaddexp_cases = [
            (inf, inf, inf),
            (-inf, -inf, -inf),
            (inf, -inf, inf),
            (-inf, inf, inf),
            (inf, 1.0, inf),
            (-inf, 1.0, 1.0),
            (1.0, -inf, 1.0),
            (-1e30, -inf, -1e30),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (nan, inf, nan),
            (inf, nan, nan),
            (nan, -inf, nan),
            (0.0, 0.0, std::f32::consts::LN_2),
            (-0.0, 0.0, std::f32::consts::LN_2),
            (88.0, 88.0, ln2(88.0)),
            (88.7, 88.7, ln2(88.7)),
            (1e30, 1e30, 1e30),
            (f32::MAX, f32::MAX, f32::MAX),
            (1e30, -1e30, 1e30),
            (-1e30, -1e30, -1e30),
            (100.0, 0.0, 100.0),
            (-200.0, -200.0, ln2(-200.0)),
        ];
        for (x, y, want) in logaddexp_cases {
            assert!(
                same(logaddexp_f32(x, y), want),
                "logaddexp({x:e}, {y:e}) = {:e}, want {want:e}",
                logaddexp_f32(x, y)
            );
        }
        // Large and nearly equal: no overflow on the way.
        for (x, y) in [(88.0f32, 87.9f32), (1e30, 1e30f32.next_down()), (-1e30, -1e30f32.next_up()), (89.0, 88.5)] {
            assert!(
                ulp_error(logaddexp_f32(x, y), logaddexp_ref(x as f64, y as f64)) <= 1.0,
                "logaddexp({x:e}, {y:e})"
            );
        }
    }

    #[test]
    fn hypot_f64_is_within_two_ulp_of_libm() {
        let mut s = 0xfeed_beef_u64;
        let mut worst = (0.0, (0.0, 0.0));
        for i in 0..3 << 21 {
            let (r, q) = (splitmix(&mut s), splitmix(&mut s));
            let x = f64::from_bits(r);
            // Random bit patterns; magnitudes within 2^±16 of each other;
            // the unit square.
            let y = match i % 3 {
                0 => f64::from_bits(q),
                1 => x * f64::from_bits((q & 0x800f_ffff_ffff_ffff) | ((1023 - 16 + (q >> 52) % 33) << 52)),
                _ => (q >> 11) as f64 / 9_007_199_254_740_992.0,
            };
            let x = if i % 3 == 2 { (r >> 11) as f64 / 9_007_199_254_740_992.0 } else { x };
            let e = ulp64(hypot_f64(x, y), x.hypot(y));
            if e > worst.0 {
                worst = (e, (x, y));
            }
        }
        println!("hypot_f64: max {} ULP from libm at {:e}, {:e}", worst.0, worst.1.0, worst.1.1);
        assert!(worst.0 <= 2.0, "hypot_f64: {} ULP at {:?}", worst.0, worst.1);
        let (inf, nan, sub) = (f64::INFINITY, f64::NAN, f64::from_bits(1));
        for (x, y, want) in [
            (inf, nan, inf),
            (nan, -inf, inf),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (0.0, -0.0, 0.0),
            (-3.0, 4.0, 5.0),
            (f64::MAX, 0.0, f64::MAX),
            (f64::MAX, f64::MAX, inf),
            (sub, 0.0, sub),
            (-sub, -sub, sub),
        ] {
            let got = hypot_f64(x, y);
            assert!(
                (got.is_nan() && want.is_nan()) || got.to_bits() == want.to_bits(),
                "hypot({x:e}, {y:e}) = {got:e}"
            );
        }
        for (x, y) in
            [(1e300, 1e300), (1e-300, 1e-300), (3e-320, 4e-320), (1e200, 1e-200), (f64::MAX / 2.0, f64::MAX / 3.0)]
        {
            assert!(ulp64(hypot_f64(x, y), x.hypot(y)) <= 1.0, "hypot({x:e}, {y:e})");
        }
    }

    /// A float64 trigonometric function under test: name, function,
    /// reference and bound (f64 ULPs).
    type Trig64Case = (&'static str, fn(f64) -> f64, fn(f64) -> f64, f64);

    /// The float64 trigonometric functions with glibc as the reference and
    /// the bound (f64 ULPs from glibc) the module docs state.
    const TRIG64: [Trig64Case; 3] =
        [("sin", sin_f64, f64::sin, 2.0), ("cos", cos_f64, f64::cos, 2.0), ("tan", tan_f64, f64::tan, 2.0)];

    /// The inputs of the float64 trigonometric sweep: 2^24 bit patterns over
    /// every exponent and sign; 2^14 random mantissas in every binade from
    /// 2^-30 to 2^20 (both signs); and the doubles nearest `k·π/2` for
    /// `k < 10^5` and for every 7th `k` up to the reduction's limit, with
    /// their 2 neighbours each side (where Cody–Waite cancels most).
    fn trig64_inputs() -> Vec<f64> {
        let step = (u64::MAX >> 24) | 1;
        let mut v: Vec<f64> = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step))).collect();
        let mut s = 0x5eed_u64;
        for e in -30..20 {
            for _ in 0..1 << 14 {
                let r = splitmix(&mut s);
                let m = f64::from_bits((r & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
                let x = m * 2f64.powi(e);
                v.push(if r >> 63 == 0 { x } else { -x });
            }
        }
        let kmax = (TRIG64_FAST_MAX / std::f64::consts::FRAC_PI_2) as u64;
        for k in (1..100_000u64).chain((100_000..=kmax).step_by(7)) {
            let c = k as f64 * std::f64::consts::FRAC_PI_2;
            let b = c.to_bits();
            for d in b - 2..=b + 2 {
                v.push(f64::from_bits(d));
                v.push(-f64::from_bits(d));
            }
        }
        v
    }

    #[test]
    fn trig64_functions_are_within_their_bounds() {
        let xs = trig64_inputs();
        for (name, f, r, bound) in TRIG64 {
            let mut worst = (0.0, 0.0);
            for &x in &xs {
                let e = ulp64(f(x), r(x));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f64: max {} ULP from glibc at {:e}", worst.0, worst.1);
            assert!(worst.0 <= bound, "{name}_f64: {} ULP at {:e}", worst.0, worst.1);
        }
    }

    #[test]
    fn trig64_fast_matches_full_below_its_limit() {
        type Pair = (fn(f64) -> f64, fn(f64) -> f64);
        let pairs: [Pair; 3] = [(sin_f64_fast, sin_f64), (cos_f64_fast, cos_f64), (tan_f64_fast, tan_f64)];
        let edge = [TRIG64_FAST_MAX.next_down(), -TRIG64_FAST_MAX.next_down(), f64::NAN, 0.0, -0.0, 5e-324];
        for x in trig64_inputs().into_iter().filter(|&x| !trig64_needs_full(x)).chain(edge) {
            for (f, g) in pairs {
                assert_eq!(f(x).to_bits(), g(x).to_bits(), "{x:e}");
            }
        }
        assert!(!trig64_needs_full(f64::NAN) && trig64_needs_full(f64::NEG_INFINITY));
        assert!(trig64_needs_full(TRIG64_FAST_MAX) && !trig64_needs_full(TRIG64_FAST_MAX.next_down()));
        // Every quadrant below the limit is below 2^20, where the products
        // with the 33-bit parts are exact.
        let t = TRIG64_FAST_MAX.next_down() * INV_PIO2 + ROUND64;
        assert!(t - ROUND64 < 1_048_576.0);
        for c in [PIO2_64_1, PIO2_64_2, PIO2_64_3] {
            assert_eq!(c.to_bits() & 0xf_ffff, 0, "{c:e} has more than 33 significant bits");
        }
    }

    #[test]
    fn trig64_special_values() {
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        for f in [sin_f64, tan_f64, sin_f64_fast, tan_f64_fast] {
            for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, 1e-20, -1e-9] {
                assert!(same(f(x), x), "{x:e} -> {:e}", f(x));
            }
        }
        for f in [cos_f64, cos_f64_fast] {
            for x in [0.0, -0.0, 1e-300, -5e-324, 1e-9] {
                assert_eq!(f(x), 1.0);
            }
        }
        for f in [sin_f64, cos_f64, tan_f64] {
            assert!(f(f64::NAN).is_nan() && f(f64::INFINITY).is_nan() && f(f64::NEG_INFINITY).is_nan());
        }
        for f in [sin_f64_fast, cos_f64_fast, tan_f64_fast] {
            assert!(f(f64::NAN).is_nan() && f(f64::INFINITY).is_nan() && f(f64::NEG_INFINITY).is_nan());
        }
        // Multiples of π/2 (the results are the tiny remainders), the limit
        // and huge inputs.
        use std::f64::consts::{FRAC_PI_2, PI};
        for x in [PI, -PI, FRAC_PI_2, 2.0 * PI, 1e5 * PI, 1e22, f64::MAX, -f64::MAX, TRIG64_FAST_MAX, 1048575.9999] {
            assert!(ulp64(sin_f64(x), x.sin()) <= 1.0, "sin({x:e})");
            assert!(ulp64(cos_f64(x), x.cos()) <= 1.0, "cos({x:e})");
            assert!(ulp64(tan_f64(x), x.tan()) <= 2.0, "tan({x:e})");
        }
    }

    /// Every f64 within `k` bit patterns of `c` (same sign, finite).
    fn around64(c: f64, k: u64) -> impl Iterator<Item = f64> {
        let b = c.to_bits();
        (b.saturating_sub(k)..=b.saturating_add(k)).map(f64::from_bits).filter(|v| v.is_finite())
    }

    #[test]
    fn atan64_is_within_its_bound() {
        let step = (u64::MAX >> 24) | 1;
        let mut xs: Vec<f64> = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step))).collect();
        let n = 1 << 22;
        xs.extend((0..n).map(|i| -4.0 + 8.0 * (i as f64 + 0.5) / n as f64));
        // Every branch switch, densely, both signs.
        for c in [0.4375, 0.6875, 1.1875, 2.4375, 1.0, 0.5, 1.5] {
            xs.extend(around64(c, 1 << 16).flat_map(|x| [x, -x]));
        }
        let mut worst = (0.0, 0.0);
        for &x in &xs {
            let e = ulp64(atan_f64(x), x.atan());
            if e > worst.0 {
                worst = (e, x);
            }
        }
        println!("atan_f64: max {} ULP from glibc at {:e}", worst.0, worst.1);
        assert!(worst.0 <= 1.0, "atan_f64: {} ULP at {:e}", worst.0, worst.1);
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, 1e-20] {
            assert!(same(atan_f64(x), x), "atan({x:e})");
        }
        use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};
        for (x, want) in [
            (f64::INFINITY, FRAC_PI_2),
            (f64::NEG_INFINITY, -FRAC_PI_2),
            (f64::MAX, FRAC_PI_2),
            (1.0, FRAC_PI_4),
            (-1.0, -FRAC_PI_4),
            (f64::NAN, f64::NAN),
        ] {
            assert!(same(atan_f64(x), want), "atan({x:e}) = {:e}", atan_f64(x));
        }
    }

    #[test]
    fn atan2_f64_is_within_its_bound() {
        let mut s = 0xa7a2_u64;
        let mut pairs = Vec::new();
        for i in 0..3 << 21 {
            let (r, q) = (splitmix(&mut s), splitmix(&mut s));
            let x = f64::from_bits(r);
            // Random bit patterns; magnitudes within 2^±4 of each other
            // (where every interval is hit), both signs; the square [−2, 2]².
            let y = match i % 3 {
                0 => f64::from_bits(q),
                1 => x * f64::from_bits((q & 0x800f_ffff_ffff_ffff) | ((1023 - 4 + (q >> 52) % 9) << 52)),
                _ => (q >> 11) as f64 / 2_251_799_813_685_248.0 - 2.0,
            };
            let x = if i % 3 == 2 { (r >> 11) as f64 / 2_251_799_813_685_248.0 - 2.0 } else { x };
            pairs.push((y, x));
        }
        // The interval switches, at every scale (subnormal, huge) and sign.
        for x in [1.0, 1.7, 1e-300, 1e300, f64::MAX, 1e-310, 5e-324 * 16.0, f64::MIN_POSITIVE] {
            for c in [0.4375, 0.6875, 1.1875, 2.4375, 1.0] {
                for y in around64(c * x, 1 << 11) {
                    pairs.extend([(y, x), (-y, x), (y, -x), (-y, -x)]);
                }
            }
        }
        let mut worst = (0.0, (0.0, 0.0));
        for &(y, x) in &pairs {
            let e = ulp64(atan2_f64(y, x), y.atan2(x));
            if e > worst.0 {
                worst = (e, (y, x));
            }
        }
        println!("atan2_f64: max {} ULP from glibc at {:e}, {:e}", worst.0, worst.1.0, worst.1.1);
        assert!(worst.0 <= 1.0, "atan2_f64: {} ULP at {:?}", worst.0, worst.1);
        // Subnormal ratios, both tiny, and every pair of small multiples of
        // the smallest subnormal (where the interval tests round).
        for i in 0..64u64 {
            for j in 0..64u64 {
                let (y, x) = (f64::from_bits(i), f64::from_bits(j));
                for (y, x) in [(y, x), (-y, x), (y, -x), (-y, -x)] {
                    assert!(ulp64(atan2_f64(y, x), y.atan2(x)) <= 1.0, "atan2({y:e}, {x:e})");
                }
            }
        }
        use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
        let (inf, nan, sub, pi3o4) = (f64::INFINITY, f64::NAN, 5e-324, 3.0 * FRAC_PI_4);
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        // (y, x, atan2(y, x)) per C99 Annex F, and ratios that would
        // overflow or underflow if formed.
        for (y, x, want) in [
            (0.0, 0.0, 0.0),
            (-0.0, 0.0, -0.0),
            (0.0, -0.0, PI),
            (-0.0, -0.0, -PI),
            (0.0, -1.0, PI),
            (-0.0, -1.0, -PI),
            (0.0, -sub, PI),
            (-0.0, -inf, -PI),
            (0.0, 1.0, 0.0),
            (-0.0, 1.0, -0.0),
            (-0.0, inf, -0.0),
            (1.0, 0.0, FRAC_PI_2),
            (1.0, -0.0, FRAC_PI_2),
            (-1.0, 0.0, -FRAC_PI_2),
            (-sub, -0.0, -FRAC_PI_2),
            (inf, inf, FRAC_PI_4),
            (-inf, inf, -FRAC_PI_4),
            (inf, -inf, pi3o4),
            (-inf, -inf, -pi3o4),
            (1.0, inf, 0.0),
            (-1.0, inf, -0.0),
            (f64::MAX, inf, 0.0),
            (1.0, -inf, PI),
            (-1.0, -inf, -PI),
            (inf, 1.0, FRAC_PI_2),
            (-inf, 1.0, -FRAC_PI_2),
            (inf, -1.0, FRAC_PI_2),
            (-inf, -f64::MAX, -FRAC_PI_2),
            (1.0, 1.0, FRAC_PI_4),
            (1.0, -1.0, pi3o4),
            (-1.0, -1.0, -pi3o4),
            (f64::MAX, f64::MAX, FRAC_PI_4),
            (f64::MAX, -f64::MAX, pi3o4),
            (sub, sub, FRAC_PI_4),
            (-sub, -sub, -pi3o4),
            (1e300, 1e-300, FRAC_PI_2),
            (1e300, -1e-300, FRAC_PI_2),
            (1e-300, 1e300, 0.0),
            (-1e-300, -1e300, -PI),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (nan, nan, nan),
            (inf, nan, nan),
            (nan, inf, nan),
            (0.0, nan, nan),
            (nan, -0.0, nan),
        ] {
            assert!(same(atan2_f64(y, x), want), "atan2({y:e}, {x:e}) = {:e}, want {want:e}", atan2_f64(y, x));
        }
    }

    #[test]
    fn asin_acos_f64_are_within_their_bounds() {
        let step = (u64::MAX >> 24) | 1;
        let mut xs: Vec<f64> = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step))).collect();
        let n = 1 << 22;
        xs.extend((0..n).map(|i| -1.0 + 2.0 * (i as f64 + 0.5) / n as f64));
        // The branch switch at 1/2 and the ends ±1, densely, both signs.
        for c in [0.5, 1.0, 0.25, 0.75] {
            xs.extend(around64(c, 1 << 16).filter(|x| *x <= 1.0).flat_map(|x| [x, -x]));
        }
        for (name, f, r) in
            [("asin", asin_f64 as fn(f64) -> f64, f64::asin as fn(f64) -> f64), ("acos", acos_f64, f64::acos)]
        {
            let mut worst = (0.0, 0.0);
            for &x in &xs {
                let e = ulp64(f(x), r(x));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f64: max {} ULP from glibc at {:e}", worst.0, worst.1);
            assert!(worst.0 <= 1.0, "{name}_f64: {} ULP at {:e}", worst.0, worst.1);
        }
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, 1e-20] {
            assert!(same(asin_f64(x), x), "asin({x:e})");
            assert_eq!(acos_f64(x), std::f64::consts::FRAC_PI_2, "acos({x:e})");
        }
        use std::f64::consts::{FRAC_PI_2, PI};
        let nan = f64::NAN;
        for (f, x, want) in [
            (asin_f64 as fn(f64) -> f64, 1.0, FRAC_PI_2),
            (asin_f64, -1.0, -FRAC_PI_2),
            (asin_f64, 1.0f64.next_up(), nan),
            (asin_f64, -2.0, nan),
            (asin_f64, f64::INFINITY, nan),
            (asin_f64, nan, nan),
            (acos_f64, 1.0, 0.0),
            (acos_f64, -1.0, PI),
            (acos_f64, (-1.0f64).next_down(), nan),
            (acos_f64, f64::NEG_INFINITY, nan),
            (acos_f64, nan, nan),
        ] {
            assert!(same(f(x), want), "{x:e} -> {:e}", f(x));
        }
    }

    #[test]
    fn sinh_cosh_f64_are_within_their_bounds() {
        let step = (u64::MAX >> 24) | 1;
        let mut xs: Vec<f64> = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step))).collect();
        let n = 1 << 22;
        xs.extend((0..n).map(|i| -720.0 + 1440.0 * (i as f64 + 0.5) / n as f64));
        xs.extend((0..n).map(|i| -2.0 + 4.0 * (i as f64 + 0.5) / n as f64));
        // The branch switch at 1 and the overflow threshold, densely, both signs.
        for c in [1.0, 710.0, 710.475_860_073_943_9, 709.78] {
            xs.extend(around64(c, 1 << 16).flat_map(|x| [x, -x]));
        }
        for (name, f, r) in
            [("sinh", sinh_f64 as fn(f64) -> f64, f64::sinh as fn(f64) -> f64), ("cosh", cosh_f64, f64::cosh)]
        {
            let mut worst = (0.0, 0.0);
            for &x in &xs {
                let e = ulp64(f(x), r(x));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f64: max {} ULP from glibc at {:e}", worst.0, worst.1);
            assert!(worst.0 <= 2.0, "{name}_f64: {} ULP at {:e}", worst.0, worst.1);
        }
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, 1e-20] {
            assert!(same(sinh_f64(x), x), "sinh({x:e})");
            assert_eq!(cosh_f64(x), 1.0, "cosh({x:e})");
        }
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        for (f, x, want) in [
            (sinh_f64 as fn(f64) -> f64, inf, inf),
            (sinh_f64, -inf, -inf),
            (sinh_f64, 710.5, inf),
            (sinh_f64, -1e300, -inf),
            (sinh_f64, nan, nan),
            (cosh_f64, inf, inf),
            (cosh_f64, -inf, inf),
            (cosh_f64, -710.5, inf),
            (cosh_f64, nan, nan),
        ] {
            assert!(same(f(x), want), "{x:e} -> {:e}", f(x));
        }
        assert!(sinh_f64(710.47).is_finite() && cosh_f64(-710.47).is_finite());
    }

    /// The inputs of the float64 inverse hyperbolic sweeps: 2^24 bit
    /// patterns (every exponent and sign), 256 random mantissas in every
    /// binade both signs (subnormals included), 2^22 points of `[−4, 4]` and
    /// of `[1, 4]`, and 2^14 doubles each side of every branch switch and
    /// overflow edge (`2^-28`, `1/2`, `1`, `2`, `2^28`, where `x²` and `2x`
    /// overflow), both signs.
    fn inverse_hyperbolic64_inputs() -> Vec<f64> {
        let step = (u64::MAX >> 24) | 1;
        let mut xs: Vec<f64> = (0..1u64 << 24).map(|i| f64::from_bits(i.wrapping_mul(step))).collect();
        let mut st = 0x5eed_u64;
        for e in 0..2047u64 {
            for _ in 0..256 {
                let x = f64::from_bits((e << 52) | (splitmix(&mut st) >> 12));
                xs.extend([x, -x]);
            }
        }
        let n = 1 << 22;
        xs.extend((0..n).map(|i| -4.0 + 8.0 * (i as f64 + 0.5) / n as f64));
        xs.extend((0..n).map(|i| 1.0 + 3.0 * (i as f64 + 0.5) / n as f64));
        for c in [3.725_290_298_461_914e-9, 0.5, 1.0, 2.0, 268_435_456.0, 1.340_780_792_994_259_6e154, 8.98e307] {
            xs.extend(around64(c, 1 << 14).flat_map(|x| [x, -x]));
        }
        xs
    }

    #[test]
    fn inverse_hyperbolic_f64_are_within_two_ulp_of_glibc() {
        use crate::simd::libm;
        let xs = inverse_hyperbolic64_inputs();
        for (name, f, r) in [
            ("asinh", asinh_f64 as fn(f64) -> f64, libm::asinh as fn(f64) -> f64),
            ("acosh", acosh_f64, libm::acosh),
            ("atanh", atanh_f64, libm::atanh),
        ] {
            let mut worst = (0.0, 0.0);
            for &x in &xs {
                let e = ulp64(f(x), r(x));
                if e > worst.0 {
                    worst = (e, x);
                }
            }
            println!("{name}_f64: max {} ULP from glibc at {:e} ({} inputs)", worst.0, worst.1, xs.len());
            assert!(worst.0 <= 2.0, "{name}_f64: {} ULP at {:e}", worst.0, worst.1);
        }
    }

    #[test]
    fn inverse_hyperbolic_f64_special_values() {
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        // Tiny and subnormal arguments come back as they are, sign of zero
        // kept.
        for x in [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, f64::MIN_POSITIVE, 1e-20, -3e-9] {
            assert!(same(asinh_f64(x), x), "asinh({x:e}) = {:e}", asinh_f64(x));
            assert!(same(atanh_f64(x), x), "atanh({x:e}) = {:e}", atanh_f64(x));
        }
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        for (name, f, x, want) in [
            ("asinh", asinh_f64 as fn(f64) -> f64, inf, inf),
            ("asinh", asinh_f64, -inf, -inf),
            ("asinh", asinh_f64, nan, nan),
            ("asinh", asinh_f64, f64::MAX, 710.475_860_073_943_9),
            ("asinh", asinh_f64, -f64::MAX, -710.475_860_073_943_9),
            ("acosh", acosh_f64, 1.0, 0.0),
            ("acosh", acosh_f64, inf, inf),
            ("acosh", acosh_f64, f64::MAX, 710.475_860_073_943_9),
            ("acosh", acosh_f64, 1.0f64.next_down(), nan),
            ("acosh", acosh_f64, 0.0, nan),
            ("acosh", acosh_f64, -0.0, nan),
            ("acosh", acosh_f64, -1.0, nan),
            ("acosh", acosh_f64, -inf, nan),
            ("acosh", acosh_f64, nan, nan),
            ("atanh", atanh_f64, 1.0, inf),
            ("atanh", atanh_f64, -1.0, -inf),
            ("atanh", atanh_f64, 1.0f64.next_up(), nan),
            ("atanh", atanh_f64, -2.0, nan),
            ("atanh", atanh_f64, inf, nan),
            ("atanh", atanh_f64, -inf, nan),
            ("atanh", atanh_f64, nan, nan),
        ] {
            assert!(same(f(x), want), "{name}({x:e}) = {:e}, want {want:e}", f(x));
        }
    }

    /// float64 `logaddexp` against the same formula in glibc
    /// ([`logaddexp_ref`]): within 2 ULP where the sum does not cancel
    /// (`max(x, y) ≥ 0`), and within a few ULPs of the larger term in
    /// absolute terms where it does (both formulas lose the result's
    /// relative accuracy there).
    #[test]
    fn logaddexp_f64_is_within_its_bound() {
        let mut s = 0x0bad_cafe_u64;
        let mut pairs: Vec<(f64, f64)> = Vec::new();
        for _ in 0..1 << 21 {
            // Random bit patterns, and pairs within 2^±6 of each other.
            let (a, b) = (f64::from_bits(splitmix(&mut s)), f64::from_bits(splitmix(&mut s)));
            pairs.push((a, b));
            let u = |s: &mut u64, lo: f64, hi: f64| lo + (hi - lo) * ((splitmix(s) >> 11) as f64 / (1u64 << 53) as f64);
            let m = u(&mut s, -50.0, 50.0);
            let k = u(&mut s, -6.0, 6.0);
            pairs.push((m, m * k.exp2()));
            pairs.push((u(&mut s, -40.0, 40.0), u(&mut s, -40.0, 40.0)));
            pairs.push((u(&mut s, -2.0, 2.0), u(&mut s, -2.0, 2.0)));
        }
        let (mut worst, mut worst_abs) = ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0));
        for &(x, y) in &pairs {
            let (got, want) = (logaddexp_f64(x, y), logaddexp_ref(x, y));
            // The sum cancels partly where max(x, y) < 0: then in units of
            // its larger term, max(|max(x, y)|, log1p(e^d)).
            let m = x.max(y);
            let scale = m.abs().max(want - m);
            if m < 0.0 && want.is_finite() {
                // In ULPs of `scale`.
                let e = (got - want).abs() / (scale * f64::EPSILON);
                if e > worst_abs.0 {
                    worst_abs = (e, x, y);
                }
            } else {
                let e = ulp64(got, want);
                if e > worst.0 {
                    worst = (e, x, y);
                }
            }
        }
        println!(
            "logaddexp_f64: max {} ULP at ({:e}, {:e}); cancelling: {} ULP of the larger term at ({:e}, {:e}); {} pairs",
            worst.0,
            worst.1,
            worst.2,
            worst_abs.0,
            worst_abs.1,
            worst_abs.2,
            pairs.len()
        );
        assert!(worst.0 <= 2.0, "logaddexp_f64: {} ULP at ({:e}, {:e})", worst.0, worst.1, worst.2);
        assert!(
            worst_abs.0 <= 3.0,
            "logaddexp_f64 cancelling: {} at ({:e}, {:e})",
            worst_abs.0,
            worst_abs.1,
            worst_abs.2
        );
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
        let (inf, nan, ln2) = (f64::INFINITY, f64::NAN, std::f64::consts::LN_2);
        for (x, y, want) in [
            (inf, inf, inf),
            (-inf, -inf, -inf),
            (inf, -inf, inf),
            (-inf, inf, inf),
            (-inf, 3.0, 3.0),
            (3.0, -inf, 3.0),
            (0.0, 0.0, ln2),
            (1e308, 1e308, 1e308 + ln2),
            (-1e308, 1e308, 1e308),
            (nan, 1.0, nan),
            (1.0, nan, nan),
            (nan, inf, nan),
            (-inf, nan, nan),
        ] {
            assert!(same(logaddexp_f64(x, y), want), "logaddexp({x:e}, {y:e}) = {:e}", logaddexp_f64(x, y));
        }
    }
}
