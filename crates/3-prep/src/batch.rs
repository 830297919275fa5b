//! Mini-batches for training loops: [`BatchLoader`] cuts arrays that share
//! their first axis (features, labels, …) into batches.
//!
//! - **In order** (no shuffle), a batch is a view of rows
//!   `start..start + batch_size` of each array: no copy, no thread.
//! - **Shuffled**, each epoch draws a permutation from the seed and the
//!   epoch number, and a worker thread gathers batches ahead of the caller.
//!   It gathers a *group* of batches at a time (about [`GROUP_BYTES`], on
//!   every core when the group is large) and queues them all: handing the
//!   caller one batch at a time would wake a sleeping thread per batch,
//!   which costs more than copying a small batch. The worker stays at most
//!   two groups ahead ([`BatchLoader::prefetch`] sets the group size in
//!   batches). Gathered batches are written into buffers that come back to
//!   the worker when the caller drops the batch, so after the first groups
//!   no memory is allocated. A batch the caller still holds a handle to is
//!   never overwritten: copy-on-write gives the worker fresh memory instead.

use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use oxarray_core::{Array, Error, Generator, Result, s};
use rayon::prelude::*;

use crate::split::gather_rows;

/// Cuts arrays with a common first axis into mini-batches.
///
/// ```
/// use oxarray_core::{Array, DType};
/// use oxarray_prep::BatchLoader;
/// let x = Array::arange(0.0, 20.0, 1.0, DType::Float32)?.reshape(&[10, 2])?;
/// let y = Array::arange_int(0, 10, 1, DType::Int64)?;
/// let loader = BatchLoader::new(vec![x.clone(), y], 4)?.shuffle(7).drop_last(true);
/// assert_eq!(loader.n_batches(), 2);
/// for batch in loader.epoch(0) {
///     let batch = batch?;
///     assert_eq!(batch.get(0).shape(), &[4, 2]);
///     assert_eq!(batch.get(1).shape(), &[4]);
/// }
/// // Without shuffling, batches are views of the arrays.
/// let first = BatchLoader::new(vec![x.clone()], 4)?.epoch(0).next().unwrap()?;
/// assert_eq!(first.get(0).as_ptr(), x.as_ptr());
/// # Ok::<(), oxarray_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BatchLoader {
    arrays: Vec<Array>,
    n_rows: usize,
    batch_size: usize,
    shuffle: Option<u64>,
    drop_last: bool,
    prefetch: Option<usize>,
}

/// Bytes of batches a shuffling loader gathers at a time, unless
/// [`BatchLoader::prefetch`] says otherwise: large enough that waking the
/// caller and the other cores once per group costs little next to the
/// copying, small enough to stay in the L2/L3 caches.
const GROUP_BYTES: usize = 1 << 20;

/// Groups at least this large are gathered on every core.
const PAR_GROUP_BYTES: usize = 256 << 10;

impl BatchLoader {
    /// A loader over `arrays` (at least one, each at least 1-D, all with the
    /// same length along axis 0), `batch_size` rows at a time, in order.
    /// Arrays that are not C-contiguous are copied once here so that
    /// batches can be views.
    pub fn new(arrays: Vec<Array>, batch_size: usize) -> Result<Self> {
        const OP: &str = "BatchLoader";
        if batch_size == 0 {
            return Err(Error::invalid(OP, "batch_size must be at least 1"));
        }
        let first = arrays.first().ok_or_else(|| Error::invalid(OP, "needs at least one array"))?;
        if first.ndim() == 0 {
            return Err(Error::invalid(OP, "arrays must be at least 1-D (rows along axis 0)"));
        }
        let n_rows = first.shape()[0];
        for (i, a) in arrays.iter().enumerate() {
            if a.ndim() == 0 || a.shape()[0] != n_rows {
                return Err(Error::invalid(
                    OP,
                    format!("array {i} has shape {:?}; every array needs {n_rows} rows along axis 0", a.shape()),
                ));
            }
        }
        let arrays = arrays.into_iter().map(|a| a.to_contiguous()).collect();
        Ok(BatchLoader { arrays, n_rows, batch_size, shuffle: None, drop_last: false, prefetch: None })
    }

