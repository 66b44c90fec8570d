//! Stage 3 — extract: from normalised views to the extraction record.
//!
//! Each sub-module finds one kind of fact in the boilerplate-free body (byte ranges into the
//! body view); this module links them (metric → initiative, fact → section) and maps every range
//! back to character offsets of the original. Extraction knows nothing of RDF or storage.

pub mod documents;
pub mod initiatives;
pub mod meta;
pub mod metrics;
pub mod numerals;
pub mod outline;
pub mod spans;
pub mod unit;
mod verify;

pub use verify::verify_spans;

use std::fmt;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::divisions;
use crate::gazetteer::Gazetteer;
use crate::normalise::{self, View};
use crate::read::{self, ReadError};
use crate::record::{Document, Initiative, Item, Metric, Record, Section};
use initiatives::Mention;
use outline::{Node, Outline};
use spans::Sorted;

/// Fewest Chinese characters a report body has.
const MIN_REPORT_HAN: usize = 150;

/// Words a report on law-based government uses; a text with none of them is something else.
const REPORT_VOCABULARY: &[&str] = &[
    "法治", "依法", "法律", "执法", "普法", "行政", "法规", "司法",
];

/// Why a file yields no record.
#[derive(Debug, Clone, PartialEq)]
pub enum ExtractError {
    /// The bytes could not be read or decoded.
    Read(ReadError),
    /// The text is readable but is not a report.
    NotAReport(String),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::Read(e) => e.fmt(f),
            ExtractError::NotAReport(why) => write!(f, "not a report: {why}"),
        }
    }
}

impl std::error::Error for ExtractError {}

impl From<ReadError> for ExtractError {
    fn from(e: ReadError) -> Self {
        ExtractError::Read(e)
    }
}

/// A decoded input with what the record says about its bytes.
struct Input<'a> {
    source: &'a str,
    text: &'a str,
    html: bool,
    encoding: &'a str,
    /// The bytes the sha256 is of.
    raw: &'a [u8],
    /// What reading the bytes had to repair.
    read_warnings: &'a [String],
}

/// Turns report files into records.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Gazetteer,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new(Gazetteer::bundled())
    }
}

