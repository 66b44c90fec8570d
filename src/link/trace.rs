//! `trace`: everything the store says about one initiative — who names it, where, since when,
//! with what results — read with the initiative bound, so it stays fast on a national store.

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{Literal, NamedNode, Term};
use serde::Serialize;

use super::corpus::{for_each_row, number, text};
use crate::store::{Store, StoreError};

/// The trace of one initiative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Canonical label.
    pub initiative: String,
    /// IRI of the initiative.
    pub iri: String,
    /// How the query found it: `label`, `alias`, or `as written`.
    pub matched: &'static str,
    /// Topic from the gazetteer.
    pub category: Option<String>,
    /// Other names the gazetteer merges into it.
    pub aliases: Vec<String>,
    /// Units naming it, earliest first.
    pub adopters: Vec<Adopter>,
    /// For each region of the adopters' chains, the earliest year and the units of that year.
    pub first_adopters: Vec<FirstAdopter>,
}

/// A unit that names the initiative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adopter {
    /// Unit name.
    pub unit: String,
    /// Unit type.
    pub kind: String,
    /// Region chain, outermost first.
    pub region: Vec<String>,
    /// Years of the reports naming it, ascending.
    pub years: Vec<i32>,
    /// The sentence of the first mention in each report.
    pub evidence: Vec<Evidence>,
    /// Numbers reported as results of the initiative.
    pub metrics: Vec<TracedMetric>,
}

/// A sentence naming the initiative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Year of the report.
    pub year: Option<i32>,
    /// Source file of the report.
    pub source: String,
    /// Character offset of the mention in the source.
    pub begin: usize,
    /// The mention as written.
    pub surface: String,
    /// Its sentence.
    pub sentence: String,
}

/// A number reported as a result of the initiative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracedMetric {
    /// Year of the report.
    pub year: Option<i32>,
    /// Value in the base unit.
    pub value: f64,
    /// Measure word.
    pub measure: String,
    /// Hedge (余, 多, …).
    pub hedge: Option<String>,
    /// What is counted.
    pub label: String,
    /// As written.
    pub raw: String,
    /// Source file and character offset.
    pub source: String,
    /// Character offset in the source.
    pub begin: usize,
}

/// The earliest adopters inside one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstAdopter {
    /// Region name.
    pub region: String,
    /// Depth in the chain (0: province).
    pub depth: usize,
    /// The earliest year any unit in the region names the initiative.
    pub year: i32,
    /// Units naming it in that year.
    pub units: Vec<String>,
}

/// Trace an initiative given by label, gazetteer alias, or a form as written in some report.
/// `Ok(None)` when nothing matches; the caller may then offer [`similar_labels`].
pub fn trace(store: &Store, name: &str) -> Result<Option<Trace>, StoreError> {
    let Some((iri, matched)) = resolve(store, name)? else {
        return Ok(None);
    };
    let bound = [(
        "i".to_string(),
        Term::NamedNode(NamedNode::new_unchecked(&iri)),
    )];
    let (label, category, aliases) = describe(store, &bound)?;
    let mut adopters = mentions(store, &bound)?;
    add_metrics(store, &bound, &mut adopters)?;
    // Many adopters share a county: one chain query per region, not per unit.
    let mut chains: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (unit_iri, a) in adopters.iter_mut() {
        let Some(region) = innermost_region(store, unit_iri)? else {
            continue;
        };
        if !chains.contains_key(&region) {
            let chain = region_chain(store, &region)?;
            chains.insert(region.clone(), chain);
        }
        a.region = chains[&region].clone();
    }
    let mut adopters: Vec<Adopter> = adopters.into_values().collect();
    adopters.sort_by(|a, b| {
        a.years
            .first()
            .cmp(&b.years.first())
            .then(a.unit.cmp(&b.unit))
    });
    let first_adopters = first_adopters(&adopters);
    Ok(Some(Trace {
        initiative: label,
        iri,
        matched,
        category,
        aliases,
        adopters,
        first_adopters,
    }))
}

