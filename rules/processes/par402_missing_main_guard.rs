//! PAR402 missing-main-guard: a process pool or `Process` started by module-level code that is
//! not under `if __name__ == "__main__":`.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;

use crate::analysis::names::{function_names, stmt_names, NameUse};
use crate::analysis::semantic::{is_main_guard, BindingKind};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::indent;
use crate::rules::{FixAvailability, RuleSpec};
use crate::source::indentation_at;

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR402",
    name: "missing-main-guard",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A process pool or `Process` is started by module-level code outside `if __name__ == \"__main__\":`",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags the first top-level statement that creates a process pool (`ProcessPoolExecutor`,
`multiprocessing.Pool`, `ctx.Pool()`), a `multiprocessing.Process` or a
`multiprocessing.Manager` when it runs at import time, outside an
`if __name__ == "__main__":` block. A module-level call of one of the module's own functions
that (directly or through the module's other functions) creates one counts too: `main()` at
the bottom of a script.

## Why is this bad?
Under the `spawn` and `forkserver` start methods — the default on macOS and Windows, and on
Linux from Python 3.14 — every worker process starts by importing the main module. Without
the guard, each worker runs the module's top-level code again and tries to start its own
pool, and Python stops it with `RuntimeError: An attempt has been made to start a new
process before the current process has finished its bootstrapping phase`. The CPU-bound work
the pool was for never runs, and on some platforms the script hangs.

## Example
```python
from concurrent.futures import ProcessPoolExecutor

def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count

with ProcessPoolExecutor() as executor:
    print(list(executor.map(count_primes, [10_000, 20_000, 30_000])))
```

Use instead:
```python
from concurrent.futures import ProcessPoolExecutor

def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count

if __name__ == "__main__":
    with ProcessPoolExecutor() as executor:
        print(list(executor.map(count_primes, [10_000, 20_000, 30_000])))
```

## Fix
Wraps the top-level statements from the flagged one to the end of the module in
`if __name__ == "__main__":`, re-indented in the file's own style (comments and blank lines
kept, the inside of multi-line strings untouched). Imports, functions and classes among them
stay at module level, above the guard, so worker processes can still import them; the body
of an existing main guard is merged into the new one. When a definition that stays at module
level needs a name only the guarded code binds (a decorator, a default value, a base class),
or statements share a line, the rewrite is shown but not applied.

## Fix safety
Unsafe: code that imports this module no longer runs the guarded statements, and module
globals they assigned are no longer set in worker processes.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    if !checker.semantic.at_module_level() || checker.in_main_guard() || checker.has_reported(&RULE)
    {
        return;
    }
    let what = if checker.semantic.creates_process(call) {
        "creates a process pool or process".to_string()
    } else {
        match call.func.as_ref() {
            Expr::Name(name)
                if matches!(
                    checker
                        .semantic
                        .module_binding(name.id.as_str())
                        .map(|b| b.kind),
                    Some(BindingKind::Function(_))
                ) && checker.semantic.function_creates_process(name.id.as_str()) =>
            {
                format!(
                    "calls `{}()`, which starts a process pool or process,",
                    name.id
                )
            }
            _ => return,
        }
    };
    let Some(stmt) = checker.top_level_statement() else {
        return;
    };
    let source = checker.source;
    let first_line_end = source.line_end(stmt.start()).min(stmt.end());
    let range = TextRange::new(stmt.start(), first_line_end.max(stmt.start()));
    let message = format!(
        "Module-level code {what} outside `if __name__ == \"__main__\":`; under spawn/forkserver (macOS, Windows, Linux from Python 3.14) each worker re-imports the module and tries to start processes again, so the CPU-bound work fails"
    );
    let fix = guard_fix(checker, stmt);
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
}

/// Statements that stay at module level: imports and definitions (and blocks holding only those).
fn is_definition(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::FunctionDef(_)
        | Stmt::ClassDef(_)
        | Stmt::TypeAlias(_) => true,
        Stmt::If(if_stmt) if !is_main_guard(&if_stmt.test) => {
            if_stmt.body.iter().all(is_definition)
                && if_stmt
                    .elif_else_clauses
                    .iter()
                    .all(|clause| clause.body.iter().all(is_definition))
        }
        Stmt::Try(try_stmt) => {
            try_stmt.body.iter().all(is_definition)
                && try_stmt.handlers.iter().all(|handler| {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    handler
                        .body
                        .iter()
                        .all(|stmt| is_definition(stmt) || matches!(stmt, Stmt::Pass(_)))
                })
        }
        _ => false,
    }
}

/// Names a definition needs while it is being defined (decorators, defaults, bases, class
/// bodies), as opposed to when its functions later run.
fn definition_time_loads(stmt: &Stmt) -> NameUse<'_> {
    match stmt {
        Stmt::FunctionDef(def) => {
            let mut uses = NameUse::default();
            for decorator in &def.decorator_list {
                uses.loads
                    .extend(crate::analysis::names::expr_names(&decorator.expression).loads);
            }
            for parameter in def.parameters.iter() {
                if let Some(default) = parameter.default() {
                    uses.loads
                        .extend(crate::analysis::names::expr_names(default).loads);
                }
            }
            uses
        }
        Stmt::ClassDef(_) => {
            // Class bodies run at definition time; their methods' bodies do not, but counting
            // them too only makes the fix display-only more often.
            let mut uses = stmt_names(stmt);
            uses.stores.clear();
            uses
        }
        _ => stmt_names(stmt),
    }
}

/// Names a guarded (moved under the guard) statement binds at module level.
fn bound_names<'a>(stmt: &'a Stmt, names: &mut FxHashSet<&'a str>) {
    let uses = stmt_names(stmt);
    names.extend(uses.stores.iter().copied());
}

