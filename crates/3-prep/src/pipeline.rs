//! Composition: [`Pipeline`] (steps applied one after another) and
//! [`ColumnTransformer`] (different steps for different columns, outputs
//! side by side), fitted and applied as one and saved as JSON.

use std::collections::HashSet;
use std::path::Path;

use oxarray_core::{Array, DType, Error, Result};
use serde::{Deserialize, Serialize};

use crate::columns::{Float, Kernel, with_float};
use crate::encode::{OneHotEncoder, OrdinalEncoder};
use crate::frame::{CategoricalColumn, Column, Frame, missing_column};
use crate::impute::{CategoricalImputer, SimpleImputer};
use crate::persist::{self, Persist};
use crate::scale::{MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler, StandardScaler};
use crate::transformer::{Transformer, input_names, not_fitted};

/// One numeric step of a [`Pipeline`] (or of a [`ColumnTransformer`]
/// entry): any of the numeric transformers, or a nested pipeline. A closed
/// set, so a saved pipeline names each step's type and loads it back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// [`SimpleImputer`].
    SimpleImputer(SimpleImputer),
    /// [`StandardScaler`].
    StandardScaler(StandardScaler),
    /// [`MinMaxScaler`].
    MinMaxScaler(MinMaxScaler),
    /// [`MaxAbsScaler`].
    MaxAbsScaler(MaxAbsScaler),
    /// [`RobustScaler`].
    RobustScaler(RobustScaler),
    /// [`Normalizer`].
    Normalizer(Normalizer),
    /// A nested [`Pipeline`].
    Pipeline(Pipeline),
}

macro_rules! step_from {
    ($($t:ident),*) => {$(
        impl From<$t> for Step {
            fn from(t: $t) -> Step {
                Step::$t(t)
            }
        }
    )*};
}
step_from!(SimpleImputer, StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer, Pipeline);

macro_rules! delegate {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            Step::SimpleImputer($s) => $e,
            Step::StandardScaler($s) => $e,
            Step::MinMaxScaler($s) => $e,
            Step::MaxAbsScaler($s) => $e,
            Step::RobustScaler($s) => $e,
            Step::Normalizer($s) => $e,
            Step::Pipeline($s) => $e,
        }
    };
}

impl Step {
    pub(crate) fn validate(&self) -> Result<()> {
        match self {
            Step::SimpleImputer(s) => s.validate(),
            Step::StandardScaler(s) => s.validate(),
            Step::MinMaxScaler(s) => s.validate(),
            Step::MaxAbsScaler(s) => s.validate(),
            Step::RobustScaler(s) => s.validate(),
            Step::Normalizer(_) => Ok(()),
            Step::Pipeline(p) => p.validate(),
        }
    }

    /// The step's transform of blocks of rows, when it is shape-preserving
    /// and elementwise per column (so that consecutive such steps can run
    /// together on a block in cache); `None` otherwise.
    fn kernel<T: Float>(&self, x: &Array) -> Result<Option<Kernel<T>>> {
        const OP: &str = "Pipeline.transform";
        Ok(match self {
            Step::SimpleImputer(s) => s.kernel::<T>(x, OP)?,
            Step::StandardScaler(s) => Some(s.kernel::<T>(x, OP)?),
            Step::MinMaxScaler(s) => Some(s.kernel::<T>(x, OP)?),
            Step::MaxAbsScaler(s) => Some(s.kernel::<T>(x, OP)?),
            Step::RobustScaler(s) => Some(s.kernel::<T>(x, OP, false)?),
            Step::Normalizer(_) | Step::Pipeline(_) => None,
        })
    }

    /// The number of output columns of a fitted step, from its feature names.
    fn n_features_out(&self) -> Option<usize> {
        self.get_feature_names_out(None).ok().map(|v| v.len())
    }
}

