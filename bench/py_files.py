"""Files through the Python package: .npy load and CSV read, oxarray vs NumPy, pandas and polars.

    python bench/py_files.py [--npy-mb 400] [--csv-rows 1000000] [--rounds 5] [--dir /tmp]

- a 400 MB float32 .npy: ox.load vs np.load (read into memory; the file is in
  the page cache after the warm-up), and ox.load(mmap=True) vs
  np.load(mmap_mode="r");
- a CSV of rows x 20 floats with five decimals, 1% missing (1M rows: about
  170 MB): ox.read_csv(path, dtype="float32") vs pandas.read_csv(dtype=float32)
  and polars.read_csv cast to float32, each to a 2-D array.
"""

import argparse
import pathlib

import numpy as np
from py_common import bench, header, report

import oxarray as ox

try:
    import pandas as pd
except ImportError:
    pd = None
try:
    import polars as pl
except ImportError:
    pl = None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--npy-mb", type=int, default=400)
    ap.add_argument("--csv-rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dir", default="/tmp")
    args = ap.parse_args()
    d = pathlib.Path(args.dir)
    header("files")
    rng = np.random.default_rng(0)

    npy = d / "oxarray_bench.npy"
    arr = rng.standard_normal(args.npy_mb * (1 << 20) // 4, dtype=np.float32)
    np.save(npy, arr)
    del arr
    np.testing.assert_array_equal(np.asarray(ox.load(npy)), np.load(npy))
    report(f"load {args.npy_mb} MB .npy", bench({"oxarray": lambda: ox.load(npy), "numpy": lambda: np.load(npy)},
                                                 args.rounds))
    report(f"mmap {args.npy_mb} MB .npy", bench({"oxarray": lambda: ox.load(npy, mmap=True),
                                                 "numpy": lambda: np.load(npy, mmap_mode="r")}, args.rounds))
    npy.unlink()

    csv = d / "oxarray_bench.csv"
    x = np.round(rng.standard_normal((args.csv_rows, 20)), 5)
    x[rng.random(x.shape) < 0.01] = np.nan
    ox.write_csv(csv, ox.asarray(x), header=[f"c{i}" for i in range(20)])
    del x
    mb = csv.stat().st_size / 1e6
    cases = {"oxarray": lambda: ox.read_csv(csv, dtype="float32")}
    expected = np.asarray(cases["oxarray"]())
    if pd is not None:
        cases["pandas"] = lambda: pd.read_csv(csv, dtype=np.float32).to_numpy()
        np.testing.assert_array_equal(cases["pandas"](), expected)
    if pl is not None:
        cols = [f"c{i}" for i in range(20)]
        cases["polars"] = lambda: pl.read_csv(csv, schema_overrides={c: pl.Float32 for c in cols}).to_numpy()
        np.testing.assert_array_equal(cases["polars"](), expected)
    report(f"CSV {args.csv_rows:,}x20 ({mb:.0f} MB) -> f32", bench(cases, args.rounds))
    csv.unlink()


if __name__ == "__main__":
    main()
