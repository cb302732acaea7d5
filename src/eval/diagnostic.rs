//! Diagnostics: what the evaluator found wrong or worth knowing in a tree.

use std::fmt;
use std::sync::Arc;

use crate::format::format_number;
use crate::lang::Lang;
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
    SeriesOutsidePeriod = "series_outside_period", Warning;
    SeriesSumMismatch = "series_sum_mismatch", Warning;
    NoActual = "no_actual", Info;
    SharedNode = "shared_node", Info;
    SeriesGap = "series_gap", Info;
    GlyphMissing = "glyph_missing", Info;
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
        /// The unit of the computed value (the node's, unless its terms give
        /// another dimension).
        computed_unit: String,
    },
    /// The unit text that could not be read.
    Unit(String),
    /// The number of parents.
    Parents(usize),
    /// Period labels (outside the document's periods, or without an actual).
    Labels(Vec<crate::model::Label>),
    /// Characters no font draws, each with its code point (`🎯 (U+1F3AF)`).
    Glyphs(String),
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
            (
                Code::TargetMismatch | Code::ActualMismatch,
                Detail::Mismatch { entered, computed, unit, computed_unit },
            ) => {
                let which = if self.code == Code::TargetMismatch { Which::Target } else { Which::Actual };
                let (e, c) = (format_number(*entered), format_number(*computed));
                if ja {
                    format!(
                        "「{n}」の{}が合いません: 入力 {e}{unit}、下位 KPI からの計算 {c}{computed_unit}",
                        which.label(lang)
                    )
                } else {
                    let spaced = |u: &str| if u.is_empty() { String::new() } else { format!(" {u}") };
                    format!(
                        "the {} of \"{n}\" does not add up: entered {e}{}, its terms give {c}{}",
                        which.label(lang),
                        spaced(unit),
                        spaced(computed_unit)
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
            (Code::SeriesOutsidePeriod, Detail::Labels(labels)) if ja => {
                format!("「{n}」の期間別の値 {} は文書の期間の外にあり、計算に使いません", labels_text(labels))
            }
            (Code::SeriesOutsidePeriod, Detail::Labels(labels)) => format!(
                "the values of \"{n}\" for {} lie outside the document's periods and are not used",
                labels_text(labels)
            ),
            (Code::SeriesSumMismatch, Detail::Mismatch { entered, computed, unit, .. }) if ja => format!(
                "「{n}」の期間ごとの目標の合計 {}{unit} が、期間全体の目標 {}{unit} と合いません",
                format_number(*computed),
                format_number(*entered)
            ),
            (Code::SeriesSumMismatch, Detail::Mismatch { entered, computed, unit, .. }) => {
                let u = if unit.is_empty() { String::new() } else { format!(" {unit}") };
                format!(
                    "the targets of \"{n}\" per period add up to {}{u}, not to its target for the whole period, {}{u}",
                    format_number(*computed),
                    format_number(*entered)
                )
            }
            (Code::SeriesGap, Detail::Labels(labels)) if ja => {
                format!("「{n}」は {} の実績がまだありません", labels_text(labels))
            }
            (Code::SeriesGap, Detail::Labels(labels)) => {
                format!("\"{n}\" has no actual yet for {}", labels_text(labels))
            }
            (Code::GlyphMissing, Detail::Glyphs(chars)) if ja => {
                format!("「{n}」の {chars} はどのフォントにもなく、図では四角で描かれます")
            }
            (Code::GlyphMissing, Detail::Glyphs(chars)) => {
                format!("\"{n}\": no font here has {chars} (drawn as boxes in pictures)")
            }
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

/// Period labels for a message: the first few, then how many more.
fn labels_text(labels: &[crate::model::Label]) -> String {
    const SHOWN: usize = 6;
    let mut text: Vec<String> = labels.iter().take(SHOWN).map(ToString::to_string).collect();
    if labels.len() > SHOWN {
        text.push(format!("… (+{})", labels.len() - SHOWN));
    }
    text.join(", ")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_distinct_spelling() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code}");
        }
    }
}
