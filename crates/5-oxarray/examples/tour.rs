//! A tour of oxarray: arrays, views without copies, copy-on-write, checked
//! casts, broadcasting and the `ndarray` bridge.
//!
//! ```text
//! cargo run --release -p oxarray --example tour --features ndarray
//! ```

use oxarray::{Array, Casting, DType, Index, Result, broadcast_shapes, s};

fn section(title: &str) {
    println!("\n== {title} ==");
}

/// One line per array: dtype, shape, strides and values in logical order.
fn show<T: oxarray::Element>(name: &str, a: &Array) -> Result<()> {
    println!(
        "{name:<10} {:<8} shape {:<8} strides {:<9} {:?}",
        a.dtype().to_string(),
        format!("{:?}", a.shape()),
        format!("{:?}", a.strides()),
        a.to_vec::<T>()?
    );
    Ok(())
}

fn main() -> Result<()> {
    section("creating arrays");
    let a = Array::arange(0.0, 12.0, 1.0, DType::Float32)?.reshape(&[3, 4])?;
    show::<f32>("a", &a)?;
    let z = Array::zeros(&[2, 3], DType::Int64)?;
    show::<i64>("zeros", &z)?;
    let m = Array::from_slice(&[1u8, 2, 3, 4, 5, 6], &[2, 3])?;
    show::<u8>("from_slice", &m)?;
    println!("a[1, -1] = {}", a.get::<f32>(&[1, -1])?);

    section("views share memory (no copies)");
    let t = a.transpose();
    let rows = a.slice(&s![1.., Index::step(-1)])?; // NumPy's a[1:, ::-1]
    let col = a.slice(&s![.., 2])?;
    show::<f32>("a.T", &t)?;
    show::<f32>("a[1:,::-1]", &rows)?;
    show::<f32>("a[:, 2]", &col)?;
    println!("a.as_ptr()            = {:p}", a.as_ptr());
    println!("a.T.as_ptr()          = {:p}  same buffer: {}", t.as_ptr(), t.shares_buffer(&a));
    println!("a[1,3] address        = {:p}", a.slice(&s![1, 3])?.as_ptr());
    println!("a[1:,::-1].as_ptr()   = {:p}  (its first element is a[1,3])", rows.as_ptr());

    section("copy-on-write");
    let mut b = a.clone();
    println!("b = a.clone(): shares a's buffer: {}", b.shares_buffer(&a));
    b.fill_at(&s![0, ..], 100.0f32)?;
    println!("after b[0, :] = 100: shares a's buffer: {}", b.shares_buffer(&a));
    show::<f32>("a", &a)?;
    show::<f32>("b", &b)?;
    let before = b.as_ptr();
    b.fill(7.0f32)?;
    println!("b is the only handle now, so b.fill(7) writes in place: {}", b.as_ptr() == before);

    section("casts never lose data silently");
    let x = Array::from_slice(&[1.9f64, -2.5, 300.0, f64::NAN], &[4])?;
    show::<f64>("x", &x)?;
    show::<i32>("x[:3] i32", &x.slice(&s![..3])?.astype(DType::Int32)?)?;
    match x.astype(DType::UInt8) {
        Ok(_) => println!("unexpected: the cast succeeded"),
        Err(e) => println!("x.astype(uint8) -> error: {e}"),
    }
    match x.slice(&s![2..])?.astype(DType::Int64) {
        Ok(_) => println!("unexpected: the cast succeeded"),
        Err(e) => println!("x[2:].astype(int64) -> error: {e}"),
    }
    show::<u8>("unsafe u8", &x.astype_with(DType::UInt8, Casting::Unsafe)?)?;
    if let Err(e) = x.astype_with(DType::Float32, Casting::Safe) {
        println!("float64 -> float32 under 'safe' -> error: {e}");
    }

    section("broadcasting");
    println!("broadcast_shapes((3, 1), (4,)) = {:?}", broadcast_shapes(&[&[3, 1], &[4]])?);
    let row = Array::from_slice(&[10i32, 20, 30], &[3])?;
    let grid = row.broadcast_to(&[2, 3])?;
    show::<i32>("row", &row)?;
    show::<i32>("broadcast", &grid)?;
    println!("same memory: {}", grid.as_ptr() == row.as_ptr());
    if let Err(e) = row.broadcast_to(&[2, 4]) {
        println!("row.broadcast_to((2, 4)) -> error: {e}");
    }

    ndarray_bridge(&a)?;
    Ok(())
}

#[cfg(feature = "ndarray")]
fn ndarray_bridge(a: &Array) -> Result<()> {
    use oxarray::interop::ndarray::{from_ndarray, to_ndarray_view, to_ndarray_view_mut};

    section("ndarray bridge (zero-copy both ways)");
    let flipped = a.flip(Some(&[0]))?.transpose();
    let v = to_ndarray_view::<f32>(&flipped)?;
    println!("oxarray a[::-1].T      ptr {:p} strides {:?}", flipped.as_ptr(), flipped.strides());
    println!("ndarray view           ptr {:p} strides {:?}", v.as_ptr(), v.strides());
    println!("the view, printed by ndarray:\n{v}");
    let total: f32 = v.sum();
    println!("ndarray's sum over the view: {total}");

    let owned = v.to_owned(); // an ndarray-owned copy, C order
    let owned_ptr = owned.as_ptr();
    let back = from_ndarray(owned)?;
    println!("ndarray Vec            ptr {owned_ptr:p}");
    println!("oxarray from_ndarray   ptr {:p}  (the Vec is now the buffer's owner)", back.as_ptr());

    let mut c = a.clone();
    let mut w = to_ndarray_view_mut::<f32>(&mut c)?; // copy-on-write: `a` is shared
    w.mapv_inplace(|e| e * 2.0);
    println!("mutable view of a shared array copies first: a unchanged = {}", a.get::<f32>(&[2, 3])? == 11.0);
    show::<f32>("c = 2a", &c)?;
    Ok(())
}

#[cfg(not(feature = "ndarray"))]
fn ndarray_bridge(_: &Array) -> Result<()> {
    section("ndarray bridge");
    println!("(run with `--features ndarray` to see zero-copy views to and from ndarray)");
    Ok(())
}
