//! What a CSV read returns: named columns, numeric or categorical.

use oxarray_core::{Array, DType, Error, Result, dispatch};

/// A numeric column: the values (float32 or float64, NaN where missing) and,
/// when any value was missing, a boolean mask that is `true` exactly there.
///
/// The mask tells a missing field from a field that held a NaN literal (when
/// `NaN` is not a missing marker), and says which entries of an integer
/// column had no value.
#[derive(Clone, Debug)]
pub struct NumericColumn {
    /// The values, 1-D.
    pub values: Array,
    /// `true` where the field was missing; `None` if none was.
    pub mask: Option<Array>,
}

/// A categorical column: the distinct texts in the order they first appear
/// in the file, and one code per row indexing them (-1 where missing).
///
/// First-seen order keeps codes stable while a file is streamed in chunks
/// ([`CsvChunks`](super::CsvChunks)): a later chunk only appends categories.
/// [`sorted`](CategoricalColumn::sorted) gives the lexicographic order that
/// `pandas.Categorical` uses.
#[derive(Clone, Debug)]
pub struct CategoricalColumn {
    /// The distinct texts, first-seen order.
    pub categories: Vec<String>,
    /// int32 codes, 1-D; -1 marks a missing value.
    pub codes: Array,
}

impl CategoricalColumn {
    /// The same column with its categories sorted (by bytes) and its codes
    /// remapped.
    pub fn sorted(&self) -> Result<CategoricalColumn> {
        let mut order: Vec<usize> = (0..self.categories.len()).collect();
        order.sort_by(|&a, &b| self.categories[a].cmp(&self.categories[b]));
        let mut remap = vec![0i32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new as i32;
        }
        let codes: Vec<i32> =
            self.codes.to_vec::<i32>()?.into_iter().map(|c| if c < 0 { c } else { remap[c as usize] }).collect();
        let n = codes.len();
        Ok(CategoricalColumn {
            categories: order.iter().map(|&i| self.categories[i].clone()).collect(),
            codes: Array::from_vec(codes, &[n])?,
        })
    }

    /// The text of each row (`None` where missing).
    pub fn texts(&self) -> Result<Vec<Option<&str>>> {
        Ok(self
            .codes
            .to_vec::<i32>()?
            .into_iter()
            .map(|c| self.categories.get(c as usize).map(|s| s.as_str()))
            .collect())
    }
}

/// One column of a [`Table`].
#[derive(Clone, Debug)]
pub enum Column {
    /// Every non-missing field was a number.
    Numeric(NumericColumn),
    /// Text labels.
    Categorical(CategoricalColumn),
}

impl Column {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(c) => c.values.size(),
            Column::Categorical(c) => c.codes.size(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The numeric column, if it is one.
    pub fn as_numeric(&self) -> Option<&NumericColumn> {
        match self {
            Column::Numeric(c) => Some(c),
            Column::Categorical(_) => None,
        }
    }

    /// The categorical column, if it is one.
    pub fn as_categorical(&self) -> Option<&CategoricalColumn> {
        match self {
            Column::Categorical(c) => Some(c),
            Column::Numeric(_) => None,
        }
    }
}

/// Named columns of equal length: what [`read_csv`](super::read_csv) returns.
#[derive(Clone, Debug)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
    rows: usize,
}

impl Table {
    /// A table from names and columns. Every column must be 1-D with as many
    /// rows as the others, numeric values must be real numbers (bool, ints
    /// or floats), masks bool and codes int32 within the categories.
    pub fn new(names: Vec<String>, columns: Vec<Column>) -> Result<Table> {
        let op = "Table::new";
        if names.len() != columns.len() {
            return Err(Error::invalid(op, format!("{} names for {} columns", names.len(), columns.len())));
        }
        let rows = columns.first().map_or(0, Column::len);
        for (name, c) in names.iter().zip(&columns) {
            let bad = |m: String| Err(Error::invalid(op, format!("column {name:?}: {m}")));
            let shape_ok = |a: &Array| a.ndim() == 1 && a.size() == rows;
            match c {
                Column::Numeric(n) => {
                    if !shape_ok(&n.values) || n.mask.as_ref().is_some_and(|m| !shape_ok(m)) {
                        return bad(format!("expected {rows} values in 1-D arrays"));
                    }
                    if n.values.dtype().is_complex() {
                        return bad("complex values are not supported".into());
                    }
                    if n.mask.as_ref().is_some_and(|m| m.dtype() != DType::Bool) {
                        return bad("the mask must be bool".into());
                    }
                }
                Column::Categorical(k) => {
                    if !shape_ok(&k.codes) || k.codes.dtype() != DType::Int32 {
                        return bad(format!("expected {rows} int32 codes in a 1-D array"));
                    }
                    let n = k.categories.len() as i64;
                    if let Some(c) = k.codes.iter::<i32>()?.find(|&c| c < -1 || i64::from(c) >= n) {
                        return bad(format!("code {c} does not index the {n} categories"));
                    }
                }
            }
        }
        Ok(Table { names, columns, rows })
    }

    /// A table whose columns the reader built (trusted to be consistent).
    pub(crate) fn from_parts(names: Vec<String>, columns: Vec<Column>, rows: usize) -> Table {
        Table { names, columns, rows }
    }

    /// The column names, in column order. Names come from the header (an
    /// empty name becomes `"Unnamed: i"`, a repeated name gets `".1"`,
    /// `".2"`, … appended, as in pandas), or are `"0"`, `"1"`, … without one.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names.iter().position(|n| n == name).map(|i| &self.columns[i])
    }

    /// The number of rows.
    pub fn n_rows(&self) -> usize {
        self.rows
    }

    /// The number of columns.
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    /// Names and columns, by value.
    pub fn into_parts(self) -> (Vec<String>, Vec<Column>) {
        (self.names, self.columns)
    }

    /// The numeric columns as one C-contiguous `rows × cols` array of
    /// `dtype` (a checked cast: NaN into an integer dtype is an error). A
    /// categorical column is an error naming it; select the numeric columns
    /// with [`CsvOptions::columns`](super::CsvOptions::columns).
    pub fn to_array(&self, dtype: DType) -> Result<Array> {
        let cols = self.numeric_values("to_array")?;
        let (rows, ncols) = (self.rows, cols.len());
        dispatch!(dtype, T => {
            let typed: Vec<Vec<T>> =
                cols.iter().map(|a| a.astype(dtype)?.to_vec::<T>()).collect::<Result<_>>()?;
            let mut out = Vec::with_capacity(rows * ncols);
            for r in 0..rows {
                out.extend(typed.iter().map(|c| c[r]));
            }
            Array::from_vec(out, &[rows, ncols])
        })
    }

    pub(crate) fn numeric_values(&self, op: &'static str) -> Result<Vec<&Array>> {
        self.columns
            .iter()
            .zip(&self.names)
            .map(|(c, name)| match c {
                Column::Numeric(n) => Ok(&n.values),
                Column::Categorical(_) => Err(not_numeric(op, name)),
            })
            .collect()
    }
}

pub(crate) fn not_numeric(op: &'static str, name: &str) -> Error {
    Error::invalid(
        op,
        format!(
            "column {name:?} is categorical (it holds text that is not a number); \
             leave it out with CsvOptions::columns or encode it first"
        ),
    )
}
