//! Stage 7 — export: a link-layer graph as files that visualisation tools open: GraphML
//! (Gephi, Cytoscape, yEd), GEXF with years as time (Gephi's timeline), DOT (Graphviz),
//! Cytoscape.js JSON, node-link JSON, and a self-contained HTML page.
//!
//! Every writer consumes one [`Exported`] graph: nodes and edges with typed attributes, so that
//! the formats say the same thing.

mod dot;
mod gexf;
mod graphml;
mod html;
mod json;

use std::collections::BTreeMap;
use std::io::{self, Write};

use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::link::analysis::pagerank;
use crate::link::corpus::Corpus;
use crate::link::graph::{Edge, Graph, Node, View};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GraphML with typed keys.
    Graphml,
    /// GEXF 1.2 with years as time.
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// Cytoscape.js elements JSON.
    Cytoscape,
    /// Node-link JSON (`nodes`, `edges`).
    Json,
    /// A self-contained interactive page.
    Html,
}

impl Format {
    /// Every format with its command-line name.
    pub const NAMED: [(&'static str, Format); 6] = [
        ("graphml", Format::Graphml),
        ("gexf", Format::Gexf),
        ("dot", Format::Dot),
        ("cytoscape", Format::Cytoscape),
        ("json", Format::Json),
        ("html", Format::Html),
    ];

    /// The format of a command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Self::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}

/// Every view with its command-line name.
pub const VIEWS: [(&str, View); 4] = [
    ("bipartite", View::Bipartite),
    ("units", View::Units),
    ("initiatives", View::Initiatives),
    ("all", View::All),
];

/// The view of a command-line name.
pub fn view_from_name(name: &str) -> Option<View> {
    VIEWS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// An attribute value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A real number.
    Real(f64),
}

impl Value {
    /// The value as text, as XML attribute values need it.
    pub fn lexical(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Int(n) => n.to_string(),
            Value::Real(x) => format!("{x}"),
        }
    }
}

/// A node ready for writing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportNode {
    /// Stable id within the export (`u3`, `i12`, `r5`, `y2024`, `d7`).
    pub id: String,
    /// Node type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Display label.
    pub label: String,
    /// The earliest year the node appears in (adoption, report), if any.
    pub start: Option<i32>,
    /// Named attributes (iri, unitType, region, category, degree, pagerank, …).
    pub attrs: BTreeMap<&'static str, Value>,
}

/// An edge ready for writing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportEdge {
    /// Stable id within the export.
    pub id: String,
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// Edge type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Weight (evidence years, shared initiatives, common units).
    pub weight: f64,
    /// The earliest year the edge holds in, if any.
    pub start: Option<i32>,
    /// Named attributes (years, mentions, jaccard, via, …).
    pub attrs: BTreeMap<&'static str, Value>,
    /// Evidence sentences, when the corpus was loaded with them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A graph ready for writing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exported {
    /// Which view it is (`bipartite`, `units`, `initiatives`, `all`).
    pub view: &'static str,
    /// Nodes.
    pub nodes: Vec<ExportNode>,
    /// Edges.
    pub edges: Vec<ExportEdge>,
}

/// Build the exported form of one view of the corpus.
pub fn build(corpus: &Corpus, view: View) -> Exported {
    let g = Graph::build(corpus, view, crate::link::derived::HUB_LIMIT);
    let pr = pagerank(&g, 0.85, 50);
    let evidence = evidence_by_pair(corpus);
    let firsts = FirstYears {
        units: corpus.unit_first_years(),
        initiatives: corpus.initiative_years(),
    };
    let mut edges: Vec<ExportEdge> = g
        .graph
        .edge_references()
        .enumerate()
        .map(|(k, e)| {
            let (a, b) = (g.graph[e.source()], g.graph[e.target()]);
            export_edge(corpus, k, a, b, e.weight(), &evidence)
        })
        .collect();
    edges.sort_by(|x, y| x.id.cmp(&y.id));
    let mut nodes: Vec<ExportNode> = g
        .graph
        .node_indices()
        .map(|n| {
            let mut node = export_node(corpus, g.graph[n], &firsts);
            node.attrs
                .insert("degree", Value::Int(g.graph.edges(n).count() as i64));
            node.attrs.insert("pagerank", Value::Real(pr[n.index()]));
            node
        })
        .collect();
    nodes.sort_by(|x, y| x.id.cmp(&y.id));
    Exported {
        view: VIEWS
            .iter()
            .find(|(_, v)| *v == view)
            .map_or("graph", |(n, _)| n),
        nodes,
        edges,
    }
}

/// Write an exported graph in a format.
pub fn write(graph: &Exported, format: Format, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Graphml => graphml::write(graph, out),
        Format::Gexf => gexf::write(graph, out),
        Format::Dot => dot::write(graph, out),
        Format::Cytoscape => json::write_cytoscape(graph, out),
        Format::Json => json::write_node_link(graph, out),
        Format::Html => html::write(graph, out),
    }
}

