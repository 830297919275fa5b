//! The reuse pool and fused expressions, measured in one run: each
//! memory-bound workload eagerly and fused ([`Expr`]), with the reuse pool
//! off (`set_cached_memory_limit(0)`, as `OXARRAY_POOL_BYTES=0` does) and on,
//! and NumPy on the same workloads (a `python3` child, if NumPy is there).
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_fuse
//! ```
//!
//! Prints the best of several runs in milliseconds and the bandwidth the
//! bytes each workload must move imply (GB/s).

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{Array, DType, Expr, Generator, UnaryOp, cached_memory_limit, set_cached_memory_limit};

const N: usize = 10_000_000;
const ROWS: usize = 1_000_000;
const COLS: usize = 64;

fn best_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

struct Bench {
    runs: usize,
    default_limit: usize,
}

impl Bench {
    /// Times `f` with the pool off and on; prints both.
    fn row(&self, name: &str, bytes: f64, mut f: impl FnMut()) {
        set_cached_memory_limit(0);
        let off = best_ms(self.runs, &mut f);
        set_cached_memory_limit(self.default_limit);
        f(); // fill the pool
        let on = best_ms(self.runs, &mut f);
        let gbs = |ms: f64| bytes / ms / 1e6;
        println!(
            "{name:<42} pool off {off:7.2} ms ({:5.1} GB/s)   pool on {on:7.2} ms ({:5.1} GB/s)",
            gbs(off),
            gbs(on)
        );
    }
}

const NUMPY: &str = r#"
import time, numpy as np
def best(f, runs):
    t = []
    for _ in range(runs):
        s = time.perf_counter(); f(); t.append(time.perf_counter() - s)
    return min(t) * 1e3
rng = np.random.default_rng(0)
n = 10_000_000
a = rng.uniform(-5, 5, n).astype(np.float32)
b = rng.uniform(0.5, 1.5, n).astype(np.float32)
c = rng.uniform(-1, 1, n).astype(np.float32)
print(f"numpy {np.__version__}")
print(f"a*b+c          {best(lambda: a * b + c, 10):7.2f} ms")
print(f"exp(a)         {best(lambda: np.exp(a), 10):7.2f} ms")
x = rng.normal(10, 3, (1_000_000, 64)).astype(np.float32)
m, s = x.mean(axis=0), x.std(axis=0)
print(f"(x-m)/s        {best(lambda: (x - m) / s, 5):7.2f} ms")
print(f"standardize    {best(lambda: (x - x.mean(axis=0)) / x.std(axis=0), 5):7.2f} ms")
"#;

fn main() -> oxarray_core::Result<()> {
    let bench = Bench { runs: 10, default_limit: cached_memory_limit() };
    println!("pool limit {} MiB, {} threads", bench.default_limit >> 20, rayon::current_num_threads());
    let mut g = Generator::new(0);
    let a = g.uniform(-5.0, 5.0, &[N], DType::Float32)?;
    let b = g.uniform(0.5, 1.5, &[N], DType::Float32)?;
    let c = g.uniform(-1.0, 1.0, &[N], DType::Float32)?;
    let f = 4.0 * N as f64;

    bench.row("zeros 40 MB, then write it", f, || {
        let mut z = Array::zeros(&[N], DType::Float32).unwrap();
        z.fill(1.0f32).unwrap();
        black_box(z);
    });
    bench.row("empty 40 MB, then write it", f, || {
        let mut z = Array::empty(&[N], DType::Float32).unwrap();
        z.fill(1.0f32).unwrap();
        black_box(z);
    });
    bench.row("copy 40 MB (a.copy())", 2.0 * f, || {
        black_box(a.copy());
    });
    bench.row("a*b+c eager (two passes)", 4.0 * f, || {
        black_box(a.multiply(&b).unwrap().add(&c).unwrap());
    });
    bench.row("a*b+c fused", 4.0 * f, || {
        black_box((Expr::from(&a) * &b + &c).eval().unwrap());
    });
    bench.row("exp(a)", 2.0 * f, || {
        black_box(a.unary(UnaryOp::Exp).unwrap());
    });
    bench.row("exp(a*b+c) eager", 4.0 * f, || {
        black_box(a.multiply(&b).unwrap().add(&c).unwrap().exp().unwrap());
    });
    bench.row("exp(a*b+c) fused", 4.0 * f, || {
        black_box((Expr::from(&a) * &b + &c).exp().eval().unwrap());
    });
    drop((a, b, c));

    let x = g.normal(10.0, 3.0, &[ROWS, COLS], DType::Float32)?;
    let xb = (ROWS * COLS * 4) as f64;
    let m = x.mean(Some(&[0]), false)?;
    let s = x.std(Some(&[0]), 0.0, false)?;
    bench.row("(x-m)/s 1M×64 eager", 2.0 * xb, || {
        black_box(x.subtract(&m).unwrap().divide(&s).unwrap());
    });
    bench.row("(x-m)/s 1M×64 fused", 2.0 * xb, || {
        black_box(((Expr::from(&x) - &m) / &s).eval().unwrap());
    });
    bench.row("standardize (stats + fused apply)", 3.0 * xb, || {
        let m = x.mean(Some(&[0]), false).unwrap();
        let s = x.std(Some(&[0]), 0.0, false).unwrap();
        black_box(((Expr::from(&x) - &m) / &s).eval().unwrap());
    });
    drop(x);

    match std::process::Command::new("python3").args(["-c", NUMPY]).output() {
        Ok(out) if out.status.success() => print!("{}", String::from_utf8_lossy(&out.stdout)),
        _ => println!("(NumPy not available)"),
    }
    Ok(())
}
