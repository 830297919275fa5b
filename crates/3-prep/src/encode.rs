//! Categorical encoders: [`OneHotEncoder`] and [`OrdinalEncoder`], over the
//! categorical columns of a [`Frame`].
//!
//! Encoders learn category *names* (sorted, as scikit-learn's
//! `categories="auto"` sorts them), so the integer codes of the data they
//! are later applied to may differ from the codes seen in `fit`. A missing
//! value (code `-1`) seen in `fit` becomes its own category, listed last, as
//! scikit-learn treats `NaN`/`None` in object columns: the one-hot column
//! `<feature>_nan`, and `NaN` from the ordinal encoder.

use std::collections::HashMap;

use oxarray_core::{Array, DType, Error, Result};
use serde::{Deserialize, Serialize};

use crate::columns::with_float;
use crate::frame::{CategoricalColumn, Column, Frame};
use crate::transformer::{input_names, not_fitted};

/// What [`OneHotEncoder`] does with a category it did not see in `fit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandleUnknown {
    /// An error naming the column, the value and the row (the default).
    Error,
    /// All-zero indicator columns for that feature.
    Ignore,
}

/// What [`OrdinalEncoder`] does with a category it did not see in `fit`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdinalUnknown {
    /// An error naming the column, the value and the row (the default).
    Error,
    /// scikit-learn's `handle_unknown="use_encoded_value"` with this
    /// `unknown_value` (an integer not used by a category, or NaN).
    UseEncodedValue(#[serde(with = "crate::transformer::json_floats::scalar")] f64),
}

/// The categories learned for one feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Feature {
    name: String,
    /// Sorted category names.
    categories: Vec<String>,
    /// Whether a missing value was seen in `fit` (an extra, last category).
    has_missing: bool,
}

impl Feature {
    fn n_out(&self) -> usize {
        self.categories.len() + usize::from(self.has_missing)
    }
}

/// Learns features from the frame's columns (all must be categorical).
fn fit_features(frame: &Frame, op: &'static str) -> Result<Vec<Feature>> {
    frame
        .names()
        .iter()
        .zip(frame.columns())
        .map(|(name, col)| {
            let Column::Categorical(c) = col else {
                return Err(Error::invalid(
                    op,
                    format!("column {name:?} is numeric; encoders take categorical columns"),
                ));
            };
            let mut present = vec![false; c.categories().len()];
            let mut has_missing = false;
            for &k in c.codes() {
                match usize::try_from(k) {
                    Ok(k) => present[k] = true,
                    Err(_) => has_missing = true,
                }
            }
            let mut categories: Vec<String> =
                c.categories().iter().zip(&present).filter(|&(_, &p)| p).map(|(s, _)| s.clone()).collect();
            categories.sort_unstable();
            Ok(Feature { name: name.clone(), categories, has_missing })
        })
        .collect()
}

/// Sentinel for "not a fitted category" in a code map.
const UNKNOWN: usize = usize::MAX;

/// Per column, a table from the column's codes (shifted by one, so `-1`
/// sits at 0) to the index among the feature's fitted categories (the
/// missing category is `categories.len()`), or [`UNKNOWN`].
fn code_maps<'a>(
    features: &[Feature],
    frame: &'a Frame,
    who: &str,
    op: &'static str,
) -> Result<Vec<(Vec<usize>, &'a CategoricalColumn)>> {
    if frame.n_columns() != features.len() {
        return Err(Error::invalid(
            op,
            format!(
                "X has {} features, but {who} is expecting {} features as input",
                frame.n_columns(),
                features.len()
            ),
        ));
    }
    features
        .iter()
        .zip(frame.names().iter().zip(frame.columns()))
        .map(|(f, (name, col))| {
            if *name != f.name {
                return Err(Error::invalid(
                    op,
                    format!("The feature names should match those that were passed during fit: got {name:?} where {:?} was fitted", f.name),
                ));
            }
            let Column::Categorical(c) = col else {
                return Err(Error::invalid(op, format!("column {name:?} is numeric; encoders take categorical columns")));
            };
            let index: HashMap<&str, usize> = f.categories.iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
            let mut map = Vec::with_capacity(c.categories().len() + 1);
            map.push(if f.has_missing { f.categories.len() } else { UNKNOWN });
            map.extend(c.categories().iter().map(|s| index.get(s.as_str()).copied().unwrap_or(UNKNOWN)));
            Ok((map, c))
        })
        .collect()
}

