//! The diagram: one geometry for the canvas and for every export. Which
//! cards are shown (a subtree, collapsed subtrees folded away), how large
//! they are (measured with the bundled font), where they are (the automatic
//! tidy layout, or the positions the user chose) and how the wires run.
//!
//! Coordinates are the document's own: in free placement a card's top-left
//! corner is its node's `pos`. The exporter puts the diagram under a title
//! ([`super::Scene`]); the editor's canvas draws it as it is.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::measure::{Measure, metrics as m};
use crate::eval::{Evaluation, NodeValue, Severity};
use crate::lang::Lang;
use crate::layout::{Graph, Spacing, tidy};
use crate::model::{Document, Kind, LayoutMode, Node, NodeId, Op};

/// Which values the cards show: the whole period, the year to date or one
/// period. The diagram is built for one of them at a time, so the canvas
/// and every export show the same period.
pub type Shown = crate::eval::period::View;

/// What the diagram shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramOptions {
    /// Targets, actuals and progress bars on the cards.
    pub values: bool,
    /// Language of the labels (目標 / target).
    pub lang: Lang,
    /// Only this node and everything below it.
    pub root: Option<NodeId>,
    /// Amounts in 円 as 万円 / 億円.
    pub compact_yen: bool,
    /// The period the values are for.
    pub shown: Shown,
}

impl Default for DiagramOptions {
    fn default() -> Self {
        DiagramOptions { values: true, lang: Lang::Ja, root: None, compact_yen: false, shown: Shown::Full }
    }
}

/// What analysis says about one card (the pipeline fills these in; the
/// diagram draws them into the card's [`CardMarks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnalysisMark {
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<usize>,
    /// The active what-if scenario overrides the node's values.
    pub overridden: bool,
}

/// The analysis marks of every card that has one.
pub type AnalysisMarks = rustc_hash::FxHashMap<NodeId, AnalysisMark>;

/// The small marks a card carries besides its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardMarks {
    /// The node is computed from its terms.
    pub computed: bool,
    /// Errors and warnings that concern the node.
    pub errors: u32,
    /// Warnings that concern the node.
    pub warnings: u32,
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<u8>,
    /// The active what-if scenario changes the node's values.
    pub overridden: bool,
    /// How many parents the node has (a shared KPI has more than one).
    pub parents: u32,
}

/// One card of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The node.
    pub id: NodeId,
    /// Its position in the document's node list.
    pub node: u32,
    /// Its kind (colour).
    pub kind: Kind,
    /// Top-left corner and size.
    pub rect: [f64; 4],
    /// The name, wrapped to at most two lines (shared with the cards of
    /// later diagrams while the node and its values stay the same).
    pub name: Arc<[String]>,
    /// (label, value) rows: target and actual.
    pub rows: Arc<[(String, String)]>,
    /// 達成率, when the card shows values and has one.
    pub progress: Option<f64>,
    /// The column of the card (0 for goals); the depth in the tree.
    pub depth: u32,
    /// The node has children in the document (so it can be collapsed).
    pub has_children: bool,
    /// The subtree below is folded away, and how many nodes that hides.
    pub collapsed: Option<usize>,
    /// Marks: computed, diagnostics, analysis.
    pub marks: CardMarks,
    /// A small trend line (target and actual per period), when the node has
    /// values per period.
    pub trend: Option<Arc<crate::eval::period::Trend>>,
    /// The node is a constant term (× 12 ヶ月): a small pill with its name
    /// and its number, no kind row, values or progress. Its one row is the
    /// number with its unit (with an empty label).
    pub constant: bool,
}

/// A line from a parent card to one of its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    /// The parent's card (index into [`Diagram::cards`]).
    pub parent: u32,
    /// The child's card.
    pub child: u32,
    /// The parent card's right middle.
    pub from: [f64; 2],
    /// The child card's left middle.
    pub to: [f64; 2],
    /// The route: axis-aligned segments from `from` to `to`.
    pub points: Vec<[f64; 2]>,
    /// Where the operator badge sits: on this term's own branch, just before
    /// the child.
    pub badge: [f64; 2],
    /// The edge's operator.
    pub op: Op,
    /// Whether the operator badge is drawn (arithmetic terms).
    pub show_op: bool,
}

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

/// The cards of the last diagram built with it, by node: what
/// [`Diagram::build_reusing`] need not measure again.
#[derive(Default)]
pub struct CardCache {
    /// What the cards show (a change measures every card again).
    options: Option<(bool, Lang, bool, Shown)>,
    /// By the address of the node's `Arc`.
    cards: FxHashMap<usize, Measured>,
    /// Counts the builds, so that the cards of nodes no longer shown go.
    build: u32,
    /// The shape of the last diagram, and the diagram (the very one the
    /// caller got).
    shape: Option<(Shape, Arc<Diagram>)>,
}

