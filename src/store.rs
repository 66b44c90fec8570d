//! Stage 5 — store: records into an embedded Oxigraph store on disk, one named graph per report.
//!
//! A new report graph is written by the bulk loader, whose commit ingests a whole batch atomically;
//! a changed file's graph is replaced in one transaction (old graph removed, new quads inserted).
//! Either way a crash leaves the previous state or the new one, never a part of a graph. An
//! unchanged report (same sha256) is skipped; a changed file replaces the graph of its source path.

use std::collections::HashSet;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator, Variable};
use oxigraph::store::LoaderError;

use crate::gazetteer::Gazetteer;
use crate::rdf;
use crate::record::Record;

/// Default store directory.
pub const DEFAULT_DIR: &str = "fazhi-store";

/// What can go wrong with the store.
#[derive(Debug)]
pub enum StoreError {
    /// Another process holds the store (RocksDB lock).
    Locked(PathBuf),
    /// The store could not be opened or written.
    Storage(String),
    /// A query or update could not be parsed.
    Syntax(String),
    /// A query could not be evaluated.
    Query(String),
    /// An update was refused or failed.
    Update(String),
    /// A result holds more rows (or triples) than allowed.
    TooMany(usize),
    /// RDF input could not be read.
    Load(String),
    /// Output could not be written.
    Io(std::io::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Locked(p) => write!(
                f,
                "the store {} is in use by another process (a running `fazhi serve` or ingest?): stop it, or work through its endpoint",
                p.display()
            ),
            StoreError::Storage(e) => write!(f, "store: {e}"),
            StoreError::Syntax(e) => write!(f, "SPARQL syntax: {e}"),
            StoreError::Query(e) => write!(f, "query: {e}"),
            StoreError::Update(e) => write!(f, "update: {e}"),
            StoreError::TooMany(limit) => write!(
                f,
                "the result has more than {limit} rows or triples: add a LIMIT or narrow the query"
            ),
            StoreError::Load(e) => write!(f, "load: {e}"),
            StoreError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<oxigraph::store::StorageError> for StoreError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        StoreError::Storage(e.to_string())
    }
}

impl From<oxigraph::store::SerializerError> for StoreError {
    fn from(e: oxigraph::store::SerializerError) -> Self {
        match e {
            oxigraph::store::SerializerError::Io(e) => StoreError::Io(e),
            other => StoreError::Storage(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}

/// What happened to one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new graph was written.
    Added,
    /// The graph of the same source was replaced.
    Replaced,
    /// A report with the same sha256 is already stored.
    Unchanged,
}

/// How to evaluate a query beyond its text.
#[derive(Clone, Default)]
pub struct QueryOptions {
    /// Graphs whose union is the default graph (empty: the union of all graphs).
    pub default_graphs: Vec<NamedNode>,
    /// Graphs available to GRAPH patterns (empty: all).
    pub named_graphs: Vec<NamedNode>,
    /// Cancels the evaluation (a timeout) when cancelled.
    pub cancel: Option<CancellationToken>,
}

/// The fazhi store.
pub struct Store {
    inner: oxigraph::store::Store,
}

/// The IRI naming a graph.
fn graph_node(graph: &str) -> Result<NamedNode, StoreError> {
    NamedNode::new(graph).map_err(|e| StoreError::Storage(format!("graph {graph}: {e}")))
}

/// Remove the sorted files of a bulk load that was killed before its commit (`bulk-*.sst` in
/// the store directory; RocksDB never knew of them). Safe once the store is open: its lock
/// keeps every other writer out.
fn remove_unfinished_loads(dir: &Path) -> Result<(), StoreError> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// What a batch will do with one report, decided before anything is written.
enum Plan {
    /// Its sha256 is stored already (or earlier in the batch).
    Unchanged,
    /// A new graph of this name.
    Add(NamedNode),
    /// This graph replaces the graphs of the same source (the file changed since).
    Replace(NamedNode, Vec<NamedOrBlankNode>),
}

/// What is written but not yet committed, so that later reports see earlier ones.
#[derive(Default)]
struct Batch {
    shas: HashSet<String>,
    graphs: HashSet<NamedNode>,
}

/// Quads handed to the bulk loader at a time: its threads sort and write them while the caller
/// goes on, and no more than this is held here.
const LOAD_STEP: usize = 100_000;

/// Writes batches of reports, each in its own graph ([`Store::writer`]). Replacements of
/// changed files are written at once, in one transaction per call that has any (a crash leaves
/// the previous graph or the new one; new graphs loaded before it are committed first). New
/// graphs go to one bulk loader that sorts them into files while extraction goes on; [`ReportWriter::commit`] ingests all of them in one atomic step (a crash
/// before it leaves none of them, and their sorted files are removed when the store is next
/// opened). One ingestion for many batches is what keeps the store from being compacted again
/// and again: per batch of 1,000 reports, 10^5 reports took 2.2 times Oxigraph's own bulk load.
/// The graphs named in `stale` hold facts derived from all reports: when any report is added or
/// replaced they are dropped first ([`Store::drop_graphs`]: their completion mark goes first),
/// so that a crash before they are recomputed leaves them incomplete, never marked and stale.
pub struct ReportWriter<'a> {
    store: &'a Store,
    stale: &'a [&'a str],
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    /// Written since the last commit: later reports see them though the store does not yet.
    pending: Batch,
}

