//! Array creation: [`zeros`](Array::zeros), [`ones`](Array::ones),
//! [`full`](Array::full), [`empty`](Array::empty), the `*_like` forms,
//! [`arange`](Array::arange) / [`arange_int`](Array::arange_int),
//! [`linspace`](Array::linspace) and [`eye`](Array::eye).
//!
//! Every constructor returns a fresh, uniquely owned, C-contiguous array.
//! Values are checked on the way in: where NumPy wraps or overflows to
//! infinity (`np.arange(250, 260, dtype=np.uint8)`, `np.full(3, 1e30,
//! dtype=np.float16)`), oxarray returns an error that names the element.
//!
//! ```
//! use oxarray_core::{Array, DType};
//! let a = Array::arange(0.0, 1.0, 0.25, DType::Float32)?;
//! assert_eq!(a.to_vec::<f32>()?, vec![0.0, 0.25, 0.5, 0.75]);
//! let b = Array::linspace(0.0, 1.0, 5, true, DType::Float64)?;
//! assert_eq!(b.to_vec::<f64>()?, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
//! let i = Array::eye(2, None, 0, DType::Int32)?;
//! assert_eq!(i.to_vec::<i32>()?, vec![1, 0, 0, 1]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use crate::array::Array;
use crate::cast::{convert_weak_scalar, format_wide, unravel};
use crate::dtype::{DType, Kind};
use crate::element::{Element, Wide};
use crate::error::{Error, ErrorKind, Result};

/// A fresh C-contiguous array of `T` whose flat (C-order) element `i` is
/// `f(i)`; the first error stops the fill and is returned.
pub(crate) fn try_from_fn<T: Element>(shape: &[usize], mut f: impl FnMut(usize) -> Result<T>) -> Result<Array> {
    let mut a = Array::for_overwrite(shape, T::DTYPE)?;
    for (i, x) in a.typed_mut_unique::<T>()?.iter_mut().enumerate() {
        *x = f(i)?;
    }
    Ok(a)
}

/// Narrows a computed value into `T`, naming element `flat` of `shape` if
/// it cannot be represented (the value was computed as `from`).
pub(crate) fn narrow<T: Element>(value: Wide, from: DType, shape: &[usize], flat: usize) -> Result<T> {
    T::from_wide_checked(value).map_err(|reason| {
        ErrorKind::LossyCast { from, to: T::DTYPE, index: unravel(flat, shape), value: format_wide(value), reason }
            .into()
    })
}

/// A C-contiguous array with every element `value` (already of the dtype).
fn filled<T: Element>(shape: &[usize], value: T) -> Result<Array> {
    let mut a = Array::for_overwrite(shape, T::DTYPE)?;
    a.typed_mut_unique::<T>()?.fill(value);
    Ok(a)
}

/// NumPy's arange length `ceil((stop - start) / step)`, computed in `f64`.
/// A quotient that underflows to `+0.0` from a non-empty range still gives
/// one element, as in NumPy (`np.arange(0, 1e-300, 1e300)` is `[0.]`).
fn arange_len_f64(start: f64, stop: f64, step: f64) -> Result<usize> {
    if !start.is_finite() || !stop.is_finite() || step.is_nan() {
        return Err(Error::invalid(
            "arange",
            format!("start, stop and step must be finite numbers (got {start:?}, {stop:?}, {step:?})"),
        ));
    }
    if step == 0.0 {
        return Err(Error::invalid("arange", "step must not be zero"));
    }
    let delta = stop - start;
    if delta.is_infinite() {
        return Err(ErrorKind::SizeOverflow { shape: vec![usize::MAX] }.into());
    }
    let q = delta / step;
    let len = if q == 0.0 && delta != 0.0 && q.is_sign_positive() { 1.0 } else { q.ceil().max(0.0) };
    // `len` is a non-negative integer-valued float here; 2^63 is a bound no
    // array reaches (the byte size must fit `isize`).
    if len >= i64::MAX as f64 {
        return Err(ErrorKind::SizeOverflow { shape: vec![usize::MAX] }.into());
    }
    Ok(len as usize)
}

