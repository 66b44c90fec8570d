//! Stage 1 — read: gather input files and decode their bytes to text.
//!
//! Encodings are detected, never asked for: a byte-order mark (UTF-8, UTF-16LE/BE) wins, then
//! valid UTF-8, then GB18030 (a superset of GBK and GB2312). Binary, empty and undecodable
//! inputs are refused with a reason. This module knows nothing of reports.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest input accepted, in bytes. Real reports are a few hundred kilobytes at most; beyond
/// this a file is a crawler accident (a dump, a binary), and refusing it keeps memory bounded.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// Why an input could not be read or decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(String),
    /// The file has no bytes (or only whitespace).
    Empty,
    /// The bytes look like a binary file, not text.
    Binary,
    /// The bytes are neither UTF-8, UTF-16 with BOM nor GB18030.
    Undecodable,
    /// The file exceeds [`MAX_INPUT_BYTES`].
    TooLarge(usize),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Empty => write!(f, "empty file"),
            ReadError::Binary => write!(f, "binary file, not text"),
            ReadError::Undecodable => {
                write!(
                    f,
                    "undecodable bytes: not UTF-8, UTF-16 with BOM, or GB18030/GBK"
                )
            }
            ReadError::TooLarge(n) => write!(
                f,
                "too large for a report: {n} bytes (limit {MAX_INPUT_BYTES} bytes)"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// A decoded input file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded text, byte-order mark removed. Spans in records index its characters.
    pub text: String,
    /// Name of the encoding the bytes were in.
    pub encoding: &'static str,
    /// Whether the text is an HTML page.
    pub html: bool,
    /// What was wrong with the bytes and how they were read anyway (a cut-off last character, a
    /// declared charset the bytes contradict).
    pub warnings: Vec<String>,
}

/// Encoding name of UTF-8 bytes cut inside their last character.
pub const TRUNCATED_UTF8: &str = "UTF-8 (truncated)";

/// How far into a page a declared charset is looked for (browsers look at the first 1024 bytes).
const CHARSET_REACH: usize = 2048;

/// Expand the given paths into input files: files as given, directories recursively with their
/// `.txt`, `.html` and `.htm` files in sorted order, so that runs are deterministic.
/// `-` stands for standard input and is kept as is.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, ReadError)>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" || !p.is_dir() {
            out.push(Ok(p.clone()));
            continue;
        }
        walk_dir(p, &mut out);
    }
    out
}

fn walk_dir(dir: &Path, out: &mut Vec<Result<PathBuf, (PathBuf, ReadError)>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Err((dir.to_path_buf(), ReadError::Io(e.to_string()))));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk_dir(&p, out);
        } else if has_report_extension(&p) {
            out.push(Ok(p));
        }
    }
}

fn has_report_extension(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("txt" | "html" | "htm")
    )
}

/// Read the raw bytes of a path (`-` reads standard input), refusing oversized files.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    result.map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() > MAX_INPUT_BYTES {
        let size = std::fs::metadata(path)
            .map(|m| m.len() as usize)
            .unwrap_or(bytes.len());
        return Err(ReadError::TooLarge(size));
    }
    Ok(bytes)
}

/// Decode bytes to text, detecting the encoding; `name_hint` (a file name) helps spot HTML.
pub fn decode(bytes: &[u8], name_hint: &str) -> Result<Decoded, ReadError> {
    let (text, encoding) = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Err(ReadError::Empty);
    }
    if looks_binary(&text) {
        return Err(ReadError::Binary);
    }
    let html = is_html(&text, name_hint);
    let mut warnings = Vec::new();
    if encoding == TRUNCATED_UTF8 {
        warnings.push(format!(
            "truncated: the last character is cut off; read the {} bytes before it",
            text.len()
        ));
    }
    if let Some(declared) = declared_charset(&text)
        && same_charset(declared) != same_charset(encoding)
    {
        warnings.push(format!(
            "declared charset {declared}, but the bytes are {encoding}; read as {encoding}"
        ));
    }
    Ok(Decoded {
        text,
        encoding,
        html,
        warnings,
    })
}

/// The charset a page or XML prolog declares (`charset=…`, `encoding="…"`), if it is one a
/// report could be in: the label browsers would follow, which fazhi checks against the bytes.
fn declared_charset(text: &str) -> Option<&'static str> {
    let head = &text[..text.floor_char_boundary(CHARSET_REACH)];
    let lower = head.to_ascii_lowercase();
    ["charset=", "encoding="].iter().find_map(|key| {
        let at = lower.find(key)? + key.len();
        let label: String = lower[at..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            .collect();
        let name = encoding_rs::Encoding::for_label(label.as_bytes())?.name();
        ["UTF-8", "GBK", "gb18030", "UTF-16LE", "UTF-16BE"]
            .contains(&name)
            .then_some(name)
    })
}

