//! Re-indenting blocks of code without touching the inside of multi-line strings.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// The ranges of string literals (including whole f/t-strings) that span several lines within
/// `range`: a line starting inside one belongs to the string's value and keeps its indentation.
pub(crate) fn multiline_strings(text: &str, tokens: &Tokens, range: TextRange) -> Vec<TextRange> {
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

/// The lines of `text` with their endings, splitting as Python does on `\n`, `\r\n` and a
/// lone `\r` (a file with old Mac line breaks mixed in must not have two lines indented as
/// one).
fn lines_with_endings(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\n', '\r']) {
            Some(at) if rest[at..].starts_with("\r\n") => at + 2,
            Some(at) => at + 1,
            None => rest.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
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
    for line in lines_with_endings(block) {
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
///
/// A line that starts with a backslash in its first column is left alone: Python then takes
/// the indentation from the line it continues onto (which is indented), while a backslash
/// after whitespace would set the indentation itself, at the wrong depth.
pub fn indent(text: &str, tokens: &Tokens, range: TextRange, prefix: &str) -> String {
    map_lines(text, tokens, range, |line| {
        if line.starts_with('\\') {
            line.to_string()
        } else {
            format!("{prefix}{line}")
        }
    })
}

/// Removes `prefix` from every code line of `range` that starts with it (continuation lines
/// with less indentation are left as they are).
pub fn dedent(text: &str, tokens: &Tokens, range: TextRange, prefix: &str) -> String {
    map_lines(text, tokens, range, |line| {
        line.strip_prefix(prefix).unwrap_or(line).to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indented(source: &str) -> String {
        let parsed = ruff_python_parser::parse_module(source).unwrap();
        let range = TextRange::up_to(TextSize::of(source));
        indent(source, parsed.tokens(), range, "    ")
    }

    #[test]
    fn every_line_ending_starts_a_line() {
        assert_eq!(
            indented("a = 1\n\rb = 2\r\nc = 3\rd = 4\n"),
            "    a = 1\n\r    b = 2\r\n    c = 3\r    d = 4\n"
        );
    }

    #[test]
    fn a_continuation_in_the_first_column_keeps_taking_the_next_lines_indentation() {
        // Found by the fuzzer: `    \` would set the body's indentation to the `with`'s own.
        let source = "with f() as g:  # c\n\\\n    x = 1\n";
        let fixed = indented(source);
        assert_eq!(fixed, "    with f() as g:  # c\n\\\n        x = 1\n");
        let wrapped = format!("if True:\n{fixed}");
        assert!(
            ruff_python_parser::parse_module(&wrapped).is_ok(),
            "{wrapped}"
        );
        // After whitespace the backslash sets the indentation, so it moves with the block.
        assert_eq!(
            indented("with f():\n  \\\n  x = 1\n"),
            "    with f():\n      \\\n      x = 1\n"
        );
    }

    #[test]
    fn multiline_string_contents_are_kept() {
        assert_eq!(
            indented("x = \"\"\"\nkeep\n\"\"\"\ny = 1\n"),
            "    x = \"\"\"\nkeep\n\"\"\"\n    y = 1\n"
        );
    }
}
