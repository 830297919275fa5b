//! DLPack, both ways: `Array.__dlpack__`/`__dlpack_device__` export
//! without copying, and `ox.from_dlpack` imports any producer (NumPy,
//! PyTorch, JAX, …) without copying. Versioned capsules (DLPack 1.x,
//! `"dltensor_versioned"`) and legacy ones (`"dltensor"`) are both spoken.
//!
//! The C structs below follow `dlpack.h` (DLPack 1.1; the 1.0 ABI is the
//! same). All `unsafe` code of this crate lives here and in `buffer.rs`;
//! the invariants are listed at the top of `buffer.rs`. DLPack adds:
//!
//! - an exported managed tensor owns a clone of the array handle; its
//!   deleter frees it (and so possibly the memory) exactly once, on
//!   whatever thread the consumer calls it;
//! - a capsule that no consumer took calls the deleter from the capsule's
//!   destructor; a consumed capsule is renamed `"used_…"` and does not;
//! - an imported managed tensor's deleter is called exactly once, when the
//!   last oxarray handle over its memory drops, with the GIL held (or not
//!   at all while the interpreter shuts down).

use std::ffi::{CStr, c_void};
use std::ptr::NonNull;

use oxarray::{Array, DType, Kind};
use pyo3::exceptions::{PyBufferError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};

use crate::array::{PyArray, as_array};
use crate::buffer::wrap_foreign;
use crate::errors::to_pyerr;

/// `DLPackVersion`.
#[repr(C)]
#[derive(Clone, Copy)]
struct DLPackVersion {
    major: u32,
    minor: u32,
}

/// `DLDevice`.
#[repr(C)]
#[derive(Clone, Copy)]
struct DLDevice {
    device_type: i32,
    device_id: i32,
}

/// `kDLCPU`.
const CPU: i32 = 1;

/// `DLDataType`.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq)]
struct DLDataType {
    code: u8,
    bits: u8,
    lanes: u16,
}

/// `DLTensor`.
#[repr(C)]
struct DLTensor {
    data: *mut c_void,
    device: DLDevice,
    ndim: i32,
    dtype: DLDataType,
    shape: *mut i64,
    strides: *mut i64,
    byte_offset: u64,
}

/// `DLManagedTensor` (legacy, unversioned).
#[repr(C)]
struct DLManagedTensor {
    dl_tensor: DLTensor,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensor)>,
}

/// `DLManagedTensorVersioned`.
#[repr(C)]
struct DLManagedTensorVersioned {
    version: DLPackVersion,
    manager_ctx: *mut c_void,
    deleter: Option<unsafe extern "C" fn(*mut DLManagedTensorVersioned)>,
    flags: u64,
    dl_tensor: DLTensor,
}

/// `DLPACK_FLAG_BITMASK_READ_ONLY`.
const READ_ONLY: u64 = 1 << 0;
/// `DLPACK_FLAG_BITMASK_IS_COPIED`.
const IS_COPIED: u64 = 1 << 1;

const LEGACY: &CStr = c"dltensor";
const VERSIONED: &CStr = c"dltensor_versioned";
const USED_LEGACY: &CStr = c"used_dltensor";
const USED_VERSIONED: &CStr = c"used_dltensor_versioned";

/// DLPack's description of a dtype.
fn dl_dtype(dtype: DType) -> DLDataType {
    let code = match dtype.kind() {
        Kind::SignedInt => 0,
        Kind::UnsignedInt => 1,
        Kind::Float if dtype == DType::BFloat16 => 4,
        Kind::Float => 2,
        Kind::Complex => 5,
        Kind::Bool => 6,
    };
    DLDataType { code, bits: (dtype.itemsize() * 8) as u8, lanes: 1 }
}

/// The dtype DLPack's `t` describes, if oxarray has it.
fn from_dl_dtype(t: DLDataType) -> Option<DType> {
    DType::ALL.into_iter().find(|&d| dl_dtype(d) == t)
}

/// A managed tensor we export, with what its pointers point into. The
/// managed struct comes first (`repr(C)`), so a pointer to it is a pointer
/// to the whole export.
#[repr(C)]
struct Exported<M> {
    managed: M,
    shape: Vec<i64>,
    strides: Vec<i64>,
    _array: Array,
}

