//! PAR101 loop-to-process-pool: a CPU-bound function applied to each item, one item at a time.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::Collector;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::fix::pool_rewrite::rewrite_statement_value;
use crate::rules::cpu::candidates::{
    at_top_of_the_work, check_cpu_loop, cpu_bound_call, for_diagnostic, is_picklable_function,
    short, PROCESS_POOL,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR101",
    name: "loop-to-process-pool",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A CPU-bound function applied to each item in a loop, comprehension or `map`: run it in a process pool",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::ListComp, NodeKind::Call],
    call_tails: &["list"],
    check,
};

const DOCS: &str = r#"## What it does
Flags a loop that applies a CPU-bound function to each item and keeps the results — a
`for` loop appending `f(x)`, `[f(x) for x in xs]`, `list(map(f, xs))`, or a loop as real code
writes it, with temporaries, `continue` filters, several collectors, dict stores, progress
prints and counters — when:

- `f` is CPU-bound, as its cost summary sees it: a loop counting to a number it is given,
  nested data-dependent loops, heavy arithmetic on every item of a collection, branching
  recursion, or a heavy library routine (`hashlib.pbkdf2_hmac`, `zlib.compress`, ...),
  followed through the module's own functions, or listed in `cpu-functions`. Light work per
  item of a collection (one square root per point) is not: pickling the collection for a
  worker costs about as much. The message names the evidence;
