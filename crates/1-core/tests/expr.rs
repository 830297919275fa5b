//! Fused expressions (`Expr::eval`) against the eager ops they stand for
//! (`Expr::eval_eager`, which applies `Array::binary`, `binary_scalar` and
//! `unary` node by node): the same dtype, shape, bits (NaN-aware) and
//! errors, over random trees on every dtype, broadcasting corner and
//! memory layout, on both the single-block and the threaded multi-block
//! paths, and at every SIMD level.

use oxarray_core::{Array, BinaryOp, DType, Expr, Index, UnaryOp, Wide, c128};

/// splitmix64: a small deterministic generator for the trees.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn coin(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const SPECIALS: [f64; 14] =
    [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e-310, 3.0, -7.0, 100.0, 1e-40];

fn value(rng: &mut Rng) -> f64 {
    if rng.coin(0.3) {
        *rng.pick(&SPECIALS)
    } else if rng.coin(0.5) {
        rng.below(21) as f64 - 10.0
    } else {
        (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * 20.0 - 10.0
    }
}

/// An array of `dtype` and `shape` with random values, in a random memory
/// layout (C order, transposed, reversed, strided).
fn array(rng: &mut Rng, dtype: DType, shape: &[usize]) -> Array {
    let layout = rng.below(5);
    let base_shape: Vec<usize> = match layout {
        1 => shape.iter().rev().copied().collect(),
        3 if !shape.is_empty() => {
            let mut s = shape.to_vec();
            *s.last_mut().unwrap() *= 2;
            s
        }
        _ => shape.to_vec(),
    };
    let n: usize = base_shape.iter().product();
    let a = if dtype.is_complex() {
        let v: Vec<c128> = (0..n).map(|_| c128::new(value(rng), value(rng))).collect();
        Array::from_vec(v, &base_shape).unwrap().astype_with(dtype, oxarray_core::Casting::Unsafe).unwrap()
    } else {
        let v: Vec<f64> = (0..n).map(|_| value(rng)).collect();
        Array::from_vec(v, &base_shape).unwrap().astype_with(dtype, oxarray_core::Casting::Unsafe).unwrap()
    };
    let a = match layout {
        1 => a.transpose(),
        2 => a.flip(None).unwrap(),
        3 if !shape.is_empty() => {
            let mut index: Vec<Index> = vec![Index::step(1); shape.len() - 1];
            index.push(Index::step(2));
            a.slice(&index).unwrap()
        }
        _ => a,
    };
    assert_eq!(a.shape(), shape);
    a
}

/// A shape that broadcasts to `target`: all of it, a suffix, some axes set
/// to 1, or 0-d.
fn leaf_shape(rng: &mut Rng, target: &[usize]) -> Vec<usize> {
    match rng.below(5) {
        0 => vec![],
        1 => target[rng.below(target.len() + 1)..].to_vec(),
        2 => target.iter().map(|&d| if rng.coin(0.5) { 1 } else { d }).collect(),
        _ => target.to_vec(),
    }
}

const FAST_BINARY: [BinaryOp; 6] =
    [BinaryOp::Add, BinaryOp::Subtract, BinaryOp::Multiply, BinaryOp::Divide, BinaryOp::Maximum, BinaryOp::Minimum];
const FAST_UNARY: [UnaryOp; 7] =
    [UnaryOp::Exp, UnaryOp::Sqrt, UnaryOp::Negative, UnaryOp::Abs, UnaryOp::Square, UnaryOp::Tanh, UnaryOp::Log];

fn leaf(rng: &mut Rng, dtype: DType, target: &[usize]) -> Expr {
    if rng.coin(0.2) {
        let w = match rng.below(6) {
            0 => Wide::Bool(rng.coin(0.5)),
            1 => Wide::Int(*rng.pick(&[300, -1, -129, 1 << 40])),
            2 | 3 => Wide::Int(rng.below(9) as i128 - 3),
            _ => Wide::Float(value(rng)),
        };
        return Expr::scalar(w);
    }
    let d = if rng.coin(0.1) { *rng.pick(&DType::ALL) } else { dtype };
    let shape = leaf_shape(rng, target);
    Expr::from(array(rng, d, &shape))
}

fn tree(rng: &mut Rng, depth: usize, dtype: DType, target: &[usize]) -> Expr {
    if depth == 0 || rng.coin(0.25) {
        return leaf(rng, dtype, target);
    }
    if rng.coin(0.3) {
        let op = if rng.coin(0.5) { *rng.pick(&FAST_UNARY) } else { *rng.pick(UnaryOp::ALL) };
        return Expr::unary(op, tree(rng, depth - 1, dtype, target));
    }
    let op = if rng.coin(0.6) { *rng.pick(&FAST_BINARY) } else { *rng.pick(BinaryOp::ALL) };
    Expr::binary(op, tree(rng, depth - 1, dtype, target), tree(rng, depth - 1, dtype, target))
}

/// Equal dtype, shape and bits, where two NaNs of any payload count as
/// equal (a NaN's payload is not part of the semantics).
fn assert_same(fused: &Array, eager: &Array, what: &dyn Fn() -> String) {
    assert_eq!(fused.dtype(), eager.dtype(), "{}", what());
    assert_eq!(fused.shape(), eager.shape(), "{}", what());
    if fused.to_bytes() == eager.to_bytes() {
        return;
    }
    assert!(fused.dtype().is_float() || fused.dtype().is_complex(), "{}: values differ", what());
    let wide = |a: &Array| a.astype(DType::Complex128).unwrap().to_vec::<c128>().unwrap();
    let same = |x: f64, y: f64| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan());
    for (i, (x, y)) in wide(fused).iter().zip(wide(eager)).enumerate() {
        assert!(same(x.re, y.re) && same(x.im, y.im), "{}: element {i}: fused {x} eager {y}", what());
    }
}

