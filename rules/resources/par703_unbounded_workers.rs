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
  passes on a `threading.Barrier`, or whose every pool task waits on its own item
  (`executor.submit(event.wait, timeout)` for each event, `thread.join`): its tasks must all
  run at once, so it needs one worker per task (fewer workers would serialise the waits and
  multiply a shared timeout);
- a `threading.Thread(...)` created per item of a `for` loop (the item is passed to it), when
  the loop is over data rather than a `range` of a worker count, and nothing in the loop
  bounds it (a `join`, a semaphore's `acquire`, `active_count`, a `sleep` throttle, a `with`
  block, a `break`);
- `asyncio.gather(*[fetch(u) for u in urls])` (or a generator) whose calls are classified
  network I/O, when neither the enclosing function nor the called coroutine uses a
  semaphore (`async with sem:` on a name, or an `asyncio.Semaphore` made in the function),
  and the comprehension walks the function's input (a parameter or a local computed from
  one, also through `enumerate`, `zip`, `range(len(...))`; not a small literal, and not
  configuration such as `self.table_names`, as for pool sizes). Not when the requests go
  through one pooled HTTP client made outside the comprehension: an `aiohttp.ClientSession`
  or `httpx.AsyncClient` whose method is the call (`session.get(u)`), which each call
  receives (`fetch(session, u)`), or which the called method reads from `self`: the client's
  connection pool already bounds the simultaneous connections (100 by default in both
  libraries; a connector with `limit=0`, or `max_connections=None`, removes the bound and is
  still flagged). A called coroutine that opens a session of its own per call is flagged.

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
    if tasks_wait_together(checker) {
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

/// The enclosing function's tasks must all run at once, so the pool needs one worker per task:
/// it makes or handles a `threading.Barrier` (a test of concurrent access, typically), or
/// every task it hands to a pool waits on its own item (`executor.submit(event.wait, timeout)`
/// for each event, `executor.map(lambda t: t.join(), threads)`): with fewer workers the waits
/// would run one after another and a shared timeout would multiply.
fn tasks_wait_together(checker: &Checker) -> bool {
    uses_barrier(checker) || every_task_waits(checker)
}

/// The names of the synchronisation methods whose call blocks until another party acts.
fn is_wait_method(name: &str) -> bool {
    matches!(name, "wait" | "join")
}

/// Every task the enclosing function hands to a pool (at least one) is a wait on its own item:
/// `item.wait` / `item.join` with `item` bound per item (a loop or comprehension variable),
/// a lambda calling that on its parameter, or `threading.Event.wait` / `Thread.join` mapped
/// over the items.
fn every_task_waits(checker: &Checker) -> bool {
    struct Finder<'c, 'a> {
        checker: &'c Checker<'a>,
        /// Names bound per item by the loops and comprehensions around the walk.
        per_item: Vec<&'a str>,
        waits: usize,
        others: usize,
    }
    impl<'a> Finder<'_, 'a> {
        fn bind(&mut self, target: &'a Expr) {
            self.per_item.extend(
                crate::analysis::names::expr_names(target)
                    .stores
                    .iter()
                    .copied(),
            );
        }

        fn is_wait(&self, task: &'a Expr) -> bool {
            match task {
                Expr::Attribute(method) if is_wait_method(method.attr.as_str()) => {
                    match method.value.as_ref() {
                        Expr::Name(item) => self.per_item.contains(&item.id.as_str()),
                        _ => self
                            .checker
                            .semantic
                            .qualified_name(task)
                            .is_some_and(|name| {
                                name.is_any(&[
                                    "threading.Event.wait",
                                    "threading.Condition.wait",
                                    "threading.Barrier.wait",
                                    "threading.Thread.join",
                                ])
                            }),
                    }
                }
                Expr::Lambda(lambda) => {
                    let Expr::Call(call) = lambda.body.as_ref() else {
                        return false;
                    };
                    let Expr::Attribute(method) = call.func.as_ref() else {
                        return false;
                    };
                    let Expr::Name(item) = method.value.as_ref() else {
                        return false;
                    };
                    is_wait_method(method.attr.as_str())
                        && lambda.parameters.as_ref().is_some_and(|parameters| {
                            parameters
                                .iter()
                                .any(|parameter| parameter.name().as_str() == item.id.as_str())
                        })
                }
                _ => false,
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(for_stmt) => {
                    self.visit_expr(&for_stmt.iter);
                    let depth = self.per_item.len();
                    self.bind(&for_stmt.target);
                    self.visit_body(&for_stmt.body);
                    self.per_item.truncate(depth);
                    self.visit_body(&for_stmt.orelse);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::ListComp(ast::ExprListComp {
                    elt, generators, ..
                })
                | Expr::SetComp(ast::ExprSetComp {
                    elt, generators, ..
                })
                | Expr::Generator(ast::ExprGenerator {
                    elt, generators, ..
                }) => {
                    let depth = self.per_item.len();
                    for generator in generators {
                        self.visit_expr(&generator.iter);
                        self.bind(&generator.target);
                        for condition in &generator.ifs {
                            self.visit_expr(condition);
                        }
                    }
                    self.visit_expr(elt);
                    self.per_item.truncate(depth);
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(method) = call.func.as_ref() {
                        if crate::analysis::semantic::POOL_ENTRY_POINTS
                            .contains(&method.attr.as_str())
                        {
                            if let Some(task) = call.arguments.args.first() {
                                if self.is_wait(task) {
                                    self.waits += 1;
                                } else {
                                    self.others += 1;
                                }
                            }
                        }
                    }
                    visitor::walk_expr(self, expr);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let Some(def) = crate::rules::resources::pool_uses::enclosing_def(checker) else {
        return false;
    };
    let mut finder = Finder {
        checker,
        per_item: Vec::new(),
        waits: 0,
        others: 0,
    };
    finder.visit_body(&def.body);
    finder.waits > 0 && finder.others == 0
}

/// The enclosing function makes or handles a `threading.Barrier` (a name such as `barrier`).
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
    // As for pool sizes: configuration (`self.table_names`, a module constant) is a handful.
    if !grows_with_input(checker, &generator.iter) {
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
    let per_item = crate::analysis::names::expr_names(&generator.target).stores;
    if shares_pooled_client(checker, element_call, &per_item) {
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

/// The collection a comprehension walks is the function's input (see [`is_local_data`]),
/// looking through `enumerate`, `zip`, `sorted`, `reversed`, `list`, `tuple`, `set`, `range`
/// and `len` around it.
fn grows_with_input<'a>(checker: &Checker<'a>, collection: &'a Expr) -> bool {
    if let Expr::Call(call) = collection {
        if checker
            .semantic
            .resolves_to_any(
                &call.func,
                &[
                    "builtins.enumerate",
                    "builtins.zip",
                    "builtins.sorted",
                    "builtins.reversed",
                    "builtins.list",
                    "builtins.tuple",
                    "builtins.set",
                    "builtins.range",
                    "builtins.len",
                ],
            )
            .is_some()
        {
            return call
                .arguments
                .args
                .iter()
                .any(|argument| grows_with_input(checker, argument));
        }
    }
    is_local_data(checker, collection)
}

/// How many connections a pooled HTTP client may open at once, as its construction says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConnectionLimit {
    /// The pool's bound: aiohttp's connector `limit` (100 by default) or httpx's
    /// `max_connections` (100 by default).
    Bounded,
    /// `TCPConnector(limit=0)`, `httpx.Limits(max_connections=None)`: no bound.
    Unlimited,
}

/// HTTP clients that keep a pool of connections shared by every request made through them.
const POOLED_CLIENTS: &[&str] = &[
    "aiohttp.ClientSession",
    "aiohttp.client.ClientSession",
    "httpx.AsyncClient",
];

/// The gathered calls make their requests through one pooled HTTP client made outside the
/// comprehension: the call is a method of it (`session.get(u)`), receives it
/// (`fetch(session, u)`), or is a method of this class whose requests go through a client held
/// on `self` (`self.session`). The client's connection pool then bounds how many requests run
/// at once. A callee that opens a client of its own per call is not bounded by anything.
fn shares_pooled_client<'a>(
    checker: &Checker<'a>,
    element: &'a ast::ExprCall,
    per_item: &rustc_hash::FxHashSet<&str>,
) -> bool {
    // A name or attribute made outside the comprehension (a constructor call in the element
    // would make a client per item).
    let shared = |expr: &'a Expr| {
        matches!(expr, Expr::Name(_) | Expr::Attribute(_))
            && !crate::analysis::names::expr_names(expr)
                .free()
                .iter()
                .any(|name| per_item.contains(name))
            && pooled_client(checker, expr, 0) == Some(ConnectionLimit::Bounded)
    };
    let callee = callee_def(checker, element);
    if callee.is_some_and(|def| opens_own_client(checker, def)) {
        return false;
    }
    if let Expr::Attribute(method) = element.func.as_ref() {
        if shared(&method.value) {
            return true;
        }
    }
    let arguments = element.arguments.args.iter().chain(
        element
            .arguments
            .keywords
            .iter()
            .map(|keyword| &keyword.value),
    );
    if arguments.into_iter().any(shared) {
        return true;
    }
    callee.is_some_and(|def| uses_client_on_self(checker, def))
}

/// The `def` a call runs: a function of this file by name, or `self.method` of the enclosing
/// class.
fn callee_def<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Option<&'a ast::StmtFunctionDef> {
    match call.func.as_ref() {
        Expr::Name(name) => match checker
            .semantic
            .lookup(name.id.as_str(), name.start())
            .map(|binding| binding.kind)
        {
            Some(BindingKind::Function(def)) => Some(def),
            _ => None,
        },
        Expr::Attribute(method) => {
            if !matches!(method.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self") {
                return None;
            }
            enclosing_class(checker)?
                .body
                .iter()
                .find_map(|stmt| match stmt {
                    Stmt::FunctionDef(def) if def.name.as_str() == method.attr.as_str() => {
                        Some(def)
                    }
                    _ => None,
                })
        }
        _ => None,
    }
}

fn enclosing_class<'a>(checker: &Checker<'a>) -> Option<&'a ast::StmtClassDef> {
    checker
        .semantic
        .scopes()
        .iter()
        .rev()
        .find_map(|scope| match scope.kind {
            crate::analysis::semantic::ScopeKind::Class(class) => Some(class),
            _ => None,
        })
}

