"""NumPy side of oxarray's benchmark runner (bench/src/main.rs).

Runs the runner's workloads through NumPy and prints one line per workload:

    <key> <best wall ms> <CPU ms per run, all threads>

The runner starts this script with the system `python3`, passes the same
sizes and the path of the `.npy` file it wrote, and joins the lines with its
own timings by key. Data is generated here with the same shapes, dtypes and
distributions as on the Rust side (the timings do not depend on the exact
values). Run it alone to see NumPy's numbers:

    python3 bench/numpy_peer.py [--quick] [--npy FILE]
"""

import argparse
import sys
import time

import numpy as np


def measure(f, min_runs, budget):
    """Best wall time and mean CPU time per run, both in ms, after one warm-up."""
    f()
    best = float("inf")
    runs = 0
    cpu0 = time.process_time()
    start = time.perf_counter()
    while runs < min_runs or (time.perf_counter() - start < budget and runs < 50):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
        runs += 1
    return best * 1e3, (time.process_time() - cpu0) / runs * 1e3


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="fewer runs, smaller matmuls")
    p.add_argument("--npy", help="a float32 .npy file to time np.load on")
    p.add_argument("--only", default="", help="comma-separated keys to run (default: all)")
    args = p.parse_args()
    min_runs, budget = (2, 0.3) if args.quick else (5, 1.0)
    only = {k for k in args.only.split(",") if k}
    rng = np.random.default_rng(0)

    def run(key, f, runs=min_runs, budget=budget):
        if only and key not in only:
            return
        wall, cpu = measure(f, runs, budget)
        print(f"{key} {wall:.4f} {cpu:.4f}", flush=True)

    print(f"# numpy {np.__version__} python {sys.version.split()[0]}", flush=True)
    n = 10_000_000
    a = rng.uniform(-5, 5, n).astype(np.float32)
    b = rng.uniform(0.5, 1.5, n).astype(np.float32)
    c = rng.uniform(-1, 1, n).astype(np.float32)
    run("axpb_f32", lambda: a * b + c)
    run("axpb_f32_fused", lambda: a * b + c)
    run("exp_f32", lambda: np.exp(a))
    run("sqrt_f32", lambda: np.sqrt(b))
    run("sin_f32", lambda: np.sin(a))
    run("sum_f32", lambda: a.sum())
    a64 = a.astype(np.float64)
    run("sum_f64", lambda: a64.sum())
    run("exp_f64", lambda: np.exp(a64))
    del a64

    x = rng.normal(10, 3, (1_000_000, 64)).astype(np.float32)
    run("mean_axis0", lambda: x.mean(axis=0))
    run("mean_axis1", lambda: x.mean(axis=1))
    run("std_axis0", lambda: x.std(axis=0))
    run("standardize", lambda: (x - x.mean(axis=0)) / x.std(axis=0))
    run("standardize_fused", lambda: (x - x.mean(axis=0)) / x.std(axis=0))

    def epoch():
        perm = rng.permutation(x.shape[0])
        for i in range(0, x.shape[0], 256):
            x[perm[i : i + 256]]

    run("batches_256", epoch, runs=min(min_runs, 3))
    del x

    t = rng.uniform(-1, 1, (4096, 4096)).astype(np.float32)
    run("transpose_4096", lambda: np.ascontiguousarray(t.T))
    del t

    idx = rng.integers(0, n, n, dtype=np.int64)
    run("take_10m", lambda: np.take(a, idx))
    del idx
    run("sort_f32", lambda: np.sort(a), runs=min(min_runs, 3))
    run("sort_f32_stable", lambda: np.sort(a, kind="stable"), runs=min(min_runs, 3))
    run("argsort_f32", lambda: np.argsort(a), runs=min(min_runs, 3))

    sizes = [256, 1024, 2048] if args.quick else [256, 1024, 2048, 4096]
    for dt, name in [(np.float32, "f32"), (np.float64, "f64")]:
        for m in sizes:
            ma = rng.uniform(-1, 1, (m, m)).astype(dt)
            mb = rng.uniform(-1, 1, (m, m)).astype(dt)
            run(f"matmul_{name}_{m}", lambda: ma @ mb, runs=2 if m >= 4096 else min_runs)

    if args.npy:
        run("npy_load", lambda: np.load(args.npy), runs=3)


if __name__ == "__main__":
    main()
