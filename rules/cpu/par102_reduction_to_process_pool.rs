//! PAR102 reduction-to-process-pool: `acc += f(x)` over a loop with a CPU-bound `f`.

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::Collector;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::cpu::candidates::{check_cpu_loop, cpu_bound_call, for_diagnostic};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR102",
    name: "reduction-to-process-pool",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A sum of a CPU-bound function over the items of a loop: compute the terms in a process pool",
    docs: DOCS,
    kinds: &[NodeKind::For],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags `acc += f(x)` (or `acc = acc + f(x)`) accumulated over an independent `for` loop when
`acc` starts as a number (`total = 0`) and `f` is a CPU-bound, picklable (module-level or
imported) function that does not change its arguments: the terms are computed one after
another on one core. CPU-bound means what PAR101 means (cost that grows with the input, or
heavy work, as the cost summary sees it), and the loop must not be in a building block of
the module. `out += f(x)` on a list or bytes concatenates, in order: it is not a sum and is
not flagged.

Loops as real code writes them are flagged too: the term computed through temporaries
(`per_line = count(row, groups)` then `total += per_line`), guarded counts
(`if chain_end(n) == 89: count += 1`), with progress prints beside; the loop decomposition
must find the iterations independent, every accumulator a number, and the work free of I/O
and of writes to shared state.

## Why is this bad?
The sum itself is cheap; computing each term is the CPU-bound work, and the GIL keeps it on
one core. The terms can be computed in worker processes and summed as they arrive, in order.

## Example
```python
def total_cost(routes):
    total = 0
    for route in routes:
        total += simulate(route)
    return total
```

Use instead:
```python
from concurrent.futures import ProcessPoolExecutor

def total_cost(routes):
    total = 0
    with ProcessPoolExecutor() as executor:
        total += sum(executor.map(simulate, routes))
    return total
```

## Fix
`acc += f(x)` loops become `acc += sum(executor.map(f, xs))` inside a
`with ProcessPoolExecutor() as executor:` block (generators for filters and item expressions,
`itertools.repeat` for unchanging arguments). Other loops are outlined as PAR101 does: the
work moves to a module-level function mapped over the items in the pool, and the parent adds
or counts each result in the items' order (so even floating-point sums add up as before).

## Fix safety
Unsafe: floating-point sums are grouped differently (`acc + (t1 + t2 + ...)` instead of
`(acc + t1) + t2 ...`), arguments and results must be picklable, and the function's changes
to module globals happen in other processes.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Stmt(Stmt::For(for_stmt)) = node else {
        return;
    };
    if checker.semantic.in_async_function() {
        return;
    }
    let compact = checker.independent_for(for_stmt).and_then(|independent| {
        let Collector::Reduction {
            op, accumulator, ..
        } = independent.collector
        else {
            return None;
        };
        if !matches!(op, Operator::Add)
            || !starts_as_number(checker, accumulator.id.as_str(), for_stmt)
        {
            return None;
        }
        let work = cpu_bound_call(checker, independent.collector.value())?;
        Some(for_diagnostic(
            checker,
            &RULE,
            for_stmt,
            &independent,
            &work,
            "compute the terms in a process pool (sum(ProcessPoolExecutor.map(...)))",
        ))
    });
    let numbers = |checker: &Checker<'a>, sinks: &[&str]| {
        sinks
            .iter()
            .all(|sink| starts_as_number(checker, sink, for_stmt))
    };
    check_cpu_loop(
        checker,
        for_stmt,
        &RULE,
        Some(&numbers),
        "compute the terms in a process pool (ProcessPoolExecutor.map), summing in order",
        compact,
    );
}

/// Whether the accumulator is a number before the loop (`total = 0`, `cost: float = 0.0`):
/// only then is `acc += f(x)` a sum. `out += f(x)` on a list or bytes concatenates, in order.
/// The accumulator's last assignment among the statements before the loop decides.
fn starts_as_number<'a>(checker: &Checker<'a>, name: &str, for_stmt: &'a ast::StmtFor) -> bool {
    let scope: &'a [Stmt] = match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(crate::analysis::semantic::ScopeKind::Function(def)) => &def.body,
        Some(_) => return false,
        None => checker.module,
    };
    let Some(body) = crate::analysis::names::containing_body(scope, for_stmt.range()) else {
        return false;
    };
    let is_name =
        |target: &Expr| matches!(target, Expr::Name(target) if target.id.as_str() == name);
    let value = body
        .iter()
        .take_while(|stmt| stmt.start() < for_stmt.start())
        .filter_map(|stmt| match stmt {
            Stmt::Assign(assign) if assign.targets.iter().any(is_name) => Some(&*assign.value),
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) if is_name(target) => Some(&**value),
            _ => None,
        })
        .last();
    match value {
        Some(Expr::NumberLiteral(_)) => true,
        Some(Expr::UnaryOp(unary)) => unary.operand.is_number_literal_expr(),
        Some(Expr::Call(call)) => {
            checker.semantic.resolves_to(&call.func, "builtins.int")
                || checker.semantic.resolves_to(&call.func, "builtins.float")
        }
        _ => false,
    }
}