- `f` can be pickled (a module-level function or an imported one) and does not change its
  arguments in place (a worker's changes would be lost);
- the work is not bounded by constant arguments at the call (`squares(3)`);
- the iterations are independent, as the loop decomposition sees them: no iteration reads
  what another writes, no `break` or `return`, no writes to shared objects (the function's
  own writes to module globals included) other than the combine steps the parent can run
  in order (collecting, storing under a per-item key, counting, printing, logging);
- the loop neither blocks on I/O (the I/O rules take those) nor calls methods of `self`;
- the loop is not in a building block: a function the module calls once per item (in a
  loop, a comprehension or a `map`) or recursively. A pool belongs at the top of the work,
  not in each call of a helper.

Loops inside `async def` are left to the asyncio rules.

## Why is this bad?
CPython runs Python code on one core at a time (the GIL), so this loop uses one core however
many the machine has. `ProcessPoolExecutor.map` runs the calls in worker processes, one per
core, and returns the results in the order of the items.

## Example
```python
def thumbnails(paths):
    results = []
    for path in paths:
        results.append(render(path))
    return results
```

Use instead:
```python
from concurrent.futures import ProcessPoolExecutor

def thumbnails(paths):
    results = []
    with ProcessPoolExecutor() as executor:
        results.extend(executor.map(render, paths))
    return results
```

## Fix
Rewrites the loop into a `with ProcessPoolExecutor() as executor:` block around
`executor.map`: the items (or a generator over them, for an `if` filter or an expression of
the item), and `itertools.repeat(value)` for arguments that do not change. A comprehension or
`list(map(...))` assigned or returned becomes `list(executor.map(...))` inside the block.
Add `chunksize=` for many small items (PAR103).

Other loops are **outlined**: the per-item work becomes a module-level function (worker
processes import it by name, also under spawn), taking the item and, as keyword arguments
through `functools.partial`, the values it reads from the enclosing function. The parent maps
it over the items and runs the combine steps (appends, stores, counters, prints, logging) on
each result, in the items' order; a `continue` becomes `return None` and the parent skips
that item; a guarded count (`if f(x) == 89: count += 1`) has its test computed in the
worker. Work that needs `self`, a lambda or nested function, an open file or client, or that
sits in a `try` whose handlers the parent must run, gets the suggestion only.

```python
def nearest_item(item, *, query):
    position, word = item
    gap = edit_distance(word, query)
    return position, word, gap


def nearest(words, query):
    pairs = []
    with ProcessPoolExecutor() as executor:
        for position, word, gap in executor.map(partial(nearest_item, query=query), enumerate(words)):
            pairs.append((position, word, gap))
    return pairs
```

## Fix safety
Unsafe: arguments and results must be picklable, the function runs in other processes (its
changes to module globals are lost), and a module that creates processes at import time
also needs `if __name__ == "__main__":` (PAR402).
"#;

const STRATEGY: &str = "run it in a process pool (ProcessPoolExecutor.map)";

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if checker.semantic.in_async_function() {
        return;
    }
    match node {
        Node::Stmt(Stmt::For(for_stmt)) => {
            let compact = checker
                .independent_for(for_stmt)
                .filter(|independent| matches!(independent.collector, Collector::Append { .. }))
                .and_then(|independent| {
                    let work = cpu_bound_call(checker, independent.collector.value())?;
                    Some(for_diagnostic(
                        checker,
                        &RULE,
                        for_stmt,
                        &independent,
                        &work,
                        STRATEGY,
                    ))
                });
            check_cpu_loop(checker, for_stmt, &RULE, None, STRATEGY, compact);
        }
        Node::Expr(expr @ Expr::ListComp(comp)) => {
            let Some(independent) = checker.independent_list_comprehension(comp) else {
                return;
            };
            let Some(work) = cpu_bound_call(checker, &comp.elt) else {
                return;
            };
            let call = work.call;
            let message = format!(
                "CPU-bound comprehension calls `{}` on each item of `{}` ({}); {STRATEGY}",
                short(checker.source.slice(call.func.range())),
                short(checker.source.slice(independent.iter.range())),
                work.evidence
            );
            let fix = rewrite_statement_value(checker, expr, None, Some(&independent), Some(call), &PROCESS_POOL)
                .map(|edits| Fix::unsafe_("Run the calls in a `ProcessPoolExecutor`", edits))
                .unwrap_or_else(|| Fix::display_only("Use `list(executor.map(f, xs))` inside `with ProcessPoolExecutor() as executor:`", Vec::new()));
            checker.report(Diagnostic::new(&RULE, message, expr.range()).with_fix(Some(fix)));
        }
        Node::Expr(expr @ Expr::Call(call)) => {
            // `list(map(f, xs))`: the shape first, as it is cheaper than resolving names.
            let [Expr::Call(inner)] = call.arguments.args.as_ref() else {
                return;
            };
            if !checker.semantic.resolves_to(&call.func, "builtins.list")
                || !checker.semantic.resolves_to(&inner.func, "builtins.map")
                || inner.arguments.args.len() < 2
                || !inner.arguments.keywords.is_empty()
                || inner
                    .arguments
                    .args
                    .iter()
                    .any(|arg| matches!(arg, Expr::Starred(_)))
            {
                return;
            }
            let function = &inner.arguments.args[0];
            if !is_picklable_function(checker, function) {
                return;
            }
            let Some(summary) = checker.summaries().of_callable(&checker.semantic, function) else {
                return;
            };
            let Some(work) = summary.cpu_work() else {
                return;
            };
            if summary.mutation.mutates_arguments() || !at_top_of_the_work(checker) {
                return;
            }
            let evidence = crate::rules::evidence::cost(checker, &summary.cost)
                .unwrap_or_else(|| work.describe().to_string());
            let message = format!(
                "CPU-bound `map` calls `{}` on each item of `{}` (`{}` {evidence}); {STRATEGY}",
                short(checker.source.slice(function.range())),
                short(checker.source.slice(inner.arguments.args[1].range())),
                short(checker.source.slice(function.range())),
            );
            let arguments = inner
                .arguments
                .args
                .iter()
                .map(|arg| checker.source.slice(arg.range()))
                .collect::<Vec<_>>()
                .join(", ");
            let fix = rewrite_statement_value(checker, expr, Some(arguments), None, None, &PROCESS_POOL)
                .map(|edits| Fix::unsafe_("Run the calls in a `ProcessPoolExecutor`", edits))
                .unwrap_or_else(|| Fix::display_only("Use `list(executor.map(f, xs))` inside `with ProcessPoolExecutor() as executor:`", Vec::new()));
            checker.report(Diagnostic::new(&RULE, message, expr.range()).with_fix(Some(fix)));
        }
        _ => {}
    }
}
