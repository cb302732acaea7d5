//! `kpitree import`: actuals and targets per period from CSV (UTF-8 and
//! Shift_JIS) and xlsx, in the wide and the long layout; every kind of
//! failed row; a dry run writes nothing; a failed row writes nothing unless
//! --skip-bad.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kpitree::io::import::{self, Cell, Layout, Options, Reason, Table};
use kpitree::model::Label;
use serde_json::json;

/// 売上 = 顧客数 × 客単価, fiscal year April 2026 to March 2027; 客単価 has a
/// twin name to make a name ambiguous.
fn doc_text() -> String {
    json!({
        "format": "kpitree", "version": 1,
        "period": { "start": "2026-04-01", "end": "2027-03-31", "as_of": "2026-06-30" },
        "nodes": [
            { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円", "deadline": "2027-03-31" },
            { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社",
              "series": { "2026-04": { "target": 10, "actual": 8 } } },
            { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100 },
            { "id": "price2", "kind": "KPI", "name": "客単価", "unit": "万円/社" }
        ],
        "edges": [ { "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" } ]
    })
    .to_string()
}

fn doc() -> kpitree::Document {
    kpitree::io::from_str(&doc_text(), "import.kpitree.json").unwrap()
}

fn text(t: &str) -> Cell {
    if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_owned()) }
}

fn table(rows: &[&[&str]]) -> Table {
    Table { rows: rows.iter().map(|r| r.iter().map(|c| text(c)).collect()).collect() }
}

fn month(label: &str) -> Label {
    Label::parse(label).unwrap()
}

#[test]
fn a_wide_table_by_id_or_name_with_months_across_the_fiscal_year() {
    let t = table(&[&["ノード", "4月", "5月", "1月"], &["cust", "9", "1,200", "△3"], &["売上", "", "", ""]]);
    let found = import::plan(&doc(), &t, Options::default()).unwrap();
    assert_eq!(found.layout, Layout::Wide);
    assert!(found.failures.is_empty(), "{:?}", found.failures);
    let changes: Vec<(String, String, Option<f64>, f64)> =
        found.changes.iter().map(|c| (c.node.to_string(), c.label.to_string(), c.old, c.new)).collect();
    assert_eq!(
        changes,
        [
            ("cust".into(), "2026-04".into(), Some(8.0), 9.0),
            ("cust".into(), "2026-05".into(), None, 1200.0),
            ("cust".into(), "2027-01".into(), None, -3.0),
        ],
        "1月 of the fiscal year from April 2026 is January 2027"
    );
    assert!(found.changes.iter().all(|c| !c.target), "actuals by default");
}

#[test]
fn a_wide_table_of_targets() {
    let t = table(&[&["node", "2026-05"], &["顧客数", "11"]]);
    let found = import::plan(&doc(), &t, Options { targets: true }).unwrap();
    assert_eq!(found.changes.len(), 1);
    assert!(found.changes[0].target);
}

#[test]
fn a_long_table_with_japanese_headers_sets_actuals_and_targets() {
    let t = table(&[
        &["指標", "期間", "実績", "目標"],
        &["cust", "2026/4", "8", "12"],
        &["cust", "2026年5月", "7", ""],
        &["cust", "2026-05-31", "6", ""],
    ]);
    let found = import::plan(&doc(), &t, Options::default()).unwrap();
    assert_eq!(found.layout, Layout::Long);
    assert_eq!(found.unchanged, 1, "April's actual is 8 already");
    let got: Vec<(String, bool, f64)> = found.changes.iter().map(|c| (c.label.to_string(), c.target, c.new)).collect();
    assert_eq!(
        got,
        [("2026-04".into(), true, 12.0), ("2026-05".into(), false, 6.0)],
        "May read twice: the later row wins"
    );
}

#[test]
fn every_kind_of_failed_row_says_its_row_and_why() {
    let t = table(&[
        &["ノード", "4月", "2027-04"],
        &["nobody", "1", ""],
        &["客単価", "1", ""],
        &["cust", "abc", ""],
        &["cust", "", "5"],
    ]);
    let found = import::plan(&doc(), &t, Options::default()).unwrap();
    let reasons: Vec<(usize, Reason)> = found.failures.iter().map(|f| (f.row, f.reason.clone())).collect();
    assert!(reasons.contains(&(1, Reason::OutsidePeriod("2027-04".into()))), "{reasons:?}");
    assert!(reasons.contains(&(2, Reason::UnknownNode("nobody".into()))));
    assert!(reasons.contains(&(3, Reason::AmbiguousName("客単価".into(), 2))));
    assert!(reasons.contains(&(4, Reason::BadNumber("abc".into(), "2026-04".into()))));
    let long = table(&[&["node", "period", "actual"], &["cust", "13月", "1"]]);
    let f = import::plan(&doc(), &long, Options::default()).unwrap().failures;
    assert_eq!(f[0].reason, Reason::BadPeriod("13月".into()));
    assert!(f[0].message(kpitree::Lang::Ja).contains("2 行目"));
}