fn check(e: &Expr) -> bool {
    let what = || format!("{e:?}");
    match (e.eval(), e.eval_eager()) {
        (Ok(f), Ok(g)) => {
            assert_same(&f, &g, &what);
            true
        }
        (Err(f), Err(g)) => {
            assert_eq!(f.to_string(), g.to_string(), "{}", what());
            false
        }
        (f, g) => panic!("{}: fused {:?} but eager {:?}", what(), f.map(|a| a.dtype()), g.map(|a| a.dtype())),
    }
}

const SHAPES: [&[usize]; 9] = [&[], &[0], &[1], &[7], &[3, 4], &[2, 3, 5], &[0, 3], &[4, 1, 3], &[3, 1500]];

#[test]
fn random_trees_match_the_eager_ops_on_every_dtype() {
    let mut rng = Rng(0x5EED);
    let mut ok = 0;
    for round in 0..400 {
        for dtype in DType::ALL {
            let target = SHAPES[round % SHAPES.len()];
            let depth = 1 + rng.below(4);
            let e = tree(&mut rng, depth, dtype, target);
            ok += usize::from(check(&e));
        }
    }
    // Most trees are valid (the generator favours ops every dtype has).
    assert!(ok > 2000, "only {ok} trees evaluated without error");
}

#[test]
fn random_float_trees_on_the_threaded_multi_block_path() {
    let mut rng = Rng(7);
    // 3 × 90_001 elements: above the parallel threshold, not a multiple of
    // the block.
    let target = [3usize, 90_001];
    for _ in 0..12 {
        for dtype in [DType::Float32, DType::Float64, DType::Float16, DType::Int32] {
            let e = tree(&mut rng, 3, dtype, &target);
            check(&e);
        }
    }
}

