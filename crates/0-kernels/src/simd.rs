//! Runtime CPU-feature dispatch: runs a loop compiled for the best
//! instruction set the machine has, and measures the machine's float32 FMA
//! peak.
//!
//! The loops themselves are plain, branch-free Rust that LLVM vectorises;
//! what changes per instruction set is only how wide the vectors are. A loop
//! passed to [`dispatch`] is inlined into a function compiled with more
//! instruction-set extensions enabled and called there when the CPU has
//! them (checked once, then cached); elsewhere it runs as compiled for the
//! baseline target (SSE2 on x86-64, NEON on aarch64).
//!
//! # Levels
//!
//! | [`Level`] | x86-64 features | used by |
//! |---|---|---|
//! | `Baseline` | the target's own (SSE2) | every loop when nothing better is there or when forced |
//! | `Avx2` | AVX2 + FMA + F16C | [`dispatch`]: every contiguous elementwise loop |
//! | `Avx512` | AVX-512 F/BW/DQ/VL + AVX2 + FMA + F16C | [`dispatch_wide`]: compute-heavy loops (the [`crate::vmath`] functions) |
//!
//! Memory-bound loops (`a * b + c`, casts, comparisons) stay at AVX2: they
//! wait for memory either way and a third copy of each would double their
//! code again. Loops that compute much per element (polynomial `exp`,
//! `tanh`, …) use [`dispatch_wide`], which adds the AVX-512 level: on the
//! Zen 5 machines oxarray is benchmarked on, 512-bit FMAs run at full width
//! (twice the AVX2 peak, see [`measure_fma_peak`]); the decision and the
//! measurements are in `docs/decisions.md`.
//!
//! # Inlining
//!
//! A loop compiles for the wider instruction set only if all of its code is
//! inlined into the `#[target_feature]` function: a call that LLVM leaves
//! out of line runs as baseline code. So the callers pass closures marked
//! `#[inline(always)]` and write their loops as plain indexed loops over
//! slices of equal length (no iterator adaptor functions to leave out).
//! An unmarked closure is not an error the compiler reports: the loop just
//! runs as baseline code (the reductions and the scaler loops once did),
//! so `scripts/test.sh` fails on any closure passed to
//! [`dispatch`] or [`dispatch_wide`] without the attribute.
//!
//! # Forcing the baseline path
//!
//! The highest level used can be capped, process-wide:
//! - the environment variable `OXARRAY_SIMD`, read once at the first
//!   dispatch: `baseline` (or `scalar`), `avx2` or `avx512`; any other value is
//!   ignored with a warning on stderr;
//! - [`set_max_level`] at run time (tests use it to run every loop through
//!   both paths and compare).
//!
//! Results are bit-for-bit the same on every level for loops that do not
//! call `mul_add` (FMA is enabled but LLVM never fuses a separate multiply
//! and add on its own), which includes every loop of this crate and the
//! [`crate::vmath`] functions.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// An instruction-set level loops can be compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The compilation target's own instructions (SSE2 on x86-64).
    Baseline = 0,
    /// AVX2, FMA and F16C (256-bit vectors; F16C, which every AVX2 CPU
    /// has, lets the `half` crate's float16 conversions inline).
    Avx2 = 1,
    /// AVX-512 F, BW, DQ and VL on top of AVX2 and FMA (512-bit vectors).
    Avx512 = 2,
}

impl Level {
    /// The name used by `OXARRAY_SIMD` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }

    /// Parses an `OXARRAY_SIMD` value (`scalar` is a synonym of `baseline`).
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "baseline" | "scalar" | "sse2" => Some(Level::Baseline),
            "avx2" => Some(Level::Avx2),
            "avx512" => Some(Level::Avx512),
            _ => None,
        }
    }

    fn from_u8(v: u8) -> Level {
        match v {
            0 => Level::Baseline,
            1 => Level::Avx2,
            _ => Level::Avx512,
        }
    }
}