/// The first unknown value of a column, for the error message.
fn unknown_error(maps: &[(Vec<usize>, &CategoricalColumn)], features: &[Feature], op: &'static str) -> Result<()> {
    for (j, ((map, c), f)) in maps.iter().zip(features).enumerate() {
        if let Some((row, _)) = c.codes().iter().enumerate().find(|&(_, &k)| map[(k + 1) as usize] == UNKNOWN) {
            let value = c.value(row).map_or("nan (missing)".to_string(), |v| format!("{v:?}"));
            return Err(Error::invalid(
                op,
                format!(
                    "Found unknown category {value} in column {:?} (column {j}, first at row {row}) during transform",
                    f.name
                ),
            ));
        }
    }
    Ok(())
}

fn check_dtype(dtype: DType) -> Result<()> {
    if matches!(dtype, DType::Float32 | DType::Float64) {
        Ok(())
    } else {
        Err(Error::invalid("encoder", format!("output dtype must be float32 or float64, got {dtype}")))
    }
}

/// Inverse of an encoding: per feature, codes into the learned categories
/// (`-1` for the missing category or an unknown value).
fn decoded_frame(features: &[Feature], codes: Vec<Vec<i64>>) -> Result<Frame> {
    let mut f = Frame::new();
    for (feat, codes) in features.iter().zip(codes) {
        f.push(feat.name.clone(), Column::Categorical(CategoricalColumn::from_codes(feat.categories.clone(), codes)?))?;
    }
    Ok(f)
}

// ---------------------------------------------------------------------------
// OneHotEncoder

/// Encodes categorical columns as one-hot (indicator) columns, like
/// `sklearn.preprocessing.OneHotEncoder(sparse_output=False)`.
///
/// - `categories_` are the sorted names seen in `fit`, plus a last missing
///   category when a value was missing (feature name `<feature>_nan`).
/// - Output columns are named `<feature>_<category>`
///   ([`get_feature_names_out`](OneHotEncoder::get_feature_names_out)), e.g.
///   `island_Biscoe`.
/// - `handle_unknown`: [`HandleUnknown::Error`] (default; the message names
///   the column, the value and the row) or `Ignore` (all zeros).
/// - The output dtype is `float64` by default, as in scikit-learn.
///
/// ```
/// use oxarray_prep::{CategoricalColumn, Frame, OneHotEncoder};
/// let island = CategoricalColumn::from_values(&[Some("Torgersen"), Some("Biscoe"), Some("Dream"), Some("Biscoe")]);
/// let frame = Frame::new().with_categorical("island", island)?;
/// let mut enc = OneHotEncoder::new();
/// let y = enc.fit_transform(&frame)?;
/// assert_eq!(enc.get_feature_names_out()?, ["island_Biscoe", "island_Dream", "island_Torgersen"]);
/// assert_eq!(y.to_vec::<f64>()?[..6], [0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneHotEncoder {
    handle_unknown: HandleUnknown,
    #[serde(with = "crate::transformer::dtype_name")]
    dtype: DType,
    features: Option<Vec<Feature>>,
}

impl Default for OneHotEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl OneHotEncoder {
    /// An encoder with scikit-learn's defaults (`handle_unknown="error"`,
    /// `float64` output).
    pub fn new() -> Self {
        OneHotEncoder { handle_unknown: HandleUnknown::Error, dtype: DType::Float64, features: None }
    }

    /// What to do with categories not seen in `fit`.
    pub fn handle_unknown(mut self, h: HandleUnknown) -> Self {
        self.handle_unknown = h;
        self
    }

