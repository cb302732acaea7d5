//! `kpitree export`: every format from the extension, the options reaching
//! the picture, the documented exit codes, and the outputs it refuses
//! (its input, folders, FIFOs, read-only files, too many cards).

use std::process::{Command, Output};

use super::common::{doc, edge, kpi, list};
use super::export::{Png, fan, sales};

// ---- the command line ----

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree")).args(args).env("LANG", "C").output().expect("the binary runs")
}

fn sales_file(dir: &std::path::Path) -> String {
    let path = dir.join("sales.kpitree.json");
    kpitree::io::save(&path, &sales()).unwrap();
    path.display().to_string()
}

#[test]
fn the_cli_writes_every_format_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    for (ext, magic) in [("png", &b"\x89PNG"[..]), ("svg", b"<svg"), ("pdf", b"%PDF"), ("json", b"{")] {
        let out = dir.path().join(format!("out.{ext}"));
        let run = kpitree(&["export", &file, "-o", out.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(0), "{ext}: {}", String::from_utf8_lossy(&run.stderr));
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{ext}");
    }
}

#[test]
fn the_cli_scale_option_scales_the_png() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let size = |scale: &str| {
        let out = dir.path().join(format!("s{scale}.png"));
        let run = kpitree(&["export", &file, "-o", out.to_str().unwrap(), "--scale", scale]);
        assert_eq!(run.status.code(), Some(0));
        let png = Png::decode(&std::fs::read(&out).unwrap());
        (png.width, png.height)
    };
    let (w1, h1) = size("1");
    let (w3, h3) = size("3");
    assert!(w3.abs_diff(w1 * 3) <= 2 && h3.abs_diff(h1 * 3) <= 2, "{w1}×{h1} vs {w3}×{h3}");
}

#[test]
fn the_cli_options_reach_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let out = dir.path().join("t.png");
    let run = kpitree(&["export", &file, "-o", out.to_str().unwrap(), "--transparent", "--scale", "1"]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(Png::decode(&std::fs::read(&out).unwrap()).pixel(1.0, 1.0)[3], 0);
    let svg = dir.path().join("t.svg");
    let run = kpitree(&["export", &file, "-o", svg.to_str().unwrap(), "--no-values", "--root", "cust"]);
    assert_eq!(run.status.code(), Some(0));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains(">cust<") && !text.contains(">price<") && !text.contains("120 社"), "{text}");
}

#[test]
fn the_cli_refuses_bad_requests_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let out = dir.path().join("x.png");
    let out = out.to_str().unwrap();
    let cases: Vec<Vec<&str>> = vec![
        vec!["export", "/nonexistent.kpitree.json", "-o", out],
        vec!["export", &file, "-o", "/nonexistent-dir/x.png"],
        vec!["export", &file, "-o", "x.gif"],
        vec!["export", &file, "-o", out, "--scale", "5"],
        vec!["export", &file, "-o", out, "--root", "ghost"],
    ];
    for args in cases {
        let run = kpitree(&args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?} says why");
    }
    assert!(!std::path::Path::new(out).exists(), "nothing written on refusal");
}

#[test]
fn the_cli_exports_a_model_with_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let broken = doc(&list(&[kpi("a", "件", "1", "1")]), &list(&[edge("a", "a", "+")]));
    let path = dir.path().join("broken.kpitree.json");
    kpitree::io::save(&path, &broken).unwrap();
    let out = dir.path().join("b.svg");
    let run = kpitree(&["export", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(out.exists());
}

#[cfg(unix)]
#[test]
fn the_cli_refuses_to_export_onto_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let before = std::fs::read(&file).unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let dotted = dir.path().join(".").join("sales.kpitree.json");
    for output in [file.clone(), link.display().to_string(), dotted.display().to_string()] {
        let run = kpitree(&["export", &file, "-o", &output]);
        assert_eq!(run.status.code(), Some(2), "{output}");
        assert!(String::from_utf8_lossy(&run.stderr).contains("the output is the input file"), "{output}");
    }
    // Relative spellings, from the file's folder.
    let run = Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["export", "sales.kpitree.json", "-o", "./sales.kpitree.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), before, "the input is untouched");
}

#[cfg(unix)]
#[test]
fn the_cli_exports_through_a_symbolic_link_and_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let real = dir.path().join("real.png");
    std::fs::write(&real, "old picture").unwrap();
    let link = dir.path().join("slide.png");
    std::os::unix::fs::symlink("real.png", &link).unwrap();
    let run = kpitree(&["export", &file, "-o", link.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert!(std::fs::read(&real).unwrap().starts_with(b"\x89PNG"));
}

#[cfg(unix)]
#[test]
fn the_cli_refuses_folders_fifos_and_read_only_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let file = sales_file(dir.path());
    let folder = dir.path().join("folder.png");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo.svg");
    crate::common::mkfifo(&fifo, 0o644);
    let read_only = dir.path().join("read-only.pdf");
    std::fs::write(&read_only, "keep me").unwrap();
    std::fs::set_permissions(&read_only, std::os::unix::fs::PermissionsExt::from_mode(0o444)).unwrap();
    for output in [&folder, &fifo, &read_only] {
        let run = kpitree(&["export", &file, "-o", output.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(2), "{}", output.display());
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(&output.display().to_string()), "{err}");
    }
    assert!(folder.is_dir());
    assert_eq!(std::fs::read_to_string(&read_only).unwrap(), "keep me");
    let names = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(names, 4, "no temporary file left");
}

#[test]
fn the_cli_says_what_to_do_with_too_many_cards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.kpitree.json");
    kpitree::io::save(&path, &fan(kpitree::export::MAX_DRAWN_CARDS)).unwrap();
    let out = dir.path().join("big.png");
    let run = kpitree(&["export", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("50001 cards") && err.contains("--root"), "{err}");
    assert!(!out.exists());
}
