//! A small model trained on prepared arrays, to show they are model-ready:
//! linfa's multinomial logistic regression, fed `ndarray` 0.16 views of the
//! oxarray feature matrices through the zero-copy bridge
//! (`oxarray::interop::ndarray016`).
//!
//! Behind the `model` cargo feature (on by default); without it,
//! [`train_and_score`] is an error that says so.

use serde::Serialize;

#[cfg(feature = "model")]
pub use linfa_model::train_and_score;

/// How the model did.
#[derive(Debug, Serialize)]
pub struct ModelReport {
    /// What was trained.
    pub model: &'static str,
    /// Accuracy on the training rows.
    pub train_accuracy: f64,
    /// Accuracy on the held-out test rows.
    pub test_accuracy: f64,
    /// Correct predictions on the test rows.
    pub test_correct: usize,
    /// Test rows.
    pub test_rows: usize,
    /// Whether the feature matrices reached linfa as views of oxarray's
    /// memory (same pointer), not copies.
    pub zero_copy: bool,
}

/// Whether this build can train a model: an error saying why not when it
/// was built without the `model` feature.
pub fn available() -> crate::error::CliResult<()> {
    if cfg!(feature = "model") {
        Ok(())
    } else {
        Err(crate::error::CliError::new("this ox was built without the `model` feature: no model to train"))
    }
}

/// Without the `model` feature there is no model to train.
#[cfg(not(feature = "model"))]
pub fn train_and_score(
    _: &oxarray::Array,
    _: &oxarray::Array,
    _: &oxarray::Array,
    _: &oxarray::Array,
) -> crate::error::CliResult<ModelReport> {
    available().map(|()| unreachable!("available() is an error without the model feature"))
}

#[cfg(feature = "model")]
mod linfa_model {
    use linfa::prelude::*;
    use linfa_logistic::MultiLogisticRegression;
    use ndarray016::{Array1, ArrayView2, Ix2};
    use oxarray::interop::ndarray016::to_ndarray_view;
    use oxarray::{Array, DType};

    use super::ModelReport;
    use crate::error::{CliError, CliResult};

    /// The model's name in reports.
    const MODEL: &str = "logistic regression (linfa-logistic 0.8, multinomial, L-BFGS)";

    /// Iteration cap of the solver: penguins converge in far fewer.
    const MAX_ITERATIONS: u64 = 200;

    /// A read-only 2-D `ndarray` 0.16 view of `x`'s memory (no copy).
    fn view2<F: oxarray::Element>(x: &Array) -> CliResult<ArrayView2<'_, F>> {
        let v = to_ndarray_view::<F>(x)?;
        v.into_dimensionality::<Ix2>().map_err(|e| CliError::new(format!("features must be 2-D: {e}")))
    }

    /// Class labels as linfa wants them (`usize`); this small copy of `y`
    /// is the only one made.
    fn labels(y: &Array) -> CliResult<Array1<usize>> {
        let y = y.astype(DType::Int64)?.to_vec::<i64>()?;
        y.into_iter()
            .map(|v| usize::try_from(v).map_err(|_| CliError::new(format!("class label {v} is negative"))))
            .collect::<CliResult<Vec<usize>>>()
            .map(Array1::from)
    }

    fn correct(predicted: &Array1<usize>, truth: &Array1<usize>) -> usize {
        predicted.iter().zip(truth).filter(|(p, t)| p == t).count()
    }

    fn fraction(n: usize, of: usize) -> f64 {
        if of == 0 { 0.0 } else { n as f64 / of as f64 }
    }

    /// The fit and scoring for one float type (linfa-logistic's float trait
    /// is private, so each float type is named rather than generic).
    macro_rules! fit {
        ($f:ty, $x_train:expr, $y_train:expr, $x_test:expr, $y_test:expr) => {{
            let (x_train, x_test): (&Array, &Array) = ($x_train, $x_test);
            let (xtr, xte) = (view2::<$f>(x_train)?, view2::<$f>(x_test)?);
            let zero_copy =
                xtr.as_ptr().cast::<u8>() == x_train.as_ptr() && xte.as_ptr().cast::<u8>() == x_test.as_ptr();
            let (ytr, yte) = (labels($y_train)?, labels($y_test)?);
            if ytr.iter().collect::<std::collections::BTreeSet<_>>().len() < 2 {
                return Err(CliError::new("the training split holds a single class: nothing to learn"));
            }
            let train = DatasetBase::new(xtr, ytr);
            let model = MultiLogisticRegression::<$f>::default()
                .max_iterations(MAX_ITERATIONS)
                .fit(&train)
                .map_err(|e| CliError::new(format!("training the model failed: {e}")))?;
            let train_correct = correct(&model.predict(train.records()), train.targets());
            let test_correct = correct(&model.predict(&xte), &yte);
            Ok(ModelReport {
                model: MODEL,
                train_accuracy: fraction(train_correct, train.targets().len()),
                test_accuracy: fraction(test_correct, yte.len()),
                test_correct,
                test_rows: yte.len(),
                zero_copy,
            })
        }};
    }

    /// Trains on (`x_train`, `y_train`) and measures accuracy on both
    /// splits. `x` must be float32 or float64 and 2-D, `y` integer class
    /// labels.
    pub fn train_and_score(x_train: &Array, y_train: &Array, x_test: &Array, y_test: &Array) -> CliResult<ModelReport> {
        match x_train.dtype() {
            DType::Float32 => fit!(f32, x_train, y_train, x_test, y_test),
            DType::Float64 => fit!(f64, x_train, y_train, x_test, y_test),
            other => Err(CliError::new(format!("the model needs float32 or float64 features, not {other}"))),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn separable_classes_are_learned_from_views() -> oxarray::Result<()> {
            // Two features, three well-separated classes; the test matrix is
            // a transposed (Fortran-order) array, which the bridge also views.
            let x: Vec<f32> = vec![0., 0., 0.1, 0.2, 5., 5., 5.2, 4.9, -5., 5., -4.8, 5.1];
            let y = Array::from_vec(vec![0i64, 0, 1, 1, 2, 2], &[6])?;
            let x_train = Array::from_vec(x.clone(), &[6, 2])?;
            let columns: Vec<f32> = (0..2).flat_map(|j| x.chunks(2).map(move |r| r[j])).collect();
            let x_test = Array::from_vec(columns, &[2, 6])?.transpose();
            let r = train_and_score(&x_train, &y, &x_test, &y)
                .map_err(|e| oxarray::Error::invalid("test", e.to_string()))?;
            assert!(r.zero_copy);
            assert_eq!((r.test_correct, r.test_rows), (6, 6));
            assert_eq!(r.train_accuracy, 1.0);
            Ok(())
        }
    }
}
