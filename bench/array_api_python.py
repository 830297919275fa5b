"""Array API namespace calls from Python: oxarray vs NumPy on the same data,
in one run, printing the ratio (NumPy time / oxarray time; above 1 means
oxarray is faster).

    python -m venv .venv && .venv/bin/pip install maturin numpy scikit-learn array-api-compat scipy
    (cd crates/6-python && VIRTUAL_ENV=$PWD/../../.venv ../../.venv/bin/maturin develop --release)
    SCIPY_ARRAY_API=1 .venv/bin/python bench/array_api_python.py [--rows 200000] [--cols 32] [--repeats 5]

Each case runs both libraries on identical inputs (the oxarray input is an
oxarray copy of the NumPy array, made before timing), reports the best wall
time of `repeats` runs, and checks that the two results agree before
printing. The last case fits scikit-learn's StandardScaler with array API
dispatch on oxarray arrays against the plain NumPy fit.
"""

import argparse
import time

import numpy as np

import oxarray as ox


def best_ms(repeats, f):
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--cols", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    a = rng.standard_normal((args.rows, args.cols))
    x = ox.asarray(a.copy())
    flat = rng.standard_normal(args.rows * 4)
    xf = ox.asarray(flat.copy())
    ints = rng.integers(0, 1000, args.rows * 4)
    xi = ox.asarray(ints.copy())
    sq = rng.standard_normal((512, 512))
    xs = ox.asarray(sq.copy())
    mask = a[:, 0] > 0
    xm = ox.asarray(mask.copy())

    cases = [
        ("sum(axis=0)", lambda: np.sum(a, axis=0), lambda: ox.sum(x, axis=0)),
        ("mean+std(axis=0)", lambda: (np.mean(a, axis=0), np.std(a, axis=0)),
         lambda: (ox.mean(x, axis=0), ox.std(x, axis=0))),
        ("max(axis=1)", lambda: np.max(a, axis=1), lambda: ox.max(x, axis=1)),
        ("sort float64", lambda: np.sort(flat, kind="stable"), lambda: ox.sort(xf)),
        ("argsort int64", lambda: np.argsort(ints, kind="stable"), lambda: ox.argsort(xi)),
        ("unique_values int64 (sorted)", lambda: np.unique(ints), lambda: ox.unique_values(xi)),
        ("x[mask]", lambda: a[mask], lambda: x[xm]),
        ("matmul 512x512", lambda: sq @ sq, lambda: xs @ xs),
        ("linalg.svd 512x512", lambda: np.linalg.svd(sq, compute_uv=False),
         lambda: ox.linalg.svdvals(xs)),
        ("linalg.solve 512x512", lambda: np.linalg.solve(sq, sq[:, :8]), lambda: ox.linalg.solve(xs, xs[:, :8])),
    ]

    try:
        import sklearn
        from sklearn.preprocessing import StandardScaler

        def sk_np():
            return StandardScaler().fit_transform(a)

        def sk_ox():
            with sklearn.config_context(array_api_dispatch=True):
                return StandardScaler().fit_transform(x)

        cases.append(("StandardScaler fit_transform", sk_np, sk_ox))
    except ImportError:
        print("scikit-learn not installed: skipping the StandardScaler case")

    print(f"data: {args.rows} x {args.cols} float64; best of {args.repeats}")
    print(f"{'case':32} {'numpy ms':>10} {'oxarray ms':>11} {'ratio':>7}")
    for name, f_np, f_ox in cases:
        r_np, r_ox = f_np(), f_ox()
        for u, v in zip(r_np if isinstance(r_np, tuple) else (r_np,), r_ox if isinstance(r_ox, tuple) else (r_ox,)):
            np.testing.assert_allclose(np.asarray(v), u, rtol=1e-7, atol=1e-9)
        t_np, t_ox = best_ms(args.repeats, f_np), best_ms(args.repeats, f_ox)
        print(f"{name:32} {t_np:10.2f} {t_ox:11.2f} {t_np / t_ox:7.2f}")


if __name__ == "__main__":
    main()
