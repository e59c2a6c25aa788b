//! `ownup.Analyzer`: the compiled analyzer as a Python object.
//!
//! An analyzer is described by its [`Spec`] (the text of its lexicon files and the rules it
//! disables), which is what pickling sends to Spark and Dask workers: a worker needs no
//! access to the files. Every object with the same spec in one process shares one compiled
//! analyzer, so a worker that unpickles it for every task compiles it once, and its regexes,
//! compiled on first use, stay compiled from task to task.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ownup::{Analyzer, BuildError, Lexicon};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::gc::GcPause;
use crate::output::{Columns, RowDicts};
use crate::rows::{analyze_row, analyze_rows, RowReport, Threads};
use crate::texts::{row_text, RowText};

pyo3::create_exception!(
    ownup,
    LexiconError,
    PyValueError,
    "A lexicon file could not be read or is malformed, or `disable` named no rule."
);

/// What an analyzer is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Spec {
    /// `(name, TOML text)` of each user lexicon, in load order.
    sources: Vec<(String, String)>,
    /// Rule ids, category ids or id prefixes switched off.
    disable: Vec<String>,
}

/// A spec as pickled: `(sources, disable)`, the arguments of `_rebuild`.
type SpecParts = (Vec<(String, String)>, Vec<String>);

/// Compiled analyzers by spec. A program uses one or two; the bound only keeps a loop that
/// builds many different ones from holding them all.
static COMPILED: Mutex<Vec<(Spec, Arc<Analyzer>)>> = Mutex::new(Vec::new());
const COMPILED_KEPT: usize = 8;

/// The analyzer compiled for `spec`, compiling it with `build` when there is none yet.
fn compiled(
    spec: &Spec,
    build: impl FnOnce() -> Result<Analyzer, BuildError>,
) -> Result<Arc<Analyzer>, BuildError> {
    // Held while compiling, so that threads asking for the same spec compile it once.
    let mut cache = COMPILED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, analyzer)) = cache.iter().find(|(s, _)| s == spec) {
        return Ok(Arc::clone(analyzer));
    }
    let analyzer = Arc::new(build()?);
    if cache.len() == COMPILED_KEPT {
        cache.remove(0);
    }
    cache.push((spec.clone(), Arc::clone(&analyzer)));
    Ok(analyzer)
}

/// Rows taken from the input iterable at a time: bounds the memory held outside Python and
/// lets the interpreter run between chunks.
const CHUNK_ROWS: usize = 4096;

/// Analyzes texts and tells how fully each apology takes ownership.
///
/// `Analyzer(lexicons=[...], disable=[...])` adds lexicon files (TOML, the format of
/// `lexicons/*.toml`; a rule with the id of a built-in one replaces it) and switches rules
/// off by rule id, category id or id prefix ending in `.`. A malformed file or an id that
/// names no rule raises `LexiconError`.
#[pyclass(name = "Analyzer", module = "ownup._ownup", frozen)]
pub struct PyAnalyzer {
    analyzer: Arc<Analyzer>,
    spec: Spec,
}

impl PyAnalyzer {
    fn analyze_chunks(
        &self,
        texts: &Bound<'_, PyAny>,
        threads: Option<usize>,
        mut each_chunk: impl FnMut(&[RowReport]) -> PyResult<()>,
    ) -> PyResult<()> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "texts must be an iterable of strings, not one string",
            ));
        }
        let threads = Threads::new(threads).map_err(PyValueError::new_err)?;
        let py = texts.py();
        let mut rows = texts.try_iter()?;
        loop {
            let chunk = rows
                .by_ref()
                .take(CHUNK_ROWS)
                .map(|value| value.map(|v| row_text(&v)))
                .collect::<PyResult<Vec<RowText>>>()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let reports = py.detach(|| analyze_rows(&self.analyzer, &chunk, &threads));
            each_chunk(&reports)?;
        }
    }
}

