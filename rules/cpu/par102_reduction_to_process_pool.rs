//! PAR102 reduction-to-process-pool: `acc += f(x)` over a loop with a CPU-bound `f`.

use ruff_python_ast::{Operator, Stmt};

use crate::analysis::loops::Collector;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::cpu::candidates::{cpu_bound_call, report_for};
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
`f` is a CPU-bound, picklable (module-level or imported) function: the terms are computed one
after another on one core.

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
`itertools.repeat` for unchanging arguments). Other operators than `+`, and loops with
temporaries, comments or variables read afterwards, get the suggestion only.

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
    let Some(independent) = checker.independent_for(for_stmt) else {
        return;
    };
    let Collector::Reduction { op, .. } = independent.collector else {
        return;
    };
    if !matches!(op, Operator::Add) {
        return;
    }
    let Some(call) = cpu_bound_call(checker, independent.collector.value()) else {
        return;
    };
    report_for(
        checker,
        &RULE,
        for_stmt,
        &independent,
        call,
        "compute the terms in a process pool (sum(ProcessPoolExecutor.map(...)))",
    );
}