/// The best level the CPU supports, whatever the caps.
pub fn cpu_level() -> Level {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        if has!("avx2") && has!("fma") && has!("f16c") {
            if has!("avx512f") && has!("avx512bw") && has!("avx512dq") && has!("avx512vl") {
                return Level::Avx512;
            }
            return Level::Avx2;
        }
    }
    Level::Baseline
}

/// The CPU's level capped by `OXARRAY_SIMD`, computed once.
fn detected() -> Level {
    static DETECTED: OnceLock<Level> = OnceLock::new();
    *DETECTED.get_or_init(|| {
        let cpu = cpu_level();
        match std::env::var("OXARRAY_SIMD") {
            Ok(v) => match Level::parse(&v) {
                Some(cap) => cpu.min(cap),
                None => {
                    eprintln!(
                        "oxarray: OXARRAY_SIMD={v:?} is not one of baseline, scalar, avx2, avx512; ignored \
                         (using {})",
                        cpu.name()
                    );
                    cpu
                }
            },
            Err(_) => cpu,
        }
    })
}

/// The run-time cap set by [`set_max_level`] (`Level as u8`).
static CAP: AtomicU8 = AtomicU8::new(Level::Avx512 as u8);

/// Caps the level every later dispatch uses, process-wide (`None` lifts the
/// cap set here; `OXARRAY_SIMD` still applies). Loops already running are
/// not affected. Meant for tests and for comparing the paths.
pub fn set_max_level(cap: Option<Level>) {
    CAP.store(cap.unwrap_or(Level::Avx512) as u8, Ordering::Relaxed);
}

/// The level [`dispatch_wide`] uses now: the CPU's, capped by
/// `OXARRAY_SIMD` and [`set_max_level`]. [`dispatch`] uses at most
/// [`Level::Avx2`] of it.
#[inline]
pub fn level() -> Level {
    detected().min(Level::from_u8(CAP.load(Ordering::Relaxed)))
}

/// Whether [`dispatch`] runs loops with AVX2 and FMA now.
pub fn has_avx2_fma() -> bool {
    level() >= Level::Avx2
}

/// Runs `body`, compiled for AVX2 + FMA when the CPU supports them (and no
/// cap forbids it), else for the baseline target.
///
/// `body` should be a closure marked `#[inline(always)]` whose loop calls no
/// function that LLVM may leave out of line (see the module docs).
#[inline(always)]
pub fn dispatch<R>(body: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if level() >= Level::Avx2 {
            // SAFETY: `with_avx2` only requires that the CPU supports AVX2,
            // FMA and F16C; `level()` is at most `cpu_level()`, which checked them.
            return unsafe { with_avx2(body) };
        }
    }
    body()
}

/// [`dispatch`] with the AVX-512 level added, for loops that compute much
/// per element.
#[inline(always)]
pub fn dispatch_wide<R>(body: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        match level() {
            // SAFETY: `cpu_level()` (which caps `level()`) checked AVX-512
            // F/BW/DQ/VL, AVX2, FMA and F16C, all that `with_avx512` requires.
            Level::Avx512 => return unsafe { with_avx512(body) },
            // SAFETY: as in `dispatch`: AVX2, FMA and F16C were checked.
            Level::Avx2 => return unsafe { with_avx2(body) },
            Level::Baseline => {}
        }
    }
    body()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
