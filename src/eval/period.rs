//! Values per period: each node's target and actual in every period of the
//! document, its year-to-date (累計) and full-period roll-ups, and its landing
//! forecast (着地見込) — `docs/FORMAT.md`, "Periods".
//!
//! Computed bottom-up in the same pass as the evaluator's values, because a
//! node's full-period value comes from its periods when any node below it
//! has a series. Values are kept in base units (scale 1) inside, and turned
//! into each node's unit when read.

use rustc_hash::FxHashMap;

use super::graph::Link;
use crate::model::period::Span;
use crate::model::{Aggregate, Calendar, Document, Label, Op, combine};

/// No row: the node has no series at or below it.
const NONE: u32 = u32::MAX;

/// A node's values in one period or over a range of periods, in its unit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PeriodValue {
    /// The plan.
    pub target: Option<f64>,
    /// The measurement.
    pub actual: Option<f64>,
    /// 達成率 (direction respected).
    pub progress: Option<f64>,
}

pub use super::period_problem::PeriodProblem;
pub use crate::model::period::View;

/// A node's targets and actuals in every period, in its unit: what a
/// card's trend line draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Per period.
    pub target: Vec<Option<f64>>,
    /// Per period.
    pub actual: Vec<Option<f64>>,
    /// The period shown, when the view is one period.
    pub marked: Option<usize>,
}

/// The periods of a document and every node's values in them.
#[derive(Debug, Clone, Default)]
pub struct PeriodTable {
    /// The fiscal calendar.
    pub calendar: Calendar,
    /// The periods, in order.
    pub spans: Vec<Span>,
    /// How many periods, from the first, make the year to date.
    pub ytd_len: usize,
    /// Per node: its row, or [`NONE`].
    row_of: Vec<u32>,
    /// Per row and period: target and actual, base units.
    target: Vec<Option<f64>>,
    actual: Vec<Option<f64>>,
    /// Per row: year-to-date and full target and actual, the forecast, base units.
    ytd: Vec<[Option<f64>; 2]>,
    full: Vec<[Option<f64>; 2]>,
    forecast: Vec<Option<f64>>,
    /// Per node: the scale its values are read in (base = value × scale).
    scale: Vec<f64>,
    /// Per node: lower is better.
    down: Vec<bool>,
    /// Per node without values per period: a rate or a level, whose
    /// whole-period value holds in every period.
    level: Vec<bool>,
}

impl PeriodTable {
    /// The number of periods.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when the document has no periods.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The label of period `p`.
    pub fn label(&self, p: usize) -> Label {
        self.calendar.label(self.spans[p])
    }

    /// True when the node at `node` (document position) has a series at or
    /// below it, so that it has values per period.
    pub fn has(&self, node: usize) -> bool {
        self.row_of.get(node).is_some_and(|&r| r != NONE)
    }

    fn row(&self, node: usize) -> Option<usize> {
        self.row_of.get(node).filter(|&&r| r != NONE).map(|&r| r as usize)
    }

    fn value(&self, node: usize, [t, a]: [Option<f64>; 2]) -> PeriodValue {
        let s = self.scale[node];
        let (target, actual) = (t.map(|v| v / s), a.map(|v| v / s));
        let direction = if self.down[node] { crate::model::Direction::Down } else { crate::model::Direction::Up };
        PeriodValue { target, actual, progress: super::progress(target, actual, direction) }
    }

    /// The node's values in period `p`.
    pub fn at(&self, node: usize, p: usize) -> Option<PeriodValue> {
        let r = self.row(node)?;
        let i = r * self.spans.len() + p;
        Some(self.value(node, [self.target[i], self.actual[i]]))
    }

    /// The node's `which` (0 target, 1 actual) value in period `p`, base
    /// units: `Some` when the node has values per period.
    pub(crate) fn base_at(&self, node: usize, p: usize, which: usize) -> Option<Option<f64>> {
        let r = self.row(node)?;
        let i = r * self.spans.len() + p;
        Some(if which == 0 { self.target[i] } else { self.actual[i] })
    }

    /// True when the node has no values per period but holds its
    /// whole-period value in each (a rate or a level).
    pub(crate) fn is_level(&self, node: usize) -> bool {
        self.level.get(node).copied().unwrap_or(false)
    }

