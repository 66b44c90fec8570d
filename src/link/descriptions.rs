//! What the link layer knows of each entity before it is sorted and indexed: descriptions keyed
//! by IRI, read from the store ([`super::corpus`]) or taken from the quads of report graphs as
//! ingest writes them ([`Descriptions::observe`]). Either way [`Descriptions::into_corpus`]
//! applies the same rules (what an entity needs to be kept, the orders, the indices).
//!
//! Each field comes from the first copy that has it, and the store and the quads meet copies in
//! different orders: that is sound because copies agree, their IRIs being made from what they
//! describe (a region's from its code, a unit's from its region code and name). Where they did
//! not (a city without counties given its own code as broader region), the two readings differed
//! and revealed the mapping bug.
//!
//! Taking them from the quads spares the relink after an ingest into an empty store from
//! reading back what it just wrote: at 10^5 reports, that read was 300,000 index lookups into
//! freshly ingested files the store had not compacted yet (76 s after four commits, 220 s
//! after one).
//!
//! An ingest holds its descriptions from the first report to the relink, so they are kept lean:
//! each IRI is stored once (as the key of its position), an entity refers to another by
//! position, and an adoption is two 32-bit positions.

use std::collections::HashMap;

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};

use super::corpus::{Adoption, Corpus, Initiative, Region, Report, Unit, narrow};
use crate::rdf::{FZ, SKOS};
use crate::store::StoreError;

/// Positions by IRI.
pub type Index = HashMap<String, usize>;

/// The positions of `items` by their IRIs.
pub fn index_by_iri<T>(items: &[T], iri: impl Fn(&T) -> &str) -> Index {
    items
        .iter()
        .enumerate()
        .map(|(k, item)| (iri(item).to_string(), k))
        .collect()
}

/// A region as read: each field from the first copy that has it.
#[derive(Debug, Default)]
pub struct RegionFacts {
    /// `rdfs:label`.
    pub name: Option<String>,
    /// `skos:notation`.
    pub code: Option<String>,
    /// `skos:broader`, a region's position ([`Descriptions::region_position`]).
    pub parent: Option<usize>,
}

/// A unit as read.
#[derive(Debug, Default)]
pub struct UnitFacts {
    /// `rdfs:label`.
    pub name: Option<String>,
    /// `fz:unitType`.
    pub kind: Option<String>,
    /// `fz:region`, a region's position ([`Descriptions::region_position`]).
    pub region: Option<usize>,
}

/// An initiative named by some report, as read.
#[derive(Debug, Default)]
pub struct InitiativeFacts {
    /// `skos:prefLabel`.
    pub label: Option<String>,
    /// `fz:category`.
    pub category: Option<String>,
}

/// A report as read (in its own graph).
#[derive(Debug, Default)]
pub struct ReportFacts {
    /// `fz:reportingUnit`, a unit's position ([`Descriptions::unit_position`]).
    pub unit: Option<usize>,
    /// The `rdf:value` of its `fz:year`.
    pub year: Option<i32>,
}

/// Entities of one kind in the order first seen, with their positions by IRI (each IRI held
/// once, by the map).
#[derive(Debug)]
struct Seen<T> {
    facts: Vec<T>,
    at: HashMap<Box<str>, u32>,
}

impl<T> Default for Seen<T> {
    fn default() -> Self {
        Seen {
            facts: Vec::new(),
            at: HashMap::new(),
        }
    }
}

impl<T: Default> Seen<T> {
    /// Position of `iri`, added (undescribed) when first seen.
    fn position(&mut self, iri: &str) -> usize {
        if let Some(&k) = self.at.get(iri) {
            return k as usize;
        }
        let k = self.facts.len();
        self.facts.push(T::default());
        self.at.insert(iri.into(), narrow(k));
        k
    }

    /// The description of `iri`, added when first seen.
    fn entry(&mut self, iri: &str) -> &mut T {
        let k = self.position(iri);
        &mut self.facts[k]
    }

