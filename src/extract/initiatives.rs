//! Initiatives: named mechanisms, programmes, models, systems, brands and campaigns.
//!
//! Three sources, decided by general rules rather than lists of strings:
//! - quoted names (“三所联调”模式), kept when what surrounds them says "this is a named thing":
//!   a system word after it (模式 机制 制度 平台 活动 …, possibly after a short modifier), an
//!   adoption verb before it (打造 推行 建立 深化 落实 …), a formula shape (1+6+N, 网格-社区-镇),
//!   a count right after it (“秒批”254件), or the gazetteer; and dropped when the context says
//!   rhetoric (…作用/效应, 实现“X”向“Y”转变, “X”“Y”等形式, 以下简称“X”);
//! - gazetteer labels and aliases anywhere in the text, quote marks ignored (府院联动, 行政执法三项制度);
//! - unquoted system names after an adoption verb (建立公众代表常态化列席常务会议机制).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::spans::Sorted;
use crate::gazetteer::{Concept, Gazetteer, Kind, fold_key};

/// One occurrence of an initiative in the body.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Canonical label.
    pub label: String,
    /// Bytes of the occurrence as written (quotes included).
    pub range: Range<usize>,
    /// Quoted or gazetteer-known (strong) versus inferred from an unquoted pattern (weak).
    pub strong: bool,
    /// The gazetteer concept, when known.
    pub concept: Option<Concept>,
}

/// Quoted spans of the body, with whether each was judged an initiative (for other extractors:
/// numbers inside quotes are names, not quantities).
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// Every quoted span (content bytes), initiative or not.
    pub quoted: Vec<Range<usize>>,
}

/// Words that name a kind of system, programme or event; a quoted name followed by one of
/// these (possibly after a short modifier) is an initiative: the generic suffixes and these.
const MORE_HEADS: &[&str] = &[
    "工作室",
    "工作站",
    "格局",
    "平台",
    "项目",
    "专题",
    "窗口",
    "栏目",
    "队伍",
    "团队",
    "措施",
    "举措",
    "计划",
    "规划",
    "监管",
    "建设",
    "原则",
    "系统",
    "称号",
    "奖",
    "载体",
    "示范",
    "试点",
    "创建",
    "讲座",
    "培训",
    "宣传",
    "比赛",
    "竞赛",
    "大赛",
    "评选",
    "征文",
    "专区",
    "专栏",
    "热线",
    "公众号",
    "小程序",
    "一体化",
    "新模式",
    "管理",
    "责任制",
    "清单",
    "目标",
    "课堂",
    "讲堂",
    "驿站",
    "之家",
    "联盟",
    "中心",
    "信箱",
    "直通车",
    "全覆盖",
    "三级",
    "行动计划",
    "理念",
    "主题",
    "法庭",
    "调解室",
    "站点",
    "基地",
];

/// Every head word: the generic suffixes and [`MORE_HEADS`].
fn heads() -> impl Iterator<Item = &'static str> {
    GENERIC_SUFFIXES.iter().chain(MORE_HEADS).copied()
}

/// Verbs that introduce an initiative the unit adopts.
const ADOPT: &str = "推行|打造|落实|建立|深化|推进|构建|实施|坚持|开展|举办|推广|创建|组建|擦亮|做实|升级|实行|遵循|探索|创新|启动|设立|成立|开设|上线|推出|搭建|贯通|依托|利用|运用|赋能|荣获|获评|评为|发布|入选|抓好|用好|完善|健全|试行|引入|打响|叫响";

/// Units of a count right after a quoted name (“秒批”254件).
const COUNT_AFTER: &str = r"^\d+(\.\d+)?[万亿]?[余多]?(件|宗|次|个|项|场|人次|笔|单|条)";