/// The initiative IRI for a name: a prefLabel, else a gazetteer altLabel, else a mention's surface.
fn resolve(store: &Store, name: &str) -> Result<Option<(String, &'static str)>, StoreError> {
    let value = [(
        "name".to_string(),
        Term::Literal(Literal::new_simple_literal(name)),
    )];
    let tries: [(&str, &'static str); 3] = [
        ("?i skos:prefLabel ?name ; a fz:Initiative .", "label"),
        ("?i skos:altLabel ?name .", "alias"),
        (
            "?m nif:anchorOf ?name ; a fz:InitiativeMention ; fz:initiative ?i .",
            "as written",
        ),
    ];
    for (pattern, how) in tries {
        let mut found = None;
        for_each_row(
            store,
            &format!("SELECT ?i ?name WHERE {{ {pattern} ?r fz:namesInitiative ?i }} LIMIT 1"),
            &value,
            |row| {
                found = text(row, "i");
                Ok(())
            },
        )?;
        if let Some(iri) = found {
            return Ok(Some((iri, how)));
        }
    }
    Ok(None)
}

/// Labels of stored initiatives containing `name` or contained in it, for a "did you mean".
pub fn similar_labels(store: &Store, name: &str) -> Result<Vec<String>, StoreError> {
    let value = [(
        "name".to_string(),
        Term::Literal(Literal::new_simple_literal(name)),
    )];
    let mut out = Vec::new();
    for_each_row(
        store,
        "SELECT DISTINCT ?label ?name WHERE { ?r fz:namesInitiative ?i . ?i skos:prefLabel ?label .
           FILTER(CONTAINS(?label, ?name) || CONTAINS(?name, ?label)) } ORDER BY STRLEN(?label) ?label LIMIT 20",
        &value,
        |row| {
            out.extend(text(row, "label"));
            Ok(())
        },
    )?;
    Ok(out)
}

type Bound = [(String, Term); 1];

fn describe(
    store: &Store,
    bound: &Bound,
) -> Result<(String, Option<String>, Vec<String>), StoreError> {
    let mut label = String::new();
    let mut category = None;
    let mut aliases = BTreeSet::new();
    for_each_row(
        store,
        "SELECT ?i ?label ?category ?alias WHERE { ?i skos:prefLabel ?label .
           OPTIONAL { ?i fz:category ?category } OPTIONAL { ?i skos:altLabel ?alias } }",
        bound,
        |row| {
            label = text(row, "label").unwrap_or_default();
            category = category.take().or_else(|| text(row, "category"));
            aliases.extend(text(row, "alias"));
            Ok(())
        },
    )?;
    Ok((label, category, aliases.into_iter().collect()))
}

/// Adopters keyed by unit IRI, with their years and evidence.
fn mentions(store: &Store, bound: &Bound) -> Result<BTreeMap<String, Adopter>, StoreError> {
    let mut adopters: BTreeMap<String, Adopter> = BTreeMap::new();
    for_each_row(
        store,
        "SELECT DISTINCT ?i ?unit ?name ?kind ?year ?source ?surface ?begin ?evidence WHERE {
           ?m a fz:InitiativeMention ; fz:initiative ?i ; prov:wasDerivedFrom ?report ;
              nif:anchorOf ?surface ; nif:beginIndex ?begin .
           OPTIONAL { ?m fz:evidence ?evidence }
           ?report fz:reportingUnit ?unit ; dct:source ?source .
           OPTIONAL { ?report fz:year/rdf:value ?year }
           { SELECT ?unit (SAMPLE(?n) AS ?name) (SAMPLE(?t) AS ?kind) WHERE { ?unit rdfs:label ?n ; fz:unitType ?t } GROUP BY ?unit }
         } ORDER BY ?year ?source",
        bound,
        |row| {
            let year = number(row, "year");
            let a = adopters
                .entry(text(row, "unit").unwrap_or_default())
                .or_insert_with(|| Adopter {
                    unit: text(row, "name").unwrap_or_default(),
                    kind: text(row, "kind").unwrap_or_default(),
                    region: Vec::new(),
                    years: Vec::new(),
                    evidence: Vec::new(),
                    metrics: Vec::new(),
                });
            if let Some(y) = year
                && !a.years.contains(&y)
            {
                a.years.push(y);
            }
            a.evidence.push(Evidence {
                year,
                source: text(row, "source").unwrap_or_default(),
                begin: number(row, "begin").unwrap_or(0),
                surface: text(row, "surface").unwrap_or_default(),
                sentence: text(row, "evidence").unwrap_or_default(),
            });
            Ok(())
        },
    )?;
    Ok(adopters)
}

