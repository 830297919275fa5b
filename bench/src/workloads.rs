//! The workloads, each timed on oxarray and on the Rust peer (the `ndarray`
//! crate, parallel through its rayon feature where it has a parallel form).
//! The NumPy side of each is in `bench/numpy_peer.py`, under the same key.

use std::hint::black_box;
use std::path::Path;

use ndarray::parallel::prelude::*;
use ndarray::{Array1, Array2, Axis, Zip};
use oxarray_core::{Array, DType, Expr, Generator, SortOptions, UnaryOp};
use oxarray_prep::{BatchLoader, StandardScaler, Transformer};
use rayon::slice::ParallelSliceMut;

use crate::measure::Plan;
use crate::{Row, Target, Work};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const N: usize = 10_000_000;
const ROWS: usize = 1_000_000;
const COLS: usize = 64;

fn nd1<T: oxarray_core::Element>(a: &Array) -> Res<Array1<T>> {
    Ok(Array1::from_vec(a.to_vec::<T>()?))
}

fn nd2<T: oxarray_core::Element>(a: &Array) -> Res<Array2<T>> {
    let s = a.shape();
    Ok(Array2::from_shape_vec((s[0], s[1]), a.to_vec::<T>()?)?)
}

/// Runs every workload of the table; writes the 400 MB `.npy` the load
/// workloads (and NumPy's `np.load`) read to `npy`.
pub fn run_all(plan: &Plan, quick: bool, npy: &Path) -> Res<Vec<Row>> {
    let mut rows = Vec::new();
    let mut g = Generator::new(0);
    let slow = plan.min_runs.min(3);

    // Elementwise on 10M float32 (40 MB per array, above the 32 MB L3).
    let a = g.uniform(-5.0, 5.0, &[N], DType::Float32)?;
    let b = g.uniform(0.5, 1.5, &[N], DType::Float32)?;
    let c = g.uniform(-1.0, 1.0, &[N], DType::Float32)?;
    let (na, nb, nc) = (nd1::<f32>(&a)?, nd1::<f32>(&b)?, nd1::<f32>(&c)?);
    let f = 4.0 * N as f64;
    rows.push(Row {
        key: "axpb_f32",
        name: "a*b+c, 10M f32 (two passes)".into(),
        ox: plan.time(|| a.multiply(&b).unwrap().add(&c).unwrap()),
        nd: Some(plan.time(|| Zip::from(&na).and(&nb).and(&nc).par_map_collect(|&x, &y, &z| x * y + z))),
        np: None,
        work: Work::Bytes(4.0 * f),
        target: Target::Limit(0.8),
    });
    rows.push(Row {
        key: "axpb_f32_fused",
        name: "a*b+c, 10M f32 (fused Expr, one pass)".into(),
        ox: plan.time(|| (Expr::from(&a) * &b + &c).eval().unwrap()),
        nd: Some(plan.time(|| Zip::from(&na).and(&nb).and(&nc).par_map_collect(|&x, &y, &z| x * y + z))),
        np: None,
        work: Work::Bytes(4.0 * f),
        target: Target::Limit(0.8),
    });
    rows.push(Row {
        key: "exp_f32",
        name: "exp, 10M f32".into(),
        ox: plan.time(|| a.unary(UnaryOp::Exp).unwrap()),
        nd: Some(plan.time(|| Zip::from(&na).par_map_collect(|&x| x.exp()))),
        np: None,
        work: Work::Bytes(2.0 * f),
        target: Target::NumPy(1.8),
    });
    rows.push(Row {
        key: "sqrt_f32",
        name: "sqrt, 10M f32".into(),
        ox: plan.time(|| b.unary(UnaryOp::Sqrt).unwrap()),
        nd: Some(plan.time(|| Zip::from(&nb).par_map_collect(|&x| x.sqrt()))),
        np: None,
        work: Work::Bytes(2.0 * f),
        target: Target::NumPy(1.8),
    });
    rows.push(Row {
        key: "sin_f32",
        name: "sin, 10M f32".into(),
        ox: plan.time(|| a.unary(UnaryOp::Sin).unwrap()),
        nd: Some(plan.time(|| Zip::from(&na).par_map_collect(|&x| x.sin()))),
        np: None,
        work: Work::Bytes(2.0 * f),
        target: Target::NumPy(1.8),
    });
    rows.push(Row {
        key: "sum_f32",
        name: "sum, 10M f32".into(),
        ox: plan.time(|| a.sum(None, false).unwrap()),
        nd: Some(plan.time(|| na.par_iter().sum::<f32>())),
        np: None,
        work: Work::Bytes(f),
        target: Target::Limit(0.8),
    });
    let a64 = a.astype(DType::Float64)?;
    let na64 = nd1::<f64>(&a64)?;
    rows.push(Row {
        key: "sum_f64",
        name: "sum, 10M f64".into(),
        ox: plan.time(|| a64.sum(None, false).unwrap()),
        nd: Some(plan.time(|| na64.par_iter().sum::<f64>())),
        np: None,
        work: Work::Bytes(2.0 * f),
        target: Target::Limit(0.8),
    });
    rows.push(Row {
        key: "exp_f64",
        name: "exp, 10M f64".into(),
        ox: plan.time(|| a64.unary(UnaryOp::Exp).unwrap()),
        nd: Some(plan.time(|| Zip::from(&na64).par_map_collect(|&x| x.exp()))),
        np: None,
        work: Work::Bytes(4.0 * f),
        target: Target::NumPy(1.8),
    });
    drop((a64, na64, na, nb, nc, b, c));

    // Reductions and standardisation of a 1M x 64 float32 matrix (256 MB).
    let x = g.normal(10.0, 3.0, &[ROWS, COLS], DType::Float32)?;
    let nx = nd2::<f32>(&x)?;
    let xb = (ROWS * COLS * 4) as f64;
    for (axis, key) in [(0usize, "mean_axis0"), (1, "mean_axis1")] {
        rows.push(Row {
            key,
            name: format!("mean along axis {axis}, 1M×64 f32"),
            ox: plan.time(|| x.mean(Some(&[axis as isize]), false).unwrap()),
            nd: Some(plan.time(|| nx.mean_axis(Axis(axis)).unwrap())),
            np: None,
            work: Work::Bytes(xb),
            target: Target::Limit(0.8),
        });
    }
    // The column standard deviation: two passes, but memory read once.
    rows.push(Row {
        key: "std_axis0",
        name: "std along axis 0, 1M×64 f32".into(),
        ox: plan.time(|| x.std(Some(&[0]), 0.0, false).unwrap()),
        nd: Some(plan.time(|| nx.std_axis(Axis(0), 0.0))),
        np: None,
        work: Work::Bytes(xb),
        target: Target::Limit(0.8),
    });
    // (x - mean) / std: at the least one read for the statistics, then one
    // read and one write.
    rows.push(Row {
        key: "standardize",
        name: "(x-mean)/std by column, 1M×64 f32".into(),
        ox: plan.time(|| {
            let (s, m) = x.std_mean(Some(&[0]), 0.0, false).unwrap();
            x.subtract(&m).unwrap().divide(&s).unwrap()
        }),
        nd: Some(plan.time(|| {
            let m = nx.mean_axis(Axis(0)).unwrap();
            let s = nx.std_axis(Axis(0), 0.0);
            Zip::from(&nx).and_broadcast(&m).and_broadcast(&s).par_map_collect(|&v, &m, &s| (v - m) / s)
        })),
        np: None,
        work: Work::Bytes(3.0 * xb),
        target: Target::Limit(0.8),
    });
    rows.push(Row {
        key: "standardize_fused",
        name: "(x-mean)/std by column, 1M×64 f32 (fused Expr)".into(),
        ox: plan.time(|| {
            let (s, m) = x.std_mean(Some(&[0]), 0.0, false).unwrap();
            ((Expr::from(&x) - &m) / &s).eval().unwrap()
        }),
        nd: None,
        np: None,
        work: Work::Bytes(3.0 * xb),
        target: Target::Limit(0.8),
    });
    rows.push(Row {
        key: "scaler",
        name: "StandardScaler fit_transform, 1M×64 f32".into(),
        ox: plan.time(|| {
            let mut s = StandardScaler::new();
            s.fit_transform(&x).unwrap()
        }),
        nd: None,
        np: None,
        work: Work::Bytes(3.0 * xb),
        target: Target::Limit(0.8),
    });
    // One epoch of shuffled batches of 256 rows (each row gathered once).
    let loader = BatchLoader::new(vec![x.clone()], 256)?.shuffle(7);
    let mut epoch = 0u64;
    rows.push(Row {
        key: "batches_256",
        name: "shuffled batches of 256 rows, one epoch of 1M×64 f32".into(),
        ox: plan.time_runs(slow, || {
            epoch += 1;
            let mut n = 0;
            for batch in loader.epoch(epoch) {
                n += batch.unwrap().get(0).shape()[0];
            }
            assert_eq!(n, ROWS);
        }),
        nd: Some(plan.time_runs(slow, || {
            let mut order: Vec<usize> = (0..ROWS).collect();
            Generator::new(epoch).shuffle(&mut order);
            for rows in order.chunks(256) {
                black_box(nx.select(Axis(0), rows));
            }
        })),
        np: None,
        work: Work::Bytes(2.0 * xb),
        target: Target::NumPy(10.0),
    });
    drop((loader, x, nx));

    // Transpose-copy of 4096 x 4096 float32 (64 MB).
    let t = g.uniform(-1.0, 1.0, &[4096, 4096], DType::Float32)?;
    let nt = nd2::<f32>(&t)?;
    rows.push(Row {
        key: "transpose_4096",
        name: "transpose-copy, 4096×4096 f32".into(),
        ox: plan.time(|| t.transpose().copy()),
        nd: Some(plan.time(|| nt.t().as_standard_layout().into_owned())),
        np: None,
        work: Work::Bytes(2.0 * 4096.0 * 4096.0 * 4.0),
        target: Target::NumPy(2.5),
    });
    drop((t, nt));

    // take of 10M random int64 indices into 10M float32.
    let idx = g.integers(0, N as i128, &[N], DType::Int64)?;
    let idx_usize: Vec<usize> = idx.to_vec::<i64>()?.into_iter().map(|i| i as usize).collect();
    let na = nd1::<f32>(&a)?;
    rows.push(Row {
        key: "take_10m",
        name: "take 10M random indices, 10M f32".into(),
        ox: plan.time(|| a.take(&idx, None).unwrap()),
        nd: Some(plan.time(|| na.select(Axis(0), &idx_usize))),
        np: None,
        // Indices read, results written, and the values gathered.
        work: Work::Bytes(N as f64 * (8.0 + 4.0 + 4.0)),
        target: Target::None,
    });
    drop((idx, idx_usize));

    // sort of 10M float32. ndarray has no sort: its column is rayon's
    // parallel unstable sort of a copy, the best a Rust user gets for free.
    let unstable = SortOptions::default().unstable();
    rows.push(Row {
        key: "sort_f32",
        name: "sort 10M f32 (unstable; ndarray column: rayon par_sort)".into(),
        ox: plan.time_runs(slow, || a.sort_with(-1, unstable).unwrap()),
        nd: Some(plan.time_runs(slow, || {
            let mut v = na.to_vec();
            v.par_sort_unstable_by(|p, q| p.total_cmp(q));
            v
        })),
        np: None,
        work: Work::None,
        target: Target::NumPy(1.5),
    });
    // The Array API's default, stable, against NumPy's `kind="stable"`
    // (ndarray column: rayon's stable parallel sort of a copy).
    rows.push(Row {
        key: "sort_f32_stable",
        name: "sort 10M f32 (stable; ndarray column: rayon par_sort)".into(),
        ox: plan.time_runs(slow, || a.sort(-1).unwrap()),
        nd: Some(plan.time_runs(slow, || {
            let mut v = na.to_vec();
            v.par_sort_by(|p, q| p.total_cmp(q));
            v
        })),
        np: None,
        work: Work::None,
        target: Target::None,
    });
    // argsort (always stable here) against NumPy's default `np.argsort`.
    rows.push(Row {
        key: "argsort_f32",
        name: "argsort 10M f32 (NumPy: default kind)".into(),
        ox: plan.time_runs(slow, || a.argsort(-1).unwrap()),
        nd: None,
        np: None,
        work: Work::None,
        target: Target::None,
    });
    drop((a, na));

    // matmul.
    let sizes: &[usize] = if quick { &[256, 1024, 2048] } else { &[256, 1024, 2048, 4096] };
    for dtype in [DType::Float32, DType::Float64] {
        for &n in sizes {
            let ma = g.uniform(-1.0, 1.0, &[n, n], dtype)?;
            let mb = g.uniform(-1.0, 1.0, &[n, n], dtype)?;
            let runs = if n >= 4096 { 2 } else { plan.min_runs };
            let flops = 2.0 * (n as f64).powi(3);
            let (nd, work, key) = if dtype == DType::Float32 {
                let (pa, pb) = (nd2::<f32>(&ma)?, nd2::<f32>(&mb)?);
                (plan.time_runs(runs, || pa.dot(&pb)), Work::Flops32(flops), matmul_key(32, n))
            } else {
                let (pa, pb) = (nd2::<f64>(&ma)?, nd2::<f64>(&mb)?);
                (plan.time_runs(runs, || pa.dot(&pb)), Work::Flops64(flops), matmul_key(64, n))
            };
            rows.push(Row {
                key,
                name: format!("matmul {n}×{n} {}", dtype.name()),
                ox: plan.time_runs(runs, || ma.matmul(&mb).unwrap()),
                nd: Some(nd),
                np: None,
                work,
                target: if n >= 1024 { Target::Limit(0.85) } else { Target::None },
            });
        }
    }

    // Loading a 400 MB float32 .npy (from the page cache: written just now).
    let big = g.uniform(-1.0, 1.0, &[1_562_500, 64], DType::Float32)?;
    oxarray_io::npy::save(npy, &big)?;
    drop(big);
    rows.push(Row {
        key: "npy_load",
        name: "npy load, 400 MB f32 (page cache)".into(),
        ox: plan.time_runs(3, || oxarray_io::npy::load(npy).unwrap()),
        nd: None,
        np: None,
        // The file's bytes read and the array's bytes written.
        work: Work::Bytes(2.0 * 400e6),
        target: Target::NumPy(1.0),
    });
    Ok(rows)
}

