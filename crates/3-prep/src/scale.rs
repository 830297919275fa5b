//! Scalers: [`StandardScaler`], [`MinMaxScaler`], [`MaxAbsScaler`],
//! [`RobustScaler`] and [`Normalizer`], with scikit-learn's defaults,
//! attributes and results.
//!
//! All scalers but [`Normalizer`] ignore NaN when fitting and keep it when
//! transforming, as scikit-learn's do. Fitted attributes are kept in `f64`
//! and returned as `float64` arrays; a transform casts them to the input's
//! dtype first where scikit-learn does, so `float32` data gives
//! scikit-learn's `float32` results.

use std::sync::atomic::{AtomicBool, Ordering};

use oxarray_core::{Array, Error, Result};
use oxarray_kernels::simd;
use serde::{Deserialize, Serialize};

use crate::columns::{
    Float, Kernel, apply_same_shape, check_n_features, float_input, handle_zeros_in_scale, median_sorted, nan_min_max,
    nan_moments, non_nan_columns, params, percentile_sorted, slice, sort_floats, with_float,
};
use crate::transformer::{Transformer, check_len, input_names, json_floats, not_fitted, vec_array};

// ---------------------------------------------------------------------------
// StandardScaler

/// Standardizes features by removing the mean and scaling to unit variance:
/// `z = (x - mean_) / scale_`, like `sklearn.preprocessing.StandardScaler`.
///
/// - Defaults: `with_mean = true`, `with_std = true`.
/// - Means and variances are accumulated in `f64` whatever the input dtype
///   (with scikit-learn's corrected two-pass algorithm), and NaN is ignored.
/// - A column whose variance is indistinguishable from zero (scikit-learn's
///   `_is_constant_feature` bound) gets `scale_ = 1`, so it is centred but
///   not blown up.
/// - [`partial_fit`](StandardScaler::partial_fit) updates the statistics
///   with scikit-learn's incremental formula (Chan, Golub & LeVeque), so
///   fitting in chunks equals fitting at once up to rounding. One deliberate
///   difference: a chunk in which a column has no value (all NaN) leaves that
///   column's statistics as they were, where scikit-learn's update makes its
///   variance NaN.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{StandardScaler, Transformer};
/// let x = Array::from_slice(&[0.0f32, 1.0, 2.0, 3.0], &[2, 2])?;
/// let mut s = StandardScaler::new();
/// let z = s.fit_transform(&x)?;
/// assert_eq!(z.to_vec::<f32>()?, vec![-1.0, -1.0, 1.0, 1.0]);
/// assert_eq!(s.mean().unwrap().to_vec::<f64>()?, vec![1.0, 2.0]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardScaler {
    with_mean: bool,
    with_std: bool,
    state: Option<StandardState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardState {
    n_samples_seen: Vec<u64>,
    #[serde(with = "json_floats::option")]
    mean: Option<Vec<f64>>,
    #[serde(with = "json_floats::option")]
    var: Option<Vec<f64>>,
    #[serde(with = "json_floats::option")]
    scale: Option<Vec<f64>>,
}

impl Default for StandardScaler {
    fn default() -> Self {
        Self::new()
    }
}

impl StandardScaler {
    /// A scaler with scikit-learn's defaults (`with_mean=True, with_std=True`).
    pub fn new() -> Self {
        StandardScaler { with_mean: true, with_std: true, state: None }
    }

    /// Whether to subtract the mean.
    pub fn with_mean(mut self, yes: bool) -> Self {
        self.with_mean = yes;
        self
    }

    /// Whether to divide by the standard deviation.
    pub fn with_std(mut self, yes: bool) -> Self {
        self.with_std = yes;
        self
    }

    /// `mean_`: per-column means (`None` before fitting, or when both
    /// `with_mean` and `with_std` are off, as in scikit-learn).
    pub fn mean(&self) -> Option<Array> {
        self.state.as_ref()?.mean.as_deref().map(vec_array)
    }

    /// `var_`: per-column (population) variances, when `with_std`.
    pub fn var(&self) -> Option<Array> {
        self.state.as_ref()?.var.as_deref().map(vec_array)
    }

    /// `scale_`: per-column divisors (`sqrt(var_)`, 1 for constant columns),
    /// when `with_std`.
    pub fn scale(&self) -> Option<Array> {
        self.state.as_ref()?.scale.as_deref().map(vec_array)
    }

    /// `n_samples_seen_`: non-NaN values seen per column.
    pub fn n_samples_seen(&self) -> Option<&[u64]> {
        self.state.as_ref().map(|s| &s.n_samples_seen[..])
    }

