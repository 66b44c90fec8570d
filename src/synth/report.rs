//! Writing one synthetic report: the text (layout, sections, sentences, numbers) and, in the same
//! pass, the record it should extract to, with every span counted as it is written.

use std::ops::Range;

use super::banks::{self, Counted};
use super::page::{self, Paragraph, Site};
use super::{Generator, InitiativePlan, Rng, UnitPlan};
use crate::divisions::{self, Level};
use crate::extract::hex_sha256;
use crate::record::{Document, Initiative, Item, Metric, Record, Section, Unit};

/// One synthetic report.
#[derive(Debug, Clone)]
pub struct Synthetic {
    /// Relative file name (`012/012345.txt`).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The record the report should extract to (`source` is `name`).
    pub expected: Record,
}

/// How the page around the report looks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Layout {
    /// A portal page flattened to text: site, breadcrumbs, title, date and source line.
    Portal,
    /// A field table flattened to text (索引号, 发布机构, 发文日期, 名称), then the title.
    Fields,
    /// Title, body, signature with the unit and the date.
    Plain,
    /// An HTML page.
    Html,
}

/// Text written so far, with its length in characters (spans are character offsets).
struct Writer {
    text: String,
    chars: usize,
    /// End of the last text pushed (markup and layout after it belong to no section).
    text_end: usize,
    /// Half-width punctuation (，（）：； written as ,():;).
    half: bool,
    /// What opens and closes a paragraph.
    paragraph: Paragraph,
    /// Whether the open paragraph's inline wrapper has been written.
    inline_open: bool,
}

impl Writer {
    /// Append `s` in the report's punctuation style; the range it occupies and the text written.
    fn push(&mut self, s: &str) -> (Range<usize>, String) {
        self.open_inline();
        let written: String = if self.half {
            s.chars().map(half_width).collect()
        } else {
            s.to_string()
        };
        let start = self.chars;
        self.chars += written.chars().count();
        self.text.push_str(&written);
        self.text_end = self.chars;
        (start..self.chars, written)
    }

    /// Append markup or layout text (never part of an expected item).
    fn raw(&mut self, s: &str) {
        self.chars += s.chars().count();
        self.text.push_str(s);
    }

    /// Start a paragraph: its break ends whatever element the next marker closes.
    fn open_paragraph(&mut self) {
        self.raw(self.paragraph.open);
    }

    /// The inline wrapper of a pasted paragraph goes with the text it wraps, after the break.
    fn open_inline(&mut self) {
        if let Some((open, _)) = self.paragraph.inline
            && !self.inline_open
        {
            self.raw(open);
            self.inline_open = true;
        }
    }

    fn close_paragraph(&mut self) {
        if let Some((_, close)) = self.paragraph.inline
            && self.inline_open
        {
            self.raw(close);
            self.inline_open = false;
        }
        self.raw(self.paragraph.close);
    }
}

fn half_width(c: char) -> char {
    match c {
        '，' => ',',
        '（' => '(',
        '）' => ')',
        '：' => ':',
        '；' => ';',
        other => other,
    }
}

/// Fold the punctuation a record quotes from titles (the extractor reports normalised titles).
fn folded(s: &str) -> String {
    s.chars()
        .filter_map(crate::normalise::fold_char)
        .collect::<String>()
        .trim()
        .to_string()
}

/// The names under which a unit writes.
struct UnitNames {
    /// As in a signature or publisher field (珠海市金湾区平沙镇人民政府).
    full: String,
    /// As the subject of sentences (平沙镇, 从化区司法局).
    short: String,
    expected: Unit,
}

