//! [`Frame`]: named columns, numeric or categorical, as they come out of a
//! CSV file — the input of [`ColumnTransformer`](crate::ColumnTransformer)
//! and of the encoders.
//!
//! A categorical column is a list of distinct category names and one
//! integer code per row indexing that list, with `-1` for a missing value
//! ([`CategoricalColumn`]). Codes are local to a column and to a file: two
//! files may number the same categories differently, which is why encoders
//! learn category *names* and map each file's codes through them.

use std::collections::HashMap;

use oxarray_core::{Array, DType, Error, Kind, Result, s};

/// A categorical column: distinct category names and, per row, the index
/// of its category (`-1` for a missing value).
///
/// ```
/// use oxarray_prep::CategoricalColumn;
/// let c = CategoricalColumn::from_values(&[Some("Biscoe"), None, Some("Dream"), Some("Biscoe")]);
/// assert_eq!(c.categories(), &["Biscoe", "Dream"]);
/// assert_eq!(c.codes(), &[0, -1, 1, 0]);
/// assert_eq!(c.value(1), None);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CategoricalColumn {
    categories: Vec<String>,
    codes: Vec<i64>,
}

impl CategoricalColumn {
    /// A column from its category names and a 1-D integer array of codes,
    /// each in `-1..categories.len()`. Duplicate names are an error.
    pub fn new(categories: Vec<String>, codes: &Array) -> Result<Self> {
        const OP: &str = "CategoricalColumn";
        if codes.ndim() != 1 {
            return Err(Error::invalid(OP, format!("codes must be 1-D, got shape {:?}", codes.shape())));
        }
        if !matches!(codes.dtype().kind(), Kind::SignedInt | Kind::UnsignedInt) {
            return Err(Error::invalid(OP, format!("codes must be integers, got {}", codes.dtype())));
        }
        let codes = codes.astype(DType::Int64)?.to_vec::<i64>()?;
        Self::from_codes(categories, codes)
    }

    /// A column from category names and codes as a `Vec`.
    pub fn from_codes(categories: Vec<String>, codes: Vec<i64>) -> Result<Self> {
        const OP: &str = "CategoricalColumn";
        let mut seen = HashMap::with_capacity(categories.len());
        for (i, c) in categories.iter().enumerate() {
            if let Some(j) = seen.insert(c.as_str(), i) {
                return Err(Error::invalid(OP, format!("category {c:?} is listed twice (at {j} and {i})")));
            }
        }
        let n = categories.len() as i64;
        if let Some((row, &code)) = codes.iter().enumerate().find(|&(_, &c)| c < -1 || c >= n) {
            return Err(Error::invalid(
                OP,
                format!("code {code} at row {row} is outside -1..{n} (there are {n} categories)"),
            ));
        }
        Ok(CategoricalColumn { categories, codes })
    }

    /// A column from string values (`None` is missing); categories are
    /// numbered in order of first appearance.
    pub fn from_values(values: &[Option<&str>]) -> Self {
        let mut index: HashMap<&str, i64> = HashMap::new();
        let mut categories = Vec::new();
        let codes = values
            .iter()
            .map(|v| match v {
                None => -1,
                Some(s) => *index.entry(s).or_insert_with(|| {
                    categories.push(s.to_string());
                    categories.len() as i64 - 1
                }),
            })
            .collect();
        CategoricalColumn { categories, codes }
    }

    /// The distinct category names.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// One code per row (`-1`: missing).
    pub fn codes(&self) -> &[i64] {
        &self.codes
    }

    /// The codes as a 1-D `int64` array.
    pub fn codes_array(&self) -> Array {
        Array::from_slice(&self.codes, &[self.codes.len()]).expect("a 1-D shape always fits its data")
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The category name of row `i` (`None` when missing or out of range).
    pub fn value(&self, i: usize) -> Option<&str> {
        let c = *self.codes.get(i)?;
        usize::try_from(c).ok().map(|c| self.categories[c].as_str())
    }

    /// The rows at `indices`, in that order (same categories).
    pub fn take(&self, indices: &[usize]) -> Result<Self> {
        let codes = indices
            .iter()
            .map(|&i| {
                self.codes.get(i).copied().ok_or_else(|| {
                    Error::invalid("take", format!("row {i} is out of bounds for a column of {} rows", self.len()))
                })
            })
            .collect::<Result<_>>()?;
        Ok(CategoricalColumn { categories: self.categories.clone(), codes })
    }
}

/// One column of a [`Frame`].
#[derive(Clone, Debug)]
pub enum Column {
    /// A 1-D numeric array (any real dtype; NaN is missing).
    Numeric(Array),
    /// Category codes and names.
    Categorical(CategoricalColumn),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Numeric(a) => a.shape()[0],
            Column::Categorical(c) => c.len(),
        }
    }
}

/// Named columns of equal length, numeric or categorical: what a CSV file
/// holds, and what [`ColumnTransformer`](crate::ColumnTransformer) selects
/// from by name.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{CategoricalColumn, Frame};
/// let frame = Frame::new()
///     .with_numeric("bill_length_mm", Array::from_slice(&[39.1f64, f64::NAN, 40.3], &[3])?)?
///     .with_categorical("island", CategoricalColumn::from_values(&[Some("Torgersen"), Some("Biscoe"), None]))?;
/// assert_eq!((frame.n_rows(), frame.n_columns()), (3, 2));
/// assert_eq!(frame.names(), &["bill_length_mm", "island"]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Frame {
    names: Vec<String>,
    columns: Vec<Column>,
}

