//! Rooms in the editor: File → ルームを開く (host: the relay runs in this
//! window, its address and code are shown as text and a QR code), File →
//! ルームに参加 (join by address and code), the people in the room in the
//! bottom panel, their selections as coloured rings on the cards, and what
//! happens in the room as short notes. Every local edit is written into the
//! room at the end of its frame; others' changes arrive as one step that
//! is no step of the undo history, and Ctrl+Z undoes one's own changes only.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use egui::{Color32, Context};

use super::app::KpiApp;
use super::i18n::T;
use crate::collab::live::{Live, Notice};
use crate::collab::wire::{self, Presence};
use crate::lang::Lang;
use crate::model::NodeId;

/// The settings keys of the name and colour one is known by in rooms.
const NAME_KEY: &str = "room.name";
const COLOR_KEY: &str = "room.color";
/// The port a room listens on unless told otherwise.
const DEFAULT_PORT: u16 = 7878;
/// How long a note about the room stays.
const NOTE_FOR: Duration = Duration::from_secs(5);

/// A dialog of the room.
enum Dialog {
    Host { name: String, bind: String, port: String, error: Option<String> },
    Join { name: String, addr: String, code: String, error: Option<String> },
}

impl Dialog {
    /// The name typed.
    fn name(&self) -> &str {
        match self {
            Dialog::Host { name, .. } | Dialog::Join { name, .. } => name,
        }
    }

    /// Says what went wrong, under the fields.
    fn set_error(&mut self, message: String) {
        match self {
            Dialog::Host { error, .. } | Dialog::Join { error, .. } => *error = Some(message),
        }
    }
}

/// The room's part of the editor.
#[derive(Default)]
pub(super) struct RoomUi {
    /// This editor in a room.
    pub live: Option<Live>,
    dialog: Option<Dialog>,
    /// The window with the invitation (address, code, QR) and the people.
    info: bool,
    notes: Vec<(String, Instant)>,
    /// The QR code of the invitation shown: its text, its modules, its width.
    qr: Option<(String, Vec<bool>, usize)>,
    /// The leader's view last shown here.
    followed: Option<[f32; 4]>,
}

impl RoomUi {
    /// True while a room dialog asks something (the canvas's keys are off).
    pub fn asking(&self) -> bool {
        self.dialog.is_some()
    }
}

/// A `#rrggbb` colour, grey when it is none.
pub(super) fn colour_of(text: &str) -> Color32 {
    let hex = text.trim_start_matches('#');
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
    match (byte(0), byte(2), byte(4)) {
        (Some(r), Some(g), Some(b)) if hex.len() == 6 => Color32::from_rgb(r, g, b),
        _ => Color32::GRAY,
    }
}

/// What a QR code or a pasted invitation carries: `kpitree://join/ADDR?code=CODE`.
fn invitation(addr: SocketAddr, code: &str) -> String {
    format!("kpitree://join/{addr}?code={code}")
}

/// An address typed or pasted into the join dialog: `HOST:PORT`, `HOST`
/// (the default port) or a whole invitation (then its code too).
fn read_address(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("kpitree://join/") {
        let (addr, code) = rest.split_once("?code=").map_or((rest, None), |(a, c)| (a, Some(c.to_owned())));
        return (addr.to_owned(), code);
    }
    let has_port = text.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) && !text.ends_with(']');
    if has_port { (text.to_owned(), None) } else { (format!("{text}:{DEFAULT_PORT}"), None) }
}

impl KpiApp {
    /// The name and colour this editor is known by in rooms (remembered).
    fn me(&mut self, name: &str) -> Presence {
        let name = name.trim().to_owned();
        self.settings.set(NAME_KEY, &name);
        let color = match self.settings.get(COLOR_KEY) {
            Some(c) if colour_of(c) != Color32::GRAY => c.to_owned(),
            _ => {
                #[allow(clippy::cast_possible_truncation, reason = "a random index below 8")]
                let c = wire::COLOURS[(wire::random_u64() % wire::COLOURS.len() as u64) as usize].to_owned();
                self.settings.set(COLOR_KEY, &c);
                c
            }
        };
        let _ = self.settings.save();
        Presence { name, color, ..Presence::default() }
    }

    fn remembered_name(&self) -> String {
        self.settings
            .get(NAME_KEY)
            .map(str::to_owned)
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_default()
    }

