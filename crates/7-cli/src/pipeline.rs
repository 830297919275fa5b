//! The preparation itself, delegated to `oxarray::prep`: the split
//! (`TrainTestSplit`, stratified by the labels) and one fitted
//! `ColumnTransformer` — numeric columns through a `Pipeline` of
//! `SimpleImputer` and a scaler, categorical columns through a
//! `CategoricalImputer` and an encoder. This module only translates the
//! command's options into those types and tables into frames.

use oxarray::io::csv::{Column, Table};
use oxarray::prep::{
    CategoricalColumn, CategoricalImputer, CategoricalStrategy, ColumnStep, ColumnTransformer, Frame, HandleUnknown,
    MinMaxScaler, OneHotEncoder, OrdinalEncoder, OrdinalUnknown, Pipeline, RobustScaler, SimpleImputer, Size,
    StandardScaler, Strategy, TrainTestSplit, take_rows,
};
use oxarray::{Array, DType};

use crate::error::CliResult;
use crate::prep::{Encode, Features, Impute, PrepArgs, Prepared, Scale};

/// The category that `--impute constant` fills categorical columns with.
pub const MISSING_CATEGORY: &str = "missing";

/// The rows `rows` of a CSV table as a prep frame.
fn frame(table: &Table, rows: &[usize]) -> CliResult<Frame> {
    let mut f = Frame::new();
    for (name, c) in table.names().iter().zip(table.columns()) {
        let column = match c {
            Column::Numeric(n) => oxarray::prep::Column::Numeric(n.values.clone()),
            Column::Categorical(k) => {
                oxarray::prep::Column::Categorical(CategoricalColumn::new(k.categories.clone(), &k.codes)?)
            }
        };
        f.push(name.clone(), column)?;
    }
    if rows.len() == table.n_rows() { Ok(f) } else { Ok(f.take_rows(rows)?) }
}

/// The column transformer the options describe.
fn transformer(features: &Features, args: &PrepArgs, dtype: DType) -> CliResult<ColumnTransformer> {
    let mut ct = ColumnTransformer::new().verbose_feature_names_out(false);
    if !features.numeric.is_empty() {
        let strategy = match args.impute {
            Impute::Mean => Strategy::Mean,
            Impute::Median => Strategy::Median,
            Impute::MostFrequent => Strategy::MostFrequent,
            Impute::Constant => Strategy::Constant(args.fill_value),
        };
        let mut numeric = Pipeline::new().step("impute", SimpleImputer::new(strategy))?;
        numeric = match args.scale {
            Scale::Standard => numeric.step("scale", StandardScaler::new())?,
            Scale::Minmax => numeric.step("scale", MinMaxScaler::new())?,
            Scale::Robust => numeric.step("scale", RobustScaler::new())?,
            Scale::None => numeric,
        };
        let cols: Vec<&str> = features.numeric.iter().map(String::as_str).collect();
        ct = ct.add("numeric", numeric, &cols)?;
    }
    if !features.categorical.is_empty() {
        let imputer = CategoricalImputer::new(match args.impute {
            Impute::Constant => CategoricalStrategy::Constant(MISSING_CATEGORY.into()),
            _ => CategoricalStrategy::MostFrequent,
        });
        // A category seen only in the test rows must not stop the transform.
        let step: ColumnStep = match args.encode {
            Encode::Onehot => {
                (imputer, OneHotEncoder::new().handle_unknown(HandleUnknown::Ignore).dtype(dtype)?).into()
            }
            Encode::Ordinal => {
                (imputer, OrdinalEncoder::new().handle_unknown(OrdinalUnknown::UseEncodedValue(-1.0)).dtype(dtype)?)
                    .into()
            }
        };
        let cols: Vec<&str> = features.categorical.iter().map(String::as_str).collect();
        ct = ct.add("categorical", step, &cols)?;
    }
    Ok(ct)
}

/// Splits, fits on the training rows and transforms both splits (see the
/// `prep` module docs).
pub fn prepare(features: &Features, labels: Option<&[i64]>, args: &PrepArgs) -> CliResult<Prepared> {
    let n = features.rows.len();
    let splitter = TrainTestSplit::new().test_size(Size::Fraction(args.test_size)).seed(args.seed);
    let split = match labels {
        Some(y) => splitter.split_stratified(y)?,
        None => splitter.split(n)?,
    };
    let rows = |idx: &[usize]| -> Vec<usize> { idx.iter().map(|&i| features.rows[i]).collect() };
    let (train_rows, test_rows) = (rows(&split.train), rows(&split.test));
    let dtype = args.dtype.dtype();
    let mut ct = transformer(features, args, dtype)?;
    let x_train = ct.fit_transform(&frame(features.table, &train_rows)?)?;
    let x_test = ct.transform(&frame(features.table, &test_rows)?)?;
    let cast = |x: Array| -> CliResult<Array> { Ok(if x.dtype() == dtype { x } else { x.astype(dtype)? }) };
    let y = labels.map(|y| Array::from_slice(y, &[y.len()])).transpose()?;
    let take = |idx: &[usize]| -> CliResult<Option<Array>> { Ok(y.as_ref().map(|y| take_rows(y, idx)).transpose()?) };
    Ok(Prepared {
        x_train: cast(x_train)?,
        x_test: cast(x_test)?,
        y_train: take(&split.train)?,
        y_test: take(&split.test)?,
        train_rows,
        test_rows,
        features: ct.get_feature_names_out()?,
        preparation_json: ct.to_json()?,
    })
}