    /// Shuffles the rows every epoch, from `seed` and the epoch number.
    pub fn shuffle(mut self, seed: u64) -> Self {
        self.shuffle = Some(seed);
        self
    }

    /// Whether to skip a last batch smaller than `batch_size`.
    pub fn drop_last(mut self, yes: bool) -> Self {
        self.drop_last = yes;
        self
    }

    /// How many batches a shuffling loader gathers at a time (at least 1);
    /// it runs at most two such groups ahead of the caller. The default is
    /// as many as fit in 1 MiB (at least 1, at most 1024).
    pub fn prefetch(mut self, batches: usize) -> Self {
        self.prefetch = Some(batches.max(1));
        self
    }

    /// The number of batches gathered at a time (see
    /// [`prefetch`](BatchLoader::prefetch)).
    pub fn group_batches(&self) -> usize {
        self.prefetch
            .unwrap_or_else(|| (GROUP_BYTES / (row_bytes(&self.arrays) * self.batch_size).max(1)).clamp(1, 1024))
    }

    /// Batches per epoch.
    pub fn n_batches(&self) -> usize {
        if self.drop_last { self.n_rows / self.batch_size } else { self.n_rows.div_ceil(self.batch_size) }
    }

    /// The row order of `epoch`: `0..n` without shuffling, otherwise a
    /// permutation determined by the seed and `epoch`.
    pub fn order(&self, epoch: u64) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.n_rows).collect();
        if let Some(seed) = self.shuffle {
            // Mix the epoch into the seed (SplitMix64's increment) so each
            // epoch gets an independent stream.
            Generator::new(seed ^ epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15)).shuffle(&mut order);
        }
        order
    }

    /// The batches of one epoch.
    pub fn epoch(&self, epoch: u64) -> Batches {
        let n_batches = self.n_batches();
        if self.shuffle.is_none() {
            return Batches { inner: Inner::Views { loader: self.clone(), next: 0, n_batches } };
        }
        let order = self.order(epoch);
        let group = self.group_batches().min(n_batches.max(1));
        // The queue holds one group while the worker gathers the next.
        let (tx, rx) = sync_channel::<Result<Vec<Array>>>(group);
        let (recycle_tx, recycle_rx) = channel::<Vec<Array>>();
        let job = Gather { arrays: self.arrays.clone(), order, batch_size: self.batch_size, n_batches, group };
        let worker = std::thread::spawn(move || job.run(tx, recycle_rx));
        Batches { inner: Inner::Gathered { rx: Some(rx), recycle: recycle_tx, worker: Some(worker) } }
    }
}

/// Bytes of one row of every array together.
fn row_bytes(arrays: &[Array]) -> usize {
    arrays.iter().map(|a| a.shape()[1..].iter().product::<usize>() * a.dtype().itemsize()).sum()
}

/// What the worker of a shuffled epoch does.
struct Gather {
    arrays: Vec<Array>,
    order: Vec<usize>,
    batch_size: usize,
    n_batches: usize,
    /// Batches gathered at a time.
    group: usize,
}

impl Gather {
    /// The rows of batch `b`, in the epoch's order.
    fn rows(&self, b: usize) -> &[usize] {
        &self.order[b * self.batch_size..((b + 1) * self.batch_size).min(self.order.len())]
    }

    /// Buffers for a batch of `rows` rows: recycled ones of the right
    /// length when the caller has returned some, fresh ones otherwise.
    fn buffers(&self, rows: usize, recycle: &Receiver<Vec<Array>>) -> Result<Vec<Array>> {
        while let Ok(bufs) = recycle.try_recv() {
            if bufs.first().is_some_and(|a| a.shape()[0] == rows) {
                return Ok(bufs);
            }
        }
        self.arrays
            .iter()
            .map(|a| {
                let mut shape = a.shape().to_vec();
                shape[0] = rows;
                Array::zeros(&shape, a.dtype())
            })
            .collect()
    }

