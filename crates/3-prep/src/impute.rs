//! Missing values: [`SimpleImputer`] for numeric columns (NaN is missing)
//! and [`CategoricalImputer`] for categorical codes (`-1` is missing).

use std::collections::HashMap;

use oxarray_core::{Array, Element, Error, Result};
use serde::{Deserialize, Serialize};

use crate::columns::{
    Float, Kernel, apply_same_shape, check_n_features, float_input, map_rows, median_sorted, nan_sum_count,
    non_nan_columns, slice, sort_floats, with_float,
};
use crate::frame::CategoricalColumn;
use crate::transformer::{Transformer, check_len, input_names, json_floats, not_fitted, vec_array};

/// How [`SimpleImputer`] fills a column's missing values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The column's mean (the default).
    Mean,
    /// The column's median.
    Median,
    /// The column's most frequent value (the smallest among ties).
    MostFrequent,
    /// A fixed value.
    Constant(#[serde(with = "json_floats::scalar")] f64),
}

/// Replaces missing values (NaN) column by column with a statistic, like
/// `sklearn.impute.SimpleImputer`.
///
/// - `strategy`: [`Strategy::Mean`] (default), `Median`, `MostFrequent` or
///   `Constant(fill_value)` (scikit-learn's default fill value is 0).
/// - **All-NaN columns** (no value seen in `fit`): as in scikit-learn 1.x,
///   their statistic is NaN and `transform` *drops* them (for every
///   strategy, `Constant` included), unless `keep_empty_features` is set, in
///   which case they are kept and filled with 0 (`Constant`: with the fill
///   value). [`get_feature_names_out`](Transformer::get_feature_names_out)
///   leaves them out accordingly.
/// - `add_indicator`: appends one 0/1 column per feature that had missing
///   values in `fit` (scikit-learn's `MissingIndicator`,
///   `features="missing-only"`), named `missingindicator_<feature>`; a
///   feature missing only at transform time gets no indicator.
/// - Means are accumulated in `f64` (scikit-learn sums `float32` data in
///   `float32`, so its `float32` means can differ in the last bits).
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{SimpleImputer, Strategy, Transformer};
/// let x = Array::from_slice(&[1.0f32, f32::NAN, 3.0, 4.0, f32::NAN, 8.0], &[3, 2])?;
/// let mut imp = SimpleImputer::new(Strategy::Mean).add_indicator(true);
/// let y = imp.fit_transform(&x)?;
/// assert_eq!(y.shape(), &[3, 4]);
/// assert_eq!(y.to_vec::<f32>()?, vec![1.0, 6.0, 0.0, 1.0, 3.0, 4.0, 0.0, 0.0, 2.0, 8.0, 1.0, 0.0]);
/// assert_eq!(imp.get_feature_names_out(None)?, ["x0", "x1", "missingindicator_x0", "missingindicator_x1"]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimpleImputer {
    strategy: Strategy,
    add_indicator: bool,
    keep_empty_features: bool,
    state: Option<ImputerState>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImputerState {
    #[serde(with = "json_floats")]
    statistics: Vec<f64>,
    /// Columns that had missing values in `fit` (indicator columns).
    missing_features: Vec<usize>,
}

impl Default for SimpleImputer {
    fn default() -> Self {
        Self::new(Strategy::Mean)
    }
}

impl SimpleImputer {
    /// An imputer with the given strategy, no indicator, dropping empty
    /// features (scikit-learn's defaults).
    pub fn new(strategy: Strategy) -> Self {
        SimpleImputer { strategy, add_indicator: false, keep_empty_features: false, state: None }
    }

    /// Whether to append missing-value indicator columns.
    pub fn add_indicator(mut self, yes: bool) -> Self {
        self.add_indicator = yes;
        self
    }

    /// Whether to keep (and fill) columns that had no value in `fit`.
    pub fn keep_empty_features(mut self, yes: bool) -> Self {
        self.keep_empty_features = yes;
        self
    }

    /// The strategy.
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// `statistics_`: the fill value per column (NaN for a column that had
    /// no value in `fit`, unless `keep_empty_features`).
    pub fn statistics(&self) -> Option<Array> {
        self.state.as_ref().map(|s| vec_array(&s.statistics))
    }

