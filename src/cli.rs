//! The command line: `pyparallel check`, `pyparallel rule`.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::config::ConfigResolver;
use crate::diagnostic::{Applicability, Severity};
use crate::discovery::{discover, DiscoveryError};
use crate::fix::{fix_cells, is_applicable, FixOutcome};
use crate::fs::{absolute, decode_source, write_atomic};
use crate::linter::{lint_cells, LintOutput};
use crate::notebook::{is_notebook, Notebook};
use crate::output::{
    statistics, write_messages, write_summary, EditView, FixView, Message, OutputFormat, Summary,
};
use crate::rules::{self, RULES};
use crate::settings::{Overrides, Settings};
use crate::source::Location;
use ruff_text_size::TextSize;

#[derive(Debug, Parser)]
#[command(
    name = "pyparallel",
    version,
    about = "Finds where Python code should run in parallel and where its parallelism is broken, and fixes it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Python files (default: the current folder).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// Write the generated documentation pages into a folder (default: docs).
    #[command(hide = true)]
    GenerateDocs { folder: Option<PathBuf> },
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// A rule code (PAR401) or name (unpicklable-callable).
    #[arg(required_unless_present = "all")]
    rule: Option<String>,
    /// Print every rule's documentation.
    #[arg(long, conflicts_with = "rule")]
    all: bool,
}

#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)]
// A flag given twice (a pre-commit hook's `--fix` plus the user's `args: [--fix]`) is not an
// error; list options (`--select`, `--ignore` ...) still accumulate.
#[command(args_override_self = true)]
struct CheckArgs {
    /// Files or folders to check; `-` reads standard input.
    paths: Vec<PathBuf>,
    /// Apply safe fixes.
    #[arg(long, overrides_with = "no_fix")]
    fix: bool,
    #[arg(long, overrides_with = "fix", hide = true)]
    no_fix: bool,
    /// Also apply unsafe fixes (and count them as fixable).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    unsafe_fixes: bool,
    #[arg(long, overrides_with = "unsafe_fixes", hide = true)]
    no_unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there are changes).
    #[arg(long)]
    diff: bool,
    /// List the fixes that were applied, per file.
    #[arg(long)]
    show_fixes: bool,
    /// Exit 0 even when diagnostics remain.
    #[arg(long)]
    exit_zero: bool,
    /// Exit 1 when any fix was applied, even if nothing remains.
    #[arg(long)]
    exit_non_zero_on_fix: bool,
    /// Apply fixes and report nothing that remains.
    #[arg(long)]
    fix_only: bool,
    /// Rules to enable, replacing the configured set: codes, prefixes (PAR4), names, or ALL.
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Rules to enable in addition to the configured set.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Print how many diagnostics each rule produced instead of the diagnostics.
    #[arg(long)]
    statistics: bool,
    /// Use this configuration file for every checked file.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Apply `exclude` to paths named on the command line too (for pre-commit).
    #[arg(long)]
    force_exclude: bool,
    /// Print diagnostics only: no summary.
    #[arg(short, long)]
    quiet: bool,
    /// The file name to use for standard input (configuration, per-file-ignores, output).
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// How to print diagnostics (default: full in a terminal, github under GitHub Actions).
    #[arg(long, value_enum)]
    output_format: Option<OutputFormat>,
    /// Accepted for Ruff compatibility; pyparallel keeps no cache.
    #[arg(long, hide = true)]
    no_cache: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// Exit codes (DESIGN.md).
const EXIT_OK: u8 = 0;
const EXIT_DIAGNOSTICS: u8 = 1;
const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Rule(args) => rule(args),
        Command::GenerateDocs { folder } => {
            generate_docs(folder.unwrap_or_else(|| PathBuf::from("docs")))
        }
    };
    ExitCode::from(code)
}

fn rule(args: RuleArgs) -> u8 {
    let stdout = std::io::stdout();
    // Rendered in a terminal; markdown (as in docs/rules/) when piped or under NO_COLOR.
    let styled = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let show = |page: String| {
        if styled {
            crate::docs::render_terminal(&page)
        } else {
            page
        }
    };
    let mut out = stdout.lock();
    if args.all {
        let pages: Vec<String> = RULES
            .iter()
            .map(|rule| crate::docs::rule_page(rule))
            .collect();
        let _ = write!(out, "{}", show(pages.join("\n---\n\n")));
        return EXIT_OK;
    }
    let selector = args.rule.unwrap_or_default();
    match rules::find(&selector) {
        Some(rule) => {
            let _ = write!(out, "{}", show(crate::docs::rule_page(rule)));
            EXIT_OK
        }
        None => {
            eprintln!(
                "error: unknown rule `{selector}`; known rules: {}",
                RULES.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
            );
            EXIT_ERROR
        }
    }
}

