//! GraphML: typed `<key>`s for every attribute, so Gephi, Cytoscape and yEd read labels,
//! types, weights and years.

use std::io::{self, Write};

use super::{Exported, Value, keys, xml_escape};

/// Write the graph as GraphML.
pub fn write(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let node_keys = keys(g.nodes.iter().map(|n| &n.attrs));
    let edge_keys = keys(g.edges.iter().map(|e| &e.attrs));
    for (name, ty) in [("label", "string"), ("type", "string"), ("start", "int")] {
        key(out, "node", name, ty)?;
    }
    for &(name, ty) in &node_keys {
        key(out, "node", name, ty)?;
    }
    for (name, ty) in [("type", "string"), ("weight", "double"), ("start", "int")] {
        key(out, "edge", name, ty)?;
    }
    for &(name, ty) in &edge_keys {
        key(out, "edge", name, ty)?;
    }
    writeln!(
        out,
        r#"  <graph id="fazhi-{}" edgedefault="undirected">"#,
        g.view
    )?;
    for n in &g.nodes {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(&n.id))?;
        data(out, "node", "label", &Value::Text(n.label.clone()))?;
        data(out, "node", "type", &Value::Text(n.kind.into()))?;
        if let Some(y) = n.start {
            data(out, "node", "start", &Value::Int(y.into()))?;
        }
        for (k, v) in &n.attrs {
            data(out, "node", k, v)?;
        }
        writeln!(out, "    </node>")?;
    }
    for e in &g.edges {
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            xml_escape(&e.id),
            xml_escape(&e.source),
            xml_escape(&e.target)
        )?;
        data(out, "edge", "type", &Value::Text(e.kind.into()))?;
        data(out, "edge", "weight", &Value::Real(e.weight))?;
        if let Some(y) = e.start {
            data(out, "edge", "start", &Value::Int(y.into()))?;
        }
        for (k, v) in &e.attrs {
            data(out, "edge", k, v)?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>\n</graphml>")
}

fn key(out: &mut impl Write, domain: &str, name: &str, ty: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"  <key id="{domain}_{name}" for="{domain}" attr.name="{name}" attr.type="{ty}"/>"#
    )
}

fn data(out: &mut impl Write, domain: &str, name: &str, v: &Value) -> io::Result<()> {
    writeln!(
        out,
        r#"      <data key="{domain}_{name}">{}</data>"#,
        xml_escape(&v.lexical())
    )
}
