//! Re-indenting blocks of code without touching the inside of multi-line strings.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// The ranges of string literals (including whole f/t-strings) that span several lines within
/// `range`: a line starting inside one belongs to the string's value and keeps its indentation.
fn multiline_strings(text: &str, tokens: &Tokens, range: TextRange) -> Vec<TextRange> {
    let first = tokens.partition_point(|token| token.end() <= range.start());
    let mut strings = Vec::new();
    let mut open: Option<(TextSize, u32)> = None;
    for token in &tokens[first..] {
        if token.start() >= range.end() {
            break;
        }
        match token.kind() {
            TokenKind::FStringStart | TokenKind::TStringStart => {
                open = match open {
                    Some((start, depth)) => Some((start, depth + 1)),
                    None => Some((token.start(), 1)),
                };
            }
            TokenKind::FStringEnd | TokenKind::TStringEnd => {
                if let Some((start, depth)) = open {
                    if depth == 1 {
                        open = None;
                        let whole = TextRange::new(start, token.end());
                        if text[whole].contains('\n') {
                            strings.push(whole);
                        }
                    } else {
                        open = Some((start, depth - 1));
                    }
                }
            }
            TokenKind::String if open.is_none() && text[token.range()].contains('\n') => {
                strings.push(token.range());
            }
            _ => {}
        }
    }
    strings
}

/// Rewrites each line of `range` (whole lines) with `change`, except blank lines and lines that
/// start inside a multi-line string.
fn map_lines(
    text: &str,
    tokens: &Tokens,
    range: TextRange,
    mut change: impl FnMut(&str) -> String,
) -> String {
    let strings = multiline_strings(text, tokens, range);
    let block = &text[range];
    let mut output = String::with_capacity(block.len() + block.len() / 8);
    let mut offset = usize::from(range.start());
    for line in block.split_inclusive('\n') {
        let line_start = TextSize::try_from(offset).unwrap_or_default();
        offset += line.len();
        let in_string = strings
            .iter()
            .any(|s| s.start() < line_start && line_start < s.end());
        if in_string || line.trim().is_empty() {
            output.push_str(line);
        } else {
            output.push_str(&change(line));
        }
    }
    output
}

/// Adds `prefix` to every code line of `range` (which covers whole lines).
pub fn indent(text: &str, tokens: &Tokens, range: TextRange, prefix: &str) -> String {
    map_lines(text, tokens, range, |line| format!("{prefix}{line}"))
}

/// Removes `prefix` from every code line of `range` that starts with it (continuation lines
/// with less indentation are left as they are).
pub fn dedent(text: &str, tokens: &Tokens, range: TextRange, prefix: &str) -> String {
    map_lines(text, tokens, range, |line| {
        line.strip_prefix(prefix).unwrap_or(line).to_string()
    })
}
