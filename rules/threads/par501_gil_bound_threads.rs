//! PAR501 gil-bound-threads: pure-Python CPU work in threads, serialized by the GIL.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::semantic::{
    keyword, PoolKind, Runner, RunnerCall, ScopeKind, POOL_ENTRY_POINTS,
};
use crate::analysis::workload::Workload;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::cpu::candidates::is_picklable_function;
use crate::rules::shared_state::{shared_roots, shared_writes, target_function};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR501",
    name: "gil-bound-threads",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A thread pool or `Thread` runs a CPU-bound callable: the GIL lets one thread run Python at a time, so the threads give no speed-up",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `ThreadPoolExecutor`, `multiprocessing.pool.ThreadPool` / `multiprocessing.dummy.Pool`,
`threading.Thread(target=...)` or `loop.run_in_executor` on a thread pool that runs a
callable classified **CPU-bound** by its cost summary: pure-Python work that grows with the
input (a loop counting to a number, nested loops, heavy arithmetic per item, branching
recursion) or a function listed in `cpu-functions`, followed through the module's own
functions. The message names the evidence ("it loops over `block` (line 15): grows with the
input").

It stays silent when the callable is I/O-bound or its workload is unknown, when its heavy
work is a C routine that releases the GIL (`hashlib.pbkdf2_hmac`, `zlib.compress`, `bz2` and
`lzma` compression: threads do scale there), and everywhere under `free-threaded = true`
(a free-threaded CPython build has no GIL).

## Why is this bad?
In CPython only one thread executes Python bytecode at a time. CPU-bound Python code in a
thread pool runs no faster than in a plain loop — usually slower, from the lock hand-offs —
while it looks parallel. Processes (or, from Python 3.14, sub-interpreters) each have their
own GIL and use every core.

## Example
```python
from concurrent.futures import ThreadPoolExecutor

def collatz_length(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

def collatz_lengths(numbers):
    with ThreadPoolExecutor() as executor:
        return list(executor.map(collatz_length, numbers))
```

Use instead:
```python
from concurrent.futures import ProcessPoolExecutor

def collatz_length(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

def collatz_lengths(numbers):
    with ProcessPoolExecutor() as executor:
        return list(executor.map(collatz_length, numbers))
```

## Fix
Swaps the executor class at its constructor: `ThreadPoolExecutor` → `ProcessPoolExecutor`
(`InterpreterPoolExecutor` when `target-version` is `py314` or later), and `ThreadPool` →
`multiprocessing.Pool`, adding or reusing the import. It is offered only when the pool is
created in the same scope (a `with` block, an assignment, or inline), every task sent to it
is a module-level or imported function (processes must pickle it) that writes no module-level
state (a process's writes never reach the parent), and the pool is used for nothing else (it is not passed on, stored, or given a `thread_name_prefix`).
`Thread(target=...)` and `run_in_executor` get display-only suggestions.

## Fix safety
Unsafe: the tasks' arguments and results must now be picklable, the workers no longer share
the parent's memory (writes to globals are lost, see PAR403), and a script that creates the
pool at import time needs an `if __name__ == "__main__":` guard (PAR402 adds it).
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if checker.settings.free_threaded {
        return;
    }
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let thread_runner = match run.runner {
        // `run_in_executor(pool, ...)` with a pool of unknown kind (a parameter, say) may be
        // a process pool: only `None` (the default thread pool) or a known thread pool count.
        Runner::Pool(_)
            if run.entry == "run_in_executor"
                && !run.call.arguments.args.first().is_some_and(|executor| {
                    executor.is_none_literal_expr()
                        || checker.semantic.pool_kind(executor).is_some()
                }) =>
        {
            false
        }
        Runner::Pool(kind) => kind.is_thread() && run.entry != "initializer",
        Runner::Thread => true,
        Runner::Process(_) => false,
    };
    if !thread_runner {
        return;
    }
    let Some(summary) = checker
        .summaries()
        .of_callable(&checker.semantic, run.callable)
    else {
        return;
    };
    if Workload::of_summary(&summary) != Workload::CpuBound {
        return;
    }
    let target = replacement_class(checker);
    let (runner, strategy) = match run.runner {
        Runner::Pool(kind) if run.entry == "run_in_executor" => (
            format!("`run_in_executor` on a `{}`", kind.class_name()),
            format!("pass a `{target}` to `run_in_executor`"),
        ),
        Runner::Pool(PoolKind::ThreadPool) => (
            format!("`ThreadPool.{}`", run.entry),
            "use `multiprocessing.Pool`".to_string(),
        ),
        Runner::Pool(kind) => (
            format!("`{}.{}`", kind.class_name(), run.entry),
            format!("use a `{target}`"),
        ),
        _ => (
            "`threading.Thread`".to_string(),
            "use `multiprocessing.Process` or a process pool".to_string(),
        ),
    };
    let callable = checker.text()[run.callable.range()].to_string();
    let evidence = crate::rules::evidence::cost(checker, &summary.cost)
        .map(|cost| format!(" (it {cost})"))
        .unwrap_or_default();
    let message = format!(
        "CPU-bound `{}`{evidence} runs in {runner}: the GIL lets one thread run Python at a time, so the threads give no speed-up; {strategy}",
        crate::rules::cpu::candidates::short(&callable)
    );
    let fix = fix(checker, &run, target);
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// The executor class that gives each worker its own GIL on the target Python.
fn replacement_class(checker: &Checker) -> &'static str {
    if checker.settings.target_version >= 14 {
        "InterpreterPoolExecutor"
    } else {
        "ProcessPoolExecutor"
    }
}

fn fix<'a>(checker: &Checker<'a>, run: &RunnerCall<'a>, target: &str) -> Fix {
    match run.runner {
        Runner::Pool(kind) if run.entry != "run_in_executor" => swap_pool(checker, run, kind)
            .unwrap_or_else(|| {
                Fix::display_only(
                    format!(
                        "Create the pool as a `{}` (the task and its arguments must be picklable)",
                        if kind == PoolKind::ThreadPool {
                            "multiprocessing.Pool"
                        } else {
                            target
                        }
                    ),
                    Vec::new(),
                )
            }),
        Runner::Pool(_) => {
            let edits = run
                .call
                .arguments
                .args
                .first()
                .map(|executor| vec![Edit::replace(executor.range(), "process_pool")])
                .unwrap_or_default();
            Fix::display_only(
                format!("Create a `{target}` once (`process_pool`) and run the task on it"),
                edits,
            )
        }
        _ => {
            let edits = match run.call.func.as_ref() {
                Expr::Attribute(attribute) => {
                    vec![Edit::replace(attribute.range(), "multiprocessing.Process")]
                }
                func => vec![Edit::replace(func.range(), "multiprocessing.Process")],
            };
            Fix::display_only(
                "Run it in a `multiprocessing.Process` (results must come back through a queue or a pool)",
                edits,
            )
        }
    }
}

