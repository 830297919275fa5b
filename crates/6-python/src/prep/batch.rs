//! `BatchLoader`: mini-batches as a Python iterator.

use std::sync::Mutex;

use oxarray::prep::{self, Batches};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::array::PyArray;
use crate::errors::{run, to_pyerr};

use super::input;

/// `BatchLoader(*arrays, batch_size=32, shuffle=False, seed=None,
/// drop_last=False)`: iterating gives one epoch of mini-batches — a tuple
/// with the same rows of each array (or the array itself when one was
/// given). In order, batches are views; shuffled (a new permutation each
/// epoch), the next batch is gathered on a worker thread while Python
/// uses the current one.
#[pyclass(name = "BatchLoader", module = "oxarray.prep")]
pub(crate) struct PyBatchLoader {
    loader: prep::BatchLoader,
    single: bool,
    epoch: u64,
}

#[pymethods]
impl PyBatchLoader {
    #[new]
    #[pyo3(signature = (*arrays, batch_size = 32, shuffle = false, seed = None, drop_last = false))]
    fn new(
        py: Python<'_>,
        arrays: &Bound<'_, PyTuple>,
        batch_size: usize,
        shuffle: bool,
        seed: Option<u64>,
        drop_last: bool,
    ) -> PyResult<Self> {
        let arrays = arrays.iter().map(|a| input(&a)).collect::<PyResult<Vec<_>>>()?;
        let single = arrays.len() == 1;
        let mut loader = run(py, move || prep::BatchLoader::new(arrays, batch_size))?.drop_last(drop_last);
        if shuffle {
            loader = loader.shuffle(super::split::seed(py, seed)?);
        } else if seed.is_some() {
            return Err(PyValueError::new_err("seed has no effect without shuffle=True"));
        }
        Ok(PyBatchLoader { loader, single, epoch: 0 })
    }

    /// Batches per epoch.
    fn __len__(&self) -> usize {
        self.loader.n_batches()
    }

    /// The next epoch's batches.
    fn __iter__(&mut self) -> PyBatchIter {
        let epoch = self.epoch;
        self.epoch += 1;
        self.epoch_iter(epoch)
    }

    /// The batches of epoch `epoch` (the same rows every time for a given
    /// seed and epoch).
    fn epoch(&self, epoch: u64) -> PyBatchIter {
        self.epoch_iter(epoch)
    }
}

impl PyBatchLoader {
    fn epoch_iter(&self, epoch: u64) -> PyBatchIter {
        PyBatchIter { batches: Mutex::new(self.loader.epoch(epoch)), single: self.single }
    }
}

/// One epoch of a `BatchLoader`.
#[pyclass(name = "BatchIterator", module = "oxarray.prep")]
pub(crate) struct PyBatchIter {
    batches: Mutex<Batches>,
    single: bool,
}

#[pymethods]
impl PyBatchIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let batches = &self.batches;
        let next = py.detach(move || batches.lock().expect("batch iterator lock").next());
        let Some(batch) = next else { return Ok(None) };
        let arrays = batch.map_err(to_pyerr)?.into_arrays();
        if self.single {
            let a = arrays.into_iter().next().expect("one array");
            return Ok(Some(Bound::new(py, PyArray::from(a))?.into_any()));
        }
        let items = arrays.into_iter().map(PyArray::from).collect::<Vec<_>>();
        Ok(Some(PyTuple::new(py, items)?.into_any()))
    }
}
