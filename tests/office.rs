//! The Excel workbook: formulas over the terms' cells with kpitree's
//! precedence and unit scales, cached results equal to kpitree's values,
//! and — where LibreOffice is installed — a real spreadsheet engine
//! recalculating every formula from the leaves to the same values.
//!
//! LibreOffice shows a formula's cached result as it is on load, so the
//! recalculation tests strip every cached `<v>` first: what they compare
//! is what LibreOffice computed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use kpitree::Document;
use kpitree::eval::Evaluation;
use kpitree::export::xlsx::{sheet_names, to_xlsx};
use kpitree::lang::Lang;

use super::common::{doc, edge, kgi, kpi, list};

/// The LibreOffice program, when installed.
pub fn soffice() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join("soffice")).find(|p| p.is_file()));
    if found.is_none() {
        eprintln!(
            "note: LibreOffice (soffice) is not installed; the recalculation check is skipped (scripts/office-check.sh installs and runs it)"
        );
    }
    found
}

/// The workbook's bytes with every formula's cached value removed.
pub fn strip_cached(xlsx: &[u8]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        if name.starts_with("xl/worksheets/sheet") {
            let xml = String::from_utf8(buf).unwrap();
            let mut kept = String::with_capacity(xml.len());
            let mut rest = xml.as_str();
            while let Some(i) = rest.find("</f>") {
                kept.push_str(&rest[..i + 4]);
                rest = &rest[i + 4..];
                if rest.starts_with("<v>") {
                    let end = rest.find("</v>").unwrap();
                    rest = &rest[end + 4..];
                }
            }
            kept.push_str(rest);
            buf = kept.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&buf).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Replaces the number in cell `cell` (e.g. `H5`) of the first sheet.
pub fn set_number(xlsx: &[u8], cell: &str, value: f64) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(buf).unwrap();
            let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap_or_else(|| panic!("no cell {cell}"));
            let close = at + xml[at..].find("</c>").unwrap();
            let v = at + xml[at..close].find("<v>").unwrap_or_else(|| panic!("{cell} has no number"));
            let end = v + xml[v..].find("</v>").unwrap();
            buf = format!("{}<v>{value}</v>{}", &xml[..v], &xml[end + 4..]).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&buf).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Has LibreOffice open each workbook (cached values stripped) and save it
/// again, recalculated; returns the recalculated files, in order.
pub fn recalculate(soffice: &Path, books: &[Vec<u8>], dir: &Path) -> Vec<PathBuf> {
    let input = dir.join("in");
    let output = dir.join("out");
    std::fs::create_dir_all(&input).unwrap();
    let mut files = Vec::new();
    for (k, bytes) in books.iter().enumerate() {
        let path = input.join(format!("book{k}.xlsx"));
        std::fs::write(&path, strip_cached(bytes)).unwrap();
        files.push(path);
    }
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let status = Command::new(soffice)
        .arg(profile)
        .args(["--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(&output)
        .args(&files)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "soffice failed: {}", String::from_utf8_lossy(&status.stderr));
    (0..books.len()).map(|k| output.join(format!("book{k}.xlsx"))).collect()
}

/// A cell as a number: `None` for an empty cell or text (kpitree's
/// "no value").
fn number(d: Option<&Data>) -> Option<f64> {
    match d? {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::Error(e) => panic!("the cell is an error: {e}"),
        _ => None,
    }
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => false,
    }
}

