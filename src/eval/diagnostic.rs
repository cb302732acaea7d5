//! Diagnostics: what the evaluator found wrong or worth knowing in a tree.

use std::fmt;
use std::sync::Arc;

use crate::lang::Lang;
use crate::model::number::grouped;
use crate::model::{Kind, NodeId};

/// How serious a diagnostic is. Errors make `kpitree check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The model is broken: values cannot be trusted.
    Error,
    /// The model works but breaks a rule of the method.
    Warning,
    /// Worth knowing; nothing to fix.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The heading for a group of diagnostics of this severity.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("エラー", "Errors"),
            Severity::Warning => lang.pick("警告", "Warnings"),
            Severity::Info => lang.pick("情報", "Info"),
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $text:literal, $severity:ident;)*) => {
        /// The stable code of a diagnostic (`docs/FORMAT.md`, "Diagnostics").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = concat!("`", $text, "`")] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the table in FORMAT.md.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as written in JSON output.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// The severity this code always has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    DuplicateId = "duplicate_id", Error;
    UnknownNode = "unknown_node", Error;
    SelfLoop = "self_loop", Error;
    DuplicateEdge = "duplicate_edge", Error;
    Cycle = "cycle", Error;
    DivisionByZero = "division_by_zero", Error;
    KindOrder = "kind_order", Error;
    EmptyName = "empty_name", Warning;
    UnitMismatch = "unit_mismatch", Warning;
    TargetMismatch = "target_mismatch", Warning;
    ActualMismatch = "actual_mismatch", Warning;
    KgiNoTarget = "kgi_no_target", Warning;
    KgiNoDeadline = "kgi_no_deadline", Warning;
    KpiNoUnit = "kpi_no_unit", Warning;
    KpiNoTarget = "kpi_no_target", Warning;
    KsfWithoutKpi = "ksf_without_kpi", Warning;
    Orphan = "orphan", Warning;
    UnitSyntax = "unit_syntax", Warning;
    Overflow = "overflow", Warning;
    NoActual = "no_actual", Info;
    SharedNode = "shared_node", Info;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The parent → child pair a diagnostic concerns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EdgeRef {
    /// The edge's parent id.
    pub parent: NodeId,
    /// The edge's child id.
    pub child: NodeId,
}

/// Which of a node's two values a diagnostic is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Which {
    /// The target (plan).
    Target = 0,
    /// The actual (measurement).
    Actual = 1,
}

impl Which {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Which::Target => lang.pick("目標値", "target"),
            Which::Actual => lang.pick("実績値", "actual"),
        }
    }
}

/// What a message needs beyond the code and the node.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// Nothing more.
    None,
    /// How many nodes share the id.
    Count(usize),
    /// The id an edge names that no node has.
    Missing(NodeId),
    /// The nodes of a cycle, in order around it; shared by the diagnostics
    /// of all its nodes, so that a long cycle costs its length, not its square.
    Cycle(Arc<[NodeId]>),
    /// Division by zero in the target or the actual, by the named term.
    DivZero(Which, String),
    /// The kinds of an edge's parent and child.
    Kinds(Kind, Kind),
    /// `+`/`-` terms of different dimensions: the first term's unit and the
    /// offending term's name and unit.
    AddUnits {
        /// Unit of the first group of terms.
        first: String,
        /// Name of the term whose unit differs.
        term: String,
        /// Its unit.
        unit: String,
    },
    /// The computed dimension differs from the parent's own unit.
    ResultUnit {
        /// The unit the terms give.
        computed: String,
        /// The parent's unit.
        own: String,
    },
    /// Entered and computed values that differ.
    Mismatch {
        /// The entered value.
        entered: f64,
        /// The value the terms give.
        computed: f64,
        /// The node's unit.
        unit: String,
    },
    /// The unit text that could not be read.
    Unit(String),
    /// The number of parents.
    Parents(usize),
}

/// One finding of the evaluator.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// The node it concerns.
    pub node: Option<NodeId>,
    /// The node's name, for messages.
    pub name: String,
    /// The edge it concerns.
    pub edge: Option<EdgeRef>,
    /// What the message needs.
    pub detail: Detail,
}