impl<M> Exported<M> {
    /// Boxes `array` with its shape and strides; `make` builds the
    /// managed struct from the tensor description.
    fn leak(array: Array, make: impl FnOnce(DLTensor) -> M) -> NonNull<M> {
        let mut shape: Vec<i64> = array.shape().iter().map(|&d| d as i64).collect();
        let mut strides: Vec<i64> = array.strides().iter().map(|&s| s as i64).collect();
        let tensor = DLTensor {
            data: array.as_ptr() as *mut c_void,
            device: DLDevice { device_type: CPU, device_id: 0 },
            ndim: array.ndim() as i32,
            dtype: dl_dtype(array.dtype()),
            shape: shape.as_mut_ptr(),
            strides: strides.as_mut_ptr(),
            byte_offset: 0,
        };
        // Moving a Vec moves its (pointer, length, capacity) only: the heap
        // storage the tensor points at stays where it is.
        let boxed = Box::new(Exported { managed: make(tensor), shape, strides, _array: array });
        NonNull::from(Box::leak(boxed)).cast()
    }
}

unsafe extern "C" fn delete_legacy(m: *mut DLManagedTensor) {
    if !m.is_null() {
        // SAFETY: `m` came from `Exported::leak` (a leaked Box whose first
        // field is the managed struct) and DLPack calls the deleter once.
        drop(unsafe { Box::from_raw(m.cast::<Exported<DLManagedTensor>>()) });
    }
}

unsafe extern "C" fn delete_versioned(m: *mut DLManagedTensorVersioned) {
    if !m.is_null() {
        // SAFETY: as in `delete_legacy`.
        drop(unsafe { Box::from_raw(m.cast::<Exported<DLManagedTensorVersioned>>()) });
    }
}

/// Destructor of capsules we export: frees the tensor unless a consumer
/// took it (and renamed the capsule).
unsafe extern "C" fn capsule_destructor(capsule: *mut ffi::PyObject) {
    // SAFETY: called by Python with the GIL on a live capsule; the names
    // tell which struct the pointer holds; IsValid sets no exception.
    unsafe {
        if ffi::PyCapsule_IsValid(capsule, VERSIONED.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, VERSIONED.as_ptr()).cast::<DLManagedTensorVersioned>();
            if let Some(delete) = (*m).deleter {
                delete(m);
            }
        } else if ffi::PyCapsule_IsValid(capsule, LEGACY.as_ptr()) == 1 {
            let m = ffi::PyCapsule_GetPointer(capsule, LEGACY.as_ptr()).cast::<DLManagedTensor>();
            if let Some(delete) = (*m).deleter {
                delete(m);
            }
        }
    }
}

/// A managed tensor we imported; dropping it calls the producer's deleter.
enum Imported {
    Legacy(*mut DLManagedTensor),
    Versioned(*mut DLManagedTensorVersioned),
}

// SAFETY: DLPack allows the deleter to be called from any thread, and the
// tensor's memory is plain bytes; nothing else touches the pointer.
unsafe impl Send for Imported {}
// SAFETY: shared access never touches the pointer.
unsafe impl Sync for Imported {}

impl Imported {
    /// The tensor description inside the managed struct.
    fn tensor(&self) -> &DLTensor {
        // SAFETY: the pointer is live until the deleter runs in `drop`.
        unsafe {
            match *self {
                Imported::Legacy(m) => &(*m).dl_tensor,
                Imported::Versioned(m) => &(*m).dl_tensor,
            }
        }
    }
}

impl Drop for Imported {
    fn drop(&mut self) {
        let _ = Python::try_attach(|_py| {
            // SAFETY: we own the consumed tensor; its deleter is called
            // exactly once, here, with the GIL held as producers may need.
            unsafe {
                match *self {
                    Imported::Legacy(m) => {
                        if let Some(delete) = (*m).deleter {
                            delete(m)
                        }
                    }
                    Imported::Versioned(m) => {
                        if let Some(delete) = (*m).deleter {
                            delete(m)
                        }
                    }
                }
            }
        });
    }
}

