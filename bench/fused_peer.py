"""Fused expressions from Python: NumPy, ox eager and `ox.fuse` in one run.

Rows (median of FUSED_REPS (15) calls each, in ms, every call returning a
fresh result as user code does; the calls of a row's columns alternate,
so a load change during the run moves them alike):

- `standardise`: `(x - m) / s` on a 1M×64 float32 matrix with the column
  statistics precomputed;
- `standardise+stats`: the same with the statistics computed in the call
  (`np.mean` + `np.std` against `ox.std_mean` + the apply);
- `a*b+c`: three 10M float32 vectors.

Each row is also printed as a multiple of a plain copy of its output's size
(`x.copy()` with NumPy and with oxarray, the same in-process measurement):
a fused pass reads its inputs and writes one result, so it cannot beat a
copy by much, while eager code writes and reads one temporary per operator.
The last columns are NumPy's time over ox's (above 1: ox is faster).

    python3 bench/fused_peer.py          # FUSED_REPS=5 for a quick look
"""
import os
import statistics
import time

import numpy as np

import oxarray as ox

reps = int(os.environ.get("FUSED_REPS", "15"))


def medians_ms(*fs):
    """Median ms of each of `fs`, timed in interleaved rounds (one call of
    each per round), so that load changing during the run moves them alike."""
    for f in fs:
        f()  # warm: page faults of the first result, the reuse pool
    times = [[] for _ in fs]
    for _ in range(reps):
        for f, t in zip(fs, times):
            start = time.perf_counter()
            f()
            t.append(time.perf_counter() - start)
    return [statistics.median(t) * 1e3 for t in times]


@ox.fuse
def standardise(x, m, s):
    return (x - m) / s


@ox.fuse
def axpb(a, b, c):
    return a * b + c


def ox_stats_then_fused(x):
    s, m = ox.std_mean(x, axis=0)
    return standardise(x, m, s)


def main():
    rng = np.random.default_rng(0)
    xn = rng.standard_normal((1_000_000, 64), dtype=np.float32)
    mn, sn = xn.mean(axis=0), xn.std(axis=0)
    x, m, s = ox.asarray(xn), ox.asarray(mn), ox.asarray(sn)
    an, bn, cn = (rng.standard_normal(10_000_000, dtype=np.float32) for _ in range(3))
    a, b, c = ox.asarray(an), ox.asarray(bn), ox.asarray(cn)

    # The results agree before anything is timed.
    assert np.array_equal(np.asarray(standardise(x, m, s)), np.asarray((x - m) / s))
    assert np.array_equal(np.asarray(axpb(a, b, c)), np.asarray(a * b + c))

    rows = [
        ("standardise 1M×64 f32", *medians_ms(
            lambda: xn.copy(), lambda: x.copy(),
            lambda: (xn - mn) / sn,
            lambda: (x - m) / s,
            lambda: standardise(x, m, s))),
        ("standardise+stats", *medians_ms(
            lambda: xn.copy(), lambda: x.copy(),
            lambda: (xn - xn.mean(axis=0)) / xn.std(axis=0),
            lambda: (lambda sm: (x - sm[1]) / sm[0])(ox.std_mean(x, axis=0)),
            lambda: ox_stats_then_fused(x))),
        ("a*b+c 10M f32", *medians_ms(
            lambda: an.copy(), lambda: a.copy(),
            lambda: an * bn + cn,
            lambda: a * b + c,
            lambda: axpb(a, b, c))),
    ]

    print(f"median of {reps} calls, ms (× copy: the time over a copy of the output's size, same library)")
    print(f"{'':24}{'copy np/ox':>14}{'NumPy':>16}{'ox eager':>16}{'ox fused':>16}{'np/eager':>10}{'np/fused':>10}")
    for name, cnp, cox, tnp, teager, tfused in rows:
        print(f"{name:24}{cnp:7.1f}/{cox:<6.1f}"
              f"{tnp:8.1f} ({tnp / cnp:4.2f}×){teager:8.1f} ({teager / cox:4.2f}×){tfused:8.1f} ({tfused / cox:4.2f}×)"
              f"{tnp / teager:10.2f}{tnp / tfused:10.2f}")
    gb = xn.nbytes * 2 / 1e9  # one read, one write
    print(f"copy bandwidth (read + write): NumPy {gb / rows[0][1] * 1e3:.1f} GB/s, ox {gb / rows[0][2] * 1e3:.1f} GB/s")


if __name__ == "__main__":
    main()
