//! Derived facts written back into the store, in their own named graph, so that SPARQL users
//! see what the link layer computed: units sharing initiatives (with weights) and how widely
//! each initiative is shared.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use super::corpus::Corpus;
use std::collections::BTreeSet;

use super::graph::{initiatives_by_unit, jaccard, units_by_initiative};
use crate::rdf::{FZ, ID, decimal, iri_segment};

/// Named graph of the derived facts (replaced whole on every recomputation).
pub const DERIVED_GRAPH: &str = "https://w3id.org/fazhi/graph/derived";

/// Initiatives named by more units than this make no unit pairs (see [`super::graph::Graph::build`]):
/// an initiative most units name says little about two units' likeness, and its pairs grow with
/// the square of its units.
pub const HUB_LIMIT: usize = 100;

/// Unit links kept per unit (its strongest), so that the derived graph grows with the units, not
/// with the square of them.
pub const LINKS_PER_UNIT: usize = 10;

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
/// then highest Jaccard, then the other unit's order), in pair order. Counted unit by unit in one
/// reused tally, so memory grows with the units and their kept links, never with all the pairs
/// (tens of millions on a national store).
fn strongest_pairs(corpus: &Corpus) -> Vec<(usize, usize, Vec<usize>, f64)> {
    let by_unit = initiatives_by_unit(corpus);
    let by_initiative = units_by_initiative(corpus);
    let pairs_from = |i: &usize| by_initiative[*i].len() <= HUB_LIMIT;
    let mut tally = vec![0usize; corpus.units.len()];
    let mut touched = Vec::new();
    let mut kept = BTreeSet::new();
    for (a, initiatives) in by_unit.iter().enumerate() {
        for i in initiatives.iter().filter(|i| pairs_from(i)) {
            for &b in by_initiative[*i].iter().filter(|&&b| b != a) {
                if tally[b] == 0 {
                    touched.push(b);
                }
                tally[b] += 1;
            }
        }
        let mut partners: Vec<(usize, usize, f64)> = touched
            .drain(..)
            .map(|b| {
                let shared = std::mem::take(&mut tally[b]);
                (
                    b,
                    shared,
                    jaccard(shared, by_unit[a].len(), by_unit[b].len()),
                )
            })
            .collect();
        partners.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.total_cmp(&x.2)).then(x.0.cmp(&y.0)));
        for (b, ..) in partners.into_iter().take(LINKS_PER_UNIT) {
            kept.insert((a.min(b), a.max(b)));
        }
    }
    kept.into_iter()
        .map(|(a, b)| {
            let via: Vec<usize> = by_unit[a]
                .iter()
                .filter(|i| pairs_from(i) && by_unit[b].binary_search(i).is_ok())
                .copied()
                .collect();
            let j = jaccard(via.len(), by_unit[a].len(), by_unit[b].len());
            (a, b, via, j)
        })
        .collect()
}
