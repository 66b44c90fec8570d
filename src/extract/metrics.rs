//! Metrics: numbers that report a quantity, with measure word, hedge and what is counted.
//!
//! A metric is a number (Arabic with 万/亿, or a Chinese numeral) directly followed by a
//! measure word. Years, dates, ordinals (第三次) and numbers inside quoted names or document
//! titles are not metrics: callers pass those spans in `excluded`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::initiatives::{clause_before, is_clause_break};
use super::numerals::{multiplier, parse_chinese};
use super::spans::Sorted;

/// A metric found in the body (byte ranges into the body).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Value in the base unit.
    pub value: f64,
    /// Measure word without multiplier.
    pub unit: String,
    /// Number and measure word as written.
    pub raw: Range<usize>,
    /// Hedge, normalised (达到 → 达, 超过 → 超, 左右 → 约).
    pub qualifier: Option<String>,
    /// What is counted.
    pub label: String,
    /// Bytes the label was taken from (before and after the number), for linking.
    pub context: Range<usize>,
}

/// Measure words, longest first so that 人次 wins over 人.
const UNITS: &str = "个百分点|百分点|人次|件次|户次|场次|批次|家次|车次|架次|平方米|平方公里|公里|千米|元|%|‰|倍|次|件|宗|名|人|个|项|份|条|场|篇|家|处|起|间|栋|轮|批|期|所|座|户|套|本|册|张|台|辆|类|支|位|部|节|堂|例|笔|单|幅|块|种|亩|吨|米";

/// Measure words that may follow a Chinese numeral: others (一人一档, 一期工程, 三所联调) are
/// too often parts of words.
const CHINESE_UNITS: &[&str] = &[
    "个",
    "项",
    "名",
    "次",
    "场",
    "件",
    "条",
    "篇",
    "类",
    "支",
    "宗",
    "份",
    "个百分点",
    "百分点",
    "倍",
];

/// What follows 四个, 两个 … in set political phrases (四个意识, 两个维护, 四个全面).
const POLITICAL_SETS: &[&str] = &[
    "意识",
    "自信",
    "维护",
    "确立",
    "全面",
    "务必",
    "代表",
    "毫不动摇",
    "必须",
    "坚持",
    "一以贯之",
];

/// Measure words that may follow a Chinese numeral of ten or more.
const CHINESE_LARGE_UNITS: &[&str] = &["人", "人次", "家", "户", "起", "所", "期", "批", "处"];

/// Measure words that count things named right after them (3个课题, 8名负责人).
const CLASSIFIERS: &[&str] = &[
    "个", "名", "项", "家", "宗", "份", "条", "篇", "场", "件", "位", "支", "所", "类", "批", "起",
    "间", "栋", "座", "户", "套", "本", "张", "台", "辆", "部", "处", "种", "例", "人", "轮", "次",
    "人次", "件次",
];

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+)(?P<mult>[十百千万亿]{{0,2}})(?P<hedge>余|多)?(?P<unit>{UNITS})(?P<post>以上|左右)?"
    ))
    .unwrap()
});
static HEDGE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(达到|高达|多达|达|约|大约|近|将近|超过|超|逾|突破|不少于|不低于)(双)?$").unwrap()
});
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+\s+|\d{4}年度?(?:以来)?|今年以来|本年度|全年|年内|截至目前|目前|其中|同时|此外|另外|共计|共|累计|总计|合计|先后|已|均|还|并|全区|全镇|全市|全县|全街道|在|通过|组织开展|开展了|开展|召开|组织|举办|完成|实现|重点)+").unwrap()
});
static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:达到|高达|达|约|近|超过|超|逾|均为|均达|均|为|共计|共有|共|累计|总计|合计|首次|分别|已|了|的|是|有|双|\d+个)+$").unwrap()
});
static PERCENT_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+(\.\d+)?%").unwrap());
static YEAR_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}(?:[—\-]\d{4})?年").unwrap());

/// Longest label kept, in characters.
const MAX_LABEL: usize = 40;

