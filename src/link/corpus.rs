//! What the link layer knows of a store: units, regions, initiatives, reports, adoptions and
//! citations, read through SPARQL so that it works on any store fazhi built (or loaded).
//!
//! Evidence sentences are only read when asked for: the graph algorithms need the structure,
//! not the text, and a national store holds millions of mentions.
//!
//! Every pattern is matched inside one report graph (`GRAPH ?g { … }`): a shared entity (a
//! region, an initiative) is described again in each report naming it, so joining its triples
//! over the union of graphs would multiply those copies; per graph, rows grow with the corpus.

use oxigraph::model::Term;
use oxigraph::model::vocab::rdfs;
use oxigraph::sparql::{QueryResults, QuerySolution};

use super::descriptions::{Descriptions, Index, index_by_iri, lexical};
use crate::rdf::{FZ, GAZETTEER_GRAPH, SKOS};
use crate::store::{Store, StoreError};

/// A reporting unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// IRI of the unit.
    pub iri: String,
    /// Canonical short name.
    pub name: String,
    /// Unit type (乡镇, 政府部门, …).
    pub kind: String,
    /// Innermost region, an index into [`Corpus::regions`].
    pub region: Option<usize>,
}

/// An administrative division.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// IRI of the region.
    pub iri: String,
    /// Name (广东省, 珠海市, …).
    pub name: String,
    /// GB/T 2260 code, when known.
    pub code: Option<String>,
    /// The broader region, an index into [`Corpus::regions`].
    pub parent: Option<usize>,
}

/// An initiative (a SKOS concept of the initiative scheme).
#[derive(Debug, Clone, PartialEq)]
pub struct Initiative {
    /// IRI of the initiative.
    pub iri: String,
    /// Canonical label.
    pub label: String,
    /// Topic from the gazetteer.
    pub category: Option<String>,
    /// Alternative labels from the gazetteer.
    pub aliases: Vec<String>,
}

/// One stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// IRI of the report (its named graph).
    pub iri: String,
    /// The reporting unit, an index into [`Corpus::units`].
    pub unit: usize,
    /// The year reported on.
    pub year: Option<i32>,
}

/// A report naming an initiative: two 32-bit positions, since the link layer holds every
/// adoption of the corpus (2.9 M for 10^5 reports). Ordered by initiative, then report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Adoption {
    initiative: u32,
    report: u32,
}

impl Adoption {
    /// Report (index into [`Corpus::reports`]) naming an initiative (into
    /// [`Corpus::initiatives`]).
    pub fn new(report: usize, initiative: usize) -> Adoption {
        Adoption {
            initiative: narrow(initiative),
            report: narrow(report),
        }
    }

    /// Index into [`Corpus::reports`].
    pub fn report(&self) -> usize {
        self.report as usize
    }

    /// Index into [`Corpus::initiatives`].
    pub fn initiative(&self) -> usize {
        self.initiative as usize
    }
}

/// A position as 32 bits: the link layer holds every adoption of the corpus, two positions each.
pub(crate) fn narrow(k: usize) -> u32 {
    u32::try_from(k).expect("fewer than 2^32 entities of a kind")
}

/// How a report names an initiative (read with [`Corpus::load`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Occurrences in the report.
    pub count: usize,
    /// The sentence of the first occurrence (empty unless loaded with evidence).
    pub evidence: String,
}

/// A document cited in 《》.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// IRI of the document.
    pub iri: String,
    /// Title without the brackets.
    pub title: String,
    /// Document type (法, 条例, 办法, …).
    pub kind: Option<String>,
}

