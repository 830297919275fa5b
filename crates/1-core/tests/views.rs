//! Views never copy, writes never leak between handles, and every index,
//! reshape and broadcast addresses the elements NumPy would.

use std::io::Write;
use std::sync::Arc;

use oxarray_core::{Array, Buffer, DType, Element, ErrorKind, Index, broadcast_arrays, dispatch, s};
use proptest::prelude::*;

fn iota(shape: &[usize]) -> Array {
    let n: usize = shape.iter().product();
    Array::from_vec((0..n as i64).collect::<Vec<_>>(), shape).unwrap()
}

/// The element at `idx` of a C-ordered iota array of `shape`: its flat index.
fn flat(idx: &[usize], shape: &[usize]) -> i64 {
    idx.iter().zip(shape).fold(0, |acc, (&i, &d)| acc * d as i64 + i as i64)
}

/// Address of element `idx` of `a`, computed from `a`'s own layout.
fn addr(a: &Array, idx: &[usize]) -> *const u8 {
    let off: isize = idx.iter().zip(a.strides()).map(|(&i, &s)| i as isize * s).sum();
    a.as_ptr().wrapping_offset(off * a.itemsize() as isize)
}

#[test]
fn views_share_memory() {
    let a = iota(&[2, 3, 4]);
    let p = a.as_ptr();
    let views = [
        a.slice(&s![.., 1.., ..]).unwrap(),
        a.transpose(),
        a.permute_dims(&[1, 0, 2]).unwrap(),
        a.swapaxes(0, -1).unwrap(),
        a.moveaxis(&[0], &[-1]).unwrap(),
        a.reshape(&[6, 4]).unwrap(),
        a.reshape_view(&[24]).unwrap(),
        a.expand_dims(1).unwrap(),
        a.slice(&s![Index::NewAxis, 0]).unwrap().squeeze(&[0]).unwrap(),
        a.flip(None).unwrap(),
        a.slice(&s![0]).unwrap().broadcast_to(&[5, 3, 4]).unwrap(),
        a.clone(),
    ];
    for v in &views {
        assert!(v.shares_buffer(&a));
    }
    // The first element of each view is where NumPy would put it.
    assert_eq!(views[0].as_ptr(), addr(&a, &[0, 1, 0]));
    assert_eq!(views[1].as_ptr(), p);
    assert_eq!(views[9].as_ptr(), addr(&a, &[1, 2, 3]));
    assert_eq!(views[9].get::<i64>(&[0, 0, 0]).unwrap(), 23);
    assert_eq!(views[4].shape(), &[3, 4, 2]);
    assert_eq!(views[10].strides()[0], 0);
}

#[test]
fn copy_on_write_when_shared() {
    let a = iota(&[3, 4]);
    let mut b = a.clone();
    assert!(!b.is_unique());
    b.fill_at(&s![1, ..], 100i64).unwrap();
    // `b` copied before writing: `a` is untouched and they no longer share.
    assert_eq!(a.to_vec::<i64>().unwrap(), (0..12).collect::<Vec<_>>());
    assert_eq!(b.get::<i64>(&[1, 2]).unwrap(), 100);
    assert!(!a.shares_buffer(&b));
    assert!(a.is_unique() && b.is_unique());
}

#[test]
fn in_place_when_unique() {
    let mut a = iota(&[3, 4]);
    let p = a.as_ptr();
    a.set(&[2, 3], 7i64).unwrap();
    a.fill_at(&s![0, Index::step(2)], 5i64).unwrap();
    a.fill_at(&s![.., 0], -1i64).unwrap();
    assert_eq!(a.as_ptr(), p, "a unique, writable buffer is written in place");
    assert_eq!(a.to_vec::<i64>().unwrap(), vec![-1, 1, 5, 3, -1, 5, 6, 7, -1, 9, 10, 7]);
}

