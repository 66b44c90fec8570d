//! GEXF 1.2: a dynamic graph whose nodes and edges start in the year they are first reported,
//! so Gephi's timeline plays adoption over time.

use std::io::{self, Write};

use std::collections::BTreeMap;

use super::{Exported, Value, keys, xml_escape};

/// Write the graph as GEXF.
pub fn write(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">"#
    )?;
    writeln!(
        out,
        "  <meta><creator>fazhi</creator><description>法治政府建设年度报告: {} graph; nodes and edges start in the year first reported</description></meta>",
        g.view
    )?;
    // Years as dates: Gephi's timeline then labels its axis with years.
    writeln!(
        out,
        r#"  <graph mode="dynamic" defaultedgetype="undirected" timeformat="date">"#
    )?;
    let node_keys = keys(g.nodes.iter().map(|n| &n.attrs));
    let edge_keys = keys(g.edges.iter().map(|e| &e.attrs));
    attributes(out, "node", &[("type", "string")], &node_keys)?;
    attributes(out, "edge", &[("type", "string")], &edge_keys)?;
    writeln!(out, r#"    <nodes count="{}">"#, g.nodes.len())?;
    for n in &g.nodes {
        writeln!(
            out,
            r#"      <node id="{}" label="{}"{}>"#,
            xml_escape(&n.id),
            xml_escape(&n.label),
            start(n.start)
        )?;
        attvalues(out, n.kind, &n.attrs)?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, r#"    <edges count="{}">"#, g.edges.len())?;
    for e in &g.edges {
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" weight="{}"{}>"#,
            xml_escape(&e.id),
            xml_escape(&e.source),
            xml_escape(&e.target),
            e.weight,
            start(e.start)
        )?;
        attvalues(out, e.kind, &e.attrs)?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>\n  </graph>\n</gexf>")
}

fn start(year: Option<i32>) -> String {
    year.map_or(String::new(), |y| format!(r#" start="{y:04}-01-01""#))
}

fn attributes(
    out: &mut impl Write,
    class: &str,
    fixed: &[(&str, &str)],
    keys: &[(&str, &str)],
) -> io::Result<()> {
    writeln!(out, r#"    <attributes class="{class}" mode="static">"#)?;
    for (name, ty) in fixed.iter().chain(keys) {
        writeln!(
            out,
            r#"      <attribute id="{name}" title="{name}" type="{ty}"/>"#
        )?;
    }
    writeln!(out, "    </attributes>")
}

/// The type attribute, then the named ones.
fn attvalues(
    out: &mut impl Write,
    kind: &str,
    attrs: &BTreeMap<&'static str, Value>,
) -> io::Result<()> {
    writeln!(out, "        <attvalues>")?;
    let values = std::iter::once(("type", kind.to_string()))
        .chain(attrs.iter().map(|(k, v)| (*k, v.lexical())));
    for (k, v) in values {
        writeln!(
            out,
            r#"          <attvalue for="{k}" value="{}"/>"#,
            xml_escape(&v)
        )?;
    }
    writeln!(out, "        </attvalues>")
}
