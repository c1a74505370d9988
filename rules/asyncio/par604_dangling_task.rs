//! PAR604 dangling-task: a task whose only reference is dropped at once.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::semantic::ScopeKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::{stands_alone, unused_name};
use crate::rules::{FixAvailability, RuleSpec};
use crate::source::indentation_at;

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR604",
    name: "dangling-task",
    severity: Severity::Error,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "A task created with `create_task`/`ensure_future` is not kept: it can be garbage-collected mid-run and its exception is lost",
    docs: DOCS,
    kinds: &[NodeKind::ExprStmt, NodeKind::Call],
    call_tails: &["create_task"],
    check,
};

const DOCS: &str = r#"## What it does
Flags `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and `loop.create_task(...)`
(on the loop from `asyncio.get_running_loop()`/`get_event_loop()`) used as a bare statement,
so no reference to the task is kept. Also flags `tg.create_task(...)` on an
`asyncio.TaskGroup` after its `async with` block has exited, where it raises `RuntimeError`.

## Why is this bad?
The event loop keeps only a weak reference to tasks: a task nobody references can be
garbage-collected before it finishes, silently stopping the I/O-bound work it was doing.
Nobody awaits it either, so an exception inside it is only logged as "Task exception was
never retrieved" at some later point, if at all.

## Example
```python
async def handle(request):
    asyncio.create_task(audit_log(request))
    return respond(request)
```

Use instead:
```python
_background_tasks = set()

async def handle(request):
    task = asyncio.create_task(audit_log(request))
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    return respond(request)
```
or run the tasks in an `async with asyncio.TaskGroup() as tg:` block, which keeps them and
reports their errors.

## Fix
Display-only: the suggested code keeps the task in a module-level set until it finishes
(above). Whether an error should propagate, and where, is the author's decision.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Stmt(Stmt::Expr(statement)) => {
            let Expr::Call(call) = statement.value.as_ref() else {
                return;
            };
            if !creates_untracked_task(checker, call) {
                return;
            }
            let message = "Task created by `create_task`/`ensure_future` is not kept (I/O-bound asyncio work): the event loop holds only a weak reference, so it can be garbage-collected before it finishes and its exception is lost; keep a reference or use `asyncio.TaskGroup`";
            let fix = keep_reference(checker, statement);
            checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
        }
        Node::Expr(Expr::Call(call)) => {
            if let Some(group) = task_group_used_after_exit(checker, call) {
                let message = format!(
                    "`{group}.create_task` after the `async with` block of TaskGroup `{group}` has exited raises `RuntimeError`; create the task inside the block"
                );
                let fix = Fix::display_only(
                    "Move the `create_task` call into the `async with` block",
                    Vec::new(),
                );
                checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
            }
        }
        _ => {}
    }
}

/// `asyncio.create_task(...)`, `asyncio.ensure_future(...)`, or `create_task` on a loop
/// obtained from `asyncio.get_running_loop()`/`get_event_loop()`.
fn creates_untracked_task<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let semantic = &checker.semantic;
    const TASK_FACTORIES: &[&str] = &[
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    ];
    if semantic
        .resolves_to_any(&call.func, TASK_FACTORIES)
        .is_some()
    {
        return true;
    }
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return false;
    };
    if attribute.attr.as_str() != "create_task" {
        return false;
    }
    let is_loop_call = |expr: &'a Expr| {
        matches!(expr, Expr::Call(inner) if ["asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop"]
            .iter()
            .any(|name| semantic.resolves_to(&inner.func, name)))
    };
    match attribute.value.as_ref() {
        receiver @ Expr::Call(_) => is_loop_call(receiver),
        Expr::Name(name) => crate::analysis::names::single_assignment(
            &checker.semantic,
            checker.module,
            name.id.as_str(),
            name.start(),
        )
        .is_some_and(is_loop_call),
        _ => false,
    }
}

/// The suggestion: keep the task in a module-level set until it is done.
fn keep_reference(checker: &Checker, statement: &ast::StmtExpr) -> Fix {
    let message =
        "Keep a reference until the task finishes (or create it in an `asyncio.TaskGroup`)";
    if !stands_alone(checker.source, statement) {
        return Fix::display_only(message, Vec::new());
    }
    let source = checker.source;
    let newline = checker.stylist.line_ending;
    let indent = indentation_at(source.text(), source.line_start(statement.start()));
    let tasks = unused_name(checker.text(), "_background_tasks");
    let task = crate::fix::edits::fresh_local_name(checker, "task");
    let call_text = source.slice(statement.value.range());
    let replacement = format!(
        "{task} = {call_text}{newline}{indent}{tasks}.add({task}){newline}{indent}{task}.add_done_callback({tasks}.discard)"
    );
    let top = checker
        .top_level_statement()
        .map_or(TextSize::default(), |stmt| source.line_start(stmt.start()));
    Fix::display_only(
        message,
        vec![
            Edit::insert(top, format!("{tasks} = set(){newline}{newline}{newline}")),
            Edit::replace(statement.range(), replacement),
        ],
    )
}

/// `tg.create_task(...)` where `tg` was bound by `async with asyncio.TaskGroup() as tg:` in
/// this function, and the call is not inside that block.
fn task_group_used_after_exit<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
) -> Option<&'a str> {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    if attribute.attr.as_str() != "create_task" {
        return None;
    }
    let Expr::Name(group) = attribute.value.as_ref() else {
        return None;
    };
    let Some(ScopeKind::Function(def)) = checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    else {
        return None;
    };
    let mut blocks = Vec::new();
    task_group_blocks(checker, &def.body, group.id.as_str(), &mut blocks);
    let inside_any = blocks
        .iter()
        .any(|block| block.contains_range(call.range()));
    let after_one = blocks.iter().any(|block| block.end() <= call.start());
    (!blocks.is_empty() && !inside_any && after_one).then_some(group.id.as_str())
}

/// The ranges of `async with asyncio.TaskGroup() as name:` blocks in `body`.
fn task_group_blocks<'a>(
    checker: &Checker<'a>,
    body: &'a [Stmt],
    name: &str,
    blocks: &mut Vec<TextRange>,
) {
    for stmt in body {
        match stmt {
            Stmt::With(with) => {
                let binds_group = with.is_async
                    && with.items.iter().any(|item| {
                        matches!(item.optional_vars.as_deref(), Some(Expr::Name(bound)) if bound.id.as_str() == name)
                            && matches!(&item.context_expr, Expr::Call(call)
                                if checker.semantic.resolves_to(&call.func, "asyncio.TaskGroup"))
                    });
                if binds_group {
                    blocks.push(with.range());
                }
                task_group_blocks(checker, &with.body, name, blocks);
            }
            Stmt::If(if_stmt) => {
                task_group_blocks(checker, &if_stmt.body, name, blocks);
                for clause in &if_stmt.elif_else_clauses {
                    task_group_blocks(checker, &clause.body, name, blocks);
                }
            }
            Stmt::For(ast::StmtFor { body, .. }) | Stmt::While(ast::StmtWhile { body, .. }) => {
                task_group_blocks(checker, body, name, blocks);
            }
            Stmt::Try(try_stmt) => {
                task_group_blocks(checker, &try_stmt.body, name, blocks);
                task_group_blocks(checker, &try_stmt.finalbody, name, blocks);
            }
            _ => {}
        }
    }
}
