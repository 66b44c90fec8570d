//! Sections and nested items: 一、 (一) 1. 一是 ①, validated as numbered sequences.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::numerals::parse_chinese;

/// Marker kinds, outermost first.
const RANKS: usize = 5;

/// Names of the marker and number groups of each rank in [`MARKERS`].
const GROUPS: [(&str, &str); RANKS] = [
    ("r0", "n0"),
    ("r1", "n1"),
    ("r2", "n2"),
    ("r3", "n3"),
    ("r4", "n4"),
];

/// Every marker kind in one regex, so that the body is scanned once (five scans were a tenth of
/// extraction). Group `rK` is the marker of rank K, `nK` its number.
static MARKERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // 一、 at a line start or after a full stop / colon.
        r"(?m)(?:^|[。:;!?：；！？])[ ]*(?<r0>(?<n0>[一二三四五六七八九十]{1,3})、)",
        // (一) anywhere: reports flattened to one line lose the break before it.
        r"|(?<r1>\((?<n1>[一二三四五六七八九十]{1,3})\))",
        // 1. 1、 (1) after a break or full stop (never a decimal: see `find_markers`).
        r"|(?:^|[。:;!?：；！？])[ ]*(?<r2>(?<n2>\d{1,2})[.、]|\((?<n2p>\d{1,2})\))",
        // 一是 after a clause break.
        r"|(?:^|[。:;!?,：；！？，])[ ]*(?<r3>(?<n3>[一二三四五六七八九十]{1,2})是)",
        // ① … ⑳
        r"|(?<r4>(?<n4>[①-⑳]))",
    ))
    .unwrap()
});

/// A section or item: its marker, where its title is and what it covers (body byte ranges).
#[derive(Debug, Clone)]
pub struct Node {
    /// Marker as written (`一、` is shown as `一`).
    pub marker: String,
    /// 0 = 一、, 1 = (一), 2 = 1., 3 = 一是, 4 = ①.
    pub rank: usize,
    /// Title bytes.
    pub title: Range<usize>,
    /// Whole node, from marker to the next sibling or parent end.
    pub range: Range<usize>,
    /// Nested nodes.
    pub children: Vec<Node>,
}

/// The outline of a report body.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Top-level sections.
    pub sections: Vec<Node>,
}

#[derive(Debug, Clone)]
struct Marker {
    rank: usize,
    number: u32,
    label: String,
    start: usize,
    /// Where the title starts (after the marker).
    after: usize,
}

impl Outline {
    /// Find the outline of `body`.
    pub fn parse(body: &str) -> Outline {
        let markers = find_markers(body);
        let Some(top) = (0..3).find(|&r| markers.iter().filter(|m| m.rank == r).count() >= 2)
        else {
            return Outline::default();
        };
        let markers: Vec<Marker> = markers.into_iter().filter(|m| m.rank >= top).collect();
        let sections = build(body, &markers, top, 0..content_end(body));
        Outline { sections }
    }

    /// Section index and the chain of nodes (outermost first) holding byte `at`.
    pub fn locate(&self, at: usize) -> (Option<usize>, Vec<&Node>) {
        let k = self.sections.partition_point(|s| s.range.start <= at);
        let Some(i) = k
            .checked_sub(1)
            .filter(|&i| self.sections[i].range.contains(&at))
        else {
            return (None, Vec::new());
        };
        let mut chain = vec![&self.sections[i]];
        while let Some(child) = chain.last().and_then(|n| child_at(&n.children, at)) {
            chain.push(child);
        }
        (Some(i), chain)
    }
}

impl Outline {
    /// Section index and marker path (`["一", "(四)", "一是"]`) of the item holding byte `at`.
    pub fn path(&self, at: usize) -> (Option<usize>, Vec<String>) {
        let (section, chain) = self.locate(at);
        (section, chain.iter().map(|n| n.marker.clone()).collect())
    }
}

/// The child (sorted, disjoint) holding byte `at`.
fn child_at(children: &[Node], at: usize) -> Option<&Node> {
    let k = children.partition_point(|c| c.range.start <= at);
    children[..k].last().filter(|c| c.range.contains(&at))
}

/// Where the report's content ends: trailing signature lines (the unit, the date) belong to no
/// section.
fn content_end(body: &str) -> usize {
    let mut end = body.trim_end().len();
    for _ in 0..4 {
        let line_start = body[..end].rfind('\n').map_or(0, |p| p + 1);
        if line_start == 0 || !super::meta::is_signature_line(&body[line_start..end]) {
            break;
        }
        end = body[..line_start].trim_end().len();
    }
    end
}

