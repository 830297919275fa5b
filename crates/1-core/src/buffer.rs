//! Bytes that arrays view: owned aligned memory, memory-mapped files, and
//! foreign memory kept alive by an owner object.
//!
//! This module and `array.rs`'s typed-slice accessors are the only places in
//! the core that use `unsafe`. The invariants every [`Buffer`] upholds:
//!
//! 1. `ptr` is non-null and valid for reads of `len` bytes for the buffer's
//!    whole life (and for writes when `writable`).
//! 2. Owned memory is aligned to [`ALIGN`] bytes (to [`HUGE_ALIGN`] when at
//!    least [`HUGE_THRESHOLD`] bytes); mapped memory to the page size;
//!    foreign memory to whatever its creator promised (checked against the
//!    dtype by the array constructors).
//! 3. Owned memory is always initialised (zeroed or copied), so every byte
//!    may be read.
//! 4. The owner's release (deallocation, unmapping, or dropping the foreign
//!    owner object) runs exactly once, when the last handle to the buffer
//!    drops: arrays share a `Buffer` through an `Arc`.

use std::alloc::{self, Layout};
use std::any::Any;
use std::fmt;
use std::fs::File;
use std::ptr::NonNull;

use crate::error::{Error, ErrorKind, Result};

/// Alignment of every owned allocation: a cache line, and what AVX-512 loads,
/// JAX's zero-copy DLPack import and TensorFlow require.
pub const ALIGN: usize = 64;
/// Alignment of large owned allocations, so the kernel can back them with
/// transparent huge pages (2 MiB on x86-64).
pub const HUGE_ALIGN: usize = 2 << 20;
/// Allocations of at least this many bytes are 2 MiB-aligned and advised as
/// huge pages. Below it the page-fault savings do not pay for the padding.
pub const HUGE_THRESHOLD: usize = 4 << 20;