    /// `indicator_.features_`: the columns that get an indicator (had
    /// missing values in `fit`); empty without `add_indicator`.
    pub fn indicator_features(&self) -> Option<&[usize]> {
        self.state.as_ref().map(|s| &s.missing_features[..]).map(|f| if self.add_indicator { f } else { &[] })
    }

    fn fit_typed<T: Float>(&self, data: &[T], ncols: usize) -> ImputerState {
        let (sum, count) = nan_sum_count(data, ncols);
        let nrows = data.len() / ncols.max(1);
        let missing_features = (0..ncols).filter(|&j| (count[j] as usize) < nrows).collect();
        let empty_fill = |j: usize, v: f64| {
            if count[j] > 0 {
                v
            } else if self.keep_empty_features {
                if let Strategy::Constant(c) = self.strategy { c } else { 0.0 }
            } else {
                f64::NAN
            }
        };
        let statistics = match self.strategy {
            Strategy::Mean => (0..ncols).map(|j| empty_fill(j, sum[j] / count[j] as f64)).collect(),
            Strategy::Constant(c) => (0..ncols).map(|j| empty_fill(j, c)).collect(),
            Strategy::Median | Strategy::MostFrequent => {
                use rayon::prelude::*;
                let mut cols = non_nan_columns(data, ncols);
                cols.par_iter_mut().for_each(|c| sort_floats(c));
                let stat =
                    |c: &Vec<T>| if self.strategy == Strategy::Median { median_sorted(c) } else { mode_sorted(c) };
                cols.iter().enumerate().map(|(j, c)| empty_fill(j, stat(c))).collect()
            }
        };
        ImputerState { statistics, missing_features }
    }

    fn fitted(&self, op: &'static str) -> Result<&ImputerState> {
        self.state.as_ref().ok_or_else(|| not_fitted(op, "SimpleImputer"))
    }

    /// The output columns: the input columns kept, in order.
    fn kept(&self, s: &ImputerState) -> Vec<usize> {
        (0..s.statistics.len()).filter(|&j| self.keep_empty_features || !s.statistics[j].is_nan()).collect()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let Some(s) = &self.state else { return Ok(()) };
        let n = s.statistics.len();
        if let Some(&j) = s.missing_features.iter().find(|&&j| j >= n) {
            return Err(Error::invalid("load", format!("SimpleImputer: indicator feature {j} is not below {n}")));
        }
        if s.missing_features.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::invalid("load", "SimpleImputer: indicator features must be increasing"));
        }
        check_len("statistics", n, n, "SimpleImputer")
    }

    /// The transform of blocks of rows when it preserves the shape (no
    /// dropped column, no indicator); `None` otherwise.
    pub(crate) fn kernel<T: Float>(&self, x: &Array, op: &'static str) -> Result<Option<Kernel<T>>> {
        let s = self.fitted(op)?;
        let ncols = s.statistics.len();
        check_n_features(x, ncols, "SimpleImputer", op)?;
        if self.kept(s).len() != ncols || (self.add_indicator && !s.missing_features.is_empty()) {
            return Ok(None);
        }
        let stats: Vec<T> = s.statistics.iter().map(|&v| T::from_f64(v)).collect();
        Ok(Some(Box::new(move |block: &mut [T]| {
            for row in block.chunks_exact_mut(ncols) {
                for (v, &s) in row.iter_mut().zip(&stats) {
                    *v = if v.is_nan() { s } else { *v };
                }
            }
        })))
    }

    fn transform_typed<T: Float>(&self, s: &ImputerState, x: Array) -> Result<Array> {
        let ncols = s.statistics.len();
        let stats: Vec<T> = s.statistics.iter().map(|&v| T::from_f64(v)).collect();
        let kept = self.kept(s);
        let indicators: &[usize] = if self.add_indicator { &s.missing_features } else { &[] };
        if kept.len() == ncols && indicators.is_empty() {
            let k = self.kernel::<T>(&x, "SimpleImputer.transform")?.expect("shape-preserving");
            return apply_same_shape::<T>(x, k);
        }
        let nrows = x.shape()[0];
        let out_cols = kept.len() + indicators.len();
        let mut out = Array::zeros(&[nrows, out_cols], T::DTYPE)?;
        let (zero, one) = (T::from_f64(0.0), T::from_f64(1.0));
        map_rows(slice::<T>(&x)?, ncols, out.as_slice_mut::<T>()?, out_cols, |src, dst| {
            for (row, out) in src.chunks_exact(ncols).zip(dst.chunks_exact_mut(out_cols)) {
                let (values, flags) = out.split_at_mut(kept.len());
                for (o, &j) in values.iter_mut().zip(&kept) {
                    let v = row[j];
                    *o = if v.is_nan() { stats[j] } else { v };
                }
                for (o, &j) in flags.iter_mut().zip(indicators) {
                    *o = if row[j].is_nan() { one } else { zero };
                }
            }
        });
        Ok(out)
    }
}