fn unit_names(plan: &UnitPlan) -> UnitNames {
    let table = divisions::table();
    let (division, suffix) = match plan {
        UnitPlan::Township(i) | UnitPlan::Government(i) => (*i, None),
        UnitPlan::Department(i, dept) => (*i, Some(*dept)),
    };
    let chain = table.chain(division);
    let names: Vec<String> = chain.iter().map(|&i| table.get(i).name.clone()).collect();
    // The province is written only when no prefecture stands between it and the unit
    // (municipalities, counties the province administers directly).
    let has_prefecture = chain
        .iter()
        .any(|&i| table.get(i).level == Level::Prefecture);
    let skip = usize::from(has_prefecture && names.len() > 1);
    let written: String = names[skip..].concat();
    let own = names.last().expect("chain").clone();
    // The record's code is that of the innermost division in its region chain.
    let code_of = |depth: usize| Some(table.get(chain[depth - 1]).gb_code());
    let region_code = code_of(chain.len());
    match (plan, suffix) {
        (_, Some(dept)) => UnitNames {
            full: format!("{written}{dept}"),
            short: format!("{own}{dept}"),
            expected: Unit {
                name: format!("{own}{dept}"),
                kind: "政府部门".into(),
                region: names.clone(),
                region_code,
            },
        },
        (UnitPlan::Township(_), _) => {
            let street = own.ends_with("街道");
            UnitNames {
                full: format!("{written}{}", if street { "办事处" } else { "人民政府" }),
                short: own.clone(),
                expected: Unit {
                    name: own,
                    kind: if street { "街道" } else { "乡镇" }.into(),
                    region: names[..names.len() - 1].to_vec(),
                    region_code: code_of(chain.len() - 1),
                },
            }
        }
        _ => {
            let level = table.get(division).level;
            UnitNames {
                full: format!("{written}人民政府"),
                short: format!("{own}人民政府"),
                expected: Unit {
                    name: own,
                    kind: if level == Level::Prefecture {
                        "市级政府"
                    } else {
                        "区县政府"
                    }
                    .into(),
                    region: names.clone(),
                    region_code,
                },
            }
        }
    }
}

/// Where the writing is in the outline.
#[derive(Default)]
struct Position {
    section: Option<usize>,
    item: Vec<String>,
}

/// The report being written and the record being built beside it.
struct Draft {
    rng: Rng,
    w: Writer,
    record: Record,
    at: Position,
    /// Levels of the sections, items and sub-items still open (0, 1, 2): their ends are set when
    /// the next one at their level or above starts.
    open: Vec<usize>,
}

