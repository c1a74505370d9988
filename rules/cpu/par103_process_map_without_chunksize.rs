//! PAR103 process-map-without-chunksize: a process pool's `map`/`imap` over a large collection
//! sending one item per round trip.

use ruff_python_ast::{self as ast, Expr, Number};
use ruff_text_size::{Ranged, TextSize};

use crate::analysis::semantic::{keyword, PoolKind, Runner};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR103",
    name: "process-map-without-chunksize",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A process pool's `map`/`imap`/`imap_unordered` over a large collection without `chunksize`: one round trip per item",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags `ProcessPoolExecutor.map` (and `InterpreterPoolExecutor.map`) and
`multiprocessing.Pool.imap`/`imap_unordered` called without `chunksize` over a collection
that is known to be large: a `range` of at least `min-items` elements (default 1000), a
`range` whose length is computed at run time, a list of files from `glob.glob`,
`os.listdir`, `Path.glob`/`rglob`/`iterdir`, or the lines of a file — directly or through a
variable assigned one of these in the same function. `Pool.map` is not flagged: it picks a
chunk size itself. Collections of unknown size are not flagged.

## Why is this bad?
These methods default to `chunksize=1`: every item is pickled, sent to a worker, and its
result sent back in a round trip of its own. For thousands of items the inter-process
traffic can cost more than the CPU-bound work itself, and the pool is slower than a plain
loop. Sending items in batches keeps every worker busy with far fewer round trips.

## Example
```python
from concurrent.futures import ProcessPoolExecutor

def checksums(paths):
    with ProcessPoolExecutor() as executor:
        return list(executor.map(checksum, paths))

checksums(glob.glob("data/**/*.bin", recursive=True))
```

Use instead:
```python
import os
from concurrent.futures import ProcessPoolExecutor

def checksums(paths):
    with ProcessPoolExecutor() as executor:
        return list(executor.map(checksum, paths, chunksize=max(1, len(paths) // (4 * (os.cpu_count() or 1)))))
```

## Fix
Adds `chunksize=max(1, len(items) // (4 * (os.cpu_count() or 1)))`: about four batches per
worker, as `multiprocessing.Pool.map` chooses. Offered only where the collection has a
length and can be evaluated again without side effects (a variable holding a list or a
`range`, or a `range(...)` call); otherwise the suggestion is shown but not applied.

## Fix safety
Unsafe: results are unchanged, but a larger batch delays the first result of `imap` and can
balance uneven work less evenly.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let Runner::Pool(kind) = run.runner else {
        return;
    };
    let flagged_method = match kind {
        PoolKind::ProcessExecutor | PoolKind::InterpreterExecutor => run.entry == "map",
        PoolKind::ProcessPool => matches!(run.entry, "imap" | "imap_unordered"),
        PoolKind::ThreadExecutor | PoolKind::ThreadPool => false,
    };
    if !flagged_method || keyword(call, "chunksize").is_some() {
        return;
    }
    // `Pool.imap(func, iterable, chunksize)`: a third positional argument is the chunk size.
    if kind == PoolKind::ProcessPool && call.arguments.args.len() >= 3 {
        return;
    }
    let Some(items) = call.arguments.args.get(1) else {
        return;
    };
    let size = collection_size(checker, items, call.start(), 0);
    let count = match size {
        Size::Known(count) if count >= checker.settings.min_items => format!("{count} items"),
        Size::Large { .. } => "a large number of items".to_string(),
        _ => return,
    };
    let method = format!("{}.{}", kind.class_name(), run.entry);
    let message = format!(
        "`{method}` sends {count} of `{}` to worker processes one per round trip (chunksize=1); batch the CPU-bound work with `chunksize`",
        checker.source.slice(items.range())
    );
    let fix = chunksize_fix(checker, call, items, &size).unwrap_or_else(|| {
        Fix::display_only(
            "Pass `chunksize=` (for example `max(1, n // (4 * (os.cpu_count() or 1)))` for n items)",
            Vec::new(),
        )
    });
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// What is known about the length of a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    Known(u64),
    /// Evidence of many items; `sized` when `len()` works on it.
    Large {
        sized: bool,
    },
    Unknown,
}

fn int_literal(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(value),
            ..
        }) => value.as_i64(),
        Expr::UnaryOp(unary) if matches!(unary.op, ast::UnaryOp::USub) => {
            int_literal(&unary.operand).map(|v| -v)
        }
        _ => None,
    }
}

