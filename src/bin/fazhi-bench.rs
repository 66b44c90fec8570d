//! Ingest benchmark: a synthetic corpus made from the bundled reports, extracted alone (one core
//! and all cores), ingested into an on-disk store, and beside it Oxigraph's own bulk load of the
//! same quads from an N-Quads dump. Prints the figures as Markdown table rows for BENCHMARKS.md.
//!
//! `cargo run --release --bin fazhi-bench -- [REPORTS]` (default 1000).

use std::time::Instant;

use fazhi::Extractor;
use fazhi::ingest::{self, Input};
use fazhi::store::Store;
use rayon::prelude::*;
use regex::Regex;

/// Township names to give the synthetic reports their own units.
const UNITS: &[&str] = &[
    "平沙镇",
    "龙城街道",
    "南水镇",
    "红旗镇",
    "三灶镇",
    "横琴街道",
    "香洲街道",
    "拱北街道",
    "吉大街道",
    "前山街道",
    "湾仔街道",
    "翠香街道",
    "梅华街道",
    "狮山街道",
    "凤山街道",
    "斗门镇",
    "乾务镇",
    "白蕉镇",
    "井岸镇",
    "莲洲镇",
];

/// Report `k` of the corpus: a bundled report with another unit, another year and other numbers.
fn synthetic(k: usize, digits: &Regex) -> String {
    let (_, bytes) = fazhi::sample::REPORTS[k % fazhi::sample::REPORTS.len()];
    let text = String::from_utf8_lossy(bytes);
    let unit = UNITS[(k / fazhi::sample::REPORTS.len()) % UNITS.len()];
    let text = text.replace("平沙镇", unit).replace("龙城街道", unit);
    let year = 2020 + (k % 6);
    let text = text
        .replace("2024年", &format!("{year}年"))
        .replace("2023年", &format!("{}年", year - 1));
    digits
        .replace_all(&text, |c: &regex::Captures| {
            let n: u64 = c[0].parse().unwrap_or(0);
            ((n * (k as u64 + 7)) % 99_991 + 10).to_string()
        })
        .into_owned()
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let digits = Regex::new(r"\d{2,5}").expect("digits");
    let root = std::env::temp_dir().join(format!("fazhi-bench-{}", std::process::id()));
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).expect("corpus dir");
    let mut bytes = 0usize;
    for k in 0..n {
        let text = synthetic(k, &digits);
        bytes += text.len();
        std::fs::write(corpus.join(format!("{k:06}.txt")), text).expect("write report");
    }
    let mb = bytes as f64 / 1e6;
    let (inputs, _) = ingest::inputs(std::slice::from_ref(&corpus));
    let texts: Vec<Vec<u8>> = inputs
        .iter()
        .map(|i| match i {
            Input::Path(p) => std::fs::read(p).expect("read"),
            Input::Bytes(_, b) => b.to_vec(),
        })
        .collect();
    let extractor = Extractor::default();

    let t = Instant::now();
    let ok = texts
        .iter()
        .filter(|b| extractor.extract_bytes("r.txt", b).is_ok())
        .count();
    let one_core = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ok_par = texts
        .par_iter()
        .filter(|b| extractor.extract_bytes("r.txt", b).is_ok())
        .count();
    let all_cores = t.elapsed().as_secs_f64();
    assert_eq!((ok, ok_par), (n, n), "every synthetic report extracts");

    let store = Store::open(&root.join("store")).expect("store");
    let t = Instant::now();
    let s = ingest::ingest(
        &store,
        &extractor,
        &inputs,
        &ingest::Options::default(),
        |src, e| eprintln!("{src}: {e}"),
        |_, _| {},
    )
    .expect("ingest");
    let ingest_s = t.elapsed().as_secs_f64();
    let quads = store.len().expect("len");

    let dump = root.join("dump.nq");
    store
        .dump(
            std::io::BufWriter::new(std::fs::File::create(&dump).expect("dump file")),
            oxigraph::io::RdfFormat::NQuads,
            None,
        )
        .expect("dump");
    let bulk = Store::open(&root.join("bulk")).expect("bulk store");
    let t = Instant::now();
    let loaded = bulk.load(&dump).expect("bulk load");
    let bulk_s = t.elapsed().as_secs_f64();
    assert_eq!(loaded, quads);

    let cores = rayon::current_num_threads();
    println!(
        "corpus: {n} reports, {mb:.1} MB, {quads} quads ({} from reports)",
        s.triples
    );
    println!("| step | time (s) | reports/s | MB/s | quads/s |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, secs: f64| {
        println!(
            "| {name} | {secs:.2} | {:.0} | {:.2} | {:.0} |",
            n as f64 / secs,
            mb / secs,
            quads as f64 / secs
        )
    };
    row("extract, 1 core", one_core);
    row(&format!("extract, {cores} threads"), all_cores);
    row("fazhi ingest (extract + map + store, on disk)", ingest_s);
    row("Oxigraph bulk load of the same N-Quads (on disk)", bulk_s);
    println!("ingest / bulk-load time ratio: {:.2}", ingest_s / bulk_s);
    drop((store, bulk));
    std::fs::remove_dir_all(&root).expect("clean up");
}
