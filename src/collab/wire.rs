//! What a relay and its participants say to each other over TCP
//! (docs/FORMAT.md, "Rooms on the network"): frames of a 4-byte big-endian
//! length, one byte of kind and the payload. The relay forwards Loro
//! updates and keeps the room's state; it never merges anything itself
//! beyond importing them into its own copy (Loro does the merging).

use std::io::{self, Read, Write};

/// What a frame carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Participant → relay, first: [`Hello`] as JSON.
    Hello = 1,
    /// Relay → participant, after a good hello: the room (a Loro snapshot).
    Welcome = 2,
    /// Either way: Loro updates.
    Update = 3,
    /// Relay → participant: why it was turned away or its update refused
    /// (UTF-8 text); the relay closes the connection after a refused hello.
    Refused = 4,
    /// Relay → participant: its last update is merged and forwarded.
    Merged = 5,
    /// Either way: who is in the room and what they have selected
    /// ([`Presence`] as JSON); the relay forwards it.
    Presence = 6,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Hello,
            2 => Kind::Welcome,
            3 => Kind::Update,
            4 => Kind::Refused,
            5 => Kind::Merged,
            6 => Kind::Presence,
            _ => return None,
        })
    }
}

/// The most a frame carries: a room's snapshot of a few hundred thousand
/// nodes fits; a peer that announces more is cut off before anything is
/// allocated.
pub const MAX_FRAME: usize = 256 << 20;

/// The most a hello carries (read before the room code is checked).
pub const MAX_HELLO: usize = 4 << 10;

/// The protocol's version, in every hello: a relay turns away other ones.
pub const PROTOCOL: u32 = 1;

/// A participant's first frame.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Hello {
    /// [`PROTOCOL`].
    pub protocol: u32,
    /// The room code the host shows.
    pub code: String,
    /// The participant's name, shown to the others.
    pub name: String,
}

/// One participant as the others see them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Default)]
pub struct Presence {
    /// Their name.
    pub name: String,
    /// Their colour, `#rrggbb`.
    pub color: String,
    /// The node they have selected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// The participant's number in the room's document (Loro's peer id):
    /// whose changes an update carries.
    #[serde(default)]
    pub peer: u64,
    /// The part of the diagram in view (x0, y0, x1, y1), told while the
    /// participant leads ([`Presence::lead`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<[f32; 4]>,
    /// Everyone's view follows this participant's (the facilitator's
    /// "follow me", for a presentation).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lead: bool,
    /// Set by the relay: the connection this comes from (a participant
    /// leaving is a presence with `left`).
    #[serde(default)]
    pub from: u64,
    /// The participant has left the room.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left: bool,
    /// Set by the relay on the copy it sends back to the participant
    /// itself: this is you (with the colour the relay gave you when yours
    /// was taken).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub you: bool,
}

/// The colours participants are given when the one they asked for is
/// taken: distinct from each other, from the kinds' colours and from the
/// selection's blue.
pub const COLOURS: [&str; 8] = ["#e8710a", "#9334e6", "#12b5cb", "#d01884", "#188038", "#b06000", "#5f6368", "#1967d2"];

/// Writes one frame.
pub fn write_frame(w: &mut impl Write, kind: Kind, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len() + 1)
        .ok()
        .filter(|&l| l as usize <= MAX_FRAME)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a frame larger than the protocol allows"))?;
    let mut head = [0u8; 5];
    head[..4].copy_from_slice(&len.to_be_bytes());
    head[4] = kind as u8;
    w.write_all(&head)?;
    w.write_all(payload)?;
    w.flush()
}

/// Reads one frame of at most `max` bytes: `Ok(None)` when the peer closed
/// the connection between frames.
pub fn read_frame(r: &mut impl Read, max: usize) -> io::Result<Option<(Kind, Vec<u8>)>> {
    let mut head = [0u8; 5];
    match r.read_exact(&mut head[..1]) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    r.read_exact(&mut head[1..])?;
    let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if len == 0 || len > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("a frame of {len} bytes")));
    }
    let kind = Kind::from_byte(head[4])
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("a frame of unknown kind {}", head[4])))?;
    let mut payload = Vec::new();
    // Read as it arrives: a peer that announces much and sends little does
    // not make us allocate what it announced.
    r.take(len as u64 - 1).read_to_end(&mut payload)?;
    if payload.len() != len - 1 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection closed inside a frame"));
    }
    Ok(Some((kind, payload)))
}

/// Six random digits: a room code.
pub fn random_code() -> String {
    format!("{:06}", random_u64() % 1_000_000)
}

/// A random number from the system's generator (a participant's peer id,
/// a room code).
pub fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // No system randomness: the clock and the process, which still
        // differ between participants.
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        #[allow(clippy::cast_possible_truncation, reason = "mixing bits, not a count")]
        return (t as u64) ^ (u64::from(std::process::id()) << 32);
    }
    u64::from_le_bytes(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_peer_announcing_too_much_is_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, Kind::Update, b"abc").unwrap();
        write_frame(&mut buf, Kind::Merged, b"").unwrap();
        let mut r = &buf[..];
        assert_eq!(read_frame(&mut r, 100).unwrap(), Some((Kind::Update, b"abc".to_vec())));
        assert_eq!(read_frame(&mut r, 100).unwrap(), Some((Kind::Merged, Vec::new())));
        assert_eq!(read_frame(&mut r, 100).unwrap(), None, "closed between frames");
        let mut big = Vec::new();
        big.extend_from_slice(&(1u32 << 30).to_be_bytes());
        big.push(Kind::Update as u8);
        assert!(read_frame(&mut &big[..], MAX_FRAME).is_err());
        let cut = &buf[..6];
        assert!(read_frame(&mut &cut[..], 100).is_err(), "closed inside a frame");
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..20 {
            let c = random_code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
