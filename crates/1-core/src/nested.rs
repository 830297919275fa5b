//! Arrays from nested data (lists of lists), with clear errors on ragged
//! input, and back ([`Array::to_nested`], what Python's `tolist` needs).
//!
//! ```
//! use oxarray_core::{Array, ErrorKind, Nested};
//! let a = Array::from_nested(&Nested::from(vec![vec![1i32, 2], vec![3, 4]]))?;
//! assert_eq!(a.shape(), &[2, 2]);
//! assert_eq!(a.to_nested::<i32>()?, Nested::from(vec![vec![1, 2], vec![3, 4]]));
//!
//! let ragged = Nested::from(vec![vec![1i32, 2], vec![3]]);
//! let err = Array::from_nested(&ragged).err().unwrap();
//! assert!(matches!(err.kind(), ErrorKind::Ragged { depth: 1, path, expected: Some(2), found: Some(1) }
//!     if path == &[1]));
//! # Ok::<(), oxarray_core::Error>(())
//! ```

use crate::array::{Array, checked_len};
use crate::element::Element;
use crate::error::{ErrorKind, Result};

/// Nested data: a scalar or a list of nested data.
///
/// Build it directly or with `From`: a value becomes a [`Scalar`](Nested::Scalar)
/// and a `Vec` of anything convertible becomes a [`List`](Nested::List), so
/// `Nested::from(vec![vec![1, 2], vec![3, 4]])` is a 2×2 list.
///
/// Dropping, cloning and comparing a `Nested` recurse once per level (the
/// derived impls); [`Array::from_nested`] and [`Array::to_nested`] do not.
#[derive(Clone, Debug, PartialEq)]
pub enum Nested<T> {
    /// A leaf value.
    Scalar(T),
    /// A list of nested values.
    List(Vec<Nested<T>>),
}

impl<T: Element> From<T> for Nested<T> {
    fn from(value: T) -> Self {
        Nested::Scalar(value)
    }
}

impl<T: Element, U: Into<Nested<T>>> From<Vec<U>> for Nested<T> {
    fn from(items: Vec<U>) -> Self {
        Nested::List(items.into_iter().map(Into::into).collect())
    }
}

/// The shape the first element at every level implies: follow first
/// children down to a scalar or an empty list.
fn infer_shape<T>(mut node: &Nested<T>) -> Vec<usize> {
    let mut shape = Vec::new();
    while let Nested::List(items) = node {
        shape.push(items.len());
        match items.first() {
            Some(first) => node = first,
            None => break,
        }
    }
    shape
}

/// What a node is: `Some(len)` for a list, `None` for a scalar.
fn arity<T>(node: &Nested<T>) -> Option<usize> {
    match node {
        Nested::Scalar(_) => None,
        Nested::List(items) => Some(items.len()),
    }
}

impl Array {
    /// An array from nested lists, like `np.array([[1, 2], [3, 4]])`. The
    /// shape comes from the nesting (the first element at each level sets
    /// it) and the dtype from `T`; empty lists give zero-length axes (`[]`
    /// has shape `(0,)`, `[[], []]` has `(2, 0)`), a bare scalar a 0-d array.
    ///
    /// Ragged input is [`ErrorKind::Ragged`] naming the first offending
    /// element in depth-first order: its `path` of indices, its `depth`
    /// (`path.len()`), and what was `expected` and `found` (`Some(len)` for
    /// a list, `None` for a scalar). The walk uses an explicit stack, so
    /// deep nesting cannot overflow the call stack.
    pub fn from_nested<T: Element>(data: &Nested<T>) -> Result<Array> {
        let shape = infer_shape(data);
        checked_len(&shape, T::DTYPE)?;
        let mut out = Array::zeros(&shape, T::DTYPE)?;
        let values = out.typed_mut_unique::<T>()?;
        let mut written = 0;
        let mut visit = |node: &Nested<T>, depth: usize, path: &dyn Fn() -> Vec<usize>| -> Result<()> {
            let expected = shape.get(depth).copied();
            let found = arity(node);
            if found != expected {
                return Err(ErrorKind::Ragged { depth, path: path(), expected, found }.into());
            }
            if let Nested::Scalar(v) = node {
                values[written] = *v;
                written += 1;
            }
            Ok(())
        };
        visit(data, 0, &Vec::new)?;
        // Each frame is a list being walked and the index of its next child.
        let mut stack: Vec<(&[Nested<T>], usize)> = Vec::new();
        if let Nested::List(items) = data {
            stack.push((items, 0));
        }
        while let Some(top) = stack.last_mut() {
            let (items, next) = *top;
            if next == items.len() {
                stack.pop();
                continue;
            }
            top.1 += 1;
            let node = &items[next];
            let path = || stack.iter().map(|&(_, i)| i - 1).collect::<Vec<_>>();
            visit(node, stack.len(), &path)?;
            if let Nested::List(children) = node {
                stack.push((children, 0));
            }
        }
        Ok(out)
    }

