//! Saving fitted transformers as JSON, so the preparation fitted at training
//! time runs unchanged at serving time.
//!
//! A file is one JSON object, the *envelope*:
//!
//! ```json
//! {"format": "oxarray-prep", "version": 1, "kind": "Pipeline", "object": { … }}
//! ```
//!
//! `object` holds the parameters and the fitted state (NaN and ±infinity,
//! which JSON lacks, are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
//! Floats are written with the shortest representation that reads back to
//! the same `f64`, so a loaded transformer gives bit-identical results.
//! Loading checks the envelope, the JSON against the expected shape (unknown
//! fields are errors), and the fitted state for consistency (lengths,
//! parameter ranges, sorted categories, the number of columns flowing from
//! step to step); a bad file is an error naming the file and, for syntax and
//! shape errors, the line and column — never a panic.

use std::io::Write;
use std::path::Path;

use oxarray_core::{Error, Location, Result};
use oxarray_io::atomic::{io_err, write_atomic};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::encode::{OneHotEncoder, OrdinalEncoder};
use crate::impute::{CategoricalImputer, SimpleImputer};
use crate::scale::{MaxAbsScaler, MinMaxScaler, Normalizer, RobustScaler, StandardScaler};

/// The `format` field of every file.
pub const FORMAT: &str = "oxarray-prep";
/// The envelope version this build writes and reads.
pub const VERSION: u64 = 1;

/// A transformer that can be saved with [`save`] and loaded with [`load`].
pub trait Persist: Serialize + DeserializeOwned {
    /// The `kind` field of the envelope (the type's name).
    const KIND: &'static str;
    /// Checks the internal consistency of a deserialized value.
    fn validate(&self) -> Result<()>;
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    format: &'a str,
    version: u64,
    kind: &'a str,
    object: &'a T,
}

/// The JSON text of `value` in its envelope (pretty-printed).
pub fn to_json<T: Persist>(value: &T) -> Result<String> {
    let env = EnvelopeOut { format: FORMAT, version: VERSION, kind: T::KIND, object: value };
    serde_json::to_string_pretty(&env).map_err(|e| Error::invalid("save", format!("cannot serialize {}: {e}", T::KIND)))
}

/// Writes `value` to `path` atomically (a temporary file renamed into
/// place, so a crash never leaves half a file).
pub fn save<T: Persist>(value: &T, path: &Path) -> Result<()> {
    let json = to_json(value)?;
    write_atomic(path, |w| w.write_all(json.as_bytes()).map_err(io_err(path)))
}

/// Reads a value written by [`save`], validating it.
pub fn load<T: Persist>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    from_json(&text, Some(path))
}

fn parse_error(path: Option<&Path>, location: Location, message: impl Into<String>) -> Error {
    Error::parse("oxarray-prep JSON", path, location, message)
}

/// Parses JSON written by [`to_json`], validating it; `path` only names the
/// source in errors.
pub fn from_json<T: Persist>(text: &str, path: Option<&Path>) -> Result<T> {
    let at = |e: &serde_json::Error| Location::Line { line: e.line() as u64, column: Some(e.column() as u64) };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| parse_error(path, at(&e), e.to_string()))?;
    let obj = value.as_object().ok_or_else(|| parse_error(path, Location::Unknown, "expected a JSON object"))?;
    let field =
        |k: &str| obj.get(k).ok_or_else(|| parse_error(path, Location::Unknown, format!("missing field {k:?}")));
    if field("format")?.as_str() != Some(FORMAT) {
        return Err(parse_error(
            path,
            Location::Unknown,
            format!("\"format\" must be {FORMAT:?}: not a saved oxarray-prep object"),
        ));
    }
    match field("version")?.as_u64() {
        Some(VERSION) => {}
        other => {
            return Err(parse_error(
                path,
                Location::Unknown,
                format!("unsupported version {other:?}; this build reads version {VERSION}"),
            ));
        }
    }
    let kind = field("kind")?.as_str().unwrap_or("");
    if kind != T::KIND {
        return Err(parse_error(path, Location::Unknown, format!("the file holds a {kind:?}, not a {}", T::KIND)));
    }
    if let Some(extra) = obj.keys().find(|k| !matches!(k.as_str(), "format" | "version" | "kind" | "object")) {
        return Err(parse_error(path, Location::Unknown, format!("unknown field {extra:?} in the envelope")));
    }
    // Deserialize from the text again (not the Value) so shape errors carry
    // a line and column.
    #[derive(serde::Deserialize)]
    struct EnvelopeIn<T> {
        object: T,
    }
    let env: EnvelopeIn<T> = serde_json::from_str(text).map_err(|e| parse_error(path, at(&e), e.to_string()))?;
    env.object.validate().map_err(|e| parse_error(path, Location::Unknown, format!("invalid {}: {e}", T::KIND)))?;
    Ok(env.object)
}

macro_rules! persist {
    ($($t:ident => $validate:expr),* $(,)?) => {$(
        impl Persist for $t {
            const KIND: &'static str = stringify!($t);
            fn validate(&self) -> Result<()> {
                let f: fn(&$t) -> Result<()> = $validate;
                f(self)
            }
        }
    )*};
}

persist!(
    SimpleImputer => SimpleImputer::validate,
    StandardScaler => StandardScaler::validate,
    MinMaxScaler => MinMaxScaler::validate,
    MaxAbsScaler => MaxAbsScaler::validate,
    RobustScaler => RobustScaler::validate,
    Normalizer => |_| Ok(()),
    OneHotEncoder => OneHotEncoder::validate,
    OrdinalEncoder => OrdinalEncoder::validate,
    CategoricalImputer => |_| Ok(()),
);
