//! The `kpitree` binary: the command line, or the editor without a subcommand.

use clap::Parser;
use kpitree::cli::{self, Args};

fn main() {
    // Ctrl+C in the middle of an export leaves no temporary file behind.
    kpitree::io::install_signal_cleanup();
    let args = Args::parse();
    let code = match args.command {
        Some(command) => cli::run(command),
        None => open_editor(args.file),
    };
    std::process::exit(code);
}

#[cfg(feature = "gui")]
fn open_editor(file: Option<std::path::PathBuf>) -> i32 {
    kpitree::ui::run(file)
}

#[cfg(not(feature = "gui"))]
fn open_editor(_file: Option<std::path::PathBuf>) -> i32 {
    eprintln!("kpitree: this build has no editor (built without the `gui` feature); try `kpitree --help`");
    kpitree::exit::BAD_INPUT
}
