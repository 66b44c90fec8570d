//! `trace`: everything the store says about one initiative — who names it, where, since when,
//! with what results — read with the initiative bound, so it stays fast on a national store.

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::{Literal, NamedNode, Term};
use serde::Serialize;

use super::corpus::{for_each_row, number, text};
use super::derived::{
    DERIVED_GRAPH, EARLIEST_KEPT, HUB_LIMIT, REGION_PATH_SEPARATOR, first_by_region,
};
use crate::rdf::GAZETTEER_GRAPH;
use crate::store::{Store, StoreError};

/// Adopters `trace` lists unless asked for another number (the derived graph keeps this many
/// for a widely shared initiative).
pub const DEFAULT_LIMIT: usize = EARLIEST_KEPT;

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
    /// Units naming it.
    pub unit_count: usize,
    /// Units naming it, earliest first, then by name (the first `limit` of them).
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
    /// Units naming it in that year, by name (at most ten for a widely shared initiative).
    pub units: Vec<String>,
    /// How many units name it in that year.
    pub unit_count: usize,
}

/// Trace an initiative given by label, gazetteer alias, or a form as written in some report,
/// listing its first `limit` adopters (0: all). `Ok(None)` when nothing matches; the caller may
/// then offer [`similar_labels`].
pub fn trace(store: &Store, name: &str, limit: usize) -> Result<Option<Trace>, StoreError> {
    let Some((iri, matched)) = resolve(store, name)? else {
        return Ok(None);
    };
    let bound = bind_iri("i", &iri);
    let (label, category, aliases) = describe(store, &bound)?;
    let (unit_count, adopters, first_adopters) = match precomputed(store, &iri, limit)? {
        Some(found) => found,
        None => from_reports(store, &iri, limit)?,
    };
    Ok(Some(Trace {
        initiative: label,
        iri,
        matched,
        category,
        aliases,
        unit_count,
        adopters,
        first_adopters,
    }))
}

/// How many units name an initiative, the adopters listed, and the first adopters by region.
type Found = (usize, Vec<Adopter>, Vec<FirstAdopter>);

/// Adopters and first adopters read from every report naming the initiative.
fn from_reports(store: &Store, iri: &str, limit: usize) -> Result<Found, StoreError> {
    let mut adopters = adopters_of(store, &Scope::all(iri))?;
    let first_adopters = first_adopters(&adopters);
    let count = adopters.len();
    if limit > 0 {
        adopters.truncate(limit);
    }
    Ok((count, adopters, first_adopters))
}

/// For an initiative named by more than [`HUB_LIMIT`] units (where reading every report would
/// take seconds on a national store): the count, first adopters and earliest adopters the
/// derived graph keeps, the latter read with their evidence from their own reports. `None` when
/// the derived graph keeps nothing for it or more adopters are asked for than it keeps.
fn precomputed(store: &Store, iri: &str, limit: usize) -> Result<Option<Found>, StoreError> {
    if limit == 0 || limit > EARLIEST_KEPT || !store.is_complete(DERIVED_GRAPH)? {
        return Ok(None);
    }
    let bound = bind_iri("i", iri);
    let mut count = None;
    let mut earliest = Vec::new();
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?n ?u WHERE {{ GRAPH <{DERIVED_GRAPH}> {{
               ?i fz:unitCount ?n . OPTIONAL {{ ?i fz:earliestAdopter ?u }} }} }}"
        ),
        &bound,
        |row| {
            count = number::<usize>(row, "n");
            earliest.extend(text(row, "u"));
            Ok(())
        },
    )?;
    let Some(count) = count.filter(|&n| n > HUB_LIMIT && !earliest.is_empty()) else {
        return Ok(None);
    };
    let mut adopters = adopters_of(store, &Scope::units(iri, &earliest))?;
    adopters.truncate(limit);
    Ok(Some((
        count,
        adopters,
        stored_first_adopters(store, &bound)?,
    )))
}

