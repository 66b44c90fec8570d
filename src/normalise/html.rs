//! HTML to visible text, keeping a map to the HTML source.
//!
//! A small tokenizer rather than a DOM: we need source offsets for every visible character, which
//! DOM builders drop. Block elements become line breaks, table cells a separator; scripts,
//! styles and navigation are skipped whole; character references are decoded.

use super::{View, ViewBuilder};

/// Elements whose whole content is never report text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "select", "iframe",
    "button", "form",
];

/// Elements that start a new line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "title",
    "dd",
    "dt",
    "dl",
    "hr",
    "blockquote",
    "pre",
    "header",
    "main",
    "tbody",
    "thead",
    "center",
    "body",
    "head",
];

/// The visible text of an HTML page.
pub(super) fn visible_text(source: &str) -> View {
    let chars: Vec<char> = source.chars().collect();
    let mut b = ViewBuilder::with_capacity(source.len() / 2);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '<' => i = tag(&chars, i, &mut b),
            '&' => i = entity(&chars, i, &mut b),
            c => {
                b.push(c, i as u32, i as u32 + 1);
                i += 1;
            }
        }
    }
    b.finish()
}

/// Handle the markup starting at `at` (a `<`), returning the index after it.
fn tag(chars: &[char], at: usize, b: &mut ViewBuilder) -> usize {
    if starts_with(chars, at, "<!--") {
        return find(chars, at + 4, "-->").map_or(chars.len(), |e| e + 3);
    }
    let Some(close) = chars[at..].iter().position(|&c| c == '>').map(|p| at + p) else {
        // A lone '<' in text.
        b.push('<', at as u32, at as u32 + 1);
        return at + 1;
    };
    let inner: String = chars[at + 1..close].iter().collect();
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() && !inner.starts_with('!') && !inner.starts_with('?') && !closing {
        b.push('<', at as u32, at as u32 + 1);
        return at + 1;
    }
    if !closing && SKIPPED.contains(&name.as_str()) && !inner.ends_with('/') {
        let end_tag = format!("</{name}");
        return match find_ci(chars, close + 1, &end_tag) {
            Some(e) => chars[e..]
                .iter()
                .position(|&c| c == '>')
                .map_or(chars.len(), |p| e + p + 1),
            None => chars.len(),
        };
    }
    if BLOCKS.contains(&name.as_str()) {
        b.push('\n', at as u32, close as u32 + 1);
    } else if matches!(name.as_str(), "td" | "th") && !closing {
        b.push(' ', at as u32, close as u32 + 1);
    }
    close + 1
}

/// Decode the character reference starting at `at` (a `&`), returning the index after it.
fn entity(chars: &[char], at: usize, b: &mut ViewBuilder) -> usize {
    let end = chars[at + 1..]
        .iter()
        .take(12)
        .position(|&c| c == ';')
        .map(|p| at + 1 + p);
    let decoded = end.and_then(|e| {
        let name: String = chars[at + 1..e].iter().collect();
        decode_entity(&name)
    });
    match (decoded, end) {
        (Some(c), Some(e)) => {
            b.push(c, at as u32, e as u32 + 1);
            e + 1
        }
        _ => {
            b.push('&', at as u32, at as u32 + 1);
            at + 1
        }
    }
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "times" => '×',
        "deg" => '°',
        "copy" => '©',
        "reg" => '®',
        "permil" => '‰',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "laquo" => '«',
        "raquo" => '»',
        _ => return None,
    })
}

fn starts_with(chars: &[char], at: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, p)| chars.get(at + k) == Some(&p))
}

fn find(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&i| starts_with(chars, i, pat))
}

/// Case-insensitive search for an ASCII pattern.
fn find_ci(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (from..chars.len().saturating_sub(pat.len() - 1)).find(|&i| {
        pat.iter()
            .enumerate()
            .all(|(k, p)| chars[i + k].to_ascii_lowercase() == *p)
    })
}

#[cfg(test)]
mod tests {
    use super::super::normalise;

    #[test]
    fn keeps_blocks_as_lines_and_drops_scripts_and_navigation() {
        let page = "<html><head><title>平沙镇2024年法治政府建设年度报告</title>\
            <script>var x = '<p>1次</p>';</script><style>p{}</style></head><body>\
            <nav><a href=/>首页</a></nav><div class=c><p>一、主要举措</p>\
            <p>开展法治宣传436场&nbsp;惠及群众7万余人次&#12290;</p></div>\
            <footer>粤ICP备12001664号</footer></body></html>";
        let n = normalise(page, true);
        assert_eq!(
            n.full.text(),
            "平沙镇2024年法治政府建设年度报告\n一、主要举措\n开展法治宣传436场 惠及群众7万余人次。"
        );
    }

    #[test]
    fn spans_point_into_the_html_source() {
        let page = "<p>成功化解行政争议<b>88宗</b>&amp;</p>";
        let n = normalise(page, true);
        let at = n.full.text().find("88宗").unwrap();
        let (s, e) = n.full.span(at..at + "88宗".len());
        let evidence: String = page.chars().skip(s).take(e - s).collect();
        assert_eq!(evidence, "88宗");
        let amp = n.full.text().find('&').unwrap();
        let (s, e) = n.full.span(amp..amp + 1);
        assert_eq!(
            page.chars().skip(s).take(e - s).collect::<String>(),
            "&amp;"
        );
    }
}
