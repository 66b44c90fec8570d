//! The corpus as petgraph graphs: the knowledge graph (units, initiatives, regions, years,
//! documents) and its two projections (unit–unit by shared initiatives, initiative–initiative
//! by co-occurrence).

use std::collections::{BTreeSet, HashMap};

use petgraph::graph::{NodeIndex, UnGraph};

use super::corpus::Corpus;

/// What a node stands for; the index points into the matching [`Corpus`] list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A reporting unit.
    Unit(usize),
    /// An initiative.
    Initiative(usize),
    /// An administrative division.
    Region(usize),
    /// A year reported on.
    Year(i32),
    /// A cited document.
    Document(usize),
}

impl Node {
    /// The node type as exported (`unit`, `initiative`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Unit(_) => "unit",
            Node::Initiative(_) => "initiative",
            Node::Region(_) => "region",
            Node::Year(_) => "year",
            Node::Document(_) => "document",
        }
    }
}

/// What an edge stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Edge {
    /// A unit names an initiative: in which years, how many mentions in all.
    Adopts {
        /// Years of the reports naming it, ascending.
        years: Vec<i32>,
        /// Mentions summed over those reports.
        mentions: usize,
    },
    /// A unit lies in a region (its innermost one).
    LocatedIn,
    /// A region lies in a broader region.
    Within,
    /// A unit reported on a year.
    Reported,
    /// A unit's reports cite a document, in these years.
    Cites {
        /// Years of the citing reports, ascending.
        years: Vec<i32>,
    },
    /// Two units share initiatives (projection).
    Shared {
        /// Initiatives both name (indices into the corpus).
        via: Vec<usize>,
        /// Shared over the union of both units' initiatives.
        jaccard: f64,
    },
    /// Two initiatives are named by the same units (projection).
    CoOccurs {
        /// Units naming both.
        units: Vec<usize>,
    },
}

impl Edge {
    /// The edge type as exported.
    pub fn kind(&self) -> &'static str {
        match self {
            Edge::Adopts { .. } => "adopts",
            Edge::LocatedIn => "located-in",
            Edge::Within => "within",
            Edge::Reported => "reported",
            Edge::Cites { .. } => "cites",
            Edge::Shared { .. } => "shares-initiatives",
            Edge::CoOccurs { .. } => "co-occurs",
        }
    }

    /// The weight: evidence count, shared initiatives, common units; 1 for structure.
    pub fn weight(&self) -> f64 {
        match self {
            Edge::Adopts { years, .. } | Edge::Cites { years } => years.len().max(1) as f64,
            Edge::Shared { via, .. } => via.len() as f64,
            Edge::CoOccurs { units } => units.len() as f64,
            Edge::LocatedIn | Edge::Within | Edge::Reported => 1.0,
        }
    }

    /// Years the edge holds in, ascending (empty for timeless structure).
    pub fn years(&self) -> &[i32] {
        match self {
            Edge::Adopts { years, .. } | Edge::Cites { years } => years,
            _ => &[],
        }
    }
}

/// Which graph to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Units and the initiatives they name.
    Bipartite,
    /// Units linked by shared initiatives.
    Units,
    /// Initiatives linked by the units naming both.
    Initiatives,
    /// Everything: units, initiatives, regions, years, documents.
    All,
}

/// An undirected graph of corpus nodes.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The petgraph graph.
    pub graph: UnGraph<Node, Edge>,
    index: HashMap<Node, NodeIndex>,
}

impl Graph {
    /// The graph index of a node, if present.
    pub fn node(&self, n: Node) -> Option<NodeIndex> {
        self.index.get(&n).copied()
    }

    fn add_node(&mut self, n: Node) -> NodeIndex {
        *self
            .index
            .entry(n)
            .or_insert_with(|| self.graph.add_node(n))
    }

    fn add_edge(&mut self, a: Node, b: Node, e: Edge) {
        let (a, b) = (self.add_node(a), self.add_node(b));
        self.graph.add_edge(a, b, e);
    }

    /// Build one view of the corpus. Initiatives named by more than `hub_limit` units create no
    /// unit–unit pairs (a near-universal initiative says nothing about two units' likeness, and its
    /// pairs grow with the square of its units); 0 means no limit.
    pub fn build(corpus: &Corpus, view: View, hub_limit: usize) -> Graph {
        let mut g = Graph::default();
        match view {
            View::Bipartite => g.add_adoptions(corpus),
            View::Units => g.add_unit_projection(corpus, hub_limit),
            View::Initiatives => g.add_initiative_projection(corpus, hub_limit),
            View::All => {
                g.add_adoptions(corpus);
                g.add_structure(corpus);
            }
        }
        g
    }

    fn add_adoptions(&mut self, corpus: &Corpus) {
        for (unit, initiative, years, mentions) in unit_initiatives(corpus) {
            self.add_edge(
                Node::Unit(unit),
                Node::Initiative(initiative),
                Edge::Adopts { years, mentions },
            );
        }
        // Units that name nothing still belong in the picture.
        for u in 0..corpus.units.len() {
            self.add_node(Node::Unit(u));
        }
    }

