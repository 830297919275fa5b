"""NumPy against oxarray for the vectorised functions, two ways in one run.

- `out=`: NumPy into a reused output (`np.f(x, out=out)`) against the
  kernel timings of crates/0-kernels/examples/vmath_speed.rs (the same
  inputs, the same reused-output form, the loop the core runs; its last
  column, the CPU's best SIMD level), run as a subprocess first. This is the
  kernels' comparison.
- allocating: `np.f(x)` against `ox.f(x)` through the Python extension,
  each call returning a fresh 10M-element result, as users call them. NumPy
  allocates every result with malloc, which for 40 MB (80 MB in float64)
  maps fresh pages from the kernel each call: they fault on first touch and
  the kernel zeroes them (per 4 KiB page, or per 2 MiB one where
  transparent huge pages apply, so the fault count can be small while the
  zeroing still costs a pass over the result); oxarray's reuse pool hands
  back the previous call's freed buffer, already faulted in. The minor page
  faults per call are printed beside the times.

Best of VMATH_REPS (10) calls, in ms. `VMATH_ONLY=sin,cos_f64` picks rows;
`VMATH_SPEED=path` names the example binary (default
target/release/examples/vmath_speed; build it with
`cargo build --release -p oxarray-kernels --examples`); without it, or
with `VMATH_NO_KERNELS=1`, the `out=` column of oxarray is left empty.
Without the extension (`import oxarray` fails) the allocating columns of
oxarray are left empty.

    python3 bench/vmath_peer.py [N]
"""
import os, resource, subprocess, sys, time
import numpy as np

try:
    import oxarray as ox
except ImportError:
    ox = None

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
only = os.environ.get("VMATH_ONLY")
reps = int(os.environ.get("VMATH_REPS", "10"))
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wanted(name):
    return not only or name in only.split(",")


# Rows: (label, NumPy function, oxarray function name, vmath_speed row,
# input). The vmath_speed row is the form the core runs (the split ones for
# the logarithms and the trigonometric functions).
f32_rows = [("exp", np.exp, "exp", "exp", "sym"), ("exp2", np.exp2, "exp2", "exp2", "sym"),
            ("expm1", np.expm1, "expm1", "expm1", "sym"), ("log", np.log, "log", "log_split", "pos"),
            ("log2", np.log2, "log2", "log2_split", "pos"), ("log10", np.log10, "log10", "log10_split", "pos"),
            ("log1p", np.log1p, "log1p", "log1p", "pos"), ("tanh", np.tanh, "tanh", "tanh", "sym"),
            ("sin", np.sin, "sin", "sin", "sym"), ("cos", np.cos, "cos", "cos", "sym"),
            ("tan", np.tan, "tan", "tan", "sym"), ("sqrt", np.sqrt, "sqrt", "sqrt", "pos"),
            ("asin", np.arcsin, "asin", "asin", "unit"), ("acos", np.arccos, "acos", "acos", "unit"),
            ("atan", np.arctan, "atan", "atan", "sym"), ("sinh", np.sinh, "sinh", "sinh", "sym"),
            ("cosh", np.cosh, "cosh", "cosh", "sym"), ("asinh", np.arcsinh, "asinh", "asinh", "sym"),
            ("acosh", np.arccosh, "acosh", "acosh", "above1"), ("atanh", np.arctanh, "atanh", "atanh", "unit")]
f64_rows = [(name + "_f64", f, oxf, (row + "_f64") if row else None, inp) for name, f, oxf, row, inp in
            [("exp", np.exp, "exp", "exp", "sym"), ("exp2", np.exp2, "exp2", "exp2", "sym"),
             ("expm1", np.expm1, "expm1", "expm1", "sym"), ("log", np.log, "log", "log", "pos"),
             ("log2", np.log2, "log2", "log2", "pos"), ("log10", np.log10, "log10", "log10", "pos"),
             ("log1p", np.log1p, "log1p", "log1p", "pos"), ("tanh", np.tanh, "tanh", "tanh", "sym"),
             ("sin", np.sin, "sin", "sin", "sym"), ("cos", np.cos, "cos", "cos", "sym"),
             ("tan", np.tan, "tan", "tan", "sym"), ("sqrt", np.sqrt, "sqrt", None, "pos"),
             ("atan", np.arctan, "atan", "atan", "sym"), ("asin", np.arcsin, "asin", "asin", "unit"),
             ("acos", np.arccos, "acos", "acos", "unit"), ("sinh", np.sinh, "sinh", "sinh", "sym"),
             ("cosh", np.cosh, "cosh", "cosh", "sym"), ("asinh", np.arcsinh, "asinh", "asinh", "sym"),
             ("acosh", np.arccosh, "acosh", "acosh", "above1"), ("atanh", np.arctanh, "atanh", "atanh", "unit")]]
