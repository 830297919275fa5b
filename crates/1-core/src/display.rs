//! NumPy-style `repr` and `str` for arrays.

impl std::fmt::Debug for crate::Array {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Array(shape={:?}, dtype={})", self.shape(), self.dtype())
    }
}
