//! The [`Array`] handle: a shared buffer, a dtype and a strided layout.

use std::sync::Arc;

use oxarray_kernels::{layout, strided};

use crate::buffer::Buffer;
use crate::dtype::DType;
use crate::element::{Element, Wide};
use crate::error::{Error, ErrorKind, Result};

/// An n-dimensional array with a runtime dtype.
///
/// An `Array` is a small handle: an `Arc` to a [`Buffer`], a [`DType`], a
/// shape, strides and an offset (both counted in elements). Cloning it,
/// slicing it, transposing it or broadcasting it never copies bytes; it makes
/// another handle to the same buffer.
///
/// Arrays have **value semantics**: writing through one handle
/// ([`fill`](Array::fill), [`set`](Array::set), [`assign`](Array::assign)…)
/// never changes what another handle sees. A write to a buffer that another
/// handle also holds, or that is read-only, first copies the array into fresh
/// memory (copy-on-write); a write to a uniquely held, writable buffer
/// happens in place with no copy.
///
/// # Invariants
///
/// 1. `shape.len() == strides.len()`, and the element count of `shape`
///    times the itemsize fits in `isize`.
/// 2. If the array is non-empty, every element offset
///    `offset + Σ i_k·strides[k]` lies in `0..buffer.len() / itemsize`.
/// 3. The buffer's pointer is aligned to `dtype.alignment()`.
/// 4. For `bool` arrays every addressed byte is 0 or 1.
#[derive(Clone)]
pub struct Array {
    pub(crate) buffer: Arc<Buffer>,
    pub(crate) dtype: DType,
    pub(crate) shape: Vec<usize>,
    pub(crate) strides: Vec<isize>,
    pub(crate) offset: usize,
}

/// Checks that `shape` has a representable size for `dtype`; returns it.
pub(crate) fn checked_len(shape: &[usize], dtype: DType) -> Result<usize> {
    layout::checked_size(shape)
        .filter(|n| n.checked_mul(dtype.itemsize()).is_some_and(|b| b <= isize::MAX as usize))
        .ok_or_else(|| ErrorKind::SizeOverflow { shape: shape.to_vec() }.into())
}

impl Array {
    /// Builds an array over an existing buffer, checking every invariant
    /// (this is how memory-mapped files and foreign memory become arrays).
    pub fn from_buffer(
        buffer: Arc<Buffer>,
        dtype: DType,
        shape: Vec<usize>,
        strides: Vec<isize>,
        offset: usize,
    ) -> Result<Array> {
        if shape.len() != strides.len() {
            return Err(invalid_layout(format!("{} dimensions but {} strides", shape.len(), strides.len())));
        }
        checked_len(&shape, dtype)?;
        if !(buffer.as_ptr() as usize).is_multiple_of(dtype.alignment()) {
            return Err(invalid_layout(format!(
                "pointer {:p} is not aligned to {} bytes for {dtype}",
                buffer.as_ptr(),
                dtype.alignment()
            )));
        }
        let capacity = buffer.len() / dtype.itemsize();
        if let Some(bounds) = layout::checked_offset_bounds(&shape, &strides) {
            let (lo, hi) = bounds.ok_or_else(|| invalid_layout("stride arithmetic overflows".into()))?;
            let start = offset as isize;
            let in_bounds = start.checked_add(lo).is_some_and(|a| a >= 0)
                && start.checked_add(hi).is_some_and(|b| (b as usize) < capacity);
            if !in_bounds {
                return Err(invalid_layout(format!(
                    "shape {shape:?} with strides {strides:?} at offset {offset} reaches outside a buffer of {capacity} {dtype} elements"
                )));
            }
        }
        let array = Array { buffer, dtype, shape, strides, offset };
        if dtype == DType::Bool {
            let bytes = array.buffer.as_bytes();
            let mut bad = None;
            strided::for_each_offset(&array.shape, &array.strides, array.offset, |o| {
                if bytes[o] > 1 && bad.is_none() {
                    bad = Some(o);
                }
            });
            if let Some(o) = bad {
                return Err(invalid_layout(format!("bool buffer holds byte {} at element {o}", bytes[o])));
            }
        }
        Ok(array)
    }