    /// The node's year-to-date values.
    pub fn ytd(&self, node: usize) -> Option<PeriodValue> {
        let r = self.row(node)?;
        Some(self.value(node, self.ytd[r]))
    }

    /// The node's landing (着地見込): its full-period target against its
    /// forecast, with the progress that makes.
    pub fn landing(&self, node: usize) -> Option<PeriodValue> {
        let r = self.row(node)?;
        Some(self.value(node, [self.full[r][0], self.forecast[r]]))
    }

    /// The node's values rolled up over every period.
    pub fn full(&self, node: usize) -> Option<PeriodValue> {
        let r = self.row(node)?;
        Some(self.value(node, self.full[r]))
    }

    /// The period of `label`, when it is one of the document's.
    pub fn index(&self, label: Label) -> Option<usize> {
        let span = self.calendar.span(label)?;
        self.spans.iter().position(|s| *s == span)
    }

    /// The node's values in `view`: its whole-period values `full`, its
    /// year to date, or one period's; a rate or a level without values per
    /// period holds its whole-period values in each; an amount without them
    /// has none.
    pub fn view(&self, node: usize, full: &super::NodeValue, view: View) -> super::NodeValue {
        let picked = match view {
            View::Full => return *full,
            View::YearToDate => self.ytd(node),
            View::Forecast => self.landing(node),
            View::Period(label) => self.index(label).and_then(|p| self.at(node, p)),
        };
        match picked {
            Some(v) => super::NodeValue {
                target: v.target,
                actual: v.actual,
                progress: v.progress,
                computed: full.computed,
                computed_target: if full.computed { v.target } else { None },
                computed_actual: if full.computed { v.actual } else { None },
            },
            None if self.level.get(node).copied().unwrap_or(false) => *full,
            None => super::NodeValue { computed: full.computed, ..super::NodeValue::default() },
        }
    }

    /// The node's targets and actuals per period, with `view`'s period marked.
    pub fn trend(&self, node: usize, view: View) -> Option<Trend> {
        let r = self.row(node)?;
        let s = self.scale[node];
        let n_p = self.spans.len();
        let per = |vals: &[Option<f64>]| vals[r * n_p..(r + 1) * n_p].iter().map(|v| v.map(|x| x / s)).collect();
        let marked = match view {
            View::Period(label) => self.index(label),
            _ => None,
        };
        Some(Trend { target: per(&self.target), actual: per(&self.actual), marked })
    }

    /// Where the node lands if the rest of the periods go to plan: actuals to
    /// date, targets after, rolled up as the node rolls up.
    pub fn forecast(&self, node: usize) -> Option<f64> {
        let r = self.row(node)?;
        self.forecast[r].map(|v| v / self.scale[node])
    }
}

/// The document as `view` shows it, for the analysis (bottlenecks, the gap
/// explained, 逆算) to speak of the period on screen: every node that has
/// values of its own (entered, or per period) holds its values in the view
/// as its target and actual, and no series; computed nodes stay computed.
/// `eval` is the evaluation of `doc`. None for the whole period, or when the
/// document has no periods.
pub fn view_document(doc: &Document, eval: &super::Evaluation, view: View) -> Option<Document> {
    if view == View::Full || eval.periods().is_none() {
        return None;
    }
    let mut viewed = doc.clone();
    for (k, node) in viewed.nodes.iter_mut().enumerate() {
        let own = node.target.is_some() || node.actual.is_some() || node.series.is_some();
        if !own || node.constant.is_some() {
            continue;
        }
        let v = eval.view_value(k, view);
        node.target = v.target;
        node.actual = v.actual;
        node.series = None;
    }
    Some(viewed)
}

/// The findings as `view` shows them: those of `viewed` (the evaluation of
/// [`view_document`]), with the whole's findings about the series
/// themselves, which the viewed document no longer has. In a period after
/// the as-of date nothing is measured yet, so `no_actual` is left out there.
/// Errors first, then warnings, then infos, as an evaluation orders them.
pub fn view_diagnostics(whole: &super::Evaluation, viewed: &super::Evaluation, view: View) -> Vec<super::Diagnostic> {
    use super::diagnostic::Code;
    let future = match (view, whole.periods()) {
        (View::Period(label), Some(t)) => t.index(label).is_some_and(|p| p >= t.ytd_len),
        _ => false,
    };
    let mut list: Vec<super::Diagnostic> = viewed
        .diagnostics
        .iter()
        .filter(|d| !(future && d.code == Code::NoActual))
        .cloned()
        .chain(
            whole
                .diagnostics
                .iter()
                .filter(|d| matches!(d.code, Code::SeriesOutsidePeriod | Code::SeriesSumMismatch | Code::SeriesGap))
                .cloned(),
        )
        .collect();
    list.sort_by_key(super::Diagnostic::severity);
    list
}

