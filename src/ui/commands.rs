//! Every user action in one table: its label in both languages, its keys,
//! its menu group, and (in `app.rs`) one handler. Menus, the toolbar, the
//! command palette, the shortcut overlay and the keyboard all read this
//! table, so they cannot drift apart.

use egui::{Event, Key, Modifiers};

use crate::lang::Lang;

/// A key that runs a command: a key with modifiers, or a typed character
/// (operators and `?` come as text, whatever the keyboard layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// A key press with exactly these modifiers.
    Key(Modifiers, Key),
    /// A character typed (any of these spellings: ASCII, full width, IME).
    Typed(&'static [&'static str]),
}

impl Binding {
    /// The binding as people read it (`Ctrl+S`, `+`).
    pub fn text(self, lang: Lang) -> String {
        match self {
            Binding::Key(m, k) => shortcut_name(m, k, lang),
            Binding::Typed(t) => t.join(" "),
        }
    }
}

/// A key as the keyboard labels it, in the UI's language: ← for the left
/// arrow, スペース / Space, ＋ (Japanese) or + for the plus key; with the
/// modifiers first (Ctrl+＋, or ⌘ on a Mac).
pub fn shortcut_name(modifiers: Modifiers, key: Key, lang: Lang) -> String {
    let mut out = String::new();
    let mac = cfg!(target_os = "macos");
    if modifiers.command || modifiers.ctrl {
        out.push_str(if mac { "⌘" } else { "Ctrl+" });
    }
    if modifiers.alt {
        out.push_str(if mac { "⌥" } else { "Alt+" });
    }
    if modifiers.shift {
        out.push_str(if mac { "⇧" } else { "Shift+" });
    }
    let ja = lang == Lang::Ja;
    let name = match key {
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        Key::ArrowUp => "↑",
        Key::ArrowDown => "↓",
        Key::Space => lang.pick("スペース", "Space"),
        Key::Escape => "Esc",
        Key::Plus if ja => "＋",
        Key::Minus if ja => "－",
        Key::Equals if ja => "＝",
        Key::Plus => "+",
        Key::Minus => "-",
        Key::Equals => "=",
        other => other.name(),
    };
    out.push_str(name);
    out
}

/// Where a command's keys work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anywhere in the window, also while typing in a field.
    Window,
    /// On the canvas: not while a text field has the keyboard.
    Canvas,
}

/// Which menu a command belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// File menu.
    File,
    /// Edit menu.
    Edit,
    /// Building the tree on the canvas.
    Tree,
    /// View menu.
    View,
    /// Help.
    Help,
}

impl Group {
    /// Every group, in menu order.
    pub const ALL: [Group; 5] = [Group::File, Group::Edit, Group::Tree, Group::View, Group::Help];

    /// The group's name.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Group::File => lang.pick("ファイル", "File"),
            Group::Edit => lang.pick("編集", "Edit"),
            Group::Tree => lang.pick("ツリー", "Tree"),
            Group::View => lang.pick("表示", "View"),
            Group::Help => lang.pick("ヘルプ", "Help"),
        }
    }
}

/// One command's entry in the table.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    /// 日本語の名前.
    pub ja: &'static str,
    /// The English name.
    pub en: &'static str,
    /// Its menu.
    pub group: Group,
    /// Where its keys work.
    pub scope: Scope,
    /// Its keys (the first is the one menus show).
    pub keys: &'static [Binding],
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };
const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;

macro_rules! commands {
    ($($name:ident => $ja:literal, $en:literal, $group:ident, $scope:ident, [$($key:expr),*];)*) => {
        /// A user action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command { $(#[doc = $en] $name,)* }

        impl Command {
            /// Every command, in table order.
            pub const ALL: &'static [Command] = &[$(Command::$name,)*];

            /// The command's entry in the table.
            pub fn info(self) -> Info {
                match self {
                    $(Command::$name => Info {
                        ja: $ja,
                        en: $en,
                        group: Group::$group,
                        scope: Scope::$scope,
                        keys: &[$($key),*],
                    },)*
                }
            }
        }
    };
}

