//! Synthetic corpus: realistic reports built from the shapes of real ones, each with the record
//! it should extract to. Deterministic for a seed: report `k` depends only on the seed and `k`, so
//! reports are written in parallel and a corpus of any size is reproducible.
//!
//! Units and regions come from the division table; initiatives from the gazetteer plus invented
//! names of the shapes real ones take (一村一顾问, 三所联调, place + brand), drawn with a long tail so
//! that a few are named by most units and most by a few. Numbers come in digits, full-width digits,
//! thousands separators, Chinese numerals, 万 multipliers and percentages, hedged or not. Reports
//! are as long and as dense as real ones (a dozen to fifty initiatives, sections with (十一) and
//! more). Layouts: a portal page flattened to text (menu, breadcrumb, share links, related
//! articles, footer), a field table, a plain text with a signature, an HTML page as portal
//! templates write it (meta tags, style sheets, scripts, menu, styled paragraphs, footer:
//! `page.rs`); some signed, some GB18030-encoded, some with half-width punctuation.

mod banks;
mod check;
mod page;
mod report;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;

use crate::divisions::{self, Level};
use crate::gazetteer::{Gazetteer, Kind};

pub use check::differences;
pub use report::Synthetic;

/// A small deterministic generator (SplitMix64): stable across platforms and crate versions,
/// which a generated corpus's reproducibility depends on.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `stream` of `seed` (independent streams for independent reports).
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// A number in `[0, 1)`.
    pub fn unit_interval(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit_interval() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The kind of reporting unit, with the division it sits in.
#[derive(Debug, Clone)]
pub enum UnitPlan {
    /// A township or street office (the division itself).
    Township(usize),
    /// A county-level or prefecture-level government (the division itself).
    Government(usize),
    /// A department of a county or prefecture government.
    Department(usize, &'static str),
}

/// Departments that file their own reports.
const DEPARTMENTS: &[&str] = &[
    "司法局",
    "市场监督管理局",
    "生态环境局",
    "教育局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "应急管理局",
    "卫生健康局",
    "交通运输局",
    "财政局",
    "民政局",
    "城市管理和综合执法局",
    "退役军人事务局",
    "农业农村局",
];

/// An initiative of the corpus: its canonical label, the form written, and whether the gazetteer
/// knows it (known ones are written unquoted, invented ones in quotes).
#[derive(Debug, Clone)]
pub struct InitiativePlan {
    /// Canonical label.
    pub label: String,
    /// The label or alias as written.
    pub written: String,
    /// Gazetteer category, for known ones.
    pub category: Option<String>,
    /// Whether the gazetteer knows it.
    pub known: bool,
}

/// Invented initiatives beside the gazetteer's: enough for a long tail at 10^5 reports.
const INVENTED: usize = 6000;

/// Everything reports are drawn from, built once per corpus.
pub struct Generator {
    seed: u64,
    townships: Vec<usize>,
    governments: Vec<usize>,
    counties: Vec<usize>,
    initiatives: Vec<InitiativePlan>,
    /// Cumulative long-tail weights over `initiatives` (rank r weighs 1/(r+1)).
    cumulative: Vec<f64>,
}

impl Generator {
    /// The generator of corpus `seed`.
    pub fn new(seed: u64, gazetteer: &Gazetteer) -> Generator {
        let table = divisions::table();
        let (mut townships, mut governments, mut counties) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..table.len() {
            let d = table.get(i);
            let ends = |suffixes: &[&str]| suffixes.iter().any(|s| d.name.ends_with(s));
            match d.level {
                // Some table rows repeat their city in the township name (济源市五龙口镇).
                Level::Township if ends(&["镇", "乡", "街道"]) && !d.name.contains('市') => {
                    townships.push(i)
                }
                Level::County if ends(&["区", "县", "市", "旗"]) => {
                    counties.push(i);
                    governments.push(i);
                }
                Level::Prefecture if ends(&["市", "州", "盟"]) => governments.push(i),
                _ => {}
            }
        }
        let initiatives = initiative_pool(seed, gazetteer);
        let mut total = 0.0;
        let cumulative = (0..initiatives.len())
            .map(|r| {
                total += 1.0 / (r as f64 + 1.0);
                total
            })
            .collect();
        Generator {
            seed,
            townships,
            governments,
            counties,
            initiatives,
            cumulative,
        }
    }

    /// Report `k` of the corpus, with the record it should extract to.
    pub fn report(&self, k: usize) -> Synthetic {
        report::write(self, k, Rng::new(self.seed, k as u64 + 1))
    }

    fn unit(&self, rng: &mut Rng) -> UnitPlan {
        match rng.below(20) {
            0..=9 => UnitPlan::Township(*rng.pick(&self.townships)),
            10..=15 => {
                let county = *rng.pick(&self.counties);
                let department = DEPARTMENTS[rng.below(DEPARTMENTS.len())];
                UnitPlan::Department(county, department)
            }
            _ => UnitPlan::Government(*rng.pick(&self.governments)),
        }
    }

    /// `n` distinct initiatives, drawn by the long-tail weights.
    fn initiatives(&self, rng: &mut Rng, n: usize) -> Vec<&InitiativePlan> {
        let total = *self.cumulative.last().expect("initiatives");
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let x = rng.unit_interval() * total;
            let i = self.cumulative.partition_point(|&c| c < x);
            let i = i.min(self.initiatives.len() - 1);
            if seen.insert(i) {
                out.push(&self.initiatives[i]);
            }
        }
        out
    }
}

/// The gazetteer's initiatives (the widely shared head: a stable random order) and invented
/// names of the shapes real ones take (the tail), none of which contains a gazetteer name.
fn initiative_pool(seed: u64, gazetteer: &Gazetteer) -> Vec<InitiativePlan> {
    let mut rng = Rng::new(seed, 0);
    let mut pool: Vec<InitiativePlan> = gazetteer
        .concepts()
        .iter()
        .filter(|c| c.kind == Kind::Initiative)
        .map(|c| InitiativePlan {
            label: c.label.clone(),
            written: c.label.clone(),
            category: Some(c.category.clone()).filter(|c| !c.is_empty()),
            known: true,
        })
        .collect();
    for i in (1..pool.len()).rev() {
        pool.swap(i, rng.below(i + 1));
    }
    let places = place_words();
    let mut names = HashSet::new();
    while names.len() < INVENTED {
        let name = invented_name(&mut rng, &places);
        if gazetteer.find_all(&name).next().is_none() && names.insert(name.clone()) {
            pool.push(InitiativePlan {
                label: name.clone(),
                written: name,
                category: None,
                known: false,
            });
        }
    }
    pool
}

/// Two-character heads of county names (金湾, 从化) for brand names.
fn place_words() -> Vec<String> {
    let table = divisions::table();
    let mut words: Vec<String> = (0..table.len())
        .map(|i| table.get(i))
        .filter(|d| d.level == Level::County && d.name.chars().count() == 3)
        .map(|d| d.name.chars().take(2).collect())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Chinese digits used in formula names.
const DIGITS: &[&str] = &["二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn invented_name(rng: &mut Rng, places: &[String]) -> String {
    use banks::*;
    match rng.below(4) {
        0 => format!(
            "一{}一{}",
            rng.pick(FORMULA_PLACES),
            rng.pick(FORMULA_ROLES)
        ),
        1 => format!(
            "{}{}{}",
            rng.pick(DIGITS),
            rng.pick(JOINT_BODIES),
            rng.pick(JOINT_ACTIONS)
        ),
        _ => format!("{}{}", rng.pick(places), rng.pick(BRANDS)),
    }
}

/// What `write_corpus` wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Reports written.
    pub reports: usize,
    /// Bytes of report files.
    pub bytes: u64,
}

/// Reports generated in parallel and then written, at a time: bounds memory at any corpus size.
const CHUNK: usize = 1000;

/// Write `reports` reports of corpus `seed` under `out/reports/` and the records they should
/// extract to, one JSON line per report in order, to `out/expected.jsonl`.
pub fn write_corpus(
    out: &Path,
    reports: usize,
    seed: u64,
    gazetteer: &Gazetteer,
    mut progress: impl FnMut(usize),
) -> io::Result<Written> {
    let generator = Generator::new(seed, gazetteer);
    let dir = out.join("reports");
    std::fs::create_dir_all(&dir)?;
    let mut expected = io::BufWriter::new(std::fs::File::create(out.join("expected.jsonl"))?);
    let mut written = Written::default();
    for start in (0..reports).step_by(CHUNK) {
        let chunk: Vec<Synthetic> = (start..(start + CHUNK).min(reports))
            .into_par_iter()
            .map(|k| generator.report(k))
            .collect();
        chunk.par_iter().try_for_each(|r| {
            let path = dir.join(&r.name);
            std::fs::create_dir_all(path.parent().expect("inside reports/"))?;
            std::fs::write(path, &r.bytes)
        })?;
        for r in &chunk {
            serde_json::to_writer(&mut expected, &r.expected)?;
            expected.write_all(b"\n")?;
            written.bytes += r.bytes.len() as u64;
        }
        written.reports += chunk.len();
        progress(written.reports);
    }
    expected.flush()?;
    Ok(written)
}