fn matmul_key(bits: u32, n: usize) -> &'static str {
    match (bits, n) {
        (32, 256) => "matmul_f32_256",
        (32, 1024) => "matmul_f32_1024",
        (32, 2048) => "matmul_f32_2048",
        (32, _) => "matmul_f32_4096",
        (_, 256) => "matmul_f64_256",
        (_, 1024) => "matmul_f64_1024",
        (_, 2048) => "matmul_f64_2048",
        _ => "matmul_f64_4096",
    }
}

/// Times `load_mmap` on a 40 MB and a 400 MB `.npy` (seconds, best of
/// runs), to show the cost does not grow with the file.
pub fn load_mmap_scaling(plan: &Plan, dir: &Path) -> Res<(f64, f64)> {
    let mut g = Generator::new(3);
    let mut times = Vec::new();
    for rows in [156_250usize, 1_562_500] {
        let path = dir.join(format!("mmap_{rows}.npy"));
        oxarray_io::npy::save(&path, &g.uniform(-1.0, 1.0, &[rows, 64], DType::Float32)?)?;
        let t = plan.time_runs(20, || oxarray_io::npy::load_mmap(&path, false).unwrap());
        times.push(t.wall);
        std::fs::remove_file(&path)?;
    }
    Ok((times[0], times[1]))
}
