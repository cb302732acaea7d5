//! Writes the generated tree that `benches/export.rs` draws (300 nodes, seed
//! 11) as a kpitree file and as Graphviz DOT with the same labels, for
//! `benches/compare-dot.sh`.
//!
//! `cargo run --release --no-default-features --example tree_to_dot -- OUT_DIR`

use std::fmt::Write as _;

use kpitree::evaluate;
use kpitree::format::format_number;
use kpitree::model::generate;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_owned());
    let doc = generate::tree(300, 11);
    let eval = evaluate(&doc);
    kpitree::io::save(&std::path::Path::new(&dir).join("tree300.kpitree.json"), &doc).expect("writes the tree");
    let mut dot = String::from(
        "digraph kpi {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"BIZ UDPGothic\"];\n",
    );
    for node in &doc.nodes {
        let v = eval.get(&node.id).copied().unwrap_or_default();
        let num = |x: Option<f64>| x.map_or("—".to_owned(), format_number);
        let _ = writeln!(
            dot,
            "  \"{}\" [label=\"{}\\n目標 {} {}\\n実績 {} {}\"];",
            node.id,
            node.name.replace('"', "'"),
            num(v.target),
            node.unit_str(),
            num(v.actual),
            node.unit_str()
        );
    }
    for e in &doc.edges {
        let _ = writeln!(dot, "  \"{}\" -> \"{}\" [label=\"{}\"];", e.parent, e.child, e.op.symbol());
    }
    dot.push_str("}\n");
    std::fs::write(std::path::Path::new(&dir).join("tree300.dot"), dot).expect("writes the DOT file");
}
