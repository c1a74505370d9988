//! PAR205 execute-in-loop: the same SQL statement executed once per item.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{Collector, IndependentLoop};
use crate::analysis::names::expr_names;
use crate::analysis::semantic::ScopeKind;
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
the iterations are independent (no early exit, no printing or logging, nothing else done),
and the SQL is an `INSERT` or `REPLACE` (upserts such as `INSERT ... ON CONFLICT` and
`INSERT ... ON DUPLICATE KEY UPDATE` included).

The statement must be known: a string literal (or its leading literal part, for
`"INSERT INTO " + table + " VALUES (?)"`, an f-string or `.format()`), or a name bound once
to one in the function or the module. An `UPDATE`, a `DELETE`, or SQL whose text is not
known (a parameter, a value built elsewhere) is left alone: for those, the common drivers'
`executemany` runs one `execute` per parameter set, so nothing would be saved.

## Why is this bad?
Each `execute` is a separate round trip to the database (or, for SQLite, a separate pass
through the statement machinery): database I/O-bound work repeated per row. For an `INSERT`
or `REPLACE`, `executemany` sends all parameter sets at once: MySQLdb and PyMySQL rewrite
`INSERT ... VALUES (...)` into multi-row inserts, psycopg 3 pipelines the batch, and
`sqlite3` prepares the statement once. Often an order of magnitude faster for bulk inserts.
(For an `UPDATE` or `DELETE` per row, the speed-up comes from one set-based statement, such as
`UPDATE ... WHERE id IN (...)`, not from `executemany`.)

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
themselves when each item is the parameter set), keeping the order of the rows. A loop with
temporaries or comments instead collects the parameter sets (`parameter_sets.append(...)` in
place of the `execute`) and calls `executemany` once after it, when nothing else in the loop
uses the connection or cursor; other loops get the suggestion only.

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
    if !leading_sql(checker, sql, 0).is_some_and(|text| is_batched_statement(&text)) {
        return;
    }
    let message = format!(
        "I/O-bound loop runs the same SQL through `{}` once per item of `{}`; send the batch with `executemany` (database round trips)",
        short(checker.source.slice(call.func.range())),
        short(checker.source.slice(independent.iter.range()))
    );
    let fix = executemany_fix(checker, for_stmt, &independent, attribute, sql, parameters)
        .or_else(|| collecting_fix(checker, for_stmt, call, attribute, sql, parameters))
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

/// The SQL text `sql` starts with, as far as it is known where the loop runs: a string
/// literal, the leading literal part of an f-string, a concatenation, a `%` template or a
/// `.format()` call, or a name bound once to one of these in the function (or the module).
/// Only the start is needed: the statement's verb.
fn leading_sql<'a>(checker: &Checker<'a>, sql: &'a Expr, depth: u8) -> Option<String> {
    match sql {
        Expr::StringLiteral(literal) => Some(literal.value.to_str().to_string()),
        Expr::FString(fstring) => {
            let mut text = String::new();
            for part in fstring.value.iter() {
                match part {
                    ast::FStringPart::Literal(literal) => text.push_str(&literal.value),
                    ast::FStringPart::FString(fstring) => {
                        for element in fstring.elements.iter() {
                            match element {
                                ast::InterpolatedStringElement::Literal(literal) => {
                                    text.push_str(&literal.value);
                                }
                                ast::InterpolatedStringElement::Interpolation(_) => {
                                    return Some(text);
                                }
                            }
                        }
                    }
                }
            }
            Some(text)
        }
        Expr::BinOp(binop) if matches!(binop.op, ast::Operator::Add | ast::Operator::Mod) => {
            leading_sql(checker, &binop.left, depth)
        }
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(method) if method.attr.as_str() == "format" => {
                leading_sql(checker, &method.value, depth)
            }
            _ => None,
        },
        Expr::Name(name) if depth < 4 => {
            let id = name.id.as_str();
            let binding = checker.semantic.lookup(id, name.start())?;
            let local = match checker
                .semantic
                .enclosing_function_like()
                .map(|scope| scope.kind)
            {
                Some(ScopeKind::Function(def)) => {
                    crate::analysis::names::function_locals(def).contains(id)
                }
                Some(_) => true,
                None => false,
            };
            let value = if binding.module_level && !local {
                checker.semantic.module_binding_value(id)?
            } else {
                crate::analysis::names::single_assignment(
                    &checker.semantic,
                    checker.module,
                    id,
                    name.start(),
                )?
            };
            leading_sql(checker, value, depth + 1)
        }
        _ => None,
    }
}