commands! {
    New => "新規…", "New…", File, Window, [Binding::Key(CMD, Key::N)];
    NewFromOutline => "アウトラインから新規…", "New from outline…", File, Window, [];
    Open => "開く…", "Open…", File, Window, [Binding::Key(CMD, Key::O)];
    Save => "保存", "Save", File, Window, [Binding::Key(CMD, Key::S)];
    SaveAs => "名前を付けて保存…", "Save As…", File, Window, [Binding::Key(CMD_SHIFT, Key::S)];
    Properties => "文書のプロパティ", "Document properties", File, Window, [];
    ImportActuals => "実績を取り込む…", "Import actuals…", File, Window, [Binding::Key(CMD_SHIFT, Key::I)];
    Export => "書き出し…", "Export…", File, Window, [Binding::Key(CMD_SHIFT, Key::E)];
    CopyImage => "図を画像としてコピー", "Copy diagram as image", File, Window, [Binding::Key(CMD_SHIFT, Key::C)];
    MergeCopy => "統合…", "Merge…", File, Window, [];
    HostRoom => "ルームを開く…", "Open a room…", File, Window, [];
    JoinRoom => "ルームに参加…", "Join a room…", File, Window, [];
    RoomInfo => "ルームの招待と参加者", "Room invitation and people", File, Window, [];
    LeaveRoom => "ルームを出る", "Leave the room", File, Window, [];
    Quit => "終了", "Quit", File, Window, [Binding::Key(CMD, Key::Q)];
    Undo => "元に戻す", "Undo", Edit, Canvas, [Binding::Key(CMD, Key::Z)];
    Redo => "やり直す", "Redo", Edit, Canvas, [Binding::Key(CMD_SHIFT, Key::Z), Binding::Key(CMD, Key::Y)];
    Copy => "コピー", "Copy", Edit, Canvas, [Binding::Key(CMD, Key::C)];
    Cut => "切り取り", "Cut", Edit, Canvas, [Binding::Key(CMD, Key::X)];
    Paste => "貼り付け", "Paste", Edit, Canvas, [Binding::Key(CMD, Key::V)];
    Duplicate => "複製", "Duplicate", Edit, Canvas, [Binding::Key(CMD, Key::D)];
    SelectAll => "すべて選択", "Select all", Edit, Canvas, [Binding::Key(CMD, Key::A)];
    Delete => "削除", "Delete", Edit, Canvas, [Binding::Key(NONE, Key::Delete)];
    Find => "検索", "Find", Edit, Window, [Binding::Key(CMD, Key::F)];
    AddChild => "項を追加", "Add a term", Tree, Canvas, [Binding::Key(NONE, Key::Tab)];
    AddSibling => "同列に追加", "Add a sibling", Tree, Canvas, [Binding::Key(NONE, Key::Enter)];
    Rename => "名前を変更", "Rename", Tree, Canvas, [Binding::Key(NONE, Key::F2)];
    EditValues => "値を編集", "Edit values", Tree, Canvas, [Binding::Key(CMD, Key::Enter)];
    OpAdd => "演算子を +(足す)に", "Operator + (add)", Tree, Canvas, [Binding::Typed(&["+", "＋"])];
    OpSub => "演算子を −(引く)に", "Operator − (subtract)", Tree, Canvas, [Binding::Typed(&["-", "－", "−", "ー"])];
    OpMul => "演算子を ×(掛ける)に", "Operator × (multiply)", Tree, Canvas, [Binding::Typed(&["*", "＊", "×"])];
    OpDiv => "演算子を ÷(割る)に", "Operator ÷ (divide)", Tree, Canvas, [Binding::Typed(&["/", "／", "÷", "・"])];
    SelectParent => "親を選択", "Select the parent", Tree, Canvas, [Binding::Key(NONE, Key::ArrowLeft)];
    SelectChild => "最初の項を選択", "Select the first term", Tree, Canvas, [Binding::Key(NONE, Key::ArrowRight)];
    SelectPrevious => "前の項を選択", "Select the previous sibling", Tree, Canvas, [Binding::Key(NONE, Key::ArrowUp)];
    SelectNext => "次の項を選択", "Select the next sibling", Tree, Canvas, [Binding::Key(NONE, Key::ArrowDown)];
    ToggleCollapse => "折りたたむ/展開する", "Collapse or expand", Tree, Canvas, [Binding::Key(NONE, Key::Space)];
    AddKgi => "＋ KGI", "+ KGI", Tree, Canvas, [];
    AddKsf => "＋ KSF", "+ KSF", Tree, Canvas, [];
    AddKpi => "＋ KPI", "+ KPI", Tree, Canvas, [];
    Arrange => "整列", "Arrange", View, Canvas, [Binding::Key(CMD, Key::L)];
    Fit => "全体表示", "Fit", View, Canvas, [Binding::Key(NONE, Key::Home), Binding::Key(CMD, Key::Num0)];
    ZoomIn => "拡大", "Zoom in", View, Canvas, [Binding::Key(CMD, Key::Plus), Binding::Key(CMD, Key::Equals)];
    ZoomOut => "縮小", "Zoom out", View, Canvas, [Binding::Key(CMD, Key::Minus)];
    ZoomActual => "100% 表示", "Zoom to 100 %", View, Canvas, [Binding::Key(CMD, Key::Num1)];
    ZoomSelection => "選択範囲にズーム", "Zoom to selection", View, Canvas, [Binding::Key(SHIFT, Key::Num2)];
    ToggleLayout => "自動配置", "Automatic layout", View, Window, [];
    ToggleCompactYen => "金額を万円・億円で表示", "Show yen in 万 / 億", View, Window, [];
    LanguageJa => "日本語", "日本語", View, Window, [];
    LanguageEn => "English", "English", View, Window, [];
    Present => "プレゼンテーション", "Present", View, Window, [Binding::Key(NONE, Key::F5)];
    FullScreen => "全画面表示", "Full screen", View, Window, [Binding::Key(NONE, Key::F11)];
    Palette => "コマンドを検索…", "Command palette…", Help, Window, [Binding::Key(CMD, Key::K)];
    Shortcuts => "ショートカット一覧", "Keyboard shortcuts", Help, Canvas, [Binding::Key(NONE, Key::F1), Binding::Typed(&["?", "？"])];
}

