//! Report metadata from page headers and the opening of the body: title, year reported on,
//! publication date, index number, and the raw name of the reporting unit.

use std::sync::LazyLock;

use regex::Regex;

use super::numerals::parse_chinese;

/// Metadata read from the text; the unit is resolved later against the division table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Title line.
    pub title: Option<String>,
    /// Year the report is about.
    pub year: Option<i32>,
    /// Publication date, ISO.
    pub published: Option<String>,
    /// 索引号.
    pub index_number: Option<String>,
    /// Unit names as written, best source first (title, publisher field, body subject).
    pub unit_names: Vec<String>,
}

/// How far into the text the page header may reach, in characters.
const HEADER_CHARS: usize = 1500;

/// How far into the body its opening sentence (the reporting unit and year) may reach, in
/// characters.
const OPENING_CHARS: usize = 400;

/// The first `n` characters of `s`, borrowed (collecting them into a new string was a few
/// percent of extraction).
fn head_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:法治政府建设|法治建设|依法行政|法治政府|法治).*(?:报告|总结|情况)").unwrap()
});
/// Lines that start with a section or item marker are headings inside the body, not titles.
static MARKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[一二三四五六七八九十]+、|\(|（|\d+[.、]|第[一二三四五六七八九十]+)").unwrap()
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度?").unwrap());
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})").unwrap()
});
static CHINESE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日",
    )
    .unwrap()
});
static DATE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(发布日期|发布时间|信息提供日期|公开日期|发文日期|印发日期|成文日期|生成日期|日期|时间)[\s:：|]*",
    )
    .unwrap()
});
static INDEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"索\s*引\s*号[\s:：|]*([A-Za-z0-9][A-Za-z0-9/\-_.]*|/[A-Za-z0-9/\-_.]+)").unwrap()
});
static PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(发布机构|发文机关|发布单位|发布部门|来源|信息来源|文章来源|主办单位)[\s:：|]*([^\n|:：]{2,40})",
    )
    .unwrap()
});
static FIELD_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s{2,}|\s*(信息索引号|索引号|发布日期|发布时间|浏览|阅读|字号|成文日期|公开目录|生成日期|分类|作者|【)").unwrap()
});
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[,，。\n]|年度?|下)\s*((?:中共)?[\p{Han}()]{1,24}?(?:人民政府办公室|政府办公室|办公室|司法局|局|委员会|委|街道办事处|街道|人民政府|政府|镇|乡|事务中心|服务中心|中心|办|厅|署|所|院))\s*(?:\(以下简称[^)]*\))?\s*(?:坚持|以|全面|深入|紧紧|认真|始终|深化|围绕|扎实|不断|持续|高度|牢固|切实|立足|按照|紧扣|在|聚焦|着力|积极|严格|锚定|主动|把|将|贯彻)").unwrap()
});

/// Read the metadata of a report. `full` is the whole folded text (headers included), `body`
/// the text without page boilerplate: the signature is read at the end of the body, since a
/// page's footer (主办, 网站标识码) follows the report's last lines in `full`.
pub fn read(full: &str, body: &str) -> Meta {
    let header = head_chars(full, HEADER_CHARS);
    let title = find_title(header);
    let published = find_published(body, header);
    let year = title
        .as_deref()
        .and_then(first_year)
        .or_else(|| body_year(body))
        .or_else(|| {
            published
                .as_deref()
                .and_then(|p| p[..4].parse::<i32>().ok())
                .map(|y| y - 1)
        });
    let index_number = INDEX.captures(header).map(|c| c[1].to_string());
    let mut unit_names = Vec::new();
    if let Some(t) = &title
        && let Some(u) = unit_from_title(t)
    {
        unit_names.push(u);
    }
    unit_names.extend(publishers(header));
    unit_names.extend(signature_unit(body));
    if let Some(u) = body_subject(body) {
        unit_names.push(u);
    }
    Meta {
        title,
        year,
        published,
        index_number,
        unit_names,
    }
}

/// The first header line that names a report on law-based government: short, no sentence
/// punctuation, not a breadcrumb, not a numbered heading.
fn find_title(header: &str) -> Option<String> {
    let candidates: Vec<&str> = header
        .lines()
        .map(str::trim)
        .filter(|l| may_hold_title(l))
        .filter(|l| !l.contains(['>', '›', '»']) && !MARKED.is_match(l))
        .map(|l| report_segment(strip_field_label(l)).trim())
        .filter(|t| {
            TITLE.is_match(t)
                && !t.contains([',', '，', '。', ';', '；'])
                && (6..=80).contains(&t.chars().count())
        })
        .collect();
    // A category label (主题分类：法治政府建设年度报告) names no year; the title usually does.
    candidates
        .iter()
        .find(|t| YEAR.is_match(t))
        .or(candidates.first())
        .map(|t| t.to_string())
}

