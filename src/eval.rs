//! `fazhi eval`: score extraction records against gold annotations with the same matching rules
//! as the project scorer (`tests/fixtures/score.py`), so that rule changes can be measured.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::extract::initiatives::GENERIC_SUFFIXES as SUFFIXES;

const QUOTES: &str = "“”‘’\"'「」『』《》〈〉";

/// Summary figures that are ratios of tallies: (name, numerator, denominator).
const RATIOS: &[(&str, &str, &str)] = &[
    ("unit_acc", "unit_ok", "unit_n"),
    ("region_acc", "region_ok", "region_n"),
    ("year_acc", "year_ok", "year_n"),
    ("published_acc", "published_ok", "published_n"),
    ("initiative_recall", "init_found", "init_must"),
    ("initiative_precision", "init_tp", "init_pred"),
    ("metric_recall", "met_found", "met_must"),
    ("metric_precision", "met_tp", "met_pred"),
    ("metric_label_dice", "label_dice", "label_n"),
    ("metric_link_acc", "link_ok", "link_n"),
    ("document_recall", "doc_tp", "doc_gold"),
    ("document_precision", "doc_tp", "doc_pred"),
    ("section_kind_acc", "sec_ok", "sec_n"),
];

/// Names of the summary figures, in the scorer's order.
pub const SUMMARY_KEYS: &[&str] = &[
    "reports",
    "unit_acc",
    "region_acc",
    "year_acc",
    "published_acc",
    "initiative_recall",
    "initiative_precision",
    "metric_recall",
    "metric_precision",
    "metric_label_dice",
    "metric_link_acc",
    "document_recall",
    "document_precision",
    "section_kind_acc",
    "shared_link_recall",
    "shared_link_precision",
];

/// The result of a scoring run.
#[derive(Debug, Clone)]
pub struct Score {
    /// Summary figures by name (see [`SUMMARY_KEYS`]).
    pub summary: BTreeMap<String, f64>,
    /// Per-report lines and, with `verbose`, misses and false positives.
    pub report: String,
}

impl Score {
    /// The `SCORE key=value …` line.
    pub fn score_line(&self) -> String {
        let parts: Vec<String> = SUMMARY_KEYS
            .iter()
            .map(|k| {
                let v = self.summary[*k];
                if *k == "reports" {
                    format!("{k}={}", v as usize)
                } else {
                    format!("{k}={v:.3}")
                }
            })
            .collect();
        format!("SCORE {}", parts.join(" "))
    }
}

fn norm(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace() && !QUOTES.contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn keys<S: AsRef<str>>(forms: &[S]) -> HashSet<String> {
    let mut out = HashSet::new();
    for f in forms {
        let k = norm(f.as_ref());
        if k.is_empty() {
            continue;
        }
        for suf in SUFFIXES {
            if let Some(core) = k.strip_suffix(suf)
                && core.chars().count() >= 3
            {
                out.insert(core.to_string());
            }
        }
        out.insert(k);
    }
    out
}

fn bigrams(s: &str) -> Vec<String> {
    let c: Vec<char> = s.chars().collect();
    (0..c.len().saturating_sub(1).max(1))
        .map(|i| c[i..(i + 2).min(c.len())].iter().collect())
        .collect()
}

/// Dice coefficient of character bigrams, as the scorer computes it.
pub fn bigram_dice(a: &str, b: &str) -> f64 {
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (ga, mut pool) = (bigrams(&a), bigrams(&b));
    let total = ga.len() + pool.len();
    let mut common = 0;
    for g in &ga {
        if let Some(p) = pool.iter().position(|x| x == g) {
            pool.remove(p);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { 1.0 }
}

fn str_of(v: &Value) -> String {
    v.as_str().map(String::from).unwrap_or_default()
}

fn metric_key(value: &Value, unit: &Value) -> (Option<i64>, String) {
    let v = value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()));
    (
        v.map(|v| (v * 10_000.0).round() as i64),
        norm(&str_of(unit)),
    )
}

fn forms(item: &Value) -> Vec<String> {
    let mut f = vec![str_of(&item["label"])];
    if let Some(a) = item["accept"].as_array() {
        f.extend(a.iter().map(str_of));
    }
    f
}

/// Read predictions: a JSON array, one object, JSON lines, or a directory of `.json` files.
pub fn load_predictions(path: &Path) -> Result<Vec<Value>, String> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let as_list = |v: Value| match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let v: Value =
                serde_json::from_str(&read(&f)?).map_err(|e| format!("{}: {e}", f.display()))?;
            out.extend(as_list(v));
        }
        return Ok(out);
    }
    let text = read(path)?;
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Ok(as_list(v)),
        Err(_) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("{}: {e}", path.display())))
            .collect(),
    }
}

