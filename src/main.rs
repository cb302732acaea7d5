//! The `kpitree` binary: the command line, or the editor without a subcommand.
//!
//! On Windows a release build is a GUI program (no console window flashes
//! when the editor starts from Explorer); a command line attaches to the
//! console it was typed in (platform::console_wanted). `kpitree.com`, the
//! console program beside it, waits for it so that cmd and PowerShell get
//! its exit status (src/bin/kpitree-console.rs).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use kpitree::cli;

fn main() {
    if cfg!(windows) {
        attach_console();
    }
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

/// Before clap can print help or a usage error: the console of cmd or
/// PowerShell for a command, none for the editor.
fn attach_console() {
    use clap::CommandFactory;
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let command = cli::Args::command();
    let subcommands: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
    if kpitree::platform::console_wanted(&args, &subcommands) {
        kpitree::platform::attach_parent_console();
    }
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
