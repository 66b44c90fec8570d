//! Dictionary matching for the gazetteer and the division table: thousands of names, searched
//! leftmost-longest in every report.
//!
//! An unanchored Aho-Corasick DFA over thousands of Chinese names has a transition table far
//! larger than the CPU caches, and a scan of a report visits it at every byte: in profiles, a
//! cache miss per character. Here the automaton is entered only where a name can start: where
//! the character and the one after it begin some name, looked up in an 8 KB table of such pairs.
//! The anchored search from there touches a few states. Matches are the same as an unanchored
//! leftmost-longest search (the earliest start with a match, the longest match there, then on
//! from its end).

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

/// Bits in each table of possible starts (8 KB).
const TABLE_BITS: usize = 1 << 16;

/// A set of phrases, found leftmost-longest.
#[derive(Debug, Clone)]
pub struct PhraseMatcher {
    automaton: AhoCorasick,
    /// Hashed (first, second) character pairs of phrases of two or more characters.
    pairs: Vec<u64>,
    /// Hashed first characters of one-character phrases.
    singles: Vec<u64>,
}

impl PhraseMatcher {
    /// A matcher for `phrases` (empty ones are never found); pattern ids follow their order.
    pub fn new<I, P>(phrases: I) -> PhraseMatcher
    where
        I: IntoIterator<Item = P>,
        P: AsRef<str>,
    {
        let phrases: Vec<P> = phrases.into_iter().collect();
        let mut pairs = vec![0u64; TABLE_BITS / 64];
        let mut singles = vec![0u64; TABLE_BITS / 64];
        for p in &phrases {
            let mut chars = p.as_ref().chars();
            match (chars.next(), chars.next()) {
                (Some(a), Some(b)) => set(&mut pairs, pair_slot(a, b)),
                (Some(a), None) => set(&mut singles, pair_slot(a, '\0')),
                _ => {}
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(StartKind::Anchored)
            .build(phrases.iter().map(AsRef::as_ref))
            .expect("phrase automaton");
        PhraseMatcher {
            automaton,
            pairs,
            singles,
        }
    }

    /// Non-overlapping leftmost-longest matches in `text`: (pattern id, byte range).
    pub fn find_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, Range<usize>)> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let mut chars = text[at..]
                .char_indices()
                .map(|(i, c)| (at + i, c))
                .peekable();
            while let Some((i, c)) = chars.next() {
                let next = chars.peek().map_or('\0', |&(_, n)| n);
                if !(get(&self.pairs, pair_slot(c, next)) || get(&self.singles, pair_slot(c, '\0')))
                {
                    continue;
                }
                let input = Input::new(text).range(i..).anchored(Anchored::Yes);
                if let Some(m) = self.automaton.find(input)
                    && m.end() > i
                {
                    at = m.end();
                    return Some((m.pattern().as_usize(), m.start()..m.end()));
                }
            }
            at = text.len();
            None
        })
    }
}

/// Slot of a character pair in a table of possible starts.
fn pair_slot(a: char, b: char) -> usize {
    let h = (a as u32).wrapping_mul(0x9E37_79B1) ^ (b as u32).wrapping_mul(0x85EB_CA6B);
    (h.rotate_left(13).wrapping_mul(0xC2B2_AE35) >> 16) as usize
}

fn set(table: &mut [u64], slot: usize) {
    table[slot / 64] |= 1 << (slot % 64);
}

fn get(table: &[u64], slot: usize) -> bool {
    table[slot / 64] & (1 << (slot % 64)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an unanchored leftmost-longest automaton finds.
    fn reference(phrases: &[&str], text: &str) -> Vec<(usize, Range<usize>)> {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(phrases)
            .unwrap()
            .find_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start()..m.end()))
            .collect()
    }

    #[test]
    fn finds_what_an_unanchored_leftmost_longest_search_finds() {
        let phrases = [
            "广州市",
            "广州",
            "从化区",
            "深圳",
            "府院联动",
            "府院",
            "院联",
            "三所联调",
            "所",
            "1+1+N",
        ];
        let m = PhraseMatcher::new(phrases);
        for text in [
            "中共广州市从化区委,推动深圳法治政府建设",
            "深化府院联动,推行三所联调与1+1+N模式",
            "府院院联所所",
            "广州",
            "",
            "无关的文字",
        ] {
            let found: Vec<_> = m.find_iter(text).collect();
            assert_eq!(found, reference(&phrases, text), "{text}");
        }
        let found: Vec<&str> = m
            .find_iter("深化府院联动,推行三所联调")
            .map(|(_, r)| &"深化府院联动,推行三所联调"[r])
            .collect();
        assert_eq!(found, vec!["府院联动", "三所联调"]);
    }
}