impl Extractor {
    /// An extractor using this gazetteer.
    pub fn new(gazetteer: Gazetteer) -> Extractor {
        Extractor { gazetteer }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Extract a record from raw bytes; `source` names the input (a path, or `-`).
    pub fn extract_bytes(&self, source: &str, bytes: &[u8]) -> Result<Record, ExtractError> {
        let decoded = read::decode(bytes, source)?;
        let input = Input {
            source,
            text: &decoded.text,
            html: decoded.html,
            encoding: decoded.encoding,
            raw: bytes,
            read_warnings: &decoded.warnings,
        };
        self.extract(&input)
    }

    /// Extract a record from decoded text (`html`: the text is an HTML page).
    pub fn extract_text(
        &self,
        source: &str,
        text: &str,
        html: bool,
    ) -> Result<Record, ExtractError> {
        self.extract(&Input {
            source,
            text,
            html,
            encoding: "UTF-8",
            raw: text.as_bytes(),
            read_warnings: &[],
        })
    }

    fn extract(&self, input: &Input<'_>) -> Result<Record, ExtractError> {
        let (source, text, html) = (input.source, input.text, input.html);
        let views = normalise::normalise(text, html);
        check_is_report(views.body.text())?;
        let body = views.body.text();
        let meta = meta::read(views.full.text(), body);
        let unit = unit::resolve(&meta.unit_names, views.full.text(), divisions::table());
        let outline = Outline::parse(body);
        let (cited, nesting) = documents::find(body);
        let mut warnings = input.read_warnings.to_vec();
        if nesting > documents::MAX_NESTING {
            warnings.push(format!(
                "malformed 《》: nested {nesting} deep (a citation nests at most {}); titles there may be missed",
                documents::MAX_NESTING
            ));
        }
        let doc_ranges: Vec<Range<usize>> = cited.iter().map(|d| d.title.clone()).collect();
        let found = initiatives::find(body, &doc_ranges, &self.gazetteer);
        let mut excluded = doc_ranges.clone();
        excluded.extend(found.quoted.iter().cloned());
        excluded.extend(found.mentions.iter().map(|m| m.range.clone()));
        let metrics = metrics::find(body, &excluded);
        let sentences = sentence_starts(body);
        let sorted = Sorted::new(found.mentions, initiatives::mention_range);

        let view = &views.body;
        Ok(Record {
            source: source.to_string(),
            sha256: hex_sha256(input.raw),
            encoding: input.encoding.to_string(),
            html,
            unit,
            year: meta.year,
            published: meta.published,
            title: meta.title,
            index_number: meta.index_number,
            initiatives: initiatives::aggregate(sorted.items())
                .into_iter()
                .map(|(m, n)| initiative_record(view, &outline, m, n))
                .collect(),
            metrics: metrics
                .iter()
                .map(|m| {
                    let link = link_initiative(m, &sorted, &outline, &sentences, body);
                    metric_record(view, &outline, m, link)
                })
                .collect(),
            documents: unique_documents(view, body, &cited),
            sections: outline
                .sections
                .iter()
                .map(|s| section_record(view, body, s))
                .collect(),
            warnings,
        })
    }
}

/// Hex sha256 of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Most quoted phrases one report has: a long provincial report quotes a few hundred names.
/// Beyond this a file is many documents run together (a crawl dump), not one report.
const MAX_QUOTED: usize = 10_000;

fn check_is_report(body: &str) -> Result<(), ExtractError> {
    let quoted = body.matches('“').count();
    if quoted > MAX_QUOTED {
        return Err(ExtractError::NotAReport(format!(
            "{quoted} quoted phrases (one report quotes at most {MAX_QUOTED}): several documents run together?"
        )));
    }
    // Counting stops once there are enough: only a short count is reported.
    let han = body
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .take(MIN_REPORT_HAN)
        .count();
    if han < MIN_REPORT_HAN {
        return Err(ExtractError::NotAReport(format!(
            "only {han} Chinese characters of text (a report has at least {MIN_REPORT_HAN})"
        )));
    }
    let vocabulary = REPORT_VOCABULARY
        .iter()
        .filter(|w| body.contains(*w))
        .count();
    if vocabulary < 2 {
        return Err(ExtractError::NotAReport(
            "no vocabulary of law-based government (法治, 依法, 执法 …)".into(),
        ));
    }
    Ok(())
}

fn initiative_record(view: &View, outline: &Outline, m: &Mention, mentions: usize) -> Initiative {
    let (start, end) = view.span(m.range.clone());
    let (section, item) = outline.path(m.range.start);
    Initiative {
        label: m.label.clone(),
        surface: view.text()[m.range.clone()].to_string(),
        start,
        end,
        mentions,
        category: m
            .concept
            .as_ref()
            .map(|c| c.category.clone())
            .filter(|c| !c.is_empty()),
        known: m.concept.is_some(),
        section,
        item,
        evidence: sentence_around(view.text(), m.range.clone()),
    }
}

/// Characters of context kept on each side of a mention when its sentence runs on (tables
/// flattened to text have no full stops).
const EVIDENCE_REACH: usize = 120;

/// The sentence holding `range`: from the last sentence end before it to the first after it,
/// at most `EVIDENCE_REACH` characters each way.
fn sentence_around(body: &str, range: Range<usize>) -> String {
    let ends = |c: char| matches!(c, '。' | '!' | '?' | '！' | '？' | '\n');
    let before = &body[..range.start];
    let start = before
        .char_indices()
        .rev()
        .take(EVIDENCE_REACH)
        .find(|&(_, c)| ends(c))
        .map_or_else(
            || {
                before
                    .char_indices()
                    .rev()
                    .take(EVIDENCE_REACH)
                    .last()
                    .map_or(range.start, |(i, _)| i)
            },
            |(i, c)| i + c.len_utf8(),
        );
    let after = &body[range.end..];
    let end = after
        .char_indices()
        .take(EVIDENCE_REACH)
        .find(|&(_, c)| ends(c))
        .map_or_else(
            || {
                range.end
                    + after
                        .char_indices()
                        .nth(EVIDENCE_REACH)
                        .map_or(after.len(), |(i, _)| i)
            },
            |(i, c)| range.end + i + c.len_utf8(),
        );
    body[start..end].trim().to_string()
}

fn metric_record(
    view: &View,
    outline: &Outline,
    m: &metrics::Found,
    initiative: Option<String>,
) -> Metric {
    let (start, end) = view.span(m.raw.clone());
    let (section, item) = outline.path(m.raw.start);
    Metric {
        value: m.value,
        unit: m.unit.clone(),
        raw: view.text()[m.raw.clone()].to_string(),
        qualifier: m.qualifier.clone(),
        label: m.label.clone(),
        initiative,
        start,
        end,
        section,
        item,
    }
}

fn unique_documents(view: &View, body: &str, cited: &[documents::Cited]) -> Vec<Document> {
    let mut out: Vec<Document> = Vec::new();
    for c in cited {
        let title = &body[c.title.clone()];
        if out.iter().any(|d| d.title == title) {
            continue;
        }
        let (start, end) = view.span(c.title.clone());
        out.push(Document {
            title: title.to_string(),
            kind: c.kind.map(String::from),
            start,
            end,
        });
    }
    out
}

fn section_record(view: &View, body: &str, s: &Node) -> Section {
    let title = body[s.title.clone()].trim().to_string();
    let (start, end) = view.span(s.range.clone());
    Section {
        kind: outline::section_kind(&title).to_string(),
        title,
        start,
        end,
        items: s
            .children
            .iter()
            .map(|c| item_record(view, body, c, 1))
            .collect(),
    }
}

fn item_record(view: &View, body: &str, n: &Node, depth: usize) -> Item {
    let (start, end) = view.span(n.range.clone());
    Item {
        marker: n.marker.clone(),
        depth,
        title: body[n.title.clone()].trim().to_string(),
        start,
        end,
        items: n
            .children
            .iter()
            .map(|c| item_record(view, body, c, depth + 1))
            .collect(),
    }
}

/// Byte offsets where sentences (or ；-separated clauses) start.
fn sentence_starts(body: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, c) in body.char_indices() {
        if matches!(c, '。' | '!' | '?' | '！' | '？' | '\n' | ';' | '；') {
            starts.push(i + c.len_utf8());
        }
    }
    starts
}

