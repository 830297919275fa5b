//! Casting: NumPy's casting policies and checked conversions that never lose
//! data silently.
//!
//! | call | what it allows |
//! |---|---|
//! | [`Array::astype`] | any dtype; float→int truncates toward zero; NaN, ±inf, out-of-range values and non-zero imaginary parts are errors naming the first offending element |
//! | [`Array::astype_with`] with `Safe`/`SameKind`/`Equiv`/`No` | only casts the policy allows ([`can_cast`]), then converts as `astype` does |
//! | [`Array::astype_with`] with `Unsafe` | anything, as NumPy does it: integers wrap modulo 2^bits, float→float overflows to ±inf, complex→real drops the imaginary part; float→int values outside the target's range (which NumPy leaves to the platform) are truncated, clamped to `i128` (NaN as 0) and wrapped modulo 2^bits |
//!
//! Implicit conversions (assigning one array into another, promotion) only
//! go in the `Safe` direction.

use std::fmt;
use std::str::FromStr;

use oxarray_kernels::strided;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::element::{Element, Lossy, Wide};
use crate::error::{Error, ErrorKind, Result};

/// NumPy's casting policies, from strictest to loosest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Casting {
    /// Only the identical dtype.
    No,
    /// Only the identical dtype up to byte order (oxarray arrays are always
    /// native-endian, so the same as `No`).
    Equiv,
    /// Only casts that preserve every value (NumPy's table, which counts
    /// int64→float64 as safe).
    Safe,
    /// Safe casts and casts within a kind, such as float64→float32.
    SameKind,
    /// Any cast, with NumPy's wrap-around instead of errors.
    Unsafe,
}

impl Casting {
    /// NumPy's name for the policy.
    pub fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }
}

impl fmt::Display for Casting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}'", self.name())
    }
}

impl FromStr for Casting {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => {
                return Err(Error::invalid(
                    "casting",
                    format!("unknown casting rule {s:?}; expected one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe'"),
                ));
            }
        })
    }
}

/// Bytes of integer that a float (or complex) type holds exactly, in NumPy's
/// safe-casting table (which lets 64-bit integers into float64).
fn int_capacity(to: DType) -> usize {
    match to {
        DType::Float16 | DType::BFloat16 => 1,
        DType::Float32 | DType::Complex64 => 2,
        DType::Float64 | DType::Complex128 => 8,
        _ => 0,
    }
}

fn safe(from: DType, to: DType) -> bool {
    use Kind::*;
    if from == to {
        return true;
    }
    let (fs, ts) = (from.itemsize(), to.itemsize());
    match (from.kind(), to.kind()) {
        (Bool, _) => true,
        (_, Bool) => false,
        (UnsignedInt, UnsignedInt) | (SignedInt, SignedInt) => ts >= fs,
        (UnsignedInt, SignedInt) => ts > fs,
        (SignedInt, UnsignedInt) => false,
        (UnsignedInt | SignedInt, Float | Complex) => fs <= int_capacity(to),
        (Float, Float) => ts > fs,
        (Float, Complex) => to.real().itemsize() >= fs,
        (Complex, Complex) => ts >= fs,
        (Float | Complex, _) => false,
    }
}

/// Whether `casting` allows casting `from` to `to` (NumPy's `np.can_cast`
/// on dtypes).
pub fn can_cast(from: DType, to: DType, casting: Casting) -> bool {
    match casting {
        Casting::No | Casting::Equiv => from == to,
        Casting::Safe => safe(from, to),
        Casting::SameKind => safe(from, to) || from.kind() <= to.kind(),
        Casting::Unsafe => true,
    }
}

