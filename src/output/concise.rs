//! `path:row:col: CODE [*] message`, one line per diagnostic.

use std::io::Write;

use super::Message;

pub fn write(messages: &[Message], color: bool, out: &mut dyn Write) -> std::io::Result<()> {
    for message in messages {
        let (bold, red, cyan, reset) = if color {
            ("\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let marker = if message.fixable { "[*] " } else { "" };
        match message.rule {
            Some(rule) => writeln!(
                out,
                "{bold}{}{reset}{cyan}:{reset}{}{cyan}:{reset}{}{cyan}:{reset} {bold}{red}{}{reset} {marker}{}",
                message.location_path(), message.start.row, message.start.column, rule.code, message.message
            )?,
            None => writeln!(
                out,
                "{bold}{}{reset}{cyan}:{reset}{}{cyan}:{reset}{}{cyan}:{reset} {bold}{red}SyntaxError{reset}: {}",
                message.location_path(), message.start.row, message.start.column, message.message
            )?,
        }
    }
    Ok(())
}
