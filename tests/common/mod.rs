//! Helpers shared by the integration tests: external tools, a WebDriver client for headless
//! Chromium, and a `fazhi serve` child process.

#![allow(dead_code)] // each test file uses the part it needs

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// `tests/fixtures` of the checkout under test. `cargo test` gives its directory to the test
/// process; the path compiled in is the fallback, since a target directory shared by several
/// clones reuses a test binary built from another clone, perhaps deleted since.
pub fn fixtures() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("tests/fixtures")
}

/// The output of a finished command; the test fails with its standard error if it failed.
pub fn succeeded(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether an external tool is there; in CI (FAZHI_REQUIRE_TOOLS) its absence is a failure.
pub fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("FAZHI_REQUIRE_TOOLS").is_none(),
            "{tool} is required (FAZHI_REQUIRE_TOOLS is set)"
        );
        eprintln!("skipped: {tool} is not installed");
    }
    found
}

/// Start a program that serves HTTP on a free loopback port given to it by `args`; returns the
/// child and `http://127.0.0.1:PORT` once `probe` answers.
pub fn start_http_service(
    program: &str,
    args: impl FnOnce(u16) -> Vec<String>,
    probe: &str,
) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program)
        .args(args(port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {program}: {e}"));
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while ureq::get(&format!("{base}{probe}")).call().is_err() {
        assert!(Instant::now() < deadline, "{program} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, base)
}

/// The bytes of a base64 PNG screenshot.
pub fn png(value: &Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(value.as_str().expect("base64 text"))
        .expect("base64")
}

/// A WebDriver session on a chromedriver child process.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    /// Chromium's profile, removed with the browser.
    profile: tempfile::TempDir,
}

impl Browser {
    pub fn start() -> Browser {
        let (driver, base) = start_http_service(
            "chromedriver",
            |port| vec![format!("--port={port}")],
            "/status",
        );
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1400,900", format!("--user-data-dir={}", profile.path().display())]}}}});
        let mut b = Browser {
            driver,
            base,
            session: String::new(),
            profile,
        };
        b.session = b.post("/session", &caps)["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        b
    }

    pub fn post(&self, path: &str, body: &Value) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let mut resp = ureq::post(&url)
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let text = resp.body_mut().read_to_string().unwrap();
        serde_json::from_str::<Value>(&text).unwrap()["value"].clone()
    }

    pub fn get(&self, path: &str) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut resp = ureq::get(&url)
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let text = resp.body_mut().read_to_string().unwrap();
        serde_json::from_str::<Value>(&text).unwrap()["value"].clone()
    }

    pub fn script(&self, js: &str) -> Value {
        self.post("/execute/sync", &json!({"script": js, "args": []}))
    }

    pub fn element(&self, css: &str) -> String {
        let v = self.post("/element", &json!({"using": "css selector", "value": css}));
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    pub fn wait_for(&self, js: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.script(js) != json!(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = ureq::delete(&url).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A `fazhi serve` child process on a free loopback port.
pub struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
}

impl Served {
    /// Start `fazhi serve --bind 127.0.0.1:0` with extra arguments; waits for its address line.
    pub fn start(store: &str, extra: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fazhi"))
            .args(["serve", "--store", store, "--bind", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start fazhi serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("serve prints its address");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Served { child, base }
    }

    /// Process id of the server.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
