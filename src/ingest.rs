//! Ingest: extract many reports in parallel and write them into the store, streaming in bounded
//! chunks so that memory does not grow with the corpus; batches of them are written in one
//! atomic step each.

use std::path::PathBuf;
use std::time::Instant;

use oxigraph::model::Quad;
use rayon::prelude::*;

use crate::extract::{ExtractError, Extractor};
use crate::read::{self, ReadError};
use crate::record::Record;
use crate::store::{Outcome, Store, StoreError};

/// Reports written in one atomic step, by default (a crash loses at most this many; a rerun
/// completes the run). The bulk loader ingests each batch at once, and each ingestion makes the
/// store compact again: 10^5 reports in batches of 1,000 took 2.2 times Oxigraph's own bulk load
/// of the same quads.
pub const BATCH: usize = 25_000;

/// Reports extracted in parallel at a time: the records held, whatever the batch.
const CHUNK: usize = 1000;

/// How to ingest.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Reports per batch, written in one atomic step (at least 1).
    pub batch: usize,
    /// Graphs computed from all reports: they are dropped with the first change (see
    /// [`Store::put_reports`]) for the caller to recompute.
    pub derived: &'a [&'a str],
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            batch: BATCH,
            derived: &[],
        }
    }
}

/// One input: a file to read, or bundled bytes.
#[derive(Debug, Clone)]
pub enum Input {
    /// A path on disk (or `-`).
    Path(PathBuf),
    /// Named bytes (the bundled sample).
    Bytes(&'static str, &'static [u8]),
}

impl Input {
    /// Name used as the record's source.
    pub fn source(&self) -> String {
        match self {
            Input::Path(p) => p.to_string_lossy().into_owned(),
            Input::Bytes(name, _) => name.to_string(),
        }
    }
}

/// Counts of an ingest run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Reports written (new or replaced).
    pub reports: usize,
    /// Of those, replacing a changed file's graph.
    pub replaced: usize,
    /// Reports already stored unchanged.
    pub skipped: usize,
    /// Inputs that failed to read or extract.
    pub failed: usize,
    /// Quads written.
    pub triples: usize,
    /// Initiatives in the reports written.
    pub initiatives: usize,
    /// Metrics in the reports written.
    pub metrics: usize,
    /// Wall time.
    pub seconds: f64,
}

/// Expand paths into inputs (errors for unreadable directories are reported as failures).
pub fn inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<(PathBuf, ReadError)>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for item in read::expand_paths(paths) {
        match item {
            Ok(p) => ok.push(Input::Path(p)),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// Extract one input.
pub fn extract_input(extractor: &Extractor, input: &Input) -> Result<Record, ExtractError> {
    match input {
        Input::Path(p) => extractor.extract_bytes(&input.source(), &read::read_bytes(p)?),
        Input::Bytes(name, bytes) => extractor.extract_bytes(name, bytes),
    }
}

/// Ingest inputs into the store. `on_error` hears about each failed input, `on_stored` about
/// each report written (durable when its batch is committed) or skipped, `on_written` sees the
/// quads of each report graph written. A store error stops the run (what was committed stays).
pub fn ingest(
    store: &Store,
    extractor: &Extractor,
    inputs: &[Input],
    options: &Options<'_>,
    mut on_error: impl FnMut(&str, &ExtractError),
    mut on_stored: impl FnMut(&Record, Outcome),
    mut on_written: impl FnMut(&[Quad]),
) -> Result<Summary, StoreError> {
    let started = Instant::now();
    store.put_static_graphs(extractor.gazetteer())?;
    let mut s = Summary::default();
    let mut writer = store.writer(options.derived);
    for batch in inputs.chunks(options.batch.max(1)) {
        for chunk in batch.chunks(CHUNK) {
            let results: Vec<Result<Record, ExtractError>> = chunk
                .par_iter()
                .map(|i| extract_input(extractor, i))
                .collect();
            let mut records = Vec::with_capacity(chunk.len());
            for (input, result) in chunk.iter().zip(results) {
                match result {
                    Ok(record) => records.push(record),
                    Err(e) => {
                        s.failed += 1;
                        on_error(&input.source(), &e);
                    }
                }
            }
            for (record, (outcome, quads)) in
                records.iter().zip(writer.put(&records, &mut on_written)?)
            {
                if outcome == Outcome::Unchanged {
                    s.skipped += 1;
                } else {
                    s.reports += 1;
                    s.replaced += usize::from(outcome == Outcome::Replaced);
                    s.triples += quads;
                    s.initiatives += record.initiatives.len();
                    s.metrics += record.metrics.len();
                }
                on_stored(record, outcome);
            }
        }
        writer.commit()?;
    }
    s.seconds = started.elapsed().as_secs_f64();
    Ok(s)
}