fn generate_docs(folder: PathBuf) -> u8 {
    for (path, contents) in crate::docs::generated_files() {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(error) = std::fs::write(&target, contents) {
            eprintln!("error: {}: {error}", target.display());
            return EXIT_ERROR;
        }
    }
    EXIT_OK
}

/// Thread-local record of the last panic, so the run can report it with the file and rule.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{payload}{location}")));
    }));
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// How the run treats fixes.
#[derive(Debug, Clone, Copy)]
struct FixMode {
    /// Apply fixes (to files, or to stdin's output).
    apply: bool,
    /// Print a diff instead of writing.
    diff: bool,
    unsafe_fixes_flag: Option<bool>,
    /// Work out what `--fix` would apply, for the footer (a check whose footer is shown).
    count_fixes: bool,
}

impl FixMode {
    fn threshold(self, settings: &Settings) -> Applicability {
        let unsafe_fixes = self.unsafe_fixes_flag.unwrap_or(settings.unsafe_fixes);
        if unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// The result of one file.
struct FileReport {
    path: PathBuf,
    messages: Vec<Message>,
    fail_on: Severity,
    fixed: Vec<(&'static rules::RuleSpec, usize)>,
    diff: Option<String>,
    errors: Vec<String>,
    /// `noqa` comments that suppress nothing their author meant (unknown codes, no codes).
    warnings: Vec<String>,
    /// The fixed text (with its BOM), for stdin under `--fix`.
    fixed_text: Option<Vec<u8>>,
    /// What `--fix` would apply (counted when the footer is shown).
    would_fix: WouldFix,
}

/// How many fixes `--fix` would apply to a file, and how many more `--unsafe-fixes` would add:
/// found by running the fix passes in memory, so the footer's promise is what `--fix` then
/// reports (fixes that only become possible after another fix, or that another fix makes moot,
/// are counted as `--fix` counts them).
#[derive(Debug, Default, Clone, Copy)]
struct WouldFix {
    now: usize,
    more_with_unsafe: usize,
}

fn check(args: CheckArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let unsafe_fixes_flag = if args.unsafe_fixes {
        Some(true)
    } else if args.no_unsafe_fixes {
        Some(false)
    } else {
        None
    };
    let overrides = Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extend_select: args.extend_select.clone(),
        force_exclude: args.force_exclude.then_some(true),
        unsafe_fixes: unsafe_fixes_flag,
    };
    let resolver = match ConfigResolver::new(args.config.as_deref(), overrides, &cwd) {
        Ok(resolver) => Arc::new(resolver),
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_ERROR;
        }
    };
    let format = args.output_format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            OutputFormat::Github
        } else {
            OutputFormat::Full
        }
    });
    let apply = (args.fix && !args.no_fix) || args.fix_only || args.diff;
    let mode = FixMode {
        apply,
        diff: args.diff,
        unsafe_fixes_flag,
        count_fixes: !apply && !args.quiet && !args.statistics && format.has_summary(),
    };
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        // Deeply nested code recurses deeply in the parser and the walk.
        .stack_size(256 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: cannot start worker threads: {error}");
            return EXIT_ERROR;
        }
    };

    let stdin = reads_stdin(&args.paths, args.stdin_filename.as_deref());
    let mut errors: Vec<String> = Vec::new();
    let reports: Vec<FileReport> = if stdin {
        let mut bytes = Vec::new();
        if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
            eprintln!("error: cannot read standard input: {error}");
            return EXIT_ERROR;
        }
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let path = absolute(&name, &cwd);
        let settings = match resolver.settings_for_file(&path) {
            Ok(settings) => settings,
            Err(error) => {
                eprintln!("error: {error}");
                return EXIT_ERROR;
            }
        };
        if args.stdin_filename.is_some() && settings.force_exclude && settings.is_excluded(&path) {
            if mode.apply && !mode.diff {
                let _ = std::io::stdout().write_all(&bytes);
            }
            return EXIT_OK;
        }
        let display = display_path(&name, &cwd);
        let mut report =
            pool.install(|| check_bytes(Ok(bytes.clone()), &path, display, &settings, mode, true));
        if mode.apply && !mode.diff && report.fixed_text.is_none() {
            // Whatever went wrong, an editor piping its buffer through `--fix` gets it back.
            report.fixed_text = Some(bytes);
        }
        vec![report]
    } else {
        let paths: Vec<PathBuf> = if args.paths.is_empty() {
            vec![cwd.clone()]
        } else {
            args.paths.iter().map(|p| absolute(p, &cwd)).collect()
        };
        let discovered = discover(&paths, &resolver);
        if discovered.files.is_empty() && discovered.errors.is_empty() {
            // As Ruff: most likely a mistyped path or an over-broad exclude.
            eprintln!("warning: No Python files found under the given path(s)");
        }
        for error in discovered.errors {
            errors.push(match error {
                DiscoveryError::Config(error) => error.to_string(),
                DiscoveryError::Path { path, message } => {
                    format!("{}: {message}", display_path(&path, &cwd))
                }
            });
        }
        pool.install(|| {
            discovered
                .files
                .par_iter()
                .map(|candidate| {
                    let display = display_path(&candidate.path, &cwd);
                    let bytes = std::fs::read(&candidate.path);
                    check_bytes(
                        bytes,
                        &candidate.path,
                        display,
                        &candidate.settings,
                        mode,
                        false,
                    )
                })
                .collect()
        })
    };

    report(&args, format, color, mode, stdin, reports, errors)
}