    /// Each entity's IRI and description, in the order first seen.
    fn into_items(self) -> Vec<(String, T)> {
        let mut iris = vec![String::new(); self.facts.len()];
        for (iri, k) in self.at {
            iris[k as usize] = iri.into_string();
        }
        iris.into_iter().zip(self.facts).collect()
    }
}

/// Descriptions of regions, units, initiatives and reports, and which report names which
/// initiative.
#[derive(Debug, Default)]
pub struct Descriptions {
    regions: Seen<RegionFacts>,
    units: Seen<UnitFacts>,
    initiatives: Seen<InitiativeFacts>,
    reports: Seen<ReportFacts>,
    /// Positions in `reports` and `initiatives`.
    adoptions: Vec<(u32, u32)>,
}

/// What a subject of a report graph is, for [`Descriptions::observe`].
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Region,
    Unit,
    Initiative,
    Year,
}

/// Keep the first value a field is given.
fn first<T>(field: &mut Option<T>, value: impl FnOnce() -> T) {
    if field.is_none() {
        *field = Some(value());
    }
}

/// An IRI without brackets, a literal's text.
pub fn lexical(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        Term::Literal(l) => l.value().to_string(),
        Term::BlankNode(b) => b.as_str().to_string(),
    }
}

/// `iri` in namespace `ns` with local name `local`, without allocating.
fn is(iri: &NamedNode, ns: &str, local: &str) -> bool {
    iri.as_str().strip_prefix(ns) == Some(local)
}

impl Descriptions {
    /// The description of a region, added when first seen.
    pub fn region(&mut self, iri: &str) -> &mut RegionFacts {
        self.regions.entry(iri)
    }

    /// The position of a region, which other descriptions refer to it by (added, undescribed,
    /// when first seen).
    pub fn region_position(&mut self, iri: &str) -> usize {
        self.regions.position(iri)
    }

    /// The description of a unit, added when first seen.
    pub fn unit(&mut self, iri: &str) -> &mut UnitFacts {
        self.units.entry(iri)
    }

    /// The position of a unit, which reports refer to it by (added, undescribed, when first
    /// seen).
    pub fn unit_position(&mut self, iri: &str) -> usize {
        self.units.position(iri)
    }

    /// The description of an initiative, added when first seen.
    pub fn initiative(&mut self, iri: &str) -> &mut InitiativeFacts {
        self.initiatives.entry(iri)
    }

    /// The description of a report, added when first seen.
    pub fn report(&mut self, iri: &str) -> &mut ReportFacts {
        self.reports.entry(iri)
    }

    /// Record that `report` names `initiative` (both added when first seen).
    pub fn adopt(&mut self, report: &str, initiative: &str) {
        let adoption = (
            narrow(self.reports.position(report)),
            narrow(self.initiatives.position(initiative)),
        );
        self.adoptions.push(adoption);
    }

