//! Rendering diagnostics in every output format. Each format is one module; all of them read
//! the same resolved [`Message`]s.

mod concise;
mod fingerprint;
mod full;
mod github;
mod gitlab;
mod grouped;
mod json;
mod junit;
mod pylint;
mod rdjson;
mod sarif;
pub mod statistics;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use ruff_text_size::TextRange;

use crate::diagnostic::{Applicability, Severity};
use crate::rules::RuleSpec;
use crate::source::{Location, SourceText};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Full,
    Concise,
    Grouped,
    Json,
    JsonLines,
    Github,
    Gitlab,
    Pylint,
    Rdjson,
    Sarif,
    Junit,
}

impl OutputFormat {
    /// The formats for people, followed by the footer (`Found 3 diagnostics ...`).
    pub fn has_summary(self) -> bool {
        matches!(
            self,
            OutputFormat::Full | OutputFormat::Concise | OutputFormat::Grouped
        )
    }
}

/// An edit with its positions resolved.
#[derive(Debug, Clone)]
pub struct EditView {
    pub content: String,
    pub start: Location,
    pub end: Location,
    /// Byte range in the message's source, to render the fix as a diff.
    pub range: TextRange,
}

#[derive(Debug, Clone)]
pub struct FixView {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<EditView>,
}

/// One diagnostic or syntax error, ready to print.
#[derive(Debug, Clone)]
pub struct Message {
    /// `None` for a syntax error.
    pub rule: Option<&'static RuleSpec>,
    pub message: String,
    /// Absolute path.
    pub path: PathBuf,
    /// The path as shown to people (relative to the working folder when inside it).
    pub display_path: String,
    /// For a notebook: the 1-based cell; `start`, `end` and `noqa_row` are then rows in it.
    pub cell: Option<usize>,
    /// For a notebook: the rows of its JSON file holding the start and end (for annotations
    /// and code scanning, which point into the file as it is stored).
    pub file_rows: Option<(usize, usize)>,
    pub start: Location,
    pub end: Location,
    pub range: TextRange,
    pub fix: Option<FixView>,
    /// Whether `--fix` (with the current unsafe-fixes setting) would apply the fix.
    pub fixable: bool,
    pub noqa_row: usize,
    pub source: Arc<SourceText>,
}

impl Message {
    pub fn severity(&self) -> Severity {
        self.rule.map_or(Severity::Error, |rule| rule.severity)
    }

    /// `PAR401`, or `SyntaxError` for a file that does not parse.
    pub fn code(&self) -> &'static str {
        self.rule.map_or("SyntaxError", |rule| rule.code)
    }

    /// `path` or, in a notebook, `path:cell N` (what precedes `:row:col`).
    pub fn location_path(&self) -> std::borrow::Cow<'_, str> {
        match self.cell {
            Some(cell) => format!("{}:cell {cell}", self.display_path).into(),
            None => self.display_path.as_str().into(),
        }
    }

    /// `unpicklable-callable`, or `invalid-syntax` (Ruff's name) for a syntax error.
    pub fn name(&self) -> &'static str {
        self.rule.map_or("invalid-syntax", |rule| rule.name)
    }
}

/// Writes `messages` (sorted by file, then position) in `format`.
/// `show_fix_diff`: in `full` output, print every fix as a diff (display-only suggestions are
/// always printed: nothing else shows their code).
pub fn write_messages(
    format: OutputFormat,
    messages: &[Message],
    color: bool,
    show_fix_diff: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Full => full::write(messages, color, show_fix_diff, out),
        OutputFormat::Concise => concise::write(messages, color, out),
        OutputFormat::Grouped => grouped::write(messages, color, out),
        OutputFormat::Gitlab => gitlab::write(messages, out),
        OutputFormat::Pylint => pylint::write(messages, out),
        OutputFormat::Rdjson => rdjson::write(messages, out),
        OutputFormat::Json => json::write(messages, out),
        OutputFormat::JsonLines => json::write_lines(messages, out),
        OutputFormat::Github => github::write(messages, out),
        OutputFormat::Sarif => sarif::write(messages, out),
        OutputFormat::Junit => junit::write(messages, out),
    }
}

/// Counts for the footer printed after `full` and `concise` output.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    pub remaining: usize,
    pub errors: usize,
    pub warnings: usize,
    pub fixed: usize,
    /// Fixes `--fix` would apply now.
    pub fixable: usize,
    /// Unsafe fixes that need `--unsafe-fixes`.
    pub hidden_unsafe: usize,
}

pub fn write_summary(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    if summary.remaining == 0 && summary.fixed == 0 {
        return writeln!(out, "All checks passed!");
    }
    if summary.fixed > 0 {
        writeln!(
            out,
            "Found {} ({} fixed, {} remaining).",
            plural(summary.remaining + summary.fixed, "diagnostic"),
            summary.fixed,
            summary.remaining
        )?;
    } else {
        writeln!(
            out,
            "Found {} ({}, {}).",
            plural(summary.remaining, "diagnostic"),
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning")
        )?;
    }
    match (summary.fixable, summary.hidden_unsafe) {
        (0, 0) => Ok(()),
        (0, hidden) => writeln!(out, "{hidden} fixable with --fix --unsafe-fixes."),
        (fixable, 0) => writeln!(out, "[*] {fixable} fixable with --fix"),
        (fixable, hidden) => {
            writeln!(
                out,
                "[*] {fixable} fixable with --fix ({hidden} more with --unsafe-fixes)"
            )
        }
    }
}
