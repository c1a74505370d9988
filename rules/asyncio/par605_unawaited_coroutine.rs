//! PAR605 unawaited-coroutine: a coroutine function called as a statement, never awaited.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::semantic::{BindingKind, ScopeKind};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR605",
    name: "unawaited-coroutine",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary:
        "A coroutine function is called as a statement without `await`: the coroutine never runs",
    docs: DOCS,
    kinds: &[NodeKind::ExprStmt],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a call used as a bare statement of
- an `async def` function of this module (by name, however nested), or an `async def`
  method of the enclosing class called through `self`/`cls`;
- a known asyncio coroutine function: `asyncio.sleep`, `wait_for`, `wait`, `open_connection`,
  `start_server`, `create_subprocess_exec`, `create_subprocess_shell`, `to_thread`,
  `staggered_race`.

Async generators (an `async def` with `yield`) and decorated `async def`s, whose decorators
may change what a call returns, are not flagged.

## Why is this bad?
Calling a coroutine function only creates the coroutine object; nothing runs until it is
awaited (or scheduled as a task). The statement does nothing at all, Python warns
"coroutine ... was never awaited" when the object is collected, and the I/O-bound asyncio
work — the write, the sleep, the request — silently never happens.

## Example
```python
async def save(record):
    await db.insert(record)

async def handle(record):
    save(record)
```

Use instead:
```python
async def handle(record):
    await save(record)
```

## Fix
Inside `async def`: adds `await`. Elsewhere (a plain function cannot await) the suggestion is
shown only: run it with `asyncio.run(...)` or schedule it from async code.

## Fix safety
Unsafe: the awaited work now runs, and the caller now waits for it and sees its exceptions.
"#;

const ASYNCIO_COROUTINES: &[&str] = &[
    "asyncio.sleep",
    "asyncio.wait_for",
    "asyncio.wait",
    "asyncio.open_connection",
    "asyncio.start_server",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "asyncio.to_thread",
    "asyncio.staggered.staggered_race",
];

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Stmt(Stmt::Expr(statement)) = node else {
        return;
    };
    let Expr::Call(call) = statement.value.as_ref() else {
        return;
    };
    let Some(name) = coroutine_function(checker, call) else {
        return;
    };
    let in_coroutine = checker.semantic.in_async_function();
    let message = if in_coroutine {
        format!("Coroutine `{name}(...)` is never awaited, so it never runs (I/O-bound asyncio work lost); add `await`")
    } else {
        format!("Coroutine `{name}(...)` is called from a plain function and never awaited, so it never runs; run it with `asyncio.run` or from async code")
    };
    let fix = if in_coroutine {
        Fix::unsafe_("Add `await`", vec![Edit::insert(call.start(), "await ")])
    } else {
        Fix::display_only(
            "Run the coroutine: `asyncio.run(...)` at the top level, or `await` it from a coroutine",
            Vec::new(),
        )
    };
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// The name of the coroutine function `call` calls, when that is certain.
fn coroutine_function<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<String> {
    if let Some(name) = checker
        .semantic
        .resolves_to_any(&call.func, ASYNCIO_COROUTINES)
    {
        return Some(name.to_string());
    }
    match call.func.as_ref() {
        Expr::Name(name) => match checker
            .semantic
            .lookup(name.id.as_str(), name.start())?
            .kind
        {
            BindingKind::Function(def) if is_plain_coroutine(def) => Some(name.id.to_string()),
            _ => None,
        },
        Expr::Attribute(attribute) => {
            let Expr::Name(receiver) = attribute.value.as_ref() else {
                return None;
            };
            if !matches!(receiver.id.as_str(), "self" | "cls") {
                return None;
            }
            let class = enclosing_class(checker)?;
            let method = class.body.iter().find_map(|stmt| match stmt {
                Stmt::FunctionDef(def) if def.name.as_str() == attribute.attr.as_str() => Some(def),
                _ => None,
            })?;
            is_plain_coroutine(method).then(|| format!("{}.{}", receiver.id, attribute.attr))
        }
        _ => None,
    }
}

/// The class whose method the current code is in.
fn enclosing_class<'a>(checker: &Checker<'a>) -> Option<&'a ast::StmtClassDef> {
    let scopes = checker.semantic.scopes();
    let function = scopes
        .iter()
        .rposition(|scope| matches!(scope.kind, ScopeKind::Function(_)))?;
    match scopes.get(function.checked_sub(1)?)?.kind {
        ScopeKind::Class(class) => Some(class),
        _ => None,
    }
}

/// An `async def` without decorators (other than `staticmethod`/`classmethod`) that is not an
/// async generator: calling it returns a coroutine.
fn is_plain_coroutine(def: &ast::StmtFunctionDef) -> bool {
    def.is_async
        && def.decorator_list.iter().all(|decorator| {
            matches!(&decorator.expression, Expr::Name(name) if matches!(name.id.as_str(), "staticmethod" | "classmethod"))
        })
        && !yields(&def.body)
}

fn yields(body: &[Stmt]) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}
