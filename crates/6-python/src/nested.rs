//! Nested Python lists and tuples of scalars become arrays, with NumPy's
//! type inference (`bool` < `int` → int64 < `float` → float64 < `complex`
//! → complex128) and core's checks for ragged input.

use oxarray::{Array, DType, Element, Nested};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::array::as_array;
use crate::errors::to_pyerr;
use crate::scalar::PyScalar;

/// NumPy's limit on the number of dimensions.
const MAX_DEPTH: usize = 64;

/// Nested data read from Python: lists, and scalars at the leaves.
enum Node {
    List(Vec<Node>),
    Leaf(PyScalar),
}

/// Whether `obj` is a list or a tuple (the sequences NumPy descends into,
/// besides arrays).
fn is_sequence(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()
}

/// Reads `obj` into a tree, converting arrays and NumPy scalars inside
/// the lists through their `tolist()`/`item()`.
fn read(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Node> {
    if depth > MAX_DEPTH {
        return Err(PyValueError::new_err(format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    if is_sequence(obj) {
        let items = obj.try_iter()?.map(|item| read(&item?, depth + 1)).collect::<PyResult<Vec<_>>>()?;
        return Ok(Node::List(items));
    }
    if let Some(s) = PyScalar::extract(obj)? {
        return Ok(Node::Leaf(s));
    }
    if let Some(a) = as_array(obj) {
        return read(&crate::array::to_list(obj.py(), &a)?, depth);
    }
    // NumPy arrays and scalars, and other array-likes inside lists.
    if obj.hasattr("tolist")? {
        let list = obj.call_method0("tolist")?;
        if is_sequence(&list) || PyScalar::extract(&list)?.is_some() {
            return read(&list, depth);
        }
    }
    Err(PyTypeError::new_err(format!(
        "cannot make an array element from {} (expected bool, int, float, complex, or nested lists of them)",
        obj.get_type().name()?
    )))
}

/// The dtype NumPy infers for the leaves: the highest kind wins; integers
/// above `i64::MAX` make `uint64` if every integer is non-negative.
fn infer(node: &Node, acc: &mut (u8, bool, bool)) {
    match node {
        Node::List(items) => items.iter().for_each(|n| infer(n, acc)),
        Node::Leaf(s) => {
            let rank = match s {
                PyScalar::Bool(_) => 0,
                PyScalar::Int(i) => {
                    acc.2 |= *i < 0;
                    1
                }
                PyScalar::UInt(_) => {
                    acc.1 = true;
                    1
                }
                PyScalar::Float(_) => 2,
                PyScalar::Complex(..) => 3,
            };
            acc.0 = acc.0.max(rank);
        }
    }
}

fn convert<T: Element>(node: &Node) -> Result<Nested<T>, oxarray::Lossy> {
    Ok(match node {
        Node::List(items) => Nested::List(items.iter().map(convert).collect::<Result<_, _>>()?),
        Node::Leaf(s) => Nested::Scalar(T::from_wide_checked(s.to_wide())?),
    })
}

/// An array from a Python scalar or nested lists/tuples. `dtype`, when
/// given, is applied as a checked cast (`astype`).
pub(crate) fn from_nested(obj: &Bound<'_, PyAny>, dtype: Option<DType>) -> PyResult<Array> {
    let tree = read(obj, 0)?;
    let mut acc = (0u8, false, false);
    infer(&tree, &mut acc);
    let (rank, big, negative) = acc;
    let inferred = match rank {
        0 if matches!(tree, Node::List(_)) && !has_leaf(&tree) => DType::Float64, // `[]`, like NumPy
        0 => DType::Bool,
        1 if big && negative => {
            return Err(crate::errors::out_of_range(
                obj.py(),
                "the integers fit neither int64 nor uint64 together (some are negative, some above 2**63 - 1)".into(),
            ));
        }
        1 if big => DType::UInt64,
        1 => DType::Int64,
        2 => DType::Float64,
        _ => DType::Complex128,
    };
    let array = oxarray::dispatch!(inferred, T => {
        let nested = convert::<T>(&tree).map_err(|e| PyValueError::new_err(e.describe()))?;
        Array::from_nested(&nested).map_err(to_pyerr)?
    });
    match dtype {
        Some(d) if d != array.dtype() => array.astype(d).map_err(to_pyerr),
        _ => Ok(array),
    }
}

fn has_leaf(node: &Node) -> bool {
    match node {
        Node::Leaf(_) => true,
        Node::List(items) => items.iter().any(has_leaf),
    }
}
