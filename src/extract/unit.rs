//! The reporting unit: canonical short name, type, and place in the administrative hierarchy,
//! resolved against the division table and disambiguated by the places the text names.

use std::collections::HashMap;

use crate::divisions::{Divisions, Level};
use crate::record::Unit;

/// Weight of a place named in full (广州市) against a short form (广州).
const FULL_WEIGHT: u32 = 3;
const SHORT_WEIGHT: u32 = 1;

/// A unit name split into the divisions it starts with and the rest.
#[derive(Debug, Default)]
struct Parsed<'a> {
    /// Candidate sets of the leading division names, outermost first.
    prefixes: Vec<Vec<usize>>,
    /// Township named by the rest, with the suffix 办事处/人民政府 dropped.
    township: Option<(String, Vec<usize>)>,
    /// What follows the leading division names.
    rest: &'a str,
}

/// Resolve the unit from its raw names (best source first) and the whole text.
pub fn resolve(raw_names: &[String], full: &str, table: &Divisions) -> Unit {
    let Some(raw) = raw_names.first() else {
        return Unit {
            name: String::new(),
            kind: "其他".into(),
            region: Vec::new(),
            region_code: None,
        };
    };
    // "快三平台 活力城区建设事务中心": a site name before the unit.
    let raw = raw.split_whitespace().last().unwrap_or(raw);
    let scores = place_scores(full, table);
    let parsed = parse(raw, table);
    let division = choose_division(&parsed, &scores, table);
    let (name, kind) = name_and_kind(&parsed, division.as_ref(), table);
    let is_township_unit = matches!(kind.as_str(), "乡镇" | "街道");
    let (region, region_code) = match &division {
        Some(Choice::One(d)) => {
            let mut chain = table.chain(*d);
            if is_township_unit && table.get(*d).level == Level::Township {
                chain.pop();
            }
            let code = chain.last().map(|&i| table.get(i).gb_code());
            (
                chain.iter().map(|&i| table.get(i).name.clone()).collect(),
                code,
            )
        }
        // A township name shared across the country says nothing about where this one is.
        Some(Choice::SameName(_)) if is_township_unit => (Vec::new(), None),
        Some(Choice::SameName(n)) => (vec![n.clone()], None),
        None => (Vec::new(), None),
    };
    Unit {
        name,
        kind,
        region,
        region_code,
    }
}

/// How strongly the text points at each division: its own mentions plus its ancestors'.
fn place_scores(full: &str, table: &Divisions) -> HashMap<usize, u32> {
    let mut own: HashMap<usize, u32> = HashMap::new();
    for m in table.mentions(full) {
        let w = if m.full { FULL_WEIGHT } else { SHORT_WEIGHT };
        for &c in &m.candidates {
            *own.entry(c).or_default() += w;
        }
    }
    own
}

fn support(d: usize, scores: &HashMap<usize, u32>, table: &Divisions) -> u32 {
    table
        .chain(d)
        .iter()
        .map(|i| scores.get(i).copied().unwrap_or(0))
        .sum()
}

fn parse<'a>(raw: &'a str, table: &Divisions) -> Parsed<'a> {
    let mut parsed = Parsed {
        rest: raw,
        ..Parsed::default()
    };
    // Leading province / prefecture / county names, each inside the previous one.
    'outer: loop {
        for len in (2..=parsed.rest.chars().count().min(12)).rev() {
            let end = parsed
                .rest
                .char_indices()
                .nth(len)
                .map_or(parsed.rest.len(), |(i, _)| i);
            let head = &parsed.rest[..end];
            let cands: Vec<usize> = table
                .named(head)
                .iter()
                .copied()
                .filter(|&c| table.get(c).level != Level::Township)
                .filter(|&c| {
                    parsed
                        .prefixes
                        .last()
                        .is_none_or(|p| p.iter().any(|&pp| table.chain(c).contains(&pp)))
                })
                .collect();
            // A short form followed by a level word is part of a longer name (朝阳街道).
            let short = cands.iter().all(|&c| table.get(c).name != head);
            let continues =
                parsed.rest[end..].starts_with(['街', '镇', '乡', '区', '县', '市', '村']);
            if !(cands.is_empty() || short && continues) {
                parsed.prefixes.push(cands);
                parsed.rest = &parsed.rest[end..];
                continue 'outer;
            }
        }
        break;
    }
    // XX区人民政府XX街道办事处: the street office of the district government.
    if !parsed.prefixes.is_empty()
        && let Some(rest) = parsed
            .rest
            .strip_prefix("人民政府")
            .or_else(|| parsed.rest.strip_prefix("政府"))
        && rest.contains(['镇', '乡', '街'])
    {
        parsed.rest = rest;
    }
    parsed.township = township_of(parsed.rest, &parsed.prefixes, table);
    parsed
}