    /// The output dtype (`float32` or `float64`).
    pub fn dtype(mut self, dtype: DType) -> Result<Self> {
        check_dtype(dtype)?;
        self.dtype = dtype;
        Ok(self)
    }

    /// `categories_`: per feature, the sorted category names, with `None`
    /// last for the missing category when one was seen.
    pub fn categories(&self) -> Option<Vec<Vec<Option<String>>>> {
        self.features.as_ref().map(|fs| fs.iter().map(categories_with_missing).collect())
    }

    /// `feature_names_in_`.
    pub fn feature_names_in(&self) -> Option<Vec<String>> {
        self.features.as_ref().map(|fs| fs.iter().map(|f| f.name.clone()).collect())
    }

    /// Learns the categories of every column of `frame` (all categorical).
    pub fn fit(&mut self, frame: &Frame) -> Result<()> {
        self.features = Some(fit_features(frame, "OneHotEncoder.fit")?);
        Ok(())
    }

    /// Whether `fit` has run.
    pub fn is_fitted(&self) -> bool {
        self.features.is_some()
    }

    /// The number of output columns.
    pub fn n_features_out(&self) -> Option<usize> {
        self.features.as_ref().map(|fs| fs.iter().map(Feature::n_out).sum())
    }

    /// The one-hot matrix (rows × Σ categories).
    pub fn transform(&self, frame: &Frame) -> Result<Array> {
        const OP: &str = "OneHotEncoder.transform";
        let features = self.features.as_ref().ok_or_else(|| not_fitted(OP, "OneHotEncoder"))?;
        let maps = code_maps(features, frame, "OneHotEncoder", OP)?;
        if self.handle_unknown == HandleUnknown::Error {
            unknown_error(&maps, features, OP)?;
        }
        let n = frame.n_rows();
        let width: usize = features.iter().map(Feature::n_out).sum();
        let offsets: Vec<usize> = features.iter().scan(0, |o, f| Some(std::mem::replace(o, *o + f.n_out()))).collect();
        let mut out = Array::zeros(&[n, width], self.dtype)?;
        with_float!(self.dtype, T => {
            let one = <T as crate::columns::Float>::from_f64(1.0);
            let dst = out.as_slice_mut::<T>()?;
            for ((map, c), &off) in maps.iter().zip(&offsets) {
                for (row, &k) in dst.chunks_exact_mut(width.max(1)).zip(c.codes()) {
                    let idx = map[(k + 1) as usize];
                    if idx != UNKNOWN {
                        row[off + idx] = one;
                    }
                }
            }
            Ok::<(), Error>(())
        })?;
        Ok(out)
    }

    /// [`fit`](OneHotEncoder::fit) then [`transform`](OneHotEncoder::transform).
    pub fn fit_transform(&mut self, frame: &Frame) -> Result<Array> {
        self.fit(frame)?;
        self.transform(frame)
    }

    /// Back from one-hot rows to categorical columns (codes index the
    /// learned categories; `-1` for the missing category or an all-zero,
    /// ignored-unknown group).
    pub fn inverse_transform(&self, x: &Array) -> Result<Frame> {
        const OP: &str = "OneHotEncoder.inverse_transform";
        let features = self.features.as_ref().ok_or_else(|| not_fitted(OP, "OneHotEncoder"))?;
        let x = crate::columns::float_input(x.clone(), OP)?;
        let width: usize = features.iter().map(Feature::n_out).sum();
        crate::columns::check_n_features(&x, width, "OneHotEncoder (inverse_transform)", OP)?;
        let mut codes = vec![Vec::with_capacity(x.shape()[0]); features.len()];
        with_float!(x.dtype(), T => {
            for row in crate::columns::slice::<T>(&x)?.chunks_exact(width.max(1)) {
                let mut off = 0;
                for (f, out) in features.iter().zip(codes.iter_mut()) {
                    let group = &row[off..off + f.n_out()];
                    let hot = group.iter().position(|v| crate::columns::Float::to_f64(*v) != 0.0);
                    out.push(match hot {
                        Some(i) if i < f.categories.len() => i as i64,
                        _ => -1,
                    });
                    off += f.n_out();
                }
            }
            Ok::<(), Error>(())
        })?;
        decoded_frame(features, codes)
    }

