//! PAR705 discarded-future: a task handed to a pool whose future (or `AsyncResult`) nobody
//! reads, so its exception is never raised anywhere.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::{keyword, BindingKind, PoolKind, Runner};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::resources::pool_uses::{binding_body, body_without_docstring, NameUses, Use};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR705",
    name: "discarded-future",
    severity: Severity::Error,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "The future of `executor.submit(...)`/`pool.apply_async(...)` is discarded or never read: the task's exception vanishes",
    docs: DOCS,
    kinds: &[NodeKind::ExprStmt, NodeKind::Assign],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a task handed to a pool whose result object is never read:
- `executor.submit(...)`, `pool.apply_async(...)`, `pool.map_async(...)` or
  `pool.starmap_async(...)` used as a bare statement, and `executor.map(...)` on a
  `concurrent.futures` executor used as a bare statement (its exceptions arrive only through
  the iterator it returns; `multiprocessing`'s blocking `Pool.map` raises by itself);
- `future = executor.submit(...)` where `future` is never read afterwards;
- `futures.append(executor.submit(...))` or `futures = [executor.submit(...) for ...]` where
  the list is never read except to append to it.

The pool must be known: a `ThreadPoolExecutor`/`ProcessPoolExecutor`/`multiprocessing` pool
bound by `with ... as`, by assignment, as `self.<attr>`, or through an annotated parameter.

Not flagged: `apply_async(..., error_callback=...)` (errors are handled); a future given
`add_done_callback`, stored on an object, passed, returned or iterated; `_ = executor.submit(...)`
(an explicit decision to drop it); a submitted function of this file (`self.method` of the
class, or `obj.method` where `obj` is made from a class of this file) whose body is a `try:`
with a broad `except Exception:` that does not re-raise, after at most three plain
assignments and any logging calls (it reports its own errors); a trivial callable
(`executor.map(int, range(n))` is the idiom that starts the workers).

## Why is this bad?
A pool catches whatever the task raises and stores it in the future (or `AsyncResult`); it is
raised only when someone calls `.result()`/`.get()` (or `.exception()`, `as_completed`,
`wait`). A future nobody reads turns a crash in the worker thread or process into silence:
the work was not done and nothing says so.

## Example
```python
with ThreadPoolExecutor(max_workers=8) as executor:
    for path in paths:
        executor.submit(upload, path)
```

Use instead:
```python
with ThreadPoolExecutor(max_workers=8) as executor:
    futures = [executor.submit(upload, path) for path in paths]
    for future in as_completed(futures):
        future.result()  # re-raises the worker's exception here
```

## Fix
Display-only: collect the futures and read `.result()` (or `.get()` for `multiprocessing`);
where and how an error should surface is the author's decision. A fire-and-forget task on a
long-lived pool (a module-level pool, or one held on `self`) is asynchronous by design:
blocking on `.result()` would defeat it, so the suggestion there is a done-callback that logs
the failure (`future.add_done_callback(...)`, or `error_callback=` for `multiprocessing`).
"#;

/// Methods whose return value carries the task's outcome.
const TASK_METHODS: &[&str] = &["submit", "apply_async", "map_async", "starmap_async"];

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Stmt(Stmt::Expr(statement)) => {
            let Expr::Call(call) = statement.value.as_ref() else {
                return;
            };
            if let Some(task) = task_call(checker, call) {
                report(checker, task, "is discarded");
                return;
            }
            if let Some(task) = executor_map(checker, call) {
                report(checker, task, "is discarded unread");
                return;
            }
            // `futures.append(executor.submit(...))` into a list nobody reads.
            let Expr::Attribute(attribute) = call.func.as_ref() else {
                return;
            };
            if !matches!(attribute.attr.as_str(), "append" | "add") {
                return;
            }
            let (Expr::Name(list), [Expr::Call(inner)]) =
                (attribute.value.as_ref(), call.arguments.args.as_ref())
            else {
                return;
            };
            let Some(task) = task_call(checker, inner) else {
                return;
            };
            if collection_never_read(checker, list.id.as_str()) {
                let how = format!("is kept in `{}`, which is never read", list.id.as_str());
                report(checker, task, &how);
            }
        }
        Node::Stmt(Stmt::Assign(assign)) => {
            let [Expr::Name(target)] = assign.targets.as_slice() else {
                return;
            };
            if target.id.as_str() == "_" {
                return;
            }
            match assign.value.as_ref() {
                Expr::Call(call) => {
                    let Some(task) = task_call(checker, call) else {
                        return;
                    };
                    let uses = NameUses::collect(target.id.as_str(), binding_body(checker));
                    let read = uses.nested
                        || uses.declared_outer
                        || uses
                            .without_store(target.range)
                            .any(|u| !matches!(u, Use::Store { .. }));
                    if !read {
                        let how = format!("is assigned to `{}`, which is never read", target.id);
                        report(checker, task, &how);
                    }
                }
                Expr::ListComp(ast::ExprListComp { elt, .. }) => {
                    let Expr::Call(call) = elt.as_ref() else {
                        return;
                    };
                    let Some(task) = task_call(checker, call) else {
                        return;
                    };
                    let uses = NameUses::collect(target.id.as_str(), binding_body(checker));
                    let read = uses.nested
                        || uses.declared_outer
                        || uses
                            .without_store(target.range)
                            .any(|u| !matches!(u, Use::Store { .. }));
                    if !read {
                        let how = format!("is collected in `{}`, which is never read", target.id);
                        report(checker, task, &how);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// A task submission on a known pool whose errors would surface only through its result.
struct TaskCall<'a> {
    call: &'a ast::ExprCall,
    kind: PoolKind,
    method: &'a str,
    callable: &'a Expr,
}

fn task_call<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<TaskCall<'a>> {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    let method = attribute.attr.as_str();
    if !TASK_METHODS.contains(&method) {
        return None;
    }
    let run = checker.runner_call(call)?;
    let Runner::Pool(kind) = run.runner else {
        return None;
    };
    if method != "submit" && !matches!(kind, PoolKind::ProcessPool | PoolKind::ThreadPool) {
        return None;
    }
    if method == "submit" && matches!(kind, PoolKind::ProcessPool | PoolKind::ThreadPool) {
        return None;
    }
    if keyword(call, "error_callback").is_some() {
        return None;
    }
    if reports_own_errors(checker, run.callable) || is_trivial(checker, run.callable) {
        return None;
    }
    Some(TaskCall {
        call,
        kind,
        method,
        callable: run.callable,
    })
}

/// `executor.map(f, xs)` on a `concurrent.futures` executor: its results (and exceptions)
/// arrive only through the iterator it returns. (`multiprocessing` `Pool.map` blocks and
/// raises by itself.)
fn executor_map<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<TaskCall<'a>> {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    if attribute.attr.as_str() != "map" {
        return None;
    }
    let run = checker.runner_call(call)?;
    let Runner::Pool(
        kind @ (PoolKind::ThreadExecutor
        | PoolKind::ProcessExecutor
        | PoolKind::InterpreterExecutor),
    ) = run.runner
    else {
        return None;
    };
    if reports_own_errors(checker, run.callable) || is_trivial(checker, run.callable) {
        return None;
    }
    Some(TaskCall {
        call,
        kind,
        method: "map",
        callable: run.callable,
    })
}

/// A function of this file (a `def` by name, `self.method` of the enclosing class, or
/// `obj.method` of an object made from a class of this file) whose body ends in a `try:` with
/// a broad `except Exception:` that does not re-raise, after at most a few plain assignments
/// and logging calls: it reports its own errors.
fn reports_own_errors<'a>(checker: &Checker<'a>, callable: &'a Expr) -> bool {
    let defs: Vec<&'a ast::StmtFunctionDef> = match callable {
        Expr::Name(name) => {
            match checker
                .semantic
                .lookup(name.id.as_str(), name.range.start())
                .map(|binding| binding.kind)
            {
                Some(BindingKind::Function(def)) => vec![def],
                _ => return false,
            }
        }
        Expr::Attribute(attribute) => match self_method(checker, attribute) {
            Some(def) => vec![def],
            None => instance_methods(checker, attribute),
        },
        _ => return false,
    };
    !defs.is_empty() && defs.into_iter().all(handles_its_errors)
}

