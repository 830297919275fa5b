//! oxarray's error type: one [`Error`] carrying a structured [`ErrorKind`]
//! that names what was wrong and where.

use std::fmt;
use std::path::PathBuf;

use crate::cast::Casting;
use crate::dtype::DType;
use crate::element::Lossy;

/// The error every fallible oxarray function returns. It is one pointer wide
/// (the kind is boxed) so `Result<T, Error>` stays small.
pub struct Error(Box<ErrorKind>);

/// `Result<T, oxarray::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, with the data needed to say where.
///
/// Non-exhaustive: later layers (files, prep) add kinds.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Two shapes cannot be broadcast together.
    Broadcast {
        /// The left operand's shape.
        lhs: Vec<usize>,
        /// The right operand's shape (or the broadcast target).
        rhs: Vec<usize>,
    },
    /// An operation needs shapes that agree and they do not.
    ShapeMismatch {
        /// The operation.
        op: &'static str,
        /// The shape that was expected.
        expected: Vec<usize>,
        /// The shape that was given.
        found: Vec<usize>,
    },
    /// Data of `len` elements does not fill `shape`.
    SizeMismatch {
        /// The requested shape.
        shape: Vec<usize>,
        /// The number of elements provided.
        len: usize,
    },
    /// The element count of a shape overflows, or its bytes exceed `isize::MAX`.
    SizeOverflow {
        /// The offending shape.
        shape: Vec<usize>,
    },
    /// An index lies outside an axis.
    IndexOutOfBounds {
        /// The axis of the array being indexed.
        axis: usize,
        /// The index given (before wrapping negative values).
        index: isize,
        /// The length of that axis.
        len: usize,
    },
    /// An axis number lies outside `-ndim..ndim`.
    AxisOutOfBounds {
        /// The axis given.
        axis: isize,
        /// The array's number of dimensions.
        ndim: usize,
    },
    /// More indices than dimensions, or a second ellipsis.
    TooManyIndices {
        /// The array's number of dimensions.
        ndim: usize,
        /// How many axes the index addresses.
        given: usize,
    },
    /// A typed access asked for a Rust type that is not the array's dtype.
    DTypeMismatch {
        /// The operation.
        op: &'static str,
        /// The dtype the caller asked for.
        expected: DType,
        /// The array's dtype.
        found: DType,
    },
    /// A dtype is not supported by an operation.
    UnsupportedDType {
        /// The operation.
        op: &'static str,
        /// The dtype.
        dtype: DType,
    },
    /// A dtype name that oxarray does not know.
    UnknownDType {
        /// The name given.
        name: String,
    },
    /// A cast that the casting policy forbids.
    CastNotAllowed {
        /// Source dtype.
        from: DType,
        /// Target dtype.
        to: DType,
        /// The policy in force.
        casting: Casting,
    },
    /// A cast that would lose data: the first offending element is named.
    LossyCast {
        /// Source dtype.
        from: DType,
        /// Target dtype.
        to: DType,
        /// Multi-index of the first offending element, in logical order.
        index: Vec<usize>,
        /// The offending value, formatted.
        value: String,
        /// Why it cannot be represented.
        reason: Lossy,
    },
    /// Nested data (lists of lists) is not rectangular.
    Ragged {
        /// Depth of the disagreement (0 is the outermost list).
        depth: usize,
        /// Path of indices to the list that disagrees.
        path: Vec<usize>,
        /// Length (or "scalar" as `None`) that the first sibling had.
        expected: Option<usize>,
        /// Length (or `None` for a scalar) found here.
        found: Option<usize>,
    },
    /// A reshape whose sizes differ.
    Reshape {
        /// The array's shape.
        from: Vec<usize>,
        /// The requested shape (with `-1` shown as given).
        to: Vec<isize>,
    },
    /// A view was required but the layout needs a copy.
    NotAView {
        /// The operation.
        op: &'static str,
        /// The array's shape.
        shape: Vec<usize>,
        /// The array's strides (elements).
        strides: Vec<isize>,
    },
    /// A layout addresses memory outside its buffer, or a pointer is not
    /// aligned for the dtype (foreign memory).
    InvalidLayout {
        /// What is wrong.
        message: String,
    },
    /// A linear-algebra routine cannot produce a result for one matrix of a
    /// stack (NumPy's `LinAlgError`): a singular matrix in `inv`/`solve`, a
    /// matrix that is not positive definite in `cholesky`, no convergence.
    LinAlg {
        /// The operation.
        op: &'static str,
        /// Index of the matrix in the leading (batch) axes; empty for a
        /// single matrix.
        index: Vec<usize>,
        /// What is wrong ("Singular matrix", …).
        message: String,
    },
    /// Any other invalid argument.
    InvalidArgument {
        /// The operation.
        op: &'static str,
        /// What is wrong with the argument.
        message: String,
    },
    /// Malformed input in a file or byte stream (npy, npz, safetensors, CSV,
    /// images…): which format, which file, where in it, and what was wrong.
    Parse {
        /// The format being read ("npy", "csv", …).
        format: &'static str,
        /// The file, when reading from one.
        path: Option<PathBuf>,
        /// Where in the input.
        location: Location,
        /// What was expected or found.
        message: String,
    },
    /// An I/O error while mapping or reading a file.
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// A position in an input, for [`ErrorKind::Parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// No finer position than the file.
    Unknown,
    /// A byte offset from the start of the input.
    Byte(u64),
    /// A 1-based line and, when known, a 1-based column (a field number for
    /// CSV).
    Line {
        /// 1-based line number.
        line: u64,
        /// 1-based column or field number.
        column: Option<u64>,
    },
    /// A member of an archive (npz), optionally with a byte offset inside it.
    Member {
        /// The member's name.
        name: String,
        /// Byte offset within the member.
        offset: Option<u64>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Unknown => Ok(()),
            Location::Byte(b) => write!(f, "at byte {b}"),
            Location::Line { line, column: Some(c) } => write!(f, "at line {line}, column {c}"),
            Location::Line { line, column: None } => write!(f, "at line {line}"),
            Location::Member { name, offset: Some(o) } => write!(f, "in member {name:?} at byte {o}"),
            Location::Member { name, offset: None } => write!(f, "in member {name:?}"),
        }
    }
}

