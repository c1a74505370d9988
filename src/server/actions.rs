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
use super::layout::Layout;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::fix::{fix_cells, is_applicable};
use crate::linter::source_type;
use crate::noqa::noqa_edit;

/// `source.fixAll.pyparallel`: clients ask for it by kind (e.g. on save).
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.pyparallel")
}

/// What a code action request needs to know about the document and the editor.
pub struct Request<'a> {
    /// The document the editor asks about (a notebook's cell, or a file).
    pub uri: &'a Url,
    pub path: &'a Path,
    pub layout: &'a Layout<'a>,
    pub checked: &'a Checked,
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
    let output = &request.checked.output;
    // Whole lines: an editor asks at the cursor, which is rarely inside the diagnostic's
    // range itself; every diagnostic on the cursor's line is meant.
    let Some(range) = request.layout.to_linted(request.uri, range) else {
        return Vec::new();
    };
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
            let Some(edits) = fix
                .edits
                .iter()
                .map(|edit| located(request.layout, edit.range, edit.content.clone()))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
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
    if wanted(&kind) && has_safe_fix(&output.diagnostics) {
        let cached = request
            .checked
            .fix_all
            .get_or_init(|| fix_all_edits(request));
        if let Some(edits) = cached.clone() {
            actions.push(action(
                "Fix all pyparallel safe fixes".to_string(),
                kind,
                request,
                edits,
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

/// An edit of the linted text as an edit of the document it falls in.
fn located(layout: &Layout, range: TextRange, content: String) -> Option<(Url, TextEdit)> {
    let (uri, range) = layout.locate(range)?;
    Some((uri.clone(), TextEdit::new(range, content)))
}

fn action(
    title: String,
    kind: CodeActionKind,
    request: &Request,
    edits: Vec<(Url, TextEdit)>,
    diagnostic: Option<&Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for (uri, edit) in edits {
        changes.entry(uri).or_default().push(edit);
    }
    let edit = WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic
            .and_then(|d| convert(d, request.layout))
            .map(|(_, d)| vec![d]),
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
        let Some(edit) = noqa_edit(source, tokens, row, &[code], "")
            .and_then(|edit| located(request.layout, edit.range, edit.content))
        else {
            continue;
        };
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

/// Every safe fix, applied as `check --fix` applies them, as one edit per changed document
/// covering the part of its text that changed (so the editor keeps the cursor and folds
/// elsewhere). `None` when nothing changes (or a rule panicked; the fix is then not offered).
fn fix_all_edits(request: &Request) -> Option<Vec<(Url, TextEdit)>> {
    let checked = request.checked;
    let text = checked.output.source.text();
    let cells = checked.output.cells.clone();
    let fixed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        fix_cells(
            text.to_string(),
            request.path,
            &checked.settings,
            Applicability::Safe,
            cells,
        )
    }))
    .ok()?;
    if fixed.fixed_count() == 0 {
        return None;
    }
    let new = fixed.output.source.text();
    let layout = request.layout;
    // Each document's new text: for a notebook, the cell's slice of the fixed text (without
    // the line break the join gave a cell that had none).
    let new_starts: Vec<usize> = match &fixed.output.cells {
        Some(map) if layout.notebook => map.cells().map(|(_, start)| usize::from(start)).collect(),
        _ => vec![0],
    };
    if new_starts.len() != layout.parts.len() {
        return None;
    }
    let mut edits = Vec::new();
    for (index, part) in layout.parts.iter().enumerate() {
        let end = new_starts.get(index + 1).copied().unwrap_or(new.len());
        let mut cell = &new[new_starts[index]..end];
        let old = part.document.text.as_str();
        if layout.notebook && !old.ends_with('\n') {
            cell = cell.strip_suffix('\n').unwrap_or(cell);
        }
        if let Some((range, replacement)) = changed_span(old, cell) {
            edits.push((
                part.uri.clone(),
                TextEdit::new(
                    part.document.range(range, layout.encoding),
                    replacement.to_string(),
                ),
            ));
        }
    }
    (!edits.is_empty()).then_some(edits)
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
