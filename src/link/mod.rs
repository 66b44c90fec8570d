//! Stage 6 — link: the store read back (through SPARQL) as petgraph graphs, and what users ask
//! of them: who else names an initiative and since when ([`trace`]), which initiatives are shared
//! ([`analysis::shared`]), how two units connect ([`analysis::path`]), which nodes matter
//! ([`analysis::rank`]), which labels may be variants ([`aliases`]); and the derived facts
//! written back into their own named graph ([`derived`]).

pub mod aliases;
pub mod analysis;
pub mod corpus;
pub mod derived;
pub mod descriptions;
pub mod graph;
pub mod trace;

pub use corpus::Corpus;
use descriptions::Descriptions;
pub use graph::{Graph, Node, View};

use crate::store::{Store, StoreError};

/// Recompute the derived facts of a store and replace their graph; returns the quads written.
pub fn relink(store: &Store) -> Result<usize, StoreError> {
    relink_from(store, None)
}

/// [`relink`], with the structure taken from `written` when given: the descriptions of every
/// report graph in the store, as an ingest into an empty store wrote them
/// ([`descriptions::Descriptions::observe`]), so that nothing is read back.
pub fn relink_from(store: &Store, written: Option<Descriptions>) -> Result<usize, StoreError> {
    let corpus = match written {
        Some(described) => Corpus::from_descriptions(store, described)?,
        None => Corpus::load_structure(store)?,
    };
    store.replace_graphs(&[derived::DERIVED_GRAPH], derived::derived_quads(&corpus))
}
