//! # oxarray-py
//!
//! The Python package `oxarray` (`import oxarray as ox`), built with PyO3
//! and maturin. This crate only marshals: Python objects in, calls into
//! the `oxarray` facade, Python objects out. Every long call goes through
//! one helper (`errors::run`) that releases the GIL and maps oxarray's
//! errors to the exceptions NumPy users expect.
//!
//! The modules follow the Array API's function groups, as in the core:
//! `creation`, `elementwise`, `indexing`, `manipulation`, plus `array`
//! (the `ox.Array` class), `expr` (`ox.Expr`, fused elementwise
//! expressions), `dtype`, `io` (files), and the two modules that
//! hold all the `unsafe` code, `buffer` (buffer protocol and
//! `__array_interface__`) and `dlpack` (DLPack), whose invariants are
//! written at the top of `buffer.rs`.

mod array;
mod buffer;
mod creation;
mod dlpack;
mod dtype;
mod elementwise;
mod errors;
mod expr;
mod indexing;
mod io;
mod manipulation;
mod nested;
mod scalar;
// Array API namespace functions and the `linalg` extension.
mod functions;
mod linalg;
// Files, tables, preparation and pickling.
mod csv;
mod image;
mod pickle;
mod prep;

use pyo3::prelude::*;

/// The extension module `oxarray._oxarray`; `oxarray/__init__.py`
/// re-exports it.
#[pymodule]
fn _oxarray(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<array::PyArray>()?;
    m.add("OutOfRangeError", errors::out_of_range_error(m.py())?)?;
    dtype::register(m)?;
    creation::register(m)?;
    elementwise::register(m)?;
    m.add_class::<expr::PyExpr>()?;
    m.add_function(wrap_pyfunction!(expr::lazy, m)?)?;
    manipulation::register(m)?;
    io::register(m)?;
    functions::register(m)?;
    linalg::register(m)?;
    csv::register(m)?;
    image::register(m)?;
    pickle::register(m)?;
    prep::register(m)?;
    m.add("e", std::f64::consts::E)?;
    m.add("pi", std::f64::consts::PI)?;
    m.add("inf", f64::INFINITY)?;
    m.add("nan", f64::NAN)?;
    m.add("newaxis", m.py().None())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
