//! What users ask of the graph: which initiatives are shared, how two units connect, which
//! nodes matter most.

use std::collections::HashMap;

use petgraph::algo::astar;
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::corpus::{Corpus, for_each_row, number, text};
use super::derived::DERIVED_GRAPH;
use super::graph::{Graph, Node, View};
use crate::store::{Store, StoreError};

/// An initiative and the units that name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shared {
    /// Canonical label.
    pub initiative: String,
    /// How many units name it.
    pub unit_count: usize,
    /// Its earliest units (at most [`EARLIEST_KEPT`](super::derived::EARLIEST_KEPT)), by name.
    pub units: Vec<String>,
    /// Earliest and latest year it is reported in.
    pub years: Option<(i32, i32)>,
}

/// Initiatives named by at least `min_units` units, most widely shared first (ties by label),
/// read from the derived graph (a national store has 10^6 adoptions; the derived graph keeps
/// each initiative's counts, years and earliest units).
pub fn shared(store: &Store, min_units: usize) -> Result<Vec<Shared>, StoreError> {
    if !store.is_complete(DERIVED_GRAPH)? {
        return Err(StoreError::Query(
            "the store has no complete derived graph: run `fazhi link` first".into(),
        ));
    }
    let mut by_iri: HashMap<String, Shared> = HashMap::new();
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?label ?n ?first ?last ?name WHERE {{ GRAPH <{DERIVED_GRAPH}> {{
               ?i fz:unitCount ?n ; skos:prefLabel ?label . FILTER(?n >= {})
               OPTIONAL {{ ?i fz:firstYear ?first ; fz:lastYear ?last }}
               OPTIONAL {{ ?i fz:earliestAdopter ?u . ?u rdfs:label ?name }} }} }}",
            min_units.max(1)
        ),
        &[],
        |row| {
            let s = by_iri
                .entry(text(row, "i").unwrap_or_default())
                .or_insert_with(|| Shared {
                    initiative: text(row, "label").unwrap_or_default(),
                    unit_count: number(row, "n").unwrap_or_default(),
                    units: Vec::new(),
                    years: number(row, "first").zip(number(row, "last")),
                });
            s.units.extend(text(row, "name"));
            Ok(())
        },
    )?;
    let mut out: Vec<Shared> = by_iri.into_values().collect();
    for s in &mut out {
        s.units.sort();
    }
    out.sort_by(|a, b| {
        b.unit_count
            .cmp(&a.unit_count)
            .then_with(|| a.initiative.cmp(&b.initiative))
    });
    Ok(out)
}

