//! What PAR601 and PAR602 share: a call made directly in a coroutine (not awaited, not a
//! coroutine function's call), where it sits in its expression, and how `await` is added.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::{BindingKind, ScopeKind};
use crate::checker::Checker;

/// The `async def` whose body the current node runs in directly: the innermost scope
/// (comprehensions aside) must be that function, so not a nested `def`, `lambda` or class.
pub fn coroutine<'a>(checker: &Checker<'a>) -> Option<&'a StmtFunctionDef> {
    let scope = checker
        .semantic
        .scopes()
        .iter()
        .rev()
        .find(|scope| !matches!(scope.kind, ScopeKind::Comprehension))?;
    match scope.kind {
        ScopeKind::Function(def) if def.is_async => Some(def),
        _ => None,
    }
}

/// Libraries whose functions and objects are asynchronous: their calls return awaitables
/// (or async context managers), they do not block.
const ASYNC_LIBRARIES: &[&str] = &[
    "asyncio",
    "aiohttp",
    "aiofiles",
    "anyio",
    "trio",
    "asyncpg",
    "aiosqlite",
    "aiomysql",
    "aiopg",
    "aioredis",
    "motor",
    "aiobotocore",
];

/// Async client classes of otherwise synchronous libraries.
const ASYNC_CLIENTS: &[&str] = &["httpx.AsyncClient", "redis.asyncio.Redis"];

/// Whether `expr` names something of an async library (`asyncio.sleep`, `aiofiles.open`).
pub fn is_async_library<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker.semantic.qualified_name(expr).is_some_and(|name| {
        name.segments()
            .first()
            .is_some_and(|module| ASYNC_LIBRARIES.contains(module))
            || name.is_any(ASYNC_CLIENTS)
    })
}

/// Where the call sits: its enclosing expressions (innermost last) within the innermost
/// statement, and whether it is an `async with` item or `async for` iterable.
pub struct Position<'a> {
    pub ancestors: Vec<&'a Expr>,
    pub async_header: bool,
}

impl<'a> Position<'a> {
    pub fn parent(&self) -> Option<&'a Expr> {
        self.ancestors.last().copied()
    }

    /// Inside a generator expression, past its first iterable: adding `await` there would
    /// make it an async generator. (The first iterable is evaluated at once, in the
    /// coroutine: `sorted(p for p in await ...)` is fine.)
    pub fn in_generator(&self, call: &ast::ExprCall) -> bool {
        self.ancestors.iter().any(|expr| match expr {
            Expr::Generator(generator) => !generator
                .generators
                .first()
                .is_some_and(|first| first.iter.range().contains_range(call.range())),
            _ => false,
        })
    }

    /// Whether an `await` put in the call's place needs parentheses: it is the object of an
    /// attribute, subscript or call (`requests.get(u).json()`).
    pub fn needs_parentheses(&self, call: &ast::ExprCall) -> bool {
        let is_call = |expr: &Expr| expr.range() == call.range();
        match self.parent() {
            Some(Expr::Attribute(attribute)) => is_call(&attribute.value),
            Some(Expr::Subscript(subscript)) => is_call(&subscript.value),
            Some(Expr::Call(outer)) => is_call(&outer.func),
            _ => false,
        }
    }

    /// An argument of a logging call (`logger.warning("...", describe(args))`): formatting
    /// on an error or debug path, not the coroutine's work.
    pub fn in_log_call(&self, checker: &Checker<'a>) -> bool {
        self.ancestors.iter().any(|expr| match expr {
            Expr::Call(outer) => match outer.func.as_ref() {
                Expr::Attribute(attribute) => {
                    matches!(
                        attribute.attr.as_str(),
                        "debug"
                            | "info"
                            | "warning"
                            | "warn"
                            | "error"
                            | "exception"
                            | "critical"
                            | "log"
                    ) || checker.semantic.resolves_to(&outer.func, "builtins.print")
                }
                Expr::Name(_) => checker.semantic.resolves_to(&outer.func, "builtins.print"),
                _ => false,
            },
            _ => false,
        })
    }

    /// Where the call's value is used by something that expects an awaitable or a coroutine
    /// (`asyncio.create_task(fetch())`, `asyncio.gather(...)`, `loop.run_until_complete`):
    /// the callee is not a blocking function.
    pub fn feeds_async_api(&self, checker: &Checker<'a>, call: &ast::ExprCall) -> bool {
        self.ancestors.iter().rev().any(|expr| match expr {
            Expr::Call(outer) if outer.range() != call.range() => {
                is_async_library(checker, &outer.func)
                    || matches!(outer.func.as_ref(), Expr::Attribute(attribute)
                        if matches!(attribute.attr.as_str(), "create_task" | "run_until_complete" | "ensure_future" | "start_soon" | "spawn"))
            }
            _ => false,
        })
    }
}

pub use crate::analysis::names::is_generator;

