//! The national administrative-division table (GB/T 2260): provinces, prefectures, counties and
//! townships, bundled from `ontology/divisions.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::phrases::PhraseMatcher;

const TABLE: &str = include_str!("../ontology/divisions.tsv");

/// Level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 省, 自治区, 直辖市.
    Province,
    /// 地级市, 地区, 自治州, 盟.
    Prefecture,
    /// 区, 县, 县级市, 旗.
    County,
    /// 镇, 乡, 街道.
    Township,
}

/// One division.
#[derive(Debug, Clone)]
pub struct Division {
    /// Code as in the table: 2 (province), 4 (prefecture), 6 (county) or 9 (township) digits.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Level.
    pub level: Level,
    /// Index of the parent division.
    pub parent: Option<usize>,
}

impl Division {
    /// The six-digit GB/T 2260 code (nine digits for townships).
    pub fn gb_code(&self) -> String {
        match self.code.len() {
            2 => format!("{}0000", self.code),
            4 => format!("{}00", self.code),
            _ => self.code.clone(),
        }
    }
}

/// A place name found in text.
#[derive(Debug, Clone)]
pub struct PlaceMention {
    /// Byte offset in the text.
    pub start: usize,
    /// Divisions it may name.
    pub candidates: Vec<usize>,
    /// Whether the full official name was written (广州市) rather than a short form (广州).
    pub full: bool,
}

/// The division table with name indexes.
pub struct Divisions {
    items: Vec<Division>,
    by_name: HashMap<String, Vec<usize>>,
    /// Names of provinces, prefectures and counties, and short forms of the first two.
    matcher: PhraseMatcher,
    patterns: Vec<(String, bool)>,
}

/// Short forms that are everyday words as well (长治久安, 大同小异): never read as places.
const AMBIGUOUS_SHORT: &[&str] = &[
    "长治", "大同", "安康", "中山", "吉安", "白城", "永州", "通化", "来宾", "昌都",
];

static DIVISIONS: LazyLock<Divisions> = LazyLock::new(Divisions::load);

/// The bundled table.
pub fn table() -> &'static Divisions {
    &DIVISIONS
}

fn level_of(code: &str) -> Option<Level> {
    Some(match code.len() {
        2 => Level::Province,
        4 => Level::Prefecture,
        6 => Level::County,
        9 => Level::Township,
        _ => return None,
    })
}

/// Ethnic groups named in autonomous divisions (自治州, 自治区).
const ETHNIC: &[&str] = &[
    "蒙古",
    "藏族",
    "回族",
    "维吾尔",
    "苗族",
    "彝族",
    "壮族",
    "布依",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家",
    "哈尼",
    "哈萨克",
    "傣族",
    "黎族",
    "傈僳",
    "佤族",
    "畲族",
    "拉祜",
    "水族",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土族",
    "达斡尔",
    "羌族",
    "撒拉",
    "仫佬",
    "布朗",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒族",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京族",
    "鄂伦春",
];

/// Short form of a province or prefecture name: 广东省 → 广东, 深圳市 → 深圳, 延边朝鲜族自治州 → 延边.
pub fn short_form(name: &str) -> Option<String> {
    const SUFFIXES: &[&str] = &[
        "特别行政区",
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "自治州",
        "地区",
        "省",
        "市",
        "盟",
    ];
    let core = SUFFIXES.iter().find_map(|s| name.strip_suffix(s))?;
    // 延边朝鲜族 → 延边: drop the ethnic qualifier of an autonomous division.
    let cut = ETHNIC
        .iter()
        .filter_map(|e| core.find(e))
        .filter(|&p| core[..p].chars().count() >= 2)
        .min();
    let core = cut.map_or(core, |p| &core[..p]);
    (core.chars().count() >= 2).then(|| core.to_string())
}

