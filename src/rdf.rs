//! Stage 4 — map to RDF: an extraction record becomes the quads of its own named graph.
//!
//! Vocabulary: `ontology/fazhi.ttl` (prefix `fz:`), reusing ORG, PROV-O, SKOS, RDF Data Cube,
//! DCTERMS and NIF. IRIs are deterministic and keep Chinese characters readable: a unit's IRI
//! comes from its region code and name, an initiative's from its canonical label, a report's
//! from unit and year. The chain users ask for is one hop each:
//! `?unit fz:adopts ?initiative . ?initiative fz:hasMetric ?metric . ?metric fz:year ?year`.
//! Labels are plain literals (so that `fazhi query --bind unitName=平沙镇` matches them).

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use crate::gazetteer::{Gazetteer, Kind};
use crate::record::{Record, Unit};

/// Namespace of the fazhi ontology.
pub const FZ: &str = "https://w3id.org/fazhi/ns#";
/// Base of fazhi data IRIs.
pub const ID: &str = "https://w3id.org/fazhi/id/";
/// Named graph holding the ontology.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/fazhi/graph/ontology";
/// Named graph holding the initiative gazetteer as a SKOS scheme.
pub const GAZETTEER_GRAPH: &str = "https://w3id.org/fazhi/graph/gazetteer";
/// The ontology, as Turtle.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/fazhi.ttl");

/// Prefixes used when writing Turtle and TriG.
pub const PREFIXES: &[(&str, &str)] = &[
    ("fz", FZ),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("org", ORG),
    ("prov", PROV),
    ("skos", SKOS),
    ("qb", QB),
    ("dct", DCT),
    ("nif", NIF),
];

/// The fazhi prefixes as a SPARQL prologue.
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n"))
        .collect()
}

/// A serializer for `format` that writes the fazhi prefixes where the format has them.
pub fn serializer(format: oxigraph::io::RdfFormat) -> oxigraph::io::RdfSerializer {
    let mut s = oxigraph::io::RdfSerializer::from_format(format);
    if matches!(
        format,
        oxigraph::io::RdfFormat::Turtle | oxigraph::io::RdfFormat::TriG
    ) {
        for (p, iri) in PREFIXES {
            s = s.with_prefix(*p, *iri).expect("valid prefix IRIs");
        }
    }
    s
}

const ORG: &str = "http://www.w3.org/ns/org#";
const PROV: &str = "http://www.w3.org/ns/prov#";
/// The SKOS namespace.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const QB: &str = "http://purl.org/linked-data/cube#";
/// The DCMI terms namespace.
pub const DCT: &str = "http://purl.org/dc/terms/";
const NIF: &str = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#";

fn iri(base: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{base}{local}"))
}

/// An IRI of the fazhi vocabulary.
pub(crate) fn fz(local: &str) -> NamedNode {
    iri(FZ, local)
}