/// Whether `check` reads standard input: for `-` alone, and (as in Ruff, whose editor
/// integrations rely on it) whenever `--stdin-filename` is given; other paths are then ignored
/// with a warning.
fn reads_stdin(paths: &[PathBuf], stdin_filename: Option<&Path>) -> bool {
    if stdin_filename.is_some() {
        if let Some(path) = paths.iter().find(|path| *path != Path::new("-")) {
            eprintln!(
                "warning: Ignoring file {} in favor of standard input.",
                path.display()
            );
        }
        return true;
    }
    matches!(paths, [only] if only == Path::new("-"))
}

/// Reads, checks and (in fix mode) fixes one file, catching any panic inside.
fn check_bytes(
    bytes: std::io::Result<Vec<u8>>,
    path: &Path,
    display: String,
    settings: &Arc<Settings>,
    mode: FixMode,
    stdin: bool,
) -> FileReport {
    let mut report = FileReport {
        path: path.to_path_buf(),
        messages: Vec::new(),
        fail_on: settings.fail_on,
        fixed: Vec::new(),
        diff: None,
        errors: Vec::new(),
        warnings: Vec::new(),
        fixed_text: None,
        would_fix: WouldFix::default(),
    };
    let mut file = match bytes
        .map_err(crate::fs::ReadError::Io)
        .and_then(decode_source)
    {
        Ok(file) => file,
        Err(error) => {
            report.errors.push(format!("{display}: {error}"));
            return report;
        }
    };
    // A notebook is checked as its code cells joined into one module.
    let notebook = if is_notebook(path) {
        match Notebook::parse(file.text.clone()) {
            Ok(notebook) => Some(notebook),
            Err(error) => {
                report.errors.push(format!("{display}: {error}"));
                return report;
            }
        }
    } else {
        None
    };
    // A check without fixes needs the text of a plain file only for linting it: move it there
    // instead of copying it.
    let check_only_text =
        (!mode.apply && notebook.is_none()).then(|| std::mem::take(&mut file.text));
    let original = || match &notebook {
        Some(notebook) => {
            let (text, cells) = notebook.joined();
            (text, Some(cells))
        }
        None => (file.text.clone(), None),
    };
    let threshold = mode.threshold(settings);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (text, cells) = match check_only_text {
            Some(text) => (text, None),
            None => original(),
        };
        if mode.apply {
            (fix_cells(text, path, settings, threshold, cells), None)
        } else {
            let output = lint_cells(text, path, settings, cells);
            let would_fix = mode
                .count_fixes
                .then(|| would_fix(&output, path, settings, threshold));
            let outcome = FixOutcome {
                output,
                applied: Vec::new(),
                rejected: Vec::new(),
            };
            (outcome, would_fix)
        }
    }));
    let outcome = match outcome {
        Ok((outcome, would_fix)) => {
            report.would_fix = would_fix.unwrap_or_default();
            outcome
        }
        Err(_) => {
            let rule = crate::checker::current_rule()
                .map(|code| format!(" in rule {code}"))
                .unwrap_or_default();
            crate::checker::clear_current_rule();
            let detail = LAST_PANIC
                .with(|last| last.borrow_mut().take())
                .unwrap_or_default();
            report.errors.push(format!(
                "{display}: internal error{rule}: {detail}; the file was not changed (this is a bug in pyparallel, please report it)"
            ));
            return report;
        }
    };
    report.warnings = noqa_warning_lines(&outcome.output, &display);
    for rejected in &outcome.rejected {
        report.errors.push(format!(
            "{display}: the fix for {} ({}) would produce invalid syntax and was not applied: {}",
            rejected.rule.code, rejected.rule.name, rejected.message
        ));
    }
    // The file's new contents: the fixed text, or for a notebook its JSON with the changed
    // cells' sources replaced.
    let fixed_text = outcome.output.source.text();
    let new_text: std::borrow::Cow<str> = match (&notebook, &outcome.output.cells) {
        (Some(notebook), Some(cells)) if mode.apply && outcome.fixed_count() > 0 => {
            let rewritten = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                notebook.rewrite(fixed_text, cells)
            }));
            match rewritten {
                Ok(text) => text.into(),
                Err(_) => {
                    let detail = LAST_PANIC
                        .with(|last| last.borrow_mut().take())
                        .unwrap_or_default();
                    report.errors.push(format!(
                        "{display}: internal error writing the notebook back: {detail}; the file was not changed (this is a bug in pyparallel, please report it)"
                    ));
                    return report;
                }
            }
        }
        (Some(_), _) => file.text.as_str().into(),
        (None, _) => fixed_text.into(),
    };
    if mode.apply && outcome.fixed_count() > 0 && new_text != file.text {
        if mode.diff {
            report.diff = Some(match (&notebook, &outcome.output.cells) {
                (Some(notebook), Some(cells)) => notebook
                    .changed_cells(fixed_text, cells)
                    .into_iter()
                    .map(|(number, old, new)| {
                        unified_diff(old, new, &format!("{display}:cell {number}"))
                    })
                    .collect(),
                _ => unified_diff(&file.text, &new_text, &display),
            });
        } else if stdin {
            // Standard input: the caller prints the fixed text.
        } else if let Err(error) = crate::encoding::encode(&new_text, &file)
            .map_err(|error| error.to_string())
            .and_then(|bytes| write_atomic(path, &bytes).map_err(|error| error.to_string()))
        {
            report.errors.push(format!(
                "{display}: cannot write the fixed file: {error}; the file was left unchanged"
            ));
            let (text, cells) = original();
            report.messages = messages_for(
                lint_cells(text, path, settings, cells),
                path,
                &display,
                threshold,
                notebook.as_ref(),
            );
            return report;
        }
        report.fixed = outcome.applied.clone();
    }
    if stdin && mode.apply && !mode.diff {
        match crate::encoding::encode(&new_text, &file) {
            Ok(bytes) => report.fixed_text = Some(bytes),
            Err(error) => report.errors.push(format!(
                "{display}: cannot write the fixed text: {error}; the input is echoed unchanged"
            )),
        }
    }
    report.messages = messages_for(outcome.output, path, &display, threshold, notebook.as_ref());
    report
}

