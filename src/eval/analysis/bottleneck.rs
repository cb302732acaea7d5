//! The bottleneck ranking: for each goal, what its actual would be if one
//! leaf KPI alone reached its target ([`Analyzer::bottlenecks`]).

use super::{Analyzer, Walk};
use crate::eval::Which;
use crate::eval::lever;
use crate::eval::reach::Through;
use crate::eval::source::Whole;
use crate::model::{Direction, NodeId};

/// One leaf KPI's weight on one goal: the goal's actual if this leaf alone
/// reached its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Bottleneck {
    /// 1 for the leaf that would gain its goal the most.
    pub rank: usize,
    /// The leaf KPI.
    pub node: NodeId,
    /// Where `node` is in the analysed document ([`crate::model::Document::node_at`]).
    pub at: usize,
    /// The goal: the top of the arithmetic chain above the leaf.
    pub goal: NodeId,
    /// The goal's (effective) target, in the goal's unit.
    pub goal_target: Option<f64>,
    /// The goal's actual now.
    pub goal_actual: f64,
    /// The goal's actual if the leaf's actual were its target.
    pub goal_if_reached: f64,
    /// The improvement of the goal (an increase, or a decrease for a
    /// lower-is-better goal); negative when the leaf is already beyond its
    /// target.
    pub gain: f64,
    /// `gain` as a share of the goal's gap to its target (1.0 = closes it);
    /// none when the goal has no target or has reached it.
    pub share_of_gap: Option<f64>,
}

impl Analyzer {
    /// The goal's `which` value (in its unit) if node `x`'s were `value` (in
    /// its unit): exact, through the goal's [`lever::Levers`] when `x` is on
    /// one chain below it, else carried up the tree.
    fn goal_if(
        &self,
        (levers, through): (&lever::Levers, &mut Through),
        goal: usize,
        x: usize,
        value: f64,
        which: Which,
        walk: &mut Walk,
    ) -> Option<f64> {
        let scale = &self.calc.scale[which as usize];
        let src = Whole(self);
        match through.goal_at(self, &src, (levers, goal, which), x, value * scale[x], walk) {
            Some(reached) => reached.map(|v| v / scale[goal]),
            None => self.goal_with(goal, x, value, which, walk),
        }
    }

    /// Every leaf KPI with a target and an actual that is a term of some
    /// computed node, once for each goal it feeds: the goal's actual if that
    /// leaf alone reached its target. Ordered by goal (KGIs first, then file
    /// order), and within a goal by gain, largest first. Linear in the size
    /// of the tree: one pass down from each goal (`lever`).
    pub fn bottlenecks(&self) -> Vec<Bottleneck> {
        let mut out = Vec::new();
        let mut walk = Walk::new(self.doc.nodes.len());
        // One memory for every goal: each costs what it reaches.
        let mut levers = self.take_levers();
        for g in self.goal_nodes() {
            let Some(before) = self.value(g, Which::Actual) else { continue };
            self.whole_levers(&mut levers, g, Which::Actual);
            let goal = &self.doc.nodes[g];
            let toward = |x: f64| if goal.direction() == Direction::Down { -x } else { x };
            let goal_target = self.value(g, Which::Target);
            let gap = goal_target.map(|t| toward(t - before)).filter(|gap| *gap > 0.0);
            // The leaf and the goal's actual if it reached its target, in
            // few bytes: sorted first, made into rows after.
            let mut reached = Vec::with_capacity(levers.order.len());
            let mut through = Through::default();
            for &i in &levers.order {
                if i == g || !self.is_input(i) {
                    continue;
                }
                let (Some(target), Some(_)) = (self.value(i, Which::Target), self.value(i, Which::Actual)) else {
                    continue;
                };
                let Some(after) = self.goal_if((&levers, &mut through), g, i, target, Which::Actual, &mut walk) else {
                    continue;
                };
                #[allow(clippy::cast_possible_truncation, reason = "indices: far fewer than 2^32 nodes")]
                reached.push((toward(after - before), after, i as u32));
            }
            // Largest gain first; file order among equal gains (a primary
            // node's index is its position).
            reached.sort_unstable_by(|(ga, _, i), (gb, _, j)| gb.total_cmp(ga).then(i.cmp(j)));
            let mut found = Vec::with_capacity(reached.len());
            for (rank, &(gain, after, i)) in reached.iter().enumerate() {
                found.push(Bottleneck {
                    rank: rank + 1,
                    node: self.doc.nodes[i as usize].id.clone(),
                    at: i as usize,
                    goal: goal.id.clone(),
                    goal_target,
                    goal_actual: before,
                    goal_if_reached: after,
                    gain,
                    share_of_gap: gap.map(|gap| gain / gap),
                });
            }
            if out.is_empty() {
                out = found;
            } else {
                out.append(&mut found);
            }
        }
        self.keep_levers(levers);
        out
    }
}