/// Whether a line has the words [`TITLE`] needs (法 before 报告, 总结 or 情况): a cheap test that
/// spares the regexes most header lines.
fn may_hold_title(line: &str) -> bool {
    line.find('法').is_some_and(|p| {
        ["报告", "总结", "情况"]
            .iter()
            .any(|w| line[p..].contains(w))
    })
}

/// "标    题：XX报告" → "XX报告": a header field label before the title.
fn strip_field_label(line: &str) -> &str {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\p{Han}\s]{1,8}?[:：|]\s*\|?\s*").unwrap());
    match LABEL.find(line) {
        Some(m) if m.as_str().chars().filter(|c| !c.is_whitespace()).count() <= 6 => {
            &line[m.end()..]
        }
        _ => line,
    }
}

/// A page title often carries the site name: "XX区2023年法治政府建设年度报告_XX区人民政府网".
fn report_segment(title: &str) -> &str {
    title
        .split(['_', '|', '｜'])
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split("——"))
        .find(|p| p.contains("法治") || p.contains("依法行政"))
        .unwrap_or(title)
}

/// The first year in `s`, in digits (2024年) or Chinese numerals (二〇二四年).
fn first_year(s: &str) -> Option<i32> {
    static CHINESE_YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([〇零一二三四五六七八九]{4})年").unwrap());
    let digits = YEAR
        .captures(s)
        .map(|c| (c.get(0).map_or(0, |m| m.start()), c[1].parse().ok()));
    let chinese = CHINESE_YEAR
        .captures(s)
        .map(|c| (c.get(0).map_or(0, |m| m.start()), chinese_year(&c[1])));
    match (digits, chinese) {
        (Some(d), Some(c)) => {
            if c.0 < d.0 {
                c.1
            } else {
                d.1
            }
        }
        (Some(d), None) => d.1,
        (None, Some(c)) => c.1,
        (None, None) => None,
    }
}

/// 二〇二四 → 2024, digit by digit.
fn chinese_year(s: &str) -> Option<i32> {
    s.chars()
        .map(|ch| parse_chinese(ch.encode_utf8(&mut [0; 4])).map(|v| v as i32))
        .try_fold(0, |acc, d| d.map(|d| acc * 10 + d))
}

/// Body without a title: the year the opening reports on (现将2024年度…情况报告如下, 2024年,在区委…),
/// skipping years inside document titles and ranges (《纲要(2021—2025年)》).
fn body_year(body: &str) -> Option<i32> {
    static REPORTING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"现将[\p{Han}]{0,12}?((?:19|20)\d{2})\s*年").unwrap());
    let opening = head_chars(body, OPENING_CHARS);
    if let Some(c) = REPORTING.captures(opening) {
        return c[1].parse().ok();
    }
    let mut depth = 0i32;
    let mut from = 0;
    for m in YEAR.captures_iter(opening) {
        let whole = m.get(0).expect("year");
        for c in opening[from..whole.start()].chars() {
            match c {
                '《' => depth += 1,
                '》' => depth -= 1,
                _ => {}
            }
        }
        from = whole.start();
        let prev = opening[..whole.start()].chars().next_back();
        let next = opening[whole.end()..].chars().next();
        if depth <= 0
            && !matches!(prev, Some('—' | '-' | '~' | '至'))
            && !matches!(next, Some('—' | '-' | '~' | '至'))
        {
            return m[1].parse().ok();
        }
    }
    None
}

/// A publication date: a labelled header field (发布日期 over 成文日期), else a date standing alone
/// on one of the last lines of the body (the signature).
fn find_published(body: &str, header: &str) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for m in DATE_FIELD.captures_iter(header) {
        let field = m.get(0).expect("field");
        let rank = match &m[1] {
            "发布日期" | "发布时间" | "信息提供日期" | "公开日期" => 0,
            "发文日期" | "印发日期" => 1,
            "成文日期" | "生成日期" => 2,
            _ => 3,
        };
        if let Some(date) = date_at_start(&header[field.end()..])
            && best.as_ref().is_none_or(|(r, _)| rank < *r)
        {
            best = Some((rank, date));
        }
    }
    best.map(|(_, d)| d)
        .or_else(|| signature_date(body))
        .or_else(|| header_iso_date(header))
}

/// An unlabelled 2025-01-13 in the page header (next to the source or the title).
fn header_iso_date(header: &str) -> Option<String> {
    static ISO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})").unwrap());
    let c = ISO.captures(head_chars(header, 600))?;
    iso_date(&c[1], &c[2], &c[3])
}

fn date_at_start(s: &str) -> Option<String> {
    let c = DATE
        .captures(s)
        .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))?;
    iso_date(&c[1], &c[2], &c[3])
}

