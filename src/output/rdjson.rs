//! reviewdog's diagnostic format (rdjson), as Ruff writes it: one object with the tool, and a
//! diagnostic per finding with its code and documentation URL, its range, its severity, and the
//! edits of its fix as suggestions (reviewdog proposes them on the pull request).

use std::io::Write;

use serde_json::{json, Value};

use super::Message;
use crate::diagnostic::{Applicability, Severity};
use crate::source::Location;

fn position(location: Location) -> Value {
    json!({"line": location.row, "column": location.column})
}

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    let diagnostics: Vec<Value> = messages.iter().map(diagnostic).collect();
    let report = json!({
        "source": {"name": "pyparallel", "url": "https://github.com/pyparallel/pyparallel"},
        "severity": "WARNING",
        "diagnostics": diagnostics,
    });
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

fn diagnostic(message: &Message) -> Value {
    let range = match message.file_rows {
        // A notebook: the JSON file's lines holding the code; no columns, no suggestions (a
        // fix edits cell text, not the file's lines).
        Some((first, last)) => json!({"start": {"line": first}, "end": {"line": last}}),
        None => json!({"start": position(message.start), "end": position(message.end)}),
    };
    let mut code = json!({"value": message.code()});
    if let Some(rule) = message.rule {
        code["url"] = json!(rule.url());
    }
    let mut value = json!({
        "code": code,
        "location": {"path": message.path.to_string_lossy(), "range": range},
        "message": message.message,
        "severity": match message.severity() {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
        },
    });
    let suggestions: Vec<Value> = message
        .fix
        .iter()
        .filter(|fix| fix.applicability != Applicability::DisplayOnly && message.cell.is_none())
        .flat_map(|fix| &fix.edits)
        .map(|edit| {
            json!({
                "range": {"start": position(edit.start), "end": position(edit.end)},
                "text": edit.content,
            })
        })
        .collect();
    if !suggestions.is_empty() {
        value["suggestions"] = json!(suggestions);
    }
    value
}