/// Swaps the pool's constructor when every use of the pool allows it.
fn swap_pool<'a>(checker: &Checker<'a>, run: &RunnerCall<'a>, kind: PoolKind) -> Option<Fix> {
    let Expr::Attribute(attribute) = run.call.func.as_ref() else {
        return None;
    };
    let constructor = match attribute.value.as_ref() {
        Expr::Call(constructor) => constructor,
        Expr::Name(pool) => {
            let binding = checker.semantic.lookup(pool.id.as_str(), pool.start())?;
            let Some(Expr::Call(constructor)) = checker
                .module_index()
                .bound_values
                .get(&binding.range)
                .copied()
            else {
                return None;
            };
            let body: &[Stmt] = match checker.semantic.binding_scope_kind(pool.id.as_str())? {
                ScopeKind::Module => checker.module,
                ScopeKind::Function(def) => &def.body,
                _ => return None,
            };
            if !only_swappable_uses(checker, body, pool.id.as_str()) {
                return None;
            }
            constructor
        }
        _ => return None,
    };
    if !is_picklable_task(checker, run.callable)
        || writes_module_state(checker, run.callable)
        || keyword(constructor, "thread_name_prefix").is_some()
    {
        return None;
    }
    let (module, member, shown) = match kind {
        PoolKind::ThreadExecutor => {
            let member = replacement_class(checker);
            ("concurrent.futures", member, member)
        }
        PoolKind::ThreadPool => ("multiprocessing", "Pool", "multiprocessing.Pool"),
        _ => return None,
    };
    let imported = import_member(
        checker,
        module,
        member,
        ImportStyle::Member,
        constructor.start(),
    )?;
    let mut edits = vec![Edit::replace(constructor.func.range(), imported.text)];
    edits.extend(imported.edit);
    Some(Fix::unsafe_(format!("Use a `{shown}`"), edits))
}