impl ReportWriter<'_> {
    /// Write `records` (new graphs wait for [`ReportWriter::commit`]); `written` sees the quads
    /// of each graph written, whole. Returns what happened to each report and how many quads it
    /// has.
    pub fn put(
        &mut self,
        records: &[Record],
        mut written: impl FnMut(&[Quad]),
    ) -> Result<Vec<(Outcome, usize)>, StoreError> {
        let plans = records
            .iter()
            .map(|r| self.store.plan(r, &mut self.pending))
            .collect::<Result<Vec<_>, _>>()?;
        if plans.iter().all(|p| matches!(p, Plan::Unchanged)) {
            return Ok(vec![(Outcome::Unchanged, 0); records.len()]);
        }
        self.store.drop_graphs(self.stale)?;
        // Dropped for good: later calls have nothing stale left to drop.
        self.stale = &[];
        let mut sizes = vec![0; records.len()];
        if plans.iter().any(|p| matches!(p, Plan::Replace(..))) {
            self.replace(records, &plans, &mut sizes, &mut written)?;
        }
        let mut added = Vec::new();
        for (k, (record, plan)) in records.iter().zip(&plans).enumerate() {
            if let Plan::Add(report) = plan {
                let quads = rdf::record_quads(record, report);
                written(&quads);
                sizes[k] = quads.len();
                added.extend(quads);
                if added.len() >= LOAD_STEP {
                    self.load(std::mem::take(&mut added))?;
                }
            }
        }
        self.load(added)?;
        Ok(plans
            .iter()
            .zip(sizes)
            .map(|(plan, n)| match plan {
                Plan::Unchanged => (Outcome::Unchanged, 0),
                Plan::Add(_) => (Outcome::Added, n),
                Plan::Replace(..) => (Outcome::Replaced, n),
            })
            .collect())
    }

    /// Write the replacements among `plans` in one transaction (only then: a write, even an
    /// empty one, waits while the store compacts files just ingested). A memory store's bulk
    /// loader holds the store's write lock, so new graphs loaded so far are committed first.
    fn replace(
        &mut self,
        records: &[Record],
        plans: &[Plan],
        sizes: &mut [usize],
        written: &mut impl FnMut(&[Quad]),
    ) -> Result<(), StoreError> {
        if let Some(loader) = self.loader.take() {
            loader.commit()?;
        }
        let mut t = self.store.inner.start_transaction()?;
        for (k, (record, plan)) in records.iter().zip(plans).enumerate() {
            if let Plan::Replace(report, previous) = plan {
                for p in previous {
                    t.remove_named_graph(p)?;
                }
                t.remove_named_graph(report)?;
                let quads = rdf::record_quads(record, report);
                written(&quads);
                t.extend(&quads);
                sizes[k] = quads.len();
            }
        }
        t.commit()?;
        Ok(())
    }

    fn load(&mut self, quads: Vec<Quad>) -> Result<(), StoreError> {
        if quads.is_empty() {
            return Ok(());
        }
        let store = self.store;
        self.loader
            .get_or_insert_with(|| store.bulk_loader(BULK_MEMORY_MB))
            .load_quads(quads)?;
        Ok(())
    }

    /// Ingest every new graph written since the last commit, in one atomic step.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if let Some(loader) = self.loader.take() {
            loader.commit()?;
        }
        self.pending = Batch::default();
        Ok(())
    }
}

