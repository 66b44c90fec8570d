//! Page boilerplate: breadcrumbs, share and print links, visit counters, ICP and 公网安备 lines.
//!
//! Short lines that carry a boilerplate marker go whole; inside long lines (pages flattened to
//! one line) only the boilerplate fragments go. A related-articles list (a heading such as 相关文章
//! alone on its line, then short title lines) goes whole. Removal builds a new view, so offsets
//! into the original are untouched.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{View, ViewBuilder};

/// Lines up to this many characters that carry a marker are boilerplate as a whole.
const SHORT_LINE: usize = 120;

static LINE_MARKERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"当前位置|您的位置|你的位置|您现在的位置|首页\s*[>›»]|打印本页|关闭窗口|分享到|ICP备|公网安备|网站标识码|主办[:：]|承办[:：]|建议使用.{0,24}浏览器|最佳浏览效果|浏览器.{0,12}分辨率|分辨率.{0,12}浏览器|阅读量|阅读次数|浏览次数|访问量|点击数|点击量|返回顶部|回到顶部|字号|扫一扫|版权所有|主办单位|承办单位|技术支持|网站地图|联系我们|收藏本页|【打印】|【关闭】|上一篇|下一篇|^(回到|顶部|返回|打印|关闭|分享|收藏|政策)$",
    )
    .expect("boilerplate line markers")
});

/// The heading of a list of links to other articles, alone on its line.
static RELATED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(相关文章|相关阅读|相关链接|相关新闻|相关稿件|相关信息|相关推荐|推荐阅读|延伸阅读|热点推荐|热门文章)\s*[:：]?\s*$")
        .expect("related heading")
});

/// Lines of a related-articles list are article titles, each perhaps with a date: short, and
/// without the punctuation of report sentences.
const LIST_LINE: usize = 80;

/// Page counters (阅读量: 123).
const COUNTERS: &str = "阅读量|阅读次数|浏览次数|访问量|点击数|点击量";
/// Page buttons (【打印本页】).
const BUTTONS: &str = "打印本页|关闭窗口|返回顶部|回到顶部";
/// Words without which a line holds no fragment (breadcrumbs start at 首页 or 当前位置).
const FRAGMENT_WORDS: &str = "分享到|ICP备|公网安备|网站标识码|首页|当前位置";

/// Boilerplate inside a line. Every alternative holds a word of [`FRAGMENT_HINT`]: a line without
/// one is not searched.
static FRAGMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"({COUNTERS})\s*[:：]\s*[-\d]*|分享到\s*[:：].*$|【?({BUTTONS})】?|\S{{0,8}}ICP备\S*|\S{{0,6}}公网安备\s*\S*|网站标识码\s*[:：]?\s*\w*|(首页|当前位置[:：]?)\s*([>›»][^>›»\n]{{1,24}}){{1,6}}[>›»]\s*\S{{0,12}}(报告|目录|总结|公开)",
    ))
    .expect("boilerplate fragments")
});

/// Any word a fragment holds: a literal search that rules out most lines before [`FRAGMENTS`],
/// whose leading `\S{0,8}` leaves the regex engine no literal to look for.
static FRAGMENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("{COUNTERS}|{BUTTONS}|{FRAGMENT_WORDS}")).expect("fragment words")
});

/// `full` without boilerplate lines and fragments (`full` itself, copied whole, when it has
/// none: most plain-text reports).
pub(super) fn strip(full: &View) -> View {
    let text = full.text();
    let kept = kept_ranges(text);
    if kept.len() == 1 && kept[0] == (0..text.len()) {
        return full.clone();
    }
    let mut b = ViewBuilder::with_capacity(text.len());
    for range in kept {
        b.extend_from(full, range);
    }
    b.finish()
}