/// The most frequent value of sorted, NaN-free values, the smallest among
/// ties (scipy's `mode`); NaN if empty.
fn mode_sorted<T: Float>(v: &[T]) -> f64 {
    let mut best = (f64::NAN, 0usize);
    let mut i = 0;
    while i < v.len() {
        let mut k = i + 1;
        while k < v.len() && v[k] == v[i] {
            k += 1;
        }
        if k - i > best.1 {
            best = (v[i].to_f64(), k - i);
        }
        i = k;
    }
    best.0
}

impl Transformer for SimpleImputer {
    fn name(&self) -> &'static str {
        "SimpleImputer"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        let x = float_input(x.clone(), "SimpleImputer.fit")?;
        let ncols = x.shape()[1];
        let state = with_float!(x.dtype(), T => Ok::<_, Error>(self.fit_typed::<T>(slice::<T>(&x)?, ncols)))?;
        self.state = Some(state);
        Ok(())
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        const OP: &str = "SimpleImputer.transform";
        let s = self.fitted(OP)?;
        let x = float_input(x, OP)?;
        check_n_features(&x, s.statistics.len(), "SimpleImputer", OP)?;
        with_float!(x.dtype(), T => self.transform_typed::<T>(s, x))
    }

    /// Puts NaN back where the indicator columns say a value was missing
    /// (needs `add_indicator`, as in scikit-learn). Dropped empty columns
    /// come back as NaN columns.
    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        const OP: &str = "SimpleImputer.inverse_transform";
        let s = self.fitted(OP)?;
        if !self.add_indicator {
            return Err(Error::invalid(
                OP,
                "'inverse_transform' works only when 'SimpleImputer' is instantiated with 'add_indicator=True'. Got 'add_indicator=False' instead.",
            ));
        }
        let x = float_input(x.clone(), OP)?;
        let kept = self.kept(s);
        let indicators = &s.missing_features;
        let in_cols = kept.len() + indicators.len();
        check_n_features(&x, in_cols, "SimpleImputer (inverse_transform)", OP)?;
        let ncols = s.statistics.len();
        let nrows = x.shape()[0];
        with_float!(x.dtype(), T => {
            let mut out = Array::zeros(&[nrows, ncols], T::DTYPE)?;
            let nan = T::from_f64(f64::NAN);
            map_rows(slice::<T>(&x)?, in_cols, out.as_slice_mut::<T>()?, ncols, |src, dst| {
                for (row, out) in src.chunks_exact(in_cols).zip(dst.chunks_exact_mut(ncols)) {
                    out.iter_mut().for_each(|o| *o = nan);
                    for (k, &j) in kept.iter().enumerate() {
                        out[j] = row[k];
                    }
                    for (k, &j) in indicators.iter().enumerate() {
                        if row[kept.len() + k] != T::from_f64(0.0) {
                            out[j] = nan;
                        }
                    }
                }
            });
            Ok(out)
        })
    }

    fn is_fitted(&self) -> bool {
        self.state.is_some()
    }

    fn n_features_in(&self) -> Option<usize> {
        self.state.as_ref().map(|s| s.statistics.len())
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let s = self.fitted("get_feature_names_out")?;
        let names = input_names(input_features, s.statistics.len(), self.name())?;
        let mut out: Vec<String> = self.kept(s).into_iter().map(|j| names[j].clone()).collect();
        if self.add_indicator {
            out.extend(s.missing_features.iter().map(|&j| format!("missingindicator_{}", names[j])));
        }
        Ok(out)
    }
}

// ---------------------------------------------------------------------------
// CategoricalImputer