/// The `fz:FirstAdoption`s of the derived graph, in tree order.
fn stored_first_adopters(store: &Store, bound: &Bound) -> Result<Vec<FirstAdopter>, StoreError> {
    let mut by_path: BTreeMap<Vec<String>, FirstAdopter> = BTreeMap::new();
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?path ?year ?count ?name WHERE {{ GRAPH <{DERIVED_GRAPH}> {{
               ?f fz:initiative ?i ; fz:regionPath ?path ; fz:adoptionYear ?year ; fz:adopterCount ?count .
               OPTIONAL {{ ?f fz:adopterName ?name }} }} }} ORDER BY ?name"
        ),
        bound,
        |row| {
            let path: Vec<String> = text(row, "path")
                .unwrap_or_default()
                .split(REGION_PATH_SEPARATOR)
                .map(String::from)
                .collect();
            let f = by_path.entry(path.clone()).or_insert_with(|| FirstAdopter {
                region: path.last().cloned().unwrap_or_default(),
                depth: path.len().saturating_sub(1),
                year: number(row, "year").unwrap_or_default(),
                units: Vec::new(),
                unit_count: number(row, "count").unwrap_or_default(),
            });
            f.units.extend(text(row, "name"));
            Ok(())
        },
    )?;
    Ok(by_path.into_values().collect())
}

/// The year of ?report as ?year when known, in one-pattern OPTIONALs on always-bound variables:
/// Oxigraph then looks it up per row instead of joining the years of every report in the store.
const OPTIONAL_YEAR: &str =
    "OPTIONAL { ?report fz:year ?y } BIND(COALESCE(?y, fz:none) AS ?yearNode)
    OPTIONAL { ?yearNode rdf:value ?year }";

/// Which adopters to read: all units naming an initiative, or some of them.
struct Scope {
    /// Bindings of ?i (all units), or none (the VALUES below binds it).
    bound: Vec<(String, Term)>,
    /// A VALUES clause joining the initiative to each chosen unit, or empty.
    values: String,
}

impl Scope {
    fn all(iri: &str) -> Scope {
        Scope {
            bound: bind_iri("i", iri).to_vec(),
            values: String::new(),
        }
    }

    fn units(iri: &str, units: &[String]) -> Scope {
        let rows: String = units.iter().map(|u| format!("(<{iri}> <{u}>) ")).collect();
        Scope {
            bound: Vec::new(),
            values: format!("VALUES (?i ?unit) {{ {rows}}}"),
        }
    }
}

/// The adopters in scope with their years, evidence, metrics and region chains, earliest
/// first, then by name.
fn adopters_of(store: &Store, scope: &Scope) -> Result<Vec<Adopter>, StoreError> {
    let mut adopters = mentions(store, scope)?;
    add_metrics(store, scope, &mut adopters)?;
    let mut chains = region_chains(store, scope)?;
    for (unit_iri, a) in adopters.iter_mut() {
        a.region = chains.remove(unit_iri).unwrap_or_default();
    }
    let mut adopters: Vec<Adopter> = adopters.into_values().collect();
    adopters.sort_by(|a, b| {
        a.years
            .first()
            .cmp(&b.years.first())
            .then(a.unit.cmp(&b.unit))
    });
    Ok(adopters)
}

/// The initiative IRI for a name: a prefLabel, else a gazetteer altLabel, else a mention's surface.
fn resolve(store: &Store, name: &str) -> Result<Option<(String, &'static str)>, StoreError> {
    let value = bind("name", Literal::new_simple_literal(name));
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
    let value = bind("name", Literal::new_simple_literal(name));
    let mut out = Vec::new();
    for_each_row(
        store,
        "SELECT DISTINCT ?label ?name WHERE { GRAPH ?g { ?g fz:namesInitiative ?i . ?i skos:prefLabel ?label }
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
    // Every report naming it describes it alike: one suffices (a widely shared initiative is
    // described in tens of thousands of graphs).
    for_each_row(
        store,
        "SELECT ?i ?label ?category WHERE { GRAPH ?g {
           ?g fz:namesInitiative ?i . ?i skos:prefLabel ?label . OPTIONAL { ?i fz:category ?category } } }
         LIMIT 1",
        bound,
        |row| {
            label = text(row, "label").unwrap_or_default();
            category = category.take().or_else(|| text(row, "category"));
            Ok(())
        },
    )?;
    let mut aliases = Vec::new();
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?alias WHERE {{ GRAPH <{GAZETTEER_GRAPH}> {{ ?i skos:altLabel ?alias }} }} ORDER BY ?alias"
        ),
        bound,
        |row| {
            aliases.extend(text(row, "alias"));
            Ok(())
        },
    )?;
    Ok((label, category, aliases))
}

