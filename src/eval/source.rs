//! Where the analyses read values: the whole period as evaluated, or one
//! period of the document's calendar.
//!
//! A tree with values per period is consistent period by period (客数 ×
//! 単価 each month) but not over the whole period: the year's 売上 is the
//! sum of the months' products, not the product of the year's 客数 and its
//! average 単価. So the attribution and the sensitivity of a goal that sums
//! its periods work period by period and add the periods up.

use super::Which;
use super::analysis::Analyzer;
use super::period::PeriodTable;
use crate::model::Aggregate;

/// Values to analyse, base units (as parents read them).
pub(crate) trait Source {
    /// Node `i`'s value.
    fn value(&self, i: usize, which: Which) -> Option<f64>;
    /// What node `i`'s terms give; `None` for a leaf, a node in a cycle, or
    /// a term without a value.
    fn computed(&self, i: usize, which: Which) -> Option<f64>;
    /// True when node `i`'s value is what its terms give.
    fn follows(&self, i: usize, which: Which) -> bool;
}

/// The whole period, as the evaluator computed it.
pub(crate) struct Whole<'a>(pub &'a Analyzer);

impl Source for Whole<'_> {
    fn value(&self, i: usize, which: Which) -> Option<f64> {
        self.0.base_value(i, which)
    }

    fn computed(&self, i: usize, which: Which) -> Option<f64> {
        let calc = self.0.calc();
        if calc.cyclic(i) {
            return None;
        }
        let v = &self.0.evaluation().values()[i];
        let c = match which {
            Which::Target => v.computed_target,
            Which::Actual => v.computed_actual,
        };
        c.map(|c| c * calc.out_scale[i])
    }

    fn follows(&self, i: usize, which: Which) -> bool {
        self.0.follows(i, which)
    }
}

/// One period `p` of the document's calendar.
pub(crate) struct InPeriod<'a> {
    /// The analysis.
    pub analyzer: &'a Analyzer,
    /// The values per period.
    pub table: &'a PeriodTable,
    /// The period.
    pub p: usize,
}

impl Source for InPeriod<'_> {
    fn value(&self, i: usize, which: Which) -> Option<f64> {
        match self.table.base_at(i, self.p, which as usize) {
            Some(v) => v,
            // A rate or a level holds its whole-period value in each period;
            // an amount without values per period has none.
            None if self.table.is_level(i) => self.analyzer.base_value(i, which),
            None => None,
        }
    }

    fn computed(&self, i: usize, which: Which) -> Option<f64> {
        let calc = self.analyzer.calc();
        if calc.cyclic(i) || calc.graph.terms(i).next().is_none() {
            return None;
        }
        calc.compute(i, |c| self.value(c, which)).map(|v| v * calc.out_scale[i])
    }

    fn follows(&self, i: usize, which: Which) -> bool {
        match (self.computed(i, which), self.value(i, which)) {
            (Some(c), Some(v)) => (c - v).abs() <= 1e-9 * c.abs().max(v.abs()).max(1e-300),
            _ => false,
        }
    }
}

impl Analyzer {
    /// The periods goal `g` is analysed in, one by one: all of the
    /// document's when the goal has values per period and its whole-period
    /// value is their sum; `None` to analyse the whole period at once.
    pub(crate) fn periods_of(&self, g: usize) -> Option<(&PeriodTable, usize)> {
        let table = self.evaluation().periods()?;
        let node = &self.document().nodes[g];
        let computed = self.calc().graph.terms(g).next().is_some();
        let aggregate = node.aggregate.unwrap_or_else(|| Aggregate::default_for(node.unit_str(), computed));
        (table.has(g) && aggregate == Aggregate::Sum).then_some((table, table.len()))
    }
}