    /// File → ルームを開く….
    pub(super) fn host_room_dialog(&mut self) {
        if self.room.live.is_some() {
            self.room.info = true;
            return;
        }
        let bind = crate::collab::relay::lan_address().to_string();
        self.room.dialog =
            Some(Dialog::Host { name: self.remembered_name(), bind, port: DEFAULT_PORT.to_string(), error: None });
    }

    /// File → ルームに参加….
    pub(super) fn join_room_dialog(&mut self) {
        if self.room.live.is_some() {
            self.room.info = true;
            return;
        }
        self.room.dialog =
            Some(Dialog::Join { name: self.remembered_name(), addr: String::new(), code: String::new(), error: None });
    }

    /// File → ルームの招待と参加者.
    pub(super) fn room_info(&mut self) {
        self.room.info = self.room.live.is_some();
    }

    /// File → ルームを出る (the host closes the room for everyone).
    pub(super) fn leave_room(&mut self) {
        if let Some(live) = self.room.live.take() {
            live.leave();
        }
        self.room.info = false;
        crate::model::set_id_tag(None);
    }

    fn wake(&self) -> impl Fn() + Send + Sync + 'static {
        let ctx = self.repaint.clone();
        move || ctx.request_repaint()
    }

    fn start_room(&mut self, name: &str, bind: &str, port: &str) -> Result<(), String> {
        let lang = self.lang;
        let ip: IpAddr = bind.trim().parse().map_err(|_| T::RoomBadAddress.get(lang).to_owned())?;
        let port: u16 = port.trim().parse().map_err(|_| T::RoomBadPort.get(lang).to_owned())?;
        let me = self.me(name);
        let live = Live::host(self.session.document(), SocketAddr::new(ip, port), None, me, self.wake())
            .map_err(|e| e.to_string())?;
        self.enter(live);
        self.room.info = true;
        Ok(())
    }

    /// Joins the room; the current document is replaced by the room's
    /// (unsaved changes were asked about first).
    pub(super) fn join_now(&mut self, name: &str, addr: &str, code: &str) -> Result<(), String> {
        let me = self.me(name);
        let (live, doc) = Live::join(addr, code, me, self.wake()).map_err(|e| e.to_string())?;
        self.replace_document((*doc).clone(), None);
        self.enter(live);
        Ok(())
    }

    fn enter(&mut self, live: Live) {
        // New ids carry this editor's tag: two people adding a KPI at once
        // never make the same id.
        crate::model::set_id_tag(Some(format!("{:04x}", live.me().peer & 0xffff)));
        self.room.live = Some(live);
    }

    /// Takes the others' changes and what happened in the room (start of
    /// the frame).
    pub(super) fn room_poll(&mut self) {
        let Some(live) = self.room.live.as_mut() else { return };
        let changed = live.poll();
        let notices = live.take_notices();
        let closed = live.is_closed();
        if let Some(doc) = changed {
            self.session.apply_remote(doc);
            self.after_change();
        }
        let lang = self.lang;
        for n in notices {
            let text = note(&n, lang);
            self.room.notes.push((text, Instant::now()));
        }
        if closed {
            self.leave_room();
        }
    }

    /// Sends this frame's edits and selection to the room (end of the
    /// frame), and the view while leading; follows the leader's view.
    pub(super) fn room_push(&mut self) {
        let Some(live) = self.room.live.as_mut() else { return };
        live.local(self.session.document());
        live.select(self.selection.primary());
        if live.leading() {
            let v = self.canvas.view();
            live.lead(Some([v.min.x, v.min.y, v.max.x, v.max.y]));
            // The last move is told too, after the pause between tellings.
            self.repaint.request_repaint_after(Duration::from_millis(150));
        } else if let Some((v, _)) = live.leader_view() {
            if self.room.followed != Some(v) {
                self.room.followed = Some(v);
                self.canvas.show_area(egui::Rect::from_min_max(egui::pos2(v[0], v[1]), egui::pos2(v[2], v[3])));
            }
        } else {
            self.room.followed = None;
        }
    }

    /// Ctrl+Z in a room: one's own last change; true when in a room.
    pub(super) fn room_undo(&mut self, back: bool) -> bool {
        let Some(live) = self.room.live.as_mut() else { return false };
        // What this frame typed goes to the room first.
        live.local(self.session.document());
        let doc = if back { live.undo() } else { live.redo() };
        if let Some(doc) = doc {
            self.session.apply_remote(doc);
            self.after_change();
        }
        true
    }

    /// Whether Edit → Undo / Redo have something to do.
    pub(super) fn can_undo_redo(&self) -> (bool, bool) {
        match &self.room.live {
            Some(live) => (live.can_undo(), live.can_redo()),
            None => (self.session.can_undo(), self.session.can_redo()),
        }
    }

    /// The others' selections: node, colour, name.
    pub(super) fn presence_rings(&self) -> Vec<(NodeId, Color32, String)> {
        let Some(live) = &self.room.live else { return Vec::new() };
        live.others()
            .filter_map(|p| {
                p.selected.as_ref().map(|s| (NodeId::from(s.as_str()), colour_of(&p.color), p.name.clone()))
            })
            .collect()
    }

    /// The people in the room, for the bottom panel's line.
    pub(super) fn room_line(&self, ui: &mut egui::Ui) {
        let Some(live) = &self.room.live else { return };
        let lang = self.lang;
        ui.separator();
        ui.label(egui::RichText::new(format!("{} {}", T::RoomTitle.get(lang), live.address())).strong());
        if live.is_offline() {
            ui.label(egui::RichText::new(T::RoomOfflineMark.get(lang)).color(Color32::from_rgb(0xc5, 0x22, 0x1f)));
        }
        for p in std::iter::once(live.me()).chain(live.others()) {
            ui.label(egui::RichText::new("●").color(colour_of(&p.color)));
            ui.label(&p.name);
        }
        if let Some((_, name)) = live.leader_view() {
            ui.label(egui::RichText::new(format!("{name} {}", T::RoomFollowing.get(lang))).italics());
        }
    }

    /// The room's dialogs, its window and its notes.
    pub(super) fn room_ui(&mut self, ctx: &Context) {
        let lang = self.lang;
        self.room_dialog_ui(ctx, lang);
        self.room_window(ctx, lang);
        self.room.notes.retain(|(_, at)| at.elapsed() < NOTE_FOR);
        if !self.room.notes.is_empty() {
            egui::Area::new(egui::Id::new("kpitree-room-notes")).anchor(egui::Align2::RIGHT_TOP, [-340.0, 64.0]).show(
                ctx,
                |ui| {
                    for (text, _) in &self.room.notes {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_max_width(360.0);
                            ui.label(text.as_str());
                        });
                    }
                },
            );
            ctx.request_repaint_after(Duration::from_millis(500));
        }
    }

    fn room_dialog_ui(&mut self, ctx: &Context, lang: Lang) {
        let Some(mut dialog) = self.room.dialog.take() else { return };
        let mut outcome: Option<bool> = None;
        egui::Modal::new(egui::Id::new("kpitree-room-dialog")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            let grid = |ui: &mut egui::Ui, rows: Vec<(T, &mut String)>| {
                egui::Grid::new("kpitree-room-fields").num_columns(2).spacing([12.0, 8.0]).show(ui, |ui| {
                    for (label, value) in rows {
                        let l = ui.label(label.get(lang));
                        ui.add(egui::TextEdit::singleline(value).desired_width(240.0)).labelled_by(l.id);
                        ui.end_row();
                    }
                });
            };
            let (title, body, ok, rows, error) = match &mut dialog {
                Dialog::Host { name, bind, port, error } => (
                    T::RoomHostTitle,
                    T::RoomHostBody,
                    T::RoomStart,
                    vec![(T::RoomYourName, name), (T::RoomInterface, bind), (T::RoomPort, port)],
                    error.clone(),
                ),
                Dialog::Join { name, addr, code, error } => (
                    T::RoomJoinTitle,
                    T::RoomJoinBody,
                    T::RoomJoin,
                    vec![(T::RoomYourName, name), (T::RoomAddress, addr), (T::RoomCode, code)],
                    error.clone(),
                ),
            };
            ui.heading(title.get(lang));
            ui.label(body.get(lang));
            ui.add_space(6.0);
            grid(ui, rows);
            if let Some(e) = error {
                ui.colored_label(Color32::from_rgb(0xc5, 0x22, 0x1f), e);
            }
            ui.add_space(6.0);
            outcome = match super::question::buttons(ui, &[ok.get(lang), T::Cancel.get(lang)], 0, 1) {
                Some(0) => Some(true),
                Some(_) => Some(false),
                None => None,
            };
        });
        if outcome == Some(true) && dialog.name().trim().is_empty() {
            dialog.set_error(T::RoomNoName.get(lang).to_owned());
            self.room.dialog = Some(dialog);
            return;
        }
        match outcome {
            Some(true) => {
                let result = match &dialog {
                    Dialog::Host { name, bind, port, .. } => {
                        let (name, bind, port) = (name.clone(), bind.clone(), port.clone());
                        self.start_room(&name, &bind, &port)
                    }
                    Dialog::Join { name, addr, code, .. } => {
                        let (addr, from_link) = read_address(addr);
                        let code = from_link.unwrap_or_else(|| code.clone());
                        if self.is_dirty() {
                            self.files.ask_then_join(name.clone(), addr, code);
                            Ok(())
                        } else {
                            let name = name.clone();
                            self.join_now(&name, &addr, &code)
                        }
                    }
                };
                if let Err(e) = result {
                    dialog.set_error(format!("{}: {e}", T::RoomFailed.get(lang)));
                    self.room.dialog = Some(dialog);
                }
            }
            Some(false) => {}
            None => self.room.dialog = Some(dialog),
        }
    }

    fn room_window(&mut self, ctx: &Context, lang: Lang) {
        if !self.room.info {
            return;
        }
        let Some(live) = &self.room.live else {
            self.room.info = false;
            return;
        };
        let (addr, code, host) = (live.address(), live.code().to_owned(), live.is_host());
        let people: Vec<Presence> = std::iter::once(live.me().clone()).chain(live.others().cloned()).collect();
        let link = invitation(addr, &code);
        if self.room.qr.as_ref().is_none_or(|(t, _, _)| *t != link) {
            self.room.qr = qrcode::QrCode::new(link.as_bytes()).ok().map(|q| {
                let width = q.width();
                let dark = q.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
                (link.clone(), dark, width)
            });
        }
        let mut open = true;
        let mut leave = false;
        let mut follow = live.leading();
        let mut follow_changed = false;
        egui::Window::new(T::RoomTitle.get(lang))
            .id(egui::Id::new("kpitree-room-window"))
            .open(&mut open)
            .resizable(false)
            .default_pos([480.0, 120.0])
            .show(ctx, |ui| {
                egui::Grid::new("kpitree-room-invite").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
                    ui.label(T::RoomAddress.get(lang));
                    ui.label(egui::RichText::new(addr.to_string()).size(20.0).strong());
                    ui.end_row();
                    ui.label(T::RoomCode.get(lang));
                    ui.label(egui::RichText::new(&code).size(20.0).strong());
                    ui.end_row();
                });
                ui.label(egui::RichText::new(T::RoomInvite.get(lang)).small());
                if let Some((_, dark, width)) = &self.room.qr {
                    qr_ui(ui, dark, *width);
                }
                ui.separator();
                ui.label(egui::RichText::new(T::RoomPeople.get(lang)).strong());
                for (k, p) in people.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(egui::RichText::new("●").color(colour_of(&p.color)));
                        let mut text = p.name.clone();
                        if k == 0 {
                            text.push(' ');
                            text.push_str(T::RoomYou.get(lang));
                            if host {
                                text.push_str(&format!(" · {}", T::RoomHostMark.get(lang)));
                            }
                        }
                        ui.label(text);
                    });
                }
                ui.separator();
                if ui.checkbox(&mut follow, T::RoomFollowMe.get(lang)).changed() {
                    follow_changed = true;
                }
                let label = if host { T::RoomClose } else { T::RoomLeave };
                if ui.button(label.get(lang)).clicked() {
                    leave = true;
                }
            });
        self.room.info = open;
        if follow_changed && let Some(live) = self.room.live.as_mut() {
            let v = self.canvas.view();
            live.lead(follow.then_some([v.min.x, v.min.y, v.max.x, v.max.y]));
        }
        if leave {
            self.leave_room();
        }
    }
}

