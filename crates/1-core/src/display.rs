//! NumPy-style text for arrays: [`Debug`](fmt::Debug) writes what NumPy 2's
//! `repr(a)` writes and [`Display`](fmt::Display) what `str(a)` writes, with
//! NumPy's default print options (precision 8, `floatmode="maxprec"`,
//! threshold 1000, 3 edge items, line width 75).
//!
//! ```
//! use oxarray_core::Array;
//! let a = Array::from_slice(&[1.0f32, 2.5, 3.0, 4.0], &[2, 2])?;
//! assert_eq!(format!("{a:?}"), "array([[1. , 2.5],\n       [3. , 4. ]], dtype=float32)");
//! assert_eq!(format!("{a}"), "[[1.  2.5]\n [3.  4. ]]");
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! The module follows `numpy/_core/arrayprint.py` and NumPy's `dragon4.c`
//! piece by piece, so that a difference can be traced to one place there:
//!
//! - [`ElementFormat`] is `_get_format_function`: one formatter per array,
//!   fitted to every value shown, so that columns line up;
//! - [`FloatFormat`] is `FloatingFormat`: positional or scientific notation
//!   for the whole array, the number of digits and the padding;
//! - [`dragon4`] is NumPy's digit generator: the shortest digits that
//!   identify the value in its own precision (so `float32` 0.1 prints as
//!   `0.1`), cut at a given digit and rounded half to even;
//! - [`Layout`] is `_formatArray`: brackets, separators, line wrapping and
//!   the `...` of summarised axes;
//! - [`scalar_str`] is the `str` of NumPy's scalar types, which `str` of a
//!   0-d array prints.
//!
//! `bfloat16` is not a NumPy type; it prints like `float16` with its own
//! precision (shortest digits of a bfloat16, scientific notation from 100
//! on, the 2 decimal digits its 8-bit significand holds) and `dtype=bfloat16`.

use std::cmp::Ordering;
use std::f64::consts::LOG10_2;
use std::fmt;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::element::{Element, Wide};

/// Arrays with more elements than this are summarised (`threshold`).
const THRESHOLD: usize = 1000;
/// Items shown at each end of a summarised axis (`edgeitems`).
const EDGE_ITEMS: usize = 3;
/// The longest line, in characters (`linewidth`).
const LINE_WIDTH: usize = 75;
/// At most this many digits after the decimal point (`precision`).
const PRECISION: i32 = 8;
/// Dtypes whose values imply them, so `repr` leaves out `dtype=`.
const IMPLIED_DTYPES: [DType; 4] = [DType::Int64, DType::Float64, DType::Complex128, DType::Bool];

impl fmt::Debug for Array {
    /// NumPy's `repr(a)`: `array([1., 2.], dtype=float32)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&array_repr(self))
    }
}

impl fmt::Display for Array {
    /// NumPy's `str(a)`: `[1. 2.]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&array_str(self))
    }
}

/// `repr(a)`: the values in `array(...)`, then `shape=` and `dtype=` where
/// the values do not tell them.
fn array_repr(a: &Array) -> String {
    const PREFIX: &str = "array(";
    let body = if a.size() == 0 {
        "[]".to_string()
    } else {
        // The closing ")" must fit on the line too.
        array_to_string(a, ", ", PREFIX.len(), LINE_WIDTH - 1)
    };
    let mut extras = Vec::new();
    if (a.size() == 0 && a.shape() != [0]) || a.size() > THRESHOLD {
        extras.push(format!("shape={}", shape_tuple(a.shape())));
    }
    if a.size() == 0 || !IMPLIED_DTYPES.contains(&a.dtype()) {
        extras.push(format!("dtype={}", a.dtype().name()));
    }
    if extras.is_empty() {
        return format!("{PREFIX}{body})");
    }
    let head = format!("{PREFIX}{body},");
    let extras = format!("{})", extras.join(", "));
    let last_line_len = head.len() - head.rfind('\n').map_or(0, |i| i + 1);
    let spacer = if last_line_len + 1 + extras.len() > LINE_WIDTH {
        format!("\n{}", " ".repeat(PREFIX.len()))
    } else {
        " ".into()
    };
    format!("{head}{spacer}{extras}")
}

/// `str(a)`: the values alone; a 0-d array prints as its scalar.
fn array_str(a: &Array) -> String {
    if a.ndim() == 0 {
        return scalar_str(a.item_wide().expect("a 0-d array holds one element"), a.dtype());
    }
    if a.size() == 0 {
        return "[]".into();
    }
    array_to_string(a, " ", 0, LINE_WIDTH)
}

/// Python's `repr` of a shape tuple: `(3,)`, `(0, 3)`.
fn shape_tuple(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) }
}

