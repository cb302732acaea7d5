//! The diagram as a PowerPoint file whose shapes stay editable: one 16:9
//! slide drawn from the same [`Scene`] as the PNG (a rounded rectangle per
//! card with its kind, name and values as text, the kind's colour band and
//! the progress bar grouped with it, an elbow connector per wire glued to
//! both cards, an operator circle per term, the title), and optionally one
//! slide per KSF subtree after it.
//!
//! Written by hand (a zip of the few OOXML parts PresentationML needs:
//! content types, presentation, one master, one blank layout, a theme and
//! the slides), not with a PPTX crate: the Rust ones are young and check
//! "opens without repair" only against themselves. What PowerPoint asks to
//! repair was checked part by part (notes in docs/FORMAT.md, "PowerPoint"):
//! a content type for every part, ids unique on a slide, schema order in
//! `a:rPr` (`solidFill`, `latin`, `ea`), connector boxes that already
//! match their glue points (PowerPoint re-routes only when a card moves).
//!
//! This file chooses the slides; `slide` draws one scene as shapes with the
//! DrawingML pieces of `shapes`, and `package` zips the parts.

mod package;
mod shapes;
mod slide;

use super::{ExportError, ExportOptions, Scene};
use crate::eval::Evaluation;
use crate::model::{Document, Kind, NodeId};
use package::package;
use slide::slide;

/// Slide width and height in EMU (13.333 × 7.5 inches, 16:9).
pub const SLIDE: [i64; 2] = [12_192_000, 6_858_000];
/// The most slides one file gets (the overview and 199 subtrees).
pub const MAX_SLIDES: usize = 200;
/// The fonts PowerPoint falls back on when BIZ UDPGothic is not installed
/// (the theme's Latin and East Asian faces).
pub const FALLBACK_LATIN: &str = "Meiryo";
/// See [`FALLBACK_LATIN`].
pub const FALLBACK_EA: &str = "Yu Gothic";

/// Which slides the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Slides {
    /// The whole tree on one slide.
    #[default]
    Overview,
    /// The overview, then one slide per KSF subtree.
    Subtrees,
}

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument";

/// The KSF nodes whose subtrees get a slide of their own, in the order
/// the tree lists them (depth first from the goals).
fn subtree_roots(doc: &Document) -> Vec<NodeId> {
    let links = crate::export::Links::of(doc);
    let n = doc.nodes.len();
    let mut roots: Vec<usize> = (0..n).filter(|&i| links.parents[i].is_empty()).collect();
    roots.sort_by_key(|&i| (doc.nodes[i].kind != Kind::Kgi, i));
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in roots {
        stack.push(start);
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            if doc.nodes[v].kind == Kind::Ksf && !links.children[v].is_empty() {
                out.push(doc.nodes[v].id.clone());
            }
            stack.extend(links.children[v].iter().rev().map(|&(c, _)| c as usize));
        }
    }
    out
}

/// The presentation of `doc`: the diagram `opts` describes (a subtree with
/// `opts.root`) on one 16:9 slide, then with [`Slides::Subtrees`] one slide
/// per KSF subtree (at most [`MAX_SLIDES`] in all).
pub fn to_pptx(
    doc: &Document,
    eval: &Evaluation,
    opts: &ExportOptions,
    slides: Slides,
) -> Result<Vec<u8>, ExportError> {
    super::check_request(doc, super::Format::Pptx, opts)?;
    let mut scenes = vec![Scene::build(doc, eval, opts)];
    if scenes[0].cards.len() > super::MAX_DRAWN_CARDS {
        return Err(ExportError::TooManyCards {
            cards: scenes[0].cards.len(),
            limit: super::MAX_DRAWN_CARDS,
            format: "PowerPoint",
        });
    }
    if slides == Slides::Subtrees && opts.root.is_none() {
        for root in subtree_roots(doc).into_iter().take(MAX_SLIDES - 1) {
            let sub = ExportOptions { root: Some(root), ..opts.clone() };
            scenes.push(Scene::build(doc, eval, &sub));
        }
    }
    let slides: Vec<String> = scenes.iter().map(|s| slide(s, opts)).collect();
    let title = scenes[0].title.clone();
    package(&slides, &title).map_err(|e| ExportError::Render(format!("the presentation could not be written: {e}")))
}
