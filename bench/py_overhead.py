"""Per-call overhead: adding two 8-element float64 arrays, oxarray vs NumPy (and PyTorch).

    python bench/py_overhead.py [--calls 200000] [--rounds 7]

Measures what a Python call costs when there is almost no data: argument
parsing, type checks, dispatch, allocating the result object.
"""

import argparse

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import torch
except ImportError:
    torch = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    header("per-call overhead, 8 float64 elements")
    na, nb = np.arange(8.0), np.arange(8.0) * 2
    a, b = ox.asarray(na), ox.asarray(nb)
    np.testing.assert_array_equal(np.asarray(a + b), na + nb)
    cases = {"oxarray": lambda: a + b, "numpy": lambda: na + nb}
    if torch is not None:
        ta, tb = torch.from_numpy(na), torch.from_numpy(nb)
        cases["torch"] = lambda: ta + tb
    else:
        print("# PyTorch not installed: torch rows skipped")
    report("a + b (8 elements)", bench(cases, args.rounds, inner=args.calls))
    sums = {"oxarray": lambda: ox.asarray([1.0, 2.0, 3.0]), "numpy": lambda: np.asarray([1.0, 2.0, 3.0])}
    report("asarray([1.0, 2.0, 3.0])", bench(sums, args.rounds, inner=args.calls // 4))


if __name__ == "__main__":
    main()
