//! PAR301 nested-loop-outer-product: a 2-D table built from every pair of elements of two
//! NumPy arrays by nested Python loops.

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::array_kinds::Kind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::cpu::candidates::header_range;
use crate::rules::vectorize::rewrite::{
    append_of, array_wrapper, empty_list_assignment, loop_replaceable, numpy_member,
    preceding_statement, read_after, short, single_statement, span_replaceable, vectorize, walk,
    Context, Role, Vectorized, Walk,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR301",
    name: "nested-loop-outer-product",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "Nested Python loops build a 2-D table from pairs of array elements: use `np.outer` / `np.<ufunc>.outer`",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::ListComp],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags nested loops over two NumPy arrays that compute a value for every pair of elements:
the nested comprehension `[[a[i] * b[j] for j in range(len(b))] for i in range(len(a))]` (or
`[[x - y for y in b] for x in a]`), nested `for` loops storing `out[i, j] = ...` (or
`out[i][j]`) into an array, and nested loops building the table row by row (`table = []`,
then per outer element `row = []`, `row.append(...)` per inner element, `table.append(row)`). The pair expression must be element-wise (see PAR302) and use an
element of each array; the arrays must be known to be arrays, and not both known to be
small (fewer than 1,000 elements each, see PAR302).

## Why is this bad?
An outer product of arrays of sizes n and m runs the interpreter n·m times. NumPy computes
the whole table in one data-parallel pass in compiled code: `np.outer(a, b)`,
`np.subtract.outer(a, b)`, or broadcasting `a[:, None] - b` for longer expressions.

## Example
```python
import numpy as np

a = np.arange(1000.0)
b = np.arange(2000.0)
table = [[x * y for y in b] for x in a]
```

Use instead:
```python
table = np.outer(a, b).tolist()
```

## Fix
A single operator between an element of the outer array and one of the inner array becomes
`np.outer(a, b)` (for `*`) or `np.<ufunc>.outer(a, b)` (`add`, `subtract`, `true_divide`,
`floor_divide`, `mod`, `power`); any other pair expression is broadcast, `a[:, None]` for the
outer array. A comprehension ends in `.tolist()` so code expecting nested lists still gets
them (inside `np.array(...)` the array is used directly); the nested loops become
`out[:] = ...`, or `table = <table>.tolist()` for the row-building loops. The fix is offered only when both arrays are known to be one-dimensional
(`np.arange`, `np.linspace`, `np.zeros(n)`, ...); otherwise the suggestion is display-only.

## Fix safety
Unsafe: `.tolist()` hands on Python numbers instead of NumPy scalars, integer overflow and
division by zero follow NumPy's rules, and `out` is assumed to have the table's shape.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Expr(Expr::ListComp(comp)) => check_comprehension(checker, comp),
        Node::Stmt(Stmt::For(for_stmt)) => check_loops(checker, for_stmt),
        _ => {}
    }
}

/// The single unfiltered `for` clause of a comprehension as a walk over arrays.
fn clause<'a>(checker: &Checker<'a>, generators: &'a [ast::Comprehension]) -> Option<Walk<'a>> {
    let [generator] = generators else {
        return None;
    };
    if generator.is_async || !generator.ifs.is_empty() {
        return None;
    }
    walk(checker, &generator.target, &generator.iter)
}

fn broadcast(array: &str, role: Role) -> String {
    match role {
        Role::Outer => format!("{array}[:, None]"),
        Role::Only | Role::Inner => array.to_string(),
    }
}

/// The table's expression and the imports it needs (`None` when only a suggestion is possible).
type TableText = (String, Vec<Edit>);

/// The pair expression as a table: `np.<ufunc>.outer(a, b)` or the broadcast expression.
fn table<'a>(
    checker: &Checker<'a>,
    element: &'a Expr,
    outer: &Walk<'a>,
    inner: &Walk<'a>,
    written: Option<&'a str>,
) -> Option<(Vectorized, Option<TableText>)> {
    if outer
        .names()
        .iter()
        .any(|name| inner.names().contains(name))
    {
        return None;
    }
    let context = Context {
        walks: vec![(outer, Role::Outer), (inner, Role::Inner)],
        written,
    };
    let vectorized = vectorize(checker, element, &context, &broadcast)?;
    // pandas refuses `ufunc.outer` and `[:, None]` on a Series.
    if vectorized.series > 0 {
        return None;
    }
    if !(vectorized.roles.contains(&Role::Outer) && vectorized.roles.contains(&Role::Inner)) {
        return None;
    }
    if !vectorized.all_one_dimensional() {
        return Some((vectorized, None));
    }
    // `x op y` with x from the outer array and y from the inner: the ufunc's `outer`.
    let ufunc = match element {
        Expr::BinOp(binop)
            if vectorized.arrays.len() == 2
                && is_element_of(&binop.left, outer)
                && is_element_of(&binop.right, inner) =>
        {
            match binop.op {
                Operator::Mult => Some("outer"),
                Operator::Add => Some("add.outer"),
                Operator::Sub => Some("subtract.outer"),
                Operator::Div => Some("true_divide.outer"),
                Operator::FloorDiv => Some("floor_divide.outer"),
                Operator::Mod => Some("mod.outer"),
                Operator::Pow => Some("power.outer"),
                _ => None,
            }
        }
        _ => None,
    };
    let text = match ufunc {
        Some(ufunc) => {
            let (head, rest) = ufunc.split_once('.').unwrap_or((ufunc, ""));
            let (numpy, edits) = numpy_member(checker, head, element.start())?;
            let function = if rest.is_empty() {
                numpy
            } else {
                format!("{numpy}.{rest}")
            };
            let mut edits = edits;
            edits.extend(vectorized.imports.iter().cloned());
            (
                format!(
                    "{function}({}, {})",
                    vectorized.arrays[0], vectorized.arrays[1]
                ),
                edits,
            )
        }
        None => (vectorized.grouped(), vectorized.imports.clone()),
    };
    Some((vectorized, Some(text)))
}

