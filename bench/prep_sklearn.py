"""SimpleImputer(mean) + StandardScaler: scikit-learn vs oxarray-prep on the
same workload, in one run, printing the ratio.

    python -m venv .venv && .venv/bin/pip install scikit-learn numpy
    .venv/bin/python bench/prep_sklearn.py [--rows 500000] [--cols 64] [--repeats 5]

The data is float32 with 5 % missing values (NaN). scikit-learn is timed
in this process; oxarray through the release build of
crates/3-prep/examples/bench_prep.rs (built here with cargo, run as a
subprocess, its `key=value` output parsed). Both report the best wall time
of `repeats` runs and the mean CPU time per run (all threads; the steadier
number when other processes share the machine). Each side generates its own random data
of the same shape, distribution and missing rate (the timings do not depend
on the values).
"""

import argparse
import os
import pathlib
import subprocess
import time

import numpy as np
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = pathlib.Path(__file__).resolve().parent.parent


def best_of(repeats, f):
    """Best wall time (ms) and mean CPU time per run (ms, all threads)."""
    best = float("inf")
    cpu = time.process_time()
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best * 1e3, (time.process_time() - cpu) / repeats * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--cols", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    x = rng.normal(10.0, 3.0, size=(args.rows, args.cols)).astype(np.float32)
    x[rng.random(x.shape) < 0.05] = np.nan

    def separate():
        filled = SimpleImputer(strategy="mean").fit_transform(x)
        return StandardScaler(copy=False).fit(filled).transform(filled)

    def pipeline():
        return make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()).fit_transform(x)

    fitted = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()).fit(x)
    sk = {
        "impute_scale_fit_transform_ms": best_of(args.repeats, separate),
        "pipeline_fit_transform_ms": best_of(args.repeats, pipeline),
        "pipeline_transform_ms": best_of(args.repeats, lambda: fitted.transform(x)),
    }

    env = dict(os.environ, CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target")))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "oxarray-prep", "--example", "bench_prep"],
                   cwd=ROOT, env=env, check=True)
    exe = pathlib.Path(env["CARGO_TARGET_DIR"]) / "release" / "examples" / "bench_prep"
    out = subprocess.run([str(exe), str(args.rows), str(args.cols), str(args.repeats)],
                         capture_output=True, text=True, check=True).stdout
    ox = dict(line.split("=", 1) for line in out.split())

    print(f"SimpleImputer(mean) + StandardScaler, {args.rows}x{args.cols} float32, 5% NaN, best of {args.repeats}")
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; oxarray-prep on {ox['threads']} threads, "
          f"{os.cpu_count()} CPUs")
    print(f"{'workload':28} {'sklearn ms':>11} {'oxarray ms':>11} {'speedup':>8}   "
          f"{'sklearn cpu':>11} {'oxarray cpu':>11} {'cpu ratio':>9}")
    for key, (ms, cpu) in sk.items():
        o = float(ox[key])
        ocpu = float(ox[key.replace("_ms", "_cpu_ms")])
        print(f"{key.removesuffix('_ms'):28} {ms:11.1f} {o:11.1f} {ms / o:7.1f}x   {cpu:11.1f} {ocpu:11.1f} {cpu / ocpu:8.1f}x")
    print("wall: best of the runs; cpu: mean CPU time per run over all threads (steadier on a shared machine)")


if __name__ == "__main__":
    main()
