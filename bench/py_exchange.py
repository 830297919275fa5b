"""Exchanging memory with NumPy (and PyTorch): the cost must not grow with the size.

    python bench/py_exchange.py [--rounds 7]

For a 1 MB and a 1 GB float32 array: np.asarray(ox array) (buffer protocol),
np.from_dlpack(ox array), ox.asarray(numpy array), ox.from_dlpack(numpy
array), and torch.from_dlpack / ox.from_dlpack(torch tensor) when PyTorch is
installed. Each call is checked to share memory (no copy) before timing.
The last column is the 1 GB time over the 1 MB time (about 1: constant), from
medians: a few hundred nanoseconds per call are at the mercy of a busy
machine, and the medians of interleaved rounds are steadier than the bests.
"""

import argparse
import statistics

import numpy as np
from py_common import bench, header, unit

import oxarray as ox

try:
    import torch
except ImportError:
    torch = None

SIZES = {"1 MB": 1 << 20, "1 GB": 1 << 30}


def ptr(a):
    return np.asarray(a).__array_interface__["data"][0]


def cases_for(nbytes):
    n = nbytes // 4
    x = ox.ones(n, dtype=ox.float32)
    nx = np.ones(n, dtype=np.float32)
    assert ptr(np.asarray(x)) == ptr(x) and ptr(np.from_dlpack(x)) == ptr(x)
    assert ptr(ox.asarray(nx)) == ptr(nx) and ptr(ox.from_dlpack(nx)) == ptr(nx)
    cases = {
        "np.asarray(ox)": lambda: np.asarray(x),
        "np.from_dlpack(ox)": lambda: np.from_dlpack(x),
        "ox.asarray(np)": lambda: ox.asarray(nx),
        "ox.from_dlpack(np)": lambda: ox.from_dlpack(nx),
    }
    if torch is not None:
        t = torch.ones(n, dtype=torch.float32)
        cases["torch.from_dlpack(ox)"] = lambda: torch.from_dlpack(x)
        cases["ox.from_dlpack(torch)"] = lambda: ox.from_dlpack(t)
    return cases, (x, nx)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--calls", type=int, default=20_000)
    args = ap.parse_args()
    header("zero-copy exchange, float32")
    if torch is None:
        print("# PyTorch not installed: torch rows skipped")
    # Both sizes in one bench() call, so their rounds interleave and see the same load.
    cases, keep = {}, []
    for label, nbytes in SIZES.items():
        c, k = cases_for(nbytes)
        cases.update({(name, label): f for name, f in c.items()})
        keep.append(k)
    times = bench(cases, args.rounds, inner=args.calls)
    for name in dict.fromkeys(name for name, _ in cases):
        s, b = times[(name, "1 MB")], times[(name, "1 GB")]
        print(f"{name:<24} 1 MB best {unit(min(s))} (median {unit(statistics.median(s))})   "
              f"1 GB best {unit(min(b))} (median {unit(statistics.median(b))})   "
              f"1GB/1MB (medians) = {statistics.median(b) / statistics.median(s):5.2f}x")

if __name__ == "__main__":
    main()