/// Adopters keyed by unit IRI, with their years and evidence.
fn mentions(store: &Store, scope: &Scope) -> Result<BTreeMap<String, Adopter>, StoreError> {
    let mut adopters: BTreeMap<String, Adopter> = BTreeMap::new();
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?unit ?name ?kind ?year ?source ?surface ?begin ?evidence WHERE {{ GRAPH ?report {{ {}
               ?report fz:reportingUnit ?unit .
               ?m fz:initiative ?i ; a fz:InitiativeMention ; nif:anchorOf ?surface ; nif:beginIndex ?begin .
               ?report dct:source ?source .
               ?unit rdfs:label ?name ; fz:unitType ?kind .
               OPTIONAL {{ ?m fz:evidence ?evidence }} {YEAR} }} }}
             ORDER BY ?year ?source",
            scope.values,
            YEAR = OPTIONAL_YEAR
        ),
        &scope.bound,
        |row| {
            let year = number(row, "year");
            let unit = text(row, "unit").unwrap_or_default();
            let a = adopters
                .entry(unit)
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
    scope: &Scope,
    adopters: &mut BTreeMap<String, Adopter>,
) -> Result<(), StoreError> {
    for_each_row(
        store,
        &format!(
            "SELECT ?i ?unit ?year ?source ?value ?measure ?hedge ?label ?raw ?begin WHERE {{ GRAPH ?report {{ {}
               ?report fz:reportingUnit ?unit .
               ?m fz:initiative ?i ; a fz:Metric ; fz:value ?value ;
                  fz:measureWord ?measure ; rdfs:label ?label ; nif:anchorOf ?raw ; nif:beginIndex ?begin .
               ?report dct:source ?source .
               OPTIONAL {{ ?m fz:hedge ?hedge }} {YEAR} }} }}
             ORDER BY ?year ?source ?begin",
            scope.values,
            YEAR = OPTIONAL_YEAR
        ),
        &scope.bound,
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

fn bind(var: &str, value: impl Into<Term>) -> Bound {
    [(var.to_string(), value.into())]
}

fn bind_iri(var: &str, iri: &str) -> Bound {
    bind(var, NamedNode::new_unchecked(iri))
}

/// The region chain (names, province first) of every unit naming the initiative, read in one
/// query from the adopters' own report graphs and assembled by following skos:broader.
fn region_chains(
    store: &Store,
    scope: &Scope,
) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let mut inner: BTreeMap<String, String> = BTreeMap::new();
    let mut regions: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    for_each_row(
        store,
        &format!(
            "SELECT DISTINCT ?i ?unit ?inner ?r ?name ?parent WHERE {{ GRAPH ?report {{ {}
               ?report fz:reportingUnit ?unit ; fz:namesInitiative ?i . ?unit fz:region ?inner .
               ?inner skos:broader* ?r . ?r rdfs:label ?name . OPTIONAL {{ ?r skos:broader ?parent }} }} }}",
            scope.values
        ),
        &scope.bound,
        |row| {
            if let (Some(u), Some(r)) = (text(row, "unit"), text(row, "inner")) {
                inner.insert(u, r);
            }
            if let (Some(r), Some(name)) = (text(row, "r"), text(row, "name")) {
                let parent = text(row, "parent").filter(|p| *p != r);
                let entry = regions.entry(r).or_insert((name, None));
                entry.1 = entry.1.take().or(parent);
            }
            Ok(())
        },
    )?;
    Ok(inner
        .into_iter()
        .map(|(unit, start)| {
            let mut chain = Vec::new();
            let mut at = Some(start);
            let mut seen = BTreeSet::new();
            while let Some(r) = at {
                let Some((name, parent)) = regions.get(&r) else {
                    break;
                };
                // A region broader than itself (a city without counties written at two levels
                // under one IRI) or a longer cycle would repeat it: stop, as Corpus::chain does.
                if !seen.insert(r) {
                    break;
                }
                chain.push(name.clone());
                at = parent.clone();
            }
            chain.reverse();
            (unit, chain)
        })
        .collect())
}

/// For every region of the adopters' chains, the earliest year and who named it then; in tree
/// order (each region followed by the regions inside it).
fn first_adopters(adopters: &[Adopter]) -> Vec<FirstAdopter> {
    let dated = adopters.iter().filter_map(|a| {
        let year = *a.years.first()?;
        Some((a.unit.clone(), a.region.clone(), year))
    });
    first_by_region(dated, usize::MAX)
        .into_iter()
        .map(|(path, year, units)| FirstAdopter {
            region: path[path.len() - 1].clone(),
            depth: path.len() - 1,
            year,
            unit_count: units.len(),
            units: units.into_iter().collect(),
        })
        .collect()
}
