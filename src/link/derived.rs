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

/// Initiatives named by more units than this make no unit pairs (see [`super::graph::Graph::build`]).
pub const HUB_LIMIT: usize = 500;

/// The derived graph: `fz:sharesInitiativeWith` both ways, an `fz:UnitLink` per pair with
/// `fz:sharedInitiatives`, `fz:jaccard` and `fz:via`; `fz:unitCount` and `fz:firstYear` per initiative.
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
    for (a, b, via, jaccard) in unit_pairs(corpus, HUB_LIMIT) {
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
