//! Ruff-compatible JSON (an array) and JSON lines (one object per line).

use std::io::Write;

use serde_json::{json, Value};

use super::Message;
use crate::source::Location;

fn location(location: Location) -> Value {
    json!({"row": location.row, "column": location.column})
}

/// One message in Ruff's JSON shape, plus `name` and `severity`.
pub fn message_to_json(message: &Message) -> Value {
    let fix = message.fix.as_ref().map(|fix| {
        json!({
            "applicability": fix.applicability.as_str(),
            "message": fix.message,
            "edits": fix.edits.iter().map(|edit| json!({
                "content": edit.content,
                "location": location(edit.start),
                "end_location": location(edit.end),
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "cell": message.cell,
        "code": message.rule.map(|rule| rule.code),
        "name": message.name(),
        "message": message.message,
        "severity": message.severity().as_str(),
        "filename": message.path.to_string_lossy(),
        "location": location(message.start),
        "end_location": location(message.end),
        "fix": fix,
        "noqa_row": message.noqa_row,
        "url": message.rule.map(|rule| rule.url()),
    })
}

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    let array: Vec<Value> = messages.iter().map(message_to_json).collect();
    serde_json::to_writer_pretty(&mut *out, &array)?;
    writeln!(out)
}

pub fn write_lines(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    for message in messages {
        serde_json::to_writer(&mut *out, &message_to_json(message))?;
        writeln!(out)?;
    }
    Ok(())
}
