//! `fazhi serve` used as clients use it: HTTP requests with the SPARQL protocol's parameters and
//! Accept headers, on a free loopback port; the page at `/` in headless Chromium; `fazhi push`
//! against a real Oxigraph server started here (`pip install oxigraph`).

mod common;

use std::io::Cursor;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use oxigraph::io::{RdfFormat, RdfParser};
use serde_json::{Value, json};

use common::{Browser, Served, have};

fn fazhi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .output()
        .expect("run fazhi")
}

/// A seed store in a directory of its own (each server holds its store exclusively).
fn seed_store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store").to_string_lossy().into_owned();
    let seeds = common::fixtures().join("seeds");
    common::succeeded(fazhi(&[
        "ingest",
        seeds.to_str().unwrap(),
        "--store",
        &path,
    ]));
    (dir, path)
}

/// A read-only server on its own seed store (dropped, and killed, at the end of its test).
fn server() -> (tempfile::TempDir, Served) {
    let (dir, path) = seed_store();
    let served = Served::start(&path, &["--timeout", "2", "--max-results", "1000"]);
    (dir, served)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Status, content type and body of a response.
struct Reply {
    status: u16,
    media: String,
    body: String,
    cors: Option<String>,
}

fn reply(mut r: ureq::http::Response<ureq::Body>) -> Reply {
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let (media, cors) = (
        header("content-type").unwrap_or_default(),
        header("access-control-allow-origin"),
    );
    Reply {
        status: r.status().as_u16(),
        media,
        cors,
        body: r.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn get(base: &str, query: &str, accept: &str) -> Reply {
    reply(
        agent()
            .get(&format!("{base}/query"))
            .query("query", query)
            .header("Accept", accept)
            .call()
            .unwrap(),
    )
}

fn post_form(base: &str, path: &str, form: &[(&str, &str)], accept: &str) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    reply(
        agent()
            .post(&format!("{base}{path}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", accept)
            .send(body)
            .unwrap(),
    )
}

fn post_body(base: &str, path: &str, media: &str, body: &str) -> Reply {
    reply(
        agent()
            .post(&format!("{base}{path}"))
            .header("Content-Type", media)
            .send(body)
            .unwrap(),
    )
}

const UNITS: &str =
    "PREFIX fz: <https://w3id.org/fazhi/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE { ?u a fz:Unit ; rdfs:label ?name } ORDER BY ?name";

#[test]
fn select_answers_in_every_results_format_by_get_and_both_posts() {
    let (_store, served) = server();
    let base = &served.base;
    let json_reply = get(base, UNITS, "application/sparql-results+json");
    assert_eq!(json_reply.status, 200);
    assert!(
        json_reply
            .media
            .starts_with("application/sparql-results+json")
    );
    let v: Value = serde_json::from_str(&json_reply.body).unwrap();
    let names: Vec<&str> = v["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"]["value"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 5);
    assert!(names.contains(&"平沙镇") && names.contains(&"从化区司法局"));

    let xml = get(base, UNITS, "application/sparql-results+xml");
    assert!(xml.media.starts_with("application/sparql-results+xml"));
    assert!(
        xml.body.contains("<literal>平沙镇</literal>"),
        "{}",
        xml.body
    );
    let csv = get(base, UNITS, "text/csv");
    assert!(csv.media.starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), 6);
    assert_eq!(csv.body.lines().next(), Some("name"));
    let tsv = get(base, UNITS, "text/tab-separated-values");
    assert_eq!(tsv.body.lines().next(), Some("?name"));
    assert!(tsv.body.contains("\"平沙镇\""));

    let form = post_form(base, "/query", &[("query", UNITS)], "text/csv");
    assert_eq!(form.body, csv.body);
    let direct = post_body(base, "/query", "application/sparql-query", UNITS);
    assert_eq!(serde_json::from_str::<Value>(&direct.body).unwrap(), v);
    let unacceptable = get(base, UNITS, "image/png");
    assert_eq!(unacceptable.status, 406);
}

#[test]
fn ask_and_construct_answer_in_their_formats() {
    let (_store, served) = server();
    let base = &served.base;
    let ask = "ASK { ?u <http://www.w3.org/2000/01/rdf-schema#label> \"平沙镇\" }";
    for (accept, expect) in [
        ("application/sparql-results+json", "\"boolean\":true"),
        ("application/sparql-results+xml", "<boolean>true</boolean>"),
        ("text/csv", "true"),
        ("text/tab-separated-values", "true"),
    ] {
        let r = get(base, ask, accept);
        assert_eq!(r.status, 200, "{accept}");
        assert!(r.body.contains(expect), "{accept}: {}", r.body);
    }
    let construct = "PREFIX fz: <https://w3id.org/fazhi/ns#>
        CONSTRUCT { ?u fz:adopts ?i } WHERE { ?u fz:adopts ?i }";
    let expected = {
        let r = get(
            base,
            "PREFIX fz: <https://w3id.org/fazhi/ns#> SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?u fz:adopts ?i }",
            "text/csv",
        );
        r.body.lines().nth(1).unwrap().parse::<usize>().unwrap()
    };
    assert!(expected > 100);
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
    ] {
        let r = get(base, construct, accept);
        assert_eq!(r.status, 200, "{accept}: {}", r.body);
        assert!(r.media.starts_with(accept), "{accept} got {}", r.media);
        let triples = RdfParser::from_format(format)
            .for_reader(Cursor::new(r.body.into_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{accept}: {e}"));
        assert_eq!(triples.len(), expected, "{accept}");
    }
}

#[test]
fn bad_requests_get_clear_errors_and_cors_headers() {
    let (_store, served) = server();
    let base = &served.base;
    let bad = get(
        base,
        "SELECT ?x WHERE { ?x ",
        "application/sparql-results+json",
    );
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("error at"), "{}", bad.body);
    assert_eq!(bad.cors.as_deref(), Some("*"));

    let refused = post_form(base, "/update", &[("update", "CLEAR ALL")], "*/*");
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("--allow-update"));
    assert_eq!(
        get(base, UNITS, "text/csv").body.lines().count(),
        6,
        "nothing was cleared"
    );

    let too_many = get(base, "SELECT * WHERE { ?s ?p ?o }", "text/csv");
    assert_eq!(too_many.status, 413);
    assert!(too_many.body.contains("more than 1000"));

    let big = "#".repeat(2 << 20);
    let over = post_body(base, "/query", "application/sparql-query", &big);
    assert_eq!(over.status, 413);

    for path in [
        "/../../etc/passwd",
        "/query/../Cargo.toml",
        "/src/main.rs",
        "/%2e%2e/etc/passwd",
    ] {
        let r = reply(agent().get(&format!("{base}{path}")).call().unwrap());
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("root:"), "{path}");
    }
    let preflight = reply(
        agent()
            .options(&format!("{base}/query"))
            .header("Origin", "http://elsewhere.example")
            .header("Access-Control-Request-Method", "POST")
            .call()
            .unwrap(),
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.cors.as_deref(), Some("*"));
}

