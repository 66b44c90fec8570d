//! The knowledge graph built from the seed fixtures: named queries, idempotent re-ingest,
//! replacement of changed files, dumps that load back, and the CLI around them.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use fazhi::Extractor;
use fazhi::ingest::{self, Input, Summary};
use fazhi::query::{self, display_term};
use fazhi::store::{Outcome, Store};
use oxigraph::sparql::QueryResults;

fn seeds_dir() -> PathBuf {
    common::fixtures().join("seeds")
}

fn ingest_paths(store: &Store, paths: &[PathBuf]) -> Summary {
    let (inputs, bad) = ingest::inputs(paths);
    assert!(bad.is_empty());
    ingest::ingest(
        store,
        &Extractor::default(),
        &inputs,
        &ingest::Options::default(),
        |s, e| panic!("{s}: {e}"),
        |_, _| {},
        |_| {},
    )
    .unwrap()
}

fn rows(store: &Store, name: &str, bind: &[&str]) -> Vec<HashMap<String, String>> {
    let q = query::named(name).unwrap();
    let bindings: Vec<_> = bind
        .iter()
        .map(|b| query::parse_binding(b).unwrap())
        .collect();
    let QueryResults::Solutions(solutions) = store.query(q.text, &bindings).unwrap() else {
        panic!("{name}")
    };
    let vars = solutions.variables().to_vec();
    solutions
        .map(|s| {
            let s = s.unwrap();
            vars.iter()
                .filter_map(|v| s.get(v).map(|t| (v.as_str().to_string(), display_term(t))))
                .collect()
        })
        .collect()
}

fn seeded_store(dir: &Path) -> Store {
    let store = Store::open(dir).unwrap();
    let s = ingest_paths(&store, &[seeds_dir()]);
    assert_eq!((s.reports, s.failed, s.skipped), (5, 0, 0));
    store
}

#[test]
fn every_named_query_returns_the_expected_rows() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());

    let units = rows(&store, "units", &[]);
    assert_eq!(units.len(), 5);
    let pingsha = units.iter().find(|r| r["unitName"] == "平沙镇").unwrap();
    assert_eq!(
        (
            pingsha["region"].as_str(),
            pingsha["code"].as_str(),
            pingsha["years"].as_str()
        ),
        ("金湾区", "440404", "2024")
    );

    let ui = rows(&store, "unit-initiatives", &["unitName=平沙镇"]);
    assert!(
        ui.iter()
            .any(|r| r["initiative"] == "三所联调" && r["year"] == "2024")
    );
    assert!(ui.iter().all(|r| r["unitName"] == "平沙镇"));

    let iu = rows(&store, "initiative-units", &["initiative=三所联调"]);
    assert_eq!(iu.len(), 1);
    assert_eq!(
        (iu[0]["unitName"].as_str(), iu[0]["region"].as_str()),
        ("平沙镇", "金湾区")
    );

    let shared = rows(&store, "shared-initiatives", &[]);
    let units_of = |label: &str| {
        shared
            .iter()
            .find(|r| r["initiative"] == label)
            .map(|r| r["units"].clone())
    };
    assert_eq!(units_of("第一议题").as_deref(), Some("3"));
    assert_eq!(units_of("三重一大").as_deref(), Some("3"));

    let timeline = rows(&store, "initiative-timeline", &["initiative=第一议题"]);
    let years: Vec<(&str, &str)> = timeline
        .iter()
        .map(|r| (r["year"].as_str(), r["units"].as_str()))
        .collect();
    assert_eq!(years, vec![("2023", "1"), ("2024", "2")]);

    let im = rows(&store, "initiative-metrics", &["initiative=府院联动"]);
    assert_eq!(im.len(), 1);
    let r = &im[0];
    assert_eq!(
        (
            r["unitName"].as_str(),
            r["year"].as_str(),
            r["value"].as_str(),
            r["measureWord"].as_str(),
            r["label"].as_str()
        ),
        ("从化区司法局", "2024", "88", "宗", "成功化解行政争议")
    );

    let um = rows(
        &store,
        "unit-metrics",
        &["unitName=从化区司法局", "year=2024"],
    );
    assert_eq!(um.len(), 34);
    assert_eq!(um[0]["raw"], "4名");
    assert!(
        um.iter()
            .any(|r| r["raw"] == "88宗" && r["initiative"] == "府院联动")
    );

    let cm = rows(&store, "compare-metric", &["measure=调解成功率"]);
    assert!(
        cm.iter()
            .any(|r| r["unitName"] == "平沙镇" && r["value"] == "99" && r["hedge"] == "达")
    );
    let court = rows(&store, "compare-metric", &[]);
    let court_units: Vec<&str> = court.iter().map(|r| r["unitName"].as_str()).collect();
    assert!(
        court_units.contains(&"平沙镇") && court_units.contains(&"龙城街道"),
        "{court_units:?}"
    );

    let docs = rows(&store, "documents-cited", &[]);
    let plan = docs
        .iter()
        .find(|r| r["title"] == "法治政府建设实施纲要(2021—2025年)")
        .unwrap();
    assert_eq!(
        (plan["type"].as_str(), plan["reports"].as_str()),
        ("纲要", "1")
    );
}

