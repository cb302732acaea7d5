//! The relay: keeps a room's state and forwards each participant's Loro
//! updates to the others (docs/FORMAT.md, "Rooms on the network"). It runs
//! in the host's editor (File → ルームを開く) or alone (`kpitree serve`).
//!
//! One thread accepts; each participant has a thread that reads its frames
//! and one that writes what is sent to it, so that a slow participant never
//! holds up the others. An update is checked before it is taken
//! ([`Room::take`], on a second copy): one that Loro refuses, that depends on changes the
//! room lacks, that leaves no valid document or that closes a cycle of
//! calculations is refused, and the others never see it.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::Room;
use super::wire::{self, Hello, Kind, Presence};
use crate::model::Document;

/// Wrong room codes from one address before it must wait.
const MAX_FAILURES: u32 = 5;
/// How long an address that gave too many wrong codes waits.
const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Connections served at once (a workshop is a few dozen people).
const MAX_CONNECTIONS: usize = 128;
/// How long a participant has to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the file is written at most while participants edit.
const SAVE_EVERY: Duration = Duration::from_millis(250);

/// What a relay keeps and where.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// The address and port to listen on (port 0: one the system picks).
    pub bind: SocketAddr,
    /// The room code participants must give.
    pub code: String,
    /// The file the room's tree is saved to as it changes (atomically),
    /// with the room's state beside it ([`state_path`]).
    pub save: Option<PathBuf>,
}

/// This machine's address on the local network: the one it would reach
/// other machines from (no packet is sent); loopback when it has none.
pub fn lan_address() -> IpAddr {
    let probe = || -> std::io::Result<IpAddr> {
        let socket = std::net::UdpSocket::bind((std::net::Ipv4Addr::UNSPECIFIED, 0))?;
        // A documentation address (TEST-NET-1): connecting a UDP socket
        // only picks the route.
        socket.connect((std::net::Ipv4Addr::new(192, 0, 2, 1), 9))?;
        Ok(socket.local_addr()?.ip())
    };
    probe().ok().filter(|ip| !ip.is_unspecified()).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
}

/// Where the room's state (its Loro snapshot) is kept beside `file`:
/// `plan.kpitree.json` → `plan.kpitree.json.loro`.
pub fn state_path(file: &std::path::Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".loro");
    PathBuf::from(name)
}

/// A frame queued for one participant.
type Outgoing = (Kind, Arc<Vec<u8>>);

struct Participant {
    tx: mpsc::Sender<Outgoing>,
    stream: TcpStream,
    presence: Option<Presence>,
}

struct State {
    room: Room,
    /// A second copy, level with `room`, that takes each update first.
    shadow: Room,
    /// The document the room holds.
    document: Document,
    /// Its cycles of calculations (an update may not add one).
    cycles: usize,
    participants: HashMap<u64, Participant>,
    next_id: u64,
    /// Per address: wrong codes and when the first of them came.
    failures: HashMap<IpAddr, (u32, Instant)>,
    /// Changed since the last save.
    dirty: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Connections being served (participants and those saying hello).
    connections: std::sync::atomic::AtomicUsize,
    saved: Condvar,
    stop: AtomicBool,
    code: String,
    save: Option<PathBuf>,
}