#[test]
fn a_view_does_not_see_later_writes_to_its_parent() {
    let mut a = iota(&[4]);
    let v = a.slice(&s![1..3]).unwrap();
    a.fill(0i64).unwrap();
    assert_eq!(v.to_vec::<i64>().unwrap(), vec![1, 2]);
    // Writing to the view does not touch the parent either.
    let mut v = v;
    v.fill(9i64).unwrap();
    assert_eq!(a.to_vec::<i64>().unwrap(), vec![0; 4]);
    assert_eq!(v.to_vec::<i64>().unwrap(), vec![9, 9]);
}

#[test]
fn writing_a_view_relays_it_out_contiguously() {
    let a = iota(&[3, 4]);
    let mut t = a.transpose();
    t.set(&[0, 1], -5i64).unwrap();
    assert!(t.is_c_contiguous());
    assert_eq!(t.get::<i64>(&[0, 1]).unwrap(), -5);
    assert_eq!(t.get::<i64>(&[3, 2]).unwrap(), 11);
    assert_eq!(a.get::<i64>(&[1, 0]).unwrap(), 4);
}

#[test]
fn assign_broadcasts_and_checks_dtype() {
    let mut a = Array::zeros(&[3, 4], DType::Float64).unwrap();
    let row = Array::from_slice(&[1.0f32, 2.0, 3.0, 4.0], &[4]).unwrap();
    a.assign(&s![1.., ..], &row).unwrap();
    assert_eq!(a.get::<f64>(&[2, 3]).unwrap(), 4.0);
    assert_eq!(a.get::<f64>(&[0, 3]).unwrap(), 0.0);
    // float64 into int32 would lose data implicitly: refused, array unchanged.
    let mut i = Array::zeros(&[4], DType::Int32).unwrap();
    let e = i.assign(&s![..], &Array::from_slice(&[0.5f64], &[1]).unwrap()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::CastNotAllowed { .. }), "{e}");
    let e = a.assign(&s![..], &Array::zeros(&[3], DType::Float64).unwrap()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Broadcast { .. }), "{e}");
    assert_eq!(i.to_vec::<i32>().unwrap(), vec![0; 4]);
}

#[test]
fn assign_from_an_overlapping_view_of_itself() {
    let mut a = iota(&[5]);
    let rev = a.flip(None).unwrap();
    a.assign(&s![..], &rev).unwrap();
    assert_eq!(a.to_vec::<i64>().unwrap(), vec![4, 3, 2, 1, 0]);
}