/// The body ends in a `try:` whose broad `except` does not re-raise, after at most three
/// plain assignments and any logging calls.
fn handles_its_errors(def: &ast::StmtFunctionDef) -> bool {
    let Some((Stmt::Try(try_stmt), before)) = body_without_docstring(def).split_last() else {
        return false;
    };
    let assignments = before
        .iter()
        .filter(|stmt| matches!(stmt, Stmt::Assign(_)))
        .count();
    if assignments > 3
        || !before
            .iter()
            .all(|stmt| matches!(stmt, Stmt::Assign(_)) || is_logging_call(stmt))
    {
        return false;
    }
    try_stmt.handlers.iter().any(|handler| {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        let broad = match handler.type_.as_deref() {
            None => true,
            Some(Expr::Name(type_name)) => {
                matches!(type_name.id.as_str(), "Exception" | "BaseException")
            }
            _ => false,
        };
        broad
            && !handler
                .body
                .iter()
                .any(|stmt| matches!(stmt, Stmt::Raise(_)))
    })
}

/// A cheap callable (`int`, `lambda x: x`): dropping its result is the warm-up idiom
/// (`executor.map(int, range(n))` starts the workers), and it has no error worth reading.
fn is_trivial<'a>(checker: &Checker<'a>, callable: &'a Expr) -> bool {
    checker.workload_of_callable(callable) == crate::analysis::workload::Workload::Trivial
}

