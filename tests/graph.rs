//! The link layer and exports on the seed corpus, through the CLI as a user runs them:
//! trace, shared, path, rank, aliases, the derived graph, and every export format checked by
//! an independent tool (xmllint against the GraphML and GEXF schemas, Graphviz, headless Chromium).
//!
//! Tools are installed by `.ci/run`, which sets `FAZHI_REQUIRE_TOOLS=1` so that a missing tool
//! fails there; elsewhere a missing tool skips its check with a message.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::{Browser, have};

use serde_json::{Value, json};

fn fazhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .output()
        .expect("run fazhi")
}

fn ok(args: &[&str]) -> String {
    let out = fazhi(args);
    assert!(
        out.status.success(),
        "fazhi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// One store of the seed reports for all tests of this file (commands only read it), rebuilt
/// at each run under the target's scratch directory (a static is never dropped, so a temporary
/// directory would outlive the run).
fn store() -> &'static str {
    static STORE: OnceLock<String> = OnceLock::new();
    STORE.get_or_init(|| {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graph-store");
        if path.exists() {
            std::fs::remove_dir_all(&path).expect("remove the previous run's store");
        }
        let path = path.to_string_lossy().into_owned();
        let seeds = common::fixtures().join("seeds");
        ok(&["ingest", seeds.to_str().unwrap(), "--store", &path]);
        path
    })
}

/// Commands hold the store exclusively, so the tests of this file take turns.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn json_of(args: &[&str]) -> Value {
    let _turn = serial();
    let mut all = args.to_vec();
    all.extend(["--store", store()]);
    serde_json::from_str(&ok(&all)).expect("JSON output")
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn trace_shows_who_names_an_initiative_where_when_and_with_what_results() {
    let t = json_of(&["trace", "三所联调", "--format", "json"]);
    assert_eq!(t["initiative"], "三所联调");
    let adopters = t["adopters"].as_array().unwrap();
    assert_eq!(adopters.len(), 1);
    let a = &adopters[0];
    assert_eq!(a["unit"], "平沙镇");
    assert_eq!(a["years"], json!([2024]));
    assert_eq!(names(&a["region"]), ["广东省", "珠海市", "金湾区"]);
    let sentence = a["evidence"][0]["sentence"].as_str().unwrap();
    assert!(sentence.contains("“三所联调”模式"), "{sentence}");
    assert!(sentence.contains("派出所+司法所+律师事务所"), "{sentence}");
    let first = t["first_adopters"].as_array().unwrap();
    assert!(
        first.iter().any(|f| f["region"] == "金湾区"
            && f["year"] == 2024
            && names(&f["units"]) == ["平沙镇"])
    );

    let t = json_of(&["trace", "府院联动", "--format", "json"]);
    let a = &t["adopters"][0];
    assert_eq!(a["unit"], "从化区司法局");
    let metrics = a["metrics"].as_array().unwrap();
    assert!(
        metrics
            .iter()
            .any(|m| m["value"] == 88.0 && m["measure"] == "宗" && m["raw"] == "88宗"),
        "{metrics:?}"
    );
}

#[test]
fn trace_finds_an_initiative_by_its_gazetteer_alias_and_suggests_on_a_miss() {
    let t = json_of(&["trace", "派出所+司法所+律师事务所", "--format", "json"]);
    assert_eq!(t["initiative"], "三所联调");
    assert_eq!(t["matched"], "alias");

    let _turn = serial();
    let out = fazhi(&["trace", "三所", "--store", store()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("similar: 三所联调"), "{err}");
}

#[test]
fn shared_ranks_initiatives_by_units() {
    let rows = json_of(&["shared", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    for label in ["第一议题", "三重一大"] {
        let row = rows.iter().find(|r| r["initiative"] == label).unwrap();
        assert_eq!(row["unit_count"], 3, "{row}");
        assert_eq!(row["units"].as_array().unwrap().len(), 3, "{row}");
    }
    let counts: Vec<usize> = rows
        .iter()
        .map(|r| r["unit_count"].as_u64().unwrap() as usize)
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts.iter().all(|&c| c >= 2));
}

#[test]
fn path_chains_units_through_initiatives_both_name() {
    let steps = json_of(&[
        "path",
        "河东区政府办公室",
        "从化区司法局",
        "--format",
        "json",
    ]);
    let steps = steps.as_array().unwrap();
    assert_eq!(steps.first().unwrap()["unit"], "河东区政府办公室");
    assert_eq!(steps.last().unwrap()["unit"], "从化区司法局");
    assert!(steps.last().unwrap()["via"].is_null());
    // Each step's initiative is named by the unit before it and the unit after it.
    for pair in steps.windows(2) {
        let via = pair[0]["via"].as_str().unwrap();
        let trace = json_of(&["trace", via, "--format", "json"]);
        let adopters: Vec<&str> = trace["adopters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["unit"].as_str().unwrap())
            .collect();
        for step in pair {
            assert!(adopters.contains(&step["unit"].as_str().unwrap()));
        }
    }
}

#[test]
fn rank_gives_pagerank_degree_and_components() {
    let r = json_of(&["rank", "--format", "json"]);
    let nodes = r["nodes"].as_array().unwrap();
    let total: f64 = nodes.iter().map(|n| n["pagerank"].as_f64().unwrap()).sum();
    assert!((total - 1.0).abs() < 1e-6, "{total}");
    let sizes: u64 = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .sum();
    assert_eq!(sizes as usize, nodes.len());
    let top_unit = nodes.iter().find(|n| n["kind"] == "unit").unwrap();
    let most_connected = nodes
        .iter()
        .filter(|n| n["kind"] == "unit")
        .map(|n| n["degree"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(top_unit["degree"].as_u64().unwrap() * 2 >= most_connected);
}

#[test]
fn alias_candidates_never_pair_labels_that_differ_in_a_number() {
    let found = json_of(&["aliases", "--format", "json"]);
    let found = found.as_array().unwrap();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    for c in found {
        let (keep, alias) = (c["keep"].as_str().unwrap(), c["alias"].as_str().unwrap());
        assert_eq!(digits(keep), digits(alias), "{c}");
        assert!(keep != alias);
    }
    // The seeds name both 1310 and 1312: different programmes.
    let shared = json_of(&["shared", "--min-units", "1", "--format", "json"]);
    let labels: Vec<&str> = shared
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["initiative"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"1310") && labels.contains(&"1312"));
}

#[test]
fn derived_facts_are_queryable_with_sparql() {
    let rows = json_of(&[
        "query",
        "-e",
        "PREFIX fz: <https://w3id.org/fazhi/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT ?other ?n ?j WHERE { GRAPH <https://w3id.org/fazhi/graph/derived> {
           ?l a fz:UnitLink ; fz:linkedUnit ?a, ?b ; fz:sharedInitiatives ?n ; fz:jaccard ?j }
           ?a rdfs:label \"平沙镇\" . ?b rdfs:label ?other . FILTER(?a != ?b) }",
        "--format",
        "json",
    ]);
    let bindings = rows["results"]["bindings"].as_array().unwrap();
    let partners: Vec<&str> = bindings
        .iter()
        .map(|b| b["other"]["value"].as_str().unwrap())
        .collect();
    for unit in ["龙城街道", "从化区司法局", "河东区政府办公室"] {
        assert!(partners.contains(&unit), "{partners:?}");
    }
    for b in bindings {
        let j: f64 = b["j"]["value"].as_str().unwrap().parse().unwrap();
        assert!(j > 0.0 && j <= 1.0);
    }
}

fn export(format: &str, what: &str, dir: &Path) -> PathBuf {
    let path = dir.join(format!("{what}.{format}"));
    let _turn = serial();
    ok(&[
        "export",
        "--format",
        format,
        "--what",
        what,
        "-o",
        path.to_str().unwrap(),
        "--store",
        store(),
    ]);
    path
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graph-artefacts");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

/// The node count of a view, from the node-link JSON export.
fn node_count(what: &str) -> usize {
    let path = export("json", what, &artefacts());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["nodes"].as_array().unwrap().len()
}

#[test]
fn graphml_and_gexf_validate_against_their_schemas() {
    let xsd = common::fixtures().join("xsd");
    let dir = artefacts();
    for what in ["bipartite", "units", "initiatives", "all"] {
        let graphml = export("graphml", what, &dir);
        let gexf = export("gexf", what, &dir);
        let text = std::fs::read_to_string(&graphml).unwrap();
        assert_eq!(text.matches("<node ").count(), node_count(what));
        assert!(
            std::fs::read_to_string(&gexf)
                .unwrap()
                .contains("start=\"2024-01-01\"")
        );
        if !have("xmllint") {
            return;
        }
        for (file, schema) in [(&graphml, "graphml.xsd"), (&gexf, "gexf.xsd")] {
            let out = Command::new("xmllint")
                .args(["--noout", "--schema"])
                .arg(xsd.join(schema))
                .arg(file)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn dot_renders_with_graphviz_and_cytoscape_json_holds_every_node() {
    let dir = artefacts();
    let cy = export("cytoscape", "bipartite", &dir);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(cy).unwrap()).unwrap();
    let nodes = v["elements"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), node_count("bipartite"));
    let edges = v["elements"]["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| {
        e["data"]["evidence"]
            .as_array()
            .is_some_and(|ev| ev.iter().any(|s| s.as_str().unwrap().contains("三所联调")))
    }));
    if !have("dot") {
        return;
    }
    for what in ["bipartite", "all"] {
        let dot = export("dot", what, &dir);
        let svg = dir.join(format!("{what}.svg"));
        common::succeeded(
            Command::new("dot")
                .arg("-Tsvg")
                .arg(&dot)
                .arg("-o")
                .arg(&svg)
                .output()
                .unwrap(),
        );
        let svg = std::fs::read_to_string(svg).unwrap();
        assert_eq!(svg.matches("class=\"node\"").count(), node_count(what));
    }
}

#[test]
fn the_html_page_draws_the_graph_offline_and_its_search_finds_an_initiative() {
    let dir = artefacts();
    let page = export("html", "bipartite", &dir);
    let html = std::fs::read_to_string(&page).unwrap();
    for loader in [
        "<script src",
        "<link",
        "url(",
        "@import",
        "fetch(",
        "XMLHttpRequest",
    ] {
        assert!(
            !html.contains(loader),
            "the page must load nothing: {loader}"
        );
    }
    if !have("chromedriver") || !have("chromium") {
        return;
    }
    let expected = node_count("bipartite");
    let browser = Browser::start();
    browser.post(
        "/url",
        &json!({"url": format!("file://{}", page.display())}),
    );
    browser.wait_for(
        "return document.body.dataset.layout === 'done'",
        "the layout to settle",
    );
    let stats = browser.script("return document.getElementById('stats').dataset.nodes");
    assert_eq!(stats, json!(expected.to_string()));
    // Not blank: many pixels differ from the white background.
    let painted = browser.script(
        "const c = document.getElementById('graph');
         const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
         let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i+1] < 240 || d[i+2] < 240) n++;
         return n;",
    );
    assert!(
        painted.as_u64().unwrap() > 2000,
        "canvas looks blank: {painted}"
    );
    let png = browser.get("/screenshot");
    let bytes = common::png(&png);
    std::fs::write(dir.join("page.png"), &bytes).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));

    let search = browser.element("#search");
    browser.post(
        &format!("/element/{search}/value"),
        &json!({"text": "三所联调\u{E007}"}),
    );
    browser.wait_for(
        "return document.getElementById('panel').textContent.includes('三所联调')",
        "the panel to show the search hit",
    );
    let panel = browser.script("return document.getElementById('panel').innerText");
    let panel = panel.as_str().unwrap();
    assert!(panel.contains("平沙镇"), "{panel}");
    assert!(panel.contains("派出所+司法所+律师事务所"), "{panel}");
    let shot = browser.get("/screenshot");
    std::fs::write(dir.join("page-search.png"), common::png(&shot)).unwrap();
}