/// Every metric of `body`, skipping numbers that start inside `excluded` ranges.
pub fn find(body: &str, excluded: &[Range<usize>]) -> Vec<Found> {
    let excluded = Sorted::new(excluded.to_vec(), Range::clone);
    let mut out: Vec<Found> = Vec::new();
    for c in NUMBER.captures_iter(body) {
        let num = c.name("num").expect("num");
        let unit = c.name("unit").expect("unit");
        if excluded
            .overlapping(&(num.start()..num.start() + 1))
            .next()
            .is_some()
        {
            continue;
        }
        let chinese = !num.as_str().as_bytes()[0].is_ascii_digit();
        if !acceptable(body, num.range(), unit.as_str(), unit.end(), chinese) {
            continue;
        }
        let Some(base) = number_value(num.as_str(), chinese) else {
            continue;
        };
        let mult = c.name("mult").map_or("", |m| m.as_str());
        let value = round(base * multiplier(mult));
        let prefix = HEDGE_BEFORE.find(clause_before(body, num.start(), usize::MAX));
        let post = c.name("post").map(|p| p.as_str());
        let qualifier = qualifier(
            c.name("hedge").map(|h| h.as_str()),
            post,
            prefix.map(|p| p.as_str()),
        );
        let label_end = num.start() - prefix.map_or(0, |p| p.len());
        let after_from = c.get(0).expect("match").end();
        let prev_end = out.last().map(|m| m.context.end);
        let (label, context) = label(body, label_end, after_from, unit.as_str(), prev_end);
        out.push(Found {
            value,
            unit: unit.as_str().to_string(),
            raw: num.start()..unit.end(),
            qualifier,
            label,
            context,
        });
    }
    out
}

/// Rules that tell a quantity from a number that is part of something else.
fn acceptable(body: &str, num: Range<usize>, unit: &str, unit_end: usize, chinese: bool) -> bool {
    let prev = body[..num.start].chars().next_back();
    if prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '.' | '/' | '_' | '第' | '-'))
    {
        return false;
    }
    let next = body[unit_end..].chars().next();
    // 3个100%: “three times 100%”, the 100% is the metric.
    if unit == "个" && PERCENT_AFTER.is_match(&body[unit_end..]) {
        return false;
    }
    if chinese {
        // 百余人, 上千家: larger numerals count people and firms too; 一人一档 does not.
        let large = parse_chinese(&body[num.clone()]).is_some_and(|v| v >= 10.0);
        // 举办讲座三期。组织旁听一次，: a numeral ending its clause counts; 一期工程 does not.
        let ends_clause = next.is_none_or(|n| "，,。；;、".contains(n));
        let allowed = CHINESE_UNITS.contains(&unit)
            || (large || ends_clause) && CHINESE_LARGE_UNITS.contains(&unit);
        if !allowed {
            return false;
        }
        // 每一次, 同一个, 进一步 …: the numeral is part of a word.
        if prev.is_some_and(|p| {
            "每这那其同单唯逐某任哪另又再首前后上下之统数几万千百十零一二两三四五六七八九"
                .contains(p)
        }) {
            return false;
        }
        // 一次性, 一条龙: idioms, not counts.
        if next.is_some_and(|n| "性化级体型手是龙".contains(n)) {
            return false;
        }
        // 一次告知, 一件事: "one" with these measure words is a manner, not a quantity.
        if &body[num.clone()] == "一" && matches!(unit, "次" | "件") && !ends_clause {
            return false;
        }
        // 四个意识, 两个维护 …: set political phrases.
        if unit == "个"
            && POLITICAL_SETS
                .iter()
                .any(|p| body[unit_end..].starts_with(p))
        {
            return false;
        }
    }
    true
}

fn number_value(num: &str, chinese: bool) -> Option<f64> {
    if chinese {
        parse_chinese(num)
    } else {
        num.replace(',', "").parse().ok()
    }
}