/// A task a process can receive: a module-level or imported function, or
/// `functools.partial` of one with no lambda among its bound arguments.
fn is_picklable_task<'a>(checker: &Checker<'a>, task: &'a Expr) -> bool {
    match task {
        Expr::Call(call)
            if checker
                .semantic
                .resolves_to(&call.func, "functools.partial") =>
        {
            let mut arguments = call.arguments.args.iter();
            arguments
                .next()
                .is_some_and(|inner| is_picklable_function(checker, inner))
                && !arguments
                    .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                    .any(|argument| matches!(argument, Expr::Lambda(_)))
        }
        _ => is_picklable_function(checker, task),
    }
}

/// Whether the task writes module-level state: in a process those writes would be lost
/// (PAR403), so swapping the pool would break the program.
fn writes_module_state<'a>(checker: &Checker<'a>, task: &'a Expr) -> bool {
    target_function(checker, task).is_some_and(|target| {
        let roots = shared_roots(&target, true);
        !shared_writes(checker, &target, &roots).is_empty()
    })
}

/// Whether `pool` is used in `body` only to run picklable tasks and to shut it down.
fn only_swappable_uses<'a>(checker: &Checker<'a>, body: &'a [Stmt], pool: &str) -> bool {
    let mut uses = PoolUses {
        checker,
        pool,
        swappable: true,
    };
    uses.visit_body(body);
    uses.swappable
}

struct PoolUses<'c, 'a, 'n> {
    checker: &'c Checker<'a>,
    pool: &'n str,
    swappable: bool,
}

impl<'a> Visitor<'a> for PoolUses<'_, 'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.swappable {
            return;
        }
        match expr {
            Expr::Call(call) => {
                if let Expr::Attribute(attribute) = call.func.as_ref() {
                    if matches!(attribute.value.as_ref(), Expr::Name(name) if name.id.as_str() == self.pool)
                    {
                        let method = attribute.attr.as_str();
                        let allowed = if POOL_ENTRY_POINTS.contains(&method) {
                            call.arguments.args.first().is_some_and(|task| {
                                is_picklable_task(self.checker, task)
                                    && !writes_module_state(self.checker, task)
                            })
                        } else {
                            matches!(method, "shutdown" | "close" | "join" | "terminate")
                        };
                        if !allowed {
                            self.swappable = false;
                            return;
                        }
                        for argument in &*call.arguments.args {
                            self.visit_expr(argument);
                        }
                        for keyword in &*call.arguments.keywords {
                            self.visit_expr(&keyword.value);
                        }
                        return;
                    }
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Name(name) if name.id.as_str() == self.pool && name.ctx.is_load() => {
                self.swappable = false;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        // `with pool:` on an existing pool is fine; anything else reading it is not.
        if let Stmt::With(with) = stmt {
            for item in &with.items {
                if !matches!(&item.context_expr, Expr::Name(name) if name.id.as_str() == self.pool)
                {
                    self.visit_expr(&item.context_expr);
                }
                if let Some(vars) = &item.optional_vars {
                    self.visit_expr(vars);
                }
            }
            self.visit_body(&with.body);
            return;
        }
        visitor::walk_stmt(self, stmt);
    }
}
