//! Load driver for a running `fazhi serve`: many concurrent clients on loopback for a bounded
//! time, sending a mix of the named queries, malformed queries, updates (refused unless the server
//! allows them), the query page, requests for paths outside the API, and — from clients of their
//! own — slow queries that must be cut at the server's timeout. Prints a JSON report: requests/s,
//! latency percentiles and statuses per kind, and the server's peak RSS when given its pid.
//!
//! `cargo run --release --bin fazhi-load -- --endpoint http://127.0.0.1:7878 --clients 32 --slow-clients 2 --seconds 30 --pid PID`

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde::Serialize;

#[derive(Parser)]
#[command(about = "Drive a running fazhi serve with concurrent clients and report")]
struct Args {
    /// Base address of the endpoint.
    #[arg(long)]
    endpoint: String,
    /// Clients sending the ordinary mix.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Further clients sending only slow queries.
    #[arg(long, default_value_t = 2)]
    slow_clients: usize,
    /// How long to drive the server.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Process id of the server, to sample its resident memory.
    #[arg(long)]
    pid: Option<u32>,
}

/// What a request is, and so which statuses are right for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    /// A named query from `queries/`: must answer 200.
    Named,
    /// A syntax error: must answer 400.
    Bad,
    /// An update on a read-only endpoint: must answer 403.
    Update,
    /// The query page: must answer 200.
    Page,
    /// A path outside the API (traversal attempts): must answer 404.
    Outside,
    /// A query that runs far past the timeout: must answer 503 at the timeout.
    Slow,
}

impl Kind {
    fn expected(self) -> u16 {
        match self {
            Kind::Named | Kind::Page => 200,
            Kind::Bad => 400,
            Kind::Update => 403,
            Kind::Outside => 404,
            Kind::Slow => 503,
        }
    }
}

/// The ordinary mix, cycled through by each client from its own offset.
const MIX: &[Kind] = &[
    Kind::Named,
    Kind::Named,
    Kind::Bad,
    Kind::Named,
    Kind::Named,
    Kind::Page,
    Kind::Named,
    Kind::Outside,
    Kind::Named,
    Kind::Update,
];

/// Queries whose evaluation runs for minutes on any store (products of all quads).
const SLOW: &[&str] = &[
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } FILTER(STR(?c) < STR(?f)) }",
];

const BAD: &[&str] = &[
    "SELECT ?x WHERE { ?x ?p }",
    "SELEC * WHERE { ?s ?p ?o }",
    "PREFIX fz: <https://w3id.org/fazhi/ns#> SELECT ?x WHERE { ?x nope:p ?o }",
];

const OUTSIDE: &[&str] = &[
    "/../Cargo.toml",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/query/../../etc/passwd",
    "/static/../../README.md",
    "/fazhi-store/CURRENT",
];

/// Delay between the starts of two clients.
const RAMP_UP: Duration = Duration::from_millis(25);

/// One request made: its kind, status (0 when the connection failed) and latency.
struct Sample {
    kind: Kind,
    status: u16,
    seconds: f64,
}

#[derive(Serialize)]
struct KindReport {
    requests: usize,
    statuses: BTreeMap<u16, usize>,
    /// Requests whose status was not the one this kind must get.
    unexpected: usize,
    min_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Requests that took over a second.
    over_1s: usize,
}

#[derive(Serialize)]
struct Report {
    clients: usize,
    slow_clients: usize,
    seconds: f64,
    requests: usize,
    requests_per_second: f64,
    /// Percentiles over every request that is not slow by design.
    p50_ms: f64,
    p99_ms: f64,
    kinds: BTreeMap<Kind, KindReport>,
    rss_start_mb: Option<f64>,
    rss_peak_mb: Option<f64>,
}

fn main() {
    let args = Args::parse();
    let stop = Arc::new(AtomicBool::new(false));
    let peak_kb = Arc::new(AtomicU64::new(0));
    let rss_start = args.pid.and_then(rss_kb);
    let sampler = args.pid.map(|pid| {
        let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak_kb));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = rss_kb(pid) {
                    peak.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    });
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let clients: Vec<_> = (0..args.clients + args.slow_clients)
        .map(|c| {
            let endpoint = args.endpoint.trim_end_matches('/').to_string();
            let slow = c >= args.clients;
            std::thread::spawn(move || drive(&endpoint, c, slow, deadline))
        })
        .collect();
    let samples: Vec<Sample> = clients
        .into_iter()
        .flat_map(|h| h.join().expect("client thread"))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    if let Some(s) = sampler {
        s.join().expect("sampler thread");
    }
    let peak = peak_kb.load(Ordering::Relaxed);
    let report = report(
        &args,
        samples,
        elapsed,
        rss_start,
        (peak > 0).then_some(peak),
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("report serialises")
    );
}

