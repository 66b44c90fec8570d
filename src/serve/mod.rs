//! Stage 7 — serve: the store over HTTP with the SPARQL 1.1 Protocol (`/query`, `/update`), a
//! query page at `/`, CORS for browser clients, a per-query timeout, a result-size limit and a
//! request-body limit. Nothing else is served: no file is ever read from a request path.

pub mod protocol;

use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use oxigraph::io::RdfFormat;
use oxigraph::model::NamedNode;
use oxigraph::sparql::{CancellationToken, QueryResults};
use tiny_http::{Header, Method, Request, Response};

use crate::export::script_json;
use crate::query::{Formats, NAMED, write_results};
use crate::store::{QueryOptions, Store, StoreError};
use protocol::{Params, graph_format, results_format, wanted};

/// How the endpoint behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Accept SPARQL Update at `/update`.
    pub allow_update: bool,
    /// Accept updates on a non-loopback address too.
    pub allow_remote_update: bool,
    /// Longest a query may run.
    pub timeout: Duration,
    /// Most solutions (or triples) a response may hold.
    pub max_results: usize,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Worker threads (concurrent requests).
    pub threads: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:7878".into(),
            allow_update: false,
            allow_remote_update: false,
            timeout: Duration::from_secs(30),
            max_results: 100_000,
            max_body: 1 << 20,
            threads: 8,
        }
    }
}

/// A bound endpoint, ready to run.
pub struct Server {
    http: Arc<tiny_http::Server>,
    state: Arc<State>,
}

struct State {
    store: Store,
    config: Config,
    /// Evaluations answered with 503 at the timeout whose thread has not reached a cancellation
    /// point yet (Oxigraph checks it when it reads the store, not inside in-memory joins and
    /// aggregates). Past a bound, new queries are turned away; queries in time are bounded by the
    /// worker threads and never count against it.
    overdue: AtomicUsize,
}

/// Phases of one query evaluation, shared by the worker that waits for it and its thread.
const EVALUATING: u8 = 0;
const DONE: u8 = 1;
const OVERDUE: u8 = 2;

/// An HTTP answer: status, content type, body.
struct Answer {
    status: u16,
    media: &'static str,
    body: Vec<u8>,
}

fn text(status: u16, message: impl Into<String>) -> Answer {
    let mut body = message.into().into_bytes();
    body.push(b'\n');
    Answer {
        status,
        media: "text/plain; charset=utf-8",
        body,
    }
}