/// Whether `def` makes an HTTP client (`aiohttp.ClientSession()`, `httpx.AsyncClient()`,
/// `aiohttp.request(...)`) each time it runs: its requests share no pool with the others.
fn opens_own_client<'a>(checker: &Checker<'a>, def: &'a ast::StmtFunctionDef) -> bool {
    struct Finder<'c, 'a> {
        checker: &'c Checker<'a>,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let tail = crate::analysis::semantic::last_identifier(&call.func);
                if matches!(tail, Some("ClientSession" | "AsyncClient"))
                    || self
                        .checker
                        .semantic
                        .resolves_to(&call.func, "aiohttp.request")
                {
                    self.found = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        checker,
        found: false,
    };
    finder.visit_body(&def.body);
    finder.found
}

/// Whether a method of this class reads a pooled HTTP client held on `self` (`self.session`).
fn uses_client_on_self<'a>(checker: &Checker<'a>, def: &'a ast::StmtFunctionDef) -> bool {
    struct Finder<'c, 'a> {
        checker: &'c Checker<'a>,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Attribute(attribute) = expr {
                if matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self")
                    && pooled_client(self.checker, expr, 0) == Some(ConnectionLimit::Bounded)
                {
                    self.found = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    if crate::analysis::semantic::first_parameter_name(def) != Some("self") {
        return false;
    }
    let mut finder = Finder {
        checker,
        found: false,
    };
    finder.visit_body(&def.body);
    finder.found
}

/// Whether `expr` is a pooled HTTP client (see [`POOLED_CLIENTS`]), and its connection limit:
/// a constructor call, a name bound only to such clients in this function (by assignment or
/// `async with ... as`), a parameter annotated with the class, or `self.<attr>` that the class
/// annotates so or assigns a client to. `None` when unknown.
fn pooled_client<'a>(checker: &Checker<'a>, expr: &'a Expr, depth: u8) -> Option<ConnectionLimit> {
    if depth > 3 {
        return None;
    }
    match expr {
        Expr::Call(call) => {
            let name = checker.semantic.qualified_name(&call.func)?;
            if !name.is_any(POOLED_CLIENTS) {
                return None;
            }
            let unlimited = if name.is("httpx.AsyncClient") {
                keyword(call, "limits").is_some_and(|limits| {
                    unlimited_setting(checker, limits, "max_connections", depth)
                })
            } else {
                keyword(call, "connector")
                    .is_some_and(|connector| unlimited_setting(checker, connector, "limit", depth))
            };
            Some(if unlimited {
                ConnectionLimit::Unlimited
            } else {
                ConnectionLimit::Bounded
            })
        }
        Expr::Await(await_expr) => pooled_client(checker, &await_expr.value, depth + 1),
        Expr::Name(name) => {
            let id = name.id.as_str();
            let def = crate::rules::resources::pool_uses::enclosing_def(checker);
            if let Some(parameter) =
                def.and_then(|def| def.parameters.iter().find(|p| p.name().as_str() == id))
            {
                return annotated_client(checker, parameter.annotation()?);
            }
            let bindings = name_bindings(
                crate::rules::resources::pool_uses::binding_body(checker),
                id,
            );
            if bindings.is_empty() {
                return None;
            }
            let mut limit = ConnectionLimit::Bounded;
            for value in bindings {
                if pooled_client(checker, value?, depth + 1)? == ConnectionLimit::Unlimited {
                    limit = ConnectionLimit::Unlimited;
                }
            }
            Some(limit)
        }
        Expr::Attribute(attribute) => {
            if !matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self") {
                return None;
            }
            self_client(checker, attribute.attr.as_str(), depth)
        }
        _ => None,
    }
}

