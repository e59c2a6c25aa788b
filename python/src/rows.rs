//! Analyzing many rows, on the threads the caller chose, one result per row in row order.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use ownup::report::WireReport;
use ownup::Analyzer;
use rayon::prelude::*;

use crate::texts::RowText;

/// The report of one row, or why it has none.
pub type RowReport = Result<WireReport, String>;

/// Where the rows of one call are analyzed.
pub enum Threads {
    /// On the calling thread only: a Spark or Dask worker already runs one task per core,
    /// and a pool inside each would put several threads on every core.
    Caller,
    /// On rayon's global pool, one thread per core (or `RAYON_NUM_THREADS`).
    AllCores,
    /// On a pool of a chosen size.
    Pool(Arc<rayon::ThreadPool>),
}

/// The last sized pool asked for, kept so that calling `analyze_many` in a loop does not
/// start and stop threads every time. One is enough: a program asks for one size.
static SIZED_POOL: Mutex<Option<(usize, Arc<rayon::ThreadPool>)>> = Mutex::new(None);

impl Threads {
    /// The choice for `threads=`: `None` for every core, `1` for the calling thread.
    pub fn new(threads: Option<usize>) -> Result<Threads, String> {
        match threads {
            None => Ok(Threads::AllCores),
            Some(0) => Err("threads must be at least 1, or None for one per core".to_string()),
            Some(1) => Ok(Threads::Caller),
            Some(n) => sized_pool(n).map(Threads::Pool),
        }
    }
}

fn sized_pool(n: usize) -> Result<Arc<rayon::ThreadPool>, String> {
    let mut slot = SIZED_POOL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((size, pool)) = slot.as_ref() {
        if *size == n {
            return Ok(Arc::clone(pool));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("ownup-{i}"))
        .build()
        .map(Arc::new)
        .map_err(|e| format!("cannot start {n} threads: {e}"))?;
    *slot = Some((n, Arc::clone(&pool)));
    Ok(pool)
}

/// Analyzes every row, keeping row order.
pub fn analyze_rows(analyzer: &Analyzer, texts: &[RowText], threads: &Threads) -> Vec<RowReport> {
    let one = |t: &RowText| analyze_row(analyzer, t);
    match threads {
        Threads::Caller => texts.iter().map(one).collect(),
        Threads::AllCores => texts.par_iter().map(one).collect(),
        Threads::Pool(pool) => pool.install(|| texts.par_iter().map(one).collect()),
    }
}

/// Analyzes one row. A panic in the engine is a bug, but it is that row's bug: it becomes
/// the row's error, so a long job over millions of rows still finishes with the others.
pub fn analyze_row(analyzer: &Analyzer, text: &RowText) -> RowReport {
    let text = text.as_ref().map_err(Clone::clone)?;
    panic::catch_unwind(AssertUnwindSafe(|| {
        WireReport::new(&analyzer.analyze(text), text)
    }))
    .map_err(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("ownup failed on this text (a bug in ownup, please report it): {why}")
    })
}
