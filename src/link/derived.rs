//! Derived facts written back into the store, in their own named graph, so that SPARQL users
//! see what the link layer computed: units sharing initiatives (with weights) and how widely
//! each initiative is shared.

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use super::corpus::Corpus;
use std::collections::{BTreeMap, BTreeSet};

use super::graph::{initiatives_by_unit, jaccard, units_by_initiative};
use crate::rdf::{FZ, ID, SKOS, decimal, iri_segment};

/// Named graph of the derived facts (replaced whole on every recomputation).
pub const DERIVED_GRAPH: &str = "https://w3id.org/fazhi/graph/derived";

/// Initiatives named by more units than this make no unit pairs (see [`super::graph::Graph::build`]):
/// an initiative most units name says little about two units' likeness, and its pairs grow with
/// the square of its units.
pub const HUB_LIMIT: usize = 100;

/// Unit links kept per unit (its strongest), so that the derived graph grows with the units, not
/// with the square of them.
pub const LINKS_PER_UNIT: usize = 5;

/// The derived graph: `fz:sharesInitiativeWith` both ways, an `fz:UnitLink` per pair with
/// `fz:sharedInitiatives`, `fz:jaccard` and `fz:via` (each unit's [`LINKS_PER_UNIT`] strongest
/// pairs); per initiative its label, `fz:unitCount`, `fz:firstYear`, `fz:lastYear` and
/// [`EARLIEST_KEPT`] `fz:earliestAdopter`s (labelled), what `shared` lists; and for each
/// initiative named by more than [`HUB_LIMIT`] units, what `trace` shows of it beyond those:
/// an `fz:FirstAdoption` per province.
///
/// The quads come lazily, a unit link or an initiative at a time, so that the bulk loader takes
/// them as they are made: collected, the 2.2 M quads of 10^5 reports were the peak of ingest's
/// memory. For the same reason what each link and initiative needs (the initiatives two units
/// share, an initiative's adopters) is worked out when its quads are made, from the initiatives
/// of each unit and the adoptions (sorted by initiative).
pub fn derived_quads(corpus: &Corpus) -> impl Iterator<Item = Quad> + '_ {
    let by_unit = initiatives_by_unit(corpus);
    let by_initiative = units_by_initiative(corpus);
    let unit_counts: Vec<usize> = by_initiative.iter().map(Vec::len).collect();
    let pairs = strongest_pairs(&by_unit, &by_initiative);
    drop(by_initiative);
    let links = pairs.into_iter().map(move |(a, b)| {
        let via: Vec<usize> = in_both(&by_unit[a], &by_unit[b])
            .filter(|&i| unit_counts[i] <= HUB_LIMIT)
            .collect();
        let j = jaccard(via.len(), by_unit[a].len(), by_unit[b].len());
        link_quads(corpus, (a, b), &via, j)
    });
    let years = corpus.initiative_years();
    let mut labelled = vec![false; corpus.units.len()];
    let initiatives = (0..corpus.initiatives.len()).map(move |i| {
        let adopters = first_years(corpus, i);
        let reach = Reach {
            units: adopters.len(),
            years: years[i],
            adopters: &adopters,
        };
        initiative_quads(corpus, i, &reach, &mut labelled)
    });
    links.chain(initiatives).flatten()
}

/// The members of two sorted lists that both hold, in order.
fn in_both<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    a.iter().copied().filter(|i| b.binary_search(i).is_ok())
}

/// Statements of the derived graph, made one subject at a time.
#[derive(Default)]
struct Facts(Vec<Quad>);

impl Facts {
    fn add(&mut self, s: &NamedNode, p: &str, o: Term) {
        let predicate = match p {
            "type" => rdf::TYPE.into_owned(),
            "label" => rdfs::LABEL.into_owned(),
            "prefLabel" => NamedNode::new_unchecked(format!("{SKOS}prefLabel")),
            _ => NamedNode::new_unchecked(format!("{FZ}{p}")),
        };
        let graph = GraphName::NamedNode(NamedNode::new_unchecked(DERIVED_GRAPH));
        self.0.push(Quad::new(s.clone(), predicate, o, graph));
    }
}