/// NumPy's `_array2string` for a non-empty array: the nested, bracketed
/// text after a prefix of `prefix_len` characters.
fn array_to_string(a: &Array, separator: &str, prefix_len: usize, line_width: usize) -> String {
    let shown = Shown::gather(a);
    let format = ElementFormat::new(&shown.values, a.dtype(), a.ndim() == 0);
    let words: Vec<String> = shown.values.iter().map(|&v| format.format(v)).collect();
    let layout = Layout { words: &words, shape: &shown.shape, summarized: &shown.summarized, separator };
    layout.render(0, 0, &" ".repeat(prefix_len + 1), line_width)
}

/// The elements that get printed: all of them, or for an array of more than
/// [`THRESHOLD`] elements the first and last [`EDGE_ITEMS`] of each longer
/// axis (NumPy's `_leading_trailing`). Formats are fitted to these only.
struct Shown {
    /// The shown elements in C order.
    values: Vec<Wide>,
    /// How many elements are shown along each axis.
    shape: Vec<usize>,
    /// Whether each axis is cut, with `...` after its first edge items.
    summarized: Vec<bool>,
}

impl Shown {
    fn gather(a: &Array) -> Shown {
        let summarize = a.size() > THRESHOLD;
        let summarized: Vec<bool> = a.shape().iter().map(|&n| summarize && n > 2 * EDGE_ITEMS).collect();
        let indices: Vec<Vec<usize>> = a
            .shape()
            .iter()
            .zip(&summarized)
            .map(|(&n, &cut)| if cut { (0..EDGE_ITEMS).chain(n - EDGE_ITEMS..n).collect() } else { (0..n).collect() })
            .collect();
        let values = crate::dispatch!(a.dtype(), T => {
            if summarized.contains(&true) {
                corners::<T>(a, &indices)
            } else {
                a.iter::<T>().expect("dtype matches by dispatch").map(Element::to_wide).collect()
            }
        });
        Shown { values, shape: indices.iter().map(Vec::len).collect(), summarized }
    }
}

/// The elements at every combination of `indices` (one list per axis), in C order.
fn corners<T: Element>(a: &Array, indices: &[Vec<usize>]) -> Vec<Wide> {
    let mut values = Vec::new();
    let mut position = vec![0; indices.len()];
    loop {
        let index: Vec<isize> = position.iter().zip(indices).map(|(&p, axis)| axis[p] as isize).collect();
        values.push(a.get::<T>(&index).expect("index within the shape").to_wide());
        // Advance the last axis fastest, like an odometer.
        let mut axis = indices.len();
        loop {
            if axis == 0 {
                return values;
            }
            axis -= 1;
            position[axis] += 1;
            if position[axis] < indices[axis].len() {
                break;
            }
            position[axis] = 0;
        }
    }
}

/// How every element of one array is written (`_get_format_function`).
enum ElementFormat {
    /// `True`/`False`, with `True` padded to the width of `False` except in
    /// 0-d arrays.
    Bool { pad: bool },
    /// Right-aligned to the widest value.
    Int { width: usize },
    /// Real floats.
    Float(FloatFormat),
    /// Complex floats: the real part, then the imaginary part with its sign.
    Complex { re: FloatFormat, im: FloatFormat },
}

impl ElementFormat {
    fn new(values: &[Wide], dtype: DType, zero_dim: bool) -> ElementFormat {
        match dtype.kind() {
            Kind::Bool => ElementFormat::Bool { pad: !zero_dim },
            Kind::SignedInt | Kind::UnsignedInt => {
                let ints = values.iter().map(|&v| as_int(v));
                let (min, max) = (ints.clone().min().unwrap_or(0), ints.max().unwrap_or(0));
                ElementFormat::Int { width: min.to_string().len().max(max.to_string().len()) }
            }
            Kind::Float => {
                let floats: Vec<f64> = values.iter().map(|&v| as_complex(v).0).collect();
                ElementFormat::Float(FloatFormat::new(&floats, FloatType::of(dtype), false))
            }
            Kind::Complex => {
                let (re, im): (Vec<f64>, Vec<f64>) = values.iter().map(|&v| as_complex(v)).unzip();
                let float = FloatType::of(dtype.real());
                ElementFormat::Complex {
                    re: FloatFormat::new(&re, float, false),
                    im: FloatFormat::new(&im, float, true),
                }
            }
        }
    }

    fn format(&self, value: Wide) -> String {
        match self {
            ElementFormat::Bool { pad } => match value {
                Wide::Bool(true) if *pad => " True".into(),
                Wide::Bool(true) => "True".into(),
                _ => "False".into(),
            },
            ElementFormat::Int { width } => format!("{:>width$}", as_int(value)),
            ElementFormat::Float(float) => float.format(as_complex(value).0),
            ElementFormat::Complex { re, im } => {
                let (x, y) = as_complex(value);
                let (re, im) = (re.format(x), im.format(y));
                // The "j" goes before the padding of the imaginary part.
                let end = im.trim_end().len();
                format!("{re}{}j{}", &im[..end], &im[end..])
            }
        }
    }
}