#[inline]
fn with_avx2<R>(body: impl FnOnce() -> R) -> R {
    body()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,f16c")]
#[inline]
fn with_avx512<R>(body: impl FnOnce() -> R) -> R {
    body()
}

/// Bytes of output from which a pass writes it with non-temporal stores
/// ([`streaming`]): twice the last-level cache of the benchmark machine
/// (32 MiB), so a result that would still be in the cache when it is read
/// (or overwritten) soon after is written normally; `docs/decisions.md`
/// has a case where streaming 16 MiB results made a pass twice as slow.
pub const STREAM_BYTES: usize = 64 << 20;

/// Runs `body` with a [`Streamer`], which writes with non-temporal stores,
/// and fences those stores once `body` is done (or unwinds), so another
/// thread that synchronises with this one afterwards (a rayon join) sees
/// them.
///
/// An ordinary store to a line that is not in the cache first reads the
/// line from memory (a read for ownership), so a pass writing a large
/// result moves three bytes per byte written instead of two; a
/// non-temporal store writes the line without reading it and without
/// evicting the inputs from the cache. The fence waits until every such
/// store has left the core, which takes as long as writing them out: a
/// pass should fence once per task of many blocks, not once per block
/// (fencing each 16 KiB block cost the fused standardisation a third of
/// its time, `docs/decisions.md`). Hence the scope: it fences exactly once,
/// and the [`Streamer`] cannot leave it or the thread (it is not `Send`).
pub fn streaming<R>(body: impl FnOnce(&mut Streamer) -> R) -> R {
    let mut streamer = Streamer { _thread: std::marker::PhantomData };
    body(&mut streamer)
}

/// Non-temporal copies inside one [`streaming`] scope.
#[derive(Debug)]
pub struct Streamer {
    /// Not `Send`: the fence orders only the stores of its own thread.
    _thread: std::marker::PhantomData<*const ()>,
}

impl Streamer {
    /// `dst.copy_from_slice(src)` with non-temporal stores, for a pass
    /// that computes a block of a large result in cache and writes it out.
    /// Below [`Level::Avx2`] (forced, or on another architecture) it is
    /// the plain copy, so tests can compare both; the bits written are the
    /// same either way.
    ///
    /// # Panics
    ///
    /// If the lengths differ, as `copy_from_slice`.
    pub fn copy<T: Copy>(&mut self, dst: &mut [T], src: &[T]) {
        assert_eq!(dst.len(), src.len(), "Streamer::copy: lengths differ");
        #[cfg(target_arch = "x86_64")]
        {
            if level() >= Level::Avx2 {
                let bytes = std::mem::size_of_val(src);
                let d = dst.as_mut_ptr().cast::<u8>();
                let s = src.as_ptr().cast::<u8>();
                let head = d.align_offset(16).min(bytes);
                let end = head + (bytes - head) / 16 * 16;
                // SAFETY: `src` and `dst` are `bytes` long (equal lengths of
                // the same `T`) and do not overlap (a shared and a unique
                // borrow); every access below is inside `0..bytes` of both.
                // `T: Copy`, so copying its bytes in any order makes valid
                // values once the whole range is written. `d + i` is 16-byte
                // aligned for `i` in `head..end` (step 16), as
                // `stream_16` requires. The stores are fenced when the
                // `streaming` scope ends (`Drop`).
                unsafe {
                    std::ptr::copy_nonoverlapping(s, d, head);
                    let mut i = head;
                    while i < end {
                        stream_16(d.add(i), s.add(i));
                        i += 16;
                    }
                    std::ptr::copy_nonoverlapping(s.add(end), d.add(end), bytes - end);
                }
                return;
            }
        }
        dst.copy_from_slice(src);
    }

    /// Scatters `src` into `parts`: every element `x` is appended to
    /// `parts[bucket(x)]` as `conv(x)`, each part filled from its start in
    /// the order of `src` (a stable scatter, as a radix sort's). `bucket`
    /// and `conv` receive references to the elements of `src` itself (so a
    /// caller may compute an element's position from its address).
    ///
    /// Each part collects its elements in a cache-line buffer of its own
    /// (software write-combining), written out whole with non-temporal
    /// stores once full and aligned. A plain scatter into a hundred or more
    /// parts stores into that many lines that are not in the cache: each
    /// store first reads its line from memory, and stores leave the core
    /// in order, so one such read holds up every store behind it. The
    /// buffers are in L1, and a full line is written without being read.
    /// Below [`Level::Avx2`] (forced, or on another architecture), or for
    /// elements of which fewer than two fill a cache line exactly (zero
    /// sized, 3 or 48 bytes, 64 bytes and more), it is the plain scatter,
    /// so tests can compare both.
    ///
    /// Returns how many whole lines were written with non-temporal stores
    /// (0 for the plain scatter).
    ///
    /// # Panics
    ///
    /// If `bucket(x)` is not an index of `parts`, or a part receives more
    /// elements than it is long (checked when its buffer is written out).
    /// A part that receives fewer keeps the rest of its elements as they
    /// were.
    pub fn scatter<T, U: Copy>(
        &mut self,
        src: &[T],
        parts: &mut [&mut [U]],
        bucket: impl Fn(&T) -> usize,
        conv: impl Fn(&T) -> U,
    ) -> usize {
        self.scatter_with(level() >= Level::Avx2, src, parts, bucket, conv)
    }

    /// [`Streamer::scatter`] through the line buffers if `lines` (and the
    /// elements tile a line, on x86-64), else plainly: what the tests call
    /// to run each path whatever the level is meanwhile (other tests
    /// change it).
    fn scatter_with<T, U: Copy>(
        &mut self,
        lines: bool,
        src: &[T],
        parts: &mut [&mut [U]],
        bucket: impl Fn(&T) -> usize,
        conv: impl Fn(&T) -> U,
    ) -> usize {
        let size = std::mem::size_of::<U>();
        let per_line = if size == 0 || !LINE.is_multiple_of(size) { 0 } else { LINE / size };
        if per_line < 2 || !cfg!(target_arch = "x86_64") || !lines {
            let mut fill = vec![0usize; parts.len()];
            for x in src {
                let b = bucket(x);
                let i = fill[b];
                parts[b][i] = conv(x);
                fill[b] = i + 1;
            }
            return 0;
        }
        let mut lines = vec![Line([0; LINE]); parts.len()];
        let mut runs: Vec<Run<U>> = parts
            .iter_mut()
            .map(|p| {
                let at = p.as_mut_ptr();
                let misaligned = at as usize % LINE;
                let to_line = if misaligned.is_multiple_of(size) { (LINE - misaligned) % LINE / size } else { 0 };
                let cap = if to_line > 0 { to_line } else { per_line }.min(p.len().max(1));
                Run { at, left: p.len(), fill: 0, cap }
            })
            .collect();
        let mut streamed = 0;
        for x in src {
            let b = bucket(x);
            let run = &mut runs[b];
            let line = &mut lines[b];
            // SAFETY: `run.fill < run.cap <= per_line` (a run is written out
            // as soon as `fill` reaches `cap`), so the element lies inside
            // the 64-byte line; its offset `fill * size` is a multiple of
            // `size`, hence of `U`'s alignment (which divides its size), and
            // the line is 64-byte aligned.
            unsafe { line.0.as_mut_ptr().cast::<U>().add(run.fill).write(conv(x)) };
            run.fill += 1;
            if run.fill == run.cap {
                streamed += usize::from(run.write_out(line, per_line));
            }
        }
        for (run, line) in runs.iter_mut().zip(&lines) {
            if run.fill > 0 {
                streamed += usize::from(run.write_out(line, per_line));
            }
        }
        streamed
    }
}

/// Copies 16 bytes from `src` to `dst` with one non-temporal store. In
/// assembly, so that the bytes are copied as they are: padding bytes of
/// the elements being copied are uninitialised, which a load into a Rust
/// integer vector may not read.
///
/// # Safety
///
/// `src` must be valid for reading 16 bytes and `dst` for writing 16
/// bytes, aligned to 16, the two not overlapping. The store is weakly
/// ordered: fence it (`_mm_sfence`) before another thread may read it.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn stream_16(dst: *mut u8, src: *const u8) {
    // SAFETY: the caller's contract: `src` readable, `dst` writable and
    // aligned; SSE2 (`movdqu`, `movntdq`) is part of the x86-64 baseline.
    unsafe {
        std::arch::asm!(
            "movdqu {t}, xmmword ptr [{s}]",
            "movntdq xmmword ptr [{d}], {t}",
            s = in(reg) src,
            d = in(reg) dst,
            t = out(xmm_reg) _,
            options(nostack, preserves_flags),
        );
    }
}