/// Converts one scalar of dtype `from` into `T` as a "weak" scalar (NEP 50):
/// the scalar's kind may not be above the target's (integer kinds count as
/// one), and the value must fit.
pub(crate) fn convert_weak_scalar<T: Element>(value: Wide, from: DType) -> Result<T> {
    let rank = |k: Kind| match k {
        Kind::Bool => 0,
        Kind::UnsignedInt | Kind::SignedInt => 1,
        Kind::Float => 2,
        Kind::Complex => 3,
    };
    if rank(from.kind()) > rank(T::DTYPE.kind()) {
        return Err(ErrorKind::CastNotAllowed { from, to: T::DTYPE, casting: Casting::SameKind }.into());
    }
    T::from_wide_checked(value).map_err(|reason| {
        ErrorKind::LossyCast { from, to: T::DTYPE, index: vec![], value: format_wide(value), reason }.into()
    })
}

/// Formats a widened value for error messages.
pub(crate) fn format_wide(w: Wide) -> String {
    match w {
        Wide::Bool(b) => if b { "True" } else { "False" }.to_string(),
        Wide::Int(i) => i.to_string(),
        Wide::Float(f) => format!("{f:?}"),
        Wide::Complex(re, im) => format!("({re:?}{im:+?}j)"),
    }
}

/// Multi-index of the `flat`-th element in C order of `shape`.
pub(crate) fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for k in (0..shape.len()).rev() {
        if shape[k] > 0 {
            idx[k] = flat % shape[k];
            flat /= shape[k];
        }
    }
    idx
}

fn cast_typed<S: Element, D: Element>(src: &Array, wrapping: bool) -> Result<Array> {
    let data = src.typed::<S>("astype")?;
    let mut out: Vec<D> = Vec::with_capacity(src.size());
    let mut failure: Option<(usize, S, Lossy)> = None;
    if wrapping {
        strided::for_each_offset(&src.shape, &src.strides, src.offset, |o| {
            out.push(D::from_wide_wrapping(data[o].to_wide()));
        });
    } else {
        strided::for_each_offset(&src.shape, &src.strides, src.offset, |o| {
            if failure.is_some() {
                return;
            }
            match D::from_wide_checked(data[o].to_wide()) {
                Ok(v) => out.push(v),
                Err(reason) => failure = Some((out.len(), data[o], reason)),
            }
        });
    }
    if let Some((flat, value, reason)) = failure {
        return Err(ErrorKind::LossyCast {
            from: S::DTYPE,
            to: D::DTYPE,
            index: unravel(flat, &src.shape),
            value: format_wide(value.to_wide()),
            reason,
        }
        .into());
    }
    Array::from_slice(&out, &src.shape)
}

impl Array {
    /// An explicit cast to `dtype` that never loses data silently: floats
    /// truncate toward zero when cast to integers, as in NumPy and the Array
    /// API standard, but NaN, ±inf, values outside the target's range and
    /// non-zero imaginary parts are an error naming the first offending
    /// element. Always returns a new C-contiguous array.
    pub fn astype(&self, dtype: DType) -> Result<Array> {
        self.cast_checked(dtype)
    }

    fn cast_checked(&self, dtype: DType) -> Result<Array> {
        crate::dispatch!(self.dtype, S => crate::dispatch!(dtype, D => cast_typed::<S, D>(self, false)))
    }

    /// A cast under one of NumPy's casting policies: the cast must be allowed
    /// by `casting` ([`can_cast`]). Under every policy but `Unsafe` values
    /// are checked as in [`astype`](Array::astype). Under `Unsafe` they
    /// convert as NumPy converts them: integers wrap modulo 2^bits, float
    /// overflow gives ±inf, complex→real drops the imaginary part; float→int
    /// values outside the target's range, where NumPy's result depends on the
    /// platform, are truncated, clamped to `i128` (NaN as 0) and wrapped.
    pub fn astype_with(&self, dtype: DType, casting: Casting) -> Result<Array> {
        if !can_cast(self.dtype, dtype, casting) {
            return Err(ErrorKind::CastNotAllowed { from: self.dtype, to: dtype, casting }.into());
        }
        if casting == Casting::Unsafe {
            return crate::dispatch!(self.dtype, S => crate::dispatch!(dtype, D => cast_typed::<S, D>(self, true)));
        }
        self.cast_checked(dtype)
    }
}
