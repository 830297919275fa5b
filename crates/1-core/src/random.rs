//! Seeded random arrays: a [`Generator`] (like NumPy's
//! `np.random.default_rng(seed)`) and one-shot functions that build a
//! generator from a seed.
//!
//! The same seed always gives the same arrays, on every platform and in
//! every release of oxarray that keeps this stream (it changes only with a
//! note in the changelog). The stream is **oxarray's own**
//! (xoshiro256++ seeded through SplitMix64, from
//! [`oxarray_kernels::random::Rng`]), not NumPy's PCG64: the same seed gives
//! different numbers than NumPy.
//!
//! Every method fills its array in C order and draws from the generator in
//! that order, so `uniform` of shape `(2, 3)` equals `uniform` of shape
//! `(6,)` reshaped.
//!
//! ```
//! use oxarray_core::{random, Array, DType, Generator};
//! let mut rng = Generator::new(42);
//! let x = rng.normal(0.0, 1.0, &[1000], DType::Float32)?;
//! let i = rng.integers(0, 10, &[5], DType::Int64)?;
//! assert!(i.to_vec::<i64>()?.iter().all(|v| (0..10).contains(v)));
//! // Same seed, same numbers.
//! assert_eq!(random::normal(0.0, 1.0, &[1000], DType::Float32, 42)?.to_vec::<f32>()?, x.to_vec::<f32>()?);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use oxarray_kernels::random::Rng;

use crate::array::{Array, checked_len};
use crate::creation::{narrow, try_from_fn};
use crate::dtype::{DType, Kind};
use crate::element::{Element, Wide};
use crate::error::{Error, ErrorKind, Result};

/// How many draws `uniform` spends on one element before deciding the
/// interval is too narrow for the dtype (only a range that holds at most a
/// couple of the dtype's values, split on a rounding tie, can get here).
const MAX_REJECTIONS: usize = 1000;

/// A seeded source of random arrays, like NumPy's `Generator`
/// (`np.random.default_rng(seed)`). Each call advances the stream, so two
/// calls give different arrays; two generators made with the same seed give
/// the same sequence of arrays.
#[derive(Clone, Debug)]
pub struct Generator {
    rng: Rng,
}

fn require_float(op: &'static str, dtype: DType) -> Result<()> {
    if dtype.is_float() { Ok(()) } else { Err(ErrorKind::UnsupportedDType { op, dtype }.into()) }
}