/// Whether `executemany` batches the statement in the common drivers: an `INSERT` or a
/// `REPLACE` (upserts start with `INSERT` too). Leading blanks and SQL comments are skipped.
fn is_batched_statement(sql: &str) -> bool {
    let mut rest = sql;
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let verb: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    verb.eq_ignore_ascii_case("insert") || verb.eq_ignore_ascii_case("replace")
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

/// The expression statement that is `call`, anywhere in `body` (in an `if` guard, say).
fn statement_of<'a>(body: &'a [Stmt], call: &ast::ExprCall) -> Option<&'a Stmt> {
    body.iter().find_map(|stmt| match stmt {
        Stmt::Expr(expr) if expr.value.range() == call.range() => Some(stmt),
        Stmt::If(if_stmt) => statement_of(&if_stmt.body, call).or_else(|| {
            if_stmt
                .elif_else_clauses
                .iter()
                .find_map(|clause| statement_of(&clause.body, call))
        }),
        _ => None,
    })
}

/// For a loop with temporaries or comments: the loop stays and collects the parameter sets,
/// and one `executemany` after it sends them, in the same order. Only when nothing else in
/// the loop uses the connection or cursor (it would see the rows only after the loop now).
fn collecting_fix(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    call: &ast::ExprCall,
    attribute: &ast::ExprAttribute,
    sql: &Expr,
    parameters: &Expr,
) -> Option<Fix> {
    use crate::fix::edits::{fresh_local_name, stands_alone, whole_lines};
    let source = checker.source;
    let statement = statement_of(&for_stmt.body, call)?;
    if !stands_alone(source, statement) || !stands_alone(source, for_stmt) {
        return None;
    }
    let mut root = attribute.value.as_ref();
    while let Expr::Attribute(inner) = root {
        root = &inner.value;
    }
    let Expr::Name(root) = root else {
        return None;
    };
    let uses_connection = for_stmt.body.iter().any(|stmt| {
        stmt.range() != statement.range()
            && crate::fix::edits::contains_word(source.slice(stmt.range()), root.id.as_str())
    });
    if uses_connection {
        return None;
    }
    let text = |expr: &dyn Ranged| source.slice(expr.range());
    let batch = fresh_local_name(checker, "parameter_sets");
    let newline = checker.stylist.line_ending;
    let indent = crate::source::indentation_at(source.text(), source.line_start(for_stmt.start()));
    let loop_lines = whole_lines(source, for_stmt.range());
    let mut after = format!(
        "{indent}{}.executemany({}, {batch}){newline}",
        text(&*attribute.value),
        text(sql)
    );
    if usize::from(loop_lines.end()) == source.text().len()
        && !source.text().ends_with(['\n', '\r'])
    {
        after = format!("{newline}{after}");
    }
    Some(Fix::unsafe_(
        "Collect the parameter sets in the loop and send them with one `executemany` after it",
        vec![
            Edit::insert(loop_lines.start(), format!("{indent}{batch} = []{newline}")),
            Edit::replace(
                statement.range(),
                format!("{batch}.append({})", text(parameters)),
            ),
            Edit::insert(loop_lines.end(), after),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::is_batched_statement;

    #[test]
    fn inserts_and_replaces_are_batched() {
        assert!(is_batched_statement("INSERT INTO t VALUES (?)"));
        assert!(is_batched_statement(
            "  insert or replace into t values (?)"
        ));
        assert!(is_batched_statement("REPLACE INTO t VALUES (%s)"));
        assert!(is_batched_statement(
            "INSERT INTO t VALUES (%s) ON DUPLICATE KEY UPDATE n = n + 1"
        ));
        assert!(is_batched_statement(
            "-- bulk load\n/* rows */ INSERT INTO t VALUES (?)"
        ));
    }

    #[test]
    fn other_statements_are_not() {
        assert!(!is_batched_statement("UPDATE t SET n = ? WHERE id = ?"));
        assert!(!is_batched_statement("DELETE FROM t WHERE id = ?"));
        assert!(!is_batched_statement("SELECT * FROM t WHERE id = ?"));
        assert!(!is_batched_statement("INSERTED"));
        assert!(!is_batched_statement("-- INSERT INTO t VALUES (?)"));
        assert!(!is_batched_statement("/* unterminated INSERT"));
        assert!(!is_batched_statement(""));
    }
}
