//! The `fazhi` binary on good and bad input: per-file messages, non-zero exit, nothing lost.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fazhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .output()
        .unwrap()
}

fn seed(prefix: &str) -> PathBuf {
    let dir = common::fixtures().join("seeds");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The bad input corpus (`tests/fixtures/bad`), the large cases written here, and two good
/// reports, all in one directory.
fn bad_and_good_corpus(dir: &Path) {
    let bad = dir.join("bad");
    std::fs::create_dir(&bad).unwrap();
    for entry in std::fs::read_dir(common::fixtures().join("bad")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, bad.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(bad.join("huge.txt"), "法治".repeat(50 * 1024 * 1024 / 6)).unwrap();
    let quotes: String = (0..100_000)
        .map(|i| format!("推行“机制{i}”模式,"))
        .collect();
    std::fs::write(
        bad.join("quotes.txt"),
        format!("{}{quotes}", "依法行政,法治政府建设。".repeat(20)),
    )
    .unwrap();
    std::fs::write(bad.join("undecodable.txt"), [b'a', 0xff, 0xfe, 0xfd, b'b']).unwrap();
    std::fs::write(
        bad.join("weather.txt"),
        "今天天气晴朗，适合出游。".repeat(30),
    )
    .unwrap();
    std::fs::write(bad.join("ignored.pdf"), b"%PDF").unwrap();
    let good = dir.join("good");
    std::fs::create_dir(&good).unwrap();
    for s in ["001", "004"] {
        let p = seed(s);
        std::fs::copy(&p, good.join(p.file_name().unwrap())).unwrap();
    }
}

/// What each bad file must be told about on stderr.
const BAD_FILE_MESSAGES: &[(&str, &str)] = &[
    ("binary.txt", "binary file, not text"),
    ("empty.txt", "empty file"),
    ("no-report.html", "not a report"),
    ("huge.txt", "too large for a report"),
    ("quotes.txt", "not a report: 100000 quoted phrases"),
    ("undecodable.txt", "undecodable bytes"),
    ("weather.txt", "not a report"),
    ("truncated.txt", "warning: truncated"),
    (
        "gbk-declared-utf8.html",
        "warning: declared charset UTF-8, but the bytes are GB18030",
    ),
    ("nested-titles.txt", "warning: malformed 《》"),
];

fn assert_each_bad_file_is_told(stderr: &[u8]) {
    let err = String::from_utf8_lossy(stderr);
    for (file, reason) in BAD_FILE_MESSAGES {
        let line = err
            .lines()
            .find(|l| l.contains(&format!("/{file}:")))
            .unwrap_or_else(|| panic!("no message for {file}: {err}"));
        assert!(line.contains(reason), "{file}: {line}");
    }
    assert!(
        !err.contains("ignored.pdf") && !err.contains("good/"),
        "{err}"
    );
}

#[test]
fn bad_files_are_told_one_by_one_and_the_rest_is_extracted() {
    let dir = tempfile::tempdir().unwrap();
    bad_and_good_corpus(dir.path());
    let out = fazhi(&["extract", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_each_bad_file_is_told(&out.stderr);
    let recs = records(&out);
    let units: Vec<(&str, &str, usize)> = recs
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().rsplit('/').next().unwrap(),
                r["unit"]["name"].as_str().unwrap(),
                r["warnings"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("gbk-declared-utf8.html", "河东区政府办公室", 1),
            ("nested-titles.txt", "从化区司法局", 1),
            ("truncated.txt", "龙城街道", 1),
            ("001_eccdde27a96004d6.txt", "平沙镇", 0),
            ("004_8e2bfd6529608b47.txt", "从化区司法局", 0),
        ]
    );
}

#[test]
fn bad_files_are_told_one_by_one_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    bad_and_good_corpus(dir.path());
    let store = dir.path().join("store");
    let out = fazhi(&[
        "ingest",
        "--store",
        store.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_each_bad_file_is_told(&out.stderr);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("5 reports (0 replaced)")
            && stdout.contains("7 failed, 3 read with warnings"),
        "{stdout}"
    );
    let out = fazhi(&[
        "query",
        "--format",
        "csv",
        "--store",
        store.to_str().unwrap(),
        "-e",
        "PREFIX fz: <https://w3id.org/fazhi/ns#> SELECT (COUNT(DISTINCT ?r) AS ?reports) (COUNT(?w) AS ?warnings) WHERE { GRAPH ?r { ?r a fz:Report OPTIONAL { ?r fz:warning ?w } } }",
    ]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "reports,warnings\r\n5,3\r\n"
    );
}

#[test]
fn stdin_and_jsonl() {
    let text = std::fs::read(seed("003")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(["extract", "-", "--format", "jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 1);
    let r: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (r["source"].as_str(), r["unit"]["name"].as_str()),
        (Some("-"), Some("河东区政府办公室"))
    );
}

#[test]
fn a_user_gazetteer_extends_the_bundled_one() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("mine.tsv");
    std::fs::write(&g, "四员工作法\t四员|“四员”工作法\t基层治理\tinitiative\n").unwrap();
    let out = fazhi(&[
        "extract",
        seed("004").to_str().unwrap(),
        "--gazetteer",
        g.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let r = &records(&out)[0];
    let siyuan = r["initiatives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "四员工作法")
        .unwrap();
    assert_eq!(siyuan["known"], true);
    std::fs::write(&g, "broken line without tabs\n").unwrap();
    let out = fazhi(&[
        "extract",
        seed("004").to_str().unwrap(),
        "--gazetteer",
        g.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("line 1"));
}

#[test]
fn eval_prints_the_score_line() {
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("pred.json");
    let seeds = common::fixtures().join("seeds");
    let gold = common::fixtures().join("gold");
    let out = fazhi(&["extract", seeds.to_str().unwrap()]);
    std::fs::write(&pred, &out.stdout).unwrap();
    let out = fazhi(&[
        "eval",
        "--gold",
        gold.to_str().unwrap(),
        "--texts",
        seeds.to_str().unwrap(),
        pred.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("SCORE reports=5 unit_acc=1.000"),
        "{stdout}"
    );
}

#[test]
fn a_report_with_thousands_of_quoted_names_and_nested_titles() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many.txt");
    let body: String = (0..9_000)
        .map(|i| format!("推行“机制{i}”模式,办理案件{i}件。"))
        .collect();
    std::fs::write(
        &many,
        format!("{}{body}", "依法行政,法治政府建设。".repeat(20)),
    )
    .unwrap();
    let nested = dir.path().join("nested.txt");
    let deep = format!("{}条例{}", "《".repeat(5000), "》".repeat(5000));
    std::fs::write(
        &nested,
        format!(
            "{}{deep}调解案件12件。",
            "依法行政,法治政府建设。".repeat(20)
        ),
    )
    .unwrap();
    let out = fazhi(&["extract", many.to_str().unwrap(), nested.to_str().unwrap()]);
    // The malformed nesting is told about; the report is read on past it.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nested.txt: warning: malformed 《》"), "{err}");
    let recs = records(&out);
    assert_eq!(recs[0]["initiatives"].as_array().unwrap().len(), 9_000);
    assert_eq!(recs[0]["metrics"].as_array().unwrap().len(), 9_000);
    assert_eq!(recs[0]["metrics"][8_999]["initiative"], "机制8999");
    let m = &recs[1]["metrics"].as_array().unwrap()[0];
    assert_eq!(
        (m["raw"].as_str(), m["value"].as_f64()),
        (Some("12件"), Some(12.0))
    );
}

#[test]
fn synth_writes_reports_and_expected_records_and_keeps_an_existing_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus");
    let out_s = out.to_str().unwrap();
    let first = fazhi(&["synth", "--reports", "12", "--seed", "5", "--out", out_s]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let expected = std::fs::read_to_string(out.join("expected.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = expected
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 12);
    for r in &records {
        let source = r["source"].as_str().unwrap();
        assert!(out.join("reports").join(source).is_file(), "{source}");
    }
    // Every written report is a report to the extractor.
    let extracted = fazhi(&[
        "extract",
        "--format",
        "jsonl",
        out.join("reports").to_str().unwrap(),
    ]);
    assert_eq!(
        String::from_utf8_lossy(&extracted.stdout).lines().count(),
        12
    );
    let again = fazhi(&["synth", "--reports", "3", "--out", out_s]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a corpus"));
    assert_eq!(
        std::fs::read_to_string(out.join("expected.jsonl")).unwrap(),
        expected
    );
}
