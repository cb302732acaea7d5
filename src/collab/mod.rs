//! A document as a Loro CRDT document: the layer a room (several editors
//! on one tree) syncs through. kpitree's [`Document`] stays the one source
//! for evaluation and drawing; a [`Room`] mirrors it into Loro and turns what
//! Loro merged back into a `Document`, checked by the loader like a file.
//!
//! The mapping (docs/FORMAT.md, "Rooms"):
//!
//! - the movable tree `nodes` holds one tree node per document node; a
//!   node's tree parent is its first parent (the first edge naming it as
//!   child, in file order), and the order of a parent's tree children is the
//!   order of its terms. Concurrent moves therefore never make a cycle or a
//!   duplicate (Loro's tree rule), which dragging a KPI under another KSF
//!   needs;
//! - each tree node's map holds the node's fields as the file writes them
//!   (`id`, `kind`, `name`, `unit`, …; the last writer of a field wins), its
//!   edge's operator to its tree parent as `op`, and its further parents
//!   (a shared KPI) as `also`: `[{parent, op, at}]`, `at` its place among that
//!   parent's terms;
//! - the map `doc` holds the document's own fields (`title`, `period`,
//!   `scenarios`, …), one entry per top-level key.

pub mod client;
pub mod live;
pub mod relay;
pub mod wire;

use std::collections::HashMap;

use loro::{ExportMode, LoroDoc, LoroMap, LoroTree, LoroValue, TreeID, TreeParentId, ValueOrContainer, VersionVector};
use serde_json::{Map, Value};

use crate::model::Document;

/// The tree of nodes.
const TREE: &str = "nodes";
/// The document's own fields.
const HEADER: &str = "doc";
/// A node's operator to its tree parent.
const OP: &str = "op";
/// A node's further parents.
const ALSO: &str = "also";

/// Why a room cannot take or give a document.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomError {
    /// Loro refused an operation or an update.
    Loro(String),
    /// What the room holds is not a valid document (a participant's bad
    /// update): the loader's message.
    Invalid(String),
}

impl std::fmt::Display for RoomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RoomError::Loro(e) => write!(f, "the room's document: {e}"),
            RoomError::Invalid(e) => write!(f, "the room holds no valid document: {e}"),
        }
    }
}

impl std::error::Error for RoomError {}

fn loro(e: impl std::fmt::Display) -> RoomError {
    RoomError::Loro(e.to_string())
}

/// One participant's copy of a room's document.
pub struct Room {
    doc: LoroDoc,
    tree: LoroTree,
    header: LoroMap,
}

/// A node as the file writes it, and where it hangs.
struct Placed {
    fields: Map<String, Value>,
    /// The first parent and the operator to it.
    parent: Option<(String, String)>,
    /// The further parents: parent, operator, place among its terms.
    also: Vec<(String, String, usize)>,
}

impl Room {
    /// An empty room for participant `peer` (a number unique in the room).
    pub fn new(peer: u64) -> Result<Room, RoomError> {
        let doc = LoroDoc::new();
        doc.set_peer_id(peer).map_err(loro)?;
        let tree = doc.get_tree(TREE);
        tree.enable_fractional_index(0);
        let header = doc.get_map(HEADER);
        Ok(Room { doc, tree, header })
    }

    /// A room for participant `peer` holding `document`.
    pub fn from_document(document: &Document, peer: u64) -> Result<Room, RoomError> {
        let mut room = Room::new(peer)?;
        room.write(document)?;
        Ok(room)
    }