/// `self.name` inside a method: the `def name` of the enclosing class.
fn self_method<'a>(
    checker: &Checker<'a>,
    attribute: &'a ast::ExprAttribute,
) -> Option<&'a ast::StmtFunctionDef> {
    let Expr::Name(base) = attribute.value.as_ref() else {
        return None;
    };
    if base.id.as_str() != "self" {
        return None;
    }
    let class = checker
        .semantic
        .scopes()
        .iter()
        .rev()
        .find_map(|scope| match scope.kind {
            crate::analysis::semantic::ScopeKind::Class(class) => Some(class),
            _ => None,
        })?;
    class.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.as_str() == attribute.attr.as_str() => Some(def),
        _ => None,
    })
}

/// `logger.debug(...)`, `logging.info(...)`, `self._log.warning(...)` as a statement: a call
/// of a logging method on something named for logging.
fn is_logging_call(stmt: &Stmt) -> bool {
    let Stmt::Expr(statement) = stmt else {
        return false;
    };
    let Expr::Call(call) = statement.value.as_ref() else {
        return false;
    };
    let Expr::Attribute(method) = call.func.as_ref() else {
        return false;
    };
    matches!(
        method.attr.as_str(),
        "debug" | "info" | "warning" | "warn" | "error" | "exception" | "critical" | "log"
    ) && crate::analysis::semantic::last_identifier(&method.value)
        .is_some_and(|name| name.to_ascii_lowercase().contains("log"))
}

/// `obj.name` where `obj` is an object made from a class of this file: the `def name` of
/// each such class. `obj` may be bound several times (`obj = None`, `obj = queue.get()`,
/// `obj = Request(...)`): the classes it is known to be made from decide, values of unknown
/// kind aside; none known, none returned.
fn instance_methods<'a>(
    checker: &Checker<'a>,
    attribute: &'a ast::ExprAttribute,
) -> Vec<&'a ast::StmtFunctionDef> {
    let Expr::Name(receiver) = attribute.value.as_ref() else {
        return Vec::new();
    };
    let mut classes: Vec<&'a ast::StmtClassDef> = Vec::new();
    let mut note = |kind: BindingKind<'a>| {
        if let BindingKind::Object(class) | BindingKind::Instance(class) = kind {
            if !classes.iter().any(|known| std::ptr::eq(*known, class)) {
                classes.push(class);
            }
        }
    };
    if let Some(binding) = checker
        .semantic
        .lookup(receiver.id.as_str(), receiver.start())
    {
        note(binding.kind);
    }
    for value in assigned_values(binding_body(checker), receiver.id.as_str()) {
        note(checker.semantic.classify_value(value));
    }
    let method = attribute.attr.as_str();
    let defs: Vec<_> = classes
        .iter()
        .filter_map(|class| {
            class.body.iter().find_map(|stmt| match stmt {
                Stmt::FunctionDef(def) if def.name.as_str() == method => Some(def),
                _ => None,
            })
        })
        .collect();
    // Every class the object may be made from must define the method here.
    if defs.len() == classes.len() {
        defs
    } else {
        Vec::new()
    }
}

