//! The `fazhi` command line.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

use fazhi::gazetteer::Gazetteer;
use fazhi::ingest::{self, Input};
use fazhi::query;
use fazhi::store::{self, Store};
use fazhi::{Extractor, eval, export, link, read, sample};

/// mimalloc: extraction allocates many small strings per fact (BENCHMARKS.md, extraction profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "fazhi",
    version,
    about = "法治政府建设年度报告 → structured records → knowledge graph"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract records from report files (.txt, .html), directories or stdin (-).
    Extract {
        /// Files or directories; `-` reads standard input. None: the bundled sample reports.
        paths: Vec<PathBuf>,
        /// Output: one JSON array, one record per line, or a readable summary.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Extra gazetteer files (same format as ontology/gazetteer.tsv).
        #[arg(long)]
        gazetteer: Vec<PathBuf>,
    },
    /// Extract reports and store them as RDF, one named graph per report.
    Ingest {
        /// Files or directories. None: the bundled sample reports.
        paths: Vec<PathBuf>,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
        /// Use a throw-away in-memory store instead.
        #[arg(long)]
        memory: bool,
        /// Extra gazetteer files.
        #[arg(long)]
        gazetteer: Vec<PathBuf>,
        /// Reports per batch (written in one atomic step): a crash loses at most this many.
        #[arg(long, default_value_t = NonZeroUsize::new(ingest::BATCH).expect("positive"))]
        batch: NonZeroUsize,
    },
    /// Run a named query, a .rq file, or SPARQL given with -e.
    Query {
        /// A named query (see `fazhi queries`) or a .rq file.
        query: Option<String>,
        /// SPARQL text.
        #[arg(short = 'e', long = "expr", conflicts_with = "query")]
        expr: Option<String>,
        /// Bind a variable before evaluation: NAME=VALUE (repeatable).
        #[arg(long = "bind")]
        bind: Vec<String>,
        /// Result format.
        #[arg(long, value_enum, default_value_t = ResultFormat::Table)]
        format: ResultFormat,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// List the named queries.
    Queries,
    /// Write the store (or one graph) as RDF to stdout.
    Dump {
        /// RDF format.
        #[arg(long, value_enum, default_value_t = DumpFormat::Nquads)]
        format: DumpFormat,
        /// Only this named graph.
        #[arg(long)]
        graph: Option<String>,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Load RDF files (.nq .trig .ttl .nt .rdf .jsonld) into the store.
    Load {
        /// RDF files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Trace an initiative: every unit naming it, where, in which years, with metrics and evidence.
    Trace {
        /// Label, gazetteer alias, or a form as written in a report.
        initiative: String,
        /// Adopters listed, earliest first (0: all; beyond 20 a widely shared initiative is read
        /// from every report naming it, seconds on a national store).
        #[arg(long, default_value_t = link::trace::DEFAULT_LIMIT)]
        limit: usize,
        /// Output.
        #[arg(long, value_enum, default_value_t = Shape::Table)]
        format: Shape,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Initiatives ranked by how many units share them, with their earliest units (up to 20).
    Shared {
        /// Only initiatives named by at least this many units.
        #[arg(long, default_value_t = 2)]
        min_units: usize,
        /// Output.
        #[arg(long, value_enum, default_value_t = Shape::Table)]
        format: Shape,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// The shortest chain of shared initiatives between two units.
    Path {
        /// First unit (name, part of a name, or IRI).
        from: String,
        /// Second unit.
        to: String,
        /// Output.
        #[arg(long, value_enum, default_value_t = Shape::Table)]
        format: Shape,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Units and initiatives by degree and PageRank; connected components.
    Rank {
        /// Rows shown per kind (table output).
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Output.
        #[arg(long, value_enum, default_value_t = Shape::Table)]
        format: Shape,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Candidate merges of initiative labels, for a person to confirm into the gazetteer.
    Aliases {
        /// Output; `gazetteer` prints lines to append to a gazetteer file.
        #[arg(long, value_enum, default_value_t = AliasShape::Table)]
        format: AliasShape,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Recompute the derived facts (units sharing initiatives) into their named graph.
    Link {
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Compact the store now (after a large ingest, until the background compaction is done,
    /// queries are slower).
    Compact {
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Export the graph for Gephi, Cytoscape, yEd, Graphviz or a browser.
    Export {
        /// Export format.
        #[arg(long, value_parser = named(export::Format::NAMED.map(|(n, _)| n), export::Format::from_name))]
        format: export::Format,
        /// Which graph: units and initiatives (bipartite), the unit projection (units), the
        /// initiative projection (initiatives), or everything with regions, years and documents (all).
        #[arg(long, default_value = "bipartite", value_parser = named(export::VIEWS.map(|(n, _)| n), export::view_from_name))]
        what: link::View,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Serve the store over HTTP: SPARQL 1.1 Protocol at /query and /update, a query page at /.
    Serve {
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
        /// Address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: String,
        /// Accept SPARQL Update at /update (refused by default).
        #[arg(long)]
        allow_update: bool,
        /// With --allow-update, accept updates on a non-loopback address too.
        #[arg(long, requires = "allow_update")]
        allow_remote_update: bool,
        /// Seconds a query may run before it is cancelled.
        #[arg(long, default_value_t = 30.0)]
        timeout: f64,
        /// Most rows (or triples) one response may hold.
        #[arg(long, default_value_t = 100_000)]
        max_results: usize,
        /// Largest request body, in bytes.
        #[arg(long, default_value_t = 1 << 20)]
        max_body: usize,
        /// Requests served at once.
        #[arg(long, default_value_t = 8)]
        threads: usize,
    },
    /// Send every named graph to another triple store (SPARQL 1.1 Graph Store Protocol, PUT per graph).
    Push {
        /// The server's SPARQL query endpoint (its Graph Store address is derived for Oxigraph,
        /// Fuseki, Virtuoso and GraphDB).
        #[arg(long)]
        endpoint: String,
        /// The Graph Store Protocol address, when it cannot be derived from --endpoint.
        #[arg(long)]
        graph_store: Option<String>,
        /// Afterwards, ask the endpoint how many triples each graph holds and compare.
        #[arg(long)]
        verify: bool,
        /// Store directory.
        #[arg(long, default_value = store::DEFAULT_DIR)]
        store: PathBuf,
    },
    /// Score records against gold annotations (same rules as the project scorer).
    Eval {
        /// Folder of gold annotation files.
        #[arg(long)]
        gold: PathBuf,
        /// Folder of the report texts the gold names.
        #[arg(long)]
        texts: PathBuf,
        /// Records: a JSON array, JSON lines, or a folder of .json files.
        pred: PathBuf,
        /// List misses and false positives per report.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Write a synthetic corpus: realistic reports (OUT/reports/) and the record each should
    /// extract to (OUT/expected.jsonl). The same seed gives the same corpus.
    Synth {
        /// Number of reports.
        #[arg(long, default_value_t = 1000)]
        reports: usize,
        /// Corpus seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory (created; must not hold a corpus already).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Jsonl,
    Summary,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Shape {
    Table,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum AliasShape {
    Table,
    Json,
    Gazetteer,
}

#[derive(Clone, Copy, ValueEnum)]
enum ResultFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

#[derive(Clone, Copy, ValueEnum)]
enum DumpFormat {
    Nquads,
    Trig,
    Turtle,
    Ntriples,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Extract {
            paths,
            format,
            gazetteer,
        } => extract(&paths, format, &gazetteer),
        Command::Ingest {
            paths,
            store,
            memory,
            gazetteer,
            batch,
        } => run_ingest(&paths, &store, memory, &gazetteer, batch),
        Command::Query {
            query,
            expr,
            bind,
            format,
            store,
        } => run_query(query.as_deref(), expr.as_deref(), &bind, format, &store),
        Command::Queries => {
            for q in query::NAMED {
                println!("{:<22} {}", q.name, q.description());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Dump {
            format,
            graph,
            store,
        } => dump(format, graph.as_deref(), &store),
        Command::Load { files, store } => load(&files, &store),
        Command::Trace {
            initiative,
            limit,
            format,
            store,
        } => trace(&initiative, limit, format, &store),
        Command::Shared {
            min_units,
            format,
            store,
        } => shared(min_units, format, &store),
        Command::Path {
            from,
            to,
            format,
            store,
        } => path(&from, &to, format, &store),
        Command::Rank { top, format, store } => rank(top, format, &store),
        Command::Aliases { format, store } => aliases(format, &store),
        Command::Link { store } => relink(&store),
        Command::Compact { store } => compact(&store),
        Command::Export {
            format,
            what,
            output,
            store,
        } => export(format, what, output.as_deref(), &store),
        Command::Serve {
            store,
            bind,
            allow_update,
            allow_remote_update,
            timeout,
            max_results,
            max_body,
            threads,
        } => serve(
            &store,
            fazhi::serve::Config {
                bind,
                allow_update,
                allow_remote_update,
                timeout: std::time::Duration::from_secs_f64(timeout.max(0.001)),
                max_results,
                max_body,
                threads,
            },
        ),
        Command::Push {
            endpoint,
            graph_store,
            verify,
            store,
        } => push(&endpoint, graph_store.as_deref(), verify, &store),
        Command::Eval {
            gold,
            texts,
            pred,
            verbose,
        } => evaluate(&gold, &texts, &pred, verbose),
        Command::Synth { reports, seed, out } => synth(reports, seed, &out),
    };
    result.unwrap_or_else(|e| {
        eprintln!("fazhi: {e}");
        ExitCode::from(2)
    })
}

fn synth(reports: usize, seed: u64, out: &Path) -> Result<ExitCode, String> {
    if out.join("expected.jsonl").exists() || out.join("reports").exists() {
        return Err(format!(
            "{} already holds a corpus: choose an empty directory",
            out.display()
        ));
    }
    let bar = progress_bar(reports as u64, "written");
    let written = fazhi::synth::write_corpus(out, reports, seed, &Gazetteer::bundled(), |n| {
        bar.set_position(n as u64)
    })
    .map_err(|e| format!("{}: {e}", out.display()))?;
    bar.finish_and_clear();
    println!(
        "{} reports, {:.1} MB, in {} (expected records: {})",
        written.reports,
        written.bytes as f64 / 1e6,
        out.join("reports").display(),
        out.join("expected.jsonl").display()
    );
    Ok(ExitCode::SUCCESS)
}

/// A progress bar over `len` reports on a terminal (hidden otherwise, so logs stay clean).
fn progress_bar(len: u64, doing: &str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(len);
    b.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} reports {doing} {{per_sec}} eta {{eta}}"
        ))
        .expect("progress template"),
    );
    b
}

fn load_gazetteer(extra: &[PathBuf]) -> Result<Gazetteer, String> {
    let mut g = Gazetteer::bundled();
    for path in extra {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        g.extend(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(g)
}

/// The inputs named on the command line, or the bundled sample when there are none.
fn inputs_or_sample(paths: &[PathBuf]) -> (Vec<Input>, Vec<(PathBuf, read::ReadError)>) {
    if paths.is_empty() {
        (
            sample::REPORTS
                .iter()
                .map(|(n, b)| Input::Bytes(n, b))
                .collect(),
            Vec::new(),
        )
    } else {
        ingest::inputs(paths)
    }
}

/// Extract every input; a file that fails is reported on stderr and the others still go out.
fn extract(paths: &[PathBuf], format: Format, gazetteer: &[PathBuf]) -> Result<ExitCode, String> {
    let extractor = Extractor::new(load_gazetteer(gazetteer)?);
    let (inputs, bad) = inputs_or_sample(paths);
    // Inputs that failed or were read only with repairs: the exit status says so.
    let mut troubled = bad.len();
    for (p, e) in &bad {
        eprintln!("fazhi: {}: {e}", p.display());
    }
    let mut records = Vec::new();
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| e.to_string();
    for input in &inputs {
        let record = match ingest::extract_input(&extractor, input) {
            Ok(record) => record,
            Err(e) => {
                troubled += 1;
                eprintln!("fazhi: {}: {e}", input.source());
                continue;
            }
        };
        troubled += usize::from(print_warnings(&record));
        match format {
            Format::Jsonl => writeln!(
                out,
                "{}",
                serde_json::to_string(&record).map_err(|e| e.to_string())?
            )
            .map_err(io)?,
            Format::Json => records.push(record),
            Format::Summary => writeln!(out, "{}", summary(&record)).map_err(io)?,
        }
    }
    if let Format::Json = format {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&records).map_err(|e| e.to_string())?
        )
        .map_err(io)?;
    }
    Ok(if troubled > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Print a record's warnings to stderr, one line each; whether there were any.
fn print_warnings(r: &fazhi::Record) -> bool {
    for w in &r.warnings {
        eprintln!("fazhi: {}: warning: {w}", r.source);
    }
    !r.warnings.is_empty()
}

/// A few readable lines about one record.
fn summary(r: &fazhi::Record) -> String {
    let year = r.year.map_or("?".to_string(), |y| y.to_string());
    let shown: Vec<String> = r
        .initiatives
        .iter()
        .take(12)
        .map(|i| {
            let n = r
                .metrics
                .iter()
                .filter(|m| m.initiative.as_deref() == Some(&i.label))
                .count();
            if n > 0 {
                format!("{} ({n} metrics)", i.label)
            } else {
                i.label.clone()
            }
        })
        .collect();
    let more = r.initiatives.len().saturating_sub(shown.len());
    let sample: Vec<String> = r
        .metrics
        .iter()
        .take(5)
        .map(|m| format!("{} {}", m.label, m.raw))
        .collect();
    format!(
        "{}\n  unit      {} ({}) in {}\n  year      {}  published {}\n  sections  {}\n  found     {} initiatives, {} metrics, {} documents\n  initiatives {}{}\n  metrics   {} …\n",
        r.source,
        r.unit.name,
        r.unit.kind,
        if r.unit.region.is_empty() {
            "?".to_string()
        } else {
            r.unit.region.join(" › ")
        },
        year,
        r.published.as_deref().unwrap_or("?"),
        r.sections
            .iter()
            .map(|s| format!("{}[{}]", s.title, s.kind))
            .collect::<Vec<_>>()
            .join(" / "),
        r.initiatives.len(),
        r.metrics.len(),
        r.documents.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        },
        sample.join("; "),
    )
}

fn open_store(dir: &Path) -> Result<Store, String> {
    Store::open(dir).map_err(|e| e.to_string())
}

/// A store that must already exist (every command but ingest and load).
fn open_existing(dir: &Path) -> Result<Store, String> {
    Store::open_existing(dir).map_err(|e| e.to_string())
}

fn run_ingest(
    paths: &[PathBuf],
    dir: &Path,
    memory: bool,
    gazetteer: &[PathBuf],
    batch: NonZeroUsize,
) -> Result<ExitCode, String> {
    let extractor = Extractor::new(load_gazetteer(gazetteer)?);
    let store = if memory {
        Store::memory().map_err(|e| e.to_string())?
    } else {
        open_store(dir)?
    };
    let (inputs, bad) = inputs_or_sample(paths);
    for (p, e) in &bad {
        eprintln!("fazhi: {}: {e}", p.display());
    }
    let bar = progress_bar(inputs.len() as u64, "stored");
    let mut warned = 0;
    // Into an empty store, what relink needs is taken from the quads as they are written rather
    // than read back from files the store has not compacted yet.
    let mut written = (!store.has_reports().map_err(|e| e.to_string())?)
        .then(link::descriptions::Descriptions::default);
    // A small corpus (the sample) is listed report by report; a large one gets the bar only.
    let list = inputs.len() <= 20;
    let summary = ingest::ingest(
        &store,
        &extractor,
        &inputs,
        &ingest::Options {
            batch: batch.get(),
            derived: &[link::derived::DERIVED_GRAPH],
        },
        |source, e| bar.suspend(|| eprintln!("fazhi: {source}: {e}")),
        |r, outcome| {
            bar.inc(1);
            if bar.suspend(|| print_warnings(r)) {
                warned += 1;
            }
            if list {
                bar.suspend(|| println!("{}", report_line(r, outcome)));
            }
        },
        |quads| {
            if let Some(described) = &mut written {
                described.observe(quads);
            }
        },
    )
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    // Incomplete after a run that was killed between storing reports and relinking: recompute it.
    let stale = !store
        .is_complete(link::derived::DERIVED_GRAPH)
        .map_err(|e| e.to_string())?;
    if summary.reports > 0 || stale {
        // A replacement (a source changed during the run) would leave its old graph described.
        let written = written.filter(|_| summary.replaced == 0);
        let started = std::time::Instant::now();
        let derived = link::relink_from(&store, written).map_err(|e| e.to_string())?;
        println!(
            "derived graph: {derived} quads (units sharing initiatives, initiative reach); {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    let failed = summary.failed + bad.len();
    println!(
        "{} reports ({} replaced), {} triples, {} initiatives, {} metrics; {} skipped unchanged, {} failed, {} read with warnings; {:.2} s storing; store {}",
        summary.reports,
        summary.replaced,
        summary.triples,
        summary.initiatives,
        summary.metrics,
        summary.skipped,
        failed,
        warned,
        summary.seconds,
        if memory {
            "in memory".to_string()
        } else {
            dir.display().to_string()
        },
    );
    Ok(if failed + warned > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line about a stored report: unit, place, year and what was found.
fn report_line(r: &fazhi::Record, outcome: store::Outcome) -> String {
    let top: Vec<&str> = r
        .initiatives
        .iter()
        .take(6)
        .map(|i| i.label.as_str())
        .collect();
    format!(
        "{:<9} {} ({}, {}) {}: {} initiatives ({} …), {} metrics, {} documents",
        format!("{outcome:?}").to_lowercase(),
        r.unit.name,
        r.unit.kind,
        r.unit.region.join("›"),
        r.year.map_or("?".into(), |y| y.to_string()),
        r.initiatives.len(),
        top.join(", "),
        r.metrics.len(),
        r.documents.len(),
    )
}

fn run_query(
    name: Option<&str>,
    expr: Option<&str>,
    bind: &[String],
    format: ResultFormat,
    dir: &Path,
) -> Result<ExitCode, String> {
    let text = match (name, expr) {
        (_, Some(e)) => e.to_string(),
        (Some(n), None) if n.ends_with(".rq") => {
            std::fs::read_to_string(n).map_err(|e| format!("{n}: {e}"))?
        }
        (Some(n), None) => query::named(n)
            .map(|q| q.text.to_string())
            .ok_or_else(|| format!("no named query {n:?}; `fazhi queries` lists them"))?,
        (None, None) => return Err("give a named query, a .rq file, or -e 'SPARQL'".into()),
    };
    let bindings = bind
        .iter()
        .map(|b| query::parse_binding(b))
        .collect::<Result<Vec<_>, _>>()?;
    let store = open_existing(dir)?;
    let results = store.query(&text, &bindings).map_err(|e| e.to_string())?;
    let formats = query::Formats {
        solutions: match format {
            ResultFormat::Table => None,
            ResultFormat::Csv => Some(QueryResultsFormat::Csv),
            ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
            ResultFormat::Json => Some(QueryResultsFormat::Json),
            ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        },
        graph: RdfFormat::Turtle,
    };
    quiet_on_closed_pipe(
        query::write_results(results, formats, usize::MAX, std::io::stdout().lock()).map(|_| ()),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn dump(format: DumpFormat, graph: Option<&str>, dir: &Path) -> Result<ExitCode, String> {
    let format = match format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
        DumpFormat::Turtle => RdfFormat::Turtle,
        DumpFormat::Ntriples => RdfFormat::NTriples,
    };
    let store = open_existing(dir)?;
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    quiet_on_closed_pipe(store.dump(out, format, graph))?;
    Ok(ExitCode::SUCCESS)
}

/// Output piped into `head` that stops reading is not an error.
fn quiet_on_closed_pipe(result: Result<(), store::StoreError>) -> Result<(), String> {
    match result {
        Err(store::StoreError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| e.to_string()),
    }
}

fn load(files: &[PathBuf], dir: &Path) -> Result<ExitCode, String> {
    let store = open_store(dir)?;
    for f in files {
        let n = store.load(f).map_err(|e| e.to_string())?;
        println!("{}: {n} quads", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn evaluate(gold: &Path, texts: &Path, pred: &Path, verbose: bool) -> Result<ExitCode, String> {
    let preds = eval::load_predictions(pred)?;
    let score = eval::score(gold, texts, &preds, verbose)?;
    print!("{}", score.report);
    println!("{}", score.score_line());
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

fn load_corpus(dir: &Path, evidence: bool) -> Result<link::Corpus, String> {
    link::Corpus::load(&open_existing(dir)?, evidence).map_err(|e| e.to_string())
}

fn trace(name: &str, limit: usize, format: Shape, dir: &Path) -> Result<ExitCode, String> {
    let store = open_existing(dir)?;
    let Some(t) = link::trace::trace(&store, name, limit).map_err(|e| e.to_string())? else {
        let similar = link::trace::similar_labels(&store, name).map_err(|e| e.to_string())?;
        return Err(if similar.is_empty() {
            format!("no initiative {name:?} in the store")
        } else {
            format!(
                "no initiative {name:?} in the store; similar: {}",
                similar.join(", ")
            )
        });
    };
    if format == Shape::Json {
        print_json(&t)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = t.initiative.clone();
    if let Some(c) = &t.category {
        out += &format!(" [{c}]");
    }
    if t.matched != "label" {
        out += &format!(" (found {name:?} {})", t.matched);
    }
    if !t.aliases.is_empty() {
        out += &format!("\n  also called: {}", t.aliases.join(", "));
    }
    out += &format!("\n  named by {} units", t.unit_count);
    if t.adopters.len() < t.unit_count {
        out += &format!(
            "; the earliest {} (--limit N or 0 for all):",
            t.adopters.len()
        );
    }
    out += "\n";
    for a in &t.adopters {
        let years: Vec<String> = a.years.iter().map(|y| y.to_string()).collect();
        out += &format!(
            "\n{} ({}) {} — {}\n",
            a.unit,
            a.kind,
            a.region.join("›"),
            if years.is_empty() {
                "?".into()
            } else {
                years.join(", ")
            }
        );
        for e in &a.evidence {
            out += &format!("  “{}” {}@{}\n", e.sentence, e.source, e.begin);
        }
        for m in &a.metrics {
            out += &format!(
                "  {} {}{} ({}) {}@{}\n",
                m.label,
                m.raw,
                m.hedge
                    .as_ref()
                    .map(|h| format!(" [{h}]"))
                    .unwrap_or_default(),
                m.year.map_or("?".into(), |y| y.to_string()),
                m.source,
                m.begin
            );
        }
    }
    if !t.first_adopters.is_empty() {
        out += "\nfirst adopters by region\n";
        for f in &t.first_adopters {
            let more = f.unit_count.saturating_sub(f.units.len());
            out += &format!(
                "  {}{} {}: {}{}\n",
                "  ".repeat(f.depth),
                f.region,
                f.year,
                f.units.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn shared(min_units: usize, format: Shape, dir: &Path) -> Result<ExitCode, String> {
    let store = open_existing(dir)?;
    let rows = link::analysis::shared(&store, min_units).map_err(|e| e.to_string())?;
    if format == Shape::Json {
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let years = r.years.map_or("?".into(), |(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        });
        let more = r.unit_count - r.units.len().min(r.unit_count);
        println!(
            "{:>4}  {}  ({years})  {}{}",
            r.unit_count,
            r.initiative,
            r.units.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
    }
    println!(
        "{} initiatives named by at least {min_units} units",
        rows.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn path(from: &str, to: &str, format: Shape, dir: &Path) -> Result<ExitCode, String> {
    let corpus = load_corpus(dir, false)?;
    let a = link::analysis::find_unit(&corpus, from)?;
    let b = link::analysis::find_unit(&corpus, to)?;
    let Some(steps) = link::analysis::path(&corpus, a, b) else {
        return Err(format!(
            "{} and {} share no chain of initiatives",
            corpus.units[a].name, corpus.units[b].name
        ));
    };
    if format == Shape::Json {
        print_json(&steps)?;
        return Ok(ExitCode::SUCCESS);
    }
    let line: Vec<String> = steps
        .iter()
        .map(|s| match &s.via {
            Some(v) => format!("{} —[{v}]—", s.unit),
            None => s.unit.clone(),
        })
        .collect();
    println!("{}", line.join(" "));
    println!("{} steps", steps.len() - 1);
    Ok(ExitCode::SUCCESS)
}

fn rank(top: usize, format: Shape, dir: &Path) -> Result<ExitCode, String> {
    let corpus = load_corpus(dir, false)?;
    let (ranked, sizes) = link::analysis::rank(&corpus);
    if format == Shape::Json {
        print_json(&serde_json::json!({ "nodes": ranked, "components": sizes }))?;
        return Ok(ExitCode::SUCCESS);
    }
    for kind in ["initiative", "unit"] {
        println!("{kind}s by PageRank");
        println!("{:>9} {:>6} {:>4}  name", "pagerank", "degree", "comp");
        for r in ranked.iter().filter(|r| r.kind == kind).take(top) {
            println!(
                "{:>9.5} {:>6} {:>4}  {}",
                r.pagerank, r.degree, r.component, r.name
            );
        }
        println!();
    }
    println!(
        "{} connected components; sizes {}",
        sizes.len(),
        sizes
            .iter()
            .take(10)
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

fn aliases(format: AliasShape, dir: &Path) -> Result<ExitCode, String> {
    let corpus = load_corpus(dir, false)?;
    let found = link::aliases::candidates(&corpus);
    match format {
        AliasShape::Json => print_json(&found)?,
        AliasShape::Gazetteer => {
            println!(
                "# candidate merges from `fazhi aliases`: confirm each before adding it to a gazetteer file"
            );
            for c in &found {
                println!("{}\t{}\t\tinitiative", c.keep, c.alias);
            }
        }
        AliasShape::Table => {
            for c in &found {
                println!(
                    "{:<11} {} ⇐ {}  ({} + {} units)  {}",
                    c.rule,
                    c.keep,
                    c.alias,
                    c.keep_units.len(),
                    c.alias_units.len(),
                    c.evidence
                );
            }
            println!("{} candidate merges", found.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn relink(dir: &Path) -> Result<ExitCode, String> {
    let store = open_existing(dir)?;
    let n = link::relink(&store).map_err(|e| e.to_string())?;
    println!("derived graph {}: {n} quads", link::derived::DERIVED_GRAPH);
    Ok(ExitCode::SUCCESS)
}

fn compact(dir: &Path) -> Result<ExitCode, String> {
    let store = open_existing(dir)?;
    let t = std::time::Instant::now();
    store.compact().map_err(|e| e.to_string())?;
    println!(
        "compacted {} in {:.1} s",
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// A clap parser for a closed set of names the library maps to values.
fn named<T: Clone + Send + Sync + 'static, const N: usize>(
    names: [&'static str; N],
    from: fn(&str) -> Option<T>,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names).map(move |s| from(&s).expect("a listed name"))
}

fn export(
    format: export::Format,
    view: link::View,
    output: Option<&Path>,
    dir: &Path,
) -> Result<ExitCode, String> {
    // Evidence sentences only travel in the formats that show them.
    let evidence = matches!(
        format,
        export::Format::Html | export::Format::Json | export::Format::Cytoscape
    );
    let corpus = load_corpus(dir, evidence)?;
    let graph = export::build(&corpus, view);
    let written = match output {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            export::write(&graph, format, &mut w)
                .and_then(|_| w.flush())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "{}: {} nodes, {} edges",
                path.display(),
                graph.nodes.len(),
                graph.edges.len()
            );
            Ok(())
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            export::write(&graph, format, &mut w).and_then(|_| w.flush())
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn serve(dir: &Path, config: fazhi::serve::Config) -> Result<ExitCode, String> {
    let store = open_existing(dir)?;
    let updates = if config.allow_update {
        "allowed"
    } else {
        "refused"
    };
    let (timeout, limit) = (config.timeout, config.max_results);
    let server = fazhi::serve::Server::bind(store, config)?;
    let addr = server.local_addr().ok_or("the server has no IP address")?;
    // One line on stdout that scripts (and tests) can read the address from.
    println!(
        "fazhi serve: http://{addr}/ (SPARQL at /query, updates {updates}; timeout {:.1} s, at most {limit} results) store {}",
        timeout.as_secs_f64(),
        dir.display()
    );
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    server.run();
    Ok(ExitCode::SUCCESS)
}

fn push(
    endpoint: &str,
    graph_store: Option<&str>,
    verify: bool,
    dir: &Path,
) -> Result<ExitCode, String> {
    let graph_store = match graph_store {
        Some(g) => g.to_string(),
        None => fazhi::push::graph_store_for(endpoint).ok_or_else(|| {
            format!("cannot tell the Graph Store address of {endpoint}: give --graph-store URL")
        })?,
    };
    let store = open_existing(dir)?;
    let mut sent = Vec::new();
    let pushed = fazhi::push::push(&store, &graph_store, |graph, triples| {
        sent.push((graph.to_string(), triples));
    })?;
    println!(
        "pushed {} graphs, {} triples to {graph_store}",
        pushed.graphs, pushed.triples
    );
    if verify {
        let mut wrong = 0;
        for (graph, triples) in &sent {
            let there = fazhi::push::count_at(endpoint, graph)?;
            if there != *triples {
                wrong += 1;
                eprintln!("fazhi: {graph}: sent {triples} triples, the server holds {there}");
            }
        }
        if wrong > 0 {
            return Err(format!("{wrong} graphs differ on the server"));
        }
        println!("verified: every graph holds the triples sent");
    }
    Ok(ExitCode::SUCCESS)
}
