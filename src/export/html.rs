//! A single self-contained HTML page: the graph as JSON inside the page, a force layout on a
//! canvas, search, node-type colours and a side panel with evidence. No network at view time.

use std::io::{self, Write};

use serde_json::json;

use super::dot::STYLE;
use super::{Exported, script_json};

const PAGE: &str = include_str!("page/page.html");
const CSS: &str = include_str!("page/page.css");
const JS: &str = include_str!("page/page.js");

/// Write the page.
pub fn write(g: &Exported, out: &mut impl Write) -> io::Result<()> {
    let styles: Vec<[&str; 2]> = STYLE.iter().map(|(k, c, _)| [*k, *c]).collect();
    let data = script_json(&json!({ "graph": g, "styles": styles }));
    let page = PAGE
        .replace("__VIEW__", g.view)
        .replace("__CSS__", CSS.trim_end())
        .replace("__JS__", JS.trim_end());
    // The data goes in last, so that nothing in it is mistaken for a placeholder.
    let (head, tail) = page
        .split_once("__DATA__")
        .expect("the page template has a data placeholder");
    out.write_all(head.as_bytes())?;
    out.write_all(data.as_bytes())?;
    out.write_all(tail.as_bytes())
}
