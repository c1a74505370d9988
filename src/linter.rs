//! Checks one source text: parse once, build the facts, walk once, apply suppressions.

use std::path::Path;

use ruff_python_ast::PySourceType;
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::{Ranged, TextRange};

use crate::checker::Checker;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::noqa::{file_suppression, line_suppression, noqa_warnings, NoqaWarning};
use crate::notebook::CellMap;
use crate::settings::Settings;
use crate::source::{SourceText, Stylist};

/// A syntax error the parser reported.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub message: String,
    pub range: TextRange,
}

/// What checking one text found.
#[derive(Debug)]
pub struct LintOutput {
    pub source: SourceText,
    /// Sorted by position, after `noqa` and `per-file-ignores`.
    pub diagnostics: Vec<Diagnostic>,
    /// When non-empty, no rule ran (a broken file gets no other diagnostics).
    pub syntax_errors: Vec<SyntaxError>,
    /// For a notebook's joined cells: where each cell starts.
    pub cells: Option<CellMap>,
    /// `noqa` comments that name unknown codes or no codes.
    pub noqa_warnings: Vec<NoqaWarning>,
}

pub fn source_type(path: &Path) -> PySourceType {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("pyi") => PySourceType::Stub,
        // IPython syntax (`%magic`, `!cmd`, `x?`) parses as escape commands in notebooks.
        Some("ipynb") => PySourceType::Ipynb,
        _ => PySourceType::Python,
    }
}

/// Checks `text` as the file `path` under `settings`.
pub fn lint_source(text: String, path: &Path, settings: &Settings) -> LintOutput {
    lint_cells(text, path, settings, None)
}

/// Checks `text`; for a notebook, `cells` says where its cells start in `text`, and a fix that
/// would move text across cells is demoted to a suggestion (it cannot be written back).
pub fn lint_cells(
    text: String,
    path: &Path,
    settings: &Settings,
    cells: Option<CellMap>,
) -> LintOutput {
    let parsed = parse_unchecked_source(&text, source_type(path));
    let source = SourceText::new(text);
    if !parsed.errors().is_empty() {
        let syntax_errors = parsed
            .errors()
            .iter()
            .map(|error| SyntaxError {
                message: error.error.to_string(),
                range: error.location,
            })
            .collect();
        return LintOutput {
            source,
            diagnostics: Vec::new(),
            syntax_errors,
            cells,
            noqa_warnings: Vec::new(),
        };
    }
    let tokens = parsed.tokens();
    let stylist = Stylist::detect(source.text(), tokens);
    let module = &parsed.syntax().body;
    let mut diagnostics = Checker::new(&source, tokens, &stylist, settings, module).run();

    if is_test_file(path) {
        // Tests run on toy data: a suggestion to parallelise or vectorise them is noise.
        diagnostics.retain(|diagnostic| !diagnostic.rule.pays_off_only_on_real_workloads());
    }
    let ignored = settings.ignored_for(path);
    // Most files have nothing to suppress: only search for a file-level comment when needed.
    // `--ignore-noqa` reports what the comments would hide.
    let file_noqa = if diagnostics.is_empty() || settings.ignore_noqa {
        None
    } else {
        file_suppression(&source, tokens)
    };
    diagnostics.retain(|diagnostic| {
        let code = diagnostic.rule.code;
        if ignored.contains(&diagnostic.rule) || file_noqa.as_ref().is_some_and(|s| s.covers(code))
        {
            return false;
        }
        let row = source.row(diagnostic.range.start());
        settings.ignore_noqa
            || !line_suppression(&source, tokens, row).is_some_and(|s| s.covers(code))
    });
    if let Some(cells) = &cells {
        for diagnostic in &mut diagnostics {
            if let Some(fix) = &mut diagnostic.fix {
                if fix.applicability != Applicability::DisplayOnly
                    && fix.edits.iter().any(|edit| cells.crosses(edit))
                {
                    fix.applicability = Applicability::DisplayOnly;
                    fix.message
                        .push_str(" (not applied in a notebook: the change spans cells)");
                }
            }
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start(), a.range.end(), a.rule.code).cmp(&(
            b.range.start(),
            b.range.end(),
            b.rule.code,
        ))
    });
    let noqa_warnings = noqa_warnings(&source, tokens);
    LintOutput {
        source,
        diagnostics,
        syntax_errors: Vec::new(),
        cells,
        noqa_warnings,
    }
}

/// Whether `path` is a test module by its name, as pytest finds them: `test_*.py`,
/// `*_test.py`, `conftest.py`.
pub fn is_test_file(path: &Path) -> bool {
    let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
        return false;
    };
    stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest"
}

/// Whether `text` parses without errors.
pub fn parses(text: &str, path: &Path) -> bool {
    parse_unchecked_source(text, source_type(path))
        .errors()
        .is_empty()
}

impl Ranged for SyntaxError {
    fn range(&self) -> TextRange {
        self.range
    }
}
