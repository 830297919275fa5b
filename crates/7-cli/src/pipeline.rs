//! The preparation itself, delegated to `oxarray::prep`.

use crate::error::{CliError, CliResult};
use crate::prep::{Features, PrepArgs, Prepared};

/// The category that `--impute constant` fills categorical columns with.
pub const MISSING_CATEGORY: &str = "missing";

/// Splits, fits and transforms (see the `prep` module docs).
pub fn prepare(_features: &Features, _labels: Option<&[i64]>, _args: &PrepArgs) -> CliResult<Prepared> {
    Err(CliError::new("the preparation layer (oxarray::prep) is not available yet"))
}
