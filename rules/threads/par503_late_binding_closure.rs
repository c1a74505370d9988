//! PAR503 late-binding-closure: a closure made in a loop runs later and sees the loop
//! variable's final value.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::ancestry::parent_expr;
use crate::analysis::names::{function_names, lambda_names};
use crate::analysis::semantic::{keyword, BindingKind, PoolKind, Runner, ScopeKind};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR503",
    name: "late-binding-closure",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    opt_in: false,
    summary: "A lambda or nested function made in a loop and run later reads the loop variable's final value, not the value of its iteration",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `lambda` or nested `def` created inside a loop (or comprehension) that reads a
variable the loop rebinds, when the closure is handed to something that runs it later: an
executor or pool (`submit`, `map`, `apply_async`, `run_in_executor`, ...), a
`threading.Thread(target=...)` or `threading.Timer`, an event-loop callback (`call_soon`,
`call_later`, `call_at`, `call_soon_threadsafe`), a future's `add_done_callback`, or a task
(`asyncio.create_task(inner())` of a nested `async def`).

It stays silent when the closure is known to finish within the same iteration: the handoff
is awaited, its future's `.result()` (or a thread's `.join()`) is read in the iteration, the
blocking `multiprocessing` `Pool.map`/`apply` is used, the results of `executor.map` are
consumed on the spot, or the executor's own `with` block closes inside the loop.

## Why is this bad?
Python closures capture variables, not values. The closure reads the loop variable when it
*runs*; by then the loop has moved on, so the tasks typically all see the last item — the
I/O-bound or CPU-bound work runs on the wrong inputs, silently, and often only under load.

## Example
```python
with ThreadPoolExecutor() as executor:
    futures = [executor.submit(lambda: download(url)) for url in urls]
```

Use instead:
```python
with ThreadPoolExecutor() as executor:
    futures = [executor.submit(lambda url=url: download(url)) for url in urls]
```
(or better, `executor.submit(download, url)`).

## Fix
Binds each late-bound variable as a default argument (`lambda url=url: ...`,
`def work(url=url):`), which is evaluated when the closure is created. The new parameters
go after the existing ones (keyword-only after `*args`, before `**kwargs`).

## Fix safety
Safe: default values are evaluated once, at creation, which is what the code meant. The
closure gains an optional parameter; a caller passing more positional arguments than the
closure accepted before would now bind it instead of failing.
"#;

/// Where a closure is handed over, and in what form.
struct Handoff<'a> {
    /// The expression that evaluates to the closure (a lambda, or a name bound to one or to
    /// a nested `def`; for a task, the name of the nested `async def`).
    callable: &'a Expr,
    /// For the message: `executor.submit`, `Thread`, `call_soon`, ...
    entry: String,
    /// The handoff itself waits for the closure to finish (`Pool.map`, `Pool.apply`).
    blocking: bool,
    /// The call is a `map` whose results stream back lazily (`Executor.map`).
    lazy_map: bool,
}

/// The closure and its free names.
enum Closure<'a> {
    Lambda(&'a ast::ExprLambda),
    Def(&'a ast::StmtFunctionDef),
}

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(handoff) = handoff(checker, call) else {
        return;
    };
    if handoff.blocking {
        return;
    }
    let loop_stmt = enclosing_loop(checker);
    let Some(closure) = closure_made_here(checker, handoff.callable, loop_stmt) else {
        return;
    };
    let late = late_bound_names(checker, &closure, call, loop_stmt);
    if late.is_empty() || finishes_in_iteration(checker, call, &handoff, loop_stmt) {
        return;
    }
    let range = closure_range(checker, &closure);
    if checker.has_reported_at(&RULE, range) {
        return;
    }
    let names = late
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let what = match closure {
        Closure::Lambda(_) => "Lambda".to_string(),
        Closure::Def(def) => format!("Nested function `{}`", def.name),
    };
    let (noun, binding) = if late.len() == 1 {
        ("variable", "it as a default argument")
    } else {
        ("variables", "them as default arguments")
    };
    let message = format!(
        "{what} handed to `{}` reads loop {noun} {names} when it runs, not when it was created: the deferred tasks may all see the last value; bind {binding}",
        handoff.entry
    );
    let defaults = late
        .iter()
        .map(|name| format!("{name}={name}"))
        .collect::<Vec<_>>()
        .join(", ");
    let fix = default_arguments_fix(checker, &closure, &defaults);
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(fix));
}

