//! kpitree's integration tests in one binary, a module per area (as
//! ripgrep keeps them): every test binary links the whole library, the
//! editor included, so one binary links once instead of twenty times.
#![allow(clippy::unwrap_used, reason = "a panic in a test or its helpers is the failure it reports")]
#![allow(clippy::cast_possible_truncation, reason = "test data: small sizes, indices and coordinates")]

mod common;

mod analysis;
mod attribution;
mod cli;
mod cli_analysis;
// /dev/full, FIFOs, SIGPIPE: the command line as a Unix tool.
#[cfg(unix)]
mod cli_unix;
mod collab;
mod collab_live;
mod collab_net;
mod diagnostics;
mod evaluate;
mod export;
mod export_cli;
mod export_limits;
mod export_svg_font;
mod files;
mod format;
mod format_save;
mod history;
mod identity;
mod import;
mod json_out;
mod kill;
mod layers;
mod layout;
mod links;
mod messages;
mod office;
mod periods;
mod pptx;
mod properties;
mod recovery;
mod schema;
mod settings;
mod temps;
mod units;
mod worker;

// The editor, driven through its accessibility tree with egui_kittest.
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_analysis;
#[cfg(feature = "gui")]
mod ui_canvas;
#[cfg(feature = "gui")]
mod ui_export;
#[cfg(feature = "gui")]
mod ui_files;
#[cfg(feature = "gui")]
mod ui_hostile;
#[cfg(feature = "gui")]
mod ui_keys;
#[cfg(feature = "gui")]
mod ui_long_text;
#[cfg(feature = "gui")]
mod ui_periods;
#[cfg(feature = "gui")]
mod ui_recovery;
#[cfg(feature = "gui")]
mod ui_reliability;
#[cfg(feature = "gui")]
mod ui_room;
