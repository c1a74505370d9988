//! PAR702 pool-in-loop: an executor or pool constructed once per iteration of a loop.

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::ScopeKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::resources::pool_uses::{enclosing_for, literal_size};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR702",
    name: "pool-in-loop",
    severity: Severity::Warning,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "An executor or pool is constructed inside a loop body: workers are started and torn down on every iteration",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &["ProcessPoolExecutor", "ThreadPoolExecutor", "InterpreterPoolExecutor", "Pool", "ThreadPool"],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `ThreadPoolExecutor`, `ProcessPoolExecutor`, `InterpreterPoolExecutor`,
`multiprocessing.Pool` (also `ctx.Pool()`) or `ThreadPool` constructed inside the body of a
`for` loop (or `async for`) of the same function, whether in a `with` statement or assigned.

Not flagged, because the pool cannot or need not be hoisted:
- the constructor depends on the loop (`for n in (1, 2, 4): with Pool(n) as pool:`, or a
  context made in the body): each iteration asks for a different pool;
- the loop leaves after its first successful iteration: its body has a `break` or `return`
  (retry and search loops: `for attempt in range(3): try: with Pool() ...; break`);
- the loop runs over a literal of a single item, or, for a thread pool, of two or three items
  (starting a few threads two or three times costs next to nothing);
- `while` loops: retry, polling and server loops whose iteration count is unknown and often
  one (a pool per batch in a `while` loop is left to judgement);
- a pool created in a `def` or `lambda` defined inside the loop (it runs when called);
- a pool created lazily, on first use, and reused afterwards: `if pool is None: pool =
  ThreadPoolExecutor()` (or `if not pool:`, also on `self.pool`), when nothing else in the
  loops around it binds the variable again (a `pool = None` per iteration would make it one
  pool per iteration after all).

## Why is this bad?
Creating a pool is expensive: a process pool spawns (or forks) its worker processes and
re-imports the program in each under spawn; a thread pool starts threads; shutting it down
at the end of each iteration joins them all. Done per item, this overhead repeats for every
item and the workers never stay warm, so the CPU-bound or I/O-bound work runs far slower
than with one pool reused across the loop — often slower than no pool at all.

## Example
```python
for batch in batches:
    with ProcessPoolExecutor() as executor:
        results.extend(executor.map(score, batch))
```

Use instead:
```python
with ProcessPoolExecutor() as executor:
    for batch in batches:
        results.extend(executor.map(score, batch))
```

## Fix
Display-only: move the pool's creation before the loop and reuse it in every iteration.
When the loop body is just `with Pool(...) as pool:`, the suggested code swaps the two
headers (`with` outside, `for` inside; the body is unchanged); otherwise the message says
what to do. Not applied automatically: the pool now lives across iterations, so per-item
state kept in its workers (an `initializer`, module globals in worker processes) would carry
over from one item to the next.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(expr @ Expr::Call(call)) = node else {
        return;
    };
    let Some(kind) = checker.semantic.pool_constructor(call) else {
        return;
    };
    if matches!(
        checker.semantic.current_scope().kind,
        ScopeKind::Lambda(_) | ScopeKind::Class(_)
    ) {
        return;
    }
    let Some(for_stmt) = enclosing_for(checker, call.range()) else {
        return;
    };
    let few = if kind.is_thread() { 4 } else { 2 };
    if literal_size(checker, &for_stmt.iter).is_some_and(|size| size < few) {
        return;
    }
    if leaves_early(&for_stmt.body) || lazily_created(checker, call) {
        return;
    }
    // The constructor depends on something the loop binds: each iteration wants its own pool.
    let mut bound = crate::analysis::names::expr_names(&for_stmt.target).stores;
    for stmt in &for_stmt.body {
        bound.extend(crate::analysis::names::stmt_names(stmt).stores);
    }
    let reads = crate::analysis::names::expr_names(expr);
    if reads.loads.iter().any(|(name, _)| bound.contains(name)) {
        return;
    }
    let (workers, class) = if kind.is_thread() {
        ("threads are started", "I/O-bound threads")
    } else {
        ("worker processes are spawned", "CPU-bound processes")
    };
    let message = format!(
        "`{}` is created inside a `for` loop: its {workers} and shut down again on every iteration ({class}); create the pool once before the loop and reuse it",
        kind.class_name()
    );
    let fix = Fix::display_only(
        "Hoist the pool out of the loop: create it once before the `for` and reuse it",
        swap_headers(checker, for_stmt, call).unwrap_or_default(),
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

/// `if pool is None: pool = Pool()` (or `if not pool:`, or the test joined to others by
/// `and`): the pool is made on the first iteration that needs it and reused by the later
/// ones, unless something else in the enclosing loops binds the same variable (`pool = None`
/// at the end of each iteration would make one pool per iteration again).
fn lazily_created<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let [.., Stmt::If(guard), Stmt::Assign(assign)] = checker.statements() else {
        return false;
    };
    let [target @ (Expr::Name(_) | Expr::Attribute(_))] = assign.targets.as_slice() else {
        return false;
    };
    if assign.value.range() != call.range()
        || !guard.body.iter().any(|stmt| stmt.range() == assign.range())
        || !tests_unset(&guard.test, target)
    {
        return false;
    }
    let target = ComparableExpr::from(target);
    let mut loops = Vec::new();
    for stmt in checker.statements().iter().rev() {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => break,
            Stmt::For(ast::StmtFor { body, orelse, .. })
            | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                loops.push(body.as_slice());
                loops.push(orelse.as_slice());
            }
            _ => {}
        }
    }
    !loops
        .into_iter()
        .any(|body| binds_elsewhere(body, &target, assign.targets[0].range()))
}