fn collection_size<'a>(checker: &Checker<'a>, expr: &'a Expr, at: TextSize, depth: u8) -> Size {
    if depth > 2 {
        return Size::Unknown;
    }
    match expr {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => Size::Known(elts.len() as u64),
        Expr::Call(call) => {
            let Some(name) = checker.semantic.qualified_name(&call.func) else {
                return match call.func.as_ref() {
                    Expr::Attribute(attribute) => match attribute.attr.as_str() {
                        "glob" | "rglob" | "iterdir" => Size::Large { sized: false },
                        "readlines" => Size::Large { sized: true },
                        _ => Size::Unknown,
                    },
                    _ => Size::Unknown,
                };
            };
            if name.is("builtins.range") {
                return range_size(call);
            }
            if name.is_any(&["builtins.list", "builtins.tuple", "builtins.sorted"]) {
                return match call.arguments.args.first() {
                    Some(inner) => match collection_size(checker, inner, at, depth + 1) {
                        Size::Large { .. } => Size::Large { sized: true },
                        other => other,
                    },
                    None => Size::Unknown,
                };
            }
            if name.is_any(&["glob.glob", "os.listdir"]) {
                return Size::Large { sized: true };
            }
            if name.is_any(&["glob.iglob", "os.scandir", "os.walk"]) {
                return Size::Large { sized: false };
            }
            match call.func.as_ref() {
                Expr::Attribute(attribute)
                    if matches!(attribute.attr.as_str(), "glob" | "rglob" | "iterdir") =>
                {
                    Size::Large { sized: false }
                }
                Expr::Attribute(attribute) if attribute.attr.as_str() == "readlines" => {
                    Size::Large { sized: true }
                }
                _ => Size::Unknown,
            }
        }
        Expr::Name(name) => {
            match crate::analysis::names::single_assignment(
                &checker.semantic,
                checker.module,
                name.id.as_str(),
                at,
            ) {
                Some(value) => collection_size(checker, value, value.start(), depth + 1),
                None => Size::Unknown,
            }
        }
        _ => Size::Unknown,
    }
}

fn range_size(call: &ast::ExprCall) -> Size {
    let args = &call.arguments.args;
    let literals: Option<Vec<i64>> = args.iter().map(int_literal).collect();
    match (args.len(), literals) {
        (1, Some(v)) => Size::Known(v[0].max(0) as u64),
        (2, Some(v)) => Size::Known((v[1] - v[0]).max(0) as u64),
        (3, Some(v)) if v[2] != 0 => {
            let span = if v[2] > 0 { v[1] - v[0] } else { v[0] - v[1] };
            Size::Known((span.max(0) as u64).div_ceil(v[2].unsigned_abs()))
        }
        // A length computed at run time: `range(n)`, `range(len(data))`.
        (1 | 2, None) if call.arguments.keywords.is_empty() => Size::Large { sized: true },
        _ => Size::Unknown,
    }
}

/// `chunksize=max(1, len(items) // (4 * (os.cpu_count() or 1)))`, when `items` has a length
/// and reading it again has no side effects.
fn chunksize_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    items: &'a Expr,
    size: &Size,
) -> Option<Fix> {
    let repeatable = match items {
        Expr::Name(_) => !matches!(size, Size::Large { sized: false }),
        Expr::Call(range) => {
            checker.semantic.resolves_to(&range.func, "builtins.range")
                && range
                    .arguments
                    .args
                    .iter()
                    .all(|arg| matches!(arg, Expr::Name(_) | Expr::NumberLiteral(_)))
        }
        _ => false,
    };
    if !repeatable {
        return None;
    }
    let cpu_count = import_member(
        checker,
        "os",
        "cpu_count",
        ImportStyle::Module,
        call.start(),
    )?;
    let last_argument = call
        .arguments
        .args
        .iter()
        .map(Ranged::end)
        .chain(call.arguments.keywords.iter().map(Ranged::end))
        .max()?;
    let chunksize = format!(
        "max(1, len({}) // (4 * ({}() or 1)))",
        checker.source.slice(items.range()),
        cpu_count.text
    );
    let mut edits = vec![Edit::insert(
        last_argument,
        format!(", chunksize={chunksize}"),
    )];
    edits.extend(cpu_count.edit);
    Some(Fix::unsafe_(format!("Pass `chunksize={chunksize}`"), edits))
}
