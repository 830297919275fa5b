//! Memory shared with Python without copying: the buffer protocol (PEP
//! 3118) and `__array_interface__`, both ways, and the helper that turns any
//! foreign pointer-and-strides description into an oxarray buffer.
//!
//! This module and `dlpack.rs` hold all of the crate's `unsafe` code. The
//! invariants they rely on:
//!
//! 1. An exported pointer stays valid while the consumer holds it: every
//!    export owns a clone of the [`Array`] handle (an `Arc` to the buffer),
//!    released by `__releasebuffer__`, the DLPack deleter, or (for
//!    `__array_interface__`, which has no release call) the exporting
//!    object's death.
//! 2. An export is writable only if the exporting handle was the only
//!    holder of writable memory at that moment (a buffer-protocol consumer
//!    that requires a writable buffer first gets that by copy-on-write, as
//!    a write through the array would); otherwise it is read-only,
//!    so a consumer's writes can never reach another oxarray array. After a
//!    writable export the consumer and the exporting array share the memory:
//!    the consumer's writes show in the array, and the array's own later
//!    writes copy first (the export counts as another holder), so they do
//!    not show in the consumer.
//! 3. Imported memory is kept alive by an owner object stored in the
//!    [`Buffer`] (`Buffer::from_foreign`), dropped exactly once when the
//!    last oxarray handle goes; owners that call into Python take the GIL
//!    first and do nothing if the interpreter is shutting down.
//! 4. Imported memory the producer marked read-only stays read-only.

use std::any::Any;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::Arc;

use oxarray::{Array, Buffer, DType, Error};
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::array::PyArray;
use crate::errors::to_pyerr;

/// The PEP 3118 format code of a dtype (native byte order and size).
fn format_code(dtype: DType) -> Option<&'static CStr> {
    Some(match dtype {
        DType::Bool => c"?",
        DType::Int8 => c"b",
        DType::UInt8 => c"B",
        DType::Int16 => c"h",
        DType::UInt16 => c"H",
        DType::Int32 => c"i",
        DType::UInt32 => c"I",
        DType::Int64 => c"q",
        DType::UInt64 => c"Q",
        DType::Float16 => c"e",
        DType::Float32 => c"f",
        DType::Float64 => c"d",
        DType::Complex64 => c"Zf",
        DType::Complex128 => c"Zd",
        DType::BFloat16 => return None,
    })
}

/// The dtype of a PEP 3118 format string with the given item size.
fn parse_format(format: &str, itemsize: usize) -> PyResult<DType> {
    let unsupported = || PyTypeError::new_err(format!("unsupported buffer format {format:?} (item size {itemsize})"));
    let (order, code) = match format.as_bytes().first() {
        Some(b'@' | b'=' | b'<' | b'>' | b'!') => format.split_at(1),
        _ => ("", format),
    };
    let big = matches!(order, ">" | "!");
    if big != cfg!(target_endian = "big") && !(order.is_empty() || order == "@" || order == "=") && itemsize > 1 {
        return Err(PyTypeError::new_err(format!(
            "buffer format {format:?} is not in native byte order; oxarray arrays are native-endian"
        )));
    }
    let int = |signed: bool| -> PyResult<DType> {
        Ok(match (signed, itemsize) {
            (true, 1) => DType::Int8,
            (true, 2) => DType::Int16,
            (true, 4) => DType::Int32,
            (true, 8) => DType::Int64,
            (false, 1) => DType::UInt8,
            (false, 2) => DType::UInt16,
            (false, 4) => DType::UInt32,
            (false, 8) => DType::UInt64,
            _ => return Err(unsupported()),
        })
    };
    let dtype = match code {
        "?" => DType::Bool,
        "b" | "h" | "i" | "l" | "q" | "n" => int(true)?,
        "B" | "H" | "I" | "L" | "Q" | "N" => int(false)?,
        "e" => DType::Float16,
        "f" => DType::Float32,
        "d" => DType::Float64,
        "Zf" => DType::Complex64,
        "Zd" => DType::Complex128,
        _ => return Err(unsupported()),
    };
    if dtype.itemsize() != itemsize {
        return Err(unsupported());
    }
    Ok(dtype)
}

fn c_strides_bytes(shape: &[usize], itemsize: usize) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut step = itemsize as isize;
    for k in (0..shape.len()).rev() {
        strides[k] = step;
        step *= shape[k].max(1) as isize;
    }
    strides
}