impl Frame {
    /// An empty frame.
    pub fn new() -> Self {
        Frame::default()
    }

    /// The columns of a 2-D array as numeric columns (views, no copy),
    /// named `names` or `x0`, `x1`, … as scikit-learn names unnamed columns.
    pub fn from_array(x: &Array, names: Option<&[String]>) -> Result<Self> {
        if x.ndim() != 2 {
            return Err(Error::invalid(
                "Frame::from_array",
                format!("expected a 2-D array, got shape {:?}", x.shape()),
            ));
        }
        let n = x.shape()[1];
        let names = crate::transformer::input_names(names, n, "Frame::from_array")?;
        let mut f = Frame::new();
        for (j, name) in names.into_iter().enumerate() {
            f.push(name, Column::Numeric(x.slice(&s![.., j as isize])?))?;
        }
        Ok(f)
    }

    /// Appends a column; its name must be new and its length match.
    pub fn push(&mut self, name: impl Into<String>, column: Column) -> Result<()> {
        let name = name.into();
        const OP: &str = "Frame::push";
        if self.names.contains(&name) {
            return Err(Error::invalid(OP, format!("a column named {name:?} already exists")));
        }
        if let Column::Numeric(a) = &column {
            if a.ndim() != 1 {
                return Err(Error::invalid(
                    OP,
                    format!("numeric column {name:?} must be 1-D, got shape {:?}", a.shape()),
                ));
            }
            if !matches!(a.dtype().kind(), Kind::Bool | Kind::SignedInt | Kind::UnsignedInt | Kind::Float) {
                return Err(Error::invalid(OP, format!("numeric column {name:?} has unsupported dtype {}", a.dtype())));
            }
        }
        if let Some(first) = self.columns.first()
            && first.len() != column.len()
        {
            return Err(Error::invalid(
                OP,
                format!("column {name:?} has {} rows but the frame has {}", column.len(), first.len()),
            ));
        }
        self.names.push(name);
        self.columns.push(column);
        Ok(())
    }

    /// Builder form of [`push`](Frame::push) for a numeric column.
    pub fn with_numeric(mut self, name: impl Into<String>, values: Array) -> Result<Self> {
        self.push(name, Column::Numeric(values))?;
        Ok(self)
    }

    /// Builder form of [`push`](Frame::push) for a categorical column.
    pub fn with_categorical(mut self, name: impl Into<String>, column: CategoricalColumn) -> Result<Self> {
        self.push(name, Column::Categorical(column))?;
        Ok(self)
    }

    /// The number of rows (0 for a frame without columns).
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// The number of columns.
    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// The column names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The columns, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The position of the column named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.index_of(name).map(|i| &self.columns[i])
    }

    /// The rows at `indices`, in that order (for train/test splits).
    pub fn take_rows(&self, indices: &[usize]) -> Result<Frame> {
        let mut f = Frame::new();
        for (name, col) in self.names.iter().zip(&self.columns) {
            let col = match col {
                Column::Numeric(a) => Column::Numeric(crate::split::take_rows(a, indices)?),
                Column::Categorical(c) => Column::Categorical(c.take(indices)?),
            };
            f.push(name.clone(), col)?;
        }
        Ok(f)
    }

    /// The named numeric columns as one C-contiguous 2-D array (rows ×
    /// selected columns): `float32` if every selected column is `float32`,
    /// `float64` otherwise. A categorical column is an error.
    pub fn numeric_matrix(&self, names: &[String]) -> Result<Array> {
        const OP: &str = "Frame::numeric_matrix";
        let mut cols = Vec::with_capacity(names.len());
        for name in names {
            match self.column(name) {
                Some(Column::Numeric(a)) => cols.push(a),
                Some(Column::Categorical(_)) => {
                    return Err(Error::invalid(
                        OP,
                        format!("column {name:?} is categorical; encode it (OneHotEncoder, OrdinalEncoder) instead"),
                    ));
                }
                None => return Err(missing_column(OP, name, self)),
            }
        }
        let n = self.n_rows();
        let all_f32 = !cols.is_empty() && cols.iter().all(|a| a.dtype() == DType::Float32);
        if all_f32 {
            gather_columns::<f32>(&cols, n, DType::Float32)
        } else {
            gather_columns::<f64>(&cols, n, DType::Float64)
        }
    }
}

fn gather_columns<T: oxarray_core::Element>(cols: &[&Array], n: usize, dtype: DType) -> Result<Array> {
    let k = cols.len();
    let mut out = Array::zeros(&[n, k], dtype)?;
    let dst = out.as_slice_mut::<T>()?;
    for (j, c) in cols.iter().enumerate() {
        let c = if c.dtype() == dtype { (*c).clone() } else { c.astype(dtype)? };
        for (i, v) in c.iter::<T>()?.enumerate() {
            dst[i * k + j] = v;
        }
    }
    Ok(out)
}

pub(crate) fn missing_column(op: &'static str, name: &str, frame: &Frame) -> Error {
    Error::invalid(op, format!("column {name:?} is not in the data (columns: {:?})", frame.names()))
}
