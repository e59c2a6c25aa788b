//! Reports as Python values: one dict per text, or one list per column for data frames.
//!
//! Dicts come from the report's own serde serialization, so a field added to the JSON schema
//! reaches Python with no change here.

use ownup::report::WireReport;
use ownup::Analysis;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::rows::RowReport;

/// The report of one text as a dict with the keys of the JSON schema.
pub fn report_dict<'py>(py: Python<'py>, report: &WireReport) -> PyResult<Bound<'py, PyDict>> {
    Ok(pythonize::pythonize(py, report)?.cast_into::<PyDict>()?)
}

/// Builds one dict per row: the report's keys and `error`, with every report key `None`
/// on a row that has an error, so all rows have the same keys (as `ownup batch` writes).
pub struct RowDicts<'py> {
    report_keys: Vec<Bound<'py, PyString>>,
    error_key: Bound<'py, PyString>,
}

impl<'py> RowDicts<'py> {
    /// Reads the report's keys from the report of no text.
    pub fn new(py: Python<'py>) -> PyResult<RowDicts<'py>> {
        let empty = report_dict(py, &WireReport::new(&Analysis::default(), ""))?;
        let report_keys = empty
            .keys()
            .iter()
            .map(|k| k.cast_into::<PyString>())
            .collect::<Result<_, _>>()?;
        Ok(RowDicts {
            report_keys,
            error_key: PyString::new(py, "error"),
        })
    }

    /// The dict of one row.
    pub fn row(&self, py: Python<'py>, row: &RowReport) -> PyResult<Bound<'py, PyDict>> {
        match row {
            Ok(report) => {
                let dict = report_dict(py, report)?;
                dict.set_item(&self.error_key, py.None())?;
                Ok(dict)
            }
            Err(message) => {
                let dict = PyDict::new(py);
                for key in &self.report_keys {
                    dict.set_item(key, py.None())?;
                }
                dict.set_item(&self.error_key, message)?;
                Ok(dict)
            }
        }
    }
}

/// The columns `ownup.pandas.score` and `ownup.spark.score` add, one value per row; every
/// value is `None` on a row with an error, except `error`.
#[derive(Default)]
pub struct Columns {
    apology: Vec<Option<bool>>,
    score: Vec<Option<u8>>,
    verdict: Vec<Option<String>>,
    deflections: Vec<Option<Vec<String>>>,
    components: Vec<Option<Vec<String>>>,
    findings: Vec<Option<String>>,
    error: Vec<Option<String>>,
}

impl Columns {
    /// Adds the values of one row.
    pub fn push(&mut self, row: &RowReport) {
        match row {
            Ok(report) => {
                self.apology.push(Some(report.apology));
                self.score.push(report.score);
                self.verdict.push(Some(report.verdict.clone()));
                self.deflections
                    .push(Some(counted_categories(report, "deflection")));
                self.components
                    .push(Some(counted_categories(report, "ownership")));
                // Serializing plain structs to a string cannot fail.
                self.findings
                    .push(serde_json::to_string(&report.findings).ok());
                self.error.push(None);
            }
            Err(message) => {
                self.apology.push(None);
                self.score.push(None);
                self.verdict.push(None);
                self.deflections.push(None);
                self.components.push(None);
                self.findings.push(None);
                self.error.push(Some(message.clone()));
            }
        }
    }

    /// The columns as a dict of lists, in the order the frames show them.
    pub fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("apology", self.apology)?;
        dict.set_item("score", self.score)?;
        dict.set_item("verdict", self.verdict)?;
        dict.set_item("deflections", self.deflections)?;
        dict.set_item("components", self.components)?;
        dict.set_item("findings", self.findings)?;
        dict.set_item("error", self.error)?;
        Ok(dict)
    }
}

/// The categories of a kind that count toward the score (not in quoted or reported speech),
/// each once, in order of first appearance.
fn counted_categories(report: &WireReport, kind: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for f in &report.findings {
        if f.kind == kind && !f.reported && !ids.contains(&f.category) {
            ids.push(f.category.clone());
        }
    }
    ids
}
