//! The KPI-tree document: nodes, edges with operators, units and the period.
//!
//! This is the single source of truth of the application. Everything else
//! (evaluation, layout, export, the editor's canvas) is derived from it.

mod date;
mod document;
pub mod edit;
pub mod generate;
pub mod history;
mod lists;
pub mod number;
mod op;
pub mod period;
pub mod scenario;
pub mod session;
pub mod unit;

pub use date::Date;
pub(crate) use document::node_fields;
pub use document::{
    Direction, Document, Edge, Extra, Indicator, Kind, LayoutMode, Node, NodeId, Period, Refusal, set_id_tag,
};
pub use edit::{Edit, Field};
pub use lists::{Edges, NodeMut, Nodes, SharedIndex};
pub use op::{Op, Step, combine, walk};
pub use period::{Aggregate, Calendar, Granularity, Label, Series, SeriesValue, YearLabel};
pub use unit::Unit;
