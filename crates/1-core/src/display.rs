//! NumPy-style `repr` and `str` for arrays.
