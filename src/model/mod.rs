//! The KPI-tree document: nodes, edges with operators, units and the period.
//!
//! This is the single source of truth of the application. Everything else
//! (evaluation, layout, export, the editor's canvas) is derived from it.

mod date;
mod document;
pub mod edit;
pub mod generate;
pub mod history;
pub mod number;
mod op;
pub mod scenario;
pub mod unit;

pub use date::Date;
pub use document::{Direction, Document, Edge, Extra, Indicator, Kind, Node, NodeId, Period};
pub use edit::{Edit, Field};
pub use op::Op;
pub use unit::Unit;
