//! The time dimension: fiscal years, the periods of a document (months or
//! fiscal quarters), period labels, and a node's values per period
//! (`docs/FORMAT.md`, "Periods").
//!
//! A month is an index, `year × 12 + month − 1`, so that calendar arithmetic
//! is integer arithmetic; a period is a run of one or three months.

use std::collections::BTreeMap;
use std::fmt;

use super::{Date, Document, Extra, Period};

/// A month as `year × 12 + (month − 1)`.
pub type Month = i32;

/// The month index of a date.
pub fn month_of(d: Date) -> Month {
    i32::from(d.year) * 12 + i32::from(d.month) - 1
}

/// How a fiscal year is named (`period.year_label`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum YearLabel {
    /// By the year it starts in: 2025年度 = 2025-04 … 2026-03.
    #[default]
    Start,
    /// By the year it ends in: 2026年3月期 = 2025-04 … 2026-03.
    End,
}

impl YearLabel {
    /// Parses `start` or `end`.
    pub fn parse(s: &str) -> Option<YearLabel> {
        match s {
            "start" => Some(YearLabel::Start),
            "end" => Some(YearLabel::End),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            YearLabel::Start => "start",
            YearLabel::End => "end",
        }
    }
}

/// How long the periods of a document are (`period.granularity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Granularity {
    /// Months, labelled `YYYY-MM`.
    #[default]
    Month,
    /// Fiscal quarters, labelled `FYyyyy-Qn`.
    Quarter,
}

impl Granularity {
    /// Parses `month` or `quarter`.
    pub fn parse(s: &str) -> Option<Granularity> {
        match s {
            "month" => Some(Granularity::Month),
            "quarter" => Some(Granularity::Quarter),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
        }
    }

    /// Months per period.
    pub fn months(self) -> i32 {
        match self {
            Granularity::Month => 1,
            Granularity::Quarter => 3,
        }
    }
}

/// How a node's periods roll up into its year-to-date and full-period
/// values (node field `aggregate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// The sum of the periods (flows: 件, 円).
    Sum,
    /// The last period that has a value (stocks: 顧客数 at month end).
    Last,
    /// The mean of the periods that have a value (levels: 単価).
    Average,
    /// The node's own expression over its terms' rolled-up values (rates:
    /// 成約率 = 成約数 ÷ 商談数).
    Formula,
}

impl Aggregate {
    /// Every aggregate.
    pub const ALL: [Aggregate; 4] = [Aggregate::Sum, Aggregate::Last, Aggregate::Average, Aggregate::Formula];

    /// Parses `sum`, `last`, `average` or `formula`.
    pub fn parse(s: &str) -> Option<Aggregate> {
        match s {
            "sum" => Some(Aggregate::Sum),
            "last" => Some(Aggregate::Last),
            "average" => Some(Aggregate::Average),
            "formula" => Some(Aggregate::Formula),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Last => "last",
            Aggregate::Average => "average",
            Aggregate::Formula => "formula",
        }
    }

    /// The aggregate a node gets when its file names none: a unit with `%`
    /// or `/` is a rate or a level (`formula` when computed, else
    /// `average`); anything else adds up over time (`sum`).
    pub fn default_for(unit: &str, computed: bool) -> Aggregate {
        let rate = unit.contains(['%', '％', '‰', '‱', '/', '／']);
        match (rate, computed) {
            (true, true) => Aggregate::Formula,
            (true, false) => Aggregate::Average,
            (false, _) => Aggregate::Sum,
        }
    }

    /// Rolls `values` (the periods that have one, in order) up; `None` when
    /// there are none. [`Aggregate::Formula`] is the caller's to compute (it
    /// is no function of the node's own periods); here it averages.
    pub fn roll_up(self, values: impl Iterator<Item = f64>) -> Option<f64> {
        let (mut sum, mut count, mut last) = (0.0, 0usize, None);
        for v in values {
            sum += v;
            count += 1;
            last = Some(v);
        }
        match self {
            _ if count == 0 => None,
            Aggregate::Sum => Some(sum),
            Aggregate::Last => last,
            Aggregate::Average | Aggregate::Formula => Some(sum / count as f64),
        }
    }
}