    /// Makes the room's document `document`: only what differs is written
    /// (fields set or removed, nodes created or deleted, nodes moved), as
    /// one change.
    pub fn write(&mut self, document: &Document) -> Result<(), RoomError> {
        let value = crate::io::to_value(document);
        let Value::Object(mut top) = value else { return Err(RoomError::Invalid("not an object".into())) };
        let nodes = match top.remove("nodes") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        let edges = match top.remove("edges") {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        // The document's own fields.
        let old = map_json(&self.header.get_value());
        for (k, v) in &top {
            if old.get(k) != Some(v) {
                self.header.insert(k, to_loro(v.clone())).map_err(loro)?;
            }
        }
        for k in old.keys().filter(|k| !top.contains_key(*k)) {
            self.header.delete(k).map_err(loro)?;
        }
        let placed = place(nodes, &edges);
        // The nodes the room has, by id.
        let mut have: HashMap<String, TreeID> = HashMap::new();
        for id in self.tree.nodes() {
            if let Some(text) = self.node_id(id) {
                have.entry(text).or_insert(id);
            }
        }
        // Where each node should hang: per parent (None: the roots) its
        // children in order.
        let at: HashMap<&str, usize> = placed.iter().enumerate().map(|(k, (id, _))| (id.as_str(), k)).collect();
        let mut kids: Vec<Vec<usize>> = vec![Vec::new(); placed.len()];
        let mut roots = Vec::new();
        for (k, (_, p)) in placed.iter().enumerate() {
            match p.parent.as_ref().and_then(|(parent, _)| at.get(parent.as_str())) {
                Some(&q) => kids[q].push(k),
                None => roots.push(k),
            }
        }
        // Nodes the document no longer has.
        let keep: std::collections::HashSet<&str> = at.keys().copied().collect();
        for (id, tid) in &have {
            if !keep.contains(id.as_str()) && !self.tree.is_node_deleted(tid).unwrap_or(true) {
                self.tree.delete(*tid).map_err(loro)?;
            }
        }
        // New nodes, created where they hang: parents first, from the roots
        // down (nodes only a cycle reaches: at the top level).
        let mut tids: Vec<Option<TreeID>> = placed.iter().map(|(id, _)| have.get(id).copied()).collect();
        let mut seen = vec![false; placed.len()];
        let mut stack: Vec<(usize, TreeParentId)> = roots.iter().rev().map(|&k| (k, TreeParentId::Root)).collect();
        let mut leftover = 0;
        loop {
            while let Some((k, parent)) = stack.pop() {
                if std::mem::replace(&mut seen[k], true) {
                    continue;
                }
                let tid = match tids[k] {
                    Some(t) => t,
                    None => {
                        let t = self.tree.create(parent).map_err(loro)?;
                        tids[k] = Some(t);
                        t
                    }
                };
                for &c in kids[k].iter().rev() {
                    stack.push((c, TreeParentId::Node(tid)));
                }
            }
            match (leftover..placed.len()).find(|&k| !seen[k]) {
                Some(k) => {
                    leftover = k;
                    roots.push(k);
                    stack.push((k, TreeParentId::Root));
                }
                None => break,
            }
        }
        let tids: Vec<TreeID> =
            tids.into_iter().map(|t| t.ok_or_else(|| loro("a node was not placed"))).collect::<Result<_, _>>()?;
        // Fields, the operator and the further parents: only what differs.
        for (k, (_, p)) in placed.iter().enumerate() {
            let meta = self.tree.get_meta(tids[k]).map_err(loro)?;
            let mut want = p.fields.clone();
            if let Some((_, op)) = &p.parent {
                want.insert(OP.into(), Value::String(op.clone()));
            }
            if !p.also.is_empty() {
                let also = p
                    .also
                    .iter()
                    .map(|(parent, op, at)| serde_json::json!({ "parent": parent, "op": op, "at": at }))
                    .collect();
                want.insert(ALSO.into(), Value::Array(also));
            }
            let now = map_json(&meta.get_value());
            for (key, v) in &want {
                if now.get(key) != Some(v) {
                    meta.insert(key, to_loro(v.clone())).map_err(loro)?;
                }
            }
            for key in now.keys().filter(|key| !want.contains_key(*key)) {
                meta.delete(key).map_err(loro)?;
            }
        }
        // Each parent's children in order: moved only where they differ.
        let lists = std::iter::once((TreeParentId::Root, &roots))
            .chain(kids.iter().enumerate().map(|(k, list)| (TreeParentId::Node(tids[k]), list)));
        for (parent, list) in lists {
            let want: Vec<TreeID> = list.iter().map(|&k| tids[k]).collect();
            let mut here = self.tree.children(parent).unwrap_or_default();
            if here == want {
                continue;
            }
            for (index, &child) in want.iter().enumerate() {
                if here.get(index) == Some(&child) {
                    continue;
                }
                // A move that would close a cycle (only an invalid document
                // asks for one) leaves the node where it is.
                if self.tree.mov_to(child, parent, index).is_ok() {
                    here.retain(|&t| t != child);
                    here.insert(index.min(here.len()), child);
                }
            }
        }
        self.doc.commit();
        Ok(())
    }

    /// The document the room holds, read and checked as a file is.
    pub fn document(&self) -> Result<Document, RoomError> {
        let mut top = map_json(&self.header.get_value());
        let mut nodes = Vec::new();
        // Per parent id: its terms (child id, operator, place).
        let mut terms: HashMap<String, Vec<(String, String, usize)>> = HashMap::new();
        let mut extra: Vec<(String, String, String, usize)> = Vec::new();
        let mut order = Vec::new();
        let mut stack: Vec<(TreeID, Option<String>, usize)> =
            self.tree.roots().into_iter().rev().map(|t| (t, None, 0)).collect();
        while let Some((tid, parent, index)) = stack.pop() {
            let Ok(meta) = self.tree.get_meta(tid) else { continue };
            let mut fields = map_json(&meta.get_value());
            let op = fields.remove(OP).and_then(|v| v.as_str().map(str::to_owned));
            let also = fields.remove(ALSO);
            let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_owned) else { continue };
            if let (Some(parent), Some(op)) = (&parent, op) {
                terms.entry(parent.clone()).or_default().push((id.clone(), op, index));
            }
            if let Some(Value::Array(list)) = also {
                for a in list {
                    let (Some(p), Some(op)) = (a["parent"].as_str(), a["op"].as_str()) else { continue };
                    let at = a["at"].as_u64().and_then(|x| usize::try_from(x).ok()).unwrap_or(usize::MAX);
                    extra.push((p.to_owned(), id.clone(), op.to_owned(), at));
                }
            }
            order.push(id.clone());
            nodes.push(Value::Object(fields));
            let kids = self.tree.children(TreeParentId::Node(tid)).unwrap_or_default();
            for (k, &c) in kids.iter().enumerate().rev() {
                stack.push((c, Some(id.clone()), k));
            }
        }
        // The further parents' edges, at their places among the terms.
        extra.sort_by_key(|e| e.3);
        for (parent, child, op, at) in extra {
            let list = terms.entry(parent).or_default();
            let at = at.min(list.len());
            list.insert(at, (child, op, at));
        }
        let mut edges = Vec::new();
        for id in &order {
            for (child, op, _) in terms.remove(id).unwrap_or_default() {
                edges.push(serde_json::json!({ "parent": id, "child": child, "op": op }));
            }
        }
        // Edges to a parent no node has (its node was deleted meanwhile):
        // kept, so that the loader reports them.
        let mut rest: Vec<_> = terms.into_iter().collect();
        rest.sort();
        for (parent, list) in rest {
            for (child, op, _) in list {
                edges.push(serde_json::json!({ "parent": parent, "child": child, "op": op }));
            }
        }
        top.insert("nodes".into(), Value::Array(nodes));
        top.insert("edges".into(), Value::Array(edges));
        top.entry("format").or_insert_with(|| Value::String("kpitree".into()));
        top.entry("version").or_insert_with(|| Value::from(1));
        crate::io::from_value(Value::Object(top), "room").map_err(|e| RoomError::Invalid(e.to_string()))
    }

