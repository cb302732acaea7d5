//! Everything the editor shows that is computed from the document, in one
//! place, off the UI thread: the evaluation with the active scenario, the
//! bottleneck ranking and pacing, the marks on the cards, and 逆算 and goal
//! seek for the selected node. Each outcome carries the ticket its request
//! was given ([`super::Ticket`]), so the window never shows a result as newer
//! than it is.

use std::sync::Arc;

use super::worker::{Worker, superseded};
use crate::eval::Evaluation;
use crate::eval::analysis::{AnalysisError, Analyzer, Bottleneck, Pacing, Seek};
use crate::eval::explain::{ExplainOptions, Explanation};
use crate::eval::period::{View, view_diagnostics, view_document};
use crate::export::{AnalysisMarks, CardCache, Diagram, DiagramOptions};
use crate::model::{Document, NodeId, scenario};

/// What to compute. Two requests that compare equal ask for the same thing
/// when their documents are the same revision.
#[derive(Debug, Clone)]
pub struct Request {
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

/// The analysis of one document with one scenario: what does not depend on
/// the focus or on how the diagram is drawn.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Which analysis this is: a new document or scenario gives a new number,
    /// so caches of what depends on the document key on it.
    pub id: u64,
    /// The document as edited.
    pub document: Arc<Document>,
    /// The scenario that was applied, if any.
    pub scenario: Option<String>,
    /// The document evaluated: with the scenario's overrides entered.
    pub effective: Arc<Document>,
    /// Why the scenario could not be applied (then `effective` is the
    /// document itself).
    pub scenario_error: Option<String>,
    /// The evaluation of `effective`, its findings as the view shows them:
    /// in a period view, those of the period's values (a division by zero in
    /// 5月, a KPI without an actual that month) and those of the series.
    pub evaluation: Arc<Evaluation>,
    /// The period view the ranking, the gap explained and 逆算 speak of
    /// (the cards show it too): the whole period, the year to date or one
    /// period.
    pub view: View,
    /// The bottleneck ranking.
    pub bottlenecks: Vec<Bottleneck>,
    /// Pacing at the as-of date.
    pub pacing: Pacing,
    /// Analysis marks on the cards.
    pub marks: AnalysisMarks,
    /// The attribution, the sensitivity and the scenarios compared.
    pub explanation: Arc<Explanation>,
}

/// Everything derived from one request: the analysis (shared with the
/// requests before it that had the same document and scenario) and what the
/// focus and the view add.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// The analysis of the request's document and scenario.
    pub analysis: Arc<Analysis>,
    /// 逆算 and goal seek for the focused node, when it is a term of something.
    pub solved: Option<Solved>,
    /// The canvas's diagram of the effective document, with the marks.
    pub diagram: Arc<Diagram>,
}

impl std::ops::Deref for Derived {
    type Target = Analysis;

    /// A derived state reads as its analysis (`derived.evaluation`).
    fn deref(&self) -> &Analysis {
        &self.analysis
    }
}

/// The worker's memory between requests: the analysis of the last effective
/// document, reused when only the focus or the view changed.
#[derive(Default)]
pub struct Cache {
    last: Option<(Analyzer, Arc<Analysis>)>,
    /// The number the next new analysis gets.
    next_id: u64,
    /// The diagram of that analysis, and the options it was drawn with.
    diagram: Option<(u64, DiagramOptions, Arc<Diagram>)>,
    /// The cards of that diagram, reused for nodes that did not change.
    cards: CardCache,
}