/// What a node gives its parent in one period when it has no row: a rate or
/// a level (average, last) holds in every period; an amount (sum) is unknown.
#[derive(Clone, Copy)]
pub(super) enum Constant {
    /// The node's full-period target and actual, base units.
    Level([Option<f64>; 2]),
    /// Unknown per period.
    None,
}

/// Builds a [`PeriodTable`] node by node, children first, alongside the
/// evaluator.
pub(super) struct Builder {
    pub table: PeriodTable,
    /// Label → period.
    index: FxHashMap<Label, usize>,
    /// Per node without a row: what it holds in every period.
    constant: Vec<Constant>,
    /// Labels of series outside the periods, per node (for
    /// `series_outside_period`).
    pub outside: Vec<(usize, Vec<Label>)>,
    /// YTD periods without an actual, per leaf (for `series_gap`).
    pub gaps: Vec<(usize, Vec<Label>)>,
}

impl Builder {
    /// A builder for `doc`, or none when the document has no periods.
    pub fn new(doc: &Document) -> Option<Builder> {
        let calendar = Calendar::of(doc.period.as_ref());
        let spans = crate::model::period::spans_of(doc, &calendar);
        if spans.is_empty() {
            return None;
        }
        let index = spans.iter().enumerate().map(|(p, &s)| (calendar.label(s), p)).collect();
        let n = doc.nodes.len();
        let ytd_len = crate::model::period::year_to_date(doc, &calendar, &spans);
        let table = PeriodTable {
            calendar,
            spans,
            ytd_len,
            row_of: vec![NONE; n],
            scale: vec![1.0; n],
            down: vec![false; n],
            level: vec![false; n],
            ..PeriodTable::default()
        };
        Some(Builder { table, index, constant: vec![Constant::None; n], outside: Vec::new(), gaps: Vec::new() })
    }

    fn periods(&self) -> usize {
        self.table.spans.len()
    }

    /// A term's value in period `p` (base units), `which` 0 target, 1 actual,
    /// 2 forecast.
    fn term_at(&self, c: usize, p: usize, which: usize) -> Option<f64> {
        let t = &self.table;
        match t.row(c) {
            Some(r) => {
                let i = r * t.spans.len() + p;
                match which {
                    0 => t.target[i],
                    1 => t.actual[i],
                    _ => forecast_at(t.target[i], t.actual[i], p < t.ytd_len),
                }
            }
            None => match self.constant[c] {
                Constant::Level([tv, av]) => match which {
                    0 => tv,
                    1 => av,
                    _ => av.or(tv),
                },
                Constant::None => None,
            },
        }
    }

    /// A term's roll-up (base units): `range` 0 year to date, 1 full; `which`
    /// 0 target, 1 actual, 2 forecast.
    fn term_rolled(&self, c: usize, range: usize, which: usize) -> Option<f64> {
        let t = &self.table;
        match t.row(c) {
            Some(r) => match which {
                2 => t.forecast[r],
                w => [&t.ytd, &t.full][range][r][w],
            },
            None => match self.constant[c] {
                Constant::Level([tv, av]) => match which {
                    0 => tv,
                    1 => av,
                    _ => av.or(tv),
                },
                Constant::None => None,
            },
        }
    }

