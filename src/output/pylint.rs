//! Pylint's (and flake8's `pylint` formatter's) line format: `path:row: [CODE] message`. For a
//! notebook the row is the `.ipynb` file's line that holds the code.

use std::io::Write;

use super::Message;

pub fn write(messages: &[Message], out: &mut dyn Write) -> std::io::Result<()> {
    for message in messages {
        let row = message
            .file_rows
            .map_or(message.start.row, |(first, _)| first);
        writeln!(
            out,
            "{}:{row}: [{}] {}",
            message.display_path,
            message.code(),
            message.message
        )?;
    }
    Ok(())
}