/// The QR code, drawn as squares with the quiet zone around them.
#[allow(clippy::cast_precision_loss, reason = "a QR code is at most 177 modules wide")]
fn qr_ui(ui: &mut egui::Ui, dark: &[bool], width: usize) {
    let module = 4.0;
    let quiet = 4.0 * module;
    let side = width as f32 * module + 2.0 * quiet;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
        let (x, y) = ((i % width) as f32, (i / width) as f32);
        let min = rect.min + egui::vec2(quiet + x * module, quiet + y * module);
        painter.rect_filled(egui::Rect::from_min_size(min, egui::vec2(module, module)), 0.0, Color32::BLACK);
    }
}

/// A notice as the note says it.
fn note(n: &Notice, lang: Lang) -> String {
    match n {
        Notice::Joined(name) => format!("{name}{}", T::RoomJoined.get(lang)),
        Notice::Left(name) => format!("{name}{}", T::RoomLeft.get(lang)),
        Notice::Refused(why) => format!("{} {why}", T::RoomRefused.get(lang)),
        Notice::Offline => T::RoomOffline.get(lang).to_owned(),
        Notice::Back => T::RoomBack.get(lang).to_owned(),
        Notice::Elsewhere => T::RoomElsewhere.get(lang).to_owned(),
        Notice::Overwritten { by, node, field, value } => {
            let field_name = field_label(field, lang);
            let who = by.clone().unwrap_or_else(|| T::RoomSomeone.get(lang).to_owned());
            match lang {
                Lang::Ja => format!("{who}さんが「{node}」の{field_name}を {value} に変更しました"),
                Lang::En => format!("{who} changed the {field_name} of “{node}” to {value}"),
            }
        }
    }
}

