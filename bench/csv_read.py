"""CSV reading: oxarray against pandas' C parser, on the same file, in one run.

    pip install pandas numpy
    python bench/csv_read.py [--rows 1000000] [--rounds 5]

Writes a rows x 20 CSV of normal floats printed with five decimals, 1% of
them missing (1,000,000 rows: about 170 MB), then times, alternating the
readers round by round so that both see the same machine load:

- pandas: `pd.read_csv(path, dtype=np.float32).to_numpy()`, and the default
  float64 `pd.read_csv(path)`;
- oxarray (the Rust example `crates/2-io/examples/csv_read.rs`, built in
  release mode): `read_csv_array(path, opts, Float32)` on every core and on
  one thread, and `read_csv` to a float64 table.

Prints best and median wall seconds, the least CPU seconds (user + system,
which a busy machine inflates less than wall time; for oxarray it includes
starting the example process), and the pandas/oxarray ratios.
"""

import argparse
import os
import pathlib
import resource
import statistics
import subprocess
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "target" / "release" / "examples" / "csv_read"


def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def oxarray(path, only):
    """Wall seconds of one read (timed inside the example) and the CPU seconds of the whole run."""
    c = cpu(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [str(EXAMPLE), str(path), "--repeat", "1", "--only", only], check=True, capture_output=True, text=True
    ).stdout
    wall = {line.split()[1]: float(line.split()[2]) for line in out.splitlines() if line.startswith("RESULT")}
    return wall[only], cpu(resource.RUSAGE_CHILDREN) - c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--path", default="/tmp/oxarray_csv_bench.csv")
    args = ap.parse_args()
    env = dict(os.environ, CARGO_TARGET_DIR=str(ROOT / "target"))
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "oxarray-io", "--example", "csv_read"], check=True, cwd=ROOT, env=env
    )
    subprocess.run([str(EXAMPLE), args.path, "--generate", "--rows", str(args.rows), "--repeat", "0"], check=True)
    size = pathlib.Path(args.path).stat().st_size
    print(f"{args.path}: {args.rows} rows x 20 float columns, 1% missing, {size / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; pandas {pd.__version__}, numpy {np.__version__}")

    pandas_cases = {
        "pandas_f32": lambda: pd.read_csv(args.path, dtype=np.float32).to_numpy(),
        "pandas_f64_frame": lambda: pd.read_csv(args.path),
    }
    ox_cases = ["oxarray_array_f32", "oxarray_array_f32_1thread", "oxarray_table_f64"]
    times = {name: [] for name in [*pandas_cases, *ox_cases]}
    cpus = {name: [] for name in times}
    a = pandas_cases["pandas_f32"]()
    assert a.shape == (args.rows, 20) and a.dtype == np.float32
    for _ in range(args.rounds):
        for name, f in pandas_cases.items():
            c, t = cpu(resource.RUSAGE_SELF), time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t)
            cpus[name].append(cpu(resource.RUSAGE_SELF) - c)
        for name in ox_cases:
            wall, c = oxarray(args.path, name)
            times[name].append(wall)
            cpus[name].append(c)

    print(f"{'reader':28} {'best s':>8} {'median s':>9} {'CPU s':>7}")
    for name, ts in times.items():
        print(f"{name:28} {min(ts):8.3f} {statistics.median(ts):9.3f} {min(cpus[name]):7.3f}")
    for ox in ox_cases:
        base = "pandas_f64_frame" if "f64" in ox else "pandas_f32"
        best = min(times[base]) / min(times[ox])
        med = statistics.median(times[base]) / statistics.median(times[ox])
        c = min(cpus[base]) / min(cpus[ox])
        print(f"{base} / {ox}: {best:.2f}x (best), {med:.2f}x (median), {c:.2f}x less CPU")


if __name__ == "__main__":
    main()