/// Byte ranges of `text` outside boilerplate lines and fragments, adjacent ones merged.
fn kept_ranges(text: &str) -> Vec<Range<usize>> {
    let mut kept: Vec<Range<usize>> = Vec::new();
    let mut keep = |range: Range<usize>| match kept.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ if range.is_empty() => {}
        _ => kept.push(range),
    };
    let mut line_start = 0;
    let mut in_related_list = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        in_related_list = if in_related_list {
            is_list_line(body)
        } else {
            RELATED_HEADING.is_match(body)
        };
        let chrome =
            in_related_list || (body.chars().count() <= SHORT_LINE && LINE_MARKERS.is_match(body));
        if !chrome {
            let mut kept_from = line_start;
            if FRAGMENT_HINT.is_match(body) {
                for m in FRAGMENTS.find_iter(body) {
                    keep(kept_from..line_start + m.start());
                    kept_from = line_start + m.end();
                }
            }
            keep(kept_from..line_start + line.len());
        }
        line_start += line.len();
    }
    kept
}

/// Whether a line can be an entry of a related-articles list (blank lines between entries too).
/// A line that opens with a heading marker (一、 （二）) is a document's outline, not a list: a
/// list shown before the article ends there.
fn is_list_line(line: &str) -> bool {
    static OUTLINE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
            .expect("outline marker")
    });
    line.chars().count() <= LIST_LINE
        && !line.contains(['。', '；', ';', '，', ','])
        && !OUTLINE_MARKER.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::super::normalise;

    #[test]
    fn strips_page_chrome_but_keeps_the_report() {
        let page = "回到\n顶部\n当前位置: 首页 > 龙岗区龙城街道办事处 > 信息公开\n\
            龙城街道2023年法治政府建设年度报告\n\
            发布时间: 2023年12月06日 来源:龙岗区龙城街道办事处 浏览次数:- T浏览字号:\n\
            一、成效\n调解案件420宗。\n分享到:\n【打印本页】 【关闭窗口】\n粤ICP备12001664号 粤公网安备 44030402002541号";
        let n = normalise(page, false);
        assert_eq!(
            n.body.text(),
            "龙城街道2023年法治政府建设年度报告\n一、成效\n调解案件420宗。\n"
        );
        assert!(n.full.text().contains("发布时间: 2023年12月06日"));
    }

    #[test]
    fn strips_related_article_lists_wherever_the_page_puts_them() {
        let after = "一、成效\n调解案件420宗。\n相关链接\n南郑区司法局2022年法治政府建设年度报告\t2023-01-19\n\n\
            南郑区开展2023年度行政执法案卷评查工作\t2024-08-22\n网站地图 | 联系我们\n";
        assert_eq!(
            normalise(after, false).body.text(),
            "一、成效\n调解案件420宗。\n"
        );
        // A list shown before the article ends at the first heading of the report.
        let before =
            "推荐阅读：\n南郑区司法局2022年法治政府建设年度报告\n一、成效\n调解案件420宗。";
        assert_eq!(
            normalise(before, false).body.text(),
            "一、成效\n调解案件420宗。"
        );
        // The word inside a sentence is report text.
        let sentence = "一、成效\n建立相关链接机制,调解案件420宗。";
        assert_eq!(normalise(sentence, false).body.text(), sentence);
    }

    #[test]
    fn strips_fragments_inside_a_flattened_line() {
        let long = format!(
            "首页>政务公开>法治建设>法治政府建设年度报告平沙镇2024年法治政府建设年度报告来源:本网发布日期:2025-01-13阅读量:10 2024年,{} 分享到:微信扫一扫",
            "平沙镇开展法治宣传436场。".repeat(10)
        );
        let n = normalise(&long, false);
        assert!(!n.body.text().contains("阅读量"));
        assert!(!n.body.text().contains("分享到"));
        assert!(!n.body.text().contains("首页>"));
        assert!(
            n.body
                .text()
                .contains("平沙镇2024年法治政府建设年度报告来源:本网发布日期:2025-01-13")
        );
        assert!(n.body.text().contains("开展法治宣传436场"));
    }
}