/// The exact integer arange length `ceil((stop - start) / step)`, at least 0.
fn arange_len_int(start: i128, stop: i128, step: i128) -> Result<usize> {
    if step == 0 {
        return Err(Error::invalid("arange", "step must not be zero"));
    }
    let delta = stop
        .checked_sub(start)
        .ok_or_else(|| Error::invalid("arange", format!("stop - start overflows ({stop} - {start})")))?;
    if delta == 0 || (delta > 0) != (step > 0) {
        return Ok(0);
    }
    let (d, s) = (delta.unsigned_abs(), step.unsigned_abs());
    let len = d.div_ceil(s);
    usize::try_from(len).map_err(|_| ErrorKind::SizeOverflow { shape: vec![usize::MAX] }.into())
}

/// Fills `len` elements the way NumPy's per-dtype `fill` does after it has
/// stored the first two values (`first`, `second`) in the dtype:
///
/// - integers: `first + i * (second - first)`, exactly (in `i128`);
/// - float64 / complex128: `v0 + i * (v1 - v0)` in `f64`, where `v0`, `v1`
///   are `first`, `second` rounded to the dtype;
/// - float32, float16, bfloat16 / complex64: the same in `f32` (NumPy's
///   float16 fill also computes in `float`), rounded to the dtype per element;
/// - bool: at most two elements (`first`, `second`), as NumPy allows.
///
/// Reproducing NumPy's arithmetic (rather than `start + i*step` in `f64`) is
/// what makes the results bit-identical to `np.arange`.
fn arange_fill<T: Element>(len: usize, first: Wide, second: Wide, from: DType) -> Result<Array> {
    let shape = [len];
    if len == 0 {
        // Nothing is stored, so bounds that do not fit the dtype do not matter.
        return Array::zeros(&shape, T::DTYPE);
    }
    match T::DTYPE.kind() {
        Kind::Bool => {
            if len > 2 {
                return Err(Error::invalid(
                    "arange",
                    format!("a bool arange has at most 2 elements (True/False); this one would have {len}"),
                ));
            }
            try_from_fn::<T>(&shape, |i| narrow(if i == 0 { first } else { second }, from, &shape, i))
        }
        Kind::SignedInt | Kind::UnsignedInt => {
            let (Wide::Int(a), Wide::Int(b)) = (first, second) else {
                unreachable!("integer arange receives integer bounds")
            };
            let delta = b - a;
            // Every value lies between `start` and `stop`, so no overflow in i128.
            try_from_fn::<T>(&shape, |i| narrow(Wide::Int(a + i as i128 * delta), from, &shape, i))
        }
        Kind::Float | Kind::Complex => {
            // Round the first two values to the dtype, as NumPy stores them.
            let v0 = narrow::<T>(first, from, &shape, 0)?.to_wide();
            let v1 = if len > 1 { narrow::<T>(second, from, &shape, 1)?.to_wide() } else { v0 };
            let re = |w: Wide| match w {
                Wide::Float(x) | Wide::Complex(x, _) => x,
                Wide::Bool(_) | Wide::Int(_) => unreachable!("float dtypes widen to floats"),
            };
            let (s, d) = (re(v0), re(v1) - re(v0));
            if T::DTYPE.real() == DType::Float64 {
                try_from_fn::<T>(&shape, |i| narrow(Wide::Float(s + i as f64 * d), from, &shape, i))
            } else {
                let (s, d) = (s as f32, d as f32);
                try_from_fn::<T>(&shape, |i| narrow(Wide::Float((s + i as f32 * d) as f64), from, &shape, i))
            }
        }
    }
}

