//! PAR703 unbounded-workers: a worker count that grows with the input or exceeds what the
//! machine (or the configured `max-workers`) can use.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::semantic::{keyword, BindingKind, PoolKind};
use crate::analysis::workload::IoKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::resources::pool_uses::{enclosing_for, int_literal, literal_size};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR703",
    name: "unbounded-workers",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A pool sized by the input (`max_workers=len(...)`) or above `max-workers`, a thread started per item, or `asyncio.gather` over every item's network call",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &["ProcessPoolExecutor", "ThreadPoolExecutor", "InterpreterPoolExecutor", "Pool", "ThreadPool", "Thread", "gather"],
    check,
};

const DOCS: &str = r#"## What it does
Flags concurrency that grows with the input instead of being bounded:
- a pool sized by the data the function was handed — a parameter, or a local computed from
  one: `ThreadPoolExecutor(max_workers=len(urls))`, `Pool(processes=len(files))` (also
  positionally, and `len(xs) or 1`, `max(1, len(xs))`); not for attributes, module-level
  names and locals built from them (`len(self.mirrors)`, `len(SERVICES)`,
  `enabled = [p for p in self.providers if p.on]`: usually a configured handful), nor when the
  variable is known to hold at most `max-workers` items (assigned a literal, or a
  comprehension over a literal `range`), nor for hardware counts
  (`len(os.sched_getaffinity(0))`, and collections named for CPUs, cores, GPUs, devices or
  workers);
- a constant above the `max-workers` setting (default 32). For thread pools that is the
  bound itself (Python's own default is `min(32, os.cpu_count() + 4)`). For process pools the
  sane bound is `os.cpu_count()`, which cannot be known statically: a constant is flagged
  only when it is also above `max-workers`, where it exceeds the cores of nearly every
  machine and starves the rest of the system, while a smaller constant may well match the
  machine it was written for. Neither pool size is reported in a function that makes or
  passes on a `threading.Barrier`: its tasks must all run at once, so it needs one worker per task;
- a `threading.Thread(...)` created per item of a `for` loop (the item is passed to it), when
  the loop is over data rather than a `range` of a worker count, and nothing in the loop
  bounds it (a `join`, a semaphore's `acquire`, `active_count`, a `sleep` throttle, a `with`
  block, a `break`);
- `asyncio.gather(*[fetch(u) for u in urls])` (or a generator) whose calls are classified
  network I/O, when neither the enclosing function nor the called coroutine uses a
  semaphore (`async with sem:` on a name, or an `asyncio.Semaphore` made in the function),
  and the comprehension is not over a small literal.

## Why is this bad?
One worker per item works in the test with ten items and fails in production with ten
thousand: thousands of threads exhaust memory and file descriptors, thousands of processes
exhaust the machine, and thousands of simultaneous requests trip rate limits, connection
limits and timeouts on the server being called. I/O-bound work gains nothing beyond a few
dozen concurrent requests; CPU-bound work gains nothing beyond the number of cores.

## Example
```python
with ThreadPoolExecutor(max_workers=len(urls)) as executor:
    pages = list(executor.map(fetch, urls))
```

Use instead:
```python
with ThreadPoolExecutor(max_workers=min(32, len(urls))) as executor:
    pages = list(executor.map(fetch, urls))
```

## Fix
For a size from `len(...)`: `min(N, len(...))` with `N` the `max-workers` setting for thread
pools, `os.cpu_count() or 1` for process pools (the import is added or reused). For a
constant: the `max-workers` setting for thread pools, `min(constant, os.cpu_count() or 1)`
for process pools. A thread per item (submit the items to a bounded `ThreadPoolExecutor`)
and `gather` (an `asyncio.Semaphore` around each call) are display-only.

## Fix safety
Unsafe: results are the same, but fewer workers run at once, which changes timing, and code
that needs every task running simultaneously (tasks waiting on each other, a barrier) would
deadlock with fewer workers.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    // Pools, threads and `gather` only: reject other calls on the callee's last name.
    if !matches!(
        checker.semantic.resolved_tail(&call.func),
        Some(
            "ProcessPoolExecutor"
                | "ThreadPoolExecutor"
                | "InterpreterPoolExecutor"
                | "Pool"
                | "ThreadPool"
                | "Thread"
                | "gather"
        )
    ) {
        return;
    }
    if let Some(kind) = checker.semantic.pool_constructor(call) {
        pool_size(checker, call, kind);
        return;
    }
    if checker
        .semantic
        .resolves_to_any(&call.func, &["threading.Thread"])
        .is_some()
    {
        thread_per_item(checker, call);
        return;
    }
    if checker
        .semantic
        .resolves_to_any(&call.func, &["asyncio.gather", "asyncio.tasks.gather"])
        .is_some()
    {
        unbounded_gather(checker, call);
    }
}