impl Transformer for Step {
    fn name(&self) -> &'static str {
        delegate!(self, s => s.name())
    }
    fn fit(&mut self, x: &Array) -> Result<()> {
        delegate!(self, s => s.fit(x))
    }
    fn transform_owned(&self, x: Array) -> Result<Array> {
        delegate!(self, s => s.transform_owned(x))
    }
    fn transform(&self, x: &Array) -> Result<Array> {
        delegate!(self, s => s.transform(x))
    }
    fn fit_transform(&mut self, x: &Array) -> Result<Array> {
        delegate!(self, s => s.fit_transform(x))
    }
    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        delegate!(self, s => s.inverse_transform(x))
    }
    fn is_fitted(&self) -> bool {
        delegate!(self, s => s.is_fitted())
    }
    fn n_features_in(&self) -> Option<usize> {
        delegate!(self, s => s.n_features_in())
    }
    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        delegate!(self, s => s.get_feature_names_out(input_features))
    }
}

// ---------------------------------------------------------------------------
// Pipeline

/// Named numeric steps applied in order, like `sklearn.pipeline.Pipeline`
/// restricted to transformers: `fit` fits each step on the output of the
/// ones before it; `transform` chains the steps' transforms, handing each
/// intermediate array to the next step by value so it is transformed in
/// place.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::{Pipeline, SimpleImputer, StandardScaler, Strategy, Transformer};
/// let x = Array::from_slice(&[1.0f32, f32::NAN, 3.0, 5.0], &[4, 1])?;
/// let mut p = Pipeline::new()
///     .step("impute", SimpleImputer::new(Strategy::Mean))?
///     .step("scale", StandardScaler::new())?;
/// let z = p.fit_transform(&x)?;
/// assert_eq!(z.dtype(), x.dtype());
/// let json = p.to_json()?;                       // the fitted state, for serving
/// let q = Pipeline::from_json(&json)?;
/// assert_eq!(q.transform(&x)?.to_vec::<f32>()?, z.to_vec::<f32>()?);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    steps: Vec<(String, Step)>,
}

impl Pipeline {
    /// An empty pipeline (it passes data through).
    pub fn new() -> Self {
        Pipeline::default()
    }

    /// Appends a named step; names must be unique and not contain `__`.
    pub fn step(mut self, name: impl Into<String>, step: impl Into<Step>) -> Result<Self> {
        let name = name.into();
        check_name(&name, self.steps.iter().map(|(n, _)| n.as_str()), "Pipeline")?;
        self.steps.push((name, step.into()));
        Ok(self)
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[(String, Step)] {
        &self.steps
    }

    /// The step named `name`.
    pub fn get(&self, name: &str) -> Option<&Step> {
        self.steps.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// Saves the pipeline (parameters and fitted state) as JSON, atomically.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        persist::save(self, path.as_ref())
    }

    /// Loads a pipeline saved by [`save`](Pipeline::save), validating it.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        persist::load(path.as_ref())
    }

    /// The JSON that [`save`](Pipeline::save) writes.
    pub fn to_json(&self) -> Result<String> {
        persist::to_json(self)
    }

