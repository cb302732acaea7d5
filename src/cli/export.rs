//! `kpitree export`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

/// The arguments of `kpitree export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
    /// The file to write: .png, .svg, .pdf or .json.
    #[arg(long, short)]
    pub output: PathBuf,
}

/// Runs `kpitree export`.
pub fn run(args: &ExportArgs, _out: &mut impl Write) -> Result<i32, String> {
    Err(format!("export of {} is not built yet", args.file.display()))
}