/// A period label as files write it: a month `2026-04`, or a fiscal
/// quarter `FY2026-Q1` (whose months depend on the document's fiscal year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// A calendar month.
    Month(Month),
    /// Quarter `quarter` (1–4) of the fiscal year labelled `year`.
    Quarter {
        /// The fiscal year as its label names it.
        year: i32,
        /// 1 to 4.
        quarter: u8,
    },
}

impl Label {
    /// Parses `YYYY-MM` (month 01–12) or `FYyyyy-Qn` (n 1–4); nothing else.
    #[allow(clippy::cast_possible_truncation, reason = "a quarter, checked to be 1-4")]
    pub fn parse(s: &str) -> Option<Label> {
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit()).then(|| t.parse::<i32>().ok()).flatten();
        if let Some(rest) = s.strip_prefix("FY") {
            let (year, q) = rest.split_once("-Q")?;
            let (year, quarter) = (digits(year).filter(|_| year.len() == 4)?, digits(q).filter(|_| q.len() == 1)?);
            return (year >= 1 && (1..=4).contains(&quarter))
                .then_some(Label::Quarter { year, quarter: quarter as u8 });
        }
        let (year, month) = s.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let (year, month) = (digits(year)?, digits(month)?);
        (year >= 1 && (1..=12).contains(&month)).then_some(Label::Month(year * 12 + month - 1))
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Label::Month(m) => write!(f, "{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
            Label::Quarter { year, quarter } => write!(f, "FY{year:04}-Q{quarter}"),
        }
    }
}

/// A node's target and actual in one period, in the node's unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesValue {
    /// The plan for the period.
    pub target: Option<f64>,
    /// What was measured in the period.
    pub actual: Option<f64>,
    /// Fields kpitree does not know.
    pub extra: Extra,
}

/// A node's values per period (node field `series`), by label.
pub type Series = BTreeMap<Label, SeriesValue>;

/// One period of a document: `months` months from `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// Its first month.
    pub first: Month,
    /// 1 or 3.
    pub months: i32,
}

impl Span {
    /// True when `month` lies in this period.
    pub fn holds(&self, month: Month) -> bool {
        (self.first..self.first + self.months).contains(&month)
    }

    /// Days in the period (for spreading a target by days).
    #[allow(clippy::cast_possible_truncation, reason = "the months of dates, whose years are 1-9999")]
    pub fn days(&self) -> u32 {
        (self.first..self.first + self.months)
            .map(|m| {
                let d = Date { year: m.div_euclid(12) as u16, month: (m.rem_euclid(12) + 1) as u8, day: 1 };
                u32::from(d.month_days())
            })
            .sum()
    }
}

/// A document's fiscal calendar: when its fiscal year starts, how the year
/// is named, and how long its periods are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    /// The month (1–12) a fiscal year starts in.
    pub fiscal_year_start: u8,
    /// How a fiscal year is named.
    pub year_label: YearLabel,
    /// Months or quarters.
    pub granularity: Granularity,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { fiscal_year_start: 4, year_label: YearLabel::Start, granularity: Granularity::Month }
    }
}

impl Calendar {
    /// The calendar of a document's `period` (defaults where fields are absent).
    pub fn of(period: Option<&Period>) -> Calendar {
        let d = Calendar::default();
        let Some(p) = period else { return d };
        Calendar {
            fiscal_year_start: p.fiscal_year_start.unwrap_or(d.fiscal_year_start),
            year_label: p.year_label.unwrap_or(d.year_label),
            granularity: p.granularity.unwrap_or(d.granularity),
        }
    }

    fn start0(&self) -> i32 {
        i32::from(self.fiscal_year_start.clamp(1, 12)) - 1
    }

    /// The fiscal year (as its label names it) that holds `month`.
    pub fn fiscal_year(&self, month: Month) -> i32 {
        // The calendar year in which this month's fiscal year starts.
        let start_year = (month - self.start0()).div_euclid(12);
        match self.year_label {
            YearLabel::Start => start_year,
            // A fiscal year that starts in January ends in the same year.
            YearLabel::End if self.start0() == 0 => start_year,
            YearLabel::End => start_year + 1,
        }
    }