impl Divisions {
    fn load() -> Divisions {
        let mut items = Vec::new();
        let mut by_code: HashMap<String, usize> = HashMap::new();
        for line in TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let Some((code, name)) = line.split_once('\t') else {
                continue;
            };
            let Some(level) = level_of(code) else {
                continue;
            };
            let parent = [6, 4, 2]
                .iter()
                .filter(|&&n| n < code.len())
                .find_map(|&n| by_code.get(&code[..n]).copied());
            by_code.insert(code.to_string(), items.len());
            items.push(Division {
                code: code.to_string(),
                name: name.to_string(),
                level,
                parent,
            });
        }
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in items.iter().enumerate() {
            by_name.entry(d.name.clone()).or_default().push(i);
        }
        // Short forms of provinces and prefectures (广东, 深圳) name them too.
        let shorts: HashMap<usize, String> = items
            .iter()
            .enumerate()
            .filter(|(_, d)| d.level < Level::County)
            .filter_map(|(i, d)| short_form(&d.name).map(|s| (i, s)))
            .collect();
        let mut indexed: Vec<(&usize, &String)> = shorts.iter().collect();
        indexed.sort();
        for (&i, s) in indexed {
            let v = by_name.entry(s.clone()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
        let mut patterns: Vec<(String, bool)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, d) in items
            .iter()
            .enumerate()
            .filter(|(_, d)| d.level != Level::Township)
        {
            // Two-character county names (城区, 郊区, 矿区) are ordinary words.
            if d.level == Level::County && d.name.chars().count() < 3 {
                continue;
            }
            if seen.insert(d.name.clone()) {
                patterns.push((d.name.clone(), true));
            }
            if let Some(s) = shorts.get(&i)
                && !AMBIGUOUS_SHORT.contains(&s.as_str())
                && seen.insert(s.clone())
            {
                patterns.push((s.clone(), false));
            }
        }
        let matcher = PhraseMatcher::new(patterns.iter().map(|(p, _)| p));
        Divisions {
            items,
            by_name,
            matcher,
            patterns,
        }
    }

    /// Number of divisions (indexes run from 0).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the table is empty (never, for the bundled one).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// A division by index.
    pub fn get(&self, i: usize) -> &Division {
        &self.items[i]
    }

    /// Divisions with this official name (or short form, for provinces and prefectures).
    pub fn named(&self, name: &str) -> &[usize] {
        self.by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The chain from the province down to `i`, outermost first.
    pub fn chain(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        while let Some(p) = self.items[*out.last().expect("non-empty")].parent {
            out.push(p);
        }
        out.reverse();
        out
    }

    /// Province, prefecture and county names in `text`.
    pub fn mentions(&self, text: &str) -> Vec<PlaceMention> {
        self.matcher
            .find_iter(text)
            .map(|(pattern, range)| {
                let (name, full) = &self.patterns[pattern];
                let candidates = self
                    .named(name)
                    .iter()
                    .copied()
                    .filter(|&i| {
                        self.items[i].level != Level::Township
                            && (*full || self.items[i].level < Level::County)
                    })
                    .collect();
                PlaceMention {
                    start: range.start,
                    candidates,
                    full: *full,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(chain: &[usize]) -> Vec<&'static str> {
        chain
            .iter()
            .map(|&i| table().get(i).name.as_str())
            .collect()
    }

    #[test]
    fn townships_chain_up_to_their_province() {
        let t = table();
        let i = t.named("平沙镇")[0];
        assert_eq!(
            names(&t.chain(i)),
            vec!["广东省", "珠海市", "金湾区", "平沙镇"]
        );
        assert_eq!(t.get(t.chain(i)[2]).gb_code(), "440404");
    }

    #[test]
    fn municipalities_skip_the_placeholder_level() {
        let t = table();
        let hedong: Vec<Vec<&str>> = t
            .named("河东区")
            .iter()
            .map(|&i| names(&t.chain(i)))
            .collect();
        assert!(hedong.contains(&vec!["天津市", "河东区"]));
        assert!(hedong.contains(&vec!["山东省", "临沂市", "河东区"]));
    }

    #[test]
    fn finds_full_and_short_names_in_text() {
        let t = table();
        let text = "中共广州市从化区委,推动深圳法治政府建设,长治久安";
        let found: Vec<(&str, bool)> = t
            .mentions(text)
            .iter()
            .map(|m| (t.get(m.candidates[0]).name.as_str(), m.full))
            .collect();
        assert_eq!(
            found,
            vec![("广州市", true), ("从化区", true), ("深圳市", false)]
        );
    }

    #[test]
    fn short_forms() {
        assert_eq!(short_form("广东省").as_deref(), Some("广东"));
        assert_eq!(short_form("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(short_form("延边朝鲜族自治州").as_deref(), Some("延边"));
        assert_eq!(
            short_form("黔东南苗族侗族自治州").as_deref(),
            Some("黔东南")
        );
        assert_eq!(short_form("内蒙古自治区").as_deref(), Some("内蒙古"));
        assert_eq!(short_form("从化区"), None);
    }
}
