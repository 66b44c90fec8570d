//! JSON exports: node-link (`{"nodes": […], "edges": […]}`) and Cytoscape.js elements.

use std::io::{self, Write};

use serde_json::{Map, Value as Json, json};

use std::collections::BTreeMap;

use super::{Exported, Value};

/// Write the node-link JSON.
pub fn write_node_link(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, g)?;
    writeln!(out)
}

/// Write Cytoscape.js elements (`{"elements": {"nodes": [{"data": …}], "edges": […]}}`).
pub fn write_cytoscape(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    let nodes: Vec<Json> = g
        .nodes
        .iter()
        .map(|n| {
            let fixed = [
                ("id", json!(n.id)),
                ("label", json!(n.label)),
                ("type", json!(n.kind)),
            ];
            element(fixed, n.start, &n.attrs, &[])
        })
        .collect();
    let edges: Vec<Json> = g
        .edges
        .iter()
        .map(|e| {
            let fixed = [
                ("id", json!(e.id)),
                ("source", json!(e.source)),
                ("target", json!(e.target)),
                ("type", json!(e.kind)),
                ("weight", json!(e.weight)),
            ];
            element(fixed, e.start, &e.attrs, &e.evidence)
        })
        .collect();
    serde_json::to_writer_pretty(
        &mut *out,
        &json!({ "format_version": "1.0", "generated_by": "fazhi", "elements": { "nodes": nodes, "edges": edges } }),
    )?;
    writeln!(out)
}

/// One Cytoscape.js element: `{"data": {fixed fields, start, attributes, evidence}}`.
fn element<const N: usize>(
    fixed: [(&str, Json); N],
    start: Option<i32>,
    attrs: &BTreeMap<&'static str, Value>,
    evidence: &[String],
) -> Json {
    let mut data: Map<String, Json> = fixed.into_iter().map(|(k, v)| (k.into(), v)).collect();
    if let Some(y) = start {
        data.insert("start".into(), json!(y));
    }
    for (k, v) in attrs {
        data.insert((*k).into(), json!(v));
    }
    if !evidence.is_empty() {
        data.insert("evidence".into(), json!(evidence));
    }
    json!({ "data": data })
}
