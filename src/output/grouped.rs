//! Diagnostics grouped under their file, as Ruff's `grouped` format prints them:
//!
//! ```text
//! pkg/a.py:
//!    3:12 PAR603 [*] message
//!   10:1  PAR101 message
//! ```
//!
//! rows and columns aligned within each file, a blank line after each file; in a notebook the
//! location is `cell N:row:col`.

use std::io::Write;

use super::Message;

pub fn write(messages: &[Message], color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let (bold, underline, red, cyan, reset) = if color {
        ("\x1b[1m", "\x1b[4m", "\x1b[31m", "\x1b[36m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let digits = |n: usize| n.to_string().len();
    // Messages come sorted by file: group consecutive runs.
    for group in messages.chunk_by(|a, b| a.path == b.path) {
        let row_width = group.iter().map(|m| digits(m.start.row)).max().unwrap_or(1);
        let column_width = group
            .iter()
            .map(|m| digits(m.start.column))
            .max()
            .unwrap_or(1);
        writeln!(out, "{underline}{}{reset}:", group[0].display_path)?;
        for message in group {
            let cell = match message.cell {
                Some(cell) => format!("cell {cell}{cyan}:{reset}"),
                None => String::new(),
            };
            let marker = if message.fixable { "[*] " } else { "" };
            let code = match message.rule {
                Some(rule) => format!("{bold}{red}{}{reset} {marker}", rule.code),
                None => format!("{bold}{red}SyntaxError{reset}: "),
            };
            writeln!(
                out,
                "  {}{cell}{}{cyan}:{reset}{}{} {code}{}",
                " ".repeat(row_width - digits(message.start.row)),
                message.start.row,
                message.start.column,
                " ".repeat(column_width - digits(message.start.column)),
                message.message
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