impl Diagnostic {
    /// The severity (always that of the code).
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// A message for people, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let n = if self.name.trim().is_empty() {
            self.node.as_ref().map_or_else(String::new, |id| id.to_string())
        } else {
            self.name.clone()
        };
        let edge = self.edge.as_ref().map_or_else(String::new, |e| format!("{} → {}", e.parent, e.child));
        match (&self.code, &self.detail) {
            (Code::DuplicateId, Detail::Count(k)) if ja => {
                format!("ID「{}」を{k}個のノードが使っています。ID はファイル内で一意にしてください", self.id())
            }
            (Code::DuplicateId, Detail::Count(k)) => {
                format!("{k} nodes share the id \"{}\"; ids must be unique in the file", self.id())
            }
            (Code::UnknownNode, Detail::Missing(id)) if ja => {
                format!("エッジ {edge} が存在しないノード「{id}」を参照しています")
            }
            (Code::UnknownNode, Detail::Missing(id)) => format!("edge {edge} names \"{id}\", but no node has that id"),
            (Code::SelfLoop, _) if ja => format!("「{n}」が自分自身の子になっています ({edge})"),
            (Code::SelfLoop, _) => format!("\"{n}\" is its own child ({edge})"),
            (Code::DuplicateEdge, _) if ja => format!("エッジ {edge} が重複しています。2本目以降は計算に使いません"),
            (Code::DuplicateEdge, _) => format!("edge {edge} appears more than once; only the first is used"),
            (Code::Cycle, Detail::Cycle(ids)) if ja => {
                format!("循環参照: {} — 値を計算できません", cycle_text(ids, lang))
            }
            (Code::Cycle, Detail::Cycle(ids)) => {
                format!("cycle: {} — its values cannot be computed", cycle_text(ids, lang))
            }
            (Code::DivisionByZero, Detail::DivZero(w, term)) if ja => {
                format!("「{n}」の{}の計算で 0 で割っています (「{term}」が 0)", w.label(lang))
            }
            (Code::DivisionByZero, Detail::DivZero(w, term)) => {
                format!("computing the {} of \"{n}\" divides by zero (\"{term}\" is 0)", w.label(lang))
            }
            (Code::KindOrder, Detail::Kinds(p, c)) if ja => format!(
                "{} が {} の子になっています ({edge})。KGI → KSF → KPI の順に分解してください",
                c.as_str(),
                p.as_str()
            ),
            (Code::KindOrder, Detail::Kinds(p, c)) => {
                format!("a {} is a child of a {} ({edge}); decompose KGI → KSF → KPI", c.as_str(), p.as_str())
            }
            (Code::EmptyName, _) if ja => format!("ノード「{n}」に名前がありません"),
            (Code::EmptyName, _) => format!("node \"{n}\" has no name"),
            (Code::UnitMismatch, Detail::AddUnits { first, term, unit }) if ja => {
                format!(
                    "「{n}」の足し引きの単位が揃っていません:「{term}」は {}、先頭の項は {}",
                    show_unit(unit, lang),
                    show_unit(first, lang)
                )
            }
            (Code::UnitMismatch, Detail::AddUnits { first, term, unit }) => {
                format!(
                    "\"{n}\" adds or subtracts different units: \"{term}\" is in {} but the first term is in {}",
                    show_unit(unit, lang),
                    show_unit(first, lang)
                )
            }
            (Code::UnitMismatch, Detail::ResultUnit { computed, own }) if ja => {
                format!(
                    "「{n}」の計算結果の単位 {} が、このノードの単位 {} と一致しません",
                    show_unit(computed, lang),
                    show_unit(own, lang)
                )
            }
            (Code::UnitMismatch, Detail::ResultUnit { computed, own }) => {
                format!(
                    "the terms of \"{n}\" give {}, which does not match its unit {}",
                    show_unit(computed, lang),
                    show_unit(own, lang)
                )
            }
            (Code::TargetMismatch | Code::ActualMismatch, Detail::Mismatch { entered, computed, unit }) => {
                let which = if self.code == Code::TargetMismatch { Which::Target } else { Which::Actual };
                let (e, c) = (format_number(*entered), format_number(*computed));
                if ja {
                    format!("「{n}」の{}が合いません: 入力 {e}{unit}、下位 KPI からの計算 {c}{unit}", which.label(lang))
                } else {
                    let u = if unit.is_empty() { String::new() } else { format!(" {unit}") };
                    format!(
                        "the {} of \"{n}\" does not add up: entered {e}{u}, its terms give {c}{u}",
                        which.label(lang)
                    )
                }
            }
            (Code::KgiNoTarget, _) if ja => format!("KGI「{n}」に目標値がありません (測定できないゴール)"),
            (Code::KgiNoTarget, _) => format!("KGI \"{n}\" has no target, so the goal is not measurable"),
            (Code::KgiNoDeadline, _) if ja => format!("KGI「{n}」に期限がありません"),
            (Code::KgiNoDeadline, _) => format!("KGI \"{n}\" has no deadline"),
            (Code::KpiNoUnit, _) if ja => format!("KPI「{n}」に単位がありません"),
            (Code::KpiNoUnit, _) => format!("KPI \"{n}\" has no unit"),
            (Code::KpiNoTarget, _) if ja => format!("KPI「{n}」に目標値がなく、下位 KPI からも計算されません"),
            (Code::KpiNoTarget, _) => format!("KPI \"{n}\" has no target and is not computed from terms"),
            (Code::KsfWithoutKpi, _) if ja => {
                format!("KSF「{n}」の下に KPI がありません (測れる指標に落とし込んでください)")
            }
            (Code::KsfWithoutKpi, _) => {
                format!("KSF \"{n}\" has no KPI below it; break it down into something measurable")
            }
            (Code::Orphan, _) if ja => format!("「{n}」に親がありません (ツリーにつながっていません)"),
            (Code::Orphan, _) => format!("\"{n}\" has no parent and is not connected to the tree"),
            (Code::UnitSyntax, Detail::Unit(u)) if ja => {
                format!("「{n}」の単位「{u}」を読めません。別の単位とは計算できません")
            }
            (Code::UnitSyntax, Detail::Unit(u)) => {
                format!("the unit \"{u}\" of \"{n}\" cannot be read; it matches no other unit")
            }
            (Code::Overflow, Detail::DivZero(w, _)) if ja => {
                format!("「{n}」の{}が大きすぎて計算できません", w.label(lang))
            }
            (Code::Overflow, Detail::DivZero(w, _)) => {
                format!("the {} of \"{n}\" is too large to compute", w.label(lang))
            }
            (Code::NoActual, _) if ja => format!("KPI「{n}」には目標値がありますが、実績値がまだありません"),
            (Code::NoActual, _) => format!("KPI \"{n}\" has a target but no actual yet"),
            (Code::SharedNode, Detail::Parents(k)) if ja => format!("「{n}」は{k}つの親に共有されています"),
            (Code::SharedNode, Detail::Parents(k)) => format!("\"{n}\" is shared by {k} parents"),
            (code, _) => format!("{code}: {n}"),
        }
    }

    fn id(&self) -> &str {
        self.node.as_ref().map_or("", |id| id.as_str())
    }
}