impl CardCache {
    /// The card of `node` with `value` and `findings`: the one measured
    /// before when nothing it shows changed, else measured now.
    #[allow(clippy::too_many_arguments)]
    fn card(
        &mut self,
        node: &Arc<Node>,
        value: NodeValue,
        trend: Option<crate::eval::period::Trend>,
        value_unit: Option<&str>,
        findings: (u32, u32),
        opts: &DiagramOptions,
        measure: &Measure,
    ) -> Card {
        let build = self.build;
        let address = Arc::as_ptr(node) as usize;
        match self.cards.get_mut(&address) {
            // The cache holds the node, so no other node can have its address.
            Some(m)
                if Arc::ptr_eq(&m.node, node)
                    && m.value == value
                    && m.card.trend.as_deref() == trend.as_ref()
                    && m.value_unit.as_deref() == value_unit
                    && m.findings == findings =>
            {
                m.build = build;
                m.card.clone()
            }
            _ => {
                let c = card(node, value, trend.map(Arc::new), value_unit, findings, opts, measure);
                let value_unit = value_unit.map(Box::from);
                let m = Measured { node: Arc::clone(node), value, value_unit, findings, build, card: c.clone() };
                self.cards.insert(address, m);
                c
            }
        }
    }
}

/// What the layout of a diagram depends on besides the cards' sizes: the
/// node ids in order, their folds and positions, the edges, the root and
/// the placement mode.
struct Shape {
    ids: Vec<NodeId>,
    folds: Vec<(bool, Option<[f64; 2]>)>,
    edges: crate::model::Edges,
    root: Option<NodeId>,
    mode: LayoutMode,
}

impl Shape {
    fn of(doc: &Document, opts: &DiagramOptions) -> Shape {
        Shape {
            ids: doc.nodes.iter().map(|n| n.id.clone()).collect(),
            folds: doc.nodes.iter().map(|n| (n.collapsed, n.pos)).collect(),
            edges: doc.edges.clone(),
            root: opts.root.clone(),
            mode: doc.layout_mode(),
        }
    }

    /// True when `doc` has this shape (compared without copying: an edit of
    /// a value keeps every id, the edge list and the folds as they were).
    fn is(&self, doc: &Document, opts: &DiagramOptions) -> bool {
        self.edges.same_allocation(&doc.edges)
            && self.root == opts.root
            && self.mode == doc.layout_mode()
            && self.ids.len() == doc.nodes.len()
            && doc.nodes.iter().zip(&self.ids).zip(&self.folds).all(|((n, id), fold)| {
                (Arc::ptr_eq(&n.id.0, &id.0) || n.id == *id) && n.collapsed == fold.0 && n.pos == fold.1
            })
    }
}

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

/// A card as measured for one node with its values and findings.
struct Measured {
    node: Arc<Node>,
    value: NodeValue,
    value_unit: Option<Box<str>>,
    findings: (u32, u32),
    /// The last build that used it.
    build: u32,
    card: Card,
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

/// Cards and wires, ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    /// The cards, in document order.
    pub cards: Vec<Card>,
    /// The wires, drawn under the cards (shared with later diagrams of the
    /// same shape).
    pub wires: Arc<[Wire]>,
    /// The smallest rectangle around every card: min x, min y, max x, max y.
    pub bounds: [f64; 4],
    /// How the cards were placed.
    pub mode: LayoutMode,
    /// Where the automatic layout puts each card (what Arrange gives a
    /// document in free placement).
    pub auto_pos: Arc<[[f64; 2]]>,
    /// The document's parents and children.
    pub links: Arc<Links>,
    /// The card of each document node (`u32::MAX`: not shown).
    card_of: Arc<[u32]>,
    /// The card of each shown node, by id.
    by_id: Arc<FxHashMap<NodeId, u32>>,
    /// The wire of each (parent card, child card) pair.
    wire_of: Arc<FxHashMap<(u32, u32), u32>>,
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

    /// The card of the node with this id, if it is shown.
    pub fn card(&self, id: &NodeId) -> Option<&Card> {
        self.card_index(id).map(|k| &self.cards[k])
    }

    /// The position in [`Diagram::cards`] of the node with this id.
    pub fn card_index(&self, id: &NodeId) -> Option<usize> {
        self.by_id.get(id).map(|&k| k as usize)
    }

    /// The wire from the card `parent` to the card `child`, if any.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn wire_between(&self, parent: usize, child: usize) -> Option<usize> {
        self.wire_of.get(&(parent as u32, child as u32)).map(|&k| k as usize)
    }

    /// The card of the document node at `node`, if it is shown.
    pub fn card_of_node(&self, node: u32) -> Option<usize> {
        self.card_of.get(node as usize).filter(|&&k| k != u32::MAX).map(|&k| k as usize)
    }
}

