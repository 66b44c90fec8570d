//! The `fazhi` command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use oxigraph::io::RdfFormat;

use fazhi::gazetteer::Gazetteer;
use fazhi::ingest::{self, Input};
use fazhi::query::{self, Output};
use fazhi::store::{self, Store};
use fazhi::{Extractor, eval, read, sample};

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
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Jsonl,
    Summary,
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
        } => run_ingest(&paths, &store, memory, &gazetteer),
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
        Command::Eval {
            gold,
            texts,
            pred,
            verbose,
        } => evaluate(&gold, &texts, &pred, verbose),
    };
    result.unwrap_or_else(|e| {
        eprintln!("fazhi: {e}");
        ExitCode::from(2)
    })
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
    let mut failed = bad.len();
    for (p, e) in &bad {
        eprintln!("fazhi: {}: {e}", p.display());
    }
    let mut records = Vec::new();
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| e.to_string();
    for input in &inputs {
        match ingest::extract_input(&extractor, input) {
            Ok(record) => match format {
                Format::Jsonl => writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&record).map_err(|e| e.to_string())?
                )
                .map_err(io)?,
                Format::Json => records.push(record),
                Format::Summary => writeln!(out, "{}", summary(&record)).map_err(io)?,
            },
            Err(e) => {
                failed += 1;
                eprintln!("fazhi: {}: {e}", input.source());
            }
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
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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

fn run_ingest(
    paths: &[PathBuf],
    dir: &Path,
    memory: bool,
    gazetteer: &[PathBuf],
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
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(inputs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} reports {per_sec} eta {eta}",
            )
            .expect("progress template"),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    // A small corpus (the sample) is listed report by report; a large one gets the bar only.
    let list = inputs.len() <= 20;
    let summary = ingest::ingest(
        &store,
        &extractor,
        &inputs,
        |source, e| bar.suspend(|| eprintln!("fazhi: {source}: {e}")),
        |r, outcome| {
            bar.inc(1);
            if list {
                bar.suspend(|| println!("{}", report_line(r, outcome)));
            }
        },
    )
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let failed = summary.failed + bad.len();
    println!(
        "{} reports ({} replaced), {} triples, {} initiatives, {} metrics; {} skipped unchanged, {} failed; {:.2} s; store {}",
        summary.reports,
        summary.replaced,
        summary.triples,
        summary.initiatives,
        summary.metrics,
        summary.skipped,
        failed,
        summary.seconds,
        if memory {
            "in memory".to_string()
        } else {
            dir.display().to_string()
        },
    );
    Ok(if failed > 0 {
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
    let store = Store::open_existing(dir).map_err(|e| e.to_string())?;
    let results = store.query(&text, &bindings).map_err(|e| e.to_string())?;
    let output = match format {
        ResultFormat::Table => Output::Table,
        ResultFormat::Csv => Output::Csv,
        ResultFormat::Tsv => Output::Tsv,
        ResultFormat::Json => Output::Json,
        ResultFormat::Xml => Output::Xml,
    };
    quiet_on_closed_pipe(
        query::write_results(results, output, std::io::stdout().lock()).map(|_| ()),
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
    let store = Store::open_existing(dir).map_err(|e| e.to_string())?;
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