/// An array over foreign memory, described as NumPy and DLPack describe
/// it: the address of element `(0, …, 0)`, the shape, and strides in bytes
/// (`None`: C-contiguous). `owner` keeps the memory alive and is dropped
/// when the last handle goes (or right away, if the data is copied).
///
/// The memory is wrapped without copying when the strides are multiples
/// of the item size and the pointer is aligned for the dtype; otherwise it
/// is copied, unless `copy == Some(false)`, which makes that an error.
/// `copy == Some(true)` always copies.
///
/// # Safety
/// Every element the layout addresses must be readable (and writable, if
/// `writable`) until `owner` is dropped, and must not be written by anyone
/// else while oxarray reads it (except through the sharing the caller
/// documents).
pub(crate) unsafe fn wrap_foreign(
    first: *mut u8,
    dtype: DType,
    shape: Vec<usize>,
    byte_strides: Option<Vec<isize>>,
    writable: bool,
    owner: Box<dyn Any + Send + Sync>,
    copy: Option<bool>,
) -> oxarray::Result<Array> {
    let itemsize = dtype.itemsize() as isize;
    let byte_strides = byte_strides.unwrap_or_else(|| c_strides_bytes(&shape, dtype.itemsize()));
    if byte_strides.len() != shape.len() {
        return Err(Error::invalid("import", "strides and shape differ in length"));
    }
    let size: usize = shape.iter().product();
    if size == 0 || first.is_null() {
        if size != 0 {
            return Err(Error::invalid("import", "null data pointer for a non-empty array"));
        }
        drop(owner);
        return Array::zeros(&shape, dtype);
    }
    // Byte extent of the elements relative to `first`.
    let (mut lo, mut hi) = (0isize, 0isize);
    for (&d, &s) in shape.iter().zip(&byte_strides) {
        let reach = (d as isize - 1) * s;
        if reach < 0 { lo += reach } else { hi += reach }
    }
    let divisible = byte_strides.iter().all(|s| s % itemsize == 0);
    let aligned = (first as usize).is_multiple_of(dtype.alignment());
    if copy == Some(false) && !(divisible && aligned) {
        return Err(Error::invalid(
            "asarray",
            "copy=False, but the data must be copied (strides not a multiple of the item size, or misaligned memory)",
        ));
    }
    if divisible && aligned && copy != Some(true) {
        // SAFETY: the caller guarantees the addressed elements stay valid
        // until `owner` drops; `lo..=hi + itemsize` spans exactly them, so
        // `base` and `len` describe memory inside the foreign allocation.
        let base = unsafe { first.offset(lo) };
        let len = (hi - lo + itemsize) as usize;
        // SAFETY: as above; the owner travels with the buffer.
        let buffer = unsafe { Buffer::from_foreign(base, len, writable, owner) }?;
        let strides = byte_strides.iter().map(|s| s / itemsize).collect();
        return Array::from_buffer(Arc::new(buffer), dtype, shape, strides, (-lo / itemsize) as usize);
    }
    // Copy element by element in C order (byte copies: no alignment needed).
    let mut bytes = vec![0u8; size * itemsize as usize];
    let mut index = vec![0usize; shape.len()];
    for chunk in bytes.chunks_exact_mut(itemsize as usize) {
        let offset: isize = index.iter().zip(&byte_strides).map(|(&i, &s)| i as isize * s).sum();
        // SAFETY: `offset` addresses an element of the layout, readable by
        // the caller's guarantee; `chunk` is `itemsize` bytes we own.
        unsafe { std::ptr::copy_nonoverlapping(first.offset(offset), chunk.as_mut_ptr(), chunk.len()) };
        for k in (0..shape.len()).rev() {
            index[k] += 1;
            if index[k] < shape[k] {
                break;
            }
            index[k] = 0;
        }
    }
    drop(owner);
    let strides = c_strides_bytes(&shape, dtype.itemsize()).iter().map(|s| s / itemsize).collect();
    Array::from_buffer(Arc::new(Buffer::copy_from(&bytes)?), dtype, shape, strides, 0)
}

/// A `Py_buffer` obtained from `PyObject_GetBuffer`, released (with the
/// GIL) when the last array over it drops.
struct HeldBuffer(Box<ffi::Py_buffer>);