    /// Participant `peer`'s copy of the room in `snapshot` (from
    /// [`Room::snapshot`]).
    pub fn from_snapshot(snapshot: &[u8], peer: u64) -> Result<Room, RoomError> {
        let room = Room::new(peer)?;
        room.doc.import(snapshot).map_err(loro)?;
        Ok(room)
    }

    /// Merges `updates` into this copy and checks the result: the document
    /// it holds and its cycles of calculations. An error when Loro refuses
    /// the updates, when they depend on changes this copy lacks, or when
    /// the result is no valid document or has more cycles than
    /// `cycles_before` (those of the document before): then this copy may
    /// hold the refused change and is to be thrown away ([`Room::fork`] a
    /// new one). The relay checks each update this way on a second copy
    /// before its own takes it.
    pub fn take(&mut self, updates: &[u8], cycles_before: usize) -> Result<(Document, usize), RoomError> {
        let status = self.doc.import(updates).map_err(loro)?;
        if status.pending.is_some() {
            return Err(RoomError::Invalid("the update depends on changes the room does not have".into()));
        }
        let after = self.document()?;
        let cycles = cycles(&after);
        if cycles > cycles_before {
            return Err(RoomError::Invalid("the change makes a cycle of calculations".into()));
        }
        Ok((after, cycles))
    }

