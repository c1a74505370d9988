//! PAR502 unsynchronized-shared-mutation: threads updating shared state without a lock.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::semantic::{keyword, Runner, RunnerCall, ScopeKind, POOL_ENTRY_POINTS};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::{stands_alone, whole_lines};
use crate::fix::indent::indent;
use crate::rules::shared_state::{
    acquires_by_hand, shared_roots, shared_writes, shown, target_function, SharedWrite, WriteKind,
};
use crate::rules::{FixAvailability, RuleSpec};
use crate::source::indentation_at;

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR502",
    name: "unsynchronized-shared-mutation",
    severity: Severity::Error,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "A function run by several threads at once does read-modify-write on shared state (`counter += 1`) without a lock: updates are lost",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a read-modify-write of shared state — `counter += 1` on a `global` or `nonlocal`,
`self.total += x` in a method run as a thread target, `totals[key] += 1` or
`counts[k] = counts.get(k, 0) + 1` on a module-level or enclosing-scope dict — inside a
function that several threads run at the same time: the function handed to a thread pool's
`map`, or to `submit` / `Thread(target=...)` in a loop or comprehension, or to two or more
threads. The write is reported, not the call.

It stays silent for `slots[i] += 1` in a `Thread` target whose `i` is its own parameter
(threads get their own `args`, so each updates its own slot), inside `with lock:` (a `threading.Lock`/`RLock`/`Semaphore`/`Condition`, or
anything named like a lock), when the function calls `.acquire()` itself, for a single thread,
for per-thread state (`threading.local()`), for process pools (PAR403's territory), and for
plain stores and `list.append`, which are atomic in CPython.

## Why is this bad?
`counter += 1` is a load, an add and a store. Two threads can load the same old value and
both store old + 1: an update is lost. The GIL does not prevent this — it can switch threads
between any two bytecodes — and with free-threaded Python it happens far more often. The bug
shows as counts that are slightly off, only under load.

## Example
```python
processed = 0

def handle(item):
    global processed
    save(item)
    processed += 1

with ThreadPoolExecutor() as executor:
    executor.map(handle, items)
```

Use instead:
```python
processed = 0
processed_lock = threading.Lock()

def handle(item):
    global processed
    save(item)
    with processed_lock:
        processed += 1
```

## Fix
Display-only: the suggestion wraps the write in `with <name>_lock:`; the lock has to be
created once, beside the shared state, which is the author's call. Often better still:
return the value from the task and combine the results in the caller.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let on_threads = match run.runner {
        Runner::Thread => true,
        Runner::Pool(kind) => kind.is_thread() && run.entry != "initializer",
        Runner::Process(_) => false,
    };
    if !on_threads {
        return;
    }
    let Some(target) = target_function(checker, run.callable) else {
        return;
    };
    if acquires_by_hand(target.def) || !runs_concurrently(checker, &run) {
        return;
    }
    let roots = shared_roots(&target, false);
    let writes = shared_writes(checker, &target, &roots);
    for write in writes {
        if write.kind != WriteKind::ReadModifyWrite
            || write.locked
            || is_thread_local(checker, write.root)
            || (run.runner == Runner::Thread && indexed_by_parameter(&write, target.def))
        {
            continue;
        }
        let range = write.stmt.range();
        if checker.has_reported_at(&RULE, range) {
            continue;
        }
        let message = format!(
            "Read-modify-write of shared `{}` in `{}`, which several threads run at once ({}): without a lock, concurrent updates are lost; guard it with a `threading.Lock`",
            shown(checker, &write),
            target.def.name,
            run.describe()
        );
        let fix = lock_suggestion(checker, &write);
        checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
    }
}

/// Whether more than one thread runs the target at a time: a `map`, a handoff in a loop or
/// comprehension, or the same function handed over at least twice in this scope.
fn runs_concurrently<'a>(checker: &Checker<'a>, run: &RunnerCall<'a>) -> bool {
    if matches!(
        run.entry,
        "map" | "imap" | "imap_unordered" | "starmap" | "map_async" | "starmap_async"
    ) {
        return true;
    }
    let in_loop = checker
        .statements()
        .iter()
        .rev()
        .take_while(|stmt| !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)))
        .any(|stmt| matches!(stmt, Stmt::For(_) | Stmt::While(_)));
    let in_comprehension = checker
        .semantic
        .scopes()
        .iter()
        .rev()
        .take_while(|scope| !scope.is_function_like())
        .any(|scope| matches!(scope.kind, ScopeKind::Comprehension));
    if in_loop || in_comprehension {
        return true;
    }
    let Expr::Name(name) = run.callable else {
        return false;
    };
    let body: &[Stmt] = match checker.semantic.enclosing_function_like().map(|s| s.kind) {
        Some(ScopeKind::Function(def)) => &def.body,
        Some(_) => return false,
        None => checker.module,
    };
    let mut counter = HandoffCounter {
        name: name.id.as_str(),
        count: 0,
    };
    counter.visit_body(body);
    counter.count >= 2
}

/// Counts `Thread(target=f)`, `pool.submit(f, ...)` and the like for one function name.
struct HandoffCounter<'n> {
    name: &'n str,
    count: usize,
}

impl<'a> Visitor<'a> for HandoffCounter<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == self.name);
            let handed = keyword(call, "target").is_some_and(is_name)
                || matches!(call.func.as_ref(), Expr::Attribute(attribute)
                    if POOL_ENTRY_POINTS.contains(&attribute.attr.as_str())
                        && call.arguments.args.first().is_some_and(is_name));
            if handed {
                self.count += 1;
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// `counts[slot] += 1` where `slot` is a parameter of a `Thread` target: threads are started
/// with their own arguments (`args=(i,)`), so each updates its own slot.
fn indexed_by_parameter(write: &SharedWrite, def: &ast::StmtFunctionDef) -> bool {
    let Expr::Subscript(subscript) = write.target else {
        return false;
    };
    matches!(subscript.slice.as_ref(), Expr::Name(index)
        if def.parameters.iter().any(|p| p.name().as_str() == index.id.as_str()))
}

/// `state = threading.local()`: every thread sees its own attributes.
fn is_thread_local(checker: &Checker, root: &str) -> bool {
    let Some(binding) = checker.semantic.module_binding(root) else {
        return false;
    };
    matches!(
        checker.module_index().bound_values.get(&binding.range),
        Some(Expr::Call(call)) if checker.semantic.resolves_to(&call.func, "threading.local")
    )
}

/// The write wrapped in `with <root>_lock:`.
fn lock_suggestion(checker: &Checker, write: &SharedWrite) -> Fix {
    let lock = match write.target {
        Expr::Attribute(ast::ExprAttribute { value, .. }) if matches!(value.as_ref(), Expr::Name(n) if n.id.as_str() == write.root) =>
        {
            format!("{}._lock", write.root)
        }
        _ => format!("{}_lock", write.root.trim_start_matches('_')),
    };
    let message = format!(
        "Guard the update with a lock (`{lock} = threading.Lock()`, created once beside the shared state)"
    );
    if !stands_alone(checker.source, write.stmt) {
        return Fix::display_only(message, Vec::new());
    }
    let lines = whole_lines(checker.source, write.stmt.range());
    let prefix = indentation_at(checker.text(), lines.start());
    let body = indent(
        checker.text(),
        checker.tokens,
        lines,
        &checker.stylist.indent_unit,
    );
    let replacement = format!("{prefix}with {lock}:\n{body}");
    Fix::display_only(message, vec![Edit::replace(lines, replacement)])
}
