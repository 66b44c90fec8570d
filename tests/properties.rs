//! Properties of extraction over generated variants of the sample reports: the same report
//! written with full-width or half-width characters, corner quotes, odd spacing, CRLF, wrapped in
//! HTML, in UTF-8, GBK or UTF-16. Every span maps back to exactly its evidence; the record does
//! not depend on how the text was written down or on how often it is extracted; a metric's
//! value comes back from the RDF store through SPARQL unchanged.

use fazhi::Extractor;
use fazhi::extract::verify_spans;
use fazhi::record::Record;
use fazhi::store::Store;
use proptest::prelude::*;

/// How one paragraph of a report is written down.
#[derive(Debug, Clone)]
struct Style {
    full_width: bool,
    corner_quotes: bool,
    /// 0: as is; 1: indented by two ideographic spaces; 2: trailing spaces and a tab.
    spacing: u8,
    /// In HTML: wrap the paragraph's first sentence in an inline element.
    inline_tag: bool,
}

/// How the whole report is stored.
#[derive(Debug, Clone)]
struct Writing {
    report: usize,
    styles: Vec<Style>,
    crlf: bool,
    html: bool,
    /// 0: UTF-8; 1: UTF-8 with BOM; 2: GB18030 (GBK for the characters GBK has); 3: UTF-16LE with BOM.
    encoding: u8,
}

fn style() -> impl Strategy<Value = Style> {
    (any::<bool>(), any::<bool>(), 0u8..3, any::<bool>()).prop_map(
        |(full_width, corner_quotes, spacing, inline_tag)| Style {
            full_width,
            corner_quotes,
            spacing,
            inline_tag,
        },
    )
}

fn writing() -> impl Strategy<Value = Writing> {
    (
        0..fazhi::sample::REPORTS.len(),
        prop::collection::vec(style(), 1..12),
        any::<bool>(),
        any::<bool>(),
        0u8..4,
    )
        .prop_map(|(report, styles, crlf, html, encoding)| Writing {
            report,
            styles,
            crlf,
            html,
            encoding,
        })
}

fn sample_text(k: usize) -> String {
    String::from_utf8(fazhi::sample::REPORTS[k].1.to_vec()).unwrap()
}

/// Full-width forms of ASCII letters, digits and punctuation, as typed with a Chinese IME.
fn widen(c: char) -> char {
    match c {
        '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
        c => c,
    }
}

fn write_paragraph(p: &str, s: &Style, html: bool) -> String {
    let mut out: String = p
        .chars()
        .map(|c| match c {
            '“' if s.corner_quotes => '「',
            '”' if s.corner_quotes => '」',
            c if s.full_width => widen(c),
            c => c,
        })
        .collect();
    out = match s.spacing {
        1 => format!("\u{3000}\u{3000}{out}"),
        2 => format!("{out}  \t"),
        _ => out,
    };
    if html {
        out = out
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        if s.inline_tag
            && let Some(end) = out.find('。')
        {
            out = format!("<span class=\"x\">{}</span>{}", &out[..end], &out[end..]);
        }
        out = format!("<p>{out}</p>");
    }
    out
}

/// The text of a report written the way `w` says, then the bytes of it.
fn write(w: &Writing) -> (String, Vec<u8>) {
    let text = sample_text(w.report);
    let paragraphs: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, p)| write_paragraph(p, &w.styles[i % w.styles.len()], w.html))
        .collect();
    let newline = if w.crlf { "\r\n" } else { "\n" };
    let mut doc = paragraphs.join(newline);
    if w.html {
        doc = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>报告</title></head>{newline}<body>{doc}</body></html>"
        );
    }
    let bytes = match w.encoding {
        0 => doc.as_bytes().to_vec(),
        1 => [&[0xEF, 0xBB, 0xBF][..], doc.as_bytes()].concat(),
        2 => encoding_rs::GB18030.encode(&doc).0.into_owned(),
        _ => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(doc.encode_utf16().flat_map(u16::to_le_bytes));
            b
        }
    };
    (doc, bytes)
}

/// What a record says about the report, without where in the file it says it.
fn content(r: &Record) -> serde_json::Value {
    serde_json::json!({
        "unit": r.unit,
        "year": r.year,
        "published": r.published,
        "initiatives": r.initiatives.iter().map(|i| (&i.label, i.mentions, &i.item)).collect::<Vec<_>>(),
        "metrics": r.metrics.iter().map(|m| (m.value, &m.unit, &m.qualifier, &m.initiative, &m.item)).collect::<Vec<_>>(),
        "documents": r.documents.iter().map(|d| &d.title).collect::<Vec<_>>(),
        "sections": r.sections.iter().map(|s| (&s.title, &s.kind)).collect::<Vec<_>>(),
    })
}