/// `x is None`, `not x`, or one of them joined to other tests by `and`.
fn tests_unset(test: &Expr, target: &Expr) -> bool {
    let same = |expr: &Expr| ComparableExpr::from(expr) == ComparableExpr::from(target);
    match test {
        Expr::Compare(compare) => {
            matches!(
                (compare.ops.as_ref(), compare.comparators.as_ref()),
                ([ast::CmpOp::Is], [Expr::NoneLiteral(_)])
            ) && same(&compare.left)
        }
        Expr::UnaryOp(unary) => unary.op == ast::UnaryOp::Not && same(&unary.operand),
        Expr::BoolOp(boolop) => {
            boolop.op == ast::BoolOp::And
                && boolop.values.iter().any(|value| tests_unset(value, target))
        }
        _ => false,
    }
}

/// Whether `body` binds or deletes `target` anywhere but at `except`.
fn binds_elsewhere(body: &[Stmt], target: &ComparableExpr, except: TextRange) -> bool {
    struct Finder<'t> {
        target: &'t ComparableExpr<'t>,
        except: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            let stores = match expr {
                Expr::Name(name) => !name.ctx.is_load(),
                Expr::Attribute(attribute) => !attribute.ctx.is_load(),
                _ => false,
            };
            if stores && expr.range() != self.except && ComparableExpr::from(expr) == *self.target {
                self.found = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        target,
        except,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}

/// Whether the loop body can leave the loop (`break`, `return`), not counting nested loops'
/// `break` or nested functions.
fn leaves_early(body: &[Stmt]) -> bool {
    struct Finder {
        found: bool,
        loop_depth: u32,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Break(_) if self.loop_depth == 0 => self.found = true,
                Stmt::Return(_) => self.found = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(ast::StmtFor { body, orelse, .. })
                | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                    self.loop_depth += 1;
                    self.visit_body(body);
                    self.loop_depth -= 1;
                    self.visit_body(orelse);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _: &'a Expr) {}
    }
    let mut finder = Finder {
        found: false,
        loop_depth: 0,
    };
    finder.visit_body(body);
    finder.found
}

/// The suggested code when the loop body is just `with Pool(...) as pool:`: the two headers
/// trade places (the body keeps its two levels of indentation), so the pool is made once.
fn swap_headers<'a>(
    checker: &Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    call: &'a ast::ExprCall,
) -> Option<Vec<Edit>> {
    let [Stmt::With(with)] = for_stmt.body.as_slice() else {
        return None;
    };
    if !for_stmt.orelse.is_empty()
        || with.is_async
        || with.items.len() != 1
        || with.items[0].context_expr.range() != call.range()
    {
        return None;
    }
    let source = checker.source;
    let first = with.body.first()?;
    // Each header on a line of its own.
    let for_line_end = source.line_end(for_stmt.start());
    let with_line_end = source.line_end(with.start());
    if for_line_end >= with.start() || with_line_end >= first.start() {
        return None;
    }
    if crate::fix::edits::contains_comment(
        checker.tokens,
        TextRange::new(for_stmt.start(), with_line_end),
    ) {
        return None;
    }
    let indent = crate::source::indentation_at(source.text(), source.line_start(for_stmt.start()));
    let unit = &checker.stylist.indent_unit;
    let newline = checker.stylist.line_ending;
    // `line_end` includes the line break.
    let for_header = source
        .slice(TextRange::new(for_stmt.start(), for_line_end))
        .trim_end();
    let with_header = source
        .slice(TextRange::new(with.start(), with_line_end))
        .trim_end();
    let end = with.start() + ruff_text_size::TextSize::of(with_header);
    Some(vec![Edit::replace(
        TextRange::new(for_stmt.start(), end),
        format!("{with_header}{newline}{indent}{unit}{for_header}"),
    )])
}