#[test]
fn reingest_is_idempotent_and_a_changed_file_replaces_its_graph() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(seeds_dir()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, corpus.path().join(p.file_name().unwrap())).unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let first = ingest_paths(&store, &[corpus.path().to_path_buf()]);
    let len = store.len().unwrap();
    let again = ingest_paths(&store, &[corpus.path().to_path_buf()]);
    assert_eq!((again.reports, again.skipped, again.triples), (0, 5, 0));
    assert_eq!(store.len().unwrap(), len);

    // The 从化区司法局 report now says 89宗.
    let f = corpus.path().join("004_8e2bfd6529608b47.txt");
    std::fs::write(
        &f,
        std::fs::read_to_string(&f)
            .unwrap()
            .replace("行政争议88宗", "行政争议89宗"),
    )
    .unwrap();
    let changed = ingest_paths(&store, &[corpus.path().to_path_buf()]);
    assert_eq!(
        (changed.reports, changed.replaced, changed.skipped),
        (1, 1, 4)
    );
    assert_eq!(store.len().unwrap(), len);
    let im = rows(&store, "initiative-metrics", &["initiative=府院联动"]);
    let values: Vec<&str> = im.iter().map(|r| r["value"].as_str()).collect();
    assert_eq!(values, vec!["89"]);
    assert!(first.triples > 1000);

    // A second report on the same unit and year from another file is kept beside the first.
    let twin = corpus.path().join("twin.txt");
    std::fs::write(
        &twin,
        std::fs::read_to_string(&f)
            .unwrap()
            .replace("行政争议89宗", "行政争议90宗"),
    )
    .unwrap();
    let s = ingest_paths(&store, &[twin]);
    assert_eq!((s.reports, s.replaced), (1, 0));
    assert_eq!(report_iris(&store).len(), 6);
}

#[test]
fn a_dump_loads_back_into_an_equal_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let mut nq = Vec::new();
    store
        .dump(&mut nq, oxigraph::io::RdfFormat::NQuads, None)
        .unwrap();
    let file = dir.path().join("dump.nq");
    std::fs::write(&file, &nq).unwrap();
    let other = Store::memory().unwrap();
    assert_eq!(other.load(&file).unwrap(), store.len().unwrap());
    let mut ttl = Vec::new();
    assert!(
        store
            .dump(&mut ttl, oxigraph::io::RdfFormat::Turtle, None)
            .is_err()
    );
    let graph = "https://w3id.org/fazhi/graph/gazetteer";
    store
        .dump(&mut ttl, oxigraph::io::RdfFormat::Turtle, Some(graph))
        .unwrap();
    assert!(String::from_utf8(ttl).unwrap().contains("府院联动"));
}

fn fazhi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_cli_ingests_the_sample_and_answers_queries() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let s = store.to_str().unwrap();
    let out = fazhi(&["ingest", "--store", s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{stdout}");
    assert!(
        lines[1].starts_with("added     平沙镇 (乡镇, 广东省›珠海市›金湾区) 2024:"),
        "{stdout}"
    );
    assert!(lines[5].starts_with("derived graph: "), "{stdout}");
    assert!(lines[6].starts_with("5 reports (0 replaced)"), "{stdout}");
    let out = fazhi(&["ingest", "--store", s]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("unchanged")
                || l.starts_with("0 reports (0 replaced), 0 triples"))
    );

    let out = fazhi(&["compact", "--store", s]);
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("compacted ")
    );
    let out = fazhi(&["query", "shared-initiatives", "--store", s]);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("第一议题") && l.contains('3')),
        "{table}"
    );
    for format in ["csv", "tsv", "json", "xml"] {
        let out = fazhi(&[
            "query",
            "initiative-metrics",
            "--bind",
            "initiative=府院联动",
            "--format",
            format,
            "--store",
            s,
        ]);
        assert!(out.status.success());
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .contains("成功化解行政争议"),
            "{format}"
        );
    }
    let out = fazhi(&["query", "-e", "SELECT ?x WHERE { ?x ?y }", "--store", s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("SPARQL syntax:")
    );
    let out = fazhi(&["query", "no-such-query", "--store", s]);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("fazhi queries")
    );
    let out = fazhi(&["queries"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().lines().count(),
        query::NAMED.len()
    );

    // While another process holds the store, ingest and queries are refused with a clear message.
    let held = Store::open(&store).unwrap();
    let out = fazhi(&["ingest", "--store", s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("in use by another process")
    );
    let out = fazhi(&["query", "units", "--store", s]);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("in use by another process")
    );
    drop(held);
    let out = fazhi(&["query", "units", "--store", s]);
    assert!(out.status.success());
    let out = fazhi(&[
        "query",
        "units",
        "--store",
        dir.path().join("nowhere").to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("no fazhi store here")
    );
}

#[test]
fn ingest_reports_bad_files_and_stores_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = tempfile::tempdir().unwrap();
    std::fs::copy(
        seeds_dir().join("001_eccdde27a96004d6.txt"),
        corpus.path().join("a.txt"),
    )
    .unwrap();
    std::fs::write(corpus.path().join("b.txt"), [0u8, 1, 2, 3, 0xff]).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (inputs, _) = ingest::inputs(&[corpus.path().to_path_buf()]);
    let mut errors = Vec::new();
    let s = ingest::ingest(
        &store,
        &Extractor::default(),
        &inputs,
        &ingest::Options::default(),
        |src, e| errors.push(format!("{src}: {e}")),
        |_, _| {},
        |_| {},
    )
    .unwrap();
    assert_eq!((s.reports, s.failed), (1, 1));
    assert!(
        errors[0].ends_with("b.txt: binary file, not text"),
        "{errors:?}"
    );
    assert!(matches!(inputs[0], Input::Path(_)));
}

