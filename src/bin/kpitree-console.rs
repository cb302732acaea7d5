//! `kpitree.com` on Windows: the console face of `kpitree.exe`.
//!
//! kpitree.exe is a GUI program, so cmd and PowerShell neither wait for it
//! nor see its exit status. Typed as `kpitree …`, cmd and PowerShell find
//! `kpitree.com` first (PATHEXT lists .COM before .EXE): this small console
//! program runs kpitree.exe beside it with the same arguments and the same
//! console, waits, and exits with its status. The editor (no arguments, or
//! one file to open) is started without waiting, as cmd would start it.
//!
//! Built with `--features windows-console` (scripts/build-windows.sh).

use std::process::{Command, ExitCode};

#[allow(unsafe_code, reason = "SetConsoleCtrlHandler through windows-sys")]
fn main() -> ExitCode {
    #[cfg(windows)]
    // SAFETY: a null handler with TRUE makes this process ignore Ctrl+C;
    // kpitree.exe, on the same console, gets it and cleans up itself.
    unsafe {
        windows_sys::Win32::System::Console::SetConsoleCtrlHandler(None, 1);
    }
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let exe = match std::env::current_exe() {
        Ok(me) => me.with_file_name("kpitree.exe"),
        Err(e) => {
            eprintln!("kpitree: cannot find where this program is: {e}");
            return ExitCode::from(2);
        }
    };
    let mut command = Command::new(&exe);
    command.args(&args);
    let subcommands = subcommands();
    let names: Vec<&str> = subcommands.iter().map(String::as_str).collect();
    if !kpitree::platform::console_wanted(&args, &names) {
        return match command.spawn() {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) => cannot_start(&exe, &e),
        };
    }
    match command.status() {
        // Exit statuses are 0, 1 and 2; anything else (a crash) stays non-zero.
        Ok(status) => ExitCode::from(status.code().map_or(2, |c| u8::try_from(c).unwrap_or(2))),
        Err(e) => cannot_start(&exe, &e),
    }
}

fn subcommands() -> Vec<String> {
    use clap::CommandFactory;
    kpitree::cli::Args::command().get_subcommands().map(|c| c.get_name().to_owned()).collect()
}

fn cannot_start(exe: &std::path::Path, e: &std::io::Error) -> ExitCode {
    eprintln!("kpitree: cannot start {}: {e}", exe.display());
    ExitCode::from(2)
}