/// The values `name = value` assigns in `body` (nested functions and classes aside).
fn assigned_values<'a>(body: &'a [Stmt], name: &str) -> Vec<&'a Expr> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'n, 'a> {
        name: &'n str,
        values: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Assign(assign) => {
                    if assign.targets.iter().any(
                        |target| matches!(target, Expr::Name(target) if target.id.as_str() == self.name),
                    ) {
                        self.values.push(&assign.value);
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut finder = Finder {
        name,
        values: Vec::new(),
    };
    finder.visit_body(body);
    finder.values
}

/// Whether the task goes to a pool that outlives the function submitting it: `self.<pool>`,
/// or a module-level pool used from a function. Its tasks are fire-and-forget by design.
fn long_lived_pool(checker: &Checker, call: &ast::ExprCall) -> bool {
    let Expr::Attribute(method) = call.func.as_ref() else {
        return false;
    };
    match method.value.as_ref() {
        Expr::Attribute(pool) => {
            matches!(pool.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self")
        }
        Expr::Name(pool) => {
            checker.semantic.enclosing_function_like().is_some()
                && checker
                    .semantic
                    .lookup(pool.id.as_str(), pool.start())
                    .is_some_and(|binding| binding.module_level)
        }
        _ => false,
    }
}

/// Whether the list `name` (bound where the walk is) is only ever appended to.
fn collection_never_read(checker: &Checker, name: &str) -> bool {
    let uses = NameUses::collect(name, binding_body(checker));
    if uses.nested || uses.declared_outer {
        return false;
    }
    let mut assigned_list = false;
    for found in &uses.uses {
        match found {
            Use::Attribute {
                attr: "append" | "add",
                called: true,
                ..
            } => {}
            Use::Store { .. } => assigned_list = true,
            _ => return false,
        }
    }
    // The list must be a local created here (not a parameter or attribute filled for a caller).
    assigned_list
}

fn report<'a>(checker: &mut Checker<'a>, task: TaskCall<'a>, how: &str) {
    let pool = if task.kind.is_thread() {
        "a thread pool"
    } else {
        "worker processes"
    };
    let workload = checker.workload_of_callable(task.callable);
    let class = match workload {
        w if w.is_cpu() || w.is_io() => format!(" ({} task)", w.describe()),
        _ => String::new(),
    };
    let reader = match task.method {
        "submit" => "`.result()`",
        "map" => "the results (`list(executor.map(...))` or a `for` loop)",
        _ => "`.get()`",
    };
    // Blocking on the result of a fire-and-forget task on a long-lived pool would defeat its
    // purpose: the failure should be logged when the task ends.
    let fire_and_forget = task.method != "map" && long_lived_pool(checker, task.call);
    let (advice, suggestion) = match (fire_and_forget, task.method) {
        (true, "submit") => (
            "log it from a done-callback (`future.add_done_callback(...)`) rather than block on `.result()`".to_string(),
            "Log failures without blocking: `executor.submit(...).add_done_callback(log_failure)`, where `log_failure(future)` logs `future.exception()` when there is one".to_string(),
        ),
        (true, _) => (
            "log it from an `error_callback=` rather than block on `.get()`".to_string(),
            format!(
                "Log failures without blocking: `pool.{}(..., error_callback=log_failure)`, where `log_failure(error)` logs the exception",
                task.method
            ),
        ),
        (false, "map") => (
            format!("keep it and read {reader}"),
            "Iterate the results, e.g. `list(executor.map(...))`, so that exceptions are raised"
                .to_string(),
        ),
        (false, _) => (
            format!("keep it and read {reader}"),
            format!("Collect the results and read {reader} (for example over `as_completed`)"),
        ),
    };
    let message = format!(
        "The result of `{}`{class} {how}: an exception raised in {pool} is stored there and never seen; {advice}",
        task.method
    );
    let fix = Fix::display_only(suggestion, Vec::new());
    let range: TextRange = task.call.range();
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
}
