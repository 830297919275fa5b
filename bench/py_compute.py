"""Elementwise compute through the Python package: oxarray vs NumPy (and PyTorch CPU if installed).

    python bench/py_compute.py [--n 10000000] [--rounds 7]

Workloads on float32 arrays of n elements (10M = 40 MB each, above the 32 MB L3):
`a * b + c` (two passes, two fresh outputs) and `exp(a)`.
"""

import argparse

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import torch
except ImportError:  # optional peer
    torch = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    header(f"elementwise, float32, n = {args.n:,}")
    rng = np.random.default_rng(0)
    na, nb, nc = (rng.standard_normal(args.n, dtype=np.float32) for _ in range(3))
    a, b, c = ox.asarray(na), ox.asarray(nb), ox.asarray(nc)
    np.testing.assert_allclose(np.asarray(a * b + c), na * nb + nc, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(ox.exp(a)), np.exp(na), rtol=1e-6)
    fma = {"oxarray": lambda: a * b + c, "numpy": lambda: na * nb + nc}
    exp = {"oxarray": lambda: ox.exp(a), "numpy": lambda: np.exp(na)}
    if torch is not None:
        ta, tb, tc = (torch.from_numpy(v) for v in (na, nb, nc))
        fma["torch"] = lambda: ta * tb + tc
        exp["torch"] = lambda: torch.exp(ta)
    else:
        print("# PyTorch not installed: torch rows skipped")
    report("a*b+c", bench(fma, args.rounds))
    report("exp(a)", bench(exp, args.rounds))


if __name__ == "__main__":
    main()