    /// Forgets the fitted state.
    pub fn reset(&mut self) {
        self.state = None;
    }

    /// Updates the statistics with one more chunk of rows (on the first call,
    /// the same as [`fit`](Transformer::fit)).
    pub fn partial_fit(&mut self, x: &Array) -> Result<()> {
        const OP: &str = "StandardScaler.partial_fit";
        let x = float_input(x.clone(), OP)?;
        let ncols = x.shape()[1];
        if let Some(s) = &self.state {
            check_n_features(&x, s.n_samples_seen.len(), "StandardScaler", OP)?;
        }
        let state = with_float!(x.dtype(), T => self.update::<T>(slice::<T>(&x)?, ncols))?;
        self.state = Some(state);
        Ok(())
    }

    fn update<T: Float>(&self, data: &[T], ncols: usize) -> Result<StandardState> {
        let (new_sum, new_count, new_m2) = nan_moments(data, ncols);
        let last = self.state.as_ref();
        let last_count: Vec<u64> = last.map_or_else(|| vec![0; ncols], |s| s.n_samples_seen.clone());
        let count: Vec<u64> = last_count.iter().zip(&new_count).map(|(a, b)| a + b).collect();
        if !self.with_mean && !self.with_std {
            return Ok(StandardState { n_samples_seen: count, mean: None, var: None, scale: None });
        }
        let zeros = vec![0.0; ncols];
        let last_mean = last.and_then(|s| s.mean.as_deref()).unwrap_or(&zeros);
        let last_var = last.and_then(|s| s.var.as_deref()).unwrap_or(&zeros);
        let mut mean = vec![0.0; ncols];
        let mut var = vec![0.0; ncols];
        for j in 0..ncols {
            let (lc, nc, uc) = (last_count[j] as f64, new_count[j] as f64, count[j] as f64);
            if new_count[j] == 0 && last_count[j] > 0 {
                // Nothing new in this column: keep what was learned.
                mean[j] = last_mean[j];
                var[j] = last_var[j];
                continue;
            }
            let last_sum = last_mean[j] * lc;
            mean[j] = (last_sum + new_sum[j]) / uc;
            let new_unnormalized = if new_count[j] == 0 { f64::NAN } else { new_m2[j] };
            var[j] = if last_count[j] == 0 {
                new_unnormalized / uc
            } else {
                let last_over_new = lc / nc;
                let d = last_sum / last_over_new - new_sum[j];
                (last_var[j] * lc + new_unnormalized + last_over_new / uc * d * d) / uc
            };
        }
        let scale = self.with_std.then(|| {
            var.iter()
                .zip(&mean)
                .zip(&count)
                .map(|((&v, &m), &n)| {
                    // scikit-learn's `_is_constant_feature`, with f64's epsilon.
                    let n = n as f64;
                    let eps = f64::EPSILON;
                    let bound = n * eps * v + (n * m * eps) * (n * m * eps);
                    if v <= bound { 1.0 } else { v.sqrt() }
                })
                .collect()
        });
        Ok(StandardState { n_samples_seen: count, mean: Some(mean), var: self.with_std.then_some(var), scale })
    }

    /// The transform of blocks of rows (after checking `x`'s width).
    pub(crate) fn kernel<T: Float>(&self, x: &Array, op: &'static str) -> Result<Kernel<T>> {
        let s = self.fitted(op)?;
        let ncols = s.n_samples_seen.len();
        check_n_features(x, ncols, "StandardScaler", op)?;
        let m: Vec<T> = s.mean.as_deref().filter(|_| self.with_mean).map_or_else(Vec::new, params);
        let sc: Vec<T> = s.scale.as_deref().map_or_else(Vec::new, params);
        Ok(Box::new(move |block: &mut [T]| {
            simd::dispatch(
                #[inline(always)]
                || {
                    for row in block.chunks_exact_mut(ncols) {
                        if !m.is_empty() {
                            row.iter_mut().zip(&m).for_each(|(v, &m)| *v -= m);
                        }
                        if !sc.is_empty() {
                            row.iter_mut().zip(&sc).for_each(|(v, &s)| *v /= s);
                        }
                    }
                },
            )
        }))
    }