/// Quads removed per transaction when a graph is dropped.
pub const DROP_STEP: usize = 100_000;

/// The quad marking a graph written by [`Store::replace_graphs`] as complete.
fn completion_mark(graph: &str) -> Result<Quad, StoreError> {
    let name = graph_node(graph)?;
    Ok(Quad::new(
        name.clone(),
        rdf::fz("complete"),
        Literal::from(true),
        name,
    ))
}

/// Memory the bulk loader of reports may use for its sorted runs (megabytes, all threads).
/// Oxigraph reckons a kilobyte per quad; held to this, its batches, the threads sorting them and
/// their hash tables come to about as much again (the storing phase of ingest: 500 to 900 MB).
const BULK_MEMORY_MB: usize = 512;

/// Memory the bulk loader of [`Store::replace_graphs`] may use: the graphs it writes are small
/// beside the reports (the derived graph of 10^5 reports: 2.6 M quads, 2% of the store) and are
/// written on top of what the relink holds. At the reports' bound, loading the derived graph of
/// 10^5 reports took the relink from 718 MB to a peak of 1,261 MB.
const REPLACE_MEMORY_MB: usize = 128;

const DCT_SOURCE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/source");

impl Store {
    /// Open (or create) the on-disk store in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        match oxigraph::store::Store::open(dir) {
            Ok(inner) => {
                remove_unfinished_loads(dir)?;
                Ok(Store { inner })
            }
            Err(e) if e.to_string().to_lowercase().contains("lock") => {
                Err(StoreError::Locked(dir.to_path_buf()))
            }
            Err(e) => Err(StoreError::Storage(format!("{}: {e}", dir.display()))),
        }
    }

    /// Open a store that must already exist (for queries and dumps). The store is held
    /// exclusively: RocksDB gives no safe read-only view of a store another process writes.
    pub fn open_existing(dir: &Path) -> Result<Store, StoreError> {
        if !dir.join("CURRENT").exists() {
            return Err(StoreError::Storage(format!(
                "{}: no fazhi store here (run `fazhi ingest` first)",
                dir.display()
            )));
        }
        Store::open(dir)
    }

    /// A throw-away in-memory store.
    pub fn memory() -> Result<Store, StoreError> {
        Ok(Store {
            inner: oxigraph::store::Store::new()?,
        })
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.inner.len()?)
    }

    /// Whether the store holds no quads.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.inner.is_empty()?)
    }

    /// Write the ontology and the gazetteer into their own graphs (replacing what was there).
    pub fn put_static_graphs(&self, gazetteer: &Gazetteer) -> Result<(), StoreError> {
        let ontology: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
            .with_default_graph(NamedNode::new_unchecked(rdf::ONTOLOGY_GRAPH))
            .for_slice(rdf::ONTOLOGY_TTL.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Load(format!("ontology/fazhi.ttl: {e}")))?;
        self.replace_graphs(
            &[rdf::ONTOLOGY_GRAPH, rdf::GAZETTEER_GRAPH],
            ontology.into_iter().chain(rdf::gazetteer_quads(gazetteer)),
        )?;
        Ok(())
    }

    /// Store reports, each in its own graph, in one atomic write ([`ReportWriter`] committed at
    /// once). Returns what happened to each report.
    pub fn put_reports(
        &self,
        records: &[Record],
        stale: &[&str],
    ) -> Result<Vec<(Outcome, usize)>, StoreError> {
        let mut writer = self.writer(stale);
        let outcomes = writer.put(records, |_| {})?;
        writer.commit()?;
        Ok(outcomes)
    }

    /// A writer of report graphs; `stale` names the graphs derived from all reports, dropped
    /// before the first change is written.
    pub fn writer<'a>(&'a self, stale: &'a [&'a str]) -> ReportWriter<'a> {
        ReportWriter {
            store: self,
            stale,
            loader: None,
            pending: Batch::default(),
        }
    }

    /// Decide what to do with a report: skip it (same sha256), replace the graphs of its source,
    /// or add it under its own name (disambiguated when another file reports on the same unit
    /// and year).
    fn plan(&self, record: &Record, batch: &mut Batch) -> Result<Plan, StoreError> {
        let sha = Literal::new_simple_literal(&record.sha256);
        let stored = self
            .inner
            .quads_for_pattern(
                None,
                Some(rdf::fz("sha256").as_ref()),
                Some(sha.as_ref().into()),
                None,
            )
            .next()
            .is_some();
        if !batch.shas.insert(record.sha256.clone()) || stored {
            return Ok(Plan::Unchanged);
        }
        let source = Literal::new_simple_literal(&record.source);
        let previous: Vec<NamedOrBlankNode> = self
            .inner
            .quads_for_pattern(None, Some(DCT_SOURCE), Some(source.as_ref().into()), None)
            .filter_map(Result::ok)
            .filter_map(|q| match q.graph_name {
                oxigraph::model::GraphName::NamedNode(n) => Some(n.into()),
                _ => None,
            })
            .collect();
        let mut report = rdf::report_iri(record, false);
        let taken = batch.graphs.contains(&report) || self.inner.contains_named_graph(&report)?;
        if taken && !previous.iter().any(|p| p == &report.clone().into()) {
            // Another file reports on the same unit and year: keep both.
            report = rdf::report_iri(record, true);
        }
        batch.graphs.insert(report.clone());
        Ok(if previous.is_empty() {
            Plan::Add(report)
        } else {
            Plan::Replace(report, previous)
        })
    }

    /// The object of the first `<subject> <predicate> ?o` in any graph: one index lookup, where a
    /// query would join every copy of a description that each report graph repeats.
    pub fn first_object(&self, subject: &str, predicate: &str) -> Result<Option<Term>, StoreError> {
        let s =
            NamedNodeRef::new(subject).map_err(|e| StoreError::Query(format!("{subject}: {e}")))?;
        let p = NamedNodeRef::new(predicate)
            .map_err(|e| StoreError::Query(format!("{predicate}: {e}")))?;
        let first = self
            .inner
            .quads_for_pattern(Some(s.into()), Some(p), None, None)
            .next();
        Ok(first.transpose()?.map(|q| q.object))
    }

    /// Oxigraph's bulk loader, held to `megabytes`.
    fn bulk_loader(&self, megabytes: usize) -> oxigraph::store::BulkLoader<'_> {
        self.inner
            .bulk_loader()
            .with_max_memory_size_in_megabytes(megabytes)
    }

    /// Replace named graphs by `quads` (which carry those names): the old graphs are dropped
    /// ([`Store::drop_graphs`]), then the new quads, taken from the iterator as the bulk loader
    /// goes (never all held at once), and each graph's completion mark are bulk-loaded in one
    /// atomic commit. A crash in between leaves a graph incomplete (unmarked, see
    /// [`Store::is_complete`]), never marked and partial: ingest rewrites the static graphs
    /// every run and recomputes an incomplete derived graph. Returns the quads written (without
    /// the marks).
    pub fn replace_graphs(
        &self,
        graphs: &[&str],
        quads: impl IntoIterator<Item = Quad>,
    ) -> Result<usize, StoreError> {
        self.drop_graphs(graphs)?;
        let marks = graphs
            .iter()
            .map(|g| completion_mark(g))
            .collect::<Result<Vec<_>, _>>()?;
        let mut count = 0;
        let mut loader = self.bulk_loader(REPLACE_MEMORY_MB);
        loader.load_quads(quads.into_iter().inspect(|_| count += 1).chain(marks))?;
        loader.commit()?;
        Ok(count)
    }

    /// Drop named graphs [`DROP_STEP`] quads at a time, each step a transaction; the first takes
    /// their completion marks, the last their names. Graphs smaller than a step go in one
    /// transaction (whole or not at all); a larger one is incomplete from its first step on.
    /// One transaction for a whole graph of millions of quads (the derived graph of a national
    /// store) held them all in RocksDB's memtable: 6.5 GB and minutes at 10^5 reports. The quads
    /// are listed by one scan, which sees them as they were when it began: scanning again for
    /// each step walked past every delete already made (3.2 min instead of 2.1 to relink a
    /// national store).
    pub fn drop_graphs(&self, graphs: &[&str]) -> Result<(), StoreError> {
        let names = graphs
            .iter()
            .map(|g| graph_node(g))
            .collect::<Result<Vec<_>, _>>()?;
        let marks = graphs
            .iter()
            .map(|g| completion_mark(g))
            .collect::<Result<Vec<_>, _>>()?;
        let mut first = true;
        let mut quads = names.iter().flat_map(|name| {
            self.inner
                .quads_for_pattern(None, None, None, Some(name.as_ref().into()))
        });
        loop {
            let step = quads
                .by_ref()
                .take(DROP_STEP)
                .collect::<Result<Vec<_>, _>>()?;
            let last = step.len() < DROP_STEP;
            if first && step.is_empty() && !self.names_any(&names)? {
                // Nothing to drop: no write, which would wait while the store compacts files
                // just ingested (20 s after one commit of 10^4 reports).
                return Ok(());
            }
            let mut t = self.inner.start_transaction()?;
            if first {
                for mark in &marks {
                    t.remove(mark);
                }
            }
            for quad in &step {
                t.remove(quad);
            }
            if last {
                for name in &names {
                    t.remove_named_graph(name)?;
                }
            }
            t.commit()?;
            if last {
                return Ok(());
            }
            // Written out before the next step, so that the memtables never hold more deletes
            // than one step's (they held 1.5 GB of them dropping the derived graph of 10^5
            // reports).
            self.inner.flush()?;
            first = false;
        }
    }

    /// Whether any of `names` is a named graph of the store.
    fn names_any(&self, names: &[NamedNode]) -> Result<bool, StoreError> {
        for name in names {
            if self.inner.contains_named_graph(name)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Compact every index (Oxigraph's `optimize`). After a large ingest RocksDB compacts the
    /// freshly ingested files in the background, and until it has, each read looks through all
    /// of them: at 10^5 reports, per-unit queries took 0.5 s instead of milliseconds.
    pub fn compact(&self) -> Result<(), StoreError> {
        Ok(self.inner.optimize()?)
    }

    /// Whether any graph holds a report (`?r a fz:Report`).
    pub fn has_reports(&self) -> Result<bool, StoreError> {
        let report = rdf::fz("Report");
        let first = self
            .inner
            .quads_for_pattern(
                None,
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some(report.as_ref().into()),
                None,
            )
            .next();
        Ok(first.transpose()?.is_some())
    }

    /// Whether a graph written by [`Store::replace_graphs`] is there whole (holds its completion
    /// mark `<graph> fz:complete true`).
    pub fn is_complete(&self, graph: &str) -> Result<bool, StoreError> {
        Ok(self.inner.contains(&completion_mark(graph)?)?)
    }

    /// Evaluate a SPARQL query over the union of all graphs, with variables bound beforehand.
    pub fn query(
        &self,
        sparql: &str,
        bindings: &[(String, Term)],
    ) -> Result<QueryResults<'static>, StoreError> {
        self.query_with(sparql, bindings, &QueryOptions::default())
    }

    /// Evaluate a SPARQL query with a dataset (default: the union of all graphs) and an optional
    /// cancellation token; results are lazy, so cancelling stops them mid-stream.
    pub fn query_with(
        &self,
        sparql: &str,
        bindings: &[(String, Term)],
        options: &QueryOptions,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut evaluator = SparqlEvaluator::new();
        if let Some(token) = &options.cancel {
            evaluator = evaluator.with_cancellation_token(token.clone());
        }
        let mut query = spargebra::SparqlParser::new()
            .parse_query(sparql)
            .map_err(|e| StoreError::Syntax(e.to_string()))?;
        let mut joined = Vec::new();
        let mut rest = Vec::new();
        for (name, value) in bindings {
            let var =
                Variable::new(name).map_err(|e| StoreError::Query(format!("?{name}: {e}")))?;
            match ground(value) {
                Some(term) => joined.push((var, term)),
                None => rest.push((var, value.clone())),
            }
        }
        join_values(&mut query, joined);
        let mut prepared = evaluator.for_query(query);
        // A dataset named in the request (SPARQL protocol) wins over one in the query text.
        let dataset = prepared.dataset_mut();
        if !options.default_graphs.is_empty() {
            dataset.set_default_graph(
                options
                    .default_graphs
                    .iter()
                    .map(|g| g.clone().into())
                    .collect(),
            );
        } else if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        if !options.named_graphs.is_empty() {
            dataset.set_available_named_graphs(
                options
                    .named_graphs
                    .iter()
                    .map(|g| g.clone().into())
                    .collect(),
            );
        }
        for (var, value) in rest {
            prepared = prepared.substitute_variable(var, value);
        }
        prepared
            .on_store(&self.inner)
            .execute()
            .map_err(|e| StoreError::Query(e.to_string()))
    }

    /// Apply a SPARQL update in one transaction.
    pub fn update(&self, sparql: &str) -> Result<(), StoreError> {
        SparqlEvaluator::new()
            .parse_update(sparql)
            .map_err(|e| StoreError::Syntax(e.to_string()))?
            .on_store(&self.inner)
            .execute()
            .map_err(|e| StoreError::Update(e.to_string()))
    }

    /// The named graphs of the store, sorted.
    pub fn graph_names(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut names = Vec::new();
        for g in self.inner.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                names.push(n);
            }
        }
        names.sort();
        Ok(names)
    }

    /// Write the store (or one graph) in an RDF format.
    pub fn dump(
        &self,
        out: impl Write,
        format: RdfFormat,
        graph: Option<&str>,
    ) -> Result<(), StoreError> {
        let serializer = rdf::serializer(format);
        match graph {
            Some(g) => {
                let name =
                    NamedNode::new(g).map_err(|e| StoreError::Query(format!("graph {g}: {e}")))?;
                if !self.inner.contains_named_graph(&name)? {
                    return Err(StoreError::Query(format!("no graph {g} in the store")));
                }
                self.inner.dump_graph_to_writer(
                    GraphNameRef::NamedNode(name.as_ref()),
                    serializer,
                    out,
                )?;
            }
            None if !format.supports_datasets() => {
                return Err(StoreError::Query(format!(
                    "{} holds one graph: name it with --graph IRI, or dump the dataset as nquads or trig",
                    format.name()
                )));
            }
            None => {
                self.inner.dump_to_writer(serializer, out)?;
            }
        }
        Ok(())
    }

    /// Load an RDF file (format from its extension) with the bulk loader; returns the quads
    /// read (one already stored counts too). Counted as they are parsed: counting the store
    /// before and after scanned all of it (60 M quads at 10^5 reports).
    pub fn load(&self, path: &Path) -> Result<usize, StoreError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        let format = RdfFormat::from_extension(ext).ok_or_else(|| {
            StoreError::Load(format!(
                "{}: unknown RDF format (.nq .trig .ttl .nt .rdf .jsonld)",
                path.display()
            ))
        })?;
        let file = std::fs::File::open(path)
            .map_err(|e| StoreError::Load(format!("{}: {e}", path.display())))?;
        let mut read = 0;
        let quads = RdfParser::from_format(format)
            .rename_blank_nodes()
            .for_reader(std::io::BufReader::new(file))
            .inspect(|q| read += usize::from(q.is_ok()));
        let mut loader = self.inner.bulk_loader();
        loader
            .load_ok_quads::<_, LoaderError>(quads)
            .map_err(|e| StoreError::Load(format!("{}: {e}", path.display())))?;
        loader.commit()?;
        Ok(read)
    }
}

