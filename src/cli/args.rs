//! The `check` command's flags, spelled and meaning as in Ruff.

use std::path::PathBuf;

use clap::Args;

use crate::output::OutputFormat;

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
// A flag given twice (a pre-commit hook's `--fix` plus the user's `args: [--fix]`) is not an
// error; list options (`--select`, `--ignore` ...) still accumulate.
#[command(args_override_self = true)]
pub(super) struct CheckArgs {
    /// Files or folders to check; `-` reads standard input.
    pub(super) paths: Vec<PathBuf>,
    /// Apply safe fixes.
    #[arg(long, overrides_with = "no_fix")]
    pub(super) fix: bool,
    #[arg(long, overrides_with = "fix", hide = true)]
    pub(super) no_fix: bool,
    /// Also apply unsafe fixes (and count them as fixable).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub(super) unsafe_fixes: bool,
    #[arg(long, overrides_with = "unsafe_fixes", hide = true)]
    pub(super) no_unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there are changes).
    #[arg(long)]
    pub(super) diff: bool,
    /// List the fixes that were applied, per file.
    #[arg(long)]
    pub(super) show_fixes: bool,
    /// Exit 0 even when diagnostics remain.
    #[arg(long)]
    pub(super) exit_zero: bool,
    /// Exit 1 when any fix was applied, even if nothing remains.
    #[arg(long)]
    pub(super) exit_non_zero_on_fix: bool,
    /// Apply fixes and report nothing that remains.
    #[arg(long)]
    pub(super) fix_only: bool,
    /// Rules to enable, replacing the configured set: codes, prefixes (PAR4), names, or ALL.
    #[arg(long, value_delimiter = ',')]
    pub(super) select: Option<Vec<String>>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    pub(super) ignore: Vec<String>,
    /// Rules to enable in addition to the configured set.
    #[arg(long, value_delimiter = ',')]
    pub(super) extend_select: Vec<String>,
    /// Print how many diagnostics each rule produced instead of the diagnostics.
    #[arg(long)]
    pub(super) statistics: bool,
    /// Use this configuration file for every checked file.
    #[arg(long)]
    pub(super) config: Option<PathBuf>,
    /// Apply `exclude` to paths named on the command line too (for pre-commit).
    #[arg(long)]
    pub(super) force_exclude: bool,
    /// Print diagnostics only: no summary.
    #[arg(short, long)]
    pub(super) quiet: bool,
    /// The file name to use for standard input (configuration, per-file-ignores, output).
    #[arg(long)]
    pub(super) stdin_filename: Option<PathBuf>,
    /// How to print diagnostics (default: full in a terminal, github under GitHub Actions).
    #[arg(long, value_enum)]
    pub(super) output_format: Option<OutputFormat>,
    /// Accepted for Ruff compatibility; pyparallel keeps no cache.
    #[arg(long, hide = true)]
    pub(super) no_cache: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub(super) threads: Option<usize>,
}