/// Everything the graph layer is built from.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Corpus {
    /// Reporting units, sorted by name.
    pub units: Vec<Unit>,
    /// Regions named by units' chains.
    pub regions: Vec<Region>,
    /// Initiatives named by at least one report, sorted by label.
    pub initiatives: Vec<Initiative>,
    /// Reports.
    pub reports: Vec<Report>,
    /// Report × initiative, sorted (by initiative, then report) and distinct.
    pub adoptions: Vec<Adoption>,
    /// The mentions behind each adoption, in the same order, when loaded with them
    /// ([`Corpus::load`]); empty in a structure ([`Corpus::load_structure`]).
    pub mentions: Vec<Mention>,
    /// Cited documents.
    pub documents: Vec<Document>,
    /// Report × document, as indices.
    pub citations: Vec<(usize, usize)>,
}

/// Evaluate a SELECT query and hand each solution to `each`.
pub fn for_each_row(
    store: &Store,
    sparql: &str,
    bindings: &[(String, Term)],
    mut each: impl FnMut(&QuerySolution) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let text = format!("{}{sparql}", crate::rdf::sparql_prefixes());
    match store.query(&text, bindings)? {
        QueryResults::Solutions(rows) => {
            for row in rows {
                each(&row.map_err(|e| StoreError::Query(e.to_string()))?)?;
            }
            Ok(())
        }
        _ => Err(StoreError::Query("expected a SELECT query".into())),
    }
}

/// The lexical value of a bound variable: an IRI without brackets, a literal's text.
pub fn text(row: &QuerySolution, var: &str) -> Option<String> {
    row.get(var).map(lexical)
}

/// The lexical value of the first `<subject> <predicate>` in any graph ([`Store::first_object`]).
fn first_value(
    store: &Store,
    subject: &str,
    predicate: &str,
) -> Result<Option<String>, StoreError> {
    Ok(store
        .first_object(subject, predicate)?
        .as_ref()
        .map(lexical))
}

/// A bound variable as a number.
pub fn number<T: std::str::FromStr>(row: &QuerySolution, var: &str) -> Option<T> {
    text(row, var)?.parse().ok()
}

fn required(row: &QuerySolution, var: &str) -> Result<String, StoreError> {
    text(row, var).ok_or_else(|| StoreError::Query(format!("?{var} unbound")))
}

impl Corpus {
    /// Read the corpus from a store; with `evidence`, also the sentence of every first mention.
    pub fn load(store: &Store, evidence: bool) -> Result<Corpus, StoreError> {
        let mut c = read_entities(store)?.into_corpus()?;
        let reports = index_by_iri(&c.reports, |r| &r.iri);
        let initiatives = index_by_iri(&c.initiatives, |i| &i.iri);
        c.read_aliases(store, &initiatives)?;
        c.load_adoptions(store, &reports, &initiatives, evidence)?;
        c.load_citations(store, &reports)?;
        Ok(c)
    }

    /// Read only who names what, where and when (no mentions or citations: each adoption is one
    /// `fz:namesInitiative` triple, 0.5 s instead of 42 s for 1.2 M adoptions), for the derived
    /// facts.
    pub fn load_structure(store: &Store) -> Result<Corpus, StoreError> {
        let mut described = read_entities(store)?;
        for_each_row(
            store,
            "SELECT ?report ?i WHERE { GRAPH ?report { ?report fz:namesInitiative ?i } }",
            &[],
            |row| {
                described.adopt(&required(row, "report")?, &required(row, "i")?);
                Ok(())
            },
        )?;
        Corpus::from_descriptions(store, described)
    }

    /// The corpus `described` (read from the store, or taken from the quads ingest wrote: see
    /// [`Descriptions::observe`]), as [`Corpus::load_structure`] gives it: with the aliases of
    /// the gazetteer graph.
    pub fn from_descriptions(store: &Store, described: Descriptions) -> Result<Corpus, StoreError> {
        let mut c = described.into_corpus()?;
        c.read_aliases(store, &index_by_iri(&c.initiatives, |i| &i.iri))?;
        Ok(c)
    }

