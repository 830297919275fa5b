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
//!    drops: arrays share a `Buffer` through an `Arc`. For large owned
//!    buffers "release" may mean "hand the mapping to the reuse pool", which
//!    then owns it until a later allocation takes it or it is evicted.
//!
//! # The reuse pool
//!
//! Writing into fresh memory costs about one extra write pass: on the first
//! touch the kernel faults every (huge) page in and zeroes it. Large
//! temporaries are the common case in elementwise chains (`a * b + c` makes
//! one, each result another), so large owned buffers (at least
//! [`HUGE_THRESHOLD`] bytes, the 2 MiB-aligned huge-page mappings) are not
//! unmapped when dropped but kept in a small process-wide pool, and a later
//! allocation of a fitting size takes one, already faulted in with its huge
//! pages intact.
//!
//! - **Contents.** [`Buffer::for_overwrite`] is for outputs a kernel writes
//!   in full (elementwise results, casts, copies): a pooled buffer comes back
//!   as it is, initialised bytes of unspecified value (never uninitialised
//!   memory: every pooled mapping was zero-filled by the kernel when created
//!   and has only been written since). [`Buffer::zeroed`] also takes from the
//!   pool but clears the bytes first; a `memset` of memory that is already
//!   mapped is cheaper than the page faults of a fresh mapping, which zero
//!   the same bytes in the kernel.
//! - **Size classes.** Large allocations are rounded up to a multiple of
//!   [`HUGE_ALIGN`] (2 MiB); a request takes the smallest pooled buffer of at
//!   least its class and at most 1.25 times it, so a small request does not
//!   pin a much larger mapping.
//! - **Bounds.** The pool holds at most [`cached_memory_limit`] bytes
//!   (default: the smaller of 1/8 of physical memory and 2 GiB; the
//!   environment variable `OXARRAY_POOL_BYTES`, read once, sets it in bytes,
//!   and `0` disables the pool); a buffer that would exceed it evicts the
//!   least recently pooled ones. [`set_cached_memory_limit`] changes the
//!   limit at run time; [`release_cached_memory`] unmaps everything pooled
//!   (like `torch.cuda.empty_cache()`).
//! - **Medium buffers.** Owned buffers from [`POOL_MIN`] (16 KiB) up to
//!   [`HUGE_THRESHOLD`] are heap blocks rounded up to one of four size
//!   classes per power of two (so at most 25% larger than asked), pooled
//!   on drop as well, at most [`MEDIUM_PER_CLASS`] per class, and taken
//!   back most recently pooled first (still warm in the cache). Without
//!   them every mid-size result paid a `memset` of its bytes (the global
//!   allocator's zeroing) or the page faults of fresh memory: a quarter of
//!   the time of `x + 1.5` on 10⁵ float32 elements, which NumPy, writing
//!   into uninitialised memory, does not pay.
//! - **Threads.** One `Mutex`, touched only for buffers of at least
//!   [`POOL_MIN`] bytes, whose allocation costs far more than the lock.
//!   Freeing and unmapping happen outside it.
//! - **Only oxarray's own memory** is pooled: memory maps of files and
//!   foreign memory are released to their owners as before.

use std::alloc::{self, Layout};
use std::any::Any;
use std::fmt;
use std::fs::File;
use std::ptr::NonNull;
use std::sync::{Mutex, MutexGuard, OnceLock};

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
/// Owned allocations of at least this many bytes (and below
/// [`HUGE_THRESHOLD`]) are rounded up to a size class and pooled when
/// dropped (see the module docs). Below it the allocator is cheap enough.
pub const POOL_MIN: usize = 16 << 10;
/// The most pooled buffers kept per medium size class.
pub const MEDIUM_PER_CLASS: usize = 8;
/// Medium size classes: four per power of two from [`POOL_MIN`] to
/// [`HUGE_THRESHOLD`], both included.
const MEDIUM_CLASSES: usize = ((HUGE_THRESHOLD.trailing_zeros() - POOL_MIN.trailing_zeros()) * 4 + 1) as usize;