/// Rows and columns broadcast against matrices whose inner dimension is
/// short (a tile of many periods per block), around the blocks (256 to
/// 2048 elements, `expr::block_len`) and the longest tiled period
/// (16384), and above it (gathered per block): each with random trees, on
/// the single-block, multi-block and threaded paths, in every float dtype
/// and two integer ones.
#[test]
fn row_and_column_broadcasts_of_short_and_long_rows() {
    let mut rng = Rng(0xB0A7);
    let targets: [&[usize]; 14] = [
        &[700, 1],
        &[5000, 64],
        &[1400, 3],
        &[300, 100],
        &[5, 255],
        &[5, 513],
        &[4, 1023],
        &[3, 2049],
        &[3, 4095],
        &[3, 4097],
        &[2, 16384],
        &[3, 16385],
        &[20, 7, 33],
        &[2, 90_001],
    ];
    for target in targets {
        for dtype in [DType::Float32, DType::Float64, DType::Float16, DType::BFloat16, DType::Int32, DType::UInt8] {
            let x = Expr::from(array(&mut rng, dtype, target));
            let nd = target.len();
            // The row (all axes but the first) and the column (the first
            // axis, the others 1), as `mean(axis=0)` and `mean(axis=1,
            // keepdims)` broadcast.
            let row_shape = target[1..].to_vec();
            let mut col_shape = vec![1; nd];
            col_shape[0] = target[0];
            let row = Expr::from(array(&mut rng, dtype, &row_shape));
            let col = Expr::from(array(&mut rng, dtype, &col_shape));
            // A suffix row of a 3-D target: a shorter period.
            let inner = Expr::from(array(&mut rng, dtype, &target[nd - 1..]));
            check(&((x.clone() - &row) / &col));
            check(&((x.clone() - &col) * &row + &inner));
            check(&(row.clone() * &x).maximum(&inner));
            let deep = tree(&mut rng, 3, dtype, target);
            check(&(deep - &row));
        }
    }
}

fn f32_array(n: usize, shape: &[usize], f: impl Fn(usize) -> f32) -> Array {
    Array::from_vec((0..n).map(f).collect::<Vec<f32>>(), shape).unwrap()
}

#[test]
fn axpb_and_standardisation_are_the_eager_results() {
    let n = 300_000;
    let a = f32_array(n, &[n], |i| (i as f32 * 0.37).sin() * 3.0);
    let b = f32_array(n, &[n], |i| (i % 17) as f32 - 8.0);
    let c = f32_array(n, &[n], |i| 1.0 / (i as f32 + 1.0));
    let y = (Expr::from(&a) * &b + &c).eval().unwrap();
    let eager = a.multiply(&b).unwrap().add(&c).unwrap();
    assert_eq!(y.to_vec::<f32>().unwrap(), eager.to_vec::<f32>().unwrap());

    let x = f32_array(64 * 5000, &[5000, 64], |i| ((i * 7919) % 1000) as f32 * 0.01);
    let mean = f32_array(64, &[64], |j| j as f32 * 0.1);
    let std = f32_array(64, &[64], |j| 1.0 + j as f32);
    let z = ((Expr::from(&x) - &mean) / &std).eval().unwrap();
    let eager = x.subtract(&mean).unwrap().divide(&std).unwrap();
    assert_eq!(z.shape(), &[5000, 64]);
    assert_eq!(z.to_vec::<f32>().unwrap(), eager.to_vec::<f32>().unwrap());
}

#[test]
fn every_simd_level_gives_the_same_bits() {
    use oxarray_kernels::simd::{self, Level};
    let n = 300_000 + 5;
    let specials = [0.0f32, -0.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY, 1e-40, 88.7, -103.0];
    let a = f32_array(n, &[n], |i| if i % 101 < 8 { specials[i % 101] } else { (i as f32 * 0.01).cos() * 5.0 });
    let b = f32_array(n, &[n], |i| (i % 13) as f32 * 0.5 - 3.0);
    let exprs = [
        (Expr::from(&a) * &b + 1.5).exp(),
        (Expr::from(&a) - &b).tanh() / (Expr::from(&b).abs() + 1.0),
        Expr::from(&a).log().maximum(&b).sqrt(),
    ];
    let reference: Vec<Array> = exprs.iter().map(|e| e.eval_eager().unwrap()).collect();
    for level in [Level::Baseline, Level::Avx2, Level::Avx512] {
        simd::set_max_level(Some(level));
        for (e, r) in exprs.iter().zip(&reference) {
            assert_same(&e.eval().unwrap(), r, &|| format!("{e:?} at {level:?}"));
        }
    }
    simd::set_max_level(None);
}

