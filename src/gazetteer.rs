//! The initiative gazetteer: canonical labels with aliases, kept as data in
//! `ontology/gazetteer.tsv` (a SKOS scheme: prefLabel, altLabels, category) and extensible at run
//! time with more files of the same format.

use std::collections::HashMap;
use std::fmt;

use crate::phrases::PhraseMatcher;

/// The gazetteer bundled with fazhi.
pub const BUNDLED: &str = include_str!("../ontology/gazetteer.tsv");

/// What a gazetteer row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A named mechanism or programme.
    Initiative,
    /// A role or rhetorical word that names an initiative only together with what follows it.
    Role,
    /// A word that never names an initiative (a plan period such as 十四五, a slogan).
    Rhetoric,
}

/// One concept: a canonical label with its aliases.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// Canonical label (skos:prefLabel).
    pub label: String,
    /// Other spellings (skos:altLabel).
    pub aliases: Vec<String>,
    /// Topic word.
    pub category: String,
    /// What the row names.
    pub kind: Kind,
}

/// A gazetteer file line that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct GazetteerError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gazetteer line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for GazetteerError {}

/// Concepts plus a matcher over every label and alias.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    concepts: Vec<Concept>,
    /// Folded label or alias → concept index.
    by_key: HashMap<String, usize>,
    /// Matcher over the keys of `by_key` (leftmost-longest), pattern i → `keys[i]`.
    matcher: PhraseMatcher,
    keys: Vec<String>,
}

/// Fold a label for lookup: no quote marks, no spaces, half-width forms.
pub fn fold_key(s: &str) -> String {
    s.chars()
        .filter_map(crate::normalise::fold_char)
        .filter(|c| !c.is_whitespace() && !"“”‘’\"'《》〈〉".contains(*c))
        .collect()
}

impl Gazetteer {
    /// The bundled gazetteer.
    pub fn bundled() -> Gazetteer {
        Gazetteer::parse(BUNDLED).expect("the bundled gazetteer parses")
    }

    /// Parse a gazetteer file.
    pub fn parse(text: &str) -> Result<Gazetteer, GazetteerError> {
        let mut g = Gazetteer::from_concepts(Vec::new());
        g.extend(text)?;
        Ok(g)
    }

    /// Add the rows of another gazetteer file: new concepts, or aliases of existing labels.
    pub fn extend(&mut self, text: &str) -> Result<(), GazetteerError> {
        let mut concepts = std::mem::take(&mut self.concepts);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let concept = parse_row(line).map_err(|reason| GazetteerError {
                line: n + 1,
                reason,
            })?;
            match concepts.iter_mut().find(|c| c.label == concept.label) {
                Some(existing) => {
                    for a in concept.aliases {
                        if !existing.aliases.contains(&a) {
                            existing.aliases.push(a);
                        }
                    }
                }
                None => concepts.push(concept),
            }
        }
        *self = Gazetteer::from_concepts(concepts);
        Ok(())
    }

    fn from_concepts(concepts: Vec<Concept>) -> Gazetteer {
        let mut by_key = HashMap::new();
        for (i, c) in concepts.iter().enumerate() {
            for form in std::iter::once(&c.label).chain(&c.aliases) {
                by_key.entry(fold_key(form)).or_insert(i);
            }
        }
        let mut keys: Vec<String> = by_key.keys().filter(|k| !k.is_empty()).cloned().collect();
        keys.sort();
        let matcher = PhraseMatcher::new(&keys);
        Gazetteer {
            concepts,
            by_key,
            matcher,
            keys,
        }
    }

    /// All concepts, in file order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept a label or alias names, if any.
    pub fn lookup(&self, form: &str) -> Option<&Concept> {
        self.by_key.get(&fold_key(form)).map(|&i| &self.concepts[i])
    }

    /// Non-overlapping occurrences of labels and aliases in `text` (already folded):
    /// `(byte range, concept)`, leftmost-longest.
    pub fn find_all<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, &'a Concept)> + 'a {
        self.matcher.find_iter(text).map(move |(pattern, range)| {
            let key = &self.keys[pattern];
            (range, &self.concepts[self.by_key[key]])
        })
    }
}

fn parse_row(line: &str) -> Result<Concept, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() < 2 {
        return Err("expected tab-separated prefLabel, altLabels, category, kind".into());
    }
    let label = cols[0].trim();
    if label.is_empty() {
        return Err("empty prefLabel".into());
    }
    let kind = match cols.get(3).map(|k| k.trim()).unwrap_or("initiative") {
        "" | "initiative" => Kind::Initiative,
        "role" => Kind::Role,
        "rhetoric" => Kind::Rhetoric,
        other => {
            return Err(format!(
                "unknown kind {other:?} (initiative, role or rhetoric)"
            ));
        }
    };
    Ok(Concept {
        label: label.to_string(),
        aliases: cols[1]
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(String::from)
            .collect(),
        category: cols
            .get(2)
            .map(|c| c.trim().to_string())
            .unwrap_or_default(),
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_the_canonical_label() {
        let g = Gazetteer::bundled();
        assert_eq!(g.lookup("“三项制度”").unwrap().label, "行政执法三项制度");
        assert_eq!(g.lookup("府院联动机制").unwrap().label, "府院联动");
        assert_eq!(g.lookup("双随机一公开").unwrap().label, "双随机、一公开");
        assert!(g.lookup("头雁").is_some_and(|c| c.kind == Kind::Role));
        assert!(g.lookup("法治政府").is_none());
    }

    #[test]
    fn finds_the_longest_alias_in_text() {
        let g = Gazetteer::bundled();
        let text = "严格落实三重一大事项集体决策制度和行政执法三项制度";
        let found: Vec<(&str, &str)> = g
            .find_all(text)
            .map(|(r, c)| (&text[r], c.label.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("三重一大事项集体决策制度", "三重一大"),
                ("行政执法三项制度", "行政执法三项制度")
            ]
        );
    }

    #[test]
    fn a_user_file_adds_aliases_and_concepts_and_reports_bad_rows() {
        let mut g = Gazetteer::bundled();
        g.extend("府院联动\t府院互动\t复议应诉\n四员工作法\t四员\t基层治理\n")
            .unwrap();
        assert_eq!(g.lookup("府院互动").unwrap().label, "府院联动");
        assert_eq!(g.lookup("四员").unwrap().label, "四员工作法");
        let err = g.extend("# ok\nno tabs here\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Gazetteer::parse("x\ty\tz\tthing").is_err());
    }
}