/// The value of an integer element (other kinds never reach this).
fn as_int(value: Wide) -> i128 {
    match value {
        Wide::Int(i) => i,
        Wide::Bool(b) => b.into(),
        Wide::Float(x) | Wide::Complex(x, _) => x as i128,
    }
}

/// The value of a float or complex element as `(re, im)`.
fn as_complex(value: Wide) -> (f64, f64) {
    match value {
        Wide::Complex(re, im) => (re, im),
        Wide::Float(x) => (x, 0.0),
        Wide::Int(i) => (i as f64, 0.0),
        Wide::Bool(b) => (f64::from(u8::from(b)), 0.0),
    }
}

/// NumPy's `str` of a scalar, which `str` of a 0-d array prints: `1.0`,
/// `1e-05`, `(1+2j)`.
fn scalar_str(value: Wide, dtype: DType) -> String {
    match value {
        Wide::Bool(b) => if b { "True" } else { "False" }.into(),
        Wide::Int(i) => i.to_string(),
        Wide::Float(x) => float_scalar_str(x, FloatType::of(dtype), Trim::LeaveOneZero, false),
        Wide::Complex(re, im) => {
            let float = FloatType::of(dtype.real());
            let part = |x: f64, sign: bool| float_scalar_str(x, float, Trim::DotAndZeros, sign);
            if re == 0.0 && re.is_sign_positive() {
                return format!("{}j", part(im, false));
            }
            let re = if re.is_finite() { part(re, false) } else { non_finite(re, "") };
            let im = if im.is_finite() { part(im, true) } else { non_finite(im, "+") };
            format!("({re}{im}j)")
        }
    }
}

/// `nan`, `inf` or `-inf`, with `plus` before the first two.
fn non_finite(x: f64, plus: &str) -> String {
    if x.is_nan() {
        format!("{plus}nan")
    } else if x > 0.0 {
        format!("{plus}inf")
    } else {
        "-inf".into()
    }
}

/// One float scalar: positional from 1e-4 up to a bound that depends on
/// the type, scientific (without a bare `.`) outside it.
fn float_scalar_str(x: f64, float: FloatType, positional_trim: Trim, sign: bool) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x < 0.0 {
            "-inf"
        } else if sign {
            "+inf"
        } else {
            "inf"
        }
        .into();
    }
    let abs = x.abs();
    let options = DigitOptions { sign, ..DigitOptions::default() };
    if abs == 0.0 || (1e-4..float.scalar_positional_limit()).contains(&abs) {
        format_positional(x, float, &DigitOptions { trim: positional_trim, ..options })
    } else {
        format_scientific(x, float, &DigitOptions { trim: Trim::DotAndZeros, ..options })
    }
}

/// The binary layout of a real float dtype: IEEE 754 with a sign bit, an
/// exponent and `mantissa_bits` stored significand bits.
#[derive(Clone, Copy, Debug)]
struct FloatType {
    mantissa_bits: i32,
    exponent_bits: i32,
}

impl FloatType {
    /// The layout of a real float dtype, found from its [`Element`] type
    /// rather than from a table, so that a new float dtype needs no change
    /// here: `1 + 2^-(k+1)` is a tie that rounds to 1 exactly when the type
    /// stores `k` significand bits.
    fn of(dtype: DType) -> FloatType {
        let total_bits = 8 * dtype.itemsize() as i32;
        let rounds_to_one = |k: i32| {
            let x = Wide::Float(1.0 + 0.5f64.powi(k + 1));
            crate::dispatch!(dtype, T => T::from_wide_wrapping(x).to_wide()) == Wide::Float(1.0)
        };
        let mantissa_bits = (1..total_bits).find(|&k| rounds_to_one(k)).expect("a real float dtype");
        FloatType { mantissa_bits, exponent_bits: total_bits - 1 - mantissa_bits }
    }

    /// Decimal digits the type always holds (`np.finfo(dtype).precision`).
    fn decimal_precision(self) -> i32 {
        (f64::from(self.mantissa_bits) * LOG10_2) as i32
    }

    /// Where `str` of a scalar switches to scientific notation: 1e16 for
    /// float64 as in NumPy 1.x, 10^precision for the narrower types (NumPy
    /// 2.3 made it 1e3 for float16 and 1e6 for float32).
    fn scalar_positional_limit(self) -> f64 {
        if self.mantissa_bits >= 52 { 1e16 } else { 10f64.powi(self.decimal_precision()) }
    }

