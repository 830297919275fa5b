"""Shared timing helpers for the bench/py_*.py scripts.

Each case runs in the same process, rounds interleaved (oxarray, then each
peer, then oxarray again, ...), so that every library sees the same machine
load. We report the best and the median of the rounds; ratios are
peer time / oxarray time on the best round (above 1: oxarray is faster).
"""

import os
import platform
import statistics
import time


def header(title):
    import numpy as np

    print(f"# {title}")
    print(f"# {platform.python_implementation()} {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores ({platform.machine()})")


def bench(cases, rounds=7, inner=1):
    """Times each case `rounds` times (each time `inner` calls); returns {name: [seconds per call]}."""
    times = {name: [] for name in cases}
    for f in cases.values():  # warm up: page-in, caches, lazy imports
        f()
    for _ in range(rounds):
        for name, f in cases.items():
            t = time.perf_counter()
            for _ in range(inner):
                f()
            times[name].append((time.perf_counter() - t) / inner)
    return times


def unit(seconds):
    if seconds >= 1e-1:
        return f"{seconds * 1e3:9.1f} ms"
    if seconds >= 1e-4:
        return f"{seconds * 1e3:9.3f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:9.2f} us"
    return f"{seconds * 1e9:9.0f} ns"


def report(workload, times, ours="oxarray"):
    """Prints one line per library with best/median and the ratio to oxarray."""
    base = min(times[ours])
    for name, ts in times.items():
        best, med = min(ts), statistics.median(ts)
        ratio = "" if name == ours else f"  {name}/oxarray = {best / base:5.2f}x"
        print(f"{workload:<34} {name:<22} best {unit(best)}  median {unit(med)}{ratio}")
