//! The synthetic corpus as a correctness test: generated reports extract to the records the
//! generator wrote them from.

use std::collections::BTreeMap;

use fazhi::Extractor;
use fazhi::gazetteer::Gazetteer;
use fazhi::synth::{Generator, differences};

/// Reports checked (a few seconds in a debug build).
const REPORTS: usize = 400;

#[test]
fn synthetic_reports_extract_to_the_records_they_were_written_from() {
    let generator = Generator::new(7, &Gazetteer::bundled());
    let extractor = Extractor::default();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut shown = Vec::new();
    for k in 0..REPORTS {
        let report = generator.report(k);
        let record = extractor
            .extract_bytes(&report.name, &report.bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", report.name));
        for d in differences(&report.expected, &record) {
            let kind = d.split(':').next().unwrap_or("").to_string();
            *kinds.entry(kind).or_default() += 1;
            shown.push(format!("{}: {d}", report.name));
        }
    }
    // Known weakness, kept visible: a township whose name starts with a prefecture's short
    // form (阿克苏普乡, 伊犁河路街道) is read as that prefecture's. At most 1% of units.
    let units = kinds.remove("unit").unwrap_or(0);
    assert!(
        kinds.is_empty() && units * 100 <= REPORTS,
        "{kinds:?}, units wrong: {units}\n{}",
        shown.join("\n")
    );
}

#[test]
fn a_seed_gives_the_same_corpus_and_another_seed_another() {
    let gazetteer = Gazetteer::bundled();
    let (a, b) = (Generator::new(3, &gazetteer), Generator::new(3, &gazetteer));
    let c = Generator::new(4, &gazetteer);
    for k in [0, 17, 999] {
        assert_eq!(a.report(k).bytes, b.report(k).bytes);
        assert_ne!(a.report(k).bytes, c.report(k).bytes);
    }
}
