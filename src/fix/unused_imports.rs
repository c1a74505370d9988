//! Imports a fix emptied. A rewrite can take away the last use of an import (`time.sleep(1)`
//! becomes `await asyncio.sleep(1)` and `import time` has nothing left to do): after a fix
//! pass, an import whose name the text used before the pass and no longer uses after it is
//! removed. An import that was already unused before stays: that was not the fix's doing, and
//! removing it is another linter's call (Ruff's F401).

use std::path::Path;

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_ast::{Stmt, StmtImport, StmtImportFrom};
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::diagnostic::Edit;
use crate::fix::edits::contains_word;
use crate::linter::source_type;
use crate::source::SourceText;

/// Edits (on `after`) removing the imports whose every use the pass from `before` to `after`
/// took away. `allowed` rejects an edit the caller cannot apply (one crossing notebook cells);
/// a whole-line removal is then tried the other way round (with the line break before it).
pub fn emptied_import_edits(
    before: &str,
    after: &str,
    path: &Path,
    allowed: impl Fn(&Edit) -> bool,
) -> Vec<Edit> {
    let parsed = parse_unchecked_source(after, source_type(path));
    if !parsed.errors().is_empty() {
        return Vec::new();
    }
    let mut imports = Vec::new();
    collect_imports(&parsed.syntax().body, &mut imports);
    if imports.is_empty() {
        return Vec::new();
    }
    let import_ranges: Vec<TextRange> = imports.iter().map(|import| import.range).collect();
    // Names no longer used after the pass; most passes leave every import in use.
    let unused_after: Vec<&str> = imports
        .iter()
        .flat_map(|import| import.bound.iter().map(|(name, _)| name.as_str()))
        .filter(|name| uses(after, parsed.tokens(), &import_ranges, name) == 0)
        .collect();
    if unused_after.is_empty() {
        return Vec::new();
    }
    // Only names the text used before: parse the text before the pass (rarely needed).
    let previous = parse_unchecked_source(before, source_type(path));
    let mut previous_imports = Vec::new();
    collect_imports(&previous.syntax().body, &mut previous_imports);
    let previous_ranges: Vec<TextRange> = previous_imports.iter().map(|i| i.range).collect();
    let emptied: Vec<&str> = unused_after
        .into_iter()
        .filter(|name| uses(before, previous.tokens(), &previous_ranges, name) > 0)
        .collect();
    if emptied.is_empty() {
        return Vec::new();
    }
    let source = SourceText::new(after.to_string());
    imports
        .iter()
        .filter_map(|import| removal(&source, import, &emptied, &allowed))
        .collect()
}

/// One import statement: its range, its names (bound name, alias range) in order, and the
/// text around it that decides whether the whole line can go.
struct Import {
    range: TextRange,
    bound: Vec<(String, TextRange)>,
}

/// Every `import` / `from ... import` statement, at any depth (`from __future__` and `*`
/// imports excepted: they bind nothing a use could be counted for).
fn collect_imports(body: &[Stmt], imports: &mut Vec<Import>) {
    for stmt in body {
        match stmt {
            Stmt::Import(StmtImport { names, range, .. }) => imports.push(Import {
                range: *range,
                bound: names
                    .iter()
                    .map(|alias| {
                        let bound = match &alias.asname {
                            Some(asname) => asname.to_string(),
                            // `import os.path` binds `os`.
                            None => alias.name.split('.').next().unwrap_or_default().to_string(),
                        };
                        (bound, alias.range())
                    })
                    .collect(),
            }),
            Stmt::ImportFrom(StmtImportFrom {
                module,
                names,
                range,
                ..
            }) => {
                if module.as_ref().is_some_and(|m| m.as_str() == "__future__")
                    || names.iter().any(|alias| alias.name.as_str() == "*")
                {
                    continue;
                }
                imports.push(Import {
                    range: *range,
                    bound: names
                        .iter()
                        .map(|alias| {
                            let bound = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                            (bound, alias.range())
                        })
                        .collect(),
                });
            }
            Stmt::FunctionDef(def) => collect_imports(&def.body, imports),
            Stmt::ClassDef(class) => collect_imports(&class.body, imports),
            Stmt::If(stmt) => {
                collect_imports(&stmt.body, imports);
                for clause in &stmt.elif_else_clauses {
                    collect_imports(&clause.body, imports);
                }
            }
            Stmt::Try(stmt) => {
                collect_imports(&stmt.body, imports);
                for handler in &stmt.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                    collect_imports(&handler.body, imports);
                }
                collect_imports(&stmt.orelse, imports);
                collect_imports(&stmt.finalbody, imports);
            }
            Stmt::With(stmt) => collect_imports(&stmt.body, imports),
            Stmt::For(stmt) => {
                collect_imports(&stmt.body, imports);
                collect_imports(&stmt.orelse, imports);
            }
            Stmt::While(stmt) => {
                collect_imports(&stmt.body, imports);
                collect_imports(&stmt.orelse, imports);
            }
            _ => {}
        }
    }
}