    fn fitted(&self, op: &'static str) -> Result<&StandardState> {
        self.state.as_ref().ok_or_else(|| not_fitted(op, "StandardScaler"))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let Some(s) = &self.state else { return Ok(()) };
        let n = s.n_samples_seen.len();
        let who = "StandardScaler";
        let expect_mean = self.with_mean || self.with_std;
        if s.mean.is_some() != expect_mean || s.var.is_some() != self.with_std || s.scale.is_some() != self.with_std {
            return Err(Error::invalid("load", format!("{who}: fitted attributes do not match with_mean/with_std")));
        }
        for (what, v) in [("mean", &s.mean), ("var", &s.var), ("scale", &s.scale)] {
            if let Some(v) = v {
                check_len(what, v.len(), n, who)?;
            }
        }
        Ok(())
    }
}

impl Transformer for StandardScaler {
    fn name(&self) -> &'static str {
        "StandardScaler"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        self.state = None;
        self.partial_fit(x)
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        const OP: &str = "StandardScaler.transform";
        let x = float_input(x, OP)?;
        with_float!(x.dtype(), T => { let k = self.kernel::<T>(&x, OP)?; apply_same_shape::<T>(x, k) })
    }

    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        const OP: &str = "StandardScaler.inverse_transform";
        let s = self.fitted(OP)?;
        let x = float_input(x.clone(), OP)?;
        let ncols = s.n_samples_seen.len();
        check_n_features(&x, ncols, "StandardScaler", OP)?;
        let mean = s.mean.as_deref().filter(|_| self.with_mean);
        let scale = s.scale.as_deref();
        with_float!(x.dtype(), T => {
            let m: Vec<T> = mean.map_or_else(Vec::new, params);
            let sc: Vec<T> = scale.map_or_else(Vec::new, params);
            apply_same_shape::<T>(x, |block| {
                for row in block.chunks_exact_mut(ncols) {
                    if !sc.is_empty() {
                        row.iter_mut().zip(&sc).for_each(|(v, &s)| *v *= s);
                    }
                    if !m.is_empty() {
                        row.iter_mut().zip(&m).for_each(|(v, &m)| *v += m);
                    }
                }
            })
        })
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.state.as_ref().map(|s| s.n_samples_seen.len())
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", self.name()))?;
        input_names(input_features, n, self.name())
    }
}

// ---------------------------------------------------------------------------
// MinMaxScaler

/// Scales each feature to `feature_range` (default `(0, 1)`):
/// `x * scale_ + min_`, like `sklearn.preprocessing.MinMaxScaler`.
///
/// `scale_ = (hi - lo) / data_range_` (a zero range counts as 1) and
/// `min_ = lo - data_min_ * scale_` are computed in the input's dtype, as
/// scikit-learn does; `clip` clips transformed values to the range. NaN is
/// ignored when fitting and kept when transforming;
/// [`partial_fit`](MinMaxScaler::partial_fit) widens the running extremes
/// (a chunk in which a column is all NaN leaves it unchanged, so chunked
/// fitting equals one-shot fitting; scikit-learn's update would make it NaN).
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{MinMaxScaler, Transformer};
/// let x = Array::from_slice(&[1.0f64, -1.0, 3.0, 1.0], &[2, 2])?;
/// let y = MinMaxScaler::new().feature_range(-1.0, 1.0)?.fit_transform(&x)?;
/// assert_eq!(y.to_vec::<f64>()?, vec![-1.0, -1.0, 1.0, 1.0]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinMaxScaler {
    feature_range: (f64, f64),
    clip: bool,
    state: Option<MinMaxState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MinMaxState {
    n_samples_seen: u64,
    #[serde(with = "json_floats")]
    data_min: Vec<f64>,
    #[serde(with = "json_floats")]
    data_max: Vec<f64>,
    #[serde(with = "json_floats")]
    data_range: Vec<f64>,
    #[serde(with = "json_floats")]
    scale: Vec<f64>,
    #[serde(with = "json_floats")]
    min: Vec<f64>,
}

impl Default for MinMaxScaler {
    fn default() -> Self {
        Self::new()
    }
}

impl MinMaxScaler {
    /// A scaler to `[0, 1]` without clipping (scikit-learn's defaults).
    pub fn new() -> Self {
        MinMaxScaler { feature_range: (0.0, 1.0), clip: false, state: None }
    }

    /// The target range; `lo` must be smaller than `hi`.
    pub fn feature_range(mut self, lo: f64, hi: f64) -> Result<Self> {
        check_range(lo, hi)?;
        self.feature_range = (lo, hi);
        Ok(self)
    }

    /// Whether to clip transformed values to the target range.
    pub fn clip(mut self, yes: bool) -> Self {
        self.clip = yes;
        self
    }