/// How [`CategoricalImputer`] fills missing categories.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoricalStrategy {
    /// The most frequent category (the smallest name among ties, as
    /// scikit-learn's `SimpleImputer(strategy="most_frequent")` on strings).
    MostFrequent,
    /// A fixed category name (scikit-learn's default is `"missing_value"`).
    Constant(String),
}

/// Fills missing values (code `-1`) of categorical columns, like
/// `SimpleImputer(strategy="most_frequent")` or `strategy="constant"` on
/// string columns. Works on category names, so the file a column comes
/// from may number its categories differently at transform time. A column
/// with no value in `fit` is filled with the constant (or, for
/// `MostFrequent`, left missing).
///
/// ```
/// use oxarray_prep::{CategoricalColumn, CategoricalImputer, CategoricalStrategy};
/// let c = CategoricalColumn::from_values(&[Some("b"), None, Some("a"), Some("b")]);
/// let mut imp = CategoricalImputer::new(CategoricalStrategy::MostFrequent);
/// imp.fit(&[&c])?;
/// assert_eq!(imp.statistics().unwrap(), &[Some("b".to_string())]);
/// let filled = imp.transform(&[&c])?;
/// assert_eq!(filled[0].value(1), Some("b"));
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoricalImputer {
    strategy: CategoricalStrategy,
    statistics: Option<Vec<Option<String>>>,
}

impl CategoricalImputer {
    /// An imputer with the given strategy.
    pub fn new(strategy: CategoricalStrategy) -> Self {
        CategoricalImputer { strategy, statistics: None }
    }

    /// The fill category per column (`None`: the column stays missing).
    pub fn statistics(&self) -> Option<&[Option<String>]> {
        self.statistics.as_deref()
    }

    /// Learns the fill category of each column.
    pub fn fit(&mut self, columns: &[&CategoricalColumn]) -> Result<()> {
        self.statistics = Some(
            columns
                .iter()
                .map(|c| match &self.strategy {
                    CategoricalStrategy::Constant(v) => Some(v.clone()),
                    CategoricalStrategy::MostFrequent => {
                        let mut counts = vec![0usize; c.categories().len()];
                        for &code in c.codes() {
                            if let Ok(k) = usize::try_from(code) {
                                counts[k] += 1;
                            }
                        }
                        let best = counts.iter().copied().max().unwrap_or(0);
                        (best > 0).then(|| {
                            c.categories()
                                .iter()
                                .zip(&counts)
                                .filter(|&(_, &n)| n == best)
                                .map(|(name, _)| name)
                                .min()
                                .expect("some category has the best count")
                                .clone()
                        })
                    }
                })
                .collect(),
        );
        Ok(())
    }

    /// The columns with missing codes replaced by the fill category (added
    /// to a column's categories if it does not have it).
    pub fn transform(&self, columns: &[&CategoricalColumn]) -> Result<Vec<CategoricalColumn>> {
        const OP: &str = "CategoricalImputer.transform";
        let stats = self.statistics.as_ref().ok_or_else(|| not_fitted(OP, "CategoricalImputer"))?;
        if columns.len() != stats.len() {
            return Err(Error::invalid(
                OP,
                format!("got {} columns, but CategoricalImputer was fitted on {}", columns.len(), stats.len()),
            ));
        }
        columns
            .iter()
            .zip(stats)
            .map(|(c, fill)| {
                let Some(fill) = fill else { return Ok((*c).clone()) };
                let mut categories = c.categories().to_vec();
                let index: HashMap<&str, usize> =
                    c.categories().iter().enumerate().map(|(i, s)| (s.as_str(), i)).collect();
                let code = match index.get(fill.as_str()) {
                    Some(&i) => i as i64,
                    None => {
                        categories.push(fill.clone());
                        categories.len() as i64 - 1
                    }
                };
                let codes = c.codes().iter().map(|&k| if k < 0 { code } else { k }).collect();
                CategoricalColumn::from_codes(categories, codes)
            })
            .collect()
    }

    /// [`fit`](CategoricalImputer::fit) then
    /// [`transform`](CategoricalImputer::transform).
    pub fn fit_transform(&mut self, columns: &[&CategoricalColumn]) -> Result<Vec<CategoricalColumn>> {
        self.fit(columns)?;
        self.transform(columns)
    }

    /// Whether `fit` has run.
    pub fn is_fitted(&self) -> bool {
        self.statistics.is_some()
    }
}