    /// Exponent of the least significant bit of subnormals (and of the
    /// smallest normal binade).
    fn min_exponent(self) -> i32 {
        2 - (1 << (self.exponent_bits - 1)) - self.mantissa_bits
    }

    /// Rounds `x` to this type, half to even, as NumPy's arithmetic in the
    /// type would.
    fn round(self, x: f64) -> f64 {
        if !x.is_finite() || x == 0.0 || self.mantissa_bits >= 52 {
            return x;
        }
        let lsb = (floor_log2(x.abs()) - self.mantissa_bits).max(self.min_exponent());
        let scale = 2f64.powi(lsb);
        let rounded = (x / scale).round_ties_even() * scale;
        let bias = (1 << (self.exponent_bits - 1)) - 1;
        let max = (2.0 - 0.5f64.powi(self.mantissa_bits)) * 2f64.powi(bias);
        if rounded.abs() > max { f64::INFINITY.copysign(x) } else { rounded }
    }

    /// `|x|` (finite, a value of this type) as `mantissa · 2^exponent` in
    /// this type's terms, which fixes the gaps to the neighbouring values.
    fn decompose(self, x: f64) -> Decomposed {
        let abs = x.abs();
        if abs == 0.0 {
            return Decomposed { mantissa: 0, exponent: 0, unequal_margins: false };
        }
        let bits = abs.to_bits();
        let (biased, fraction) = ((bits >> 52) as i32, bits & ((1 << 52) - 1));
        let (m64, e64) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
        let min_exponent = self.min_exponent();
        let exponent = (floor_log2(abs) - self.mantissa_bits).max(min_exponent);
        debug_assert!(exponent >= e64, "f64 holds every value of {self:?}");
        debug_assert!(m64.trailing_zeros() as i32 >= exponent - e64, "{x} is not a value of {self:?}");
        let mantissa = m64 >> (exponent - e64);
        // The gap below the lowest value of a binade is half the gap above.
        let unequal_margins = mantissa == 1 << self.mantissa_bits && exponent > min_exponent;
        Decomposed { mantissa, exponent, unequal_margins }
    }
}

/// `floor(log2(x))` for a finite positive `x`.
fn floor_log2(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32;
    if biased == 0 { -1074 + 63 - (bits & ((1 << 52) - 1)).leading_zeros() as i32 } else { biased - 1023 }
}

/// NumPy's `FloatingFormat` with the default options: one notation and one
/// set of paddings for every element of an array, chosen from its finite
/// values.
#[derive(Clone, Debug)]
struct FloatFormat {
    float: FloatType,
    /// Always write the sign (the imaginary part of complex numbers).
    sign: bool,
    scientific: bool,
    precision: i32,
    min_digits: i32,
    trim: Trim,
    pad_left: usize,
    pad_right: usize,
    exp_digits: usize,
}

impl FloatFormat {
    fn new(values: &[f64], float: FloatType, sign: bool) -> FloatFormat {
        let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let abs_nonzero = finite.iter().filter(|&&x| x != 0.0).map(|x| x.abs());
        let mut scientific = false;
        if let Some(max) = abs_nonzero.clone().reduce(f64::max) {
            let min = abs_nonzero.reduce(f64::min).expect("not empty");
            // NumPy compares and divides in the array's own type.
            let cutoff = float.round(10f64.powi(float.decimal_precision().min(8)));
            scientific = max >= cutoff || min < float.round(1e-4) || float.round(max / min) > 1000.0;
        }
        let mut format = FloatFormat {
            float,
            sign,
            scientific,
            precision: PRECISION,
            min_digits: 0,
            trim: Trim::Zeros,
            pad_left: 0,
            pad_right: 0,
            exp_digits: 2,
        };
        // A first pass prints each value as short as it can be, to measure.
        let first_pass =
            DigitOptions { precision: Some(PRECISION), trim: Trim::Zeros, sign, ..DigitOptions::default() };
        if scientific {
            let strings: Vec<String> = finite.iter().map(|&x| format_scientific(x, float, &first_pass)).collect();
            let parts: Vec<(&str, &str, &str)> = strings
                .iter()
                .map(|s| {
                    let (mantissa, exponent) = s.split_once('e').expect("scientific notation has an exponent");
                    let (int, frac) = mantissa.split_once('.').expect("the mantissa has a decimal point");
                    (int, frac, exponent)
                })
                .collect();
            format.exp_digits = parts.iter().map(|p| p.2.len() - 1).max().unwrap_or(2);
            format.precision = parts.iter().map(|p| p.1.len()).max().unwrap_or(0) as i32;
            format.min_digits = format.precision;
            format.trim = Trim::Keep;
            format.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
            format.pad_right = format.exp_digits + 2 + format.precision as usize;
        } else {
            let strings: Vec<String> = finite.iter().map(|&x| format_positional(x, float, &first_pass)).collect();
            let parts: Vec<(&str, &str)> =
                strings.iter().map(|s| s.split_once('.').expect("positional notation has a decimal point")).collect();
            format.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
            format.pad_right = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
        }
        if finite.len() != values.len() {
            // Room for "nan", "inf" and "-inf" right-aligned with the numbers.
            let neginf = sign || values.contains(&f64::NEG_INFINITY);
            let widest = 3 + usize::from(neginf);
            format.pad_left = format.pad_left.max(widest.saturating_sub(format.pad_right + 1));
        }
        format
    }