/// Recognises a call that stores a callable to run later.
fn handoff<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Handoff<'a>> {
    // Most calls hand nothing over: reject them on the callee's last name alone.
    let tail = checker.semantic.resolved_tail(&call.func)?;
    if !is_handoff_name(tail) {
        return None;
    }
    let args = &call.arguments.args;
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        let method = attribute.attr.as_str();
        let deferred = match method {
            "call_soon" | "call_soon_threadsafe" | "add_done_callback" => args.first(),
            "call_later" | "call_at" => args.get(1),
            "create_task" | "ensure_future" => task_coroutine_function(args.first()),
            _ => None,
        };
        if let Some(callable) = deferred {
            return Some(Handoff {
                callable,
                entry: method.to_string(),
                blocking: false,
                lazy_map: false,
            });
        }
    }
    if let Some(name) = checker.semantic.resolves_to_any(
        &call.func,
        &[
            "asyncio.create_task",
            "asyncio.ensure_future",
            "asyncio.run_coroutine_threadsafe",
        ],
    ) {
        return Some(Handoff {
            callable: task_coroutine_function(args.first())?,
            entry: name.to_string(),
            blocking: false,
            lazy_map: false,
        });
    }
    if checker.semantic.resolves_to(&call.func, "threading.Timer") {
        return Some(Handoff {
            callable: args.get(1).or_else(|| keyword(call, "function"))?,
            entry: "threading.Timer".to_string(),
            blocking: false,
            lazy_map: false,
        });
    }
    let run = checker.runner_call(call)?;
    let (entry, blocking, lazy_map) = match run.runner {
        // The child gets a snapshot when it starts (fork), or fails to pickle the closure
        // (spawn, PAR401): never a late read.
        Runner::Process(_) => return None,
        Runner::Thread => ("Thread".to_string(), false, false),
        Runner::Pool(_) if run.entry == "initializer" => return None,
        Runner::Pool(kind) => {
            // `multiprocessing`-style pools block in `map`, `starmap` and `apply`.
            let multiprocessing_api = matches!(kind, PoolKind::ProcessPool | PoolKind::ThreadPool);
            let blocking = multiprocessing_api && matches!(run.entry, "map" | "starmap" | "apply");
            let lazy_map = !multiprocessing_api && run.entry == "map";
            let entry = if run.entry == "run_in_executor" {
                run.entry.to_string()
            } else {
                format!("{}.{}", kind.class_name(), run.entry)
            };
            (entry, blocking, lazy_map)
        }
    };
    Some(Handoff {
        callable: run.callable,
        entry,
        blocking,
        lazy_map,
    })
}

/// The last names of every callee [`handoff`] recognises.
fn is_handoff_name(tail: &str) -> bool {
    matches!(
        tail,
        "call_soon"
            | "call_soon_threadsafe"
            | "add_done_callback"
            | "call_later"
            | "call_at"
            | "create_task"
            | "ensure_future"
            | "run_coroutine_threadsafe"
            | "Timer"
            | "run_in_executor"
            | "Thread"
            | "ProcessPoolExecutor"
            | "ThreadPoolExecutor"
            | "InterpreterPoolExecutor"
            | "Pool"
            | "ThreadPool"
    ) || crate::analysis::semantic::POOL_ENTRY_POINTS.contains(&tail)
        || tail.ends_with("Process")
}

/// `create_task(inner(...))`: the function whose coroutine runs later.
fn task_coroutine_function(argument: Option<&Expr>) -> Option<&Expr> {
    match argument? {
        Expr::Call(inner) if matches!(inner.func.as_ref(), Expr::Name(_)) => Some(&inner.func),
        _ => None,
    }
}

/// The innermost `for`/`while` around the walk's position in the same scope.
fn enclosing_loop<'a>(checker: &Checker<'a>) -> Option<&'a Stmt> {
    for stmt in checker.statements().iter().rev() {
        match stmt {
            Stmt::For(_) | Stmt::While(_) => return Some(stmt),
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return None,
            _ => {}
        }
    }
    None
}