fn guard_fix(checker: &Checker, first: &Stmt) -> Fix {
    let display = || {
        Fix::display_only(
            "Move the module-level code that starts processes under `if __name__ == \"__main__\":`",
            Vec::new(),
        )
    };
    let Some(start_index) = checker
        .module
        .iter()
        .position(|stmt| std::ptr::eq(stmt, first))
    else {
        return display();
    };
    let source = checker.source;
    let text = source.text();
    let statements = &checker.module[start_index..];
    // Statements must not share lines (with each other or with the one before).
    let mut previous_end_row = start_index
        .checked_sub(1)
        .map(|i| source.row(checker.module[i].end()));
    for stmt in statements {
        if previous_end_row == Some(source.row(stmt.start())) {
            return display();
        }
        previous_end_row = Some(source.row(stmt.end()));
    }
    let (kept, guarded): (Vec<&Stmt>, Vec<&Stmt>) =
        statements.iter().partition(|stmt| is_definition(stmt));
    let mut guarded_names = FxHashSet::default();
    for stmt in &guarded {
        bound_names(stmt, &mut guarded_names);
    }
    for stmt in &kept {
        let needs = definition_time_loads(stmt);
        let needs_guarded = |name: &str| guarded_names.contains(name);
        // A decorator or default that calls one of the module's functions runs its body now.
        let called_function_needs =
            |name: &str| match checker.semantic.module_binding(name).map(|b| b.kind) {
                Some(BindingKind::Function(def)) => function_names(def, true)
                    .free()
                    .into_iter()
                    .any(needs_guarded),
                _ => false,
            };
        if needs
            .loads
            .iter()
            .any(|(name, _)| needs_guarded(name) || called_function_needs(name))
        {
            return display();
        }
        let defines = stmt_names(stmt);
        let top_level_name = match stmt {
            Stmt::FunctionDef(def) => Some(def.name.as_str()),
            Stmt::ClassDef(class) => Some(class.name.as_str()),
            _ => None,
        };
        let redefined = top_level_name
            .into_iter()
            .chain(
                defines
                    .stores
                    .iter()
                    .copied()
                    .filter(|_| matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_))),
            )
            .any(|name| {
                guarded_names.contains(name) || checker.semantic.module_binding_count(name) > 1
            });
        if redefined {
            return display();
        }
    }

    // Each statement's chunk: from the end of the previous one's last line to the end of its own.
    let newline = checker.stylist.line_ending;
    let unit = checker.stylist.indent_unit.as_str();
    let region_start = source.line_start(first.start());
    let mut chunk_start = region_start;
    let mut kept_text = String::new();
    let mut guarded_text = String::new();
    for stmt in statements {
        let chunk_end = source.next_line_start(stmt.end());
        let chunk = TextRange::new(chunk_start, chunk_end);
        chunk_start = chunk_end;
        let mut piece = if is_definition(stmt) {
            kept_text.push_str(&text[chunk]);
            continue;
        } else if let Some(body) = mergeable_main_guard(checker, stmt) {
            // The leading comments get indented; the existing guard's body keeps its indentation.
            let header = source.line_start(stmt.start());
            let mut piece = indent::indent(
                text,
                checker.tokens,
                TextRange::new(chunk.start(), header),
                unit,
            );
            piece.push_str(&text[TextRange::new(source.line_start(body.start()), chunk_end)]);
            piece
        } else {
            indent::indent(text, checker.tokens, chunk, unit)
        };
        if !piece.ends_with('\n') && !piece.ends_with('\r') {
            piece.push_str(newline);
        }
        if guarded_text.is_empty() {
            piece = piece.trim_start_matches(['\n', '\r']).to_string();
        } else {
            piece = at_most_one_leading_blank_line(&piece, newline);
        }
        guarded_text.push_str(&piece);
    }
    let tail = &text[usize::from(chunk_start)..];
    let mut replacement = kept_text;
    if !replacement.is_empty() {
        if !replacement.ends_with('\n') && !replacement.ends_with('\r') {
            replacement.push_str(newline);
        }
        replacement.push_str(newline);
        replacement.push_str(newline);
    }
    replacement.push_str(&format!("if __name__ == \"__main__\":{newline}"));
    replacement.push_str(&guarded_text);
    replacement.push_str(tail);
    Fix::unsafe_(
        "Wrap the module-level code from here on in `if __name__ == \"__main__\":`",
        vec![Edit::replace(
            TextRange::new(region_start, source.text_len()),
            replacement,
        )],
    )
}

/// An existing `if __name__ == "__main__":` (without `elif`/`else`) whose body is indented by
/// exactly one of the file's indentation units: its body can join the new guard as it is.
fn mergeable_main_guard<'a>(checker: &Checker<'a>, stmt: &'a Stmt) -> Option<&'a Stmt> {
    let Stmt::If(if_stmt) = stmt else {
        return None;
    };
    if !is_main_guard(&if_stmt.test) || !if_stmt.elif_else_clauses.is_empty() {
        return None;
    }
    let body = if_stmt.body.first()?;
    let source = checker.source;
    let indentation = indentation_at(source.text(), source.line_start(body.start()));
    (source.line_start(body.start()) > source.line_start(stmt.start())
        && indentation == checker.stylist.indent_unit)
        .then_some(body)
}

/// Definitions moved out of the guarded run leave their blank lines behind: keep one.
fn at_most_one_leading_blank_line(piece: &str, newline: &str) -> String {
    let trimmed = piece.trim_start_matches(['\n', '\r']);
    if trimmed.len() == piece.len() {
        piece.to_string()
    } else {
        format!("{newline}{trimmed}")
    }
}