fn stem(p: &str) -> String {
    Path::new(p)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[derive(Default)]
struct Tally(HashMap<&'static str, f64>);

impl Tally {
    fn add(&mut self, k: &'static str, v: f64) {
        *self.0.entry(k).or_default() += v;
    }
    fn get(&self, k: &str) -> f64 {
        self.0.get(k).copied().unwrap_or(0.0)
    }
}

/// Score `preds` against the gold files in `gold_dir`, reading texts from `texts_dir`.
pub fn score(
    gold_dir: &Path,
    texts_dir: &Path,
    preds: &[Value],
    verbose: bool,
) -> Result<Score, String> {
    let mut gold_files: Vec<_> = std::fs::read_dir(gold_dir)
        .map_err(|e| format!("{}: {e}", gold_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    gold_files.sort();
    let by_stem: HashMap<String, &Value> = preds
        .iter()
        .map(|p| (stem(&str_of(&p["source"])), p))
        .collect();
    let mut t = Tally::default();
    let mut out = String::new();
    let mut golds: Vec<(String, Value)> = Vec::new();
    let mut plabels_by_report: Vec<(String, Vec<String>)> = Vec::new();
    let empty = serde_json::json!({"unit": {}, "initiatives": [], "metrics": []});
    for f in &gold_files {
        let gold: Value = serde_json::from_str(
            &std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?,
        )
        .map_err(|e| format!("{}: {e}", f.display()))?;
        let r = stem(&f.to_string_lossy());
        let text_path = texts_dir.join(str_of(&gold["file"]));
        let text = std::fs::read_to_string(&text_path)
            .map_err(|e| format!("{}: {e}", text_path.display()))?;
        let pred = by_stem.get(&r).copied();
        let (row, labels) = score_report(&gold, pred.unwrap_or(&empty), &text, &mut t, verbose);
        let row = if pred.is_none() {
            "unit=MISSING".to_string()
        } else {
            row
        };
        let _ = writeln!(out, "{r:<28} {row}");
        plabels_by_report.push((r.clone(), labels));
        golds.push((r, gold));
    }
    let (sl_r, sl_p, n_gold, n_pred) = shared_links(&golds, &plabels_by_report);
    let _ = writeln!(
        out,
        "shared-initiative pairs: gold {n_gold}, predicted {n_pred}"
    );
    let mut s: Vec<(&str, f64)> = vec![("reports", golds.len() as f64)];
    s.extend(
        RATIOS
            .iter()
            .map(|(k, num, den)| (*k, ratio(t.get(num), t.get(den)))),
    );
    s.push(("shared_link_recall", sl_r));
    s.push(("shared_link_precision", sl_p));
    Ok(Score {
        summary: s.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
        report: out,
    })
}

fn score_report(
    gold: &Value,
    pred: &Value,
    text: &str,
    t: &mut Tally,
    verbose: bool,
) -> (String, Vec<String>) {
    let mut detail = String::new();
    // Unit, region, year, published.
    let gu = &gold["unit"];
    let pu = &pred["unit"];
    let ok_names: HashSet<String> =
        forms(&serde_json::json!({"label": gu["name"], "accept": gu["accept"]}))
            .iter()
            .map(|s| norm(s))
            .collect();
    let unit_ok = ok_names.contains(&norm(&str_of(&pu["name"])));
    t.add("unit_ok", unit_ok as u8 as f64);
    t.add("unit_n", 1.0);
    let preg: HashSet<String> = pu["region"]
        .as_array()
        .map(|a| a.iter().map(|x| norm(&str_of(x))).collect())
        .unwrap_or_default();
    let region_ok = gu["region"]
        .as_array()
        .is_none_or(|a| a.iter().all(|g| preg.contains(&norm(&str_of(g)))));
    t.add("region_ok", region_ok as u8 as f64);
    t.add("region_n", 1.0);
    t.add(
        "year_ok",
        (pred["year"] == gold["year"] || (pred["year"].is_null() && gold["year"].is_null())) as u8
            as f64,
    );
    t.add("year_n", 1.0);
    if gold["published"].as_str().is_some_and(|s| !s.is_empty()) {
        t.add(
            "published_ok",
            (pred["published"] == gold["published"]) as u8 as f64,
        );
        t.add("published_n", 1.0);
    }
    let unit_cell = if unit_ok {
        "ok".to_string()
    } else {
        format!("X({})", str_of(&pu["name"]))
    };

    // Initiatives.
    let empty = Vec::new();
    let gitems: Vec<(&Value, HashSet<String>)> = gold["initiatives"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|i| (i, keys(&forms(i))))
        .collect();
    let mut seen = HashSet::new();
    let mut plabels = Vec::new();
    for p in pred["initiatives"].as_array().unwrap_or(&empty) {
        let label = str_of(&p["label"]);
        let k = norm(&label);
        if !k.is_empty() && seen.insert(k) {
            plabels.push(label);
        }
    }
    let mut tp = 0;
    let mut fps = Vec::new();
    for lab in &plabels {
        let pk = keys(&[lab]);
        if gitems.iter().any(|(_, gk)| !pk.is_disjoint(gk)) {
            tp += 1;
        } else {
            fps.push(lab.clone());
        }
    }
    let must: Vec<&(&Value, HashSet<String>)> =
        gitems.iter().filter(|(i, _)| i["tier"] == "must").collect();
    let found: Vec<bool> = must
        .iter()
        .map(|(_, gk)| plabels.iter().any(|l| !keys(&[l]).is_disjoint(gk)))
        .collect();
    let n_found = found.iter().filter(|&&f| f).count();
    t.add("init_tp", tp as f64);
    t.add("init_pred", plabels.len() as f64);
    t.add("init_found", n_found as f64);
    t.add("init_must", must.len() as f64);
    if verbose {
        let missed: Vec<String> = must
            .iter()
            .zip(&found)
            .filter(|(_, f)| !**f)
            .map(|((i, _), _)| str_of(&i["label"]))
            .collect();
        detail_line(&mut detail, "init_missed", &missed);
        detail_line(&mut detail, "init_fp", &fps);
    }

    // Metrics: gold offsets come from the evidence.
    struct G<'a> {
        m: &'a Value,
        key: (Option<i64>, String),
        start: Option<usize>,
        used: bool,
    }
    let mut gm: Vec<G> = gold["metrics"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|m| {
            let ev = str_of(&m["evidence"]);
            let start = text.find(&ev).map(|pos| {
                let raw_in_ev = ev
                    .find(&str_of(&m["raw"]))
                    .map_or(-1i64, |p| ev[..p].chars().count() as i64);
                (text[..pos].chars().count() as i64 + raw_in_ev) as usize
            });
            G {
                m,
                key: metric_key(&m["value"], &m["unit"]),
                start,
                used: false,
            }
        })
        .collect();
    let preds = pred["metrics"].as_array().unwrap_or(&empty);
    let mut pairs: Vec<(usize, &Value)> = Vec::new();
    let mut unmatched = Vec::new();
    for p in preds {
        let k = metric_key(&p["value"], &p["unit"]);
        let mut cands: Vec<usize> = (0..gm.len())
            .filter(|&i| !gm[i].used && gm[i].key == k)
            .collect();
        if cands.is_empty() {
            unmatched.push(str_of(&p["raw"]));
            continue;
        }
        if let Some(ps) = p["start"].as_i64() {
            cands.sort_by_key(|&i| (gm[i].start.map_or(1_000_000_000, |s| s as i64) - ps).abs());
        }
        gm[cands[0]].used = true;
        pairs.push((cands[0], p));
    }
    let mmust: Vec<usize> = (0..gm.len())
        .filter(|&i| gm[i].m["tier"] == "must")
        .collect();
    let mfound = mmust.iter().filter(|&&i| gm[i].used).count();
    t.add("met_tp", pairs.len() as f64);
    t.add("met_pred", preds.len() as f64);
    t.add("met_found", mfound as f64);
    t.add("met_must", mmust.len() as f64);
    if verbose {
        let missed: Vec<String> = mmust
            .iter()
            .filter(|&&i| !gm[i].used)
            .map(|&i| str_of(&gm[i].m["raw"]))
            .collect();
        detail_line(&mut detail, "met_missed", &missed);
        detail_line(&mut detail, "met_fp", &unmatched);
    }
    for (gi, p) in &pairs {
        let g = gm[*gi].m;
        if g["tier"] != "must" {
            continue;
        }
        let d = bigram_dice(&str_of(&p["label"]), &str_of(&g["label"]));
        t.add("label_dice", d);
        t.add("label_hit", (d >= 0.5) as u8 as f64);
        t.add("label_n", 1.0);
        if let Some(gi_label) = g["initiative"].as_str().filter(|s| !s.is_empty()) {
            t.add("link_n", 1.0);
            let item = gitems
                .iter()
                .find(|(i, _)| str_of(&i["label"]) == gi_label)
                .map_or_else(|| keys(&[gi_label]), |(_, k)| k.clone());
            let pl = str_of(&p["initiative"]);
            t.add(
                "link_ok",
                (!pl.is_empty() && !keys(&[&pl]).is_disjoint(&item)) as u8 as f64,
            );
        }
    }

    // Documents.
    let gd: HashSet<String> = gold["documents"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|d| norm(&str_of(d)))
        .collect();
    let pd: HashSet<String> = pred["documents"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|d| {
            norm(&if d.is_object() {
                str_of(&d["title"])
            } else {
                str_of(d)
            })
        })
        .collect();
    t.add("doc_tp", gd.intersection(&pd).count() as f64);
    t.add("doc_pred", pd.len() as f64);
    t.add("doc_gold", gd.len() as f64);

    // Section kinds.
    for s in gold["sections"].as_array().unwrap_or(&empty) {
        t.add("sec_n", 1.0);
        let gt = norm(&str_of(&s["title"]));
        let hit = pred["sections"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .find(|p| {
                let pt = norm(&str_of(&p["title"]));
                !pt.is_empty() && (gt.contains(&pt) || pt.contains(&gt))
            });
        t.add(
            "sec_ok",
            hit.is_some_and(|h| h["kind"] == s["kind"]) as u8 as f64,
        );
    }
    let row = format!(
        "unit={unit_cell} init={n_found}/{} must, {tp}/{} prec met={mfound}/{} must, {}/{} prec{detail}",
        must.len(),
        plabels.len(),
        mmust.len(),
        pairs.len(),
        preds.len()
    );
    (row, plabels)
}

fn detail_line(out: &mut String, name: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = write!(out, "\n    {name:<12} {}", items.join(" | "));
    }
}

/// Union-find over report items and their keys.
#[derive(Default)]
struct UnionFind(HashMap<String, String>);

impl UnionFind {
    fn find(&mut self, x: &str) -> String {
        let mut x = x.to_string();
        self.0.entry(x.clone()).or_insert_with(|| x.clone());
        while self.0[&x] != x {
            let parent = self.0[&x].clone();
            let grand = self.0.get(&parent).cloned().unwrap_or(parent.clone());
            self.0.insert(x.clone(), grand);
            x = parent;
        }
        x
    }
    fn union(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.find(a), self.find(b));
        self.0.insert(ra, rb);
    }
}

/// Recall and precision of "report A and report B share initiative X" pairs.
fn shared_links(
    golds: &[(String, Value)],
    plabels: &[(String, Vec<String>)],
) -> (f64, f64, usize, usize) {
    let mut uf = UnionFind::default();
    let mut items: Vec<(String, usize, HashSet<String>, bool)> = Vec::new();
    let empty = Vec::new();
    for (r, g) in golds {
        for (n, i) in g["initiatives"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .enumerate()
        {
            let ks = keys(&forms(i));
            for k in &ks {
                uf.union(&format!("item\u{1}{r}\u{1}{n}"), &format!("key\u{1}{k}"));
            }
            items.push((r.clone(), n, ks, i["tier"] == "must"));
        }
    }
    let ident: HashMap<(String, usize), String> = items
        .iter()
        .map(|(r, n, _, _)| ((r.clone(), *n), uf.find(&format!("item\u{1}{r}\u{1}{n}"))))
        .collect();
    let mut must_by_ident: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (r, n, _, must) in &items {
        if *must {
            let v = must_by_ident
                .entry(ident[&(r.clone(), *n)].clone())
                .or_default();
            if !v.contains(r) {
                v.push(r.clone());
            }
        }
    }
    let mut gold_pairs = HashSet::new();
    for (idn, reps) in &mut must_by_ident {
        reps.sort();
        for a in 0..reps.len() {
            for b in a + 1..reps.len() {
                gold_pairs.insert((idn.clone(), reps[a].clone(), reps[b].clone()));
            }
        }
    }
    let ident_of = |r: &str, lab: &str| -> Option<String> {
        let ks = keys(&[lab]);
        items
            .iter()
            .find(|(rr, _, gk, _)| rr == r && !ks.is_disjoint(gk))
            .map(|(rr, n, _, _)| ident[&(rr.clone(), *n)].clone())
    };
    let mut by_key: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (r, labs) in plabels {
        for lab in labs {
            let v = by_key.entry(norm(lab)).or_default();
            let e = (r.clone(), lab.clone());
            if !v.contains(&e) {
                v.push(e);
            }
        }
    }
    let (mut pred_pairs, mut pred_ok) = (0usize, 0usize);
    let mut found = HashSet::new();
    for occ in by_key.values_mut() {
        occ.sort();
        for a in 0..occ.len() {
            for b in a + 1..occ.len() {
                let ((ra, la), (rb, lb)) = (&occ[a], &occ[b]);
                if ra == rb {
                    continue;
                }
                pred_pairs += 1;
                if let (Some(ia), Some(ib)) = (ident_of(ra, la), ident_of(rb, lb))
                    && ia == ib
                {
                    pred_ok += 1;
                    let (x, y) = if ra < rb { (ra, rb) } else { (rb, ra) };
                    found.insert((ia, x.clone(), y.clone()));
                }
            }
        }
    }
    let recall = ratio(
        gold_pairs.intersection(&found).count() as f64,
        gold_pairs.len() as f64,
    );
    (
        recall,
        ratio(pred_ok as f64, pred_pairs as f64),
        gold_pairs.len(),
        pred_pairs,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_and_keys_follow_the_scorer() {
        assert_eq!(bigram_dice("调解成功率", "调解成功率"), 1.0);
        assert_eq!(bigram_dice("", "x"), 0.0);
        assert!((bigram_dice("录入人口信息", "人口信息") - 0.75).abs() < 1e-9);
        let k = keys(&["“三所联调”模式"]);
        assert!(k.contains("三所联调") && k.contains("三所联调模式"));
        assert!(keys(&["龙岭模式"]).len() == 1);
        assert_eq!(norm("ＡＢ岗 +“专业”"), "ab岗+专业");
    }
}