enum Owner {
    /// Memory from the global allocator with this layout.
    Heap(Layout),
    /// A zero-length buffer; `ptr` is dangling but aligned.
    Empty,
    /// An anonymous mapping of oxarray's own (large buffers), handed to the
    /// reuse pool or unmapped when dropped; `ptr` points 2 MiB-aligned into
    /// it, and `capacity` bytes from `ptr` (at least `len`, a multiple of
    /// 2 MiB) lie inside it.
    Anon { map: memmap2::MmapRaw, capacity: usize },
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
            if let Some(mut b) = pool_take(len) {
                b.bytes_mut_unchecked().fill(0);
                return Ok(b);
            }
            return Buffer::zeroed_huge(len);
        }
        let capacity = match medium_class(len) {
            Some((_, class)) => {
                if let Some(mut b) = pool_take_medium(len) {
                    b.bytes_mut_unchecked().fill(0);
                    return Ok(b);
                }
                class
            }
            None => len,
        };
        let layout = Layout::from_size_align(capacity, ALIGN).map_err(|_| too_large(len))?;
        // SAFETY: `layout` has non-zero size.
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw) else {
            return Err(too_large(len));
        };
        Ok(Buffer { ptr, len, writable: true, owner: Owner::Heap(layout) })
    }

    /// A new owned buffer of `len` bytes whose contents are unspecified (but
    /// initialised: any value may be read, none is undefined), for outputs
    /// the caller overwrites in full. Buffers of at least [`POOL_MIN`] bytes
    /// may come from the reuse pool (see the module docs) and then skip
    /// both the page faults of fresh memory and a clearing pass; smaller
    /// ones are zeroed as by [`zeroed`](Buffer::zeroed).
    pub fn for_overwrite(len: usize) -> Result<Buffer> {
        let pooled = if len >= HUGE_THRESHOLD { pool_take(len) } else { pool_take_medium(len) };
        match pooled {
            Some(b) => Ok(b),
            None => Buffer::zeroed(len),
        }
    }

    /// A large zeroed buffer straight from the kernel: an anonymous mapping
    /// (zero pages, faulted in lazily, so no write pass), over-allocated by
    /// 2 MiB so the buffer can start on a 2 MiB boundary, and advised as huge
    /// pages *before* any page is touched. The global allocator cannot do
    /// this: with 2 MiB alignment it zeroes the whole block itself first.
    fn zeroed_huge(len: usize) -> Result<Buffer> {
        let capacity = size_class(len).ok_or_else(|| too_large(len))?;
        let total = capacity.checked_add(HUGE_ALIGN).ok_or_else(|| too_large(len))?;
        let map = memmap2::MmapOptions::new().len(total).map_anon().map_err(|_| too_large(len))?;
        let map = memmap2::MmapRaw::from(map);
        let base = map.as_mut_ptr();
        let pad = base.align_offset(HUGE_ALIGN);
        if pad > HUGE_ALIGN {
            return Err(too_large(len));
        }
        let ptr = NonNull::new(base.wrapping_add(pad)).ok_or_else(|| too_large(len))?;
        advise_huge_pages(ptr, capacity);
        Ok(Buffer { ptr, len, writable: true, owner: Owner::Anon { map, capacity } })
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
        matches!(self.owner, Owner::Heap(_) | Owner::Empty | Owner::Anon { .. })
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
            let block = HeapBlock { ptr: self.ptr, layout };
            if layout.size() >= POOL_MIN {
                pool_put(Pooled { block: Block::Heap(block), capacity: layout.size(), stamp: 0 });
            } else {
                drop(block);
            }
        } else if matches!(self.owner, Owner::Anon { .. })
            && let Owner::Anon { map, capacity } = std::mem::replace(&mut self.owner, Owner::Empty)
        {
            let pad = self.ptr.as_ptr() as usize - map.as_ptr() as usize;
            pool_put(Pooled { block: Block::Map { map, pad }, capacity, stamp: 0 });
        }
        // Map and Foreign owners release themselves when dropped.
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = match self.owner {
            Owner::Heap(_) | Owner::Empty | Owner::Anon { .. } => "owned",
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

/// A large allocation's pooled size: `len` rounded up to 2 MiB.
fn size_class(len: usize) -> Option<usize> {
    len.checked_next_multiple_of(HUGE_ALIGN)
}

/// A medium allocation's size class: its index and its size in bytes
/// (`len` rounded up to a quarter of its power of two), for `len` from
/// [`POOL_MIN`] to [`HUGE_THRESHOLD`] (requests of that size are large
/// ones, but it is the top medium class's size).
fn medium_class(len: usize) -> Option<(usize, usize)> {
    if !(POOL_MIN..=HUGE_THRESHOLD).contains(&len) {
        return None;
    }
    let log = len.ilog2();
    let step = 1usize << (log - 2);
    let bytes = len.next_multiple_of(step);
    let index = (log - POOL_MIN.trailing_zeros()) as usize * 4 + (bytes / step - 4);
    Some((index, bytes))
}

/// A heap block from `alloc_zeroed(layout)`, freed when dropped.
struct HeapBlock {
    ptr: NonNull<u8>,
    layout: Layout,
}

// SAFETY: a HeapBlock is the only handle to its allocation (a dropped
// Buffer's, or one the pool holds), so it may move between threads.
unsafe impl Send for HeapBlock {}

impl Drop for HeapBlock {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `alloc_zeroed(layout)` (invariant 2's
        // owned memory) and is freed once, here: the block is its only
        // owner (invariant 4).
        unsafe { alloc::dealloc(self.ptr.as_ptr(), self.layout) };
    }
}

/// What a pool entry holds: a large buffer's mapping, `pad` bytes before
/// its 2 MiB-aligned start, or a medium heap block.
enum Block {
    Map { map: memmap2::MmapRaw, pad: usize },
    Heap(HeapBlock),
}

/// A buffer in the pool: `capacity` usable bytes, pooled at time `stamp`.
struct Pooled {
    block: Block,
    capacity: usize,
    stamp: u64,
}

impl Pooled {
    /// The entry as a buffer of `len ≤ capacity` bytes.
    fn into_buffer(self, len: usize) -> Option<Buffer> {
        let capacity = self.capacity;
        let (ptr, owner) = match self.block {
            Block::Map { map, pad } => {
                (NonNull::new(map.as_mut_ptr().wrapping_add(pad))?, Owner::Anon { map, capacity })
            }
            Block::Heap(block) => {
                let block = std::mem::ManuallyDrop::new(block);
                (block.ptr, Owner::Heap(block.layout))
            }
        };
        Some(Buffer { ptr, len, writable: true, owner })
    }
}

struct Pool {
    limit: usize,
    bytes: usize,
    clock: u64,
    /// Large buffers' mappings.
    entries: Vec<Pooled>,
    /// Medium heap blocks by size class, oldest first.
    medium: Vec<Vec<Pooled>>,
}

impl Pool {
    /// An empty pool holding at most `limit` bytes.
    fn new(limit: usize) -> Pool {
        Pool {
            limit,
            bytes: 0,
            clock: 0,
            entries: Vec::new(),
            medium: (0..MEDIUM_CLASSES).map(|_| Vec::new()).collect(),
        }
    }

    /// Evicts the least recently pooled entries until at most `limit` bytes
    /// remain; returns them, to be released outside the lock.
    fn shrink_to(&mut self, limit: usize) -> Vec<Pooled> {
        let mut evicted = Vec::new();
        while self.bytes > limit {
            let large = (0..self.entries.len()).min_by_key(|&i| self.entries[i].stamp);
            let medium =
                (0..self.medium.len()).filter(|&c| !self.medium[c].is_empty()).min_by_key(|&c| self.medium[c][0].stamp);
            let e = match (large, medium) {
                (Some(i), Some(c)) if self.entries[i].stamp < self.medium[c][0].stamp => self.entries.swap_remove(i),
                (_, Some(c)) => self.medium[c].remove(0),
                (Some(i), None) => self.entries.swap_remove(i),
                (None, None) => break,
            };
            self.bytes -= e.capacity;
            evicted.push(e);
        }
        evicted
    }

    /// Pools `entry`; returns what to release outside the lock: evicted
    /// entries, or `entry` itself when it may not be pooled.
    fn put(&mut self, mut entry: Pooled) -> Vec<Pooled> {
        let class = match entry.block {
            Block::Map { .. } => None,
            Block::Heap(_) => match medium_class(entry.capacity) {
                Some((class, bytes)) if bytes == entry.capacity => Some(class),
                _ => return vec![entry],
            },
        };
        if entry.capacity > self.limit {
            return vec![entry];
        }
        self.clock += 1;
        entry.stamp = self.clock;
        self.bytes += entry.capacity;
        let mut evicted = Vec::new();
        match class {
            None => self.entries.push(entry),
            Some(class) => {
                if self.medium[class].len() >= MEDIUM_PER_CLASS {
                    let oldest = self.medium[class].remove(0);
                    self.bytes -= oldest.capacity;
                    evicted.push(oldest);
                }
                self.medium[class].push(entry);
            }
        }
        evicted.extend(self.shrink_to(self.limit));
        evicted
    }

    /// The most recently pooled medium block of `len`'s size class.
    fn take_medium(&mut self, len: usize) -> Option<Pooled> {
        let (class, _) = medium_class(len)?;
        let e = self.medium[class].pop()?;
        self.bytes -= e.capacity;
        Some(e)
    }
}

/// The default limit: the smaller of 1/8 of physical memory and 2 GiB, or
/// `OXARRAY_POOL_BYTES` when it is set to a number of bytes.
fn default_limit() -> usize {
    parse_limit(std::env::var("OXARRAY_POOL_BYTES").ok().as_deref(), physical_memory())
}

/// The limit for the value of `OXARRAY_POOL_BYTES` (if set) on a machine
/// with `ram` bytes (if known). An unparsable value gives the default.
fn parse_limit(env: Option<&str>, ram: Option<usize>) -> usize {
    const MAX_DEFAULT: usize = 2 << 30;
    if let Some(n) = env.and_then(|v| v.trim().parse::<usize>().ok()) {
        return n;
    }
    ram.map_or(MAX_DEFAULT, |r| (r / 8).min(MAX_DEFAULT))
}

#[cfg(unix)]
fn physical_memory() -> Option<usize> {
    // SAFETY: sysconf only reads system configuration.
    let (pages, page) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
    let (pages, page) = (usize::try_from(pages).ok()?, usize::try_from(page).ok()?);
    pages.checked_mul(page)
}

#[cfg(not(unix))]
fn physical_memory() -> Option<usize> {
    None
}

fn pool() -> MutexGuard<'static, Pool> {
    static POOL: OnceLock<Mutex<Pool>> = OnceLock::new();
    let m = POOL.get_or_init(|| Mutex::new(Pool::new(default_limit())));
    // A panic while holding the lock cannot leave the pool inconsistent in a
    // way that matters (at worst `bytes` is off until the next release).
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A pooled buffer for a request of `len` bytes, if one fits.
fn pool_take(len: usize) -> Option<Buffer> {
    let class = size_class(len)?;
    let most = class.saturating_add(class / 4);
    let entry = {
        let mut p = pool();
        let best = (0..p.entries.len())
            .filter(|&i| (class..=most).contains(&p.entries[i].capacity))
            .min_by_key(|&i| (p.entries[i].capacity, u64::MAX - p.entries[i].stamp))?;
        let e = p.entries.swap_remove(best);
        p.bytes -= e.capacity;
        e
    };
    entry.into_buffer(len)
}

/// A pooled medium buffer for a request of `len` bytes, if its size class
/// has one: the most recently pooled.
fn pool_take_medium(len: usize) -> Option<Buffer> {
    medium_class(len)?; // smaller requests never take the lock
    let entry = pool().take_medium(len)?;
    entry.into_buffer(len)
}

/// Hands a dropped buffer's memory to the pool, or releases it (after
/// evicting what no longer fits, outside the lock).
fn pool_put(entry: Pooled) {
    let released = pool().put(entry);
    drop(released);
}

/// Unmaps every buffer held by the reuse pool (see the [`Buffer`] module
/// docs) and returns how many bytes that released; like PyTorch's
/// `torch.cuda.empty_cache()`. Buffers in use are not affected.
pub fn release_cached_memory() -> usize {
    let evicted = pool().shrink_to(0);
    evicted.iter().map(|e| e.capacity).sum()
}

/// Bytes currently held by the reuse pool (free buffers kept for reuse).
pub fn cached_memory() -> usize {
    pool().bytes
}

/// The most bytes the reuse pool keeps: the smaller of 1/8 of physical
/// memory and 2 GiB unless `OXARRAY_POOL_BYTES` or
/// [`set_cached_memory_limit`] said otherwise; 0 means disabled.
pub fn cached_memory_limit() -> usize {
    pool().limit
}

/// Sets the reuse pool's limit in bytes (0 disables it), evicting what no
/// longer fits.
pub fn set_cached_memory_limit(bytes: usize) {
    let evicted = {
        let mut p = pool();
        p.limit = bytes;
        p.shrink_to(bytes)
    };
    drop(evicted);
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

    /// Serialises the tests that change or depend on the pool's state (the
    /// pool is process-wide; other tests only allocate sizes these avoid).
    static POOL_LOCK: Mutex<()> = Mutex::new(());

    fn pool_lock() -> MutexGuard<'static, ()> {
        POOL_LOCK.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Bytes of large mappings in the pool (other tests pool medium blocks
    /// alongside).
    fn pooled_large_bytes() -> usize {
        pool().entries.iter().map(|e| e.capacity).sum()
    }

    /// Sizes no other test allocates, so a pooled buffer is not taken away
    /// by a concurrent test.
    const ODD: usize = (37 << 20) + 123;

    #[test]
    fn pool_reuses_a_dropped_buffer_and_zeroed_clears_it() {
        let _g = pool_lock();
        assert!(cached_memory_limit() > 0, "the tests expect the default, enabled pool");
        let mut b = Buffer::for_overwrite(ODD).unwrap();
        assert_eq!((b.len(), b.as_ptr() as usize % HUGE_ALIGN), (ODD, 0));
        b.as_bytes_mut().unwrap().fill(0xAB);
        let p = b.as_ptr();
        drop(b);
        assert!(cached_memory() >= size_class(ODD).unwrap());
        // Same size, and a slightly smaller one (same class): reused as is.
        let c = Buffer::for_overwrite(ODD - 1000).unwrap();
        assert_eq!(c.as_ptr(), p);
        assert_eq!(c.len(), ODD - 1000);
        assert!(c.as_bytes().iter().all(|&x| x == 0xAB));
        drop(c);
        // `zeroed` reuses too, and clears.
        let z = Buffer::zeroed(ODD).unwrap();
        assert_eq!(z.as_ptr(), p);
        assert!(z.as_bytes().iter().all(|&x| x == 0));
        assert!(z.is_owned() && z.is_writable());
        drop(z);
        release_cached_memory();
    }

    #[test]
    fn pool_size_classes_do_not_pin_much_larger_buffers() {
        let _g = pool_lock();
        let big = Buffer::for_overwrite(ODD).unwrap();
        let p = big.as_ptr();
        drop(big);
        // 37 MiB is more than 1.25 × a 21 MiB request: not handed out.
        let small = Buffer::for_overwrite((21 << 20) + 5).unwrap();
        assert_ne!(small.as_ptr(), p);
        // 1.25 × 30 MiB = 37.5 MiB ≥ the 38 MiB class? No: 38 > 37.5.
        let mid = Buffer::for_overwrite(30 << 20).unwrap();
        assert_ne!(mid.as_ptr(), p);
        let fits = Buffer::for_overwrite(31 << 20).unwrap(); // 1.25 × 31 MiB = 38.75 MiB
        assert_eq!(fits.as_ptr(), p);
        drop((small, mid, fits));
        release_cached_memory();
    }

    #[test]
    fn pool_respects_its_limit_and_evicts_the_oldest() {
        let _g = pool_lock();
        let saved = cached_memory_limit();
        release_cached_memory();
        let class = size_class(ODD).unwrap();
        set_cached_memory_limit(class + class / 2);
        let a = Buffer::for_overwrite(ODD).unwrap();
        let b = Buffer::for_overwrite(ODD).unwrap();
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        drop(a);
        drop(b); // evicts `a`, pooled first
        assert!(cached_memory() <= class + class / 2);
        let c = Buffer::for_overwrite(ODD).unwrap();
        assert_eq!(c.as_ptr(), pb);
        assert_ne!(pa, pb);
        // A buffer larger than the whole limit is never pooled.
        set_cached_memory_limit(8 << 20);
        assert_eq!(pooled_large_bytes(), 0);
        drop(c);
        assert_eq!(pooled_large_bytes(), 0);
        set_cached_memory_limit(saved);
    }

    #[test]
    fn release_empties_the_pool() {
        let _g = pool_lock();
        drop(Buffer::for_overwrite(ODD).unwrap());
        drop(Buffer::for_overwrite(ODD + (8 << 20)).unwrap());
        assert!(release_cached_memory() >= 2 * size_class(ODD).unwrap());
        assert_eq!(pooled_large_bytes(), 0);
    }

    #[test]
    fn disabled_pool_unmaps() {
        let _g = pool_lock();
        let saved = cached_memory_limit();
        set_cached_memory_limit(0);
        let a = Buffer::for_overwrite(ODD).unwrap();
        drop(a);
        assert_eq!(cached_memory(), 0);
        set_cached_memory_limit(saved);
    }

    #[test]
    fn env_limit_parsing() {
        assert_eq!(parse_limit(Some("0"), Some(24 << 30)), 0);
        assert_eq!(parse_limit(Some(" 123456789 "), None), 123_456_789);
        assert_eq!(parse_limit(None, Some(24 << 30)), 2 << 30);
        assert_eq!(parse_limit(None, Some(8 << 30)), 1 << 30);
        assert_eq!(parse_limit(Some("lots"), Some(8 << 30)), 1 << 30);
        assert_eq!(parse_limit(None, None), 2 << 30);
    }

    /// Runs in a child process started by `env_var_disables_the_pool`.
    #[test]
    #[ignore = "run by env_var_disables_the_pool with OXARRAY_POOL_BYTES=0"]
    fn pool_disabled_child() {
        assert_eq!(cached_memory_limit(), 0);
        let a = Buffer::for_overwrite(ODD).unwrap();
        let p = a.as_ptr();
        drop(a);
        assert_eq!(cached_memory(), 0);
        let b = Buffer::for_overwrite(ODD).unwrap();
        assert!(b.as_bytes().iter().step_by(4096).all(|&x| x == 0), "fresh memory, not a pooled buffer");
        let _ = p;
    }

    #[test]
    fn env_var_disables_the_pool() {
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args(["--exact", "buffer::tests::pool_disabled_child", "--ignored", "--test-threads=1"])
            .env("OXARRAY_POOL_BYTES", "0")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("1 passed"), "{stdout}");
    }

    #[test]
    fn pool_under_concurrent_alloc_and_free() {
        let _g = pool_lock();
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                std::thread::spawn(move || {
                    // Small large sizes (valgrind runs this test too).
                    for i in 0..8usize {
                        let len = HUGE_THRESHOLD + ((i % 3) << 21) + t as usize;
                        let mut b = Buffer::for_overwrite(len).unwrap();
                        let mark = t.wrapping_mul(31).wrapping_add(i as u8);
                        let bytes = b.as_bytes_mut().unwrap();
                        bytes[0] = mark;
                        bytes[len - 1] = mark;
                        std::thread::yield_now();
                        assert_eq!((b.as_bytes()[0], b.as_bytes()[len - 1]), (mark, mark));
                        let z = Buffer::zeroed(len).unwrap();
                        assert_eq!((z.as_bytes()[0], z.as_bytes()[len - 1]), (0, 0));
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(cached_memory() <= cached_memory_limit());
        release_cached_memory();
    }

    /// Medium sizes no other test allocates (each in a class of its own).
    const MEDIUM_ODD: usize = (1 << 20) + (3 << 17) + 77;

    #[test]
    fn medium_size_classes() {
        assert_eq!(medium_class(POOL_MIN - 1), None);
        assert_eq!(medium_class(POOL_MIN), Some((0, POOL_MIN)));
        assert_eq!(medium_class(POOL_MIN + 1), Some((1, POOL_MIN + POOL_MIN / 4)));
        assert_eq!(medium_class(2 * POOL_MIN - 1), Some((4, 2 * POOL_MIN)));
        assert_eq!(medium_class(2 * POOL_MIN), Some((4, 2 * POOL_MIN)));
        assert_eq!(medium_class(HUGE_THRESHOLD - 1), Some((MEDIUM_CLASSES - 1, HUGE_THRESHOLD)));
        assert_eq!(medium_class(HUGE_THRESHOLD), Some((MEDIUM_CLASSES - 1, HUGE_THRESHOLD)));
        assert_eq!(medium_class(HUGE_THRESHOLD + 1), None);
        // Every class is at most 25% larger than what it holds, and the
        // classes increase with the index, one index per size.
        let mut last = medium_class(POOL_MIN).unwrap();
        for len in (POOL_MIN..HUGE_THRESHOLD).step_by(997) {
            let (i, bytes) = medium_class(len).unwrap();
            assert!(bytes >= len && bytes - len <= len / 4, "{len} -> {bytes}");
            assert!(i < MEDIUM_CLASSES && bytes.is_multiple_of(ALIGN));
            assert!(i > last.0 && bytes > last.1 || (i, bytes) == last, "{len}: {:?} after {last:?}", (i, bytes));
            last = (i, bytes);
        }
    }

    #[test]
    fn medium_buffers_are_reused_warm_and_zeroed_clears_them() {
        let _g = pool_lock();
        let mut b = Buffer::for_overwrite(MEDIUM_ODD).unwrap();
        assert_eq!(b.as_ptr() as usize % ALIGN, 0);
        assert!(b.as_bytes().iter().all(|&x| x == 0), "fresh memory is zeroed");
        b.as_bytes_mut().unwrap().fill(0xCD);
        let p = b.as_ptr();
        drop(b);
        // The same class (a slightly smaller request) takes it back as it is.
        let c = Buffer::for_overwrite(MEDIUM_ODD - 100).unwrap();
        assert_eq!((c.as_ptr(), c.len()), (p, MEDIUM_ODD - 100));
        assert!(c.as_bytes().iter().all(|&x| x == 0xCD));
        drop(c);
        let z = Buffer::zeroed(MEDIUM_ODD).unwrap();
        assert_eq!(z.as_ptr(), p);
        assert!(z.as_bytes().iter().all(|&x| x == 0));
        // A request of another class does not take it.
        drop(z);
        let other = Buffer::for_overwrite(MEDIUM_ODD / 2).unwrap();
        assert_ne!(other.as_ptr(), p);
        assert!(other.as_bytes().iter().all(|&x| x == 0));
        // The most recently pooled comes back first.
        let (x, y) = (Buffer::for_overwrite(MEDIUM_ODD).unwrap(), Buffer::for_overwrite(MEDIUM_ODD).unwrap());
        let py = y.as_ptr();
        drop(x);
        drop(y);
        assert_eq!(Buffer::for_overwrite(MEDIUM_ODD).unwrap().as_ptr(), py);
        release_cached_memory();
    }

    /// A pool entry holding a fresh medium heap block of `len`'s class, for
    /// tests on a private [`Pool`] (the process-wide one is shared with
    /// every test running alongside).
    fn medium_entry(len: usize) -> Pooled {
        let (_, class) = medium_class(len).unwrap();
        let layout = Layout::from_size_align(class, ALIGN).unwrap();
        // SAFETY: `layout` has non-zero size; the block frees it.
        let ptr = NonNull::new(unsafe { alloc::alloc_zeroed(layout) }).unwrap();
        Pooled { block: Block::Heap(HeapBlock { ptr, layout }), capacity: class, stamp: 0 }
    }

    fn block_ptr(e: &Pooled) -> *const u8 {
        match &e.block {
            Block::Heap(b) => b.ptr.as_ptr(),
            Block::Map { map, pad } => map.as_ptr().wrapping_add(*pad),
        }
    }

    #[test]
    fn medium_classes_keep_a_bounded_number_and_obey_the_limit() {
        let len = 100_000;
        let class = medium_class(len).unwrap().1;
        let mut p = Pool::new(usize::MAX);
        let entries: Vec<Pooled> = (0..MEDIUM_PER_CLASS + 3).map(|_| medium_entry(len)).collect();
        let ptrs: Vec<*const u8> = entries.iter().map(block_ptr).collect();
        for e in entries {
            drop(p.put(e));
        }
        // Only the last MEDIUM_PER_CLASS pooled are kept, newest first.
        assert_eq!(p.bytes, MEDIUM_PER_CLASS * class);
        for k in 0..MEDIUM_PER_CLASS {
            let e = p.take_medium(len - k).unwrap();
            assert_eq!(block_ptr(&e), ptrs[ptrs.len() - 1 - k], "entry {k}");
        }
        assert!(p.take_medium(len).is_none() && p.bytes == 0);
        // The top class (4 MiB blocks, for requests just under 4 MiB such
        // as 10⁶ float32 elements) is pooled too.
        let top = medium_entry(4_000_000);
        assert_eq!(top.capacity, HUGE_THRESHOLD);
        assert!(p.put(top).is_empty());
        assert_eq!(p.take_medium(4_000_000).map(|e| e.capacity), Some(HUGE_THRESHOLD));
        // Other classes are separate.
        drop(p.put(medium_entry(len)));
        assert!(p.take_medium(2 * len).is_none() && p.take_medium(len / 2).is_none());
        assert!(p.take_medium(len).is_some());
        // Under a limit the least recently pooled go first, across classes
        // and large mappings alike; a block larger than the limit is not kept.
        let mut p = Pool::new(2 * class);
        let (a, b, c) = (medium_entry(len), medium_entry(len / 2), medium_entry(len));
        let (pb, pc) = (block_ptr(&b), block_ptr(&c));
        assert!(p.put(a).is_empty() && p.put(b).is_empty());
        let evicted = p.put(c);
        assert_eq!(evicted.len(), 1);
        assert!(p.bytes <= 2 * class);
        assert_eq!(block_ptr(&p.take_medium(len).unwrap()), pc);
        assert_eq!(block_ptr(&p.take_medium(len / 2).unwrap()), pb);
        let mut p = Pool::new(class - 1);
        assert_eq!(p.put(medium_entry(len)).len(), 1);
        assert_eq!(p.bytes, 0);
        // Heap blocks that are not exactly a class are never pooled.
        let layout = Layout::from_size_align(class - ALIGN, ALIGN).unwrap();
        // SAFETY: `layout` has non-zero size; the block frees it.
        let ptr = NonNull::new(unsafe { alloc::alloc_zeroed(layout) }).unwrap();
        let odd = Pooled { block: Block::Heap(HeapBlock { ptr, layout }), capacity: class - ALIGN, stamp: 0 };
        assert_eq!(Pool::new(usize::MAX).put(odd).len(), 1);
    }

    #[test]
    fn medium_pool_disabled_by_a_zero_limit() {
        let _g = pool_lock();
        let saved = cached_memory_limit();
        set_cached_memory_limit(0);
        let mut b = Buffer::for_overwrite(MEDIUM_ODD).unwrap();
        b.as_bytes_mut().unwrap().fill(0xEE);
        drop(b);
        assert_eq!(cached_memory(), 0);
        assert!(Buffer::for_overwrite(MEDIUM_ODD).unwrap().as_bytes().iter().all(|&x| x == 0));
        set_cached_memory_limit(saved);
    }

    #[test]
    fn small_buffers_are_not_pooled() {
        for len in [1, 100, POOL_MIN - 1] {
            let mut b = Buffer::for_overwrite(len).unwrap();
            assert!(b.as_bytes().iter().all(|&x| x == 0));
            b.as_bytes_mut().unwrap().fill(1);
            drop(b);
            assert!(Buffer::for_overwrite(len).unwrap().as_bytes().iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn mapped_and_foreign_memory_is_never_pooled() {
        let _g = pool_lock();
        release_cached_memory();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![7u8; ODD]).unwrap();
        let m = Buffer::map_file(&f, 0, ODD, true).unwrap();
        let pm = m.as_ptr();
        drop(m);
        let mut data = vec![0u8; ODD];
        let pf = data.as_mut_ptr();
        // SAFETY: `pf` points into `data`, moved into the owner and alive
        // until the buffer drops.
        let foreign = unsafe { Buffer::from_foreign(pf, ODD, true, Box::new(data)) }.unwrap();
        drop(foreign);
        let b = Buffer::for_overwrite(ODD).unwrap();
        assert_ne!(b.as_ptr(), pm);
        assert_ne!(b.as_ptr(), pf.cast_const());
        assert!(b.as_bytes().iter().step_by(4096).all(|&x| x == 0));
        drop(b);
        release_cached_memory();
    }
}