/// The township a name starts with (龙城街道办事处 → 龙城街道, 平沙镇人民政府 → 平沙镇).
fn township_of(
    rest: &str,
    prefixes: &[Vec<usize>],
    table: &Divisions,
) -> Option<(String, Vec<usize>)> {
    for suffix in ["街道", "镇", "乡"] {
        let Some(p) = rest.find(suffix) else { continue };
        let name = &rest[..p + suffix.len()];
        let cands: Vec<usize> = table
            .named(name)
            .iter()
            .copied()
            .filter(|&c| table.get(c).level == Level::Township)
            .filter(|&c| {
                prefixes
                    .last()
                    .is_none_or(|p| p.iter().any(|&pp| table.chain(c).contains(&pp)))
            })
            .collect();
        if !cands.is_empty() {
            return Some((name.to_string(), cands));
        }
    }
    None
}

/// The division chosen for the unit.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    /// One division.
    One(usize),
    /// Several divisions share the name and nothing tells them apart: keep just the name.
    SameName(String),
}

fn choose_division(
    parsed: &Parsed,
    scores: &HashMap<usize, u32>,
    table: &Divisions,
) -> Option<Choice> {
    let candidates: Vec<usize> = if let Some((_, t)) = &parsed.township {
        t.clone()
    } else if let Some(last) = parsed.prefixes.last() {
        last.clone()
    } else if let Some(level) = implicit_level(parsed.rest) {
        scores
            .keys()
            .copied()
            .filter(|&d| table.get(d).level == level && scores[&d] >= FULL_WEIGHT)
            .collect()
    } else {
        // Nothing in the name: the most specific division the text points at.
        [Level::County, Level::Prefecture, Level::Province]
            .iter()
            .map(|&l| {
                let min = if l == Level::County {
                    FULL_WEIGHT
                } else {
                    SHORT_WEIGHT
                };
                scores
                    .keys()
                    .copied()
                    .filter(|&d| table.get(d).level == l && scores[&d] >= min)
                    .collect::<Vec<_>>()
            })
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    };
    pick(&candidates, scores, table)
}

fn pick(candidates: &[usize], scores: &HashMap<usize, u32>, table: &Divisions) -> Option<Choice> {
    let supported: Vec<(usize, u32)> = candidates
        .iter()
        .map(|&d| (d, support(d, scores, table)))
        .collect();
    let best = supported.iter().map(|&(_, s)| s).max()?;
    let top: Vec<usize> = supported
        .iter()
        .filter(|&&(_, s)| s == best)
        .map(|&(d, _)| d)
        .collect();
    match top.as_slice() {
        [one] => Some(Choice::One(*one)),
        [first, rest @ ..]
            if rest
                .iter()
                .all(|&d| table.get(d).name == table.get(*first).name) =>
        {
            Some(Choice::SameName(table.get(*first).name.clone()))
        }
        _ => None,
    }
}

/// 区司法局, 县政府办公室, 市…: a unit named by its level only.
fn implicit_level(rest: &str) -> Option<Level> {
    match rest.chars().next()? {
        '区' | '县' => Some(Level::County),
        '市' => Some(Level::Prefecture),
        '省' => Some(Level::Province),
        _ => None,
    }
}

