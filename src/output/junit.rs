//! JUnit XML: a test suite per file, a failing test case per diagnostic (as Ruff writes it).

use std::io::Write;

use super::Message;

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    let total = messages.len();
    writeln!(
        out,
        r#"<testsuites name="pyparallel" tests="{total}" failures="{total}" errors="0">"#
    )?;
    if messages.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="pyparallel" tests="1" disabled="0" errors="0" failures="0" package="org.pyparallel">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="No diagnostics" classname="pyparallel"/>"#
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    let mut index = 0;
    while index < messages.len() {
        let path = &messages[index].display_path;
        let end = messages[index..]
            .iter()
            .position(|m| &m.display_path != path)
            .map_or(messages.len(), |offset| index + offset);
        let group = &messages[index..end];
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" disabled="0" errors="0" failures="{}" package="org.pyparallel">"#,
            escape(path),
            group.len(),
            group.len()
        )?;
        for message in group {
            writeln!(
                out,
                r#"    <testcase name="org.pyparallel.{}" classname="{}" line="{}" column="{}">"#,
                message.code(),
                escape(path),
                message.start.row,
                message.start.column
            )?;
            writeln!(
                out,
                r#"      <failure message="{}">{}line {}, col {}, {}</failure>"#,
                escape(&message.message),
                message
                    .cell
                    .map(|cell| format!("cell {cell}, "))
                    .unwrap_or_default(),
                message.start.row,
                message.start.column,
                escape(&message.message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        index = end;
    }
    writeln!(out, "</testsuites>")
}
