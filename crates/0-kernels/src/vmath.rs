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

/// `log10(e)` rounded to f32, and split like `LOG2E` in [`log2_f32`].
const LOG10E: f32 = std::f32::consts::LOG10_E;
/// `log10(2)` split: `LOG10_2_HI` has 12 significant bits, so `e ·
/// LOG10_2_HI` is exact for every exponent `e`.
const LOG10_2_HI: f32 = 0.301_025_4;
/// `log10(2) − LOG10_2_HI`.
const LOG10_2_LO: f32 = 4.605_039e-6;

/// Base-10 logarithm for `f32`, within 2 ULP of the correctly rounded
/// result; branch-free and vectorisable.
#[inline(always)]
pub fn log10_f32(x: f32) -> f32 {
    let (e, f, p, z) = ln_parts(x);
    let y = p - 0.5 * z;
    // log10(m) = (f + y)·log10(e), with f·log10(e) split as in `log2_f32`.
    const LOG10E_HI: f32 = 0.434_326_17; // 12 significant bits
    const LOG10E_LO: f32 = LOG10E - LOG10E_HI;
    let f_hi = f32::from_bits(f.to_bits() & 0xffff_f000);
    let f_lo = f - f_hi;
    let l = ((f_lo + y) * LOG10E + f_hi * LOG10E_LO) + f_hi * LOG10E_HI;
    log_special(x, (e * LOG10_2_LO + l) + e * LOG10_2_HI)
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

// `2^k · 2/π mod 4` for k = 1..=104, in four pieces on fixed grids: A on
// 2^-24 (26 bits), B on 2^-50, C on 2^-76 (truncated, so each has at most
// 26 significant bits and its product with a 24-bit integer is exact) and D
// the rounded rest. Generated with mpmath at 2000 bits.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
mod inv_pio2 {
    //! Payne–Hanek table: pieces of `2^k · 2/π mod 4` (see the comment above).
    pub(super) const INV_PIO2_A: [f64; 104] = [
        1.2732394933700562,
        2.546479046344757,
        1.092958152294159,
        2.185916304588318,
        0.3718326687812805,
        0.7436653971672058,
        1.4873308539390564,
        2.974661707878113,
        1.9493234157562256,
        3.898646891117096,
        3.797293782234192,
        3.594587564468384,
        3.1891751885414124,
        2.3783504366874695,
        0.7567009329795837,
        1.5134018659591675,
        3.026803731918335,
        2.0536075234413147,
        0.1072150468826294,
        0.2144300937652588,
        0.4288601875305176,
        0.8577204346656799,
        1.7154408693313599,
        3.4308817386627197,
        2.8617634773254395,
        1.723526954650879,
        3.447053909301758,
        2.8941078782081604,
        1.7882157564163208,
        3.5764315724372864,
        3.1528631448745728,
        2.3057263493537903,
        0.6114526987075806,
        1.2229053974151611,
        2.445810854434967,
        0.8916217088699341,
        1.783243477344513,
        3.566486954689026,
        3.1329739093780518,
        2.2659478783607483,
        0.5318958163261414,
        1.0637916922569275,
        2.1275834441184998,
        0.2551669478416443,
        0.5103339552879333,
        1.0206679701805115,
        2.041335940361023,
        0.0826718807220459,
        0.1653437614440918,
        0.3306875228881836,
        0.661375105381012,
        1.322750210762024,
        2.645500421524048,
        1.2910009026527405,
        2.5820018649101257,
        1.1640037894248962,
        2.3280075788497925,
        0.6560152173042297,
        1.3120304346084595,
        2.6240609288215637,
        1.2481218576431274,
        2.4962437748908997,
        0.9924876093864441,
        1.984975278377533,
        3.9699506163597107,
        3.939901292324066,
        3.8798025846481323,
        3.7596052289009094,
        3.519210457801819,
        3.0384209156036377,
        2.0768418312072754,
        0.15368372201919556,
        0.3073675036430359,
        0.6147350668907166,
        1.2294701933860779,
        2.4589404463768005,
        0.9178808927536011,
        1.835761845111847,
        3.671523690223694,
        3.3430474400520325,
        2.686094880104065,
        1.3721897602081299,
        2.7443795800209045,
        1.4887592196464539,
        2.9775184392929077,
        1.9550369381904602,
        3.9100738763809204,
        3.820147752761841,
        3.6402955651283264,
        3.2805911898612976,
        2.561182379722595,
        1.1223648190498352,
        2.244729697704315,
        0.48945945501327515,
        0.9789189100265503,
        1.9578378796577454,
        3.9156758189201355,
        3.8313516974449158,
        3.6627033948898315,
        3.325406789779663,
        2.650813579559326,
        1.3016271591186523,
        2.6032543182373047,
        1.2065086364746094,
    ];
    pub(super) const INV_PIO2_B: [f64; 104] = [
        5.136510594638821e-08,
        4.312556800556422e-08,
        2.6646491235737813e-08,
        5.3292983359654045e-08,
        4.6981321943917465e-08,
        3.4358000000622724e-08,
        9.111355225854822e-09,
        1.8222710451709645e-08,
        3.644542179159771e-08,
        1.3286198807804794e-08,
        2.657239850378801e-08,
        5.314479700757602e-08,
        4.668494923976141e-08,
        3.376525459231061e-08,
        7.925865297409018e-09,
        1.5851731482996456e-08,
        3.170346385417133e-08,
        3.802283821130459e-09,
        7.604568530439337e-09,
        1.5209137949057094e-08,
        3.041827589811419e-08,
        1.2319070208377525e-09,
        2.463814041675505e-09,
        4.92762808335101e-09,
        9.85525705488044e-09,
        1.971051410976088e-08,
        3.942102821952176e-08,
        1.9237412551831312e-08,
        3.8474825991841044e-08,
        1.7345008096469883e-08,
        3.4690016192939765e-08,
        9.775388498667326e-09,
        1.955077699733465e-08,
        3.910155488284772e-08,
        1.859846499030482e-08,
        3.719693086878806e-08,
        1.4789217850363912e-08,
        2.9578436588906243e-08,
        5.9156874065990905e-08,
        5.8709104244769605e-08,
        5.7813563714148586e-08,
        5.6022483541084966e-08,
        5.244032230677931e-08,
        4.527599983816799e-08,
        3.0947354900945356e-08,
        2.2900659146785074e-09,
        4.5801327175354345e-09,
        9.160266323249289e-09,
        1.8320533534676997e-08,
        3.6641067957532414e-08,
        1.3677491139674203e-08,
        2.7354983167526825e-08,
        5.470996633505365e-08,
        4.9815288782895095e-08,
        4.0025932790399565e-08,
        2.0447220805408506e-08,
        4.089444249899543e-08,
        2.2184241110778657e-08,
        4.4368482221557315e-08,
        2.9132320555902425e-08,
        5.826464111180485e-08,
        5.692463744821907e-08,
        5.424463100922594e-08,
        4.8884618131239677e-08,
        3.816459148708873e-08,
        1.672453908696525e-08,
        3.344907906210892e-08,
        7.293514237005638e-09,
        1.4587028474011277e-08,
        2.9174057836200973e-08,
        5.8348116560580365e-08,
        5.7091589233948525e-08,
        5.4578533692506426e-08,
        4.9552422609622226e-08,
        3.950020044385383e-08,
        1.939575611231703e-08,
        3.879151222463406e-08,
        1.7978379673877498e-08,
        3.5956760235933416e-08,
        1.2308876584654627e-08,
        2.4617753169309253e-08,
        4.9235507226796926e-08,
        3.886637056638165e-08,
        1.812809635737267e-08,
        3.625619360292376e-08,
        1.2907743318635312e-08,
        2.5815486637270624e-08,
        5.163097416271967e-08,
        4.365730443822713e-08,
        2.7709964101063633e-08,
        5.5419928202127267e-08,
        5.123521162886391e-08,
        4.286577937051561e-08,
        2.6126913965640597e-08,
        5.2253828819459613e-08,
        4.49030128635286e-08,
        3.020138095166658e-08,
        7.981180161209522e-10,
        1.5962360322419045e-09,
        3.1924729526622286e-09,
        6.384945905324457e-09,
        1.2769892698827334e-08,
        2.5539786285833088e-08,
        5.1079572571666176e-08,
    ];
    pub(super) const INV_PIO2_C: [f64; 104] = [
        5.87419095926311e-16,
        2.8665978538738656e-16,
        5.733195840096629e-16,
        2.584607615540904e-16,
        5.169215231081808e-16,
        1.4566463975112625e-16,
        2.913292795022525e-16,
        5.826585722393948e-16,
        2.771387247786644e-16,
        5.542774627922186e-16,
        2.2037651911920177e-16,
        4.4075305147329335e-16,
        8.815061161814765e-16,
        8.748338258977176e-16,
        8.614892320953099e-16,
        8.348000577253843e-16,
        7.814216957506434e-16,
        6.746649718011616e-16,
        4.61151523902198e-16,
        3.412464133916061e-17,
        6.824929591321103e-17,
        1.3649860506131185e-16,
        2.729972233575135e-16,
        5.459944599499168e-16,
        2.0381050019970838e-16,
        4.0762101363430657e-16,
        8.152420272686131e-16,
        7.423056480719908e-16,
        5.964328764438564e-16,
        3.0468733318758765e-16,
        6.093746796100651e-16,
        3.3057095275489476e-16,
        6.611419055097895e-16,
        4.341054045543436e-16,
        8.682108091086872e-16,
        8.482431985172491e-16,
        8.083079905692628e-16,
        7.284375746732902e-16,
        5.686967296464552e-16,
        2.492150528276749e-16,
        4.984301188902396e-16,
        1.0868183131524381e-16,
        2.1736366263048763e-16,
        4.3472733849586506e-16,
        8.694546902266199e-16,
        8.507309739880044e-16,
        8.132835282758836e-16,
        7.383886368516419e-16,
        5.885988540031586e-16,
        2.89019288306192e-16,
        5.78038576612384e-16,
        2.6789873352464286e-16,
        5.357974802841755e-16,
        1.834165541031156e-16,
        3.668331082062312e-16,
        7.336662296473522e-16,
        5.79154052829469e-16,
        2.701296859588127e-16,
        5.402593851525152e-16,
        1.9234036383979487e-16,
        3.8468072767958974e-16,
        7.693614685940693e-16,
        6.5054453072290315e-16,
        4.1291064174568107e-16,
        8.258212834913621e-16,
        7.63464147282599e-16,
        6.387498880999626e-16,
        3.8932135649980004e-16,
        7.786427262344899e-16,
        6.691070327688545e-16,
        4.500356458375838e-16,
        1.1892885209932212e-17,
        2.3785770419864423e-17,
        4.757155407461865e-17,
        9.51431081492373e-17,
        1.902862295333644e-16,
        3.805724723016186e-16,
        7.611449446032372e-16,
        6.341114695063491e-16,
        3.8004453254746273e-16,
        7.600890783298153e-16,
        6.319997369595053e-16,
        3.758210542188854e-16,
        7.516421216726606e-16,
        6.151058236451959e-16,
        3.4203322759026656e-16,
        6.840664684154229e-16,
        4.799545303656104e-16,
        7.17306542659854e-17,
        1.434613217668606e-16,
        2.869226435337212e-16,
        5.738452870674424e-16,
        2.595121544347596e-16,
        5.19024322104409e-16,
        1.4987022450869286e-16,
        2.997404490173857e-16,
        5.994808980347714e-16,
        3.1078337636941764e-16,
        6.215667659737251e-16,
        3.5495512548221474e-16,
        7.099102641993193e-16,
        5.316421086985133e-16,
        1.7510579769690142e-16,
        3.5021160862869265e-16,
    ];
    pub(super) const INV_PIO2_D: [f64; 104] = [
        1.2148052979299692e-23,
        1.1061216157750943e-23,
        8.887542514653443e-24,
        4.5401952284584425e-24,
        9.080390456916885e-24,
        4.925891112985326e-24,
        9.851782225970653e-24,
        6.468674651092864e-24,
        1.2937349302185728e-23,
        1.2639808803523011e-23,
        1.204472780619758e-23,
        1.0854565811546717e-23,
        8.474241822244992e-24,
        3.71359384364154e-24,
        7.42718768728308e-24,
        1.6194855737177166e-24,
        3.238971147435433e-24,
        6.477942294870866e-24,
        1.2955884589741732e-23,
        1.2676879378635024e-23,
        1.2118868956421603e-23,
        1.1002848111994765e-23,
        8.770806423141086e-24,
        4.3067230454337284e-24,
        8.613446090867457e-24,
        3.992002380886472e-24,
        7.984004761772945e-24,
        2.733119722697445e-24,
        5.46623944539489e-24,
        1.093247889078978e-23,
        8.630067980731117e-24,
        4.025246160613792e-24,
        8.050492321227584e-24,
        2.866094841606726e-24,
        5.732189683213452e-24,
        1.1464379366426905e-23,
        9.693868932005365e-24,
        6.152848063162287e-24,
        1.2305696126324575e-23,
        1.1376502451800708e-23,
        9.518115102752971e-24,
        5.8013404046575e-24,
        1.1602680809315e-23,
        9.970471817781557e-24,
        6.706053834714672e-24,
        1.7721786858090125e-25,
        3.544357371618025e-25,
        7.08871474323605e-25,
        1.41774294864721e-24,
        2.83548589729442e-24,
        5.67097179458884e-24,
        1.134194358917768e-23,
        9.448997377506917e-24,
        5.663104954165391e-24,
        1.1326209908330782e-23,
        9.417530015813123e-24,
        5.6001702307778016e-24,
        1.1200340461555603e-23,
        9.165791122262763e-24,
        5.096692443677084e-24,
        1.0193384887354168e-23,
        7.151879973859895e-24,
        1.0688701468713467e-24,
        2.1377402937426935e-24,
        4.275480587485387e-24,
        8.550961174970774e-24,
        3.867032549093105e-24,
        7.73406509818621e-24,
        2.2332403955239772e-24,
        4.4664807910479544e-24,
        8.932961582095909e-24,
        4.6310333633433755e-24,
        9.262066726686751e-24,
        5.28924365252506e-24,
        1.057848730505012e-23,
        7.922084809251798e-24,
        2.609279817655153e-24,
        5.218559635310306e-24,
        1.0437119270620611e-23,
        7.639348740392781e-24,
        2.043807679937119e-24,
        4.087615359874238e-24,
        8.175230719748477e-24,
        3.1155716386485114e-24,
        6.231143277297023e-24,
        1.2462286554594045e-23,
        1.1689683308339648e-23,
        1.0144476815830852e-23,
        7.054063830813263e-24,
        8.73237860778082e-25,
        1.746475721556164e-24,
        3.492951443112328e-24,
        6.985902886224656e-24,
        7.369159716008696e-25,
        1.4738319432017391e-24,
        2.9476638864034783e-24,
        5.8953277728069566e-24,
        1.1790655545613913e-23,
        1.0346421290379384e-23,
        7.457952779910324e-24,
        1.6810157589722055e-24,
        3.362031517944411e-24,
        6.724063035888822e-24,
        2.1323627092920017e-25,
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
/// every element and selected (the table loads become gathers), so the loop
/// stays branch-free. NaN gives a NaN `r`; infinities give a finite `r` that
/// the callers replace with NaN.
#[inline(always)]
fn reduce_pio2(a: f32) -> (u64, f64) {
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
    let p = m * INV_PIO2_A[k];
    // p mod 4 into [−2, 2], exactly (p is on the grid 2^-24, below 2^26).
    let p = p - 4.0 * ((p * 0.25 + ROUND64) - ROUND64);
    let q = m * INV_PIO2_B[k];
    let tb = (p + q) + ROUND64;
    let jb = tb - ROUND64;
    // Exact: both terms sit on the grid 2^-50 and the sum is below 1.
    let f = (p - jb) + q;
    let f = f + (m * INV_PIO2_C[k] + m * INV_PIO2_D[k]);
    let r_big = f * std::f64::consts::FRAC_PI_2;
    let big = a >= 16_777_216.0;
    let r = if big { r_big } else { r_small };
    let n = if big { tb.to_bits() } else { t.to_bits() };
    (n & 3, r)
}

/// `(sin r, cos r)` for `|r| ≤ π/4`, in f64 with a relative error below
/// 2^-35 (Taylor series to degrees 11 and 12), plenty for an f32 result.
#[inline(always)]
fn sincos_poly(r: f64) -> (f64, f64) {
    let z = r * r;
    let s = r + r
        * z
        * (-1.0 / 6.0 + z * (1.0 / 120.0 + z * (-1.0 / 5040.0 + z * (1.0 / 362_880.0 + z * (-1.0 / 39_916_800.0)))));
    let c = 1.0 - 0.5 * z
        + z * z
            * (1.0 / 24.0
                + z * (-1.0 / 720.0 + z * (1.0 / 40_320.0 + z * (-1.0 / 3_628_800.0 + z * (1.0 / 479_001_600.0)))));
    (s, c)
}

/// `v` rounded to f32 with its sign flipped where `x` is negative (bit
/// XOR, so that `-0.0` keeps its sign), NaN where `x` is infinite.
#[inline(always)]
fn odd_result(x: f32, v: f64) -> f32 {
    let r = f32::from_bits((v as f32).to_bits() ^ (x.to_bits() & 0x8000_0000));
    if x.abs() == f32::INFINITY { f32::NAN } else { r }
}

/// Sine for `f32`, within 1 ULP of the correctly rounded result for every
/// input (the argument reduction is exact to about 2^-50 up to `f32::MAX`);
/// branch-free and vectorisable.
#[inline(always)]
pub fn sin_f32(x: f32) -> f32 {
    let (j, r) = reduce_pio2(x.abs());
    let (s, c) = sincos_poly(r);
    // sin(jπ/2 + r) = s, c, −s, −c.
    let v = if j & 1 == 0 { s } else { c };
    let v = if j & 2 == 0 { v } else { -v };
    odd_result(x, v)
}

/// Cosine for `f32`, within 1 ULP of the correctly rounded result for every
/// input; branch-free and vectorisable.
#[inline(always)]
pub fn cos_f32(x: f32) -> f32 {
    let (j, r) = reduce_pio2(x.abs());
    let (s, c) = sincos_poly(r);
    // cos(jπ/2 + r) = c, −s, −c, s.
    let v = if j & 1 == 0 { c } else { s };
    let v = if (j ^ (j >> 1)) & 1 == 0 { v } else { -v };
    let v = v as f32;
    if x.abs() == f32::INFINITY { f32::NAN } else { v }
}

/// Tangent for `f32`, within 1 ULP of the correctly rounded result for every
/// input; branch-free and vectorisable.
#[inline(always)]
pub fn tan_f32(x: f32) -> f32 {
    let (j, r) = reduce_pio2(x.abs());
    let (s, c) = sincos_poly(r);
    // tan(jπ/2 + r) = s/c for even j, −c/s for odd j.
    let odd = j & 1 != 0;
    let num = if odd { c } else { s };
    let den = if odd { -s } else { c };
    odd_result(x, num / den)
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
    const FUNCTIONS: [Case; 11] = [
        ("exp", exp_f32, f64::exp, 1.0),
        ("exp2", exp2_f32, f64::exp2, 1.0),
        ("expm1", expm1_f32, f64::exp_m1, 2.0),
        ("ln", ln_f32, f64::ln, 1.0),
        ("log2", log2_f32, f64::log2, 2.0),
        ("log10", log10_f32, f64::log10, 2.0),
        ("log1p", log1p_f32, f64::ln_1p, 2.0),
        ("tanh", tanh_f32, f64::tanh, 2.0),
        ("sin", sin_f32, f64::sin, 1.0),
        ("cos", cos_f32, f64::cos, 1.0),
        ("tan", tan_f32, f64::tan, 1.0),
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
        // Both reduction paths around 2^24, and the largest inputs.
        for x in [16_777_215.0f32, 16_777_216.0, 16_777_218.0, 1e20, 1e30, f32::MAX, -f32::MAX] {
            assert_eq!(sin_f32(x), (x as f64).sin() as f32, "sin({x:e})");
            assert_eq!(cos_f32(x), (x as f64).cos() as f32, "cos({x:e})");
            assert_eq!(tan_f32(x), (x as f64).tan() as f32, "tan({x:e})");
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
}