/// What `--fix` (and `--fix --unsafe-fixes`) would apply to the checked text, by running the
/// fix passes in memory. Only files with an applicable fix pay for it.
fn would_fix(
    output: &LintOutput,
    path: &Path,
    settings: &Settings,
    threshold: Applicability,
) -> WouldFix {
    let any_applicable = |threshold| {
        output.diagnostics.iter().any(|diagnostic| {
            diagnostic
                .fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, threshold))
        })
    };
    if !any_applicable(Applicability::Unsafe) {
        return WouldFix::default();
    }
    let count = |threshold| {
        let text = output.source.text().to_string();
        fix_cells(text, path, settings, threshold, output.cells.clone()).fixed_count()
    };
    let with_unsafe = count(Applicability::Unsafe);
    if threshold == Applicability::Unsafe {
        return WouldFix {
            now: with_unsafe,
            more_with_unsafe: 0,
        };
    }
    // Without a safe fix to start from, `--fix` applies nothing.
    let now = if any_applicable(Applicability::Safe) {
        count(Applicability::Safe)
    } else {
        0
    };
    WouldFix {
        now,
        more_with_unsafe: with_unsafe.saturating_sub(now),
    }
}

/// The `noqa` warnings of a lint result, each naming `path:row` (`path:cell N:row` in a
/// notebook).
fn noqa_warning_lines(output: &LintOutput, display: &str) -> Vec<String> {
    output
        .noqa_warnings
        .iter()
        .map(|warning| {
            let location = match &output.cells {
                Some(cells) => {
                    let (cell, location) = cells.locate(&output.source, warning.offset);
                    format!("{display}:cell {cell}:{}", location.row)
                }
                None => format!("{display}:{}", output.source.row(warning.offset)),
            };
            warning.describe(&location)
        })
        .collect()
}