fn unit_node(corpus: &Corpus, u: usize) -> NamedNode {
    NamedNode::new_unchecked(&corpus.units[u].iri)
}

fn initiative_node(corpus: &Corpus, i: usize) -> NamedNode {
    NamedNode::new_unchecked(&corpus.initiatives[i].iri)
}

/// Both directions of `fz:sharesInitiativeWith` and the `fz:UnitLink` of one pair of units.
fn link_quads(corpus: &Corpus, (a, b): (usize, usize), via: &[usize], jaccard: f64) -> Vec<Quad> {
    let mut f = Facts::default();
    let (ua, ub) = (unit_node(corpus, a), unit_node(corpus, b));
    f.add(&ua, "sharesInitiativeWith", ub.clone().into());
    f.add(&ub, "sharesInitiativeWith", ua.clone().into());
    let link = NamedNode::new_unchecked(format!(
        "{ID}link/{}",
        iri_segment(&format!("{}~{}", local(&ua), local(&ub)))
    ));
    f.add(
        &link,
        "type",
        NamedNode::new_unchecked(format!("{FZ}UnitLink")).into(),
    );
    f.add(&link, "linkedUnit", ua.into());
    f.add(&link, "linkedUnit", ub.into());
    f.add(&link, "sharedInitiatives", integer(via.len()));
    f.add(
        &link,
        "jaccard",
        Literal::new_typed_literal(decimal(jaccard), xsd::DECIMAL).into(),
    );
    for &i in via {
        f.add(&link, "via", initiative_node(corpus, i).into());
    }
    f.0
}

/// How far one initiative has spread: its units, first and last year, adopters earliest first.
struct Reach<'a> {
    units: usize,
    years: Option<(i32, i32)>,
    adopters: &'a [(usize, Option<i32>)],
}

/// One initiative's reach, earliest adopters (each unit labelled once over all initiatives:
/// `labelled`) and, when it is widely shared, its first adoptions per region.
fn initiative_quads(
    corpus: &Corpus,
    i: usize,
    reach: &Reach<'_>,
    labelled: &mut [bool],
) -> Vec<Quad> {
    let mut f = Facts::default();
    let ii = initiative_node(corpus, i);
    f.add(&ii, "unitCount", integer(reach.units));
    if let Some((first, last)) = reach.years {
        f.add(&ii, "firstYear", integer(first as usize));
        f.add(&ii, "lastYear", integer(last as usize));
    }
    f.add(
        &ii,
        "prefLabel",
        Literal::new_simple_literal(&corpus.initiatives[i].label).into(),
    );
    for &(u, _) in reach.adopters.iter().take(EARLIEST_KEPT) {
        f.add(&ii, "earliestAdopter", unit_node(corpus, u).into());
        if !labelled[u] {
            labelled[u] = true;
            f.add(
                &unit_node(corpus, u),
                "label",
                Literal::new_simple_literal(&corpus.units[u].name).into(),
            );
        }
    }
    if reach.units <= HUB_LIMIT {
        return f.0; // `trace` reads a narrow initiative from its reports in milliseconds
    }
    let dated = reach.adopters.iter().filter_map(|&(u, year)| {
        let year = year?;
        let chain = corpus
            .chain_names(u)
            .into_iter()
            .map(String::from)
            .collect();
        Some((corpus.units[u].name.clone(), chain, year))
    });
    for (path, year, units) in first_by_region(dated, FIRST_ADOPTION_DEPTHS) {
        let node = NamedNode::new_unchecked(format!(
            "{ID}first/{}/{}",
            iri_segment(&corpus.initiatives[i].label),
            iri_segment(&path.join("/"))
        ));
        f.add(
            &node,
            "type",
            NamedNode::new_unchecked(format!("{FZ}FirstAdoption")).into(),
        );
        f.add(&node, "initiative", ii.clone().into());
        f.add(
            &node,
            "regionPath",
            Literal::new_simple_literal(path.join(REGION_PATH_SEPARATOR)).into(),
        );
        f.add(&node, "adoptionYear", integer(year as usize));
        f.add(&node, "adopterCount", integer(units.len()));
        for name in units.iter().take(FIRST_ADOPTERS_KEPT) {
            f.add(
                &node,
                "adopterName",
                Literal::new_simple_literal(name).into(),
            );
        }
    }
    f.0
}