/// Bytes of a cache line (x86-64).
const LINE: usize = 64;

/// One cache line of [`Streamer::scatter`]'s buffers.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([u8; LINE]);

/// Where [`Streamer::scatter`] writes one part: the next element to write,
/// how many the part still holds, how many wait in its line, and how many
/// the line takes before it is written out (fewer than a line's worth up
/// to the first line boundary of the part, or at its end; 1 once the part
/// is full, so that one more element reaches [`Run::write_out`] and its
/// check at once).
struct Run<U> {
    at: *mut U,
    left: usize,
    fill: usize,
    cap: usize,
}

impl<U: Copy> Run<U> {
    /// Writes the `fill` elements waiting in `line` to the part: one
    /// non-temporal store of the whole line when it is full and the part
    /// is aligned there (returns `true`), else a plain copy.
    ///
    /// # Panics
    ///
    /// If the part has room for fewer than `fill` elements.
    #[inline(never)]
    fn write_out(&mut self, line: &Line, per_line: usize) -> bool {
        assert!(self.fill <= self.left, "Streamer::scatter: a part received more elements than its length");
        let streamed = cfg!(target_arch = "x86_64") && self.fill == per_line && (self.at as usize).is_multiple_of(LINE);
        #[cfg(target_arch = "x86_64")]
        if streamed {
            let (s, d) = (line.0.as_ptr(), self.at.cast::<u8>());
            // SAFETY: `at..at + per_line` is inside the part (`fill <=
            // left`): 64 bytes from a 64-byte aligned address, so each
            // 16-byte store is aligned, as `stream_16` requires; the line
            // is 64 bytes and holds `per_line` elements written by
            // `scatter`. The caller's `streaming` scope fences the stores.
            unsafe {
                for k in 0..4 {
                    stream_16(d.add(16 * k), s.add(16 * k));
                }
            }
        }
        if !streamed {
            // SAFETY: as above, `fill` elements fit at `at`, and the line
            // holds `fill` initialised elements; a local buffer and the
            // caller's part do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(line.0.as_ptr().cast::<U>(), self.at, self.fill) };
        }
        // SAFETY: `at + fill` is inside the part or one past its end.
        self.at = unsafe { self.at.add(self.fill) };
        self.left -= self.fill;
        self.fill = 0;
        self.cap = per_line.min(self.left.max(1));
        streamed
    }
}

