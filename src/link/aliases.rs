//! Candidate merges the gazetteer did not make: labels that look like variants of one
//! initiative, with the evidence, for a person to confirm into the gazetteer. Nothing here
//! merges anything.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::corpus::Corpus;
use super::graph::units_by_initiative;

/// Shortest label considered (two characters say too little to call one a variant of another).
const MIN_CHARS: usize = 3;

/// Two labels that may name one initiative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// `reordered`, `contained` or `spelled-out`.
    pub rule: &'static str,
    /// The label to keep (the gazetteer prefLabel to be).
    pub keep: String,
    /// The label to record as its alias.
    pub alias: String,
    /// Units naming `keep`.
    pub keep_units: Vec<String>,
    /// Units naming `alias`.
    pub alias_units: Vec<String>,
    /// Why the pair is proposed.
    pub evidence: String,
}

/// Candidate merges among the corpus's initiative labels, most supported first.
pub fn candidates(corpus: &Corpus) -> Vec<Candidate> {
    let labels: Vec<&str> = corpus
        .initiatives
        .iter()
        .map(|i| i.label.as_str())
        .collect();
    let units = units_by_initiative(corpus);
    let mut pairs: BTreeMap<(usize, usize), (&'static str, String)> = BTreeMap::new();
    for (a, b, why) in reordered(&labels) {
        pairs.entry(ordered(a, b)).or_insert(("reordered", why));
    }
    for (a, b, why) in contained(&labels) {
        pairs.entry(ordered(a, b)).or_insert(("contained", why));
    }
    for (short, long, why) in spelled_out(&labels) {
        pairs.insert(ordered(short, long), ("spelled-out", why));
    }
    let names = |i: usize| -> Vec<String> {
        units[i]
            .iter()
            .map(|&u| corpus.units[u].name.clone())
            .collect()
    };
    let mut out: Vec<Candidate> = pairs
        .into_iter()
        .filter(|((a, b), _)| !units[*a].is_empty() || !units[*b].is_empty())
        .map(|((a, b), (rule, evidence))| {
            // Keep the label more units use; on a tie, the shorter (numeral forms, bare names).
            let (keep, alias) = if (units[b].len(), labels[a].chars().count())
                > (units[a].len(), labels[b].chars().count())
            {
                (b, a)
            } else {
                (a, b)
            };
            Candidate {
                rule,
                keep: labels[keep].to_string(),
                alias: labels[alias].to_string(),
                keep_units: names(keep),
                alias_units: names(alias),
                evidence,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        (y.keep_units.len() + y.alias_units.len())
            .cmp(&(x.keep_units.len() + x.alias_units.len()))
            .then_with(|| x.keep.cmp(&y.keep))
            .then_with(|| x.alias.cmp(&y.alias))
    });
    out
}

fn ordered(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Digits and Chinese numerals of a label, in order: labels that differ here are different
/// programmes (1310 and 1312, 三项 and 四项, 2023 and 2024), never variants.
fn numerals(label: &str) -> String {
    label.chars().filter(|&c| is_numeral(c)).collect()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "０１２３４５６７８９〇零一二三四五六七八九十百千万两".contains(c)
}

/// Labels with the same characters in another order (联调三所 / 三所联调).
fn reordered(labels: &[&str]) -> Vec<(usize, usize, String)> {
    let mut groups: HashMap<Vec<char>, Vec<usize>> = HashMap::new();
    for (k, l) in labels.iter().enumerate() {
        if l.chars().count() >= MIN_CHARS {
            let mut key: Vec<char> = l.chars().collect();
            key.sort_unstable();
            groups.entry(key).or_default().push(k);
        }
    }
    let mut out = Vec::new();
    for members in groups.values() {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                if numerals(labels[a]) == numerals(labels[b]) {
                    out.push((a, b, "same characters in another order".to_string()));
                }
            }
        }
    }
    out
}

/// Labels inside another label (府院联动 / 府院联动工作), found through each label's substrings.
fn contained(labels: &[&str]) -> Vec<(usize, usize, String)> {
    let index: HashMap<&str, usize> = labels.iter().enumerate().map(|(k, &l)| (l, k)).collect();
    let mut out = Vec::new();
    for (long, l) in labels.iter().enumerate() {
        let bounds: Vec<usize> = l.char_indices().map(|(i, _)| i).chain([l.len()]).collect();
        let n = bounds.len() - 1;
        for s in 0..n {
            for e in (s + MIN_CHARS)..=n {
                if s == 0 && e == n {
                    continue;
                }
                let part = &l[bounds[s]..bounds[e]];
                match index.get(part) {
                    Some(&short)
                        if numerals(part) == numerals(l)
                            && !is_list_item(l, bounds[s], bounds[e]) =>
                    {
                        out.push((short, long, format!("“{part}” is part of “{l}”")));
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

const LIST_SEPARATORS: [char; 5] = ['+', '＋', '、', '/', '，'];

/// Whether `label[from..to]` is a whole item of a list (网格员+法律明白人+社区律师): a member
/// of a combination, not a variant of it.
fn is_list_item(label: &str, from: usize, to: usize) -> bool {
    let before = label[..from].chars().next_back();
    let after = label[to..].chars().next();
    let edge = |c: Option<char>| c.is_none_or(|c| LIST_SEPARATORS.contains(&c));
    label.contains(LIST_SEPARATORS) && edge(before) && edge(after)
}

/// A numeral label (三所联调) and a label listing that many items that end in its counted
/// character (派出所+司法所+律师事务所联调).
fn spelled_out(labels: &[&str]) -> Vec<(usize, usize, String)> {
    // (count, counted character) → numeral labels: 三所联调 → (3, 所).
    let mut numbered: HashMap<(usize, char), Vec<(usize, char)>> = HashMap::new();
    for (k, l) in labels.iter().enumerate() {
        let mut cs = l.chars();
        if let (Some(n), Some(head)) = (cs.next().and_then(small_numeral), cs.next()) {
            numbered.entry((n, head)).or_default().push((k, head));
        }
    }
    let mut out = Vec::new();
    for (long, l) in labels.iter().enumerate() {
        for &(short, head) in spelled_candidates(l, &numbered) {
            // The list names the same mechanism (…联调) or nothing beyond the items.
            let rest: String = labels[short].chars().skip(2).collect();
            if l.contains(&rest) || l.ends_with(head) {
                out.push((
                    short,
                    long,
                    format!("“{l}” lists the items “{}” counts", labels[short]),
                ));
            }
        }
    }
    out
}

/// Numeral labels whose count and counted character match the items `label` lists.
fn spelled_candidates<'a>(
    label: &str,
    numbered: &'a HashMap<(usize, char), Vec<(usize, char)>>,
) -> &'a [(usize, char)] {
    let parts: Vec<&str> = label
        .split(|c: char| LIST_SEPARATORS.contains(&c) || "与和及".contains(c))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return &[];
    }
    // The counted character ends every item; the last item may run on into the mechanism's name.
    let Some(head) = parts[0].chars().last() else {
        return &[];
    };
    let items_end_alike = parts[..parts.len() - 1].iter().all(|p| p.ends_with(head))
        && parts[parts.len() - 1].contains(head);
    if !items_end_alike {
        return &[];
    }
    numbered
        .get(&(parts.len(), head))
        .map_or(&[], |v| v.as_slice())
}

fn small_numeral(c: char) -> Option<usize> {
    "一二三四五六七八九十"
        .chars()
        .position(|d| d == c)
        .map(|p| p + 1)
        .or((c == '两').then_some(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(found: Vec<(usize, usize, String)>, labels: &[&str]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = found
            .into_iter()
            .map(|(a, b, _)| (labels[a].to_string(), labels[b].to_string()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn reordered_labels_pair_but_not_across_numbers() {
        let labels = ["三所联调", "联调三所", "1310工程", "1301工程", "府院联动"];
        assert_eq!(
            pairs(reordered(&labels), &labels),
            vec![("三所联调".to_string(), "联调三所".to_string())]
        );
    }

    #[test]
    fn a_label_inside_another_pairs_unless_a_year_or_digit_differs() {
        let labels = [
            "府院联动",
            "府院联动工作",
            "2023年普法计划",
            "普法计划",
            "1310工程",
            "1312工程",
            "法律明白人",
            "网格员+法律明白人+社区律师",
        ];
        assert_eq!(
            pairs(contained(&labels), &labels),
            vec![("府院联动".to_string(), "府院联动工作".to_string())]
        );
    }

    #[test]
    fn a_spelled_out_list_pairs_with_its_numeral_form() {
        let labels = [
            "三所联调",
            "派出所+司法所+律师事务所联调",
            "派出所+司法所联调",
            "两所联动",
            "派出所、司法所",
        ];
        assert_eq!(
            pairs(spelled_out(&labels), &labels),
            vec![
                (
                    "三所联调".to_string(),
                    "派出所+司法所+律师事务所联调".to_string()
                ),
                ("两所联动".to_string(), "派出所、司法所".to_string()),
            ]
        );
    }
}
