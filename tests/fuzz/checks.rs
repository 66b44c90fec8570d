//! What the fuzz targets hold extraction to, shared with `tests/fuzz_regressions.rs`, which
//! replays the inputs the fuzzer found on stable Rust.

use std::sync::LazyLock;

static EXTRACTOR: LazyLock<fazhi::Extractor> = LazyLock::new(fazhi::Extractor::default);

/// The whole extraction on arbitrary bytes, as a text file and as a page: no panic, and every
/// record keeps its promises about spans (`fazhi::extract::verify_spans`).
pub fn extraction_holds(data: &[u8]) {
    for name in ["report.txt", "report.html"] {
        if let Ok(record) = EXTRACTOR.extract_bytes(name, data) {
            let text = fazhi::read::decode(data, name)
                .expect("extracted input decodes")
                .text;
            if let Err(broken) = fazhi::extract::verify_spans(&record, &text) {
                panic!("{name}: {broken}");
            }
        }
    }
}

/// The normaliser on arbitrary UTF-8, plain and HTML: every character of each view maps back to
/// a range inside the original, in order.
pub fn normalising_holds(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars = text.chars().count();
    for html in [false, true] {
        let n = fazhi::normalise::normalise(text, html);
        for view in [&n.full, &n.body] {
            let len = view.text().len();
            let mut last_start = 0;
            for (i, _) in view.text().char_indices() {
                let (s, e) = view.span(i..len);
                assert!(s <= e && e <= chars, "span {s}..{e} of {chars} chars");
                assert!(s >= last_start, "origins out of order at byte {i}");
                last_start = s;
            }
        }
    }
}