/// `connector=TCPConnector(limit=0)` / `limits=httpx.Limits(max_connections=None)`: the
/// setting `keyword` of the object passed is 0 or `None` (no limit), directly or through a
/// name bound once.
fn unlimited_setting<'a>(
    checker: &Checker<'a>,
    value: &'a Expr,
    keyword_name: &str,
    depth: u8,
) -> bool {
    let value = match value {
        Expr::Name(name) if depth < 3 => match crate::analysis::names::single_assignment(
            &checker.semantic,
            checker.module,
            name.id.as_str(),
            name.start(),
        ) {
            Some(value) => value,
            None => return false,
        },
        other => other,
    };
    let Expr::Call(call) = value else {
        return false;
    };
    keyword(call, keyword_name)
        .is_some_and(|setting| setting.is_none_literal_expr() || int_literal(setting) == Some(0))
}

/// An annotation naming a pooled client class (`aiohttp.ClientSession`,
/// `Optional[httpx.AsyncClient]`, `ClientSession | None`).
fn annotated_client<'a>(checker: &Checker<'a>, annotation: &'a Expr) -> Option<ConnectionLimit> {
    match annotation {
        Expr::Subscript(subscript)
            if checker
                .semantic
                .resolves_to_any(&subscript.value, &["typing.Optional"])
                .is_some() =>
        {
            annotated_client(checker, &subscript.slice)
        }
        Expr::BinOp(binop) if binop.op == ast::Operator::BitOr => {
            match (binop.left.as_ref(), binop.right.as_ref()) {
                (Expr::NoneLiteral(_), other) | (other, Expr::NoneLiteral(_)) => {
                    annotated_client(checker, other)
                }
                _ => None,
            }
        }
        other => checker
            .semantic
            .qualified_name(other)
            .is_some_and(|name| name.is_any(POOLED_CLIENTS))
            .then_some(ConnectionLimit::Bounded),
    }
}