pub(super) fn write(g: &Generator, k: usize, mut rng: Rng) -> Synthetic {
    let plan = g.unit(&mut rng);
    let names = unit_names(&plan);
    let year = 2019 + rng.below(7) as i32;
    let published = (year + 1, rng.between(1, 3), rng.between(1, 28));
    let layout = *rng.pick(&[Layout::Portal, Layout::Fields, Layout::Plain, Layout::Html]);
    let half = rng.chance(0.3);
    let gb18030 = layout != Layout::Html && rng.chance(0.15);
    let title_unit = if rng.chance(0.5) {
        &names.full
    } else {
        &names.short
    };
    let title = match rng.below(3) {
        0 => format!("{title_unit}{year}年法治政府建设年度报告"),
        1 => format!("{title_unit}关于{year}年度法治政府建设工作情况的报告"),
        _ => format!("{title_unit}{year}年度法治政府建设工作报告"),
    };
    // Real reports name from a dozen to about fifty initiatives (the seeds: 15 to 54).
    let named = 8 + rng.below(43);
    let initiatives = g.initiatives(&mut rng, named);
    let region = names.expected.region.last().map_or("", String::as_str);
    let site = Site::new(
        region,
        names.expected.region_code.as_deref().unwrap_or(""),
        &mut rng,
    );
    let paragraph = if layout == Layout::Html {
        page::paragraph_tags(&mut rng)
    } else {
        page::TEXT_PARAGRAPH
    };
    let mut d = Draft {
        rng,
        w: Writer {
            text: String::new(),
            chars: 0,
            text_end: 0,
            half,
            paragraph,
            inline_open: false,
        },
        record: Record {
            source: String::new(),
            sha256: String::new(),
            encoding: if gb18030 { "GB18030" } else { "UTF-8" }.into(),
            html: layout == Layout::Html,
            unit: names.expected.clone(),
            year: Some(year),
            published: Some(format!(
                "{}-{:02}-{:02}",
                published.0, published.1, published.2
            )),
            title: Some(folded(&title)),
            index_number: None,
            initiatives: Vec::new(),
            metrics: Vec::new(),
            documents: Vec::new(),
            sections: Vec::new(),
            warnings: Vec::new(),
        },
        at: Position::default(),
        open: Vec::new(),
    };
    let iso = format!("{}-{:02}-{:02}", published.0, published.1, published.2);
    let chinese_date = format!("{}年{}月{}日", published.0, published.1, published.2);
    match layout {
        Layout::Portal => {
            let menu = if d.rng.chance(0.7) {
                site.menu_lines(&mut d.rng)
            } else {
                String::new()
            };
            d.w.raw(&format!(
                "{}\n{menu}\n首页 > 政务公开 > 法治政府建设\n\n{title}\n\n发布时间:{iso}  来源:{}\n",
                site.name, names.full
            ));
        }
        Layout::Fields => {
            let index = format!(
                "{:06}-{:04}-{:05}",
                d.rng.below(1_000_000),
                year + 1,
                k % 100_000
            );
            d.w.raw(&format!(
                "索引号：{index}\t分类：法治政府建设\n发布机构：{}\t发文日期：{chinese_date}\n名称：{title}\n\n{title}\n",
                names.full
            ));
            d.record.index_number = Some(index);
        }
        Layout::Plain => d.w.raw(&format!("{title}\n")),
        Layout::Html => {
            let top = site.html_top(&mut d.rng, &title, &iso, &names.full);
            d.w.raw(&top);
        }
    }
    d.introduction(&names.short, year);
    d.sections(&initiatives, year);
    d.close_all();
    // The unit signs, with the day it wrote the report: on a page that gives the publication
    // date in its header, a few days before it.
    let signed = if layout == Layout::Plain {
        Some(chinese_date.clone())
    } else {
        d.rng.chance(0.4).then(|| {
            let day = published.2 - d.rng.below(published.2 as usize) as u32;
            format!("{}年{}月{day}日", published.0, published.1)
        })
    };
    if let Some(date) = signed {
        for line in [names.full.as_str(), date.as_str()] {
            d.w.open_paragraph();
            d.w.raw(line);
            d.w.close_paragraph();
        }
    }
    match layout {
        Layout::Portal => {
            let mut tail = String::from("\n\n分享到：\n【打印本页】 【关闭窗口】\n");
            if d.rng.chance(0.6) {
                tail.push_str(&site.related_lines(&mut d.rng, year));
            }
            tail.push_str(&site.footer_lines(&mut d.rng));
            d.w.raw(&tail);
        }
        Layout::Html => {
            let bottom = site.html_bottom(&mut d.rng, year);
            d.w.raw(&bottom);
        }
        _ => d.w.raw("\n"),
    }
    let ext = if layout == Layout::Html {
        "html"
    } else {
        "txt"
    };
    let name = format!("{:03}/{k:06}.{ext}", k / 1000);
    let bytes = if gb18030 {
        encoding_rs::GB18030.encode(&d.w.text).0.into_owned()
    } else {
        d.w.text.into_bytes()
    };
    let mut record = d.record;
    record.source = name.clone();
    record.sha256 = hex_sha256(&bytes);
    Synthetic {
        name,
        bytes,
        expected: record,
    }
}

/// Section kinds with the titles real reports give them (`{y}` the year, `{n}` the next).
const SECTION_TITLES: &[(&str, &[&str])] = &[
    (
        "duty",
        &[
            "党政主要负责人履行推进法治建设第一责任人职责情况",
            "加强党对法治政府建设的领导",
            "深入学习贯彻习近平法治思想",
        ],
    ),
    (
        "achievements",
        &[
            "{y}年推进法治政府建设的主要举措和成效",
            "主要举措和成效",
            "{y}年度法治政府建设工作情况",
        ],
    ),
    ("rectification", &["上一年度法治政府建设存在问题的整改情况"]),
    (
        "problems",
        &["存在的不足和原因", "存在的主要问题", "存在的问题和不足"],
    ),
    (
        "plans",
        &[
            "{n}年推进法治政府建设的主要安排",
            "下一步工作打算",
            "下一年度工作思路",
        ],
    ),
    ("other", &["其他需要报告的情况"]),
];