/// Whether `expr` is an element of the walk's array (`a[i]`, or `x` of `for x in a`).
fn is_element_of(expr: &Expr, walk: &Walk) -> bool {
    match (expr, walk) {
        (Expr::Subscript(subscript), Walk::Index { var, .. }) => {
            matches!(&*subscript.slice, Expr::Name(index) if index.id.as_str() == *var)
                && subscript.value.is_name_expr()
        }
        (Expr::Name(name), Walk::Elements(elements)) => {
            elements.len() == 1 && elements[0].0 == name.id.as_str()
        }
        _ => false,
    }
}

fn check_comprehension<'a>(checker: &mut Checker<'a>, comp: &'a ast::ExprListComp) {
    let Expr::ListComp(inner) = &*comp.elt else {
        return;
    };
    let Some(outer_walk) = clause(checker, &comp.generators) else {
        return;
    };
    let Some(inner_walk) = clause(checker, &inner.generators) else {
        return;
    };
    let Some((vectorized, text)) = table(checker, &inner.elt, &outer_walk, &inner_walk, None)
    else {
        return;
    };
    let (range, replacement) = match (&text, array_wrapper(checker, comp.range())) {
        (Some((text, _)), Some(wrapper)) => (wrapper.range(), text.clone()),
        (Some((text, _)), None) => (comp.range(), format!("{text}.tolist()")),
        (None, _) => (comp.range(), format!("{}.tolist()", vectorized.grouped())),
    };
    let message = format!(
        "data-parallel nested comprehension computes `{}` for every pair of elements of `{}` and `{}`; vectorize with NumPy: `{}`",
        short(checker, &*inner.elt),
        short(checker, &comp.generators[0].iter),
        short(checker, &inner.generators[0].iter),
        crate::rules::cpu::candidates::short(&replacement)
    );
    let fix = match text {
        Some((_, mut edits)) => {
            edits.push(Edit::replace(range, replacement.clone()));
            Fix::unsafe_(format!("Replace with `{replacement}`"), edits)
        }
        None => Fix::display_only(
            "Compute the table with NumPy, e.g. `np.outer(a, b)` or broadcasting `a[:, None] - b` (by hand: the arrays are not known to be one-dimensional)",
            Vec::new(),
        ),
    };
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
}

/// `for i in ...: for j in ...: out[i, j] = <pair expression>` into a known array.
fn check_loops<'a>(checker: &mut Checker<'a>, for_stmt: &'a ast::StmtFor) {
    if let [first, Stmt::For(inner_for), last] = &*for_stmt.body {
        check_rows(checker, for_stmt, first, inner_for, last);
        return;
    }
    let Some(Stmt::For(inner_for)) = single_statement(for_stmt) else {
        return;
    };
    let Some(Stmt::Assign(assign)) = single_statement(inner_for) else {
        return;
    };
    let [target] = &*assign.targets else {
        return;
    };
    let Some(outer_walk) = walk(checker, &for_stmt.target, &for_stmt.iter) else {
        return;
    };
    let Some(inner_walk) = walk(checker, &inner_for.target, &inner_for.iter) else {
        return;
    };
    let (Walk::Index { var: i, .. }, Walk::Index { var: j, .. }) = (&outer_walk, &inner_walk)
    else {
        return;
    };
    let Some(written) = pair_store(target, i, j) else {
        return;
    };
    if !matches!(checker.kind_of(written), Some(Kind::Array { .. })) {
        return;
    }
    let Expr::Name(written_name) = written else {
        return;
    };
    let Some((_, text)) = table(
        checker,
        &assign.value,
        &outer_walk,
        &inner_walk,
        Some(written_name.id.as_str()),
    ) else {
        return;
    };
    let statement = text
        .as_ref()
        .map(|(text, _)| format!("{}[:] = {text}", written_name.id));
    let message = format!(
        "data-parallel nested loops compute `{}` for every pair of elements of `{}` and `{}`; vectorize with NumPy: `{}`",
        short(checker, target),
        short(checker, &*for_stmt.iter),
        short(checker, &*inner_for.iter),
        statement.as_deref().map_or_else(|| "np.outer(a, b)".to_string(), crate::rules::cpu::candidates::short)
    );
    let mut names = outer_walk.names();
    names.extend(inner_walk.names());
    let fix = match (text, statement) {
        (Some((_, mut edits)), Some(statement))
            if loop_replaceable(checker, for_stmt, &names) =>
        {
            edits.push(Edit::replace(for_stmt.range(), statement.clone()));
            Fix::unsafe_(format!("Replace the loops with `{statement}`"), edits)
        }
        _ => Fix::display_only(
            "Compute the table with NumPy (`np.outer`, `np.<ufunc>.outer` or broadcasting) and assign it with `out[:] = ...` (by hand: comments, loop variables used later, or arrays not known to be one-dimensional)",
            Vec::new(),
        ),
    };
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}

