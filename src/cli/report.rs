//! Printing a run's results in the chosen format, the footer, warnings and errors, and the
//! exit code.

use std::io::Write;

use super::args::{CheckArgs, LogLevel};
use super::check_file::{display_path, FileReport, FixMode};
use super::terminal::Log;
use super::{EXIT_DIAGNOSTICS, EXIT_ERROR, EXIT_OK};
use crate::diagnostic::Severity;
use crate::output::{statistics, write_messages, write_summary, Message, OutputFormat, Summary};

/// How a run's results are shown.
pub(super) struct Presentation<'a> {
    pub(super) args: &'a CheckArgs,
    pub(super) format: OutputFormat,
    pub(super) color: bool,
    pub(super) mode: FixMode,
    /// The run read standard input.
    pub(super) stdin: bool,
    pub(super) log: Log,
}

/// Prints the results to `out` (the fixed text of standard input goes to standard output, the
/// diagnostics then to standard error); warnings and errors go to standard error. `watching`:
/// a watch-mode run, headed by Ruff's "Watching for file changes." line instead of the footer.
/// Returns the exit code.
pub(super) fn report(
    presentation: &Presentation,
    mut reports: Vec<FileReport>,
    mut errors: Vec<String>,
    out: &mut dyn Write,
    watching: bool,
) -> u8 {
    let Presentation {
        args,
        format,
        color,
        mode,
        stdin,
        log,
    } = *presentation;
    let quiet = log.level < LogLevel::Default;
    let silent = log.level == LogLevel::Silent;
    reports.sort_by(|a, b| a.path.cmp(&b.path));
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
            let _ = std::io::stdout().lock().write_all(text);
        }
    }
    let mut sink = std::io::sink();
    let mut diag_out: Box<dyn Write> = if silent {
        Box::new(&mut sink)
    } else if stdin_fix {
        Box::new(std::io::stderr())
    } else {
        Box::new(&mut *out)
    };
    if watching {
        let n = messages.len();
        let noun = if n == 1 { "diagnostic" } else { "diagnostics" };
        let _ = writeln!(diag_out, "Found {n} {noun}. Watching for file changes.");
        if n > 0 {
            let _ = writeln!(diag_out);
        }
    }

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
    } else if !args.fix_only || args.no_fix_only {
        let show_fix_diff = args.show_fixes && !args.no_show_fixes && !mode.apply;
        let _ = write_messages(format, &messages, color, show_fix_diff, &mut diag_out);
    }

    let human = format.has_summary();
    let diagnostics = |n: usize| if n == 1 { "diagnostic" } else { "diagnostics" };
    if args.show_fixes && !args.no_show_fixes && fixed_total > 0 && human && !silent {
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
    } else if mode.diff && !quiet && human && fixed_total > 0 {
        eprintln!("Would fix {fixed_total} {}.", diagnostics(fixed_total));
    }
    if !quiet && !watching && human && !args.statistics && !mode.diff {
        if args.fix_only && !args.no_fix_only {
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
        log.warn(warning);
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
    if (!args.fix_only || args.no_fix_only) && failing > 0 {
        return EXIT_DIAGNOSTICS;
    }
    EXIT_OK
}
