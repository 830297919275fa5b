//! The `ndarray` bridges: zero-copy both ways (proved by pointer equality),
//! copy-on-write before mutable views, every dtype, every kind of layout,
//! and owners that outlive or predecease each other. The same tests run
//! against each enabled `ndarray` version. They exercise `unsafe` code, so
//! `scripts/test.sh` also runs them under valgrind.

#![allow(missing_docs)]

macro_rules! bridge_tests {
    ($module:ident, $nd:ident) => {
        mod $module {
            use ::$nd as nd;
            use nd::{Axis, Ix2, IxDyn, ShapeBuilder};
            use oxarray_core::{Array, DType, Element, ErrorKind, Index, Wide, bf16, c64, c128, f16, s};
            use oxarray_interop::$module::{from_ndarray, from_ndarray_view, to_ndarray_view, to_ndarray_view_mut};

            fn iota<T: Element>(n: usize) -> Vec<T> {
                (0..n).map(|i| T::from_wide_wrapping(Wide::Int(i as i128 % 100))).collect()
            }

            fn f64s(shape: &[usize]) -> Array {
                let n = shape.iter().product();
                Array::from_vec((0..n).map(|i| i as f64).collect(), shape).unwrap()
            }

            /// The view sees the array's memory, strides and values.
            fn assert_same_view<T: Element>(a: &Array) {
                let v = to_ndarray_view::<T>(a).unwrap();
                assert_eq!(v.as_ptr().cast::<u8>(), a.as_ptr(), "view must not copy");
                assert_eq!(v.shape(), a.shape());
                if a.size() > 0 {
                    assert_eq!(v.strides(), a.strides());
                }
                assert_eq!(v.iter().copied().collect::<Vec<T>>(), a.to_vec::<T>().unwrap());
            }

            #[test]
            fn views_of_every_layout_share_memory() {
                let a = f64s(&[3, 4]);
                assert_same_view::<f64>(&a);
                assert_same_view::<f64>(&a.transpose());
                assert_same_view::<f64>(&a.slice(&s![1.., Index::step(2)]).unwrap());
                assert_same_view::<f64>(&a.slice(&s![Index::step(-1), Index::step(-3)]).unwrap());
                assert_same_view::<f64>(&a.flip(None).unwrap().transpose());
                assert_same_view::<f64>(&a.slice(&s![.., 2]).unwrap().broadcast_to(&[5, 3]).unwrap());
                assert_same_view::<f64>(&a.slice(&s![2, 1]).unwrap()); // 0-d
                assert_same_view::<f64>(&Array::zeros(&[0, 3], DType::Float64).unwrap());
                assert_same_view::<f64>(&a.slice(&s![1..1, ..]).unwrap());
                assert_same_view::<f64>(&a.slice(&s![.., 4..]).unwrap().flip(None).unwrap());
                let deep = f64s(&[2, 3, 4]).permute_dims(&[2, 0, 1]).unwrap().flip(Some(&[1])).unwrap();
                assert_same_view::<f64>(&deep);

                let flipped = a.flip(Some(&[0])).unwrap();
                let v = to_ndarray_view::<f64>(&flipped).unwrap();
                assert_eq!(v.strides(), &[-4, 1]);
                assert_eq!(v[[0, 0]], 8.0);
                let v2 = v.into_dimensionality::<Ix2>().unwrap();
                assert_eq!(v2.row(2).to_vec(), vec![0.0, 1.0, 2.0, 3.0]);
            }

            #[test]
            fn dtype_mismatch_is_an_error() {
                let a = f64s(&[2]);
                let e = to_ndarray_view::<f32>(&a).unwrap_err();
                assert!(matches!(e.kind(), ErrorKind::DTypeMismatch { .. }), "{e:?}");
                assert_eq!(
                    e.to_string(),
                    "to_ndarray_view: requested element type float32 but the array's dtype is float64"
                );
                let mut b = a.clone();
                assert!(to_ndarray_view_mut::<i64>(&mut b).is_err());
                assert!(b.shares_buffer(&a), "a failed call must not copy");
            }

            #[test]
            fn mutable_view_of_a_unique_array_writes_in_place() {
                let mut a = f64s(&[3, 4]).flip(Some(&[1])).unwrap();
                let before = a.as_ptr();
                {
                    let mut v = to_ndarray_view_mut::<f64>(&mut a).unwrap();
                    assert_eq!(v.as_ptr().cast::<u8>(), before);
                    v[[0, 0]] = -1.0;
                    v.index_axis_mut(Axis(0), 2).fill(7.0);
                }
                assert_eq!(a.as_ptr(), before);
                assert_eq!(a.get::<f64>(&[0, 0]).unwrap(), -1.0);
                assert_eq!(a.get::<f64>(&[0, 1]).unwrap(), 2.0);
                assert_eq!(a.slice(&s![2, ..]).unwrap().to_vec::<f64>().unwrap(), vec![7.0; 4]);
            }

            #[test]
            fn mutable_view_copies_a_shared_array_first() {
                let original = f64s(&[2, 3]);
                let mut b = original.transpose();
                let v = to_ndarray_view_mut::<f64>(&mut b).unwrap();
                assert_ne!(v.as_ptr().cast::<u8>(), original.as_ptr());
                let mut v = v;
                v.fill(5.0);
                assert!(!b.shares_buffer(&original));
                assert_eq!(b.to_vec::<f64>().unwrap(), vec![5.0; 6]);
                assert_eq!(original.to_vec::<f64>().unwrap(), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
            }

            #[test]
            fn mutable_view_of_a_broadcast_gets_its_own_elements() {
                let row = f64s(&[3]);
                let mut b = row.broadcast_to(&[2, 3]).unwrap();
                drop(row); // `b` is now the unique holder, with a zero stride
                assert!(b.is_unique() && b.strides()[0] == 0);
                {
                    let mut v = to_ndarray_view_mut::<f64>(&mut b).unwrap();
                    v[[0, 0]] = 9.0;
                }
                assert_eq!(b.strides(), &[3, 1]);
                assert_eq!(b.to_vec::<f64>().unwrap(), vec![9.0, 1.0, 2.0, 0.0, 1.0, 2.0]);
            }

            #[test]
            fn mutable_views_of_empty_and_0d_arrays() {
                let mut z = Array::zeros(&[4, 0, 2], DType::Int32).unwrap();
                assert_eq!(to_ndarray_view_mut::<i32>(&mut z).unwrap().len(), 0);
                let mut s = Array::scalar(3u16);
                let p = s.as_ptr();
                {
                    let mut v = to_ndarray_view_mut::<u16>(&mut s).unwrap();
                    assert_eq!(v.ndim(), 0);
                    *v.first_mut().unwrap() = 4;
                }
                assert_eq!((s.as_ptr(), s.item::<u16>().unwrap()), (p, 4));
            }

            /// `from_ndarray` keeps the pointer, layout and values of `nd`.
            fn assert_moved_in<T: Element, D: nd::Dimension>(x: nd::Array<T, D>) -> Array {
                let (ptr, shape, strides) = (x.as_ptr(), x.shape().to_vec(), x.strides().to_vec());
                let values: Vec<T> = x.iter().copied().collect();
                let a = from_ndarray(x).unwrap();
                assert_eq!(a.as_ptr(), ptr.cast::<u8>(), "from_ndarray must not copy");
                assert_eq!(a.dtype(), T::DTYPE);
                assert_eq!(a.shape(), shape.as_slice());
                if a.size() > 0 {
                    assert_eq!(a.strides(), strides.as_slice());
                }
                assert_eq!(a.to_vec::<T>().unwrap(), values);
                a
            }

            #[test]
            fn owned_arrays_move_in_without_copying() {
                let base = || nd::Array::from_shape_vec((3, 4), iota::<f32>(12)).unwrap();
                assert_moved_in(base());
                assert_moved_in(base().reversed_axes());
                assert_moved_in(base().slice_move(nd::s![1.., ..;2]));
                let mut flipped = base();
                flipped.invert_axis(Axis(1));
                let a = assert_moved_in(flipped);
                assert_eq!(a.strides(), &[4, -1]);
                assert_eq!(a.get::<f32>(&[0, 0]).unwrap(), 3.0);
                assert_moved_in(nd::arr0(2.5f64));
                assert_moved_in(nd::Array2::<i16>::zeros((0, 3)));
                assert_moved_in(nd::Array::from_shape_vec((2, 3).f(), iota::<u8>(6)).unwrap());
                assert_moved_in(nd::Array::from_elem(IxDyn(&[2, 1, 2]), true));
            }

            fn round_trip<T: Element>() {
                let x = nd::Array::from_shape_vec((2, 3), iota::<T>(6)).unwrap().reversed_axes();
                let ptr = x.as_ptr();
                let mut a = assert_moved_in(x);
                assert_same_view::<T>(&a);
                // Back to ndarray, mutably: the memory is still the Vec's.
                let v = to_ndarray_view_mut::<T>(&mut a).unwrap();
                assert_eq!(v.as_ptr(), ptr, "{:?}", T::DTYPE);
                assert_eq!(v.shape(), &[3, 2]);
            }

            #[test]
            fn every_element_type_round_trips_without_copying() {
                round_trip::<bool>();
                round_trip::<i8>();
                round_trip::<i16>();
                round_trip::<i32>();
                round_trip::<i64>();
                round_trip::<u8>();
                round_trip::<u16>();
                round_trip::<u32>();
                round_trip::<u64>();
                round_trip::<f16>();
                round_trip::<bf16>();
                round_trip::<f32>();
                round_trip::<f64>();
                round_trip::<c64>();
                round_trip::<c128>();
            }

            #[test]
            fn owners_outlive_handles_in_any_order() {
                let x = nd::Array::from_shape_vec((4, 5), iota::<i64>(20)).unwrap();
                let a = from_ndarray(x).unwrap();
                let col = a.slice(&s![.., 3]).unwrap();
                let t = a.transpose();
                drop(a); // the `Vec` lives on in the other handles
                let worker = std::thread::spawn(move || col.to_vec::<i64>().unwrap());
                {
                    let v = to_ndarray_view::<i64>(&t).unwrap();
                    assert_eq!(v[[3, 2]], 13);
                }
                let moved = vec![t];
                assert_eq!(worker.join().unwrap(), vec![3, 8, 13, 18]);
                drop(moved); // the last handle releases the `Vec`, once

                let x = nd::Array::from_shape_vec(3, iota::<u32>(3)).unwrap();
                let mut a = from_ndarray(x).unwrap();
                let keep = a.clone();
                to_ndarray_view_mut::<u32>(&mut a).unwrap()[0] = 99; // copy-on-write
                drop(keep);
                assert_eq!(a.to_vec::<u32>().unwrap(), vec![99, 1, 2]);
            }

            #[test]
            fn borrowed_views_are_copied_into_aligned_memory() {
                let x = nd::Array::from_shape_vec((3, 4), iota::<c128>(12)).unwrap();
                let v = x.slice(nd::s![..;-1, 1..3]);
                let a = from_ndarray_view(v.view()).unwrap();
                assert_ne!(a.as_ptr(), v.as_ptr().cast::<u8>());
                assert!(a.is_c_contiguous() && a.is_unique());
                assert_eq!(a.as_ptr() as usize % oxarray_core::ALIGN, 0);
                assert_eq!(a.to_vec::<c128>().unwrap(), v.iter().copied().collect::<Vec<_>>());
                let e = from_ndarray_view(nd::Array1::<f16>::from_vec(vec![]).view()).unwrap();
                assert_eq!((e.shape(), e.dtype()), (&[0usize][..], DType::Float16));
                let c = from_ndarray_view(nd::arr2(&[[c64::new(1.0, -1.0)]]).view()).unwrap();
                assert_eq!(c.get::<c64>(&[0, 0]).unwrap(), c64::new(1.0, -1.0));
            }
        }
    };
}

#[cfg(feature = "ndarray")]
bridge_tests!(ndarray, ndarray);
#[cfg(feature = "ndarray016")]
bridge_tests!(ndarray016, ndarray016);