/// One name per family: GBK bytes are GB18030 bytes, a cut-off UTF-8 file is UTF-8.
fn same_charset(name: &str) -> String {
    match name.to_ascii_uppercase().as_str() {
        "GBK" | "GB18030" => "GB18030".into(),
        n if n.starts_with("UTF-8") => "UTF-8".into(),
        n => n.into(),
    }
}

fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ReadError::Undecodable);
        }
        return Ok((text.into_owned(), enc.name()));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_owned(), "UTF-8")),
        // Cut inside the last character (a truncated download): keep everything before it.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            let s = std::str::from_utf8(&bytes[..e.valid_up_to()]).expect("valid prefix");
            return Ok((s.to_owned(), TRUNCATED_UTF8));
        }
        Err(_) => {}
    }
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|t| (t.into_owned(), "GB18030"))
        .ok_or(ReadError::Undecodable)
}

/// Text with NULs or many control characters is a binary file that happened to decode.
fn looks_binary(text: &str) -> bool {
    let mut controls = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c') {
            controls += 1;
        }
    }
    controls * 20 > total
}

fn is_html(text: &str, name_hint: &str) -> bool {
    let lower_name = name_hint.to_ascii_lowercase();
    if lower_name.ends_with(".html") || lower_name.ends_with(".htm") {
        return true;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<body")
        || head.contains("<head")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_bytes_of_a_report_sentence() {
        let sentence = "平沙镇2024年调解纠纷案件1750宗，成功调解1737宗。";
        let (gbk, _, _) = encoding_rs::GBK.encode(sentence);
        let d = decode(&gbk, "a.txt").unwrap();
        assert_eq!(d.text, sentence);
        assert_eq!(d.encoding, "GB18030");
    }

    #[test]
    fn decodes_utf16_with_bom_and_strips_utf8_bom() {
        let sentence = "区司法局成功化解行政争议88宗";
        let mut le = vec![0xFF, 0xFE];
        for u in sentence.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, "x").unwrap().text, sentence);
        let mut u8bom = vec![0xEF, 0xBB, 0xBF];
        u8bom.extend_from_slice(sentence.as_bytes());
        let d = decode(&u8bom, "x").unwrap();
        assert_eq!(d.text, sentence);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn refuses_empty_binary_and_undecodable_input() {
        assert_eq!(decode(b"", "x").unwrap_err(), ReadError::Empty);
        assert_eq!(decode(b"  \n ", "x").unwrap_err(), ReadError::Empty);
        assert_eq!(
            decode(&[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff], "x").unwrap_err(),
            ReadError::Binary
        );
        // 0xFF is neither UTF-8 nor a GB18030 lead byte.
        assert_eq!(
            decode(&[0x41, 0xFF, 0x42], "x").unwrap_err(),
            ReadError::Undecodable
        );
    }

    #[test]
    fn a_file_cut_inside_its_last_character_keeps_the_rest() {
        let text = "成功化解行政争议88宗";
        let d = decode(&text.as_bytes()[..text.len() - 1], "x").unwrap();
        assert_eq!(d.text, "成功化解行政争议88");
        assert_eq!(d.encoding, "UTF-8 (truncated)");
        assert!(d.warnings[0].starts_with("truncated"), "{:?}", d.warnings);
    }

    #[test]
    fn a_page_declaring_utf8_in_gbk_bytes_is_read_as_gbk_with_a_warning() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"></head><body><p>区司法局成功化解行政争议88宗</p></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let d = decode(&gbk, "r.html").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (page, "GB18030"));
        assert_eq!(
            d.warnings,
            ["declared charset UTF-8, but the bytes are GB18030; read as GB18030"]
        );
        // Declared gb2312 (a GBK label) for GBK bytes, or utf-8 for UTF-8: nothing to say.
        let honest = page.replace("UTF-8", "gb2312");
        assert!(
            decode(&encoding_rs::GBK.encode(&honest).0, "r.html")
                .unwrap()
                .warnings
                .is_empty()
        );
        assert!(
            decode(page.as_bytes(), "r.html")
                .unwrap()
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn spots_html_by_name_or_content() {
        assert!(
            decode(b"<!DOCTYPE html><html><body>x</body></html>", "r.txt")
                .unwrap()
                .html
        );
        assert!(decode("<p>报告</p>".as_bytes(), "r.htm").unwrap().html);
        assert!(!decode("一、成效".as_bytes(), "r.txt").unwrap().html);
    }
}