impl Draft {
    fn introduction(&mut self, subject: &str, year: i32) {
        self.w.open_paragraph();
        self.w.push(&format!("{year}年，{subject}"));
        let clause = *self.rng.pick(banks::CLAUSES);
        self.w.push(clause);
        self.w.push("，认真贯彻");
        self.document();
        self.w.push("，");
        let clause = *self.rng.pick(banks::CLAUSES);
        self.w.push(clause);
        self.w
            .push(&format!("。现将{year}年度法治政府建设工作情况报告如下："));
        self.w.close_paragraph();
    }

    fn sections(&mut self, initiatives: &[&InitiativePlan], year: i32) {
        let mut kinds = vec!["achievements"];
        if self.rng.chance(0.8) {
            let at = usize::from(self.rng.chance(0.5));
            kinds.insert(at, "duty");
        }
        if self.rng.chance(0.2) {
            kinds.push("rectification");
        }
        kinds.extend(["problems", "plans"]);
        if self.rng.chance(0.15) {
            kinds.push("other");
        }
        // Initiatives go to the duty and achievements sections, a few to the plans.
        let mut queue: Vec<&InitiativePlan> = initiatives.to_vec();
        for (n, kind) in kinds.iter().enumerate() {
            let titles = SECTION_TITLES
                .iter()
                .find(|(k, _)| k == kind)
                .expect("known kind")
                .1;
            let title = self
                .rng
                .pick(titles)
                .replace("{y}", &year.to_string())
                .replace("{n}", &(year + 1).to_string());
            self.start_section(n, &title, kind);
            let extra = self.rng.below(3);
            match *kind {
                "duty" => {
                    let mine: Vec<_> = queue.drain(..queue.len().min(2)).collect();
                    self.items(&mine, 2 + extra.min(1), banks::CLAUSES, true);
                }
                "achievements" => {
                    let keep = usize::from(queue.len() > 3);
                    let take = queue.len() - keep;
                    let mine: Vec<_> = queue.drain(..take).collect();
                    self.items(&mine, 3 + 2 * extra, banks::CLAUSES, true);
                }
                "problems" => self.items(&[], 2 + extra.min(1), banks::PROBLEM_CLAUSES, false),
                "plans" => {
                    let mine: Vec<_> = std::mem::take(&mut queue);
                    self.items(&mine, 2 + extra, banks::PLAN_CLAUSES, false);
                }
                _ => self.prose_paragraph(banks::CLAUSES),
            }
        }
    }

    /// Close the open sections and items deeper than `depth` here: an element ends where the
    /// next one at its level or above starts (its marker).
    fn close_to(&mut self, depth: usize) {
        let end = self.w.chars;
        while self.open.len() > depth {
            let level = self.open.pop().expect("open");
            self.set_end(level, end);
        }
    }

    /// Close everything at the end of the last text.
    fn close_all(&mut self) {
        while let Some(level) = self.open.pop() {
            self.set_end(level, self.w.text_end);
        }
    }

    /// Set the end of the innermost open element at `level` (0 section, 1 item, 2 sub-item).
    fn set_end(&mut self, level: usize, end: usize) {
        let section = self.record.sections.last_mut().expect("section");
        match level {
            0 => section.end = end,
            1 => section.items.last_mut().expect("item").end = end,
            _ => {
                let item = section.items.last_mut().expect("item");
                item.items.last_mut().expect("sub-item").end = end;
            }
        }
    }

    fn start_section(&mut self, n: usize, title: &str, kind: &str) {
        self.w.open_paragraph();
        self.close_to(0);
        let numeral = chinese(n as u64 + 1);
        let (range, _) = self.w.push(&format!("{numeral}、"));
        let (_, written) = self.w.push(title);
        self.w.close_paragraph();
        self.record.sections.push(Section {
            title: folded(&written),
            kind: kind.into(),
            start: range.start,
            end: range.start,
            items: Vec::new(),
        });
        self.open.push(0);
        self.at = Position {
            section: Some(n),
            item: vec![numeral],
        };
    }