impl Server {
    /// Bind the endpoint; refuses updates on a non-loopback address unless explicitly allowed.
    pub fn bind(store: Store, config: Config) -> Result<Server, String> {
        let addr: SocketAddr = config
            .bind
            .parse()
            .map_err(|e| format!("--bind {}: {e} (expected IP:PORT)", config.bind))?;
        if config.allow_update && !addr.ip().is_loopback() && !config.allow_remote_update {
            return Err(format!(
                "refusing SPARQL Update on {addr}, which is not a loopback address: anyone who reaches it could change the store; add --allow-remote-update if that is meant"
            ));
        }
        let http = tiny_http::Server::http(addr).map_err(|e| format!("{addr}: {e}"))?;
        Ok(Server {
            http: Arc::new(http),
            state: Arc::new(State {
                store,
                config,
                overdue: AtomicUsize::new(0),
            }),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.http.server_addr().to_ip()
    }

    /// Serve until the process ends, `threads` requests at a time.
    pub fn run(self) {
        let workers: Vec<_> = (0..self.state.config.threads.max(1))
            .map(|_| {
                let (http, state) = (Arc::clone(&self.http), Arc::clone(&self.state));
                std::thread::spawn(move || {
                    while let Ok(request) = http.recv() {
                        state.serve(request);
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

impl State {
    fn serve(self: &Arc<Self>, mut request: Request) {
        let answer = self.route(&mut request);
        let mut response = Response::from_data(answer.body).with_status_code(answer.status);
        for (name, value) in [
            ("Content-Type", answer.media),
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", "Content-Type, Accept"),
            ("Vary", "Accept"),
            ("X-Content-Type-Options", "nosniff"),
        ] {
            if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(h);
            }
        }
        // A client that hung up is not the server's problem.
        let _ = request.respond(response);
    }

    fn route(self: &Arc<Self>, request: &mut Request) -> Answer {
        let url = request.url().to_string();
        let (path, query_string) = url.split_once('?').unwrap_or((&url, ""));
        match (request.method(), path) {
            (Method::Options, _) => Answer {
                status: 204,
                media: "text/plain",
                body: Vec::new(),
            },
            (Method::Get, "/") => Answer {
                status: 200,
                media: "text/html; charset=utf-8",
                body: page().into_bytes(),
            },
            (Method::Get | Method::Post, "/query" | "/update") => {
                let mut params = Params::default();
                params.add_form(query_string.as_bytes());
                if *request.method() == Method::Post
                    && let Err(a) = self.read_body(request, &mut params)
                {
                    return a;
                }
                if path == "/query" {
                    self.query(request, &params)
                } else if *request.method() == Method::Get {
                    text(405, "SPARQL Update needs POST")
                } else {
                    self.update(&params)
                }
            }
            (_, "/" | "/query" | "/update") => text(405, "method not allowed"),
            _ => text(404, format!("nothing at {path}: try / , /query or /update")),
        }
    }

    /// Read a POST body (form or direct SPARQL) into the parameters, within the size limit.
    fn read_body(&self, request: &mut Request, params: &mut Params) -> Result<(), Answer> {
        let limit = self.config.max_body;
        if request.body_length().is_some_and(|n| n > limit) {
            return Err(text(413, format!("request body over {limit} bytes")));
        }
        let mut body = Vec::new();
        request
            .as_reader()
            .take(limit as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| text(400, format!("reading the body: {e}")))?;
        if body.len() > limit {
            return Err(text(413, format!("request body over {limit} bytes")));
        }
        let media = header(request, "Content-Type")
            .map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let utf8 =
            |b: Vec<u8>| String::from_utf8(b).map_err(|_| text(400, "the body is not UTF-8"));
        match media.as_str() {
            "application/x-www-form-urlencoded" => params.add_form(&body),
            "application/sparql-query" => params.query = Some(utf8(body)?),
            "application/sparql-update" => params.update = Some(utf8(body)?),
            other => {
                return Err(text(
                    415,
                    format!(
                        "unsupported body type {other:?}: use application/x-www-form-urlencoded, application/sparql-query or application/sparql-update"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Evaluate on a thread of its own, so that the answer at the timeout does not wait for
    /// the evaluation to notice its cancellation (long joins and aggregates check it rarely).
    fn query(self: &Arc<Self>, request: &Request, params: &Params) -> Answer {
        let Some(sparql) = params.query.clone() else {
            return text(
                400,
                "no query: give query= or an application/sparql-query body",
            );
        };
        let (default_graphs, named_graphs) =
            match (graphs(&params.default_graphs), graphs(&params.named_graphs)) {
                (Ok(d), Ok(n)) => (d, n),
                (Err(e), _) | (_, Err(e)) => return text(400, e),
            };
        if self.overdue.load(Ordering::SeqCst) >= 2 * self.config.threads.max(1) {
            return text(
                503,
                "too many cancelled queries still winding down: retry shortly",
            );
        }
        let token = CancellationToken::new();
        let options = QueryOptions {
            default_graphs,
            named_graphs,
            cancel: Some(token.clone()),
        };
        let wanted = wanted(
            params.format.as_deref(),
            header(request, "Accept").as_deref(),
        );
        let (tx, rx) = mpsc::channel();
        let state = Arc::clone(self);
        let phase = Arc::new(AtomicU8::new(EVALUATING));
        let thread_phase = Arc::clone(&phase);
        std::thread::spawn(move || {
            let answer = state.evaluate(&sparql, &options, &wanted);
            if thread_phase
                .compare_exchange(EVALUATING, DONE, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                state.overdue.fetch_sub(1, Ordering::SeqCst);
            }
            let _ = tx.send(answer); // the receiver is gone after a timeout
        });
        match rx.recv_timeout(self.config.timeout) {
            Ok(Ok(answer)) => answer,
            Ok(Err(StoreError::Syntax(e))) => text(400, e),
            Ok(Err(e)) => text(500, e.to_string()),
            Err(_) => {
                token.cancel();
                // Counted before the phase changes, so the thread never takes away more than
                // was added.
                self.overdue.fetch_add(1, Ordering::SeqCst);
                if phase
                    .compare_exchange(EVALUATING, OVERDUE, Ordering::SeqCst, Ordering::SeqCst)
                    .is_err()
                {
                    self.overdue.fetch_sub(1, Ordering::SeqCst);
                }
                text(
                    503,
                    format!(
                        "query cancelled: it ran longer than the {} s timeout",
                        self.config.timeout.as_secs_f32()
                    ),
                )
            }
        }
    }

    fn evaluate(
        &self,
        sparql: &str,
        options: &QueryOptions,
        wanted: &[String],
    ) -> Result<Answer, StoreError> {
        let results = self.store.query_with(sparql, &[], options)?;
        let negotiated = match &results {
            QueryResults::Graph(_) => graph_format(wanted).map(|f| {
                let formats = Formats {
                    solutions: None,
                    graph: f,
                };
                (formats, f.media_type())
            }),
            _ => results_format(wanted).map(|f| {
                let formats = Formats {
                    solutions: Some(f),
                    graph: RdfFormat::Turtle,
                };
                (formats, f.media_type())
            }),
        };
        let Some((formats, media)) = negotiated else {
            return Ok(text(
                406,
                format!(
                    "none of the accepted types ({}) can hold this query's results",
                    wanted.join(", ")
                ),
            ));
        };
        let mut body = Vec::new();
        match write_results(results, formats, self.config.max_results, &mut body) {
            Ok(_) => Ok(Answer {
                status: 200,
                media,
                body,
            }),
            Err(e @ StoreError::TooMany(_)) => Ok(text(413, e.to_string())),
            Err(e) => Err(e),
        }
    }

    fn update(&self, params: &Params) -> Answer {
        if !self.config.allow_update {
            return text(
                403,
                "SPARQL Update is disabled: start fazhi serve with --allow-update to enable it",
            );
        }
        let Some(sparql) = &params.update else {
            return text(
                400,
                "no update: give update= or an application/sparql-update body",
            );
        };
        match self.store.update(sparql) {
            Ok(()) => Answer {
                status: 204,
                media: "text/plain",
                body: Vec::new(),
            },
            Err(StoreError::Syntax(e)) => text(400, e),
            Err(e) => text(500, e.to_string()),
        }
    }
}

fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
}

fn graphs(iris: &[String]) -> Result<Vec<NamedNode>, String> {
    iris.iter()
        .map(|g| NamedNode::new(g).map_err(|e| format!("graph IRI {g:?}: {e}")))
        .collect()
}

/// The query page: the named queries as examples, compiled in.
fn page() -> String {
    let examples: Vec<serde_json::Value> = NAMED
        .iter()
        .map(|q| serde_json::json!({ "name": q.name, "description": q.description(), "text": q.text }))
        .collect();
    let data = script_json(&serde_json::Value::Array(examples));
    include_str!("page.html").replacen("__QUERIES__", &data, 1)
}