impl Generator {
    /// A generator whose whole stream is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        Generator { rng: Rng::seed_from_u64(seed) }
    }

    /// Uniform floats in `[0, 1)`, like `rng.random(shape, dtype)`; the
    /// same as [`uniform(0.0, 1.0, …)`](Generator::uniform).
    pub fn random(&mut self, shape: &[usize], dtype: DType) -> Result<Array> {
        self.uniform(0.0, 1.0, shape, dtype)
    }

    /// Uniform floats in the half-open interval `[low, high)`, like
    /// `rng.uniform(low, high, shape)`, for float dtypes (`float16`,
    /// `bfloat16`, `float32`, `float64`).
    ///
    /// Each element is `low + (high - low) * u` with `u` a 53-bit uniform in
    /// `[0, 1)`, computed in `f64` and rounded once to the dtype. Rounding
    /// can land on `high`; such draws are rejected and redrawn, so `high`
    /// never occurs (NumPy's `uniform` can return it). `low == high` gives
    /// `low` everywhere.
    ///
    /// Errors: a non-float dtype, `low > high`, a NaN or infinite bound or
    /// span, bounds that round to the same value of a narrower dtype while
    /// they differ, and shapes whose size overflows.
    ///
    /// ```
    /// use oxarray_core::{DType, Generator};
    /// let x = Generator::new(7).uniform(-1.0, 1.0, &[100], DType::Float64)?;
    /// assert!(x.to_vec::<f64>()?.iter().all(|v| (-1.0..1.0).contains(v)));
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn uniform(&mut self, low: f64, high: f64, shape: &[usize], dtype: DType) -> Result<Array> {
        require_float("uniform", dtype)?;
        checked_len(shape, dtype)?;
        let span = high - low;
        if !(low.is_finite() && high.is_finite() && span.is_finite()) || low > high {
            return Err(Error::invalid(
                "uniform",
                format!("need finite low <= high with a finite span (got low={low:?}, high={high:?})"),
            ));
        }
        crate::dispatch!(dtype, T => {
            let bound = |x: f64| narrow::<T>(Wide::Float(x), DType::Float64, &[], 0).map(Element::to_wide);
            let (lo, hi) = (bound(low)?, bound(high)?);
            if span == 0.0 {
                return try_from_fn::<T>(shape, |i| narrow(Wide::Float(low), DType::Float64, shape, i));
            }
            if lo == hi {
                return Err(Error::invalid(
                    "uniform",
                    format!("[{low:?}, {high:?}) holds no value of {dtype}: both bounds round to the same value"),
                ));
            }
            let Wide::Float(hi) = hi else { unreachable!("float dtypes widen to floats") };
            let rng = &mut self.rng;
            try_from_fn::<T>(shape, |i| {
                for _ in 0..MAX_REJECTIONS {
                    let v = narrow::<T>(Wide::Float(low + span * rng.next_f64()), DType::Float64, shape, i)?;
                    if matches!(v.to_wide(), Wide::Float(x) if x < hi) {
                        return Ok(v);
                    }
                }
                Err(Error::invalid("uniform", format!("[{low:?}, {high:?}) is too narrow to sample in {dtype}")))
            })
        })
    }

    /// Normally distributed floats with mean `mean` and standard deviation
    /// `std`, like `rng.normal(mean, std, shape)`, for float dtypes. Samples
    /// are drawn in `f64` (Marsaglia's polar method, two per pair of
    /// uniforms) and rounded once to the dtype; a sample that overflows a
    /// narrow dtype (float16 beyond ±65504) is an error.
    ///
    /// Errors: a non-float dtype, a NaN or infinite `mean` or `std`, and
    /// `std < 0`.
    ///
    /// ```
    /// use oxarray_core::{DType, Generator};
    /// let x = Generator::new(1).normal(10.0, 0.5, &[2, 3], DType::Float32)?;
    /// assert_eq!(x.shape(), &[2, 3]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn normal(&mut self, mean: f64, std: f64, shape: &[usize], dtype: DType) -> Result<Array> {
        require_float("normal", dtype)?;
        let n = checked_len(shape, dtype)?;
        if !(mean.is_finite() && std.is_finite()) || std < 0.0 {
            return Err(Error::invalid(
                "normal",
                format!("need a finite mean and a finite std >= 0 (got mean={mean:?}, std={std:?})"),
            ));
        }
        let mut z = vec![0.0; n];
        self.rng.fill_standard_normal(&mut z);
        crate::dispatch!(dtype, T => try_from_fn::<T>(shape, |i| {
            narrow(Wide::Float(mean + std * z[i]), DType::Float64, shape, i)
        }))
    }

    /// Uniform integers in the half-open interval `[low, high)`, like
    /// `rng.integers(low, high, shape, dtype)`, for integer dtypes and
    /// `bool` (as the range `[0, 2)`). Bounds are `i128` so every `int64`
    /// and `uint64` range can be named, up to the full
    /// `integers(0, 1 << 64, …, DType::UInt64)`. Unbiased (Lemire's method).
    ///
    /// Errors: a float or complex dtype, `low >= high`, and a range that
    /// does not fit the dtype (`integers(0, 257, …, UInt8)`).
    ///
    /// ```
    /// use oxarray_core::{DType, Generator};
    /// let d = Generator::new(3).integers(1, 7, &[10], DType::UInt8)?; // dice
    /// assert!(d.to_vec::<u8>()?.iter().all(|v| (1..=6).contains(v)));
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn integers(&mut self, low: i128, high: i128, shape: &[usize], dtype: DType) -> Result<Array> {
        if !matches!(dtype.kind(), Kind::Bool | Kind::SignedInt | Kind::UnsignedInt) {
            return Err(ErrorKind::UnsupportedDType { op: "integers", dtype }.into());
        }
        checked_len(shape, dtype)?;
        if low >= high {
            return Err(Error::invalid("integers", format!("low must be less than high (got low={low}, high={high})")));
        }
        crate::dispatch!(dtype, T => {
            let fits = |v: i128| match T::DTYPE.kind() {
                Kind::Bool => (0..=1).contains(&v),
                _ => T::from_wide_checked(Wide::Int(v)).is_ok(),
            };
            if !fits(low) || !fits(high - 1) {
                return Err(Error::invalid(
                    "integers",
                    format!("the range [{low}, {high}) does not fit {dtype}"),
                ));
            }
            // The span is at most 2^64 (the whole uint64 or int64 range), for
            // which `below` takes 0.
            let span = (high - low) as u64;
            let rng = &mut self.rng;
            try_from_fn::<T>(shape, |_| Ok(T::from_wide_wrapping(Wide::Int(low + rng.below(span) as i128))))
        })
    }

    /// A random permutation of `0..n` as an `int64` array, like
    /// `rng.permutation(n)` (Fisher–Yates).
    ///
    /// ```
    /// use oxarray_core::Generator;
    /// let p = Generator::new(0).permutation(5)?;
    /// let mut v = p.to_vec::<i64>()?;
    /// v.sort();
    /// assert_eq!(v, vec![0, 1, 2, 3, 4]);
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn permutation(&mut self, n: usize) -> Result<Array> {
        checked_len(&[n], DType::Int64)?;
        let mut a = Array::arange_int(0, n as i128, 1, DType::Int64)?;
        self.rng.shuffle(a.typed_mut_unique::<i64>()?);
        Ok(a)
    }

    /// Shuffles `items` in place (Fisher–Yates), like `rng.shuffle` on a
    /// 1-d sequence; handy for shuffling indices or row orders.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        self.rng.shuffle(items);
    }
}

