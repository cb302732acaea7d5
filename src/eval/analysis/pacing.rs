//! Pacing: each node's expected progress at the as-of date and whether it
//! is on track ([`Analyzer::pacing`]).

use super::Analyzer;
use crate::lang::Lang;
use crate::model::{Date, Direction, NodeId};

/// On track or behind at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceStatus {
    /// At or ahead of the expected value.
    OnTrack,
    /// Short of the expected value.
    Behind,
}

impl PaceStatus {
    /// `on_track` or `behind`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaceStatus::OnTrack => "on_track",
            PaceStatus::Behind => "behind",
        }
    }

    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PaceStatus::OnTrack => lang.pick("順調", "on track"),
            PaceStatus::Behind => lang.pick("遅れ", "behind"),
        }
    }
}

/// How a node's target is expected to be reached over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceRule {
    /// Accumulates evenly: by the as-of date, the elapsed share of the target
    /// (the default).
    Linear,
    /// A level, rate or average (アポ率, 客単価): the whole target all along.
    Level,
    /// Values per period: by the as-of date, the year-to-date target.
    Periods,
}

impl PaceRule {
    /// `linear` or `level`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaceRule::Linear => "linear",
            PaceRule::Level => "level",
            PaceRule::Periods => "periods",
        }
    }
}

/// One node's pace at the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    /// The node.
    pub node: NodeId,
    /// The rule used.
    pub rule: PaceRule,
    /// The share of the node's period elapsed at the as-of date (0..=1).
    pub elapsed: f64,
    /// The progress expected by now (`elapsed` for linear, 1.0 for level).
    pub expected_progress: f64,
    /// The actual expected by now, in the node's unit.
    pub expected_actual: f64,
    /// The node's (effective) actual now.
    pub actual: f64,
    /// The node's progress (達成率) now.
    pub progress: f64,
    /// On track or behind.
    pub status: PaceStatus,
}

/// Pacing of the whole document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pacing {
    /// The as-of date, when the period has one.
    pub as_of: Option<Date>,
    /// The share of the document's period elapsed at the as-of date.
    pub elapsed: Option<f64>,
    /// Every node with a target, an actual and a progress, in file order;
    /// empty without `period.start`, `period.end` and `period.as_of`.
    pub nodes: Vec<Pace>,
}

impl Analyzer {
    /// Each node's expected progress at `period.as_of` and whether it is on
    /// track. The share elapsed is `(as_of − start) / (end − start)` in days,
    /// clamped to 0..=1, where a node's own `deadline` (after the start)
    /// replaces `end`. Linear nodes are expected to have reached that share of
    /// their target; nodes marked `"pacing": "level"` the whole target. A
    /// node is on track when its actual is at least the expected actual (at
    /// most, for lower-is-better nodes).
    pub fn pacing(&self) -> Pacing {
        let Some(period) = &self.doc.period else { return Pacing::default() };
        let (Some(start), Some(end), Some(as_of)) = (period.start, period.end, period.as_of) else {
            return Pacing { as_of: period.as_of, ..Pacing::default() };
        };
        let share = |end: Date| {
            let total = (end.days_since_epoch() - start.days_since_epoch()) as f64;
            let done = (as_of.days_since_epoch() - start.days_since_epoch()) as f64;
            (total > 0.0).then(|| (done / total).clamp(0.0, 1.0))
        };
        let elapsed = share(end);
        let mut nodes = Vec::new();
        for (i, node) in self.doc.nodes.iter().enumerate() {
            let v = &self.eval.values()[i];
            let (Some(target), Some(actual), Some(progress)) = (v.target, v.actual, v.progress) else { continue };
            let own = node.deadline.filter(|d| *d > start).and_then(share);
            let Some(elapsed) = own.or(elapsed) else { continue };
            // With values per period, the plan to date is the year-to-date
            // target, month by month as planned, not a straight line.
            let to_date = self.eval.periods().and_then(|t| t.ytd(i)).and_then(|y| Some((y.target?, y.actual?)));
            let rule = match (to_date, node.extra.get("pacing").and_then(|p| p.as_str())) {
                (Some(_), _) => PaceRule::Periods,
                (None, Some("level")) => PaceRule::Level,
                (None, _) => PaceRule::Linear,
            };
            let (expected_progress, expected_actual, actual) = match (rule, to_date) {
                (PaceRule::Periods, Some((ytd_target, ytd_actual))) => {
                    (if target != 0.0 { ytd_target / target } else { 1.0 }, ytd_target, ytd_actual)
                }
                (PaceRule::Level, _) => (1.0, target, actual),
                _ => (elapsed, target * elapsed, actual),
            };
            let on_track = match node.direction() {
                Direction::Up => actual >= expected_actual - 1e-9 * expected_actual.abs(),
                Direction::Down => actual <= expected_actual + 1e-9 * expected_actual.abs(),
            };
            let status = if on_track { PaceStatus::OnTrack } else { PaceStatus::Behind };
            nodes.push(Pace {
                node: node.id.clone(),
                rule,
                elapsed,
                expected_progress,
                expected_actual,
                actual,
                progress,
                status,
            });
        }
        Pacing { as_of: Some(as_of), elapsed, nodes }
    }
}