    fn run(self, tx: SyncSender<Result<Vec<Array>>>, recycle: Receiver<Vec<Array>>) {
        let row_bytes = row_bytes(&self.arrays);
        for first in (0..self.n_batches).step_by(self.group) {
            let batches = first..(first + self.group).min(self.n_batches);
            let mut slots: Vec<Result<Vec<Array>>> =
                batches.clone().map(|b| self.buffers(self.rows(b).len(), &recycle)).collect();
            let fill = |(b, slot): (usize, &mut Result<Vec<Array>>)| {
                if let Ok(bufs) = slot {
                    let rows = self.rows(b);
                    for (src, dst) in self.arrays.iter().zip(bufs.iter_mut()) {
                        if let Err(e) = gather_rows(src, rows, dst) {
                            *slot = Err(e);
                            return;
                        }
                    }
                }
            };
            let bytes = row_bytes * self.batch_size * slots.len();
            if bytes >= PAR_GROUP_BYTES && slots.len() > 1 {
                batches.into_par_iter().zip(slots.par_iter_mut()).for_each(fill);
            } else {
                batches.zip(slots.iter_mut()).for_each(fill);
            }
            for batch in slots {
                let failed = batch.is_err();
                if tx.send(batch).is_err() || failed {
                    return; // the consumer is gone, or was told about the error
                }
            }
        }
    }
}

/// The batches of one epoch of a [`BatchLoader`]; an iterator of
/// `Result<Batch>` (gathering can fail only if memory cannot be had).
pub struct Batches {
    inner: Inner,
}

enum Inner {
    Views { loader: BatchLoader, next: usize, n_batches: usize },
    Gathered { rx: Option<Receiver<Result<Vec<Array>>>>, recycle: Sender<Vec<Array>>, worker: Option<JoinHandle<()>> },
}

impl Iterator for Batches {
    type Item = Result<Batch>;

    fn next(&mut self) -> Option<Result<Batch>> {
        match &mut self.inner {
            Inner::Views { loader, next, n_batches } => {
                if *next >= *n_batches {
                    return None;
                }
                let start = (*next * loader.batch_size) as isize;
                let stop = ((*next + 1) * loader.batch_size).min(loader.n_rows) as isize;
                *next += 1;
                let arrays = loader.arrays.iter().map(|a| a.slice(&s![start..stop])).collect::<Result<Vec<_>>>();
                Some(arrays.map(|arrays| Batch { arrays, recycle: None }))
            }
            Inner::Gathered { rx, recycle, .. } => {
                let got = rx.as_ref()?.recv().ok()?;
                Some(got.map(|arrays| Batch { arrays, recycle: Some(recycle.clone()) }))
            }
        }
    }
}

impl Drop for Batches {
    fn drop(&mut self) {
        if let Inner::Gathered { rx, worker, .. } = &mut self.inner {
            // Hanging up makes a worker blocked on `send` return.
            drop(rx.take());
            if let Some(w) = worker.take() {
                let _ = w.join();
            }
        }
    }
}

/// One mini-batch: the same rows of each of the loader's arrays, in the
/// loader's order.
pub struct Batch {
    arrays: Vec<Array>,
    recycle: Option<Sender<Vec<Array>>>,
}

impl Batch {
    /// The batch of the `i`-th array given to the loader.
    ///
    /// # Panics
    ///
    /// If `i` is not below the number of arrays (like slice indexing).
    pub fn get(&self, i: usize) -> &Array {
        &self.arrays[i]
    }

    /// All the arrays of the batch.
    pub fn arrays(&self) -> &[Array] {
        &self.arrays
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.arrays.first().map_or(0, |a| a.shape()[0])
    }

    /// Whether the batch has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes the arrays out (their buffers then do not go back to the
    /// loader for reuse).
    pub fn into_arrays(mut self) -> Vec<Array> {
        self.recycle = None;
        std::mem::take(&mut self.arrays)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if let Some(r) = self.recycle.take() {
            let _ = r.send(std::mem::take(&mut self.arrays));
        }
    }
}