/// Escape what an IRI may not contain, keep everything else (Chinese included) readable.
pub fn iri_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '<' | '>'
                    | '"'
                    | '{'
                    | '}'
                    | '|'
                    | '\\'
                    | '^'
                    | '`'
                    | '/'
                    | '?'
                    | '#'
                    | '%'
                    | '['
                    | ']'
            )
        {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// IRI of a unit: region code (or `x`) and name.
pub fn unit_iri(unit: &Unit) -> NamedNode {
    let code = unit.region_code.as_deref().unwrap_or("x");
    iri(ID, &format!("unit/{code}/{}", iri_segment(&unit.name)))
}

/// IRI of an initiative, from its canonical label.
pub fn initiative_iri(label: &str) -> NamedNode {
    iri(ID, &format!("initiative/{}", iri_segment(label)))
}

/// IRI of a node inside a report (its sections, mentions and metrics): `{report}/{local}`.
fn part(report: &NamedNode, local: &str) -> NamedNode {
    iri(&format!("{}/", report.as_str()), local)
}

/// IRI of a year.
pub fn year_iri(year: i32) -> NamedNode {
    iri(ID, &format!("year/{year}"))
}

/// IRI of a region: its GB/T 2260 code, or its name when the code is unknown.
fn region_iri(code: Option<&str>, name: &str) -> NamedNode {
    match code {
        Some(c) => iri(ID, &format!("region/{c}")),
        None => iri(ID, &format!("region/name/{}", iri_segment(name))),
    }
}

/// IRI of a report (also the name of its graph): unit and year, plus a content-hash suffix
/// when another report already holds that IRI.
pub fn report_iri(record: &Record, disambiguate: bool) -> NamedNode {
    let unit = &record.unit;
    let code = unit.region_code.as_deref().unwrap_or("x");
    let name = if unit.name.is_empty() {
        "unknown"
    } else {
        &unit.name
    };
    let year = record.year.map_or("unknown".to_string(), |y| y.to_string());
    let mut local = format!("report/{code}/{}/{year}", iri_segment(name));
    if disambiguate {
        local.push('-');
        local.push_str(&record.sha256[..12.min(record.sha256.len())]);
    }
    iri(ID, &local)
}

/// Collects the quads of one graph.
struct Graph {
    name: GraphName,
    quads: Vec<Quad>,
}

impl Graph {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNode, o: impl Into<Term>) {
        self.quads.push(Quad::new(s, p, o, self.name.clone()));
    }
    fn label(&mut self, s: &NamedNode, text: &str) {
        self.add(
            s.clone(),
            rdfs::LABEL.into_owned(),
            Literal::new_simple_literal(text),
        );
    }
    fn string(&mut self, s: &NamedNode, p: NamedNode, text: &str) {
        self.add(s.clone(), p, Literal::new_simple_literal(text));
    }
    fn integer(&mut self, s: &NamedNode, p: NamedNode, n: i64) {
        self.add(
            s.clone(),
            p,
            Literal::new_typed_literal(n.to_string(), xsd::INTEGER),
        );
    }
    fn span(&mut self, s: &NamedNode, start: usize, end: usize, anchor: &str) {
        self.integer(s, iri(NIF, "beginIndex"), start as i64);
        self.integer(s, iri(NIF, "endIndex"), end as i64);
        self.string(s, iri(NIF, "anchorOf"), anchor);
    }
    fn a(&mut self, s: &NamedNode, class: NamedNode) {
        self.add(s.clone(), rdf::TYPE.into_owned(), class);
    }
}

/// Decimal lexical form of a value (no exponent, no trailing zeros).
pub fn decimal(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.contains('.') {
        s.to_string()
    } else {
        format!("{s}.0")
    }
}

/// The quads of a record, all in the graph named by `report`.
pub fn record_quads(record: &Record, report: &NamedNode) -> Vec<Quad> {
    let mut g = Graph {
        name: GraphName::NamedNode(report.clone()),
        quads: Vec::new(),
    };
    let unit = unit_iri(&record.unit);
    let year = record.year.map(year_iri);

    g.a(report, fz("Report"));
    g.a(report, iri(PROV, "Entity"));
    g.string(report, iri(DCT, "source"), &record.source);
    g.string(report, fz("sha256"), &record.sha256);
    g.string(report, fz("encoding"), &record.encoding);
    for w in &record.warnings {
        g.string(report, fz("warning"), w);
    }
    g.add(report.clone(), fz("reportingUnit"), unit.clone());
    if let Some(t) = &record.title {
        g.add(
            report.clone(),
            iri(DCT, "title"),
            Literal::new_simple_literal(t),
        );
    }
    if let Some(p) = &record.published {
        g.add(
            report.clone(),
            iri(DCT, "issued"),
            Literal::new_typed_literal(p, xsd::DATE),
        );
    }
    if let Some(i) = &record.index_number {
        g.string(report, fz("indexNumber"), i);
    }
    if let (Some(y), Some(yi)) = (record.year, &year) {
        g.add(report.clone(), fz("year"), yi.clone());
        g.a(yi, fz("Year"));
        g.integer(yi, rdf::VALUE.into_owned(), i64::from(y));
        g.label(yi, &format!("{y}年"));
    }

    unit_quads(&mut g, &record.unit, &unit, report);
    for (n, s) in record.sections.iter().enumerate() {
        let si = part(report, &format!("section/{n}"));
        g.a(&si, fz("Section"));
        g.label(&si, &s.title);
        g.string(&si, fz("sectionKind"), &s.kind);
        g.integer(&si, fz("order"), n as i64);
        g.span(&si, s.start, s.end, &s.title);
        g.add(si.clone(), iri(DCT, "isPartOf"), report.clone());
        g.add(report.clone(), fz("hasSection"), si);
    }
    for (n, i) in record.initiatives.iter().enumerate() {
        let ii = initiative_iri(&i.label);
        g.a(&ii, fz("Initiative"));
        g.a(&ii, iri(SKOS, "Concept"));
        g.add(
            ii.clone(),
            iri(SKOS, "prefLabel"),
            Literal::new_simple_literal(&i.label),
        );
        g.add(ii.clone(), iri(SKOS, "inScheme"), fz("initiatives"));
        if let Some(c) = &i.category {
            g.string(&ii, fz("category"), c);
        }
        g.add(unit.clone(), fz("adopts"), ii.clone());
        g.add(report.clone(), fz("namesInitiative"), ii.clone());
        let mi = part(report, &format!("mention/{n}"));
        g.a(&mi, fz("InitiativeMention"));
        g.add(mi.clone(), fz("initiative"), ii.clone());
        g.add(mi.clone(), iri(PROV, "wasDerivedFrom"), report.clone());
        g.integer(&mi, fz("mentions"), i.mentions as i64);
        g.span(&mi, i.start, i.end, &i.surface);
        if !i.evidence.is_empty() {
            g.string(&mi, fz("evidence"), &i.evidence);
        }
        if let Some(s) = i.section {
            g.add(mi, fz("inSection"), part(report, &format!("section/{s}")));
        }
    }
    for (n, m) in record.metrics.iter().enumerate() {
        let mi = part(report, &format!("metric/{n}"));
        g.a(&mi, fz("Metric"));
        g.a(&mi, iri(QB, "Observation"));
        g.add(
            mi.clone(),
            fz("value"),
            Literal::new_typed_literal(decimal(m.value), xsd::DECIMAL),
        );
        g.string(&mi, fz("measureWord"), &m.unit);
        g.label(&mi, &m.label);
        if let Some(q) = &m.qualifier {
            g.string(&mi, fz("hedge"), q);
        }
        g.add(mi.clone(), fz("unit"), unit.clone());
        if let Some(yi) = &year {
            g.add(mi.clone(), fz("year"), yi.clone());
        }
        if let Some(l) = &m.initiative {
            let ii = initiative_iri(l);
            g.add(mi.clone(), fz("initiative"), ii.clone());
            g.add(ii, fz("hasMetric"), mi.clone());
        }
        g.add(mi.clone(), iri(PROV, "wasDerivedFrom"), report.clone());
        g.span(&mi, m.start, m.end, &m.raw);
        if let Some(s) = m.section {
            g.add(
                mi.clone(),
                fz("inSection"),
                part(report, &format!("section/{s}")),
            );
        }
        if !m.item.is_empty() {
            g.string(&mi, fz("item"), &m.item.join(" › "));
        }
    }
    for d in &record.documents {
        let di = iri(ID, &format!("document/{}", iri_segment(&d.title)));
        g.a(&di, fz("Document"));
        g.add(
            di.clone(),
            iri(DCT, "title"),
            Literal::new_simple_literal(&d.title),
        );
        if let Some(k) = &d.kind {
            g.string(&di, fz("documentType"), k);
        }
        g.add(report.clone(), iri(DCT, "references"), di);
    }
    g.quads
}

