//! Why the period of a document cannot pace anything: a field missing, or
//! an end that is not after the start. Said as such, instead of "needs
//! period.start, period.end and period.as_of" for a period that has all three.

use crate::lang::Lang;
use crate::model::{Date, Period};

/// What is wrong with a document's period for pacing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodProblem {
    /// The document has no period at all.
    NoPeriod,
    /// These of `start`, `end`, `as_of` are missing.
    Missing(Vec<&'static str>),
    /// The end is before the start.
    Reversed {
        /// `period.start`.
        start: Date,
        /// `period.end`.
        end: Date,
    },
    /// The period starts and ends on the same day: nothing can elapse.
    Empty(Date),
}

impl PeriodProblem {
    /// The problem of `period`, if it has one.
    pub fn of(period: Option<&Period>) -> Option<PeriodProblem> {
        let Some(p) = period else { return Some(PeriodProblem::NoPeriod) };
        let missing: Vec<&'static str> = [("start", p.start), ("end", p.end), ("as_of", p.as_of)]
            .into_iter()
            .filter(|(_, d)| d.is_none())
            .map(|(name, _)| name)
            .collect();
        if !missing.is_empty() {
            return Some(PeriodProblem::Missing(missing));
        }
        let (Some(start), Some(end)) = (p.start, p.end) else { return None };
        if end < start {
            Some(PeriodProblem::Reversed { start, end })
        } else if end == start {
            Some(PeriodProblem::Empty(start))
        } else {
            None
        }
    }

    /// The message, after "Pacing: " / 「ペース: 」.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PeriodProblem::NoPeriod, Lang::Ja) => "文書に期間(period の start・end・as_of)がありません".to_owned(),
            (PeriodProblem::NoPeriod, Lang::En) => "the document has no period (start, end and as_of dates)".to_owned(),
            (PeriodProblem::Missing(names), Lang::Ja) => format!("期間に {} の日付がありません", names.join("・")),
            (PeriodProblem::Missing(names), Lang::En) => {
                let dates = if names.len() == 1 { "date" } else { "dates" };
                format!("the period has no {} {dates}", names.join(", "))
            }
            (PeriodProblem::Reversed { start, end }, Lang::Ja) => {
                format!("期間の終わり ({end}) が始まり ({start}) より前です")
            }
            (PeriodProblem::Reversed { start, end }, Lang::En) => {
                format!("the period ends ({end}) before it starts ({start})")
            }
            (PeriodProblem::Empty(day), Lang::Ja) => format!("期間の始まりと終わりが同じ日 ({day}) です"),
            (PeriodProblem::Empty(day), Lang::En) => format!("the period starts and ends on {day}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(start: Option<&str>, end: Option<&str>, as_of: Option<&str>) -> Period {
        let d = |s: Option<&str>| s.and_then(Date::parse);
        Period { start: d(start), end: d(end), as_of: d(as_of), ..Period::default() }
    }

    #[test]
    fn each_problem_is_told_apart() {
        assert_eq!(PeriodProblem::of(None), Some(PeriodProblem::NoPeriod));
        let ok = period(Some("2026-04-01"), Some("2027-03-31"), Some("2026-10-01"));
        assert_eq!(PeriodProblem::of(Some(&ok)), None);
        let missing = period(Some("2026-04-01"), None, None);
        assert_eq!(PeriodProblem::of(Some(&missing)), Some(PeriodProblem::Missing(vec!["end", "as_of"])));
        let reversed = period(Some("2027-03-31"), Some("2026-04-01"), Some("2026-10-01"));
        assert!(matches!(PeriodProblem::of(Some(&reversed)), Some(PeriodProblem::Reversed { .. })));
        let empty = period(Some("2026-04-01"), Some("2026-04-01"), Some("2026-04-01"));
        assert!(matches!(PeriodProblem::of(Some(&empty)), Some(PeriodProblem::Empty(_))));
    }
}
