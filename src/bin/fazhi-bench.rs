//! National-scale benchmark on a synthetic corpus (`fazhi synth`): generation, extraction alone
//! (one core and all cores, checked against the records the generator expects), `fazhi ingest`
//! into an on-disk store as a child process (time, quads, peak RSS, and the RSS sampled while it
//! stores reports and while it relinks), Oxigraph's own bulk load of the same quads from an
//! N-Quads dump (`fazhi load`, a child process measured the same way), and query latencies
//! (named queries, trace, shared, rank) on the store. Prints Markdown for BENCHMARKS.md, each
//! figure as soon as it is measured.
//!
//! `cargo run --release --bin fazhi-bench -- --reports N [--seed S] [--dir DIR] [--repeat R] [--budget S] [--keep]`

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;
use fazhi::gazetteer::Gazetteer;
use fazhi::link::{Corpus, analysis, trace};
use fazhi::store::Store;
use fazhi::{Extractor, Record, query, synth};
use rayon::prelude::*;

/// mimalloc: extraction allocates many small strings per fact (BENCHMARKS.md, extraction profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Benchmark fazhi on a synthetic corpus")]
struct Args {
    /// Reports in the corpus.
    #[arg(long, default_value_t = 1000)]
    reports: usize,
    /// Corpus seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Working directory (corpus, stores, dump); a temporary one, removed afterwards, if absent.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Runs of each per-unit or per-initiative query (with different units); global ones run
    /// a third as often (at least twice).
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// Seconds one query may take over all its runs: slower queries stop repeating (at least one run).
    #[arg(long, default_value_t = 30.0)]
    budget: f64,
    /// Keep the corpus and the ingested store (otherwise removed once ingested and dumped, to
    /// leave the disk to the dump and the bulk load).
    #[arg(long)]
    keep: bool,
}