/// Generic suffixes dropped from a label when enough name remains (as the gold guide says; the
/// scorer strips the same ones).
pub const GENERIC_SUFFIXES: &[&str] = &[
    "工作机制",
    "工作体系",
    "服务模式",
    "工作法",
    "模式",
    "机制",
    "制度",
    "工程",
    "行动",
    "改革",
    "体系",
    "品牌",
    "活动",
];

static QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"“([^“”\n]{1,48})”|"([^"\n“”]{1,48})""#).unwrap());
static FORMULA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{Han}A-Za-z0-9]+([+＋\-—–][\p{Han}A-Za-z0-9]*)+$|^[A-Za-z0-9]{2,}$|^[A-Za-z0-9]+[+][A-Za-z0-9+]*$").unwrap()
});
static ADOPT_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?:{ADOPT})[\p{{Han}}]{{0,8}}$")).unwrap());
static UNQUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:建立并实施|建立健全|建立|推行|落实|实施|实行|探索|构建|执行|深化|打造)([\p{Han}()]{3,24}?)(工作机制|机制|制度|工作法|模式|行动计划|联席会议)",
    )
    .unwrap()
});
static FORMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^等?(形式|方式|手段|途径|做法)").unwrap());
static COORDINATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:和|及|以及|与)([\p{Han}()]{3,24}?)(工作机制|机制|制度|工作法|模式)").unwrap()
});
static LEADING_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:完善|健全|加强|规范|优化|推动|推进)").unwrap());
static COUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(COUNT_AFTER).unwrap());

/// Find the initiatives of `body`; `documents` are the 《》 title ranges (quotes inside them are
/// parts of titles, not names).
pub fn find(body: &str, documents: &[Range<usize>], gazetteer: &Gazetteer) -> Found {
    let quotes = quoted_runs(body);
    let docs = Sorted::new(documents.to_vec(), Range::clone);
    let mut quoted = Vec::new();
    for run in &quotes {
        for q in &run.items {
            if docs.encloses(&q.outer) {
                continue;
            }
            if let Some(m) = judge_quote(body, q, run, gazetteer) {
                quoted.push(m);
            }
        }
    }
    let quoted = Sorted::new(quoted, mention_range);
    let known = gazetteer_mentions(body, gazetteer, &quoted);
    let mut mentions = quoted.into_items();
    mentions.extend(known);
    let named = Sorted::new(mentions, mention_range);
    let inferred: Vec<Mention> = unquoted_mentions(body, gazetteer, &named)
        .into_iter()
        .filter(|m| !docs.encloses(&m.range))
        .collect();
    let mut mentions = named.into_items();
    mentions.extend(inferred);
    mentions.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    Found {
        mentions,
        quoted: quotes
            .iter()
            .flat_map(|r| r.items.iter().map(|q| q.inner.clone()))
            .collect(),
    }
}

/// The byte range of a mention (for [`Sorted`] lookups).
pub fn mention_range(m: &Mention) -> Range<usize> {
    m.range.clone()
}

/// One quoted phrase.
#[derive(Debug, Clone)]
struct Quote {
    outer: Range<usize>,
    inner: Range<usize>,
}

/// Quoted phrases that follow each other (“A”“B”、“C”和“D”) share their context.
#[derive(Debug, Clone)]
struct Run {
    items: Vec<Quote>,
}

impl Run {
    fn start(&self) -> usize {
        self.items[0].outer.start
    }
    fn end(&self) -> usize {
        self.items[self.items.len() - 1].outer.end
    }
}

fn quoted_runs(body: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for c in QUOTE.captures_iter(body) {
        let outer = c.get(0).expect("quote").range();
        let inner = c
            .get(1)
            .or_else(|| c.get(2))
            .expect("quote content")
            .range();
        let q = Quote { outer, inner };
        match runs.last_mut() {
            Some(run)
                if matches!(
                    &body[run.end()..q.outer.start],
                    "" | "、" | "和" | "及" | "与" | "+"
                ) =>
            {
                run.items.push(q)
            }
            _ => runs.push(Run { items: vec![q] }),
        }
    }
    runs
}

