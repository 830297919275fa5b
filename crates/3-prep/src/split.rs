//! Splitting samples: [`train_test_split`] / [`TrainTestSplit`] (shuffled,
//! optionally stratified), [`KFold`] and [`StratifiedKFold`] index
//! generators, and [`take_rows`] to apply the indices to arrays.
//!
//! Sizes and per-class allocations follow scikit-learn exactly (for the same
//! `n_samples`, sizes and labels you get the same number of samples per
//! split and per class). The shuffling uses oxarray's seeded
//! [`Generator`](oxarray_core::Generator), not NumPy's, so the same seed
//! gives a different (but reproducible) permutation than scikit-learn's
//! `random_state`. Where scikit-learn breaks a tie between classes at
//! random (two classes with the same fractional share in
//! `_approximate_mode`), the seeded generator breaks it, so the class that
//! gets the extra sample can differ.

use oxarray_core::{Array, Error, Generator, Result, dispatch};

/// A train/test pair of row indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Rows to train on.
    pub train: Vec<usize>,
    /// Rows to test on.
    pub test: Vec<usize>,
}

/// A split size: a fraction of the samples in `(0, 1)` or a count.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    /// A fraction of the samples, in `(0, 1)`: the test size rounds up, the
    /// train size down (scikit-learn's `ceil`/`floor`).
    Fraction(f64),
    /// An exact number of samples, in `1..n_samples`.
    Count(usize),
}

/// The rows of `a` (along axis 0) at `indices`, in that order, as a new
/// C-contiguous array of the same dtype (NumPy's `a[indices]`).
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::take_rows;
/// let a = Array::from_slice(&[0i32, 1, 2, 3, 4, 5], &[3, 2])?;
/// assert_eq!(take_rows(&a, &[2, 0])?.to_vec::<i32>()?, vec![4, 5, 0, 1]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn take_rows(a: &Array, indices: &[usize]) -> Result<Array> {
    if a.ndim() == 0 {
        return Err(Error::invalid("take_rows", "a 0-d array has no rows"));
    }
    let mut shape = a.shape().to_vec();
    shape[0] = indices.len();
    let mut out = Array::zeros(&shape, a.dtype())?;
    gather_rows(a, indices, &mut out)?;
    Ok(out)
}

/// Copies rows `indices` of `src` into `dst` (whose first axis is
/// `indices.len()` long and whose other axes match), in place when `dst` is
/// uniquely owned.
pub(crate) fn gather_rows(src: &Array, indices: &[usize], dst: &mut Array) -> Result<()> {
    let n = src.shape()[0];
    if let Some(&bad) = indices.iter().find(|&&i| i >= n) {
        return Err(Error::invalid("take_rows", format!("index {bad} is out of bounds for axis 0 with size {n}")));
    }
    let src = src.to_contiguous();
    let row: usize = src.shape()[1..].iter().product();
    dispatch!(src.dtype(), T => {
        let s = src.as_slice::<T>()?.expect("to_contiguous is C-contiguous");
        let d = dst.as_slice_mut::<T>()?;
        if row > 0 {
            for (out, &i) in d.chunks_exact_mut(row).zip(indices) {
                out.copy_from_slice(&s[i * row..(i + 1) * row]);
            }
        }
    });
    Ok(())
}

/// Options of a train/test split, like `sklearn.model_selection.train_test_split`.
///
/// Defaults: `test_size` 0.25 (when neither size is given), shuffled with
/// seed 0.
///
/// ```
/// use oxarray_prep::{Size, TrainTestSplit};
/// let labels = [0i64, 0, 0, 0, 0, 0, 1, 1, 1, 1];
/// let s = TrainTestSplit::new().test_size(Size::Fraction(0.5)).seed(7).split_stratified(&labels)?;
/// assert_eq!((s.train.len(), s.test.len()), (5, 5));
/// assert_eq!(s.test.iter().filter(|&&i| labels[i] == 1).count(), 2);  // 40 % in both halves
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainTestSplit {
    test_size: Option<Size>,
    train_size: Option<Size>,
    shuffle: bool,
    seed: u64,
}

