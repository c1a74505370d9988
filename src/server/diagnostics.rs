//! Linting an open document (the editor's text, not the file on disk) and turning what the
//! linter found into LSP diagnostics. A rule that panics is caught here: the panic is logged
//! and the document gets no diagnostics this time, and the server keeps serving.

use std::path::Path;
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    Location, NumberOrString, Url,
};
use ruff_text_size::TextRange;

use super::layout::Layout;
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::linter::{lint_cells, LintOutput};
use crate::notebook::CellMap;
use crate::settings::Settings;

/// What one lint of one version of a document found.
pub struct Checked {
    pub version: i32,
    pub output: LintOutput,
    pub settings: Arc<Settings>,
    /// The edits of "Fix all pyparallel safe fixes", worked out on the first code action
    /// request for this version (editors ask for code actions whenever the cursor moves; the
    /// fix passes run once per version, not on every move).
    pub fix_all: std::cell::OnceCell<Option<Vec<(lsp_types::Url, lsp_types::TextEdit)>>>,
}

/// Lints `text` as the file `path`. `Err` carries a description of a panic inside the linter
/// (with the rule that was running), for the log.
/// A notebook's joined cells come with their `cells` map.
pub fn lint(
    text: String,
    path: &Path,
    settings: &Settings,
    cells: Option<CellMap>,
) -> Result<LintOutput, String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lint_cells(text, path, settings, cells)
    }));
    outcome.map_err(|payload| {
        let rule = crate::checker::current_rule()
            .map(|code| format!(" in rule {code}"))
            .unwrap_or_default();
        crate::checker::clear_current_rule();
        format!(
            "internal error{rule} checking {}: {} (this is a bug in pyparallel, please report it)",
            path.display(),
            panic_message(payload.as_ref())
        )
    })
}

/// The text a panic was raised with.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// Where a rule's documentation page is.
pub fn docs_url(code: &str) -> Option<Url> {
    Url::parse(&format!("{}/{code}.md", crate::DOCS_BASE_URL)).ok()
}

/// The source name every diagnostic carries (editors show it, and filter code actions by it).
pub const SOURCE: &str = "pyparallel";

/// The LSP diagnostics of a lint result, each with the document it is in (a notebook's
/// diagnostics are in its cells).
pub fn to_lsp(checked: &Checked, layout: &Layout) -> Vec<(Url, LspDiagnostic)> {
    let output = &checked.output;
    let mut diagnostics = Vec::new();
    let mut push = |range: TextRange, diagnostic: LspDiagnostic| {
        if let Some((uri, range)) = layout.locate(range) {
            diagnostics.push((
                uri.clone(),
                LspDiagnostic {
                    range,
                    ..diagnostic
                },
            ));
        }
    };
    for error in &output.syntax_errors {
        push(
            error.range,
            LspDiagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some(SOURCE.to_string()),
                message: format!("SyntaxError: {}", error.message),
                ..LspDiagnostic::default()
            },
        );
    }
    for warning in &output.noqa_warnings {
        let start = warning.offset;
        let end = output.source.line_end(start).max(start);
        push(
            TextRange::new(start, end),
            LspDiagnostic {
                severity: Some(DiagnosticSeverity::WARNING),
                source: Some(SOURCE.to_string()),
                message: warning.describe("this line"),
                ..LspDiagnostic::default()
            },
        );
    }
    for diagnostic in &output.diagnostics {
        if let Some(converted) = convert(diagnostic, layout) {
            diagnostics.push(converted);
        }
    }
    diagnostics
}

/// One rule diagnostic: severity from the rule, its code linked to its documentation page, a
/// suggestion-only fix shown as related information (the editor cannot apply it, but the
/// reader can see what to write).
pub fn convert(diagnostic: &Diagnostic, layout: &Layout) -> Option<(Url, LspDiagnostic)> {
    let rule = diagnostic.rule;
    let (uri, range) = layout.locate(diagnostic.range)?;
    let related_information = diagnostic
        .fix
        .as_ref()
        .filter(|fix| fix.applicability == Applicability::DisplayOnly)
        .and_then(|fix| {
            let at = fix
                .edits
                .first()
                .map_or(diagnostic.range, |edit| edit.range);
            let (at_uri, at_range) = layout.locate(at)?;
            let mut message = format!("Suggested fix (not applied automatically): {}", fix.message);
            let code: Vec<&str> = fix
                .edits
                .iter()
                .map(|edit| edit.content.trim_matches('\n'))
                .filter(|content| !content.trim().is_empty())
                .collect();
            if !code.is_empty() {
                message.push_str(":\n");
                message.push_str(&code.join("\n"));
            }
            Some(vec![DiagnosticRelatedInformation {
                location: Location::new(at_uri.clone(), at_range),
                message,
            }])
        });
    let converted = LspDiagnostic {
        range,
        severity: Some(match rule.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(rule.code.to_string())),
        code_description: docs_url(rule.code).map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: diagnostic.message.clone(),
        related_information,
        tags: None,
        data: Some(serde_json::json!({ "name": rule.name })),
    };
    Some((uri.clone(), converted))
}
