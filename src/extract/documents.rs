//! Documents cited in 《…》, with nested 《》 or 〈〉 inside.

use std::ops::Range;

/// Longest title accepted; an unclosed 《 runs no further.
const MAX_TITLE_CHARS: usize = 120;

/// Deepest 《》 nesting a real citation has (《关于印发《…》的通知》 is two); beyond it the
/// brackets are malformed and [`find`]'s caller warns.
pub const MAX_NESTING: usize = 3;

/// A cited document: its title bytes in the body (inside the outer brackets).
#[derive(Debug, Clone, PartialEq)]
pub struct Cited {
    /// Title bytes, brackets excluded.
    pub title: Range<usize>,
    /// Document type when the title makes it obvious.
    pub kind: Option<&'static str>,
}

/// All outermost 《…》 spans of `body`, in order (titles may repeat), and the deepest nesting
/// of 《 seen.
pub fn find(body: &str) -> (Vec<Cited>, usize) {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (byte after 《, chars seen)
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for (i, c) in body.char_indices() {
        match c {
            '《' => {
                if depth == 0 {
                    open = Some((i + c.len_utf8(), 0));
                }
                depth += 1;
                deepest = deepest.max(depth);
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some((start, _)) = open.take()
                    && let Some(title) = trimmed(body, start..i)
                {
                    out.push(Cited {
                        kind: kind_of(&body[title.clone()]),
                        title,
                    });
                }
            }
            '\n' => {
                open = None;
                depth = 0;
            }
            _ => {}
        }
        if let Some((_, n)) = open.as_mut() {
            *n += 1;
            if *n > MAX_TITLE_CHARS {
                open = None;
                depth = 0;
            }
        }
    }
    (out, deepest)
}

/// The range without the spaces at its ends (a title is cited as 《 条例 》 at times); `None` if
/// nothing is left.
fn trimmed(body: &str, range: Range<usize>) -> Option<Range<usize>> {
    let inner = &body[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    let end = range.end - (inner.len() - inner.trim_end().len());
    (start < end).then_some(start..end)
}

/// Type of a document from the end of its title, brackets and edition notes ignored.
pub fn kind_of(title: &str) -> Option<&'static str> {
    let core = title.trim_end_matches([')', '）']);
    let core = match core.rfind(['(', '（']) {
        Some(p) if core.len() != title.len() => &core[..p],
        _ => core,
    };
    let core =
        core.trim_end_matches(|c: char| c.is_ascii_digit() || "年版修订稿试行—-".contains(c));
    const KINDS: &[(&str, &str)] = &[
        ("实施纲要", "纲要"),
        ("纲要", "纲要"),
        ("条例", "条例"),
        ("实施细则", "细则"),
        ("细则", "细则"),
        ("规定", "规定"),
        ("办法", "办法"),
        ("方案", "方案"),
        ("意见", "意见"),
        ("通知", "通知"),
        ("决定", "决定"),
        ("规则", "规则"),
        ("规划", "规划"),
        ("要点", "要点"),
        ("计划", "计划"),
        ("清单", "清单"),
        ("指引", "指引"),
        ("制度", "制度"),
        ("报告", "报告"),
        ("读本", "读本"),
        ("宪法", "法律"),
        ("法典", "法律"),
        ("法", "法律"),
    ];
    KINDS
        .iter()
        .find(|(suffix, _)| core.ends_with(suffix))
        .map(|(_, k)| *k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(body: &str) -> Vec<&str> {
        find(body)
            .0
            .iter()
            .map(|c| &body[c.title.clone()])
            .collect()
    }

    #[test]
    fn finds_nested_titles_and_their_types() {
        let body = "贯彻《法治政府建设实施纲要(2021—2025年)》,研读《〈中共中央关于进一步全面深化改革、推进中国式现代化的决定〉辅导读本》和《中华人民共和国行政处罚法》。";
        let (cited, deepest) = find(body);
        assert_eq!(deepest, 1);
        let found: Vec<(&str, Option<&str>)> = cited
            .iter()
            .map(|c| (&body[c.title.clone()], c.kind))
            .collect();
        assert_eq!(
            found,
            vec![
                ("法治政府建设实施纲要(2021—2025年)", Some("纲要")),
                (
                    "〈中共中央关于进一步全面深化改革、推进中国式现代化的决定〉辅导读本",
                    Some("读本")
                ),
                ("中华人民共和国行政处罚法", Some("法律")),
            ]
        );
    }

    #[test]
    fn an_unclosed_bracket_does_not_swallow_the_text() {
        let body = format!("《未闭合{}\n《政府信息公开条例》", "很长".repeat(100));
        assert_eq!(titles(&body), vec!["政府信息公开条例"]);
    }

    #[test]
    fn a_title_is_cited_without_the_spaces_inside_its_brackets() {
        let body = "印发《 法治政府建设实施方案 》和《  》。";
        assert_eq!(titles(body), vec!["法治政府建设实施方案"]);
    }

    #[test]
    fn reports_how_deep_brackets_nest() {
        let body = "落实《关于印发《《某某》实施方案》的通知》和《条例》。";
        let (cited, deepest) = find(body);
        assert_eq!(deepest, 3);
        assert_eq!(cited.len(), 2);
    }
}