fn main() -> Result<(), String> {
    let args = Args::parse();
    let (root, temporary) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => (
            std::env::temp_dir().join(format!("fazhi-bench-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let n = args.reports;
    println!(
        "# fazhi-bench: {n} reports, seed {}, {} threads\n",
        args.seed,
        rayon::current_num_threads()
    );

    let t = Instant::now();
    let corpus = root.join("corpus");
    let written = synth::write_corpus(&corpus, n, args.seed, &Gazetteer::bundled(), |_| {})
        .map_err(|e| e.to_string())?;
    let mb = written.bytes as f64 / 1e6;
    println!(
        "generated {n} reports, {mb:.1} MB, in {:.1} s\n",
        t.elapsed().as_secs_f64()
    );

    let expected = read_expected(&corpus.join("expected.jsonl"))?;
    extraction(&corpus, &expected, mb);

    let store_dir = root.join("store");
    let reports = corpus.join("reports");
    let ingested = run_fazhi("ingest", &reports, &store_dir, &root.join("ingest.log"))?;
    if !args.keep {
        // Only the expected records (in memory) are needed from here on: the disk goes to the
        // dump and the bulk load (at 10^5 reports the corpus is 1.5 GB, the dump 26 GB).
        remove(&corpus)?;
    }
    let store_mb = disk_usage(&store_dir) as f64 / 1e6;
    let store = Store::open_existing(&store_dir).map_err(|e| e.to_string())?;
    // Queries are timed on a settled store: right after a large ingest RocksDB is still
    // compacting the ingested files, and reads look through all of them.
    let t = Instant::now();
    store.compact().map_err(|e| e.to_string())?;
    let compact_s = t.elapsed().as_secs_f64();
    let quads = store.len().map_err(|e| e.to_string())?;
    // Each figure is printed as soon as it is measured, so that a run cut short (a full disk in
    // the bulk load) keeps what it measured.
    let relink_s = relink_seconds(&root.join("ingest.log"))?;
    let (storing_rss, relink_rss) = ingested.phase_peaks(ingested.seconds - relink_s);
    println!("## ingest\n");
    println!(
        "| step | time (s) | reports/s | quads/s | peak RSS (MB) | peak reached at (s) | RSS sampled, storing / relink (MB) |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| fazhi ingest (child process: read, extract, map, store, link) | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} / {:.0} (relink {relink_s:.1} s) |",
        ingested.seconds,
        n as f64 / ingested.seconds,
        quads as f64 / ingested.seconds,
        ingested.peak_rss as f64 / 1e6,
        ingested.peak_at,
        storing_rss as f64 / 1e6,
        relink_rss as f64 / 1e6,
    );
    println!(
        "\n{quads} quads ({:.0} per report), store {store_mb:.0} MB on disk after the ingest, {:.0} MB after `fazhi compact` ({compact_s:.1} s, before the queries)\n",
        quads as f64 / n as f64,
        disk_usage(&store_dir) as f64 / 1e6,
    );
    queries(&store, &expected, args.repeat, args.budget)?;
    let dump = root.join("dump.nq");
    store
        .dump(
            std::io::BufWriter::new(std::fs::File::create(&dump).map_err(|e| e.to_string())?),
            oxigraph::io::RdfFormat::NQuads,
            None,
        )
        .map_err(|e| e.to_string())?;
    drop(store);
    if !args.keep {
        remove(&store_dir)?;
    }
    // The reference: Oxigraph's bulk loader (`fazhi load` calls nothing else) in a process of
    // its own, measured as the ingest is.
    let bulk_dir = root.join("bulk");
    let log = root.join("load.log");
    let bulk = run_fazhi("load", &dump, &bulk_dir, &log)?;
    let loaded = loaded_quads(&log)?;
    println!("## bulk load\n");
    println!(
        "| step | time (s) | reports/s | quads/s | peak RSS (MB) | peak reached at (s) | store (MB) |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| Oxigraph bulk load of the same {loaded} quads (`fazhi load` of the N-Quads dump, {:.0} MB) | {:.1} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
        disk_usage(&dump) as f64 / 1e6,
        bulk.seconds,
        n as f64 / bulk.seconds,
        loaded as f64 / bulk.seconds,
        bulk.peak_rss as f64 / 1e6,
        bulk.peak_at,
        disk_usage(&bulk_dir) as f64 / 1e6
    );
    println!(
        "\ningest / bulk-load time ratio: **{:.2}**; peak RSS ratio: {:.2}\n",
        ingested.seconds / bulk.seconds,
        ingested.peak_rss as f64 / bulk.peak_rss as f64
    );
    remove(&bulk_dir)?;
    remove(&dump)?;
    if temporary {
        remove(&root)?;
    }
    Ok(())
}

/// The seconds of the relink at the end of an ingest, from its output (`derived graph: N quads
/// (…); S s`).
fn relink_seconds(log: &Path) -> Result<f64, String> {
    figure_in_log(log, "relink time", |l| {
        l.strip_prefix("derived graph:")?
            .rsplit("; ")
            .next()?
            .strip_suffix(" s")?
            .parse()
            .ok()
    })
}

/// The quads `fazhi load` reports in its output (`FILE: N quads`).
fn loaded_quads(log: &Path) -> Result<u64, String> {
    figure_in_log(log, "quad count", |l| {
        l.strip_suffix(" quads")?.rsplit(' ').next()?.parse().ok()
    })
}

/// The first figure `parse` finds on a line of a child process's output; `what` names it in the
/// error when no line has it.
fn figure_in_log<T>(
    log: &Path,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, String> {
    let out = std::fs::read_to_string(log).map_err(|e| format!("{}: {e}", log.display()))?;
    out.lines()
        .find_map(parse)
        .ok_or_else(|| format!("{}: no {what}", log.display()))
}

/// Remove a file or a directory tree.
fn remove(path: &Path) -> Result<(), String> {
    let removed = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    removed.map_err(|e| format!("{}: {e}", path.display()))
}

/// Bytes of a file, or of the files under a directory.
fn disk_usage(path: &Path) -> u64 {
    if let Ok(m) = std::fs::metadata(path)
        && m.is_file()
    {
        return m.len();
    }
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => disk_usage(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn read_expected(path: &Path) -> Result<Vec<Record>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    std::io::BufReader::new(file)
        .lines()
        .map(|l| {
            let l = l.map_err(|e| e.to_string())?;
            serde_json::from_str(&l).map_err(|e| e.to_string())
        })
        .collect()
}

/// Reports read into memory at a time for the extraction benchmark, so that memory stays
/// bounded at 10^5 reports (3 GB of text) while only extraction is timed.
const CHUNK: usize = 1000;

/// Extraction alone, chunk by chunk on files read into memory first: one core, then every core;
/// and how many records agree with what the generator expects.
fn extraction(corpus: &Path, expected: &[Record], mb: f64) {
    let extractor = Extractor::default();
    let (mut one, mut all, mut disagreeing) = (0.0, 0.0, 0);
    for chunk in expected.chunks(CHUNK) {
        let texts: Vec<Vec<u8>> = chunk
            .par_iter()
            .map(|r| std::fs::read(corpus.join("reports").join(&r.source)).expect("read report"))
            .collect();
        let t = Instant::now();
        for (r, bytes) in chunk.iter().zip(&texts) {
            extractor.extract_bytes(&r.source, bytes).expect("extracts");
        }
        one += t.elapsed().as_secs_f64();
        let t = Instant::now();
        disagreeing += chunk
            .par_iter()
            .zip(&texts)
            .filter(|(r, bytes)| {
                let got = extractor.extract_bytes(&r.source, bytes).expect("extracts");
                !synth::differences(r, &got).is_empty()
            })
            .count();
        all += t.elapsed().as_secs_f64();
    }
    let n = expected.len() as f64;
    println!("## extraction (files in memory, {CHUNK} at a time)\n");
    println!("| threads | time (s) | MB/s | MB/s per core | reports/s |");
    println!("|---|---|---|---|---|");
    println!(
        "| 1 | {one:.2} | {:.1} | {:.1} | {:.0} |",
        mb / one,
        mb / one,
        n / one
    );
    let cores = rayon::current_num_threads();
    println!(
        "| {cores} (rayon; with the comparison) | {all:.2} | {:.1} | {:.1} | {:.0} |",
        mb / all,
        mb / all / cores as f64,
        n / all
    );
    println!(
        "\nrecords differing from the generator's: {disagreeing} of {}\n",
        expected.len()
    );
}

/// What a run of `fazhi` took.
struct Measured {
    /// Wall time, seconds.
    seconds: f64,
    /// Peak resident memory (VmHWM), bytes.
    peak_rss: u64,
    /// When the peak was first reached, seconds into the run.
    peak_at: f64,
    /// Resident memory (VmRSS, bytes) as sampled, with seconds into the run.
    samples: Vec<(f64, u64)>,
}

impl Measured {
    /// The highest resident memory sampled before `split` seconds into the run and from then on
    /// (samples every 50 ms: a shorter peak shows in `peak_rss` only).
    fn phase_peaks(&self, split: f64) -> (u64, u64) {
        let peak = |before: bool| {
            self.samples
                .iter()
                .filter(|(t, _)| (*t < split) == before)
                .map(|&(_, rss)| rss)
                .max()
                .unwrap_or(0)
        };
        (peak(true), peak(false))
    }
}

/// A memory figure of `/proc/PID/status` (`VmHWM:`, `VmRSS:`), in bytes.
fn status_bytes(status: &str, field: &str) -> Option<u64> {
    let kb = status.lines().find_map(|l| l.strip_prefix(field))?;
    Some(
        kb.trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()?
            * 1024,
    )
}

/// Run `fazhi COMMAND INPUT --store STORE` (the binary beside this one) with its output in
/// `log`, and sample its peak RSS every 50 ms until it exits. Its output goes to a file: a pipe
/// nobody reads would fill (ingest prints a line per report) and stop it.
fn run_fazhi(command: &str, input: &Path, store: &Path, log: &Path) -> Result<Measured, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let fazhi = exe.with_file_name("fazhi");
    let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let t = Instant::now();
    let mut child = Command::new(&fazhi)
        .arg(command)
        .arg(input)
        .arg("--store")
        .arg(store)
        .stdout(out)
        .spawn()
        .map_err(|e| format!("{}: {e} (build it: cargo build --release)", fazhi.display()))?;
    let status_file = format!("/proc/{}/status", child.id());
    let (mut peak_rss, mut peak_at, mut samples) = (0, 0.0, Vec::new());
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            let at = t.elapsed().as_secs_f64();
            if let Some(hwm) = status_bytes(&status, "VmHWM:")
                && hwm > peak_rss
            {
                (peak_rss, peak_at) = (hwm, at);
            }
            samples.extend(status_bytes(&status, "VmRSS:").map(|rss| (at, rss)));
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    if !status.success() {
        return Err(format!(
            "fazhi {command} failed: {status} (its output: {})",
            log.display()
        ));
    }
    Ok(Measured {
        seconds: t.elapsed().as_secs_f64(),
        peak_rss,
        peak_at,
        samples,
    })
}

/// p50, p95 and max of latencies in milliseconds.
fn percentiles(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    (at(0.5), at(0.95), at(1.0))
}

/// Named queries bound as a user would (per unit, per initiative) and the link-layer commands,
/// each repeated until its runs or its time budget (seconds) run out.
fn queries(store: &Store, expected: &[Record], repeat: usize, budget: f64) -> Result<(), String> {
    let mut counts = std::collections::HashMap::<&str, usize>::new();
    for r in expected {
        for i in &r.initiatives {
            *counts.entry(i.label.as_str()).or_default() += 1;
        }
    }
    let (top, top_count) = counts
        .iter()
        .max_by_key(|(l, c)| (**c, std::cmp::Reverse(**l)))
        .map(|(l, c)| (l.to_string(), *c))
        .ok_or("no initiatives")?;
    let step = (expected.len() / repeat.max(1)).max(1);
    let units: Vec<&Record> = expected.iter().step_by(step).take(repeat).collect();
    let global = (repeat / 3).max(2);
    println!("## queries\n");
    println!(
        "widest initiative: {top} (named by {top_count} reports); per-unit queries over {} different units; at most {budget} s per query\n",
        units.len()
    );
    println!("| query | runs | p50 (ms) | p95 (ms) | max (ms) | rows (last run) |");
    println!("|---|---|---|---|---|---|");
    for q in query::NAMED {
        let binds = |r: &Record| -> Vec<String> {
            let mut b = Vec::new();
            if q.text.contains("?unitName") && q.name.starts_with("unit") {
                b.push(format!("unitName={}", r.unit.name));
            }
            if q.name == "unit-metrics" {
                b.push(format!("year={}", r.year.unwrap_or(2024)));
            }
            if q.name.starts_with("initiative-") {
                b.push(format!("initiative={top}"));
            }
            b
        };
        let runs = if q.name.starts_with("unit") {
            repeat
        } else {
            global
        };
        time_runs(q.name, units.iter().take(runs), budget, |r| {
            let bindings = binds(r)
                .iter()
                .map(|b| query::parse_binding(b))
                .collect::<Result<Vec<_>, _>>()?;
            count_rows(store.query(q.text, &bindings).map_err(|e| e.to_string())?)
        })?;
    }
    time_runs(&format!("trace {top}"), 0..repeat, budget, |_| {
        trace::trace(store, &top, trace::DEFAULT_LIMIT)
            .map_err(|e| e.to_string())
            .map(|t| t.map_or(0, |t| t.unit_count))
    })?;
    time_runs("shared (from the derived graph)", 0..global, budget, |_| {
        analysis::shared(store, 2)
            .map(|s| s.len())
            .map_err(|e| e.to_string())
    })?;
    time_runs(
        "rank (load the corpus + degree, PageRank, components)",
        0..global,
        budget,
        |_| {
            Corpus::load(store, false)
                .map(|c| analysis::rank(&c).0.len())
                .map_err(|e| e.to_string())
        },
    )?;
    println!();
    Ok(())
}

/// Time `run` on each input until the inputs or the budget (seconds) run out, and print its row
/// (rows: what the last run returned).
fn time_runs<I>(
    name: &str,
    inputs: impl IntoIterator<Item = I>,
    budget: f64,
    mut run: impl FnMut(I) -> Result<usize, String>,
) -> Result<(), String> {
    let mut times = Vec::new();
    let mut rows = 0;
    for input in inputs {
        let t = Instant::now();
        rows = run(input)?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if times.iter().sum::<f64>() > budget * 1000.0 {
            break;
        }
    }
    row(name, &times, rows);
    Ok(())
}

fn count_rows(results: oxigraph::sparql::QueryResults<'_>) -> Result<usize, String> {
    match results {
        oxigraph::sparql::QueryResults::Solutions(s) => {
            let mut n = 0;
            for row in s {
                row.map_err(|e| e.to_string())?;
                n += 1;
            }
            Ok(n)
        }
        oxigraph::sparql::QueryResults::Graph(g) => Ok(g.count()),
        oxigraph::sparql::QueryResults::Boolean(_) => Ok(1),
    }
}

fn row(name: &str, times: &[f64], rows: usize) {
    let (p50, p95, max) = percentiles(times.to_vec());
    println!(
        "| {name} | {} | {p50:.0} | {p95:.0} | {max:.0} | {rows} |",
        times.len()
    );
}