fn unit_quads(g: &mut Graph, unit: &Unit, ui: &NamedNode, report: &NamedNode) {
    g.a(ui, fz("Unit"));
    g.a(ui, iri(ORG, "Organization"));
    g.label(ui, &unit.name);
    g.add(
        ui.clone(),
        iri(SKOS, "prefLabel"),
        Literal::new_simple_literal(&unit.name),
    );
    g.string(ui, fz("unitType"), &unit.kind);
    g.add(report.clone(), iri(PROV, "wasAttributedTo"), ui.clone());
    // The chain: each region is broader than the next; codes are only known for the innermost,
    // so outer regions get their code from the innermost code's prefix.
    let mut parent: Option<NamedNode> = None;
    let depth = unit.region.len();
    for (k, name) in unit.region.iter().enumerate() {
        let code = unit
            .region_code
            .as_deref()
            .and_then(|c| region_code_at(c, k, depth));
        let ri = region_iri(code.as_deref(), name);
        if parent.as_ref() == Some(&ri) {
            // A city without counties (东莞市, 儋州市) is listed again at county level under the
            // same code: one region, not its own broader region.
            continue;
        }
        g.a(&ri, fz("Region"));
        g.label(&ri, name);
        if let Some(c) = &code {
            g.string(&ri, iri(SKOS, "notation"), c);
        }
        if let Some(p) = &parent {
            g.add(ri.clone(), iri(SKOS, "broader"), p.clone());
        }
        parent = Some(ri);
    }
    if let Some(r) = parent {
        g.add(ui.clone(), fz("region"), r.clone());
        // A department belongs to the government of its place.
        if unit.kind == "政府部门" || unit.kind == "事业单位" {
            let gov = iri(ID, &format!("government/{}", local_of(&r)));
            g.a(&gov, iri(ORG, "Organization"));
            g.add(gov.clone(), fz("region"), r.clone());
            g.add(ui.clone(), iri(ORG, "subOrganizationOf"), gov);
        }
    }
}

