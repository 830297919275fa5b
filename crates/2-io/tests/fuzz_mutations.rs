//! The stable-Rust stand-in for the cargo-fuzz targets in `fuzz/`: every
//! reader runs on thousands of deterministic mutations of valid files (bit
//! flips, overwritten integers, truncations, insertions, deletions) and
//! must return `Ok` or `Err`, never panic. When a mutation parses, the
//! array it gives must be usable (its bytes readable, re-encodable).

mod common;

use std::io::Cursor;

use common::fixture;
use oxarray_io::npy;
use oxarray_io::npz::NpzReader;
use oxarray_io::safetensors::SafeTensors;

/// SplitMix64: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

const INTERESTING: [u64; 10] =
    [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, 0x7fff_ffff_ffff_ffff, u64::MAX];

/// One to three random edits of `input`.
fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(b.len().max(1));
        match rng.below(7) {
            0 if !b.is_empty() => b[at] ^= 1 << rng.below(8),
            1 if !b.is_empty() => b[at] = INTERESTING[rng.below(INTERESTING.len())] as u8,
            2 => {
                let width = [2, 4, 8][rng.below(3)];
                let v = INTERESTING[rng.below(INTERESTING.len())].wrapping_add(rng.below(3) as u64);
                for (i, byte) in v.to_le_bytes()[..width].iter().enumerate() {
                    if let Some(slot) = b.get_mut(at + i) {
                        *slot = *byte;
                    }
                }
            }
            3 => b.truncate(rng.below(b.len() + 1)),
            4 => {
                let n = 1 + rng.below(8);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                b.splice(at.min(b.len())..at.min(b.len()), bytes);
            }
            5 => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at.min(end)..end);
            }
            _ => {
                // Copy a chunk of the file over another place (repeats
                // signatures and headers).
                let len = rng.below(32).min(b.len());
                let from = rng.below(b.len().saturating_sub(len) + 1);
                let chunk = b[from..from + len].to_vec();
                let to = rng.below(b.len().saturating_sub(len) + 1);
                b[to..to + len].copy_from_slice(&chunk);
            }
        }
    }
    b
}

fn exercise(a: &oxarray_core::Array) {
    let bytes = a.to_bytes();
    assert_eq!(bytes.len(), a.nbytes());
}

/// Runs `check` (which says whether the input parsed) on the seeds and
/// `rounds` mutations of them; asserts the mutations reach both outcomes,
/// so the test exercises the readers' error paths and their success paths.
/// `OXARRAY_MUTATION_ROUNDS` overrides `rounds` for a longer run.
fn run(seeds: &[&str], rounds: usize, seed: u64, check: impl Fn(&[u8], bool) -> bool) {
    let rounds = std::env::var("OXARRAY_MUTATION_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(rounds);
    let mut rng = Rng(seed);
    let inputs: Vec<Vec<u8>> = seeds.iter().map(|s| std::fs::read(fixture(s)).unwrap()).collect();
    for input in &inputs {
        assert!(check(input, true), "the unmutated seeds parse");
    }
    let mut parsed = 0;
    for round in 0..rounds {
        let input = &inputs[round % inputs.len()];
        let m = mutate(input, &mut rng);
        parsed += usize::from(check(&m, round % 16 == 0));
    }
    eprintln!("{parsed} of {rounds} mutations parsed");
    assert!(parsed > rounds / 100 && parsed < rounds * 99 / 100, "{parsed} of {rounds} mutations parsed");
}

#[test]
fn npy_readers_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npy");
    let seeds = ["float64_f.npy", "bool_c.npy", "be_c8.npy", "v3_f4.npy", "scalar_f8.npy", "empty_i8_3x0.npy"];
    run(&seeds, 4000, 1, |bytes, on_disk| {
        let ok = npy::from_bytes(bytes).map(|a| {
            exercise(&a);
            npy::to_bytes(&a).unwrap();
        });
        if let Ok(a) = npy::read_npy(bytes) {
            exercise(&a);
        }
        let _ = npy::read_header(bytes);
        if on_disk {
            std::fs::write(&path, bytes).unwrap();
            if let Ok(a) = npy::load(&path) {
                exercise(&a);
            }
            if let Ok(a) = npy::load_mmap(&path, false) {
                exercise(&a);
            }
        }
        ok.is_ok()
    });
}

#[test]
fn npz_reader_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npz");
    run(&["stored.npz", "compressed.npz"], 3000, 2, |bytes, on_disk| {
        let mut all_ok = false;
        if let Ok(mut r) = NpzReader::new(Cursor::new(bytes)) {
            all_ok = true;
            let names: Vec<String> = r.names().iter().map(|s| s.to_string()).collect();
            for name in &names {
                match r.get(name) {
                    Ok(a) => exercise(&a),
                    Err(_) => all_ok = false,
                }
            }
        }
        if on_disk {
            std::fs::write(&path, bytes).unwrap();
            if let Ok(mut r) = NpzReader::open(&path) {
                let names: Vec<String> = r.names().iter().map(|s| s.to_string()).collect();
                for name in &names {
                    if let Ok(a) = r.load_mmap_member(name) {
                        exercise(&a);
                    }
                }
            }
        }
        all_ok
    });
}

#[test]
fn safetensors_reader_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    run(&["tensors.safetensors", "simple.safetensors"], 3000, 3, |bytes, on_disk| {
        let mut all_ok = false;
        if let Ok(st) = SafeTensors::from_bytes(bytes) {
            all_ok = true;
            for name in st.names() {
                match st.get(name) {
                    Ok(a) => exercise(&a),
                    Err(_) => all_ok = false,
                }
            }
        }
        if on_disk {
            std::fs::write(&path, bytes).unwrap();
            if let Ok(st) = SafeTensors::open(&path)
                && let Ok(all) = st.arrays()
            {
                all.iter().for_each(|(_, a)| exercise(a));
            }
        }
        all_ok
    });
}