/// `out[i, j]` or `out[i][j]`: the array written at the pair of indices.
fn pair_store<'a>(target: &'a Expr, i: &str, j: &str) -> Option<&'a Expr> {
    let Expr::Subscript(subscript) = target else {
        return None;
    };
    let is = |expr: &Expr, name: &str| matches!(expr, Expr::Name(n) if n.id.as_str() == name);
    match &*subscript.slice {
        Expr::Tuple(tuple) if tuple.elts.len() == 2 => {
            (is(&tuple.elts[0], i) && is(&tuple.elts[1], j) && subscript.value.is_name_expr())
                .then_some(&*subscript.value)
        }
        index if is(index, j) => match &*subscript.value {
            Expr::Subscript(row) if is(&row.slice, i) && row.value.is_name_expr() => {
                Some(&*row.value)
            }
            _ => None,
        },
        _ => None,
    }
}

/// `table = []`, then `for x in a:` `row = []`, `for y in b: row.append(<pair>)`,
/// `table.append(row)`: the nested lists of the table.
fn check_rows<'a>(
    checker: &mut Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    first: &'a Stmt,
    inner_for: &'a ast::StmtFor,
    last: &'a Stmt,
) {
    if !for_stmt.orelse.is_empty() || !inner_for.orelse.is_empty() || inner_for.is_async {
        return;
    }
    let Some(row) = empty_list_assignment(first) else {
        return;
    };
    let Some((table_list, Expr::Name(appended))) = append_of(last) else {
        return;
    };
    let Some(Stmt::Expr(_)) = single_statement(inner_for) else {
        return;
    };
    let Some((row_list, value)) = single_statement(inner_for).and_then(append_of) else {
        return;
    };
    if appended.id != row.id || row_list.id != row.id || table_list.id == row.id {
        return;
    }
    let Some(outer_walk) = walk(checker, &for_stmt.target, &for_stmt.iter) else {
        return;
    };
    let Some(inner_walk) = walk(checker, &inner_for.target, &inner_for.iter) else {
        return;
    };
    let Some(start) = preceding_statement(checker, for_stmt.range()) else {
        return;
    };
    if empty_list_assignment(start).is_none_or(|name| name.id != table_list.id) {
        return;
    }
    let Some((vectorized, text)) = table(
        checker,
        value,
        &outer_walk,
        &inner_walk,
        Some(row.id.as_str()),
    ) else {
        return;
    };
    let expression = text
        .as_ref()
        .map_or_else(|| vectorized.grouped(), |(text, _)| text.clone());
    let replacement = format!("{} = {expression}.tolist()", table_list.id);
    let message = format!(
        "data-parallel nested loops build `{}` from `{}` for every pair of elements of `{}` and `{}`; vectorize with NumPy: `{}`",
        table_list.id,
        short(checker, value),
        short(checker, &*for_stmt.iter),
        short(checker, &*inner_for.iter),
        crate::rules::cpu::candidates::short(&replacement)
    );
    let mut names = outer_walk.names();
    names.extend(inner_walk.names());
    names.push(row.id.as_str());
    let fix = match text {
        Some((_, mut edits))
            if span_replaceable(checker, start, for_stmt)
                && !read_after(checker, &names, for_stmt.end()) =>
        {
            edits.push(Edit::replace(
                ruff_text_size::TextRange::new(start.start(), for_stmt.end()),
                replacement.clone(),
            ));
            Fix::unsafe_(
                format!("Replace the list and the loops with `{replacement}`"),
                edits,
            )
        }
        _ => Fix::display_only(
            format!("Replace the list and the loops with `{replacement}` (by hand: comments, loop variables used later, or arrays not known to be one-dimensional)"),
            Vec::new(),
        ),
    };
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}
