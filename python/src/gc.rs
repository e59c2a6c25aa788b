//! Pausing Python's cyclic garbage collector while a call builds its results.
//!
//! Every dict and list a call creates counts toward the collector's next pass, and each
//! pass walks the results built so far: on a few hundred thousand reports that was a fifth
//! of the time of `analyze_many`. Reports hold no reference cycles, so there is nothing
//! for those passes to find; the collector runs again as soon as the call returns.

use pyo3::prelude::*;

/// Keeps the collector off until dropped, when it is switched back on if it was on.
pub struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    /// Switches the collector off, if it is on.
    pub fn new(py: Python<'py>) -> PyResult<GcPause<'py>> {
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.gc {
            // Switching it back on cannot fail in practice; if it did, leaving the program
            // without a collector is better than raising from a drop.
            let _ = gc.call_method0("enable");
        }
    }
}