/// A term VALUES can hold (not a blank node).
fn ground(value: &Term) -> Option<spargebra::term::GroundTerm> {
    use spargebra::term::GroundTerm;
    match value {
        Term::NamedNode(n) => Some(GroundTerm::NamedNode(n.clone())),
        Term::Literal(l) => Some(GroundTerm::Literal(l.clone())),
        _ => None,
    }
}

/// Bind variables by joining one one-row VALUES holding all of them into the query, below its
/// modifiers (DISTINCT, ORDER BY, projection, grouping, filters): the optimiser then plans the
/// joins starting from the bound values. Oxigraph's own substitution binds them after planning,
/// so a query bound to one unit was planned for all of them (11.8 s instead of 0.4 s for
/// unit-metrics on 1,000 reports); and one VALUES per variable was joined last when it shared
/// no variable with the first (the planner grows joins along shared variables).
fn join_values(query: &mut spargebra::Query, bound: Vec<(Variable, spargebra::term::GroundTerm)>) {
    if bound.is_empty() {
        return;
    }
    let (variables, row): (Vec<Variable>, Vec<_>) =
        bound.into_iter().map(|(v, t)| (v, Some(t))).unzip();
    let pattern = match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => pattern,
    };
    let values = spargebra::algebra::GraphPattern::Values {
        variables,
        bindings: vec![row],
    };
    join_below_modifiers(pattern, values);
}

