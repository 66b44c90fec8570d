//! fazhi (法治): Chinese local-government annual reports on building law-based government
//! (法治政府建设年度报告) turned into structured records and a knowledge graph.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`read`] (bytes → decoded text) → [`normalise`] (views with offset maps) → [`extract`]
//! (views → [`record::Record`]). The record is the seam between text and graph.
//! [`gazetteer`] and [`divisions`] are the data the extractors consult; [`eval`] scores records
//! against gold annotations.

pub mod divisions;
pub mod eval;
pub mod extract;
pub mod gazetteer;
pub mod normalise;
pub mod read;
pub mod record;

pub use extract::{ExtractError, Extractor};
pub use record::Record;