    fn add_structure(&mut self, corpus: &Corpus) {
        for (u, unit) in corpus.units.iter().enumerate() {
            if let Some(r) = unit.region {
                self.add_edge(Node::Unit(u), Node::Region(r), Edge::LocatedIn);
            }
        }
        for (r, region) in corpus.regions.iter().enumerate() {
            if let Some(p) = region.parent {
                self.add_edge(Node::Region(r), Node::Region(p), Edge::Within);
            }
        }
        let reported: BTreeSet<(usize, i32)> = corpus
            .reports
            .iter()
            .filter_map(|r| Some((r.unit, r.year?)))
            .collect();
        for (u, y) in reported {
            self.add_edge(Node::Unit(u), Node::Year(y), Edge::Reported);
        }
        let mut cites: HashMap<(usize, usize), BTreeSet<i32>> = HashMap::new();
        for &(report, doc) in &corpus.citations {
            let r = &corpus.reports[report];
            cites.entry((r.unit, doc)).or_default().extend(r.year);
        }
        let mut cites: Vec<_> = cites.into_iter().collect();
        cites.sort_by_key(|(k, _)| *k);
        for ((u, d), years) in cites {
            self.add_edge(
                Node::Unit(u),
                Node::Document(d),
                Edge::Cites {
                    years: years.into_iter().collect(),
                },
            );
        }
    }

    fn add_unit_projection(&mut self, corpus: &Corpus, hub_limit: usize) {
        for u in 0..corpus.units.len() {
            self.add_node(Node::Unit(u));
        }
        for (a, b, via, jaccard) in unit_pairs(corpus, hub_limit) {
            self.add_edge(Node::Unit(a), Node::Unit(b), Edge::Shared { via, jaccard });
        }
    }

    fn add_initiative_projection(&mut self, corpus: &Corpus, hub_limit: usize) {
        for i in 0..corpus.initiatives.len() {
            self.add_node(Node::Initiative(i));
        }
        // A unit naming hundreds of initiatives would make pairs by the ten thousand.
        for ((a, b), units) in co_members(&initiatives_by_unit(corpus), hub_limit) {
            self.add_edge(
                Node::Initiative(a),
                Node::Initiative(b),
                Edge::CoOccurs { units },
            );
        }
    }
}

/// Unit × initiative with the years of the reports naming it and the mentions summed, sorted.
pub fn unit_initiatives(corpus: &Corpus) -> Vec<(usize, usize, Vec<i32>, usize)> {
    let mut acc: HashMap<(usize, usize), (BTreeSet<i32>, usize)> = HashMap::new();
    for (k, a) in corpus.adoptions.iter().enumerate() {
        let report = &corpus.reports[a.report()];
        let e = acc.entry((report.unit, a.initiative())).or_default();
        e.0.extend(report.year);
        e.1 += corpus.mention_count(k);
    }
    let mut out: Vec<_> = acc
        .into_iter()
        .map(|((u, i), (years, mentions))| (u, i, years.into_iter().collect(), mentions))
        .collect();
    out.sort_by_key(|(u, i, _, _)| (*u, *i));
    out
}

/// For each unit, the sorted initiatives it names.
pub fn initiatives_by_unit(corpus: &Corpus) -> Vec<Vec<usize>> {
    sets(
        corpus.units.len(),
        corpus
            .adoptions
            .iter()
            .map(|a| (corpus.reports[a.report()].unit, a.initiative())),
    )
}

/// For each initiative, the sorted units naming it.
pub fn units_by_initiative(corpus: &Corpus) -> Vec<Vec<usize>> {
    sets(
        corpus.initiatives.len(),
        corpus
            .adoptions
            .iter()
            .map(|a| (a.initiative(), corpus.reports[a.report()].unit)),
    )
}

/// For each of `n` keys, the sorted distinct values paired with it.
fn sets(n: usize, pairs: impl Iterator<Item = (usize, usize)>) -> Vec<Vec<usize>> {
    let mut sets = vec![BTreeSet::new(); n];
    for (key, value) in pairs {
        sets[key].insert(value);
    }
    sets.into_iter().map(|s| s.into_iter().collect()).collect()
}

/// Pairs (a < b) of members that share groups, with the groups they share in order, sorted by
/// pair. Groups of more than `limit` members (0: no limit) make no pairs: their pairs grow with
/// the square of their size.
fn co_members(groups: &[Vec<usize>], limit: usize) -> Vec<((usize, usize), Vec<usize>)> {
    let mut pairs: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        if limit > 0 && members.len() > limit {
            continue;
        }
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                pairs.entry((a, b)).or_default().push(g);
            }
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by_key(|(k, _)| *k);
    pairs
}

/// Pairs of units (a < b) sharing initiatives: the shared ones and the Jaccard index over the
/// units' initiative sets. Initiatives with more than `hub_limit` units (0: no limit) make no pairs.
pub fn unit_pairs(corpus: &Corpus, hub_limit: usize) -> Vec<(usize, usize, Vec<usize>, f64)> {
    let by_unit = initiatives_by_unit(corpus);
    co_members(&units_by_initiative(corpus), hub_limit)
        .into_iter()
        .map(|((a, b), via)| {
            let j = jaccard(via.len(), by_unit[a].len(), by_unit[b].len());
            (a, b, via, j)
        })
        .collect()
}

/// Jaccard index of two sets of sizes `a` and `b` sharing `shared` members.
pub fn jaccard(shared: usize, a: usize, b: usize) -> f64 {
    shared as f64 / (a + b - shared).max(1) as f64
}
