//! `# noqa` (Ruff's semantics) on a diagnostic's line, and file-level `# pyparallel: noqa`.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::diagnostic::Edit;
use crate::source::SourceText;

/// What a `noqa` comment suppresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    All,
    Codes(Vec<String>),
}

impl Suppression {
    pub fn covers(&self, code: &str) -> bool {
        match self {
            Suppression::All => true,
            Suppression::Codes(codes) => codes.iter().any(|c| c.eq_ignore_ascii_case(code)),
        }
    }
}

/// Parses the `noqa` directive in a comment's text (`# noqa`, `# noqa: PAR101, PAR203`,
/// also after other comment text: `# type: ignore  # noqa`).
pub fn parse_noqa(comment: &str) -> Option<Suppression> {
    let start = noqa_keyword(&comment.to_ascii_lowercase())?;
    parse_codes_after(&comment[start + 4..])
}

/// `: PAR101, PAR203` (or nothing) after a `noqa` keyword. `None` for a colon without codes
/// (`# noqa:`, `# noqa: get-event-loop`): as in Ruff, that is no directive at all.
fn parse_codes_after(rest: &str) -> Option<Suppression> {
    let Some(list) = rest.trim_start_matches([' ', '\t']).strip_prefix(':') else {
        return Some(Suppression::All);
    };
    let mut codes = Vec::new();
    for word in list.split([',', ' ', '\t']) {
        let word = word.trim();
        if word.is_empty() {
            continue;
        }
        let letters = word.bytes().take_while(u8::is_ascii_alphabetic).count();
        let is_code = letters > 0
            && word.len() > letters
            && word.bytes().skip(letters).all(|b| b.is_ascii_digit());
        if !is_code {
            break;
        }
        codes.push(word.to_ascii_uppercase());
    }
    (!codes.is_empty()).then_some(Suppression::Codes(codes))
}

/// In a comment holding a `# noqa: CODES` directive, the offset just after its last code: where
/// `--add-noqa` appends more codes. `None` for a comment without such a directive.
pub fn codes_end(comment: &str) -> Option<usize> {
    let keyword = noqa_keyword(&comment.to_ascii_lowercase())?;
    let after = keyword + 4;
    let rest = &comment[after..];
    let list_start = after + rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let list = comment[list_start..].strip_prefix(':')?;
    let mut end = None;
    let mut offset = list_start + 1;
    for word in list.split_inclusive([',', ' ', '\t']) {
        let code = word.trim_end_matches([',', ' ', '\t']);
        if !code.is_empty() {
            let letters = code.bytes().take_while(u8::is_ascii_alphabetic).count();
            let is_code = letters > 0
                && code.len() > letters
                && code.bytes().skip(letters).all(|b| b.is_ascii_digit());
            if !is_code {
                break;
            }
            end = Some(offset + code.len());
        }
        offset += word.len();
    }
    end
}

/// The comment tokens that start in `range`.
pub fn comments_in<'t>(
    tokens: &'t Tokens,
    range: TextRange,
) -> impl Iterator<Item = TextRange> + 't {
    let first = tokens.partition_point(|token| token.start() < range.start());
    tokens[first..]
        .iter()
        .take_while(move |token| token.start() < range.end())
        .filter(|token| token.kind() == TokenKind::Comment)
        .map(Ranged::range)
}

/// The `noqa` directive on 1-based `row`, if any.
pub fn line_suppression(source: &SourceText, tokens: &Tokens, row: usize) -> Option<Suppression> {
    let line = source.line_text(row);
    if !line.contains('#') {
        return None;
    }
    let start = source.row_start(row);
    let range = TextRange::at(start, TextSize::of(line));
    comments_in(tokens, range).find_map(|comment| parse_noqa(source.slice(comment)))
}

/// A file-level `# pyparallel: noqa[: CODES]` comment on its own line, if the file has one.
pub fn file_suppression(source: &SourceText, tokens: &Tokens) -> Option<Suppression> {
    let text = source.text();
    memchr::memmem::find(text.as_bytes(), b"pyparallel:")?;
    let mut codes: Vec<String> = Vec::new();
    for comment in comments_in(tokens, TextRange::up_to(TextSize::of(text))) {
        let line_start = source.line_start(comment.start());
        if !text[TextRange::new(line_start, comment.start())]
            .trim()
            .is_empty()
        {
            continue;
        }
        let body = text[comment].trim_start_matches('#').trim_start();
        let Some(rest) = body.strip_prefix("pyparallel:") else {
            continue;
        };
        let rest = rest.trim_start();
        if !rest.to_ascii_lowercase().starts_with("noqa") {
            continue;
        }
        match parse_codes_after(&rest[4..]) {
            Some(Suppression::All) => return Some(Suppression::All),
            Some(Suppression::Codes(more)) => codes.extend(more),
            None => {}
        }
    }
    (!codes.is_empty()).then_some(Suppression::Codes(codes))
}

