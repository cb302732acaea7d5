//! `kpitree analyze` and `kpitree seek`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

/// The arguments of `kpitree analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
}

/// The arguments of `kpitree seek`.
#[derive(Debug, Args)]
pub struct SeekArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
}

/// Runs `kpitree analyze`.
pub fn analyze(args: &AnalyzeArgs, _out: &mut impl Write) -> Result<i32, String> {
    Err(format!("analyze of {} is not built yet", args.file.display()))
}

/// Runs `kpitree seek`.
pub fn seek(args: &SeekArgs, _out: &mut impl Write) -> Result<i32, String> {
    Err(format!("seek of {} is not built yet", args.file.display()))
}
