//! What explains the gap, computed once for the editor's Analysis tab and
//! for `kpitree analyze`: the attribution (差異分析) by the method asked
//! for, the sensitivity (tornado) at ± x %, and the scenarios side by side.

use std::sync::Arc;

use super::Which;
use super::analysis::{AnalysisError, Analyzer};
use super::attribution::{Attribution, Method};
use super::compare::{Comparison, compare};
use super::sensitivity::Sensitivity;
use crate::model::Document;

/// How to explain: the attribution's method and the sensitivity's step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExplainOptions {
    /// How a product's change is split among its factors.
    pub method: Method,
    /// Each input is moved this many percent down and up.
    pub percent: f64,
    /// On targets or on actuals.
    pub which: Which,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions { method: Method::Shapley, percent: 10.0, which: Which::Actual }
    }
}

/// The three answers.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// What it was computed with.
    pub options: ExplainOptions,
    /// Per goal with a target and an actual, or why there is none (LMDI on a
    /// value that is not positive).
    pub attribution: Result<Vec<Attribution>, AnalysisError>,
    /// Per goal, largest swing first.
    pub sensitivity: Vec<Sensitivity>,
    /// The scenarios side by side.
    pub comparison: Comparison,
}

impl Default for Explanation {
    fn default() -> Self {
        Explanation {
            options: ExplainOptions::default(),
            attribution: Ok(Vec::new()),
            sensitivity: Vec::new(),
            comparison: Comparison::default(),
        }
    }
}

impl Analyzer {
    /// The attribution, the sensitivity and the comparison of the scenarios
    /// of `doc`: the document before any scenario is applied (when this
    /// analyzer's is another — a scenario's — `doc` is evaluated too).
    pub fn explain(&self, doc: &Arc<Document>, options: ExplainOptions) -> Explanation {
        let comparison = if std::ptr::eq(self.document(), &**doc) {
            compare(doc, self.evaluation())
        } else {
            compare(doc, &super::evaluate(doc))
        };
        Explanation {
            options,
            attribution: self.attribution(options.method),
            sensitivity: self.sensitivity(options.percent, options.which),
            comparison,
        }
    }
}