    /// Output column names, `<feature>_<category>` (`<feature>_nan` for the
    /// missing category).
    pub fn get_feature_names_out(&self) -> Result<Vec<String>> {
        let features = self.features.as_ref().ok_or_else(|| not_fitted("get_feature_names_out", "OneHotEncoder"))?;
        Ok(features
            .iter()
            .flat_map(|f| {
                f.categories
                    .iter()
                    .map(move |c| format!("{}_{c}", f.name))
                    .chain(f.has_missing.then(|| format!("{}_nan", f.name)))
            })
            .collect())
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_dtype(self.dtype)?;
        validate_features(self.features.as_deref(), "OneHotEncoder")
    }
}

fn categories_with_missing(f: &Feature) -> Vec<Option<String>> {
    f.categories.iter().cloned().map(Some).chain(f.has_missing.then_some(None)).collect()
}

fn validate_features(features: Option<&[Feature]>, who: &str) -> Result<()> {
    for f in features.unwrap_or(&[]) {
        if f.categories.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid(
                "load",
                format!("{who}: categories of {:?} must be sorted and distinct", f.name),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// OrdinalEncoder

/// Encodes categorical columns as one column of category indices each, like
/// `sklearn.preprocessing.OrdinalEncoder`: the index into the sorted
/// `categories_`, `NaN` for a missing value (`encoded_missing_value`'s
/// default), and for an unknown category an error (default) or
/// `unknown_value` ([`OrdinalUnknown::UseEncodedValue`]). Output is
/// `float64` by default.
///
/// ```
/// use oxarray_prep::{CategoricalColumn, Frame, OrdinalEncoder};
/// let sex = CategoricalColumn::from_values(&[Some("male"), None, Some("female")]);
/// let frame = Frame::new().with_categorical("sex", sex)?;
/// let y = OrdinalEncoder::new().fit_transform(&frame)?.to_vec::<f64>()?;
/// assert_eq!((y[0], y[1].is_nan(), y[2]), (1.0, true, 0.0));
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdinalEncoder {
    handle_unknown: OrdinalUnknown,
    #[serde(with = "crate::transformer::json_floats::scalar")]
    encoded_missing_value: f64,
    #[serde(with = "crate::transformer::dtype_name")]
    dtype: DType,
    features: Option<Vec<Feature>>,
}

impl Default for OrdinalEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl OrdinalEncoder {
    /// An encoder with scikit-learn's defaults (`handle_unknown="error"`,
    /// missing values encoded as NaN, `float64` output).
    pub fn new() -> Self {
        OrdinalEncoder {
            handle_unknown: OrdinalUnknown::Error,
            encoded_missing_value: f64::NAN,
            dtype: DType::Float64,
            features: None,
        }
    }

    /// What to do with categories not seen in `fit`.
    pub fn handle_unknown(mut self, h: OrdinalUnknown) -> Self {
        self.handle_unknown = h;
        self
    }

    /// The value a missing category is encoded as (default NaN).
    pub fn encoded_missing_value(mut self, v: f64) -> Self {
        self.encoded_missing_value = v;
        self
    }

    /// The output dtype (`float32` or `float64`).
    pub fn dtype(mut self, dtype: DType) -> Result<Self> {
        check_dtype(dtype)?;
        self.dtype = dtype;
        Ok(self)
    }

    /// `categories_`: per feature, the sorted category names, with `None`
    /// last when a missing value was seen.
    pub fn categories(&self) -> Option<Vec<Vec<Option<String>>>> {
        self.features.as_ref().map(|fs| fs.iter().map(categories_with_missing).collect())
    }

    /// Learns the categories of every column of `frame` (all categorical).
    pub fn fit(&mut self, frame: &Frame) -> Result<()> {
        let features = fit_features(frame, "OrdinalEncoder.fit")?;
        if let OrdinalUnknown::UseEncodedValue(u) = self.handle_unknown
            && let Some(f) = features.iter().find(|f| !u.is_nan() && u >= 0.0 && u < f.categories.len() as f64)
        {
            return Err(Error::invalid(
                "OrdinalEncoder.fit",
                format!(
                    "The used value for unknown_value {u} is one of the values already used for encoding the seen categories (column {:?}).",
                    f.name
                ),
            ));
        }
        self.features = Some(features);
        Ok(())
    }

    /// Whether `fit` has run.
    pub fn is_fitted(&self) -> bool {
        self.features.is_some()
    }

    /// The encoded matrix (rows × features).
    pub fn transform(&self, frame: &Frame) -> Result<Array> {
        const OP: &str = "OrdinalEncoder.transform";
        let features = self.features.as_ref().ok_or_else(|| not_fitted(OP, "OrdinalEncoder"))?;
        let maps = code_maps(features, frame, "OrdinalEncoder", OP)?;
        let unknown = match self.handle_unknown {
            OrdinalUnknown::Error => {
                unknown_error(&maps, features, OP)?;
                f64::NAN
            }
            OrdinalUnknown::UseEncodedValue(u) => u,
        };
        let n = frame.n_rows();
        let k = features.len();
        let mut out = Array::zeros(&[n, k], self.dtype)?;
        let missing = self.encoded_missing_value;
        with_float!(self.dtype, T => {
            let dst = out.as_slice_mut::<T>()?;
            for (j, ((map, c), f)) in maps.iter().zip(features).enumerate() {
                let ncat = f.categories.len();
                let value = |code: i64| -> f64 {
                    match map[(code + 1) as usize] {
                        UNKNOWN => unknown,
                        i if i == ncat => missing,
                        i => i as f64,
                    }
                };
                for (row, &code) in dst.chunks_exact_mut(k.max(1)).zip(c.codes()) {
                    row[j] = <T as crate::columns::Float>::from_f64(value(code));
                }
            }
            Ok::<(), Error>(())
        })?;
        Ok(out)
    }

    /// [`fit`](OrdinalEncoder::fit) then [`transform`](OrdinalEncoder::transform).
    pub fn fit_transform(&mut self, frame: &Frame) -> Result<Array> {
        self.fit(frame)?;
        self.transform(frame)
    }

    /// Back from indices to categorical columns (`-1` for missing and
    /// unknown values).
    pub fn inverse_transform(&self, x: &Array) -> Result<Frame> {
        const OP: &str = "OrdinalEncoder.inverse_transform";
        let features = self.features.as_ref().ok_or_else(|| not_fitted(OP, "OrdinalEncoder"))?;
        let x = crate::columns::float_input(x.clone(), OP)?;
        let k = features.len();
        crate::columns::check_n_features(&x, k, "OrdinalEncoder (inverse_transform)", OP)?;
        let mut codes = vec![Vec::with_capacity(x.shape()[0]); k];
        let xs = x.astype(DType::Float64)?.to_vec::<f64>()?;
        for row in xs.chunks_exact(k.max(1)) {
            for ((v, f), out) in row.iter().zip(features).zip(codes.iter_mut()) {
                let valid = v.fract() == 0.0 && *v >= 0.0 && *v < f.categories.len() as f64;
                out.push(if valid { *v as i64 } else { -1 });
            }
        }
        decoded_frame(features, codes)
    }

    /// Output column names: the input names.
    pub fn get_feature_names_out(&self) -> Result<Vec<String>> {
        let features = self.features.as_ref().ok_or_else(|| not_fitted("get_feature_names_out", "OrdinalEncoder"))?;
        let names: Vec<String> = features.iter().map(|f| f.name.clone()).collect();
        input_names(Some(&names), names.len(), "OrdinalEncoder")
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_dtype(self.dtype)?;
        validate_features(self.features.as_deref(), "OrdinalEncoder")
    }
}
