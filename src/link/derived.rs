//! Derived facts written back into the store, in their own named graph, so that SPARQL users
//! see what the link layer computed: units sharing initiatives (with weights) and how widely
//! each initiative is shared.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use super::corpus::Corpus;
use super::graph::{unit_pairs, units_by_initiative};
use crate::rdf::{FZ, ID, decimal, iri_segment};

/// Named graph of the derived facts (replaced whole on every recomputation).
pub const DERIVED_GRAPH: &str = "https://w3id.org/fazhi/graph/derived";

/// Initiatives named by more units than this make no unit pairs (see [`super::graph::Graph::build`]):
/// an initiative most units name says little about two units' likeness, and its pairs grow with
/// the square of its units.
pub const HUB_LIMIT: usize = 100;

/// Unit links kept per unit (its strongest), so that the derived graph grows with the units, not
/// with the square of them.
pub const LINKS_PER_UNIT: usize = 20;

/// The derived graph: `fz:sharesInitiativeWith` both ways, an `fz:UnitLink` per pair with
/// `fz:sharedInitiatives`, `fz:jaccard` and `fz:via` (each unit's [`LINKS_PER_UNIT`] strongest
/// pairs); `fz:unitCount` and `fz:firstYear` per initiative.
pub fn derived_quads(corpus: &Corpus) -> Vec<Quad> {
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(DERIVED_GRAPH));
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: &str, o: Term| {
        let predicate = match p {
            "type" => rdf::TYPE.into_owned(),
            _ => NamedNode::new_unchecked(format!("{FZ}{p}")),
        };
        quads.push(Quad::new(s.clone(), predicate, o, graph.clone()));
    };
    let unit = |u: usize| NamedNode::new_unchecked(&corpus.units[u].iri);
    let initiative = |i: usize| NamedNode::new_unchecked(&corpus.initiatives[i].iri);
    for (a, b, via, jaccard) in strongest_pairs(corpus) {
        let (ua, ub) = (unit(a), unit(b));
        add(&ua, "sharesInitiativeWith", ub.clone().into());
        add(&ub, "sharesInitiativeWith", ua.clone().into());
        let link = NamedNode::new_unchecked(format!(
            "{ID}link/{}",
            iri_segment(&format!("{}~{}", local(&ua), local(&ub)))
        ));
        add(
            &link,
            "type",
            NamedNode::new_unchecked(format!("{FZ}UnitLink")).into(),
        );
        add(&link, "linkedUnit", ua.into());
        add(&link, "linkedUnit", ub.into());
        add(&link, "sharedInitiatives", integer(via.len()));
        add(
            &link,
            "jaccard",
            Literal::new_typed_literal(decimal(jaccard), xsd::DECIMAL).into(),
        );
        for i in via {
            add(&link, "via", initiative(i).into());
        }
    }
    let years = corpus.initiative_years();
    for (i, units) in units_by_initiative(corpus).iter().enumerate() {
        let ii = initiative(i);
        add(&ii, "unitCount", integer(units.len()));
        if let Some((y, _)) = years[i] {
            add(&ii, "firstYear", integer(y as usize));
        }
    }
    quads
}

fn integer(n: usize) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

/// The part of a unit IRI after `unit/` (region code and name), unique per unit.
fn local(n: &NamedNode) -> &str {
    let s = n.as_str();
    s.strip_prefix(ID)
        .and_then(|rest| rest.strip_prefix("unit/"))
        .unwrap_or(s)
}

/// Unit pairs among the [`LINKS_PER_UNIT`] strongest of either unit (most shared initiatives,
/// then highest Jaccard), in pair order.
fn strongest_pairs(corpus: &Corpus) -> Vec<(usize, usize, Vec<usize>, f64)> {
    let pairs = unit_pairs(corpus, HUB_LIMIT);
    let mut by_unit: Vec<Vec<usize>> = vec![Vec::new(); corpus.units.len()];
    for (k, (a, b, _, _)) in pairs.iter().enumerate() {
        by_unit[*a].push(k);
        by_unit[*b].push(k);
    }
    let mut keep = vec![false; pairs.len()];
    for mut ks in by_unit {
        ks.sort_by(|&x, &y| {
            let (px, py) = (&pairs[x], &pairs[y]);
            py.2.len()
                .cmp(&px.2.len())
                .then(py.3.total_cmp(&px.3))
                .then(x.cmp(&y))
        });
        for k in ks.into_iter().take(LINKS_PER_UNIT) {
            keep[k] = true;
        }
    }
    pairs
        .into_iter()
        .zip(keep)
        .filter_map(|(p, kept)| kept.then_some(p))
        .collect()
}