fn round(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

fn qualifier(between: Option<&str>, post: Option<&str>, prefix: Option<&str>) -> Option<String> {
    let q = between
        .or(post)
        .or(prefix.map(|p| p.trim_end_matches('双')))?;
    Some(
        match q {
            "达到" | "高达" | "多达" => "达",
            "超过" | "突破" => "超",
            "大约" | "左右" => "约",
            "将近" => "近",
            other => other,
        }
        .to_string(),
    )
}

/// Label from the clause before the number and, for classifiers, the noun after it.
fn label(
    body: &str,
    end: usize,
    after_from: usize,
    unit: &str,
    prev_metric_end: Option<usize>,
) -> (String, Range<usize>) {
    let start = label_start(body, end, prev_metric_end);
    let after_end = if CLASSIFIERS.contains(&unit) {
        after_end(body, after_from)
    } else {
        after_from
    };
    let after = &body[after_from..after_end];
    let before = clean_before(&body[start..end], !after.is_empty());
    let mut label = format!("{}{}", before.trim(), after.trim());
    let n = label.chars().count();
    if n > MAX_LABEL {
        label = label.chars().skip(n - MAX_LABEL).collect();
    }
    (label, start..after_end)
}

/// Back from `end` to a clause break; a 、 counts as one only right after another metric
/// (行政处罚573件、行政检查546件), not inside a list of things (参考率、通过率和优秀率).
fn label_start(body: &str, end: usize, prev_metric_end: Option<usize>) -> usize {
    let mut start = end;
    for (n, (i, c)) in body[..end].char_indices().rev().enumerate() {
        if n >= 60 || (is_clause_break(c) && c != '、') {
            break;
        }
        if c == '、' && prev_metric_end == Some(i) {
            break;
        }
        if prev_metric_end == Some(i + c.len_utf8()) {
            break;
        }
        start = i;
    }
    start
}

/// The counted thing before a number, without leading time words and verbs (开展, 累计, 2024年)
/// and trailing hedges (达到, 均为); with `has_after` the verb may be all that is left to drop.
fn clean_before(s: &str, has_after: bool) -> &str {
    // 《…》《…》等专题内容 / …调委会等行业调解组织: what is counted follows the last 等.
    let s = match s.rfind('等') {
        Some(p) if s[p + '等'.len_utf8()..].chars().count() >= 2 => &s[p + '等'.len_utf8()..],
        _ => s,
    };
    let s = strip_marker(s);
    let stripped = LEADING.replace(s, "");
    let keep = if has_after { 0 } else { 2 };
    let s = if stripped.chars().count() >= keep {
        &s[s.len() - stripped.len()..]
    } else {
        s
    };
    let t = TRAILING.find(s).map_or(s.len(), |m| m.start());
    &s[..t]
}

fn strip_marker(s: &str) -> &str {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[一二三四五六七八九十]是|\([一二三四五六七八九十\d]+\)|[①-⑳]|\d+[.、])")
            .unwrap()
    });
    MARKER.find(s).map_or(s, |m| &s[m.end()..])
}

