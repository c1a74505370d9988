//! The default terminal format: the source lines with the range underlined (annotate-snippets),
//! the severity and code, and the fix's help line.

use std::io::Write;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use ruff_text_size::TextRange;

use super::Message;
use crate::diagnostic::{Applicability, Severity};

pub fn write(
    messages: &[Message],
    color: bool,
    show_fix_diff: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for message in messages {
        let source = &message.source;
        // Show only the lines the diagnostic covers.
        let first = source.line_start(message.range.start());
        let last = source.line_end(message.range.end().max(message.range.start()));
        let window = TextRange::new(first, last.max(first));
        let text = source.slice(window);
        let span_start = usize::from(message.range.start() - first);
        let span_end =
            usize::from(message.range.end().min(last).max(message.range.start()) - first);
        let span_end = if span_end == span_start {
            // Point at one character even for an empty range.
            (span_start + text[span_start..].chars().next().map_or(0, char::len_utf8))
                .min(text.len())
        } else {
            span_end
        };
        let level = match message.severity() {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = if message.fixable {
            format!("[*] {}", message.message)
        } else {
            message.message.clone()
        };
        let code = message.code();
        let origin = message.location_path();
        let mut group = level.primary_title(title.as_str()).id(code).element(
            Snippet::source(text)
                .line_start(message.start.row)
                .path(origin.as_ref())
                .fold(false)
                .annotation(AnnotationKind::Primary.span(span_start..span_end)),
        );
        let help = message.fix.as_ref().map(|fix| match fix.applicability {
            Applicability::Safe => fix.message.clone(),
            Applicability::Unsafe if message.fixable => format!("{} (unsafe fix)", fix.message),
            Applicability::Unsafe => format!(
                "{} (unsafe fix: apply with --fix --unsafe-fixes)",
                fix.message
            ),
            Applicability::DisplayOnly => format!(
                "{} (suggestion only: not applied automatically)",
                fix.message
            ),
        });
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        writeln!(out, "{}", renderer.render(&[group]))?;
        if let Some(fix) = &message.fix {
            if !fix.edits.is_empty()
                && (show_fix_diff || fix.applicability == Applicability::DisplayOnly)
            {
                write_fix_diff(message, fix, color, out)?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// The fix as a unified diff of the lines it touches (one line of context).
fn write_fix_diff(
    message: &Message,
    fix: &super::FixView,
    color: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let old = message.source.text();
    let mut edits: Vec<&super::EditView> = fix.edits.iter().collect();
    edits.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    let mut new = String::with_capacity(old.len());
    let mut last = 0usize;
    for edit in edits {
        let (start, end) = (
            usize::from(edit.range.start()),
            usize::from(edit.range.end()),
        );
        if start < last {
            return Ok(());
        }
        new.push_str(&old[last..start]);
        new.push_str(&edit.content);
        last = end;
    }
    new.push_str(&old[last..]);
    let label = match fix.applicability {
        Applicability::Safe => "Safe fix",
        Applicability::Unsafe => "Unsafe fix",
        Applicability::DisplayOnly => "Suggested code (not applied)",
    };
    writeln!(out, "\n{label}:")?;
    let diff = similar::TextDiff::from_lines(old, new.as_str());
    for group in diff.grouped_ops(1) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let (sign, style) = match change.tag() {
                    similar::ChangeTag::Delete => ("-", "\x1b[31m"),
                    similar::ChangeTag::Insert => ("+", "\x1b[32m"),
                    similar::ChangeTag::Equal => (" ", ""),
                };
                let line = change.value().trim_end_matches(['\n', '\r']);
                if color && !style.is_empty() {
                    writeln!(out, "{style}{sign} {line}\x1b[0m")?;
                } else {
                    writeln!(out, "{sign} {line}")?;
                }
            }
        }
        writeln!(out, "  ...")?;
    }
    Ok(())
}