/// Results of at least `simd::STREAM_BYTES` are computed block by block
/// into scratch and streamed out with non-temporal stores: the same bits
/// as the eager ops, for random trees with row and column broadcasts, in
/// float32, float64 and int8 (a result just above the threshold, one
/// below, a length that is not a multiple of the block nor of 16 bytes, a
/// view offset by one element), with streaming stores (the machine's
/// level) and with the plain copy (baseline).
#[test]
fn results_above_the_streaming_size_are_the_eager_results() {
    use oxarray_kernels::simd::{self, Level};
    let mut rng = Rng(0x57EA);
    for dtype in [DType::Float32, DType::Float64, DType::Int8] {
        let cols = 64usize;
        let above = simd::STREAM_BYTES / dtype.itemsize() / cols + 3;
        for rows in [above, above - 7] {
            let x = array(&mut rng, dtype, &[rows + 1, cols]);
            // From the second row on: the input starts one row in, and a
            // 3-element tail of the last block.
            let x = x.slice(&oxarray_core::s![1.., ..]).unwrap();
            let x = Expr::from(&x);
            let row = Expr::from(array(&mut rng, dtype, &[cols]));
            let col = Expr::from(array(&mut rng, dtype, &[rows, 1]));
            let exprs = [(x.clone() - &row) / &col, tree(&mut rng, 2, dtype, &[rows, cols]) + &x];
            for e in &exprs {
                let Ok(reference) = e.eval_eager() else { continue };
                for level in [None, Some(Level::Baseline)] {
                    simd::set_max_level(level);
                    let fused = e.eval();
                    simd::set_max_level(None);
                    assert_same(&fused.unwrap(), &reference, &|| format!("{dtype:?} {rows}×{cols} at {level:?}"));
                }
            }
        }
    }
}

#[test]
fn operators_and_weak_scalars() {
    let a = Array::from_vec(vec![1i8, 2, 3], &[3]).unwrap();
    // int8 with a Python int stays int8; with a float becomes float64.
    assert_eq!((Expr::from(&a) + 1).eval().unwrap().dtype(), DType::Int8);
    assert_eq!((Expr::from(&a) * 1.5).eval().unwrap().dtype(), DType::Float64);
    assert_eq!((Expr::from(&a) / 2).eval().unwrap().to_vec::<f64>().unwrap(), vec![0.5, 1.0, 1.5]);
    assert_eq!((10i64 - Expr::from(&a)).eval().unwrap().to_vec::<i8>().unwrap(), vec![9, 8, 7]);
    assert_eq!((-Expr::from(&a)).eval().unwrap().to_vec::<i8>().unwrap(), vec![-1, -2, -3]);
    assert_eq!((Expr::from(&a) << 2).eval().unwrap().to_vec::<i8>().unwrap(), vec![4, 8, 12]);
    // Errors are the eager ones.
    let e = (Expr::from(&a) + 300).eval().unwrap_err();
    assert_eq!(e.to_string(), a.binary_scalar(Wide::Int(300), BinaryOp::Add, false).unwrap_err().to_string());
    assert!((Expr::from(1.0) + 2.0).eval().is_err());
    let b = Array::from_vec(vec![1.0f32, 2.0], &[2]).unwrap();
    assert!((Expr::from(&a) + &b).eval().is_err()); // shapes 3 and 2
    // A bare array is itself.
    let same = Expr::from(&b).eval().unwrap();
    assert!(same.shares_buffer(&b));
    // Integer powers with a negative exponent are refused, as eagerly.
    let neg = Array::from_vec(vec![-1i32, 2, 3], &[3]).unwrap();
    assert!((Expr::from(&neg) + 1).pow(&neg).eval().is_err());
}

#[test]
fn display_writes_the_formula() {
    let x = Array::zeros(&[4, 3], DType::Float32).unwrap();
    let m = Array::zeros(&[3], DType::Float32).unwrap();
    let i = Array::zeros(&[], DType::Int8).unwrap();
    let e = (Expr::from(&x) - &m) / &m;
    assert_eq!(e.to_string(), "(float32[4, 3] - float32[3]) / float32[3]");
    let e = (-(Expr::from(&x) * 2.5)).exp().maximum(0i64);
    assert_eq!(e.to_string(), "maximum(exp(-(float32[4, 3] * 2.5)), 0)");
    let e = Expr::binary(BinaryOp::Less, Expr::unary(UnaryOp::BitwiseInvert, &i), Wide::Bool(true));
    assert_eq!(e.to_string(), "~int8[] < true");
    let e = Expr::binary(BinaryOp::Pow, Wide::Complex(1.0, -2.0), &x);
    assert_eq!(e.to_string(), "(1.0-2.0j) ** float32[4, 3]");
    assert_eq!(Expr::from(Wide::Float(f64::NAN)).to_string(), "NaN");
}