/// Resolves a lint result into printable messages.
fn messages_for(
    output: LintOutput,
    path: &Path,
    display: &str,
    threshold: Applicability,
    notebook: Option<&Notebook>,
) -> Vec<Message> {
    if output.diagnostics.is_empty() && output.syntax_errors.is_empty() {
        return Vec::new();
    }
    let source = Arc::new(output.source);
    let cells = output.cells;
    // (cell, location in the cell) for a notebook; (None, location in the file) otherwise.
    let locate = |offset: TextSize| match &cells {
        Some(cells) => {
            let (cell, location) = cells.locate(&source, offset);
            (Some(cell), location)
        }
        None => (None, source.location(offset)),
    };
    let file_rows = |cell: Option<usize>, start: Location, end: Location| {
        let (Some(cell), Some(notebook)) = (cell, notebook) else {
            return None;
        };
        let first = notebook.file_row(cell, start.row)?;
        Some((first, notebook.file_row(cell, end.row).unwrap_or(first)))
    };
    let mut messages = Vec::with_capacity(output.diagnostics.len() + output.syntax_errors.len());
    for error in &output.syntax_errors {
        let (cell, start) = locate(error.range.start());
        let (_, end) = locate(error.range.end());
        messages.push(Message {
            rule: None,
            message: error.message.clone(),
            path: path.to_path_buf(),
            display_path: display.to_string(),
            cell,
            file_rows: file_rows(cell, start, end),
            start,
            end,
            range: error.range,
            fix: None,
            fixable: false,
            noqa_row: start.row,
            source: source.clone(),
        });
    }
    for diagnostic in &output.diagnostics {
        let (cell, start) = locate(diagnostic.range.start());
        let (_, end) = locate(diagnostic.range.end());
        let fix = diagnostic.fix.as_ref().map(|fix| FixView {
            applicability: fix.applicability,
            message: fix.message.clone(),
            edits: fix
                .edits
                .iter()
                .map(|edit| EditView {
                    content: edit.content.clone(),
                    start: locate(edit.range.start()).1,
                    end: locate(edit.range.end()).1,
                    range: edit.range,
                })
                .collect(),
        });
        messages.push(Message {
            rule: Some(diagnostic.rule),
            message: diagnostic.message.clone(),
            path: path.to_path_buf(),
            display_path: display.to_string(),
            cell,
            file_rows: file_rows(cell, start, end),
            start,
            end,
            range: diagnostic.range,
            fixable: diagnostic
                .fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, threshold)),
            fix,
            noqa_row: start.row,
            source: source.clone(),
        });
    }
    messages.sort_by_key(|m| (m.cell, m.start, m.end));
    messages
}

fn display_path(path: &Path, cwd: &Path) -> String {
    if path == Path::new("-") {
        return "-".to_string();
    }
    let absolute = absolute(path, cwd);
    absolute
        .strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or(absolute)
        .to_string_lossy()
        .into_owned()
}

fn unified_diff(old: &str, new: &str, display: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&diff_label("a", display), &diff_label("b", display))
        .to_string()
}