/// A field of a node as the inspector calls it.
fn field_label(field: &str, lang: Lang) -> String {
    let t = match field {
        "name" => T::Name,
        "unit" => T::Unit,
        "target" => T::Target,
        "actual" => T::Actual,
        "kind" => T::Kind,
        _ => return field.to_owned(),
    };
    t.get(lang).to_owned()
}

impl KpiApp {
    /// Opens a room on 127.0.0.1 (a port the system picks) as `name`: its
    /// address and code (tests).
    #[doc(hidden)]
    pub fn host_room_for_test(&mut self, name: &str) -> Result<(String, String), String> {
        self.start_room(name, "127.0.0.1", "0")?;
        let live = self.room.live.as_ref().ok_or("no room")?;
        Ok((live.address().to_string(), live.code().to_owned()))
    }

    /// Joins a room as `name`, whatever the document had unsaved (tests).
    #[doc(hidden)]
    pub fn join_room_for_test(&mut self, name: &str, addr: &str, code: &str) -> Result<(), String> {
        self.join_now(name, addr, code)
    }

    /// The names of the people in the room, oneself first (tests).
    #[doc(hidden)]
    pub fn room_people_for_test(&self) -> Vec<String> {
        self.room
            .live
            .as_ref()
            .map(|l| std::iter::once(l.me()).chain(l.others()).map(|p| p.name.clone()).collect())
            .unwrap_or_default()
    }

