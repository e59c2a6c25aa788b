//! The native part of the `ownup` Python package (`ownup._ownup`): the analyzer, reading
//! rows of Python values, and reports as Python dicts or columns. The Python side
//! (`python/ownup/`) adds pandas, Spark and Dask on top.

mod analyzer;
mod gc;
mod output;
mod rows;
mod texts;

use pyo3::prelude::*;

#[pymodule]
fn _ownup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<analyzer::PyAnalyzer>()?;
    m.add_function(wrap_pyfunction!(analyzer::rebuild, m)?)?;
    m.add("LexiconError", m.py().get_type::<analyzer::LexiconError>())?;
    m.add("SCHEMA_VERSION", ownup::report::SCHEMA_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