    /// Take what the link layer needs from the quads of one report graph, as they are written:
    /// the same triples the store loaders read (`?report a fz:Report` in its own graph, its
    /// unit, year and `fz:namesInitiative`; the units, regions and initiatives it
    /// describes). Quads of other graphs (without an `a fz:Report` for the graph's name) add
    /// nothing.
    pub fn observe(&mut self, quads: &[Quad]) {
        let Some(GraphName::NamedNode(graph)) = quads.first().map(|q| &q.graph_name) else {
            return;
        };
        let mut roles: HashMap<&str, Role> = HashMap::new();
        let mut is_report = false;
        for q in quads {
            let Term::NamedNode(object) = &q.object else {
                continue;
            };
            if q.predicate.as_ref() == rdf::TYPE {
                let role = if is(object, FZ, "Region") {
                    Role::Region
                } else if is(object, FZ, "Unit") {
                    Role::Unit
                } else if is(object, FZ, "Year") {
                    Role::Year
                } else {
                    is_report |= is(object, FZ, "Report") && subject_is(q, graph);
                    continue;
                };
                if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                    roles.insert(s.as_str(), role);
                }
            } else if is(&q.predicate, FZ, "namesInitiative") && subject_is(q, graph) {
                roles.insert(object.as_str(), Role::Initiative);
            }
        }
        if !is_report {
            return;
        }
        let mut year_node = None;
        let mut years: HashMap<&str, i32> = HashMap::new();
        for q in quads {
            let NamedOrBlankNode::NamedNode(s) = &q.subject else {
                continue;
            };
            if s == graph {
                self.describe_report(graph.as_str(), q, &mut year_node);
                continue;
            }
            let (p, o) = (&q.predicate, &q.object);
            match roles.get(s.as_str()) {
                Some(Role::Region) => {
                    let parent = is(p, SKOS, "broader").then(|| self.region_position(&lexical(o)));
                    let r = self.region(s.as_str());
                    if p.as_ref() == rdfs::LABEL {
                        first(&mut r.name, || lexical(o));
                    } else if is(p, SKOS, "notation") {
                        first(&mut r.code, || lexical(o));
                    } else if let Some(parent) = parent {
                        r.parent.get_or_insert(parent);
                    }
                }
                Some(Role::Unit) => {
                    let region = is(p, FZ, "region").then(|| self.region_position(&lexical(o)));
                    let u = self.unit(s.as_str());
                    if p.as_ref() == rdfs::LABEL {
                        first(&mut u.name, || lexical(o));
                    } else if is(p, FZ, "unitType") {
                        first(&mut u.kind, || lexical(o));
                    } else if let Some(region) = region {
                        u.region.get_or_insert(region);
                    }
                }
                Some(Role::Initiative) => {
                    let i = self.initiative(s.as_str());
                    if is(p, SKOS, "prefLabel") {
                        first(&mut i.label, || lexical(o));
                    } else if is(p, FZ, "category") {
                        first(&mut i.category, || lexical(o));
                    }
                }
                Some(Role::Year) if p.as_ref() == rdf::VALUE => {
                    if let Some(y) = integer(o) {
                        years.insert(s.as_str(), y);
                    }
                }
                _ => {}
            }
        }
        let year = year_node.and_then(|n: &str| years.get(n).copied());
        let report = self.report(graph.as_str());
        if report.year.is_none() {
            report.year = year;
        }
    }

    /// One statement about the report itself.
    fn describe_report<'q>(&mut self, graph: &str, q: &'q Quad, year_node: &mut Option<&'q str>) {
        let (p, o) = (&q.predicate, &q.object);
        if is(p, FZ, "namesInitiative") {
            if let Term::NamedNode(i) = o {
                self.adopt(graph, i.as_str());
            }
            return;
        }
        if is(p, FZ, "reportingUnit") {
            let unit = self.unit_position(&lexical(o));
            self.report(graph).unit.get_or_insert(unit);
        } else if is(p, FZ, "year")
            && let Term::NamedNode(y) = o
        {
            year_node.get_or_insert(y.as_str());
        }
    }

    /// Sort: regions by IRI, units by name, initiatives by label, reports by IRI, adoptions by
    /// initiative then report. An entity without its label (or a unit without its type) is left
    /// out with what refers to it; a report of a unit left out is an error.
    pub fn into_corpus(self) -> Result<Corpus, StoreError> {
        let mut c = Corpus::default();
        let regions = c.take_regions(self.regions);
        let units = c.take_units(self.units, &regions);
        let initiatives = c.take_initiatives(self.initiatives);
        let reports = c.take_reports(self.reports, &units)?;
        c.adoptions = self
            .adoptions
            .into_iter()
            .filter_map(|(r, i)| {
                Some(Adoption::new(
                    reports[r as usize]?,
                    initiatives[i as usize]?,
                ))
            })
            .collect();
        c.adoptions.sort_unstable();
        c.adoptions.dedup();
        Ok(c)
    }
}