impl Error {
    /// A [`ErrorKind::Parse`] error.
    pub fn parse(
        format: &'static str,
        path: Option<&std::path::Path>,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        ErrorKind::Parse { format, path: path.map(Into::into), location, message: message.into() }.into()
    }

    /// An [`ErrorKind::Io`] error for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ErrorKind::Io { path: path.into(), source }.into()
    }

    /// The structured kind.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Consumes the error, returning its kind.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// Shorthand for [`ErrorKind::InvalidArgument`].
    pub fn invalid(op: &'static str, message: impl Into<String>) -> Self {
        ErrorKind::InvalidArgument { op, message: message.into() }.into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Debug shows the message too, so `unwrap()` failures read well.
        write!(f, "Error({:?}): {}", self.0, self)
    }
}

struct Shape<'a, T>(&'a [T]);

impl<T: fmt::Display> fmt::Display for Shape<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() == 1 {
            f.write_str(",")?;
        }
        f.write_str(")")
    }
}

fn len_or_scalar(x: &Option<usize>) -> String {
    match x {
        Some(n) => format!("a sequence of length {n}"),
        None => "a scalar".to_string(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Broadcast { lhs, rhs } => {
                write!(f, "shapes {} and {} cannot be broadcast together", Shape(lhs), Shape(rhs))
            }
            ErrorKind::ShapeMismatch { op, expected, found } => {
                write!(f, "{op}: expected shape {}, found {}", Shape(expected), Shape(found))
            }
            ErrorKind::SizeMismatch { shape, len } => write!(
                f,
                "cannot make an array of shape {} ({} elements) from {len} elements",
                Shape(shape),
                shape
                    .iter()
                    .try_fold(1usize, |a, &d| a.checked_mul(d))
                    .map_or("too many".to_string(), |n| n.to_string())
            ),
            ErrorKind::SizeOverflow { shape } => {
                write!(f, "shape {} is too large: its size overflows", Shape(shape))
            }
            ErrorKind::IndexOutOfBounds { axis, index, len } => {
                write!(f, "index {index} is out of bounds for axis {axis} with size {len}")
            }
            ErrorKind::AxisOutOfBounds { axis, ndim } => {
                write!(f, "axis {axis} is out of bounds for array of dimension {ndim}")
            }
            ErrorKind::TooManyIndices { ndim, given } => {
                write!(f, "too many indices for array: array is {ndim}-dimensional, but {given} were indexed")
            }
            ErrorKind::DTypeMismatch { op, expected, found } => {
                write!(f, "{op}: requested element type {expected} but the array's dtype is {found}")
            }
            ErrorKind::UnsupportedDType { op, dtype } => {
                write!(f, "{op} is not supported for dtype {dtype}")
            }
            ErrorKind::UnknownDType { name } => write!(f, "unknown dtype {name:?}"),
            ErrorKind::CastNotAllowed { from, to, casting } => {
                write!(f, "cannot cast from {from} to {to} according to the rule {casting}")
            }
            ErrorKind::LossyCast { from, to, index, value, reason } => write!(
                f,
                "cannot cast {from} to {to} without losing data: element at index {} is {value} ({})",
                Shape(index),
                reason.describe()
            ),
            ErrorKind::Ragged { depth, path, expected, found } => write!(
                f,
                "ragged nested data at depth {depth}: the element at index {} is {}, but its first sibling is {}",
                Shape(path),
                len_or_scalar(found),
                len_or_scalar(expected)
            ),
            ErrorKind::Reshape { from, to } => write!(
                f,
                "cannot reshape array of shape {} ({} elements) into shape {}",
                Shape(from),
                from.iter().product::<usize>(),
                Shape(to)
            ),
            ErrorKind::NotAView { op, shape, strides } => write!(
                f,
                "{op}: array of shape {} with strides {} cannot be viewed without a copy",
                Shape(shape),
                Shape(strides)
            ),
            ErrorKind::InvalidLayout { message } => write!(f, "invalid layout: {message}"),
            ErrorKind::LinAlg { op, index, message } => {
                write!(f, "{op}: {message}")?;
                if !index.is_empty() {
                    write!(f, " (the matrix at batch index {})", Shape(index))?;
                }
                Ok(())
            }
            ErrorKind::InvalidArgument { op, message } => write!(f, "{op}: {message}"),
            ErrorKind::Parse { format, path, location, message } => {
                if let Some(p) = path {
                    write!(f, "{}: ", p.display())?;
                }
                write!(f, "invalid {format}")?;
                if *location != Location::Unknown {
                    write!(f, " {location}")?;
                }
                write!(f, ": {message}")
            }
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_what_and_where() {
        let e: Error = ErrorKind::Broadcast { lhs: vec![2, 3], rhs: vec![4] }.into();
        assert_eq!(e.to_string(), "shapes (2, 3) and (4,) cannot be broadcast together");
        let e: Error = ErrorKind::IndexOutOfBounds { axis: 1, index: -5, len: 3 }.into();
        assert_eq!(e.to_string(), "index -5 is out of bounds for axis 1 with size 3");
        let e: Error = ErrorKind::Ragged { depth: 1, path: vec![2], expected: Some(3), found: Some(2) }.into();
        assert!(e.to_string().contains("index (2,) is a sequence of length 2"), "{e}");
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        let e = Error::parse(
            "csv",
            Some(std::path::Path::new("a.csv")),
            Location::Line { line: 3, column: Some(2) },
            "expected a number, found \"x\"",
        );
        assert_eq!(e.to_string(), "a.csv: invalid csv at line 3, column 2: expected a number, found \"x\"");
    }
}
