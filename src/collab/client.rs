//! A participant's connection to a relay: the hello, the room it sends
//! back, then updates and presence both ways. Frames are read on a thread
//! of their own and arrive as [`Event`]s; what is sent is written by
//! another, so that the editor never waits on the network.

use std::io;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::time::Duration;

use super::wire::{self, Hello, Kind, Presence};

/// How long joining waits for the relay.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// What the relay said.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Another participant's changes (Loro updates).
    Update(Vec<u8>),
    /// Our last update was merged and forwarded.
    Merged,
    /// Our last update was refused, and why (the relay's words).
    Refused(String),
    /// A participant's presence (or that they left).
    Presence(Presence),
    /// The connection ended (the relay closed the room, or the network).
    Closed,
}

/// Why joining failed.
#[derive(Debug)]
pub enum JoinError {
    /// No connection: the address, the network, or no relay there.
    Io(io::Error),
    /// The relay turned us away, and why (a wrong room code, too many).
    Refused(String),
    /// The relay said something else than a room.
    Protocol(String),
}

impl std::fmt::Display for JoinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JoinError::Io(e) => write!(f, "could not reach the room: {e}"),
            JoinError::Refused(why) => write!(f, "the room refused to let us in: {why}"),
            JoinError::Protocol(what) => write!(f, "the room answered something unexpected: {what}"),
        }
    }
}

impl std::error::Error for JoinError {}

impl From<io::Error> for JoinError {
    fn from(e: io::Error) -> Self {
        JoinError::Io(e)
    }
}

/// A participant's live connection.
pub struct Connection {
    tx: mpsc::Sender<(Kind, Vec<u8>)>,
    events: mpsc::Receiver<Event>,
    stream: TcpStream,
    addr: SocketAddr,
}

/// Joins the room at `addr` (`host:port`) with `code` as `name`: the
/// connection and the room's snapshot. `wake` is called whenever an event
/// arrives (the editor asks for a repaint).
pub fn join(
    addr: &str,
    code: &str,
    name: &str,
    wake: impl Fn() + Send + 'static,
) -> Result<(Connection, Vec<u8>), JoinError> {
    let target = addr
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| JoinError::Io(io::Error::new(io::ErrorKind::NotFound, format!("no address {addr}"))))?;
    let mut stream = TcpStream::connect_timeout(&target, JOIN_TIMEOUT)?;
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(JOIN_TIMEOUT))?;
    let hello = Hello { protocol: wire::PROTOCOL, code: code.trim().to_owned(), name: name.to_owned() };
    let json = serde_json::to_vec(&hello).map_err(|e| JoinError::Protocol(e.to_string()))?;
    wire::write_frame(&mut stream, Kind::Hello, &json)?;
    let snapshot = match wire::read_frame(&mut stream, wire::MAX_FRAME)? {
        Some((Kind::Welcome, snapshot)) => snapshot,
        Some((Kind::Refused, why)) => return Err(JoinError::Refused(String::from_utf8_lossy(&why).into_owned())),
        Some((kind, _)) => return Err(JoinError::Protocol(format!("{kind:?} before the room"))),
        None => return Err(JoinError::Protocol("the relay closed the connection".into())),
    };
    stream.set_read_timeout(None)?;
    let (tx, outgoing) = mpsc::channel::<(Kind, Vec<u8>)>();
    let (incoming, events) = mpsc::channel();
    let mut writer = stream.try_clone()?;
    std::thread::Builder::new().name("room-writer".into()).spawn(move || {
        while let Ok((kind, payload)) = outgoing.recv() {
            if wire::write_frame(&mut writer, kind, &payload).is_err() {
                break;
            }
        }
    })?;
    let mut reader = stream.try_clone()?;
    std::thread::Builder::new().name("room-reader".into()).spawn(move || {
        loop {
            let event = match wire::read_frame(&mut reader, wire::MAX_FRAME) {
                Ok(Some((Kind::Update, bytes))) => Event::Update(bytes),
                Ok(Some((Kind::Merged, _))) => Event::Merged,
                Ok(Some((Kind::Refused, why))) => Event::Refused(String::from_utf8_lossy(&why).into_owned()),
                Ok(Some((Kind::Presence, json))) => match serde_json::from_slice(&json) {
                    Ok(p) => Event::Presence(p),
                    Err(_) => continue,
                },
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => {
                    let _ = incoming.send(Event::Closed);
                    wake();
                    break;
                }
            };
            if incoming.send(event).is_err() {
                break;
            }
            wake();
        }
    })?;
    Ok((Connection { tx, events, stream, addr: target }, snapshot))
}

impl Connection {
    /// Sends our changes (Loro updates) to the room.
    pub fn send_update(&self, updates: Vec<u8>) {
        let _ = self.tx.send((Kind::Update, updates));
    }

    /// Tells the others who we are and what we have selected.
    pub fn send_presence(&self, presence: &Presence) {
        if let Ok(json) = serde_json::to_vec(presence) {
            let _ = self.tx.send((Kind::Presence, json));
        }
    }

    /// The next event, if one has arrived.
    pub fn try_event(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }

    /// The next event, waiting at most `timeout`.
    pub fn wait_event(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// The relay's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Leaves the room.
    pub fn close(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}
