//! One editor in a room: its copy of the room, its connection, its own
//! undo, and who else is there. The editor hands it the document after
//! each of its edits ([`Live::local`]) and takes the document the room
//! holds after others' ([`Live::poll`]); the host's editor also runs the
//! relay.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use loro::UndoManager;

use super::client::{self, Connection, Event, JoinError};
use super::relay::{Relay, RelayConfig};
use super::wire::{self, Presence};
use super::{Room, RoomError};
use crate::model::{Document, NodeId};

/// Edits closer together than this are one undo step in a room (as
/// typing into one field is one step outside).
const UNDO_MERGE_MS: i64 = 1_000;

/// Something to tell the user about the room.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Someone joined.
    Joined(String),
    /// Someone left.
    Left(String),
    /// The room refused our change, and why; our copy was set back to the
    /// room's.
    Refused(String),
    /// A field we had just changed was changed by someone else: their
    /// value holds.
    Overwritten {
        /// Who changed it (their name), when known.
        by: Option<String>,
        /// The node's name.
        node: String,
        /// The field (as the file names it).
        field: String,
        /// The value it has now.
        value: String,
    },
    /// The connection to the room ended: editing goes on here, and the
    /// editor joins again as soon as it can.
    Offline,
    /// Back in the room after being offline: what was done meanwhile on
    /// both sides is merged.
    Back,
    /// The room now running at the address is another one (started again
    /// from another copy of the tree): our changes stay here, not merged.
    Elsewhere,
}

/// Joining again in the background after the connection ended.
struct Reconnecting {
    joined: mpsc::Receiver<(Connection, Vec<u8>)>,
    stop: Arc<AtomicBool>,
}