/// Compares every value of the workbook at `path` — tree sheet targets,
/// actuals and 達成率, and the monthly sheet's periods and roll-ups — with
/// `eval`; returns the differences.
pub fn differences(path: &Path, doc: &Document, eval: &Evaluation, lang: Lang) -> Vec<String> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let [tree, _, month] = sheet_names(lang);
    let range = book.worksheet_range(tree).unwrap();
    let mut out = Vec::new();
    let mut seen = 0;
    for r in 1..range.height() as u32 {
        let Some(Data::String(id)) = range.get_value((r, 0)) else { continue };
        seen += 1;
        let Some(v) = eval.get_str(id) else {
            out.push(format!("row {r}: unknown id {id}"));
            continue;
        };
        for (col, what, want) in [(6, "target", v.target), (7, "actual", v.actual), (8, "progress", v.progress)] {
            let got = number(range.get_value((r, col)));
            if !close(got, want) {
                out.push(format!("{id} {what}: workbook {got:?}, kpitree {want:?}"));
            }
        }
    }
    if seen != doc.nodes.iter().map(|n| n.id.as_str()).collect::<std::collections::HashSet<_>>().len() {
        out.push(format!("{seen} rows for {} nodes", doc.nodes.len()));
    }
    if let Some(table) = eval.periods().filter(|t| !t.is_empty()) {
        let range = book.worksheet_range(month).unwrap();
        let n_p = table.len();
        for r in 2..range.height() as u32 {
            let Some(Data::String(id)) = range.get_value((r, 0)) else { continue };
            let m = eval.position(id).unwrap();
            for which in 0..2 {
                let base = 4 + which * (n_p + 2);
                let pick = |v: kpitree::eval::period::PeriodValue| if which == 0 { v.target } else { v.actual };
                for p in 0..n_p {
                    let want = table.at(m, p).and_then(pick);
                    let got = number(range.get_value((r, (base + p) as u32)));
                    if !close(got, want) {
                        out.push(format!(
                            "{id} {} {}: workbook {got:?}, kpitree {want:?}",
                            table.label(p),
                            ["target", "actual"][which]
                        ));
                    }
                }
                for (k, want) in [(n_p, table.ytd(m).and_then(pick)), (n_p + 1, table.full(m).and_then(pick))] {
                    let got = number(range.get_value((r, (base + k) as u32)));
                    if !close(got, want) {
                        out.push(format!(
                            "{id} {} {}: workbook {got:?}, kpitree {want:?}",
                            ["ytd", "full"][k - n_p],
                            ["target", "actual"][which]
                        ));
                    }
                }
            }
        }
    }
    out
}

/// Documents that exercise every rule of the evaluator that a formula
/// must follow.
pub fn cases() -> Vec<(&'static str, Document)> {
    vec![
    // 円 × 件 into 万円; % and scales; precedence with + − × ÷ and a
    // leading −.
    (
        "scales",
        doc(
            &list(&[
                kgi("sales", "万円", "null", "null"),
                kpi("price", "円", "5000", "4500"),
                kpi("count", "件", "3000", "2800"),
                kpi("rate", "%", "20", "25"),
                kpi("calls", "件", "400", "350"),
            ]),
            &list(&[
                edge("sales", "price", "*"),
                edge("sales", "count", "*"),
                edge("sales", "rate", "*"),
                edge("sales", "calls", "+"),
            ]),
        ),
    ),
    (
        "precedence",
        doc(
            &list(&[
                kgi("g", "", "null", "null"),
                kpi("a", "x", "2", "3"),
                kpi("b", "x", "3", "4"),
                kpi("c", "", "4", "5"),
                kpi("d", "", "8", "2"),
                kpi("e", "x", "1", "7"),
            ]),
            &list(&[
                edge("g", "a", "-"),
                edge("g", "b", "+"),
                edge("g", "c", "*"),
                edge("g", "d", "/"),
                edge("g", "e", "-"),
            ]),
        ),
    ),
    // Lower is better; an entered target that wins; an actual missing in
    // one term; a division by zero falling back to the entered actual.
    (
        "down-missing-zero",
        doc(
            &list(&[
                r#"{"id":"cost","kind":"KGI","name":"費用","unit":"万円","target":500,"actual":620,"direction":"down","deadline":"2027-03-31"}"#.to_owned(),
                kpi("fixed", "万円", "300", "320"),
                kpi("var", "万円", "200", "null"),
                r#"{"id":"unitcost","kind":"KPI","name":"単価","unit":"円/個","actual":7}"#.to_owned(),
                kpi("yen", "円", "1000", "700"),
                kpi("pieces", "個", "10", "0"),
            ]),
            &list(&[
                edge("cost", "fixed", "+"),
                edge("cost", "var", "+"),
                edge("unitcost", "yen", "*"),
                edge("unitcost", "pieces", "/"),
                edge("cost", "unitcost", "link"),
            ]),
        ),
    ),
    // A shared KPI: once in the sheet, read by both parents.
    (
        "shared",
        doc(
            &list(&[
                kgi("profit", "万円", "null", "null"),
                kpi("sales", "万円", "null", "null"),
                kpi("cost", "万円", "null", "null"),
                kpi("cust", "社", "120", "80"),
                kpi("price", "万円/社", "100", "90"),
                kpi("unitcost", "万円/社", "60", "70"),
            ]),
            &list(&[
                edge("profit", "sales", "+"),
                edge("profit", "cost", "-"),
                edge("sales", "cust", "*"),
                edge("sales", "price", "*"),
                edge("cost", "cust", "*"),
                edge("cost", "unitcost", "*"),
            ]),
        ),
    ),
    // 件 × % under a 社 goal: the value stays in 件 (unit_mismatch).
    (
        "unit-mismatch",
        doc(
            &list(&[
                kgi("cust", "社", "30", "null"),
                kpi("meet", "件", "null", "null"),
                kpi("close", "%", "25", "20"),
                kpi("calls", "件", "400", "350"),
                kpi("appo", "%", "30", "25"),
            ]),
            &list(&[
                edge("cust", "meet", "*"),
                edge("cust", "close", "*"),
                edge("meet", "calls", "*"),
                edge("meet", "appo", "*"),
            ]),
        ),
    ),
    ]
}

