//! Building a diagram: which cards are shown, their measured cards (reused
//! from the [`CardCache`] where nothing changed), the tidy layout or the
//! user's positions, and the wires.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::cache::Shape;
use super::route::{bounds_of, free_route, place_free, wire};
use super::{AnalysisMarks, Card, CardCache, Diagram, DiagramOptions, Links};
use crate::eval::{Evaluation, NodeValue, Severity};
use crate::export::measure::{Measure, metrics as m};
use crate::layout::{Graph, Spacing, tidy};
use crate::model::{Document, Kind, LayoutMode, Node, NodeId, Op};

/// The trend line of the node at `i`, when the evaluation is of this
/// document and the node has values per period.
fn trend_of(
    eval: &Evaluation,
    i: usize,
    by_position: bool,
    opts: &DiagramOptions,
) -> Option<crate::eval::period::Trend> {
    if !by_position || !opts.values {
        return None;
    }
    eval.periods()?.trend(i, opts.shown)
}

/// The analysis marks of `node` on its card.
#[allow(clippy::cast_possible_truncation, reason = "the rank is clamped to u8::MAX first")]
fn mark(c: &mut Card, node: &Node, marks: Option<&AnalysisMarks>) {
    if let Some(mark) = marks.and_then(|m| m.get(&node.id)) {
        c.marks.bottleneck = mark.bottleneck.map(|r| r.min(u8::MAX as usize) as u8);
        c.marks.overridden = mark.overridden;
    }
}

/// Errors and warnings that concern the node.
fn findings(eval: &Evaluation, id: &NodeId) -> (u32, u32) {
    let (mut errors, mut warnings) = (0, 0);
    for d in eval.diagnostics_of(id) {
        match d.severity() {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Info => {}
        }
    }
    (errors, warnings)
}

/// Which nodes are shown: those under `root` (or all), less what collapsed
/// nodes fold away. Also, for each shown collapsed node, how many it hides.
#[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
fn visible(doc: &Document, links: &Links, root: Option<usize>) -> (Vec<bool>, FxHashMap<u32, usize>) {
    let n = doc.nodes.len();
    let primary: Vec<bool> = (0..n).map(|i| doc.nodes.position(doc.nodes[i].id.as_str()) == Some(i)).collect();
    let starts: Vec<u32> = match root {
        Some(r) => vec![r as u32],
        None => (0..n as u32).filter(|&i| primary[i as usize] && links.parents[i as usize].is_empty()).collect(),
    };
    // Reached from the starts without opening collapsed nodes.
    let mut shown = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    for &s in &starts {
        if !shown[s as usize] {
            shown[s as usize] = true;
            stack.push(s);
        }
    }
    while let Some(v) = stack.pop() {
        if doc.nodes[v as usize].collapsed {
            continue;
        }
        for &(c, _) in &links.children[v as usize] {
            if !shown[c as usize] {
                shown[c as usize] = true;
                stack.push(c);
            }
        }
    }
    if root.is_none() {
        // Nodes caught in cycles with no root above them: shown, unless a
        // collapsed node folds them away.
        let mut folded = vec![false; n];
        for (v, children) in links.children.iter().enumerate() {
            if shown[v] && doc.nodes[v].collapsed {
                stack.extend(children.iter().map(|&(c, _)| c));
            }
        }
        while let Some(v) = stack.pop() {
            if !folded[v as usize] && !shown[v as usize] {
                folded[v as usize] = true;
                stack.extend(links.children[v as usize].iter().map(|&(c, _)| c));
            }
        }
        for v in 0..n {
            if primary[v] && !shown[v] && !folded[v] {
                shown[v] = true;
            }
        }
    }
    for (v, p) in primary.iter().enumerate() {
        shown[v] &= *p;
    }
    // How many nodes each shown collapsed node hides.
    let mut hidden = FxHashMap::default();
    let mut mark = vec![u32::MAX; n];
    for v in 0..n {
        if !(shown[v] && doc.nodes[v].collapsed) {
            continue;
        }
        let mut count = 0;
        stack.clear();
        stack.push(v as u32);
        while let Some(w) = stack.pop() {
            for &(c, _) in &links.children[w as usize] {
                if !shown[c as usize] && mark[c as usize] != v as u32 {
                    mark[c as usize] = v as u32;
                    count += 1;
                    stack.push(c);
                }
            }
        }
        hidden.insert(v as u32, count);
    }
    (shown, hidden)
}

