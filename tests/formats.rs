//! The same report as GBK, UTF-16, full-width text and an HTML page gives the same facts, and
//! every span points at its evidence in the decoded original.

mod common;

use fazhi::{Extractor, Record};

fn seed_text(prefix: &str) -> String {
    let dir = common::fixtures().join("seeds");
    let p = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(p).unwrap()
}

fn facts(r: &Record) -> (String, Vec<String>, Vec<(String, f64, String)>) {
    (
        r.unit.name.clone(),
        r.initiatives.iter().map(|i| i.label.clone()).collect(),
        r.metrics
            .iter()
            .map(|m| (m.unit.clone(), m.value, m.label.clone()))
            .collect(),
    )
}

fn assert_spans(original: &str, r: &Record) {
    let chars: Vec<char> = original.chars().collect();
    let at = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    for m in &r.metrics {
        let ev = at(m.start, m.end);
        let folded: String = ev.chars().filter_map(fazhi::normalise::fold_char).collect();
        assert_eq!(folded, m.raw, "span of {} is {ev}", m.raw);
    }
}

#[test]
fn gbk_and_utf16_files_give_the_same_record() {
    let text = seed_text("002");
    let ex = Extractor::default();
    let utf8 = ex.extract_bytes("r.txt", text.as_bytes()).unwrap();
    let (gbk, _, lossy) = encoding_rs::GB18030.encode(&text);
    assert!(!lossy);
    let from_gbk = ex.extract_bytes("r.txt", &gbk).unwrap();
    assert_eq!(from_gbk.encoding, "GB18030");
    assert_eq!(facts(&from_gbk), facts(&utf8));
    let mut utf16 = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_be_bytes());
    }
    let from_utf16 = ex.extract_bytes("r.txt", &utf16).unwrap();
    assert_eq!(from_utf16.encoding, "UTF-16BE");
    assert_eq!(facts(&from_utf16), facts(&utf8));
}

#[test]
fn full_width_punctuation_and_digits_give_the_same_facts() {
    let text = seed_text("001");
    let wide: String = text
        .chars()
        .map(|c| match c {
            '0'..='9' | ',' | ':' | ';' | '(' | ')' | '%' | '+' | '.' => {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            }
            c => c,
        })
        .collect();
    let ex = Extractor::default();
    let a = ex.extract_text("r.txt", &text, false).unwrap();
    let b = ex.extract_text("r.txt", &wide, false).unwrap();
    assert_eq!(facts(&b), facts(&a));
    assert_eq!((b.year, b.published.clone()), (a.year, a.published.clone()));
    assert_spans(&wide, &b);
}

#[test]
fn an_html_page_gives_the_same_facts_with_spans_into_the_html() {
    let text = seed_text("004");
    let paragraphs: String = text
        .lines()
        .map(|l| {
            format!(
                "<p style=\"text-indent:2em\">{}</p>\n",
                l.replace('“', "&ldquo;").replace('”', "&rdquo;")
            )
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"gbk\"><title>从化区司法局2024年法治政府建设年度报告</title>\
         <script>var n = '<p>99次</p>';</script></head><body><nav><a href=\"/\">首页</a> &gt; 政务公开</nav>\
         <div class=\"TRS_Editor\">{paragraphs}</div><footer>粤ICP备05023745号</footer></body></html>"
    );
    let ex = Extractor::default();
    let plain = ex.extract_text("r.txt", &text, false).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&page);
    let html = ex.extract_bytes("r.html", &gbk).unwrap();
    assert!(html.html);
    assert_eq!(html.unit.name, "从化区司法局");
    assert_eq!(
        html.title.as_deref(),
        Some("从化区司法局2024年法治政府建设年度报告")
    );
    assert_eq!(facts(&html).2, facts(&plain).2);
    assert_eq!(facts(&html).1, facts(&plain).1);
    assert_spans(&page, &html);
    let chars: Vec<char> = page.chars().collect();
    let fyld = html
        .initiatives
        .iter()
        .find(|i| i.label == "府院联动")
        .unwrap();
    assert_eq!(
        chars[fyld.start..fyld.end].iter().collect::<String>(),
        "&ldquo;府院联动&rdquo;"
    );
}