#[pymethods]
impl PyAnalyzer {
    #[new]
    #[pyo3(signature = (lexicons=None, disable=None))]
    fn new(
        py: Python<'_>,
        lexicons: Option<Vec<PathBuf>>,
        disable: Option<Vec<String>>,
    ) -> PyResult<PyAnalyzer> {
        let files = lexicons.unwrap_or_default();
        let disable = disable.unwrap_or_default();
        py.detach(|| -> Result<PyAnalyzer, String> {
            let sources = files
                .iter()
                .map(|path| {
                    let name = path.display().to_string();
                    std::fs::read_to_string(path)
                        .map(|text| (name.clone(), text))
                        .map_err(|e| format!("{name}: cannot read lexicon: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let spec = Spec { sources, disable };
            // Built from the files themselves, so that they are checked as `--lexicon`
            // files are (regexes compiled now, errors naming file and line).
            let analyzer = compiled(&spec, || {
                files
                    .iter()
                    .fold(Analyzer::builder(), |b, f| b.lexicon_file(f))
                    .disable(spec.disable.iter().cloned())
                    .build()
            })
            .map_err(|e| e.to_string())?;
            Ok(PyAnalyzer { analyzer, spec })
        })
        .map_err(LexiconError::new_err)
    }

    /// Analyzes one text: a dict with the keys of the JSON schema and `error`.
    ///
    /// A value that is not a usable text (None, NaN, not a string, empty, a lone surrogate)
    /// gives a dict whose `error` says why and whose other values are None; nothing is raised.
    fn analyze<'py>(&self, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        let py = value.py();
        let text = row_text(value);
        let report = py.detach(|| analyze_row(&self.analyzer, &text));
        RowDicts::new(py)?.row(py, &report)
    }

    /// Analyzes every text of an iterable: a list with one dict per text, in order.
    ///
    /// `threads`: None uses every core; 1 works on the calling thread only (the choice inside
    /// a Spark or Dask worker, which already runs a task per core); n uses a pool of n.
    /// The interpreter lock is released while texts are analyzed.
    #[pyo3(signature = (texts, threads=None))]
    fn analyze_many<'py>(
        &self,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = texts.py();
        let _pause = GcPause::new(py)?;
        let dicts = RowDicts::new(py)?;
        let out = PyList::empty(py);
        self.analyze_chunks(texts, threads, |reports| {
            reports
                .iter()
                .try_for_each(|r| out.append(dicts.row(py, r)?))
        })?;
        Ok(out)
    }

    /// The columns `ownup.pandas.score` and `ownup.spark.score` add, as a dict of lists.
    #[pyo3(signature = (texts, threads=None))]
    fn score_columns<'py>(
        &self,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let _pause = GcPause::new(texts.py())?;
        let mut columns = Columns::default();
        self.analyze_chunks(texts, threads, |reports| {
            reports.iter().for_each(|r| columns.push(r));
            Ok(())
        })?;
        columns.into_dict(texts.py())
    }

    /// The names of the lexicon files added to the built-in lexicon.
    #[getter]
    fn lexicons(&self) -> Vec<String> {
        self.spec.sources.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The rule, category and prefix ids switched off.
    #[getter]
    fn disabled(&self) -> Vec<String> {
        self.spec.disable.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Analyzer(lexicons={:?}, disable={:?})",
            self.lexicons(),
            self.spec.disable
        )
    }

    /// Pickles as the lexicons' text, not their paths: workers need not see the files.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, SpecParts)> {
        let rebuild = py.import("ownup._ownup")?.getattr("_rebuild")?;
        Ok((
            rebuild,
            (self.spec.sources.clone(), self.spec.disable.clone()),
        ))
    }
}

/// Unpickles an analyzer: its lexicons were checked where it was first built.
#[pyfunction]
#[pyo3(name = "_rebuild")]
pub fn rebuild(
    py: Python<'_>,
    sources: Vec<(String, String)>,
    disable: Vec<String>,
) -> PyResult<PyAnalyzer> {
    let spec = Spec { sources, disable };
    py.detach(|| -> Result<PyAnalyzer, String> {
        let analyzer = compiled(&spec, || {
            let mut lexicon = Lexicon::builtin().map_err(BuildError::Lexicon)?;
            for (name, text) in &spec.sources {
                lexicon
                    .add_source(name, text)
                    .map_err(BuildError::Lexicon)?;
            }
            lexicon
                .disable(&spec.disable)
                .map_err(BuildError::Disable)?;
            Ok(Analyzer::from_lexicon(lexicon))
        })
        .map_err(|e| e.to_string())?;
        Ok(PyAnalyzer { analyzer, spec })
    })
    .map_err(LexiconError::new_err)
}
