//! Summary statistics for reports: count, missing, mean, standard deviation,
//! minimum and maximum, accumulated in one streaming pass so that a file is
//! summarised in bounded memory, block by block.
//!
//! These are report figures, not library kernels: they are computed in
//! float64 from blocks that [`Array::astype_with`] converts, and merged with
//! Chan's parallel update of the mean and the sum of squared deviations
//! (exact enough for a report, and independent of the block size up to
//! rounding). When core gains NaN-aware reductions (`nanmean`, `nanstd`,
//! …) over strided arrays, this module should call them.

use oxarray::{Array, Casting, DType, Index, Result};
use serde::Serialize;

/// Running statistics of one column (or of a whole array).
#[derive(Clone, Copy, Debug, Default)]
pub struct Summary {
    count: u64,
    missing: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

/// A finished [`Summary`], as reported. `std` is the population standard
/// deviation (NumPy's `std` with `ddof=0`, scikit-learn's `StandardScaler`
/// scale); the figures are `None` when no value was present.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
pub struct Stats {
    /// Values present (not NaN).
    pub count: u64,
    /// Values missing (NaN).
    pub missing: u64,
    /// Mean of the present values.
    pub mean: Option<f64>,
    /// Population standard deviation of the present values.
    pub std: Option<f64>,
    /// Smallest present value.
    pub min: Option<f64>,
    /// Largest present value.
    pub max: Option<f64>,
}

impl Summary {
    /// Adds one value; NaN counts as missing.
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.missing += 1;
            return;
        }
        self.count += 1;
        if self.count == 1 {
            (self.min, self.max) = (x, x);
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Counts `n` missing values.
    pub fn push_missing(&mut self, n: u64) {
        self.missing += n;
    }

    /// The finished figures.
    pub fn finish(&self) -> Stats {
        let some = |v: f64| (self.count > 0).then_some(v);
        Stats {
            count: self.count,
            missing: self.missing,
            mean: some(self.mean),
            std: some((self.m2 / self.count.max(1) as f64).sqrt()),
            min: some(self.min),
            max: some(self.max),
        }
    }
}

/// Rows per block when an array is summarised: about 1 MiB of float64.
const BLOCK_ELEMS: usize = 1 << 17;

/// Statistics of `array` in blocks of rows along the first axis, so a
/// memory-mapped file is read once and never copied whole.
///
/// A 2-D array gets one [`Stats`] per column when `per_column`; any other
/// array (or `per_column == false`) gets one for all its elements. Complex
/// arrays are refused (their statistics are not real numbers); other dtypes
/// are converted to float64 block by block (integers beyond 2^53 rounded,
/// which a summary can afford).
pub fn summarize(array: &Array, per_column: bool) -> Result<Vec<Stats>> {
    if array.dtype().is_complex() {
        return Err(oxarray::Error::invalid("statistics", format!("not computed for {} data", array.dtype())));
    }
    let columns = if per_column && array.ndim() == 2 { array.shape()[1] } else { 1 };
    let mut sums = vec![Summary::default(); columns];
    if array.size() == 0 {
        return Ok(sums.iter().map(Summary::finish).collect());
    }
    let view = if array.ndim() == 0 { array.reshape(&[1])? } else { array.clone() };
    let rows = view.shape()[0];
    let row_elems = (view.size() / rows).max(1);
    let block = (BLOCK_ELEMS / row_elems).max(1);
    let mut start = 0;
    while start < rows {
        let end = (start + block).min(rows);
        let mut index = vec![Index::slice(Some(start as isize), Some(end as isize), 1)];
        index.extend(std::iter::repeat_n(Index::ALL, view.ndim() - 1));
        let values = view.slice(&index)?.astype_with(DType::Float64, Casting::Unsafe)?.to_vec::<f64>()?;
        for (i, v) in values.into_iter().enumerate() {
            sums[i % columns].push(v);
        }
        start = end;
    }
    Ok(sums.iter().map(Summary::finish).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_matches_two_pass() {
        let xs = [1.5, -2.0, f64::NAN, 4.25, 10.0, 0.0];
        let mut s = Summary::default();
        xs.iter().for_each(|&x| s.push(x));
        let st = s.finish();
        let present: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        let mean = present.iter().sum::<f64>() / present.len() as f64;
        let var = present.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / present.len() as f64;
        assert_eq!((st.count, st.missing), (5, 1));
        assert!((st.mean.unwrap() - mean).abs() < 1e-12);
        assert!((st.std.unwrap() - var.sqrt()).abs() < 1e-12);
        assert_eq!((st.min, st.max), (Some(-2.0), Some(10.0)));
    }

    #[test]
    fn empty_and_all_missing_have_no_figures() {
        let mut s = Summary::default();
        s.push(f64::NAN);
        assert_eq!(s.finish(), Stats { count: 0, missing: 1, mean: None, std: None, min: None, max: None });
    }

    #[test]
    fn arrays_by_column_and_whole() -> Result<()> {
        let a = Array::from_vec((0..6i32).collect(), &[3, 2])?;
        let cols = summarize(&a, true)?;
        assert_eq!(cols.len(), 2);
        assert_eq!((cols[0].mean, cols[1].max), (Some(2.0), Some(5.0)));
        let whole = summarize(&a.transpose(), false)?;
        assert_eq!((whole[0].count, whole[0].mean), (6, Some(2.5)));
        let scalar = summarize(&Array::scalar(3.0f32), true)?;
        assert_eq!(scalar[0].min, Some(3.0));
        Ok(())
    }
}
