//! The document made from an outline's lines: nodes and their kinds, the
//! edges under each parent, `@name` lines joined to the nodes they name,
//! and every problem on the way.

use rustc_hash::FxHashMap;

use super::line::Line;
use super::{At, MAX_REPORTED, OutlineError, OutlineErrors, Problem};
use crate::model::{Document, Edge, Kind, Node, NodeId, Op};

/// Builds the document from the lines read, or reports every problem.
pub(super) fn finish(
    lines: Vec<Line>,
    mut errors: Vec<OutlineError>,
    title: Option<String>,
) -> Result<Document, OutlineErrors> {
    if lines.is_empty() && errors.is_empty() {
        errors.push(OutlineError { at: At::Line { line: 1, column: 1 }, problem: Problem::Empty });
    }
    // Names of the lines that define nodes: `@name` finds its line here.
    // (Nodes are made in the order of the lines that define them.)
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    for (node, l) in lines.iter().filter(|l| !l.reference).enumerate() {
        by_name.entry(l.name.as_str()).and_modify(|e| *e = None).or_insert(Some(node));
    }
    let mut doc = Document::new();
    doc.title = title;
    // Per line: the node it is (its own, or the one it names).
    let mut node_of: Vec<usize> = Vec::with_capacity(lines.len());
    let mut kinds: Vec<Kind> = Vec::with_capacity(lines.len());
    let mut counters = [0usize; 3];
    // Open lines: (indentation, line).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut parent_of: Vec<Option<usize>> = vec![None; lines.len()];
    for (i, l) in lines.iter().enumerate() {
        while stack.last().is_some_and(|&(w, _)| w >= l.width) {
            stack.pop();
        }
        let parent = stack.last().map(|&(_, p)| p);
        parent_of[i] = parent;
        let at = l.at.unwrap_or(At::Line { line: 1, column: 1 });
        if parent.is_some_and(|p| lines[p].reference) {
            // Terms of a node go under the line that defines it.
            errors.push(OutlineError { at, problem: Problem::BadReference });
        }
        if l.reference {
            let target = match by_name.get(l.name.as_str()) {
                None => Err(Problem::NoSuchNode(l.name.clone())),
                Some(None) => Err(Problem::Ambiguous(l.name.clone())),
                Some(Some(_)) if parent.is_none() => Err(Problem::BadReference),
                Some(&Some(t)) => Ok(t),
            };
            match target {
                Ok(t) => node_of.push(t),
                Err(problem) => {
                    errors.push(OutlineError { at, problem });
                    node_of.push(usize::MAX);
                }
            }
            kinds.push(Kind::Kpi);
        } else {
            let parent_kind = parent.map(|p| kinds[p]);
            let kind = kind_of(l, parent_kind);
            kinds.push(kind);
            let k = match kind {
                Kind::Kgi => 0,
                Kind::Ksf => 1,
                Kind::Kpi => 2,
            };
            counters[k] += 1;
            let id = format!("{}{}", ["kgi", "ksf", "kpi"][k], counters[k]);
            let mut node = Node::new(id, kind, l.name.clone());
            node.unit = l.unit.clone();
            node.target = l.target;
            node.actual = l.actual;
            node.constant = l.constant;
            node_of.push(doc.nodes.len());
            doc.nodes.push(node);
        }
        stack.push((l.width, i));
    }
    // Kinds of referenced nodes are their own lines' kinds.
    for (i, l) in lines.iter().enumerate() {
        if l.reference && node_of[i] != usize::MAX {
            kinds[i] = doc.nodes[node_of[i]].kind;
        }
    }
    for (i, l) in lines.iter().enumerate() {
        let Some(p) = parent_of[i] else { continue };
        let (pn, cn) = (node_of[p], node_of[i]);
        if pn == usize::MAX || cn == usize::MAX {
            continue;
        }
        let child_kind = doc.nodes[cn].kind;
        let op = l.op.unwrap_or(if child_kind == Kind::Ksf || kinds[p] == Kind::Ksf { Op::Link } else { Op::Add });
        let edge = Edge::new(doc.nodes[pn].id.clone(), doc.nodes[cn].id.clone(), op);
        doc.edges.push(edge);
    }
    if errors.is_empty()
        && let Some(line) = cycle_line(&doc, &lines, &node_of)
    {
        let l = &lines[line];
        errors.push(OutlineError {
            at: l.at.unwrap_or(At::Line { line: 1, column: 1 }),
            problem: Problem::Cycle(l.name.clone()),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| match e.at {
            At::Line { line, column } => (line, column),
            At::Cell { row, column, .. } => (row, column),
        });
        errors.truncate(MAX_REPORTED);
        return Err(OutlineErrors(errors));
    }
    Ok(doc)
}

/// The kind of a line: its tag; else a goal at the top; under a KPI a KPI
/// (a KSF is never below an indicator); else a KSF when it has neither a
/// unit nor a value (a success factor is not measured), else a KPI.
fn kind_of(l: &Line, parent: Option<Kind>) -> Kind {
    if let Some(tag) = l.tag {
        return tag;
    }
    match parent {
        None => Kind::Kgi,
        Some(Kind::Kpi) => Kind::Kpi,
        Some(_) if l.unit.is_none() && l.target.is_none() && l.actual.is_none() && l.constant.is_none() => Kind::Ksf,
        Some(_) => Kind::Kpi,
    }
}

/// The first `@name` line that closes a cycle, if any (Kahn's algorithm:
/// the nodes left over lie on or below a cycle; the reference lines among
/// them are reported).
fn cycle_line(doc: &Document, lines: &[Line], node_of: &[usize]) -> Option<usize> {
    let n = doc.nodes.len();
    let index: FxHashMap<&NodeId, usize> = doc.nodes.iter().enumerate().map(|(i, node)| (&node.id, i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for e in doc.edges.iter() {
        let (p, c) = (index[&e.parent], index[&e.child]);
        children[p].push(c);
        indegree[c] += 1;
    }
    let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut done = vec![false; n];
    while let Some(v) = ready.pop() {
        done[v] = true;
        for &c in &children[v] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                ready.push(c);
            }
        }
    }
    (0..lines.len()).find(|&i| lines[i].reference && node_of[i] != usize::MAX && !done[node_of[i]])
}