/// Takes the managed tensor out of a DLPack capsule and wraps it (module
/// docs). The capsule is renamed so its destructor leaves the tensor alone.
fn import_capsule(capsule: &Bound<'_, PyAny>, copy: Option<bool>) -> PyResult<Array> {
    let capsule =
        capsule.cast::<PyCapsule>().map_err(|_| PyTypeError::new_err("__dlpack__ did not return a capsule"))?;
    let ptr = capsule.as_ptr();
    // SAFETY: `ptr` is a live capsule; the name is a C string or null.
    let name = unsafe { ffi::PyCapsule_GetName(ptr) };
    // SAFETY: a non-null capsule name is NUL-terminated and outlives this call.
    let name = (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_owned());
    let (owner, writable) = match name.as_deref() {
        Some(n) if n == VERSIONED => {
            // SAFETY: the name matched, so the pointer is a managed tensor;
            // renaming marks it consumed: from here on `owner` is
            // responsible for the single deleter call.
            let m = unsafe {
                let m = ffi::PyCapsule_GetPointer(ptr, VERSIONED.as_ptr()).cast::<DLManagedTensorVersioned>();
                ffi::PyCapsule_SetName(ptr, USED_VERSIONED.as_ptr());
                m
            };
            let owner = Imported::Versioned(m);
            // SAFETY: the version field comes first in every major version.
            let (version, flags) = unsafe { ((*m).version, (*m).flags) };
            if version.major != 1 {
                return Err(PyBufferError::new_err(format!(
                    "DLPack {}.{} is not supported (oxarray reads 1.x)",
                    version.major, version.minor
                )));
            }
            (owner, flags & READ_ONLY == 0)
        }
        Some(n) if n == LEGACY => {
            // SAFETY: as above, for the legacy struct.
            let m = unsafe {
                let m = ffi::PyCapsule_GetPointer(ptr, LEGACY.as_ptr()).cast::<DLManagedTensor>();
                ffi::PyCapsule_SetName(ptr, USED_LEGACY.as_ptr());
                m
            };
            // Legacy capsules cannot say whether writing is allowed (JAX's
            // arrays are immutable): treat them as read-only, as NumPy does.
            (Imported::Legacy(m), false)
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "not an unconsumed DLPack capsule (its name is {:?})",
                other.map(|n| n.to_string_lossy().into_owned())
            )));
        }
    };
    let t = owner.tensor();
    if t.device.device_type != CPU {
        return Err(PyBufferError::new_err(format!(
            "oxarray arrays live on the CPU; this tensor is on DLPack device type {} (id {})",
            t.device.device_type, t.device.device_id
        )));
    }
    let dtype = from_dl_dtype(t.dtype).ok_or_else(|| {
        PyTypeError::new_err(format!(
            "unsupported DLPack dtype (code {}, bits {}, lanes {})",
            t.dtype.code, t.dtype.bits, t.dtype.lanes
        ))
    })?;
    let ndim = usize::try_from(t.ndim).map_err(|_| PyValueError::new_err("negative ndim"))?;
    let read = |p: *mut i64| -> Vec<i64> {
        if ndim == 0 || p.is_null() {
            Vec::new()
        } else {
            // SAFETY: DLPack: `shape`/`strides` point to `ndim` values while
            // the tensor lives.
            unsafe { std::slice::from_raw_parts(p, ndim) }.to_vec()
        }
    };
    let shape = read(t.shape)
        .into_iter()
        .map(|d| usize::try_from(d).map_err(|_| PyValueError::new_err(format!("negative dimension {d}"))))
        .collect::<PyResult<Vec<usize>>>()?;
    let strides = (!t.strides.is_null() || ndim == 0)
        .then(|| read(t.strides).into_iter().map(|s| s as isize * dtype.itemsize() as isize).collect());
    let first = t.data.cast::<u8>().wrapping_add(t.byte_offset as usize);
    // SAFETY: DLPack: the data stays valid until the deleter runs, which
    // `owner` does when the last array handle drops.
    unsafe { wrap_foreign(first, dtype, shape, strides, writable, Box::new(owner), copy) }.map_err(to_pyerr)
}

/// `ox.from_dlpack(x, /, *, device=None, copy=None)`: an array sharing the
/// memory of any DLPack producer on the CPU.
#[pyfunction]
#[pyo3(signature = (x, /, *, device = None, copy = None))]
pub(crate) fn from_dlpack(x: &Bound<'_, PyAny>, device: Option<&str>, copy: Option<bool>) -> PyResult<PyArray> {
    if device.is_some_and(|d| d != "cpu") {
        return Err(PyValueError::new_err("oxarray arrays live on \"cpu\""));
    }
    import(x, copy).map(Into::into)
}

