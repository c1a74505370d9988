//! Checking one file (or standard input): read, decode, lint or fix, and resolve what is
//! found into printable messages, catching any panic inside.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ruff_text_size::TextSize;

use super::LAST_PANIC;
use crate::diagnostic::{Applicability, Severity};
use crate::fix::{fix_cells, is_applicable, FixOutcome};
use crate::fs::{absolute, decode_source, write_atomic};
use crate::linter::{lint_cells, LintOutput};
use crate::notebook::{is_notebook, Notebook};
use crate::output::{EditView, FixView, Message};
use crate::rules;
use crate::settings::Settings;
use crate::source::Location;

/// How the run treats fixes.
#[derive(Debug, Clone, Copy)]
pub(super) struct FixMode {
    /// Apply fixes (to files, or to stdin's output).
    pub(super) apply: bool,
    /// Print a diff instead of writing.
    pub(super) diff: bool,
    pub(super) unsafe_fixes_flag: Option<bool>,
    /// Work out what `--fix` would apply, for the footer (a check whose footer is shown).
    pub(super) count_fixes: bool,
}

impl FixMode {
    pub(super) fn threshold(self, settings: &Settings) -> Applicability {
        let unsafe_fixes = self.unsafe_fixes_flag.unwrap_or(settings.unsafe_fixes);
        if unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }
}

/// The result of one file.
pub(super) struct FileReport {
    pub(super) path: PathBuf,
    pub(super) messages: Vec<Message>,
    pub(super) fail_on: Severity,
    pub(super) fixed: Vec<(&'static rules::RuleSpec, usize)>,
    pub(super) diff: Option<String>,
    pub(super) errors: Vec<String>,
    /// `noqa` comments that suppress nothing their author meant (unknown codes, no codes).
    pub(super) warnings: Vec<String>,
    /// The fixed text (with its BOM), for stdin under `--fix`.
    pub(super) fixed_text: Option<Vec<u8>>,
    /// What `--fix` would apply (counted when the footer is shown).
    pub(super) would_fix: WouldFix,
    /// How long the file took (for `-v`).
    pub(super) elapsed: std::time::Duration,
}

/// How many fixes `--fix` would apply to a file, and how many more `--unsafe-fixes` would add:
/// found by running the fix passes in memory, so the footer's promise is what `--fix` then
/// reports (fixes that only become possible after another fix, or that another fix makes moot,
/// are counted as `--fix` counts them).
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct WouldFix {
    pub(super) now: usize,
    pub(super) more_with_unsafe: usize,
}

/// Reads, checks and (in fix mode) fixes one file, catching any panic inside.
pub(super) fn check_bytes(
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
        elapsed: std::time::Duration::ZERO,
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

pub(super) fn display_path(path: &Path, cwd: &Path) -> String {
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
