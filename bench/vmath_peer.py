"""NumPy peer of crates/0-kernels/examples/vmath_speed.rs: the same inputs (pairs for the binary functions),
the same functions, into a reused output (`out=`), best of VMATH_REPS (10), in ms."""
import os, sys, time
import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
# VMATH_ONLY=sin,cos and VMATH_REPS=50 as in the Rust example.
only = os.environ.get("VMATH_ONLY")
reps = int(os.environ.get("VMATH_REPS", "10"))
i = np.arange(n, dtype=np.uint64)
pos = (np.float32(0.01) + np.float32(9.99) * ((i * np.uint64(2_654_435_761)) % np.uint64(1_000_003)).astype(np.float32) / np.float32(1e6)).astype(np.float32)
sym = pos - np.float32(5.0)
# The inputs of the inverse functions with a bounded domain, as in the Rust example.
unit = sym * np.float32(0.19)
above1 = pos + np.float32(1.0)
out = np.ones(n, dtype=np.float32)
print(f"numpy {np.__version__} n={n} ms/call (best of {reps})")


def report(name, f, *args, out):
    """Prints the best time of `f(*args, out=out)` over `reps` calls."""
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        f(*args, out=out)
        best = min(best, time.perf_counter() - t)
    print(f"{name:>13} {best * 1e3:8.3f}")


f32_rows = [("exp", np.exp, False), ("exp2", np.exp2, False), ("expm1", np.expm1, False),
            ("log", np.log, True), ("log2", np.log2, True), ("log1p", np.log1p, True),
            ("tanh", np.tanh, False), ("log10", np.log10, True), ("sin", np.sin, False),
            ("cos", np.cos, False), ("tan", np.tan, False), ("sqrt", np.sqrt, True),
            ("asin", np.arcsin, "unit"), ("acos", np.arccos, "unit"), ("atan", np.arctan, False),
            ("sinh", np.sinh, False), ("cosh", np.cosh, False), ("asinh", np.arcsinh, False),
            ("acosh", np.arccosh, "above1"), ("atanh", np.arctanh, "unit")]
f64_rows = [(name + "_f64", f, positive) for name, f, positive in
            [("exp", np.exp, False), ("exp2", np.exp2, False), ("expm1", np.expm1, False), ("log", np.log, True),
             ("log2", np.log2, True), ("log10", np.log10, True), ("log1p", np.log1p, True), ("tanh", np.tanh, False),
             ("sin", np.sin, False), ("cos", np.cos, False), ("tan", np.tan, False),
             ("atan", np.arctan, False), ("asin", np.arcsin, "unit"), ("acos", np.arccos, "unit"),
             ("sinh", np.sinh, False), ("cosh", np.cosh, False)]]
for name, f, positive in f32_rows + f64_rows:
    if only and name not in only.split(","):
        continue
    wide = name.endswith("_f64")
    x = {"unit": unit, "above1": above1}[positive] if isinstance(positive, str) else pos if positive else sym
    if wide:
        x = x.astype(np.float64)
        if out.dtype != np.float64:
            out = np.ones(n, dtype=np.float64)
    report(name, f, x, out=out)
# The binary functions, on the pairs of the Rust example: (-5, 5) and the same
# reversed; logaddexp on (-20, 20).
out = np.ones(n, dtype=np.float32)
rev = sym[::-1].copy()
wide, wide_rev = sym * np.float32(4.0), rev * np.float32(4.0)
for name, f, x, y in [("atan2", np.arctan2, sym, rev), ("hypot", np.hypot, sym, rev),
                      ("logaddexp", np.logaddexp, wide, wide_rev)]:
    if only and name not in only.split(","):
        continue
    report(name, f, x, y, out=out)
for name, f in [("hypot_f64", np.hypot), ("atan2_f64", np.arctan2)]:
    if only and name not in only.split(","):
        continue
    x, y, out = sym.astype(np.float64), rev.astype(np.float64), np.ones(n, dtype=np.float64)
    report(name, f, x, y, out=out)
