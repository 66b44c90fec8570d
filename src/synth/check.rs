//! Compare an extracted record with the record a synthetic report should extract to.

use crate::record::{Item, Record};

/// The differences between `expected` and `actual`, one readable line each (empty: they agree).
///
/// Compared: unit, year, publication date, title, index number, encoding, every initiative
/// (label, span, mentions, known, section and item), every metric (value, unit, raw, hedge,
/// span, initiative, section and item), every document (title, type, span) and the outline
/// (section titles, kinds and spans; item markers, titles and spans). Not compared: evidence
/// sentences and metric labels (free text the generator does not fix to the character).
pub fn differences(expected: &Record, actual: &Record) -> Vec<String> {
    let mut out = Vec::new();
    field(&mut out, "unit", &expected.unit, &actual.unit);
    field(&mut out, "year", &expected.year, &actual.year);
    field(
        &mut out,
        "published",
        &expected.published,
        &actual.published,
    );
    field(&mut out, "title", &expected.title, &actual.title);
    field(
        &mut out,
        "index number",
        &expected.index_number,
        &actual.index_number,
    );
    field(
        &mut out,
        "encoding",
        &(&expected.encoding, expected.html),
        &(&actual.encoding, actual.html),
    );
    let initiative = |i: &crate::record::Initiative| {
        format!(
            "{} {}..{} ×{} known={} §{:?} {:?}",
            i.label, i.start, i.end, i.mentions, i.known, i.section, i.item
        )
    };
    set_difference(
        &mut out,
        "initiative",
        expected.initiatives.iter().map(initiative).collect(),
        actual.initiatives.iter().map(initiative).collect(),
    );
    let metric = |m: &crate::record::Metric| {
        format!(
            "{} = {} {} ({:?}) {}..{} → {:?} §{:?} {:?}",
            m.raw, m.value, m.unit, m.qualifier, m.start, m.end, m.initiative, m.section, m.item
        )
    };
    set_difference(
        &mut out,
        "metric",
        expected.metrics.iter().map(metric).collect(),
        actual.metrics.iter().map(metric).collect(),
    );
    let document =
        |d: &crate::record::Document| format!("{} ({:?}) {}..{}", d.title, d.kind, d.start, d.end);
    set_difference(
        &mut out,
        "document",
        expected.documents.iter().map(document).collect(),
        actual.documents.iter().map(document).collect(),
    );
    set_difference(&mut out, "outline", outline(expected), outline(actual));
    out
}

/// A line for a field that differs.
fn field<T: PartialEq + std::fmt::Debug>(
    out: &mut Vec<String>,
    name: &str,
    expected: &T,
    actual: &T,
) {
    if expected != actual {
        out.push(format!("{name}: expected {expected:?}, got {actual:?}"));
    }
}

/// Sections and items, one line each, in order.
fn outline(r: &Record) -> Vec<String> {
    fn push_items(out: &mut Vec<String>, items: &[Item]) {
        for i in items {
            out.push(format!(
                "{}{} {} {}..{}",
                "  ".repeat(i.depth),
                i.marker,
                i.title,
                i.start,
                i.end
            ));
            push_items(out, &i.items);
        }
    }
    let mut out = Vec::new();
    for s in &r.sections {
        out.push(format!("{} [{}] {}..{}", s.title, s.kind, s.start, s.end));
        push_items(&mut out, &s.items);
    }
    out
}

/// Lines of `expected` missing from `actual` and lines of `actual` not expected.
fn set_difference(out: &mut Vec<String>, what: &str, expected: Vec<String>, actual: Vec<String>) {
    for e in &expected {
        if !actual.contains(e) {
            out.push(format!("{what} missing: {e}"));
        }
    }
    for a in &actual {
        if !expected.contains(a) {
            out.push(format!("{what} extra: {a}"));
        }
    }
}
