//! The structure of a document as the evaluator needs it: ids resolved to
//! positions, valid edges grouped by parent, strongly connected components.
//! Everything here is iterative: trees of any depth are walked without
//! recursion.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap, FxHashSet};

use super::diagnostic::{Code, Detail, Diagnostic, EdgeRef};
use crate::model::{Document, Kind, NodeId, Op};

/// The address of an id's text: equal addresses are equal ids.
fn address(id: &NodeId) -> usize {
    id.0.as_ptr() as usize
}

/// A valid edge: both ends exist, it is not a self-loop nor a repeat.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Link {
    pub child: u32,
    pub op: Op,
    pub edge: u32,
}

/// The resolved structure of a document.
pub(crate) struct Graph {
    /// Id → position of the first node with that id.
    pub index: FxHashMap<NodeId, usize>,
    /// False for the second and later nodes sharing an id.
    pub primary: Vec<bool>,
    /// Valid edges grouped by parent, in file order (`links[start[p]..start[p+1]]`).
    start: Vec<u32>,
    links: Vec<Link>,
    /// Number of distinct valid parents of each node.
    pub parent_count: Vec<u32>,
}

impl Graph {
    /// Resolves ids and edges, reporting `duplicate_id`, `unknown_node`,
    /// `self_loop`, `duplicate_edge` and `kind_order`.
    pub fn build(doc: &Document, out: &mut Vec<Diagnostic>) -> Graph {
        let n = doc.nodes.len();
        let mut index: FxHashMap<NodeId, usize> = FxHashMap::with_capacity_and_hasher(n, Default::default());
        // The same ids by address: an edge usually holds the very `Arc` of
        // its node's id (the loader and the editor share them), and finding
        // it by address reads no text, which on a large document is most of
        // the time spent here.
        let mut by_address: FxHashMap<usize, u32> = FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut primary = vec![true; n];
        let mut kinds = Vec::with_capacity(n);
        let mut dup_count: FxHashMap<usize, usize> = FxHashMap::default();
        for (i, node) in doc.nodes.iter().enumerate() {
            kinds.push(node.kind);
            let first = match index.entry(node.id.clone()) {
                Entry::Occupied(entry) => {
                    let first = *entry.get();
                    primary[i] = false;
                    *dup_count.entry(first).or_insert(1) += 1;
                    first
                }
                Entry::Vacant(entry) => *entry.insert(i),
            };
            by_address.insert(address(&node.id), first as u32);
        }
        let find = |id: &NodeId| match by_address.get(&address(id)) {
            Some(&i) => Some(i as usize),
            None => index.get(id).copied(),
        };
        let mut firsts: Vec<_> = dup_count.into_iter().collect();
        firsts.sort_unstable();
        for (first, count) in firsts {
            let node = &doc.nodes[first];
            out.push(Diagnostic {
                code: Code::DuplicateId,
                node: Some(node.id.clone()),
                name: node.name.clone(),
                edge: None,
                detail: Detail::Count(count),
            });
        }

        let mut valid: Vec<(u32, Link)> = Vec::with_capacity(doc.edges.len());
        let mut seen: FxHashSet<(u32, u32)> = FxHashSet::with_capacity_and_hasher(doc.edges.len(), Default::default());
        let mut parent_count = vec![0u32; n];
        for (ei, e) in doc.edges.iter().enumerate() {
            let edge_ref = || Some(EdgeRef { parent: e.parent.clone(), child: e.child.clone() });
            let p = find(&e.parent);
            let c = find(&e.child);
            for (end, found) in [(&e.parent, p), (&e.child, c)] {
                if found.is_none() {
                    out.push(Diagnostic {
                        code: Code::UnknownNode,
                        node: Some(end.clone()),
                        name: String::new(),
                        edge: edge_ref(),
                        detail: Detail::Missing(end.clone()),
                    });
                }
            }
            let (Some(p), Some(c)) = (p, c) else { continue };
            let node = &doc.nodes[p];
            let diag = |code, detail| Diagnostic {
                code,
                node: Some(node.id.clone()),
                name: node.name.clone(),
                edge: edge_ref(),
                detail,
            };
            if p == c {
                out.push(diag(Code::SelfLoop, Detail::None));
                continue;
            }
            if !seen.insert((p as u32, c as u32)) {
                out.push(diag(Code::DuplicateEdge, Detail::None));
                continue;
            }
            let (pk, ck) = (kinds[p], kinds[c]);
            if ck == Kind::Kgi || (ck == Kind::Ksf && pk == Kind::Kpi) {
                let child = &doc.nodes[c];
                out.push(Diagnostic {
                    code: Code::KindOrder,
                    node: Some(child.id.clone()),
                    name: child.name.clone(),
                    edge: edge_ref(),
                    detail: Detail::Kinds(pk, ck),
                });
            }
            parent_count[c] += 1;
            valid.push((p as u32, Link { child: c as u32, op: e.op, edge: ei as u32 }));
        }

        // Counting sort by parent, stable, so each parent's terms keep file order.
        let mut start = vec![0u32; n + 1];
        for (p, _) in &valid {
            start[*p as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let placeholder = Link { child: 0, op: Op::Link, edge: 0 };
        let mut links = vec![placeholder; valid.len()];
        for (p, link) in valid {
            let slot = &mut fill[p as usize];
            links[*slot as usize] = link;
            *slot += 1;
        }
        Graph { index, primary, start, links, parent_count }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.primary.len()
    }

    /// The valid child edges of `node`, in term order.
    pub fn children(&self, node: usize) -> &[Link] {
        &self.links[self.start[node] as usize..self.start[node + 1] as usize]
    }

    /// Strongly connected components in an order where every component comes
    /// after all components it reaches: children before parents, the order
    /// in which values can be computed. Tarjan's algorithm with an explicit
    /// stack.
    pub fn components(&self) -> Components {
        const UNSEEN: u32 = u32::MAX;
        let n = self.len();
        let mut order = vec![UNSEEN; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut next = 0u32;
        let mut comps = Components { members: Vec::with_capacity(n), start: vec![0], of: vec![0; n] };
        for root in 0..n {
            if order[root] != UNSEEN {
                continue;
            }
            call.push((root as u32, 0));
            order[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root as u32);
            on_stack[root] = true;
            while let Some(&mut (v, ref mut k)) = call.last_mut() {
                let v = v as usize;
                let children = self.children(v);
                if let Some(link) = children.get(*k as usize) {
                    *k += 1;
                    let w = link.child as usize;
                    if order[w] == UNSEEN {
                        order[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w as u32);
                        on_stack[w] = true;
                        call.push((w as u32, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(order[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    let p = parent as usize;
                    low[p] = low[p].min(low[v]);
                }
                if low[v] == order[v] {
                    let id = comps.start.len() as u32 - 1;
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comps.of[w as usize] = id;
                        comps.members.push(w);
                        if w as usize == v {
                            break;
                        }
                    }
                    comps.start.push(comps.members.len() as u32);
                }
            }
        }
        comps
    }
}

/// Strongly connected components, children first.
pub(crate) struct Components {
    members: Vec<u32>,
    start: Vec<u32>,
    /// The component of each node.
    pub of: Vec<u32>,
}

impl Components {
    /// Number of components.
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// The nodes of component `c`.
    pub fn members(&self, c: usize) -> &[u32] {
        &self.members[self.start[c] as usize..self.start[c + 1] as usize]
    }
}