/// A running relay; [`Relay::stop`] (or dropping it) closes the room,
/// saving what changed.
pub struct Relay {
    addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl Relay {
    /// Opens a room holding `room` on `config.bind`.
    pub fn start(room: Room, config: RelayConfig) -> io::Result<Relay> {
        let document = room.document().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        // The room's state beside the file from the start: a relay started
        // again takes up this history, and participants who kept editing
        // merge into it instead of beside it.
        if let Some(path) = &config.save {
            let snapshot = room.snapshot().map_err(|e| io::Error::other(e.to_string()))?;
            write_state(path, &snapshot)?;
        }
        let listener = TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                shadow: room.fork(wire::random_u64()).map_err(|e| io::Error::other(e.to_string()))?,
                room,
                cycles: super::cycles(&document),
                document,
                participants: HashMap::new(),
                next_id: 1,
                failures: HashMap::new(),
                dirty: false,
            }),
            saved: Condvar::new(),
            connections: std::sync::atomic::AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            code: config.code,
            save: config.save,
        });
        let mut threads = Vec::new();
        let s = Arc::clone(&shared);
        threads.push(std::thread::Builder::new().name("relay-accept".into()).spawn(move || accept(&listener, &s))?);
        if shared.save.is_some() {
            let s = Arc::clone(&shared);
            threads.push(std::thread::Builder::new().name("relay-save".into()).spawn(move || saver(&s))?);
        }
        Ok(Relay { addr, shared, threads })
    }

    /// The address participants join.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many participants are connected.
    pub fn participants(&self) -> usize {
        self.shared.state.lock().map_or(0, |s| s.participants.len())
    }

    /// The document the room holds now.
    pub fn document(&self) -> Option<Document> {
        self.shared.state.lock().ok().map(|s| s.document.clone())
    }

    /// Closes the room: every participant is disconnected and the file, if
    /// any, saved.
    pub fn stop(mut self) {
        self.close();
    }

    fn close(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Ok(mut s) = self.shared.state.lock() {
            for (_, p) in s.participants.drain() {
                let _ = p.stream.shutdown(std::net::Shutdown::Both);
            }
        }
        self.shared.saved.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        save_now(&self.shared);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.close();
        }
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((mut stream, peer)) => {
                // Connections at once are bounded: a flood of them (most
                // never saying hello) costs a refusal each, not a thread.
                if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    shared.connections.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.set_nonblocking(false);
                    refuse(&mut stream, "the room is full");
                    continue;
                }
                let s = Arc::clone(shared);
                let spawned = std::thread::Builder::new().name("relay-participant".into()).spawn(move || {
                    serve_participant(stream, peer, &s);
                    s.connections.fetch_sub(1, Ordering::SeqCst);
                });
                if spawned.is_err() {
                    shared.connections.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Refuses with `why` and closes.
fn refuse(stream: &mut TcpStream, why: &str) {
    let _ = wire::write_frame(stream, Kind::Refused, why.as_bytes());
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn serve_participant(mut stream: TcpStream, peer: SocketAddr, shared: &Arc<Shared>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(HELLO_TIMEOUT));
    let hello = match wire::read_frame(&mut stream, wire::MAX_HELLO) {
        Ok(Some((Kind::Hello, payload))) => serde_json::from_slice::<Hello>(&payload).ok(),
        _ => None,
    };
    let Some(hello) = hello else {
        return refuse(&mut stream, "no hello");
    };
    if hello.protocol != wire::PROTOCOL {
        return refuse(&mut stream, "another version of kpitree's room protocol");
    }
    let id = {
        let Ok(mut s) = shared.state.lock() else { return };
        let now = Instant::now();
        let failures = s.failures.entry(peer.ip()).or_insert((0, now));
        if now.duration_since(failures.1) > FAILURE_WINDOW {
            *failures = (0, now);
        }
        if failures.0 >= MAX_FAILURES {
            drop(s);
            return refuse(&mut stream, "too many wrong room codes: wait a minute");
        }
        if hello.code.trim() != shared.code {
            failures.0 += 1;
            drop(s);
            return refuse(&mut stream, "wrong room code");
        }
        s.failures.remove(&peer.ip());
        let Ok(snapshot) = s.room.snapshot() else { return };
        let Ok(writer) = stream.try_clone() else { return };
        let (tx, rx) = mpsc::channel::<Outgoing>();
        let id = s.next_id;
        s.next_id += 1;
        // The room first, then the others' presence: queued under the lock,
        // so that no update is sent before the room it applies to.
        let _ = tx.send((Kind::Welcome, Arc::new(snapshot)));
        for p in s.participants.values().filter_map(|p| p.presence.as_ref()) {
            if let Ok(json) = serde_json::to_vec(p) {
                let _ = tx.send((Kind::Presence, Arc::new(json)));
            }
        }
        let Ok(handle) = stream.try_clone() else { return };
        s.participants.insert(id, Participant { tx, stream: handle, presence: None });
        let _ = std::thread::Builder::new().name("relay-writer".into()).spawn(move || write_to(writer, &rx));
        id
    };
    let _ = stream.set_read_timeout(None);
    loop {
        match wire::read_frame(&mut stream, wire::MAX_FRAME) {
            Ok(Some((Kind::Update, payload))) => take_update(shared, id, &payload),
            Ok(Some((Kind::Presence, payload))) => take_presence(shared, id, &payload),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
    }
    leave(shared, id);
}

fn write_to(mut stream: TcpStream, rx: &mpsc::Receiver<Outgoing>) {
    while let Ok((kind, payload)) = rx.recv() {
        if wire::write_frame(&mut stream, kind, &payload).is_err() {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            break;
        }
    }
}

/// Sends `frame` to everyone but `except`.
fn broadcast(s: &State, except: u64, kind: Kind, payload: &Arc<Vec<u8>>) {
    for (id, p) in &s.participants {
        if *id != except {
            let _ = p.tx.send((kind, Arc::clone(payload)));
        }
    }
}

fn take_update(shared: &Shared, from: u64, payload: &[u8]) {
    let Ok(mut s) = shared.state.lock() else { return };
    // Checked on the second copy; the room's own copy takes only what
    // passed (a refused change costs a new second copy, not every change
    // a copy of the room).
    let cycles = s.cycles;
    let verdict = s.shadow.take(payload, cycles).and_then(|(after, c)| s.room.merge(payload).map(|()| (after, c)));
    if verdict.is_err() {
        match s.room.fork(wire::random_u64()) {
            Ok(fresh) => s.shadow = fresh,
            Err(e) => eprintln!("kpitree: the relay could not copy its room: {e}"),
        }
    }
    match verdict {
        Ok((after, cycles)) => {
            (s.document, s.cycles) = (after, cycles);
            s.dirty = true;
            broadcast(&s, from, Kind::Update, &Arc::new(payload.to_vec()));
            if let Some(p) = s.participants.get(&from) {
                let _ = p.tx.send((Kind::Merged, Arc::new(Vec::new())));
            }
            shared.saved.notify_all();
        }
        Err(e) => {
            if let Some(p) = s.participants.get(&from) {
                let _ = p.tx.send((Kind::Refused, Arc::new(e.to_string().into_bytes())));
            }
        }
    }
}

fn take_presence(shared: &Shared, from: u64, payload: &[u8]) {
    let Ok(mut presence) = serde_json::from_slice::<Presence>(payload) else { return };
    presence.from = from;
    presence.left = false;
    presence.you = false;
    let Ok(mut s) = shared.state.lock() else { return };
    // Everyone in a colour of their own: a colour another has is replaced
    // by the first one free, and the participant is told.
    let taken: Vec<String> = s
        .participants
        .iter()
        .filter(|(id, _)| **id != from)
        .filter_map(|(_, p)| p.presence.as_ref().map(|p| p.color.to_ascii_lowercase()))
        .collect();
    let mut recoloured = false;
    if taken.contains(&presence.color.to_ascii_lowercase())
        && let Some(free) = wire::COLOURS.iter().find(|c| !taken.contains(&(**c).to_owned()))
    {
        presence.color = (*free).to_owned();
        recoloured = true;
    }
    let Ok(json) = serde_json::to_vec(&presence) else { return };
    if recoloured
        && let Some(p) = s.participants.get(&from)
        && let Ok(back) = serde_json::to_vec(&Presence { you: true, ..presence.clone() })
    {
        let _ = p.tx.send((Kind::Presence, Arc::new(back)));
    }
    if let Some(p) = s.participants.get_mut(&from) {
        p.presence = Some(presence);
    }
    broadcast(&s, from, Kind::Presence, &Arc::new(json));
}

fn leave(shared: &Shared, id: u64) {
    let Ok(mut s) = shared.state.lock() else { return };
    let Some(gone) = s.participants.remove(&id) else { return };
    let _ = gone.stream.shutdown(std::net::Shutdown::Both);
    let presence = Presence { from: id, left: true, ..gone.presence.unwrap_or_default() };
    if let Ok(json) = serde_json::to_vec(&presence) {
        broadcast(&s, id, Kind::Presence, &Arc::new(json));
    }
}

/// Saves the room when it changed, at most every [`SAVE_EVERY`].
fn saver(shared: &Shared) {
    while !shared.stop.load(Ordering::SeqCst) {
        {
            let Ok(s) = shared.state.lock() else { return };
            let Ok(_s) =
                shared.saved.wait_timeout_while(s, SAVE_EVERY, |s| !s.dirty && !shared.stop.load(Ordering::SeqCst))
            else {
                return;
            };
        }
        save_now(shared);
        std::thread::sleep(SAVE_EVERY);
    }
}

/// Writes the file and the room's state beside it, when the room changed.
fn save_now(shared: &Shared) {
    let Some(path) = &shared.save else { return };
    let (document, snapshot) = {
        let Ok(mut s) = shared.state.lock() else { return };
        if !s.dirty {
            return;
        }
        s.dirty = false;
        (s.document.clone(), s.room.snapshot())
    };
    if let Err(e) = save_room(path, &document, snapshot.ok().as_deref()) {
        eprintln!("kpitree: could not save {}: {e}", path.display());
        if let Ok(mut s) = shared.state.lock() {
            s.dirty = true;
        }
    }
}

/// Writes `document` to `path` and the room's `snapshot` beside it, each
/// atomically.
pub fn save_room(path: &std::path::Path, document: &Document, snapshot: Option<&[u8]>) -> io::Result<()> {
    if let Some(bytes) = snapshot {
        write_state(path, bytes)?;
    }
    crate::io::save(path, document)
}

/// The room's state kept beside `file` ([`state_path`]), if there is one.
pub fn read_state(file: &std::path::Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(state_path(file)) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Writes the room's state (`snapshot`) beside `file`, atomically.
pub fn write_state(file: &std::path::Path, snapshot: &[u8]) -> io::Result<()> {
    crate::io::write_atomic(&state_path(file), |f| io::Write::write_all(f, snapshot))
}