/// Computes everything for `request`, reusing `cache` when the document and
/// scenario are the ones it analysed last.
///
/// On the worker's thread, a request that is no longer wanted (a newer one
/// came, or the worker was dropped: [`super::superseded`]) stops between
/// phases — evaluation, bottlenecks, pacing, diagram — and gives an empty
/// result, which the worker never delivers and the cache never keeps.
pub fn derive(cache: &mut Cache, request: Request) -> Derived {
    let Request { document, scenario, focus, diagram: options, explain } = request;
    let view = options.shown;
    let reuse = matches!(&cache.last, Some((_, a))
        if Arc::ptr_eq(&a.document, &document) && a.scenario == scenario && a.view == view);
    if !reuse {
        // Free the old analysis before building the new one.
        cache.last = None;
        cache.next_id += 1;
        match analyse(cache.next_id, document, scenario, view, explain) {
            Some(a) => cache.last = Some(a),
            None => return Derived::default(),
        }
    }
    let Some((analyzer, analysis)) = cache.last.as_mut() else { return Derived::default() };
    // Another method or step: explained again, the rest reused.
    if analysis.explanation.options != explain {
        Arc::make_mut(analysis).explanation = Arc::new(analyzer.explain(&analysis.document, explain));
    }
    if superseded() {
        return Derived::default();
    }
    let diagram = match &cache.diagram {
        Some((id, o, d)) if *id == analysis.id && *o == options => Arc::clone(d),
        _ => {
            let d = Diagram::build_reusing(
                &analysis.effective,
                &analysis.evaluation,
                &options,
                Some(&analysis.marks),
                &mut cache.cards,
            );
            cache.diagram = Some((analysis.id, options, Arc::clone(&d)));
            d
        }
    };
    let solved = focus.and_then(|id| solve(analyzer, analyzer.document(), id));
    Derived { analysis: Arc::clone(analysis), solved, diagram }
}

/// The analysis of a document, phase by phase; none once the request is
/// no longer wanted.
fn analyse(
    id: u64,
    document: Arc<Document>,
    scenario: Option<String>,
    view: View,
    explain: ExplainOptions,
) -> Option<(Analyzer, Arc<Analysis>)> {
    let (effective, scenario_error) = match scenario::effective(&document, scenario.as_deref()) {
        Ok(doc) => (doc, None),
        Err(e) => (Arc::clone(&document), Some(e)),
    };
    if superseded() {
        return None;
    }
    // In a period view the ranking, the gap and 逆算 work on the values the
    // cards show; the diagram is drawn from the whole evaluation (which holds
    // every view), and pacing is always to the as-of date of the whole.
    let whole = Analyzer::shared(Arc::clone(&effective));
    let mut evaluation = whole.shared_evaluation();
    if superseded() {
        return None;
    }
    let pacing = whole.pacing();
    let analyzer = match view_document(&effective, &evaluation, view) {
        Some(viewed) => {
            let viewed = Analyzer::shared(Arc::new(viewed));
            let findings = view_diagnostics(&evaluation, viewed.evaluation(), view);
            evaluation = Arc::new(evaluation.with_diagnostics(findings));
            viewed
        }
        None => whole,
    };
    // Names with characters no font draws (boxes in every picture).
    let glyphs = crate::export::glyph_diagnostics(&effective);
    if !glyphs.is_empty() {
        let mut all = evaluation.diagnostics.clone();
        all.extend(glyphs);
        evaluation = Arc::new(evaluation.with_diagnostics(all));
    }
    if superseded() {
        return None;
    }
    let bottlenecks = analyzer.bottlenecks();
    if superseded() {
        return None;
    }
    let explanation = Arc::new(analyzer.explain(&document, explain));
    let mut marks = AnalysisMarks::default();
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
    let analysis = Analysis {
        id,
        document,
        scenario,
        effective,
        scenario_error,
        evaluation,
        view,
        bottlenecks,
        pacing,
        marks,
        explanation,
    };
    Some((analyzer, Arc::new(analysis)))
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
            let already = result.as_ref().is_ok_and(|v| node.target.is_some_and(|t| !crate::eval::differs(*v, t)));
            Allocation { parent: p.clone(), result, already }
        })
        .collect();
    let seek = analyzer.seek(id.as_str(), None);
    Some(Solved { node: id, allocations, seek })
}

/// The editor's background worker: [`derive()`] on its own thread.
pub type DerivedWorker = Worker<Request, Derived>;

/// What the editor's worker runs: [`derive()`], or a test's job.
pub type Job = fn(&mut Cache, Request) -> Derived;

/// Starts the editor's background worker; `on_result` runs (on the worker
/// thread) whenever a result is ready.
pub fn worker(on_result: impl Fn() + Send + 'static) -> DerivedWorker {
    worker_running(derive, on_result)
}

/// The editor's background worker running `job` in place of [`derive()`]
/// (tests give it one that fails).
pub fn worker_running(job: Job, on_result: impl Fn() + Send + 'static) -> DerivedWorker {
    Worker::new("kpitree-derive", job, on_result)
}