// SAFETY: the view is only read when it is created and only released in
// `drop`, which takes the GIL first; the exporter's memory is plain bytes.
unsafe impl Send for HeldBuffer {}
// SAFETY: shared access never touches the view.
unsafe impl Sync for HeldBuffer {}

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        // Skipped while the interpreter is shutting down (leaking is the
        // only safe choice then).
        let _ = Python::try_attach(|_py| {
            // SAFETY: the view was filled by a successful
            // `PyObject_GetBuffer` and is released exactly once, here.
            unsafe { ffi::PyBuffer_Release(&mut *self.0) }
        });
    }
}

/// Imports an object that supports the buffer protocol; `None` if it does
/// not.
pub(crate) fn from_buffer_protocol(obj: &Bound<'_, PyAny>, copy: Option<bool>) -> PyResult<Option<Array>> {
    let mut view = Box::new(ffi::Py_buffer::new());
    // SAFETY: `obj` is a live object; `view` is a valid, writable Py_buffer.
    let rc = unsafe { ffi::PyObject_GetBuffer(obj.as_ptr(), &mut *view, ffi::PyBUF_RECORDS_RO) };
    if rc != 0 {
        let py = obj.py();
        let err = PyErr::fetch(py);
        // No buffer protocol, or not for this dtype: let another protocol try.
        let other_protocol = [
            err.is_instance_of::<PyTypeError>(py),
            err.is_instance_of::<PyBufferError>(py),
            err.is_instance_of::<PyValueError>(py),
            err.is_instance_of::<pyo3::exceptions::PyNotImplementedError>(py),
        ];
        return if other_protocol.contains(&true) { Ok(None) } else { Err(err) };
    }
    let held = HeldBuffer(view);
    let v = &*held.0;
    let format = if v.format.is_null() {
        "B".to_string()
    } else {
        // SAFETY: a non-null format is a NUL-terminated string valid while
        // the view is held.
        unsafe { CStr::from_ptr(v.format) }.to_string_lossy().into_owned()
    };
    if !v.suboffsets.is_null() {
        return Err(PyBufferError::new_err("buffers with suboffsets (PIL-style) are not supported"));
    }
    let dtype = parse_format(&format, v.itemsize as usize)?;
    let ndim = v.ndim as usize;
    let shape: Vec<usize> = if ndim == 0 {
        // A scalar (NumPy's 0-d arrays): PEP 3118 leaves `shape` unset.
        Vec::new()
    } else if v.shape.is_null() {
        vec![(v.len / v.itemsize.max(1)) as usize]
    } else {
        // SAFETY: PEP 3118: `shape` points to `ndim` sizes while the view is held.
        unsafe { std::slice::from_raw_parts(v.shape, ndim) }.iter().map(|&d| d as usize).collect()
    };
    let strides = (!v.strides.is_null()).then(|| {
        // SAFETY: as for `shape`.
        unsafe { std::slice::from_raw_parts(v.strides, ndim) }.to_vec()
    });
    let (first, writable) = (v.buf.cast::<u8>(), v.readonly == 0);
    // SAFETY: the exporter keeps `buf` valid (and writable unless
    // `readonly`) until the view is released, which `held` does on drop.
    let array = unsafe { wrap_foreign(first, dtype, shape, strides, writable, Box::new(held), copy) };
    array.map(Some).map_err(to_pyerr)
}

