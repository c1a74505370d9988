//! SARIF 2.1.0 for code scanning: every rule with its documentation, results with levels,
//! regions, stable fingerprints and fixes.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use super::Message;
use crate::rules::RULES;

fn region(start: crate::source::Location, end: crate::source::Location) -> Value {
    json!({
        "startLine": start.row,
        "startColumn": start.column,
        "endLine": end.row,
        "endColumn": end.column,
    })
}

/// Percent-encodes a path for a URI (RFC 3986 unreserved characters and `/` stay).
fn encode_path(text: &str) -> String {
    let mut uri = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                uri.push(byte as char);
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let prefix = if text.starts_with('/') {
        "file://"
    } else {
        "file:///"
    };
    format!("{prefix}{}", encode_path(&text))
}

/// Where a file is: relative to `%SRCROOT%` (the working folder) when it is inside it, as code
/// scanning resolves paths against the checkout; an absolute `file:` URI otherwise.
fn artifact_location(path: &Path, root: Option<&Path>) -> Value {
    match root.and_then(|root| path.strip_prefix(root).ok()) {
        Some(relative) => json!({
            "uri": encode_path(&relative.to_string_lossy().replace('\\', "/")),
            "uriBaseId": SRCROOT,
        }),
        None => json!({"uri": file_uri(path)}),
    }
}

const SRCROOT: &str = "%SRCROOT%";

/// FNV-1a: a small stable hash (the same on every platform and release).
fn rule_tags(code: &str, severity: crate::diagnostic::Severity) -> Vec<&'static str> {
    let family = match &code[..4] {
        "PAR1" => "cpu-bound",
        "PAR2" => "io-bound",
        "PAR3" => "data-parallel",
        "PAR4" => "multiprocessing",
        "PAR5" => "threading",
        "PAR6" => "asyncio",
        _ => "resources",
    };
    let kind = match severity {
        crate::diagnostic::Severity::Error => "correctness",
        crate::diagnostic::Severity::Warning => "performance",
    };
    vec![kind, family]
}

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.docs, "markdown": rule.docs},
                "help": {"text": rule.summary, "markdown": rule.docs},
                "helpUri": rule.url(),
                "defaultConfiguration": {"level": rule.severity.as_str(), "enabled": !rule.opt_in},
                "properties": {"tags": rule_tags(rule.code, rule.severity)},
            })
        })
        .collect();
    let root = std::env::current_dir().ok();
    let fingerprints = super::fingerprint::fingerprints(messages);
    let results: Vec<Value> = messages
        .iter()
        .zip(&fingerprints)
        .map(|(message, fingerprint)| {
            let artifact = artifact_location(&message.path, root.as_deref());
            let mut location_region = match message.file_rows {
                // A notebook: the JSON file's lines that hold the code; its columns are not the
                // code's, so none are given. The message names the cell, row and column.
                Some((start, end)) => json!({"startLine": start, "endLine": end}),
                None => region(message.start, message.end),
            };
            if message.file_rows.is_none() {
                location_region["snippet"] = json!({"text": message.source.slice(message.range)});
            }
            let mut result = json!({
                "ruleId": message.code(),
                "level": message.severity().as_str(),
                "message": {"text": match message.cell {
                    Some(cell) => format!(
                        "{} (cell {cell}, line {}, column {})",
                        message.message, message.start.row, message.start.column
                    ),
                    None => message.message.clone(),
                }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact.clone(),
                        "region": location_region,
                    }
                }],
                "partialFingerprints": {"pyparallel/v1": fingerprint},
            });
            if let Some(rule) = message.rule {
                result["ruleIndex"] = json!(rule.index());
            }
            // SARIF requires at least one replacement per change: a suggestion that carries no
            // code (only advice in its message) is not a fix there.
            // A notebook's fix edits cell text, which a SARIF replacement (file regions)
            // cannot express.
            let fix = message
                .fix
                .as_ref()
                .filter(|fix| !fix.edits.is_empty() && message.cell.is_none());
            if let Some(fix) = fix {
                result["fixes"] = json!([{
                    "description": {"text": fix.message},
                    "artifactChanges": [{
                        "artifactLocation": artifact,
                        "replacements": fix.edits.iter().map(|edit| json!({
                            "deletedRegion": region(edit.start, edit.end),
                            "insertedContent": {"text": edit.content},
                        })).collect::<Vec<_>>(),
                    }],
                }]);
            }
            result
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pyparallel",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/pyparallel/pyparallel",
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": root.as_deref().map_or_else(
                || json!({}),
                |root| {
                    let mut uri = file_uri(root);
                    if !uri.ends_with('/') {
                        uri.push('/');
                    }
                    json!({SRCROOT: {"uri": uri}})
                },
            ),
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