fn find_markers(body: &str) -> Vec<Marker> {
    let mut all = Vec::new();
    for c in MARKERS.captures_iter(body) {
        let Some((rank, whole)) = (0..RANKS).find_map(|r| c.name(GROUPS[r].0).map(|m| (r, m)))
        else {
            continue;
        };
        // 1. followed by a digit is a decimal (12.5%), not a marker.
        if rank == 2 && body[whole.end()..].starts_with(|d: char| d.is_ascii_digit()) {
            continue;
        }
        let num_text = c
            .name(GROUPS[rank].1)
            .or_else(|| c.name("n2p"))
            .map_or("", |m| m.as_str());
        let Some(number) = marker_number(num_text) else {
            continue;
        };
        let label = if rank == 0 { num_text } else { whole.as_str() };
        all.push(Marker {
            rank,
            number,
            label: label.to_string(),
            start: whole.start(),
            after: whole.end(),
        });
    }
    all.sort_by_key(|m| (m.start, m.rank));
    all
}

fn marker_number(s: &str) -> Option<u32> {
    if let Some(c) = s.chars().next().filter(|c| ('①'..='⑳').contains(c)) {
        return Some(c as u32 - '①' as u32 + 1);
    }
    s.parse()
        .ok()
        .or_else(|| parse_chinese(s).map(|v| v as u32))
}

/// Build the nodes of `rank` inside `range`, with their children, keeping only markers that
/// continue the numbering (1, 2, 3 …) so that stray matches inside sentences drop out.
fn build(body: &str, markers: &[Marker], rank: usize, range: Range<usize>) -> Vec<Node> {
    let mut picked: Vec<&Marker> = Vec::new();
    for m in markers
        .iter()
        .filter(|m| m.rank == rank && range.contains(&m.start))
    {
        let expected = picked.last().map_or(1, |p| p.number + 1);
        if m.number == expected {
            picked.push(m);
        }
    }
    let mut nodes = Vec::new();
    for (k, m) in picked.iter().enumerate() {
        let end = picked.get(k + 1).map_or(range.end, |n| n.start);
        let inner: Vec<Marker> = markers
            .iter()
            .filter(|x| x.rank > rank && x.start >= m.after && x.start < end)
            .cloned()
            .collect();
        let title_end = title_end(body, m.after, end, inner.first().map(|x| x.start));
        let children = (rank + 1..RANKS)
            .find(|&r| inner.iter().filter(|x| x.rank == r).count() >= 1)
            .map(|r| build(body, &inner, r, m.after..end))
            .unwrap_or_default();
        nodes.push(Node {
            marker: m.label.clone(),
            rank,
            title: m.after..title_end,
            range: m.start..end,
            children,
        });
    }
    nodes
}

/// A title runs to the first line break, full stop, colon or nested marker, at most 80 chars.
fn title_end(body: &str, from: usize, limit: usize, next_marker: Option<usize>) -> usize {
    let limit = next_marker.map_or(limit, |n| n.min(limit));
    let mut end = from;
    for (n, (i, c)) in body[from..limit].char_indices().enumerate() {
        if n >= 80 || matches!(c, '\n' | '。' | ':' | ';' | '!' | '?' | '！' | '？') {
            return from + i;
        }
        end = from + i + c.len_utf8();
    }
    end
}