/// Imports an object with `__array_interface__` (version 3); `None` if it
/// has none.
pub(crate) fn from_array_interface(obj: &Bound<'_, PyAny>, copy: Option<bool>) -> PyResult<Option<Array>> {
    let Ok(interface) = obj.getattr("__array_interface__") else { return Ok(None) };
    let interface =
        interface.cast_into::<PyDict>().map_err(|_| PyTypeError::new_err("__array_interface__ is not a dict"))?;
    let get = |key: &str| interface.get_item(key);
    if get("mask")?.is_some_and(|m| !m.is_none()) {
        return Err(PyTypeError::new_err("__array_interface__ with a mask is not supported"));
    }
    let typestr: String =
        get("typestr")?.ok_or_else(|| PyTypeError::new_err("__array_interface__ has no typestr"))?.extract()?;
    let dtype: DType = typestr.parse().map_err(to_pyerr)?;
    let shape: Vec<usize> =
        get("shape")?.ok_or_else(|| PyTypeError::new_err("__array_interface__ has no shape"))?.extract()?;
    let strides: Option<Vec<isize>> = get("strides")?.filter(|s| !s.is_none()).map(|s| s.extract()).transpose()?;
    let Some(data) = get("data")?.filter(|d| !d.is_none()) else {
        return Err(PyTypeError::new_err("__array_interface__ without a data pointer is not supported"));
    };
    let (ptr, readonly): (usize, bool) = data.extract()?;
    let offset: isize = get("offset")?.map(|o| o.extract()).transpose()?.unwrap_or(0);
    let owner: Py<PyAny> = obj.clone().unbind();
    // SAFETY: the interface promises `ptr` (plus `offset`) addresses the
    // described elements for as long as `obj` lives; `owner` keeps it alive.
    let array = unsafe {
        wrap_foreign((ptr as *mut u8).wrapping_offset(offset), dtype, shape, strides, !readonly, Box::new(owner), copy)
    };
    array.map(Some).map_err(to_pyerr)
}

/// What a buffer-protocol export owns: a handle keeping the memory alive
/// and the shape and strides the consumer reads.
struct Export {
    _array: Array,
    shape: Vec<ffi::Py_ssize_t>,
    strides: Vec<ffi::Py_ssize_t>,
}

#[pymethods]
impl PyArray {
    /// The buffer protocol: `memoryview(x)`, `np.asarray(x)`, … share the
    /// array's memory, writable when the array holds its memory alone and
    /// read-only otherwise (module docs, invariant 2). A consumer that asks
    /// for a writable buffer (`PyBUF_WRITABLE`, as `readinto` does) first
    /// makes the array the sole holder of writable memory, copying if
    /// needed, exactly as a write through the array would.
    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        if flags & ffi::PyBUF_WRITABLE != 0 {
            // A consumer that will write gets what a write through the array
            // would get: memory the array holds alone (copy-on-write).
            let mut this = slf.try_borrow_mut().map_err(|_| PyBufferError::new_err("the array is in use"))?;
            this.array.make_unique();
        }
        let this = slf.try_borrow().map_err(|_| PyBufferError::new_err("the array is being modified"))?;
        let a = &this.array;
        let format = format_code(a.dtype()).ok_or_else(|| {
            PyBufferError::new_err(format!(
                "{} has no PEP 3118 format code, so it cannot be shared through the buffer protocol; \
                 use DLPack (torch.from_dlpack, jax.dlpack.from_dlpack) or astype(float32)",
                a.dtype()
            ))
        })?;
        // NumPy asks without PyBUF_WRITABLE and takes `readonly` as given,
        // so the export is writable whenever that is safe (invariant 2).
        let writable = a.is_writable_in_place();
        let contiguity = [
            (ffi::PyBUF_C_CONTIGUOUS, a.is_c_contiguous(), "C-contiguous"),
            (ffi::PyBUF_F_CONTIGUOUS, a.is_f_contiguous(), "Fortran-contiguous"),
            (ffi::PyBUF_ANY_CONTIGUOUS, a.is_contiguous(), "contiguous"),
            (ffi::PyBUF_STRIDES, true, ""),
        ];
        for (flag, holds, what) in contiguity {
            if flags & flag == flag && !holds {
                return Err(PyBufferError::new_err(format!("the array is not {what}")));
            }
        }
        if flags & ffi::PyBUF_STRIDES != ffi::PyBUF_STRIDES && !a.is_c_contiguous() {
            return Err(PyBufferError::new_err("the array is not C-contiguous and the consumer takes no strides"));
        }
        let item = a.itemsize() as isize;
        let mut export = Box::new(Export {
            _array: a.clone(),
            shape: a.shape().iter().map(|&d| d as isize).collect(),
            strides: a.strides().iter().map(|&s| s * item).collect(),
        });
        // SAFETY: `view` is the valid Py_buffer the caller passed; every
        // pointer stored in it stays valid until `__releasebuffer__`: the
        // data through `export._array`, shape and strides in `export`
        // (moved to the heap, so they do not move), the format is static.
        unsafe {
            (*view).buf = a.as_ptr() as *mut c_void;
            (*view).len = a.nbytes() as isize;
            (*view).readonly = c_int::from(!writable);
            (*view).itemsize = item;
            (*view).format =
                if flags & ffi::PyBUF_FORMAT != 0 { format.as_ptr() as *mut c_char } else { std::ptr::null_mut() };
            (*view).ndim = a.ndim() as c_int;
            (*view).shape = if flags & ffi::PyBUF_ND != 0 { export.shape.as_mut_ptr() } else { std::ptr::null_mut() };
            (*view).strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES {
                export.strides.as_mut_ptr()
            } else {
                std::ptr::null_mut()
            };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = Box::into_raw(export).cast();
            (*view).obj = slf.clone().into_any().into_ptr();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(_slf: Bound<'_, Self>, view: *mut ffi::Py_buffer) {
        // SAFETY: `internal` was set by `__getbuffer__` from `Box::into_raw`
        // and each view is released once.
        drop(unsafe { Box::from_raw((*view).internal.cast::<Export>()) });
    }

    /// NumPy's array interface (version 3). The memory it points at stays
    /// alive as long as this array object (the consumer holds a reference
    /// to it); it is writable only if the array held its memory alone.
    #[getter]
    fn __array_interface__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a = &self.array;
        let typestr =
            typestr(a.dtype()).ok_or_else(|| PyTypeError::new_err(format!("{} has no NumPy equivalent", a.dtype())))?;
        let readonly = !a.is_writable_in_place();
        let mut pins = self.pins.lock().expect("pins lock");
        if !pins.iter().any(|p| p.shares_buffer(a)) {
            pins.push(a.clone());
        }
        let item = a.itemsize() as isize;
        let d = PyDict::new(py);
        d.set_item("version", 3)?;
        d.set_item("shape", PyTuple::new(py, a.shape())?)?;
        d.set_item("typestr", &typestr)?;
        d.set_item("descr", PyList::new(py, [("", typestr.as_str())])?)?;
        d.set_item("data", (a.as_ptr() as usize, readonly))?;
        if a.is_c_contiguous() {
            d.set_item("strides", py.None())?;
        } else {
            d.set_item("strides", PyTuple::new(py, a.strides().iter().map(|s| s * item))?)?;
        }
        Ok(d)
    }
}

