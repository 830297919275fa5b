"""Sorting by data shape: `ox.sort` vs `np.sort` (and PyTorch's `torch.sort`),
then `ox.argsort` vs `np.argsort` on a few of the shapes.

    python bench/py_sort.py [--rounds 7] [--n 10000000] [--only f32,i32]

A radix sort's time depends on the keys, a quicksort's on the order and
the number of distinct values, so one uniform array says little. Each
case sorts a 1-D array of `n` elements (a sorted copy, as `np.sort`
returns; `ox.sort` is stable by default, as the Array API says; NumPy's
default kind is its fastest, unstable one), after checking oxarray's
result against NumPy's bit for bit. `ox.argsort` is always stable; it is
timed against NumPy's stable and default (unstable) argsort.
"""

import argparse

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import torch
except ImportError:
    torch = None


def cases(n, rng):
    u = (rng.random(n) * 10 - 5).astype(np.float32)
    s = np.sort(u)
    yield "float32 uniform in [-5, 5)", u
    yield "float32 normal", rng.standard_normal(n, dtype=np.float32)
    yield "float32 sorted", s
    yield "float32 reversed", s[::-1].copy()
    yield "float32, 10 distinct values", rng.integers(0, 10, n).astype(np.float32)
    yield "float32 maximum(x, 0) (half zeros)", np.maximum(u, 0)
    yield "float64 uniform in [-5, 5)", rng.random(n) * 10 - 5
    yield "float64 sorted", np.sort(rng.random(n))
    yield "int32 full range", rng.integers(-(2**31), 2**31, n, dtype=np.int32)
    yield "int32 in 0..1000", rng.integers(0, 1000, n, dtype=np.int32)
    yield "int32 in 0..10^6", rng.integers(0, 10**6, n, dtype=np.int32)
    yield "int64 full range", rng.integers(-(2**63), 2**63 - 1, n, dtype=np.int64)
    yield "int64 in 0..100", rng.integers(0, 100, n, dtype=np.int64)
    yield "int64 in 0..10^6", rng.integers(0, 10**6, n, dtype=np.int64)
    yield "uint8", rng.integers(0, 256, n, dtype=np.uint8)
    yield "float16", rng.standard_normal(n).astype(np.float16)


ARGSORT = ["float32 uniform in [-5, 5)", "float32, 10 distinct values", "int32 in 0..1000", "int64 in 0..100"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--n", type=int, default=10_000_000)
    p.add_argument("--only", default="", help="comma-separated substrings of case names")
    args = p.parse_args()
    header(f"sort of {args.n:.0e} elements by data shape")
    only = [s for s in args.only.split(",") if s]
    for name, a in cases(args.n, np.random.default_rng(0)):
        if only and not any(s in name for s in only):
            continue
        x = ox.asarray(a)
        got = np.asarray(ox.sort(x))
        assert got.dtype == a.dtype and got.tobytes() == np.sort(a, kind="stable").tobytes(), name
        run = {"oxarray": lambda: ox.sort(x), "numpy": lambda: np.sort(a)}
        if torch is not None:
            t = torch.from_numpy(a)
            run["torch"] = lambda: torch.sort(t)
        report(name, bench(run, args.rounds))
    for name, a in cases(args.n, np.random.default_rng(0)):
        if name not in ARGSORT or (only and not any(s in name for s in only)):
            continue
        x = ox.asarray(a)
        np.testing.assert_array_equal(np.asarray(ox.argsort(x)), np.argsort(a, kind="stable"))
        run = {
            "oxarray": lambda: ox.argsort(x),
            "numpy stable": lambda: np.argsort(a, kind="stable"),
            "numpy": lambda: np.argsort(a),
        }
        report(f"argsort, {name}", bench(run, max(3, args.rounds // 2)))


if __name__ == "__main__":
    main()