impl Drop for Streamer {
    fn drop(&mut self) {
        // Always, not only after this scope's own stores: two nested
        // scopes' streamers can be swapped. A fence with no non-temporal
        // store pending costs next to nothing.
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `_mm_sfence` has no preconditions (SSE is part of the
        // x86-64 baseline). Non-temporal stores are weakly ordered: the
        // fence orders them before anything that publishes the result.
        unsafe {
            std::arch::x86_64::_mm_sfence()
        };
    }
}

/// Independent accumulators of the FMA peak kernels: more than the FMA
/// latency (4 cycles) times the FMA pipes (2), so every cycle can start
/// two.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const FMA_CHAINS: usize = 12;

/// `iters` rounds of [`FMA_CHAINS`] independent 256-bit FMAs; returns a
/// value that depends on all of them.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma_rounds_avx2(iters: u64, a: f32, b: f32) -> f32 {
    use std::arch::x86_64::*;
    let (va, vb) = (_mm256_set1_ps(a), _mm256_set1_ps(b));
    let mut acc = [_mm256_setzero_ps(); FMA_CHAINS];
    for _ in 0..iters {
        for v in acc.iter_mut() {
            *v = _mm256_fmadd_ps(*v, va, vb);
        }
    }
    let mut s = _mm256_setzero_ps();
    for v in acc {
        s = _mm256_add_ps(s, v);
    }
    let mut lanes = [0.0f32; 8];
    // SAFETY: `lanes` is 8 writable f32 (32 bytes); `storeu` has no
    // alignment requirement.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), s) };
    lanes.iter().sum()
}

/// [`fma_rounds_avx2`] with 512-bit FMAs.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn fma_rounds_avx512(iters: u64, a: f32, b: f32) -> f32 {
    use std::arch::x86_64::*;
    let (va, vb) = (_mm512_set1_ps(a), _mm512_set1_ps(b));
    let mut acc = [_mm512_setzero_ps(); FMA_CHAINS];
    for _ in 0..iters {
        for v in acc.iter_mut() {
            *v = _mm512_fmadd_ps(*v, va, vb);
        }
    }
    let mut s = _mm512_setzero_ps();
    for v in acc {
        s = _mm512_add_ps(s, v);
    }
    _mm512_reduce_add_ps(s)
}