/// Adopters of each initiative kept as `fz:earliestAdopter` (earliest year first, then by name):
/// what `shared` and `trace` list without reading every adopter's report.
pub const EARLIEST_KEPT: usize = 20;

/// Units named per `fz:FirstAdoption` (its `fz:adopterCount` counts them all).
pub const FIRST_ADOPTERS_KEPT: usize = 10;

/// Region depths given a `fz:FirstAdoption` for a widely shared initiative: provinces (with
/// prefectures too, the 800 initiatives over 100 units of 10^5 reports made 300,000 nodes).
pub const FIRST_ADOPTION_DEPTHS: usize = 1;

/// Joins the region names of `fz:regionPath`, outermost first.
pub const REGION_PATH_SEPARATOR: &str = "›";

/// The units naming an initiative, each with the first year it does (unknown only when every
/// report naming it is undated), earliest first, then by unit name (units of unknown year last).
fn first_years(corpus: &Corpus, initiative: usize) -> Vec<(usize, Option<i32>)> {
    let mut units: Vec<(usize, Option<i32>)> = corpus
        .adoptions_of(initiative)
        .iter()
        .map(|a| {
            let report = &corpus.reports[a.report()];
            (report.unit, report.year)
        })
        .collect();
    // Per unit, its earliest known year first, so that dedup keeps it.
    units.sort_unstable_by_key(|&(unit, year)| (unit, year.is_none(), year));
    units.dedup_by_key(|(unit, _)| *unit);
    units.sort_by(|a, b| {
        (a.1.is_none(), a.1, &corpus.units[a.0].name).cmp(&(
            b.1.is_none(),
            b.1,
            &corpus.units[b.0].name,
        ))
    });
    units
}