impl Command {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let info = self.info();
        lang.pick(info.ja, info.en)
    }

    /// The key menus show for it.
    pub fn shortcut_text(self, lang: Lang) -> Option<String> {
        self.info().keys.first().map(|k| k.text(lang))
    }

    /// The commands whose keys this frame pressed. `canvas` is false while
    /// a text field has the keyboard (or a modal window is open): then only
    /// window-wide keys count. Copy, cut and paste come as clipboard events
    /// (the platform reads the clipboard for paste); the pasted text is
    /// returned too. Keys that run a command are taken out of the input, so
    /// that nothing else acts on them.
    pub fn pressed(ctx: &egui::Context, canvas: bool) -> (Vec<Command>, Option<String>) {
        let mut pressed = Vec::new();
        let mut pasted = None;
        ctx.input_mut(|i| {
            let mut keep = Vec::with_capacity(i.events.len());
            // The text a key that ran a command would also type (Space).
            let mut swallow: Option<&str> = None;
            for event in std::mem::take(&mut i.events) {
                if let (Some(t), Event::Text(text)) = (swallow, &event)
                    && text == t
                {
                    swallow = None;
                    continue;
                }
                let command = match &event {
                    Event::Copy if canvas && i.modifiers.shift => Some(Command::CopyImage),
                    Event::Copy if canvas => Some(Command::Copy),
                    Event::Cut if canvas => Some(Command::Cut),
                    Event::Paste(text) if canvas => {
                        pasted = Some(text.clone());
                        None
                    }
                    Event::Key { key, pressed: true, modifiers, .. } => Command::for_key(*modifiers, *key, canvas),
                    Event::Text(text) if canvas => Command::for_text(text),
                    _ => None,
                };
                match command {
                    Some(c) => {
                        if !pressed.contains(&c) {
                            pressed.push(c);
                        }
                        // A key that ran a command also types no text.
                        if matches!(event, Event::Key { key: Key::Space, .. }) {
                            swallow = Some(" ");
                        }
                    }
                    None => keep.push(event),
                }
            }
            i.events = keep;
        });
        (pressed, pasted)
    }

    fn for_key(modifiers: Modifiers, key: Key, canvas: bool) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| {
            let info = c.info();
            (canvas || info.scope == Scope::Window)
                && info.keys.iter().any(|b| match b {
                    Binding::Key(m, k) => *k == key && modifiers.matches_exact(*m),
                    Binding::Typed(_) => false,
                })
        })
    }

    /// Printable text typed on the canvas that no command takes: typing on
    /// a selected card starts renaming it with that text (as in XMind and
    /// Miro). Taken out of this frame's events.
    pub fn typed(ctx: &egui::Context) -> Option<String> {
        ctx.input_mut(|i| {
            if i.modifiers.ctrl || i.modifiers.command || i.modifiers.alt {
                return None;
            }
            let mut typed = String::new();
            i.events.retain(|e| match e {
                Event::Text(t) if !t.trim().is_empty() && !t.chars().any(char::is_control) => {
                    typed.push_str(t);
                    false
                }
                Event::Ime(egui::ImeEvent::Commit(t)) if !t.trim().is_empty() => {
                    typed.push_str(t);
                    false
                }
                _ => true,
            });
            (!typed.is_empty()).then_some(typed)
        })
    }

    fn for_text(text: &str) -> Option<Command> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.info().keys.iter().any(|b| matches!(b, Binding::Typed(spellings) if spellings.contains(&text))))
    }

    /// A menu entry showing the label and the shortcut; true when clicked.
    pub fn menu_item(self, ui: &mut egui::Ui, lang: Lang, enabled: bool) -> bool {
        let mut button = egui::Button::new(self.label(lang));
        if let Some(shortcut) = self.shortcut_text(lang) {
            button = button.shortcut_text(shortcut);
        }
        ui.add_enabled(enabled, button).clicked()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_label_in_both_languages() {
        for &c in Command::ALL {
            let info = c.info();
            assert!(!info.ja.trim().is_empty() && !info.en.trim().is_empty(), "{c:?}");
        }
    }

    #[test]
    fn no_two_commands_share_a_key() {
        let mut seen: Vec<(Binding, Command)> = Vec::new();
        for &c in Command::ALL {
            for &b in c.info().keys {
                if let Some((_, other)) = seen.iter().find(|(s, _)| *s == b) {
                    panic!("{c:?} and {other:?} share {b:?}");
                }
                if let Binding::Typed(spellings) = b {
                    for (s, other) in &seen {
                        if let Binding::Typed(theirs) = s {
                            assert!(!spellings.iter().any(|t| theirs.contains(t)), "{c:?} and {other:?}");
                        }
                    }
                }
                seen.push((b, c));
            }
        }
    }

    #[test]
    fn keys_on_the_canvas_wait_while_a_field_is_typed_into() {
        assert_eq!(Command::for_key(NONE, Key::Tab, true), Some(Command::AddChild));
        assert_eq!(Command::for_key(NONE, Key::Tab, false), None);
        assert_eq!(Command::for_key(CMD, Key::S, false), Some(Command::Save));
        assert_eq!(Command::for_key(CMD_SHIFT, Key::S, true), Some(Command::SaveAs), "exact modifiers");
        assert_eq!(Command::for_text("＊"), Some(Command::OpMul));
    }
}
