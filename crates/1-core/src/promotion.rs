//! Type promotion: the Array API standard's table, NumPy 2 (NEP 50) where
//! the standard is silent.

use crate::dtype::DType;
use crate::error::Result;

/// The kind of a Python-style "weak" scalar operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarKind {
    /// `True`/`False`.
    Bool,
    /// A Python `int`.
    Int,
    /// A Python `float`.
    Float,
    /// A Python `complex`.
    Complex,
}

/// The dtype two array operands promote to (stub).
pub fn result_type(a: DType, b: DType) -> Result<DType> {
    let _ = b;
    Ok(a)
}

/// The dtype an array operand and a weak scalar promote to (stub).
pub fn result_type_with_scalar(a: DType, s: ScalarKind) -> Result<DType> {
    let _ = s;
    Ok(a)
}
