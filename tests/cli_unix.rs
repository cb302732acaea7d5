//! The command line as a Unix tool: `-` for standard input and output,
//! output that cannot be written (a full disk, a closed pipe), `--color` and
//! `NO_COLOR`, `--version` and `--lang` on every subcommand, a mistyped
//! subcommand, completions and manual pages, and messages in one language.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use clap::CommandFactory;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kpitree"));
    c.env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("NO_COLOR").env("LANG", "C");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).stdin(Stdio::null()).output().expect("the binary runs")
}

/// Runs with `input` on standard input (a pipe).
fn run_with_input(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("it ends");
    feeder.join().expect("the feeder ends");
    out
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has_japanese(text: &str) -> bool {
    text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_dash_reads_the_document_from_standard_input() {
    let text = std::fs::read(data("clean.kpitree.json")).unwrap();
    let out = run_with_input(&["check", "-", "--json"], &text);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert!(report["values"]["kgi"].is_object(), "{report}");
    // Errors name standard input, with the line and column.
    let out = run_with_input(&["check", "-"], b"{\n  \"format\": \"kpitree\",\n  oops\n}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("<stdin>:3:3:"), "{}", stderr(&out));
}

#[test]
fn every_subcommand_that_reads_a_document_takes_a_dash() {
    let text = std::fs::read(data("format-example.kpitree.json")).unwrap();
    for args in [
        &["analyze", "-", "--json"][..],
        &["seek", "-", "--node", "cust", "--json"],
        &["export", "-", "-o", "-", "--format", "json"],
    ] {
        let out = run_with_input(args, &text);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", stderr(&out));
        let _: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&out)));
    }
}