    /// `data_min_`: per-column minimum seen (NaN for a column without values).
    pub fn data_min(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.data_min))
    }

    /// `data_max_`: per-column maximum seen.
    pub fn data_max(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.data_max))
    }

    /// `data_range_`: `data_max_ - data_min_`.
    pub fn data_range(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.data_range))
    }

    /// `scale_`: per-column factor.
    pub fn scale(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.scale))
    }

    /// `min_`: per-column offset added after scaling.
    pub fn min(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.min))
    }

    /// `n_samples_seen_`: rows seen (NaN or not).
    pub fn n_samples_seen(&self) -> Option<u64> {
        self.state.as_ref().map(|s| s.n_samples_seen)
    }

    /// Updates the running minimum and maximum with one more chunk of rows.
    pub fn partial_fit(&mut self, x: &Array) -> Result<()> {
        const OP: &str = "MinMaxScaler.partial_fit";
        check_range(self.feature_range.0, self.feature_range.1)?;
        let x = float_input(x.clone(), OP)?;
        let (nrows, ncols) = (x.shape()[0], x.shape()[1]);
        if let Some(s) = &self.state {
            check_n_features(&x, s.scale.len(), "MinMaxScaler", OP)?;
        }
        let state = with_float!(x.dtype(), T => {
            let (lo, hi) = nan_min_max(slice::<T>(&x)?, ncols);
            Ok::<_, Error>(self.combine::<T>(lo, hi, nrows as u64))
        })?;
        self.state = Some(state);
        Ok(())
    }

    fn combine<T: Float>(&self, mut lo: Vec<T>, mut hi: Vec<T>, n: u64) -> MinMaxState {
        let mut seen = n;
        if let Some(s) = &self.state {
            // NaN means "no value yet" on either side, so a chunk in which a
            // column is all NaN changes nothing (chunked fitting equals
            // one-shot fitting; scikit-learn's np.minimum would make it NaN).
            for j in 0..lo.len() {
                let (pl, ph) = (T::from_f64(s.data_min[j]), T::from_f64(s.data_max[j]));
                lo[j] = if lo[j].is_nan() || pl < lo[j] { pl } else { lo[j] };
                hi[j] = if hi[j].is_nan() || ph > hi[j] { ph } else { hi[j] };
            }
            seen += s.n_samples_seen;
        }
        let (flo, fhi) = (T::from_f64(self.feature_range.0), T::from_f64(self.feature_range.1));
        let range: Vec<T> = lo.iter().zip(&hi).map(|(&a, &b)| b - a).collect();
        let mut safe: Vec<f64> = range.iter().map(|r| r.to_f64()).collect();
        handle_zeros_in_scale(&mut safe, T::EPS);
        let scale: Vec<T> = safe.iter().map(|&r| (fhi - flo) / T::from_f64(r)).collect();
        let min: Vec<T> = lo.iter().zip(&scale).map(|(&l, &s)| flo - l * s).collect();
        let f = |v: &[T]| v.iter().map(|x| x.to_f64()).collect::<Vec<f64>>();
        MinMaxState {
            n_samples_seen: seen,
            data_min: f(&lo),
            data_max: f(&hi),
            data_range: f(&range),
            scale: f(&scale),
            min: f(&min),
        }
    }

    /// The transform of blocks of rows (after checking `x`'s width).
    pub(crate) fn kernel<T: Float>(&self, x: &Array, op: &'static str) -> Result<Kernel<T>> {
        let s = self.fitted(op)?;
        let ncols = s.scale.len();
        check_n_features(x, ncols, "MinMaxScaler", op)?;
        let (sc, mn): (Vec<T>, Vec<T>) = (params(&s.scale), params(&s.min));
        let clip = self.clip.then(|| (T::from_f64(self.feature_range.0), T::from_f64(self.feature_range.1)));
        Ok(Box::new(move |block: &mut [T]| {
            for row in block.chunks_exact_mut(ncols) {
                row.iter_mut().zip(&sc).for_each(|(v, &s)| *v *= s);
                row.iter_mut().zip(&mn).for_each(|(v, &m)| *v += m);
                if let Some((a, b)) = clip {
                    row.iter_mut().for_each(|v| {
                        *v = if *v < a {
                            a
                        } else if *v > b {
                            b
                        } else {
                            *v
                        }
                    });
                }
            }
        }))
    }

    fn fitted(&self, op: &'static str) -> Result<&MinMaxState> {
        self.state.as_ref().ok_or_else(|| not_fitted(op, "MinMaxScaler"))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_range(self.feature_range.0, self.feature_range.1)?;
        let Some(s) = &self.state else { return Ok(()) };
        let n = s.scale.len();
        for (what, v) in
            [("data_min", &s.data_min), ("data_max", &s.data_max), ("data_range", &s.data_range), ("min", &s.min)]
        {
            check_len(what, v.len(), n, "MinMaxScaler")?;
        }
        Ok(())
    }
}

