//! PAR606 asyncio-run-in-loop: a new event loop per item, each run to completion in turn.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{Collector, IndependentLoop};
use crate::analysis::names::expr_names;
use crate::analysis::semantic::BindingKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::{contains_comment, unused_name};
use crate::fix::imports::{import_member, insert_statement, ImportStyle};
use crate::fix::pool_rewrite::generator_text;
use crate::rules::cpu::candidates::{header_range, short};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR606",
    name: "asyncio-run-in-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary:
        "`asyncio.run(...)` once per item in a loop: one event loop per item, run one after another",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::ListComp],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `for` loop or list comprehension in synchronous code that calls `asyncio.run(f(x))`
once per item — collecting the results, or for the effect — when the iterations are
independent and the coroutine depends on the item. Not when the coroutine function itself
changes per item (`asyncio.run(module.main())` over imported modules): each item is then a
program of its own, such as a migration, run in order on purpose.

## Why is this bad?
`asyncio.run` creates an event loop, runs one coroutine to completion and closes the loop.
In a loop, every item pays for a new event loop and the coroutines — I/O-bound work meant to
overlap — run strictly one after another. One `asyncio.run` over `asyncio.gather` of all the
coroutines runs them concurrently on one loop.

## Example
```python
def fetch_all(urls):
    return [asyncio.run(fetch(url)) for url in urls]
```

Use instead:
```python
async def _gather_all(*aws):
    return await asyncio.gather(*aws)


def fetch_all(urls):
    return asyncio.run(_gather_all(*(fetch(url) for url in urls)))
```

## Fix
Adds a module-level `async def _gather_all(*aws): return await asyncio.gather(*aws)` (once;
`asyncio.run` needs a coroutine, which `gather` is not) and runs it over a generator of the
coroutines: `out.extend(asyncio.run(...))` for an appending loop, `asyncio.run(...)` for a
comprehension or a loop run for its effect. Results keep the order of the items. Loops with
temporaries, comments, or variables used after the loop get the suggestion only.

## Fix safety
Unsafe: the coroutines now run concurrently and share one event loop (and whatever
loop-bound objects they create), and the first exception propagates while the others may
still be running.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if checker.semantic.in_async_function() {
        return;
    }
    match node {
        Node::Stmt(Stmt::For(for_stmt)) => {
            let Some(independent) = checker.independent_for(for_stmt) else {
                return;
            };
            if !matches!(
                independent.collector,
                Collector::Append { .. } | Collector::Effect { .. }
            ) {
                return;
            }
            let Some((run, coroutine)) = per_item_run(checker, &independent) else {
                return;
            };
            let fix =
                for_fix(checker, for_stmt, &independent, run, coroutine).unwrap_or_else(suggestion);
            let message = message(checker, coroutine, &independent);
            checker.report(
                Diagnostic::new(&RULE, message, header_range(checker, for_stmt))
                    .with_fix(Some(fix)),
            );
        }
        Node::Expr(expr @ Expr::ListComp(comp)) => {
            let Some(independent) = checker.independent_list_comprehension(comp) else {
                return;
            };
            let Some((run, coroutine)) = per_item_run(checker, &independent) else {
                return;
            };
            let fix = if contains_comment(checker.tokens, expr.range()) {
                None
            } else {
                gather_call(checker, &independent, run, coroutine, expr.start()).map(
                    |(text, mut edits)| {
                        edits.push(Edit::replace(expr.range(), text));
                        Fix::unsafe_(
                            "Run all coroutines in one event loop with `asyncio.gather`",
                            edits,
                        )
                    },
                )
            }
            .unwrap_or_else(suggestion);
            let message = message(checker, coroutine, &independent);
            checker.report(Diagnostic::new(&RULE, message, expr.range()).with_fix(Some(fix)));
        }
        _ => {}
    }
}