fn local_of(n: &NamedNode) -> String {
    n.as_str()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// GB/T 2260 code of the k-th of `depth` levels, derived from the innermost code: 440117 →
/// 440000, 440100, 440117. Municipalities (11, 12, 31, 50) have no prefecture level.
fn region_code_at(innermost: &str, k: usize, depth: usize) -> Option<String> {
    if k + 1 == depth {
        return Some(innermost.to_string());
    }
    let municipality = matches!(
        &innermost[..2.min(innermost.len())],
        "11" | "12" | "31" | "50"
    );
    let digits = match (k, municipality) {
        (0, _) => 2,
        (1, false) => 4,
        _ => return None,
    };
    (innermost.len() >= digits).then(|| format!("{:0<6}", &innermost[..digits]))
}

/// The gazetteer as a SKOS concept scheme, in its own graph.
pub fn gazetteer_quads(gazetteer: &Gazetteer) -> Vec<Quad> {
    let mut g = Graph {
        name: GraphName::NamedNode(iri(GAZETTEER_GRAPH, "")),
        quads: Vec::new(),
    };
    let scheme = fz("initiatives");
    g.a(&scheme, iri(SKOS, "ConceptScheme"));
    g.label(&scheme, "法治政府建设举措");
    for c in gazetteer
        .concepts()
        .iter()
        .filter(|c| c.kind == Kind::Initiative)
    {
        let ci = initiative_iri(&c.label);
        g.a(&ci, iri(SKOS, "Concept"));
        g.a(&ci, fz("Initiative"));
        g.add(ci.clone(), iri(SKOS, "inScheme"), scheme.clone());
        g.add(
            ci.clone(),
            iri(SKOS, "prefLabel"),
            Literal::new_simple_literal(&c.label),
        );
        for a in &c.aliases {
            g.add(
                ci.clone(),
                iri(SKOS, "altLabel"),
                Literal::new_simple_literal(a),
            );
        }
        if !c.category.is_empty() {
            g.string(&ci, fz("category"), &c.category);
        }
    }
    g.quads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_keep_chinese_and_escape_what_iris_forbid() {
        assert_eq!(iri_segment("府院联动"), "府院联动");
        assert_eq!(iri_segment("1+8+N"), "1+8+N");
        assert_eq!(iri_segment("a b/c"), "a%20b%2Fc");
        assert!(NamedNode::new(initiative_iri("双随机、一公开").as_str()).is_ok());
        assert!(
            NamedNode::new(initiative_iri("法治政府建设实施纲要(2021—2025年)").as_str()).is_ok()
        );
    }

    #[test]
    fn a_city_without_counties_listed_again_at_county_level_is_one_region() {
        let unit = Unit {
            name: "茶山镇".into(),
            kind: "乡镇".into(),
            region: vec!["广东省".into(), "东莞市".into(), "东莞市".into()],
            region_code: Some("441900".into()),
        };
        let report = iri(ID, "report/x");
        let mut g = Graph {
            name: GraphName::NamedNode(report.clone()),
            quads: Vec::new(),
        };
        unit_quads(&mut g, &unit, &unit_iri(&unit), &report);
        let broader: Vec<(String, String)> = g
            .quads
            .iter()
            .filter(|q| q.predicate.as_str().ends_with("#broader"))
            .map(|q| (q.subject.to_string(), q.object.to_string()))
            .collect();
        assert_eq!(
            broader,
            [(
                "<https://w3id.org/fazhi/id/region/441900>".to_string(),
                "<https://w3id.org/fazhi/id/region/440000>".to_string()
            )]
        );
        let unit_region = g
            .quads
            .iter()
            .find(|q| q.predicate.as_str() == format!("{FZ}region"))
            .map(|q| q.object.to_string());
        assert_eq!(
            unit_region.as_deref(),
            Some("<https://w3id.org/fazhi/id/region/441900>")
        );
    }

    #[test]
    fn outer_region_codes_derive_from_the_innermost() {
        assert_eq!(region_code_at("440117", 0, 3).as_deref(), Some("440000"));
        assert_eq!(region_code_at("440117", 1, 3).as_deref(), Some("440100"));
        assert_eq!(region_code_at("440117", 2, 3).as_deref(), Some("440117"));
        assert_eq!(region_code_at("120102", 0, 2).as_deref(), Some("120000"));
    }

    #[test]
    fn decimals_have_a_plain_lexical_form() {
        assert_eq!(decimal(189_060_000.0), "189060000.0");
        assert_eq!(decimal(99.87), "99.87");
        assert_eq!(decimal(0.0), "0.0");
    }
}
