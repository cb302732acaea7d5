//! Why an analysis has no answer: [`AnalysisError`] and its message in
//! either language.

use crate::eval::Which;
use crate::lang::Lang;

/// Why an analysis has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalysisError {
    /// No node has this id.
    UnknownNode(String),
    /// The node is not below the ancestor through arithmetic edges.
    NotBelow {
        /// The node's name.
        node: String,
        /// The ancestor's name.
        ancestor: String,
    },
    /// The node has no arithmetic parent, so it has no goal to seek.
    NoGoal(String),
    /// The node has no target to reach (or allocate).
    NoTarget(String),
    /// The node is not computed (has no arithmetic terms).
    NotComputed(String),
    /// The term is not one of the parent's arithmetic terms.
    NotATerm {
        /// The parent's name.
        parent: String,
        /// The term's name.
        term: String,
    },
    /// A value the answer depends on is missing.
    Missing {
        /// The node's name.
        node: String,
        /// Which value.
        which: Which,
    },
    /// The node is part of a cycle, so its value is never computed.
    Cycle(String),
    /// No value of the node reaches the target (e.g. it is multiplied by 0).
    NoSolution(String),
    /// LMDI needs positive values; this node's are not.
    LmdiUndefined(String),
}

impl AnalysisError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use AnalysisError as E;
        let which = |w: &Which| match (w, lang) {
            (Which::Target, Lang::Ja) => "目標",
            (Which::Actual, Lang::Ja) => "実績",
            (Which::Target, Lang::En) => "target",
            (Which::Actual, Lang::En) => "actual",
        };
        match (self, lang) {
            (E::UnknownNode(id), Lang::Ja) => format!("ID「{id}」のノードはありません"),
            (E::UnknownNode(id), Lang::En) => format!("no node has the id \"{id}\""),
            (E::NotBelow { node, ancestor }, Lang::Ja) => {
                format!("「{node}」は「{ancestor}」の計算式の下にありません")
            }
            (E::NotBelow { node, ancestor }, Lang::En) => {
                format!("\"{node}\" is not a term (or a term's term) of \"{ancestor}\"")
            }
            (E::NoGoal(n), Lang::Ja) => format!("「{n}」は計算式の項ではないため、目指すゴールがありません"),
            (E::NoGoal(n), Lang::En) => format!("\"{n}\" is no term of any computed node, so it has no goal"),
            (E::NoTarget(n), Lang::Ja) => format!("「{n}」に目標がありません"),
            (E::NoTarget(n), Lang::En) => format!("\"{n}\" has no target"),
            (E::NotComputed(n), Lang::Ja) => format!("「{n}」は計算ノードではありません(+ − × ÷ の項がない)"),
            (E::NotComputed(n), Lang::En) => format!("\"{n}\" is not computed (it has no + − × ÷ terms)"),
            (E::NotATerm { parent, term }, Lang::Ja) => format!("「{term}」は「{parent}」の計算の項ではありません"),
            (E::NotATerm { parent, term }, Lang::En) => format!("\"{term}\" is not a term of \"{parent}\""),
            (E::Missing { node, which: w }, Lang::Ja) => format!("「{node}」の{}がありません", which(w)),
            (E::Missing { node, which: w }, Lang::En) => format!("\"{node}\" has no {}", which(w)),
            (E::Cycle(n), Lang::Ja) => format!("「{n}」は循環の中にあり、計算できません"),
            (E::Cycle(n), Lang::En) => format!("\"{n}\" is in a cycle and cannot be computed"),
            (E::NoSolution(n), Lang::Ja) => format!("「{n}」をどの値にしても目標に届きません"),
            (E::NoSolution(n), Lang::En) => format!("no value of \"{n}\" reaches the target"),
            (E::LmdiUndefined(n), Lang::Ja) => {
                format!("LMDI は正の値にしか使えません:「{n}」の値が 0 以下です (shapley か cost を使ってください)")
            }
            (E::LmdiUndefined(n), Lang::En) => {
                format!("LMDI needs positive values, and \"{n}\" has one that is not (use shapley or cost)")
            }
        }
    }
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AnalysisError {}