impl Diagram {
    /// The diagram of `doc` as `opts` asks, with the analysis `marks` on
    /// the cards when given.
    pub fn build(doc: &Document, eval: &Evaluation, opts: &DiagramOptions, marks: Option<&AnalysisMarks>) -> Diagram {
        let mut cache = CardCache::default();
        let d = Diagram::build_reusing(doc, eval, opts, marks, &mut cache);
        // The cache's share goes with it, so the diagram is not copied.
        drop(cache);
        Arc::unwrap_or_clone(d)
    }

    /// [`Diagram::build`], measuring again only the cards whose node,
    /// values or findings changed since the diagram `cache` remembers (an
    /// edit of one node re-measures one card, not the whole tree).
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn build_reusing(
        doc: &Document,
        eval: &Evaluation,
        opts: &DiagramOptions,
        marks: Option<&AnalysisMarks>,
        cache: &mut CardCache,
    ) -> Arc<Diagram> {
        let measure = Measure::get();
        let n = doc.nodes.len();
        let key = (opts.values, opts.lang, opts.compact_yen, opts.shown);
        if cache.options != Some(key) {
            *cache = CardCache { options: Some(key), ..CardCache::default() };
        }
        cache.build = cache.build.wrapping_add(1);
        // The evaluation is of this document: values by position.
        let by_position = eval.values().len() == n;
        let value_of = |i: usize| {
            if by_position {
                eval.view_value(i, opts.shown)
            } else {
                eval.get(&doc.nodes[i].id).copied().unwrap_or_default()
            }
        };
        if let Some(d) = Diagram::same_shape(doc, eval, opts, marks, cache, &value_of) {
            return d;
        }
        let links = Links::of(doc);
        let root = opts.root.as_ref().and_then(|r| doc.nodes.position(r.as_str()));
        let (shown, hidden) = visible(doc, &links, root);
        let mut cards = Vec::with_capacity(n);
        let mut card_of = vec![u32::MAX; n];
        for (i, node) in doc.nodes.iter().enumerate() {
            if !shown[i] {
                continue;
            }
            card_of[i] = cards.len() as u32;
            let mut c = cache.card(
                node,
                value_of(i),
                trend_of(eval, i, by_position, opts),
                eval.value_unit(&node.id),
                findings(eval, &node.id),
                opts,
                measure,
            );
            c.node = i as u32;
            c.has_children = !links.children[i].is_empty();
            c.collapsed = hidden.get(&(i as u32)).copied().filter(|_| node.collapsed);
            c.marks.parents = links.parents[i].len() as u32;
            mark(&mut c, node, marks);
            cards.push(c);
        }
        // Nodes gone from the document (or no longer shown) leave the cache.
        let build = cache.build;
        cache.cards.retain(|_, m| m.build == build);
        // The graph of the shown cards, in term order.
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); cards.len()];
        let mut ops: FxHashMap<(u32, u32), Op> =
            FxHashMap::with_capacity_and_hasher(doc.edges.len(), Default::default());
        for (k, card) in cards.iter().enumerate() {
            if doc.nodes[card.node as usize].collapsed {
                continue;
            }
            for &(c, op) in &links.children[card.node as usize] {
                let ci = card_of[c as usize];
                if ci != u32::MAX {
                    children[k].push(ci);
                    ops.insert((k as u32, ci), op);
                }
            }
        }
        let spacing = Spacing { column_gap: m::COLUMN_GAP, row_gap: m::ROW_GAP };
        let graph = Graph {
            sizes: cards.iter().map(|c| [c.rect[2], c.rect[3]]).collect(),
            children,
            kgi: cards.iter().map(|c| c.kind == Kind::Kgi).collect(),
        };
        let placement = tidy(&graph, spacing);
        let mode = doc.layout_mode();
        let mut wires = Vec::with_capacity(placement.routes.len());
        // Columns are left-aligned: the distinct x of the automatic layout,
        // in order, are the columns.
        let mut columns: Vec<f64> = placement.pos.iter().map(|p| p[0]).collect();
        columns.sort_by(f64::total_cmp);
        columns.dedup();
        for (c, p) in cards.iter_mut().zip(&placement.pos) {
            c.depth = columns.partition_point(|&x| x < p[0]) as u32;
        }
        match mode {
            LayoutMode::Auto => {
                for (card, p) in cards.iter_mut().zip(&placement.pos) {
                    card.rect[0] = p[0];
                    card.rect[1] = p[1];
                }
                for r in &placement.routes {
                    let op = ops.get(&(r.parent, r.child)).copied().unwrap_or(Op::Link);
                    wires.push(wire(&cards, r.parent, r.child, op, r.points.clone(), r.badge));
                }
            }
            LayoutMode::Free => {
                place_free(doc, &mut cards, &placement.pos);
                for r in &placement.routes {
                    let op = ops.get(&(r.parent, r.child)).copied().unwrap_or(Op::Link);
                    let (points, badge) = free_route(&cards[r.parent as usize].rect, &cards[r.child as usize].rect);
                    wires.push(wire(&cards, r.parent, r.child, op, points, badge));
                }
            }
        }
        let bounds = bounds_of(&cards, &wires);
        let by_id = cards.iter().enumerate().map(|(k, c)| (c.id.clone(), k as u32)).collect();
        let wire_of = wires.iter().enumerate().map(|(k, w)| ((w.parent, w.child), k as u32)).collect();
        let d = Arc::new(Diagram {
            cards,
            wires: wires.into(),
            bounds,
            mode,
            auto_pos: placement.pos.into(),
            links: Arc::new(links),
            card_of: card_of.into(),
            by_id: Arc::new(by_id),
            wire_of: Arc::new(wire_of),
        });
        cache.shape = Some((Shape::of(doc, opts), Arc::clone(&d)));
        d
    }

    /// The diagram when the document has the shape of the one `cache`
    /// built last (the same nodes, edges, folds and positions) and every
    /// card its size: the cards with their new values where the old ones
    /// were, the wires, links and indexes shared. A value edit lays out
    /// nothing.
    fn same_shape(
        doc: &Document,
        eval: &Evaluation,
        opts: &DiagramOptions,
        marks: Option<&AnalysisMarks>,
        cache: &mut CardCache,
        value_of: &dyn Fn(usize) -> NodeValue,
    ) -> Option<Arc<Diagram>> {
        let (shape, before) = cache.shape.take()?;
        if !shape.is(doc, opts) {
            return None;
        }
        let measure = Measure::get();
        let by_position = eval.values().len() == doc.nodes.len();
        let mut cards = Vec::with_capacity(before.cards.len());
        for old in &before.cards {
            let i = old.node as usize;
            let node = &doc.nodes[i];
            let mut c = cache.card(
                node,
                value_of(i),
                trend_of(eval, i, by_position, opts),
                eval.value_unit(&node.id),
                findings(eval, &node.id),
                opts,
                measure,
            );
            if c.rect[2] != old.rect[2] || c.rect[3] != old.rect[3] {
                return None;
            }
            c.rect = old.rect;
            c.node = old.node;
            c.depth = old.depth;
            c.has_children = old.has_children;
            c.collapsed = old.collapsed;
            c.marks.parents = old.marks.parents;
            mark(&mut c, node, marks);
            cards.push(c);
        }
        let build = cache.build;
        cache.cards.retain(|_, m| m.build == build);
        let d = Arc::new(Diagram {
            cards,
            wires: Arc::clone(&before.wires),
            bounds: before.bounds,
            mode: before.mode,
            auto_pos: Arc::clone(&before.auto_pos),
            links: Arc::clone(&before.links),
            card_of: Arc::clone(&before.card_of),
            by_id: Arc::clone(&before.by_id),
            wire_of: Arc::clone(&before.wire_of),
        });
        cache.shape = Some((shape, Arc::clone(&d)));
        Some(d)
    }
}
