//! `analyze --chart`: the waterfall, tornado or scenarios chart drawn to a
//! file.

use std::io::Write;
use std::path::Path;

use super::ChartArg;
use crate::cli::explain::Explained;
use crate::cli::messages::Msg;
use crate::export::chart::{Chart, ChartKind};
use crate::io;
use crate::lang::Lang;
use crate::model::{Document, NodeId};

/// Draws `kind` for `goal` (or the first goal that has one) to `path`, as
/// SVG or PNG by its extension.
pub(super) fn write_chart(
    doc: &Document,
    explained: &Explained,
    kind: ChartArg,
    goal: Option<&str>,
    path: &Path,
    lang: Lang,
) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let png = match ext.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => return Err(Msg::ChartExtension(path.display().to_string()).text(lang)),
    };
    if let Some(g) = goal
        && doc.node(&NodeId::from(g)).is_none()
    {
        return Err(Msg::NoSuchGoal(g.to_owned()).text(lang));
    }
    let for_goal = |id: &NodeId| goal.is_none_or(|g| id.as_str() == g);
    let kind = match kind {
        ChartArg::Waterfall => ChartKind::Waterfall,
        ChartArg::Tornado => ChartKind::Tornado,
        ChartArg::Scenarios => ChartKind::Scenarios,
    };
    let chart = match kind {
        ChartKind::Waterfall => {
            let list = explained.attribution.as_ref().map_err(Clone::clone)?;
            list.iter().find(|a| for_goal(&a.goal)).map(|a| Chart::waterfall(doc, a, explained.method, lang))
        }
        ChartKind::Tornado => {
            let (list, pct) = &explained.sensitivity;
            let mine: Vec<_> = list.iter().filter(|s| for_goal(&s.goal)).cloned().collect();
            Chart::tornado(doc, &mine, *pct, lang)
        }
        ChartKind::Scenarios => Chart::scenarios(doc, &explained.comparison, lang),
    };
    let Some(chart) = chart else {
        return Err(match kind {
            ChartKind::Waterfall => lang.pick(
                "差異分析のグラフにするゴールがありません (目標と実績のあるゴールが必要です)",
                "no goal to chart: the waterfall needs a goal with a target and an actual",
            ),
            ChartKind::Tornado => lang.pick(
                "感度のグラフにする KPI がありません (ゴールの下に値のある末端 KPI が必要です)",
                "nothing to chart: the tornado needs leaf KPIs with values below a goal",
            ),
            ChartKind::Scenarios => lang.pick("シナリオがありません", "the document has no scenarios"),
        }
        .to_owned());
    };
    let figure = chart.layout(880.0);
    let bytes = if png {
        figure.to_rgba(&chart.title, 2.0).and_then(|p| p.encode_png()).map_err(|e| e.to_string())?
    } else {
        // With the glyphs it uses, as the diagram's SVG (a chart for a slide).
        crate::export::embed_font(&figure.to_svg(&chart.title)).into_bytes()
    };
    io::write_atomic(path, |f| f.write_all(&bytes)).map_err(|e| io::error_message(&e, lang))
}