#[test]
fn computed_values_are_formulas_over_their_terms_cells_with_kpitrees_value_cached() {
    let d = doc(
        &list(&[
            kgi("sales", "万円", "null", "null"),
            kpi("price", "円/社", "5000", "4500"),
            kpi("count", "社", "3000", "2800"),
        ]),
        &list(&[edge("sales", "price", "*"), edge("sales", "count", "*")]),
    );
    let bytes = to_xlsx(&d, Lang::Ja).unwrap();
    let path = std::env::temp_dir().join(format!("kpitree-xlsx-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names(), ["ツリー", "診断"]);
    let formulas = book.worksheet_formula("ツリー").unwrap();
    let (r0, c0) = formulas.start().unwrap();
    let formula = |r: u32, c: u32| formulas.get(((r - r0) as usize, (c - c0) as usize)).cloned().unwrap_or_default();
    assert_eq!(formula(1, 6), "IF(COUNT(G3:G4)=2,IFERROR(G3*G4/10000,\"\"),\"\")");
    assert_eq!(formula(1, 7), "IF(COUNT(H3:H4)=2,IFERROR(H3*H4/10000,\"\"),\"\")");
    assert!(formula(1, 8).contains("H2/G2"), "{}", formula(1, 8));
    let values = book.worksheet_range("ツリー").unwrap();
    assert_eq!(values.get_value((1, 6)), Some(&Data::Float(1500.0)), "the cached target is kpitree's");
    assert_eq!(values.get_value((1, 7)), Some(&Data::Float(1260.0)));
    assert_eq!(values.get_value((2, 6)), Some(&Data::Float(5000.0)), "a leaf is a number");
    std::fs::remove_file(path).ok();
}

#[test]
fn every_cached_value_is_kpitrees_for_every_case_and_template() {
    let mut all = cases();
    for t in kpitree::templates::ALL {
        all.push((t.name, t.document().unwrap()));
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, d) in &all {
        let eval = kpitree::evaluate(d);
        let path = dir.path().join(format!("{name}.xlsx"));
        std::fs::write(&path, to_xlsx(d, Lang::En).unwrap()).unwrap();
        let diffs = differences(&path, d, &eval, Lang::En);
        assert!(diffs.is_empty(), "{name}: {diffs:#?}");
    }
}

#[test]
fn libreoffice_recalculates_every_formula_to_kpitrees_values() {
    let Some(soffice) = soffice() else { return };
    let mut all = cases();
    for t in kpitree::templates::ALL {
        all.push((t.name, t.document().unwrap()));
    }
    let dir = tempfile::tempdir().unwrap();
    let books: Vec<Vec<u8>> = all.iter().map(|(_, d)| to_xlsx(d, Lang::Ja).unwrap()).collect();
    let done = recalculate(&soffice, &books, dir.path());
    for ((name, d), path) in all.iter().zip(&done) {
        let diffs = differences(path, d, &kpitree::evaluate(d), Lang::Ja);
        assert!(diffs.is_empty(), "{name}: {diffs:#?}");
    }
}

#[test]
fn a_leaf_changed_in_the_workbook_recomputes_the_whole_tree() {
    let Some(soffice) = soffice() else { return };
    let (_, d) = cases().into_iter().find(|(n, _)| *n == "shared").unwrap();
    let bytes = to_xlsx(&d, Lang::Ja).unwrap();
    // cust is the fourth row (profit, sales, cust, …): its actual 80 → 100.
    let book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone()))
        .map(|mut b| b.worksheet_range("ツリー").unwrap());
    let range = book.unwrap();
    let row =
        (1..range.height() as u32).find(|&r| range.get_value((r, 0)) == Some(&Data::String("cust".into()))).unwrap();
    let changed = set_number(&bytes, &format!("H{}", row + 1), 100.0);
    let dir = tempfile::tempdir().unwrap();
    let done = recalculate(&soffice, &[changed], dir.path());
    let mut expected = d.clone();
    for n in expected.nodes.iter_mut() {
        if n.id.as_str() == "cust" {
            n.actual = Some(100.0);
        }
    }
    let diffs = differences(&done[0], &expected, &kpitree::evaluate(&expected), Lang::Ja);
    assert!(diffs.is_empty(), "{diffs:#?}");
}