/// The position of `call` in the innermost statement around it.
pub fn position<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Position<'a>> {
    let stmt = *checker.statements().last()?;
    let mut finder = AncestorFinder {
        target: call.range(),
        stack: Vec::new(),
        found: None,
    };
    match stmt {
        // Only the header: the body's statements are visited as statements of their own.
        Stmt::With(with) => {
            for item in &with.items {
                if item.context_expr.range() == call.range() {
                    return Some(Position {
                        ancestors: Vec::new(),
                        async_header: with.is_async,
                    });
                }
                finder.visit_expr(&item.context_expr);
            }
            let ancestors = finder.found?;
            Some(Position {
                async_header: with.is_async,
                ancestors,
            })
        }
        Stmt::For(for_stmt) => {
            finder.visit_expr(&for_stmt.iter);
            let ancestors = finder.found?;
            Some(Position {
                async_header: for_stmt.is_async,
                ancestors,
            })
        }
        _ => {
            finder.visit_stmt(stmt);
            Some(Position {
                ancestors: finder.found?,
                async_header: false,
            })
        }
    }
}

struct AncestorFinder<'a> {
    target: TextRange,
    stack: Vec<&'a Expr>,
    found: Option<Vec<&'a Expr>>,
}

impl<'a> Visitor<'a> for AncestorFinder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_none() {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() {
            return;
        }
        if matches!(expr, Expr::Call(_)) && expr.range() == self.target {
            self.found = Some(self.stack.clone());
            return;
        }
        self.stack.push(expr);
        visitor::walk_expr(self, expr);
        self.stack.pop();
    }
}

/// Whether calling `func` makes a coroutine or an awaitable rather than doing the work: a
/// function or method of this module defined with `async def` (methods matched by name),
/// or a decorated function (a decorator such as `sync_to_async` may well make it one).
pub fn is_coroutine_function(checker: &Checker, func: &Expr) -> bool {
    match func {
        Expr::Name(name) => match checker
            .semantic
            .lookup(name.id.as_str(), name.start())
            .map(|binding| binding.kind)
        {
            Some(BindingKind::Function(def)) => def.is_async || has_opaque_decorator(def),
            _ => false,
        },
        Expr::Attribute(attribute) => checker
            .module_index()
            .awaitable_defs
            .contains(attribute.attr.as_str()),
        _ => false,
    }
}

fn has_opaque_decorator(def: &StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|decorator| {
        !matches!(&decorator.expression, Expr::Name(name)
            if matches!(name.id.as_str(), "staticmethod" | "classmethod"))
    })
}

/// The value a name (or `self.attr`) was bound from, where the binding is an assignment or a
/// `with ... as` target in this module.
pub fn bound_value<'a>(checker: &Checker<'a>, receiver: &'a Expr) -> Option<&'a Expr> {
    let binding = match receiver {
        Expr::Name(name) => checker.semantic.lookup(name.id.as_str(), name.start())?,
        Expr::Attribute(attribute) => checker.semantic.self_attribute(attribute)?,
        _ => return None,
    };
    checker
        .module_index()
        .bound_values
        .get(&binding.range)
        .copied()
}

/// The call's arguments as written, without the parentheses (`""` when there are none), or
/// `None` when they cannot be moved after another argument (an unparenthesized generator).
pub fn arguments_text<'a>(checker: &Checker<'a>, call: &ast::ExprCall) -> Option<&'a str> {
    let text = checker.source.slice(call.arguments.range());
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    if call
        .arguments
        .args
        .iter()
        .any(|argument| matches!(argument, Expr::Generator(generator) if !generator.parenthesized))
    {
        return None;
    }
    // A line continuation before the closing parenthesis is redundant inside parentheses,
    // and would continue onto whatever follows these arguments.
    let inner = inner.trim_start();
    let trimmed = inner.trim_end().trim_end_matches('\\').trim_end();
    if crate::fix::edits::contains_comment(checker.tokens, call.arguments.range()) {
        // A comment may end the argument list: keep the line break after it, or the closing
        // parenthesis written after these arguments would be commented out.
        Some(if trimmed.len() < inner.trim_end().len() {
            trimmed
        } else {
            inner
        })
    } else {
        Some(trimmed)
    }
}

/// `await <inner>`, parenthesized where the call's position needs it.
pub fn awaited(position: &Position, call: &ast::ExprCall, inner: &str) -> String {
    if position.needs_parentheses(call) {
        format!("(await {inner})")
    } else {
        format!("await {inner}")
    }
}

/// `fn(a, b)` → `fn, a, b`: a callable and its arguments for a runner call.
pub fn callable_and_arguments(func: &str, arguments: &str) -> String {
    if arguments.is_empty() {
        func.to_string()
    } else {
        format!("{func}, {arguments}")
    }
}

/// The callee as shown in messages.
pub fn callee_text<'a>(checker: &Checker<'a>, call: &ast::ExprCall) -> String {
    crate::rules::cpu::candidates::short(checker.source.slice(call.func.range()))
}
