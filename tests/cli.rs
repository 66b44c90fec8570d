//! The `fazhi` binary on good and bad input: per-file messages, non-zero exit, nothing lost.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fazhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fazhi"))
        .args(args)
        .output()
        .unwrap()
}

fn seed(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn records(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(seed("001"), d.join("a_report.txt")).unwrap();
    std::fs::write(d.join("b_empty.txt"), b"").unwrap();
    std::fs::write(
        d.join("c_binary.txt"),
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0xff, 0xfe],
    )
    .unwrap();
    std::fs::write(d.join("d_undecodable.txt"), [b'a', 0xff, 0xfe, 0xfd, b'b']).unwrap();
    std::fs::write(
        d.join("e_nav.html"),
        "<html><body><nav>首页 政务公开</nav><p>页面不存在</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        d.join("f_weather.txt"),
        "今天天气晴朗，适合出游。".repeat(30),
    )
    .unwrap();
    let seed2 = std::fs::read(seed("002")).unwrap();
    let cut = (seed2.len() / 2..)
        .find(|&n| std::str::from_utf8(&seed2[..n]).is_err())
        .unwrap();
    std::fs::write(d.join("g_truncated.txt"), &seed2[..cut]).unwrap();
    std::fs::write(d.join("ignored.pdf"), b"%PDF").unwrap();
    let out = fazhi(&["extract", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["unit"]["name"], "平沙镇");
    assert_eq!(
        (
            recs[1]["unit"]["name"].as_str(),
            recs[1]["encoding"].as_str()
        ),
        (Some("龙城街道"), Some("UTF-8 (truncated)"))
    );
    let err = String::from_utf8(out.stderr).unwrap();
    for (file, reason) in [
        ("b_empty.txt", "empty file"),
        ("c_binary.txt", "binary"),
        ("d_undecodable.txt", "undecodable"),
        ("e_nav.html", "not a report"),
        ("f_weather.txt", "not a report"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no message for {file}: {err}"));
        assert!(line.contains(reason), "{line}");
    }
    assert!(!err.contains("ignored.pdf"));
}

#[test]
fn a_huge_single_line_file_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "法治".repeat(50 * 1024 * 1024 / 6)).unwrap();
    let out = fazhi(&[
        "extract",
        big.to_str().unwrap(),
        seed("004").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(records(&out).len(), 1);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("big.txt") && err.contains("too large"),
        "{err}"
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
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gold");
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
fn a_report_with_tens_of_thousands_of_quoted_names_and_nested_titles() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many.txt");
    let body: String = (0..20_000)
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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs[0]["initiatives"].as_array().unwrap().len(), 20_000);
    assert_eq!(recs[0]["metrics"].as_array().unwrap().len(), 20_000);
    assert_eq!(recs[0]["metrics"][19_999]["initiative"], "机制19999");
    let m = &recs[1]["metrics"].as_array().unwrap()[0];
    assert_eq!(
        (m["raw"].as_str(), m["value"].as_f64()),
        (Some("12件"), Some(12.0))
    );
}
