//! Array creation: `zeros`, `ones`, `full`, `empty`, `*_like`, `arange`,
//! `linspace`, `eye`.

use crate::array::Array;
use crate::dtype::DType;
use crate::error::Result;

impl Array {
    /// Evenly spaced values in `[start, stop)` (stub, replaced below).
    pub fn arange(start: f64, stop: f64, step: f64, dtype: DType) -> Result<Array> {
        let n = ((stop - start) / step).ceil().max(0.0) as usize;
        let v: Vec<f64> = (0..n).map(|i| start + i as f64 * step).collect();
        Array::from_vec(v, &[n])?.astype(dtype)
    }
}
