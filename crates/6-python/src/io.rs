//! Files: `load`/`save` (`.npy`, `.npz`), `savez`, `savez_compressed`,
//! `load_safetensors`/`save_safetensors`. Reading and writing run with the
//! GIL released.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;

use oxarray::io::{NpzReader, npy, npz, safetensors};
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::array::PyArray;
use crate::creation::to_array;
use crate::errors::run;

/// How `load` maps a file: `False`/`None` reads it into memory; `True`,
/// `"r"` and `"c"` map it read-only (writes copy first: copy-on-write);
/// `"r+"` maps it writable (in-place writes reach the file).
fn mmap_mode(mmap: Option<&Bound<'_, PyAny>>) -> PyResult<Option<bool>> {
    let Some(m) = mmap.filter(|m| !m.is_none()) else { return Ok(None) };
    if let Ok(b) = m.extract::<bool>() {
        return Ok(b.then_some(false));
    }
    match m.extract::<String>()?.as_str() {
        "r" | "c" => Ok(Some(false)),
        "r+" => Ok(Some(true)),
        other => Err(PyValueError::new_err(format!("mmap must be a bool, 'r', 'c' or 'r+', not {other:?}"))),
    }
}

/// An `.npz` archive opened by `load`: a read-only mapping from names to
/// arrays, each read (or mapped) when asked for. With `mmap`, members
/// stored uncompressed with aligned data are memory-mapped read-only; the
/// others are read into memory.
#[pyclass(name = "NpzFile", module = "oxarray")]
pub(crate) struct PyNpzFile {
    reader: Mutex<Option<NpzReader<File>>>,
    names: Vec<String>,
    mmap: bool,
}

impl PyNpzFile {
    fn get(&self, py: Python<'_>, name: &str) -> PyResult<PyArray> {
        if !self.names.iter().any(|n| n == name || format!("{n}.npy") == name) {
            return Err(PyKeyError::new_err(format!("{name} is not a file in the archive")));
        }
        let mmap = self.mmap;
        let reader = &self.reader;
        run(py, move || {
            let mut guard = reader.lock().expect("npz lock");
            let reader = guard.as_mut().ok_or_else(|| oxarray::Error::invalid("NpzFile", "the archive is closed"))?;
            // A member is mapped when it is stored uncompressed with its data
            // aligned for its dtype (`ox.savez` writes them so); any other
            // member (deflated, or written unaligned by NumPy) is read.
            if mmap && reader.is_stored(name) == Some(true) {
                match reader.load_mmap_member(name) {
                    Ok(a) => return Ok(a),
                    Err(_) => return reader.get(name),
                }
            }
            reader.get(name)
        })
        .map(Into::into)
    }
}

#[pymethods]
impl PyNpzFile {
    /// The arrays' names, in archive order.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.names.clone()
    }

    fn keys(&self) -> Vec<String> {
        self.names.clone()
    }

    fn __getitem__(&self, py: Python<'_>, name: &str) -> PyResult<PyArray> {
        self.get(py, name)
    }

    fn __contains__(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    fn __len__(&self) -> usize {
        self.names.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, &self.names)?.try_iter()?.into_any())
    }

    /// The array `name`, or `default` if the archive has no such member.
    #[pyo3(name = "get", signature = (name, default = None))]
    fn get_or<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !self.__contains__(name) && !self.names.iter().any(|n| format!("{n}.npy") == name) {
            return Ok(default.unwrap_or_else(|| py.None().into_bound(py)));
        }
        Ok(Bound::new(py, PyNpzFile::get(self, py, name)?)?.into_any())
    }

    /// Every array, in archive order.
    fn values(&self, py: Python<'_>) -> PyResult<Vec<PyArray>> {
        self.names.iter().map(|n| self.get(py, n)).collect()
    }

    /// `(name, array)` pairs, reading every array.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, PyArray)>> {
        self.names.iter().map(|n| Ok((n.clone(), self.get(py, n)?))).collect()
    }

    /// Closes the archive (arrays already loaded or mapped stay valid).
    fn close(&self) {
        self.reader.lock().expect("npz lock").take();
    }

    fn __enter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __exit__(&self, _exc_type: &Bound<'_, PyAny>, _exc: &Bound<'_, PyAny>, _tb: &Bound<'_, PyAny>) {
        self.close();
    }

    fn __repr__(&self) -> String {
        format!("NpzFile(files={:?})", self.names)
    }
}

/// `load(file, mmap=False)`: an `.npy` file as an array, or an `.npz`
/// archive as a lazy `NpzFile` mapping.
#[pyfunction]
#[pyo3(signature = (file, mmap = None))]
fn load<'py>(py: Python<'py>, file: PathBuf, mmap: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let mode = mmap_mode(mmap)?;
    let path = file.clone();
    let is_zip = run(py, move || {
        let mut magic = [0u8; 4];
        let mut f = File::open(&path).map_err(|e| oxarray::Error::io(&path, e))?;
        let n = f.read(&mut magic).map_err(|e| oxarray::Error::io(&path, e))?;
        Ok(n == 4 && &magic == b"PK\x03\x04")
    })?;
    if is_zip {
        let path = file.clone();
        let reader = run(py, move || NpzReader::open(&path))?;
        let names = reader.names().into_iter().map(str::to_owned).collect();
        let npz = PyNpzFile { reader: Mutex::new(Some(reader)), names, mmap: mode.is_some() };
        return Ok(Bound::new(py, npz)?.into_any());
    }
    let array = run(py, move || match mode {
        Some(writable) => npy::load_mmap(&file, writable),
        None => npy::load(&file),
    })?;
    Ok(Bound::new(py, PyArray::from(array))?.into_any())
}

