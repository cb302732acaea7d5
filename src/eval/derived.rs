//! Everything the editor shows that is computed from the document, in one
//! place, off the UI thread: the evaluation with the active scenario, the
//! bottleneck ranking and pacing, the marks on the cards, and 逆算 and goal
//! seek for the selected node. Each result carries the generation of the
//! request it answers, so the window never shows a result as newer than it is.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::Evaluation;
use super::analysis::{AnalysisError, Analyzer, Bottleneck, Pacing, Seek};
use super::explain::{ExplainOptions, Explanation};
use super::worker::{Worker, superseded};
use crate::export::{CardCache, Diagram, DiagramOptions};
use crate::model::{Document, NodeId, scenario};

/// What to compute.
#[derive(Debug, Clone)]
pub struct Request {
    /// The generation of this request.
    pub generation: u64,
    /// The document as edited.
    pub document: Arc<Document>,
    /// The active what-if scenario, by name.
    pub scenario: Option<String>,
    /// The node whose 逆算 and goal seek to compute (the selection).
    pub focus: Option<NodeId>,
    /// What the canvas's diagram shows.
    pub diagram: DiagramOptions,
    /// How the Analysis tab explains the gap.
    pub explain: ExplainOptions,
}

/// What analysis says about one card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<usize>,
    /// The active what-if scenario overrides the node's values.
    pub overridden: bool,
}

/// The marks of every card that has one.
pub type Marks = FxHashMap<NodeId, Mark>;

/// 逆算 for one arithmetic parent of the focused node.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// The parent whose target should hold.
    pub parent: NodeId,
    /// The target the focused node needs, or why there is none.
    pub result: Result<f64, AnalysisError>,
    /// True when the node's target already is that value.
    pub already: bool,
}

/// 逆算 and goal seek for the focused node.
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    /// The focused node.
    pub node: NodeId,
    /// One entry per arithmetic parent, in edge order.
    pub allocations: Vec<Allocation>,
    /// The actual the node needs for its goal.
    pub seek: Result<Seek, AnalysisError>,
}

/// Everything derived from one request.
#[derive(Debug, Clone)]
pub struct Derived {
    /// The generation of the request whose document and scenario were
    /// analysed (a later request that only moved the focus reuses that
    /// analysis): caches of what depends on the document key on this.
    pub generation: u64,
    /// The document as edited.
    pub document: Arc<Document>,
    /// The scenario that was applied, if any.
    pub scenario: Option<String>,
    /// The document evaluated: with the scenario's overrides entered.
    pub effective: Arc<Document>,
    /// Why the scenario could not be applied (then `effective` is the
    /// document itself).
    pub scenario_error: Option<String>,
    /// The evaluation of `effective`.
    pub evaluation: Arc<Evaluation>,
    /// The bottleneck ranking.
    pub bottlenecks: Vec<Bottleneck>,
    /// Pacing at the as-of date.
    pub pacing: Pacing,
    /// Analysis marks on the cards.
    pub marks: Marks,
    /// 逆算 and goal seek for the focused node, when it is a term of something.
    pub solved: Option<Solved>,
    /// The canvas's diagram of `effective`, with the marks.
    pub diagram: Arc<Diagram>,
    /// The attribution, the sensitivity and the scenarios compared.
    pub explanation: Arc<Explanation>,
}

/// The worker's memory between requests: the analysis of the last effective
/// document, reused when only the focus changed.
#[derive(Default)]
pub struct Cache {
    last: Option<Analysed>,
    /// The diagram of that analysis, and the options it was drawn with.
    diagram: Option<(u64, DiagramOptions, Arc<Diagram>)>,
    /// The cards of that diagram, reused for nodes that did not change.
    cards: CardCache,
}

struct Analysed {
    generation: u64,
    document: Arc<Document>,
    scenario: Option<String>,
    effective: Arc<Document>,
    scenario_error: Option<String>,
    analyzer: Analyzer,
    evaluation: Arc<Evaluation>,
    bottlenecks: Vec<Bottleneck>,
    pacing: Pacing,
    marks: Marks,
    explanation: Arc<Explanation>,
}