#[test]
fn applying_an_import_is_one_edit_that_undoes_at_once() {
    let t = table(&[&["node", "2026-05", "2026-06"], &["cust", "5", "6"]]);
    let d = doc();
    let found = import::plan(&d, &t, Options::default()).unwrap();
    let mut after = d.clone();
    assert!(import::edit(&d, &found).unwrap().apply(&mut after));
    let series = after.node(&"cust".into()).unwrap().series.clone().unwrap();
    assert_eq!(series[&month("2026-04")].actual, Some(8.0));
    assert_eq!(series[&month("2026-05")].actual, Some(5.0));
    assert_eq!(series[&month("2026-06")].actual, Some(6.0));
    let mut session = kpitree::model::session::Session::new(d.clone(), None);
    session.apply(import::edit(&d, &found).unwrap(), std::time::Instant::now());
    session.undo();
    assert_eq!(session.document().as_ref(), &d);
}

// ---- the command line ----

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree")).args(args).env("LANG", "C").output().expect("kpitree runs")
}

fn files(dir: &Path, data_name: &str, data: &[u8]) -> (PathBuf, PathBuf) {
    let file = dir.join("plan.kpitree.json");
    std::fs::write(&file, doc_text()).unwrap();
    let data_path = dir.join(data_name);
    std::fs::write(&data_path, data).unwrap();
    (file, data_path)
}

fn actual(file: &Path, id: &str, label: &str) -> Option<f64> {
    let d = kpitree::io::load(file).unwrap();
    d.node(&id.into())?.series.as_ref()?.get(&month(label))?.actual
}

#[test]
fn the_cli_imports_shift_jis_csv_with_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("ノード,2026年5月,2026年6月\r\n顧客数,\"1,234\",▲2\r\n");
    let (file, data) = files(dir.path(), "actuals.csv", &sjis);
    let run = kpitree(&["import", file.to_str().unwrap(), "--from", data.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(actual(&file, "cust", "2026-05"), Some(1234.0));
    assert_eq!(actual(&file, "cust", "2026-06"), Some(-2.0));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(out.contains("→ 1,234"), "{out}");
}

#[test]
fn a_failed_row_writes_nothing_and_exits_2_unless_skip_bad() {
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = files(dir.path(), "a.csv", "node,2026-05\ncust,7\nghost,1\n".as_bytes());
    let before = std::fs::read(&file).unwrap();
    let run = kpitree(&["import", file.to_str().unwrap(), "--from", data.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing written");
    assert!(String::from_utf8_lossy(&run.stdout).contains("row 3: no node has the id or name \"ghost\""));
    let skip = kpitree(&["import", file.to_str().unwrap(), "--from", data.to_str().unwrap(), "--skip-bad"]);
    assert_eq!(skip.status.code(), Some(0));
    assert_eq!(actual(&file, "cust", "2026-05"), Some(7.0));
}

#[test]
fn a_dry_run_reports_and_writes_nothing_and_output_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, data) = files(dir.path(), "a.csv", "node,2026-05\ncust,7\n".as_bytes());
    let before = std::fs::read(&file).unwrap();
    let run = kpitree(&["import", file.to_str().unwrap(), "--from", data.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stdout).contains("1 changed"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let out = dir.path().join("out.kpitree.json");
    let run =
        kpitree(&["import", file.to_str().unwrap(), "--from", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(std::fs::read(&file).unwrap(), before, "the document stays");
    assert_eq!(actual(&out, "cust", "2026-05"), Some(7.0));
}

#[test]
fn the_cli_imports_an_xlsx_with_date_cells_from_a_named_sheet() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("actuals.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().set_name("表紙").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("実績").unwrap();
    let date = Format::new().set_num_format("yyyy/mm");
    sheet.write_string(0, 0, "指標").unwrap();
    for (c, m) in [(1u16, 4u8), (2, 5)] {
        let d = ExcelDateTime::from_ymd(2026, m, 1).unwrap();
        sheet.write_datetime_with_format(0, c, &d, &date).unwrap();
    }
    sheet.write_string(1, 0, "顧客数").unwrap();
    sheet.write_number(1, 1, 11.0).unwrap();
    sheet.write_number(1, 2, 12.0).unwrap();
    book.save(&xlsx).unwrap();
    let file = dir.path().join("plan.kpitree.json");
    std::fs::write(&file, doc_text()).unwrap();
    let run = kpitree(&["import", file.to_str().unwrap(), "--from", xlsx.to_str().unwrap(), "--sheet", "実績"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(actual(&file, "cust", "2026-04"), Some(11.0));
    assert_eq!(actual(&file, "cust", "2026-05"), Some(12.0));
    let missing = kpitree(&["import", file.to_str().unwrap(), "--from", xlsx.to_str().unwrap(), "--sheet", "なし"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no sheet \"なし\""));
}