# Binary rows: the pairs of the Rust example, (-5, 5) and the same reversed;
# logaddexp on (-20, 20).
bin_rows = [("atan2", np.arctan2, "atan2", "atan2", "pair"), ("hypot", np.hypot, "hypot", "hypot", "pair"),
            ("logaddexp", np.logaddexp, "logaddexp", "logaddexp", "wide"),
            ("atan2_f64", np.arctan2, "atan2", "atan2_f64", "pair"), ("hypot_f64", np.hypot, "hypot", "hypot_f64", "pair"),
            ("logaddexp_f64", np.logaddexp, "logaddexp", "logaddexp_f64", "wide")]
rows = [r for r in f32_rows + f64_rows + bin_rows if wanted(r[0])]


def kernel_times():
    """Runs vmath_speed once for every wanted row; {row: ms at the best level}."""
    exe = os.environ.get("VMATH_SPEED", os.path.join(root, "target", "release", "examples", "vmath_speed"))
    if os.environ.get("VMATH_NO_KERNELS") or not os.path.exists(exe):
        return {}, None
    names = sorted({r[3] for r in rows if r[3]})
    env = dict(os.environ, VMATH_ONLY=",".join(names), VMATH_REPS=str(reps))
    text = subprocess.run([exe, str(n)], env=env, capture_output=True, text=True, check=True).stdout
    times = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            times[parts[0]] = float(parts[-1])
    return times, text.splitlines()[0]


def best(call):
    """Best time of `call()` over `reps` calls (ms) and the minor page faults per call."""
    t_best = float("inf")
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(reps):
        t = time.perf_counter()
        call()
        t_best = min(t_best, time.perf_counter() - t)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0) / reps
    return t_best * 1e3, faults


load0 = os.getloadavg()
kernels, kernel_header = kernel_times()
i = np.arange(n, dtype=np.uint64)
pos = (np.float32(0.01) + np.float32(9.99) * ((i * np.uint64(2_654_435_761)) % np.uint64(1_000_003)).astype(np.float32) / np.float32(1e6)).astype(np.float32)
sym = pos - np.float32(5.0)
# The inputs of the inverse functions with a bounded domain, as in the Rust example.
inputs32 = {"pos": pos, "sym": sym, "unit": sym * np.float32(0.19), "above1": pos + np.float32(1.0)}
rev = sym[::-1].copy()
inputs32["pair"] = (sym, rev)
inputs32["wide"] = (sym * np.float32(4.0), rev * np.float32(4.0))
del i

print(f"numpy {np.__version__}, oxarray {'(not built)' if ox is None else 'extension'}, n={n}, "
      f"ms/call (best of {reps}), load average {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}")
if kernel_header:
    print(f"kernels: vmath_speed, {kernel_header.strip()} (last column used)")
print("out=: NumPy into a reused output vs the oxarray kernel into a reused output (the kernels' comparison).")
print("alloc: np.f(x) vs ox.f(x), a fresh result each call (what users see). NumPy's result is fresh mmap'd")
print("  memory each call: page faults (flt/call below; few where huge pages apply) and the kernel zeroing")
print("  every page; oxarray's reuse pool returns the previous buffer, already faulted in. So part of the")
print("  alloc ratio is NumPy paying for allocation, not arithmetic: the out= ratio is the kernels' one.")
print(f"{'function':>14} {'np out=':>8} {'ox out=':>8} {'np/ox':>6} | {'np alloc':>8} {'ox alloc':>8} {'np/ox':>6} "
      f"| {'np flt':>7} {'ox flt':>7}")


def ratio(a, b):
    return f"{a / b:6.2f}" if a and b else f"{'—':>6}"


def ms(v):
    return f"{v:8.3f}" if v else f"{'—':>8}"


for name, f, oxname, krow, kind in rows:
    wide = name.endswith("_f64")
    dt = np.float64 if wide else np.float32
    x = inputs32[kind]
    args = tuple(a.astype(dt) for a in x) if isinstance(x, tuple) else (x.astype(dt),)
    out = np.ones(n, dtype=dt)
    np_out, _ = best(lambda: f(*args, out=out))
    np_alloc, np_flt = best(lambda: f(*args))
    ox_alloc = ox_flt = None
    if ox is not None:
        g = getattr(ox, oxname)
        oargs = tuple(ox.asarray(a) for a in args)
        g(*oargs)  # the first call fills the pool
        ox_alloc, ox_flt = best(lambda: g(*oargs))
        del oargs
    k = kernels.get(krow) if krow else None
    flt = lambda v: f"{v:7.0f}" if v is not None else f"{'—':>7}"
    print(f"{name:>14} {ms(np_out)} {ms(k)} {ratio(np_out, k)} | {ms(np_alloc)} {ms(ox_alloc)} "
          f"{ratio(np_alloc, ox_alloc)} | {flt(np_flt)} {flt(ox_flt)}")
    del out, args
load1 = os.getloadavg()
print(f"load average at the end {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f}")
