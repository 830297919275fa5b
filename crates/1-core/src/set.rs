//! Set functions of the Array API standard: [`Array::unique_values`],
//! [`Array::unique_counts`], [`Array::unique_inverse`] and
//! [`Array::unique_all`].
//!
//! # Semantics
//!
//! - The input is flattened (C order); `inverse_indices` has the input's
//!   shape, as the standard requires (and NumPy ≥ 2.1 returns).
//! - Values are returned **sorted** in the order of [`crate::sorting`]
//!   (NaN last). The standard leaves the order unspecified and NumPy ≥ 2.3
//!   returns hash order for some dtypes from `unique_values`; sorted output
//!   is deterministic and what `np.unique` gives.
//! - **NaNs are distinct** (the standard's rule, NumPy's
//!   `equal_nan=False`): each NaN is its own unique value with count 1.
//!   `-0.0` and `0.0` are equal; the value kept is the one that occurs
//!   first in the input, and `indices` point at first occurrences.
//! - Counts and indices are int64.
//!
//! ```
//! use oxarray_core::Array;
//! let a = Array::from_slice(&[3i32, 1, 3, 2, 1, 3], &[2, 3])?;
//! let u = a.unique_all()?;
//! assert_eq!(u.values.to_vec::<i32>()?, vec![1, 2, 3]);
//! assert_eq!(u.counts.to_vec::<i64>()?, vec![2, 1, 3]);
//! assert_eq!(u.indices.to_vec::<i64>()?, vec![1, 3, 0]);
//! assert_eq!(u.inverse_indices.shape(), &[2, 3]);
//! assert_eq!(u.inverse_indices.to_vec::<i64>()?, vec![2, 0, 2, 1, 0, 2]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use crate::array::Array;
use crate::error::Result;
use crate::sorting::{SortOptions, Sortable, argsort_lane, sort_lane};

/// The result of [`Array::unique_counts`].
#[derive(Clone, Debug)]
pub struct UniqueCounts {
    /// The unique values, sorted.
    pub values: Array,
    /// How often each occurs (int64).
    pub counts: Array,
}

/// The result of [`Array::unique_inverse`].
#[derive(Clone, Debug)]
pub struct UniqueInverse {
    /// The unique values, sorted.
    pub values: Array,
    /// For each input element, the position of its value in `values`
    /// (int64, the input's shape): `values.take(inverse_indices)` rebuilds
    /// the input.
    pub inverse_indices: Array,
}

/// The result of [`Array::unique_all`].
#[derive(Clone, Debug)]
pub struct UniqueAll {
    /// The unique values, sorted.
    pub values: Array,
    /// The flat position of each value's first occurrence (int64).
    pub indices: Array,
    /// For each input element, the position of its value in `values`
    /// (int64, the input's shape).
    pub inverse_indices: Array,
    /// How often each value occurs (int64).
    pub counts: Array,
}

/// Unique values with their first indices, counts and the inverse map.
fn unique_typed<T: Sortable>(a: &Array) -> Result<UniqueAll> {
    let flat = a.to_vec::<T>()?;
    let mut perm = vec![0i64; flat.len()];
    argsort_lane(&flat, &mut perm, SortOptions::default());
    let (mut values, mut first, mut counts) = (Vec::new(), Vec::new(), Vec::new());
    let mut inverse = vec![0i64; flat.len()];
    for (i, &p) in perm.iter().enumerate() {
        let x = flat[p as usize];
        // PartialEq: NaN never equals anything, -0.0 equals 0.0.
        if i == 0 || x != flat[perm[i - 1] as usize] {
            values.push(x);
            first.push(p);
            counts.push(0i64);
        }
        *counts.last_mut().expect("a group is open") += 1;
        inverse[p as usize] = values.len() as i64 - 1;
    }
    let n = values.len();
    Ok(UniqueAll {
        values: Array::from_vec(values, &[n])?,
        indices: Array::from_vec(first, &[n])?,
        inverse_indices: Array::from_vec(inverse, &a.shape)?,
        counts: Array::from_vec(counts, &[n])?,
    })
}

impl Array {
    /// The unique elements, sorted (NaNs distinct; see the
    /// [module docs](crate::set)).
    pub fn unique_values(&self) -> Result<Array> {
        crate::dispatch!(self.dtype, T => {
            let mut v = self.to_vec::<T>()?;
            sort_lane(&mut v, SortOptions::default());
            v.dedup_by(|b, a| a == b);
            let n = v.len();
            Array::from_vec(v, &[n])
        })
    }

    /// The unique elements and how often each occurs.
    pub fn unique_counts(&self) -> Result<UniqueCounts> {
        let u = self.unique_all()?;
        Ok(UniqueCounts { values: u.values, counts: u.counts })
    }

    /// The unique elements and, for each input element, the index of its
    /// value among them.
    pub fn unique_inverse(&self) -> Result<UniqueInverse> {
        let u = self.unique_all()?;
        Ok(UniqueInverse { values: u.values, inverse_indices: u.inverse_indices })
    }

    /// The unique elements, their first indices, the inverse map and the
    /// counts.
    pub fn unique_all(&self) -> Result<UniqueAll> {
        crate::dispatch!(self.dtype, T => unique_typed::<T>(self))
    }
}