impl Default for TrainTestSplit {
    fn default() -> Self {
        Self::new()
    }
}

/// Shuffled train/test indices for `n_samples` rows with a test fraction
/// or count (the short form of [`TrainTestSplit`]).
///
/// ```
/// use oxarray_prep::{train_test_split, Size};
/// let s = train_test_split(10, Size::Fraction(0.25), 42)?;
/// assert_eq!((s.train.len(), s.test.len()), (7, 3));        // ceil(2.5) = 3 test rows
/// # Ok::<(), oxarray_core::Error>(())
/// ```
pub fn train_test_split(n_samples: usize, test_size: Size, seed: u64) -> Result<Split> {
    TrainTestSplit::new().test_size(test_size).seed(seed).split(n_samples)
}

impl TrainTestSplit {
    /// scikit-learn's defaults.
    pub fn new() -> Self {
        TrainTestSplit { test_size: None, train_size: None, shuffle: true, seed: 0 }
    }

    /// The test set's size.
    pub fn test_size(mut self, s: Size) -> Self {
        self.test_size = Some(s);
        self
    }

    /// The train set's size (default: the rest).
    pub fn train_size(mut self, s: Size) -> Self {
        self.train_size = Some(s);
        self
    }

    /// Whether to shuffle (default true). Without shuffling the first rows
    /// train and the next ones test.
    pub fn shuffle(mut self, yes: bool) -> Self {
        self.shuffle = yes;
        self
    }

    /// The seed of the shuffle.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The `(n_train, n_test)` scikit-learn's `_validate_shuffle_split`
    /// computes, with its checks.
    pub fn sizes(&self, n_samples: usize) -> Result<(usize, usize)> {
        validate_shuffle_split(n_samples, self.test_size, self.train_size)
    }

    /// Train and test indices for `n_samples` rows.
    pub fn split(&self, n_samples: usize) -> Result<Split> {
        let (n_train, n_test) = self.sizes(n_samples)?;
        if !self.shuffle {
            return Ok(Split { train: (0..n_train).collect(), test: (n_train..n_train + n_test).collect() });
        }
        let mut perm: Vec<usize> = (0..n_samples).collect();
        Generator::new(self.seed).shuffle(&mut perm);
        Ok(Split { test: perm[..n_test].to_vec(), train: perm[n_test..n_test + n_train].to_vec() })
    }

    /// Train and test indices that keep each class's share of `labels` in
    /// both sets (scikit-learn's `stratify=labels`, via
    /// `StratifiedShuffleSplit`). Needs `shuffle` (as scikit-learn does),
    /// at least two members per class, and room for every class in both
    /// sets.
    pub fn split_stratified(&self, labels: &[i64]) -> Result<Split> {
        const OP: &str = "train_test_split";
        if !self.shuffle {
            return Err(Error::invalid(OP, "Stratified train/test split is not implemented for shuffle=False"));
        }
        let n = labels.len();
        let (n_train, n_test) = self.sizes(n)?;
        let mut classes: Vec<i64> = labels.to_vec();
        classes.sort_unstable();
        classes.dedup();
        let class_of: Vec<usize> = labels.iter().map(|l| classes.binary_search(l).unwrap_or(0)).collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
        for (i, &c) in class_of.iter().enumerate() {
            members[c].push(i);
        }
        let counts: Vec<usize> = members.iter().map(Vec::len).collect();
        let too_few: Vec<i64> = classes.iter().zip(&counts).filter(|&(_, &c)| c < 2).map(|(&l, _)| l).collect();
        if !too_few.is_empty() {
            return Err(Error::invalid(
                OP,
                format!(
                    "The least populated classes in y have only 1 member, which is too few. The minimum number of groups for any class cannot be less than 2. Classes with too few members are: {too_few:?}"
                ),
            ));
        }
        let k = classes.len();
        if n_train < k {
            return Err(Error::invalid(
                OP,
                format!("The train_size = {n_train} should be greater or equal to the number of classes = {k}"),
            ));
        }
        if n_test < k {
            return Err(Error::invalid(
                OP,
                format!("The test_size = {n_test} should be greater or equal to the number of classes = {k}"),
            ));
        }
        let mut rng = Generator::new(self.seed);
        let n_i = approximate_mode(&counts, n_train, &mut rng);
        let remaining: Vec<usize> = counts.iter().zip(&n_i).map(|(c, t)| c - t).collect();
        let t_i = approximate_mode(&remaining, n_test, &mut rng);
        let (mut train, mut test) = (Vec::with_capacity(n_train), Vec::with_capacity(n_test));
        for (c, m) in members.iter_mut().enumerate() {
            rng.shuffle(m);
            train.extend_from_slice(&m[..n_i[c]]);
            test.extend_from_slice(&m[n_i[c]..n_i[c] + t_i[c]]);
        }
        rng.shuffle(&mut train);
        rng.shuffle(&mut test);
        Ok(Split { train, test })
    }
}