fn iso_date(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn signature_date(body: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.iter().rev().take(4).find_map(|l| line_date(l.trim()))
}

/// The date a short line consists of (2025年1月13日, 2025-01-13, 二〇二五年一月十三日).
fn line_date(l: &str) -> Option<String> {
    if l.chars().count() > 16 {
        return None;
    }
    if let Some(c) = DATE
        .captures(l)
        .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
    {
        return iso_date(&c[1], &c[2], &c[3]);
    }
    let c = CHINESE_DATE.captures(l)?;
    let year = chinese_year(&c[1])?.to_string();
    let m = parse_chinese(&c[2])?.to_string();
    let d = parse_chinese(&c[3])?.to_string();
    iso_date(&year, &m, &d)
}

/// Whether a line can be part of a report's signature: a unit name or a date on its own.
pub fn is_signature_line(l: &str) -> bool {
    let l = l.trim();
    !l.contains(['。', ',', '，', ';', '；'])
        && ((l.chars().count() <= 30 && is_unit_like(drop_party_committee(l)))
            || line_date(l).is_some())
}

/// The unit in a title: what precedes the year or the report phrase
/// (平沙镇2024年法治政府建设年度报告, XX区人民政府关于2024年度…的报告, 2024年XX区法治政府建设…).
fn unit_from_title(title: &str) -> Option<String> {
    static CUT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"关于|(?:19|20)\d{2}\s*年度?|法治政府建设|法治建设|依法行政|推进法治").unwrap()
    });
    static LEAD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:关于)?(?:(?:19|20)\d{2}\s*年度?)?(?:关于)?").unwrap());
    let rest = &title[LEAD.find(title).map_or(0, |m| m.end())..];
    let unit = CUT.split(rest).next()?.trim();
    let unit = drop_party_committee(unit);
    is_unit_like(unit).then(|| unit.to_string())
}

/// "中共XX县委XX县人民政府" or "中共XX县委 XX县人民政府": the government is the reporting unit.
fn drop_party_committee(unit: &str) -> &str {
    static PARTY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^中共[\p{Han}]{2,20}?(?:委员会|委)\s*").unwrap());
    match PARTY.find(unit) {
        Some(m) if is_unit_like(unit[m.end()..].trim()) => unit[m.end()..].trim(),
        _ => unit,
    }
}

/// A name that ends like an organisation or a place.
pub fn is_unit_like(s: &str) -> bool {
    static UNIT_END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(政府|办公室|局|委员会|委|街道|办事处|镇|乡|区|县|市|省|州|盟|旗|中心|办|厅|署|所|院|站|队|处|会)$").unwrap()
    });
    let n = s.chars().count();
    (2..=40).contains(&n) && UNIT_END.is_match(s) && !s.contains("本网") && !s.contains("信息")
}

fn publishers(header: &str) -> Vec<String> {
    PUBLISHER
        .captures_iter(header)
        .filter_map(|c| {
            let v = c[2].trim();
            let v = FIELD_END.find(v).map_or(v, |m| &v[..m.start()]).trim();
            is_unit_like(v).then(|| v.to_string())
        })
        .collect()
}

/// The unit that signs the report: a unit-like line among the last lines, above the date.
fn signature_unit(body: &str) -> Option<String> {
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .rev()
        .take(5)
        .map(|l| drop_party_committee(l))
        .find(|l| l.chars().count() <= 30 && is_unit_like(l) && !l.contains(['。', ',', '，']))
        .map(String::from)
}