/// Where each entity seen went after sorting (by position seen), if it was kept.
type Placed = Vec<Option<usize>>;

/// Sort `kept` (position seen, entity) by `key` and say where each of the `seen` went.
fn place<T>(
    seen: usize,
    mut kept: Vec<(usize, T)>,
    key: impl Fn(&T) -> (&str, &str),
) -> (Vec<T>, Placed) {
    kept.sort_by(|a, b| key(&a.1).cmp(&key(&b.1)));
    let mut placed = vec![None; seen];
    let mut out = Vec::with_capacity(kept.len());
    for (k, (was, item)) in kept.into_iter().enumerate() {
        placed[was] = Some(k);
        out.push(item);
    }
    (out, placed)
}

impl Corpus {
    fn take_regions(&mut self, seen: Seen<RegionFacts>) -> Placed {
        let items = seen.into_items();
        let total = items.len();
        let kept = items
            .into_iter()
            .enumerate()
            .filter_map(|(k, (iri, r))| {
                Some((
                    k,
                    Region {
                        iri,
                        name: r.name?,
                        code: r.code,
                        parent: r.parent, // a position seen, until all are placed
                    },
                ))
            })
            .collect();
        let (regions, placed) = place(total, kept, |r| (&r.iri, ""));
        self.regions = regions;
        for region in &mut self.regions {
            region.parent = region.parent.and_then(|p| placed[p]);
        }
        placed
    }

    fn take_units(&mut self, seen: Seen<UnitFacts>, regions: &Placed) -> Placed {
        let items = seen.into_items();
        let total = items.len();
        let kept = items
            .into_iter()
            .enumerate()
            .filter_map(|(k, (iri, u))| {
                Some((
                    k,
                    Unit {
                        region: u.region.and_then(|r| regions[r]),
                        iri,
                        name: u.name?,
                        kind: u.kind?,
                    },
                ))
            })
            .collect();
        let (units, placed) = place(total, kept, |u| (&u.name, &u.iri));
        self.units = units;
        placed
    }

    fn take_initiatives(&mut self, seen: Seen<InitiativeFacts>) -> Placed {
        let items = seen.into_items();
        let total = items.len();
        let kept = items
            .into_iter()
            .enumerate()
            .filter_map(|(k, (iri, i))| {
                Some((
                    k,
                    Initiative {
                        iri,
                        label: i.label?,
                        category: i.category,
                        aliases: Vec::new(),
                    },
                ))
            })
            .collect();
        let (initiatives, placed) = place(total, kept, |i| (&i.label, &i.iri));
        self.initiatives = initiatives;
        placed
    }

    fn take_reports(
        &mut self,
        seen: Seen<ReportFacts>,
        units: &Placed,
    ) -> Result<Placed, StoreError> {
        let items = seen.into_items();
        let total = items.len();
        let mut kept = Vec::with_capacity(total);
        for (k, (iri, r)) in items.into_iter().enumerate() {
            let Some(unit) = r.unit else {
                continue;
            };
            let Some(unit) = units[unit] else {
                return Err(StoreError::Query(format!(
                    "the unit of report {iri} has no label or type"
                )));
            };
            kept.push((
                k,
                Report {
                    iri,
                    unit,
                    year: r.year,
                },
            ));
        }
        let (reports, placed) = place(total, kept, |r| (&r.iri, ""));
        self.reports = reports;
        Ok(placed)
    }
}

/// Whether a quad's subject is the graph's own name (the report describing itself).
fn subject_is(q: &Quad, graph: &NamedNode) -> bool {
    matches!(&q.subject, NamedOrBlankNode::NamedNode(s) if s == graph)
}

/// An integer literal's value.
fn integer(term: &Term) -> Option<i32> {
    match term {
        Term::Literal(l) => l.value().parse().ok(),
        _ => None,
    }
}