#[test]
fn export_to_a_dash_writes_the_picture_to_standard_output() {
    let out = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "svg"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("<svg") || stdout(&out).starts_with("<?xml"), "{}", stdout(&out));
    let out = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "png"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.starts_with(b"\x89PNG\r\n\x1a\n"));
    let out = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "pdf"]);
    assert!(out.stdout.starts_with(b"%PDF-"));
    // Without a format there is nothing to go by.
    let out = run(&["export", &data("clean.kpitree.json"), "-o", "-"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--format"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn export_text_outline_draws_glyphs_as_paths_under_an_invisible_text_layer() {
    let plain = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "svg"]);
    assert!(stdout(&plain).contains("<text"));
    let out = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "svg", "--text", "outline"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let svg = stdout(&out);
    let layer = svg.find(r#"<g fill-opacity="0""#).unwrap_or(svg.len());
    assert!(svg.starts_with("<svg") && !svg[..layer].contains("<text"), "{}", &svg[..200]);
    assert_eq!(svg[layer..].matches("<text").count(), stdout(&plain).matches("<text").count());
    let bad = run(&["export", &data("clean.kpitree.json"), "-o", "-", "--format", "svg", "--text", "glyphs"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn new_to_a_dash_prints_a_document_kpitree_reads() {
    let out = run(&["new", "--template", "sales-basic", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = kpitree::io::from_slice(&out.stdout, "stdout").expect("a document");
    assert!(!doc.nodes.is_empty());
}

#[test]
fn import_from_a_dash_writes_the_document_to_standard_output_and_the_report_to_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("actuals.csv");
    std::fs::write(&csv, "node,2026-04\ncust,7\n").unwrap();
    let doc = r#"{"format":"kpitree","version":1,"period":{"start":"2026-04-01","end":"2027-03-31"},
        "nodes":[{"id":"cust","kind":"KPI","name":"顧客数","unit":"社"}],"edges":[]}"#;
    let out = run_with_input(&["import", "-", "--from", csv.to_str().unwrap()], doc.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let updated = kpitree::io::from_slice(&out.stdout, "stdout").expect("the document alone on stdout");
    let series = updated.nodes[0].series.as_ref().expect("a series");
    assert_eq!(series.values().next().and_then(|v| v.actual), Some(7.0));
    assert!(stderr(&out).contains("cust"), "the report: {}", stderr(&out));
}

#[test]
fn output_that_cannot_be_written_is_exit_2_with_a_message() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    for args in [
        &["check", &data("clean.kpitree.json"), "--json"][..],
        &["check", &data("clean.kpitree.json")],
        &["templates"],
        &["export", &data("clean.kpitree.json"), "-o", "-", "--format", "svg"],
        &["completions", "bash"],
        &["man"],
    ] {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = bin().args(args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("standard output") && err.contains("No space left"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = bin().args(["check", &data("clean.kpitree.json"), "--lang", "ja"]).stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("標準出力"), "{}", stderr(&out));
}

/// A document big enough that its report cannot fit a pipe's buffer.
fn big_document(dir: &Path) -> String {
    let doc = kpitree::model::generate::tree(3000, 5);
    let path = dir.join("big.kpitree.json");
    kpitree::io::save(&path, &doc).unwrap();
    path.display().to_string()
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_document(dir.path());
    for args in [
        &["check", &big, "--json"][..],
        &["check", &big],
        &["export", &big, "-o", "-", "--format", "json"],
        &["completions", "zsh"],
    ] {
        let mut child =
            bin().args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Read a little, as `head -c 10` would, then close the pipe.
        let mut pipe = child.stdout.take().unwrap();
        let mut first = [0u8; 10];
        let _ = pipe.read(&mut first);
        drop(pipe);
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        let status = child.wait().unwrap();
        assert!(err.is_empty(), "{args:?}: said {err:?}");
        assert!(matches!(status.code(), Some(0 | 1)), "{args:?}: {status:?}");
    }
}

#[test]
fn colour_follows_the_color_option_and_no_color() {
    let file = data("warnings.kpitree.json");
    let esc = |o: &Output| o.stdout.contains(&0x1b);
    assert!(esc(&run(&["check", &file, "--color", "always"])));
    assert!(!esc(&run(&["check", &file, "--color", "never"])));
    // Not a terminal: auto means none.
    assert!(!esc(&run(&["check", &file])));
    assert!(!esc(&bin().args(["check", &file, "--color", "auto"]).env("NO_COLOR", "1").output().unwrap()));
    // Said outright, it wins over NO_COLOR; the option may come before the subcommand too.
    assert!(esc(&bin().args(["--color", "always", "check", &file]).env("NO_COLOR", "1").output().unwrap()));
}

#[test]
fn every_subcommand_has_version_and_lang() {
    let cmd = kpitree::cli::Args::command();
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        assert!(sub.get_arguments().any(|a| a.get_id() == "lang"), "{name} has no --lang");
        let out = run(&[name, "--version"]);
        assert_eq!(out.status.code(), Some(0), "{name} --version: {}", stderr(&out));
        assert!(stdout(&out).contains(env!("CARGO_PKG_VERSION")), "{name}: {}", stdout(&out));
    }
}

#[test]
fn a_mistyped_subcommand_is_an_error_that_suggests_the_right_one() {
    for args in [&["chek", "f.json"][..], &["chek"], &["exprot", "a", "-o", "b.png"]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(&format!("unrecognized subcommand '{}'", args[0])), "{err}");
        let want = if args[0] == "chek" { "'check'" } else { "'export'" };
        assert!(err.contains(want), "{err}");
        assert!(!err.contains("winit") && !err.contains("panicked"), "{err}");
    }
    // A word that resembles nothing is still no file to open.
    let out = run(&["banana"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unrecognized subcommand 'banana'"));
}

#[test]
fn completions_are_written_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef kpitree"),
        ("fish", "complete -c kpitree"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains(marker), "{shell}: {script}");
        for sub in ["check", "export", "analyze", "completions"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    // The bash script is valid bash.
    if Command::new("bash").arg("--version").output().is_ok() {
        let script = stdout(&run(&["completions", "bash"]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kpitree.bash");
        std::fs::write(&path, script).unwrap();
        let status = Command::new("bash").arg("-n").arg(&path).status().unwrap();
        assert!(status.success());
    }
}

#[test]
fn man_pages_exist_for_kpitree_and_each_subcommand() {
    let out = run(&["man"]);
    let page = stdout(&out);
    assert!(page.contains(".TH KPITREE 1"), "{page}");
    for section in ["EXIT STATUS", "ENVIRONMENT", "NO_COLOR", "SEE ALSO", "kpitree\\-check(1)"] {
        assert!(page.contains(section), "no {section} in {page}");
    }
    let out = run(&["man", "export"]);
    let page = stdout(&out);
    assert!(page.contains(".TH KPITREE-EXPORT 1"), "{page}");
    assert!(page.contains("\\-\\-format"), "{page}");
    let out = run(&["man", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let cmd = kpitree::cli::Args::command();
    assert_eq!(names.len(), cmd.get_subcommands().count() + 1, "{names:?}");
    assert!(names.contains(&"kpitree-check.1".to_owned()), "{names:?}");
}

#[test]
fn the_packaged_completions_and_man_pages_are_the_ones_the_binary_makes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/linux");
    for (name, text) in kpitree::cli::docs::man_pages() {
        let shipped = std::fs::read(root.join("man").join(&name))
            .unwrap_or_else(|e| panic!("packaging/linux/man/{name}: {e}; run packaging/linux/generate.sh"));
        assert!(shipped == text, "packaging/linux/man/{name} is stale; run packaging/linux/generate.sh");
    }
    use clap::ValueEnum;
    for shell in kpitree::cli::docs::ShellArg::value_variants() {
        let (name, _) = shell.installed_as();
        let shipped = std::fs::read(root.join("completions").join(name))
            .unwrap_or_else(|e| panic!("packaging/linux/completions/{name}: {e}; run packaging/linux/generate.sh"));
        assert!(
            shipped == kpitree::cli::docs::completion_script(*shell),
            "packaging/linux/completions/{name} is stale; run packaging/linux/generate.sh"
        );
    }
}

#[test]
fn errors_are_in_the_language_asked_for_and_only_that_one() {
    let dir = tempfile::tempdir().unwrap();
    let bad_json = dir.path().join("bad.kpitree.json");
    std::fs::write(&bad_json, "{\"format\": \"kpitree\",\n\"version\": 1,\n\"nodes\": [,]}").unwrap();
    let bad_schema = dir.path().join("schema.kpitree.json");
    std::fs::write(
        &bad_schema,
        r#"{"format":"kpitree","version":1,"nodes":[{"id":"a","kind":"KXI","name":"x"}],"edges":[]}"#,
    )
    .unwrap();
    let missing = dir.path().join("absent.kpitree.json");
    let out_png = dir.path().join("out.png");
    let cases: Vec<Vec<String>> = vec![
        vec![
            "export".into(),
            data("clean.kpitree.json"),
            "-o".into(),
            out_png.display().to_string(),
            "--root".into(),
            "nope".into(),
        ],
        vec!["check".into(), missing.display().to_string()],
        vec!["check".into(), bad_json.display().to_string()],
        vec!["check".into(), bad_schema.display().to_string()],
        vec![
            "new".into(),
            "--template".into(),
            "nope".into(),
            "-o".into(),
            dir.path().join("n.kpitree.json").display().to_string(),
        ],
        vec!["seek".into(), data("clean.kpitree.json"), "--node".into(), "nope".into()],
        vec!["analyze".into(), data("clean.kpitree.json"), "--scenario".into(), "nope".into()],
        vec!["export".into(), data("clean.kpitree.json"), "-o".into(), dir.path().join("x.xyz").display().to_string()],
    ];
    for case in &cases {
        let args: Vec<&str> = case.iter().map(String::as_str).collect();
        let ja = run(&[&args[..], &["--lang", "ja"]].concat());
        assert_eq!(ja.status.code(), Some(2), "{args:?}");
        let said = stderr(&ja);
        assert!(has_japanese(&said), "{args:?} --lang ja said {said:?}");
        for english in [" the ", " is not ", "expected", "missing", "no node", "cannot"] {
            assert!(!said.contains(english), "{args:?} --lang ja said {said:?}");
        }
        let en = run(&[&args[..], &["--lang", "en"]].concat());
        assert!(!has_japanese(&stderr(&en).replace(['「', '」'], "")), "{args:?} --lang en said {}", stderr(&en));
    }
}

#[test]
fn syntax_error_columns_count_from_1_as_compilers_print_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.kpitree.json");
    // The error is the "x" at the very start of line 2.
    std::fs::write(&path, "{\"format\": \"kpitree\",\nx}").unwrap();
    let out = run(&["check", path.to_str().unwrap()]);
    assert!(stderr(&out).contains("c.kpitree.json:2:1:"), "{}", stderr(&out));
}

#[test]
fn a_named_pipe_is_refused_with_how_to_read_it_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("p.kpitree.json");
    crate::common::mkfifo(&fifo, 0o644);
    // Nothing writes to it: kpitree must not wait for it.
    let out = run(&["check", fifo.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kpitree … - < PIPE"), "{}", stderr(&out));
    let out = run(&["check", fifo.to_str().unwrap(), "--lang", "ja"]);
    assert!(stderr(&out).contains("標準入力"), "{}", stderr(&out));
}

#[test]
fn command_line_mistakes_are_said_in_japanese_under_lang_ja() {
    let out = run(&["chek", "f.kpitree.json", "--lang", "ja"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("「chek」というサブコマンドはありません。もしかして: check"), "{}", stderr(&out));
    let out = run(&["export", "a", "-o", "b.png", "--theme", "nope", "--lang=ja"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("「nope」は使えません") && stderr(&out).contains("standard"), "{}", stderr(&out));
    let out = run(&["check", "--lang", "ja"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("必要な引数がありません"), "{}", stderr(&out));
    // In English, clap's own words.
    let out = run(&["chek", "f.kpitree.json", "--lang", "en"]);
    assert!(stderr(&out).contains("unrecognized subcommand 'chek'"), "{}", stderr(&out));
    assert!(!has_japanese(&stderr(&out)));
}

#[test]
fn characters_the_bundled_font_lacks_are_named_with_their_node_when_exported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.kpitree.json");
    std::fs::write(
        &file,
        r#"{"format":"kpitree","version":1,"nodes":[{"id":"top","kind":"KGI","name":"売上"},{"id":"shop","kind":"KPI","name":"🎯 𠮷野家"},{"id":"other","kind":"KPI","name":"客数"}],"edges":[{"parent":"top","child":"shop","op":"link"},{"parent":"top","child":"other","op":"link"}]}"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let png = dir.path().join("g.png");
    let out = run(&["export", file, "-o", png.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("node shop") && said.contains("U+1F3AF") && said.contains("U+20BB7"), "{said}");
    assert!(!said.contains("node top") && !said.contains('売'), "only what is missing: {said}");
    // Not drawn, not said: a subtree without the node, and the JSON.
    let out = run(&["export", file, "-o", png.to_str().unwrap(), "--root", "other", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let json = dir.path().join("g.json");
    assert!(stderr(&run(&["export", file, "-o", json.to_str().unwrap()])).is_empty());
    let clean = dir.path().join("c.png");
    assert!(stderr(&run(&["export", &data("clean.kpitree.json"), "-o", clean.to_str().unwrap()])).is_empty());
}

/// Where this machine has a font with 𠮷 (Noto CJK here), the picture draws
/// it in that font and the PDF's text keeps it, though an emoji no font
/// has comes first (usvg's own fallback stopped at the emoji, and the PDF
/// then read 𠮷 as the emoji); the message names the font.
#[test]
fn a_character_the_bundled_font_lacks_is_drawn_in_a_system_font_and_kept_in_the_pdf_text() {
    let Some(family) = kpitree::export::fallback_family('𠮷') else {
        eprintln!("note: no font here has 𠮷; the fallback is not checked");
        return;
    };
    let has_pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.kpitree.json");
    std::fs::write(&file, r#"{"format":"kpitree","version":1,"title":"🎯 𠮷野家","nodes":[{"id":"a","kind":"KGI","name":"𠮷野家"}],"edges":[]}"#).unwrap();
    let pdf = dir.path().join("g.pdf");
    let out = run(&["export", file.to_str().unwrap(), "-o", pdf.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("U+20BB7) [{family}]")), "{}", stderr(&out));
    if !has_pdftotext {
        return;
    }
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("🎯 𠮷野家"), "{text}");
}

/// Characters no font has (two unassigned code points here) are drawn as
/// boxes, but each box is a glyph of its own, so the PDF's text reads each
/// back as itself: they shared the one `.notdef` glyph before, and the PDF
/// read both as whichever came first.
#[test]
fn characters_no_font_has_are_boxes_that_the_pdf_text_keeps_apart() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        eprintln!("note: no pdftotext here; the PDF text is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.kpitree.json");
    let title = "A\u{0378}B\u{0379}C\u{0378}";
    std::fs::write(&file, format!(r#"{{"format":"kpitree","version":1,"title":"{title}","nodes":[{{"id":"a","kind":"KGI","name":"x"}}],"edges":[]}}"#)).unwrap();
    let pdf = dir.path().join("g.pdf");
    let out = run(&["export", file.to_str().unwrap(), "-o", pdf.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("U+0378") && stderr(&out).contains("drawn as boxes"), "{}", stderr(&out));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(title), "{text:?}");
}

/// `check` names a node whose name or unit has a character no font draws
/// (`glyph_missing`, info: the exit status stays 0), in both languages;
/// characters of the bundled font are not reported.
#[test]
fn check_names_the_characters_no_font_draws() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("g.kpitree.json");
    std::fs::write(
        &file,
        r#"{"format":"kpitree","version":1,"nodes":[{"id":"top","kind":"KGI","name":"売上 ①","unit":"万円","target":1,"deadline":"2027-03-31"},{"id":"odd","kind":"KPI","name":"客数","unit":"人\u0378","target":1}],"edges":[{"parent":"top","child":"odd","op":"link"}]}"#,
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let out = run(&["check", file, "--json", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let glyphs: Vec<&serde_json::Value> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "glyph_missing").collect();
    assert_eq!(glyphs.len(), 1, "{report}");
    assert_eq!(glyphs[0]["node"], "odd");
    assert_eq!(glyphs[0]["severity"], "info");
    assert!(glyphs[0]["message"].as_str().unwrap().contains("U+0378"), "{}", glyphs[0]);
    let out = run(&["check", file, "--lang", "ja"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("U+0378) はどのフォントにもなく"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