    /// `count` items (（一）…) sharing out `initiatives`, prose from `clauses`, with numbers of
    /// their own if `counts`.
    fn items(
        &mut self,
        initiatives: &[&InitiativePlan],
        count: usize,
        clauses: &[&str],
        counts: bool,
    ) {
        // Up to four initiatives an item, shared out evenly; long sections go past (十).
        let count = count.max(initiatives.len().div_ceil(4));
        for n in 0..count {
            let marker = format!("（{}）", chinese(n as u64 + 1));
            self.w.open_paragraph();
            self.close_to(1);
            let (range, marker_written) = self.w.push(&marker);
            let heading = self.clauses(clauses, 2);
            let heading_on_own_line = self.rng.chance(0.5);
            let (_, title) = self.w.push(&heading);
            let section = self.record.sections.last_mut().expect("section");
            section.items.push(Item {
                marker: folded(&marker_written),
                depth: 1,
                title: folded(&title),
                start: range.start,
                end: range.start,
                items: Vec::new(),
            });
            self.open.push(1);
            self.at.item.truncate(1);
            self.at.item.push(folded(&marker_written));
            if heading_on_own_line {
                self.w.close_paragraph();
                self.w.open_paragraph();
            } else {
                self.w.push("。");
            }
            let mine =
                &initiatives[n * initiatives.len() / count..(n + 1) * initiatives.len() / count];
            if mine.len() >= 2 && self.rng.chance(0.5) {
                self.sub_items(mine);
            } else {
                self.item_body(mine, clauses, counts);
            }
            self.w.close_paragraph();
        }
    }

    /// Sentences of one (一) item: numbers nobody claims (a summary figure, before any initiative
    /// is named: a number in the sentence after an initiative's reads as its result), then each
    /// initiative in a sentence of its own with its numbers, then prose.
    fn item_body(&mut self, initiatives: &[&InitiativePlan], clauses: &[&str], counts: bool) {
        if counts && self.rng.chance(0.7) {
            self.w.push("全年");
            let n = 1 + self.rng.below(2);
            self.metric_clauses(n, None);
            self.w.push("。");
        }
        for plan in initiatives {
            self.initiative_sentence(plan);
        }
        if self.rng.chance(0.3) {
            self.w.push("认真贯彻");
            self.document();
            self.w.push("，");
        }
        // Real items carry most of their length in prose: one to five sentences of it.
        for _ in 0..1 + self.rng.below(5) {
            let n = 2 + self.rng.below(4);
            let prose = self.clauses(clauses, n);
            self.w.push(&prose);
            self.w.push("。");
        }
    }

    /// 一是… 二是…: one initiative per sub-item, with its numbers anywhere in the sub-item.
    fn sub_items(&mut self, initiatives: &[&InitiativePlan]) {
        for (n, plan) in initiatives.iter().enumerate() {
            self.close_to(2);
            let (range, marker) = self.w.push(&format!("{}是", chinese(n as u64 + 1)));
            let section = self.record.sections.last_mut().expect("section");
            let item = section.items.last_mut().expect("item");
            item.items.push(Item {
                marker: marker.clone(),
                depth: 2,
                title: String::new(),
                start: range.start,
                end: range.start,
                items: Vec::new(),
            });
            self.open.push(2);
            self.at.item.truncate(2);
            self.at.item.push(marker);
            let before = self.w.text.len();
            self.initiative_sentence(plan);
            let first_sentence = self.w.text[before..].trim_end_matches('。').to_string();
            let section = self.record.sections.last_mut().expect("section");
            let sub = section
                .items
                .last_mut()
                .expect("item")
                .items
                .last_mut()
                .expect("sub");
            sub.title = folded(&first_sentence);
            if self.rng.chance(0.5) {
                self.metric_clauses(1, Some(&plan.label));
                self.w.push("。");
            }
        }
        self.at.item.truncate(2);
    }