fn node_id(n: Node) -> String {
    match n {
        Node::Unit(k) => format!("u{k}"),
        Node::Initiative(k) => format!("i{k}"),
        Node::Region(k) => format!("r{k}"),
        Node::Year(y) => format!("y{y}"),
        Node::Document(k) => format!("d{k}"),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// When units and initiatives first appear: a node starts in that year on a timeline.
struct FirstYears {
    units: Vec<Option<i32>>,
    initiatives: Vec<Option<(i32, i32)>>,
}

fn export_node(corpus: &Corpus, n: Node, firsts: &FirstYears) -> ExportNode {
    let mut attrs = BTreeMap::new();
    let (label, start) = match n {
        Node::Unit(u) => {
            let unit = &corpus.units[u];
            attrs.insert("iri", text(&unit.iri));
            attrs.insert("unitType", text(&unit.kind));
            attrs.insert("region", Value::Text(corpus.chain_names(u).join("›")));
            (unit.name.clone(), firsts.units[u])
        }
        Node::Initiative(i) => {
            let it = &corpus.initiatives[i];
            attrs.insert("iri", text(&it.iri));
            if let Some(c) = &it.category {
                attrs.insert("category", text(c));
            }
            if !it.aliases.is_empty() {
                attrs.insert("aliases", Value::Text(it.aliases.join("、")));
            }
            (
                it.label.clone(),
                firsts.initiatives[i].map(|(first, _)| first),
            )
        }
        Node::Region(r) => {
            let region = &corpus.regions[r];
            attrs.insert("iri", text(&region.iri));
            if let Some(c) = &region.code {
                attrs.insert("code", text(c));
            }
            (region.name.clone(), None)
        }
        Node::Year(y) => (format!("{y}年"), Some(y)),
        Node::Document(d) => {
            let doc = &corpus.documents[d];
            attrs.insert("iri", text(&doc.iri));
            if let Some(k) = &doc.kind {
                attrs.insert("documentType", text(k));
            }
            (format!("《{}》", doc.title), None)
        }
    };
    ExportNode {
        id: node_id(n),
        kind: n.kind(),
        label,
        start,
        attrs,
    }
}

fn export_edge(
    corpus: &Corpus,
    k: usize,
    a: Node,
    b: Node,
    e: &Edge,
    evidence: &BTreeMap<(usize, usize), Vec<String>>,
) -> ExportEdge {
    let mut attrs = BTreeMap::new();
    let years = e.years();
    if !years.is_empty() {
        let list: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        attrs.insert("years", Value::Text(list.join(",")));
    }
    let mut sentences = Vec::new();
    match e {
        Edge::Adopts { mentions, .. } => {
            attrs.insert("mentions", Value::Int(*mentions as i64));
            if let (Node::Unit(u), Node::Initiative(i)) | (Node::Initiative(i), Node::Unit(u)) =
                (a, b)
            {
                sentences = evidence.get(&(u, i)).cloned().unwrap_or_default();
            }
        }
        Edge::Shared { via, jaccard } => {
            attrs.insert("jaccard", Value::Real(*jaccard));
            let labels: Vec<&str> = via
                .iter()
                .map(|&i| corpus.initiatives[i].label.as_str())
                .collect();
            attrs.insert("via", Value::Text(labels.join("、")));
        }
        Edge::CoOccurs { units } => {
            let names: Vec<&str> = units
                .iter()
                .map(|&u| corpus.units[u].name.as_str())
                .collect();
            attrs.insert("units", Value::Text(names.join("、")));
        }
        Edge::LocatedIn | Edge::Within | Edge::Reported | Edge::Cites { .. } => {}
    }
    ExportEdge {
        id: format!("e{k}"),
        source: node_id(a),
        target: node_id(b),
        kind: e.kind(),
        weight: e.weight(),
        start: years.first().copied(),
        attrs,
        evidence: sentences,
    }
}

/// Evidence sentences of each unit × initiative, with the report year in front.
fn evidence_by_pair(corpus: &Corpus) -> BTreeMap<(usize, usize), Vec<String>> {
    let mut out: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    let mentioned = corpus.adoptions.iter().zip(&corpus.mentions);
    for (a, m) in mentioned.filter(|(_, m)| !m.evidence.is_empty()) {
        let report = &corpus.reports[a.report()];
        let year = report.year.map_or("?".to_string(), |y| y.to_string());
        out.entry((report.unit, a.initiative()))
            .or_default()
            .push(format!("{year}: {}", m.evidence));
    }
    out
}

/// JSON text to place inside an HTML `<script>` element: "</" could close the element early,
/// and JSON allows escaping the slash.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace("</", "<\\/")
}

/// XML-escape text for element content and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids (control characters from crawled pages) are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The attribute keys used by nodes (or edges), each with the type of its values, sorted.
pub(crate) fn keys<'a>(
    attrs: impl Iterator<Item = &'a BTreeMap<&'static str, Value>>,
) -> Vec<(&'static str, &'static str)> {
    let mut keys: BTreeMap<&'static str, &'static str> = BTreeMap::new();
    for map in attrs {
        for (k, v) in map {
            let t = match v {
                Value::Text(_) => "string",
                Value::Int(_) => "long",
                Value::Real(_) => "double",
            };
            keys.entry(k).or_insert(t);
        }
    }
    keys.into_iter().collect()
}
