//! Hover over a rule code in a `# noqa: PARxxx` (or `# pyparallel: noqa: PARxxx`) comment:
//! the rule's documentation, the same page `pyparallel rule PARxxx` prints, so a reader can
//! tell what a suppression hides without leaving the editor.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::{Document, Encoding};

/// The rule page for the code under `position`, when it is in a `noqa` comment.
pub fn hover(document: &Document, position: Position, encoding: Encoding) -> Option<Hover> {
    let text = &document.text;
    let offset = document.index.offset(text, position, encoding);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |at| at + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |at| offset + at);
    let line = &text[line_start..line_end];
    let at = offset - line_start;
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let start = line[..at]
        .rfind(|c: char| !is_word(c))
        .map_or(0, |found| found + 1);
    let end = line[at..]
        .find(|c: char| !is_word(c))
        .map_or(line.len(), |found| at + found);
    let word = &line[start..end];
    let rule = crate::rules::find(word).filter(|rule| rule.code.eq_ignore_ascii_case(word))?;
    // The code must follow `noqa` in a comment on this line.
    let before = &line[..start];
    let hash = before.find('#')?;
    if !before[hash..].to_ascii_lowercase().contains("noqa") {
        return None;
    }
    let word_range = ruff_text_size::TextRange::new(
        ruff_text_size::TextSize::try_from(line_start + start).ok()?,
        ruff_text_size::TextSize::try_from(line_start + end).ok()?,
    );
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: crate::docs::rule_page(rule),
        }),
        range: Some(document.range(word_range, encoding)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hover_shows_the_rule_page_only_on_a_code_in_a_noqa_comment() {
        let document = Document::new(
            "x = PAR603  # noqa: E501, PAR603\ny = 1  # PAR603 is not a noqa\n".to_string(),
            1,
        );
        let at =
            |line, character| hover(&document, Position::new(line, character), Encoding::Utf16);
        let shown = at(0, 29).expect("a hover on PAR603 in the noqa comment");
        let HoverContents::Markup(markup) = shown.contents else {
            panic!("markdown expected")
        };
        assert!(
            markup.value.starts_with("# get-event-loop (PAR603)"),
            "{}",
            markup.value
        );
        assert_eq!(shown.range.unwrap().start, Position::new(0, 26));
        assert!(at(0, 5).is_none(), "code outside a comment");
        assert!(at(0, 22).is_none(), "not a pyparallel code");
        assert!(at(1, 10).is_none(), "a comment without noqa");
    }
}
