use std::sync::Arc;
use kpitree::eval::Which;
use kpitree::eval::analysis::Analyzer;
use kpitree::eval::attribution::Method;
use kpitree::model::{Document, Edge, Kind, Node, NodeId, Op};

fn flat(n: usize) -> Document {
    let mut d = Document::default();
    let mut goal = Node::new(NodeId::from("g"), Kind::Kgi, "goal");
    goal.unit = Some("件".into());
    d.nodes.push(goal);
    for i in 0..n {
        let id = NodeId::from(format!("t{i}").as_str());
        let mut t = Node::new(id.clone(), Kind::Kpi, format!("term {i}"));
        t.unit = Some("件".into());
        t.target = Some(10.0);
        t.actual = Some(9.0 + (i % 3) as f64);
        d.nodes.push(t);
        d.edges.push(Edge::new(NodeId::from("g"), id, Op::Add));
    }
    d
}

fn main() {
    let doc = Arc::new(flat(40_000));
    let mode = std::env::args().nth(1).unwrap_or_default();
    let t = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..100 {
        if mode == "check" {
            total += kpitree::evaluate(&doc).diagnostics.len();
        } else {
            let a = Analyzer::shared(Arc::clone(&doc));
            total += a.bottlenecks().len();
            total += a.attribution(Method::Shapley).unwrap().len();
            total += a.sensitivity(10.0, Which::Actual).len();
        }
    }
    eprintln!("{mode} {:?} per run ({total})", t.elapsed() / 100);
}