/// The clause before `at`: back to the nearest clause punctuation, at most `max` chars.
pub(super) fn clause_before(body: &str, at: usize, max: usize) -> &str {
    let head = &body[..at];
    let mut start = at;
    for (n, (i, c)) in head.char_indices().rev().enumerate() {
        if n >= max || is_clause_break(c) {
            break;
        }
        start = i;
    }
    &body[start..at]
}

/// The text after `at`, at most `max` chars, stopping at a line break.
fn text_after(body: &str, at: usize, max: usize) -> &str {
    let tail = &body[at..];
    let end = tail.char_indices().nth(max).map_or(tail.len(), |(i, _)| i);
    let tail = &tail[..end];
    &tail[..tail.find('\n').unwrap_or(tail.len())]
}

/// Clause punctuation.
pub fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '。' | ',' | ';' | ':' | '!' | '?' | '\n' | '、' | '(' | ')' | '，' | '；' | '：'
    )
}

fn judge_quote(body: &str, q: &Quote, run: &Run, gazetteer: &Gazetteer) -> Option<Mention> {
    let content = &body[q.inner.clone()];
    let before_run = clause_before(body, run.start(), 12);
    let after_run = text_after(body, run.end(), 16);
    let after_this = text_after(body, q.outer.end, 16);
    if before_run.ends_with("简称") || before_run.ends_with("称为") {
        return None;
    }
    let known = gazetteer.lookup(content);
    match known.map(|c| c.kind) {
        Some(Kind::Role) => return role_join(q, known?, after_this, gazetteer),
        Some(Kind::Rhetoric) => return None,
        _ => {}
    }
    if is_rhetorical(before_run, content, after_run) {
        return None;
    }
    let own_head = heads().any(|h| content.ends_with(h)) && content.chars().count() > 2;
    let head_after = head_after(after_run).is_some();
    let adopted = ADOPT_BEFORE.is_match(before_run);
    let formula = FORMULA.is_match(content);
    let counted = COUNT.is_match(after_this);
    if !(known.is_some() || own_head || head_after || adopted || formula || counted) {
        return None;
    }
    let label = canonical_label(content, head_after_text(after_this), gazetteer);
    Some(Mention {
        concept: gazetteer.lookup(&label).cloned(),
        label,
        range: q.outer.clone(),
        strong: true,
    })
}

/// A quoted role word (“一把手”) names an initiative together with the action after it:
/// “一把手”公开述法活动 → 一把手公开述法.
fn role_join(q: &Quote, role: &Concept, after: &str, gazetteer: &Gazetteer) -> Option<Mention> {
    let (modifier, head) = head_after(after)?;
    if modifier.is_empty() {
        return None;
    }
    let joined = format!("{}{}", role.label, modifier);
    let label = canonical_label(&joined, Some(head), gazetteer);
    let end = q.outer.end + modifier.len() + head.len();
    Some(Mention {
        concept: gazetteer.lookup(&label).cloned(),
        label,
        range: q.outer.start..end,
        strong: true,
    })
}

/// Context that marks a quote as rhetoric rather than a name.
fn is_rhetorical(before: &str, content: &str, after_run: &str) -> bool {
    let ends_with_head = heads().any(|h| content.ends_with(h));
    // “X”“Y”等形式 / 等方式: a list of ways of doing something.
    // 发挥…“X”作用 / 效应; 实现“X”向“Y”转变.
    let role = !ends_with_head && (after_run.starts_with("作用") || after_run.starts_with("效应"));
    let shift = before.ends_with("实现") && after_run.starts_with('向');
    let shift_target = before.ends_with('向');
    // A long quoted sentence with a comma is a slogan unless it has a system word.
    let sentence = content.chars().count() > 20 && content.contains([',', '，']) && !ends_with_head;
    FORMS.is_match(after_run) || role || shift || shift_target || sentence
}