    fn format(&self, x: f64) -> String {
        if !x.is_finite() {
            let sign = if x < 0.0 {
                "-"
            } else if self.sign {
                "+"
            } else {
                ""
            };
            let text =
                if x.is_nan() { format!("{}nan", if self.sign { "+" } else { "" }) } else { format!("{sign}inf") };
            let width = self.pad_left + self.pad_right + 1;
            return format!("{text:>width$}");
        }
        let options = DigitOptions {
            precision: Some(self.precision),
            min_digits: Some(self.min_digits),
            trim: self.trim,
            sign: self.sign,
            pad_left: Some(self.pad_left),
            pad_right: Some(self.pad_right),
            exp_digits: Some(self.exp_digits),
        };
        if self.scientific {
            format_scientific(x, self.float, &options)
        } else {
            format_positional(x, self.float, &options)
        }
    }
}

/// What to do with trailing zeros (NumPy's `trim` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trim {
    /// `'k'`: keep them and pad with zeros up to `min_digits`.
    Keep,
    /// `'.'`: drop them, keep the decimal point: `1.`.
    Zeros,
    /// `'0'`: drop them but one: `1.0`.
    LeaveOneZero,
    /// `'-'`: drop them and a bare decimal point: `1`.
    DotAndZeros,
}

/// The options of NumPy's `format_float_positional` /
/// `format_float_scientific` with `unique=True`; `None` is NumPy's `-1`.
#[derive(Clone, Copy, Debug)]
struct DigitOptions {
    /// Most digits after the decimal point.
    precision: Option<i32>,
    /// Fewest digits after the decimal point; more exact digits are printed
    /// if the shortest unique ones are fewer.
    min_digits: Option<i32>,
    trim: Trim,
    /// Write `+` for positive values.
    sign: bool,
    /// Pad with spaces to this many characters left of the decimal point.
    pad_left: Option<usize>,
    /// Pad with spaces to this many characters right of the decimal point.
    pad_right: Option<usize>,
    /// Write at least this many exponent digits (2 if `None`).
    exp_digits: Option<usize>,
}

impl Default for DigitOptions {
    fn default() -> Self {
        DigitOptions {
            precision: None,
            min_digits: None,
            trim: Trim::Keep,
            sign: false,
            pad_left: None,
            pad_right: None,
            exp_digits: None,
        }
    }
}

fn sign_of(x: f64, options: &DigitOptions) -> &'static str {
    if x.is_sign_negative() {
        "-"
    } else if options.sign {
        "+"
    } else {
        ""
    }
}

/// Strips trailing zeros as `trim` asks; returns the new fraction length.
fn trim_zeros(body: &mut String, mut frac_len: usize, trim: Trim) -> usize {
    if trim != Trim::Keep && frac_len > 0 {
        while body.ends_with('0') {
            body.pop();
            frac_len -= 1;
        }
        if body.ends_with('.') {
            match trim {
                Trim::LeaveOneZero => {
                    body.push('0');
                    frac_len += 1;
                }
                // Scientific notation never gets here with digits to drop.
                Trim::DotAndZeros => {
                    body.pop();
                }
                _ => {}
            }
        }
    }
    frac_len
}

fn digit_chars(digits: &[u8]) -> impl Iterator<Item = char> + '_ {
    digits.iter().map(|&d| char::from(b'0' + d))
}

