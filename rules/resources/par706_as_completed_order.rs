//! PAR706 as-completed-order: results gathered in completion order, then paired with the
//! inputs as if they were in input order.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::resources::pool_uses::binding_body;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR706",
    name: "as-completed-order",
    severity: Severity::Error,
    fix: FixAvailability::DisplayOnly,
    opt_in: true,
    summary: "Results collected from `as_completed()` are paired with the inputs by position (`zip(xs, results)`): they are in completion order",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags `zip(...)` of a list built from `as_completed(...)` (`concurrent.futures` or
`asyncio`) with anything else — the inputs, or the futures themselves. The list is one
assigned once in the function from a comprehension over `as_completed(...)`
(`[f.result() for f in as_completed(futures)]`), or filled with `append` in a
`for f in as_completed(...):` loop.

Opt-in (select `PAR706` or `as-completed-order`): a list built this way is usually
re-sorted or keyed before pairing, which this rule does not see through.

## Why is this bad?
`as_completed` yields futures in the order they *finish*, not the order they were
submitted. Pairing its results with the inputs by position attaches each result to the
wrong input whenever the tasks take different times — which, for I/O-bound or CPU-bound
work in a pool, is nearly always, and differently on every run. The program does not fail;
it silently mislabels its data.

## Example
```python
futures = [executor.submit(fetch, url) for url in urls]
pages = [future.result() for future in as_completed(futures)]
for url, page in zip(urls, pages):
    save(url, page)
```

Use instead:
```python
pages = list(executor.map(fetch, urls))  # input order
for url, page in zip(urls, pages):
    save(url, page)
```
or keep the input with each future:
```python
futures = {executor.submit(fetch, url): url for url in urls}
for future in as_completed(futures):
    save(futures[future], future.result())
```

## Fix
Display-only: use `executor.map` (results in input order) or a dict from future to input.
"#;

const AS_COMPLETED: &[&str] = &[
    "concurrent.futures.as_completed",
    "concurrent.futures._base.as_completed",
    "asyncio.as_completed",
    "asyncio.tasks.as_completed",
];

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    if !checker.semantic.resolves_to(&call.func, "builtins.zip") {
        return;
    }
    let args = &call.arguments.args;
    if args.len() < 2 {
        return;
    }
    let Some(ordered) = args.iter().find_map(|arg| match arg {
        Expr::Name(name) if in_completion_order(checker, name) => Some(name),
        _ => None,
    }) else {
        return;
    };
    // Zipping completion-ordered lists together, or with values derived from the same list,
    // is consistent.
    let consistent = |arg: &'a Expr| match arg {
        Expr::Name(name) => name.id == ordered.id || in_completion_order(checker, name),
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. }) => generators
            .first()
            .is_some_and(|g| matches!(&g.iter, Expr::Name(n) if n.id == ordered.id)),
        Expr::Call(call) => call
            .arguments
            .args
            .iter()
            .any(|a| matches!(a, Expr::Name(n) if n.id == ordered.id)),
        _ => false,
    };
    if args.iter().all(consistent) {
        return;
    }
    let message = format!(
        "`{}` holds results in completion order (`as_completed`), but `zip` pairs them with the other sequence by position: results get attached to the wrong items of the parallel work; use `executor.map` or map each future to its input",
        ordered.id.as_str()
    );
    let fix = Fix::display_only(
        "Use `executor.map` (input order) or `{executor.submit(f, x): x for x in xs}` and look each input up by its future",
        Vec::new(),
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

fn is_as_completed<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    matches!(expr, Expr::Call(call) if checker.semantic.resolves_to_any(&call.func, AS_COMPLETED).is_some())
}

/// Whether `name` is bound once, before here, to a list in `as_completed` order.
fn in_completion_order<'a>(checker: &Checker<'a>, name: &'a ast::ExprName) -> bool {
    let id = name.id.as_str();
    let Some(value) = crate::analysis::names::single_assignment(
        &checker.semantic,
        checker.module,
        id,
        name.start(),
    ) else {
        return false;
    };
    // Re-sorted in place: no longer in completion order.
    let uses = crate::rules::resources::pool_uses::NameUses::collect(id, binding_body(checker));
    if uses.uses.iter().any(|found| {
        matches!(
            found,
            crate::rules::resources::pool_uses::Use::Attribute {
                attr: "sort" | "reverse",
                ..
            }
        )
    }) {
        return false;
    }
    match value {
        Expr::ListComp(comp) => comp
            .generators
            .first()
            .is_some_and(|generator| is_as_completed(checker, &generator.iter)),
        Expr::Call(call)
            if checker.semantic.resolves_to(&call.func, "builtins.list")
                && call.arguments.args.len() == 1 =>
        {
            match &call.arguments.args[0] {
                Expr::Generator(comp) => comp
                    .generators
                    .first()
                    .is_some_and(|generator| is_as_completed(checker, &generator.iter)),
                other => is_as_completed(checker, other),
            }
        }
        Expr::List(list) if list.elts.is_empty() => {
            appended_in_as_completed_loop(checker, binding_body(checker), id)
        }
        _ => false,
    }
}

/// `for f in as_completed(...): <id>.append(...)` somewhere in `body`.
fn appended_in_as_completed_loop<'a>(checker: &Checker<'a>, body: &'a [Stmt], id: &str) -> bool {
    struct Finder<'c, 'a, 'n> {
        checker: &'c Checker<'a>,
        id: &'n str,
        depth: u32,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(for_stmt) if is_as_completed(self.checker, &for_stmt.iter) => {
                    self.depth += 1;
                    self.visit_body(&for_stmt.body);
                    self.depth -= 1;
                }
                Stmt::Expr(expr) if self.depth > 0 => {
                    if let Expr::Call(call) = expr.value.as_ref() {
                        if let Expr::Attribute(attribute) = call.func.as_ref() {
                            if attribute.attr.as_str() == "append"
                                && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.id)
                            {
                                self.found = true;
                            }
                        }
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder {
        checker,
        id,
        depth: 0,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}