// ---------------------------------------------------------------- outlines

use kpitree::export::outline::{Style, to_outline};
use kpitree::io::outline::{At, Problem, parse};
use kpitree::model::{Kind, Op};

/// (parent name, child name, op) of every edge, sorted: the tree's shape
/// with ids left out.
fn shape_of(d: &Document) -> Vec<(String, String, Op)> {
    let name = |id: &kpitree::model::NodeId| d.node(id).map(|n| n.name.clone()).unwrap_or_default();
    let mut out: Vec<_> = d.edges.iter().map(|e| (name(&e.parent), name(&e.child), e.op)).collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

#[test]
fn the_issues_example_outline_becomes_a_tree_with_kinds_units_values_and_operators() {
    let d = parse(
        "売上 (万円): 12000\n  × 顧客数 (社): 120 / 80\n  × 客単価 (万円/社): 100 / 90\n  ~ 新規顧客の開拓 [KSF]\n",
    )
    .unwrap();
    let by = |name: &str| d.nodes.iter().find(|n| n.name == name).unwrap();
    assert_eq!(by("売上").kind, Kind::Kgi);
    assert_eq!((by("売上").unit_str(), by("売上").target, by("売上").actual), ("万円", Some(12000.0), None));
    assert_eq!((by("顧客数").kind, by("顧客数").target, by("顧客数").actual), (Kind::Kpi, Some(120.0), Some(80.0)));
    assert_eq!(by("新規顧客の開拓").kind, Kind::Ksf);
    let ops: Vec<(String, Op)> = shape_of(&d).into_iter().map(|(_, c, op)| (c, op)).collect();
    assert!(ops.contains(&("顧客数".into(), Op::Mul)));
    assert!(ops.contains(&("新規顧客の開拓".into(), Op::Link)));
    // The tree computes: 120 × 100 = 12,000 万円 as the target.
    assert!(kpitree::evaluate(&d).get_str(by("売上").id.as_str()).unwrap().actual.is_some());
}

#[test]
fn markdown_bullets_tabs_and_full_width_operators_read_alike() {
    let plain = parse("利益\n  + 売上: 10\n  - 費用: 4\n").unwrap();
    let md = parse("- 利益\n\t- ＋ 売上: 10\n\t- － 費用: 4\n").unwrap();
    assert_eq!(shape_of(&plain), shape_of(&md));
    assert_eq!(shape_of(&md).iter().find(|e| e.1 == "費用").unwrap().2, Op::Sub);
}

#[test]
fn every_bad_line_is_reported_with_its_line_and_column_and_nothing_is_made() {
    let errors = parse("売上 (万円): 12000\n  × 顧客数 (社): 12O\n  × (社): 1\n  + 客単価: 1 / 2 / 3\n").unwrap_err();
    let places: Vec<(usize, usize)> = errors
        .0
        .iter()
        .map(|e| match e.at {
            At::Line { line, column } => (line, column),
            At::Cell { .. } => panic!("a text has lines"),
        })
        .collect();
    assert_eq!(places.iter().map(|p| p.0).collect::<Vec<_>>(), [2, 3, 4]);
    // 「12O」 starts at the 14th character of line 2 (two spaces of indentation).
    assert_eq!(places[0], (2, "  × 顧客数 (社): ".chars().count() + 1));
    assert!(matches!(errors.0[0].problem, Problem::NotANumber(ref t) if t == "12O"));
    assert!(errors.message(Lang::En).contains("line 2, column 14"), "{}", errors.message(Lang::En));
    assert!(errors.message(Lang::Ja).contains("2 行"), "{}", errors.message(Lang::Ja));
    assert!(parse("\n\n").is_err(), "an empty outline makes no document");
}

#[test]
fn a_cycle_through_a_reference_is_an_error_not_a_hang() {
    let errors = parse("a: 1\n  + b: 2\n    + @a\n").unwrap_err();
    assert!(matches!(errors.0[0].problem, Problem::Cycle(_)), "{errors:?}");
}

#[test]
fn a_constant_in_an_outline_reads_back_writes_the_same_text_and_multiplies() {
    let text =
        "# 年間売上\n\n年間売上 (万円): 14,400\n  × 月間売上 (万円/ヶ月): 1,200 / 1,000\n  × 月数 (ヶ月): = 12\n";
    let doc = parse(text).unwrap();
    assert_eq!(to_outline(&doc, Style::Text), text);
    assert_eq!(kpitree::evaluate(&doc).get(&doc.nodes[0].id).and_then(|v| v.actual), Some(12_000.0));
}

#[test]
fn outline_then_document_then_outline_is_the_identity_for_every_template() {
    for t in kpitree::templates::ALL {
        let d = t.document().unwrap();
        for style in [Style::Markdown, Style::Text] {
            let text = to_outline(&d, style);
            let back = parse(&text).unwrap_or_else(|e| panic!("{}: {}\n{text}", t.name, e.message(Lang::En)));
            assert_eq!(to_outline(&back, style), text, "{}", t.name);
            assert_eq!(shape_of(&back), shape_of(&d), "{}", t.name);
            let names = |d: &Document| {
                let mut v: Vec<_> = d.nodes.iter().map(|n| (n.name.clone(), n.kind, n.target, n.actual)).collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            };
            assert_eq!(names(&back), names(&d), "{}", t.name);
        }
    }
}

#[test]
fn a_shared_node_is_written_once_and_referenced_under_its_other_parent() {
    let (_, d) = cases().into_iter().find(|(n, _)| *n == "shared").unwrap();
    let text = to_outline(&d, Style::Text);
    assert_eq!(text.matches("cust").count(), 2, "{text}");
    assert!(text.contains("@cust"), "{text}");
    let back = parse(&text).unwrap();
    assert_eq!(back.nodes.len(), d.nodes.len());
    assert_eq!(shape_of(&back), shape_of(&d));
}

#[test]
fn a_deep_chain_round_trips_without_recursion() {
    let mut text = String::new();
    for i in 0..2_000 {
        text.push_str(&" ".repeat(i));
        text.push_str(&format!("+ n{i}: 1\n"));
    }
    let d = parse(text.trim_start_matches("+ ")).unwrap();
    assert_eq!(d.nodes.len(), 2_000);
    assert_eq!(to_outline(&d, Style::Text).lines().count(), 2_000);
}

#[test]
fn mermaid_has_a_box_per_node_and_an_operator_on_each_edge() {
    let (_, d) = cases().into_iter().find(|(n, _)| *n == "precedence").unwrap();
    let text = kpitree::export::outline::to_mermaid(&d, &kpitree::evaluate(&d), Lang::En);
    assert!(text.starts_with("flowchart LR") || text.contains("\nflowchart LR\n"));
    assert_eq!(text.lines().filter(|l| l.contains("[\"")).count(), d.nodes.len());
    for op in ["−", "+", "×", "÷"] {
        assert!(text.contains(&format!("|\"{op}\"|")), "{op}: {text}");
    }
}

fn kpitree_bin(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree")).args(args).env("LANG", "C").env_remove("LC_ALL").output().unwrap()
}

#[test]
fn new_from_an_outline_writes_the_tree_and_a_bad_outline_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("tree.md");
    std::fs::write(
        &good,
        "# 売上計画\n\n- 売上 (万円): 12000\n  - × 顧客数 (社): 120 / 80\n  - × 客単価 (万円/社): 100 / 90\n",
    )
    .unwrap();
    let out = dir.path().join("tree.kpitree.json");
    let run = kpitree_bin(&["new".as_ref(), "--from".as_ref(), good.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let d = kpitree::io::load(&out).unwrap();
    assert_eq!((d.title.as_deref(), d.nodes.len()), (Some("売上計画"), 3));
    // And back out: the same outline.
    let md = dir.path().join("again.md");
    let run = kpitree_bin(&["export".as_ref(), out.as_os_str(), "-o".as_ref(), md.as_os_str()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(std::fs::read_to_string(&md).unwrap(), to_outline(&d, Style::Markdown));

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "売上\n  × 顧客数: abc\n").unwrap();
    let none = dir.path().join("none.kpitree.json");
    let run = kpitree_bin(&["new".as_ref(), "--from".as_ref(), bad.as_os_str(), "-o".as_ref(), none.as_os_str()]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("line 2, column 10"), "{err}");
    assert!(!none.exists());
}

// ---------------------------------------------------------------- slides

#[test]
fn a_spreadsheet_outline_reads_one_column_per_level_and_a_bad_cell_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let typed = parse("売上 (万円): 12000\n  × 顧客数 (社): 120 / 80\n  × 客単価 (万円/社): 100 / 90\n").unwrap();
    let csv = dir.path().join("tree.csv");
    std::fs::write(&csv, "売上 (万円): 12000,,\n,× 顧客数 (社): 120 / 80,\n,× 客単価 (万円/社): 100 / 90,\n").unwrap();
    assert_eq!(shape_of(&kpitree::io::outline::read(&csv, None).unwrap()), shape_of(&typed));
    let xlsx = dir.path().join("tree.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "売上 (万円): 12000").unwrap();
    ws.write_string(1, 1, "× 顧客数 (社): 120 / 80").unwrap();
    ws.write_string(2, 1, "× 客単価 (万円/社): 100 / 90").unwrap();
    wb.save(&xlsx).unwrap();
    let from_xlsx = kpitree::io::outline::read(&xlsx, None).unwrap();
    assert_eq!(shape_of(&from_xlsx), shape_of(&typed));
    assert_eq!(from_xlsx.nodes.iter().find(|n| n.name == "顧客数").unwrap().actual, Some(80.0));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "売上,\n,× 顧客数: abc\n").unwrap();
    let message = kpitree::io::outline::read(&bad, None).unwrap_err().message(Lang::En);
    assert!(message.contains("cell B2, character 8"), "{message}");
}

#[test]
fn the_problems_of_an_outline_are_printed_one_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "売上\n  × 顧客数: abc\n  + : 1\n").unwrap();
    let out = dir.path().join("none.kpitree.json");
    let run = kpitree_bin(&["new".as_ref(), "--from".as_ref(), bad.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!err.contains("\\u{a}"), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[1].contains("line 2") && lines[2].contains("line 3"), "{err}");
}