    /// Alternative labels of the initiatives from the gazetteer graph.
    fn read_aliases(&mut self, store: &Store, initiatives: &Index) -> Result<(), StoreError> {
        for_each_row(
            store,
            &format!(
                "SELECT ?i ?alt WHERE {{ GRAPH <{GAZETTEER_GRAPH}> {{ ?i skos:altLabel ?alt }} }} ORDER BY ?i ?alt"
            ),
            &[],
            |row| {
                if let Some(&k) = initiatives.get(&required(row, "i")?) {
                    self.initiatives[k].aliases.push(required(row, "alt")?);
                }
                Ok(())
            },
        )
    }

    fn load_adoptions(
        &mut self,
        store: &Store,
        reports: &Index,
        initiatives: &Index,
        evidence: bool,
    ) -> Result<(), StoreError> {
        let optional = if evidence {
            "OPTIONAL { ?m fz:evidence ?evidence }"
        } else {
            ""
        };
        let mut read = Vec::new();
        for_each_row(
            store,
            &format!(
                "SELECT ?report ?i ?mentions ?evidence WHERE {{ GRAPH ?report {{
                   ?m a fz:InitiativeMention ; prov:wasDerivedFrom ?report ; fz:initiative ?i ;
                      fz:mentions ?mentions . {optional} }} }}"
            ),
            &[],
            |row| {
                let (Some(&report), Some(&initiative)) = (
                    reports.get(&required(row, "report")?),
                    initiatives.get(&required(row, "i")?),
                ) else {
                    return Ok(());
                };
                read.push((
                    Adoption::new(report, initiative),
                    Mention {
                        count: number(row, "mentions").unwrap_or(1),
                        evidence: text(row, "evidence").unwrap_or_default(),
                    },
                ));
                Ok(())
            },
        )?;
        read.sort_by_key(|(a, _)| *a);
        (self.adoptions, self.mentions) = read.into_iter().unzip();
        Ok(())
    }

    /// Occurrences behind adoption `k` (one when the corpus was read without its mentions).
    pub fn mention_count(&self, k: usize) -> usize {
        self.mentions.get(k).map_or(1, |m| m.count)
    }

    /// The adoptions of one initiative (a run of [`Corpus::adoptions`], which is sorted).
    pub fn adoptions_of(&self, initiative: usize) -> &[Adoption] {
        let from = self
            .adoptions
            .partition_point(|a| a.initiative() < initiative);
        let to = self
            .adoptions
            .partition_point(|a| a.initiative() <= initiative);
        &self.adoptions[from..to]
    }

    fn load_citations(&mut self, store: &Store, reports: &Index) -> Result<(), StoreError> {
        let mut index = Index::new();
        for_each_row(
            store,
            "SELECT ?report ?d ?title ?kind WHERE { GRAPH ?report {
               ?report a fz:Report ; dct:references ?d . ?d dct:title ?title .
               OPTIONAL { ?d fz:documentType ?kind } } }
             ORDER BY ?title ?d ?report",
            &[],
            |row| {
                let Some(&report) = reports.get(&required(row, "report")?) else {
                    return Ok(());
                };
                let iri = required(row, "d")?;
                let next = self.documents.len();
                let doc = *index.entry(iri.clone()).or_insert(next);
                if doc == next {
                    self.documents.push(Document {
                        iri,
                        title: required(row, "title")?,
                        kind: text(row, "kind"),
                    });
                }
                if self.citations.last() != Some(&(report, doc)) {
                    self.citations.push((report, doc));
                }
                Ok(())
            },
        )?;
        Ok(())
    }

    /// The region chain of a unit, outermost first.
    pub fn chain(&self, unit: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut at = self.units[unit].region;
        while let Some(r) = at {
            if chain.contains(&r) {
                break; // a cycle in skos:broader would be a data error, not a reason to hang
            }
            chain.push(r);
            at = self.regions[r].parent;
        }
        chain.reverse();
        chain
    }

    /// First and last year each initiative is reported in.
    pub fn initiative_years(&self) -> Vec<Option<(i32, i32)>> {
        let mut years: Vec<Option<(i32, i32)>> = vec![None; self.initiatives.len()];
        for a in &self.adoptions {
            if let Some(y) = self.reports[a.report()].year {
                let span = &mut years[a.initiative()];
                *span = Some(span.map_or((y, y), |(lo, hi)| (lo.min(y), hi.max(y))));
            }
        }
        years
    }

    /// The earliest year each unit reports on.
    pub fn unit_first_years(&self) -> Vec<Option<i32>> {
        let mut first: Vec<Option<i32>> = vec![None; self.units.len()];
        for r in &self.reports {
            if let Some(y) = r.year {
                first[r.unit] = Some(first[r.unit].map_or(y, |f| f.min(y)));
            }
        }
        first
    }

    /// The names of a unit's region chain, outermost first.
    pub fn chain_names(&self, unit: usize) -> Vec<&str> {
        self.chain(unit)
            .into_iter()
            .map(|r| self.regions[r].name.as_str())
            .collect()
    }
}

