//! SPARQL front: the named queries of `queries/*.rq`, variable bindings from the command line,
//! and results written as a table or in the standard result formats.

use std::io::Write;

use oxigraph::io::RdfFormat;
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use crate::rdf::{FZ, ID};
use crate::store::StoreError;

/// A named query: its name (the file stem) and text.
#[derive(Debug, Clone, Copy)]
pub struct NamedQuery {
    /// Name, as given to `fazhi query`.
    pub name: &'static str,
    /// SPARQL text; its first comment line says what it answers.
    pub text: &'static str,
}

macro_rules! named {
    ($($name:literal),* $(,)?) => {
        &[$(NamedQuery { name: $name, text: include_str!(concat!("../queries/", $name, ".rq")) }),*]
    };
}

/// The named queries shipped in `queries/`.
pub const NAMED: &[NamedQuery] = named![
    "units",
    "unit-initiatives",
    "initiative-units",
    "shared-initiatives",
    "initiative-timeline",
    "initiative-metrics",
    "unit-metrics",
    "compare-metric",
    "documents-cited",
];

impl NamedQuery {
    /// One-line description: the first comment line without the name.
    pub fn description(&self) -> &'static str {
        let first = self
            .text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches('#')
            .trim();
        first.split_once(':').map_or(first, |(_, d)| d.trim())
    }
}

/// Find a named query.
pub fn named(name: &str) -> Option<&'static NamedQuery> {
    NAMED.iter().find(|q| q.name == name)
}

/// A `name=value` binding: integers become xsd:integer, `<…>` or http(s) values IRIs, anything
/// else a plain literal.
pub fn parse_binding(spec: &str) -> Result<(String, Term), String> {
    let (name, value) = spec
        .split_once('=')
        .ok_or_else(|| format!("--bind {spec}: expected NAME=VALUE"))?;
    let name = name.trim_start_matches('?').to_string();
    let iri = value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .or_else(|| {
            (value.starts_with("http://") || value.starts_with("https://")).then_some(value)
        });
    let term: Term = if let Some(iri) = iri {
        NamedNode::new(iri)
            .map_err(|e| format!("--bind {spec}: {e}"))?
            .into()
    } else if let Ok(n) = value.parse::<i64>() {
        Literal::from(n).into()
    } else {
        Literal::new_simple_literal(value).into()
    };
    Ok((name, term))
}

/// How [`write_results`] writes each kind of result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// Solutions and booleans: a SPARQL results format, or `None` for an aligned text table.
    pub solutions: Option<QueryResultsFormat>,
    /// Graphs (CONSTRUCT, DESCRIBE).
    pub graph: RdfFormat,
}

/// Write query results, at most `limit` rows or triples (more is [`StoreError::TooMany`]);
/// returns the number written. The command line and the endpoint both write through here.
pub fn write_results(
    results: QueryResults<'_>,
    formats: Formats,
    limit: usize,
    mut out: impl Write,
) -> Result<usize, StoreError> {
    let within = |n: usize| {
        if n < limit {
            Ok(())
        } else {
            Err(StoreError::TooMany(limit))
        }
    };
    match results {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            match formats.solutions {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(&mut out, vars)?;
                    let mut n = 0;
                    for row in solutions {
                        within(n)?;
                        w.serialize(&row.map_err(|e| StoreError::Query(e.to_string()))?)?;
                        n += 1;
                    }
                    w.finish()?;
                    Ok(n)
                }
                None => {
                    // A table needs every row before it can size its columns.
                    let mut cells: Vec<Vec<String>> = Vec::new();
                    for row in solutions {
                        within(cells.len())?;
                        let row = row.map_err(|e| StoreError::Query(e.to_string()))?;
                        cells.push(
                            vars.iter()
                                .map(|v| row.get(v).map(display_term).unwrap_or_default())
                                .collect(),
                        );
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write_table(&mut out, &header, &cells)?;
                    Ok(cells.len())
                }
            }
        }
        QueryResults::Boolean(b) => {
            match formats.solutions {
                Some(f) => {
                    QueryResultsSerializer::from_format(f)
                        .serialize_boolean_to_writer(&mut out, b)?;
                }
                None => writeln!(out, "{b}")?,
            }
            Ok(1)
        }
        QueryResults::Graph(triples) => {
            let mut w = crate::rdf::serializer(formats.graph).for_writer(&mut out);
            let mut n = 0;
            for t in triples {
                within(n)?;
                w.serialize_triple(&t.map_err(|e| StoreError::Query(e.to_string()))?)?;
                n += 1;
            }
            w.finish()?;
            Ok(n)
        }
    }
}

/// A term as a person reads it: literal values bare, IRIs with the fz:/id: prefixes.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => {
            let s = n.as_str();
            if let Some(local) = s.strip_prefix(FZ) {
                format!("fz:{local}")
            } else if let Some(local) = s.strip_prefix(ID) {
                format!("id:{local}")
            } else {
                format!("<{s}>")
            }
        }
        other => other.to_string(),
    }
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60 => 2,
            _ => 1,
        })
        .sum()
}

fn write_table(
    out: &mut impl Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain([width(&header[i])])
                .max()
                .unwrap_or(0)
                .min(60)
        })
        .collect();
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let c: String = if width(c) > *w {
                    truncate(c, *w)
                } else {
                    c.clone()
                };
                format!("{c}{}", " ".repeat(w.saturating_sub(width(&c))))
            })
            .collect();
        writeln!(out, "{}", parts.join("  ").trim_end())
    };
    line(out, header)?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    )?;
    for r in rows {
        line(out, r)?;
    }
    writeln!(out, "({} rows)", rows.len())
}

fn truncate(s: &str, w: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(&c.to_string()) > w.saturating_sub(1) {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_file_is_registered_and_described() {
        // The directory `cargo test` runs from first: the path compiled in goes stale when a
        // shared target directory reuses this binary for another clone.
        let dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(
                || env!("CARGO_MANIFEST_DIR").into(),
                std::path::PathBuf::from,
            )
            .join("queries");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rq"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut names: Vec<String> = NAMED.iter().map(|q| q.name.to_string()).collect();
        names.sort();
        assert_eq!(files, names);
        for q in NAMED {
            assert!(
                q.text.starts_with(&format!("# {}:", q.name)),
                "{} header",
                q.name
            );
            assert!(q.description().len() > 10);
        }
    }

    #[test]
    fn bindings_parse_to_terms() {
        assert_eq!(
            parse_binding("unitName=平沙镇").unwrap().1,
            Literal::new_simple_literal("平沙镇").into()
        );
        assert_eq!(
            parse_binding("?year=2024").unwrap(),
            ("year".to_string(), Literal::from(2024i64).into())
        );
        assert!(matches!(
            parse_binding("u=<https://w3id.org/fazhi/id/x>").unwrap().1,
            Term::NamedNode(_)
        ));
        assert!(parse_binding("novalue").is_err());
    }

    #[test]
    fn tables_align_chinese_text() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["unit".into(), "n".into()],
            &[vec!["平沙镇".into(), "3".into()]],
        )
        .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "unit    n\n------  -\n平沙镇  3\n(1 rows)\n");
    }
}
