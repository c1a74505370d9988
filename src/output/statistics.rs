//! `--statistics`: how many diagnostics each rule produced.

use std::io::Write;

use serde_json::json;

use super::Message;

struct Row {
    code: &'static str,
    name: &'static str,
    count: usize,
    fixable: usize,
}

fn rows(messages: &[Message]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for message in messages {
        let code = message.code();
        match rows.iter_mut().find(|row| row.code == code) {
            Some(row) => {
                row.count += 1;
                row.fixable += usize::from(message.fixable);
            }
            None => rows.push(Row {
                code,
                name: message.name(),
                count: 1,
                fixable: usize::from(message.fixable),
            }),
        }
    }
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

pub fn write(messages: &[Message], as_json: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let rows = rows(messages);
    if as_json {
        let value: Vec<_> = rows
            .iter()
            .map(|row| json!({"code": row.code, "name": row.name, "count": row.count, "fixable": row.fixable > 0}))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &value)?;
        return writeln!(out);
    }
    let width = rows
        .iter()
        .map(|row| row.count.to_string().len())
        .max()
        .unwrap_or(1);
    for row in &rows {
        let marker = if row.fixable > 0 { "[*] " } else { "    " };
        writeln!(
            out,
            "{:>width$}\t{:<11}\t{marker}{}",
            row.count, row.code, row.name
        )?;
    }
    Ok(())
}
