//! The seed reports against their gold annotations, and the Rust scorer against the Python one.

mod common;

use std::path::PathBuf;
use std::process::Command;

use fazhi::{Extractor, eval};

fn seed_records() -> Vec<serde_json::Value> {
    let extractor = Extractor::default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(common::fixtures().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let record = extractor
                .extract_bytes(&p.to_string_lossy(), &bytes)
                .unwrap();
            serde_json::to_value(record).unwrap()
        })
        .collect()
}

#[test]
fn seeds_meet_the_issue_bars() {
    let score = eval::score(
        &common::fixtures().join("gold"),
        &common::fixtures().join("seeds"),
        &seed_records(),
        true,
    )
    .unwrap();
    let s = &score.summary;
    let bars = [
        ("unit_acc", 1.0),
        ("region_acc", 1.0),
        ("year_acc", 1.0),
        ("published_acc", 1.0),
        ("initiative_recall", 0.95),
        ("initiative_precision", 0.90),
        ("metric_recall", 0.99),
        ("metric_precision", 0.98),
        ("metric_label_dice", 0.75),
        ("metric_link_acc", 0.75),
        ("document_recall", 0.98),
        ("document_precision", 0.98),
        ("section_kind_acc", 0.9),
        ("shared_link_recall", 0.95),
        ("shared_link_precision", 0.95),
    ];
    let below: Vec<String> = bars
        .iter()
        .filter(|(k, min)| s[*k] < *min)
        .map(|(k, min)| format!("{k}={:.3}<{min}", s[*k]))
        .collect();
    assert!(
        below.is_empty(),
        "{}\n{}\n{}",
        below.join(" "),
        score.report,
        score.score_line()
    );
}

#[test]
fn every_span_is_its_evidence_in_the_original() {
    for (record, path) in seed_records()
        .iter()
        .zip(["000", "001", "002", "003", "004"])
    {
        let file = std::fs::read_dir(common::fixtures().join("seeds"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(path))
            .unwrap();
        let chars: Vec<char> = std::fs::read_to_string(file).unwrap().chars().collect();
        let at = |s: &serde_json::Value| {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            chars[a..b].iter().collect::<String>()
        };
        for m in record["metrics"].as_array().unwrap() {
            assert_eq!(at(m), m["raw"].as_str().unwrap());
        }
        for d in record["documents"].as_array().unwrap() {
            assert_eq!(at(d), d["title"].as_str().unwrap());
        }
        for i in record["initiatives"].as_array().unwrap() {
            assert_eq!(at(i), i["surface"].as_str().unwrap());
        }
    }
}

#[test]
fn the_rust_scorer_agrees_with_the_python_scorer() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.json");
    std::fs::write(&pred, serde_json::to_string(&seed_records()).unwrap()).unwrap();
    let out = Command::new("python3")
        .arg(common::fixtures().join("score.py"))
        .args(["--gold", &common::fixtures().join("gold").to_string_lossy()])
        .args([
            "--texts",
            &common::fixtures().join("seeds").to_string_lossy(),
        ])
        .arg(&pred)
        .output()
        .expect("python3 runs the reference scorer");
    let python = String::from_utf8(out.stdout).unwrap();
    let python_line = python
        .lines()
        .find(|l| l.starts_with("SCORE "))
        .expect("a SCORE line");
    let preds = eval::load_predictions(&pred).unwrap();
    let rust = eval::score(
        &common::fixtures().join("gold"),
        &common::fixtures().join("seeds"),
        &preds,
        false,
    )
    .unwrap();
    assert_eq!(rust.score_line(), python_line);
}

#[test]
fn seed_facts_a_reader_would_check() {
    let records = seed_records();
    let by_unit = |name: &str| records.iter().find(|r| r["unit"]["name"] == name).unwrap();
    let pingsha = by_unit("平沙镇");
    assert_eq!(pingsha["unit"]["region_code"], "440404");
    let sansuo = pingsha["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "三所联调")
        .unwrap();
    assert_eq!(sansuo["surface"], "“派出所+司法所+律师事务所”");
    let money = pingsha["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["raw"] == "18906万元")
        .unwrap();
    assert_eq!(
        (money["value"].as_f64(), money["unit"].as_str()),
        (Some(189_060_000.0), Some("元"))
    );
    let sfj = by_unit("从化区司法局");
    assert_eq!(sfj["year"], 2024);
    assert!(sfj["published"].is_null());
    let m88 = sfj["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["raw"] == "88宗")
        .unwrap();
    assert_eq!(
        (m88["initiative"].as_str(), m88["label"].as_str()),
        (Some("府院联动"), Some("成功化解行政争议"))
    );
}