/// Around every card and every wire (lanes and the wires of cycles may run
/// outside the cards).
fn bounds_of(cards: &[Card], wires: &[Wire]) -> [f64; 4] {
    if cards.is_empty() {
        return [0.0; 4];
    }
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for c in cards {
        let [x, y, w, h] = c.rect;
        // A folded card's 「＋N」 pill, right of it, is part of the picture.
        let right = super::card_layout::pill_right(c).unwrap_or(x + w);
        b = [b[0].min(x), b[1].min(y), b[2].max(right), b[3].max(y + h)];
    }
    for [x, y] in wires.iter().flat_map(|w| w.points.iter().copied()) {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

fn wire(cards: &[Card], parent: u32, child: u32, op: Op, points: Vec<[f64; 2]>, badge: [f64; 2]) -> Wire {
    let p = cards[parent as usize].rect;
    let c = cards[child as usize].rect;
    // Every arithmetic term shows its operator on its own branch, next to
    // the child, so that 売上 = 顧客数 × 客単価 reads as a product at a glance.
    Wire {
        parent,
        child,
        from: [p[0] + p[2], p[1] + p[3] / 2.0],
        to: [c[0], c[1] + c[3] / 2.0],
        points,
        badge,
        op,
        show_op: op.is_arithmetic(),
    }
}

/// Free placement: every card where its node's `pos` says; the others where
/// the automatic layout puts them, right of everything placed, so that a
/// pasted or hand-written node is never hidden under another card.
fn place_free(doc: &Document, cards: &mut [Card], auto: &[[f64; 2]]) {
    let mut right = f64::NEG_INFINITY;
    let mut top = f64::INFINITY;
    for card in cards.iter_mut() {
        if let Some([x, y]) = doc.nodes[card.node as usize].pos {
            card.rect[0] = x;
            card.rect[1] = y;
            right = right.max(x + card.rect[2]);
            top = top.min(y);
        }
    }
    let unplaced: Vec<usize> = (0..cards.len()).filter(|&k| doc.nodes[cards[k].node as usize].pos.is_none()).collect();
    if unplaced.is_empty() {
        return;
    }
    let (min_x, min_y) =
        unplaced.iter().fold((f64::MAX, f64::MAX), |(x, y), &k| (x.min(auto[k][0]), y.min(auto[k][1])));
    let (dx, dy) = if right.is_finite() { (right + m::COLUMN_GAP * 2.0 - min_x, top - min_y) } else { (0.0, 0.0) };
    for k in unplaced {
        cards[k].rect[0] = auto[k][0] + dx;
        cards[k].rect[1] = auto[k][1] + dy;
    }
}

/// A wire between cards the user placed: an elbow through the middle of the
/// gap when the child is to the right, else out, around and in.
fn free_route(p: &[f64; 4], c: &[f64; 4]) -> (Vec<[f64; 2]>, [f64; 2]) {
    let from = [p[0] + p[2], p[1] + p[3] / 2.0];
    let to = [c[0], c[1] + c[3] / 2.0];
    let badge = [to[0] - crate::layout::BADGE_OFFSET, to[1]];
    if to[0] - from[0] >= 2.0 * crate::layout::BADGE_OFFSET + 8.0 {
        let mid = from[0] + (to[0] - from[0]) / 2.0;
        let bus = mid.max(from[0] + 8.0).min(to[0] - 2.0 * crate::layout::BADGE_OFFSET);
        return (vec![from, [bus, from[1]], [bus, to[1]], to], badge);
    }
    let out = from[0] + 16.0;
    let back = to[0] - 2.0 * crate::layout::BADGE_OFFSET;
    let mid_y = if (to[1] - from[1]).abs() > p[3] / 2.0 + c[3] / 2.0 {
        (from[1] + to[1]) / 2.0
    } else {
        // Side by side or overlapping: go round below both.
        (p[1] + p[3]).max(c[1] + c[3]) + m::ROW_GAP
    };
    (vec![from, [out, from[1]], [out, mid_y], [back, mid_y], [back, to[1]], to], badge)
}

/// A card measured for `node`: its size, its wrapped name and its rows.
/// `value_unit` is the unit of computed values when it is not the node's
/// own (the terms give another dimension: `= 30 件` on a 社 card).
fn card(
    node: &Node,
    value: NodeValue,
    trend: Option<Arc<crate::eval::period::Trend>>,
    value_unit: Option<&str>,
    (errors, warnings): (u32, u32),
    opts: &DiagramOptions,
    measure: &Measure,
) -> Card {
    let lang = opts.lang;
    let inner_max = m::MAX_WIDTH - m::ACCENT - 2.0 * m::PAD_X;
    let name_text = if node.name.trim().is_empty() { lang.pick("(名前なし)", "(no name)") } else { &node.name };
    let unit = node.unit_str();
    if let Some(number) = node.constant.filter(|_| !value.computed) {
        return constant_card(node, number, name_text, (errors, warnings), measure);
    }
    let name = measure.wrap(name_text, m::NAME, true, inner_max, 2);
    let mut rows = Vec::new();
    let mut progress = None;
    let has_values = value.target.is_some() || value.actual.is_some();
    if opts.values && has_values {
        let row = |computed: bool, x: Option<f64>| {
            let unit = if computed { value_unit.unwrap_or(unit) } else { unit };
            format!(
                "{}{}",
                if computed { "= " } else { "" },
                crate::format::format_amount_or_dash(x, unit, opts.compact_yen)
            )
        };
        let target_computed = node.target.is_none() && value.computed_target.is_some();
        rows.push((lang.pick("目標", "Target").to_owned(), row(target_computed, value.target)));
        rows.push((lang.pick("実績", "Actual").to_owned(), row(value.computed_actual.is_some(), value.actual)));
        progress = value.progress;
    }
    let widest_name = name.iter().map(|l| measure.width(l, m::NAME, true)).fold(0.0, f64::max);
    let widest_row = rows
        .iter()
        .map(|(l, v)| measure.width(l, m::ROW, false) + 16.0 + measure.width(&super::measure::capped(v), m::ROW, true))
        .fold(0.0, f64::max);
    let inner = widest_name.max(widest_row).max(measure.width("KGI", m::KIND, true));
    let width = (inner + m::ACCENT + 2.0 * m::PAD_X).clamp(m::MIN_WIDTH, m::MAX_WIDTH).ceil();
    // A value whose unit is longer than the card is cut to fit it, with "…"
    // (on the canvas it ran out of the card, in a picture it cost usvg
    // quadratic time); the label keeps its place.
    let room = width - m::ACCENT - 2.0 * m::PAD_X;
    for (label, value) in &mut rows {
        let free = room - measure.width(label, m::ROW, false) - 16.0;
        *value = measure.fit(value, m::ROW, true, free.max(0.0));
    }
    let mut height = m::PAD_Y + 14.0 + name.len() as f64 * m::NAME_LINE;
    if !rows.is_empty() {
        height += 4.0 + rows.len() as f64 * m::ROW_LINE;
        if progress.is_some() {
            height += m::BAR_ROW;
        }
    }
    if trend.is_some() {
        height += m::TREND_ROW;
    }
    height += m::PAD_Y;
    Card {
        id: node.id.clone(),
        node: 0,
        kind: node.kind,
        rect: [0.0, 0.0, width, height.ceil()],
        name: name.into(),
        rows: rows.into(),
        progress,
        depth: 0,
        has_children: false,
        collapsed: None,
        marks: CardMarks { computed: value.computed, errors, warnings, ..CardMarks::default() },
        trend,
        constant: false,
    }
}

/// The pill of a constant term: its name and its number, always shown (the
/// number is part of the formula, not a value that is measured).
fn constant_card(node: &Node, number: f64, name_text: &str, (errors, warnings): (u32, u32), measure: &Measure) -> Card {
    use super::card_layout::{CONSTANT_PAD_X, CONSTANT_PAD_Y};
    let inner_max = m::MAX_WIDTH - 2.0 * CONSTANT_PAD_X;
    let name = measure.wrap(name_text, m::ROW, true, inner_max, 2);
    let text = crate::format::format_amount_or_dash(Some(number), node.unit_str(), false);
    let text = measure.fit(&text, m::ROW, false, inner_max);
    let widest =
        name.iter().map(|l| measure.width(l, m::ROW, true)).fold(measure.width(&text, m::ROW, false), f64::max);
    let width = (widest + 2.0 * CONSTANT_PAD_X).clamp(m::MIN_WIDTH / 2.0, m::MAX_WIDTH).ceil();
    let height = 2.0 * CONSTANT_PAD_Y + (name.len() + 1) as f64 * m::ROW_LINE;
    Card {
        id: node.id.clone(),
        node: 0,
        kind: node.kind,
        rect: [0.0, 0.0, width, height.ceil()],
        name: name.into(),
        rows: Arc::from(vec![(String::new(), text)]),
        progress: None,
        depth: 0,
        has_children: false,
        collapsed: None,
        marks: CardMarks { errors, warnings, ..CardMarks::default() },
        trend: None,
        constant: true,
    }
}
