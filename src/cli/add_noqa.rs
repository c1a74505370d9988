//! `--add-noqa[=REASON]`: suppresses every current diagnostic with a `# noqa: CODE` comment on
//! its line, as Ruff's flag of the same name does, so a project can adopt the linter and fix
//! the findings over time. Python files only (not notebooks, as in Ruff); files are written
//! back in their own encoding, and only when the result still parses.

use std::collections::BTreeMap;

use rayon::prelude::*;
use ruff_python_parser::parse_unchecked_source;

use super::check::Session;
use super::check_file::display_path;
use super::{EXIT_ERROR, EXIT_OK};
use crate::discovery::Candidate;
use crate::fix::apply_edits;
use crate::linter::{lint_source, parses, source_type};
use crate::noqa::noqa_edit;
use crate::notebook::is_notebook;

pub(super) fn add_noqa(session: &Session, reason: &str) -> u8 {
    if reason.contains(['\n', '\r']) {
        eprintln!("error: --add-noqa: the reason cannot contain line breaks");
        return EXIT_ERROR;
    }
    let (files, mut errors) = session.discover();
    let python: Vec<&Candidate> = files.iter().filter(|f| !is_notebook(&f.path)).collect();
    let results: Vec<(usize, Vec<String>, Vec<String>)> = python
        .par_iter()
        .map(|candidate| {
            let display = display_path(&candidate.path, &session.cwd);
            match add_to_file(candidate, reason, &display) {
                Ok((added, warnings)) => (added, warnings, Vec::new()),
                Err(error) => (0, Vec::new(), vec![format!("{display}: {error}")]),
            }
        })
        .collect();
    let mut added = 0;
    for (count, warnings, file_errors) in results {
        added += count;
        for warning in warnings {
            session.log().warn(&warning);
        }
        errors.extend(file_errors);
    }
    if added > 0 && session.log().level >= super::args::LogLevel::Default {
        let noun = if added == 1 {
            "directive"
        } else {
            "directives"
        };
        eprintln!("Added {added} noqa {noun}.");
    }
    for error in &errors {
        eprintln!("error: {error}");
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}

/// Adds the comments to one file: (lines changed, warnings for lines that cannot hold one).
fn add_to_file(
    candidate: &Candidate,
    reason: &str,
    display: &str,
) -> Result<(usize, Vec<String>), String> {
    let path = &candidate.path;
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read file: {error}"))?;
    let file = crate::fs::decode_source(bytes).map_err(|error| error.to_string())?;
    let output = lint_source(file.text.clone(), path, &candidate.settings);
    if !output.syntax_errors.is_empty() || output.diagnostics.is_empty() {
        return Ok((0, Vec::new()));
    }
    let source = &output.source;
    let mut codes_by_row: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for diagnostic in &output.diagnostics {
        let codes = codes_by_row
            .entry(source.row(diagnostic.range.start()))
            .or_default();
        if !codes.contains(&diagnostic.rule.code) {
            codes.push(diagnostic.rule.code);
        }
    }
    let parsed = parse_unchecked_source(source.text(), source_type(path));
    let tokens = parsed.tokens();
    let mut edits = Vec::new();
    let mut warnings = Vec::new();
    for (row, codes) in codes_by_row {
        match noqa_edit(source, tokens, row, &codes, reason) {
            Some(edit) => edits.push(edit),
            None => warnings.push(format!(
                "cannot add `# noqa: {}` to {display}:{row}: the line ends inside a string or continues on the next line",
                codes.join(", ")
            )),
        }
    }
    if edits.is_empty() {
        return Ok((0, warnings));
    }
    let text = apply_edits(source.text(), edits.iter());
    if !parses(&text, path) {
        return Err("adding the noqa comments would break the file; it was left unchanged".into());
    }
    let bytes = crate::encoding::encode(&text, &file)
        .map_err(|error| format!("cannot write it back: {error}"))?;
    crate::fs::write_atomic(path, &bytes)
        .map_err(|error| format!("cannot write the file: {error}; it was left unchanged"))?;
    Ok((edits.len(), warnings))
}