/// scikit-learn's `_validate_shuffle_split`.
fn validate_shuffle_split(n: usize, test: Option<Size>, train: Option<Size>) -> Result<(usize, usize)> {
    const OP: &str = "train_test_split";
    let test = if test.is_none() && train.is_none() { Some(Size::Fraction(0.25)) } else { test };
    let describe = |s: Size| match s {
        Size::Fraction(f) => format!("{f}"),
        Size::Count(c) => format!("{c}"),
    };
    for (what, s) in [("test_size", test), ("train_size", train)] {
        let bad = match s {
            Some(Size::Count(c)) => c >= n || c == 0,
            Some(Size::Fraction(f)) => !(f > 0.0 && f < 1.0),
            None => false,
        };
        if bad {
            return Err(Error::invalid(
                OP,
                format!(
                    "{what}={} should be either positive and smaller than the number of samples {n} or a float in the (0, 1) range",
                    describe(s.expect("bad implies given"))
                ),
            ));
        }
    }
    if let (Some(Size::Fraction(a)), Some(Size::Fraction(b))) = (test, train)
        && a + b > 1.0
    {
        return Err(Error::invalid(
            OP,
            format!(
                "The sum of test_size and train_size = {}, should be in the (0, 1) range. Reduce test_size and/or train_size.",
                a + b
            ),
        ));
    }
    let count = |s: Size, round_up: bool| match s {
        Size::Count(c) => c,
        Size::Fraction(f) if round_up => (f * n as f64).ceil() as usize,
        Size::Fraction(f) => (f * n as f64).floor() as usize,
    };
    let n_test = test.map(|s| count(s, true));
    let n_train = train.map(|s| count(s, false));
    let (n_train, n_test) = match (n_train, n_test) {
        (Some(a), Some(b)) => (a, b),
        (None, Some(b)) => (n.saturating_sub(b), b),
        (Some(a), None) => (a, n.saturating_sub(a)),
        (None, None) => unreachable!("test_size defaults to 0.25"),
    };
    if n_train + n_test > n {
        return Err(Error::invalid(
            OP,
            format!(
                "The sum of train_size and test_size = {}, should be smaller than the number of samples {n}. Reduce test_size and/or train_size.",
                n_train + n_test
            ),
        ));
    }
    if n_train == 0 {
        return Err(Error::invalid(
            OP,
            format!(
                "With n_samples={n}, test_size={} and train_size={}, the resulting train set will be empty. Adjust any of the aforementioned parameters.",
                test.map_or("None".into(), describe),
                train.map_or("None".into(), describe)
            ),
        ));
    }
    Ok((n_train, n_test))
}

