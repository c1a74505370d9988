//! Code actions: a quick fix per diagnostic (unsafe fixes marked, and offered only when the
//! editor's `unsafeFixes` setting or the configuration allows them), "Disable PARxxx for this
//! line" (adds or extends a `# noqa`), and `source.fixAll.pyparallel`, which applies every safe
//! fix the way `pyparallel check --fix` does (in passes, re-checked, never leaving broken
//! syntax).

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::{TextRange, TextSize};

use super::diagnostics::{convert, Checked};
use super::documents::{Document, Encoding};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::fix::{fix_text, is_applicable};
use crate::linter::source_type;
use crate::noqa::noqa_edit;

/// `source.fixAll.pyparallel`: clients ask for it by kind (e.g. on save).
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.pyparallel")
}

/// What a code action request needs to know about the document and the editor.
pub struct Request<'a> {
    pub uri: &'a Url,
    pub path: &'a Path,
    pub document: &'a Document,
    pub checked: &'a Checked,
    pub encoding: Encoding,
    /// Whether unsafe fixes are offered.
    pub unsafe_fixes: bool,
}

/// The actions for `range` of the document, restricted to the kinds in `only` (all when
/// `None`).
pub fn code_actions(
    request: &Request,
    range: Range,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter().any(|prefix| {
                let (prefix, kind) = (prefix.as_str(), kind.as_str());
                kind == prefix || kind.starts_with(&format!("{prefix}."))
            })
        })
    };
    let document = request.document;
    let output = &request.checked.output;
    // Whole lines: an editor asks at the cursor, which is rarely inside the diagnostic's
    // range itself; every diagnostic on the cursor's line is meant.
    let range = document.text_range(range, request.encoding);
    let source = &output.source;
    let range = TextRange::new(
        source.line_start(range.start()),
        source.line_end(range.end()),
    );
    let threshold = if request.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mut actions = Vec::new();
    let here: Vec<&Diagnostic> = output
        .diagnostics
        .iter()
        .filter(|diagnostic| touches(diagnostic.range, range))
        .collect();
    if wanted(&CodeActionKind::QUICKFIX) {
        for diagnostic in &here {
            let Some(fix) = &diagnostic.fix else { continue };
            if !is_applicable(fix, threshold) {
                continue;
            }
            let safe = fix.applicability == Applicability::Safe;
            let title = if safe {
                format!("{} ({})", fix.message, diagnostic.rule.code)
            } else {
                format!("{} ({}, unsafe fix)", fix.message, diagnostic.rule.code)
            };
            let edits = fix
                .edits
                .iter()
                .map(|edit| {
                    TextEdit::new(
                        document.range(edit.range, request.encoding),
                        edit.content.clone(),
                    )
                })
                .collect();
            actions.push(action(
                title,
                CodeActionKind::QUICKFIX,
                request,
                edits,
                Some(diagnostic),
                safe,
            ));
        }
        actions.extend(disable_actions(request, &here));
    }
    let kind = fix_all_kind();
    if wanted(&kind) && (only.is_some() || has_safe_fix(&output.diagnostics)) {
        if let Some(edit) = fix_all_edit(request) {
            actions.push(action(
                "Fix all pyparallel safe fixes".to_string(),
                kind,
                request,
                vec![edit],
                None,
                false,
            ));
        }
    }
    actions
}

/// Whether a diagnostic at `diagnostic` is one the editor asks about at `range` (whole lines).
fn touches(diagnostic: TextRange, range: TextRange) -> bool {
    diagnostic.start() <= range.end() && range.start() <= diagnostic.end()
}

fn has_safe_fix(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|diagnostic| {
        diagnostic
            .fix
            .as_ref()
            .is_some_and(|fix| is_applicable(fix, Applicability::Safe))
    })
}

fn action(
    title: String,
    kind: CodeActionKind,
    request: &Request,
    edits: Vec<TextEdit>,
    diagnostic: Option<&Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    let edit = WorkspaceEdit {
        changes: Some(HashMap::from([(request.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic
            .map(|d| vec![convert(d, request.uri, request.document, request.encoding)]),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

/// "Disable PARxxx for this line", once per code and line.
fn disable_actions(request: &Request, here: &[&Diagnostic]) -> Vec<CodeActionOrCommand> {
    if here.is_empty() {
        return Vec::new();
    }
    let source = &request.checked.output.source;
    let parsed = parse_unchecked_source(source.text(), source_type(request.path));
    let tokens = parsed.tokens();
    let mut seen: Vec<(usize, &str)> = Vec::new();
    let mut actions = Vec::new();
    for diagnostic in here {
        let row = source.row(diagnostic.range.start());
        let code = diagnostic.rule.code;
        if seen.contains(&(row, code)) {
            continue;
        }
        seen.push((row, code));
        let Some(edit) = noqa_edit(source, tokens, row, &[code], "") else {
            continue;
        };
        let edit = TextEdit::new(
            request.document.range(edit.range, request.encoding),
            edit.content,
        );
        actions.push(action(
            format!("Disable {code} for this line"),
            CodeActionKind::QUICKFIX,
            request,
            vec![edit],
            Some(diagnostic),
            false,
        ));
    }
    actions
}

/// Every safe fix, applied as `check --fix` applies them, as one edit covering the part of
/// the text that changed (so the editor keeps the cursor and folds elsewhere). `None` when
/// nothing changes (or a rule panicked; the fix is then not offered).
fn fix_all_edit(request: &Request) -> Option<TextEdit> {
    let text = &request.document.text;
    let settings = &request.checked.settings;
    let fixed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        fix_text(text.clone(), request.path, settings, Applicability::Safe)
    }))
    .ok()?;
    if fixed.fixed_count() == 0 {
        return None;
    }
    let new = fixed.output.source.text();
    changed_span(text, new).map(|(range, replacement)| {
        TextEdit::new(
            request.document.range(range, request.encoding),
            replacement.to_string(),
        )
    })
}

/// The smallest range of `old` whose replacement turns it into `new`, and that replacement.
fn changed_span<'n>(old: &str, new: &'n str) -> Option<(TextRange, &'n str)> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    let size = |n: usize| TextSize::try_from(n).unwrap_or_default();
    Some((
        TextRange::new(size(prefix), size(old.len() - suffix)),
        &new[prefix..new.len() - suffix],
    ))
}

#[cfg(test)]
mod tests {
    use super::changed_span;

    #[test]
    fn changed_span_is_the_smallest_replacement() {
        let old = "a = 1\nb = get_event_loop()\nc = 3\n";
        let new = "a = 1\nb = get_running_loop()\nc = 3\n";
        let (range, replacement) = changed_span(old, new).unwrap();
        let mut patched = old.to_string();
        patched.replace_range(
            usize::from(range.start())..usize::from(range.end()),
            replacement,
        );
        assert_eq!(patched, new);
        assert!(replacement.len() < 10, "{replacement}");
        assert_eq!(changed_span(old, old), None);
        // A repeated character at the boundary is not counted twice.
        let (range, replacement) = changed_span("aa", "aaa").unwrap();
        assert_eq!(
            (
                u32::from(range.start()),
                u32::from(range.end()),
                replacement
            ),
            (2, 2, "a")
        );
    }
}
