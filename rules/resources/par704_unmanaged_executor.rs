//! PAR704 unmanaged-executor: a pool made in a function and never shut down there.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::PoolKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::{contains_comment, stands_alone};
use crate::rules::resources::pool_uses::{enclosing_def, NameUses, Use};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR704",
    name: "unmanaged-executor",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "An executor or pool created outside `with` and never shut down (`shutdown()`, `close()`/`join()`, `terminate()`) in its function",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `ThreadPoolExecutor`, `ProcessPoolExecutor`, `InterpreterPoolExecutor`,
`multiprocessing.Pool` or `ThreadPool` created in a function outside a `with` statement
when nothing in that function ever shuts it down:
- `executor = ThreadPoolExecutor()` assigned to a local name whose every use is a task method
  (`executor.submit(...)`, `pool.map(...)`, `loop.run_in_executor(executor, ...)`) — no
  `shutdown`, `close`, `join` or `terminate`, no `with executor:`;
- a pool used once inline and dropped: `ThreadPoolExecutor().map(f, xs)`.

Not flagged (the pool's lifetime is managed elsewhere, or by design):
- pools stored on an object (`self.executor = ...`): the class may shut them down in
  another method, `close()`, `__exit__` or `__del__`, or their owner may;
- pools that escape: returned, yielded, passed to any call (`atexit.register`,
  `loop.set_default_executor`, `ExitStack.enter_context`, a constructor), stored in a
  container or another variable, referred to from a nested function or lambda, or declared
  `global`/`nonlocal`;
- module-level pools (including under `if __name__ == "__main__":`): they are meant to live
  as long as the program, and the interpreter joins them at exit;
- any name assigned more than once in the function (the analysis stays silent rather than
  guess which binding a `shutdown()` refers to);
- a pool followed, in the same block, by a `while True:` loop with no `break` or `return`: a
  server's main loop, which only ends with the program.

## Why is this bad?
A pool owns threads or processes. Never shutting it down leaks them for as long as the
program runs: every call of the function adds another idle pool (processes hold memory,
threads hold stacks), and tasks still pending when the function returns keep running with
nobody waiting for them or seeing their errors. A `with` block shuts the pool down
deterministically and waits for its work, even when an exception is raised.

## Example
```python
def resize_all(paths):
    executor = ThreadPoolExecutor(max_workers=8)
    thumbnails = list(executor.map(resize, paths))
    return thumbnails
```

Use instead:
```python
def resize_all(paths):
    with ThreadPoolExecutor(max_workers=8) as executor:
        thumbnails = list(executor.map(resize, paths))
    return thumbnails
```

## Fix
When the assignment and every use of the pool are statements of one block, the assignment
becomes `with <constructor> as <name>:` and the statements from it up to the last use are
indented into the block (comments and multi-line strings kept). Offered only for
`concurrent.futures` executors with no fire-and-forget `submit` and no `run_in_executor`
left un-awaited (leaving the block waits for pending work), and for `multiprocessing` pools
only when every use is a blocking `map`, `starmap` or `apply` (their `__exit__` calls
`terminate()`, which would kill unfinished `imap`/`*_async` work). Otherwise the suggestion
is display-only.

## Fix safety
Unsafe: leaving the `with` block waits for the pool's pending tasks (or terminates a
`multiprocessing` pool), so code after the block runs later than before.
"#;