impl Drop for Reconnecting {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// How long to wait between tries to join again.
const RETRY: std::time::Duration = std::time::Duration::from_secs(2);

/// One participant's side of a room.
pub struct Live {
    room: Room,
    undo: UndoManager,
    conn: Connection,
    /// The relay, when this editor hosts the room.
    host: Option<Relay>,
    code: String,
    /// The document as last written to the room or read from it.
    shown: Arc<Document>,
    me: Presence,
    /// The others, by connection.
    others: BTreeMap<u64, Presence>,
    /// The selection last told to the others.
    told: Option<Option<String>>,
    /// When the view was last told (while leading).
    led_at: Option<std::time::Instant>,
    /// Our latest field changes: node id and field → the value we wrote
    /// (to tell when someone else's change replaced one).
    mine: BTreeMap<(String, String), serde_json::Value>,
    notices: Vec<Notice>,
    /// Set while the connection is down.
    offline: Option<Reconnecting>,
    /// The room turned out to be another one: nothing more is exchanged.
    closed: bool,
    /// How to join again (after the room refused a change of ours).
    addr: String,
    wake: Arc<dyn Fn() + Send + Sync>,
}

impl Live {
    /// Opens a room holding `doc` on `bind` and joins it: the host's side.
    /// `code`: the room code (six random digits when `None`).
    pub fn host(
        doc: &Document,
        bind: SocketAddr,
        code: Option<String>,
        me: Presence,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<Live, JoinError> {
        let code = code.filter(|c| !c.trim().is_empty()).unwrap_or_else(wire::random_code);
        let room = Room::from_document(doc, wire::random_u64()).map_err(protocol)?;
        let relay = Relay::start(room, RelayConfig { bind, code: code.clone(), save: None })?;
        let (mut live, _) = Live::join(&relay.addr().to_string(), &code, me, wake)?;
        live.host = Some(relay);
        Ok(live)
    }

    /// Joins the room at `addr` with `code`: our side, and the document the
    /// room holds.
    pub fn join(
        addr: &str,
        code: &str,
        me: Presence,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Result<(Live, Arc<Document>), JoinError> {
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let w = Arc::clone(&wake);
        let (conn, snapshot) = client::join(addr, code, &me.name, move || w())?;
        let room = Room::from_snapshot(&snapshot, wire::random_u64()).map_err(protocol)?;
        let shown = Arc::new(room.document().map_err(protocol)?);
        let mut me = me;
        me.peer = room.peer();
        let undo = own_undo(&room);
        let live = Live {
            room,
            undo,
            conn,
            host: None,
            code: code.trim().to_owned(),
            shown: Arc::clone(&shown),
            me,
            others: BTreeMap::new(),
            told: None,
            led_at: None,
            mine: BTreeMap::new(),
            notices: Vec::new(),
            offline: None,
            closed: false,
            addr: addr.to_owned(),
            wake,
        };
        live.conn.send_presence(&live.me);
        Ok((live, shown))
    }

    /// The address others join.
    pub fn address(&self) -> SocketAddr {
        self.host.as_ref().map_or_else(|| self.conn.addr(), Relay::addr)
    }

    /// The room code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// True in the host's editor.
    pub fn is_host(&self) -> bool {
        self.host.is_some()
    }

    /// True while the connection is down (editing goes on; it joins
    /// again by itself).
    pub fn is_offline(&self) -> bool {
        self.offline.is_some()
    }

    /// True when the room at the address turned out to be another one:
    /// nothing more is exchanged with it.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Who we are.
    pub fn me(&self) -> &Presence {
        &self.me
    }

    /// The others in the room.
    pub fn others(&self) -> impl Iterator<Item = &Presence> {
        self.others.values()
    }

    /// What happened since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Our document after our own edits: what differs from the room's is
    /// written into it and sent.
    pub fn local(&mut self, doc: &Arc<Document>) {
        if Arc::ptr_eq(doc, &self.shown) || self.closed {
            return;
        }
        self.remember_mine(doc);
        let before = self.room.version();
        if let Err(e) = self.room.write(doc) {
            self.notices.push(Notice::Refused(e.to_string()));
            return;
        }
        self.shown = Arc::clone(doc);
        self.send_since(&before);
    }

    /// Tells the others which node we have selected.
    pub fn select(&mut self, node: Option<&NodeId>) {
        let now = node.map(|n| n.as_str().to_owned());
        if self.told.as_ref() == Some(&now) || self.closed {
            return;
        }
        self.me.selected.clone_from(&now);
        self.told = Some(now);
        self.conn.send_presence(&self.me);
    }

    /// Leads everyone's view (`Some`: the part of the diagram in view) or
    /// stops leading (`None`). Told at most every tenth of a second while
    /// the view moves.
    pub fn lead(&mut self, view: Option<[f32; 4]>) {
        let now = std::time::Instant::now();
        let moved = match (self.me.view, view) {
            (Some(a), Some(b)) => a.iter().zip(b).any(|(x, y)| (x - y).abs() > 0.5),
            (a, b) => a.is_some() != b.is_some(),
        };
        if !moved || self.offline.is_some() || self.closed {
            return;
        }
        let stopping = view.is_none();
        if !stopping && self.led_at.is_some_and(|t| now.duration_since(t) < std::time::Duration::from_millis(100)) {
            return;
        }
        self.led_at = Some(now);
        self.me.view = view;
        self.me.lead = view.is_some();
        self.conn.send_presence(&self.me);
    }

    /// True while this participant leads the others' views.
    pub fn leading(&self) -> bool {
        self.me.lead
    }

    /// The view of the participant who leads, and their name, if someone does.
    pub fn leader_view(&self) -> Option<([f32; 4], &str)> {
        self.others.values().find(|p| p.lead).and_then(|p| p.view.map(|v| (v, p.name.as_str())))
    }

    /// Takes what arrived: the document the room now holds when others
    /// changed it (or it refused a change of ours), else `None`.
    pub fn poll(&mut self) -> Option<Arc<Document>> {
        if self.closed {
            return None;
        }
        if self.offline.is_some() {
            return self.come_back();
        }
        let mut changed = false;
        let mut reset = None;
        let mut authors = Vec::new();
        while let Some(event) = self.conn.try_event() {
            match event {
                Event::Update(bytes) => match self.room.merge_from(&bytes) {
                    Ok(peers) => {
                        changed = true;
                        authors.extend(peers);
                    }
                    Err(e) => self.notices.push(Notice::Refused(e.to_string())),
                },
                Event::Presence(p) if p.you => self.me.color = p.color,
                Event::Presence(p) if p.left => {
                    if let Some(gone) = self.others.remove(&p.from) {
                        self.notices.push(Notice::Left(gone.name));
                    }
                }
                Event::Presence(p) => {
                    if !self.others.contains_key(&p.from) {
                        self.notices.push(Notice::Joined(p.name.clone()));
                    }
                    self.others.insert(p.from, p);
                }
                Event::Refused(why) => reset = Some(why),
                Event::Merged => {}
                Event::Closed => {
                    self.others.clear();
                    self.notices.push(Notice::Offline);
                    self.offline = Some(self.reconnect());
                    break;
                }
            }
        }
        if let Some(why) = reset {
            self.notices.push(Notice::Refused(why));
            // Our copy has a change the room does not: join again, from
            // the room as it is.
            return self.rejoin();
        }
        if !changed {
            return None;
        }
        match self.room.document() {
            Ok(doc) => {
                let by =
                    authors.iter().find_map(|p| self.others.values().find(|o| o.peer == *p)).map(|o| o.name.clone());
                self.tell_overwritten(&doc, by);
                self.shown = Arc::new(doc);
                Some(Arc::clone(&self.shown))
            }
            Err(e) => {
                self.notices.push(Notice::Refused(e.to_string()));
                None
            }
        }
    }

    /// Starts joining again in the background, every [`RETRY`].
    fn reconnect(&self) -> Reconnecting {
        let (tx, joined) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let (addr, code, name, wake, halt) =
            (self.addr.clone(), self.code.clone(), self.me.name.clone(), Arc::clone(&self.wake), Arc::clone(&stop));
        let _ = std::thread::Builder::new().name("room-reconnect".into()).spawn(move || {
            while !halt.load(Ordering::SeqCst) {
                let w = Arc::clone(&wake);
                if let Ok(joined) = client::join(&addr, &code, &name, move || w()) {
                    if tx.send(joined).is_ok() {
                        wake();
                    }
                    return;
                }
                std::thread::sleep(RETRY);
            }
        });
        Reconnecting { joined, stop }
    }

    /// Back in the room when the background join succeeded: the room's
    /// state merged into ours, ours sent to it.
    fn come_back(&mut self) -> Option<Arc<Document>> {
        let (conn, snapshot) = self.offline.as_ref()?.joined.try_recv().ok()?;
        self.offline = None;
        let theirs = Room::from_snapshot(&snapshot, wire::random_u64()).ok()?;
        let (ours, there) = (self.room.version(), theirs.version());
        let shared = ours.iter().any(|(peer, _)| there.get(peer).is_some());
        if !shared && !there.is_empty() {
            // Not the room we were in (started again from another copy):
            // merging would double the tree.
            self.closed = true;
            self.notices.push(Notice::Elsewhere);
            return None;
        }
        if self.room.merge(&snapshot).is_err() {
            return None;
        }
        self.conn = conn;
        self.conn.send_presence(&self.me);
        self.told = None;
        self.send_since(&there);
        self.notices.push(Notice::Back);
        let doc = Arc::new(self.room.document().ok()?);
        self.shown = Arc::clone(&doc);
        Some(doc)
    }

    fn rejoin(&mut self) -> Option<Arc<Document>> {
        let w = Arc::clone(&self.wake);
        let (conn, snapshot) = match client::join(&self.addr, &self.code, &self.me.name, move || w()) {
            Ok(joined) => joined,
            Err(_) => {
                self.notices.push(Notice::Offline);
                self.offline = Some(self.reconnect());
                return None;
            }
        };
        let room = Room::from_snapshot(&snapshot, wire::random_u64()).ok()?;
        let doc = Arc::new(room.document().ok()?);
        self.me.peer = room.peer();
        let undo = own_undo(&room);
        self.conn.close();
        (self.conn, self.room, self.undo) = (conn, room, undo);
        self.others.clear();
        self.told = None;
        self.conn.send_presence(&self.me);
        self.shown = Arc::clone(&doc);
        Some(doc)
    }

    /// Undoes our own last change in the room (others' stay): the document
    /// after it, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Option<Arc<Document>> {
        self.step(true)
    }

    /// Redoes our own last undone change.
    pub fn redo(&mut self) -> Option<Arc<Document>> {
        self.step(false)
    }

    /// True when there is a change of ours to undo.
    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    /// True when there is an undone change of ours to redo.
    pub fn can_redo(&self) -> bool {
        self.undo.can_redo()
    }

    fn step(&mut self, back: bool) -> Option<Arc<Document>> {
        let before = self.room.version();
        let done = if back { self.undo.undo() } else { self.undo.redo() };
        if !done.unwrap_or(false) {
            return None;
        }
        self.send_since(&before);
        let doc = self.room.document().ok()?;
        self.shown = Arc::new(doc);
        Some(Arc::clone(&self.shown))
    }

    fn send_since(&mut self, before: &loro::VersionVector) {
        if self.room.version() == *before {
            return;
        }
        match self.room.updates_since(before) {
            Ok(bytes) => self.conn.send_update(bytes),
            Err(e) => self.notices.push(Notice::Refused(e.to_string())),
        }
    }

    /// Notes the fields `doc` changes from what the room had, as ours.
    fn remember_mine(&mut self, doc: &Document) {
        self.mine.clear();
        let before = &self.shown;
        for node in doc.nodes.iter() {
            let Some(old) = before.node(&node.id) else { continue };
            if std::ptr::eq(old, &**node) {
                continue;
            }
            let (a, b) = (node_fields(old), node_fields(node));
            for (k, v) in &b {
                if a.get(k) != Some(v) {
                    self.mine.insert((node.id.as_str().to_owned(), k.clone()), v.clone());
                }
            }
        }
    }

    /// Tells which of our latest field changes `doc` replaced.
    fn tell_overwritten(&mut self, doc: &Document, by: Option<String>) {
        let mut told = Vec::new();
        for ((id, field), ours) in &self.mine {
            let Some(node) = doc.node(&NodeId::from(id.as_str())) else { continue };
            let now = node_fields(node).get(field).cloned().unwrap_or(serde_json::Value::Null);
            if now != *ours {
                let value = match &now {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => "—".to_owned(),
                    other => other.to_string(),
                };
                self.notices.push(Notice::Overwritten {
                    by: by.clone(),
                    node: node.name.clone(),
                    field: field.clone(),
                    value,
                });
                told.push((id.clone(), field.clone()));
            }
        }
        for k in told {
            self.mine.remove(&k);
        }
    }

    /// Leaves the room; the host's editor closes it for everyone.
    pub fn leave(self) {
        self.conn.close();
        if let Some(relay) = self.host {
            relay.stop();
        }
    }
}

/// The undo of one's own changes in `room`: edits closer together than
/// [`UNDO_MERGE_MS`] are one step.
fn own_undo(room: &Room) -> UndoManager {
    let mut undo = UndoManager::new(room.loro());
    undo.set_merge_interval(UNDO_MERGE_MS);
    undo
}

/// A node's fields as the file writes them.
fn node_fields(node: &crate::model::Node) -> serde_json::Map<String, serde_json::Value> {
    match crate::io::node_value(node) {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

fn protocol(e: RoomError) -> JoinError {
    JoinError::Protocol(e.to_string())
}