/// How often `name` is used outside import statements: as a name (not an attribute after a
/// dot), or anywhere in a string (`__all__`, string annotations: counted, to keep the import).
fn uses(text: &str, tokens: &Tokens, imports: &[TextRange], name: &str) -> usize {
    let mut count = 0;
    let mut after_dot = false;
    for token in tokens.iter() {
        let kind = token.kind();
        let range = token.range();
        let in_import = || imports.iter().any(|import| import.contains_range(range));
        match kind {
            TokenKind::Name if !after_dot && &text[range] == name && !in_import() => count += 1,
            TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
                if contains_word(&text[range], name) =>
            {
                count += 1;
            }
            _ => {}
        }
        if !kind.is_trivia() {
            after_dot = kind == TokenKind::Dot;
        }
    }
    count
}

/// The edit removing the names of `import` that are in `emptied`: the whole statement when all
/// of them are (if it stands alone on its lines), else just those names and their commas.
fn removal(
    source: &SourceText,
    import: &Import,
    emptied: &[&str],
    allowed: &impl Fn(&Edit) -> bool,
) -> Option<Edit> {
    let gone: Vec<usize> = (0..import.bound.len())
        .filter(|&index| emptied.contains(&import.bound[index].0.as_str()))
        .collect();
    if gone.is_empty() {
        return None;
    }
    if gone.len() == import.bound.len() {
        return whole_statement(source, import.range, allowed);
    }
    if gone.len() > 1 {
        // Several names of one statement: rare; one removal per pass keeps the edits apart.
        return None;
    }
    let index = gone[0];
    let range = if index + 1 < import.bound.len() {
        TextRange::new(
            import.bound[index].1.start(),
            import.bound[index + 1].1.start(),
        )
    } else {
        TextRange::new(import.bound[index - 1].1.end(), import.bound[index].1.end())
    };
    Some(Edit::delete(range)).filter(|edit| allowed(edit))
}

/// Deletes the statement's lines, when nothing else (code or a continued line) shares them.
fn whole_statement(
    source: &SourceText,
    range: TextRange,
    allowed: &impl Fn(&Edit) -> bool,
) -> Option<Edit> {
    let text = source.text();
    let first_line = source.line_start(range.start());
    if !text[TextRange::new(first_line, range.start())]
        .trim()
        .is_empty()
    {
        return None;
    }
    let last_line_end = source.line_end(range.end());
    let rest = text[TextRange::new(range.end(), last_line_end)].trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    if first_line > TextSize::default() && text[..usize::from(first_line)].ends_with("\\\n") {
        return None;
    }
    // "import time\n", or (at the end of a notebook cell) "\nimport time".
    let forward = Edit::delete(TextRange::new(
        first_line,
        source.next_line_start(range.end()),
    ));
    if allowed(&forward) {
        return Some(forward);
    }
    if first_line == TextSize::default() {
        return None;
    }
    let previous_line_end = source.line_end(first_line - TextSize::from(1));
    let backward = Edit::delete(TextRange::new(previous_line_end, last_line_end));
    allowed(&backward).then_some(backward)
}