    /// A sentence naming `plan` (first or later mention), with the numbers it produced.
    fn initiative_sentence(&mut self, plan: &InitiativePlan) {
        let again = self
            .record
            .initiatives
            .iter()
            .any(|i| i.label == plan.label);
        let known = plan.known;
        let verb = if again {
            *self.rng.pick(banks::AGAIN)
        } else if known {
            *self.rng.pick(banks::KNOWN_VERBS)
        } else {
            self.rng.pick(banks::INTRODUCTIONS).0
        };
        self.w.push(verb);
        let surface = if known {
            plan.written.clone()
        } else {
            format!("“{}”", plan.written)
        };
        let (range, written) = self.w.push(&surface);
        if !known {
            let suffix = self.rng.pick(banks::INTRODUCTIONS).1;
            self.w.push(suffix);
        }
        self.mention(plan, known, range, written);
        self.w.push("，");
        // About as many metrics as initiatives, as in real reports (the seeds: 8 to 57).
        if self.rng.chance(0.55) {
            let n = 1 + self.rng.below(2);
            self.metric_clauses(n, Some(&plan.label));
        } else {
            let prose = self.clauses(banks::CLAUSES, 1);
            self.w.push(&prose);
        }
        self.w.push("。");
    }

    fn mention(
        &mut self,
        plan: &InitiativePlan,
        known: bool,
        range: Range<usize>,
        written: String,
    ) {
        if let Some(i) = self
            .record
            .initiatives
            .iter_mut()
            .find(|i| i.label == plan.label)
        {
            i.mentions += 1;
            return;
        }
        self.record.initiatives.push(Initiative {
            label: plan.label.clone(),
            surface: folded(&written),
            start: range.start,
            end: range.end,
            mentions: 1,
            category: plan.category.clone(),
            known,
            section: self.at.section,
            item: self.at.item.clone(),
            evidence: String::new(),
        });
    }

    /// `n` clauses reporting numbers, joined with ，, credited to `initiative`.
    fn metric_clauses(&mut self, n: usize, initiative: Option<&str>) {
        for i in 0..n {
            if i > 0 {
                self.w.push("，");
            }
            self.metric(initiative);
        }
    }

    fn metric(&mut self, initiative: Option<&str>) {
        let roll = self.rng.below(10);
        let (label, number) = match roll {
            0 => {
                let label = *self.rng.pick(banks::RATES);
                (label, self.rate())
            }
            1 => {
                let label = *self.rng.pick(banks::AMOUNTS);
                (label, self.amount())
            }
            _ => {
                let counted = self.rng.pick(banks::COUNTS);
                (counted.label, self.count(counted))
            }
        };
        self.w.push(label);
        if let Some(hedge) = &number.before {
            self.w.push(hedge);
        }
        let (range, raw) = self.w.push(&number.raw);
        self.record.metrics.push(Metric {
            value: number.value,
            unit: number.unit.into(),
            raw: folded(&raw),
            qualifier: number.before.or(number.inside),
            label: label.into(),
            initiative: initiative.map(String::from),
            start: range.start,
            end: range.end,
            section: self.at.section,
            item: self.at.item.clone(),
        });
    }

    fn count(&mut self, counted: &Counted) -> Number {
        let (lo, hi) = counted.range;
        // Log-uniform between lo and hi: small counts are as common as large ones.
        let x = (lo as f64).ln() + self.rng.unit_interval() * ((hi as f64).ln() - (lo as f64).ln());
        let mut value = x.exp().round() as u64;
        let inside = (value >= 20 && self.rng.chance(0.2)).then(|| {
            value -= value % 10;
            self.rng.pick(banks::HEDGES_INSIDE).to_string()
        });
        let before = (inside.is_none() && self.rng.chance(0.2))
            .then(|| self.rng.pick(banks::HEDGES_BEFORE).to_string());
        let digits = match self.rng.below(10) {
            0 if value < 1000 => chinese(value),
            1 => value.to_string().chars().map(full_width_digit).collect(),
            2 if value >= 10_000 && value.is_multiple_of(1000) => ten_thousands(value),
            2 if value >= 10_000 => {
                value -= value % 1000;
                ten_thousands(value)
            }
            3 if value >= 1000 => grouped(value),
            _ => value.to_string(),
        };
        let inside_text = inside.as_deref().unwrap_or("");
        Number {
            raw: format!("{digits}{inside_text}{}", counted.measure),
            value: value as f64,
            unit: counted.measure,
            before,
            inside,
        }
    }

