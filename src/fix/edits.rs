//! Small helpers for building edits over whole lines and statements.

use ruff_text_size::{Ranged, TextRange};

use crate::source::SourceText;

/// From the start of the line where `range` starts to the start of the line after it ends.
pub fn whole_lines(source: &SourceText, range: TextRange) -> TextRange {
    TextRange::new(
        source.line_start(range.start()),
        source.next_line_start(range.end()),
    )
}

/// Whether `stmt` is alone on its lines (no other statement shares its first or last line).
pub fn stands_alone(source: &SourceText, stmt: &impl Ranged) -> bool {
    let text = source.text();
    let line_start = source.line_start(stmt.start());
    // A statement whose line continues a backslash-ended one shares its logical line.
    let previous = &text[..usize::from(line_start)];
    let previous = previous
        .strip_suffix("\r\n")
        .or_else(|| previous.strip_suffix(['\n', '\r']))
        .unwrap_or(previous);
    if previous.ends_with('\\') {
        return false;
    }
    let before = &text[TextRange::new(line_start, stmt.start())];
    let after = &text[TextRange::new(stmt.end(), source.line_end(stmt.end()))];
    before.trim().is_empty() && {
        let after = after.trim_start();
        after.is_empty() || after.starts_with('#')
    }
}

/// Whether `stmt` can be replaced by one line of new text: alone on its line, written on one
/// line, and without a comment that the replacement would drop.
pub fn replaceable_by_one_line(
    source: &SourceText,
    tokens: &ruff_python_ast::token::Tokens,
    stmt: &impl Ranged,
) -> bool {
    stands_alone(source, stmt)
        && !contains_comment(tokens, stmt.range())
        && !source.slice(stmt.range()).contains(['\n', '\r'])
}

/// The text that follows `range` to the end of its line is only whitespace or a comment.
pub fn ends_line(source: &SourceText, offset: ruff_text_size::TextSize) -> bool {
    let rest = &source.text()[TextRange::new(offset, source.line_end(offset))];
    let rest = rest.trim_start();
    rest.is_empty() || rest.starts_with('#')
}

/// Whether a comment token starts inside `range`: a rewrite that replaces the range would
/// drop it, so such rewrites are offered as suggestions only.
pub fn contains_comment(tokens: &ruff_python_ast::token::Tokens, range: TextRange) -> bool {
    let first = tokens.partition_point(|token| token.start() < range.start());
    tokens[first..]
        .iter()
        .take_while(|token| token.start() < range.end())
        .any(|token| token.kind() == ruff_python_ast::token::TokenKind::Comment)
}

/// `candidate`, or `candidate_2`, `candidate_3`, ... : the first that appears nowhere in `text`
/// as a whole word, so a new module-level name cannot clash with or shadow anything.
pub fn unused_name(text: &str, candidate: &str) -> String {
    if !contains_word(text, candidate) {
        return candidate.to_string();
    }
    (2..)
        .map(|n| format!("{candidate}_{n}"))
        .find(|name| !contains_word(text, name))
        .expect("some suffix is unused")
}

/// Whether `word` occurs in `text` as a whole identifier.
pub fn contains_word(text: &str, word: &str) -> bool {
    word_occurrences(text, word).next().is_some()
}

/// How many times `word` occurs in `text` as a whole identifier (in code, strings or comments).
pub fn count_word(text: &str, word: &str) -> usize {
    word_occurrences(text, word).count()
}

fn word_occurrences<'t>(text: &'t str, word: &'t str) -> impl Iterator<Item = usize> + 't {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()).filter(move |&start| {
        let end = start + word.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !is_ident(c));
        before_ok && after_ok
    })
}

/// A name for a new local variable: `base`, unless the enclosing function (or, at module level,
/// the module) already uses that word or the module binds it; then `base_2`, ...
pub fn fresh_local_name(checker: &crate::checker::Checker, base: &str) -> String {
    use crate::analysis::semantic::ScopeKind;
    let scope_text = match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => checker.source.slice(ruff_text_size::Ranged::range(def)),
        _ => checker.text(),
    };
    if !contains_word(scope_text, base) && !checker.semantic.is_module_name(base) {
        base.to_string()
    } else {
        unused_name(checker.text(), base)
    }
}

/// The source text of `range` with the given sub-ranges replaced (sorted here; they must not
/// overlap): how the vectorizing rules turn `a[i] * b[i]` into `a * b`.
pub fn splice(
    source: &SourceText,
    range: TextRange,
    replacements: &mut [(TextRange, String)],
) -> String {
    replacements.sort_by_key(|(replaced, _)| replaced.start());
    let mut text = String::new();
    let mut last = range.start();
    for (replaced, replacement) in replacements.iter() {
        text.push_str(source.slice(TextRange::new(last, replaced.start())));
        text.push_str(replacement);
        last = replaced.end();
    }
    text.push_str(source.slice(TextRange::new(last, range.end())));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_text_size::TextSize;

    #[test]
    fn a_statement_after_a_backslash_line_does_not_stand_alone() {
        let source = SourceText::new("x = 1\n    \\\nfor p in ps:\n    f(p)\n".to_string());
        let start = TextSize::from(12);
        let stmt = TextRange::new(start, TextSize::of(source.text()));
        assert!(!stands_alone(&source, &stmt));
        let plain = SourceText::new("x = 1\nfor p in ps:\n    f(p)\n".to_string());
        let stmt = TextRange::new(TextSize::from(6), TextSize::of(plain.text()));
        assert!(stands_alone(&plain, &stmt));
    }
}
