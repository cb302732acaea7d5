//! kpitree: KPI trees (KGI → KSF → KPI) that calculate and check themselves.
//!
//! The core — [`model`], [`io`], [`eval`], [`templates`] and [`cli`] — never
//! touches a window; the desktop editor lives behind the `gui` feature.
#![warn(missing_docs)]

pub mod cli;
pub mod eval;
pub mod export;
pub mod format;
pub mod io;
pub mod lang;
pub mod layout;
pub mod model;
pub mod templates;
#[cfg(feature = "gui")]
pub mod ui;

pub use eval::{Evaluation, evaluate};
pub use lang::Lang;
pub use model::Document;