/// The closure `callable` evaluates to, when it is created anew in each iteration: a lambda
/// written at the handoff, or a name bound to a lambda or `def` inside the loop.
fn closure_made_here<'a>(
    checker: &Checker<'a>,
    callable: &'a Expr,
    loop_stmt: Option<&'a Stmt>,
) -> Option<Closure<'a>> {
    match callable {
        Expr::Lambda(lambda) => Some(Closure::Lambda(lambda)),
        Expr::Name(name) => {
            let binding = checker.semantic.lookup(name.id.as_str(), name.start())?;
            if !loop_stmt.is_some_and(|stmt| stmt.range().contains_range(binding.range)) {
                return None;
            }
            match binding.kind {
                BindingKind::Lambda(lambda) => Some(Closure::Lambda(lambda)),
                BindingKind::Function(def) => Some(Closure::Def(def)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The closure's free names that the loop (or an enclosing comprehension) rebinds per
/// iteration, in first-use order.
fn late_bound_names<'a>(
    checker: &Checker<'a>,
    closure: &Closure<'a>,
    call: &'a ast::ExprCall,
    loop_stmt: Option<&'a Stmt>,
) -> Vec<&'a str> {
    let (uses, own_name) = match closure {
        Closure::Lambda(lambda) => (lambda_names(lambda), None),
        Closure::Def(def) => (function_names(def, true), Some(def.name.as_str())),
    };
    if uses.declares_outer {
        // `nonlocal i` cannot become a parameter.
        return Vec::new();
    }
    uses.free()
        .into_iter()
        .filter(|name| Some(*name) != own_name)
        .filter(|name| {
            let Some(binding) = checker.semantic.lookup(name, call.start()) else {
                return false;
            };
            if !matches!(
                binding.kind,
                BindingKind::Value
                    | BindingKind::Parameter
                    | BindingKind::Pool(_)
                    | BindingKind::Client(_)
                    | BindingKind::Object(_)
                    | BindingKind::Instance(_)
            ) {
                // A function, class or import rebound in the loop is the same thing each time.
                return false;
            }
            match checker.semantic.binding_scope_kind(name) {
                Some(ScopeKind::Comprehension) => true,
                Some(ScopeKind::Lambda(_)) => false,
                _ => loop_stmt.is_some_and(|stmt| stmt.range().contains_range(binding.range)),
            }
        })
        .collect()
}

/// Whether the deferred work is waited for before the iteration ends.
fn finishes_in_iteration(
    checker: &Checker,
    call: &ast::ExprCall,
    handoff: &Handoff,
    loop_stmt: Option<&Stmt>,
) -> bool {
    let Some(statement) = checker.statements().last() else {
        return false;
    };
    match parent_expr(statement, call.range()) {
        Some(Expr::Await(_)) => return true,
        Some(Expr::Attribute(attribute))
            if matches!(
                attribute.attr.as_str(),
                "result" | "join" | "get" | "wait" | "exception"
            ) =>
        {
            return true;
        }
        Some(Expr::Call(consumer)) if handoff.lazy_map => {
            if matches!(
                checker.semantic.resolved_tail(&consumer.func),
                Some(
                    "list"
                        | "tuple"
                        | "set"
                        | "sorted"
                        | "sum"
                        | "min"
                        | "max"
                        | "dict"
                        | "any"
                        | "all"
                )
            ) {
                return true;
            }
        }
        None if handoff.lazy_map => {
            if let Stmt::For(for_stmt) = statement {
                if for_stmt.iter.range() == call.range() {
                    return true;
                }
            }
        }
        _ => {}
    }
    let Some(loop_stmt) = loop_stmt else {
        return false;
    };
    executor_closes_in_loop(checker, call, loop_stmt)
        || handle_waited_for(statement, call, loop_stmt)
}

/// `with Executor() as ex:` opened inside the loop: leaving the block waits for every task.
fn executor_closes_in_loop(checker: &Checker, call: &ast::ExprCall, loop_stmt: &Stmt) -> bool {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return false;
    };
    let Expr::Name(executor) = attribute.value.as_ref() else {
        return false;
    };
    checker.statements().iter().rev().any(|stmt| match stmt {
        Stmt::With(with) => {
            loop_stmt.range().contains_range(with.range)
                && with.items.iter().any(|item| {
                    matches!(item.optional_vars.as_deref(), Some(Expr::Name(bound)) if bound.id == executor.id)
                })
        }
        _ => false,
    })
}

/// `h = executor.submit(...)` (or `t = Thread(...)`) followed, in the loop body, by
/// `h.result()`, `t.join()`, `await h`, or `wait([h])`.
fn handle_waited_for(statement: &Stmt, call: &ast::ExprCall, loop_stmt: &Stmt) -> bool {
    let Stmt::Assign(assign) = statement else {
        return false;
    };
    let [Expr::Name(handle)] = assign.targets.as_slice() else {
        return false;
    };
    if assign.value.range() != call.range() {
        return false;
    }
    let mut waiter = HandleWaiter {
        handle: handle.id.as_str(),
        after: call.end(),
        waited: false,
    };
    let body = match loop_stmt {
        Stmt::For(for_stmt) => &for_stmt.body,
        Stmt::While(while_stmt) => &while_stmt.body,
        _ => return false,
    };
    ruff_python_ast::visitor::Visitor::visit_body(&mut waiter, body);
    waiter.waited
}

struct HandleWaiter<'n> {
    handle: &'n str,
    after: TextSize,
    waited: bool,
}