    /// Reads JSON written by [`to_json`](Pipeline::to_json), validating it.
    pub fn from_json(json: &str) -> Result<Self> {
        persist::from_json(json, None)
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let mut names = HashSet::new();
        for (i, (name, step)) in self.steps.iter().enumerate() {
            if !names.insert(name.as_str()) {
                return Err(Error::invalid("load", format!("Pipeline: step name {name:?} is used twice")));
            }
            step.validate().map_err(|e| Error::invalid("load", format!("Pipeline step {name:?}: {e}")))?;
            if i > 0 {
                let prev = &self.steps[i - 1];
                if let (Some(out), Some(inp)) = (prev.1.n_features_out(), step.n_features_in())
                    && out != inp
                {
                    return Err(Error::invalid(
                        "load",
                        format!("Pipeline: step {:?} outputs {out} features but step {name:?} expects {inp}", prev.0),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Transformer for Pipeline {
    fn name(&self) -> &'static str {
        "Pipeline"
    }

    fn fit(&mut self, x: &Array) -> Result<()> {
        self.fit_transform(x).map(drop)
    }

    fn fit_transform(&mut self, x: &Array) -> Result<Array> {
        let mut cur = x.clone();
        for (_, step) in &mut self.steps {
            step.fit(&cur)?;
            cur = step.transform_owned(cur)?;
        }
        Ok(cur)
    }

    fn transform_owned(&self, x: Array) -> Result<Array> {
        if self.steps.is_empty() {
            return Ok(x);
        }
        // Runs of shape-preserving steps are fused: each block of rows goes
        // through all of them while it is in cache, in one pass over memory.
        let mut cur = x;
        let mut i = 0;
        while i < self.steps.len() {
            let x = crate::columns::float_input(cur, "Pipeline.transform")?;
            let (next, fused) = with_float!(x.dtype(), T => {
                let mut kernels: Vec<Kernel<T>> = Vec::new();
                while let Some(k) = self.steps.get(i + kernels.len()).map(|(_, s)| s.kernel::<T>(&x)).transpose()?.flatten() {
                    kernels.push(k);
                }
                if kernels.is_empty() {
                    Ok::<_, Error>((x, 0))
                } else {
                    let n = kernels.len();
                    Ok((crate::columns::apply_same_shape::<T>(x, move |b: &mut [T]| kernels.iter().for_each(|k| k(b)))?, n))
                }
            })?;
            cur = next;
            if fused == 0 {
                cur = self.steps[i].1.transform_owned(cur)?;
                i += 1;
            } else {
                i += fused;
            }
        }
        Ok(cur)
    }

    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        let mut cur = x.clone();
        for (_, step) in self.steps.iter().rev() {
            cur = step.inverse_transform(&cur)?;
        }
        Ok(cur)
    }

    fn is_fitted(&self) -> bool {
        self.steps.iter().all(|(_, s)| s.is_fitted())
    }

    fn n_features_in(&self) -> Option<usize> {
        self.steps.iter().find_map(|(_, s)| s.n_features_in())
    }

    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>> {
        let mut names = match input_features {
            Some(n) => n.to_vec(),
            None => {
                let n = self.n_features_in().ok_or_else(|| not_fitted("get_feature_names_out", "Pipeline"))?;
                input_names(None, n, "Pipeline")?
            }
        };
        for (_, step) in &self.steps {
            names = step.get_feature_names_out(Some(&names))?;
        }
        Ok(names)
    }
}

fn check_name<'a>(name: &str, mut existing: impl Iterator<Item = &'a str>, who: &'static str) -> Result<()> {
    if name.is_empty() || name.contains("__") {
        return Err(Error::invalid(who, format!("step name {name:?} must be non-empty and must not contain \"__\"")));
    }
    if existing.any(|n| n == name) {
        return Err(Error::invalid(who, format!("step name {name:?} is used twice; names must be unique")));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// ColumnTransformer

/// A categorical encoder in a [`ColumnTransformer`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Encoder {
    /// [`OneHotEncoder`].
    OneHot(OneHotEncoder),
    /// [`OrdinalEncoder`].
    Ordinal(OrdinalEncoder),
}

/// What a [`ColumnTransformer`] entry does with its columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ColumnStep {
    /// A numeric step (often a [`Pipeline`]) over the numeric columns,
    /// gathered into one 2-D array.
    Numeric(Step),
    /// Categorical columns: an optional imputer, then an encoder.
    Categorical {
        /// Fills missing categories first, when given.
        imputer: Option<CategoricalImputer>,
        /// Turns categories into numbers.
        encoder: Encoder,
    },
    /// The numeric columns unchanged (`"passthrough"`).
    Passthrough,
    /// Nothing (`"drop"`).
    Drop,
}

macro_rules! column_step_from_step {
    ($($t:ident),*) => {$(
        impl From<$t> for ColumnStep {
            fn from(t: $t) -> ColumnStep {
                ColumnStep::Numeric(Step::$t(t))
            }
        }
    )*};
}
column_step_from_step!(SimpleImputer, StandardScaler, MinMaxScaler, MaxAbsScaler, RobustScaler, Normalizer, Pipeline);

impl From<Step> for ColumnStep {
    fn from(s: Step) -> ColumnStep {
        ColumnStep::Numeric(s)
    }
}

impl From<OneHotEncoder> for ColumnStep {
    fn from(e: OneHotEncoder) -> ColumnStep {
        ColumnStep::Categorical { imputer: None, encoder: Encoder::OneHot(e) }
    }
}

impl From<OrdinalEncoder> for ColumnStep {
    fn from(e: OrdinalEncoder) -> ColumnStep {
        ColumnStep::Categorical { imputer: None, encoder: Encoder::Ordinal(e) }
    }
}

impl From<(CategoricalImputer, OneHotEncoder)> for ColumnStep {
    fn from((i, e): (CategoricalImputer, OneHotEncoder)) -> ColumnStep {
        ColumnStep::Categorical { imputer: Some(i), encoder: Encoder::OneHot(e) }
    }
}

impl From<(CategoricalImputer, OrdinalEncoder)> for ColumnStep {
    fn from((i, e): (CategoricalImputer, OrdinalEncoder)) -> ColumnStep {
        ColumnStep::Categorical { imputer: Some(i), encoder: Encoder::Ordinal(e) }
    }
}

/// What happens to the columns no entry names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Remainder {
    /// Leave them out (the default).
    #[default]
    Drop,
    /// Append them unchanged after the entries' outputs (numeric columns
    /// only: a categorical column must be encoded).
    Passthrough,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    step: ColumnStep,
    columns: Vec<String>,
}

/// Applies different steps to different columns of a [`Frame`] and puts
/// their outputs side by side, in entry order, like
/// `sklearn.compose.ColumnTransformer`; `remainder` drops (default) or
/// passes through the other columns, after the entries.
///
/// Columns are chosen by name and looked up by name at transform time, so
/// the served data may order its columns differently (extra columns are
/// ignored). Output names are `<entry>__<feature>` (scikit-learn's
/// `verbose_feature_names_out=True`), `remainder__<column>` for the
/// remainder. The output is `float32` when every part is, `float64`
/// otherwise.
///
/// ```
/// use oxarray_core::Array;
/// use oxarray_prep::*;
/// let frame = Frame::new()
///     .with_numeric("mass", Array::from_slice(&[3750.0f64, f64::NAN, 3250.0, 4500.0], &[4])?)?
///     .with_categorical("island", CategoricalColumn::from_values(&[Some("Torgersen"), Some("Biscoe"), None, Some("Dream")]))?;
/// let numeric = Pipeline::new().step("impute", SimpleImputer::new(Strategy::Median))?.step("scale", StandardScaler::new())?;
/// let categorical = (CategoricalImputer::new(CategoricalStrategy::MostFrequent), OneHotEncoder::new());
/// let mut ct = ColumnTransformer::new()
///     .add("num", numeric, &["mass"])?
///     .add("cat", categorical, &["island"])?;
/// let x = ct.fit_transform(&frame)?;
/// assert_eq!(x.shape(), &[4, 4]);
/// assert_eq!(ct.get_feature_names_out()?, ["num__mass", "cat__island_Biscoe", "cat__island_Dream", "cat__island_Torgersen"]);
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnTransformer {
    entries: Vec<Entry>,
    remainder: Remainder,
    verbose_feature_names_out: bool,
    /// Set by `fit`: the remainder's column names.
    fitted_remainder: Option<Vec<String>>,
}

impl ColumnTransformer {
    /// An empty column transformer (remainder dropped, verbose names).
    pub fn new() -> Self {
        ColumnTransformer { verbose_feature_names_out: true, ..Default::default() }
    }

    /// Adds an entry: a name (unique, without `__`), a step and the columns
    /// it takes.
    pub fn add(mut self, name: impl Into<String>, step: impl Into<ColumnStep>, columns: &[&str]) -> Result<Self> {
        let name = name.into();
        check_name(&name, self.entries.iter().map(|e| e.name.as_str()), "ColumnTransformer")?;
        self.entries.push(Entry { name, step: step.into(), columns: columns.iter().map(|c| c.to_string()).collect() });
        Ok(self)
    }

    /// What to do with the columns no entry names.
    pub fn remainder(mut self, r: Remainder) -> Self {
        self.remainder = r;
        self
    }

    /// Whether output names are prefixed with `<entry>__`.
    pub fn verbose_feature_names_out(mut self, yes: bool) -> Self {
        self.verbose_feature_names_out = yes;
        self
    }

    /// The entry named `name`: its step (fitted after `fit`).
    pub fn get(&self, name: &str) -> Option<&ColumnStep> {
        self.entries.iter().find(|e| e.name == name).map(|e| &e.step)
    }

    /// Whether `fit` has run.
    pub fn is_fitted(&self) -> bool {
        self.fitted_remainder.is_some()
    }

    /// Fits every entry on its columns.
    pub fn fit(&mut self, frame: &Frame) -> Result<()> {
        self.fit_transform(frame).map(drop)
    }

    /// Fits every entry and returns the concatenated output.
    pub fn fit_transform(&mut self, frame: &Frame) -> Result<Array> {
        const OP: &str = "ColumnTransformer.fit";
        let mut used = HashSet::new();
        for e in &self.entries {
            for c in &e.columns {
                if frame.index_of(c).is_none() {
                    return Err(missing_column(OP, c, frame));
                }
                used.insert(c.as_str());
            }
        }
        let remainder: Vec<String> = frame.names().iter().filter(|n| !used.contains(n.as_str())).cloned().collect();
        if self.remainder == Remainder::Passthrough {
            check_numeric(frame, &remainder, OP)?;
        }
        let mut parts = Vec::with_capacity(self.entries.len() + 1);
        for e in &mut self.entries {
            if let Some(part) = fit_entry(e, frame)? {
                parts.push(part);
            }
        }
        self.fitted_remainder = Some(remainder);
        self.push_remainder(frame, &mut parts)?;
        hstack(&parts, frame.n_rows())
    }

    /// Applies the fitted entries and concatenates their outputs.
    pub fn transform(&self, frame: &Frame) -> Result<Array> {
        const OP: &str = "ColumnTransformer.transform";
        if !self.is_fitted() {
            return Err(not_fitted(OP, "ColumnTransformer"));
        }
        let mut parts = Vec::with_capacity(self.entries.len() + 1);
        for e in &self.entries {
            if let Some(part) = transform_entry(e, frame)? {
                parts.push(part);
            }
        }
        self.push_remainder(frame, &mut parts)?;
        hstack(&parts, frame.n_rows())
    }

    /// [`fit`](ColumnTransformer::fit) on the columns of a 2-D array,
    /// named `x0`, `x1`, ….
    pub fn fit_transform_array(&mut self, x: &Array) -> Result<Array> {
        self.fit_transform(&Frame::from_array(x, None)?)
    }

    /// [`transform`](ColumnTransformer::transform) of a 2-D array whose
    /// columns are named `x0`, `x1`, ….
    pub fn transform_array(&self, x: &Array) -> Result<Array> {
        self.transform(&Frame::from_array(x, None)?)
    }

    fn push_remainder(&self, frame: &Frame, parts: &mut Vec<Array>) -> Result<()> {
        if self.remainder == Remainder::Passthrough {
            let rem = self.fitted_remainder.as_deref().unwrap_or(&[]);
            if !rem.is_empty() {
                parts.push(frame.numeric_matrix(rem)?);
            }
        }
        Ok(())
    }

    /// Output column names.
    pub fn get_feature_names_out(&self) -> Result<Vec<String>> {
        let rem =
            self.fitted_remainder.as_ref().ok_or_else(|| not_fitted("get_feature_names_out", "ColumnTransformer"))?;
        let mut out = Vec::new();
        let prefix = |entry: &str, names: Vec<String>| -> Vec<String> {
            if self.verbose_feature_names_out {
                names.into_iter().map(|n| format!("{entry}__{n}")).collect()
            } else {
                names
            }
        };
        for e in &self.entries {
            let names = match &e.step {
                ColumnStep::Numeric(s) => s.get_feature_names_out(Some(&e.columns))?,
                ColumnStep::Categorical { encoder: Encoder::OneHot(enc), .. } => enc.get_feature_names_out()?,
                ColumnStep::Categorical { encoder: Encoder::Ordinal(enc), .. } => enc.get_feature_names_out()?,
                ColumnStep::Passthrough => e.columns.clone(),
                ColumnStep::Drop => vec![],
            };
            out.extend(prefix(&e.name, names));
        }
        if self.remainder == Remainder::Passthrough {
            out.extend(prefix("remainder", rem.clone()));
        }
        if !self.verbose_feature_names_out {
            let mut seen = HashSet::new();
            if let Some(dup) = out.iter().find(|n| !seen.insert(n.as_str())) {
                return Err(Error::invalid(
                    "get_feature_names_out",
                    format!("Output feature name {dup:?} is not unique; use verbose_feature_names_out"),
                ));
            }
        }
        Ok(out)
    }

    /// Saves the column transformer (parameters and fitted state) as JSON,
    /// atomically.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        persist::save(self, path.as_ref())
    }

    /// Loads a column transformer saved by [`save`](ColumnTransformer::save),
    /// validating it.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        persist::load(path.as_ref())
    }

    /// The JSON that [`save`](ColumnTransformer::save) writes.
    pub fn to_json(&self) -> Result<String> {
        persist::to_json(self)
    }

    /// Reads JSON written by [`to_json`](ColumnTransformer::to_json),
    /// validating it.
    pub fn from_json(json: &str) -> Result<Self> {
        persist::from_json(json, None)
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let mut names = HashSet::new();
        for e in &self.entries {
            if !names.insert(e.name.as_str()) {
                return Err(Error::invalid(
                    "load",
                    format!("ColumnTransformer: entry name {:?} is used twice", e.name),
                ));
            }
            let ctx = |err: Error| Error::invalid("load", format!("ColumnTransformer entry {:?}: {err}", e.name));
            match &e.step {
                ColumnStep::Numeric(s) => {
                    s.validate().map_err(ctx)?;
                    if let Some(n) = s.n_features_in().filter(|&n| n != e.columns.len()) {
                        return Err(ctx(Error::invalid(
                            "load",
                            format!("fitted on {n} columns but {} are selected", e.columns.len()),
                        )));
                    }
                }
                ColumnStep::Categorical { imputer, encoder } => {
                    if let Some(n) = imputer.as_ref().and_then(|i| i.statistics()).map(|s| s.len())
                        && n != e.columns.len()
                    {
                        return Err(ctx(Error::invalid(
                            "load",
                            format!("imputer fitted on {n} columns but {} are selected", e.columns.len()),
                        )));
                    }
                    let fitted_names = match encoder {
                        Encoder::OneHot(enc) => {
                            enc.validate().map_err(ctx)?;
                            enc.feature_names_in()
                        }
                        Encoder::Ordinal(enc) => {
                            enc.validate().map_err(ctx)?;
                            enc.get_feature_names_out().ok()
                        }
                    };
                    if let Some(f) = fitted_names.filter(|f| *f != e.columns) {
                        return Err(ctx(Error::invalid(
                            "load",
                            format!("encoder fitted on columns {f:?} but {:?} are selected", e.columns),
                        )));
                    }
                }
                ColumnStep::Passthrough | ColumnStep::Drop => {}
            }
        }
        Ok(())
    }
}

fn check_numeric(frame: &Frame, names: &[String], op: &'static str) -> Result<()> {
    for n in names {
        if let Some(Column::Categorical(_)) = frame.column(n) {
            return Err(Error::invalid(
                op,
                format!("column {n:?} is categorical and cannot pass through as a number; give it an encoder"),
            ));
        }
    }
    Ok(())
}

/// The entry's categorical columns as a frame of their own.
fn sub_frame(frame: &Frame, columns: &[String], op: &'static str) -> Result<Frame> {
    let mut f = Frame::new();
    for c in columns {
        let col = frame.column(c).ok_or_else(|| missing_column(op, c, frame))?;
        f.push(c.clone(), col.clone())?;
    }
    Ok(f)
}

fn categorical_refs<'a>(frame: &'a Frame, op: &'static str) -> Result<Vec<&'a CategoricalColumn>> {
    frame
        .names()
        .iter()
        .zip(frame.columns())
        .map(|(n, c)| match c {
            Column::Categorical(c) => Ok(c),
            Column::Numeric(_) => {
                Err(Error::invalid(op, format!("column {n:?} is numeric; categorical steps take categorical columns")))
            }
        })
        .collect()
}

fn imputed_frame(imputer: &CategoricalImputer, frame: &Frame, op: &'static str) -> Result<Frame> {
    let cols = imputer.transform(&categorical_refs(frame, op)?)?;
    let mut f = Frame::new();
    for (name, c) in frame.names().iter().zip(cols) {
        f.push(name.clone(), Column::Categorical(c))?;
    }
    Ok(f)
}

fn fit_entry(e: &mut Entry, frame: &Frame) -> Result<Option<Array>> {
    const OP: &str = "ColumnTransformer.fit";
    Ok(match &mut e.step {
        ColumnStep::Numeric(step) => Some(step.fit_transform(&frame.numeric_matrix(&e.columns)?)?),
        ColumnStep::Passthrough => Some(frame.numeric_matrix(&e.columns)?),
        ColumnStep::Drop => None,
        ColumnStep::Categorical { imputer, encoder } => {
            let mut sub = sub_frame(frame, &e.columns, OP)?;
            if let Some(imp) = imputer {
                imp.fit(&categorical_refs(&sub, OP)?)?;
                sub = imputed_frame(imp, &sub, OP)?;
            }
            Some(match encoder {
                Encoder::OneHot(enc) => enc.fit_transform(&sub)?,
                Encoder::Ordinal(enc) => enc.fit_transform(&sub)?,
            })
        }
    })
}

fn transform_entry(e: &Entry, frame: &Frame) -> Result<Option<Array>> {
    const OP: &str = "ColumnTransformer.transform";
    Ok(match &e.step {
        ColumnStep::Numeric(step) => Some(step.transform_owned(frame.numeric_matrix(&e.columns)?)?),
        ColumnStep::Passthrough => Some(frame.numeric_matrix(&e.columns)?),
        ColumnStep::Drop => None,
        ColumnStep::Categorical { imputer, encoder } => {
            let mut sub = sub_frame(frame, &e.columns, OP)?;
            if let Some(imp) = imputer {
                sub = imputed_frame(imp, &sub, OP)?;
            }
            Some(match encoder {
                Encoder::OneHot(enc) => enc.transform(&sub)?,
                Encoder::Ordinal(enc) => enc.transform(&sub)?,
            })
        }
    })
}

/// Puts 2-D parts side by side: `float32` if every part is, else `float64`.
fn hstack(parts: &[Array], n_rows: usize) -> Result<Array> {
    let dtype = if !parts.is_empty() && parts.iter().all(|p| p.dtype() == DType::Float32) {
        DType::Float32
    } else {
        DType::Float64
    };
    let width: usize = parts.iter().map(|p| p.shape()[1]).sum();
    let mut out = Array::zeros(&[n_rows, width], dtype)?;
    if width == 0 {
        return Ok(out);
    }
    with_float!(dtype, T => {
        let dst = out.as_slice_mut::<T>()?;
        let mut off = 0;
        for p in parts {
            let w = p.shape()[1];
            let p = if p.dtype() == dtype { p.to_contiguous() } else { p.astype(dtype)?.to_contiguous() };
            let src = crate::columns::slice::<T>(&p)?;
            if w > 0 {
                for (d, s) in dst.chunks_exact_mut(width).zip(src.chunks_exact(w)) {
                    d[off..off + w].copy_from_slice(s);
                }
            }
            off += w;
        }
        Ok::<(), Error>(())
    })?;
    Ok(out)
}

impl Persist for Pipeline {
    const KIND: &'static str = "Pipeline";
    fn validate(&self) -> Result<()> {
        Pipeline::validate(self)
    }
}

impl Persist for ColumnTransformer {
    const KIND: &'static str = "ColumnTransformer";
    fn validate(&self) -> Result<()> {
        ColumnTransformer::validate(self)
    }
}