/// A finite float in positional notation (`dragon4_positional`).
fn format_positional(x: f64, float: FloatType, options: &DigitOptions) -> String {
    let cutoff = Cutoff { fractional: true, max: options.precision, min: options.min_digits };
    let (digits, exponent) = dragon4(&float.decompose(x), cutoff);
    let mut body = String::new();
    let (whole_len, mut frac_len);
    if exponent >= 0 {
        whole_len = exponent as usize + 1;
        if digits.len() <= whole_len {
            body.extend(digit_chars(&digits));
            body.extend(std::iter::repeat_n('0', whole_len - digits.len()));
            frac_len = 0;
        } else {
            body.extend(digit_chars(&digits[..whole_len]));
            body.push('.');
            body.extend(digit_chars(&digits[whole_len..]));
            frac_len = digits.len() - whole_len;
        }
    } else {
        let zeros = (-(exponent + 1)) as usize;
        body.push_str("0.");
        body.extend(std::iter::repeat_n('0', zeros));
        body.extend(digit_chars(&digits));
        whole_len = 1;
        frac_len = zeros + digits.len();
    }
    if options.trim != Trim::DotAndZeros && frac_len == 0 {
        body.push('.');
    }
    let wanted = options.min_digits.unwrap_or(0).max(0) as usize;
    match options.trim {
        Trim::LeaveOneZero if frac_len == 0 => {
            body.push('0');
            frac_len = 1;
        }
        Trim::Keep if wanted > frac_len => {
            body.extend(std::iter::repeat_n('0', wanted - frac_len));
            frac_len = wanted;
        }
        _ => {}
    }
    let frac_len = trim_zeros(&mut body, frac_len, options.trim);
    if let Some(right) = options.pad_right.filter(|&r| r >= frac_len) {
        if options.trim == Trim::DotAndZeros && frac_len == 0 {
            body.push(' ');
        }
        body.extend(std::iter::repeat_n(' ', right - frac_len));
    }
    let sign = sign_of(x, options);
    let left = options.pad_left.unwrap_or(0).saturating_sub(whole_len + sign.len());
    format!("{}{sign}{body}", " ".repeat(left))
}

/// A finite float in scientific notation (`dragon4_scientific`).
fn format_scientific(x: f64, float: FloatType, options: &DigitOptions) -> String {
    let cutoff =
        Cutoff { fractional: false, max: options.precision.map(|p| p + 1), min: options.min_digits.map(|m| m + 1) };
    let (digits, exponent) = dragon4(&float.decompose(x), cutoff);
    let sign = sign_of(x, options);
    let left = options.pad_left.unwrap_or(0).saturating_sub(1 + sign.len());
    let mut body = String::new();
    body.extend(digit_chars(&digits[..1]));
    let mut frac_len = digits.len() - 1;
    if frac_len > 0 {
        body.push('.');
        body.extend(digit_chars(&digits[1..]));
    }
    if options.trim != Trim::DotAndZeros && frac_len == 0 {
        body.push('.');
    }
    let wanted = options.min_digits.unwrap_or(0).max(0) as usize;
    match options.trim {
        Trim::LeaveOneZero if frac_len == 0 => {
            body.push('0');
            frac_len = 1;
        }
        Trim::Keep if wanted > frac_len => {
            body.extend(std::iter::repeat_n('0', wanted - frac_len));
            frac_len = wanted;
        }
        _ => {}
    }
    let trim = if options.trim == Trim::DotAndZeros { Trim::Zeros } else { options.trim };
    trim_zeros(&mut body, frac_len, trim);
    let exp_sign = if exponent < 0 { '-' } else { '+' };
    let exp_width = options.exp_digits.unwrap_or(2).min(5);
    format!("{}{sign}{body}e{exp_sign}{:0exp_width$}", " ".repeat(left), exponent.unsigned_abs())
}

/// A finite, non-negative float as `mantissa · 2^exponent`, exactly.
#[derive(Clone, Copy, Debug)]
struct Decomposed {
    mantissa: u64,
    exponent: i32,
    /// The gap to the next value below is half the gap to the next above
    /// (the value is the lowest of its binade, and not subnormal).
    unequal_margins: bool,
}

/// Where digit generation stops (NumPy's `CutoffMode`, `precision` and
/// `min_digits` as digit positions).
#[derive(Clone, Copy, Debug)]
struct Cutoff {
    /// Count `max` and `min` as digits after the decimal point rather than
    /// as significant digits.
    fractional: bool,
    /// Never print more digits than this.
    max: Option<i32>,
    /// Print at least this many digits, even past the unique ones.
    min: Option<i32>,
}