/// After a classifier: the noun phrase it counts, up to a clause break, another number (unless a
/// year: 6个2023—2024年…项目) or a 、 that starts another counted item.
fn after_end(body: &str, from: usize) -> usize {
    let tail = &body[from..];
    let first = tail.chars().next();
    let starts_noun = first.is_some_and(|c| is_han(c) || c == '“') || YEAR_AFTER.is_match(tail);
    if !starts_noun || first.is_some_and(|c| "的和与及或等是为以在并".contains(c)) {
        return from;
    }
    let year_len = YEAR_AFTER.find(tail).map_or(0, |m| m.end());
    let mut end = from + year_len;
    for (n, (i, c)) in tail[year_len..].char_indices().enumerate() {
        let at = year_len + i;
        if n >= 24 || c.is_ascii_digit() || (is_clause_break(c) && c != '、') {
            break;
        }
        if c == '、'
            && tail[at + c.len_utf8()..]
                .chars()
                .take_while(|&c| !is_clause_break(c))
                .any(|c| c.is_ascii_digit())
        {
            break;
        }
        if n >= 2 && c == '在' || n >= 1 && c == '等' {
            break;
        }
        end = from + at + c.len_utf8();
    }
    end
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(body: &str) -> Vec<(f64, String, String, Option<String>, String)> {
        find(body, &[])
            .into_iter()
            .map(|m| {
                (
                    m.value,
                    m.unit,
                    body[m.raw].to_string(),
                    m.qualifier,
                    m.label,
                )
            })
            .collect()
    }

    fn t(
        v: f64,
        u: &str,
        raw: &str,
        q: Option<&str>,
        label: &str,
    ) -> (f64, String, String, Option<String>, String) {
        (v, u.into(), raw.into(), q.map(String::from), label.into())
    }

    #[test]
    fn values_units_hedges_and_multipliers() {
        assert_eq!(
            metrics(
                "2024年调解纠纷案件1750宗,调解成功率达99%,涉及金额达18906万元,涉及人数约8563人。"
            ),
            vec![
                t(1750.0, "宗", "1750宗", None, "调解纠纷案件"),
                t(99.0, "%", "99%", Some("达"), "调解成功率"),
                t(189_060_000.0, "元", "18906万元", Some("达"), "涉及金额"),
                t(8563.0, "人", "8563人", Some("约"), "涉及人数"),
            ]
        );
        assert_eq!(
            metrics("惠及群众7万余人次,无纸化办案率达到90%以上,提供法律咨询4000多次。"),
            vec![
                t(70000.0, "人次", "7万余人次", Some("余"), "惠及群众"),
                t(90.0, "%", "90%", Some("以上"), "无纸化办案率"),
                t(4000.0, "次", "4000多次", Some("多"), "提供法律咨询"),
            ]
        );
    }

    #[test]
    fn full_width_digits_arrive_folded_and_decimals_survive() {
        let n = crate::normalise::normalise("调解协议涉及金额１１４１．９５万元", false);
        let found = find(n.body.text(), &[]);
        assert_eq!(found[0].value, 11_419_500.0);
        assert_eq!(found[0].unit, "元");
    }

    #[test]
    fn thousands_separators_belong_to_the_number() {
        assert_eq!(metrics("办理行政处罚案件1,286件")[0].0, 1286.0);
        assert_eq!(metrics("办理行政处罚案件1,286件")[0].2, "1,286件");
    }

    #[test]
    fn chinese_numerals_count_things() {
        assert_eq!(
            metrics("开展普法宣传活动超两百场,三个课题入选调研课题项目,仅保留两项关键报表。"),
            vec![
                t(200.0, "场", "两百场", Some("超"), "普法宣传活动"),
                t(3.0, "个", "三个", None, "课题入选调研课题项目"),
                t(2.0, "项", "两项", None, "仅保留关键报表"),
            ]
        );
    }

    #[test]
    fn set_phrases_are_not_counts() {
        assert!(metrics("增强四个意识、坚定四个自信、做到两个维护,一次告知,办成一件事").is_empty());
        assert_eq!(metrics("两个决策的执行落实")[0].0, 2.0);
    }

    #[test]
    fn years_dates_ordinals_and_words_are_not_metrics() {
        assert!(
            metrics(
                "2024年12月6日,召开第六次会议,党的二十届三中全会,一次性告知,进一步,华发5.0产业"
            )
            .is_empty()
        );
        assert_eq!(
            metrics("参考率、通过率和优秀率首次达到3个100%")[0].4,
            "参考率、通过率和优秀率"
        );
        assert_eq!(metrics("参考率、通过率和优秀率首次达到3个100%").len(), 1);
    }

    #[test]
    fn small_chinese_counts_that_end_their_clause_are_metrics() {
        let found = metrics("举办法治讲座三期,组织旁听庭审一次。推进一期工程建设,实行一次告知。");
        let raws: Vec<&str> = found.iter().map(|m| m.2.as_str()).collect();
        assert_eq!(raws, vec!["三期", "一次"]);
        assert_eq!((found[0].0, found[0].1.as_str()), (3.0, "期"));
    }

    #[test]
    fn labels_take_the_noun_after_a_classifier_and_split_lists() {
        let m = metrics(
            "组织143名公职人员参加年度学法考试,录入2745条人口信息、55栋楼宇、555间房屋等基础信息",
        );
        let labels: Vec<&str> = m.iter().map(|x| x.4.as_str()).collect();
        assert_eq!(
            labels,
            vec!["公职人员参加年度学法考试", "录入人口信息", "楼宇", "房屋"]
        );
        let m = metrics("办理行政处罚573件、行政检查546件、行政强制0件");
        let labels: Vec<&str> = m.iter().map(|x| x.4.as_str()).collect();
        assert_eq!(labels, vec!["办理行政处罚", "行政检查", "行政强制"]);
    }

    #[test]
    fn excluded_spans_hide_numbers_inside_names() {
        let body = "推行“131”工作举措,建立“三张清单”";
        let quoted: Vec<Range<usize>> = vec![
            body.find("131").unwrap()..body.find("131").unwrap() + 3,
            body.find("三张").unwrap()..body.find("清单").unwrap(),
        ];
        assert!(find(body, &quoted).is_empty());
    }
}