fn sentence_of(starts: &[usize], at: usize) -> Range<usize> {
    let k = starts.partition_point(|&s| s <= at).saturating_sub(1);
    starts[k]..starts.get(k + 1).copied().unwrap_or(usize::MAX)
}

/// Longest item title, in characters, that still names just what the item is about
/// ((二)深入推进“放管服”改革), so that its initiative owns the item's numbers.
const SHORT_TITLE: usize = 16;

/// The initiative a metric is a result of, in order of evidence: one named inside the metric's
/// own label; the nearest quoted or known one before it in its sentence; the one a short item
/// title names; the nearest inferred one in its sentence; the first quoted or known one of the
/// sentence before, inside the same item.
fn link_initiative(
    m: &metrics::Found,
    mentions: &Sorted<Mention>,
    outline: &Outline,
    sentences: &[usize],
    body: &str,
) -> Option<String> {
    let label = |x: &Mention| Some(x.label.clone());
    if let Some(x) = mentions.inside(&m.context).rev().find(|x| x.strong) {
        return label(x);
    }
    let (_, chain) = outline.locate(m.raw.start);
    let item = chain.last().map_or(0..body.len(), |n| n.range.clone());
    let sentence = sentence_of(sentences, m.raw.start);
    let here = sentence.start.max(item.start)..m.raw.start;
    if let Some(x) = mentions.inside(&here).rev().find(|x| x.strong) {
        return label(x);
    }
    for node in chain.iter().rev() {
        if body[node.title.clone()].chars().count() <= SHORT_TITLE
            && let Some(x) = mentions
                .overlapping(&node.title)
                .find(|x| node.title.contains(&x.range.start))
        {
            return label(x);
        }
    }
    if let Some(x) = mentions.inside(&here).rev().find(|x| !x.strong) {
        return label(x);
    }
    let prev = sentence_of(sentences, sentence.start.saturating_sub(1));
    let prev = prev.start.max(item.start)..sentence.start;
    mentions.inside(&prev).find(|x| x.strong).and_then(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_the_sentence_of_the_mention_or_a_bounded_window() {
        let body =
            "一、主要成效\n健全矛盾纠纷化解机制。推行“三所联调”模式，化解纠纷120宗。下一步继续。";
        let at = body.find("三所联调").unwrap();
        assert_eq!(
            sentence_around(body, at..at + "三所联调".len()),
            "推行“三所联调”模式，化解纠纷120宗。"
        );
        let run_on = format!("{}府院联动{}", "甲".repeat(300), "乙".repeat(300));
        let at = run_on.find("府院联动").unwrap();
        let evidence = sentence_around(&run_on, at..at + "府院联动".len());
        assert_eq!(evidence.chars().count(), 2 * EVIDENCE_REACH + 4);
        assert!(evidence.contains("府院联动"));
    }

    #[test]
    fn a_metric_links_to_the_initiative_of_its_sentence_or_item() {
        let text = format!(
            "平沙镇2024年法治政府建设年度报告\n一、主要举措\n(一)深化“府院联动”。联动中级法院,成功化解行政争议88宗。\n(二)优化解纷。构建“1+1+N”多元解纷模式,累计成功化解1537宗。开展依法行政培训3次。\n二、存在问题\n{}",
            "依法行政,法治政府建设。".repeat(20)
        );
        let r = Extractor::default()
            .extract_text("t.txt", &text, false)
            .unwrap();
        let links: Vec<(&str, Option<&str>)> = r
            .metrics
            .iter()
            .map(|m| (m.raw.as_str(), m.initiative.as_deref()))
            .collect();
        assert_eq!(
            links,
            vec![
                ("88宗", Some("府院联动")),
                ("1537宗", Some("1+1+N")),
                ("3次", Some("1+1+N"))
            ]
        );
        assert_eq!(r.metrics[0].item, vec!["一", "(一)"]);
    }

    #[test]
    fn text_that_is_not_a_report_is_refused() {
        let e = Extractor::default()
            .extract_text("x.txt", "今天天气很好。", false)
            .unwrap_err();
        assert!(matches!(e, ExtractError::NotAReport(_)));
        let e = Extractor::default()
            .extract_bytes(
                "x.html",
                "<html><body><nav>首页</nav><p>404 Not Found</p></body></html>".as_bytes(),
            )
            .unwrap_err();
        assert!(e.to_string().starts_with("not a report"), "{e}");
    }
}
