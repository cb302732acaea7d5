//! The `kpitree` binary: the command line, or the editor without a subcommand.

use kpitree::cli;

fn main() {
    // Ctrl+C in the middle of an export leaves no temporary file behind.
    kpitree::io::install_signal_cleanup();
    // A mistyped subcommand is an error with a suggestion, not a file to open.
    let args = cli::parse();
    let code = match args.command {
        Some(command) => cli::run(command, &args.global),
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
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "kpitree: this build has no editor (built without the `gui` feature); try `kpitree --help`"
    );
    kpitree::exit::BAD_INPUT
}
