//! Times elementwise work on float32 arrays against plain Rust loops:
//! `a*b + c` (fresh results, and in place) and `exp`/`log`.
//!
//! ```text
//! cargo run --release -p oxarray-core --example bench_elementwise [n] [reps]
//! ```
//!
//! Each line prints the best of `reps` runs in milliseconds and the ratio
//! to the plain single-threaded Rust loop (below 1 is faster). Fresh
//! results include the allocation, as NumPy's do; "in place" reuses the
//! output, as `out=` does.

use std::hint::black_box;
use std::time::Instant;

use oxarray_core::{Array, BinaryOp, UnaryOp};
use oxarray_kernels::{simd, vmath};

fn best_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn row(name: &str, ms: f64, baseline: f64) {
    println!("{name:<44} {ms:>9.2} ms   x{:.2}", ms / baseline);
}

fn main() -> oxarray_core::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(10_000_000, |s| s.parse().expect("n"));
    let reps: usize = args.next().map_or(7, |s| s.parse().expect("reps"));
    let va: Vec<f32> = (0..n).map(|i| (i % 1013) as f32 * 0.01 - 5.0).collect();
    let vb: Vec<f32> = (0..n).map(|i| (i % 997) as f32 * 0.001 + 0.5).collect();
    let vc: Vec<f32> = (0..n).map(|i| (i % 89) as f32 * 0.1).collect();
    let (a, b, c) = (Array::from_slice(&va, &[n])?, Array::from_slice(&vb, &[n])?, Array::from_slice(&vc, &[n])?);
    println!(
        "n = {n} float32, best of {reps}; AVX2+FMA loops: {}; threads: {}",
        simd::has_avx2_fma(),
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );

    println!("\na*b + c");
    let plain = best_ms(reps, || {
        let out: Vec<f32> = va.iter().zip(&vb).zip(&vc).map(|((x, y), z)| x * y + z).collect();
        black_box(out);
    });
    row("plain Rust loop, fresh Vec", plain, plain);
    let mut reuse = vec![0.0f32; n];
    let plain_reuse = best_ms(reps, || {
        for (o, ((x, y), z)) in reuse.iter_mut().zip(va.iter().zip(&vb).zip(&vc)) {
            *o = x * y + z;
        }
        black_box(&reuse);
    });
    row("plain Rust loop, reused output", plain_reuse, plain);
    let fresh = best_ms(reps, || {
        black_box(a.multiply(&b).unwrap().add(&c).unwrap());
    });
    row("oxarray a.multiply(&b)?.add(&c)?", fresh, plain);
    let inplace = best_ms(reps, || {
        let mut t = a.multiply(&b).unwrap();
        t.binary_inplace(&c, BinaryOp::Add).unwrap();
        black_box(t);
    });
    row("oxarray t = a*b; t += c (in place)", inplace, plain);
    let mut t = a.copy();
    let all_inplace = best_ms(reps, || {
        t.binary_inplace(&b, BinaryOp::Multiply).unwrap();
        t.binary_inplace(&c, BinaryOp::Add).unwrap();
    });
    row("oxarray t *= b; t += c (no allocation)", all_inplace, plain);

    for (name, op, std_fn, vm_fn) in [
        ("exp", UnaryOp::Exp, f32::exp as fn(f32) -> f32, vmath::exp_f32 as fn(f32) -> f32),
        ("log", UnaryOp::Log, f32::ln, vmath::ln_f32),
    ] {
        println!("\n{name}");
        let input = if op == UnaryOp::Log { b.clone() } else { a.clone() };
        let vin = input.to_vec::<f32>()?;
        let plain = best_ms(reps, || {
            let out: Vec<f32> = vin.iter().map(|&x| std_fn(x)).collect();
            black_box(out);
        });
        row(&format!("plain Rust loop of f32::{name} (libm)"), plain, plain);
        let poly = best_ms(reps, || {
            let out: Vec<f32> = vin.iter().map(|&x| vm_fn(x)).collect();
            black_box(out);
        });
        row(&format!("plain loop of vmath::{name}_f32 (baseline ISA)"), poly, plain);
        let ox = best_ms(reps, || {
            black_box(input.unary(op).unwrap());
        });
        row(&format!("oxarray a.{name}()?"), ox, plain);
        let mut t = input.copy();
        let ox_in = best_ms(reps, || {
            // Alternating exp/log keeps the values bounded over the reps.
            t.unary_inplace(op).unwrap();
            t.unary_inplace(if op == UnaryOp::Exp { UnaryOp::Log } else { UnaryOp::Exp }).unwrap();
        }) / 2.0;
        row(&format!("oxarray {name} in place (avg of exp+log)"), ox_in, plain);
    }
    Ok(())
}