#[test]
fn reshape_copies_only_when_it_must() {
    let a = iota(&[3, 4]);
    let t = a.transpose();
    let e = t.reshape_view(&[12]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::NotAView { .. }), "{e}");
    let r = t.reshape(&[12]).unwrap();
    assert!(!r.shares_buffer(&a));
    assert_eq!(r.to_vec::<i64>().unwrap(), vec![0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    let r = a.reshape_inferred(&[2, -1, 2]).unwrap();
    assert_eq!(r.shape(), &[2, 3, 2]);
    assert!(r.shares_buffer(&a));
    for bad in [&[5isize, -1][..], &[-1, -1], &[13], &[-2, 6]] {
        assert!(a.reshape_inferred(bad).is_err(), "{bad:?}");
    }
    let e = a.reshape(&[5, 2]).unwrap_err();
    assert_eq!(e.to_string(), "cannot reshape array of shape (3, 4) (12 elements) into shape (5, 2)");
    // Zero-size and 0-d.
    let z = Array::zeros(&[0, 3], DType::Float32).unwrap();
    assert_eq!(z.reshape_inferred(&[3, -1, 5]).unwrap().shape(), &[3, 0, 5]);
    let s0 = Array::scalar(2.5f64);
    assert_eq!(s0.reshape(&[1, 1]).unwrap().get::<f64>(&[0, 0]).unwrap(), 2.5);
}

#[test]
fn negative_strides() {
    let a = iota(&[4, 3]);
    let f = a.slice(&s![Index::step(-2), Index::step(-1)]).unwrap();
    assert_eq!(f.to_vec::<i64>().unwrap(), vec![11, 10, 9, 5, 4, 3]);
    assert_eq!(f.strides(), &[-6, -1]);
    // Reshape of a fully reversed contiguous array is still a view.
    let r = a.flip(None).unwrap();
    let v = r.reshape_view(&[12]).unwrap();
    assert_eq!(v.to_vec::<i64>().unwrap(), (0..12).rev().collect::<Vec<_>>());
    assert!(v.shares_buffer(&a));
    assert_eq!(r.copy().to_vec::<i64>().unwrap(), v.to_vec::<i64>().unwrap());
}

#[test]
fn ellipsis_newaxis_and_errors() {
    let a = iota(&[2, 3, 4]);
    let v = a.slice(&s![Index::Ellipsis, 1]).unwrap();
    assert_eq!(v.shape(), &[2, 3]);
    assert_eq!(v.to_vec::<i64>().unwrap(), vec![1, 5, 9, 13, 17, 21]);
    let v = a.slice(&s![0, Index::NewAxis, Index::Ellipsis, Index::NewAxis]).unwrap();
    assert_eq!(v.shape(), &[1, 3, 4, 1]);
    let e = a.slice(&s![0, 0, 0, 0]).unwrap_err();
    assert_eq!(e.to_string(), "too many indices for array: array is 3-dimensional, but 4 were indexed");
    let e = a.slice(&s![.., 3]).unwrap_err();
    assert_eq!(e.to_string(), "index 3 is out of bounds for axis 1 with size 3");
    assert!(a.slice(&s![Index::Ellipsis, Index::Ellipsis]).is_err());
    assert!(a.slice(&s![Index::step(0)]).is_err());
    let e = a.get::<i64>(&[0, -4, 0]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::IndexOutOfBounds { axis: 1, index: -4, len: 3 }));
    let e = a.get::<f64>(&[0, 0, 0]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DTypeMismatch { .. }), "{e}");
    assert_eq!(a.get::<i64>(&[-1, -1, -1]).unwrap(), 23);
}

#[test]
fn manipulation_errors_name_the_axis() {
    let a = iota(&[2, 1, 3]);
    assert_eq!(a.squeeze(&[1]).unwrap().shape(), &[2, 3]);
    assert!(a.squeeze(&[0]).is_err());
    assert_eq!(a.squeeze_all().shape(), &[2, 3]);
    let e = a.swapaxes(0, 3).unwrap_err();
    assert_eq!(e.to_string(), "axis 3 is out of bounds for array of dimension 3");
    assert!(a.permute_dims(&[0, 0, 1]).is_err());
    assert!(a.permute_dims(&[0, 1]).is_err());
    assert_eq!(a.expand_dims(-1).unwrap().shape(), &[2, 1, 3, 1]);
    assert!(a.expand_dims(5).is_err());
    assert!(Array::scalar(1i8).matrix_transpose().is_err());
}