enum Owner {
    /// Memory from the global allocator with this layout.
    Heap(Layout),
    /// A zero-length buffer; `ptr` is dangling but aligned.
    Empty,
    /// An anonymous mapping of oxarray's own (large buffers), unmapped when
    /// dropped; `ptr` points 2 MiB-aligned into it.
    Anon(#[allow(dead_code)] memmap2::MmapRaw),
    /// A memory map, unmapped when dropped.
    Map(#[allow(dead_code)] memmap2::MmapRaw),
    /// Foreign memory; dropping the owner releases it.
    Foreign(#[allow(dead_code)] Box<dyn Any + Send + Sync>),
}

/// A contiguous run of bytes with one owner. See the module docs for the
/// invariants.
pub struct Buffer {
    ptr: NonNull<u8>,
    len: usize,
    writable: bool,
    owner: Owner,
}

// SAFETY: a Buffer is either uniquely owned memory (Heap/Empty), a memory
// map, or foreign memory whose owner is `Send + Sync`; all access goes
// through `&self` (reads) or `&mut self` (writes), so Rust's aliasing rules
// on the handle carry over to the bytes.
unsafe impl Send for Buffer {}
// SAFETY: see `Send`; shared access only reads.
unsafe impl Sync for Buffer {}

#[repr(align(64))]
struct Align64;

impl Buffer {
    /// A new owned, zero-initialised buffer of `len` bytes.
    pub fn zeroed(len: usize) -> Result<Buffer> {
        if len == 0 {
            return Ok(Buffer {
                ptr: NonNull::<Align64>::dangling().cast(),
                len: 0,
                writable: true,
                owner: Owner::Empty,
            });
        }
        if len >= HUGE_THRESHOLD {
            return Buffer::zeroed_huge(len);
        }
        let layout = Layout::from_size_align(len, ALIGN).map_err(|_| too_large(len))?;
        // SAFETY: `layout` has non-zero size.
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw) else {
            return Err(too_large(len));
        };
        Ok(Buffer { ptr, len, writable: true, owner: Owner::Heap(layout) })
    }

    /// A large zeroed buffer straight from the kernel: an anonymous mapping
    /// (zero pages, faulted in lazily, so no write pass), over-allocated by
    /// 2 MiB so the buffer can start on a 2 MiB boundary, and advised as huge
    /// pages *before* any page is touched. The global allocator cannot do
    /// this: with 2 MiB alignment it zeroes the whole block itself first.
    fn zeroed_huge(len: usize) -> Result<Buffer> {
        let total = len.checked_add(HUGE_ALIGN).ok_or_else(|| too_large(len))?;
        let map = memmap2::MmapOptions::new().len(total).map_anon().map_err(|_| too_large(len))?;
        let map = memmap2::MmapRaw::from(map);
        let base = map.as_mut_ptr();
        let pad = base.align_offset(HUGE_ALIGN);
        if pad > HUGE_ALIGN {
            return Err(too_large(len));
        }
        let ptr = NonNull::new(base.wrapping_add(pad)).ok_or_else(|| too_large(len))?;
        advise_huge_pages(ptr, len);
        Ok(Buffer { ptr, len, writable: true, owner: Owner::Anon(map) })
    }

    /// A new owned buffer holding a copy of `bytes`.
    pub fn copy_from(bytes: &[u8]) -> Result<Buffer> {
        let mut b = Buffer::zeroed(bytes.len())?;
        b.bytes_mut_unchecked().copy_from_slice(bytes);
        Ok(b)
    }

    /// Maps `len` bytes of `file` starting at byte `offset` (which need not be
    /// page-aligned). The map is read-only unless `writable`, in which case
    /// writes go to the file (a shared mapping the caller asked for).
    pub fn map_file(file: &File, offset: u64, len: usize, writable: bool) -> std::io::Result<Buffer> {
        if len == 0 {
            let mut b = Buffer::zeroed(0).expect("zero-length buffers never fail");
            b.writable = writable;
            return Ok(b);
        }
        let mut opts = memmap2::MmapOptions::new();
        opts.offset(offset).len(len);
        let map = if writable { opts.map_raw(file)? } else { opts.map_raw_read_only(file)? };
        let ptr = NonNull::new(map.as_mut_ptr()).ok_or_else(|| std::io::Error::other("mmap returned null"))?;
        Ok(Buffer { ptr, len, writable, owner: Owner::Map(map) })
    }

    /// Wraps foreign memory without copying. `owner` is dropped exactly once,
    /// when the last array viewing this buffer goes; that drop is where the
    /// foreign release (a DLPack deleter, a Python `DECREF`, …) belongs.
    ///
    /// # Safety
    /// `ptr` must be non-null and valid for reads of `len` bytes (and for
    /// writes, if `writable`) until `owner` is dropped, and nothing else may
    /// write to those bytes while an oxarray array reads them.
    pub unsafe fn from_foreign(
        ptr: *mut u8,
        len: usize,
        writable: bool,
        owner: Box<dyn Any + Send + Sync>,
    ) -> Result<Buffer> {
        let ptr = NonNull::new(ptr).ok_or_else(|| {
            Error::from(ErrorKind::InvalidLayout { message: "foreign buffer pointer is null".into() })
        })?;
        Ok(Buffer { ptr, len, writable, owner: Owner::Foreign(owner) })
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the buffer holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether writes are allowed. Read-only memory (a read-only map, foreign
    /// memory its producer marked read-only) stays read-only: arrays over it
    /// copy before they write.
    pub fn is_writable(&self) -> bool {
        self.writable
    }

    /// Whether the bytes belong to oxarray's allocator.
    pub fn is_owned(&self) -> bool {
        matches!(self.owner, Owner::Heap(_) | Owner::Empty | Owner::Anon(_))
    }

    /// Whether this is a memory-mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(self.owner, Owner::Map(_))
    }

    /// The start of the bytes.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// The bytes, for reading.
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: invariant 1 (valid for reads of `len` bytes) and 3 (owned
        // memory is initialised; mapped and foreign memory are initialised by
        // their creators' contracts).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }

    /// The bytes, for writing; `None` if the buffer is read-only.
    pub fn as_bytes_mut(&mut self) -> Option<&mut [u8]> {
        self.writable.then(|| self.bytes_mut_unchecked())
    }

    fn bytes_mut_unchecked(&mut self) -> &mut [u8] {
        // SAFETY: callers check `writable` (or own fresh memory); `&mut self`
        // guarantees no other reference to the bytes exists through Rust.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// The bytes as a slice of `T`. The caller checks that `T` is valid for
    /// every bit pattern the buffer holds (all element types except `bool`,
    /// whose buffers are validated on import).
    pub(crate) fn typed<T: Copy>(&self) -> Result<&[T]> {
        self.check_typed::<T>()?;
        // SAFETY: alignment and length checked just above; invariant 1 and 3
        // make the bytes readable; element types are plain data.
        Ok(unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().cast::<T>(), self.len / size_of::<T>()) })
    }

    /// Mutable typed view; `None` if read-only.
    pub(crate) fn typed_mut<T: Copy>(&mut self) -> Result<Option<&mut [T]>> {
        self.check_typed::<T>()?;
        if !self.writable {
            return Ok(None);
        }
        // SAFETY: as in `typed`, plus `writable` and `&mut self` exclusivity.
        Ok(Some(unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr().cast::<T>(), self.len / size_of::<T>()) }))
    }

    fn check_typed<T>(&self) -> Result<()> {
        if size_of::<T>() == 0 || !(self.ptr.as_ptr() as usize).is_multiple_of(align_of::<T>()) {
            return Err(ErrorKind::InvalidLayout {
                message: format!(
                    "buffer at {:p} is not aligned to {} bytes for {}",
                    self.ptr,
                    align_of::<T>(),
                    std::any::type_name::<T>()
                ),
            }
            .into());
        }
        Ok(())
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if let Owner::Heap(layout) = self.owner {
            // SAFETY: `ptr` came from `alloc_zeroed(layout)` and is freed once,
            // here (invariant 4).
            unsafe { alloc::dealloc(self.ptr.as_ptr(), layout) };
        }
        // Map and Foreign owners release themselves when dropped.
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = match self.owner {
            Owner::Heap(_) | Owner::Empty | Owner::Anon(_) => "owned",
            Owner::Map(_) => "mapped",
            Owner::Foreign(_) => "foreign",
        };
        f.debug_struct("Buffer")
            .field("ptr", &self.ptr)
            .field("len", &self.len)
            .field("writable", &self.writable)
            .field("owner", &owner)
            .finish()
    }
}

fn too_large(len: usize) -> Error {
    Error::invalid("allocate", format!("cannot allocate {len} bytes"))
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(ptr: NonNull<u8>, len: usize) {
    // SAFETY: `ptr..ptr+len` is a live allocation we own, 2 MiB-aligned;
    // madvise only changes paging policy and its failure is harmless.
    unsafe {
        libc::madvise(ptr.as_ptr().cast(), len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_ptr: NonNull<u8>, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn owned_is_aligned_and_zeroed() {
        for len in [0, 1, 63, 64, 1000, HUGE_THRESHOLD] {
            let b = Buffer::zeroed(len).unwrap();
            assert_eq!(b.len(), len);
            assert_eq!(b.as_ptr() as usize % ALIGN, 0);
            if len >= HUGE_THRESHOLD {
                assert_eq!(b.as_ptr() as usize % HUGE_ALIGN, 0);
            }
            assert!(b.as_bytes().iter().all(|&x| x == 0));
            assert!(b.is_owned() && b.is_writable());
        }
        assert!(Buffer::zeroed(usize::MAX).is_err());
    }

    #[test]
    fn copy_and_typed_views() {
        let mut b = Buffer::copy_from(&[1, 0, 0, 0, 2, 0, 0, 0]).unwrap();
        assert_eq!(b.typed::<u32>().unwrap(), &[1, 2]);
        b.typed_mut::<u32>().unwrap().unwrap()[1] = 7;
        assert_eq!(b.as_bytes()[4], 7);
    }

    struct Counted(Arc<AtomicUsize>, #[allow(dead_code)] Vec<u64>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn foreign_release_runs_exactly_once() {
        let released = Arc::new(AtomicUsize::new(0));
        let mut data = vec![1u64, 2, 3];
        let ptr = data.as_mut_ptr().cast::<u8>();
        let owner = Counted(released.clone(), data);
        // SAFETY: `ptr` points into `owner.1`, whose heap allocation does not
        // move when the Vec is moved into the owner; it lives until drop.
        let buf = unsafe { Buffer::from_foreign(ptr, 24, false, Box::new(owner)) }.unwrap();
        let shared = Arc::new(buf);
        let handles: Vec<_> = (0..4).map(|_| shared.clone()).collect();
        assert_eq!(shared.typed::<u64>().unwrap(), &[1, 2, 3]);
        assert!(!shared.is_writable());
        drop(shared);
        let threads: Vec<_> = handles.into_iter().map(|h| std::thread::spawn(move || drop(h))).collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(released.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn foreign_null_is_an_error() {
        // SAFETY: a null pointer is rejected before it is used.
        let r = unsafe { Buffer::from_foreign(std::ptr::null_mut(), 0, false, Box::new(())) };
        assert!(r.is_err());
    }

    #[test]
    fn mapped_files_read_and_write_through() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&[9u8; 10]).unwrap();
        f.write_all(&[1, 2, 3, 4]).unwrap();
        let ro = Buffer::map_file(&f, 10, 4, false).unwrap();
        assert!(ro.is_mapped() && !ro.is_writable());
        assert_eq!(ro.as_bytes(), &[1, 2, 3, 4]);
        let mut rw = Buffer::map_file(&f, 10, 4, true).unwrap();
        rw.as_bytes_mut().unwrap()[0] = 42;
        drop(rw);
        let again = Buffer::map_file(&f, 0, 14, false).unwrap();
        assert_eq!(again.as_bytes()[10], 42);
        let mut ro = ro;
        assert!(ro.as_bytes_mut().is_none());
    }
}
