//! kpitree: KPI trees (KGI → KSF → KPI) that calculate and check themselves.
//!
//! The core — [`model`], [`io`], [`eval`], [`templates`] and [`cli`] — never
//! touches a window; the desktop editor lives behind the `gui` feature.
#![warn(missing_docs)]

pub mod cli;
pub mod collab;
pub mod eval;
pub mod export;
pub mod format;
pub mod io;
pub mod lang;
pub mod layout;
pub mod model;
pub mod pipeline;
pub mod platform;
pub mod templates;
#[cfg(feature = "gui")]
pub mod ui;

pub use eval::{Evaluation, evaluate};

/// The exit statuses of the `kpitree` binary, the command line's and the
/// editor's alike.
pub mod exit {
    /// Success; for `check` and the like, no errors in the model.
    pub const OK: i32 = 0;
    /// The model has errors.
    pub const MODEL_ERRORS: i32 = 1;
    /// A file could not be read or written, or is not a document; a usage error.
    pub const BAD_INPUT: i32 = 2;
}
pub use lang::Lang;
pub use model::Document;
