//! The SPARQL 1.1 Protocol's request side: parameters from the URL and the body, and content
//! negotiation of the result format.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// The parameters of a query or update request.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Params {
    /// `query=` (or an `application/sparql-query` body).
    pub query: Option<String>,
    /// `update=` (or an `application/sparql-update` body).
    pub update: Option<String>,
    /// `default-graph-uri=` (repeatable).
    pub default_graphs: Vec<String>,
    /// `named-graph-uri=` (repeatable).
    pub named_graphs: Vec<String>,
    /// `format=`: a result format named in the URL, for clients that cannot set Accept.
    pub format: Option<String>,
}

impl Params {
    /// Add the pairs of an `application/x-www-form-urlencoded` string (a URL query or a body).
    pub fn add_form(&mut self, form: &[u8]) {
        for (k, v) in form_urlencoded::parse(form) {
            let v = v.into_owned();
            match k.as_ref() {
                "query" => self.query = Some(v),
                "update" => self.update = Some(v),
                "default-graph-uri" | "using-graph-uri" => self.default_graphs.push(v),
                "named-graph-uri" | "using-named-graph-uri" => self.named_graphs.push(v),
                "format" | "output" => self.format = Some(v),
                _ => {}
            }
        }
    }
}

/// Media ranges of an Accept header, best first (by q, then by order); `q=0` ranges dropped.
pub fn accepted(accept: &str) -> Vec<String> {
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(k, part)| {
            let mut pieces = part.split(';');
            let media = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty() && q > 0.0).then_some((q, k, media))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, m)| m).collect()
}

/// Short names for `format=`.
fn named_media(name: &str) -> Option<&'static str> {
    Some(match name {
        "json" => "application/sparql-results+json",
        "xml" => "application/sparql-results+xml",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "turtle" | "ttl" => "text/turtle",
        "ntriples" | "nt" => "application/n-triples",
        "rdfxml" => "application/rdf+xml",
        "jsonld" => "application/ld+json",
        _ => return None,
    })
}

/// The media ranges a request asks for: `format=` first, then its Accept header.
pub fn wanted(format: Option<&str>, accept: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = format
        .map(|f| named_media(f).map_or_else(|| f.to_string(), String::from))
        .into_iter()
        .collect();
    out.extend(accepted(accept.unwrap_or("*/*")));
    if out.is_empty() {
        out.push("*/*".into());
    }
    out
}

fn is_wildcard(media: &str) -> bool {
    media == "*/*" || media.ends_with("/*")
}

/// The results format for solutions and booleans (JSON when anything goes).
pub fn results_format(wanted: &[String]) -> Option<QueryResultsFormat> {
    wanted.iter().find_map(|m| {
        if is_wildcard(m) || m == "application/json" {
            Some(QueryResultsFormat::Json)
        } else {
            QueryResultsFormat::from_media_type(m)
        }
    })
}

/// The RDF format for graph results (Turtle when anything goes); only triple formats and the
/// quad formats that hold triples.
pub fn graph_format(wanted: &[String]) -> Option<RdfFormat> {
    wanted.iter().find_map(|m| {
        if is_wildcard(m) {
            Some(RdfFormat::Turtle)
        } else {
            RdfFormat::from_media_type(m).filter(|f| !matches!(f, RdfFormat::N3))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_ranges_come_best_first() {
        assert_eq!(
            accepted("text/csv;q=0.5, application/sparql-results+xml, */*;q=0.1, text/plain;q=0"),
            ["application/sparql-results+xml", "text/csv", "*/*"]
        );
    }

    #[test]
    fn negotiation_picks_a_format_or_none() {
        let w = wanted(None, Some("text/tab-separated-values"));
        assert_eq!(results_format(&w), Some(QueryResultsFormat::Tsv));
        assert_eq!(
            results_format(&wanted(None, None)),
            Some(QueryResultsFormat::Json)
        );
        assert_eq!(results_format(&wanted(None, Some("image/png"))), None);
        assert_eq!(
            graph_format(&wanted(None, Some("application/n-triples"))),
            Some(RdfFormat::NTriples)
        );
        assert_eq!(
            graph_format(&wanted(Some("rdfxml"), Some("text/turtle"))),
            Some(RdfFormat::RdfXml)
        );
    }

    #[test]
    fn form_parameters_are_decoded_and_repeatable() {
        let mut p = Params::default();
        p.add_form(b"query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D&default-graph-uri=http%3A%2F%2Fa&default-graph-uri=http%3A%2F%2Fb");
        assert_eq!(p.query.as_deref(), Some("SELECT * WHERE {?s ?p ?o}"));
        assert_eq!(p.default_graphs, ["http://a", "http://b"]);
    }
}