/// [`Generator::uniform`] from a fresh generator seeded with `seed`.
pub fn uniform(low: f64, high: f64, shape: &[usize], dtype: DType, seed: u64) -> Result<Array> {
    Generator::new(seed).uniform(low, high, shape, dtype)
}

/// [`Generator::normal`] from a fresh generator seeded with `seed`.
pub fn normal(mean: f64, std: f64, shape: &[usize], dtype: DType, seed: u64) -> Result<Array> {
    Generator::new(seed).normal(mean, std, shape, dtype)
}

/// [`Generator::integers`] from a fresh generator seeded with `seed`.
pub fn integers(low: i128, high: i128, shape: &[usize], dtype: DType, seed: u64) -> Result<Array> {
    Generator::new(seed).integers(low, high, shape, dtype)
}

/// [`Generator::permutation`] from a fresh generator seeded with `seed`.
pub fn permutation(n: usize, seed: u64) -> Result<Array> {
    Generator::new(seed).permutation(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::f16;

    fn moments(v: &[f64]) -> (f64, f64) {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
        (mean, var.sqrt())
    }

    fn as_f64(a: &Array) -> Vec<f64> {
        a.astype(DType::Float64).unwrap().to_vec::<f64>().unwrap()
    }

    #[test]
    fn same_seed_same_arrays() {
        for d in [DType::Float16, DType::BFloat16, DType::Float32, DType::Float64] {
            let a = uniform(-3.0, 5.0, &[4, 5], d, 9).unwrap();
            assert_eq!(a.dtype(), d);
            assert_eq!(a.shape(), &[4, 5]);
            assert_eq!(as_f64(&a), as_f64(&uniform(-3.0, 5.0, &[4, 5], d, 9).unwrap()));
            assert_ne!(as_f64(&a), as_f64(&uniform(-3.0, 5.0, &[4, 5], d, 10).unwrap()));
            assert_eq!(as_f64(&normal(1.0, 2.0, &[7], d, 3).unwrap()), as_f64(&normal(1.0, 2.0, &[7], d, 3).unwrap()));
        }
        let mut g = Generator::new(5);
        let (x, y) = (g.random(&[10], DType::Float64).unwrap(), g.random(&[10], DType::Float64).unwrap());
        assert_ne!(as_f64(&x), as_f64(&y), "each call advances the stream");
        let whole = uniform(0.0, 1.0, &[6], DType::Float64, 1).unwrap();
        assert_eq!(as_f64(&uniform(0.0, 1.0, &[2, 3], DType::Float64, 1).unwrap()), as_f64(&whole));
        assert_eq!(
            integers(0, 100, &[50], DType::Int32, 4).unwrap().to_vec::<i32>().unwrap(),
            integers(0, 100, &[50], DType::Int32, 4).unwrap().to_vec::<i32>().unwrap()
        );
        assert_eq!(
            permutation(20, 8).unwrap().to_vec::<i64>().unwrap(),
            permutation(20, 8).unwrap().to_vec::<i64>().unwrap()
        );
    }

    #[test]
    fn uniform_range_and_moments() {
        let v = as_f64(&uniform(2.0, 5.0, &[200_000], DType::Float64, 11).unwrap());
        assert!(v.iter().all(|x| (2.0..5.0).contains(x)));
        let (mean, std) = moments(&v);
        // Mean 3.5, std 3/sqrt(12) = 0.866; the mean's standard error is 0.002.
        assert!((mean - 3.5).abs() < 0.01, "{mean}");
        assert!((std - 0.866_025).abs() < 0.01, "{std}");
        // Rounding to float16 lands on `high` for about 1 draw in 4096: rejected.
        let h = uniform(0.0, 1.0, &[100_000], DType::Float16, 2).unwrap();
        assert!(h.to_vec::<f16>().unwrap().iter().all(|x| (0.0..1.0).contains(&x.to_f64())));
        assert_eq!(as_f64(&uniform(1.5, 1.5, &[3], DType::Float32, 0).unwrap()), vec![1.5; 3]);
    }

    #[test]
    fn normal_moments() {
        let v = as_f64(&normal(3.0, 2.0, &[200_001], DType::Float64, 12).unwrap());
        let (mean, std) = moments(&v);
        // Standard error of the mean is 2/sqrt(2e5) = 0.0045.
        assert!((mean - 3.0).abs() < 0.025, "{mean}");
        assert!((std - 2.0).abs() < 0.02, "{std}");
        let f = as_f64(&normal(-1.0, 0.5, &[100_000], DType::Float32, 13).unwrap());
        let (mean, std) = moments(&f);
        assert!((mean + 1.0).abs() < 0.01 && (std - 0.5).abs() < 0.01, "{mean} {std}");
        assert_eq!(as_f64(&normal(4.0, 0.0, &[3], DType::Float64, 0).unwrap()), vec![4.0; 3]);
    }

    #[test]
    fn integers_cover_the_range_and_no_more() {
        let v = integers(-3, 4, &[10_000], DType::Int8, 21).unwrap().to_vec::<i8>().unwrap();
        for x in -3..4 {
            assert!(v.contains(&x), "{x} never drawn");
        }
        assert!(v.iter().all(|x| (-3..4).contains(x)));
        let all = integers(-128, 128, &[50_000], DType::Int8, 22).unwrap().to_vec::<i8>().unwrap();
        let mut seen = [false; 256];
        all.iter().for_each(|&x| seen[(x as i16 + 128) as usize] = true);
        assert!(seen.iter().all(|&s| s));
        let u = integers(0, 1 << 64, &[1000], DType::UInt64, 23).unwrap().to_vec::<u64>().unwrap();
        assert!(u.iter().any(|&x| x > u64::MAX / 2) && u.iter().any(|&x| x < u64::MAX / 2));
        let i = integers(i64::MIN as i128, i64::MAX as i128 + 1, &[1000], DType::Int64, 24).unwrap();
        let i = i.to_vec::<i64>().unwrap();
        assert!(i.iter().any(|&x| x < 0) && i.iter().any(|&x| x > 0));
        let top = integers(u64::MAX as i128 - 1, u64::MAX as i128 + 1, &[100], DType::UInt64, 25).unwrap();
        let top = top.to_vec::<u64>().unwrap();
        assert!(top.contains(&u64::MAX) && top.contains(&(u64::MAX - 1)));
        let b = integers(0, 2, &[100], DType::Bool, 26).unwrap().to_vec::<bool>().unwrap();
        assert!(b.contains(&true) && b.contains(&false));
    }

    #[test]
    fn permutation_is_a_permutation() {
        let p = permutation(1000, 31).unwrap();
        assert_eq!(p.dtype(), DType::Int64);
        let mut v = p.to_vec::<i64>().unwrap();
        assert_ne!(v, (0..1000).collect::<Vec<_>>());
        v.sort();
        assert_eq!(v, (0..1000).collect::<Vec<_>>());
        assert_eq!(permutation(0, 1).unwrap().shape(), &[0]);
        let mut items = vec!['a', 'b', 'c', 'd'];
        Generator::new(2).shuffle(&mut items);
        items.sort();
        assert_eq!(items, vec!['a', 'b', 'c', 'd']);
    }

    #[test]
    fn bad_arguments_are_errors() {
        let invalid = |r: Result<Array>| matches!(r.err().unwrap().into_kind(), ErrorKind::InvalidArgument { .. });
        let unsupported = |r: Result<Array>| matches!(r.err().unwrap().into_kind(), ErrorKind::UnsupportedDType { .. });
        assert!(invalid(uniform(1.0, 0.0, &[3], DType::Float64, 0)));
        assert!(invalid(uniform(0.0, f64::INFINITY, &[3], DType::Float64, 0)));
        assert!(invalid(uniform(-f64::MAX, f64::MAX, &[3], DType::Float64, 0)));
        assert!(invalid(uniform(0.1, 0.1 + 1e-12, &[3], DType::Float16, 0)));
        assert!(unsupported(uniform(0.0, 1.0, &[3], DType::Int32, 0)));
        assert!(unsupported(uniform(0.0, 1.0, &[3], DType::Complex64, 0)));
        assert!(invalid(normal(0.0, -1.0, &[3], DType::Float64, 0)));
        assert!(invalid(normal(f64::NAN, 1.0, &[3], DType::Float64, 0)));
        assert!(unsupported(normal(0.0, 1.0, &[3], DType::Int64, 0)));
        assert!(matches!(
            normal(60_000.0, 10_000.0, &[100], DType::Float16, 0).err().unwrap().into_kind(),
            ErrorKind::LossyCast { .. }
        ));
        assert!(invalid(integers(5, 5, &[3], DType::Int64, 0)));
        assert!(invalid(integers(0, 257, &[3], DType::UInt8, 0)));
        assert!(invalid(integers(-1, 10, &[3], DType::UInt8, 0)));
        assert!(invalid(integers(0, 3, &[3], DType::Bool, 0)));
        assert!(invalid(integers(0, (1 << 64) + 1, &[3], DType::UInt64, 0)));
        assert!(unsupported(integers(0, 3, &[3], DType::Float32, 0)));
        assert!(matches!(
            uniform(0.0, 1.0, &[usize::MAX, 2], DType::Float32, 0).err().unwrap().into_kind(),
            ErrorKind::SizeOverflow { .. }
        ));
        assert!(matches!(permutation(usize::MAX, 0).err().unwrap().into_kind(), ErrorKind::SizeOverflow { .. }));
    }
}