/// NumPy's Dragon4 in "unique" mode (Steele & White, Burger & Dybvig):
/// generates the digits of `d` until they identify it among its neighbours,
/// or until `cutoff.max`, then rounds the last digit; values on the
/// boundary round-trip under round-half-even, as with IEEE parsing.
/// Returns the digits (0–9) and the decimal exponent of the first one.
fn dragon4(d: &Decomposed, cutoff: Cutoff) -> (Vec<u8>, i32) {
    if d.mantissa == 0 {
        return (vec![0], 0);
    }
    // value = scaled_value / scale; the margins are half the gaps to the
    // neighbouring floats, over the same scale.
    let shift = 1 + u32::from(d.unequal_margins);
    let (mut value, mut scale, mut margin_low) = if d.exponent > 0 {
        (
            Big::from_u64(d.mantissa).shl(d.exponent as u32 + shift),
            Big::from_u64(1).shl(shift),
            Big::pow2(d.exponent as u32),
        )
    } else {
        (Big::from_u64(d.mantissa).shl(shift), Big::pow2(shift + d.exponent.unsigned_abs()), Big::from_u64(1))
    };
    // Estimate k = floor(log10(value)) + 1 (exact or one too low), as NumPy
    // does, including its clamp for fractional cutoffs.
    let mantissa_bit = 63 - d.mantissa.leading_zeros() as i32;
    let mut k = (f64::from(mantissa_bit + d.exponent) * LOG10_2 - 0.69).ceil() as i32;
    if let (true, Some(max)) = (cutoff.fractional, cutoff.max)
        && k <= -max
    {
        k = 1 - max;
    }
    if k > 0 {
        scale.mul_pow10(k as u32);
    } else if k < 0 {
        value.mul_pow10(k.unsigned_abs());
        margin_low.mul_pow10(k.unsigned_abs());
    }
    if value >= scale {
        k += 1;
    } else {
        value.mul_small(10);
        margin_low.mul_small(10);
    }
    let stop_max = cutoff.max.map(|n| if cutoff.fractional { -n } else { k - n });
    let stop_min = cutoff.min.map_or(k, |n| k.min(if cutoff.fractional { -n } else { k - n }));
    let mut exponent = k - 1;
    let is_even = d.mantissa.is_multiple_of(2);
    let mut digits = Vec::new();
    let (digit, low, high) = loop {
        k -= 1;
        let mut digit = 0u8;
        while value >= scale {
            value.sub_assign(&scale);
            digit += 1;
        }
        debug_assert!(digit < 10);
        let margin_high = if d.unequal_margins { margin_low.shl(1) } else { margin_low.clone() };
        let value_high = value.add(&margin_high);
        let (low, high) =
            if is_even { (value <= margin_low, value_high >= scale) } else { (value < margin_low, value_high > scale) };
        if ((low || high) && k <= stop_min) || Some(k) == stop_max {
            break (digit, low, high);
        }
        digits.push(digit);
        value.mul_small(10);
        margin_low.mul_small(10);
    };
    // Round down if only that is safe, up if only that is, else to nearest
    // with ties to even.
    let round_down = if low != high {
        low
    } else {
        match value.shl(1).cmp(&scale) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => digit % 2 == 0,
        }
    };
    if round_down {
        digits.push(digit);
    } else if digit < 9 {
        digits.push(digit + 1);
    } else {
        // Carry: drop trailing nines, bump the digit before them.
        loop {
            match digits.pop() {
                Some(9) => {}
                Some(prior) => {
                    digits.push(prior + 1);
                    break;
                }
                None => {
                    digits.push(1);
                    exponent += 1;
                    break;
                }
            }
        }
    }
    (digits, exponent)
}

/// A non-negative integer of any size: little-endian 32-bit limbs with no
/// zero limbs at the top, so that equal values have equal limbs. Just
/// enough arithmetic for [`dragon4`].
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut big = Big(vec![v as u32, (v >> 32) as u32]);
        big.normalize();
        big
    }

    fn pow2(exponent: u32) -> Big {
        Big::from_u64(1).shl(exponent)
    }

    fn normalize(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn shl(&self, bits: u32) -> Big {
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        let mut out = vec![0u32; limbs];
        let mut carry = 0u32;
        for &limb in &self.0 {
            let wide = (u64::from(limb) << bits) | u64::from(carry);
            out.push(wide as u32);
            carry = (wide >> 32) as u32;
        }
        out.push(carry);
        let mut big = Big(out);
        big.normalize();
        big
    }

    fn mul_small(&mut self, factor: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let wide = u64::from(*limb) * u64::from(factor) + carry;
            *limb = wide as u32;
            carry = wide >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.normalize();
    }

    fn mul_pow10(&mut self, mut exponent: u32) {
        while exponent >= 9 {
            self.mul_small(1_000_000_000);
            exponent -= 9;
        }
        self.mul_small(10u32.pow(exponent));
    }

    fn add(&self, other: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len().max(other.0.len()) + 1);
        let mut carry = 0u64;
        for i in 0..self.0.len().max(other.0.len()) {
            let sum = u64::from(*self.0.get(i).unwrap_or(&0)) + u64::from(*other.0.get(i).unwrap_or(&0)) + carry;
            out.push(sum as u32);
            carry = sum >> 32;
        }
        out.push(carry as u32);
        let mut big = Big(out);
        big.normalize();
        big
    }

    /// `self -= other`, for `other <= self`.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let diff = i64::from(*limb) - i64::from(*other.0.get(i).unwrap_or(&0)) - borrow;
            borrow = i64::from(diff < 0);
            *limb = diff.rem_euclid(1 << 32) as u32;
        }
        debug_assert_eq!(borrow, 0, "subtraction underflow");
        self.normalize();
    }
}