/// Distinct report IRIs in the store, sorted.
fn report_iris(store: &Store) -> Vec<String> {
    let QueryResults::Solutions(rows) = store
        .query(
            "SELECT DISTINCT ?r WHERE { ?r a <https://w3id.org/fazhi/ns#Report> } ORDER BY ?r",
            &[],
        )
        .unwrap()
    else {
        panic!("not solutions")
    };
    rows.map(|s| display_term(s.unwrap().get("r").unwrap()))
        .collect()
}

/// A seed report's bytes, and a copy with one number changed (same unit and year).
fn seed_and_changed() -> (Vec<u8>, String) {
    let bytes = std::fs::read(seeds_dir().join("004_8e2bfd6529608b47.txt")).unwrap();
    let changed = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("行政争议88宗", "行政争议87宗");
    (bytes, changed)
}

/// A seed report, the same bytes under another name, and a changed copy (same unit and year).
fn report_copy_and_twin() -> [fazhi::Record; 3] {
    let (bytes, changed) = seed_and_changed();
    let ex = Extractor::default();
    [
        ex.extract_bytes("a.txt", &bytes).unwrap(),
        ex.extract_bytes("copy.txt", &bytes).unwrap(),
        ex.extract_bytes("twin.txt", changed.as_bytes()).unwrap(),
    ]
}

#[test]
fn a_writer_sees_what_it_wrote_before_its_commit_and_shows_it_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let [a, same, twin] = report_copy_and_twin();
    let mut writer = store.writer(&[]);
    let mut outcomes = Vec::new();
    for record in [a, same, twin] {
        outcomes.extend(
            writer
                .put(&[record], |_| {})
                .unwrap()
                .into_iter()
                .map(|(o, _)| o),
        );
    }
    assert_eq!(
        outcomes,
        vec![Outcome::Added, Outcome::Unchanged, Outcome::Added]
    );
    assert!(report_iris(&store).is_empty(), "visible before the commit");
    writer.commit().unwrap();
    let iris = report_iris(&store);
    assert_eq!(iris.len(), 2, "{iris:?}");
    assert_eq!(iris[0], "id:report/440117/从化区司法局/2024");
    assert!(iris[1].starts_with("id:report/440117/从化区司法局/2024-"));
}

#[test]
fn a_changed_file_after_new_ones_in_one_batch_replaces_its_graph_in_a_memory_store_too() {
    // A memory store's bulk loader holds its write lock: the replacement's transaction must not
    // wait for it (it did, for ever).
    let store = Store::memory().unwrap();
    let [a, _, _] = report_copy_and_twin();
    store.put_reports(std::slice::from_ref(&a), &[]).unwrap();
    let (_, changed) = seed_and_changed();
    let ex = Extractor::default();
    let a_changed = ex.extract_bytes("a.txt", changed.as_bytes()).unwrap();
    let other = ex
        .extract_bytes(
            "b.txt",
            &std::fs::read(seeds_dir().join("001_eccdde27a96004d6.txt")).unwrap(),
        )
        .unwrap();
    let mut writer = store.writer(&[]);
    let first = writer.put(&[other], |_| {}).unwrap();
    let second = writer.put(&[a_changed], |_| {}).unwrap();
    writer.commit().unwrap();
    assert_eq!(
        (first[0].0, second[0].0),
        (Outcome::Added, Outcome::Replaced)
    );
    let iris = report_iris(&store);
    assert_eq!(iris.len(), 2, "{iris:?}");
    assert!(iris.contains(&"id:report/440117/从化区司法局/2024".to_string()));
    let QueryResults::Solutions(rows) = store
        .query(
            "SELECT ?v WHERE { GRAPH ?g { ?m <https://w3id.org/fazhi/ns#value> ?v } } ",
            &[],
        )
        .unwrap()
    else {
        panic!()
    };
    let values: Vec<String> = rows
        .map(|r| r.unwrap().get("v").unwrap().to_string())
        .collect();
    assert!(values.iter().any(|v| v.starts_with("\"87\"")), "{values:?}");
    assert!(
        !values.iter().any(|v| v.starts_with("\"88\"")),
        "{values:?}"
    );
}