/// The edit putting `codes` in a `# noqa` comment at the end of `row` (`--add-noqa`, and the
/// server's "Disable ... for this line"): appended to the codes of a `# noqa: ...` comment
/// already there, else a new comment after two spaces. `None` when the line ends inside a
/// multi-line string or with a backslash (no comment can go there).
pub fn noqa_edit(
    source: &SourceText,
    tokens: &Tokens,
    row: usize,
    codes: &[&str],
    reason: &str,
) -> Option<Edit> {
    let start = source.row_start(row);
    let end = start + TextSize::of(source.line_text(row));
    let line = source.slice(TextRange::new(start, end));
    // Tokens are sorted and do not overlap: only the last one starting before the line's end
    // can run past it (a multi-line string). A binary search, not a scan of every token, as
    // the server asks for one line at a time.
    let before_end = tokens.partition_point(|token| token.start() < end);
    let inside_a_token = before_end
        .checked_sub(1)
        .is_some_and(|last| tokens[last].end() > end);
    if inside_a_token || line.trim_end().ends_with('\\') {
        return None;
    }
    let existing = comments_in(tokens, TextRange::new(start, end)).find_map(|comment| {
        codes_end(source.slice(comment))
            .map(|offset| comment.start() + TextSize::try_from(offset).unwrap_or_default())
    });
    let codes = codes.join(", ");
    Some(match existing {
        Some(at) => Edit::insert(at, format!(", {codes}")),
        None => {
            let reason = if reason.is_empty() {
                String::new()
            } else {
                format!(" {reason}")
            };
            let trailing = line.len() - line.trim_end().len();
            let at = end - TextSize::try_from(trailing).unwrap_or_default();
            Edit::replace(
                TextRange::new(at, end),
                format!("  # noqa: {codes}{reason}"),
            )
        }
    })
}

/// A `noqa` directive that suppresses nothing its author meant it to: a `PAR` code that is not
/// a rule (`PAR60`), or a colon without codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoqaWarning {
    /// The start of the comment.
    pub offset: TextSize,
    /// `# noqa` or `# pyparallel: noqa`.
    pub directive: &'static str,
    pub problem: NoqaProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoqaProblem {
    MissingCodes,
    UnknownCode(String),
}

impl NoqaWarning {
    /// The warning, with `location` (`path:row`) naming where the comment is.
    pub fn describe(&self, location: &str) -> String {
        let directive = self.directive;
        match &self.problem {
            NoqaProblem::MissingCodes => format!(
                "Invalid `{directive}` directive on {location}: expected a comma-separated list of codes (e.g., `{directive}: PAR101, PAR203`), so it suppresses nothing"
            ),
            NoqaProblem::UnknownCode(code) => format!(
                "Unknown rule code in `{directive}` on {location}: `{code}` is not a pyparallel rule (codes are written in full, e.g. `PAR603`), so it suppresses nothing"
            ),
        }
    }
}

/// Every `# noqa` and `# pyparallel: noqa` comment of the file that names an unknown `PAR` code
/// or has a colon without codes, whether or not a diagnostic is on its line.
pub fn noqa_warnings(source: &SourceText, tokens: &Tokens) -> Vec<NoqaWarning> {
    let text = source.text();
    if !mentions_noqa_after_a_hash(text) {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    for comment in comments_in(tokens, TextRange::up_to(TextSize::of(text))) {
        let comment_text = source.slice(comment);
        let body = comment_text.trim_start_matches('#').trim_start();
        let (directive, rest) = match body.strip_prefix("pyparallel:") {
            Some(rest) if rest.trim_start().to_ascii_lowercase().starts_with("noqa") => {
                ("# pyparallel: noqa", &rest.trim_start()[4..])
            }
            _ => {
                let lower = comment_text.to_ascii_lowercase();
                let Some(start) = noqa_keyword(&lower) else {
                    continue;
                };
                ("# noqa", &comment_text[start + 4..])
            }
        };
        match parse_codes_after(rest) {
            None => warnings.push(NoqaWarning {
                offset: comment.start(),
                directive,
                problem: NoqaProblem::MissingCodes,
            }),
            Some(Suppression::Codes(codes)) => {
                for code in codes {
                    if code.starts_with("PAR") && crate::rules::find(&code).is_none() {
                        warnings.push(NoqaWarning {
                            offset: comment.start(),
                            directive,
                            problem: NoqaProblem::UnknownCode(code),
                        });
                    }
                }
            }
            Some(Suppression::All) => {}
        }
    }
    warnings
}

/// Whether any `#` of the text is followed on its line by `noqa` (any case): a cheap filter
/// before the comments are looked at. It jumps from `#` to `#` (memchr), so a file is not
/// scanned byte by byte for a word most files never contain.
fn mentions_noqa_after_a_hash(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes).any(|hash| {
        let rest = &bytes[hash + 1..];
        let line = &rest[..memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len())];
        line.windows(4)
            .any(|window| window.eq_ignore_ascii_case(b"noqa"))
    })
}

/// Where the `noqa` keyword of a `# noqa` directive starts in a lowercased comment: it must
/// follow a `#` (with optional spaces).
fn noqa_keyword(lower: &str) -> Option<usize> {
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("noqa") {
        let start = search_from + found;
        search_from = start + 4;
        if lower[..start].trim_end_matches([' ', '\t']).ends_with('#') {
            return Some(start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blanket_and_coded_noqa() {
        assert_eq!(parse_noqa("# noqa"), Some(Suppression::All));
        assert_eq!(parse_noqa("#NOQA"), Some(Suppression::All));
        assert_eq!(
            parse_noqa("# noqa: PAR101, PAR203"),
            Some(Suppression::Codes(vec!["PAR101".into(), "PAR203".into()]))
        );
        assert_eq!(
            parse_noqa("# type: ignore  # noqa:PAR401 E501"),
            Some(Suppression::Codes(vec!["PAR401".into(), "E501".into()]))
        );
        assert_eq!(parse_noqa("# this is not noqa"), None);
        assert_eq!(codes_end("# noqa: PAR101, E501 because"), Some(20));
        assert_eq!(codes_end("# type: ignore  # noqa:PAR101"), Some(29));
        assert_eq!(codes_end("# noqa"), None);
        // A colon without codes is no directive (Ruff), not a blanket one.
        assert_eq!(parse_noqa("# noqa:"), None);
        assert_eq!(parse_noqa("# noqa: get-event-loop"), None);
        assert_eq!(parse_noqa("# a comment"), None);
    }
}
