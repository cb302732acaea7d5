//! The structure of a document as the evaluator needs it: ids resolved to
//! positions, valid edges grouped by parent, strongly connected components.
//! Everything here is iterative: trees of any depth are walked without
//! recursion.

use rustc_hash::{FxHashMap, FxHashSet};

use super::diagnostic::{Code, Detail, Diagnostic, EdgeRef};
use crate::model::{Document, Kind, Node, NodeId, Op, SharedIndex};

/// The address of an id's text: equal addresses are equal ids.
fn address(id: &NodeId) -> usize {
    id.0.as_ptr() as usize
}

/// Finds the node an edge end names.
///
/// An edge usually holds the very `Arc` of its node's id (the loader, the
/// generator and the editor share them), and files list a parent's edges
/// together and children near each other. So the node is first looked for by
/// address among the few after the one found last, which reads no text and
/// stays in the cache; only a miss hashes the id's text, and when misses are
/// common (edges in no particular order) a map of all addresses takes over.
struct Finder<'a> {
    /// The address of each node's id.
    addresses: Vec<usize>,
    primary: &'a [bool],
    index: &'a SharedIndex,
    by_address: Option<FxHashMap<usize, u32>>,
    misses: usize,
    lookups: usize,
}

impl Finder<'_> {
    /// How many nodes from the hint on are compared by address.
    const WINDOW: usize = 8;

    /// The first node with the id `id`; `hint` is where the last search of
    /// this kind ended, and is moved to where this one ends.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    fn find(&mut self, id: &NodeId, hint: &mut usize) -> Option<usize> {
        self.lookups += 1;
        let at = address(id);
        let end = (*hint + Self::WINDOW).min(self.addresses.len());
        let near = (*hint..end).find(|&k| self.addresses[k] == at);
        if near.is_none() {
            self.misses += 1;
            if self.by_address.is_none() && self.misses > 1024 && self.misses * 8 > self.lookups {
                let mut map = FxHashMap::with_capacity_and_hasher(self.addresses.len(), Default::default());
                for (k, &a) in self.addresses.iter().enumerate() {
                    map.entry(a).or_insert(k as u32);
                }
                self.by_address = Some(map);
            }
        }
        let by_address = || self.by_address.as_ref()?.get(&at).map(|&k| k as usize);
        let found = match near.or_else(by_address) {
            // Equal addresses are equal ids; a repeated id stands for its first node.
            Some(k) if self.primary[k] => Some(k),
            _ => self.index.get(id.as_str()),
        };
        if let Some(k) = found {
            *hint = k;
        }
        found
    }
}

/// Which parent → child pairs came before. Files list a parent's edges
/// together, and while each parent's edges are one run, a pair is a repeat
/// exactly when its child's latest parent is this one: two arrays, no
/// hashing. A parent that comes back after another's edges switches to a set
/// of every pair.
struct Repeats {
    /// Per child: the parent of its latest edge.
    last_parent: Vec<u32>,
    /// Per parent: its edges have begun.
    begun: Vec<bool>,
    /// The parent of the current run.
    current: u32,
    /// Every pair, once runs no longer tell.
    set: Option<FxHashSet<(u32, u32)>>,
}

impl Repeats {
    fn new(n: usize) -> Repeats {
        Repeats { last_parent: vec![u32::MAX; n], begun: vec![false; n], current: u32::MAX, set: None }
    }

    /// True the first time `p → c` is seen; `earlier` holds every pair seen
    /// before (the valid links so far).
    fn first(&mut self, p: u32, c: u32, earlier: &[(u32, Link)]) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert((p, c));
        }
        if p != self.current {
            if self.begun[p as usize] {
                // Back to an earlier parent: runs no longer tell.
                let mut set: FxHashSet<(u32, u32)> = earlier.iter().map(|(q, l)| (*q, l.child)).collect();
                let new = set.insert((p, c));
                self.set = Some(set);
                return new;
            }
            self.begun[p as usize] = true;
            self.current = p;
        }
        let slot = &mut self.last_parent[c as usize];
        if *slot == p {
            return false;
        }
        *slot = p;
        true
    }
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
    /// Id → position of the first node with that id (the document's own).
    pub index: SharedIndex,
    /// False for the second and later nodes sharing an id.
    pub primary: Vec<bool>,
    /// Valid edges grouped by parent, in file order (`links[start[p]..start[p+1]]`).
    start: Vec<u32>,
    links: Vec<Link>,
    /// Number of distinct valid parents of each node.
    pub parent_count: Vec<u32>,
    /// The kind of each node, at hand without visiting the node.
    pub kinds: Vec<Kind>,
    /// True for each node with a fixed number (`constant`), at hand likewise.
    pub constant: Vec<bool>,
    /// True when every valid edge goes from a node to a later one, as in
    /// files written top-down: then there is no cycle, and nodes in reverse
    /// file order are already in an order to compute them.
    forward: bool,
}