    /// The first month of the fiscal year labelled `year`.
    fn fiscal_start(&self, year: i32) -> Month {
        let start_year = match self.year_label {
            YearLabel::End if self.start0() != 0 => year - 1,
            _ => year,
        };
        start_year * 12 + self.start0()
    }

    /// The period of this calendar's granularity that holds `month`.
    pub fn span_of(&self, month: Month) -> Span {
        match self.granularity {
            Granularity::Month => Span { first: month, months: 1 },
            Granularity::Quarter => {
                let from_start = (month - self.start0()).rem_euclid(12);
                Span { first: month - from_start % 3, months: 3 }
            }
        }
    }

    /// The period a label names, when it is of this calendar's granularity.
    pub fn span(&self, label: Label) -> Option<Span> {
        match (label, self.granularity) {
            (Label::Month(m), Granularity::Month) => Some(Span { first: m, months: 1 }),
            (Label::Quarter { year, quarter }, Granularity::Quarter) => {
                Some(Span { first: self.fiscal_start(year) + 3 * (i32::from(quarter) - 1), months: 3 })
            }
            _ => None,
        }
    }

    /// The label of a period.
    pub fn label(&self, span: Span) -> Label {
        match self.granularity {
            Granularity::Month => Label::Month(span.first),
            Granularity::Quarter => {
                let year = self.fiscal_year(span.first);
                let quarter = ((span.first - self.fiscal_start(year)) / 3 + 1).clamp(1, 4) as u8;
                Label::Quarter { year, quarter }
            }
        }
    }

    /// The periods from the one holding `start` to the one holding `end`
    /// (none when `end` comes first; at most 1,200).
    pub fn spans(&self, start: Month, end: Month) -> Vec<Span> {
        let mut out = Vec::new();
        let mut at = self.span_of(start);
        while at.first <= end && out.len() < MAX_PERIODS {
            out.push(at);
            at = Span { first: at.first + at.months, months: at.months };
        }
        out
    }

    /// A period as people name it: 「4月」「2026年度 Q1」, "Apr 2026",
    /// "FY2026 Q1" (the fiscal year named as `year_label` says).
    pub fn name(&self, span: Span, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        match (self.label(span), lang) {
            (Label::Month(m), Lang::Ja) => format!("{}年{}月", m.div_euclid(12), m.rem_euclid(12) + 1),
            (Label::Month(m), Lang::En) => {
                const NAMES: [&str; 12] =
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
                format!("{} {}", NAMES[m.rem_euclid(12) as usize], m.div_euclid(12))
            }
            (Label::Quarter { year, quarter }, Lang::Ja) => match self.year_label {
                YearLabel::Start => format!("{year}年度 Q{quarter}"),
                YearLabel::End => {
                    let end_month = (self.start0() + 11).rem_euclid(12) + 1;
                    format!("{year}年{end_month}月期 Q{quarter}")
                }
            },
            (Label::Quarter { year, quarter }, Lang::En) => format!("FY{year} Q{quarter}"),
        }
    }

    /// The fiscal year holding `month` as people name it: 「2025年度」 or
    /// 「2026年3月期」, "FY2025".
    pub fn year_name(&self, month: Month, lang: crate::lang::Lang) -> String {
        use crate::lang::Lang;
        let year = self.fiscal_year(month);
        match (lang, self.year_label) {
            (Lang::Ja, YearLabel::Start) => format!("{year}年度"),
            (Lang::Ja, YearLabel::End) => {
                let end_month = (self.start0() + 11).rem_euclid(12) + 1;
                format!("{year}年{end_month}月期")
            }
            (Lang::En, _) => format!("FY{year}"),
        }
    }
}

