"""Mid-size arrays (10^4 to 2*10^6 float32 elements): oxarray vs NumPy (and PyTorch).

    python bench/py_midsize.py [--rounds 9] [--sizes 10000,100000,300000,1000000,2000000]

Most arrays in ML code are neither tiny (per-call overhead, py_overhead.py)
nor huge (memory bandwidth, the Rust bench): a batch of activations, a
column of a table. Here allocation, cache reuse and handing work to a
second core decide the time. Each line checks oxarray's result against
NumPy's first.
"""

import argparse

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import torch
except ImportError:
    torch = None


def cases_for(n, rng):
    a = rng.random(n, dtype=np.float32)
    b = rng.random(n, dtype=np.float32)
    x, y = ox.asarray(a), ox.asarray(b)
    rows = rng.random((n // 10, 10), dtype=np.float32)
    xr = ox.asarray(rows)
    work = {
        "x + 1.5": (lambda: x + 1.5, lambda: a + 1.5, lambda t, u, r: t + 1.5),
        "x * y": (lambda: x * y, lambda: a * b, lambda t, u, r: t * u),
        "exp(x)": (lambda: ox.exp(x), lambda: np.exp(a), lambda t, u, r: torch.exp(t)),
        "sin(x)": (lambda: ox.sin(x), lambda: np.sin(a), lambda t, u, r: torch.sin(t)),
        "sum(x)": (lambda: ox.sum(x), lambda: np.sum(a), lambda t, u, r: torch.sum(t)),
        "argmax(x)": (lambda: ox.argmax(x), lambda: np.argmax(a), lambda t, u, r: torch.argmax(t)),
        "argmax(rows of 10, axis=1)": (
            lambda: ox.argmax(xr, axis=1),
            lambda: np.argmax(rows, axis=1),
            lambda t, u, r: torch.argmax(r, dim=1),
        ),
    }
    tensors = (torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(rows)) if torch is not None else None
    return work, tensors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--sizes", default="10000,100000,300000,1000000,2000000")
    args = ap.parse_args()
    header("mid-size float32 arrays")
    if torch is None:
        print("# PyTorch not installed: torch rows skipped")
    rng = np.random.default_rng(0)
    for n in (int(s) for s in args.sizes.split(",")):
        work, tensors = cases_for(n, rng)
        inner = max(5, 2_000_000 // n)
        for name, (ours, numpy, torch_case) in work.items():
            got, want = np.asarray(ours()), numpy()
            np.testing.assert_allclose(got, want, rtol=1e-5 if "sum" in name else 1e-6)
            cases = {"oxarray": ours, "numpy": numpy}
            if tensors is not None:
                cases["torch"] = lambda f=torch_case: f(*tensors)
            report(f"{name}, n={n:.0e}", bench(cases, args.rounds, inner=inner))


if __name__ == "__main__":
    main()