#[test]
fn broadcasting_corners() {
    let a = iota(&[3, 1]);
    let b = iota(&[4]);
    let out = broadcast_arrays(&[a.clone(), b.clone()]).unwrap();
    assert_eq!(out[0].shape(), &[3, 4]);
    assert_eq!(out[0].to_vec::<i64>().unwrap(), vec![0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    assert_eq!(out[1].to_vec::<i64>().unwrap(), [0, 1, 2, 3].repeat(3));
    assert!(out[0].shares_buffer(&a) && out[1].shares_buffer(&b));
    let z = Array::zeros(&[0, 1], DType::Int64).unwrap();
    assert_eq!(z.broadcast_to(&[2, 0, 5]).unwrap().shape(), &[2, 0, 5]);
    let e = iota(&[3]).broadcast_to(&[4]).unwrap_err();
    assert_eq!(e.to_string(), "shapes (3,) and (4,) cannot be broadcast together");
    assert!(iota(&[2, 3]).broadcast_to(&[3]).is_err());
    assert_eq!(Array::scalar(1u8).broadcast_to(&[]).unwrap().size(), 1);
    // Writing to a broadcast view copies into a full array first.
    let mut bv = iota(&[3]).broadcast_to(&[2, 3]).unwrap();
    bv.set(&[0, 0], 9i64).unwrap();
    assert_eq!(bv.to_vec::<i64>().unwrap(), vec![9, 1, 2, 0, 1, 2]);
}

#[test]
fn every_dtype_round_trips() {
    for dtype in DType::ALL {
        dispatch!(dtype, T => {
            let one = T::one();
            let zero = T::zero();
            let data = vec![zero, one, zero, one, one, zero];
            let a = Array::from_slice(&data, &[2, 3]).unwrap();
            assert_eq!(a.dtype(), dtype);
            assert_eq!(a.nbytes(), 6 * dtype.itemsize());
            assert_eq!(a.to_vec::<T>().unwrap(), data);
            assert_eq!(a.transpose().to_vec::<T>().unwrap(), vec![zero, one, one, one, zero, zero]);
            assert_eq!(a.get::<T>(&[1, 1]).unwrap(), one);
            assert_eq!(a.iter::<T>().unwrap().collect::<Vec<_>>(), data);
            let mut b = Array::zeros(&[2, 3], dtype).unwrap();
            assert_eq!(b.as_ptr() as usize % 64, 0);
            b.set(&[1, 2], true).unwrap();
            assert_eq!(b.get::<T>(&[1, 2]).unwrap(), one);
            let z = Array::zeros(&[0, 3], dtype).unwrap();
            assert_eq!(z.to_vec::<T>().unwrap(), Vec::<T>::new());
            assert_eq!(Array::scalar(one).item::<T>().unwrap(), one);
        });
    }
}

#[test]
fn read_only_foreign_memory_stays_read_only() {
    let data: Box<[f32]> = vec![1.0, 2.0, 3.0, 4.0].into_boxed_slice();
    let ptr = data.as_ptr() as *mut u8;
    // SAFETY: `ptr` points into `data`, which the buffer owns until it drops;
    // nothing writes to it.
    let buf = unsafe { Buffer::from_foreign(ptr, 16, false, Box::new(data)) }.unwrap();
    let buf = Arc::new(buf);
    let mut a = Array::from_buffer(buf.clone(), DType::Float32, vec![2, 2], vec![2, 1], 0).unwrap();
    assert_eq!(a.as_ptr(), ptr as *const u8);
    assert!(!a.is_writable_in_place());
    a.set(&[0, 0], 10.0f32).unwrap();
    assert_ne!(a.as_ptr(), ptr as *const u8, "a write to read-only memory copies");
    assert_eq!(buf.as_bytes()[..4], 1.0f32.to_ne_bytes());
    assert_eq!(a.to_vec::<f32>().unwrap(), vec![10.0, 2.0, 3.0, 4.0]);
}

#[test]
fn layouts_over_buffers_are_validated() {
    let buf = Arc::new(Buffer::zeroed(64).unwrap());
    let ok = Array::from_buffer(buf.clone(), DType::Float64, vec![2, 4], vec![4, 1], 0).unwrap();
    assert_eq!(ok.size(), 8);
    let rev = Array::from_buffer(buf.clone(), DType::Float64, vec![8], vec![-1], 7).unwrap();
    assert_eq!(rev.size(), 8);
    for (shape, strides, offset) in [
        (vec![2, 4], vec![4, 1], 1),
        (vec![9], vec![1], 0),
        (vec![8], vec![-1], 6),
        (vec![2], vec![isize::MAX], 0),
        (vec![2, 2], vec![1], 0),
    ] {
        let e = Array::from_buffer(buf.clone(), DType::Float64, shape.clone(), strides, offset).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::InvalidLayout { .. }), "{shape:?}: {e}");
    }
    // An empty layout may sit anywhere.
    assert!(Array::from_buffer(buf.clone(), DType::Float64, vec![0, 9], vec![100, 1], 1000).is_ok());
    // Overflowing sizes are refused before anything is allocated.
    let e = Array::zeros(&[usize::MAX, 2], DType::Int8).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::SizeOverflow { .. }), "{e}");
    let e = Array::zeros(&[1 << 62, 4], DType::Float64).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::SizeOverflow { .. }), "{e}");
    // bool bytes must be 0 or 1.
    let bytes = Arc::new(Buffer::copy_from(&[0, 1, 2]).unwrap());
    assert!(Array::from_buffer(bytes.clone(), DType::Bool, vec![2], vec![1], 0).is_ok());
    assert!(Array::from_buffer(bytes, DType::Bool, vec![3], vec![1], 0).is_err());
    // Misaligned foreign memory is refused for wide dtypes, accepted for bytes.
    let words: Box<[u64]> = vec![0u64; 3].into_boxed_slice();
    let ptr = (words.as_ptr() as *mut u8).wrapping_add(1);
    // SAFETY: `ptr..ptr+16` lies inside `words`, owned by the buffer.
    let mis = Arc::new(unsafe { Buffer::from_foreign(ptr, 16, false, Box::new(words)) }.unwrap());
    let e = Array::from_buffer(mis.clone(), DType::Float64, vec![2], vec![1], 0).unwrap_err();
    assert!(e.to_string().contains("not aligned"), "{e}");
    assert!(Array::from_buffer(mis, DType::UInt8, vec![16], vec![1], 0).is_ok());
}