fn message(checker: &Checker, coroutine: &ast::ExprCall, independent: &IndependentLoop) -> String {
    format!(
        "`asyncio.run` starts a new event loop for each item of `{}` and runs `{}` one item at a time (I/O-bound); run them together in one loop with `asyncio.gather`",
        short(checker.source.slice(independent.iter.range())),
        short(checker.source.slice(coroutine.func.range()))
    )
}

fn suggestion() -> Fix {
    Fix::display_only(
        "Run all coroutines in one `asyncio.run` over `asyncio.gather(*(f(x) for x in xs))` (wrapped in an `async def`)",
        Vec::new(),
    )
}

/// The collected `asyncio.run(coroutine)` and the coroutine call, when the coroutine depends
/// on the item.
fn per_item_run<'a>(
    checker: &Checker<'a>,
    independent: &IndependentLoop<'a>,
) -> Option<(&'a ast::ExprCall, &'a ast::ExprCall)> {
    let Expr::Call(run) = independent.collector.value() else {
        return None;
    };
    if !checker.semantic.resolves_to(&run.func, "asyncio.run") || !run.arguments.keywords.is_empty()
    {
        return None;
    }
    let [Expr::Call(coroutine)] = &*run.arguments.args else {
        return None;
    };
    let depends = expr_names(&run.arguments.args[0])
        .free()
        .iter()
        .any(|name| independent.iteration_names.contains(name));
    // `asyncio.run(module.main())` with a per-item module or function: each item is its own
    // program (a migration, a step), run in order on purpose.
    let program_varies = expr_names(&coroutine.func)
        .free()
        .iter()
        .any(|name| independent.iteration_names.contains(name));
    (depends && !program_varies).then_some((run, coroutine))
}

/// `asyncio.run(_gather_all(*(f(x) for x in xs)))` and the edits defining `_gather_all`.
fn gather_call(
    checker: &Checker,
    independent: &IndependentLoop,
    run: &ast::ExprCall,
    coroutine: &ast::ExprCall,
    at: ruff_text_size::TextSize,
) -> Option<(String, Vec<Edit>)> {
    let mut edits = Vec::new();
    let helper = match checker
        .semantic
        .module_binding("_gather_all")
        .map(|binding| binding.kind)
    {
        Some(BindingKind::Function(def)) if def.is_async => "_gather_all".to_string(),
        _ => {
            let name = unused_name(checker.text(), "_gather_all");
            let gather = import_member(checker, "asyncio", "gather", ImportStyle::Module, at)?;
            edits.extend(gather.edit);
            let newline = checker.stylist.line_ending;
            let unit = &checker.stylist.indent_unit;
            let definition = format!(
                "{newline}{newline}async def {name}(*aws):{newline}{unit}return await {}(*aws){newline}",
                gather.text
            );
            let mut insert = insert_statement(checker, "");
            insert.content = definition;
            edits.push(insert);
            name
        }
    };
    let generator = generator_text(
        checker,
        independent,
        checker.source.slice(coroutine.range()),
    );
    let run_text = checker.source.slice(run.func.range());
    let call = format!("{run_text}({helper}(*{generator}))");
    // `asyncio\n.run` written inside the comprehension's brackets needs brackets of its own
    // once it stands alone.
    let call = if run_text.contains(['\n', '\r']) {
        format!("({call})")
    } else {
        call
    };
    Some((call, edits))
}

fn for_fix(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    independent: &IndependentLoop,
    run: &ast::ExprCall,
    coroutine: &ast::ExprCall,
) -> Option<Fix> {
    if !crate::fix::pool_rewrite::loop_is_replaceable(checker, for_stmt, independent) {
        return None;
    }
    let (call, mut edits) = gather_call(checker, independent, run, coroutine, for_stmt.start())?;
    let statement = match independent.collector {
        Collector::Append { list, .. } => format!("{}.extend({call})", list.id),
        Collector::Effect { .. } => call,
        _ => return None,
    };
    edits.push(Edit::replace(for_stmt.range(), statement));
    Some(Fix::unsafe_(
        "Run all coroutines in one event loop with `asyncio.gather`",
        edits,
    ))
}
