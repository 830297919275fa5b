//! `ox prep --report DIR`: the plots of a preparation (see [`crate::plot`]).
//! Each PNG is written atomically; DIR is created if needed.

use std::path::Path;

use oxarray::io::csv::{Column, Table};
use oxarray::{Array, DType, s};

use crate::error::{CliError, CliResult};
use crate::plot::{self, FeaturePlot, MAX_FEATURES, histogram};
use crate::prep::Prepared;

fn create(dir: &Path) -> CliResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::new(format!("{}: cannot create the folder: {e}", dir.display())))
}

/// A column's values as float64.
fn floats(a: &Array) -> CliResult<Vec<f64>> {
    Ok(if a.dtype() == DType::Float64 { a.to_vec::<f64>()? } else { a.astype(DType::Float64)?.to_vec::<f64>()? })
}

/// The plots of a table's preparation: histograms of each numeric feature
/// on the training rows before (`features` table) and after (`X`) scaling,
/// and the missing values of the whole input `table`. Returns the files.
pub fn write_table_report(
    dir: &Path,
    table: &Table,
    features: &Table,
    numeric: &[String],
    prepared: &Prepared,
) -> CliResult<Vec<String>> {
    create(dir)?;
    let mut plots = Vec::new();
    for name in numeric.iter().take(MAX_FEATURES) {
        let Some(i) = features.names().iter().position(|n| n == name) else { continue };
        let Some(j) = prepared.features.iter().position(|n| n == name) else { continue };
        let Column::Numeric(col) = &features.columns()[i] else { continue };
        let values = floats(&col.values)?;
        let before: Vec<f64> = prepared.train_rows.iter().filter_map(|&r| values.get(r).copied()).collect();
        let after = floats(&prepared.x_train.slice(&s![.., j as isize])?)?;
        plots.push((name.as_str(), before, after));
    }
    let drawn: Vec<FeaturePlot> = plots
        .iter()
        .map(|(name, b, a)| FeaturePlot {
            name,
            before: histogram(b.iter().copied()),
            after: histogram(a.iter().copied()),
        })
        .collect();
    let hist = dir.join("histograms.png");
    plot::write_histograms(&hist, &drawn, numeric.len().saturating_sub(MAX_FEATURES))?;
    let missing: Vec<Vec<bool>> = table
        .columns()
        .iter()
        .map(|c| -> CliResult<Vec<bool>> {
            Ok(match c {
                Column::Numeric(n) => floats(&n.values)?.into_iter().map(f64::is_nan).collect(),
                Column::Categorical(k) => k.codes.to_vec::<i32>()?.into_iter().map(|c| c < 0).collect(),
            })
        })
        .collect::<CliResult<_>>()?;
    let map = dir.join("missing.png");
    plot::write_missing_map(&map, table.names(), &missing)?;
    Ok(vec![hist.display().to_string(), map.display().to_string()])
}

/// The plots of an image folder's preparation: a histogram per channel of
/// the training images' pixels before (0–255) and after (`X`) scaling.
/// Images have no missing values, so there is no map. Returns the files.
pub fn write_image_report(dir: &Path, channels: &[&str], before: &Array, after: &Array) -> CliResult<Vec<String>> {
    create(dir)?;
    let c = channels.len();
    let mut drawn = Vec::new();
    for (k, name) in channels.iter().enumerate() {
        let take = |a: &Array| -> CliResult<Vec<f64>> {
            let col = a.slice(&s![.., .., .., k as isize])?;
            floats(&col)
        };
        let (b, a) = (take(before)?, take(after)?);
        drawn.push(FeaturePlot { name, before: histogram(b.into_iter()), after: histogram(a.into_iter()) });
    }
    debug_assert_eq!(drawn.len(), c);
    let hist = dir.join("histograms.png");
    plot::write_histograms(&hist, &drawn, 0)?;
    Ok(vec![hist.display().to_string()])
}