fn check_range(lo: f64, hi: f64) -> Result<()> {
    if lo.is_nan() || hi.is_nan() || lo >= hi {
        return Err(Error::invalid(
            "MinMaxScaler",
            format!("Minimum of desired feature range must be smaller than maximum. Got ({lo}, {hi})."),
        ));
    }
    Ok(())
}

impl Transformer for MinMaxScaler {
    fn name(&self) -> &'static str {
        "MinMaxScaler"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        self.state = None;
        self.partial_fit(x)
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        const OP: &str = "MinMaxScaler.transform";
        let x = float_input(x, OP)?;
        with_float!(x.dtype(), T => { let k = self.kernel::<T>(&x, OP)?; apply_same_shape::<T>(x, k) })
    }

    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        const OP: &str = "MinMaxScaler.inverse_transform";
        let s = self.fitted(OP)?;
        let x = float_input(x.clone(), OP)?;
        let ncols = s.scale.len();
        check_n_features(&x, ncols, "MinMaxScaler", OP)?;
        with_float!(x.dtype(), T => {
            let (sc, mn): (Vec<T>, Vec<T>) = (params(&s.scale), params(&s.min));
            apply_same_shape::<T>(x, |block| {
                for row in block.chunks_exact_mut(ncols) {
                    row.iter_mut().zip(&mn).for_each(|(v, &m)| *v -= m);
                    row.iter_mut().zip(&sc).for_each(|(v, &s)| *v /= s);
                }
            })
        })
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.state.as_ref().map(|s| s.scale.len())
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", self.name()))?;
        input_names(input_features, n, self.name())
    }
}

// ---------------------------------------------------------------------------
// MaxAbsScaler

/// Scales each feature by its maximum absolute value, so values land in
/// `[-1, 1]` without shifting (sparsity-preserving), like
/// `sklearn.preprocessing.MaxAbsScaler`. NaN is ignored when fitting; a
/// zero maximum counts as 1; `clip` clips to `[-1, 1]`;
/// [`partial_fit`](MaxAbsScaler::partial_fit) keeps a running maximum.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{MaxAbsScaler, Transformer};
/// let x = Array::from_slice(&[2.0f64, -4.0, -1.0, 2.0], &[2, 2])?;
/// assert_eq!(MaxAbsScaler::new().fit_transform(&x)?.to_vec::<f64>()?, vec![1.0, -1.0, -0.5, 0.5]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaxAbsScaler {
    clip: bool,
    state: Option<MaxAbsState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MaxAbsState {
    n_samples_seen: u64,
    #[serde(with = "json_floats")]
    max_abs: Vec<f64>,
    #[serde(with = "json_floats")]
    scale: Vec<f64>,
}

impl Default for MaxAbsScaler {
    fn default() -> Self {
        Self::new()
    }
}

impl MaxAbsScaler {
    /// A scaler with scikit-learn's defaults (no clipping).
    pub fn new() -> Self {
        MaxAbsScaler { clip: false, state: None }
    }

    /// Whether to clip transformed values to `[-1, 1]`.
    pub fn clip(mut self, yes: bool) -> Self {
        self.clip = yes;
        self
    }