/// How many ids of a cycle a message lists; every node of the cycle has its
/// own diagnostic, so a long cycle is still fully named.
const CYCLE_IDS_SHOWN: usize = 8;

fn cycle_text(ids: &[NodeId], lang: Lang) -> String {
    let mut parts: Vec<&str> = ids.iter().take(CYCLE_IDS_SHOWN).map(NodeId::as_str).collect();
    let long = ids.len() > CYCLE_IDS_SHOWN;
    if long {
        parts.push("…");
    }
    if let Some(first) = ids.first() {
        parts.push(first.as_str());
    }
    let ring = parts.join(" → ");
    match lang {
        _ if !long => ring,
        Lang::Ja => format!("{ring} ({} ノード)", ids.len()),
        Lang::En => format!("{ring} ({} nodes)", ids.len()),
    }
}

fn show_unit(unit: &str, lang: Lang) -> String {
    if unit.is_empty() {
        lang.pick("単位なし", "no unit").to_owned()
    } else {
        match lang {
            Lang::Ja => format!("「{unit}」"),
            Lang::En => format!("\"{unit}\""),
        }
    }
}

/// A number for people: thousands separators, at most a few decimals
/// (`12,000`, `2.5`, `0.0123`).
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let abs = x.abs();
    // A subnormal is what is left of a value that underflowed (0.999 to
    // the millionth power): rounding noise, not a quantity anyone entered.
    if abs < f64::MIN_POSITIVE {
        return "0".to_owned();
    }
    // Beyond a thousand trillion, or below a ten-thousandth, digits stop
    // helping: three significant figures and a power of ten.
    if abs >= 1e15 || (abs != 0.0 && abs < 1e-4) {
        let text = format!("{x:.2e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        return format!("{mantissa}e{exp}");
    }
    let decimals = if abs >= 1000.0 || abs == abs.trunc() {
        0
    } else if abs >= 1.0 {
        2
    } else {
        4
    };
    let text = format!("{:.*}", decimals, abs);
    let (int, frac) = text.split_once('.').map_or((text.as_str(), ""), |(i, f)| (i, f));
    let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    grouped(if negative { "-" } else { "" }, int, frac.trim_end_matches('0'))
}

