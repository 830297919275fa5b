//! Splitting work across cores with the calling thread taking part.
//!
//! Rayon runs a parallel call made from outside its pool (the usual case:
//! a user's thread, Python's) entirely on its workers: the call is queued,
//! the caller sleeps until a worker has finished it, and is woken again.
//! Each of those hand-offs is a futex wake and a context switch, tens of
//! microseconds on a virtual machine, which on mid-size work (10⁵–10⁶
//! elements of a cheap op) costs more than the second core saves, and
//! leaves the calling core idle while it lasts.
//!
//! These helpers instead run on the calling thread and give the pool only
//! what it can take: [`for_each_chunk`] hands out chunks from a shared
//! queue, so the caller starts at once and a worker that wakes late takes
//! fewer chunks (or none); [`for_each_part`] does the same for work already
//! cut into owned parts (the bands of a matrix product); [`fold_tree`]
//! (pairwise reductions) puts the leaves of its tree through the same
//! queue and merges them on the caller. Inside the pool they are rayon's
//! own work-stealing forms.
//!
//! They take trait-object bodies, so each is compiled once per element
//! type, like the rest of the threading machinery.

use std::sync::Mutex;

use rayon::prelude::*;

/// Whether the caller should drive the split itself: it is not a rayon
/// worker and the pool has more than one thread.
fn from_outside() -> bool {
    rayon::current_thread_index().is_none() && rayon::current_num_threads() > 1
}

/// Calls `body(first, piece)` for the consecutive `chunk`-element pieces of
/// `out` (`first`: the piece's starting index), on every core: pieces are
/// handed out in order from one queue to the calling thread and the pool's
/// workers as each becomes free. With one piece, or one thread, it is a
/// plain loop on the caller.
pub fn for_each_chunk<O: Send>(out: &mut [O], chunk: usize, body: &(dyn Fn(usize, &mut [O]) + Sync)) {
    let chunk = chunk.max(1);
    let pieces = out.len().div_ceil(chunk);
    if pieces <= 1 || rayon::current_num_threads() <= 1 {
        out.chunks_mut(chunk).enumerate().for_each(|(c, piece)| body(c * chunk, piece));
    } else if !from_outside() {
        out.par_chunks_mut(chunk).enumerate().for_each(|(c, piece)| body(c * chunk, piece));
    } else {
        drain(out.chunks_mut(chunk).enumerate(), pieces, &|(c, piece)| body(c * chunk, piece));
    }
}

/// Calls `body(i, part)` for every part of `parts` (`i`: its index), on
/// every core, as [`for_each_chunk`] does for the pieces of a slice: for
/// work already cut into owned parts, such as the blocks of a matrix.
pub fn for_each_part<P: Send>(parts: Vec<P>, body: &(dyn Fn(usize, P) + Sync)) {
    let count = parts.len();
    if count <= 1 || rayon::current_num_threads() <= 1 {
        parts.into_iter().enumerate().for_each(|(i, part)| body(i, part));
    } else if !from_outside() {
        parts.into_par_iter().enumerate().for_each(|(i, part)| body(i, part));
    } else {
        drain(parts.into_iter().enumerate(), count, &|(i, part)| body(i, part));
    }
}

/// Runs `body` on the `count` items of `items`, handed out in order from
/// one queue that the calling thread drains together with up to
/// `count - 1` of the pool's workers.
fn drain<I: Iterator + Send>(items: I, count: usize, body: &(dyn Fn(I::Item) + Sync))
where
    I::Item: Send,
{
    let queue = Mutex::new(items);
    let work = || {
        loop {
            // A panic in `body` on another thread poisons nothing we rely on:
            // the iterator stays valid, and the scope re-raises the panic.
            let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
            let Some(item) = next else { break };
            body(item);
        }
    };
    let helpers = (rayon::current_num_threads() - 1).min(count.saturating_sub(1));
    rayon::in_place_scope(|s| {
        for _ in 0..helpers {
            s.spawn(|_| work());
        }
        work();
    });
}

/// Folds a binary tree over the index range `lo..hi`: a node splits at
/// `split(lo, hi)` or, where that is `None`, is a task whose value is
/// `task(lo, hi)`; values merge bottom-up in tree order, `merge(left,
/// right)`. The tree depends only on `split`, so the result does not
/// depend on the threads. Inside the pool, halves run under rayon's
/// `join`; from outside, the tasks go through one queue that the calling
/// thread drains with the pool's workers ([`for_each_chunk`]), and the
/// caller merges.
pub fn fold_tree<A: Send>(
    lo: usize,
    hi: usize,
    split: &(dyn Fn(usize, usize) -> Option<usize> + Sync),
    task: &(dyn Fn(usize, usize) -> A + Sync),
    merge: &(dyn Fn(A, A) -> A + Sync),
) -> A {
    let tree = Tree { split, task, merge };
    if !from_outside() {
        return tree.fold_in_pool(lo, hi);
    }
    let mut tasks = Vec::new();
    tree.collect_tasks(lo, hi, &mut tasks);
    if tasks.len() == 1 {
        return task(lo, hi);
    }
    let mut values: Vec<Option<A>> = tasks.iter().map(|_| None).collect();
    for_each_chunk(&mut values, 1, &|i, v| {
        let (lo, hi) = tasks[i];
        v[0] = Some(task(lo, hi));
    });
    tree.merge_tasks(lo, hi, &mut values.into_iter())
}