    /// The elements as nested lists, the inverse of
    /// [`from_nested`](Array::from_nested) (NumPy's `tolist`): a 0-d array
    /// gives a [`Nested::Scalar`], every axis a level of lists, and
    /// zero-length axes empty lists (`(2, 0)` gives `[[], []]`). `T` must be
    /// the array's element type. Built bottom-up without recursion.
    pub fn to_nested<T: Element>(&self) -> Result<Nested<T>> {
        let mut level: Vec<Nested<T>> = self.to_vec::<T>()?.into_iter().map(Nested::Scalar).collect();
        for k in (0..self.ndim()).rev() {
            // Every prefix of a valid shape has a representable size.
            let groups: usize = self.shape[..k].iter().product();
            let len = self.shape[k];
            let mut items = level.into_iter();
            level = (0..groups).map(|_| Nested::List(items.by_ref().take(len).collect())).collect();
        }
        Ok(level.pop().expect("the outermost level holds exactly one node"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DType;
    use crate::error::Error;

    fn ragged(e: Error) -> (usize, Vec<usize>, Option<usize>, Option<usize>) {
        match e.into_kind() {
            ErrorKind::Ragged { depth, path, expected, found } => (depth, path, expected, found),
            other => panic!("expected Ragged, got {other:?}"),
        }
    }

    fn s(v: i64) -> Nested<i64> {
        Nested::Scalar(v)
    }

    fn l(v: Vec<Nested<i64>>) -> Nested<i64> {
        Nested::List(v)
    }

    #[test]
    fn shapes_from_nesting() {
        let a = Array::from_nested(&Nested::from(vec![vec![1.5f64, 2.0, 3.0], vec![4.0, 5.0, 6.0]])).unwrap();
        assert_eq!((a.shape(), a.dtype()), (&[2, 3][..], DType::Float64));
        assert_eq!(a.to_vec::<f64>().unwrap(), vec![1.5, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let z = Array::from_nested(&s(7)).unwrap();
        assert_eq!((z.shape(), z.item::<i64>().unwrap()), (&[][..], 7));
        assert_eq!(Array::from_nested(&l(vec![])).unwrap().shape(), &[0]);
        assert_eq!(Array::from_nested(&l(vec![l(vec![]), l(vec![])])).unwrap().shape(), &[2, 0]);
        assert_eq!(Array::from_nested(&l(vec![l(vec![l(vec![])])])).unwrap().shape(), &[1, 1, 0]);
        let b = Array::from_nested(&Nested::from(vec![true, false])).unwrap();
        assert_eq!(b.to_vec::<bool>().unwrap(), vec![true, false]);
    }

    #[test]
    fn ragged_input_names_the_first_offender() {
        let e = |n: Nested<i64>| ragged(Array::from_nested(&n).err().unwrap());
        assert_eq!(e(l(vec![l(vec![s(1), s(2)]), l(vec![s(3)])])), (1, vec![1], Some(2), Some(1)));
        assert_eq!(e(l(vec![s(1), l(vec![s(2)])])), (1, vec![1], None, Some(1)));
        assert_eq!(e(l(vec![l(vec![s(1)]), s(2)])), (1, vec![1], Some(1), None));
        assert_eq!(e(l(vec![l(vec![]), l(vec![s(1)])])), (1, vec![1], Some(0), Some(1)));
        // The deeper mismatch comes first in depth-first order.
        let deep = l(vec![l(vec![l(vec![s(1), s(2)]), l(vec![s(3)])]), l(vec![s(4)])]);
        assert_eq!(e(deep), (2, vec![0, 1], Some(2), Some(1)));
        let leaf = l(vec![l(vec![l(vec![])]), l(vec![s(4)])]);
        assert_eq!(e(leaf), (2, vec![1, 0], Some(0), None));
        let msg = Array::from_nested(&l(vec![l(vec![s(1), s(2)]), l(vec![s(3)])])).err().unwrap().to_string();
        assert!(msg.contains("index (1,) is a sequence of length 1"), "{msg}");
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let depth = 2000;
        let mut n = s(5);
        for _ in 0..depth {
            n = l(vec![n]);
        }
        let a = Array::from_nested(&n).unwrap();
        assert_eq!(a.shape(), vec![1; depth].as_slice());
        assert_eq!(a.to_nested::<i64>().unwrap(), n);
    }

    #[test]
    fn to_nested_round_trips() {
        for shape in [&[][..], &[0], &[3], &[2, 0], &[2, 3, 4], &[1, 1, 2]] {
            let a = Array::ones(shape, DType::Int64).unwrap();
            let n = a.to_nested::<i64>().unwrap();
            let b = Array::from_nested(&n).unwrap();
            assert_eq!(b.shape(), shape);
        }
        let a = Array::arange_int(0, 6, 1, DType::Int64).unwrap().reshape(&[2, 3]).unwrap().transpose();
        assert_eq!(a.to_nested::<i64>().unwrap(), Nested::from(vec![vec![0i64, 3], vec![1, 4], vec![2, 5]]));
        assert_eq!(Array::zeros(&[2, 0], DType::Int64).unwrap().to_nested::<i64>().unwrap(), l(vec![l(vec![]); 2]));
        assert!(a.to_nested::<f64>().is_err());
        // As with NumPy's tolist, a leading zero-length axis hides the rest.
        assert_eq!(Array::zeros(&[0, 3], DType::Int64).unwrap().to_nested::<i64>().unwrap(), l(vec![]));
    }
}