    /// Evaluates node `m`, whose terms are evaluated: its row when it has a
    /// series or a term with a row. `full_base` is its scalar effective
    /// target and actual (base units), used when it has no row. A node in a
    /// cycle is given no terms (its periods are its own entries). Returns the
    /// node's full-period roll-up (base units) when it has a row and does
    /// not roll up by formula.
    #[allow(clippy::too_many_arguments)]
    #[allow(clippy::cast_possible_truncation, reason = "rows of the period table, one per node")]
    pub fn node(
        &mut self,
        doc: &Document,
        m: usize,
        terms: &[Link],
        aggregate: Aggregate,
        (in_scale, out_scale): (f64, f64),
        down: bool,
    ) -> Option<[Option<f64>; 2]> {
        let node = &doc.nodes[m];
        let series = node.series.as_ref().filter(|s| !s.is_empty());
        let has_row = series.is_some() || terms.iter().any(|l| self.table.has(l.child as usize));
        self.table.down[m] = down;
        if !has_row {
            return None;
        }
        let computed = !terms.is_empty();
        self.table.scale[m] = if computed { out_scale } else { in_scale };
        let n_p = self.periods();
        let row = self.table.full.len();
        self.table.row_of[m] = row as u32;
        // The node's own entries, by period (in its unit, made base).
        let mut own: Vec<[Option<f64>; 2]> = vec![[None, None]; n_p];
        if let Some(series) = series {
            let mut outside = Vec::new();
            for (label, v) in series {
                match self.index.get(label) {
                    Some(&p) => own[p] = [v.target.map(|x| x * in_scale), v.actual.map(|x| x * in_scale)],
                    None => outside.push(*label),
                }
            }
            if !outside.is_empty() {
                self.outside.push((m, outside));
            }
            if !computed {
                let gaps: Vec<Label> =
                    (0..self.table.ytd_len).filter(|&p| own[p][1].is_none()).map(|p| self.table.label(p)).collect();
                if !gaps.is_empty() {
                    self.gaps.push((m, gaps));
                }
            }
        }
        let expr = |value: &dyn Fn(usize) -> Option<f64>| -> Option<f64> {
            let mut vals = Vec::with_capacity(terms.len());
            for l in terms {
                vals.push((l.op, value(l.child as usize)?));
            }
            // Base units in, base units out; a division by zero is no value.
            if vals.iter().any(|&(op, v)| op == Op::Div && v == 0.0) {
                return None;
            }
            Some(combine(vals)).filter(|v| v.is_finite())
        };
        for (p, entered) in own.iter().enumerate() {
            let (t, a) = if computed {
                let ct = expr(&|c| self.term_at(c, p, 0));
                let ca = expr(&|c| self.term_at(c, p, 1));
                (entered[0].or(ct), ca.or(entered[1]))
            } else {
                (entered[0], entered[1])
            };
            self.table.target.push(t);
            self.table.actual.push(a);
        }
        let start = row * n_p;
        let (ytd_len, ts, acts) = (self.table.ytd_len, start..start + n_p, start..start + n_p);
        let formula = computed && aggregate == Aggregate::Formula;
        let roll = |vals: &[Option<f64>], len: usize| aggregate.roll_up(vals[..len].iter().flatten().copied());
        let (ytd, full, forecast) = if formula {
            let rolled = |range: usize, which: usize| expr(&|c| self.term_rolled(c, range, which));
            ([rolled(0, 0), rolled(0, 1)], [rolled(1, 0), rolled(1, 1)], rolled(1, 2))
        } else {
            let (t, a) = (&self.table.target[ts], &self.table.actual[acts]);
            let f: Vec<Option<f64>> = (0..n_p).map(|p| forecast_at(t[p], a[p], p < ytd_len)).collect();
            ([roll(t, ytd_len), roll(a, ytd_len)], [roll(t, n_p), roll(a, n_p)], roll(&f, n_p))
        };
        self.table.ytd.push(ytd);
        self.table.full.push(full);
        self.table.forecast.push(forecast);
        (!formula).then_some(full)
    }

    /// Records what node `m`, which has no row, holds in every period: its
    /// full values when it is a rate or a level.
    pub fn constant(&mut self, m: usize, aggregate: Aggregate, full_base: [Option<f64>; 2]) {
        if !self.table.has(m) && aggregate != Aggregate::Sum {
            self.constant[m] = Constant::Level(full_base);
            self.table.level[m] = true;
        }
    }

    /// The scale node `m`'s values are read in, once its scalar evaluation
    /// has settled it.
    pub fn set_scale(&mut self, m: usize, scale: f64) {
        if self.table.has(m) {
            self.table.scale[m] = scale;
        }
    }
}

/// The forecast of one period: the actual to date (the plan where none was
/// measured), the plan after.
fn forecast_at(target: Option<f64>, actual: Option<f64>, to_date: bool) -> Option<f64> {
    if to_date { actual.or(target) } else { target }
}