/// `a/path` for a path relative to the working folder (as git writes it), the path itself when
/// it is absolute.
fn diff_label(side: &str, display: &str) -> String {
    if Path::new(display).is_absolute() {
        display.to_string()
    } else {
        format!("{side}/{display}")
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    args: &CheckArgs,
    format: OutputFormat,
    color: bool,
    mode: FixMode,
    stdin: bool,
    mut reports: Vec<FileReport>,
    mut errors: Vec<String>,
) -> u8 {
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut fixed_total = 0;
    let mut any_change = false;
    let mut failing = 0;
    let mut messages: Vec<Message> = Vec::new();
    for report in &mut reports {
        errors.append(&mut report.errors);
        fixed_total += report.fixed.iter().map(|(_, n)| n).sum::<usize>();
        any_change |= report.diff.is_some() || !report.fixed.is_empty();
        failing += report
            .messages
            .iter()
            .filter(|m| m.severity() >= report.fail_on)
            .count();
        messages.append(&mut report.messages);
    }

    // Stdin under --fix: the fixed source goes to stdout, diagnostics to stderr.
    let stdin_fix = stdin && mode.apply && !mode.diff;
    if stdin_fix {
        if let Some(text) = reports.first().and_then(|r| r.fixed_text.as_deref()) {
            let _ = out.write_all(text);
        }
    }
    let mut diag_out: Box<dyn Write> = if stdin_fix {
        Box::new(std::io::stderr())
    } else {
        Box::new(&mut out)
    };

    if mode.diff {
        for report in &reports {
            if let Some(diff) = &report.diff {
                let _ = write!(diag_out, "{diff}");
            }
        }
    } else if args.statistics {
        let _ = statistics::write(
            &messages,
            matches!(format, OutputFormat::Json | OutputFormat::JsonLines),
            &mut diag_out,
        );
    } else if !args.fix_only {
        let show_fix_diff = args.show_fixes && !mode.apply;
        let _ = write_messages(format, &messages, color, show_fix_diff, &mut diag_out);
    }

    let human = format.has_summary();
    let diagnostics = |n: usize| if n == 1 { "diagnostic" } else { "diagnostics" };
    if args.show_fixes && fixed_total > 0 && human {
        // Under --diff nothing was written: say what would be fixed, on stderr, so that the diff
        // on stdout stays a clean patch.
        let mut stderr = std::io::stderr();
        let (target, header): (&mut dyn Write, String) = if mode.diff {
            (
                &mut stderr,
                format!("Would fix {fixed_total} {}:", diagnostics(fixed_total)),
            )
        } else {
            (
                &mut *diag_out,
                format!("\nFixed {fixed_total} {}:", diagnostics(fixed_total)),
            )
        };
        let _ = writeln!(target, "{header}");
        let cwd = std::env::current_dir().unwrap_or_default();
        for report in &reports {
            if report.fixed.is_empty() {
                continue;
            }
            let _ = writeln!(target, "- {}:", display_path(&report.path, &cwd));
            for (rule, count) in &report.fixed {
                let _ = writeln!(target, "    {count} × {} ({})", rule.code, rule.name);
            }
        }
    } else if mode.diff && !args.quiet && human && fixed_total > 0 {
        eprintln!("Would fix {fixed_total} {}.", diagnostics(fixed_total));
    }
    if !args.quiet && human && !args.statistics && !mode.diff {
        if args.fix_only {
            let _ = writeln!(
                diag_out,
                "Fixed {fixed_total} {}.",
                diagnostics(fixed_total)
            );
        } else if messages.is_empty() && fixed_total == 0 && !errors.is_empty() {
            // Not "All checks passed!": some files could not be checked (the errors follow).
        } else {
            let summary = Summary {
                remaining: messages.len(),
                errors: messages
                    .iter()
                    .filter(|m| m.severity() == Severity::Error)
                    .count(),
                warnings: messages
                    .iter()
                    .filter(|m| m.severity() == Severity::Warning)
                    .count(),
                fixed: fixed_total,
                fixable: reports.iter().map(|r| r.would_fix.now).sum(),
                hidden_unsafe: reports.iter().map(|r| r.would_fix.more_with_unsafe).sum(),
            };
            let _ = write_summary(&summary, &mut diag_out);
        }
    }
    drop(diag_out);
    let _ = out.flush();
    for warning in reports.iter().flat_map(|report| &report.warnings) {
        eprintln!("warning: {warning}");
    }
    for error in &errors {
        eprintln!("error: {error}");
    }

    if !errors.is_empty() {
        return EXIT_ERROR;
    }
    if args.exit_zero {
        return EXIT_OK;
    }
    if mode.diff {
        return if any_change {
            EXIT_DIAGNOSTICS
        } else {
            EXIT_OK
        };
    }
    if args.exit_non_zero_on_fix && fixed_total > 0 {
        return EXIT_DIAGNOSTICS;
    }
    if !args.fix_only && failing > 0 {
        return EXIT_DIAGNOSTICS;
    }
    EXIT_OK
}