    /// A C-contiguous array over a fresh buffer.
    pub(crate) fn from_owned_buffer(buffer: Buffer, dtype: DType, shape: Vec<usize>) -> Array {
        let strides = layout::c_strides(&shape);
        Array { buffer: Arc::new(buffer), dtype, shape, strides, offset: 0 }
    }

    /// A C-contiguous array of zeros (`false`).
    pub fn zeros(shape: &[usize], dtype: DType) -> Result<Array> {
        let n = checked_len(shape, dtype)?;
        Ok(Array::from_owned_buffer(Buffer::zeroed(n * dtype.itemsize())?, dtype, shape.to_vec()))
    }

    /// A C-contiguous array whose every element the caller writes before
    /// anything reads it: buffers of at least 16 KiB may come from the reuse
    /// pool holding stale (but initialised) values, and skip the clearing pass
    /// ([`Buffer::for_overwrite`]). `bool` arrays are zeroed, so their bytes
    /// are 0 or 1 from the start (invariant 4).
    pub(crate) fn for_overwrite(shape: &[usize], dtype: DType) -> Result<Array> {
        if dtype == DType::Bool {
            return Array::zeros(shape, dtype);
        }
        let n = checked_len(shape, dtype)?;
        Ok(Array::from_owned_buffer(Buffer::for_overwrite(n * dtype.itemsize())?, dtype, shape.to_vec()))
    }

    /// An array of the given shape holding `data` in C order (copied into
    /// oxarray's aligned memory).
    pub fn from_slice<T: Element>(data: &[T], shape: &[usize]) -> Result<Array> {
        let n = checked_len(shape, T::DTYPE)?;
        if n != data.len() {
            return Err(ErrorKind::SizeMismatch { shape: shape.to_vec(), len: data.len() }.into());
        }
        let mut a = Array::for_overwrite(shape, T::DTYPE)?;
        a.typed_mut_unique::<T>()?.copy_from_slice(data);
        Ok(a)
    }

    /// Like [`from_slice`](Array::from_slice), taking a `Vec`.
    pub fn from_vec<T: Element>(data: Vec<T>, shape: &[usize]) -> Result<Array> {
        Array::from_slice(&data, shape)
    }

    /// A 0-d array holding one value.
    pub fn scalar<T: Element>(value: T) -> Array {
        Array::from_slice(&[value], &[]).expect("a 0-d array always fits")
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// The length of each axis.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The step between consecutive elements of each axis, in elements.
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// Index of the first element within the buffer, in elements.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of dimensions.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        layout::size(&self.shape)
    }