/// The periods of `doc`: from `period.start` to `period.end`, or, without
/// them, from the first to the last label any series uses.
pub fn spans_of(doc: &Document, calendar: &Calendar) -> Vec<Span> {
    let period = doc.period.as_ref();
    if let (Some(start), Some(end)) = (period.and_then(|p| p.start), period.and_then(|p| p.end)) {
        return calendar.spans(month_of(start), month_of(end));
    }
    let mut range: Option<(Month, Month)> = None;
    for series in doc.nodes.iter().filter_map(|n| n.series.as_ref()) {
        for span in series.keys().filter_map(|&l| calendar.span(l)) {
            let (lo, hi) = range.unwrap_or((span.first, span.first));
            range = Some((lo.min(span.first), hi.max(span.first)));
        }
    }
    let start = period.and_then(|p| p.start).map(month_of);
    let end = period.and_then(|p| p.end).map(month_of);
    match (range, start, end) {
        (Some((lo, hi)), s, e) => calendar.spans(s.unwrap_or(lo), e.unwrap_or(hi)),
        _ => Vec::new(),
    }
}

/// How many of `spans`, from the first, make the year to date: those up to
/// the one holding `period.as_of`; without it, up to the last period any
/// node has an actual for.
pub fn year_to_date(doc: &Document, calendar: &Calendar, spans: &[Span]) -> usize {
    if let Some(m) = doc.period.as_ref().and_then(|p| p.as_of).map(month_of) {
        return spans.iter().take_while(|s| s.first <= m).count();
    }
    let last = doc
        .nodes
        .iter()
        .filter_map(|n| n.series.as_ref())
        .flat_map(|s| s.iter().filter(|(_, v)| v.actual.is_some()).map(|(l, _)| *l))
        .filter_map(|l| calendar.span(l))
        .filter_map(|s| spans.iter().position(|x| *x == s))
        .max();
    last.map_or(0, |p| p + 1)
}

/// Which values are shown: the whole period (通期), the year to date (累計),
/// or one period. The canvas, the exports and the analysis each show one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum View {
    /// The whole planning period: the nodes' effective values.
    #[default]
    Full,
    /// The periods up to the as-of date.
    YearToDate,
    /// Where the whole period lands (着地見込): the full-period target
    /// against the actuals to date and the plan for the periods after.
    Forecast,
    /// One period.
    Period(Label),
}

impl View {
    /// What the view is called in `doc`: 「累計 (2026年4月〜2026年10月)」,
    /// 「2026年6月」; nothing for the whole period.
    pub fn name(self, doc: &Document, lang: crate::lang::Lang) -> Option<String> {
        let calendar = Calendar::of(doc.period.as_ref());
        let spans = spans_of(doc, &calendar);
        match self {
            View::Full => None,
            View::YearToDate => {
                let n = year_to_date(doc, &calendar, &spans);
                let (first, last) = (spans.first()?, spans.get(n.checked_sub(1)?)?);
                let (a, b) = (calendar.name(*first, lang), calendar.name(*last, lang));
                Some(match lang {
                    crate::lang::Lang::Ja => format!("累計 ({a}〜{b})"),
                    crate::lang::Lang::En => format!("year to date ({a} – {b})"),
                })
            }
            View::Forecast => Some(lang.pick("着地見込", "landing forecast").to_owned()),
            View::Period(label) => calendar.span(label).map(|s| calendar.name(s, lang)),
        }
    }

    /// The views `doc` offers, with their names, for a picker: 通期, then
    /// 累計 and 着地見込 when the as-of date falls in the periods, then each
    /// period.
    /// Empty when the document has no periods.
    pub fn choices(doc: &Document, lang: crate::lang::Lang) -> Vec<(View, String)> {
        let calendar = Calendar::of(doc.period.as_ref());
        let spans = spans_of(doc, &calendar);
        if spans.is_empty() {
            return Vec::new();
        }
        let mut out = vec![(View::Full, lang.pick("通期", "Full period").to_owned())];
        if let Some(name) = View::YearToDate.name(doc, lang) {
            // A picker's entry starts with a capital, as the others do.
            let mut chars = name.chars();
            let name = chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
            out.push((View::YearToDate, name));
            out.push((View::Forecast, lang.pick("着地見込", "Landing forecast").to_owned()));
        }
        out.extend(spans.iter().map(|&s| (View::Period(calendar.label(s)), calendar.name(s, lang))));
        out
    }
}

