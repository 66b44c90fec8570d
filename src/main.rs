//! The `fazhi` command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use fazhi::gazetteer::Gazetteer;
use fazhi::{Extractor, eval, read};

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

/// Where the bundled sample reports live (the seed fixtures).
const SAMPLE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seeds");

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Extract {
            paths,
            format,
            gazetteer,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from(SAMPLE_DIR)]
            } else {
                paths
            };
            extract(&paths, format, &gazetteer)
        }
        Command::Eval {
            gold,
            texts,
            pred,
            verbose,
        } => evaluate(&gold, &texts, &pred, verbose),
    }
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

/// Extract every input; a file that fails is reported on stderr and the others still go out.
fn extract(paths: &[PathBuf], format: Format, gazetteer: &[PathBuf]) -> ExitCode {
    let extractor = match load_gazetteer(gazetteer) {
        Ok(g) => Extractor::new(g),
        Err(e) => {
            eprintln!("fazhi: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = 0usize;
    let mut records = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for item in read::expand_paths(paths) {
        let result = item.map_err(|(p, e)| (p, e.into())).and_then(|path| {
            let source = path.to_string_lossy().into_owned();
            read::read_bytes(&path)
                .map_err(Into::into)
                .and_then(|bytes| extractor.extract_bytes(&source, &bytes))
                .map_err(|e| (path, e))
        });
        match result {
            Ok(record) => match format {
                Format::Jsonl => {
                    let line = serde_json::to_string(&record).expect("records serialise");
                    if writeln!(out, "{line}").is_err() {
                        return ExitCode::from(1);
                    }
                }
                Format::Json => records.push(record),
                Format::Summary => {
                    if writeln!(out, "{}", summary(&record)).is_err() {
                        return ExitCode::from(1);
                    }
                }
            },
            Err((path, e)) => {
                failed += 1;
                eprintln!("fazhi: {}: {e}", path.display());
            }
        }
    }
    if let Format::Json = format {
        let text = serde_json::to_string_pretty(&records).expect("records serialise");
        if writeln!(out, "{text}").is_err() {
            return ExitCode::from(1);
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
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

fn evaluate(
    gold: &std::path::Path,
    texts: &std::path::Path,
    pred: &std::path::Path,
    verbose: bool,
) -> ExitCode {
    let result =
        eval::load_predictions(pred).and_then(|preds| eval::score(gold, texts, &preds, verbose));
    match result {
        Ok(score) => {
            print!("{}", score.report);
            println!("{}", score.score_line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fazhi: {e}");
            ExitCode::from(2)
        }
    }
}