/// One client: requests until the deadline, each waiting for the previous answer.
fn drive(endpoint: &str, client: usize, slow: bool, deadline: Instant) -> Vec<Sample> {
    // Clients ramp up 25 ms apart, as load tools do: a burst of simultaneous new connections
    // meets tiny_http's task-pool race (a connection queued until another closes; BENCHMARKS.md).
    std::thread::sleep(RAMP_UP * client as u32);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let mut samples = Vec::new();
    let mut i = client;
    while Instant::now() < deadline {
        let kind = if slow { Kind::Slow } else { MIX[i % MIX.len()] };
        let t = Instant::now();
        let status = request(&agent, endpoint, kind, i);
        samples.push(Sample {
            kind,
            status,
            seconds: t.elapsed().as_secs_f64(),
        });
        i += 1;
    }
    samples
}

/// Send request number `i` of this kind; its status, or 0 if there was no HTTP answer.
fn request(agent: &ureq::Agent, endpoint: &str, kind: Kind, i: usize) -> u16 {
    let pick = |list: &[&'static str]| list[i % list.len()];
    let post_query = |q: &str| {
        agent
            .post(&format!("{endpoint}/query"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "application/sparql-results+json")
            .send(q)
    };
    let response = match kind {
        Kind::Named => {
            let q = fazhi::query::NAMED[i % fazhi::query::NAMED.len()];
            post_query(q.text)
        }
        Kind::Bad => post_query(pick(BAD)),
        Kind::Slow => post_query(pick(SLOW)),
        Kind::Update => agent
            .post(&format!("{endpoint}/update"))
            .header("Content-Type", "application/sparql-update")
            .send("INSERT DATA { <urn:x> <urn:y> <urn:z> }"),
        Kind::Page => agent.get(&format!("{endpoint}/")).call(),
        Kind::Outside => agent.get(&format!("{endpoint}{}", pick(OUTSIDE))).call(),
    };
    match response {
        Ok(mut r) => {
            // Read the whole answer: latency includes the body.
            let _ = r.body_mut().read_to_vec();
            r.status().as_u16()
        }
        Err(_) => 0,
    }
}

/// Resident set size of a process, in kB (Linux).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// The `q` quantile of sorted latencies, in milliseconds.
fn quantile_ms(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at] * 1000.0
}

fn sorted_seconds<'a>(samples: impl Iterator<Item = &'a Sample>) -> Vec<f64> {
    let mut v: Vec<f64> = samples.map(|s| s.seconds).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn report(
    args: &Args,
    samples: Vec<Sample>,
    elapsed: f64,
    rss_start: Option<u64>,
    rss_peak: Option<u64>,
) -> Report {
    let mut by_kind: BTreeMap<Kind, Vec<Sample>> = BTreeMap::new();
    let requests = samples.len();
    let ordinary = sorted_seconds(samples.iter().filter(|s| s.kind != Kind::Slow));
    for s in samples {
        by_kind.entry(s.kind).or_default().push(s);
    }
    let kinds = by_kind
        .into_iter()
        .map(|(kind, list)| {
            let mut statuses = BTreeMap::new();
            for s in &list {
                *statuses.entry(s.status).or_insert(0) += 1;
            }
            let latencies = sorted_seconds(list.iter());
            let r = KindReport {
                requests: list.len(),
                unexpected: list.iter().filter(|s| s.status != kind.expected()).count(),
                statuses,
                min_ms: quantile_ms(&latencies, 0.0),
                p50_ms: quantile_ms(&latencies, 0.5),
                p99_ms: quantile_ms(&latencies, 0.99),
                max_ms: quantile_ms(&latencies, 1.0),
                over_1s: latencies.iter().filter(|&&s| s > 1.0).count(),
            };
            (kind, r)
        })
        .collect();
    let mb = |kb: u64| kb as f64 / 1024.0;
    Report {
        clients: args.clients,
        slow_clients: args.slow_clients,
        seconds: elapsed,
        requests,
        requests_per_second: requests as f64 / elapsed,
        p50_ms: quantile_ms(&ordinary, 0.5),
        p99_ms: quantile_ms(&ordinary, 0.99),
        kinds,
        rss_start_mb: rss_start.map(mb),
        rss_peak_mb: rss_peak.map(mb),
    }
}