fn name(w: &Writing) -> &'static str {
    if w.html { "report.html" } else { "report.txt" }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_span_maps_back_to_its_evidence(w in writing()) {
        let (doc, bytes) = write(&w);
        let record = Extractor::default().extract_bytes(name(&w), &bytes).unwrap();
        prop_assert!(!record.metrics.is_empty() && !record.initiatives.is_empty());
        if let Err(broken) = verify_spans(&record, &doc) {
            prop_assert!(false, "{}", broken);
        }
    }

    #[test]
    fn the_record_does_not_depend_on_how_the_text_is_written(w in writing()) {
        let (_, bytes) = write(&w);
        let written = Extractor::default().extract_bytes(name(&w), &bytes).unwrap();
        let plain = Extractor::default()
            .extract_bytes("report.txt", sample_text(w.report).as_bytes())
            .unwrap();
        prop_assert_eq!(content(&written), content(&plain));
    }

    #[test]
    fn extraction_is_deterministic(w in writing()) {
        let (_, bytes) = write(&w);
        let extractor = Extractor::default();
        let first = extractor.extract_bytes(name(&w), &bytes).unwrap();
        // A second extractor on another thread: no hidden state, no order from hashing.
        let second = std::thread::scope(|s| {
            s.spawn(|| Extractor::default().extract_bytes(name(&w), &bytes).unwrap())
                .join()
                .unwrap()
        });
        prop_assert_eq!(
            serde_json::to_string(&first).unwrap(),
            serde_json::to_string(&second).unwrap()
        );
    }
}

/// A number as reports write it: digits with an optional fraction and thousands separators,
/// an optional 万/亿 multiplier and a measure word.
fn written_number() -> impl Strategy<Value = String> {
    (
        1u64..1_000_000_000_000,
        prop::option::of(1u32..10_000),
        any::<bool>(),
        prop::sample::select(vec!["", "万", "亿", "千万"]),
        prop::sample::select(vec!["件", "宗", "人次", "元", "次", "个", "%"]),
    )
        .prop_map(|(int, frac, commas, mult, unit)| {
            let digits = int.to_string();
            let int = if commas {
                let mut grouped = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push(',');
                    }
                    grouped.push(c);
                }
                grouped
            } else {
                digits
            };
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let mult = if unit == "%" { "" } else { mult };
            format!("{int}{frac}{mult}{unit}")
        })
}

/// The value a written number stands for, computed from its digits.
fn expected_value(written: &str) -> f64 {
    let number: String = written
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    let rest = &written[written
        .find(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')
        .unwrap()..];
    let exponent = if rest.starts_with("千万") {
        7
    } else if rest.starts_with('万') {
        4
    } else if rest.starts_with('亿') {
        8
    } else {
        0
    };
    format!("{number}e{exponent}").parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_metric_value_survives_the_round_trip_through_rdf_and_sparql(number in written_number()) {
        let report = sample_text(1);
        let text = report.replacen("。", &format!("。全年共办理行政复议案件{number}。"), 1);
        let record = Extractor::default().extract_text("report.txt", &text, false).unwrap();
        let metric = record.metrics.iter().find(|m| m.raw == number);
        prop_assert!(metric.is_some(), "{} not found", number);
        let metric = metric.unwrap();
        let expected = expected_value(&number);
        prop_assert!((metric.value - expected).abs() <= expected * 1e-12 + 1e-4,
            "{} read as {}, not {}", number, metric.value, expected);

        let store = Store::memory().unwrap();
        store.put_reports(std::slice::from_ref(&record), &[]).unwrap();
        let sparql = format!(
            "PREFIX fz: <https://w3id.org/fazhi/ns#> PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> \
             SELECT ?v WHERE {{ GRAPH ?g {{ ?m a fz:Metric ; fz:value ?v ; nif:beginIndex {} }} }}",
            metric.start
        );
        let rows = match store.query(&sparql, &[]).unwrap() {
            oxigraph::sparql::QueryResults::Solutions(s) => s.map(|r| r.unwrap()).collect::<Vec<_>>(),
            _ => unreachable!("a SELECT query"),
        };
        prop_assert_eq!(rows.len(), 1);
        let value = match rows[0].get("v") {
            Some(oxigraph::model::Term::Literal(l)) => l.value().parse::<f64>().unwrap(),
            other => panic!("not a literal: {other:?}"),
        };
        prop_assert_eq!(value.to_bits(), metric.value.to_bits(), "{} came back as {}", metric.value, value);
    }
}