/// Computes everything for `request`, reusing `cache` when the document and
/// scenario are the ones it analysed last.
///
/// On the worker's thread, a request that is no longer wanted (a newer one
/// came, or the worker was dropped: [`super::worker::superseded`]) stops
/// between phases — evaluation, bottlenecks, pacing, diagram — and gives an
/// empty result, which the worker never delivers and the cache never keeps.
pub fn derive(cache: &mut Cache, request: Request) -> Derived {
    let Request { generation, document, scenario, focus, diagram: options, explain } = request;
    let reuse = matches!(&cache.last, Some(a) if Arc::ptr_eq(&a.document, &document) && a.scenario == scenario);
    if !reuse {
        // Free the old analysis before building the new one.
        cache.last = None;
        match analyse(generation, Arc::clone(&document), scenario.clone(), explain) {
            Some(a) => cache.last = Some(a),
            None => return abandoned(generation, document, scenario),
        }
    }
    // Another method or step: explained again, the rest reused.
    if let Some(a) = cache.last.as_mut()
        && a.explanation.options != explain
    {
        a.explanation = Arc::new(a.analyzer.explain(&a.document, explain));
    }
    let Some(a) = cache.last.as_ref() else { return abandoned(generation, document, scenario) };
    if superseded() {
        return abandoned(generation, document, scenario);
    }
    let diagram = match &cache.diagram {
        Some((g, o, d)) if *g == a.generation && *o == options => Arc::clone(d),
        _ => {
            let d = Diagram::build_reusing(&a.effective, &a.evaluation, &options, Some(&a.marks), &mut cache.cards);
            cache.diagram = Some((a.generation, options, Arc::clone(&d)));
            d
        }
    };
    Derived {
        diagram,
        generation: a.generation,
        document: Arc::clone(&a.document),
        scenario: a.scenario.clone(),
        effective: Arc::clone(&a.effective),
        scenario_error: a.scenario_error.clone(),
        evaluation: Arc::clone(&a.evaluation),
        bottlenecks: a.bottlenecks.clone(),
        pacing: a.pacing.clone(),
        marks: a.marks.clone(),
        solved: focus.and_then(|id| solve(&a.analyzer, &a.effective, id)),
        explanation: Arc::clone(&a.explanation),
    }
}

/// What a request no longer wanted gives: nothing computed.
fn abandoned(generation: u64, document: Arc<Document>, scenario: Option<String>) -> Derived {
    Derived {
        generation,
        effective: Arc::clone(&document),
        document,
        scenario,
        scenario_error: None,
        evaluation: Arc::default(),
        bottlenecks: Vec::new(),
        pacing: Pacing::default(),
        marks: Marks::default(),
        solved: None,
        diagram: Arc::default(),
        explanation: Arc::default(),
    }
}

/// The analysis of a document, phase by phase; none once the request is
/// no longer wanted.
fn analyse(
    generation: u64,
    document: Arc<Document>,
    scenario: Option<String>,
    explain: ExplainOptions,
) -> Option<Analysed> {
    let (effective, scenario_error) = match scenario::effective(&document, scenario.as_deref()) {
        Ok(doc) => (doc, None),
        Err(e) => (Arc::clone(&document), Some(e)),
    };
    if superseded() {
        return None;
    }
    let analyzer = Analyzer::shared(Arc::clone(&effective));
    if superseded() {
        return None;
    }
    let bottlenecks = analyzer.bottlenecks();
    if superseded() {
        return None;
    }
    let pacing = analyzer.pacing();
    if superseded() {
        return None;
    }
    let explanation = Arc::new(analyzer.explain(&document, explain));
    let evaluation = analyzer.shared_evaluation();
    let mut marks = Marks::default();
    for b in bottlenecks.iter().filter(|b| b.rank <= 3 && b.gain > 0.0) {
        let mark = marks.entry(b.node.clone()).or_default();
        mark.bottleneck = Some(mark.bottleneck.map_or(b.rank, |r| r.min(b.rank)));
    }
    if scenario_error.is_none()
        && let Some(s) = scenario.as_deref().and_then(|name| document.scenarios.get(name))
    {
        for o in &s.overrides {
            marks.entry(o.node.clone()).or_default().overridden = true;
        }
    }
    Some(Analysed {
        generation,
        document,
        scenario,
        effective,
        scenario_error,
        analyzer,
        evaluation,
        bottlenecks,
        pacing,
        marks,
        explanation,
    })
}

/// 逆算 for each arithmetic parent of `id`, and its goal seek; none when it
/// is no term of anything.
fn solve(analyzer: &Analyzer, doc: &Document, id: NodeId) -> Option<Solved> {
    let node = doc.node(&id)?;
    let mut parents: Vec<&NodeId> = Vec::new();
    for e in doc.edges.iter().filter(|e| e.child == id && e.op.is_arithmetic()) {
        if !parents.contains(&&e.parent) {
            parents.push(&e.parent);
        }
    }
    if parents.is_empty() {
        return None;
    }
    let allocations = parents
        .into_iter()
        .map(|p| {
            let result = analyzer.allocate(p.as_str(), id.as_str());
            let already = result.as_ref().is_ok_and(|v| node.target.is_some_and(|t| !super::differs(*v, t)));
            Allocation { parent: p.clone(), result, already }
        })
        .collect();
    let seek = analyzer.seek(id.as_str(), None);
    Some(Solved { node: id, allocations, seek })
}

/// The editor's background worker: [`derive`] on its own thread.
pub type DerivedWorker = Worker<Request, Derived>;

/// What the editor's worker runs: [`derive`], or a test's job.
pub type Job = fn(&mut Cache, Request) -> Derived;

/// Starts the editor's background worker; `on_result` runs (on the worker
/// thread) whenever a result is ready.
pub fn worker(on_result: impl Fn() + Send + 'static) -> DerivedWorker {
    worker_running(derive, on_result)
}

/// The editor's background worker running `job` in place of [`derive`]
/// (tests give it one that fails).
pub fn worker_running(job: Job, on_result: impl Fn() + Send + 'static) -> DerivedWorker {
    Worker::new("kpitree-derive", job, on_result)
}