/// Kind of a top-level section from its title.
pub fn section_kind(title: &str) -> &'static str {
    static DOC: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《[^》]*》").unwrap());
    static RULES: LazyLock<[(Regex, &str); 6]> = LazyLock::new(|| {
        [
            (Regex::new(r"^其他|^其它").unwrap(), "other"),
            (Regex::new(r"整改|改进情况|(上一?年度?|去年|前一年|\d{4}年度?).{0,16}问题.{0,8}(改进|整改|落实)").unwrap(), "rectification"),
            (Regex::new(r"不足|存在的?(主要)?问题|问题和|^问题|短板|差距|薄弱|困难").unwrap(), "problems"),
            (Regex::new(r"安排|计划|打算|思路|下一步|下一年|下步|展望|努力方向|工作重点|重点工作|\d{4}年.{0,12}(工作|重点|目标)$").unwrap(), "plans"),
            (Regex::new(r"第一责任人|履行.{0,12}职责|党的领导|党对.{0,16}领导|学习贯彻|习近平法治思想|党政主要负责|述法").unwrap(), "duty"),
            (Regex::new(r"举措|成效|情况|主要工作|做法|成绩|进展|落实|健全|推进|完善|加强|深化|提升|优化|强化|规范|坚持|建设").unwrap(), "achievements"),
        ]
    });
    let title = DOC.replace_all(title, "");
    RULES
        .iter()
        .find(|(re, _)| re.is_match(&title))
        .map_or("other", |(_, kind)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_belongs_to_no_section() {
        let body = "一、主要举措\n(一)学法。组织学习。\n(二)用法。依法决策。\n二、下一步安排\n继续推进。\n珠海市金湾区平沙镇人民政府\n2025年1月13日\n";
        let o = Outline::parse(body);
        let last = &o.sections[1];
        assert_eq!(&body[last.range.clone()], "二、下一步安排\n继续推进。");
        assert_eq!(section_kind("加强党对法治政府建设的领导"), "duty");
    }

    #[test]
    fn finds_sections_in_a_report_flattened_to_one_line() {
        let body = "现将情况报告如下:一、2024年法治政府建设情况(一)压实责任。一是学习。二是考试,参加3次。(二)扎牢根基。二、存在的不足及原因(一)基础不稳。三、2025年工作安排(一)构建格局。";
        let o = Outline::parse(body);
        let titles: Vec<&str> = o.sections.iter().map(|s| &body[s.title.clone()]).collect();
        assert_eq!(
            titles,
            vec![
                "2024年法治政府建设情况",
                "存在的不足及原因",
                "2025年工作安排"
            ]
        );
        assert_eq!(o.sections[0].children.len(), 2);
        assert_eq!(o.sections[0].children[0].children.len(), 2);
        let at = body.find("3次").unwrap();
        let (sec, chain) = o.locate(at);
        assert_eq!(sec, Some(0));
        let markers: Vec<&str> = chain.iter().map(|n| n.marker.as_str()).collect();
        assert_eq!(markers, vec!["一", "(一)", "二是"]);
    }

    #[test]
    fn all_five_marker_kinds_nest_and_decimals_are_no_markers() {
        let body = "一、主要成效\n(一)推进依法决策。1.健全制度。2.5%的事项已公开。2.规范程序。一是加强审查,二是强化论证。\n(二)严格执法。①规范裁量;②推行公示。\n二、存在问题\n基层力量不足。";
        let o = Outline::parse(body);
        let path_at = |s: &str| o.path(body.find(s).unwrap());
        assert_eq!(
            path_at("的事项"),
            (Some(0), vec!["一".into(), "(一)".into(), "1.".into()])
        );
        assert_eq!(
            path_at("强化论证"),
            (
                Some(0),
                vec!["一".into(), "(一)".into(), "2.".into(), "二是".into()]
            )
        );
        assert_eq!(
            path_at("推行公示"),
            (Some(0), vec!["一".into(), "(二)".into(), "②".into()])
        );
        assert_eq!(path_at("基层力量"), (Some(1), vec!["二".into()]));
    }

    #[test]
    fn ignores_enumerations_that_break_the_numbering() {
        let body = "一、主要举措\n党的二十届二中、三中全会精神。三、不是章节\n二、存在问题\n";
        let o = Outline::parse(body);
        let titles: Vec<&str> = o.sections.iter().map(|s| &body[s.title.clone()]).collect();
        assert_eq!(titles, vec!["主要举措", "存在问题"]);
    }

    #[test]
    fn classifies_section_titles() {
        for (t, k) in [
            ("2024年度推进法治政府建设的主要举措和成效", "achievements"),
            ("党政主要负责人履行推进法治建设第一责任人职责情况", "duty"),
            (
                "深入学习贯彻党的二十大精神和习近平法治思想,加大法治政府建设统筹推进力度",
                "duty",
            ),
            ("2023年法治政府建设存在问题的改进情况", "rectification"),
            ("存在不足及下一步工作安排", "problems"),
            ("2025年推进法治政府建设主要安排", "plans"),
            (
                "《河东区2024年法治政府建设工作计划》重点任务落实情况",
                "achievements",
            ),
            ("下一年度工作思路", "plans"),
            ("其他需要报告的事项", "other"),
        ] {
            assert_eq!(section_kind(t), k, "{t}");
        }
    }
}