#[test]
fn mapped_files_are_read_only_unless_asked() {
    let mut f = tempfile::tempfile().unwrap();
    for v in [1.5f64, 2.5, 3.5] {
        f.write_all(&v.to_ne_bytes()).unwrap();
    }
    let map = Arc::new(Buffer::map_file(&f, 0, 24, false).unwrap());
    let mut a = Array::from_buffer(map, DType::Float64, vec![3], vec![1], 0).unwrap();
    assert_eq!(a.to_vec::<f64>().unwrap(), vec![1.5, 2.5, 3.5]);
    a.set(&[0], 0.0f64).unwrap();
    let again = Buffer::map_file(&f, 0, 24, false).unwrap();
    assert_eq!(again.as_bytes()[..8], 1.5f64.to_ne_bytes(), "the file is untouched");
    // Opened for writing, a unique handle writes through to the file.
    let rw = Arc::new(Buffer::map_file(&f, 8, 16, true).unwrap());
    let mut w = Array::from_buffer(rw, DType::Float64, vec![2], vec![1], 0).unwrap();
    w.set(&[1], 9.0f64).unwrap();
    drop(w);
    let again = Buffer::map_file(&f, 0, 24, false).unwrap();
    assert_eq!(again.as_bytes()[16..], 9.0f64.to_ne_bytes());
}

fn slice_entry() -> impl Strategy<Value = (Option<isize>, Option<isize>, isize)> {
    (prop::option::of(-6isize..7), prop::option::of(-6isize..7), prop_oneof![1isize..4, -3isize..0])
}