/// Imports a DLPack producer (also used by `asarray`).
pub(crate) fn import(x: &Bound<'_, PyAny>, copy: Option<bool>) -> PyResult<Array> {
    if let Some(a) = as_array(x) {
        return Ok(if copy == Some(true) { a.copy() } else { a });
    }
    let py = x.py();
    if let Ok(device) = x.call_method0("__dlpack_device__") {
        let (kind, id): (i32, i32) = device.extract()?;
        if kind != CPU {
            return Err(PyBufferError::new_err(format!(
                "oxarray arrays live on the CPU; this array is on DLPack device type {kind} (id {id})"
            )));
        }
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("max_version", (1, 1))?;
    let capsule = match x.call_method("__dlpack__", (), Some(&kwargs)) {
        Ok(c) => c,
        // Producers older than DLPack 1.0 take no `max_version`.
        Err(e) if e.is_instance_of::<PyTypeError>(py) => x.call_method0("__dlpack__")?,
        Err(e) => return Err(e),
    };
    import_capsule(&capsule, copy)
}

#[pymethods]
impl PyArray {
    /// Exports the array as a DLPack capsule without copying: versioned
    /// (DLPack 1.0) when `max_version >= (1, 0)`, legacy otherwise.
    /// `READ_ONLY` is set unless the array held writable memory alone (then
    /// the consumer may write, and those writes show in this array until it
    /// next writes itself, which copies first). `copy=True` exports a copy.
    #[pyo3(signature = (*, stream = None, max_version = None, dl_device = None, copy = None))]
    fn __dlpack__<'py>(
        &self,
        py: Python<'py>,
        stream: Option<&Bound<'py, PyAny>>,
        max_version: Option<(u32, u32)>,
        dl_device: Option<(i32, i32)>,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = stream; // CPU memory needs no synchronisation.
        if let Some((kind, id)) = dl_device
            && kind != CPU
        {
            return Err(PyBufferError::new_err(format!(
                "cannot export to DLPack device type {kind} (id {id}): oxarray arrays live on the CPU"
            )));
        }
        let (array, mut flags) = match copy {
            Some(true) => (self.array.copy(), IS_COPIED),
            _ => (self.array.clone(), if self.array.is_writable_in_place() { 0 } else { READ_ONLY }),
        };
        if copy == Some(true) {
            flags &= !READ_ONLY;
        }
        let versioned = max_version.is_some_and(|(major, _)| major >= 1);
        let (pointer, name) = if versioned {
            let m = Exported::leak(array, |dl_tensor| DLManagedTensorVersioned {
                version: DLPackVersion { major: 1, minor: 0 },
                manager_ctx: std::ptr::null_mut(),
                deleter: Some(delete_versioned),
                flags,
                dl_tensor,
            });
            (m.cast::<c_void>(), VERSIONED)
        } else {
            let m = Exported::leak(array, |dl_tensor| DLManagedTensor {
                dl_tensor,
                manager_ctx: std::ptr::null_mut(),
                deleter: Some(delete_legacy),
            });
            (m.cast::<c_void>(), LEGACY)
        };
        // SAFETY: `pointer` is a live managed tensor whose deleter frees it;
        // `capsule_destructor` calls that deleter unless a consumer took the
        // capsule. If creating the capsule fails, nobody holds the tensor.
        let capsule =
            unsafe { PyCapsule::new_with_pointer_and_destructor(py, pointer, name, Some(capsule_destructor)) };
        capsule.inspect_err(|_| {
            // SAFETY: the capsule was not created, so we still own `pointer`.
            unsafe { capsule_free(pointer, versioned) }
        })
    }

    /// `(kDLCPU, 0)`: the array lives in CPU memory.
    fn __dlpack_device__(&self) -> (i32, i32) {
        (CPU, 0)
    }
}

/// Frees an exported tensor that never reached a capsule.
///
/// # Safety
/// `pointer` must come from `Exported::leak` and not be freed yet.
unsafe fn capsule_free(pointer: NonNull<c_void>, versioned: bool) {
    // SAFETY: per the contract.
    unsafe {
        if versioned {
            delete_versioned(pointer.as_ptr().cast());
        } else {
            delete_legacy(pointer.as_ptr().cast());
        }
    }
}