    /// `max_abs_`: per-column maximum absolute value (NaN if no value).
    pub fn max_abs(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.max_abs))
    }

    /// `scale_`: per-column divisor.
    pub fn scale(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.scale))
    }

    /// `n_samples_seen_`: rows seen.
    pub fn n_samples_seen(&self) -> Option<u64> {
        self.state.as_ref().map(|s| s.n_samples_seen)
    }

    /// Updates the running maximum with one more chunk of rows.
    pub fn partial_fit(&mut self, x: &Array) -> Result<()> {
        const OP: &str = "MaxAbsScaler.partial_fit";
        let x = float_input(x.clone(), OP)?;
        let (nrows, ncols) = (x.shape()[0], x.shape()[1]);
        if let Some(s) = &self.state {
            check_n_features(&x, s.scale.len(), "MaxAbsScaler", OP)?;
        }
        let state = with_float!(x.dtype(), T => {
            let (lo, hi) = nan_min_max(slice::<T>(&x)?, ncols);
            let mut max_abs: Vec<f64> = lo.iter().zip(&hi).map(|(l, h)| {
                let (l, h) = (l.abs().to_f64(), h.abs().to_f64());
                if l.is_nan() { l } else { l.max(h) }
            }).collect();
            let mut seen = nrows as u64;
            if let Some(s) = &self.state {
                for (m, &p) in max_abs.iter_mut().zip(&s.max_abs) {
                    // f64::max ignores NaN ("no value yet"), as in MinMaxScaler.
                    *m = m.max(p);
                }
                seen += s.n_samples_seen;
            }
            let mut scale = max_abs.clone();
            handle_zeros_in_scale(&mut scale, T::EPS);
            Ok::<_, Error>(MaxAbsState { n_samples_seen: seen, max_abs, scale })
        })?;
        self.state = Some(state);
        Ok(())
    }

    /// The transform of blocks of rows (after checking `x`'s width).
    pub(crate) fn kernel<T: Float>(&self, x: &Array, op: &'static str) -> Result<Kernel<T>> {
        let s = self.fitted(op)?;
        let ncols = s.scale.len();
        check_n_features(x, ncols, "MaxAbsScaler", op)?;
        let sc: Vec<T> = params(&s.scale);
        let clip = self.clip;
        let (lo, hi) = (T::from_f64(-1.0), T::from_f64(1.0));
        Ok(Box::new(move |block: &mut [T]| {
            for row in block.chunks_exact_mut(ncols) {
                row.iter_mut().zip(&sc).for_each(|(v, &s)| *v /= s);
                if clip {
                    row.iter_mut().for_each(|v| {
                        *v = if *v < lo {
                            lo
                        } else if *v > hi {
                            hi
                        } else {
                            *v
                        }
                    });
                }
            }
        }))
    }

    fn fitted(&self, op: &'static str) -> Result<&MaxAbsState> {
        self.state.as_ref().ok_or_else(|| not_fitted(op, "MaxAbsScaler"))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let Some(s) = &self.state else { return Ok(()) };
        check_len("max_abs", s.max_abs.len(), s.scale.len(), "MaxAbsScaler")
    }
}

impl Transformer for MaxAbsScaler {
    fn name(&self) -> &'static str {
        "MaxAbsScaler"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        self.state = None;
        self.partial_fit(x)
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        const OP: &str = "MaxAbsScaler.transform";
        let x = float_input(x, OP)?;
        with_float!(x.dtype(), T => { let k = self.kernel::<T>(&x, OP)?; apply_same_shape::<T>(x, k) })
    }

    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        const OP: &str = "MaxAbsScaler.inverse_transform";
        let s = self.fitted(OP)?;
        let x = float_input(x.clone(), OP)?;
        let ncols = s.scale.len();
        check_n_features(&x, ncols, "MaxAbsScaler", OP)?;
        with_float!(x.dtype(), T => {
            let sc: Vec<T> = params(&s.scale);
            apply_same_shape::<T>(x, |block| {
                for row in block.chunks_exact_mut(ncols) {
                    row.iter_mut().zip(&sc).for_each(|(v, &s)| *v *= s);
                }
            })
        })
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.state.as_ref().map(|s| s.scale.len())
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", self.name()))?;
        input_names(input_features, n, self.name())
    }
}

// ---------------------------------------------------------------------------
// RobustScaler

/// Scales features with statistics that are robust to outliers: removes
/// the median and divides by the interquartile range (or another
/// `quantile_range`), like `sklearn.preprocessing.RobustScaler`.
///
/// `center_` is numpy's `nanmedian` and `scale_` the difference of numpy's
/// `nanpercentile`s (linear interpolation), NaN ignored; a zero range counts
/// as 1. `unit_variance` is not supported.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{RobustScaler, Transformer};
/// let x = Array::from_slice(&[1.0f64, 2.0, 3.0, 4.0, 100.0], &[5, 1])?;
/// let mut s = RobustScaler::new();
/// let y = s.fit_transform(&x)?;
/// assert_eq!(s.center().unwrap().to_vec::<f64>()?, vec![3.0]);
/// assert_eq!(y.to_vec::<f64>()?, vec![-1.0, -0.5, 0.0, 0.5, 48.5]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RobustScaler {
    with_centering: bool,
    with_scaling: bool,
    quantile_range: (f64, f64),
    state: Option<RobustState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RobustState {
    n_features: usize,
    #[serde(with = "json_floats::option")]
    center: Option<Vec<f64>>,
    #[serde(with = "json_floats::option")]
    scale: Option<Vec<f64>>,
}