/// Regions, units, initiatives and reports as the store describes them. Every report graph
/// describes its regions, unit and initiatives again: their IRIs are read once each (DISTINCT
/// over one pattern), then each field from the first copy that has it (index lookups; a region
/// may lack its parent in some copies). DISTINCT over every copy's description took 22 s for
/// the regions of 10^5 reports.
fn read_entities(store: &Store) -> Result<Descriptions, StoreError> {
    let mut d = Descriptions::default();
    let label = rdfs::LABEL.as_str();
    let (broader, notation) = (format!("{SKOS}broader"), format!("{SKOS}notation"));
    for iri in distinct(
        store,
        "SELECT DISTINCT ?x WHERE { GRAPH ?g { ?x a fz:Region } }",
    )? {
        let Some(name) = first_value(store, &iri, label)? else {
            continue;
        };
        let parent = first_value(store, &iri, &broader)?.map(|p| d.region_position(&p));
        let region = d.region(&iri);
        region.name = Some(name);
        region.code = first_value(store, &iri, &notation)?;
        region.parent = parent;
    }
    let (unit_type, in_region) = (format!("{FZ}unitType"), format!("{FZ}region"));
    for iri in distinct(
        store,
        "SELECT DISTINCT ?x WHERE { GRAPH ?g { ?x a fz:Unit } }",
    )? {
        let (Some(name), Some(kind)) = (
            first_value(store, &iri, label)?,
            first_value(store, &iri, &unit_type)?,
        ) else {
            continue;
        };
        let region = first_value(store, &iri, &in_region)?.map(|r| d.region_position(&r));
        let unit = d.unit(&iri);
        unit.name = Some(name);
        unit.kind = Some(kind);
        unit.region = region;
    }
    let (pref_label, category) = (format!("{SKOS}prefLabel"), format!("{FZ}category"));
    for iri in distinct(
        store,
        "SELECT DISTINCT ?x WHERE { GRAPH ?g { ?g fz:namesInitiative ?x } }",
    )? {
        let Some(label) = first_value(store, &iri, &pref_label)? else {
            continue;
        };
        let initiative = d.initiative(&iri);
        initiative.label = Some(label);
        initiative.category = first_value(store, &iri, &category)?;
    }
    for_each_row(
        store,
        "SELECT ?report ?unit ?year WHERE { GRAPH ?report {
           ?report a fz:Report ; fz:reportingUnit ?unit .
           OPTIONAL { ?report fz:year ?y . ?y rdf:value ?year } } }",
        &[],
        |row| {
            let unit = d.unit_position(&required(row, "unit")?);
            let report = d.report(&required(row, "report")?);
            report.unit = Some(unit);
            report.year = number(row, "year");
            Ok(())
        },
    )?;
    Ok(d)
}

/// The IRIs bound to `?x` by a query.
fn distinct(store: &Store, sparql: &str) -> Result<Vec<String>, StoreError> {
    let mut iris = Vec::new();
    for_each_row(store, sparql, &[], |row| {
        iris.push(required(row, "x")?);
        Ok(())
    })?;
    Ok(iris)
}