#[test]
fn a_slow_query_is_cut_at_the_timeout_and_the_server_keeps_answering() {
    let (_store, served) = server();
    let base = &served.base;
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let r = get(base, slow, "application/sparql-results+json");
    let took = started.elapsed();
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("timeout"));
    assert!(took < Duration::from_secs(10), "{took:?}");
    let ask = get(base, "ASK { ?s ?p ?o }", "text/csv");
    assert_eq!(ask.status, 200);
}

#[test]
fn updates_need_the_flag_and_never_go_public_without_a_second_one() {
    let (_dir, path) = seed_store();
    {
        let served = Served::start(&path, &["--allow-update"]);
        let insert = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> \"c\" } }";
        let r = post_body(&served.base, "/update", "application/sparql-update", insert);
        assert_eq!(r.status, 204, "{}", r.body);
        let ask = get(
            &served.base,
            "ASK { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> \"c\" } }",
            "text/csv",
        );
        assert!(ask.body.contains("true"));
        let bad = post_form(
            &served.base,
            "/update",
            &[("update", "INSERT nonsense")],
            "*/*",
        );
        assert_eq!(bad.status, 400);
        // The server holds the store: an ingest is refused, and says why.
        let out = fazhi(&["ingest", "--store", &path]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("in use by another process"));
    }
    let out = fazhi(&[
        "serve",
        "--store",
        &path,
        "--bind",
        "0.0.0.0:0",
        "--allow-update",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-remote-update"));
}

/// `fazhi-load` (the load driver of BENCHMARKS.md) against a server with a 2 s timeout: its
/// JSON report.
fn drive_load(served: &Served, clients: &str, slow_clients: &str, seconds: &str) -> Value {
    let out = common::succeeded(
        Command::new(env!("CARGO_BIN_EXE_fazhi-load"))
            .args(["--endpoint", &served.base, "--clients", clients])
            .args(["--slow-clients", slow_clients, "--seconds", seconds])
            .args(["--pid", &served.pid().to_string()])
            .output()
            .unwrap(),
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn under_load_every_request_gets_its_right_status_and_memory_stays_bounded() {
    let (_store, served) = server();
    let report = drive_load(&served, "12", "2", "6");
    let kinds = &report["kinds"];
    for kind in ["named", "bad", "update", "page", "outside", "slow"] {
        assert!(
            kinds[kind]["requests"].as_u64().unwrap() > 0,
            "{kind}: {report:#}"
        );
        // named: 200, bad: 400, update: 403, page: 200, outside: 404, slow: 503.
        assert_eq!(kinds[kind]["unexpected"], 0, "{kind}: {report:#}");
    }
    // Slow queries are cut at the 2 s timeout, not answered when their evaluation ends
    // (minutes later). Not asserted on every one: tiny_http can leave a new connection queued
    // until another closes (see BENCHMARKS.md), which delays a request before it reaches us.
    let fastest_cut = kinds["slow"]["min_ms"].as_f64().unwrap();
    assert!((2000.0..3500.0).contains(&fastest_cut), "{report:#}");
    let (start, peak) = (
        report["rss_start_mb"].as_f64().unwrap(),
        report["rss_peak_mb"].as_f64().unwrap(),
    );
    assert!(
        peak - start < 256.0,
        "memory grew from {start} MB to {peak} MB"
    );
    assert_eq!(get(&served.base, UNITS, "text/csv").status, 200);
}

#[test]
fn the_query_page_runs_a_query_in_a_browser() {
    if !have("chromedriver") || !have("chromium") {
        return;
    }
    let (_store, served) = server();
    let base = served.base.clone();
    let browser = Browser::start();
    browser.post("/url", &json!({"url": format!("{base}/")}));
    let examples = browser.script("return document.querySelectorAll('#example option').length");
    assert!(examples.as_u64().unwrap() >= 10, "{examples}");
    let box_id = browser.element("#query");
    browser.post(&format!("/element/{box_id}/clear"), &json!({}));
    browser.post(&format!("/element/{box_id}/value"), &json!({"text": UNITS}));
    let run = browser.element("#run");
    browser.post(&format!("/element/{run}/click"), &json!({}));
    browser.wait_for(
        "return document.querySelectorAll('#results td').length > 0",
        "the result table",
    );
    let cells = browser
        .script("return [...document.querySelectorAll('#results td')].map(td => td.textContent)");
    let cells: Vec<&str> = cells
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cells.len(), 5);
    assert!(
        cells.contains(&"平沙镇") && cells.contains(&"龙城街道"),
        "{cells:?}"
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(
        dir.join("query-page.png"),
        common::png(&browser.get("/screenshot")),
    )
    .unwrap();
}

/// An Oxigraph server (the `oxigraph` command of `pip install oxigraph`) on a free port.
struct Oxigraph {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Oxigraph {
    fn start() -> Oxigraph {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().to_string_lossy().into_owned();
        let (child, base) = common::start_http_service(
            "oxigraph",
            |port| {
                [
                    "serve",
                    "--location",
                    &location,
                    "--bind",
                    &format!("127.0.0.1:{port}"),
                ]
                .map(String::from)
                .to_vec()
            },
            "/query?query=ASK%7B%7D",
        );
        Oxigraph {
            child,
            base,
            _dir: dir,
        }
    }

    fn count(&self) -> usize {
        let r = get(
            &self.base,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "text/csv",
        );
        r.body.lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for Oxigraph {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn push_round_trips_every_graph_through_a_real_oxigraph_server() {
    if !have("oxigraph") {
        return;
    }
    let (_dir, path) = seed_store();
    let quads = {
        let out = fazhi(&[
            "query",
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "--format",
            "csv",
            "--store",
            &path,
        ]);
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<usize>()
            .unwrap()
    };
    let server = Oxigraph::start();
    let endpoint = format!("{}/query", server.base);
    for _ in 0..2 {
        // The second push replaces every graph: the count stays the same.
        let out = common::succeeded(fazhi(&[
            "push",
            "--endpoint",
            &endpoint,
            "--verify",
            "--store",
            &path,
        ]));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(&format!("{quads} triples")), "{stdout}");
        assert!(stdout.contains("verified"), "{stdout}");
        assert_eq!(server.count(), quads);
    }
    let out = fazhi(&[
        "push",
        "--endpoint",
        "http://127.0.0.1:9/x/y/z",
        "--store",
        &path,
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--graph-store"));
}