impl Default for RobustScaler {
    fn default() -> Self {
        Self::new()
    }
}

impl RobustScaler {
    /// Centering on the median and scaling by the 25–75 % range
    /// (scikit-learn's defaults).
    pub fn new() -> Self {
        RobustScaler { with_centering: true, with_scaling: true, quantile_range: (25.0, 75.0), state: None }
    }

    /// Whether to subtract the median.
    pub fn with_centering(mut self, yes: bool) -> Self {
        self.with_centering = yes;
        self
    }

    /// Whether to divide by the quantile range.
    pub fn with_scaling(mut self, yes: bool) -> Self {
        self.with_scaling = yes;
        self
    }

    /// The percentiles whose difference is the scale, `0 <= lo <= hi <= 100`.
    pub fn quantile_range(mut self, lo: f64, hi: f64) -> Result<Self> {
        check_quantiles(lo, hi)?;
        self.quantile_range = (lo, hi);
        Ok(self)
    }

    /// `center_`: per-column medians, when `with_centering`.
    pub fn center(&self) -> Option<Array> {
        self.state.as_ref()?.center.as_deref().map(vec_array)
    }

    /// `scale_`: per-column quantile ranges (1 for a zero range), when
    /// `with_scaling`.
    pub fn scale(&self) -> Option<Array> {
        self.state.as_ref()?.scale.as_deref().map(vec_array)
    }

    fn fit_typed<T: Float>(&self, data: &[T], ncols: usize) -> RobustState {
        use rayon::prelude::*;
        let mut cols = non_nan_columns(data, ncols);
        cols.par_iter_mut().for_each(|c| sort_floats(c));
        let center = self.with_centering.then(|| cols.iter().map(|c| median_sorted(c)).collect());
        let scale = self.with_scaling.then(|| {
            let (lo, hi) = self.quantile_range;
            let mut s: Vec<f64> = cols.iter().map(|c| percentile_sorted(c, hi) - percentile_sorted(c, lo)).collect();
            handle_zeros_in_scale(&mut s, f64::EPSILON);
            s
        });
        RobustState { n_features: ncols, center, scale }
    }

    fn fitted(&self, op: &'static str) -> Result<&RobustState> {
        self.state.as_ref().ok_or_else(|| not_fitted(op, "RobustScaler"))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_quantiles(self.quantile_range.0, self.quantile_range.1)?;
        let Some(s) = &self.state else { return Ok(()) };
        if s.center.is_some() != self.with_centering || s.scale.is_some() != self.with_scaling {
            return Err(Error::invalid(
                "load",
                "RobustScaler: fitted attributes do not match with_centering/with_scaling",
            ));
        }
        for (what, v) in [("center", &s.center), ("scale", &s.scale)] {
            if let Some(v) = v {
                check_len(what, v.len(), s.n_features, "RobustScaler")?;
            }
        }
        Ok(())
    }

    /// The forward (`inverse = false`) or inverse transform of blocks of
    /// rows (after checking `x`'s width).
    pub(crate) fn kernel<T: Float>(&self, x: &Array, op: &'static str, inverse: bool) -> Result<Kernel<T>> {
        let s = self.fitted(op)?;
        let ncols = s.n_features;
        check_n_features(x, ncols, "RobustScaler", op)?;
        // center_ has the input's dtype in scikit-learn; scale_ is float64,
        // and numpy divides a float32 array by it in float64.
        let c: Vec<T> = s.center.as_deref().map_or_else(Vec::new, params);
        let sc: Vec<f64> = s.scale.clone().unwrap_or_default();
        Ok(Box::new(move |block: &mut [T]| {
            for row in block.chunks_exact_mut(ncols) {
                if inverse {
                    if !sc.is_empty() {
                        row.iter_mut().zip(&sc).for_each(|(v, &s)| *v = T::from_f64(v.to_f64() * s));
                    }
                    if !c.is_empty() {
                        row.iter_mut().zip(&c).for_each(|(v, &c)| *v += c);
                    }
                } else {
                    if !c.is_empty() {
                        row.iter_mut().zip(&c).for_each(|(v, &c)| *v -= c);
                    }
                    if !sc.is_empty() {
                        row.iter_mut().zip(&sc).for_each(|(v, &s)| *v = T::from_f64(v.to_f64() / s));
                    }
                }
            }
        }))
    }