    /// Size of one element in bytes.
    pub fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }

    /// Number of bytes the elements occupy (`size * itemsize`).
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }

    /// The shared buffer the array views.
    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.buffer
    }

    /// Address of the element at index `(0, 0, …)`. Two arrays that view the
    /// same bytes report the same pointer: tests use this to prove a view
    /// did not copy.
    pub fn as_ptr(&self) -> *const u8 {
        self.buffer.as_ptr().wrapping_add(self.offset * self.itemsize())
    }

    /// Whether the two arrays view the same buffer (so a shared writable
    /// export of one could be seen through the other).
    pub fn shares_buffer(&self, other: &Array) -> bool {
        Arc::ptr_eq(&self.buffer, &other.buffer)
    }

    /// Whether this handle is the only one holding its buffer, so a write
    /// happens in place.
    pub fn is_unique(&self) -> bool {
        Arc::strong_count(&self.buffer) == 1 && Arc::weak_count(&self.buffer) == 0
    }

    /// Whether writes through this handle can happen in place without a copy:
    /// a unique handle to writable memory whose layout addresses every
    /// element once (a broadcast view does not).
    pub fn is_writable_in_place(&self) -> bool {
        self.is_unique() && self.buffer.is_writable() && layout::is_non_overlapping(&self.shape, &self.strides)
    }

    /// Whether the elements are laid out in C (row-major) order.
    pub fn is_c_contiguous(&self) -> bool {
        layout::is_c_contiguous(&self.shape, &self.strides)
    }

    /// Whether the elements are laid out in Fortran (column-major) order.
    pub fn is_f_contiguous(&self) -> bool {
        layout::is_f_contiguous(&self.shape, &self.strides)
    }

    /// Whether the elements are contiguous in C or Fortran order.
    pub fn is_contiguous(&self) -> bool {
        self.is_c_contiguous() || self.is_f_contiguous()
    }

    /// A C-contiguous array with the same values: `self` (a cheap handle) if
    /// it already is, a copy otherwise.
    pub fn to_contiguous(&self) -> Array {
        if self.is_c_contiguous() { self.clone() } else { self.copy() }
    }

    /// A fresh, uniquely owned, C-contiguous copy.
    ///
    /// One pass: the elements go straight from this layout into the new
    /// buffer (fresh zero pages, not written first), tiled when the layout
    /// is a transpose and threaded for large arrays
    /// ([`oxarray_kernels::copy`]).
    pub fn copy(&self) -> Array {
        let mut out = Array::for_overwrite(&self.shape, self.dtype).expect("shape already validated");
        crate::dispatch!(self.dtype, T => {
            let src = self.buffer.typed::<T>().expect("dtype and alignment checked at construction");
            let dst = out.typed_mut_unique::<T>().expect("a fresh array is writable");
            oxarray_kernels::copy::copy_to_c_order(dst, src, &self.shape, &self.strides, self.offset);
        });
        out
    }

    /// The elements' bytes in memory order, without copying, if the array is
    /// C-contiguous (for writers of binary formats). Native byte order.
    pub fn contiguous_bytes(&self) -> Option<&[u8]> {
        if !self.is_c_contiguous() {
            return None;
        }
        if self.nbytes() == 0 {
            // A zero-size view's offset need not lie inside its buffer (a
            // slice past the end, the last row of an empty axis): it has no
            // bytes to borrow.
            return Some(&[]);
        }
        let start = self.offset * self.itemsize();
        Some(&self.buffer.as_bytes()[start..start + self.nbytes()])
    }

    /// The elements' bytes in C order (native byte order): borrowed when the
    /// array is C-contiguous, copied otherwise.
    pub fn to_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self.contiguous_bytes() {
            Some(b) => std::borrow::Cow::Borrowed(b),
            None => std::borrow::Cow::Owned(self.copy().contiguous_bytes().expect("copies are contiguous").to_vec()),
        }
    }

    /// The typed buffer slice and the layout, for read kernels.
    pub(crate) fn typed<T: Element>(&self, op: &'static str) -> Result<&[T]> {
        self.check_dtype::<T>(op)?;
        self.buffer.typed::<T>()
    }

    pub(crate) fn check_dtype<T: Element>(&self, op: &'static str) -> Result<()> {
        if T::DTYPE != self.dtype {
            return Err(ErrorKind::DTypeMismatch { op, expected: T::DTYPE, found: self.dtype }.into());
        }
        Ok(())
    }

    /// Makes this handle the unique owner of writable memory, copying if the
    /// buffer is shared or read-only, or the layout overlaps itself
    /// (copy-on-write). After this, writes
    /// through `self` are invisible to every other handle.
    pub fn make_unique(&mut self) {
        if !self.is_writable_in_place() {
            *self = self.copy();
        }
    }

    /// Mutable typed slice of the whole buffer after [`make_unique`](Self::make_unique).
    pub(crate) fn typed_mut_unique<T: Element>(&mut self) -> Result<&mut [T]> {
        self.check_dtype::<T>("write")?;
        self.make_unique();
        let buffer = Arc::get_mut(&mut self.buffer).expect("make_unique leaves one handle");
        Ok(buffer.typed_mut::<T>()?.expect("make_unique leaves writable memory"))
    }

    /// The elements in logical (C) order.
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>> {
        let data = self.typed::<T>("to_vec")?;
        if self.size() == 0 || self.is_c_contiguous() {
            return Ok(strided::gather(data, &self.shape, &self.strides, self.offset));
        }
        // The one-pass (tiled, threaded) copy into a vector that starts
        // filled with the first element.
        let mut out = vec![data[self.offset]; self.size()];
        oxarray_kernels::copy::copy_to_c_order(&mut out, data, &self.shape, &self.strides, self.offset);
        Ok(out)
    }

    /// Iterates over the elements in logical (C) order.
    pub fn iter<T: Element>(&self) -> Result<impl Iterator<Item = T> + '_> {
        let data = self.typed::<T>("iter")?;
        let mut offsets = Vec::with_capacity(self.size());
        strided::for_each_offset(&self.shape, &self.strides, self.offset, |o| offsets.push(o));
        Ok(offsets.into_iter().map(move |o| data[o]))
    }

    /// Buffer offset (in elements) of the element at `index`; negative
    /// indices count from the end as in NumPy.
    pub(crate) fn element_offset(&self, index: &[isize]) -> Result<usize> {
        if index.len() != self.ndim() {
            if index.len() > self.ndim() {
                return Err(ErrorKind::TooManyIndices { ndim: self.ndim(), given: index.len() }.into());
            }
            return Err(Error::invalid(
                "element access",
                format!(
                    "{} indices given for a {}-dimensional array; use slicing for sub-arrays",
                    index.len(),
                    self.ndim()
                ),
            ));
        }
        let mut o = self.offset as isize;
        for (axis, (&i, (&d, &s))) in index.iter().zip(self.shape.iter().zip(&self.strides)).enumerate() {
            let j = if i < 0 { i + d as isize } else { i };
            if j < 0 || j >= d as isize {
                return Err(ErrorKind::IndexOutOfBounds { axis, index: i, len: d }.into());
            }
            o += j * s;
        }
        Ok(o as usize)
    }

    /// The element at `index` (one index per axis, negative from the end).
    pub fn get<T: Element>(&self, index: &[isize]) -> Result<T> {
        let data = self.typed::<T>("get")?;
        Ok(data[self.element_offset(index)?])
    }

    /// The only element of a one-element array of any shape.
    pub fn item<T: Element>(&self) -> Result<T> {
        if self.size() != 1 {
            return Err(Error::invalid(
                "item",
                format!("only arrays of one element can be converted to a scalar; this one has {}", self.size()),
            ));
        }
        let data = self.typed::<T>("item")?;
        Ok(data[self.offset])
    }

    /// The only element of a one-element array, widened to a [`Wide`] value
    /// whatever the dtype.
    pub fn item_wide(&self) -> Result<Wide> {
        crate::dispatch!(self.dtype, T => self.item::<T>().map(Element::to_wide))
    }

    /// Writes `value` at `index`. The value is converted to the array's dtype
    /// as a "weak" scalar (like a Python scalar under NEP 50): it must be of
    /// the same or a lower kind (no float into an integer array) and must be
    /// representable exactly (no overflow), otherwise this is an error and
    /// the array is unchanged.
    pub fn set<T: Element>(&mut self, index: &[isize], value: T) -> Result<()> {
        self.element_offset(index)?;
        let wide = value.to_wide();
        crate::dispatch!(self.dtype, U => {
            let v: U = crate::cast::convert_weak_scalar::<U>(wide, T::DTYPE)?;
            // Copy-on-write may relay the array out: locate the element after it.
            self.make_unique();
            let o = self.element_offset(index)?;
            self.typed_mut_unique::<U>()?[o] = v;
        });
        Ok(())
    }

    /// Sets every element to `value` (converted as in [`set`](Array::set)).
    pub fn fill<T: Element>(&mut self, value: T) -> Result<()> {
        let wide = value.to_wide();
        crate::dispatch!(self.dtype, U => {
            let v: U = crate::cast::convert_weak_scalar::<U>(wide, T::DTYPE)?;
            self.make_unique();
            let (shape, strides, offset) = (self.shape.clone(), self.strides.clone(), self.offset);
            let data = self.typed_mut_unique::<U>()?;
            strided::fill(data, &shape, &strides, offset, v);
        });
        Ok(())
    }

    /// Makes this handle the unique owner of writable memory (copy-on-write,
    /// as [`make_unique`](Self::make_unique) does) and returns the address of
    /// the element at index `(0, 0, …)` for writing, as `as_ptr` does for
    /// reading. With [`shape`](Self::shape) and [`strides`](Self::strides)
    /// this is the raw layout that mutable views for other libraries (the
    /// `ndarray` bridge) are built from.
    ///
    /// The pointer may be used to read and write the elements the layout
    /// addresses until `self` is next used, moved or dropped; such writes are
    /// seen by this handle only. Dereferencing it is the caller's `unsafe`
    /// business; a caller that hands out `&mut` references to elements must
    /// also make sure the layout does not reach one element through two
    /// indices.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.make_unique();
        let start = self.offset * self.itemsize();
        let buffer = Arc::get_mut(&mut self.buffer).expect("make_unique leaves one handle");
        let bytes = buffer.as_bytes_mut().expect("make_unique leaves writable memory");
        // `wrapping_add`: an empty array's offset may lie past the buffer's
        // end; the pointer is never dereferenced then.
        bytes.as_mut_ptr().wrapping_add(start)
    }

    /// The elements as a typed slice in C order, without copying, when the
    /// array is C-contiguous; `Ok(None)` when it is not (use
    /// [`to_contiguous`](Self::to_contiguous) first, or
    /// [`to_vec`](Self::to_vec)). Asking for a type other than the dtype's
    /// is an error, as for [`get`](Self::get).
    ///
    /// ```
    /// use oxarray_core::Array;
    /// let a = Array::from_slice(&[1.0f32, 2., 3., 4.], &[2, 2])?;
    /// assert_eq!(a.as_slice::<f32>()?, Some(&[1.0f32, 2., 3., 4.][..]));
    /// assert_eq!(a.transpose().as_slice::<f32>()?, None);
    /// assert!(a.as_slice::<f64>().is_err());
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn as_slice<T: Element>(&self) -> Result<Option<&[T]>> {
        let data = self.typed::<T>("as_slice")?;
        if !self.is_c_contiguous() {
            return Ok(None);
        }
        if self.size() == 0 {
            return Ok(Some(&[]));
        }
        Ok(Some(&data[self.offset..self.offset + self.size()]))
    }

    /// The elements as a mutable typed slice in C order. Copy-on-write as for
    /// every write: if the buffer is shared, read-only, or the layout is not
    /// C-contiguous, the array is first copied into fresh, uniquely owned,
    /// C-contiguous memory; a unique, writable, C-contiguous array is written
    /// in place (its [`as_ptr`](Self::as_ptr) does not change). Asking for a
    /// type other than the dtype's is an error.
    ///
    /// ```
    /// use oxarray_core::Array;
    /// let mut a = Array::from_slice(&[1i32, 2, 3], &[3])?;
    /// let before = a.as_ptr();
    /// a.as_slice_mut::<i32>()?[0] = 10;                 // unique: in place
    /// assert_eq!(a.as_ptr(), before);
    /// let b = a.clone();
    /// a.as_slice_mut::<i32>()?[1] = 20;                 // shared: copies first
    /// assert_eq!((a.to_vec::<i32>()?, b.to_vec::<i32>()?), (vec![10, 20, 3], vec![10, 2, 3]));
    /// # Ok::<(), oxarray_core::Error>(())
    /// ```
    pub fn as_slice_mut<T: Element>(&mut self) -> Result<&mut [T]> {
        self.check_dtype::<T>("as_slice_mut")?;
        if !(self.is_writable_in_place() && self.is_c_contiguous()) {
            *self = self.copy();
        }
        let (start, len) = (self.offset, self.size());
        let data = self.typed_mut_unique::<T>()?;
        if len == 0 {
            return Ok(&mut []);
        }
        Ok(&mut data[start..start + len])
    }
}

fn invalid_layout(message: String) -> Error {
    ErrorKind::InvalidLayout { message }.into()
}