/// `path` with `suffix` appended if it does not end with it (NumPy's rule).
fn with_suffix(path: PathBuf, suffix: &str) -> PathBuf {
    if path.to_string_lossy().ends_with(suffix) {
        path
    } else {
        let mut s = path.into_os_string();
        s.push(suffix);
        s.into()
    }
}

/// `save(file, arr)`: writes an `.npy` file (appending `.npy` to the name
/// if missing), atomically.
#[pyfunction]
#[pyo3(signature = (file, arr))]
fn save(py: Python<'_>, file: PathBuf, arr: &Bound<'_, PyAny>) -> PyResult<()> {
    let array = to_array(arr, None, None)?;
    let path = with_suffix(file, ".npy");
    run(py, move || npy::save(&path, &array))
}

/// The named arrays of `savez(file, *args, **kwds)`: positional ones are
/// `arr_0`, `arr_1`, ….
fn named_arrays(
    args: &Bound<'_, PyTuple>,
    kwds: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<(String, oxarray::Array)>> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        out.push((format!("arr_{i}"), to_array(&a, None, None)?));
    }
    if let Some(kwds) = kwds {
        for (k, v) in kwds.iter() {
            let name: String = k.extract()?;
            if out.iter().any(|(n, _)| *n == name) {
                return Err(PyValueError::new_err(format!("cannot use un-named variables and keyword {name}")));
            }
            out.push((name, to_array(&v, None, None)?));
        }
    }
    Ok(out)
}

fn savez_impl(
    py: Python<'_>,
    file: PathBuf,
    args: &Bound<'_, PyTuple>,
    kwds: Option<&Bound<'_, PyDict>>,
    compressed: bool,
) -> PyResult<()> {
    let arrays = named_arrays(args, kwds)?;
    let path = with_suffix(file, ".npz");
    run(py, move || {
        let refs: Vec<(&str, &oxarray::Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
        if compressed { npz::savez_compressed(&path, &refs) } else { npz::savez(&path, &refs) }
    })
}

/// `savez(file, *args, **kwds)`: an uncompressed `.npz` archive (members
/// can be memory-mapped by `load(..., mmap=True)`).
#[pyfunction]
#[pyo3(signature = (file, *args, **kwds))]
fn savez(py: Python<'_>, file: PathBuf, args: &Bound<'_, PyTuple>, kwds: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
    savez_impl(py, file, args, kwds, false)
}

/// `savez_compressed(file, *args, **kwds)`: a deflated `.npz` archive.
#[pyfunction]
#[pyo3(signature = (file, *args, **kwds))]
fn savez_compressed(
    py: Python<'_>,
    file: PathBuf,
    args: &Bound<'_, PyTuple>,
    kwds: Option<&Bound<'_, PyDict>>,
) -> PyResult<()> {
    savez_impl(py, file, args, kwds, true)
}

/// `load_safetensors(path, *, metadata=False)`: a dict of arrays viewing
/// one read-only memory map of the file (and the metadata dict, if asked).
#[pyfunction]
#[pyo3(signature = (path, *, metadata = false))]
fn load_safetensors<'py>(py: Python<'py>, path: PathBuf, metadata: bool) -> PyResult<Bound<'py, PyAny>> {
    let (arrays, meta) = run(py, move || safetensors::load_safetensors(&path))?;
    let d = PyDict::new(py);
    for (name, a) in arrays {
        d.set_item(name, PyArray::from(a))?;
    }
    if metadata {
        return Ok((d, meta).into_pyobject(py)?.into_any());
    }
    Ok(d.into_any())
}

/// `save_safetensors(tensors, path, metadata=None)`: writes a dict of
/// arrays (and string metadata), atomically.
#[pyfunction]
#[pyo3(signature = (tensors, path, metadata = None))]
fn save_safetensors(
    py: Python<'_>,
    tensors: &Bound<'_, PyDict>,
    path: PathBuf,
    metadata: Option<BTreeMap<String, String>>,
) -> PyResult<()> {
    let mut arrays = Vec::new();
    for (k, v) in tensors.iter() {
        arrays.push((k.extract::<String>()?, to_array(&v, None, None)?));
    }
    let metadata = metadata.unwrap_or_default();
    run(py, move || {
        let refs: Vec<(&str, &oxarray::Array)> = arrays.iter().map(|(n, a)| (n.as_str(), a)).collect();
        safetensors::save_safetensors(&path, &refs, &metadata)
    })
}

/// Adds the I/O functions to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyNpzFile>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(save, m)?)?;
    m.add_function(wrap_pyfunction!(savez, m)?)?;
    m.add_function(wrap_pyfunction!(savez_compressed, m)?)?;
    m.add_function(wrap_pyfunction!(load_safetensors, m)?)?;
    m.add_function(wrap_pyfunction!(save_safetensors, m)?)?;
    Ok(())
}
