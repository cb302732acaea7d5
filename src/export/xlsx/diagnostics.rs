//! The 「診断」 sheet: every diagnostic, and the formulas written as values.

use super::*;

#[allow(clippy::cast_possible_truncation, reason = "the columns of a fixed header")]
pub(super) fn diagnostics_sheet(plan: &Plan<'_>, ws: &mut Worksheet) -> Result<(), XlsxError> {
    let lang = plan.lang;
    ws.set_name(plan.refs.names[1])?;
    let header = header_format();
    let heads = match lang {
        Lang::Ja => ["重要度", "コード", "ID", "名前", "内容"],
        Lang::En => ["Severity", "Code", "ID", "Name", "Message"],
    };
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let severity = |s: Severity| match s {
        Severity::Error => (lang.pick("エラー", "error"), 0xD2433Au32),
        Severity::Warning => (lang.pick("警告", "warning"), 0xB07C05),
        Severity::Info => (lang.pick("情報", "info"), 0x5F6B7A),
    };
    let mut row = 1u32;
    let link = |ws: &mut Worksheet, row: u32, node: Option<usize>, name: &str| -> Result<(), XlsxError> {
        match node {
            Some(m) => {
                let target = format!("internal:{}!C{}", plan.refs.prefix(Sheet::Tree), plan.tree_row[m] + 1);
                ws.write_url_with_text(row, 3, Url::new(target), cell_text(name))?;
            }
            None => {
                ws.write_string(row, 3, cell_text(name))?;
            }
        }
        Ok(())
    };
    for d in &plan.eval.diagnostics {
        if row as usize >= MAX_ROWS {
            break;
        }
        let (label, colour) = severity(d.severity());
        ws.write_string_with_format(row, 0, label, &Format::new().set_bold().set_font_color(Color::RGB(colour)))?;
        ws.write_string(row, 1, d.code.as_str())?;
        if let Some(id) = &d.node {
            ws.write_string(row, 2, cell_text(id.as_str()))?;
        }
        let node = d.node.as_ref().and_then(|id| plan.eval.position(id.as_str()));
        link(ws, row, node, &d.name)?;
        ws.write_string(row, 4, cell_text(&d.message(lang)))?;
        row += 1;
    }
    for &(m, what) in &plan.too_long {
        if row as usize >= MAX_ROWS {
            break;
        }
        let node = &plan.doc.nodes[m];
        ws.write_string(row, 0, lang.pick("情報", "info"))?;
        ws.write_string(row, 1, "formula_too_long")?;
        ws.write_string(row, 2, cell_text(node.id.as_str()))?;
        link(ws, row, Some(m), &node.name)?;
        let message = match lang {
            Lang::Ja => format!("{what} の式が Excel の上限 (8,192 文字) を超えるため、値で書き出しました"),
            Lang::En => {
                format!("the {what} formula is longer than Excel allows (8,192 characters): written as a value")
            }
        };
        ws.write_string(row, 4, message)?;
        row += 1;
    }
    if row == 1 {
        ws.write_string(1, 4, lang.pick("問題はありません", "no problems"))?;
    }
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 20)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 24)?;
    ws.set_column_width(4, 80)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