proptest! {
    /// Slicing matches a reference built from Python's slice semantics.
    #[test]
    fn slicing_matches_reference(
        shape in prop::collection::vec(0usize..5, 1..4),
        entries in prop::collection::vec(slice_entry(), 3),
    ) {
        let a = iota(&shape);
        let index: Vec<Index> = entries[..shape.len()].iter().map(|&(s, e, st)| Index::slice(s, e, st)).collect();
        let v = a.slice(&index).unwrap();
        // Reference: per axis, the positions Python's range(d)[s:e:st] gives.
        let picks: Vec<Vec<usize>> = shape.iter().zip(&index).map(|(&d, ix)| {
            let Index::Slice { start, stop, step } = *ix else { unreachable!() };
            python_slice(d, start, stop, step)
        }).collect();
        let mut expect = Vec::new();
        let mut idx = vec![0usize; shape.len()];
        let total: usize = picks.iter().map(|p| p.len()).product();
        for _ in 0..total {
            let real: Vec<usize> = idx.iter().enumerate().map(|(k, &i)| picks[k][i]).collect();
            expect.push(flat(&real, &shape));
            for k in (0..idx.len()).rev() {
                idx[k] += 1;
                if idx[k] < picks[k].len() { break; }
                idx[k] = 0;
            }
        }
        let expect_shape: Vec<usize> = picks.iter().map(|p| p.len()).collect();
        prop_assert_eq!(v.shape(), expect_shape.as_slice());
        prop_assert_eq!(v.to_vec::<i64>().unwrap(), expect);
        prop_assert!(v.shares_buffer(&a));
        // Copying a view gives a C-contiguous array with the same values.
        let c = v.copy();
        prop_assert!(c.is_c_contiguous());
        prop_assert_eq!(c.to_vec::<i64>().unwrap(), v.to_vec::<i64>().unwrap());
    }

    /// Reshape (view or copy) always preserves C-order values.
    #[test]
    fn reshape_preserves_order(shape in prop::collection::vec(1usize..4, 1..4), transpose in any::<bool>(), flip in any::<bool>()) {
        let mut a = iota(&shape);
        if transpose { a = a.transpose(); }
        if flip { a = a.flip(Some(&[0])).unwrap(); }
        let values = a.to_vec::<i64>().unwrap();
        let r = a.reshape(&[values.len()]).unwrap();
        prop_assert_eq!(r.to_vec::<i64>().unwrap(), values.clone());
        if let Ok(view) = a.reshape_view(&[values.len()]) {
            prop_assert!(view.shares_buffer(&a));
            prop_assert_eq!(view.to_vec::<i64>().unwrap(), values);
        }
    }
}

fn python_slice(len: usize, start: Option<isize>, stop: Option<isize>, step: isize) -> Vec<usize> {
    // Transcription of CPython's PySlice_AdjustIndices.
    let n = len as isize;
    let adjust = |v: isize, lo: isize, hi: isize| {
        if v < 0 {
            let v = v + n;
            if v < 0 { lo } else { v }
        } else if v >= n {
            hi
        } else {
            v
        }
    };
    let (s, e) = if step > 0 {
        (start.map_or(0, |v| adjust(v, 0, n)), stop.map_or(n, |v| adjust(v, 0, n)))
    } else {
        (start.map_or(n - 1, |v| adjust(v, -1, n - 1)), stop.map_or(-1, |v| adjust(v, -1, n - 1)))
    };
    let mut out = Vec::new();
    let mut i = s;
    while (step > 0 && i < e) || (step < 0 && i > e) {
        out.push(i as usize);
        i += step;
    }
    out
}

#[test]
fn element_trait_is_consistent() {
    fn check<T: Element>() {
        assert_eq!(T::from_wide_checked(T::one().to_wide()), Ok(T::one()));
    }
    check::<u8>();
    check::<oxarray_core::bf16>();
    check::<oxarray_core::c64>();
}

#[test]
fn zero_size_views_have_no_bytes() {
    let a = iota(&[3, 4]);
    let views = [
        a.slice(&s![3.., ..]).unwrap(),
        a.slice(&s![.., 4..]).unwrap(),
        a.slice(&s![2..2, 1..]).unwrap(),
        a.slice(&s![3.., ..]).unwrap().flip(None).unwrap(),
        a.slice(&s![.., 4..]).unwrap().transpose(),
        a.slice(&s![1.., 2..2]).unwrap().broadcast_to(&[5, 2, 0]).unwrap(),
    ];
    for v in &views {
        assert_eq!(v.size(), 0, "{:?}", v.shape());
        assert!(v.to_bytes().is_empty(), "{:?}", v.shape());
        assert!(v.copy().to_bytes().is_empty(), "{:?}", v.shape());
        assert_eq!(v.to_vec::<i64>().unwrap(), Vec::<i64>::new());
    }
}