/// Attribute uses that shut the pool down or hand its lifetime to a protocol.
const CLOSERS: &[&str] = &[
    "shutdown",
    "close",
    "terminate",
    "join",
    "__enter__",
    "__exit__",
    "__del__",
];

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    // `ThreadPoolExecutor().map(f, xs)`: an inline pool nobody can shut down.
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        if let Expr::Call(inner) = attribute.value.as_ref() {
            if let Some(kind) = checker.semantic.pool_constructor(inner) {
                if !CLOSERS.contains(&attribute.attr.as_str())
                    && checker.semantic.enclosing_function_like().is_some()
                {
                    let message = format!(
                        "`{}` is created for a single `.{}` call and never shut down ({}): its workers outlive the call; use a `with` block",
                        kind.class_name(),
                        attribute.attr.as_str(),
                        class_of(kind)
                    );
                    let fix = Fix::display_only(
                        format!(
                            "Create the pool in a `with {}(...) as pool:` block and call `pool.{}` inside it",
                            kind.class_name(),
                            attribute.attr.as_str()
                        ),
                        Vec::new(),
                    );
                    checker
                        .report(Diagnostic::new(&RULE, message, inner.range()).with_fix(Some(fix)));
                }
            }
        }
    }
    let Some(kind) = checker.semantic.pool_constructor(call) else {
        return;
    };
    let Some(def) = enclosing_def(checker) else {
        return;
    };
    if !matches!(
        checker.semantic.current_scope().kind,
        crate::analysis::semantic::ScopeKind::Function(_)
    ) {
        return;
    }
    // `name = Pool(...)` (or annotated), the statement holding the call.
    let Some(statement) = checker.statements().last().copied() else {
        return;
    };
    let (target, value) = match statement {
        Stmt::Assign(assign) => match assign.targets.as_slice() {
            [Expr::Name(target)] => (target, assign.value.as_ref()),
            _ => return,
        },
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => match target.as_ref() {
            Expr::Name(target) => (target, value.as_ref()),
            _ => return,
        },
        _ => return,
    };
    if value.range() != call.range() {
        return;
    }
    let name = target.id.as_str();
    let uses = NameUses::collect(name, &def.body);
    if uses.nested || uses.declared_outer {
        return;
    }
    let mut task_uses = Vec::new();
    for found in uses.without_store(target.range) {
        match found {
            Use::Attribute { attr, .. } if CLOSERS.contains(attr) => return,
            Use::Attribute {
                attr, called: true, ..
            } => task_uses.push((*attr, found.range())),
            Use::RunInExecutor { range } => task_uses.push(("run_in_executor", *range)),
            // Read any other way (passed, returned, `with executor:`) or bound again.
            _ => return,
        }
    }
    if serves_forever(def, statement) {
        return;
    }
    let message = format!(
        "`{}` assigned to `{name}` is never shut down in `{}` ({}): its workers leak after the function returns; use a `with` block",
        kind.class_name(),
        def.name.as_str(),
        class_of(kind)
    );
    let fix = with_block_fix(checker, def, statement, call, name, kind, &task_uses).unwrap_or_else(
        || {
            Fix::display_only(
                format!(
                    "Manage the pool with `with {} as {name}:` (or call {} in a `finally`)",
                    checker.source.slice(call.range()),
                    if matches!(kind, PoolKind::ProcessPool | PoolKind::ThreadPool) {
                        format!("`{name}.close()` and `{name}.join()`")
                    } else {
                        format!("`{name}.shutdown()`")
                    }
                ),
                Vec::new(),
            )
        },
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

fn class_of(kind: PoolKind) -> &'static str {
    if kind.is_thread() {
        "threads for I/O-bound work"
    } else {
        "processes for CPU-bound work"
    }
}