/// scikit-learn's `_approximate_mode`: the per-class draw counts closest to
/// the class proportions, adding leftovers by largest fractional part (ties
/// broken by the generator).
fn approximate_mode(class_counts: &[usize], n_draws: usize, rng: &mut Generator) -> Vec<usize> {
    let total: usize = class_counts.iter().sum();
    let continuous: Vec<f64> = class_counts.iter().map(|&c| c as f64 / total as f64 * n_draws as f64).collect();
    let mut floored: Vec<usize> = continuous.iter().map(|c| c.floor() as usize).collect();
    let mut need = n_draws as i64 - floored.iter().sum::<usize>() as i64;
    if need > 0 {
        let remainder: Vec<f64> = continuous.iter().zip(&floored).map(|(c, &f)| c - f as f64).collect();
        let mut values = remainder.clone();
        values.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
        values.dedup();
        for v in values {
            let mut inds: Vec<usize> = (0..remainder.len()).filter(|&i| remainder[i] == v).collect();
            let add_now = inds.len().min(need as usize);
            if add_now < inds.len() {
                rng.shuffle(&mut inds);
            }
            for &i in &inds[..add_now] {
                floored[i] += 1;
            }
            need -= add_now as i64;
            if need == 0 {
                break;
            }
        }
    }
    floored
}

/// K-fold cross-validation indices, like `sklearn.model_selection.KFold`:
/// `n_splits` consecutive folds (the first `n_samples % n_splits` one
/// sample larger), each the test set once; optionally shuffled first.
/// Test indices are in fold order, train indices ascending — for
/// `shuffle = false` exactly scikit-learn's.
///
/// ```
/// use oxarray_prep::KFold;
/// let folds = KFold::new(3)?.split(7)?;
/// assert_eq!(folds[0].test, vec![0, 1, 2]);
/// assert_eq!(folds[2].train, vec![0, 1, 2, 3, 4]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct KFold {
    n_splits: usize,
    shuffle: Option<u64>,
}

fn check_n_splits(n_splits: usize, who: &'static str) -> Result<()> {
    if n_splits < 2 {
        return Err(Error::invalid(
            who,
            format!(
                "k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits={n_splits}."
            ),
        ));
    }
    Ok(())
}

impl KFold {
    /// `n_splits` folds (at least 2; scikit-learn's default is 5).
    pub fn new(n_splits: usize) -> Result<Self> {
        check_n_splits(n_splits, "KFold")?;
        Ok(KFold { n_splits, shuffle: None })
    }

    /// Shuffles the samples with `seed` before cutting folds.
    pub fn shuffle(mut self, seed: u64) -> Self {
        self.shuffle = Some(seed);
        self
    }

    /// The folds for `n_samples` samples.
    pub fn split(&self, n_samples: usize) -> Result<Vec<Split>> {
        let k = self.n_splits;
        if k > n_samples {
            return Err(Error::invalid(
                "KFold",
                format!(
                    "Cannot have number of splits n_splits={k} greater than the number of samples: n_samples={n_samples}."
                ),
            ));
        }
        let mut indices: Vec<usize> = (0..n_samples).collect();
        if let Some(seed) = self.shuffle {
            Generator::new(seed).shuffle(&mut indices);
        }
        let mut out = Vec::with_capacity(k);
        let mut start = 0;
        for f in 0..k {
            let size = n_samples / k + usize::from(f < n_samples % k);
            let test = indices[start..start + size].to_vec();
            let mut in_test = vec![false; n_samples];
            test.iter().for_each(|&i| in_test[i] = true);
            let train = (0..n_samples).filter(|&i| !in_test[i]).collect();
            out.push(Split { train, test });
            start += size;
        }
        Ok(out)
    }
}