/// What `name` is bound to in `body` (nested functions and classes aside): the value of each
/// assignment or `with ... as name`, `None` for a binding of unknown value (a loop target,
/// unpacking, an import).
fn name_bindings<'a>(body: &'a [Stmt], name: &str) -> Vec<Option<&'a Expr>> {
    struct Finder<'n, 'a> {
        name: &'n str,
        bindings: Vec<Option<&'a Expr>>,
    }
    impl<'a> Finder<'_, 'a> {
        fn is_name(&self, target: &Expr) -> bool {
            matches!(target, Expr::Name(target) if target.id.as_str() == self.name)
        }
        fn binds(&self, target: &Expr) -> bool {
            crate::analysis::names::expr_names(target)
                .stores
                .contains(&self.name)
        }
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(def) => {
                    if def.name.as_str() == self.name {
                        self.bindings.push(None);
                    }
                    return;
                }
                Stmt::ClassDef(_) => return,
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        if self.is_name(target) {
                            self.bindings.push(Some(&assign.value));
                        } else if self.binds(target) {
                            self.bindings.push(None);
                        }
                    }
                }
                Stmt::AnnAssign(assign) if self.is_name(&assign.target) => {
                    self.bindings.push(assign.value.as_deref());
                }
                Stmt::AugAssign(assign) if self.is_name(&assign.target) => {
                    self.bindings.push(None);
                }
                Stmt::With(with) => {
                    for item in &with.items {
                        match &item.optional_vars {
                            Some(target) if self.is_name(target) => {
                                self.bindings.push(Some(&item.context_expr));
                            }
                            Some(target) if self.binds(target) => self.bindings.push(None),
                            _ => {}
                        }
                    }
                }
                Stmt::For(for_stmt) if self.binds(&for_stmt.target) => {
                    self.bindings.push(None);
                }
                Stmt::Import(_) | Stmt::ImportFrom(_)
                    if crate::analysis::names::stmt_names(stmt)
                        .stores
                        .contains(&self.name) =>
                {
                    self.bindings.push(None);
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Named(named) = expr {
                if self.is_name(&named.target) {
                    self.bindings.push(None);
                }
            }
            if !matches!(expr, Expr::Lambda(_)) {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder {
        name,
        bindings: Vec::new(),
    };
    finder.visit_body(body);
    finder.bindings
}

/// `self.<attr>` as the enclosing class makes it: pooled when the class annotates the
/// attribute with a pooled client class or assigns one to it, and assigns nothing else known
/// (`None` and values of unknown kind aside, such as a session passed to `__init__`).
fn self_client<'a>(checker: &Checker<'a>, attr: &str, depth: u8) -> Option<ConnectionLimit> {
    let class = enclosing_class(checker)?;
    let mut known: Option<ConnectionLimit> = None;
    let mut note = |limit: ConnectionLimit| {
        known = Some(match (known, limit) {
            (Some(ConnectionLimit::Unlimited), _) | (_, ConnectionLimit::Unlimited) => {
                ConnectionLimit::Unlimited
            }
            _ => ConnectionLimit::Bounded,
        });
    };
    for stmt in &class.body {
        match stmt {
            Stmt::AnnAssign(assign) => {
                if matches!(assign.target.as_ref(), Expr::Name(target) if target.id.as_str() == attr)
                {
                    if let Some(limit) = annotated_client(checker, &assign.annotation) {
                        note(limit);
                    }
                }
            }
            Stmt::FunctionDef(def) => {
                for value in self_assignments(&def.body, attr) {
                    match value {
                        Some(value) if !value.is_none_literal_expr() => {
                            if let Some(limit) = pooled_client(checker, value, depth + 1) {
                                note(limit);
                            }
                        }
                        _ => {}
                    }
                }
                for annotation in self_annotations(&def.body, attr) {
                    if let Some(limit) = annotated_client(checker, annotation) {
                        note(limit);
                    }
                }
            }
            _ => {}
        }
    }
    known
}

