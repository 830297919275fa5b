"""Matrix products through the Python package: oxarray vs NumPy (OpenBLAS, all cores) and PyTorch CPU if installed.

    python bench/py_matmul.py [--rounds 5]

Square float32 and float64 products from 256 to 2048 and the rectangular
shapes of ML workloads: a small batch through a wide layer, a tall batch
into a narrow one, and the Gram matrix `X.T @ X` of a tall `X`.

Unlike the other scripts, each library's rounds run as one block after a
pause: OpenBLAS's threads spin for a while after every product, and
interleaved rounds would time whichever library follows NumPy on cores
that those threads still hold (oxarray's 1024 float32 product: 7.0 ms
alone, 11.0 ms right after NumPy's, on the 2-core Intel host).
"""

import argparse
import time

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import torch
except ImportError:  # optional peer
    torch = None

SHAPES = [
    (256, 256, 256),
    (1024, 1024, 1024),
    (2048, 2048, 2048),
    (64, 1024, 4096),  # a batch of 64 through a 1024 -> 4096 layer
    (4096, 1024, 64),
    (64, 100_000, 64),  # X.T @ X of a 100000 x 64 X
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    header("matmul (m x k @ k x n)")
    if torch is None:
        print("# PyTorch not installed: torch rows skipped")
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        for m, k, n in SHAPES:
            na = rng.standard_normal((m, k)).astype(dtype)
            nb = rng.standard_normal((k, n)).astype(dtype)
            a, b = ox.asarray(na), ox.asarray(nb)
            tol = 1e-4 if dtype == np.float32 else 1e-10
            np.testing.assert_allclose(np.asarray(a @ b), na @ nb, rtol=tol, atol=tol * np.sqrt(k))
            cases = {"oxarray": lambda: a @ b, "numpy": lambda: na @ nb}
            if torch is not None:
                ta, tb = torch.from_numpy(na), torch.from_numpy(nb)
                cases["torch"] = lambda: ta @ tb
            name = f"{np.dtype(dtype).name} {m}x{k} @ {k}x{n}"
            times = {}
            for lib, f in cases.items():
                time.sleep(0.5)  # let the previous library's threads go idle
                t = time.perf_counter()
                f()
                inner = max(1, int(0.02 / (time.perf_counter() - t)))  # rounds of >= 20 ms
                times |= bench({lib: f}, args.rounds, inner)
            report(name, times)


if __name__ == "__main__":
    main()
