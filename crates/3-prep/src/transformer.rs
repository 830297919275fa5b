//! The [`Transformer`] trait that every numeric step implements, and the
//! helpers the steps share (errors, feature names, fitted-state arrays).

use oxarray_core::{Array, Error, Result};

/// A learned, column-wise transformation of 2-D arrays (samples × features),
/// with scikit-learn's `fit` / `transform` / `fit_transform` /
/// `inverse_transform` contract.
///
/// Inputs are 2-D; `float32` and `float64` keep their dtype, `float16` and
/// `bfloat16` compute in `float32`, integers and `bool` are cast to `float64`
/// first (with oxarray's checked cast), complex is an error. NaN marks a
/// missing value.
///
/// [`transform`](Transformer::transform) never changes its argument.
/// [`transform_owned`](Transformer::transform_owned) takes the array by
/// value and, when that handle is the only owner of writable C-contiguous
/// memory of the compute dtype, writes the result into the same memory
/// without allocating (shape-preserving transforms only).
pub trait Transformer {
    /// The scikit-learn class name (`"StandardScaler"`), used in messages.
    fn name(&self) -> &'static str;

    /// Learns the state from `x`, replacing any earlier state.
    fn fit(&mut self, x: &Array) -> Result<()>;

    /// Transforms `x`, reusing its memory when `x` is the only handle to it
    /// (see the trait documentation). On error `x` is consumed.
    fn transform_owned(&self, x: Array) -> Result<Array>;

    /// Transforms `x` into a new array; `x` is left as it was.
    fn transform(&self, x: &Array) -> Result<Array> {
        // A second handle makes the buffer shared, so copy-on-write keeps
        // `x` intact and the transform reads it once into fresh memory.
        self.transform_owned(x.clone())
    }

    /// [`fit`](Transformer::fit) then [`transform`](Transformer::transform).
    fn fit_transform(&mut self, x: &Array) -> Result<Array> {
        self.fit(x)?;
        self.transform(x)
    }

    /// Maps transformed data back to the original representation, where
    /// scikit-learn's namesake can. The default is an error.
    fn inverse_transform(&self, x: &Array) -> Result<Array> {
        let _ = x;
        Err(Error::invalid("inverse_transform", format!("{} has no inverse_transform", self.name())))
    }

    /// Whether [`fit`](Transformer::fit) has run.
    fn is_fitted(&self) -> bool;

    /// The number of columns seen in `fit`, once fitted.
    fn n_features_in(&self) -> Option<usize>;

    /// Output column names for the given input column names, as
    /// scikit-learn's `get_feature_names_out`; `None` means the default
    /// names `x0`, `x1`, ….
    fn get_feature_names_out(&self, input_features: Option<&[String]>) -> Result<Vec<String>>;
}

/// scikit-learn's `NotFittedError` message.
pub(crate) fn not_fitted(op: &'static str, name: &str) -> Error {
    Error::invalid(
        op,
        format!(
            "This {name} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator."
        ),
    )
}

/// `x0`, `x1`, … as scikit-learn names unnamed columns.
pub fn default_feature_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("x{i}")).collect()
}

/// The input names to use: the given ones (checked for length) or the
/// defaults.
pub(crate) fn input_names(input: Option<&[String]>, n_features: usize, who: &str) -> Result<Vec<String>> {
    match input {
        None => Ok(default_feature_names(n_features)),
        Some(names) if names.len() == n_features => Ok(names.to_vec()),
        Some(names) => Err(Error::invalid(
            "get_feature_names_out",
            format!(
                "input_features should have length equal to number of features ({n_features}), got {} (in {who})",
                names.len()
            ),
        )),
    }
}

/// A fitted per-column vector as a 1-D `float64` array.
pub(crate) fn vec_array(v: &[f64]) -> Array {
    Array::from_slice(v, &[v.len()]).expect("a 1-D shape always fits its data")
}

/// JSON for float vectors that may hold NaN or ±inf: finite values are
/// numbers, the others the strings `"NaN"`, `"Infinity"`, `"-Infinity"`
/// (JSON has no literal for them).
pub(crate) mod json_floats {
    use serde::de::{Deserialize, Deserializer};
    use serde::ser::{SerializeSeq, Serializer};

    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(untagged)]
    enum F {
        Num(f64),
        Special(String),
    }

    fn to_f(x: f64) -> F {
        if x.is_finite() {
            F::Num(x)
        } else if x.is_nan() {
            F::Special("NaN".into())
        } else if x > 0.0 {
            F::Special("Infinity".into())
        } else {
            F::Special("-Infinity".into())
        }
    }

    fn from_f<E: serde::de::Error>(f: F) -> Result<f64, E> {
        match f {
            F::Num(x) => Ok(x),
            F::Special(s) => match s.as_str() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(E::custom(format!(
                    "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {other:?}"
                ))),
            },
        }
    }

    /// Serializes a `Vec<f64>`.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for &x in v {
            seq.serialize_element(&to_f(x))?;
        }
        seq.end()
    }

    /// Deserializes a `Vec<f64>`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<F>::deserialize(d)?.into_iter().map(from_f::<D::Error>).collect()
    }

    /// The same for one `f64`.
    pub mod scalar {
        use super::*;

        /// Serializes an `f64`.
        pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
            serde::Serialize::serialize(&to_f(*x), s)
        }

        /// Deserializes an `f64`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
            from_f::<D::Error>(F::deserialize(d)?)
        }
    }

    /// The same for an `Option<Vec<f64>>`.
    pub mod option {
        use super::*;

        /// Serializes an `Option<Vec<f64>>`.
        pub fn serialize<S: Serializer>(v: &Option<Vec<f64>>, s: S) -> Result<S::Ok, S::Error> {
            match v {
                None => s.serialize_none(),
                Some(v) => s.serialize_some(&v.iter().map(|&x| to_f(x)).collect::<Vec<_>>()),
            }
        }

        /// Deserializes an `Option<Vec<f64>>`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
            Option::<Vec<F>>::deserialize(d)?.map(|v| v.into_iter().map(from_f::<D::Error>).collect()).transpose()
        }
    }
}

/// Checks that a loaded per-column vector has the fitted length.
pub(crate) fn check_len(what: &str, len: usize, n_features: usize, who: &str) -> Result<()> {
    if len != n_features {
        return Err(Error::invalid(
            "load",
            format!("{who}: {what} has {len} entries but the transformer was fitted on {n_features} features"),
        ));
    }
    Ok(())
}

/// JSON for a [`DType`](oxarray_core::DType): its NumPy name (`"float32"`).
pub(crate) mod dtype_name {
    use oxarray_core::DType;
    use serde::de::{Deserialize, Deserializer, Error as _};
    use serde::ser::Serializer;

    /// Serializes a dtype as its name.
    pub fn serialize<S: Serializer>(d: &DType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.to_string())
    }

    /// Deserializes a dtype from its name.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DType, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(|e| D::Error::custom(format!("{e}")))
    }
}
