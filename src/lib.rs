//! fazhi (法治): Chinese local-government annual reports on building law-based government
//! (法治政府建设年度报告) turned into structured records and a knowledge graph.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`read`] (bytes → decoded text) → [`normalise`] (views with offset maps) → [`extract`]
//! (views → [`record::Record`], the seam between text and graph) → [`rdf`] (record → quads of
//! its named graph) → [`store`] (embedded Oxigraph on disk) → [`query`] (named SPARQL queries and
//! result formats) → [`link`] (petgraph graphs, tracing, ranking, derived facts) → [`export`]
//! (GraphML, GEXF, DOT, Cytoscape.js, JSON, an HTML page); [`serve`] puts the store behind the
//! SPARQL 1.1 Protocol and [`push`] sends its graphs to other triple stores.
//! [`ingest`] drives extract → rdf → store in parallel batches.
//! [`gazetteer`] and [`divisions`] are the data the extractors consult ([`phrases`] finds their
//! names in text); [`eval`] scores records
//! against gold annotations; [`sample`] is the bundled sample corpus.

#![warn(missing_docs)]

pub mod divisions;
pub mod eval;
#[cfg(feature = "graph")]
pub mod export;
pub mod extract;
pub mod gazetteer;
#[cfg(feature = "graph")]
pub mod ingest;
#[cfg(feature = "graph")]
pub mod link;
pub mod normalise;
pub mod phrases;
#[cfg(feature = "graph")]
pub mod push;
#[cfg(feature = "graph")]
pub mod query;
#[cfg(feature = "graph")]
pub mod rdf;
pub mod read;
pub mod record;
pub mod sample;
#[cfg(feature = "graph")]
pub mod serve;
#[cfg(feature = "graph")]
pub mod store;
pub mod synth;

pub use extract::{ExtractError, Extractor};
pub use record::Record;