/// Runs `iters` rounds of the FMA kernel of `level` on this thread and
/// returns the float32 operations done (2 per FMA lane), or `None` when
/// the CPU lacks the level or it has no FMA kernel (the baseline).
pub fn fma_kernel(level: Level, iters: u64) -> Option<f64> {
    if level > cpu_level() {
        return None;
    }
    // Values that keep the accumulators finite and normal for any count.
    let (a, b) = (std::hint::black_box(0.999_999f32), std::hint::black_box(1e-6f32));
    #[cfg(target_arch = "x86_64")]
    {
        let lanes = match level {
            Level::Baseline => return None,
            Level::Avx2 => {
                // SAFETY: `cpu_level()` found AVX2 and FMA, checked above.
                std::hint::black_box(unsafe { fma_rounds_avx2(iters, a, b) });
                8
            }
            Level::Avx512 => {
                // SAFETY: `cpu_level()` found AVX-512F, AVX2 and FMA.
                std::hint::black_box(unsafe { fma_rounds_avx512(iters, a, b) });
                16
            }
        };
        Some(2.0 * (lanes * FMA_CHAINS) as f64 * iters as f64)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = (iters, a, b);
        None
    }
}

/// Measures the float32 FMA peak of one core at `level`, in FLOP/s: the
/// best of a few timed runs of the register-blocked FMA kernel (about
/// 20 ms in all). `None` where the CPU lacks the level.
pub fn measure_fma_peak(level: Level) -> Option<f64> {
    // Calibrate so one run lasts about 4 ms.
    let mut iters = 1u64 << 14;
    loop {
        let t = std::time::Instant::now();
        fma_kernel(level, iters)?;
        let dt = t.elapsed().as_secs_f64();
        if dt > 1e-3 || iters > 1 << 30 {
            iters = ((iters as f64) * 4e-3 / dt.max(1e-9)).max(1.0) as u64;
            break;
        }
        iters *= 4;
    }
    let mut best = 0.0f64;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let flops = fma_kernel(level, iters)?;
        best = best.max(flops / t.elapsed().as_secs_f64());
    }
    Some(best)
}

/// The platform libm's `asinh`, `acosh`, `atanh` (glibc on Linux), the
/// references of the float64 kernels' tests: the standard library's
/// `f64::asinh` and friends are its own formulas, not libm's.
#[cfg(test)]
pub(crate) mod libm {
    // SAFETY: these are the C99 functions of the libm the standard library
    // already links; they take and return a double and have no
    // preconditions.
    unsafe extern "C" {
        #[link_name = "asinh"]
        safe fn c_asinh(x: f64) -> f64;
        #[link_name = "acosh"]
        safe fn c_acosh(x: f64) -> f64;
        #[link_name = "atanh"]
        safe fn c_atanh(x: f64) -> f64;
    }

    /// libm's `asinh`.
    pub(crate) fn asinh(x: f64) -> f64 {
        c_asinh(x)
    }

    /// libm's `acosh`.
    pub(crate) fn acosh(x: f64) -> f64 {
        c_acosh(x)
    }

