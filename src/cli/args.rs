//! The command line's flags, spelled and meaning what they do in Ruff.

use std::path::PathBuf;

use clap::Args;

use crate::output::OutputFormat;

/// Flags every subcommand takes, before or after its name (`pyparallel -v check`, `pyparallel
/// check -v`), as Ruff's global options.
#[derive(Debug, Args)]
pub(super) struct GlobalArgs {
    /// When to colour the output: `auto` (in a terminal, unless `NO_COLOR` is set; a non-empty
    /// `FORCE_COLOR` turns it on), `always` or `never`.
    #[arg(long, value_name = "WHEN", value_enum, global = true)]
    pub(super) color: Option<ColorChoice>,
    /// Enable verbose logging (on standard error): the configuration used, the files found, the
    /// time each file took.
    #[arg(short, long, global = true, group = "verbosity")]
    pub(super) verbose: bool,
    /// Print diagnostics, but nothing else (no footer, no warnings).
    #[arg(short, long, global = true, group = "verbosity")]
    pub(super) quiet: bool,
    /// Print nothing but errors; the exit code still says whether diagnostics remain.
    #[arg(short, long, global = true, group = "verbosity")]
    pub(super) silent: bool,
}

impl GlobalArgs {
    pub(super) fn log_level(&self) -> LogLevel {
        if self.silent {
            LogLevel::Silent
        } else if self.quiet {
            LogLevel::Quiet
        } else if self.verbose {
            LogLevel::Verbose
        } else {
            LogLevel::Default
        }
    }
}

/// How much the run prints besides diagnostics (Ruff's log levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LogLevel {
    /// `-s`: nothing on standard output.
    Silent,
    /// `-q`: diagnostics only.
    Quiet,
    /// Diagnostics, the footer and warnings.
    Default,
    /// `-v`: also what was configured and found, and how long it took.
    Verbose,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum ColorChoice {
    Auto,
    Always,
    Never,
}

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
    #[arg(long, overrides_with = "no_show_fixes")]
    pub(super) show_fixes: bool,
    #[arg(long, overrides_with = "show_fixes", hide = true)]
    pub(super) no_show_fixes: bool,
    /// Exit 0 even when diagnostics remain.
    #[arg(short, long, conflicts_with = "exit_non_zero_on_fix")]
    pub(super) exit_zero: bool,
    /// Exit 1 when any fix was applied, even if nothing remains.
    #[arg(long)]
    pub(super) exit_non_zero_on_fix: bool,
    /// Apply fixes and report nothing that remains.
    #[arg(long, overrides_with = "no_fix_only")]
    pub(super) fix_only: bool,
    #[arg(long, overrides_with = "fix_only", hide = true)]
    pub(super) no_fix_only: bool,
    /// Re-check whenever a Python file or a configuration changes, clearing the screen first.
    #[arg(short, long)]
    pub(super) watch: bool,
    /// Write the diagnostics to this file instead of standard output (no colour).
    #[arg(short, long, env = "PYPARALLEL_OUTPUT_FILE")]
    pub(super) output_file: Option<PathBuf>,
    /// Rules to enable, replacing the configured set: codes, prefixes (PAR4), names, or ALL.
    #[arg(long, value_delimiter = ',', help_heading = "Rule selection")]
    pub(super) select: Option<Vec<String>>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',', help_heading = "Rule selection")]
    pub(super) ignore: Vec<String>,
    /// Rules to enable in addition to the configured set.
    #[arg(long, value_delimiter = ',', help_heading = "Rule selection")]
    pub(super) extend_select: Vec<String>,
    /// Like `--ignore` (Ruff's deprecated spelling).
    #[arg(long, value_delimiter = ',', hide = true)]
    pub(super) extend_ignore: Vec<String>,
    /// Paths (globs) never checked, replacing the configured `exclude`.
    #[arg(long, value_delimiter = ',', help_heading = "File selection")]
    pub(super) exclude: Option<Vec<String>>,
    /// More paths (globs) never checked, added to `exclude`.
    #[arg(long, value_delimiter = ',', help_heading = "File selection")]
    pub(super) extend_exclude: Vec<String>,
    /// Skip files ignored by `.gitignore` and the like (the default). `--no-respect-gitignore`
    /// checks them too.
    #[arg(
        long,
        overrides_with = "no_respect_gitignore",
        help_heading = "File selection"
    )]
    pub(super) respect_gitignore: bool,
    #[arg(long, overrides_with = "respect_gitignore", hide = true)]
    pub(super) no_respect_gitignore: bool,
    /// Apply `exclude` to paths named on the command line too (for pre-commit).
    #[arg(
        long,
        overrides_with = "no_force_exclude",
        help_heading = "File selection"
    )]
    pub(super) force_exclude: bool,
    #[arg(long, overrides_with = "force_exclude", hide = true)]
    pub(super) no_force_exclude: bool,
    /// The oldest Python the code must run on (`py38` .. `py314`), overriding the configuration.
    #[arg(long, value_parser = parse_target_version)]
    pub(super) target_version: Option<u8>,
    /// Report diagnostics whatever `# noqa` comments say.
    #[arg(long)]
    pub(super) ignore_noqa: bool,
    /// Print how many diagnostics each rule produced instead of the diagnostics.
    #[arg(long, conflicts_with_all = ["diff", "watch"])]
    pub(super) statistics: bool,
    /// A configuration file to use for every checked file, or a TOML `KEY = VALUE` option that
    /// overrides every configuration (e.g. `--config "ignore = ['PAR603']"`); may be repeated.
    #[arg(long, value_name = "CONFIG_OPTION")]
    pub(super) config: Vec<String>,
    /// Read no configuration file: the built-in defaults and the command line only.
    #[arg(long)]
    pub(super) isolated: bool,
    /// The file name to use for standard input (configuration, per-file-ignores, output); with
    /// it, standard input is read even without `-`.
    #[arg(long)]
    pub(super) stdin_filename: Option<PathBuf>,
    /// How to print diagnostics (default: full in a terminal, github under GitHub Actions).
    #[arg(long, value_enum, env = "PYPARALLEL_OUTPUT_FORMAT")]
    pub(super) output_format: Option<OutputFormat>,
    /// Add `# noqa: CODE` to every line with a diagnostic (an optional reason follows the codes:
    /// `--add-noqa="kept sequential"`).
    #[arg(
        long,
        value_name = "REASON",
        num_args = 0..=1,
        default_missing_value = "",
        require_equals = true,
        conflicts_with_all = ["fix", "diff", "fix_only", "watch", "statistics", "stdin_filename", "ignore_noqa", "show_files", "show_settings"],
    )]
    pub(super) add_noqa: Option<String>,
    /// List the files that would be checked, then stop.
    #[arg(long, conflicts_with_all = ["show_settings", "watch", "statistics", "stdin_filename"])]
    pub(super) show_files: bool,
    /// Print the settings used for the first file that would be checked, then stop.
    #[arg(long, conflicts_with_all = ["watch", "statistics", "stdin_filename"])]
    pub(super) show_settings: bool,
    /// Accepted for Ruff compatibility; pyparallel keeps no cache.
    #[arg(short = 'n', long, hide = true)]
    pub(super) no_cache: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub(super) threads: Option<usize>,
}

fn parse_target_version(text: &str) -> Result<u8, String> {
    crate::config::parse_target_version(text).ok_or_else(|| {
        format!(
            "expected one of py3{}..py3{}",
            crate::settings::MIN_TARGET_MINOR,
            crate::settings::MAX_TARGET_MINOR
        )
    })
}
