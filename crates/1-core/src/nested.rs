//! Arrays from nested data (lists of lists), with clear errors on ragged input.

/// Nested data: a scalar or a list of nested data.
#[derive(Clone, Debug, PartialEq)]
pub enum Nested<T> {
    /// A leaf value.
    Scalar(T),
    /// A list of nested values.
    List(Vec<Nested<T>>),
}