/// The largest percentage shown as a number; past it (and for ±∞) the
/// text says only that it is larger: sixty digits of 達成率 help nobody.
const PERCENT_SHOWN: f64 = 9_999.0;

/// A ratio as a percentage for people, `decimals` after the point
/// (`0.6` → `60.0%`): thousands separators, `> 9,999 %` (or `< -9,999 %`)
/// past that, `—` for NaN.
pub fn format_percent(ratio: f64, decimals: usize) -> String {
    let pct = ratio * 100.0;
    if pct.is_nan() {
        return "—".to_owned();
    }
    let shown = format!("{:.*}", decimals, pct.abs());
    // Compared as printed, so that 9,999.4 (shown as 9,999) is not capped.
    if shown.parse::<f64>().map_or(true, |p| p > PERCENT_SHOWN) {
        return if pct > 0.0 { "> 9,999 %".to_owned() } else { "< -9,999 %".to_owned() };
    }
    let (int, frac) = shown.split_once('.').unwrap_or((&shown, ""));
    let negative = pct < 0.0 && shown.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut text = grouped(if negative { "-" } else { "" }, int, frac);
    text.push('%');
    text
}

/// [`format_percent`] of a change, with `+` before a rise (`+66.7%`);
/// past the cap, `> 9,999 %` says the sign already.
pub fn format_change(ratio: f64, decimals: usize) -> String {
    let text = format_percent(ratio, decimals);
    if ratio > 0.0 && !text.starts_with('>') { format!("+{text}") } else { text }
}

/// [`format_amount`] of a value, or "—" when there is none.
pub fn format_amount_or_dash(x: Option<f64>, unit: &str, compact_yen: bool) -> String {
    x.map_or_else(|| "—".to_owned(), |x| format_amount(x, unit, compact_yen))
}

/// A value with its unit as cards show it. With `compact_yen`, an amount in
/// 円 (also 千円, 万円, 百万円, 億円) of ten thousand yen or more is shown
/// in 万円 or 億円: 123,456,789 円 → `1.23 億円`, 34,000,000 円 → `3,400 万円`,
/// 12,000 万円 → `1.2 億円`. Anything else is [`format_number`] and the unit.
pub fn format_amount(x: f64, unit: &str, compact_yen: bool) -> String {
    let plain = || if unit.is_empty() { format_number(x) } else { format!("{} {unit}", format_number(x)) };
    if !compact_yen || !x.is_finite() {
        return plain();
    }
    let scale = match unit.trim() {
        "円" => 1.0,
        "千円" => 1e3,
        "万円" => 1e4,
        "百万円" => 1e6,
        "億円" => 1e8,
        _ => return plain(),
    };
    let yen = x * scale;
    let abs = yen.abs();
    if (1e8..1e16).contains(&abs) {
        let oku = yen / 1e8;
        let text =
            if oku.abs() >= 100.0 { format_number(oku.round()) } else { format_number((oku * 100.0).round() / 100.0) };
        format!("{text} 億円")
    } else if (1e4..1e8).contains(&abs) {
        let man = yen / 1e4;
        let text =
            if man.abs() >= 100.0 { format_number(man.round()) } else { format_number((man * 10.0).round() / 10.0) };
        format!("{text} 万円")
    } else {
        plain()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_amounts_can_be_shown_in_man_and_oku() {
        assert_eq!(format_amount(123_456_789.0, "円", true), "1.23 億円");
        assert_eq!(format_amount(34_000_000.0, "円", true), "3,400 万円");
        assert_eq!(format_amount(12_000.0, "万円", true), "1.2 億円");
        assert_eq!(format_amount(5_500.0, "万円", true), "5,500 万円");
        assert_eq!(format_amount(9_800.0, "円", true), "9,800 円");
        assert_eq!(format_amount(-250_000_000.0, "円", true), "-2.5 億円");
        assert_eq!(format_amount(34_000_000.0, "円", false), "34,000,000 円");
        assert_eq!(format_amount(120.0, "社", true), "120 社");
    }

    #[test]
    fn huge_and_tiny_numbers_get_a_power_of_ten() {
        assert_eq!(format_number(1e300), "1e300");
        assert_eq!(format_number(-1.234e20), "-1.23e20");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(999_999_999_999_999.0), "999,999,999,999,999");
    }

    #[test]
    fn numbers_get_thousands_separators_and_few_decimals() {
        assert_eq!(format_number(12000.0), "12,000");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(0.0123), "0.0123");
        assert_eq!(format_number(1234.56), "1,235");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn every_code_has_a_distinct_spelling() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code}");
        }
    }
}
