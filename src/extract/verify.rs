//! The promise every record makes about its source: each span lies inside the decoded original,
//! and the original characters it covers, normalised on their own, are exactly the text the record
//! quotes. Fuzz targets and property tests hold extraction to it; a consumer of records loaded
//! from JSON can check them against their files with it.

use crate::normalise;
use crate::record::{Item, Record};

/// Check every span of `record` against `original`, the decoded text it was extracted from (an
/// HTML page when `record.html`). Returns the first broken promise.
pub fn verify_spans(record: &Record, original: &str) -> Result<(), String> {
    let chars: Vec<char> = original.chars().collect();
    let quoted = record
        .initiatives
        .iter()
        .map(|i| ("initiative", i.start, i.end, i.surface.as_str()))
        .chain(
            record
                .metrics
                .iter()
                .map(|m| ("metric", m.start, m.end, m.raw.as_str())),
        )
        .chain(
            record
                .documents
                .iter()
                .map(|d| ("document", d.start, d.end, d.title.as_str())),
        );
    for (what, start, end, written) in quoted {
        let covered = slice(&chars, start, end).ok_or_else(|| {
            format!(
                "{what} {written:?}: span {start}..{end} outside {} chars",
                chars.len()
            )
        })?;
        let seen = normalise::normalise(&covered, record.html).full;
        if seen.text() != written {
            return Err(format!(
                "{what} {written:?}: span {start}..{end} covers {covered:?}, which reads {:?}",
                seen.text()
            ));
        }
    }
    for (k, s) in record.sections.iter().enumerate() {
        check_nested(
            &format!("section {k}"),
            s.start,
            s.end,
            &s.items,
            chars.len(),
        )?;
    }
    Ok(())
}

/// The characters `[start, end)`, if that is a range inside `chars`.
fn slice(chars: &[char], start: usize, end: usize) -> Option<String> {
    (start <= end && end <= chars.len()).then(|| chars[start..end].iter().collect())
}

/// A section or item lies inside the text and holds its items.
fn check_nested(
    what: &str,
    start: usize,
    end: usize,
    items: &[Item],
    chars: usize,
) -> Result<(), String> {
    if start > end || end > chars {
        return Err(format!("{what}: span {start}..{end} outside {chars} chars"));
    }
    for (k, item) in items.iter().enumerate() {
        if item.start < start || item.end > end {
            return Err(format!(
                "{what}: item {k} at {}..{} outside its parent {start}..{end}",
                item.start, item.end
            ));
        }
        check_nested(
            &format!("{what} item {k}"),
            item.start,
            item.end,
            &item.items,
            chars,
        )?;
    }
    Ok(())
}