    /// libm's `atanh`.
    pub(crate) fn atanh(x: f64) -> f64 {
        c_atanh(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_copies_are_copies_at_every_alignment_and_level() {
        let src: Vec<u8> = (0..1000u32).map(|i| (i * 37 % 251) as u8).collect();
        let pairs: Vec<f64> = (0..300).map(|i| i as f64 * 0.5 - 7.0).collect();
        for cap in [None, Some(Level::Baseline)] {
            set_max_level(cap);
            for start in 0..20 {
                for len in [0, 1, 15, 16, 17, 100, 977 - start] {
                    let mut dst = vec![0u8; len + 40];
                    streaming(|s| s.copy(&mut dst[start..start + len], &src[3..3 + len]));
                    assert_eq!(&dst[start..start + len], &src[3..3 + len], "start {start}, len {len}");
                    assert!(dst[..start].iter().chain(&dst[start + len..]).all(|&b| b == 0), "outside written");
                }
                let mut dst = vec![0f64; 300];
                streaming(|s| {
                    // Several copies in one scope, fenced once at its end.
                    s.copy(&mut dst[start..start + 100], &pairs[start..start + 100]);
                    s.copy(&mut dst[start + 100..], &pairs[start + 100..]);
                });
                assert_eq!(&dst[start..], &pairs[start..]);
            }
            set_max_level(None);
        }
    }

    /// Scatters `0..n` into parts of the given lengths (a shuffled bucket
    /// per element; each part gets its length less `short`, clamped at 0),
    /// the parts cut from one buffer at every element offset from a 64-byte
    /// boundary, and checks each part holds its elements in order, followed
    /// by what it held before, and nothing outside the parts was written.
    /// Returns the lines streamed in all, or `None` if no element offset of
    /// the buffer is 64-byte aligned (so that none can be streamed).
    fn check_scatter<U: Copy + PartialEq + std::fmt::Debug>(
        lines: bool,
        make: impl Fn(u32) -> U,
        zero: U,
        short: usize,
    ) -> Option<usize> {
        let lens = [0usize, 1, 3, 15, 16, 17, 40, 100, 257, 2, 64, 1000];
        let mut bucket_of: Vec<usize> =
            lens.iter().enumerate().flat_map(|(b, &l)| std::iter::repeat_n(b, l.saturating_sub(short))).collect();
        let mut state = 12345u64;
        for i in (1..bucket_of.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            bucket_of.swap(i, (state >> 33) as usize % (i + 1));
        }
        let src: Vec<u32> = (0..bucket_of.len() as u32).collect();
        let size = std::mem::size_of::<U>().max(1);
        let total: usize = lens.iter().sum();
        let (mut streamed, mut alignable) = (0, true);
        for start in 0..(LINE / size).max(2) {
            let mut buf = vec![zero; total + 2 * LINE / size + 8];
            let to_line = buf.as_ptr().align_offset(LINE);
            alignable &= to_line != usize::MAX;
            let base = to_line.min(LINE / size) + start;
            let mut parts: Vec<&mut [U]> = Vec::new();
            let mut rest = &mut buf[base..base + total];
            for &l in &lens {
                let (part, r) = rest.split_at_mut(l);
                parts.push(part);
                rest = r;
            }
            streamed +=
                streaming(|s| s.scatter_with(lines, &src, &mut parts, |&i| bucket_of[i as usize], |&i| make(i)));
            for (b, part) in parts.iter().enumerate() {
                let expected: Vec<U> = src.iter().filter(|&&i| bucket_of[i as usize] == b).map(|&i| make(i)).collect();
                let (got, kept) = part.split_at(expected.len());
                assert_eq!(got, &expected[..], "start {start}, part {b}");
                assert!(kept.iter().all(|&x| x == zero), "start {start}, part {b}: past its elements");
            }
            assert!(buf[..base].iter().chain(&buf[base + total..]).all(|&x| x == zero), "outside written");
        }
        alignable.then_some(streamed)
    }

    #[test]
    fn line_scatter_is_a_stable_scatter_at_every_alignment_on_both_paths() {
        for lines in [true, false] {
            for short in [0, 5] {
                // Elements of which 2 to 64 fill a line: streamed on the
                // line path (the parts of 1000 hold whole lines).
                let streamed = [
                    check_scatter(lines, |i| (i % 251) as u8 + 1, 0u8, short),
                    check_scatter(lines, |i| i + 1, 0u32, short),
                    check_scatter(lines, |i| u64::from(i) << 33 | 1, 0u64, short),
                    check_scatter(lines, |i| (u64::from(i) + 1, i), (0u64, 0u32), short),
                    check_scatter(lines, |i| (i + 1, i), (0u32, 0u32), short),
                    check_scatter(lines, |i| [u64::from(i) + 1; 4], [0u64; 4], short),
                ];
                let fast = lines && cfg!(target_arch = "x86_64");
                assert!(streamed.iter().flatten().all(|&n| (n > 0) == fast), "{lines} short {short}: {streamed:?}");
                // Bytes and 4-byte elements always reach a line boundary.
                assert!(streamed[0].is_some() && streamed[1].is_some());
                // Three bytes do not tile a line, 64 bytes fill one alone:
                // the plain scatter.
                assert_eq!(check_scatter(lines, |i| [(i % 251) as u8 + 1, 2, 3], [0u8; 3], short).unwrap_or(0), 0);
                assert_eq!(check_scatter(lines, |i| [u64::from(i) + 1; 8], [0u64; 8], short).unwrap_or(0), 0);
            }
        }
        // The public entry at the forced baseline (other tests may change
        // the level meanwhile, so which path ran is not checked).
        set_max_level(Some(Level::Baseline));
        let mut out = [0u32; 64];
        let mut parts: Vec<&mut [u32]> = out.chunks_mut(32).collect();
        let src: Vec<u32> = (0..64).collect();
        streaming(|s| s.scatter(&src, &mut parts, |&i| (i % 2) as usize, |&i| i));
        set_max_level(None);
        assert!(out.iter().enumerate().all(|(j, &x)| x as usize == if j < 32 { 2 * j } else { 2 * (j - 32) + 1 }));
    }

    #[test]
    fn line_scatter_panics_when_a_part_overflows() {
        for (n, len) in [(3usize, 2usize), (40, 2), (40, 20), (200, 150)] {
            let src: Vec<u32> = (0..n as u32).collect();
            let mut buf = vec![0u32; n + 16];
            let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let (a, b) = buf.split_at_mut(len);
                let mut parts = [a, &mut b[..0]];
                streaming(|s| s.scatter(&src, &mut parts, |_| 0, |&i| i + 1))
            }));
            assert!(got.is_err(), "{n} elements into a part of {len}");
            assert!(buf[len..].iter().all(|&x| x == 0), "wrote past the part of {len}");
        }
    }

    #[test]
    fn every_path_gives_the_same_bits() {
        let a: Vec<f32> = (0..1000).map(|i| i as f32 * 0.37 - 100.0).collect();
        let f = |x: &[f32]| x.iter().map(|&v| v * 1.5 + 0.25).collect::<Vec<f32>>();
        let plain = f(&a);
        assert_eq!(dispatch(|| f(&a)), plain);
        assert_eq!(dispatch_wide(|| f(&a)), plain);
        assert!(level() <= cpu_level());
    }

    #[test]
    fn levels_parse_and_order() {
        assert_eq!(Level::parse("baseline"), Some(Level::Baseline));
        assert_eq!(Level::parse(" Scalar "), Some(Level::Baseline));
        assert_eq!(Level::parse("AVX2"), Some(Level::Avx2));
        assert_eq!(Level::parse("avx512"), Some(Level::Avx512));
        assert_eq!(Level::parse("avx3"), None);
        assert_eq!(Level::parse(""), None);
        assert!(Level::Baseline < Level::Avx2 && Level::Avx2 < Level::Avx512);
        for l in [Level::Baseline, Level::Avx2, Level::Avx512] {
            assert_eq!(Level::parse(l.name()), Some(l));
            assert_eq!(Level::from_u8(l as u8), l);
        }
    }

    #[test]
    fn fma_kernel_counts_the_work_it_does() {
        assert_eq!(fma_kernel(Level::Baseline, 10), None);
        for (l, lanes) in [(Level::Avx2, 8.0), (Level::Avx512, 16.0)] {
            match fma_kernel(l, 1000) {
                Some(flops) => assert_eq!(flops, 2.0 * lanes * FMA_CHAINS as f64 * 1000.0),
                None => assert!(cpu_level() < l),
            }
            match measure_fma_peak(l) {
                // Between 1 GFLOP/s and 1 TFLOP/s per core.
                Some(p) => assert!((1e9..1e12).contains(&p), "{l:?}: {p:e} FLOP/s"),
                None => assert!(cpu_level() < l),
            }
        }
    }
}
