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
    fn a_whole_line_escapes_path_and_message() {
        use std::sync::Arc;

        use ruff_text_size::{TextRange, TextSize};

        use crate::source::{Location, SourceText};

        let rule = crate::rules::find("PAR603").unwrap();
        let message = Message {
            rule: Some(rule),
            message: "50% done: a, b\nnext".to_string(),
            path: "/p/dir,x:y%/f.py".into(),
            display_path: "dir,x:y%/f.py".to_string(),
            cell: None,
            file_rows: None,
            start: Location { row: 1, column: 2 },
            end: Location { row: 1, column: 3 },
            range: TextRange::new(TextSize::new(1), TextSize::new(2)),
            fix: None,
            fixable: false,
            noqa_row: 1,
            source: Arc::new(SourceText::new("x = 1\n".to_string())),
        };
        let mut out = Vec::new();
        write(&[message], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning title=pyparallel (PAR603),file=dir%2Cx%3Ay%25/f.py,line=1,col=2,endLine=1,endColumn=3::dir,x:y%25/f.py:1:2: PAR603 50%25 done: a, b%0Anext\n"
        );
    }

    #[test]
    fn escapes_per_the_workflow_command_spec() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
    }
}