/// Rewrites `name = Pool(...)` and the statements up to the pool's last use in the same
/// block into `with Pool(...) as name:`.
fn with_block_fix<'a>(
    checker: &Checker<'a>,
    def: &'a ast::StmtFunctionDef,
    statement: &'a Stmt,
    call: &'a ast::ExprCall,
    name: &str,
    kind: PoolKind,
    task_uses: &[(&str, TextRange)],
) -> Option<Fix> {
    if task_uses.is_empty() {
        return None;
    }
    let executor = matches!(
        kind,
        PoolKind::ThreadExecutor | PoolKind::ProcessExecutor | PoolKind::InterpreterExecutor
    );
    let blocking_only = task_uses
        .iter()
        .all(|(attr, _)| matches!(*attr, "map" | "starmap" | "apply"));
    if !executor && !blocking_only {
        return None;
    }
    let body = crate::analysis::names::containing_body(&def.body, statement.range())?;
    let index = body
        .iter()
        .position(|stmt| stmt.range() == statement.range())?;
    let mut last = index;
    for (_, range) in task_uses {
        let position = body
            .iter()
            .position(|stmt| stmt.range().contains_range(*range))?;
        if position <= index {
            return None;
        }
        last = last.max(position);
    }
    // A fire-and-forget `submit` (a bare statement) would now be waited for at the block's end.
    for stmt in &body[index + 1..=last] {
        if fire_and_forget(stmt, name) {
            return None;
        }
    }
    let source = checker.source;
    if !stands_alone(source, statement) || !stands_alone(source, &body[last]) {
        return None;
    }
    if contains_comment(checker.tokens, statement.range()) {
        return None;
    }
    let indent_unit = &checker.stylist.indent_unit;
    let header = format!("with {} as {name}:", source.slice(call.range()));
    let block = TextRange::new(
        source.next_line_start(statement.end()),
        source.next_line_start(body[last].end()),
    );
    // The block's first statement must start on the line after the assignment.
    if body[index + 1].start() < block.start() {
        return None;
    }
    let indented = crate::fix::indent::indent(source.text(), checker.tokens, block, indent_unit);
    Some(Fix::unsafe_(
        format!("Use `{header}` around the statements that use it"),
        vec![
            Edit::replace(statement.range(), header),
            Edit::replace(block, indented),
        ],
    ))
}

/// `name.submit(...)` as a bare statement anywhere in `stmt`, or a
/// `loop.run_in_executor(name, ...)` that is not awaited: nobody waits for the task, and the
/// `with` block's exit would (blocking the event loop, for `run_in_executor`).
fn fire_and_forget(stmt: &Stmt, name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        awaited: Vec<TextRange>,
        found: bool,
    }
    impl Finder<'_> {
        fn is_name(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Expr(expr) = stmt {
                if let Expr::Call(call) = expr.value.as_ref() {
                    if let Expr::Attribute(attribute) = call.func.as_ref() {
                        if self.is_name(&attribute.value)
                            && matches!(
                                attribute.attr.as_str(),
                                "submit" | "apply_async" | "map_async" | "starmap_async"
                            )
                        {
                            self.found = true;
                        }
                    }
                }
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Await(await_expr) => self.awaited.push(await_expr.value.range()),
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref() {
                        if attribute.attr.as_str() == "run_in_executor"
                            && call.arguments.args.first().is_some_and(|a| self.is_name(a))
                            && !self.awaited.contains(&call.range())
                        {
                            self.found = true;
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        name,
        awaited: Vec::new(),
        found: false,
    };
    finder.visit_stmt(stmt);
    finder.found
}

/// A `while True:` loop without `break` after the pool's creation in the same block: the
/// function serves until the program ends, and the pool is meant to live as long.
fn serves_forever(def: &ast::StmtFunctionDef, statement: &Stmt) -> bool {
    let Some(body) = crate::analysis::names::containing_body(&def.body, statement.range()) else {
        return false;
    };
    body.iter()
        .skip_while(|stmt| stmt.range() != statement.range())
        .any(|stmt| match stmt {
            Stmt::While(while_stmt) => {
                matches!(while_stmt.test.as_ref(), Expr::BooleanLiteral(b) if b.value)
                    && !breaks(&while_stmt.body)
            }
            _ => false,
        })
}

/// Whether a loop body has a `break` of its own (not of a nested loop) or a `return`.
fn breaks(body: &[Stmt]) -> bool {
    struct Finder {
        depth: u32,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Break(_) if self.depth == 0 => self.found = true,
                Stmt::Return(_) => self.found = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(ast::StmtFor { body, orelse, .. })
                | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                    self.depth += 1;
                    self.visit_body(body);
                    self.depth -= 1;
                    self.visit_body(orelse);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut finder = Finder {
        depth: 0,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}