/// Stratified k-fold indices, like
/// `sklearn.model_selection.StratifiedKFold`: each fold keeps the class
/// proportions of `labels` (scikit-learn ≥ 0.22's allocation: the
/// labels sorted by class, then dealt to folds round-robin). Indices are
/// ascending; for `shuffle = false` the folds are exactly scikit-learn's.
///
/// ```
/// use oxarray_prep::StratifiedKFold;
/// let y = [0i64, 0, 0, 0, 1, 1, 1, 1];
/// for fold in StratifiedKFold::new(2)?.split(&y)? {
///     assert_eq!(fold.test.iter().filter(|&&i| y[i] == 1).count(), 2);
/// }
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StratifiedKFold {
    n_splits: usize,
    shuffle: Option<u64>,
}

impl StratifiedKFold {
    /// `n_splits` folds (at least 2; scikit-learn's default is 5).
    pub fn new(n_splits: usize) -> Result<Self> {
        check_n_splits(n_splits, "StratifiedKFold")?;
        Ok(StratifiedKFold { n_splits, shuffle: None })
    }

    /// Shuffles each class's fold assignment with `seed`.
    pub fn shuffle(mut self, seed: u64) -> Self {
        self.shuffle = Some(seed);
        self
    }

    /// The folds for the class `labels` (one per sample).
    pub fn split(&self, labels: &[i64]) -> Result<Vec<Split>> {
        let k = self.n_splits;
        let n = labels.len();
        if k > n {
            return Err(Error::invalid(
                "StratifiedKFold",
                format!("Cannot have number of splits n_splits={k} greater than the number of samples: n_samples={n}."),
            ));
        }
        // Classes numbered by first appearance, as scikit-learn encodes them.
        let mut order: Vec<i64> = Vec::new();
        let mut encoded = Vec::with_capacity(n);
        let mut index = std::collections::HashMap::new();
        for &l in labels {
            let c = *index.entry(l).or_insert_with(|| {
                order.push(l);
                order.len() - 1
            });
            encoded.push(c);
        }
        let n_classes = order.len();
        let mut counts = vec![0usize; n_classes];
        encoded.iter().for_each(|&c| counts[c] += 1);
        if counts.iter().all(|&c| k > c) {
            return Err(Error::invalid(
                "StratifiedKFold",
                format!("n_splits={k} cannot be greater than the number of members in each class."),
            ));
        }
        // allocation[f][c]: members of class c in fold f, from dealing the
        // class-sorted labels round-robin.
        let mut sorted = encoded.clone();
        sorted.sort_unstable();
        let mut allocation = vec![vec![0usize; n_classes]; k];
        for (i, &c) in sorted.iter().enumerate() {
            allocation[i % k][c] += 1;
        }
        let mut rng = self.shuffle.map(Generator::new);
        let mut test_fold = vec![0usize; n];
        for c in 0..n_classes {
            let mut folds: Vec<usize> =
                allocation.iter().enumerate().flat_map(|(f, per_class)| std::iter::repeat_n(f, per_class[c])).collect();
            if let Some(rng) = rng.as_mut() {
                rng.shuffle(&mut folds);
            }
            let mut it = folds.into_iter();
            for (i, &e) in encoded.iter().enumerate() {
                if e == c {
                    test_fold[i] = it.next().unwrap_or(0);
                }
            }
        }
        Ok((0..k)
            .map(|f| Split {
                train: (0..n).filter(|&i| test_fold[i] != f).collect(),
                test: (0..n).filter(|&i| test_fold[i] == f).collect(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximate_mode_matches_sklearn_docstring() {
        let mut rng = Generator::new(0);
        assert_eq!(approximate_mode(&[4, 2], 3, &mut rng), vec![2, 1]);
        assert_eq!(approximate_mode(&[5, 2], 4, &mut rng), vec![3, 1]);
        let tie = approximate_mode(&[2, 2, 2, 1], 2, &mut rng);
        assert_eq!(tie.iter().sum::<usize>(), 2);
        assert!(tie.iter().all(|&t| t <= 1) && tie[3] == 0);
    }
}