/// [`fold_tree`]'s arguments.
struct Tree<'a, A> {
    split: &'a (dyn Fn(usize, usize) -> Option<usize> + Sync),
    task: &'a (dyn Fn(usize, usize) -> A + Sync),
    merge: &'a (dyn Fn(A, A) -> A + Sync),
}

impl<A: Send> Tree<'_, A> {
    fn fold_in_pool(&self, lo: usize, hi: usize) -> A {
        match (self.split)(lo, hi) {
            None => (self.task)(lo, hi),
            Some(mid) => {
                let (a, b) = rayon::join(|| self.fold_in_pool(lo, mid), || self.fold_in_pool(mid, hi));
                (self.merge)(a, b)
            }
        }
    }

    /// The tree's tasks, in order.
    fn collect_tasks(&self, lo: usize, hi: usize, out: &mut Vec<(usize, usize)>) {
        match (self.split)(lo, hi) {
            None => out.push((lo, hi)),
            Some(mid) => {
                self.collect_tasks(lo, mid, out);
                self.collect_tasks(mid, hi, out);
            }
        }
    }

    /// Merges the tasks' values (in the order `collect_tasks` listed them)
    /// along the same tree.
    fn merge_tasks(&self, lo: usize, hi: usize, values: &mut impl Iterator<Item = Option<A>>) -> A {
        match (self.split)(lo, hi) {
            // Every task ran: `for_each_chunk` visits every slot once, and a
            // panicking task re-raised its panic before the merge.
            None => values.next().flatten().expect("every task of the tree has a value"),
            Some(mid) => {
                let a = self.merge_tasks(lo, mid, values);
                let b = self.merge_tasks(mid, hi, values);
                (self.merge)(a, b)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
    }

    /// Every element written once with its index, from outside and inside
    /// pools of one to three threads, for lengths around the chunk size.
    #[test]
    fn chunks_cover_every_element_once() {
        for threads in 1..=3 {
            for len in [0usize, 1, 6, 7, 8, 63, 64, 65, 1000] {
                for chunk in [1usize, 7, 64] {
                    let check = |out: &mut Vec<u32>| {
                        let calls = AtomicUsize::new(0);
                        for_each_chunk(out, chunk, &|first, piece| {
                            calls.fetch_add(1, Ordering::Relaxed);
                            assert!(piece.len() <= chunk && first.is_multiple_of(chunk));
                            for (k, o) in piece.iter_mut().enumerate() {
                                *o += (first + k) as u32 + 1;
                            }
                        });
                        assert_eq!(calls.load(Ordering::Relaxed), len.div_ceil(chunk));
                        assert!(out.iter().enumerate().all(|(i, &v)| v == i as u32 + 1), "{threads} {len} {chunk}");
                    };
                    // From the test thread (outside the global pool), and
                    // from inside a pool of `threads` workers.
                    let mut a = vec![0u32; len];
                    check(&mut a);
                    let mut b = vec![0u32; len];
                    pool(threads).install(|| check(&mut b));
                }
            }
        }
    }

    /// Every part passed once with its index, from outside and inside pools
    /// of one to three threads.
    #[test]
    fn parts_are_each_visited_once() {
        for threads in 1..=3 {
            for count in [0usize, 1, 2, 3, 5, 40] {
                let check = || {
                    let seen: Vec<AtomicUsize> = (0..count).map(|_| AtomicUsize::new(0)).collect();
                    let parts: Vec<(usize, String)> = (0..count).map(|i| (i, format!("part {i}"))).collect();
                    for_each_part(parts, &|i, (j, name)| {
                        assert_eq!((i, name), (j, format!("part {j}")));
                        seen[i].fetch_add(1, Ordering::Relaxed);
                    });
                    assert!(seen.iter().all(|n| n.load(Ordering::Relaxed) == 1), "{threads} {count}");
                };
                check();
                pool(threads).install(check);
            }
        }
    }

    /// A tree fold of strings shows the merge order; it must be the
    /// sequential one inside and outside pools of one to three threads.
    #[test]
    fn tree_folds_merge_in_tree_order() {
        let split = |lo: usize, hi: usize| (hi - lo > 3).then(|| lo + (hi - lo).div_ceil(2));
        let task = |lo: usize, hi: usize| format!("[{lo}..{hi}]");
        let merge = |a: String, b: String| format!("({a} {b})");
        fn reference(lo: usize, hi: usize) -> String {
            if hi - lo <= 3 {
                return format!("[{lo}..{hi}]");
            }
            let mid = lo + (hi - lo).div_ceil(2);
            format!("({} {})", reference(lo, mid), reference(mid, hi))
        }
        for (lo, hi) in [(0, 0), (0, 3), (0, 4), (5, 100), (0, 1000)] {
            let want = reference(lo, hi);
            assert_eq!(fold_tree(lo, hi, &split, &task, &merge), want);
            for threads in 1..=3 {
                assert_eq!(pool(threads).install(|| fold_tree(lo, hi, &split, &task, &merge)), want, "{threads}");
            }
        }
    }

    #[test]
    fn panics_reach_the_caller() {
        let r = std::panic::catch_unwind(|| {
            let mut v = vec![0u8; 100];
            for_each_chunk(&mut v, 10, &|first, _| assert!(first != 50, "chunk 50"));
        });
        assert!(r.is_err());
        let r = std::panic::catch_unwind(|| {
            fold_tree(0, 100, &|lo, hi| (hi - lo > 10).then(|| (lo + hi) / 2), &|lo, _| assert!(lo != 50), &|_, _| ())
        });
        assert!(r.is_err());
    }
}
