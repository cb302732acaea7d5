//! The editor's settings file (issue 21, items 1 and 2): read before any
//! window with bounds — only a regular file, at most SETTINGS_CAP bytes,
//! never waiting on a FIFO — and written atomically, privately, and never
//! through a link kpitree would not follow.
#![cfg(unix)]

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use kpitree::io::{SETTINGS_CAP, Settings};

fn mkfifo(path: &Path) {
    crate::common::mkfifo(path, 0o600);
}

#[test]
fn settings_are_kept_privately_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kpitree/settings.json");
    let (mut settings, problem) = Settings::load(&file, kpitree::Lang::En);
    assert_eq!(problem, None, "no file yet is no problem");
    assert!(settings.set("kpitree.lang", "en"));
    assert!(!settings.set("kpitree.lang", "en"), "no change");
    settings.save().unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    let (again, problem) = Settings::load(&file, kpitree::Lang::En);
    assert_eq!(problem, None);
    assert_eq!(again.get("kpitree.lang"), Some("en"));
}

#[test]
fn a_fifo_a_device_or_a_huge_file_in_place_of_the_settings_gives_the_defaults_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.json");
    mkfifo(&fifo);
    let zero = dir.path().join("zero.json");
    symlink("/dev/zero", &zero).unwrap();
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge).unwrap().set_len(SETTINGS_CAP + 1).unwrap();
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "[1, 2]").unwrap();
    for file in [&fifo, &zero, &huge, &garbage] {
        let (settings, problem) = Settings::load(file, kpitree::Lang::En);
        assert_eq!(settings.get("kpitree.lang"), None);
        let problem = problem.unwrap_or_else(|| panic!("{}: said nothing", file.display()));
        assert!(problem.contains(file.to_str().unwrap()) && problem.contains("defaults"), "{problem}");
    }
}

#[test]
fn settings_are_never_written_through_a_link_to_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("planted.json");
    let file = dir.path().join("settings.json");
    symlink(&elsewhere, &file).unwrap();
    let (mut settings, _) = Settings::load(&file, kpitree::Lang::En);
    settings.set("kpitree.lang", "ja");
    assert!(settings.save().is_err());
    assert!(!elsewhere.exists());
}

#[test]
fn settings_kept_elsewhere_and_linked_by_their_owner_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles-settings.json");
    std::fs::write(&real, r#"{"kpitree.lang": "en"}"#).unwrap();
    let file = dir.path().join("settings.json");
    symlink(&real, &file).unwrap();
    let (mut settings, problem) = Settings::load(&file, kpitree::Lang::En);
    assert_eq!((settings.get("kpitree.lang"), problem), (Some("en"), None));
    settings.set("kpitree.lang", "ja");
    settings.save().unwrap();
    assert!(std::fs::symlink_metadata(&file).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().contains("\"ja\""));
}

#[test]
fn the_settings_of_an_older_kpitree_are_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.ron"),
        "{\n    \"egui\": \"(…)\",\n    \"kpitree.lang\": \"en\",\n    \"kpitree.recent\": \"/a.kpitree.json\\n/b.kpitree.json\",\n}",
    )
    .unwrap();
    let (settings, problem) = Settings::load(&dir.path().join("settings.json"), kpitree::Lang::En);
    assert_eq!(problem, None);
    assert_eq!(settings.get("kpitree.lang"), Some("en"));
    assert_eq!(settings.get("kpitree.recent"), Some("/a.kpitree.json\n/b.kpitree.json"));
    assert_eq!(settings.get("egui"), None);
}

#[cfg(feature = "gui")]
#[test]
fn the_editor_starts_past_a_fifo_in_place_of_its_settings() {
    use std::process::{Command, Stdio};
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir(data.path().join("kpitree")).unwrap();
    mkfifo(&data.path().join("kpitree/settings.json"));
    mkfifo(&data.path().join("kpitree/app.ron"));
    // No display: the editor reads its settings, then cannot open a window.
    // Reading the FIFO would wait forever (a minute is a hang, not a speed).
    let child = Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .env("XDG_DATA_HOME", data.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = crate::common::output_within(child, std::time::Duration::from_secs(60));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("settings.json: not a regular file; not read; the defaults are used"), "{message}");
}

#[test]
fn what_is_wrong_with_the_settings_is_said_in_japanese_too() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("settings.json");
    mkfifo(&fifo);
    let (_, problem) = Settings::load(&fifo, kpitree::Lang::Ja);
    assert!(problem.is_some_and(|p| p.contains("通常のファイルではないため読みません。既定の設定を使います")));
}