    /// The others' selections as the canvas rings them: node and name (tests).
    #[doc(hidden)]
    pub fn presence_for_test(&self) -> Vec<(NodeId, String)> {
        self.presence_rings().into_iter().map(|(id, _, name)| (id, name)).collect()
    }

    /// Everyone's view follows this window's, or no longer (tests).
    #[doc(hidden)]
    pub fn follow_me_for_test(&mut self, on: bool) {
        let v = self.canvas.view();
        if let Some(live) = self.room.live.as_mut() {
            live.lead(on.then_some([v.min.x, v.min.y, v.max.x, v.max.y]));
        }
    }

    /// The name of who leads the view, if someone does (tests).
    #[doc(hidden)]
    pub fn room_leader_for_test(&self) -> Option<String> {
        self.room.live.as_ref()?.leader_view().map(|(_, name)| name.to_owned())
    }

    /// The notes about the room on screen (tests).
    #[doc(hidden)]
    pub fn room_notes_for_test(&self) -> Vec<String> {
        self.room.notes.iter().map(|(t, _)| t.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_without_a_port_gets_the_rooms_and_an_invitation_gives_its_code() {
        assert_eq!(read_address(" 192.168.1.5 "), ("192.168.1.5:7878".to_owned(), None));
        assert_eq!(read_address("192.168.1.5:9000"), ("192.168.1.5:9000".to_owned(), None));
        let link = invitation("10.0.0.2:7878".parse().unwrap(), "123456");
        assert_eq!(read_address(&link), ("10.0.0.2:7878".to_owned(), Some("123456".to_owned())));
        assert_eq!(colour_of("#1967d2"), Color32::from_rgb(0x19, 0x67, 0xd2));
        assert_eq!(colour_of("nope"), Color32::GRAY);
    }
}
