//! Rooms without a window: `kpitree serve FILE` keeps a room on this
//! machine and saves its tree to FILE as it changes; `kpitree room sync
//! ADDR --code CODE FILE` is a participant for scripts: it brings FILE and
//! the room level with each other (docs/FORMAT.md, "Rooms on the network").

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args as ClapArgs, Subcommand};

use super::{EXIT_OK, LangArg, lang_of, stdio, term};
use crate::collab::client::{self, Event};
use crate::collab::relay::{self, Relay, RelayConfig, state_path};
use crate::collab::{Room, wire};
use crate::io;
use crate::lang::Lang;

/// The port a room listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7878;

/// `kpitree serve`.
#[derive(Debug, ClapArgs)]
pub struct ServeArgs {
    /// The document the room starts from; the room's tree is saved to it as it changes.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The port to listen on (0: one the system picks, printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// The address of the network interface to listen on (default: this machine's address on the local network; 0.0.0.0 for every interface).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// The room code participants must give (default: six random digits, printed at start).
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// Language of the messages (default: from the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// `kpitree room`.
#[derive(Debug, ClapArgs)]
pub struct RoomArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: RoomCommand,
    /// Language of the messages (default: from the locale).
    #[arg(long, value_enum, global = true)]
    pub lang: Option<LangArg>,
}

/// `kpitree room …`.
#[derive(Debug, Subcommand)]
pub enum RoomCommand {
    /// Bring FILE and a room level: the first sync writes FILE from the room; later ones send what changed in FILE since and write the merged tree back.
    Sync(SyncArgs),
}

/// `kpitree room sync`.
#[derive(Debug, ClapArgs)]
pub struct SyncArgs {
    /// The room's address, HOST:PORT.
    #[arg(value_name = "ADDR")]
    pub addr: String,
    /// The room code.
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// The document kept level with the room; the room's state is kept beside it as FILE.loro.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The name the others see.
    #[arg(long, default_value = "kpitree room sync")]
    pub name: String,
}

impl ServeArgs {
    /// The language of the messages.
    pub fn lang(&self) -> Lang {
        lang_of(self.lang)
    }
}

impl RoomArgs {
    /// The language of the messages.
    pub fn lang(&self) -> Lang {
        lang_of(self.lang)
    }
}

/// The room kept for `file`: its saved state when there is one (then
/// what changed in the file since is written into it), else a new room
/// holding the file.
fn room_for(file: &Path, lang: Lang) -> Result<Room, String> {
    let document = stdio::load_document(file, lang)?;
    let peer = wire::random_u64();
    let state = state_path(file);
    let mut room = match relay::read_state(file).map_err(|e| format!("{}: {e}", state.display()))? {
        Some(bytes) => Room::from_snapshot(&bytes, peer).map_err(|e| format!("{}: {e}", state.display()))?,
        None => Room::new(peer).map_err(|e| e.to_string())?,
    };
    room.write(&document).map_err(|e| e.to_string())?;
    Ok(room)
}

/// Runs `kpitree serve` until the process is ended.
pub fn serve(args: &ServeArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = args.lang();
    let room = room_for(&args.file, lang)?;
    let code = args.code.clone().unwrap_or_else(wire::random_code);
    if code.trim().is_empty() {
        return Err(lang.pick("ルームコードが空です", "the room code is empty").to_owned());
    }
    let bind = SocketAddr::new(args.bind.unwrap_or_else(relay::lan_address), args.port);
    io::check_target(&args.file).map_err(|e| io::error_message(&e, lang))?;
    let relay = Relay::start(room, RelayConfig { bind, code: code.trim().to_owned(), save: Some(args.file.clone()) })
        .map_err(|e| format!("{bind}: {e}"))?;
    let shown = args.file.display().to_string();
    let file = term(&shown);
    let addr = relay.addr();
    let line = match lang {
        Lang::Ja => format!("ルームを開きました: {addr} コード {code}({file} に保存します。Ctrl+C で閉じます)"),
        Lang::En => format!("Room open at {addr}, code {code}; saving to {file}. Ctrl+C closes it."),
    };
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// How long a sync waits for the room to take its changes.
const SYNC_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `kpitree room sync`.
pub fn sync(args: &SyncArgs, lang: Lang, out: &mut impl Write) -> Result<i32, String> {
    let (connection, snapshot) = client::join(&args.addr, &args.code, &args.name, || {}).map_err(|e| e.to_string())?;
    let peer = wire::random_u64();
    let relay_room = Room::from_snapshot(&snapshot, peer).map_err(|e| e.to_string())?;
    let state = state_path(&args.file);
    let known = relay::read_state(&args.file).map_err(|e| format!("{}: {e}", state.display()))?;
    let room = match known {
        Some(bytes) => {
            // What changed in FILE since the last sync, as edits on the
            // room's state then; merged with the room's now.
            let mut local = Room::from_snapshot(&bytes, peer).map_err(|e| format!("{}: {e}", state.display()))?;
            let document = stdio::load_document(&args.file, lang)?;
            local.write(&document).map_err(|e| e.to_string())?;
            local.merge(&snapshot).map_err(|e| e.to_string())?;
            if local.version() != relay_room.version() {
                let updates = local.updates_since(&relay_room.version()).map_err(|e| e.to_string())?;
                connection.send_update(updates);
                wait_merged(&connection, lang)?;
            }
            local
        }
        None => {
            if args.file.exists() {
                let document = stdio::load_document(&args.file, lang)?;
                let theirs = relay_room.document().map_err(|e| e.to_string())?;
                if io::to_value(&document) != io::to_value(&theirs) {
                    return Err(match lang {
                        Lang::Ja => format!(
                            "{} はこのルームと同期したことがありません(横に {} がありません)。別のファイル名を指定してください",
                            args.file.display(),
                            state.display()
                        ),
                        Lang::En => format!(
                            "{} was never synced with this room (there is no {} beside it): give another file name",
                            args.file.display(),
                            state.display()
                        ),
                    });
                }
            }
            relay_room
        }
    };
    connection.close();
    let document = room.document().map_err(|e| e.to_string())?;
    let snapshot = room.snapshot().map_err(|e| e.to_string())?;
    relay::save_room(&args.file, &document, Some(&snapshot)).map_err(|e| io::error_message(&e, lang))?;
    let _ = writeln!(out, "{}", term(&args.file.display().to_string()));
    Ok(EXIT_OK)
}

/// Waits until the room has merged our update, or says why not.
fn wait_merged(connection: &client::Connection, lang: Lang) -> Result<(), String> {
    let deadline = std::time::Instant::now() + SYNC_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match connection.wait_event(left) {
            Some(Event::Merged) => return Ok(()),
            Some(Event::Refused(why)) => {
                return Err(match lang {
                    Lang::Ja => format!("ルームが変更を受け付けませんでした: {why}"),
                    Lang::En => format!("the room refused the changes: {why}"),
                });
            }
            Some(Event::Closed) | None => {
                return Err(lang
                    .pick(
                        "ルームが変更を受け取る前に接続が切れました",
                        "the connection ended before the room took the changes",
                    )
                    .to_owned());
            }
            Some(_) => {}
        }
    }
}
