//! The pipeline: what the editor shows, computed from the document off the
//! UI thread. It sits above evaluation and export (it evaluates, analyses
//! and lays out the diagram) and below the command line and the window,
//! which only ask it for results (`ARCHITECTURE.md`).

mod controller;
pub mod derived;
mod worker;

pub use controller::DerivedState;
pub use worker::{Outcome, Ticket, Worker, free_elsewhere, superseded, wait_for_workers};
