//! # oxarray-prep
//!
//! From raw columns to model-ready arrays: the part of scikit-learn's
//! `preprocessing`, `impute`, `compose`, `pipeline` and `model_selection`
//! that prepares data, with the same defaults and results, plus a
//! mini-batch loader for training loops.
//!
//! | step | types |
//! |---|---|
//! | impute | [`SimpleImputer`] (mean, median, most frequent, constant; missing indicators), [`CategoricalImputer`] |
//! | scale | [`StandardScaler`], [`MinMaxScaler`], [`MaxAbsScaler`], [`RobustScaler`], [`Normalizer`] |
//! | encode | [`OneHotEncoder`], [`OrdinalEncoder`] over the categorical columns of a [`Frame`] |
//! | compose | [`Pipeline`], [`ColumnTransformer`]; saved and loaded as JSON ([`persist`]) |
//! | split | [`train_test_split`] / [`TrainTestSplit`] (stratified too), [`KFold`], [`StratifiedKFold`], [`take_rows`] |
//! | batch | [`BatchLoader`]: zero-copy views in order, prefetched gathers when shuffled |
//!
//! ## Transformers
//!
//! Numeric transformers implement [`Transformer`]: `fit`, `transform`,
//! `fit_transform`, `inverse_transform`, `get_feature_names_out`. They take
//! 2-D arrays (samples × features); `float32` stays `float32`, integers are
//! cast to `float64` first, and NaN is a missing value (ignored by the
//! scalers' `fit`, kept by their `transform`). Fitted state is inspectable
//! under scikit-learn's attribute names (`mean()` for `mean_`, …).
//! [`Transformer::transform_owned`] takes the array by value and works in
//! place when that handle is the array's only owner — a pipeline hands its
//! intermediate arrays along that way, so a chain of scalers allocates once.
//!
//! ```
//! use oxarray_core::Array;
//! use oxarray_prep::{SimpleImputer, StandardScaler, Strategy, Transformer};
//! let x = Array::from_slice(&[1.0f32, 10.0, f32::NAN, 20.0, 3.0, 30.0], &[3, 2])?;
//! let filled = SimpleImputer::new(Strategy::Mean).fit_transform(&x)?;
//! assert_eq!(filled.to_vec::<f32>()?, vec![1.0, 10.0, 2.0, 20.0, 3.0, 30.0]);
//! let mut scaler = StandardScaler::new();
//! scaler.fit(&filled)?;
//! let before = filled.as_ptr();
//! let z = scaler.transform_owned(filled)?;             // the only handle: in place
//! assert_eq!(z.as_ptr(), before);
//! assert_eq!(scaler.mean().unwrap().to_vec::<f64>()?, vec![2.0, 20.0]);
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! ## Columns of a table, and preparation saved for serving
//!
//! A [`Frame`] holds named numeric columns and categorical columns
//! ([`CategoricalColumn`]: distinct names plus one code per row, `-1` for
//! missing — the shape a CSV reader produces). A [`ColumnTransformer`]
//! sends column subsets through different steps and concatenates the
//! results; saved as JSON, the fitted preparation is loaded at serving time
//! and gives bit-identical output.
//!
//! ```
//! use oxarray_core::Array;
//! use oxarray_prep::*;
//! let frame = Frame::new()
//!     .with_numeric("bill_length_mm", Array::from_slice(&[39.1f64, 39.5, f64::NAN, 46.5], &[4])?)?
//!     .with_numeric("body_mass_g", Array::from_slice(&[3750.0f64, 3800.0, 3250.0, 4500.0], &[4])?)?
//!     .with_categorical("island", CategoricalColumn::from_values(&[Some("Torgersen"), Some("Biscoe"), Some("Dream"), None]))?;
//! let numeric = Pipeline::new()
//!     .step("impute", SimpleImputer::new(Strategy::Median))?
//!     .step("scale", StandardScaler::new())?;
//! let mut prep = ColumnTransformer::new()
//!     .add("num", numeric, &["bill_length_mm", "body_mass_g"])?
//!     .add("cat", OneHotEncoder::new().handle_unknown(HandleUnknown::Ignore), &["island"])?;
//! let x = prep.fit_transform(&frame)?;
//! assert_eq!(x.shape(), &[4, 6]);
//! assert_eq!(prep.get_feature_names_out()?[2..], ["cat__island_Biscoe", "cat__island_Dream", "cat__island_Torgersen", "cat__island_nan"]);
//!
//! let dir = tempfile::tempdir().expect("temp dir");
//! let path = dir.path().join("prep.json");
//! prep.save(&path)?;
//! let served = ColumnTransformer::load(&path)?;
//! assert_eq!(served.transform(&frame)?.to_vec::<f64>()?, x.to_vec::<f64>()?);
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! ## Splits and batches
//!
//! ```
//! use oxarray_core::{Array, DType};
//! use oxarray_prep::{take_rows, BatchLoader, Size, TrainTestSplit};
//! let x = Array::arange(0.0, 40.0, 1.0, DType::Float32)?.reshape(&[20, 2])?;
//! let y: Vec<i64> = (0..20).map(|i| i64::from(i % 4 == 0)).collect();
//! let split = TrainTestSplit::new().test_size(Size::Fraction(0.2)).seed(1).split_stratified(&y)?;
//! assert_eq!(split.test.iter().filter(|&&i| y[i] == 1).count(), 1);   // 5 positives → 1 in test
//! let x_train = take_rows(&x, &split.train)?;
//! for batch in BatchLoader::new(vec![x_train], 8)?.shuffle(0).epoch(0) {
//!     assert!(batch?.len() <= 8);
//! }
//! # Ok::<(), oxarray_core::Error>(())
//! ```
//!
//! ## Speed
//!
//! Data is row-major, so column statistics walk the rows in memory order
//! into small per-column accumulators, in blocks of rows that run on
//! several threads (rayon) above a size threshold; block results merge in a
//! fixed order, so results do not depend on the thread count.
//! `examples/bench_prep.rs` and `bench/prep_sklearn.py` time the same
//! imputation and standardisation as scikit-learn.

mod batch;
mod columns;
mod encode;
mod frame;
mod impute;
pub mod persist;
mod pipeline;
mod scale;
mod split;
mod transformer;

pub use batch::{Batch, BatchLoader, Batches};
pub use encode::{HandleUnknown, OneHotEncoder, OrdinalEncoder, OrdinalUnknown};
pub use frame::{CategoricalColumn, Column, Frame};
pub use impute::{CategoricalImputer, CategoricalStrategy, SimpleImputer, Strategy};
pub use persist::Persist;
pub use pipeline::{ColumnStep, ColumnTransformer, Encoder, Pipeline, Remainder, Step};
pub use scale::{MaxAbsScaler, MinMaxScaler, Norm, Normalizer, RobustScaler, StandardScaler};
pub use split::{KFold, Size, Split, StratifiedKFold, TrainTestSplit, take_rows, train_test_split};
pub use transformer::{Transformer, default_feature_names};