#[test]
fn one_batch_sees_the_reports_written_before_it() {
    let store = Store::memory().unwrap();
    let [a, same, twin] = report_copy_and_twin();
    let outcomes: Vec<Outcome> = store
        .put_reports(&[a, same, twin], &[])
        .unwrap()
        .into_iter()
        .map(|(o, _)| o)
        .collect();
    assert_eq!(
        outcomes,
        vec![Outcome::Added, Outcome::Unchanged, Outcome::Added]
    );
    let iris = report_iris(&store);
    assert_eq!(iris.len(), 2);
    assert_eq!(iris[0], "id:report/440117/从化区司法局/2024");
    assert!(
        iris[1].starts_with("id:report/440117/从化区司法局/2024-"),
        "{iris:?}"
    );
}

#[test]
fn dropping_graphs_removes_their_quads_and_names_and_leaves_the_rest() {
    let store = Store::memory().unwrap();
    let quad = |g: &str, n: usize| {
        oxigraph::model::Quad::new(
            oxigraph::model::NamedNode::new(format!("http://example.org/s{n}")).unwrap(),
            oxigraph::model::NamedNode::new("http://example.org/p").unwrap(),
            oxigraph::model::Literal::from(n as i64),
            oxigraph::model::NamedNode::new(g).unwrap(),
        )
    };
    let (kept, full, empty) = (
        "http://example.org/kept",
        "http://example.org/full",
        "http://example.org/empty",
    );
    store
        .replace_graphs(
            &[kept, full],
            (0..5).flat_map(|n| [quad(kept, n), quad(full, n)]),
        )
        .unwrap();
    store.update(&format!("CREATE GRAPH <{empty}>")).unwrap();
    let names = |store: &Store| -> Vec<String> {
        let mut n: Vec<String> = store
            .graph_names()
            .unwrap()
            .iter()
            .map(|g| g.as_str().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&store), [empty, full, kept]);
    assert!(store.is_complete(full).unwrap());
    // Nothing to drop: the store is left as it was.
    store.drop_graphs(&["http://example.org/absent"]).unwrap();
    assert_eq!(store.len().unwrap(), 12);
    // A named graph without quads goes too, not only graphs with quads.
    store.drop_graphs(&[full, empty]).unwrap();
    assert_eq!(names(&store), [kept]);
    assert!(!store.is_complete(full).unwrap());
    assert!(store.is_complete(kept).unwrap());
    assert_eq!(store.len().unwrap(), 6);
}

#[test]
fn dropping_graphs_larger_than_a_step_removes_every_quad_across_the_steps() {
    use fazhi::store::DROP_STEP;
    use oxigraph::model::{Literal, NamedNode, Quad};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (kept, big, other) = (
        "http://example.org/kept",
        "http://example.org/big",
        "http://example.org/other",
    );
    let quads = |g: &'static str, n: usize| {
        (0..n).map(move |k| {
            Quad::new(
                NamedNode::new(format!("http://example.org/s{k}")).unwrap(),
                NamedNode::new("http://example.org/p").unwrap(),
                Literal::from(k as i64),
                NamedNode::new(g).unwrap(),
            )
        })
    };
    // Two graphs to drop, together a step and a half, beside one to keep.
    let (big_n, other_n) = (DROP_STEP + DROP_STEP / 4, DROP_STEP / 4 + 7);
    store
        .replace_graphs(
            &[kept, big, other],
            quads(kept, 10)
                .chain(quads(big, big_n))
                .chain(quads(other, other_n)),
        )
        .unwrap();
    assert_eq!(store.len().unwrap(), 10 + big_n + other_n + 3);
    store.drop_graphs(&[big, other]).unwrap();
    assert_eq!(store.len().unwrap(), 10 + 1, "the kept graph and its mark");
    assert!(store.is_complete(kept).unwrap());
    assert!(!store.is_complete(big).unwrap());
    let names: Vec<String> = store
        .graph_names()
        .unwrap()
        .iter()
        .map(|g| g.as_str().to_string())
        .collect();
    assert_eq!(names, [kept]);
}