impl Ord for Big {
    fn cmp(&self, other: &Big) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

impl PartialOrd for Big {
    fn partial_cmp(&self, other: &Big) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// NumPy's `_formatArray`: nests the formatted elements of a shape in
/// brackets, wraps rows longer than the line width and inserts `...` for
/// summarised axes.
struct Layout<'a> {
    /// The formatted shown elements, in C order.
    words: &'a [String],
    shape: &'a [usize],
    summarized: &'a [bool],
    /// `", "` for repr, `" "` for str.
    separator: &'a str,
}

impl Layout<'_> {
    /// The text of the sub-array at `axis` whose first element is
    /// `words[start]`; continuation lines start with `indent`, and no line
    /// may exceed `width`.
    fn render(&self, axis: usize, start: usize, indent: &str, width: usize) -> String {
        if axis == self.shape.len() {
            return self.words[start].clone();
        }
        let len = self.shape[axis];
        let stride: usize = self.shape[axis + 1..].iter().product();
        // Inner levels sit one column further right, after their "[".
        let next_indent = format!("{indent} ");
        let next_width = width.saturating_sub(1);
        let summary_at = if self.summarized[axis] { Some(EDGE_ITEMS) } else { None };
        let mut text = String::new();
        if axis + 1 == self.shape.len() {
            // Leave room for the "," or "]" after the last element.
            let element_width = width.saturating_sub(self.separator.trim_end().len().max(1));
            let mut line = indent.to_string();
            for i in 0..len {
                if summary_at == Some(i) {
                    extend_line(&mut text, &mut line, "...", element_width, indent);
                    line += self.separator;
                }
                let word = self.render(axis + 1, start + i * stride, &next_indent, next_width);
                extend_line(&mut text, &mut line, &word, element_width, indent);
                if i + 1 < len {
                    line += self.separator;
                }
            }
            text += &line;
        } else {
            // Blank lines between blocks: one fewer than the axes left below.
            let line_sep = format!("{}{}", self.separator.trim_end(), "\n".repeat(self.shape.len() - axis - 1));
            for i in 0..len {
                if summary_at == Some(i) {
                    text += indent;
                    text += "...";
                    text += &line_sep;
                }
                text += indent;
                text += &self.render(axis + 1, start + i * stride, &next_indent, next_width);
                if i + 1 < len {
                    text += &line_sep;
                }
            }
        }
        format!("[{}]", &text[indent.len()..])
    }
}

/// Appends `word` to `line`, first moving `line` into `text` and starting a
/// new one at `indent` if `word` would pass `width` (unless the line holds
/// nothing yet, where wrapping would not help).
fn extend_line(text: &mut String, line: &mut String, word: &str, width: usize, indent: &str) {
    if line.len() + word.len() > width && line.len() > indent.len() {
        *text += line.trim_end();
        text.push('\n');
        *line = indent.to_string();
    }
    *line += word;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bf16, f16};

    fn shortest(x: f64, dtype: DType) -> String {
        float_scalar_str(x, FloatType::of(dtype), Trim::LeaveOneZero, false)
    }

    #[test]
    fn float_types_are_probed() {
        let f = |d| {
            let t = FloatType::of(d);
            (t.mantissa_bits, t.exponent_bits, t.decimal_precision())
        };
        assert_eq!(f(DType::Float16), (10, 5, 3));
        assert_eq!(f(DType::BFloat16), (7, 8, 2));
        assert_eq!(f(DType::Float32), (23, 8, 6));
        assert_eq!(f(DType::Float64), (52, 11, 15));
    }

    #[test]
    fn shortest_digits_in_own_precision() {
        assert_eq!(shortest(f64::from(0.1f32), DType::Float32), "0.1");
        assert_eq!(shortest(f16::from_f32(0.1).to_f64(), DType::Float16), "0.1");
        assert_eq!(shortest(bf16::from_f32(0.1).to_f64(), DType::BFloat16), "0.1");
        assert_eq!(shortest(0.1, DType::Float64), "0.1");
        assert_eq!(shortest(f64::from(f32::MAX), DType::Float32), "3.4028235e+38");
        assert_eq!(shortest(5e-324, DType::Float64), "5e-324");
    }

    #[test]
    fn rounding_to_narrow_types() {
        let f16t = FloatType::of(DType::Float16);
        assert_eq!(f16t.round(1000.24), 1000.0);
        assert_eq!(f16t.round(70000.0), f64::INFINITY);
        assert_eq!(f16t.round(1e-4), f16::from_f64(1e-4).to_f64());
        let f32t = FloatType::of(DType::Float32);
        assert_eq!(f32t.round(0.1), f64::from(0.1f32));
    }
}