fn name_and_kind(
    parsed: &Parsed,
    division: Option<&Choice>,
    table: &Divisions,
) -> (String, String) {
    if let Some((name, _)) = &parsed.township {
        let tail = &parsed.rest[name.len()..];
        let tail = tail
            .trim_start_matches("办事处")
            .trim_start_matches("人民政府")
            .trim_start_matches("政府");
        if tail.is_empty() {
            let kind = if name.ends_with("街道") {
                "街道"
            } else {
                "乡镇"
            };
            return (name.clone(), kind.into());
        }
        return (format!("{name}{tail}"), department_kind(tail).into());
    }
    let place = match division {
        Some(Choice::One(d)) => Some((table.get(*d).name.clone(), table.get(*d).level)),
        Some(Choice::SameName(n)) => parsed
            .prefixes
            .last()
            .map(|p| (n.clone(), table.get(p[0]).level)),
        None => None,
    };
    let rest = parsed.rest;
    if matches!(rest, "" | "人民政府" | "政府")
        && let Some((name, level)) = &place
        && !parsed.prefixes.is_empty()
    {
        let kind = match level {
            Level::Province => "省级政府",
            Level::Prefecture => "市级政府",
            _ => "区县政府",
        };
        return (name.clone(), kind.into());
    }
    let name = match (&place, implicit_level(rest), parsed.prefixes.is_empty()) {
        // 区司法局 in 从化区 → 从化区司法局.
        (Some((p, _)), Some(_), true) => {
            format!(
                "{p}{}",
                &rest[rest.chars().next().map_or(0, char::len_utf8)..]
            )
        }
        // 广州市从化区司法局 → 从化区司法局: keep only the innermost place.
        (Some((p, _)), _, false) => format!("{p}{rest}"),
        _ => rest.to_string(),
    };
    let kind = department_kind(rest);
    (name, kind.into())
}

fn department_kind(rest: &str) -> &'static str {
    const INSTITUTION: &[&str] = &["中心", "站", "队", "馆", "院", "所"];
    const DEPARTMENT: &[&str] = &[
        "局",
        "委员会",
        "委",
        "办公室",
        "办",
        "厅",
        "署",
        "司法所",
        "派出所",
    ];
    if rest.starts_with("中共")
        || rest.ends_with("法院")
        || rest.ends_with("检察院")
        || rest.ends_with("党委")
    {
        return "其他";
    }
    if DEPARTMENT.iter().any(|s| rest.ends_with(s)) {
        return "政府部门";
    }
    if INSTITUTION.iter().any(|s| rest.ends_with(s)) {
        return "事业单位";
    }
    "其他"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::divisions::table;

    fn unit(names: &[&str], text: &str) -> Unit {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        resolve(&names, text, table())
    }

    #[test]
    fn township_with_context() {
        let u = unit(
            &["龙城街道"],
            "来源:龙岗区龙城街道办事处\n中共深圳市龙岗区龙城街道工作委员会",
        );
        assert_eq!((u.name.as_str(), u.kind.as_str()), ("龙城街道", "街道"));
        assert_eq!(u.region, vec!["广东省", "深圳市", "龙岗区"]);
        assert_eq!(u.region_code.as_deref(), Some("440307"));
    }

    #[test]
    fn department_named_by_level_takes_the_county_the_text_names() {
        let u = unit(
            &["区司法局"],
            "中共广州市从化区委全面依法治区委员会;与清远市佛冈县司法局签订协议;广州市行政规范性文件",
        );
        assert_eq!(
            (u.name.as_str(), u.kind.as_str()),
            ("从化区司法局", "政府部门")
        );
        assert_eq!(u.region, vec!["广东省", "广州市", "从化区"]);
    }

    #[test]
    fn ambiguous_county_keeps_only_its_name() {
        let u = unit(&["河东区政府办公室"], "发布机构: 河东区政府办公室");
        assert_eq!(
            (u.name.as_str(), u.kind.as_str()),
            ("河东区政府办公室", "政府部门")
        );
        assert_eq!(u.region, vec!["河东区"]);
        let u = unit(&["河东区政府办公室"], "天津市河东区");
        assert_eq!(u.region, vec!["天津市", "河东区"]);
    }

    #[test]
    fn governments_and_institutions() {
        let u = unit(&["广州市从化区人民政府"], "");
        assert_eq!((u.name.as_str(), u.kind.as_str()), ("从化区", "区县政府"));
        let u = unit(&["快三平台 活力城区建设事务中心"], "推动深圳法治政府建设");
        assert_eq!(
            (u.name.as_str(), u.kind.as_str()),
            ("活力城区建设事务中心", "事业单位")
        );
        assert_eq!(u.region, vec!["广东省", "深圳市"]);
        let u = unit(&["深圳市龙岗区人民政府龙城街道办事处"], "");
        assert_eq!((u.name.as_str(), u.kind.as_str()), ("龙城街道", "街道"));
        assert_eq!(u.region, vec!["广东省", "深圳市", "龙岗区"]);
        let u = unit(&["珠海市金湾区平沙镇"], "");
        assert_eq!((u.name.as_str(), u.kind.as_str()), ("平沙镇", "乡镇"));
        assert_eq!(u.region, vec!["广东省", "珠海市", "金湾区"]);
    }
}
