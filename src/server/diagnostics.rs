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

use super::documents::{Document, Encoding};
use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::linter::{lint_source, LintOutput};
use crate::settings::Settings;

/// What one lint of one version of a document found.
pub struct Checked {
    pub version: i32,
    pub output: LintOutput,
    pub settings: Arc<Settings>,
}

/// Lints `text` as the file `path`. `Err` carries a description of a panic inside the linter
/// (with the rule that was running), for the log.
pub fn lint(text: String, path: &Path, settings: &Settings) -> Result<LintOutput, String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lint_source(text, path, settings)
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

/// The LSP diagnostics of a lint result; `document` holds the text that was linted.
pub fn to_lsp(
    checked: &Checked,
    uri: &Url,
    document: &Document,
    encoding: Encoding,
) -> Vec<LspDiagnostic> {
    let output = &checked.output;
    let mut diagnostics = Vec::new();
    for error in &output.syntax_errors {
        diagnostics.push(LspDiagnostic {
            range: document.range(error.range, encoding),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.to_string()),
            message: format!("SyntaxError: {}", error.message),
            ..LspDiagnostic::default()
        });
    }
    for diagnostic in &output.diagnostics {
        diagnostics.push(convert(diagnostic, uri, document, encoding));
    }
    for warning in &output.noqa_warnings {
        let start = warning.offset;
        let end = output.source.line_end(start);
        diagnostics.push(LspDiagnostic {
            range: document.range(TextRange::new(start, end.max(start)), encoding),
            severity: Some(DiagnosticSeverity::WARNING),
            source: Some(SOURCE.to_string()),
            message: warning.describe("this line"),
            ..LspDiagnostic::default()
        });
    }
    diagnostics
}

/// One rule diagnostic: severity from the rule, its code linked to its documentation page, a
/// suggestion-only fix shown as related information (the editor cannot apply it, but the
/// reader can see what to write).
pub fn convert(
    diagnostic: &Diagnostic,
    uri: &Url,
    document: &Document,
    encoding: Encoding,
) -> LspDiagnostic {
    let rule = diagnostic.rule;
    let related_information = diagnostic
        .fix
        .as_ref()
        .filter(|fix| fix.applicability == Applicability::DisplayOnly)
        .map(|fix| {
            let range = fix
                .edits
                .first()
                .map_or(diagnostic.range, |edit| edit.range);
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
            vec![DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), document.range(range, encoding)),
                message,
            }]
        });
    LspDiagnostic {
        range: document.range(diagnostic.range, encoding),
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
    }
}