impl Graph {
    /// Resolves ids and edges, reporting `duplicate_id`, `unknown_node`,
    /// `self_loop`, `duplicate_edge` and `kind_order`.
    ///
    /// `visit` sees each node in file order with whether it is the first with
    /// its id: a caller that needs to read every node does it here, while the
    /// node's texts are in the cache anyway.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn build<'d>(
        doc: &'d Document,
        out: &mut Vec<Diagnostic>,
        mut visit: impl FnMut(usize, &'d Node, bool),
    ) -> Graph {
        let n = doc.nodes.len();
        let index = doc.nodes.shared_index();
        // Ids are looked up one by one only when some are repeated.
        let unique = index.len() == n;
        let mut addresses = Vec::with_capacity(n);
        let mut primary = vec![true; n];
        let mut kinds = Vec::with_capacity(n);
        let mut constant = Vec::with_capacity(n);
        let mut dup_count: FxHashMap<usize, usize> = FxHashMap::default();
        for (i, node) in doc.nodes.iter().enumerate() {
            kinds.push(node.kind);
            constant.push(node.constant.is_some());
            addresses.push(address(&node.id));
            if !unique && let Some(first) = index.get(node.id.as_str()).filter(|&first| first != i) {
                primary[i] = false;
                *dup_count.entry(first).or_insert(1) += 1;
            }
            visit(i, node, primary[i]);
        }
        let mut find = Finder { addresses, primary: &primary, index: &index, by_address: None, misses: 0, lookups: 0 };
        let (mut parent_hint, mut child_hint) = (0, 0);
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
        let mut seen = Repeats::new(n);
        let mut parent_count = vec![0u32; n];
        let mut forward = true;
        for (ei, e) in doc.edges.iter().enumerate() {
            let edge_ref = || Some(EdgeRef { parent: e.parent.clone(), child: e.child.clone() });
            let p = find.find(&e.parent, &mut parent_hint);
            let c = find.find(&e.child, &mut child_hint);
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
            if !seen.first(p as u32, c as u32, &valid) {
                out.push(diag(Code::DuplicateEdge, Detail::None));
                continue;
            }
            let (pk, ck) = (kinds[p], kinds[c]);
            if ck.may_be_term_of(pk).is_err() {
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
            forward &= p < c;
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
        Graph { index, primary, start, links, parent_count, kinds, constant, forward }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.primary.len()
    }

    /// The arithmetic child edges of `node`: its terms, in order.
    pub fn terms(&self, node: usize) -> impl Iterator<Item = Link> + '_ {
        self.children(node).iter().copied().filter(|l| l.op.is_arithmetic())
    }

    /// The valid child edges of `node`, in term order.
    pub fn children(&self, node: usize) -> &[Link] {
        &self.links[self.start[node] as usize..self.start[node + 1] as usize]
    }

    /// Strongly connected components in an order where every component comes
    /// after all components it reaches: children before parents, the order
    /// in which values can be computed. Tarjan's algorithm with an explicit
    /// stack.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn components(&self) -> Components {
        const UNSEEN: u32 = u32::MAX;
        let n = self.len();
        if self.forward {
            // Every node is its own component, and the last comes first:
            // the same values as Tarjan's order, visiting memory in order.
            let last = n as u32;
            return Components {
                members: (0..last).rev().collect(),
                start: (0..=last).collect(),
                of: (0..last).rev().collect(),
            };
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of one parent, parents coming back, repeats inside and across
    /// runs: `Repeats` says what a set of every pair says.
    #[test]
    fn repeats_agree_with_a_set_of_every_pair() {
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) % m) as u32
        };
        for case in 0..200 {
            let n = 2 + next(12);
            let mut repeats = Repeats::new(n as usize);
            let mut set = FxHashSet::default();
            let mut valid: Vec<(u32, Link)> = Vec::new();
            let mut p = next(u64::from(n));
            for _ in 0..next(40) {
                // Mostly the same parent as before, as files list them.
                if next(4) == 0 || case % 2 == 0 {
                    p = next(u64::from(n));
                }
                let c = next(u64::from(n));
                let first = repeats.first(p, c, &valid);
                assert_eq!(first, set.insert((p, c)), "case {case}: {p} → {c}");
                if first {
                    valid.push((p, Link { child: c, op: Op::Add, edge: 0 }));
                }
            }
        }
    }
}
