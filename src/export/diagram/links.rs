//! Who is above and below whom in the document: [`Links`].

use rustc_hash::FxHashSet;

use crate::model::{Document, Op};

/// Parents and children of every document node (the first with each id),
/// by position in the node list, in term order: what the canvas needs to
/// walk the tree and to refuse a wire that would close a cycle.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Links {
    /// Children of each node, with the edge's operator.
    pub children: Vec<Vec<(u32, Op)>>,
    /// Parents of each node.
    pub parents: Vec<Vec<u32>>,
}

impl Links {
    /// The links of `doc`: valid edges only (known ends, no self-loops,
    /// no repeats).
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn of(doc: &Document) -> Links {
        let n = doc.nodes.len();
        let mut links = Links { children: vec![Vec::new(); n], parents: vec![Vec::new(); n] };
        let mut seen: FxHashSet<(u32, u32)> = FxHashSet::default();
        for e in doc.edges.iter() {
            let (Some(p), Some(c)) = (doc.nodes.position(e.parent.as_str()), doc.nodes.position(e.child.as_str()))
            else {
                continue;
            };
            if p == c || !seen.insert((p as u32, c as u32)) {
                continue;
            }
            links.children[p].push((c as u32, e.op));
            links.parents[c].push(p as u32);
        }
        links
    }

    /// Every node above `node` (not `node` itself unless it is in a cycle).
    pub fn ancestors(&self, node: u32) -> FxHashSet<u32> {
        let mut found = FxHashSet::default();
        let mut stack = vec![node];
        while let Some(v) = stack.pop() {
            for &p in &self.parents[v as usize] {
                if found.insert(p) {
                    stack.push(p);
                }
            }
        }
        found
    }
}
