//! PAR205 execute-in-loop: the same SQL statement executed once per item.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{Collector, IndependentLoop};
use crate::analysis::names::expr_names;
use crate::analysis::workload::IoKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::pool_rewrite::generator_text;
use crate::rules::cpu::candidates::{header_range, short};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR205",
    name: "execute-in-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary:
        "The same SQL statement executed once per item in a loop: send the batch with `executemany`",
    docs: DOCS,
    kinds: &[NodeKind::For],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `for` loop whose only statement is `cursor.execute(SQL, params)` on a DB-API cursor
or connection (from `sqlite3.connect`, `psycopg2.connect`, `pymysql.connect`, ... and their
`cursor()`), with the same SQL for every item and parameters computed from the item, when
the iterations are independent (no early exit, no printing or logging, nothing else done).

## Why is this bad?
Each `execute` is a separate round trip to the database (or, for SQLite, a separate pass
through the statement machinery): database I/O-bound work repeated per row. `executemany`
sends all parameter sets for one prepared statement, which drivers batch: often an order of
magnitude faster for bulk inserts and updates.

## Example
```python
def save(connection, rows):
    cursor = connection.cursor()
    for name, score in rows:
        cursor.execute("INSERT INTO scores VALUES (?, ?)", (name, score))
```

Use instead:
```python
def save(connection, rows):
    cursor = connection.cursor()
    cursor.executemany("INSERT INTO scores VALUES (?, ?)", [(name, score) for name, score in rows])
```

## Fix
Replaces the loop with `executemany(SQL, [params for ... in items if ...])` (the items
themselves when each item is the parameter set), keeping the order of the rows. Loops with
temporaries, comments, keyword arguments, or loop variables read afterwards get the suggestion
only.

## Fix safety
Unsafe: `cursor.lastrowid` and `rowcount` describe the batch instead of the last row, and a
driver may stop at the first failing row without executing the rest.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Stmt(Stmt::For(for_stmt)) = node else {
        return;
    };
    if checker.semantic.in_async_function() {
        return;
    }
    let Some(independent) = checker.independent_for(for_stmt) else {
        return;
    };
    let Collector::Effect {
        call: Expr::Call(call),
    } = independent.collector
    else {
        return;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if attribute.attr.as_str() != "execute"
        || !call.arguments.keywords.is_empty()
        || !is_database(checker, &attribute.value)
    {
        return;
    }
    let [sql, parameters] = &*call.arguments.args else {
        return;
    };
    let varies = |expr: &Expr| {
        expr_names(expr)
            .free()
            .iter()
            .any(|name| independent.iteration_names.contains(name))
    };
    if varies(sql) || !varies(parameters) || varies(&attribute.value) {
        return;
    }
    let message = format!(
        "I/O-bound loop runs the same SQL through `{}` once per item of `{}`; send the batch with `executemany` (database round trips)",
        short(checker.source.slice(call.func.range())),
        short(checker.source.slice(independent.iter.range()))
    );
    let fix = executemany_fix(checker, for_stmt, &independent, attribute, sql, parameters)
        .unwrap_or_else(|| {
            Fix::display_only(
                "Collect the parameter sets and call `executemany(SQL, params_list)` once",
                Vec::new(),
            )
        });
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}

/// A DB-API connection or cursor: from a known driver's `connect()`, or a variable assigned
/// once from `<connection>.cursor()` (the DB-API's name for it) in this function.
fn is_database<'a>(checker: &Checker<'a>, receiver: &'a Expr) -> bool {
    if checker
        .semantic
        .client_kind(receiver)
        .is_some_and(|client| client.io == IoKind::Database && !client.asynchronous)
    {
        return true;
    }
    let Expr::Name(name) = receiver else {
        return false;
    };
    matches!(
        crate::analysis::names::single_assignment(&checker.semantic, checker.module, name.id.as_str(), name.start()),
        Some(Expr::Call(call)) if matches!(call.func.as_ref(), Expr::Attribute(method)
            if method.attr.as_str() == "cursor" && call.arguments.is_empty())
    )
}

fn executemany_fix(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    independent: &IndependentLoop,
    attribute: &ast::ExprAttribute,
    sql: &Expr,
    parameters: &Expr,
) -> Option<Fix> {
    if !crate::fix::pool_rewrite::loop_is_replaceable(checker, for_stmt, independent) {
        return None;
    }
    let text = |expr: &Expr| checker.source.slice(expr.range());
    let is_item =
        matches!((parameters, independent.target), (Expr::Name(p), Expr::Name(t)) if p.id == t.id);
    let batch = if is_item && independent.conditions.is_empty() {
        text(independent.iter).to_string()
    } else {
        let generator = generator_text(checker, independent, text(parameters));
        format!("[{}]", &generator[1..generator.len() - 1])
    };
    let replacement = format!(
        "{}.executemany({}, {batch})",
        text(&attribute.value),
        text(sql)
    );
    Some(Fix::unsafe_(
        "Execute the statement once for all parameter sets with `executemany`",
        vec![Edit::replace(for_stmt.range(), replacement)],
    ))
}