fn add_metrics(
    store: &Store,
    bound: &Bound,
    adopters: &mut BTreeMap<String, Adopter>,
) -> Result<(), StoreError> {
    for_each_row(
        store,
        "SELECT DISTINCT ?i ?unit ?year ?source ?value ?measure ?hedge ?label ?raw ?begin WHERE {
           ?m a fz:Metric ; fz:initiative ?i ; prov:wasDerivedFrom ?report ; fz:value ?value ;
              fz:measureWord ?measure ; rdfs:label ?label ; nif:anchorOf ?raw ; nif:beginIndex ?begin .
           OPTIONAL { ?m fz:hedge ?hedge }
           ?report fz:reportingUnit ?unit ; dct:source ?source .
           OPTIONAL { ?report fz:year/rdf:value ?year }
         } ORDER BY ?year ?source ?begin",
        bound,
        |row| {
            if let Some(a) = adopters.get_mut(&text(row, "unit").unwrap_or_default()) {
                a.metrics.push(TracedMetric {
                    year: number(row, "year"),
                    value: number(row, "value").unwrap_or(0.0),
                    measure: text(row, "measure").unwrap_or_default(),
                    hedge: text(row, "hedge"),
                    label: text(row, "label").unwrap_or_default(),
                    raw: text(row, "raw").unwrap_or_default(),
                    source: text(row, "source").unwrap_or_default(),
                    begin: number(row, "begin").unwrap_or(0),
                });
            }
            Ok(())
        },
    )
}

fn bind_iri(var: &str, iri: &str) -> Bound {
    [(
        var.to_string(),
        Term::NamedNode(NamedNode::new_unchecked(iri)),
    )]
}

/// The innermost region of a unit.
fn innermost_region(store: &Store, unit: &str) -> Result<Option<String>, StoreError> {
    let mut region = None;
    for_each_row(
        store,
        "SELECT ?unit ?region WHERE { ?unit fz:region ?region } LIMIT 1",
        &bind_iri("unit", unit),
        |row| {
            region = text(row, "region");
            Ok(())
        },
    )?;
    Ok(region)
}

/// Region names from the province down to `inner` (ordered by how many regions lie above each).
fn region_chain(store: &Store, inner: &str) -> Result<Vec<String>, StoreError> {
    let mut chain = Vec::new();
    for_each_row(
        store,
        "SELECT ?inner ?r (SAMPLE(?n) AS ?name) (COUNT(DISTINCT ?up) AS ?depth) WHERE {
           ?inner skos:broader* ?r . ?r rdfs:label ?n . ?r skos:broader* ?up }
         GROUP BY ?inner ?r ORDER BY ?depth",
        &bind_iri("inner", inner),
        |row| {
            chain.extend(text(row, "name"));
            Ok(())
        },
    )?;
    Ok(chain)
}

/// For every region of the adopters' chains, the earliest year and who named it then; in tree
/// order (each region followed by the regions inside it).
fn first_adopters(adopters: &[Adopter]) -> Vec<FirstAdopter> {
    let mut first: BTreeMap<&[String], (i32, BTreeSet<&str>)> = BTreeMap::new();
    for a in adopters {
        let Some(&year) = a.years.first() else {
            continue;
        };
        for depth in 0..a.region.len() {
            let e = first
                .entry(&a.region[..=depth])
                .or_insert((year, BTreeSet::new()));
            if year < e.0 {
                *e = (year, BTreeSet::new());
            }
            if year == e.0 {
                e.1.insert(a.unit.as_str());
            }
        }
    }
    first
        .into_iter()
        .map(|(path, (year, units))| FirstAdopter {
            region: path[path.len() - 1].clone(),
            depth: path.len() - 1,
            year,
            units: units.into_iter().map(String::from).collect(),
        })
        .collect()
}