    fn rate(&mut self) -> Number {
        let tenths = if self.rng.chance(0.4) {
            1000
        } else {
            self.rng.between(850, 999)
        };
        let written = tenths_text(tenths);
        let sign = if self.w.half {
            "%"
        } else {
            *self.rng.pick(&["%", "％"])
        };
        Number {
            raw: format!("{written}{sign}"),
            value: f64::from(tenths) / 10.0,
            unit: "%",
            before: Some("达".into()),
            inside: None,
        }
    }

    fn amount(&mut self) -> Number {
        let tenths = self.rng.between(10, 99_999);
        let written = tenths_text(tenths);
        let before = self.rng.chance(0.3).then(|| "约".to_string());
        Number {
            raw: format!("{written}万元"),
            value: f64::from(tenths) * 1000.0,
            unit: "元",
            before,
            inside: None,
        }
    }

    /// A citation 《…》 of a document.
    fn document(&mut self) {
        let (title, kind) = *self.rng.pick(banks::DOCUMENTS);
        self.w.push("《");
        let (range, written) = self.w.push(title);
        self.w.push("》");
        // A document cited again is listed once, at its first citation.
        if self
            .record
            .documents
            .iter()
            .any(|d| d.title == folded(&written))
        {
            return;
        }
        self.record.documents.push(Document {
            title: folded(&written),
            kind: kind.map(String::from),
            start: range.start,
            end: range.end,
        });
    }

    /// `n` distinct clauses from `bank`, joined with ，.
    fn clauses(&mut self, bank: &[&str], n: usize) -> String {
        let mut picked: Vec<&str> = Vec::with_capacity(n);
        while picked.len() < n.min(bank.len()) {
            let c = *self.rng.pick(bank);
            if !picked.contains(&c) {
                picked.push(c);
            }
        }
        picked.join("，")
    }

    fn prose_paragraph(&mut self, bank: &[&str]) {
        self.w.open_paragraph();
        let prose = self.clauses(bank, 3);
        self.w.push(&prose);
        self.w.push("。");
        self.w.close_paragraph();
    }
}

/// A number as written, with what it means.
struct Number {
    raw: String,
    value: f64,
    unit: &'static str,
    before: Option<String>,
    inside: Option<String>,
}

fn full_width_digit(c: char) -> char {
    char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
}

/// A number of tenths as written: 985 → 98.5, 1000 → 100.
fn tenths_text(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// 1234567 → 1,234,567.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 23000 → 2.3万, 30000 → 3万 (`n` a multiple of 1000).
fn ten_thousands(n: u64) -> String {
    let thousands = n / 1000;
    if thousands.is_multiple_of(10) {
        format!("{}万", thousands / 10)
    } else {
        format!("{}.{}万", thousands / 10, thousands % 10)
    }
}

/// A number below 1000 in Chinese numerals (十二, 一百零五, 三百二十).
fn chinese(n: u64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (h, t, u) = (
        (n / 100) as usize,
        (n / 10 % 10) as usize,
        (n % 10) as usize,
    );
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h]);
        s.push('百');
    }
    match (h > 0, t, u) {
        (_, 0, 0) => {}
        (true, 0, _) => s.push('零'),
        (false, 0, _) => {}
        (false, 1, _) => s.push('十'),
        (_, t, _) => {
            s.push_str(D[t]);
            s.push('十');
        }
    }
    if u > 0 {
        s.push_str(D[u]);
    }
    if s.is_empty() { "零".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::numerals::parse_chinese;

    #[test]
    fn chinese_numerals_read_back_to_their_value() {
        for n in 1..1000 {
            assert_eq!(
                parse_chinese(&chinese(n)),
                Some(n as f64),
                "{n} as {}",
                chinese(n)
            );
        }
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(chinese(12), "十二");
    }

    #[test]
    fn numbers_are_written_as_reports_write_them() {
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(ten_thousands(23_000), "2.3万");
        assert_eq!(ten_thousands(30_000), "3万");
        assert_eq!(full_width_digit('7'), '７');
    }
}