impl<'a> ruff_python_ast::visitor::Visitor<'a> for HandleWaiter<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.waited || expr.end() <= self.after {
            return;
        }
        let is_handle = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == self.handle);
        match expr {
            Expr::Await(awaited) if is_handle(&awaited.value) => self.waited = true,
            Expr::Call(call) => {
                if let Expr::Attribute(attribute) = call.func.as_ref() {
                    if is_handle(&attribute.value)
                        && matches!(
                            attribute.attr.as_str(),
                            "result" | "join" | "get" | "wait" | "exception"
                        )
                    {
                        self.waited = true;
                        return;
                    }
                }
                let waits = matches!(
                    crate::analysis::semantic::last_identifier(&call.func),
                    Some("wait" | "as_completed" | "gather")
                );
                let mentions = call.arguments.args.iter().any(|arg| match arg {
                    Expr::List(list) => list.elts.iter().any(is_handle),
                    Expr::Tuple(tuple) => tuple.elts.iter().any(is_handle),
                    Expr::Set(set) => set.elts.iter().any(is_handle),
                    other => is_handle(other),
                });
                if waits && mentions {
                    self.waited = true;
                    return;
                }
                ruff_python_ast::visitor::walk_expr(self, expr);
            }
            _ => ruff_python_ast::visitor::walk_expr(self, expr),
        }
    }
}

/// The diagnostic's range: the lambda, or the `def` line up to the function's name.
fn closure_range(checker: &Checker, closure: &Closure) -> TextRange {
    match closure {
        Closure::Lambda(lambda) => lambda.range(),
        Closure::Def(def) => {
            let line_start = checker.source.line_start(def.name.start());
            let indent = crate::source::indentation_at(checker.text(), line_start);
            let start = line_start + TextSize::of(indent);
            TextRange::new(start, def.name.end())
        }
    }
}

/// Adds `name=name` parameters: after the existing ones, before `**kwargs`.
fn default_arguments_fix(checker: &Checker, closure: &Closure, defaults: &str) -> Option<Fix> {
    let parameters = match closure {
        Closure::Lambda(lambda) => match &lambda.parameters {
            None => {
                let at = lambda.start() + TextSize::of("lambda");
                return Some(Fix::safe(
                    format!("Bind as default arguments: `{defaults}`"),
                    vec![Edit::insert(at, format!(" {defaults}"))],
                ));
            }
            Some(parameters) => parameters.as_ref(),
        },
        Closure::Def(def) => def.parameters.as_ref(),
    };
    let edit = if let Some(kwarg) = &parameters.kwarg {
        let before = &checker.text()[TextRange::new(parameters.start(), kwarg.end())];
        let stars = before.rfind("**")?;
        Edit::insert(
            parameters.start() + TextSize::try_from(stars).ok()?,
            format!("{defaults}, "),
        )
    } else {
        let last_end = parameters
            .posonlyargs
            .iter()
            .chain(&parameters.args)
            .map(Ranged::end)
            .chain(parameters.vararg.as_deref().map(Ranged::end))
            .chain(parameters.kwonlyargs.iter().map(Ranged::end))
            .max();
        match last_end {
            Some(end) => Edit::insert(end, format!(", {defaults}")),
            // `def f():` — inside the parentheses.
            None => {
                let open = checker.text()[parameters.range()].find('(')?;
                Edit::insert(
                    parameters.start() + TextSize::try_from(open + 1).ok()?,
                    defaults.to_string(),
                )
            }
        }
    };
    Some(Fix::safe(
        format!("Bind as default arguments: `{defaults}`"),
        vec![edit],
    ))
}
