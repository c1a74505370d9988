//! GitHub Actions workflow commands: one `::error`/`::warning` line per diagnostic.

use std::io::Write;

use super::Message;
use crate::diagnostic::Severity;

/// Escapes a workflow command's message (`%`, `\r`, `\n`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (also `:` and `,`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    for message in messages {
        let level = match message.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = &message.display_path;
        let shown = message.location_path();
        let text = match message.rule {
            Some(rule) => format!(
                "{shown}:{}:{}: {} {}",
                message.start.row, message.start.column, rule.code, message.message
            ),
            None => format!(
                "{shown}:{}:{}: SyntaxError: {}",
                message.start.row, message.start.column, message.message
            ),
        };
        let title = escape_property(&format!("pyparallel ({})", message.code()));
        match message.file_rows {
            // A notebook: the annotation goes on the lines of the JSON file that hold the code
            // (columns there are not the code's); the text names the cell, row and column.
            Some((line, end_line)) => writeln!(
                out,
                "::{level} title={title},file={},line={line},endLine={end_line}::{}",
                escape_property(path),
                escape_data(&text)
            )?,
            None => writeln!(
                out,
                "::{level} title={title},file={},line={},col={},endLine={},endColumn={}::{}",
                escape_property(path),
                message.start.row,
                message.start.column,
                message.end.row,
                message.end.column,
                escape_data(&text)
            )?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_spec() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