    /// Another copy of this one (its whole history), for participant
    /// `peer`.
    pub fn fork(&self, peer: u64) -> Result<Room, RoomError> {
        let doc = self.doc.fork();
        doc.set_peer_id(peer).map_err(loro)?;
        Ok(Room { tree: doc.get_tree(TREE), header: doc.get_map(HEADER), doc })
    }

    /// The Loro document (for an undo manager of one's own changes).
    pub fn loro(&self) -> &LoroDoc {
        &self.doc
    }

    /// What this copy has seen: give it to another copy's [`Room::updates_since`].
    pub fn version(&self) -> VersionVector {
        self.doc.oplog_vv()
    }

    /// Everything this copy has that a copy at `version` lacks.
    pub fn updates_since(&self, version: &VersionVector) -> Result<Vec<u8>, RoomError> {
        self.doc.export(ExportMode::updates(version)).map_err(loro)
    }

    /// The whole room: its state and history, to save beside a file or to
    /// give a participant who joins.
    pub fn snapshot(&self) -> Result<Vec<u8>, RoomError> {
        self.doc.export(ExportMode::Snapshot).map_err(loro)
    }

    /// Merges updates (or a snapshot) from another copy of the room.
    pub fn merge(&mut self, updates: &[u8]) -> Result<(), RoomError> {
        self.merge_from(updates).map(drop)
    }

    /// Merges updates and says whose they were: the peers with changes in
    /// them.
    pub fn merge_from(&mut self, updates: &[u8]) -> Result<Vec<u64>, RoomError> {
        let status = self.doc.import(updates).map_err(loro)?;
        let mut peers: Vec<u64> = status.success.iter().map(|(p, _)| *p).collect();
        peers.sort_unstable();
        Ok(peers)
    }

    /// This copy's participant number (Loro's peer id).
    pub fn peer(&self) -> u64 {
        self.doc.peer_id()
    }

    /// The `id` field of tree node `tid`.
    fn node_id(&self, tid: TreeID) -> Option<String> {
        let meta = self.tree.get_meta(tid).ok()?;
        match meta.get("id")? {
            ValueOrContainer::Value(LoroValue::String(s)) => Some(s.to_string()),
            _ => None,
        }
    }
}

/// A field two copies both changed, to different values.
#[derive(Debug, Clone, PartialEq)]
pub struct BothChanged {
    /// The node's id; `None` for the document's own field.
    pub node: Option<String>,
    /// The field, as the file names it.
    pub field: String,
    /// The value the merge kept.
    pub kept: String,
    /// The value it did not keep.
    pub lost: String,
}

/// The fields `a` and `b` both changed from `base` to different values,
/// with the value `merged` kept.
pub fn both_changed(base: &Document, a: &Document, b: &Document, merged: &Document) -> Vec<BothChanged> {
    let by_id = |d: &Document| -> Map<String, Value> {
        let mut m = Map::new();
        let value = crate::io::to_value(d);
        for n in value["nodes"].as_array().into_iter().flatten() {
            if let Some(id) = n["id"].as_str() {
                m.entry(id.to_owned()).or_insert_with(|| n.clone());
            }
        }
        let mut top = value.as_object().cloned().unwrap_or_default();
        top.remove("nodes");
        top.remove("edges");
        m.insert(String::new(), Value::Object(top));
        m
    };
    let shown = |v: &Value| match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let (base, a, b, merged) = (by_id(base), by_id(a), by_id(b), by_id(merged));
    let mut out = Vec::new();
    for (id, old) in &base {
        let (Some(x), Some(y)) = (a.get(id), b.get(id)) else { continue };
        let fields: std::collections::BTreeSet<&String> =
            [old, x, y].iter().filter_map(|v| v.as_object()).flat_map(Map::keys).collect();
        for f in fields {
            let (o, vx, vy) = (&old[f.as_str()], &x[f.as_str()], &y[f.as_str()]);
            if vx != o && vy != o && vx != vy {
                let kept = merged.get(id).map_or(Value::Null, |m| m[f.as_str()].clone());
                let lost = if kept == *vx { vy } else { vx };
                out.push(BothChanged {
                    node: (!id.is_empty()).then(|| id.clone()),
                    field: f.clone(),
                    kept: shown(&kept),
                    lost: shown(lost),
                });
            }
        }
    }
    out
}