#[pymethods]
impl PyArray {
    /// NumPy's `__array__(dtype=None, copy=None)`: a NumPy array sharing
    /// this array's memory (through the buffer protocol) unless a cast or a
    /// copy is asked for.
    #[pyo3(signature = (dtype = None, copy = None))]
    fn __array__<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let own = slf.borrow().array.dtype();
        if format_code(own).is_none() {
            return Err(PyTypeError::new_err(format!(
                "{own} has no NumPy dtype; use astype(float32) or DLPack (ml_dtypes-aware consumers)"
            )));
        }
        let np = py.import("numpy")?;
        let shared = np.call_method1("asarray", (slf,))?;
        if let Some(dtype) = dtype.filter(|d| !d.is_none()) {
            let wanted = np.call_method1("dtype", (dtype,))?;
            if !wanted.eq(shared.getattr("dtype")?)? {
                if copy == Some(false) {
                    return Err(copy_required("casting makes a new array"));
                }
                return shared.call_method1("astype", (wanted,));
            }
        }
        if copy == Some(true) { shared.call_method0("copy") } else { Ok(shared) }
    }
}

/// NumPy's typestr (`"<f4"`, `"|b1"`) for a dtype; `None` for bfloat16.
pub(crate) fn typestr(dtype: DType) -> Option<String> {
    let kind = match dtype.kind() {
        oxarray::Kind::Bool => 'b',
        oxarray::Kind::SignedInt => 'i',
        oxarray::Kind::UnsignedInt => 'u',
        oxarray::Kind::Float if dtype != DType::BFloat16 => 'f',
        oxarray::Kind::Float => return None,
        oxarray::Kind::Complex => 'c',
    };
    let order = if dtype.itemsize() == 1 {
        '|'
    } else if cfg!(target_endian = "little") {
        '<'
    } else {
        '>'
    };
    Some(format!("{order}{kind}{}", dtype.itemsize()))
}

/// Errors for `copy=False` requests that cannot be met.
pub(crate) fn copy_required(what: &str) -> PyErr {
    PyValueError::new_err(format!("unable to avoid a copy: {what}"))
}