/// After a quote: an optional modifier of up to 8 Han characters (等 may lead) and a head word.
/// Returns (modifier, head).
fn head_after(after: &str) -> Option<(&str, &'static str)> {
    let after = after.strip_prefix('等').unwrap_or(after);
    let mut best: Option<(&str, &'static str)> = None;
    for (n, (i, c)) in after.char_indices().enumerate() {
        if n > 8 || !is_han(c) {
            break;
        }
        if let Some(h) = heads().find(|h| after[i..].starts_with(h)) {
            best = Some((&after[..i], h));
            break;
        }
    }
    best
}

/// The head word right after a quote (no modifier), if any: “三所联调”模式 → 模式.
fn head_after_text(after: &str) -> Option<&'static str> {
    heads()
        .filter(|h| after.starts_with(h))
        .max_by_key(|h| h.len())
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Label of a name: the gazetteer's prefLabel when it knows the name (alone or with the head
/// word that follows it), else the name without a generic suffix.
pub fn canonical_label(name: &str, head: Option<&str>, gazetteer: &Gazetteer) -> String {
    let candidates = [
        name.to_string(),
        head.map(|h| format!("{name}{h}")).unwrap_or_default(),
    ];
    for c in candidates.iter().filter(|c| !c.is_empty()) {
        if let Some(concept) = gazetteer.lookup(c).filter(|c| c.kind == Kind::Initiative) {
            return concept.label.clone();
        }
    }
    strip_generic_suffix(&fold_key(name))
}

/// Drop one generic suffix when at least three characters of name remain.
pub fn strip_generic_suffix(label: &str) -> String {
    for suffix in GENERIC_SUFFIXES {
        if let Some(core) = label.strip_suffix(suffix)
            && core.chars().count() >= 3
        {
            return core.to_string();
        }
    }
    label.to_string()
}

/// Gazetteer labels and aliases in the text, except where a quoted mention already names them.
fn gazetteer_mentions(body: &str, gazetteer: &Gazetteer, quoted: &Sorted<Mention>) -> Vec<Mention> {
    let mut mentions = Vec::new();
    // Match on the text with quote marks removed, mapping each byte back to the body. Quote marks
    // are few, so the text between them is copied as blocks.
    static QUOTE_MARK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[“”"]"#).unwrap());
    let mut plain = String::with_capacity(body.len());
    let mut back = Vec::with_capacity(body.len());
    let mut keep = |run: Range<usize>| {
        plain.push_str(&body[run.clone()]);
        back.extend(run);
    };
    let mut from = 0;
    for mark in QUOTE_MARK.find_iter(body) {
        keep(from..mark.start());
        from = mark.end();
    }
    keep(from..body.len());
    for (r, concept) in gazetteer.find_all(&plain) {
        if concept.kind != Kind::Initiative {
            continue;
        }
        let start = back[r.start];
        let end = back[r.end - 1] + 1;
        let range = start..extend_over_closing_quote(body, end);
        if quoted.overlapping(&range).any(|m| m.label == concept.label) {
            continue;
        }
        mentions.push(Mention {
            label: concept.label.clone(),
            range,
            strong: true,
            concept: Some(concept.clone()),
        });
    }
    mentions
}

fn extend_over_closing_quote(body: &str, end: usize) -> usize {
    if body[end..].starts_with('”') {
        end + '”'.len_utf8()
    } else {
        end
    }
}

/// Unquoted system names after an adoption verb, where no named mention already stands.
fn unquoted_mentions(body: &str, gazetteer: &Gazetteer, named: &Sorted<Mention>) -> Vec<Mention> {
    let mut mentions = Vec::new();
    for c in UNQUOTED.captures_iter(body) {
        let np = c.get(1).expect("name");
        let head = c.get(2).expect("head");
        mentions.extend(unquoted(body, np.start()..head.end(), gazetteer, named));
        // 制度A和制度B: the second system shares the verb.
        let rest = &body[head.end()..];
        if let Some(m) = COORDINATED.captures(rest) {
            let g = m.get(0).expect("match");
            let np2 = m.get(1).expect("name");
            let second = head.end() + np2.start()..head.end() + g.end();
            mentions.extend(unquoted(body, second, gazetteer, named));
        }
    }
    mentions
}

/// Names that are only a generic kind of system (工作机制, 动态维护机制, 执法工作制度) say nothing:
/// too short, starting with a function word, or made only of generic mechanism words.
fn is_generic(name: &str) -> bool {
    const FUNCTION_START: &[&str] = &[
        "作为", "为", "在", "对", "把", "将", "以", "和", "并", "及", "等", "的", "了", "到", "于",
        "相关", "各项", "各类", "有关", "内部",
    ];
    const GENERIC_WORDS: &[&str] = &[
        "常态化",
        "动态",
        "维护",
        "长效",
        "常态",
        "协调",
        "联动",
        "沟通",
        "反馈",
        "考核",
        "评价",
        "评估",
        "监督",
        "预警",
        "保障",
        "运行",
        "管理",
        "协作",
        "工作",
        "联席",
        "会商",
        "研判",
        "通报",
        "督办",
        "督查",
        "激励",
        "约束",
        "问责",
        "追责",
        "容错",
        "纠错",
        "决策",
        "议事",
        "审查",
        "审核",
        "备案",
        "报告",
        "学习",
        "培训",
        "责任",
        "考评",
        "奖惩",
        "信息",
        "共享",
        "联络",
        "调度",
        "跟踪",
        "落实",
        "对接",
        "衔接",
        "分析",
        "排查",
        "处置",
        "应急",
        "回访",
        "日常",
        "体制",
        "健全",
        "完善",
        "规章",
        "内控",
        "程序",
        "机制",
    ];
    if name.chars().count() < 4 || name.contains('的') || name.ends_with("工作") {
        return true;
    }
    if FUNCTION_START.iter().any(|g| name.starts_with(g)) {
        return true;
    }
    let mut rest = name;
    while let Some(w) = GENERIC_WORDS
        .iter()
        .chain(&["和", "及", "与", "、"])
        .find(|w| rest.starts_with(*w))
    {
        rest = &rest[w.len()..];
    }
    rest.is_empty()
}

/// The mention an unquoted system name makes, unless a named mention covers it or it is generic.
fn unquoted(
    body: &str,
    range: Range<usize>,
    gazetteer: &Gazetteer,
    named: &Sorted<Mention>,
) -> Option<Mention> {
    // A known name inside a longer system name (法律顾问 in 法律顾问审查意见前置机制) does not hide it.
    let contained =
        |m: &Mention| range.start <= m.range.start && m.range.end <= range.end && m.range != range;
    if named
        .overlapping(&range)
        .any(|m| !(m.concept.is_some() && contained(m)))
    {
        return None;
    }
    // 建立完善X机制: the second verb is not part of the name; 规范性 (an adjective) is.
    let lead = LEADING_VERB
        .find(&body[range.clone()])
        .filter(|m| !body[range.start + m.end()..].starts_with('性'))
        .map_or(0, |m| m.end());
    let range = range.start + lead..range.end;
    let label = canonical_label(&body[range.clone()], None, gazetteer);
    if gazetteer.lookup(&label).is_none() && is_generic(&label) {
        return None;
    }
    Some(Mention {
        concept: gazetteer.lookup(&label).cloned(),
        label,
        range,
        strong: false,
    })
}

/// Group mentions by label: first occurrence, count and concept.
pub fn aggregate(mentions: &[Mention]) -> Vec<(&Mention, usize)> {
    let mut order: Vec<&Mention> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for m in mentions {
        let key = fold_key(&m.label);
        let n = counts.entry(key).or_insert(0);
        if *n == 0 {
            order.push(m);
        }
        *n += 1;
    }
    order
        .into_iter()
        .map(|m| (m, counts[&fold_key(&m.label)]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(body: &str) -> Vec<String> {
        let g = Gazetteer::bundled();
        let docs: Vec<Range<usize>> = crate::extract::documents::find(body)
            .0
            .into_iter()
            .map(|d| d.title)
            .collect();
        aggregate(&find(body, &docs, &g).mentions)
            .into_iter()
            .map(|(m, _)| m.label.clone())
            .collect()
    }

    #[test]
    fn quoted_names_with_a_system_word_or_an_adoption_verb_are_initiatives() {
        assert_eq!(
            labels("打造以“派出所+司法所+律师事务所”为核心的“三所联调”模式。"),
            vec!["三所联调"]
        );
        assert_eq!(
            labels("持续擦亮“平易办”亲企服务品牌,累计下沉驻点881人次。"),
            vec!["平易办"]
        );
        assert_eq!(labels("坚持“第一议题”制度。"), vec!["第一议题"]);
        assert_eq!(
            labels("落实“一社区一精品”,深入开展活动36次。"),
            vec!["一社区一精品"]
        );
        assert_eq!(
            labels("其中网上申办件9208件、“邮寄办”578件。"),
            vec!["邮寄办"]
        );
    }

    #[test]
    fn an_unquoted_system_name_keeps_its_adjective() {
        // 规范 is a second verb in 建立规范X制度, but part of the word in 规范性文件.
        assert_eq!(
            labels("严格执行规范性文件备案审查制度。"),
            vec!["规范性文件备案审查"]
        );
    }

    #[test]
    fn rhetorical_quotes_are_not_initiatives() {
        assert!(
            labels("通过“固定坐诊”“线上服务”“集中宣教”等形式为居民提供法律咨询服务").is_empty()
        );
        assert!(labels("实现“有形覆盖”向“有效覆盖”转变。").is_empty());
        assert!(labels("彰显执法“温度”。发挥基层网格“感知灵敏、处置迅速”作用").is_empty());
        assert!(labels("中心(以下简称“中心”)以").is_empty());
        assert!(labels("栏目中“晒成绩”“亮家底”“找差距”,广泛接受监督").is_empty());
    }

    #[test]
    fn full_and_half_width_quotes_and_aliases_become_one_initiative() {
        assert_eq!(
            labels("深化\"府院联动\"机制,完善府院联动。"),
            vec!["府院联动"]
        );
        assert_eq!(
            labels("在抓好“三项制度”落实的同时,严格落实行政执法三项制度"),
            vec!["行政执法三项制度"]
        );
        assert_eq!(labels("深入推进“八五”普法"), vec!["八五普法"]);
    }

    #[test]
    fn plan_periods_are_not_initiatives() {
        assert!(labels("实施“十四五”法治政府建设规划,编制“十四五”规划").is_empty());
    }

    #[test]
    fn a_quoted_role_word_joins_the_action_after_it() {
        assert_eq!(
            labels("在全市率先开展“一把手”公开述法活动"),
            vec!["一把手公开述法"]
        );
        assert!(labels("有效提升“一把手”依法履职意识").is_empty());
    }

    #[test]
    fn unquoted_systems_after_an_adoption_verb() {
        assert_eq!(
            labels("严格落实司法所所长列席政府办公会制度和法律顾问制度。"),
            vec!["司法所所长列席政府办公会", "法律顾问制度"]
        );
        assert_eq!(
            labels("建立公众代表常态化列席常务会议机制"),
            vec!["公众代表常态化列席常务会议"]
        );
        assert!(labels("建立健全工作机制,完善内部制度").is_empty());
    }

    #[test]
    fn quotes_inside_document_titles_are_not_names() {
        assert!(labels("制作《“典”亮新生活》民法典系列动漫").is_empty());
    }
}