/// The worker-count argument of a pool constructor.
fn workers_argument(call: &ast::ExprCall, kind: PoolKind) -> Option<&Expr> {
    let name = match kind {
        PoolKind::ProcessPool | PoolKind::ThreadPool => "processes",
        _ => "max_workers",
    };
    keyword(call, name).or_else(|| call.arguments.args.first())
}

fn pool_size<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall, kind: PoolKind) {
    let Some(workers) = workers_argument(call, kind) else {
        return;
    };
    if uses_barrier(checker) {
        return;
    }
    let limit = checker.settings.max_workers;
    let class = if kind.is_thread() {
        "I/O-bound threads"
    } else {
        "CPU-bound processes"
    };
    if let Some(collection) = sized_by(checker, workers) {
        if literal_size(checker, collection).is_some_and(|size| size <= limit)
            || is_hardware_count(checker, collection)
            || !is_local_data(checker, collection)
        {
            return;
        }
        let message = format!(
            "`{}` gets one worker per item of `{}` ({class}): the worker count grows with the input; bound it",
            kind.class_name(),
            checker.source.slice(collection.range())
        );
        let fix = bound_fix(checker, call, kind, workers, false);
        checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
        return;
    }
    let Some(constant) = int_literal(workers) else {
        return;
    };
    if constant <= 0 || (constant as u64) <= limit {
        return;
    }
    let bound = if kind.is_thread() {
        format!("the `max-workers` bound of {limit}")
    } else {
        format!("the `max-workers` bound of {limit} and the core count of nearly every machine")
    };
    let message = format!(
        "`{}` with {constant} workers ({class}) exceeds {bound}: the extra workers only add overhead and contention",
        kind.class_name()
    );
    let fix = bound_fix(checker, call, kind, workers, true);
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// The enclosing function makes or handles a `threading.Barrier` (a name such as `barrier`):
/// its tasks must all run at once, so the pool needs one worker per task (a test of
/// concurrent access, typically).
fn uses_barrier(checker: &Checker) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Call(call)
                    if crate::analysis::semantic::last_identifier(&call.func)
                        == Some("Barrier") =>
                {
                    self.found = true;
                }
                Expr::Name(name) if name.id.to_ascii_lowercase().contains("barrier") => {
                    self.found = true;
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let Some(def) = crate::rules::resources::pool_uses::enclosing_def(checker) else {
        return false;
    };
    let mut finder = Finder { found: false };
    finder.visit_body(&def.body);
    finder.found
}

/// The collection a worker count is computed from: `len(xs)`, `len(xs) or 1`,
/// `max(1, len(xs))`.
fn sized_by<'a>(checker: &Checker<'a>, workers: &'a Expr) -> Option<&'a Expr> {
    match workers {
        Expr::Call(call) if checker.semantic.resolves_to(&call.func, "builtins.len") => {
            match call.arguments.args.as_ref() {
                [collection] if call.arguments.keywords.is_empty() => Some(collection),
                _ => None,
            }
        }
        Expr::BoolOp(boolop) if matches!(boolop.op, ast::BoolOp::Or) => {
            let (first, rest) = boolop.values.split_first()?;
            rest.iter()
                .all(|value| int_literal(value).is_some())
                .then(|| sized_by(checker, first))
                .flatten()
        }
        Expr::Call(call) if checker.semantic.resolves_to(&call.func, "builtins.max") => {
            let args = &call.arguments.args;
            if args.len() != 2 || !call.arguments.keywords.is_empty() {
                return None;
            }
            match (int_literal(&args[0]), int_literal(&args[1])) {
                (Some(_), None) => sized_by(checker, &args[1]),
                (None, Some(_)) => sized_by(checker, &args[0]),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `os.sched_getaffinity(0)`, `psutil.Process().cpu_affinity()`, or a collection named for
/// the machine's hardware (`gpus`, `self.devices`, `cpu_ids`): one worker per core or device
/// is bounded by the hardware. (Hosts and nodes are not: a cluster can have thousands.)
fn is_hardware_count<'a>(checker: &Checker<'a>, collection: &'a Expr) -> bool {
    let name = match collection {
        Expr::Call(call) => {
            if checker
                .semantic
                .resolves_to(&call.func, "os.sched_getaffinity")
            {
                return true;
            }
            crate::analysis::semantic::last_identifier(&call.func)
        }
        Expr::Subscript(subscript) => crate::analysis::semantic::last_identifier(&subscript.value),
        other => crate::analysis::semantic::last_identifier(other),
    };
    let Some(name) = name else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    ["cpu", "core", "gpu", "device", "affinity", "cuda", "worker"]
        .iter()
        .any(|word| lower.contains(word))
}

/// The data the function was handed: a parameter, or a local computed from one
/// (`pending = [u for u in urls if u not in seen]`). Attributes (`self.services`),
/// module-level names and locals built from them are mostly configuration (a handful of
/// mirrors, the enabled providers) whose size does not grow with the input: silent.
fn is_local_data<'a>(checker: &Checker<'a>, collection: &'a Expr) -> bool {
    let Expr::Name(name) = collection else {
        return false;
    };
    let is_parameter = |name: &str, at| {
        name != "self"
            && name != "cls"
            && checker
                .semantic
                .lookup(name, at)
                .is_some_and(|binding| matches!(binding.kind, BindingKind::Parameter))
    };
    if is_parameter(name.id.as_str(), name.start()) {
        return true;
    }
    let Some(value) = crate::analysis::names::single_assignment(
        &checker.semantic,
        checker.module,
        name.id.as_str(),
        name.start(),
    ) else {
        return false;
    };
    let reads = crate::analysis::names::expr_names(value);
    let free = reads.free();
    !free.iter().any(|read| matches!(*read, "self" | "cls"))
        && free.iter().any(|read| is_parameter(read, value.start()))
}

/// `min(N, <size>)` (or the bound itself for a thread-pool constant).
fn bound_fix<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    kind: PoolKind,
    workers: &'a Expr,
    constant: bool,
) -> Fix {
    let limit = checker.settings.max_workers;
    let text = checker.source.slice(workers.range());
    let display = |message: String| Fix::display_only(message, Vec::new());
    if kind.is_thread() {
        let replacement = if constant {
            limit.to_string()
        } else {
            format!("min({limit}, {text})")
        };
        if !constant && checker.semantic.lookup("min", call.start()).is_some() {
            return display(format!("Bound the worker count: `{replacement}`"));
        }
        return Fix::unsafe_(
            format!("Bound the worker count: `{replacement}`"),
            vec![Edit::replace(workers.range(), replacement)],
        );
    }
    let Some(cpu_count) = import_member(
        checker,
        "os",
        "cpu_count",
        ImportStyle::Module,
        call.start(),
    ) else {
        return display(format!(
            "Bound the worker count: `min({text}, os.cpu_count() or 1)`"
        ));
    };
    let replacement = format!("min({text}, {}() or 1)", cpu_count.text);
    if checker.semantic.lookup("min", call.start()).is_some() {
        return display(format!("Bound the worker count: `{replacement}`"));
    }
    let mut edits = vec![Edit::replace(workers.range(), replacement.clone())];
    edits.extend(cpu_count.edit);
    Fix::unsafe_(format!("Bound the worker count: `{replacement}`"), edits)
}

/// `threading.Thread(target=f, args=(item,))` inside `for item in items:`.
fn thread_per_item<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    if matches!(
        checker.semantic.current_scope().kind,
        crate::analysis::semantic::ScopeKind::Lambda(_)
            | crate::analysis::semantic::ScopeKind::Comprehension
    ) {
        return;
    }
    let Some(for_stmt) = enclosing_for(checker, call.range()) else {
        return;
    };
    // A `range` is a worker count (`for i in range(n_threads)`), unless it counts the items.
    if let Expr::Call(iter_call) = for_stmt.iter.as_ref() {
        if checker
            .semantic
            .resolves_to(&iter_call.func, "builtins.range")
        {
            let over_items = iter_call.arguments.args.iter().any(|arg| {
                matches!(arg, Expr::Call(inner) if checker.semantic.resolves_to(&inner.func, "builtins.len"))
            });
            if !over_items {
                return;
            }
        }
    }
    if literal_size(checker, &for_stmt.iter)
        .is_some_and(|size| size <= checker.settings.max_workers)
    {
        return;
    }
    // The thread must get the item: the loop's target names appear in the call.
    let targets = crate::analysis::names::expr_names(&for_stmt.target).stores;
    let reads = crate::analysis::names::expr_names(&call.func);
    let argument_reads = call
        .arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .flat_map(|arg| crate::analysis::names::expr_names(arg).loads)
        .chain(reads.loads);
    if !argument_reads
        .into_iter()
        .any(|(name, _)| targets.contains(name))
    {
        return;
    }
    if bounded_in_loop(&for_stmt.body) {
        return;
    }
    let message = format!(
        "A thread is started for every item of `{}` (I/O-bound threads): the number of threads grows with the input; submit the items to a `ThreadPoolExecutor(max_workers={})`",
        checker.source.slice(for_stmt.iter.range()),
        checker.settings.max_workers.min(8)
    );
    let fix = Fix::display_only(
        format!(
            "Use a bounded pool: `with ThreadPoolExecutor(max_workers={}) as executor:` and `executor.map(...)` over the items",
            checker.settings.max_workers.min(8)
        ),
        Vec::new(),
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// Something in the loop body limits how many threads run: a `join` each iteration, a
/// semaphore's `acquire`, a check of `active_count()`, a `sleep` throttle or a `break`.
fn bounded_in_loop(body: &[Stmt]) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Break(_) | Stmt::Return(_) | Stmt::While(_) => self.found = true,
                Stmt::With(_) => {
                    // `with semaphore:` around the start.
                    self.found = true;
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Some(name) = match expr {
                Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
                Expr::Name(name) => Some(name.id.as_str()),
                _ => None,
            } {
                if matches!(
                    name,
                    "join" | "acquire" | "active_count" | "activeCount" | "sleep" | "wait"
                ) {
                    self.found = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { found: false };
    finder.visit_body(body);
    finder.found
}

/// `asyncio.gather(*[fetch(u) for u in urls])` with network calls and no semaphore.
fn unbounded_gather<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    let [Expr::Starred(starred)] = call.arguments.args.as_ref() else {
        return;
    };
    let (element, generators) = match starred.value.as_ref() {
        Expr::ListComp(comp) => (&comp.elt, &comp.generators),
        Expr::Generator(comp) => (&comp.elt, &comp.generators),
        _ => return,
    };
    let [generator] = generators.as_slice() else {
        return;
    };
    if literal_size(checker, &generator.iter)
        .is_some_and(|size| size <= checker.settings.max_workers)
    {
        return;
    }
    let Expr::Call(element_call) = element.as_ref() else {
        return;
    };
    // What gathering the coroutine does is what awaiting it does.
    let awaited = checker
        .summaries()
        .of_call(&checker.semantic, element_call, true);
    if awaited.suspension.io_kind() != Some(IoKind::Network) {
        return;
    }
    if semaphore_nearby(checker, element_call) {
        return;
    }
    let message = format!(
        "`asyncio.gather` starts one network request per item of `{}` at once (I/O-bound): thousands of items mean thousands of simultaneous connections; bound them with an `asyncio.Semaphore`",
        checker.source.slice(generator.iter.range())
    );
    let fix = Fix::display_only(
        "Limit concurrency: `sem = asyncio.Semaphore(N)` and `async with sem:` around each request",
        Vec::new(),
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// A semaphore (or any `async with <name>:` limiter) in the enclosing function or in the
/// coroutine the comprehension calls.
fn semaphore_nearby<'a>(checker: &Checker<'a>, element: &'a ast::ExprCall) -> bool {
    struct Finder {
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::With(with) = stmt {
                if with.is_async
                    && with
                        .items
                        .iter()
                        .any(|item| matches!(item.context_expr, Expr::Name(_) | Expr::Attribute(_)))
                {
                    self.found = true;
                }
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Some(tail) = crate::analysis::semantic::last_identifier(&call.func) {
                    if tail.contains("Semaphore") || tail.contains("Limiter") {
                        self.found = true;
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { found: false };
    if let Some(def) = crate::rules::resources::pool_uses::enclosing_def(checker) {
        finder.visit_body(&def.body);
    }
    if let Expr::Name(name) = element.func.as_ref() {
        if let Some(binding) = checker
            .semantic
            .lookup(name.id.as_str(), name.range.start())
        {
            if let BindingKind::Function(def) = binding.kind {
                finder.visit_body(&def.body);
            }
        }
    }
    if let Expr::Attribute(attribute) = element.func.as_ref() {
        // `self.fetch(u)`: look in any method of that name in the module's classes.
        if let Expr::Name(base) = attribute.value.as_ref() {
            if base.id.as_str() == "self" {
                for stmt in checker.module {
                    if let Stmt::ClassDef(class) = stmt {
                        for item in &class.body {
                            if let Stmt::FunctionDef(def) = item {
                                if def.name.as_str() == attribute.attr.as_str() {
                                    finder.visit_body(&def.body);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    finder.found
}
