//! GitLab code quality reports (the Code Climate subset GitLab reads), as Ruff writes them:
//! `check_name`, `description` (prefixed with the code, since GitLab shows no other field),
//! `severity` (`major` for correctness errors and syntax errors, `minor` for performance
//! warnings), a stable `fingerprint`, and the location with paths relative to
//! `CI_PROJECT_DIR` when GitLab sets it.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use super::Message;
use crate::diagnostic::Severity;

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    let project_dir = std::env::var_os("CI_PROJECT_DIR").map(std::path::PathBuf::from);
    let fingerprints = super::fingerprint::fingerprints(messages);
    let entries: Vec<Value> = messages
        .iter()
        .zip(fingerprints)
        .map(|(message, fingerprint)| {
            let path = match &project_dir {
                Some(dir) => relative_to(&message.path, dir),
                None => message.display_path.clone(),
            };
            // A notebook's code sits on the JSON file's lines; columns are the code's own.
            let (begin, end) = match message.file_rows {
                Some((first, last)) => (
                    json!({"line": first, "column": 1}),
                    json!({"line": last, "column": 1}),
                ),
                None => (
                    json!({"line": message.start.row, "column": message.start.column}),
                    json!({"line": message.end.row, "column": message.end.column}),
                ),
            };
            json!({
                "check_name": message.code(),
                "description": format!("{}: {}", message.code(), message.message),
                "severity": match message.severity() {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                "fingerprint": fingerprint,
                "location": {"path": path, "positions": {"begin": begin, "end": end}},
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

/// `path` relative to `dir` (with `..` where it is outside), as GitLab resolves report paths.
fn relative_to(path: &Path, dir: &Path) -> String {
    let dir = crate::fs::absolute(dir, Path::new("/"));
    let path_parts: Vec<_> = path.components().collect();
    let dir_parts: Vec<_> = dir.components().collect();
    let common = path_parts
        .iter()
        .zip(&dir_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut relative = std::path::PathBuf::new();
    for _ in common..dir_parts.len() {
        relative.push("..");
    }
    for part in &path_parts[common..] {
        relative.push(part);
    }
    relative.to_string_lossy().into_owned()
}