    fn apply(&self, x: Array, op: &'static str, inverse: bool) -> Result<Array> {
        let x = float_input(x, op)?;
        with_float!(x.dtype(), T => { let k = self.kernel::<T>(&x, op, inverse)?; apply_same_shape::<T>(x, k) })
    }
}

fn check_quantiles(lo: f64, hi: f64) -> Result<()> {
    if !(0.0 <= lo && lo <= hi && hi <= 100.0) {
        return Err(Error::invalid("RobustScaler", format!("Invalid quantile range: ({lo}, {hi})")));
    }
    Ok(())
}

impl Transformer for RobustScaler {
    fn name(&self) -> &'static str {
        "RobustScaler"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        const OP: &str = "RobustScaler.fit";
        check_quantiles(self.quantile_range.0, self.quantile_range.1)?;
        let x = float_input(x.clone(), OP)?;
        let ncols = x.shape()[1];
        let state = with_float!(x.dtype(), T => Ok::<_, Error>(self.fit_typed::<T>(slice::<T>(&x)?, ncols)))?;
        self.state = Some(state);
        Ok(())
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        self.apply(x, "RobustScaler.transform", false)
    }

    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        self.apply(x.clone(), "RobustScaler.inverse_transform", true)
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.state.as_ref().map(|s| s.n_features)
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", self.name()))?;
        input_names(input_features, n, self.name())
    }
}

// ---------------------------------------------------------------------------
// Normalizer

/// Which norm [`Normalizer`] divides each row by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    /// Sum of absolute values.
    L1,
    /// Euclidean length (the default).
    L2,
    /// Largest absolute value.
    Max,
}

/// Scales each row (sample) to unit norm, like
/// `sklearn.preprocessing.Normalizer`. Stateless: `fit` only records the
/// number of columns, and `transform` works without it. Rows of zeros stay zeros; NaN or infinite input is an
/// error (scikit-learn refuses it too).
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{Norm, Normalizer, Transformer};
/// let x = Array::from_slice(&[3.0f64, 4.0, 0.0, 0.0], &[2, 2])?;
/// let y = Normalizer::new(Norm::L2).fit_transform(&x)?;
/// assert_eq!(y.to_vec::<f64>()?, vec![0.6, 0.8, 0.0, 0.0]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normalizer {
    norm: Norm,
    n_features: Option<usize>,
}

impl Default for Normalizer {
    fn default() -> Self {
        Self::new(Norm::L2)
    }
}

impl Normalizer {
    /// A normalizer for the given norm (scikit-learn's default is
    /// [`Norm::L2`]).
    pub fn new(norm: Norm) -> Self {
        Normalizer { norm, n_features: None }
    }

    /// The norm.
    pub fn norm(&self) -> Norm {
        self.norm
    }
}

impl Transformer for Normalizer {
    fn name(&self) -> &'static str {
        "Normalizer"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        let x = float_input(x.clone(), "Normalizer.fit")?;
        self.n_features = Some(x.shape()[1]);
        Ok(())
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        const OP: &str = "Normalizer.transform";
        let x = float_input(x, OP)?;
        // Stateless: like scikit-learn's, it transforms without a fit.
        if let Some(n) = self.n_features {
            check_n_features(&x, n, "Normalizer", OP)?;
        }
        let n = x.shape()[1];
        let norm = self.norm;
        let bad = AtomicBool::new(false);
        let out = with_float!(x.dtype(), T => apply_same_shape::<T>(x, |block| {
            for row in block.chunks_exact_mut(n) {
                let r = match norm {
                    Norm::L1 => row.iter().map(|v| v.abs().to_f64()).sum::<f64>(),
                    Norm::L2 => row.iter().map(|v| v.to_f64() * v.to_f64()).sum::<f64>().sqrt(),
                    Norm::Max => row.iter().map(|v| v.abs().to_f64()).fold(0.0, f64::max),
                };
                if !r.is_finite() || row.iter().any(|v| v.is_nan()) {
                    bad.store(true, Ordering::Relaxed);
                    continue;
                }
                let r = T::from_f64(r);
                let r = if r.to_f64() < 10.0 * T::EPS { T::from_f64(1.0) } else { r };
                row.iter_mut().for_each(|v| *v /= r);
            }
        }))?;
        if bad.load(Ordering::Relaxed) {
            return Err(Error::invalid(OP, "Input X contains NaN or infinity."));
        }
        Ok(out)
    }

    fn is_fitted(&self) -> bool {
        self.n_features.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.n_features
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", self.name()))?;
        input_names(input_features, n, self.name())
    }
}