/// Whether every variable of a VALUES is in scope of `pattern` (joining it there or above
/// then gives the same solutions).
fn all_in_scope(
    pattern: &spargebra::algebra::GraphPattern,
    values: &spargebra::algebra::GraphPattern,
) -> bool {
    let spargebra::algebra::GraphPattern::Values { variables, .. } = values else {
        return false;
    };
    let mut in_scope = std::collections::HashSet::new();
    pattern.on_in_scope_variable(|v| {
        in_scope.insert(v);
    });
    variables.iter().all(|v| in_scope.contains(v))
}

/// Whether a GRAPH pattern's name is one of the bound variables (then the values stay outside).
fn names_bound_graph(
    name: &spargebra::term::NamedNodePattern,
    binds: &impl Fn(&Variable) -> bool,
) -> bool {
    matches!(name, spargebra::term::NamedNodePattern::Variable(v) if binds(v))
}

fn join_below_modifiers(
    pattern: &mut spargebra::algebra::GraphPattern,
    values: spargebra::algebra::GraphPattern,
) {
    use spargebra::algebra::GraphPattern as P;
    let binds = |v: &Variable| match &values {
        P::Values { variables, .. } => variables.contains(v),
        _ => false,
    };
    match pattern {
        P::Distinct { inner }
        | P::Reduced { inner }
        | P::Slice { inner, .. }
        | P::OrderBy { inner, .. }
        | P::Project { inner, .. }
        | P::Group { inner, .. }
        | P::Filter { inner, .. } => join_below_modifiers(inner, values),
        P::Extend {
            inner, variable, ..
        } if !binds(variable) => join_below_modifiers(inner, values),
        // Inside GRAPH and into the required side of OPTIONAL, so that the planner orders the
        // report graph's patterns knowing the values (it plans each group on its own).
        P::Graph { name, inner } if !names_bound_graph(name, &binds) => {
            join_below_modifiers(inner, values)
        }
        P::LeftJoin { left, .. } if all_in_scope(left, &values) => {
            join_below_modifiers(left, values)
        }
        core => {
            let inner = std::mem::replace(
                core,
                P::Bgp {
                    patterns: Vec::new(),
                },
            );
            *core = P::Join {
                left: Box::new(values),
                right: Box::new(inner),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_values_select_as_substitution_does_through_modifiers() {
        let store = Store::memory().unwrap();
        store
            .update(
                "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> \"x\" . <urn:b> <urn:p> \"y\" . <urn:c> <urn:p> \"y\" } }",
            )
            .unwrap();
        let subjects = |sparql: &str, value: &str| -> Vec<String> {
            let bound = [(
                "o".to_string(),
                Term::from(Literal::new_simple_literal(value)),
            )];
            match store.query(sparql, &bound).unwrap() {
                QueryResults::Solutions(rows) => rows
                    .map(|r| r.unwrap().get("s").unwrap().to_string())
                    .collect(),
                _ => panic!("not a SELECT"),
            }
        };
        let distinct = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s <urn:p> ?o } } ORDER BY DESC(?s)";
        assert_eq!(subjects(distinct, "y"), vec!["<urn:c>", "<urn:b>"]);
        let grouped = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o } GROUP BY ?s ORDER BY ?s";
        assert_eq!(subjects(grouped, "x"), vec!["<urn:a>"]);
    }

    #[test]
    fn values_joined_inside_graph_and_optional_give_the_solutions_of_values_at_the_top() {
        let store = Store::memory().unwrap();
        store
            .update(
                "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> \"x\" ; <urn:q> \"1\" . <urn:b> <urn:p> \"y\" } }",
            )
            .unwrap();
        let rows = |sparql: &str, bound: &[(String, Term)]| -> Vec<String> {
            match store.query(sparql, bound).unwrap() {
                QueryResults::Solutions(rows) => rows
                    .map(|r| {
                        let r = r.unwrap();
                        format!("{:?} {:?}", r.get("s"), r.get("n"))
                    })
                    .collect(),
                _ => panic!("not a SELECT"),
            }
        };
        let query = |values: &str| {
            format!(
                "SELECT ?s ?n WHERE {{ {values} GRAPH ?g {{ ?s <urn:p> ?o OPTIONAL {{ ?s <urn:q> ?n }} }} }} ORDER BY ?s"
            )
        };
        // ?o in the required part (joined inside the graph), ?n only in the optional one (kept
        // outside: a row whose ?n differs is dropped, not merely left without ?n).
        for bound in [
            vec![("o", "x")],
            vec![("o", "x"), ("n", "2")],
            vec![("n", "1")],
        ] {
            let terms: Vec<(String, Term)> = bound
                .iter()
                .map(|(v, x)| (v.to_string(), Literal::new_simple_literal(*x).into()))
                .collect();
            let (vars, vals): (Vec<String>, Vec<String>) = bound
                .iter()
                .map(|(v, x)| (format!("?{v}"), format!("\"{x}\"")))
                .unzip();
            let written = query(&format!(
                "VALUES ({}) {{ ({}) }}",
                vars.join(" "),
                vals.join(" ")
            ));
            let expected = rows(&written, &[]);
            assert!(!expected.is_empty() || bound.len() == 2, "{bound:?}");
            assert_eq!(rows(&query(""), &terms), expected, "{bound:?}");
        }
    }
}