/// A unit found by name: an exact name, else the only unit whose name contains the text.
pub fn find_unit(corpus: &Corpus, name: &str) -> Result<usize, String> {
    if let Some(u) = corpus
        .units
        .iter()
        .position(|u| u.name == name || u.iri == name)
    {
        return Ok(u);
    }
    let candidates: Vec<usize> = (0..corpus.units.len())
        .filter(|&u| corpus.units[u].name.contains(name))
        .collect();
    match candidates.as_slice() {
        [u] => Ok(*u),
        [] => Err(format!("no unit named {name:?} in the store")),
        many => Err(format!(
            "{name:?} names {} units: {}",
            many.len(),
            many.iter()
                .take(10)
                .map(|&u| corpus.units[u].name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// One step of a path: a unit, then the initiative leading to the next unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Unit name.
    pub unit: String,
    /// The initiative shared with the next unit (none for the last).
    pub via: Option<String>,
}

/// The shortest chain of shared initiatives from one unit to another, if they are connected.
pub fn path(corpus: &Corpus, from: usize, to: usize) -> Option<Vec<Step>> {
    let g = Graph::build(corpus, View::Bipartite, 0);
    let (start, goal) = (g.node(Node::Unit(from))?, g.node(Node::Unit(to))?);
    let (_, nodes) = astar(&g.graph, start, |n| n == goal, |_| 1u32, |_| 0)?;
    let mut steps = Vec::new();
    for pair in nodes.chunks(2) {
        let Node::Unit(u) = g.graph[pair[0]] else {
            unreachable!("a bipartite path alternates units and initiatives")
        };
        let via = pair.get(1).map(|&n| match g.graph[n] {
            Node::Initiative(i) => corpus.initiatives[i].label.clone(),
            other => unreachable!("{other:?} between units"),
        });
        steps.push(Step {
            unit: corpus.units[u].name.clone(),
            via,
        });
    }
    Some(steps)
}

/// A node's standing in the unit–initiative graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// `unit` or `initiative`.
    pub kind: &'static str,
    /// Name or label.
    pub name: String,
    /// Number of neighbours.
    pub degree: usize,
    /// PageRank (sums to 1 over the graph).
    pub pagerank: f64,
    /// Index of the connected component (0 is the largest).
    pub component: usize,
}

/// Degree, PageRank and component of every unit and initiative, highest PageRank first; and
/// the component sizes, largest first.
pub fn rank(corpus: &Corpus) -> (Vec<Ranked>, Vec<usize>) {
    let g = Graph::build(corpus, View::Bipartite, 0);
    let pr = pagerank(&g, 0.85, 50);
    let (component, sizes) = components(&g);
    let mut out: Vec<Ranked> = g
        .graph
        .node_indices()
        .map(|n| {
            let (kind, name) = match g.graph[n] {
                Node::Unit(u) => ("unit", corpus.units[u].name.clone()),
                Node::Initiative(i) => ("initiative", corpus.initiatives[i].label.clone()),
                other => unreachable!("{other:?} in the unit–initiative graph"),
            };
            Ranked {
                kind,
                name,
                degree: g.graph.edges(n).count(),
                pagerank: pr[n.index()],
                component: component[n.index()],
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.pagerank
            .total_cmp(&a.pagerank)
            .then_with(|| a.name.cmp(&b.name))
    });
    (out, sizes)
}

/// PageRank by power iteration over edges (petgraph's own is quadratic in the node count),
/// with edges weighted and dangling nodes' rank spread evenly.
pub fn pagerank(g: &Graph, damping: f64, iterations: usize) -> Vec<f64> {
    let n = g.graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = g
        .graph
        .node_indices()
        .map(|v| g.graph.edges(v).map(|e| e.weight().weight()).sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..iterations {
        let dangling: f64 = (0..n)
            .filter(|&v| strength[v] == 0.0)
            .map(|v| rank[v])
            .sum();
        let base = (1.0 - damping) / n as f64 + damping * dangling / n as f64;
        let mut next = vec![base; n];
        for e in g.graph.edge_references() {
            let (a, b, w) = (e.source().index(), e.target().index(), e.weight().weight());
            next[b] += damping * rank[a] * w / strength[a];
            next[a] += damping * rank[b] * w / strength[b];
        }
        rank = next;
    }
    rank
}

/// Component of each node (numbered by size, largest first) and the sizes.
pub fn components(g: &Graph) -> (Vec<usize>, Vec<usize>) {
    let n = g.graph.node_count();
    let mut uf = UnionFind::new(n);
    for e in g.graph.edge_references() {
        uf.union(e.source().index(), e.target().index());
    }
    let roots: Vec<usize> = (0..n).map(|v| uf.find(v)).collect();
    let mut size: HashMap<usize, usize> = HashMap::new();
    for &r in &roots {
        *size.entry(r).or_default() += 1;
    }
    let mut order: Vec<(usize, usize)> = size.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let number: HashMap<usize, usize> = order
        .iter()
        .enumerate()
        .map(|(k, &(root, _))| (root, k))
        .collect();
    (
        roots.iter().map(|r| number[r]).collect(),
        order.into_iter().map(|(_, s)| s).collect(),
    )
}