/// The values `self.<attr> = value` assigns in a method body.
fn self_assignments<'a>(body: &'a [Stmt], attr: &str) -> Vec<Option<&'a Expr>> {
    let mut values = Vec::new();
    let mut visit = |stmt: &'a Stmt| match stmt {
        Stmt::Assign(assign)
            if assign
                .targets
                .iter()
                .any(|target| is_self_attribute(target, attr)) =>
        {
            values.push(Some(assign.value.as_ref()));
        }
        Stmt::AnnAssign(assign) if is_self_attribute(&assign.target, attr) => {
            values.push(assign.value.as_deref());
        }
        _ => {}
    };
    walk_statements(body, &mut visit);
    values
}

/// The annotations of `self.<attr>: T = ...` in a method body.
fn self_annotations<'a>(body: &'a [Stmt], attr: &str) -> Vec<&'a Expr> {
    let mut annotations = Vec::new();
    let mut visit = |stmt: &'a Stmt| {
        if let Stmt::AnnAssign(assign) = stmt {
            if is_self_attribute(&assign.target, attr) {
                annotations.push(assign.annotation.as_ref());
            }
        }
    };
    walk_statements(body, &mut visit);
    annotations
}

fn is_self_attribute(target: &Expr, attr: &str) -> bool {
    matches!(target, Expr::Attribute(attribute)
        if attribute.attr.as_str() == attr
            && matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self"))
}

/// Calls `visit` on every statement of `body` and the blocks inside it (nested functions and
/// classes aside).
fn walk_statements<'a>(body: &'a [Stmt], visit: &mut dyn FnMut(&'a Stmt)) {
    struct Walker<'v, 'a> {
        visit: &'v mut dyn FnMut(&'a Stmt),
    }
    impl<'a> Visitor<'a> for Walker<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return;
            }
            (self.visit)(stmt);
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    Walker { visit }.visit_body(body);
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
