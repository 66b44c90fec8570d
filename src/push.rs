//! Stage 7 — push: every named graph of the store to an existing triple store with the SPARQL 1.1
//! Graph Store HTTP Protocol (one PUT per graph, so a re-push replaces), for deployments that keep
//! their graph in Oxigraph server, Apache Jena Fuseki, GraphDB or Virtuoso.

use std::time::Duration;

use oxigraph::io::RdfFormat;

use crate::store::Store;

/// Longest one request may take (a report graph is a few hundred kilobytes).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The Graph Store Protocol address that goes with a SPARQL query endpoint of a known server:
/// Oxigraph `/query` → `/store`, Fuseki `/DS/sparql` or `/DS/query` → `/DS/data`, Virtuoso
/// `/sparql` → `/sparql-graph-crud`, GraphDB `/repositories/ID` → `/repositories/ID/rdf-graphs/service`.
pub fn graph_store_for(endpoint: &str) -> Option<String> {
    let (base, path) = split_path(endpoint.trim_end_matches('/'))?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let new_path = match segments.as_slice() {
        ["query"] => "/store".to_string(),
        ["sparql"] => "/sparql-graph-crud".to_string(),
        [dataset, "sparql" | "query"] => format!("/{dataset}/data"),
        ["repositories", id] => format!("/repositories/{id}/rdf-graphs/service"),
        _ => return None,
    };
    Some(format!("{base}{new_path}"))
}

/// `http://host:port` and the path of a URL.
fn split_path(url: &str) -> Option<(&str, &str)> {
    let after_scheme = url.find("://")? + 3;
    match url[after_scheme..].find('/') {
        Some(k) => Some(url.split_at(after_scheme + k)),
        None => Some((url, "")),
    }
}

/// What a push did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pushed {
    /// Graphs sent.
    pub graphs: usize,
    /// Triples sent.
    pub triples: usize,
}

/// PUT every named graph of the store to `graph_store`; `each` hears of every graph sent.
pub fn push(
    store: &Store,
    graph_store: &str,
    mut each: impl FnMut(&str, usize),
) -> Result<Pushed, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(REQUEST_TIMEOUT))
        .build()
        .into();
    let mut pushed = Pushed::default();
    for graph in store.graph_names().map_err(|e| e.to_string())? {
        let mut body = Vec::new();
        store
            .dump(&mut body, RdfFormat::NTriples, Some(graph.as_str()))
            .map_err(|e| format!("{graph}: {e}"))?;
        let triples = body.iter().filter(|&&b| b == b'\n').count();
        let url = format!(
            "{graph_store}{}graph={}",
            if graph_store.contains('?') { '&' } else { '?' },
            form_urlencoded::byte_serialize(graph.as_str().as_bytes()).collect::<String>()
        );
        let mut response = agent
            .put(&url)
            .header("Content-Type", "application/n-triples")
            .send(&body[..])
            .map_err(|e| format!("PUT {url}: {e}"))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let detail = response.body_mut().read_to_string().unwrap_or_default();
            return Err(format!(
                "PUT {url}: HTTP {status} {}",
                detail.trim().chars().take(300).collect::<String>()
            ));
        }
        each(graph.as_str(), triples);
        pushed.graphs += 1;
        pushed.triples += triples;
    }
    Ok(pushed)
}

/// Triples the server at a SPARQL `endpoint` holds in `graph` (to check a push).
pub fn count_at(endpoint: &str, graph: &str) -> Result<usize, String> {
    let query = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    let mut response = ureq::get(endpoint)
        .query("query", &query)
        .header("Accept", "text/tab-separated-values")
        .call()
        .map_err(|e| format!("{endpoint}: {e}"))?;
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    // TSV: a header line, then the typed literal "n"^^xsd:integer or a bare number.
    let value = body.lines().nth(1).unwrap_or_default();
    let digits: String = value
        .trim_start_matches('"')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits
        .parse()
        .map_err(|_| format!("{endpoint}: unexpected count {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_store_addresses_of_known_servers() {
        let cases = [
            ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
            ("http://h:3030/fazhi/sparql", "http://h:3030/fazhi/data"),
            ("http://h:3030/fazhi/query", "http://h:3030/fazhi/data"),
            ("http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
            (
                "http://h:7200/repositories/fazhi",
                "http://h:7200/repositories/fazhi/rdf-graphs/service",
            ),
        ];
        for (endpoint, store) in cases {
            assert_eq!(
                graph_store_for(endpoint).as_deref(),
                Some(store),
                "{endpoint}"
            );
        }
        assert_eq!(graph_store_for("http://h/some/thing/else"), None);
    }
}