impl Array {
    /// A C-contiguous array of ones (`true`).
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::ones(&[2, 2], DType::UInt8)?;
    /// assert_eq!(a.to_vec::<u8>()?, vec![1, 1, 1, 1]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn ones(shape: &[usize], dtype: DType) -> Result<Array> {
        crate::dispatch!(dtype, T => filled(shape, T::one()))
    }

    /// A C-contiguous array with every element `value`, converted to `dtype`
    /// as a "weak" scalar (like a Python scalar under NEP 50): the value's
    /// kind may not be above the dtype's (a float into an integer dtype is
    /// [`ErrorKind::CastNotAllowed`]) and it must fit (`300` into `uint8` is
    /// [`ErrorKind::LossyCast`]). Rounding a float to a narrower float is
    /// allowed; overflowing it to infinity is not.
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::full(&[3], 7, DType::Int8)?;
    /// assert_eq!(a.to_vec::<i8>()?, vec![7, 7, 7]);
    /// assert!(Array::full(&[3], 300, DType::UInt8).is_err());
    /// assert!(Array::full(&[3], 1.5, DType::Int32).is_err());
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn full<T: Element>(shape: &[usize], value: T, dtype: DType) -> Result<Array> {
        let wide = value.to_wide();
        crate::dispatch!(dtype, U => filled(shape, convert_weak_scalar::<U>(wide, T::DTYPE)?))
    }

    /// An array of the given shape whose values the caller will overwrite.
    ///
    /// As with `np.empty`, the values are unspecified, but never
    /// uninitialised memory (reading that is undefined behaviour in Rust):
    /// small arrays and fresh memory are zero-filled, and a large array may
    /// reuse a dropped array's buffer from the reuse pool and hold its old
    /// values (see [`Buffer`](crate::Buffer)). Use
    /// [`zeros`](Array::zeros) for zeros.
    pub fn empty(shape: &[usize], dtype: DType) -> Result<Array> {
        Array::for_overwrite(shape, dtype)
    }

    /// Zeros with this array's shape and dtype (C order).
    pub fn zeros_like(&self) -> Result<Array> {
        Array::zeros(&self.shape, self.dtype)
    }

    /// Ones with this array's shape and dtype (C order).
    pub fn ones_like(&self) -> Result<Array> {
        Array::ones(&self.shape, self.dtype)
    }

    /// `value` everywhere, with this array's shape and dtype (C order);
    /// `value` is converted as in [`full`](Array::full).
    pub fn full_like<T: Element>(&self, value: T) -> Result<Array> {
        Array::full(&self.shape, value, self.dtype)
    }

    /// An array with this array's shape and dtype (C order), zero-filled as
    /// explained in [`empty`](Array::empty).
    pub fn empty_like(&self) -> Result<Array> {
        Array::empty(&self.shape, self.dtype)
    }

    /// Evenly spaced values in `[start, stop)`, like `np.arange(start, stop,
    /// step, dtype=dtype)`, with NumPy's length `ceil((stop - start) / step)`
    /// (never negative: an empty range gives shape `(0,)`).
    ///
    /// - **Float and complex dtypes** reproduce NumPy's values bit for bit:
    ///   NumPy stores `start` and `start + step` in the dtype and fills
    ///   `v0 + i * (v1 - v0)` in the dtype's precision (in `f32` for float16),
    ///   so `arange(0.0, 1.0, 0.1, Float16)` has `0.2998` where `f64` math
    ///   would give `0.3`.
    /// - **Integer dtypes** need integral `start`, `stop` and `step` (a
    ///   fractional one is an error, where NumPy silently truncates) and are
    ///   computed exactly as integers by [`arange_int`](Array::arange_int).
    ///   Use `arange_int` directly for integers beyond 2^53, which `f64`
    ///   cannot hold.
    /// - **bool** allows at most two elements, as NumPy does.
    ///
    /// Errors: `step == 0`, a NaN or infinite `start`/`stop`/NaN `step`,
    /// values that overflow the dtype (NumPy gives `inf` or wraps), and
    /// lengths whose byte size overflows ([`ErrorKind::SizeOverflow`]).
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::arange(10.0, 0.0, -3.0, DType::Float64)?;
    /// assert_eq!(a.to_vec::<f64>()?, vec![10.0, 7.0, 4.0, 1.0]);
    /// let i = Array::arange(0.0, 5.0, 2.0, DType::Int64)?;
    /// assert_eq!(i.to_vec::<i64>()?, vec![0, 2, 4]);
    /// assert!(Array::arange(0.0, 1.0, 0.0, DType::Float64).is_err());
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn arange(start: f64, stop: f64, step: f64, dtype: DType) -> Result<Array> {
        if dtype.is_integer() {
            let as_int = |x: f64, name: &str| -> Result<i128> {
                if x.is_finite() && x.fract() == 0.0 && x.abs() < 1.7e38 {
                    Ok(x as i128)
                } else {
                    Err(Error::invalid(
                        "arange",
                        format!("{name} = {x:?} is not an integer (or is too large), but the dtype is {dtype}"),
                    ))
                }
            };
            return Array::arange_int(as_int(start, "start")?, as_int(stop, "stop")?, as_int(step, "step")?, dtype);
        }
        let len = arange_len_f64(start, stop, step)?;
        let (first, second) = (Wide::Float(start), Wide::Float(start + step));
        crate::dispatch!(dtype, T => arange_fill::<T>(len, first, second, DType::Float64))
    }

    /// Evenly spaced integers in `[start, stop)`, like `np.arange` with
    /// Python `int` arguments: the length `ceil((stop - start) / step)` and
    /// every value are computed exactly as integers (`i128` holds every
    /// `int64` and `uint64` value), so
    /// `arange_int(0, 1 << 62, 1 << 60, DType::Int64)` is exact.
    ///
    /// For integer dtypes a value outside the dtype's range is an error
    /// naming the element (NumPy wraps). Float, complex and bool dtypes get
    /// NumPy's values, as in [`arange`](Array::arange).
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::arange_int(0, 1 << 62, 1 << 60, DType::Int64)?;
    /// assert_eq!(a.to_vec::<i64>()?, vec![0, 1 << 60, 2 << 60, 3 << 60]);
    /// assert!(Array::arange_int(250, 260, 1, DType::UInt8).is_err());
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn arange_int(start: i128, stop: i128, step: i128, dtype: DType) -> Result<Array> {
        let len = arange_len_int(start, stop, step)?;
        // `start + step` only matters when there are two elements, and then
        // it lies between `start` and `stop`; saturate so it cannot overflow.
        let second = start.saturating_add(step);
        crate::dispatch!(dtype, T => arange_fill::<T>(len, Wide::Int(start), Wide::Int(second), DType::Int64))
    }

    /// `num` evenly spaced values from `start` to `stop` (included when
    /// `endpoint`), like `np.linspace(start, stop, num, endpoint,
    /// dtype=dtype)`, value for value.
    ///
    /// As NumPy does, the values are computed in `f64` as
    /// `start + i * step` with `step = (stop - start) / div` (`div` is
    /// `num - 1` with the endpoint, `num` without), the last one is set to
    /// `stop` exactly when `endpoint` and `num > 1`, and the result is then
    /// rounded to the dtype. Integer dtypes take the floor first (NumPy's
    /// rule), and a value that does not fit is an error. `num == 0` gives an
    /// empty array.
    ///
    /// `start` and `stop` must be finite, and `stop - start` must not
    /// overflow (NumPy would produce NaN or infinity).
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::linspace(0.0, 1.0, 4, false, DType::Float64)?;
    /// assert_eq!(a.to_vec::<f64>()?, vec![0.0, 0.25, 0.5, 0.75]);
    /// let i = Array::linspace(0.0, 10.0, 5, true, DType::Int64)?;
    /// assert_eq!(i.to_vec::<i64>()?, vec![0, 2, 5, 7, 10]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn linspace(start: f64, stop: f64, num: usize, endpoint: bool, dtype: DType) -> Result<Array> {
        if !start.is_finite() || !stop.is_finite() {
            return Err(Error::invalid("linspace", format!("start and stop must be finite (got {start:?}, {stop:?})")));
        }
        let delta = stop - start;
        if !delta.is_finite() {
            return Err(Error::invalid("linspace", format!("stop - start overflows ({stop:?} - {start:?})")));
        }
        let div = if endpoint { num.saturating_sub(1) } else { num };
        let step = if div > 0 { delta / div as f64 } else { f64::NAN };
        let value = |i: usize| -> f64 {
            let i = i as f64;
            let y = if div == 0 {
                i * delta
            } else if step == 0.0 {
                // `delta / div` underflowed (subnormal spans): divide first.
                (i / div as f64) * delta
            } else {
                i * step
            };
            y + start
        };
        let shape = [num];
        let floor = dtype.is_integer();
        crate::dispatch!(dtype, T => try_from_fn::<T>(&shape, |i| {
            let mut y = if endpoint && num > 1 && i == num - 1 { stop } else { value(i) };
            if floor {
                y = y.floor();
            }
            narrow(Wide::Float(y), DType::Float64, &shape, i)
        }))
    }

    /// A 2-d array with ones on the `k`-th diagonal and zeros elsewhere,
    /// like `np.eye(n_rows, n_cols, k, dtype=dtype)`: `n_cols` defaults to
    /// `n_rows`, `k > 0` is above the main diagonal and `k < 0` below it; a
    /// diagonal outside the matrix gives all zeros.
    ///
    /// ```
    /// use oxarray_core::{Array, DType};
    /// let a = Array::eye(2, Some(3), 1, DType::Float32)?;
    /// assert_eq!(a.shape(), &[2, 3]);
    /// assert_eq!(a.to_vec::<f32>()?, vec![0., 1., 0., 0., 0., 1.]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn eye(n_rows: usize, n_cols: Option<usize>, k: isize, dtype: DType) -> Result<Array> {
        let n_cols = n_cols.unwrap_or(n_rows);
        let mut a = Array::zeros(&[n_rows, n_cols], dtype)?;
        crate::dispatch!(dtype, T => {
            let data = a.typed_mut_unique::<T>()?;
            // Row r holds its one at column r + k, if that column exists.
            let (r0, c0) = if k >= 0 { (0, k.unsigned_abs()) } else { (k.unsigned_abs(), 0) };
            for (r, c) in (r0..n_rows).zip(c0..n_cols) {
                data[r * n_cols + c] = T::one();
            }
        });
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bf16, c64, f16};

    fn kind(e: Error) -> ErrorKind {
        e.into_kind()
    }

    #[test]
    fn ones_and_full_every_dtype() {
        for d in DType::ALL {
            for shape in [&[][..], &[0], &[3], &[2, 0, 3], &[2, 3]] {
                let a = Array::ones(shape, d).unwrap();
                assert_eq!((a.shape(), a.dtype()), (shape, d));
                assert!(a.is_c_contiguous() && a.is_unique());
                crate::dispatch!(d, T => {
                    assert!(a.to_vec::<T>().unwrap().iter().all(|&x| x == T::one()));
                    let f = Array::full(shape, true, d).unwrap();
                    assert!(f.to_vec::<T>().unwrap().iter().all(|&x| x == T::one()));
                    let z = a.zeros_like().unwrap();
                    assert!(z.to_vec::<T>().unwrap().iter().all(|&x| x == T::zero()));
                    assert_eq!(a.empty_like().unwrap().to_vec::<T>().unwrap(), z.to_vec::<T>().unwrap());
                    assert_eq!(z.ones_like().unwrap().to_vec::<T>().unwrap(), a.to_vec::<T>().unwrap());
                });
            }
        }
    }

    #[test]
    fn full_follows_the_weak_scalar_rule() {
        assert_eq!(Array::full(&[2], 255, DType::UInt8).unwrap().to_vec::<u8>().unwrap(), vec![255, 255]);
        assert_eq!(Array::full(&[1], 0.1, DType::Float16).unwrap().to_vec::<f16>().unwrap(), vec![f16::from_f64(0.1)]);
        assert_eq!(
            Array::full(&[1], 3u8, DType::BFloat16).unwrap().to_vec::<bf16>().unwrap(),
            vec![bf16::from_f32(3.0)]
        );
        assert_eq!(
            Array::full(&[1], 2.5, DType::Complex64).unwrap().to_vec::<c64>().unwrap(),
            vec![c64::new(2.5, 0.0)]
        );
        assert!(matches!(kind(Array::full(&[2], 256, DType::UInt8).err().unwrap()), ErrorKind::LossyCast { .. }));
        assert!(matches!(kind(Array::full(&[2], -1, DType::UInt64).err().unwrap()), ErrorKind::LossyCast { .. }));
        assert!(matches!(kind(Array::full(&[2], 1e30, DType::Float16).err().unwrap()), ErrorKind::LossyCast { .. }));
        assert!(matches!(kind(Array::full(&[2], 2.0, DType::Int64).err().unwrap()), ErrorKind::CastNotAllowed { .. }));
        assert!(matches!(kind(Array::full(&[2], 1, DType::Bool).err().unwrap()), ErrorKind::CastNotAllowed { .. }));
        let c = c64::new(1.0, 1.0);
        assert!(matches!(kind(Array::full(&[2], c, DType::Float64).err().unwrap()), ErrorKind::CastNotAllowed { .. }));
        let a = Array::full(&[2, 2], 1.5, DType::Float32).unwrap();
        assert_eq!(a.full_like(-2).unwrap().to_vec::<f32>().unwrap(), vec![-2.0; 4]);
    }

    #[test]
    fn size_overflow_is_an_error() {
        for e in [
            Array::ones(&[usize::MAX, 2], DType::Int8).err().unwrap(),
            Array::full(&[1 << 62, 4], 0, DType::Int8).err().unwrap(),
            Array::empty(&[usize::MAX / 2], DType::Float64).err().unwrap(),
            Array::eye(1 << 32, None, 0, DType::Int8).err().unwrap(),
            Array::linspace(0.0, 1.0, usize::MAX, true, DType::Float64).err().unwrap(),
            Array::arange(0.0, 1e300, 1.0, DType::Float64).err().unwrap(),
            Array::arange_int(0, 1 << 100, 1, DType::Int64).err().unwrap(),
        ] {
            assert!(matches!(kind(e), ErrorKind::SizeOverflow { .. }));
        }
    }

    #[test]
    fn arange_lengths_follow_numpy() {
        let len = |a: f64, b: f64, s: f64| Array::arange(a, b, s, DType::Float64).unwrap().size();
        assert_eq!(len(0.0, 10.0, 1.0), 10);
        assert_eq!(len(0.0, 1.0, 0.3), 4);
        assert_eq!(len(1.0, 0.0, -0.1), 10);
        assert_eq!(len(0.0, 0.0, 1.0), 0);
        assert_eq!(len(5.0, 0.0, 1.0), 0);
        assert_eq!(len(0.0, 1e-300, 1e300), 1);
        assert_eq!(len(0.0, -1e-300, 1e300), 0);
        assert_eq!(len(0.0, 5.0, f64::INFINITY), 1);
        assert_eq!(Array::arange(1e6, 0.0, 1.0, DType::Float16).unwrap().shape(), &[0]);
        assert_eq!(Array::arange_int(1000, 0, 1, DType::UInt8).unwrap().shape(), &[0]);
        let ilen = |a: i128, b: i128, s: i128| Array::arange_int(a, b, s, DType::Int64).unwrap().size();
        assert_eq!(ilen(0, 10, 3), 4);
        assert_eq!(ilen(10, 0, -3), 4);
        assert_eq!(ilen(0, 10, -1), 0);
        assert_eq!(ilen(-5, 5, 2), 5);
    }

    #[test]
    fn arange_integers_are_exact() {
        let a = Array::arange_int(i64::MIN as i128, i64::MAX as i128, 1 << 61, DType::Int64).unwrap();
        assert_eq!(
            a.to_vec::<i64>().unwrap(),
            (0..8i128).map(|i| (i64::MIN as i128 + i * (1 << 61)) as i64).collect::<Vec<_>>()
        );
        let u = Array::arange_int(u64::MAX as i128, 0, -(1 << 62), DType::UInt64).unwrap();
        assert_eq!(u.to_vec::<u64>().unwrap(), (0..4).map(|i| u64::MAX - i * (1 << 62)).collect::<Vec<_>>());
        let f = Array::arange(0.0, 4.0 * (1u64 << 60) as f64, (1u64 << 60) as f64, DType::Int64).unwrap();
        assert_eq!(f.to_vec::<i64>().unwrap(), vec![0, 1 << 60, 2 << 60, 3 << 60]);
        let e = Array::arange_int(250, 260, 1, DType::UInt8).err().unwrap();
        assert!(matches!(kind(e), ErrorKind::LossyCast { index, .. } if index == vec![6]));
    }

    #[test]
    fn arange_bad_arguments() {
        let invalid = |r: Result<Array>| matches!(kind(r.err().unwrap()), ErrorKind::InvalidArgument { .. });
        assert!(invalid(Array::arange(0.0, 1.0, 0.0, DType::Float64)));
        assert!(invalid(Array::arange_int(0, 1, 0, DType::Int32)));
        assert!(invalid(Array::arange(0.0, f64::NAN, 1.0, DType::Float64)));
        assert!(invalid(Array::arange(f64::NEG_INFINITY, 0.0, 1.0, DType::Float64)));
        assert!(invalid(Array::arange(0.0, 1.0, f64::NAN, DType::Float32)));
        assert!(invalid(Array::arange(0.5, 3.0, 1.0, DType::Int32)));
        assert!(invalid(Array::arange(0.0, 3.0, 1.0, DType::Bool)));
        assert!(invalid(Array::arange_int(i128::MIN, i128::MAX, 1, DType::Int64)));
        // float16 overflows to infinity in NumPy; an error here.
        let e = Array::arange(60000.0, 75000.0, 5000.0, DType::Float16).err().unwrap();
        assert!(matches!(kind(e), ErrorKind::LossyCast { .. }));
        assert_eq!(Array::arange(1.0, 3.0, 1.0, DType::Bool).unwrap().to_vec::<bool>().unwrap(), vec![true, true]);
    }

    #[test]
    fn linspace_edges() {
        let v = |a, b, n, e| Array::linspace(a, b, n, e, DType::Float64).unwrap().to_vec::<f64>().unwrap();
        assert_eq!(v(0.0, 1.0, 0, true), Vec::<f64>::new());
        assert_eq!(v(2.0, 1.0, 1, true), vec![2.0]);
        assert_eq!(v(2.0, 1.0, 1, false), vec![2.0]);
        assert_eq!(v(1.0, 0.0, 3, true), vec![1.0, 0.5, 0.0]);
        assert_eq!(v(0.0, 5e-324, 3, true), vec![0.0, 0.0, 5e-324]);
        assert!(Array::linspace(0.0, f64::INFINITY, 3, true, DType::Float64).is_err());
        assert!(Array::linspace(-f64::MAX, f64::MAX, 3, true, DType::Float64).is_err());
        assert!(Array::linspace(0.0, 300.0, 3, true, DType::UInt8).is_err());
        assert_eq!(
            Array::linspace(-5.0, 5.0, 7, true, DType::Int8).unwrap().to_vec::<i8>().unwrap(),
            vec![-5, -4, -2, 0, 1, 3, 5]
        );
    }

    #[test]
    fn eye_diagonals() {
        let e = |n, m, k| Array::eye(n, m, k, DType::Int64).unwrap().to_vec::<i64>().unwrap();
        assert_eq!(e(3, None, 0), vec![1, 0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(e(2, Some(3), -1), vec![0, 0, 0, 1, 0, 0]);
        assert_eq!(e(3, Some(2), 2), vec![0; 6]);
        assert_eq!(e(3, Some(2), -3), vec![0; 6]);
        assert_eq!(e(0, None, 0), Vec::<i64>::new());
        assert_eq!(Array::eye(0, Some(4), 0, DType::Bool).unwrap().shape(), &[0, 4]);
        let b = Array::eye(2, None, isize::MIN, DType::Bool).unwrap();
        assert_eq!(b.to_vec::<bool>().unwrap(), vec![false; 4]);
    }
}
