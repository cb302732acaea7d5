//! The one harness of the UI tests: the real editor started with recovery
//! files kept in the test's own folder, and the pointer and clipboard
//! helpers every UI test module shares.

use egui_kittest::Harness;
use kpitree::Lang;
use kpitree::ui::KpiApp;

/// An editor on `file` (or the welcome tree), in English, whose recovery
/// files go to `data` as process `pid`; the first evaluation has arrived.
pub fn editor(file: Option<std::path::PathBuf>, data: &std::path::Path, pid: u32) -> Harness<'static, KpiApp> {
    let store = kpitree::io::RecoveryStore::in_dir_as(data.to_owned(), pid);
    let mut harness = Harness::builder().with_size([1400.0, 900.0]).build_eframe(move |cc| {
        let mut app = KpiApp::with_recovery(&cc.egui_ctx, file, store);
        app.set_language(Lang::En);
        app
    });
    settle(&mut harness);
    harness
}

/// An editor on a file with this text, written into `dir`.
pub fn editor_on(dir: &std::path::Path, name: &str, text: &str) -> Harness<'static, KpiApp> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    editor(Some(path), &dir.join("data"), std::process::id())
}

/// Lets the background evaluation arrive and the frames settle.
pub fn settle(harness: &mut Harness<'static, KpiApp>) {
    harness.run_steps(2);
    harness.state_mut().settle();
    harness.run_steps(3);
}

/// A drag of the primary button from `from` to `to` in ten moves, as the
/// pointer makes it; the frames settle after the drop.
pub fn drag(harness: &mut Harness<'static, KpiApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.drag_at(from);
    harness.run_steps(2);
    for k in 1..=10u8 {
        harness.hover_at(from + (to - from) * (f32::from(k) / 10.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    settle(harness);
}

/// The longest value of any text field on screen (one line or more), in bytes.
pub fn longest_field(harness: &Harness<'static, KpiApp>) -> usize {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    let single = harness.get_all_by_role(Role::TextInput).filter_map(|n| n.value());
    let multi = harness.get_all_by_role(Role::MultilineTextInput).filter_map(|n| n.value());
    single.chain(multi).map(|v| v.len()).max().unwrap_or(0)
}

/// A click at `at` (hover, press, release) with `modifiers` held, as the
/// pointer makes it; where accessibility rectangles of the zoomable canvas
/// are not in screen coordinates.
pub fn click_at(harness: &mut Harness<'static, KpiApp>, at: egui::Pos2, modifiers: egui::Modifiers) {
    harness.hover_at(at);
    for pressed in [true, false] {
        let event = egui::Event::PointerButton { pos: at, button: egui::PointerButton::Primary, pressed, modifiers };
        harness.event_modifiers(event, modifiers);
    }
}

/// What the last frame put on the clipboard as text.
pub fn copied(harness: &Harness<'static, KpiApp>) -> Option<String> {
    harness.output().platform_output.commands.iter().find_map(|c| match c {
        egui::OutputCommand::CopyText(text) => Some(text.clone()),
        _ => None,
    })
}

/// Closed gates, by document title: the worker's job (see [`gated`]) on a
/// document with such a title waits until its gate opens, as the analysis of
/// a very wide tree takes its time, without asking whether it is still
/// wanted; the diagram on screen is then older than the document.
static GATES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
static GATE_MOVED: std::sync::Condvar = std::sync::Condvar::new();

/// Holds the jobs on documents titled `title`.
pub fn close_gate(title: &'static str) {
    GATES.lock().unwrap().push(title);
}

/// Lets the jobs on documents titled `title` go on.
pub fn open_gate(title: &str) {
    GATES.lock().unwrap().retain(|t| *t != title);
    GATE_MOVED.notify_all();
}

/// Opens its gate when dropped: a failing test never leaves a job waiting.
pub struct OpensOnDrop(pub &'static str);

impl Drop for OpensOnDrop {
    fn drop(&mut self) {
        open_gate(self.0);
    }
}

/// The worker's job for `KpiApp::use_derive_job`: waits while the
/// document's gate is closed, then derives as the editor does.
pub fn gated(
    cache: &mut kpitree::pipeline::derived::Cache,
    request: kpitree::pipeline::derived::Request,
) -> kpitree::pipeline::derived::Derived {
    let title = request.document.title.clone().unwrap_or_default();
    let mut gates = GATES.lock().unwrap();
    while gates.iter().any(|t| *t == title) {
        gates = GATE_MOVED.wait(gates).unwrap();
    }
    drop(gates);
    kpitree::pipeline::derived::derive(cache, request)
}