/// The most periods a document has (a hundred years of months): a longer
/// `period` is cut there.
pub const MAX_PERIODS: usize = 1_200;

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(start: u8, label: YearLabel, g: Granularity) -> Calendar {
        Calendar { fiscal_year_start: start, year_label: label, granularity: g }
    }

    #[test]
    fn labels_parse_strictly_and_print_back_the_same() {
        for good in ["2026-04", "0001-01", "9999-12", "FY2026-Q1", "FY2025-Q4"] {
            assert_eq!(Label::parse(good).map(|l| l.to_string()).as_deref(), Some(good));
        }
        for bad in ["2026-13", "2026-00", "2026-4", "26-04", "2026/04", "FY2026-Q5", "FY26-Q1", "2026-04-01", ""] {
            assert_eq!(Label::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_fiscal_year_from_april_is_named_by_its_start_or_its_end() {
        let start = cal(4, YearLabel::Start, Granularity::Month);
        let end = cal(4, YearLabel::End, Granularity::Month);
        let apr_2025 = 2025 * 12 + 3;
        let mar_2026 = 2026 * 12 + 2;
        assert_eq!((start.fiscal_year(apr_2025), start.fiscal_year(mar_2026)), (2025, 2025));
        assert_eq!((end.fiscal_year(apr_2025), end.fiscal_year(mar_2026)), (2026, 2026));
        assert_eq!(start.year_name(apr_2025, crate::lang::Lang::Ja), "2025年度");
        assert_eq!(end.year_name(apr_2025, crate::lang::Lang::Ja), "2026年3月期");
    }

    #[test]
    fn fiscal_quarters_start_with_the_fiscal_year() {
        let c = cal(4, YearLabel::Start, Granularity::Quarter);
        let q1 = c.span(Label::Quarter { year: 2026, quarter: 1 }).unwrap();
        assert_eq!(q1, Span { first: 2026 * 12 + 3, months: 3 });
        let q4 = c.span(Label::Quarter { year: 2026, quarter: 4 }).unwrap();
        assert_eq!(Label::Month(q4.first).to_string(), "2027-01");
        assert_eq!(c.label(c.span_of(2027 * 12 + 2)).to_string(), "FY2026-Q4");
        let e = cal(4, YearLabel::End, Granularity::Quarter);
        assert_eq!(e.label(e.span_of(2026 * 12 + 3)).to_string(), "FY2027-Q1");
        let calendar_year = cal(1, YearLabel::End, Granularity::Quarter);
        assert_eq!(calendar_year.label(calendar_year.span_of(2026 * 12)).to_string(), "FY2026-Q1");
    }

    #[test]
    fn the_periods_run_from_the_one_holding_the_start_to_the_one_holding_the_end() {
        let months = cal(4, YearLabel::Start, Granularity::Month).spans(2026 * 12 + 3, 2027 * 12 + 2);
        assert_eq!(months.len(), 12);
        let quarters = cal(4, YearLabel::Start, Granularity::Quarter).spans(2026 * 12 + 4, 2027 * 12 + 2);
        assert_eq!(quarters.len(), 4, "May is in Q1: the first quarter still counts");
        assert!(cal(4, YearLabel::Start, Granularity::Month).spans(10, 5).is_empty());
    }

    #[test]
    fn aggregates_roll_up_as_named_and_default_by_unit() {
        let v = [3.0, 5.0, 4.0];
        assert_eq!(Aggregate::Sum.roll_up(v.iter().copied()), Some(12.0));
        assert_eq!(Aggregate::Average.roll_up(v.iter().copied()), Some(4.0));
        assert_eq!(Aggregate::Last.roll_up(v.iter().copied()), Some(4.0));
        assert_eq!(Aggregate::Sum.roll_up(std::iter::empty()), None);
        assert_eq!(Aggregate::default_for("%", true), Aggregate::Formula);
        assert_eq!(Aggregate::default_for("万円/社", false), Aggregate::Average);
        assert_eq!(Aggregate::default_for("件", true), Aggregate::Sum);
        assert_eq!(Aggregate::default_for("", false), Aggregate::Sum);
    }

    #[test]
    fn a_span_counts_its_days() {
        assert_eq!(Span { first: 2024 * 12 + 1, months: 1 }.days(), 29, "February of a leap year");
        assert_eq!(Span { first: 2026 * 12 + 3, months: 3 }.days(), 30 + 31 + 30);
    }
}