/// How many cycles of calculations `doc` has (a room refuses a change that
/// adds one).
pub fn cycles(doc: &Document) -> usize {
    crate::eval::evaluate(doc).diagnostics.iter().filter(|x| x.code == crate::eval::Code::Cycle).count()
}

/// Two copies of one room edited apart, each with the room's state it was
/// last level with (`FILE.loro` of `room sync`): `(base, merged)`, base
/// being the document as both last had it in common (for telling which
/// fields both changed). An error when the two states share no history
/// (they come from different rooms).
pub fn merge_copies(
    (a_state, a): (&[u8], &Document),
    (b_state, b): (&[u8], &Document),
) -> Result<(Document, Document), RoomError> {
    let mut ra = Room::from_snapshot(a_state, 2)?;
    let mut rb = Room::from_snapshot(b_state, 3)?;
    let common = ra.version().intersection(&rb.version());
    if common.is_empty() {
        return Err(RoomError::Invalid("the two copies come from different rooms".into()));
    }
    let base_doc = ra.doc.fork_at(&ra.doc.vv_to_frontiers(&common)).map_err(loro)?;
    let base = Room { tree: base_doc.get_tree(TREE), header: base_doc.get_map(HEADER), doc: base_doc }.document()?;
    ra.write(a)?;
    rb.write(b)?;
    ra.merge(&rb.updates_since(&ra.version())?)?;
    Ok((base, ra.document()?))
}

/// Each node of the file's `nodes` list with its fields and where it
/// hangs, from the file's `edges`; the first node of an id only.
fn place(nodes: Vec<Value>, edges: &[Value]) -> Vec<(String, Placed)> {
    let mut out: Vec<(String, Placed)> = Vec::with_capacity(nodes.len());
    let mut at: HashMap<String, usize> = HashMap::new();
    for n in nodes {
        let Value::Object(fields) = n else { continue };
        let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_owned) else { continue };
        if at.contains_key(&id) {
            continue;
        }
        at.insert(id.clone(), out.len());
        out.push((id, Placed { fields, parent: None, also: Vec::new() }));
    }
    // Each parent's terms so far, for the place of a further parent's edge.
    let mut count: HashMap<String, usize> = HashMap::new();
    for e in edges {
        let (Some(parent), Some(child), Some(op)) = (e["parent"].as_str(), e["child"].as_str(), e["op"].as_str())
        else {
            continue;
        };
        let index = count.entry(parent.to_owned()).or_insert(0);
        let place = *index;
        *index += 1;
        let Some(&k) = at.get(child) else { continue };
        let p = &mut out[k].1;
        if p.parent.is_none() && at.contains_key(parent) {
            p.parent = Some((parent.to_owned(), op.to_owned()));
        } else {
            p.also.push((parent.to_owned(), op.to_owned(), place));
        }
    }
    out
}

/// A Loro map value as JSON fields.
fn map_json(v: &LoroValue) -> Map<String, Value> {
    match to_json(v) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// JSON as a Loro value.
fn to_loro(v: Value) -> LoroValue {
    match v {
        Value::Null => LoroValue::Null,
        Value::Bool(b) => LoroValue::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => LoroValue::I64(i),
            None => LoroValue::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => LoroValue::String(s.into()),
        Value::Array(list) => LoroValue::List(list.into_iter().map(to_loro).collect::<Vec<_>>().into()),
        Value::Object(m) => {
            LoroValue::Map(m.into_iter().map(|(k, v)| (k, to_loro(v))).collect::<Vec<(String, LoroValue)>>().into())
        }
    }
}

/// A Loro value as JSON; keys of a map in sorted order (Loro keeps none).
fn to_json(v: &LoroValue) -> Value {
    match v {
        LoroValue::Null | LoroValue::Container(_) | LoroValue::Binary(_) => Value::Null,
        LoroValue::Bool(b) => Value::Bool(*b),
        LoroValue::Double(d) => serde_json::Number::from_f64(*d).map_or(Value::Null, Value::Number),
        LoroValue::I64(i) => Value::from(*i),
        LoroValue::String(s) => Value::String(s.to_string()),
        LoroValue::List(list) => Value::Array(list.iter().map(to_json).collect()),
        LoroValue::Map(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), to_json(&m[k]))).collect())
        }
    }
}
