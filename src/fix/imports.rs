//! Makes a name available to a fix: reuses an existing import or alias, or adds one after the
//! module docstring, `from __future__` imports and the leading imports.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use crate::analysis::semantic::BindingKind;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::edits::contains_word;

/// How a new import should be written when none can be reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStyle {
    /// `import functools` → `functools.partial`
    Module,
    /// `from concurrent.futures import ProcessPoolExecutor` → `ProcessPoolExecutor`
    Member,
}

/// The expression text to use for `module.member` at a use site, and the edit (if any) that
/// imports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedName {
    pub text: String,
    pub edit: Option<Edit>,
}

/// Finds or adds an import of `module.member` usable at `at`. `None` when the natural names
/// are taken by something else (the caller then offers no automatic fix).
pub fn import_member(
    checker: &Checker,
    module: &str,
    member: &str,
    style: ImportStyle,
    at: TextSize,
) -> Option<ImportedName> {
    if let Some(text) = existing(checker, module, member, at) {
        return Some(ImportedName { text, edit: None });
    }
    let source_text = checker.text();
    let member_free = !contains_word(source_text, member);
    if style == ImportStyle::Member && member_free {
        if let Some(edit) = extend_from_import(checker, module, member) {
            return Some(ImportedName {
                text: member.to_string(),
                edit: Some(edit),
            });
        }
        return Some(ImportedName {
            text: member.to_string(),
            edit: Some(insert_statement(
                checker,
                &format!("from {module} import {member}"),
            )),
        });
    }
    let head = module.split('.').next().unwrap_or(module);
    if checker.semantic.lookup(head, at).is_some() || checker.semantic.is_module_name(head) {
        // Bound, but not to an import we could reuse (checked above).
        return None;
    }
    Some(ImportedName {
        text: format!("{module}.{member}"),
        edit: Some(insert_statement(checker, &format!("import {module}"))),
    })
}

/// An existing module-level import that gives access to `module.member`, as the text to write.
fn existing(checker: &Checker, module: &str, member: &str, at: TextSize) -> Option<String> {
    let usable = |name: &str| {
        // The name must mean the import where the fix uses it.
        checker
            .semantic
            .lookup(name, at)
            .is_some_and(|binding| binding.module_level)
    };
    for stmt in checker.module {
        match stmt {
            Stmt::ImportFrom(import)
                if import.level == 0
                    && import.module.as_ref().is_some_and(|m| m.as_str() == module) =>
            {
                for alias in &import.names {
                    if alias.name.as_str() == member {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        if usable(bound) && is_import_of(checker, bound, module, Some(member), at) {
                            return Some(bound.to_string());
                        }
                    }
                }
            }
            // `from concurrent import futures [as cf]` → `cf.ProcessPoolExecutor`.
            Stmt::ImportFrom(import)
                if import.level == 0
                    && import.module.as_ref().is_some_and(|parent| {
                        module
                            .strip_prefix(parent.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                    }) =>
            {
                let parent = import.module.as_ref().map_or("", |m| m.as_str());
                for alias in &import.names {
                    if module[parent.len() + 1..] == *alias.name.as_str() {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                        if usable(bound)
                            && is_import_of(checker, bound, parent, Some(alias.name.as_str()), at)
                        {
                            return Some(format!("{bound}.{member}"));
                        }
                    }
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let dotted = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) if dotted == module => {
                            let bound = asname.as_str();
                            if usable(bound) && is_import_of(checker, bound, module, None, at) {
                                return Some(format!("{bound}.{member}"));
                            }
                        }
                        None if dotted == module
                            || (module.starts_with(dotted)
                                && module[dotted.len()..].starts_with('.')) =>
                        {
                            // `import concurrent.futures` makes `concurrent.futures.X` reachable;
                            // `import concurrent` alone may not, so require the full module.
                            if dotted != module {
                                continue;
                            }
                            let head = dotted.split('.').next().unwrap_or(dotted);
                            if usable(head) {
                                return Some(format!("{module}.{member}"));
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn is_import_of(
    checker: &Checker,
    name: &str,
    module: &str,
    member: Option<&str>,
    at: TextSize,
) -> bool {
    match checker
        .semantic
        .lookup(name, at)
        .map(|binding| binding.kind)
    {
        Some(BindingKind::FromImport {
            module: m,
            member: n,
        }) => m == module && Some(n) == member,
        Some(BindingKind::Import { module: m }) => m == module && member.is_none(),
        _ => false,
    }
}

/// Adds `member` to an existing single-line `from module import a, b` at module level.
fn extend_from_import(checker: &Checker, module: &str, member: &str) -> Option<Edit> {
    checker.module.iter().find_map(|stmt| {
        let Stmt::ImportFrom(import) = stmt else {
            return None;
        };
        if import.level != 0 || import.module.as_ref().is_none_or(|m| m.as_str() != module) {
            return None;
        }
        let text = &checker.text()[import.range()];
        if text.contains(['\n', '(', '\\', '*']) {
            return None;
        }
        let last = import.names.last()?;
        Some(Edit::insert(last.end(), format!(", {member}")))
    })
}

/// Inserts an import statement on its own line after the module's leading docstring,
/// `from __future__` imports and import block.
/// The start of the first line after `at` that does not continue a backslash-continued line
/// (`import a\` followed by a blank line ends there, not before the blank line).
fn after_continuations(source: &crate::source::SourceText, mut at: TextSize) -> TextSize {
    let text = source.text();
    let continues = |at: TextSize| {
        let before = &text[..usize::from(at)];
        let line = before
            .strip_suffix("\r\n")
            .or_else(|| before.strip_suffix(['\n', '\r']))
            .unwrap_or(before);
        line.ends_with('\\')
    };
    while usize::from(at) < text.len() && continues(at) {
        at = source.next_line_start(at);
    }
    at
}

pub fn insert_statement(checker: &Checker, statement: &str) -> Edit {
    let source = checker.source;
    let newline = checker.stylist.line_ending;
    let mut anchor: Option<&Stmt> = None;
    for (index, stmt) in checker.module.iter().enumerate() {
        let is_docstring = index == 0
            && matches!(stmt, Stmt::Expr(expr) if matches!(expr.value.as_ref(), Expr::StringLiteral(_)));
        if is_docstring || matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) {
            anchor = Some(stmt);
        } else {
            break;
        }
    }
    match anchor {
        Some(stmt) => {
            let at = after_continuations(source, source.next_line_start(stmt.end()));
            if usize::from(at) == source.text().len() && !source.text().ends_with(['\n', '\r']) {
                Edit::insert(at, format!("{newline}{statement}{newline}"))
            } else {
                Edit::insert(at, format!("{statement}{newline}"))
            }
        }
        None => {
            let at = checker
                .module
                .first()
                .map_or(TextSize::of(source.text()), |stmt| {
                    source.line_start(stmt.start())
                });
            Edit::insert(at, format!("{statement}{newline}"))
        }
    }
}
