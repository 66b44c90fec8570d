//! The extraction record: the seam between text and graph.
//!
//! These serde types are the public JSON contract of `fazhi extract` (see `ontology/CONTRACT.md`).
//! Every span is a half-open range of character (Unicode scalar value) offsets into the decoded
//! original text of the input file.

use serde::{Deserialize, Serialize};

/// One report, as extracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Path of the input as given on the command line (or `-` for stdin).
    pub source: String,
    /// Hex sha256 of the raw input bytes.
    pub sha256: String,
    /// Encoding the input was decoded from (`UTF-8`, `GB18030`, `UTF-16LE`, …).
    pub encoding: String,
    /// Whether the input was HTML (spans then point into the decoded HTML source).
    pub html: bool,
    /// The reporting unit.
    pub unit: Unit,
    /// The year the report is about; `None` if unknown.
    pub year: Option<i32>,
    /// Publication date (ISO `YYYY-MM-DD`) or `None`.
    pub published: Option<String>,
    /// The report's title, as written.
    pub title: Option<String>,
    /// The index number (索引号) of the publishing site, if stated.
    pub index_number: Option<String>,
    /// Named mechanisms, programmes, models, systems, brands and campaigns.
    pub initiatives: Vec<Initiative>,
    /// Every reported quantity.
    pub metrics: Vec<Metric>,
    /// Documents cited in 《…》.
    pub documents: Vec<Document>,
    /// Top-level sections with their nested items.
    pub sections: Vec<Section>,
    /// What was wrong with the input and how it was read anyway (cut-off bytes, a declared
    /// charset the bytes contradict, malformed 《》 nesting). Empty for a clean input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The reporting unit and its place in the administrative hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Unit {
    /// Canonical short name (平沙镇, 龙城街道, 从化区司法局).
    pub name: String,
    /// 省级政府|市级政府|区县政府|乡镇|街道|政府部门|事业单位|其他.
    #[serde(rename = "type")]
    pub kind: String,
    /// Administrative chain, outermost first; only the levels that are known.
    pub region: Vec<String>,
    /// GB/T 2260 code of the innermost known division.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
}

/// An initiative named by the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Initiative {
    /// Canonical label (after alias resolution through the gazetteer).
    pub label: String,
    /// The first occurrence as written.
    pub surface: String,
    /// Start of the first occurrence.
    pub start: usize,
    /// End of the first occurrence.
    pub end: usize,
    /// Number of occurrences in the report.
    pub mentions: usize,
    /// Topic from the gazetteer, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Whether the gazetteer knows this initiative.
    pub known: bool,
    /// Index into `sections` of the first occurrence, if inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// Marker path of the innermost item holding the first occurrence, e.g. `["一", "(四)", "一是"]`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub item: Vec<String>,
    /// The sentence of the first occurrence, as normalised text (at most a few hundred characters):
    /// what a reader checks the claim against.
    #[serde(default)]
    pub evidence: String,
}

/// A reported quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Number in base unit: 万/亿 applied, percentages as the percent number.
    pub value: f64,
    /// Measure word or symbol without multiplier (次 件 宗 人次 % 元 …).
    pub unit: String,
    /// Number and measure word exactly as written.
    pub raw: String,
    /// Hedge (余 多 超 约 近 以上 达 …) or `None`.
    pub qualifier: Option<String>,
    /// What is counted, copied from the text.
    pub label: String,
    /// Canonical label of the initiative this number is a result of, if any.
    pub initiative: Option<String>,
    /// Start of `raw`.
    pub start: usize,
    /// End of `raw`.
    pub end: usize,
    /// Index into `sections`, if inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// Marker path of the innermost item holding the number, e.g. `["二", "(三)", "一是"]`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub item: Vec<String>,
}

/// A document cited in 《…》.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Title as written, without the outer brackets.
    pub title: String,
    /// 法律|条例|规定|办法|纲要|方案|意见|… when obvious from the title.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Start of the title (inside the brackets).
    pub start: usize,
    /// End of the title.
    pub end: usize,
}

/// A top-level section (一、二、…).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Title as written, without the marker.
    pub title: String,
    /// achievements|duty|rectification|problems|plans|other.
    pub kind: String,
    /// Start of the section (its marker).
    pub start: usize,
    /// End of the section.
    pub end: usize,
    /// Nested items ((一), 1., 一是, ①), outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub items: Vec<Item>,
}

/// A nested item inside a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The marker as written, e.g. `(一)`, `1.`, `一是`, `①`.
    pub marker: String,
    /// Nesting depth below the section (1 = directly inside).
    pub depth: usize,
    /// Leading phrase of the item, up to its first full stop.
    pub title: String,
    /// Start of the item (its marker).
    pub start: usize,
    /// End of the item.
    pub end: usize,
    /// Items nested inside this one.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub items: Vec<Item>,
}
