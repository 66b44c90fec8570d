//! Graphviz DOT: node types as shapes and colours, weights as pen widths, attributes as
//! tooltips.

use std::io::{self, Write};

use super::Exported;

/// Fill colour and shape of each node type (the HTML page uses the same colours).
pub(crate) const STYLE: &[(&str, &str, &str)] = &[
    ("unit", "#4e79a7", "box"),
    ("initiative", "#f28e2b", "ellipse"),
    ("region", "#59a14f", "house"),
    ("year", "#b07aa1", "circle"),
    ("document", "#9c755f", "note"),
];

/// Write the graph as DOT.
pub fn write(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "graph \"fazhi-{}\" {{", g.view)?;
    writeln!(
        out,
        "  graph [layout=sfdp, overlap=prism, fontname=\"Noto Sans CJK SC\"];"
    )?;
    writeln!(
        out,
        "  node [style=filled, fontcolor=white, fontname=\"Noto Sans CJK SC\"];"
    )?;
    for n in &g.nodes {
        let (colour, shape) = STYLE
            .iter()
            .find(|(k, _, _)| *k == n.kind)
            .map_or(("#999999", "ellipse"), |(_, c, s)| (*c, *s));
        let tooltip: Vec<String> = n
            .attrs
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.lexical()))
            .collect();
        writeln!(
            out,
            "  {} [label={}, shape={shape}, fillcolor=\"{colour}\", tooltip={}];",
            quote(&n.id),
            quote(&n.label),
            quote(&tooltip.join("\n"))
        )?;
    }
    for e in &g.edges {
        let years = e
            .attrs
            .get("years")
            .map(|v| v.lexical())
            .unwrap_or_default();
        writeln!(
            out,
            "  {} -- {} [penwidth={:.1}, tooltip={}];",
            quote(&e.source),
            quote(&e.target),
            1.0 + e.weight.ln_1p(),
            quote(&format!("{} {years}", e.kind))
        )?;
    }
    writeln!(out, "}}")
}

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
