//! Crash safety of `fazhi ingest`: the process is killed with SIGKILL at points spread over the
//! run; after each kill the store opens, every graph in it is complete (the same triples as in
//! an uninterrupted run) or absent, and a rerun completes the corpus to the same triple count.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fazhi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
}

/// Years each sample report is rewritten to, so that every unit has one report per year.
const YEARS: std::ops::Range<i32> = 2019..2025;

/// The sample reports, each rewritten to report on every year of [`YEARS`].
fn write_corpus(dir: &Path) -> usize {
    let mut n = 0;
    for (name, bytes) in fazhi::sample::REPORTS {
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
        for year in YEARS {
            // 2023 through a placeholder, so that it is not rewritten twice.
            let text = text
                .replace("2023年", "\u{1}")
                .replace("2024年", &format!("{year}年"))
                .replace('\u{1}', &format!("{}年", year - 1));
            std::fs::write(dir.join(format!("{stem}_{year}.txt")), text).unwrap();
            n += 1;
        }
    }
    n
}

/// Run ingest on the corpus with small transactions, so that a kill can land between batches
/// and inside them.
fn ingest(store: &Path, corpus: &Path) -> Command {
    let mut c = fazhi();
    c.args(["ingest", "--batch", "3", "--store"])
        .arg(store)
        .arg(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Quads in each named graph of the store at `dir` (the store must open).
fn graph_sizes(dir: &Path) -> BTreeMap<String, u64> {
    let out = fazhi()
        .args(["query", "--format", "json", "--store"])
        .arg(dir)
        .args([
            "-e",
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the store at {} does not open after the kill: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["g"]["value"].as_str().unwrap().to_string(),
                b["n"]["value"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

/// Every graph present is exactly as in the uninterrupted run; returns how many are present.
fn check_complete_or_absent(dir: &Path, reference: &BTreeMap<String, u64>, when: &str) -> usize {
    let sizes = graph_sizes(dir);
    for (graph, n) in &sizes {
        assert_eq!(
            reference.get(graph),
            Some(n),
            "{when}: graph {graph} holds {n} quads, the uninterrupted run {:?}",
            reference.get(graph)
        );
    }
    sizes.len()
}

/// Start ingest and kill it (SIGKILL) after `delay`, unless it finished first.
fn ingest_killed_after(store: &Path, corpus: &Path, delay: Duration) -> bool {
    let mut child = ingest(store, corpus).spawn().unwrap();
    let started = Instant::now();
    while started.elapsed() < delay {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

/// A pseudo-random fraction in [0, 1) for kill `k`: varies from run to run (time-seeded) and is
/// printed on failure through the `when` labels.
/// Files of bulk loads that never committed (`bulk-*.sst`) in a store directory.
fn unfinished_loads(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bulk-") && n.ends_with(".sst"))
        .collect()
}

fn jitter(seed: u64, k: u64) -> f64 {
    let mut x = seed ^ (k + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn sigkill_during_ingest_leaves_graphs_complete_or_absent_and_a_rerun_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let reports = write_corpus(&corpus);

    let reference_dir = tmp.path().join("reference");
    let started = Instant::now();
    let out = ingest(&reference_dir, &corpus).output().unwrap();
    let full_run = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = graph_sizes(&reference_dir);
    // Every report in its own graph, plus ontology, gazetteer and derived graphs.
    assert_eq!(reference.len(), reports + 3, "{reference:?}");
    let total: u64 = reference.values().sum();

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let kills = 6;
    let mut partial_states = 0;
    for k in 0..kills {
        let store: PathBuf = tmp.path().join(format!("killed-{k}"));
        // Spread over the whole run: before the store opens, mid-batch, between batches,
        // during the relink at the end.
        let at = full_run.mul_f64((k as f64 + jitter(seed, k)) / kills as f64);
        let when = format!("seed {seed}, kill {k} at {at:?} of {full_run:?}");
        // Killed before RocksDB wrote its CURRENT file, the directory holds no store yet.
        if ingest_killed_after(&store, &corpus, at) && store.join("CURRENT").exists() {
            let present = check_complete_or_absent(&store, &reference, &when);
            partial_states += usize::from(present > 0 && present < reference.len());
            // Killed again while resuming: what the first run stored must survive too.
            let again = at.mul_f64(0.5);
            if ingest_killed_after(&store, &corpus, again) {
                check_complete_or_absent(
                    &store,
                    &reference,
                    &format!("{when}, again at {again:?}"),
                );
            }
        }
        let out = ingest(&store, &corpus).output().unwrap();
        assert!(
            out.status.success(),
            "{when}: rerun failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = graph_sizes(&store);
        assert_eq!(
            after, reference,
            "{when}: rerun differs from the uninterrupted run"
        );
        assert_eq!(after.values().sum::<u64>(), total);
        assert_eq!(
            unfinished_loads(&store),
            Vec::<String>::new(),
            "{when}: sorted files of a killed bulk load left in the store"
        );
    }
    assert!(
        partial_states > 0,
        "no kill landed while some but not all graphs were stored (seed {seed}, full run {full_run:?})"
    );
}