/// For every region of the adopters' chains (unit, region names from the province down, first
/// year) down to `depths` levels: its path of names, the earliest year a unit in it names the
/// initiative, and those units by name, in tree order (each region before the regions in it).
pub fn first_by_region(
    adopters: impl IntoIterator<Item = (String, Vec<String>, i32)>,
    depths: usize,
) -> Vec<(Vec<String>, i32, BTreeSet<String>)> {
    let mut first: BTreeMap<Vec<String>, (i32, BTreeSet<String>)> = BTreeMap::new();
    for (unit, chain, year) in adopters {
        for depth in 0..chain.len().min(depths) {
            let e = first
                .entry(chain[..=depth].to_vec())
                .or_insert((year, BTreeSet::new()));
            if year < e.0 {
                *e = (year, BTreeSet::new());
            }
            if year == e.0 {
                e.1.insert(unit.clone());
            }
        }
    }
    first
        .into_iter()
        .map(|(path, (year, units))| (path, year, units))
        .collect()
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

/// Unit pairs (a < b) among the [`LINKS_PER_UNIT`] strongest of either unit (most shared
/// initiatives, then highest Jaccard, then the other unit's order), in pair order, from the
/// initiatives of each unit and the units of each initiative. Counted unit by unit in one reused
/// tally, so memory grows with the units and their kept links, never with all the pairs (tens of
/// millions on a national store).
fn strongest_pairs(
    by_unit: &[Vec<usize>],
    by_initiative: &[Vec<usize>],
) -> BTreeSet<(usize, usize)> {
    let pairs_from = |i: &usize| by_initiative[*i].len() <= HUB_LIMIT;
    let mut tally = vec![0usize; by_unit.len()];
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
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::corpus::{Adoption, Initiative, Report, Unit};

    /// A town's reports: the year and the initiatives named.
    type Reports<'a> = &'a [(Option<i32>, &'a [usize])];

    /// A corpus of towns (no regions) with their reports.
    fn corpus(initiatives: &[&str], towns: &[(&str, Reports<'_>)]) -> Corpus {
        let mut c = Corpus {
            initiatives: initiatives
                .iter()
                .map(|label| Initiative {
                    iri: format!("{ID}initiative/{label}"),
                    label: label.to_string(),
                    category: None,
                    aliases: Vec::new(),
                })
                .collect(),
            ..Corpus::default()
        };
        for (unit, (name, reports)) in towns.iter().enumerate() {
            c.units.push(Unit {
                iri: format!("{ID}unit/x/{name}"),
                name: name.to_string(),
                kind: "乡镇".to_string(),
                region: None,
            });
            for (year, named) in reports.iter() {
                let report = c.reports.len();
                c.reports.push(Report {
                    iri: format!("{ID}report/x/{name}/{report}"),
                    unit,
                    year: *year,
                });
                c.adoptions
                    .extend(named.iter().map(|&i| Adoption::new(report, i)));
            }
        }
        c.adoptions.sort_unstable();
        c
    }

    /// The objects of `predicate` about `subject`, in the order they were made.
    fn objects(quads: &[Quad], subject: &str, predicate: &str) -> Vec<String> {
        quads
            .iter()
            .filter(|q| {
                q.subject.to_string() == format!("<{subject}>")
                    && q.predicate.as_str() == format!("{FZ}{predicate}")
            })
            .map(|q| match &q.object {
                Term::NamedNode(n) => n.as_str().rsplit('/').next().unwrap().to_string(),
                Term::Literal(l) => l.value().to_string(),
                other => other.to_string(),
            })
            .collect()
    }

    #[test]
    fn earliest_adopters_go_by_each_units_first_dated_report_and_undated_units_last() {
        let c = corpus(
            &["府院联动"],
            &[
                ("甲镇", &[(Some(2023), &[0]), (Some(2021), &[0])]),
                ("乙镇", &[(None, &[0])]),
                ("丙镇", &[(Some(2022), &[0])]),
                ("丁镇", &[(None, &[0]), (Some(2024), &[0])]),
            ],
        );
        let quads: Vec<Quad> = derived_quads(&c).collect();
        let initiative = &c.initiatives[0].iri;
        assert_eq!(
            objects(&quads, initiative, "earliestAdopter"),
            ["甲镇", "丙镇", "丁镇", "乙镇"]
        );
        assert_eq!(objects(&quads, initiative, "unitCount"), ["4"]);
        assert_eq!(objects(&quads, initiative, "firstYear"), ["2021"]);
        assert_eq!(objects(&quads, initiative, "lastYear"), ["2024"]);
    }

    #[test]
    fn units_link_through_the_initiatives_both_name_but_never_through_a_hub() {
        // Every town names 一网统管, more towns than HUB_LIMIT: it links nobody.
        let names: Vec<String> = (0..=HUB_LIMIT).map(|k| format!("{k:03}镇")).collect();
        const HUB_ONLY: Reports = &[(Some(2023), &[0])];
        let mut towns: Vec<(&str, Reports)> =
            names.iter().map(|n| (n.as_str(), HUB_ONLY)).collect();
        towns.push(("甲镇", &[(Some(2023), &[0, 1, 2, 3])]));
        towns.push(("乙镇", &[(Some(2024), &[0, 1, 2])]));
        let c = corpus(
            &["一网统管", "府院联动", "三所联调", "一社区一顾问"],
            &towns,
        );
        let quads: Vec<Quad> = derived_quads(&c).collect();
        let links: Vec<&Quad> = quads
            .iter()
            .filter(|q| q.predicate.as_str() == format!("{FZ}linkedUnit"))
            .collect();
        assert_eq!(links.len(), 2, "one link, between 甲镇 and 乙镇");
        let link = links[0].subject.to_string();
        let link = link.trim_matches(['<', '>']);
        let mut via = objects(&quads, link, "via");
        via.sort();
        assert_eq!(via, ["三所联调", "府院联动"]);
        assert_eq!(objects(&quads, link, "sharedInitiatives"), ["2"]);
        // Jaccard over all they name, the hub included: 2 shared of 4 + 3 − 2.
        assert_eq!(objects(&quads, link, "jaccard"), [decimal(0.4)]);
        let hub = &c.initiatives[0].iri;
        assert_eq!(
            objects(&quads, hub, "unitCount"),
            [(HUB_LIMIT + 3).to_string()]
        );
    }
}