fn body_subject(body: &str) -> Option<String> {
    let opening = head_chars(body, OPENING_CHARS);
    SUBJECT
        .captures_iter(opening)
        .map(|c| c[1].to_string())
        .find(|u| {
            !u.starts_with('我')
                && !u.starts_with('本')
                && !u.contains("区委")
                && !u.contains("市委")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_in_several_layouts() {
        let m = read(
            "平沙镇2024年法治政府建设年度报告\n发布部门:信息补充中\n发布时间:2025年01月13日\n",
            "2024年,平沙镇全面贯彻落实",
        );
        assert_eq!(m.title.as_deref(), Some("平沙镇2024年法治政府建设年度报告"));
        assert_eq!(
            (m.year, m.published.as_deref()),
            (Some(2024), Some("2025-01-13"))
        );
        assert_eq!(m.unit_names[0], "平沙镇");

        let m = read(
            "索 引 号: | hedongquhd0101/2025-0000006 | 公开目录: | 法治政府建设 |\n成文日期: | 2025-02-10 | 发布日期: | 2025-02-13 |\n发布机构: | 河东区政府办公室 |\n2024年,区政府办公室以习近平",
            "2024年,区政府办公室以习近平",
        );
        assert_eq!(
            m.index_number.as_deref(),
            Some("hedongquhd0101/2025-0000006")
        );
        assert_eq!(m.published.as_deref(), Some("2025-02-13"));
        assert_eq!(m.unit_names, vec!["河东区政府办公室", "区政府办公室"]);
        assert_eq!(m.year, Some(2024));
    }

    #[test]
    fn body_only_reports_get_unit_and_year_from_the_opening() {
        let body = "2024年,在区委、区政府的坚强领导下,区司法局坚持以习近平新时代中国特色社会主义思想为指导。";
        let m = read(body, body);
        assert_eq!(m.unit_names, vec!["区司法局"]);
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.published, None);
    }

    #[test]
    fn title_layouts_and_signature_dates() {
        assert_eq!(
            unit_from_title("XX县人民政府关于2023年度法治政府建设情况的报告").as_deref(),
            Some("XX县人民政府")
        );
        let page = "关于2023年法治政府建设工作情况的报告\n正文。\n某某县司法局\n二〇二四年一月五日";
        let m = read(page, page);
        assert_eq!(m.published.as_deref(), Some("2024-01-05"));
        assert_eq!(m.year, Some(2023));
    }

    #[test]
    fn the_signature_is_read_above_the_page_footer() {
        let page = crate::normalise::normalise(
            "2023年，某某县司法局坚持以习近平新时代中国特色社会主义思想为指导。\n一、成效\n调解案件420宗。\n\
             某某县司法局\n2024年1月5日\n分享到：\n相关文章\n某某县2022年法治政府建设年度报告\t2023-01-19\n\
             网站地图 | 联系我们\n主办：某某县人民政府\n网站标识码：5201230001  黔ICP备12345678号\n\
             为确保最佳浏览效果，建议使用IE10以上版本浏览器\n",
            false,
        );
        let m = read(page.full.text(), page.body.text());
        assert_eq!(m.published.as_deref(), Some("2024-01-05"));
        assert_eq!(
            m.unit_names.last().map(String::as_str),
            Some("某某县司法局")
        );
        assert!(
            !m.unit_names.iter().any(|u| u.contains("人民政府")),
            "{:?}",
            m.unit_names
        );
    }

    #[test]
    fn page_titles_party_committees_and_signatures() {
        let m = read(
            "临澧县人民政府关于2022年度法治政府建设情况的报告_临澧县人民政府\n发布时间：2023-03-20 来源：县司法局\n正文",
            "正文",
        );
        assert_eq!(
            m.title.as_deref(),
            Some("临澧县人民政府关于2022年度法治政府建设情况的报告")
        );
        assert_eq!(m.unit_names[0], "临澧县人民政府");
        let m = read(
            "中共新塘镇委员会 新塘镇人民政府关于2023年法治政府建设工作情况的报告\n正文",
            "正文",
        );
        assert_eq!(m.unit_names[0], "新塘镇人民政府");
        let body = "2021年，我厅坚持以习近平新时代中国特色社会主义思想为指导，现将有关情况报告如下。\n一、成效\n湖南省自然资源厅\n2022年1月28日";
        let m = read(body, body);
        assert_eq!(m.title, None);
        assert_eq!(m.unit_names, vec!["湖南省自然资源厅"]);
        assert_eq!(
            (m.year, m.published.as_deref()),
            (Some(2021), Some("2022-01-28"))
        );
    }

    #[test]
    fn years_in_chinese_numerals() {
        assert_eq!(
            first_year("临澧县二〇二二年法治政府建设情况报告"),
            Some(2022)
        );
        assert_eq!(first_year("2023年度XX县二〇二二年"), Some(2023));
    }

    #[test]
    fn a_category_label_is_not_the_title() {
        let m = read(
            "主题分类:法治政府建设年度报告\n平沙镇2024年法治政府建设年度报告\n",
            "正文",
        );
        assert_eq!(m.title.as_deref(), Some("平沙镇2024年法治政府建设年度报告"));
    }

    #[test]
    fn labelled_title_fields() {
        let m = read(
            "标    题:市司法局2022年法治政府建设年度报告\n发文机关:市司法局\n",
            "正文",
        );
        assert_eq!(
            m.title.as_deref(),
            Some("市司法局2022年法治政府建设年度报告")
        );
        assert_eq!(m.unit_names[0], "市司法局");
    }

    #[test]
    fn the_year_reported_on_skips_years_of_cited_plans() {
        let body = "根据《法治政府建设实施纲要(2021—2025年)》要求，现将我县2023年度法治政府建设情况报告如下";
        assert_eq!(body_year(body), Some(2023));
        assert_eq!(
            body_year("贯彻《纲要(2021—2025年)》,2022年,我局坚持"),
            Some(2022)
        );
    }
}
