//! PAR302 elementwise-loop: a Python loop or comprehension computing NumPy arrays element by
//! element.

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::array_kinds::Kind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::cpu::candidates::header_range;
use crate::rules::vectorize::rewrite::{
    append_of, comprehension, empty_list_assignment, loop_replaceable, plain, preceding_statement,
    read_after, short, single_statement, span_replaceable, vectorize, walk, Context, Role, Walk,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR302",
    name: "elementwise-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A Python loop computes NumPy arrays element by element: vectorize with NumPy",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::ListComp],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags element-wise arithmetic over NumPy arrays written as a Python loop:
`for i in range(len(a)): c[i] = a[i] + b[i]` (also `c[i] += ...`, `range(a.shape[0])`), a
list started empty right before a loop that appends one element-wise value per element
(`out = []` then `for x in a: out.append(x * 2)`), and list comprehensions such as `[x * y for x, y in zip(a, b)]`, `[a[i] - b[i] for i in
range(len(a))]` or `[2 * x + 1 for x in a]`, when every operand is known to be an array
(bound from `np.array`, `np.zeros`, `np.arange`, `np.random.*`, arithmetic of arrays, or a
parameter annotated `np.ndarray` / `npt.NDArray`) or a number; a pandas Series (`df["a"]`,
`pd.Series(...)`, a parameter annotated `pd.Series`) counts too when it is walked element by
element and is the only Series (two Series would align on their index where `zip` pairs by
position, and `s[i]` is a label lookup, so index loops take arrays only). The element expression may
use `+ - * / // % **`, unary minus, one comparison, `abs`, NumPy ufuncs and their `math`
twins (`math.sqrt` → `np.sqrt`).

It stays silent where an operand's kind is unknown (a plain list, a parameter without
annotation: converting a list to an array costs about as much as the loop saves), and on
anything that is not element-wise: an index other than the loop's own (`a[i - 1]`), a read of
the array being written at another position (a recurrence such as `a[i] = a[i - 1] + x[i]`
is never vectorized), the index used as a value, `if`/`and`/`or`, or other calls. It also
stays silent where every array is known to hold fewer than 1,000 elements, because its
constructor's constant arguments say so (`np.arange(0, 2, 0.25)`, `np.array([1, 2, 3])`,
`np.zeros(5)`, `np.linspace(0, 1, 20)`, and arithmetic of such arrays): test data and
constants, where the loop costs microseconds. Arrays of unknown size are still flagged.

## Why is this bad?
Each iteration of a Python loop over an array boxes two NumPy scalars, dispatches the
operator through the interpreter and unboxes the result: tens of nanoseconds per element. The
same arithmetic on whole arrays is one data-parallel pass in compiled code (and SIMD), one
to two orders of magnitude faster on large arrays (see docs/performance.md).

## Example
```python
import numpy as np

a = np.random.rand(1_000_000)
b = np.random.rand(1_000_000)
c = np.empty_like(a)
for i in range(len(a)):
    c[i] = a[i] * b[i] + 1.0
squares = [x * x for x in a]
```

Use instead:
```python
c[:] = a * b + 1.0
squares = (a * a).tolist()
```

## Fix
The loop becomes one assignment into the same array, `c[:] = <expression>` (`c[:] += ...`
for `c[i] += ...`); a list target built beforehand gets `c[:] = (<expression>).tolist()`, and
`out = []` with its appending loop becomes `out = (<expression>).tolist()`. A comprehension
becomes `(<expression>).tolist()`, so code receiving a list still receives a list; inside
`np.array(...)`/`np.asarray(...)` the wrapper goes too and the array expression is used
directly (over a Series, `(<expression>).to_numpy()`). `.tolist()` is applied only where the arrays are known to be one-dimensional (over
a 2-D array the loop collects rows, `.tolist()` would give nested lists): elsewhere, and for
loops with comments, an `else:` clause, or a loop variable read afterwards, the rewrite is
shown as a suggestion only.

## Fix safety
Unsafe. The vectorized form assumes the arrays have the loop's length and shape (a longer or
broadcastable operand raises or broadcasts instead of being read up to the loop's bound);
`.tolist()` hands on Python numbers where the loop produced NumPy scalars (their `repr`
differs under NumPy 2); integer arrays that overflow, float arrays meeting a division by zero
(`inf` and a warning instead of `ZeroDivisionError` for Python numbers), `math` functions
that raise on bad input (NumPy returns `nan`), and in-place updates whose result dtype cannot
be cast back (`c[:] += 0.5` on an integer array raises) behave differently.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Stmt(Stmt::For(for_stmt)) => check_loop(checker, for_stmt),
        Node::Expr(Expr::ListComp(comp)) => check_comprehension(checker, comp),
        _ => {}
    }
}

fn check_loop<'a>(checker: &mut Checker<'a>, for_stmt: &'a ast::StmtFor) {
    let Some(statement) = single_statement(for_stmt) else {
        return;
    };
    if let Some((list, value)) = append_of(statement) {
        check_append(checker, for_stmt, list, value);
        return;
    }
    let (target, value, op) = match statement {
        Stmt::Assign(assign) => match &*assign.targets {
            [target] => (target, &*assign.value, None),
            _ => return,
        },
        Stmt::AugAssign(aug) => (&*aug.target, &*aug.value, Some(aug.op)),
        _ => return,
    };
    let Expr::Subscript(subscript) = target else {
        return;
    };
    let (Expr::Name(written), Expr::Name(index)) = (&*subscript.value, &*subscript.slice) else {
        return;
    };
    let Some(walk) = walk(checker, &for_stmt.target, &for_stmt.iter) else {
        return;
    };
    if !matches!(&walk, Walk::Index { var, .. } if *var == index.id.as_str()) {
        return;
    }
    let written_kind = checker.kind_of(&subscript.value);
    let list = match written_kind {
        Some(Kind::Array { .. }) => false,
        Some(Kind::List) if op.is_none() => true,
        _ => return,
    };
    if let Some(op) = op {
        if !matches!(
            op,
            Operator::Add | Operator::Sub | Operator::Mult | Operator::Div
        ) {
            return;
        }
    }
    let context = Context {
        walks: vec![(&walk, Role::Only)],
        written: Some(written.id.as_str()),
    };
    let Some(vectorized) = vectorize(checker, value, &context, &plain) else {
        return;
    };
    let name = written.id.as_str();
    let replacement = match (op, list) {
        (Some(op), _) => format!("{name}[:] {}= {}", op.as_str(), vectorized.text),
        (None, true) => format!("{name}[:] = {}.tolist()", vectorized.grouped()),
        (None, false) => format!("{name}[:] = {}", vectorized.text),
    };
    let message = format!(
        "data-parallel loop computes `{}` one element at a time over `{}`; vectorize with NumPy: `{}`",
        short(checker, target),
        short(checker, &*for_stmt.iter),
        crate::rules::cpu::candidates::short(&replacement)
    );
    // Into a list, `.tolist()` must give numbers, not the rows of a 2-D array.
    let exact = !list || vectorized.elements_are_numbers();
    let fix = if exact && loop_replaceable(checker, for_stmt, &walk.names()) {
        let mut edits = vectorized.imports.clone();
        edits.push(Edit::replace(for_stmt.range(), replacement.clone()));
        Fix::unsafe_(format!("Replace the loop with `{replacement}`"), edits)
    } else {
        Fix::display_only(
            format!("Replace the loop with `{replacement}` (by hand: the loop has comments, an `else:`, or its variable is used after it, or a list target meets arrays not known to be one-dimensional)"),
            Vec::new(),
        )
    };
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}

fn check_comprehension<'a>(checker: &mut Checker<'a>, comp: &'a ast::ExprListComp) {
    let Some(candidate) = comprehension(checker, comp) else {
        return;
    };
    if candidate.vectorized.calls {
        // A function mapped over the array: PAR304's finding.
        return;
    }
    let message = format!(
        "data-parallel comprehension computes `{}` one element at a time over `{}`; vectorize with NumPy: `{}`",
        short(checker, &*comp.elt),
        short(checker, &comp.generators[0].iter),
        crate::rules::cpu::candidates::short(&candidate.replacement)
    );
    let fix = candidate.fix();
    checker.report(Diagnostic::new(&RULE, message, candidate.range).with_fix(Some(fix)));
}

/// `out = []` then `for ...: out.append(<element-wise expression>)`: the list is the
/// expression over the whole arrays, `out = (<expression>).tolist()`.
fn check_append<'a>(
    checker: &mut Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    list: &'a ast::ExprName,
    value: &'a Expr,
) {
    if matches!(value, Expr::Name(_) | Expr::Subscript(_)) {
        // Copying the elements is not arithmetic (and `list(a)` / `a.tolist()` is another
        // matter).
        return;
    }
    let Some(walk) = walk(checker, &for_stmt.target, &for_stmt.iter) else {
        return;
    };
    let context = Context {
        walks: vec![(&walk, Role::Only)],
        written: Some(list.id.as_str()),
    };
    let Some(vectorized) =
        vectorize(checker, value, &context, &plain).filter(|vectorized| vectorized.series <= 1)
    else {
        return;
    };
    // The list must start empty right before the loop, or the loop extends something else.
    let Some(start) = preceding_statement(checker, for_stmt.range()) else {
        return;
    };
    if empty_list_assignment(start).is_none_or(|name| name.id != list.id) {
        return;
    }
    let replacement = format!("{} = {}.tolist()", list.id, vectorized.grouped());
    let message = format!(
        "data-parallel loop appends `{}` one element at a time over `{}`; vectorize with NumPy: `{}`",
        short(checker, value),
        short(checker, &*for_stmt.iter),
        crate::rules::cpu::candidates::short(&replacement)
    );
    let fixable = vectorized.elements_are_numbers()
        && for_stmt.orelse.is_empty()
        && span_replaceable(checker, start, for_stmt)
        && !read_after(checker, &walk.names(), for_stmt.end());
    let fix = if fixable {
        let mut edits = vectorized.imports.clone();
        edits.push(Edit::replace(
            ruff_text_size::TextRange::new(start.start(), for_stmt.end()),
            replacement.clone(),
        ));
        Fix::unsafe_(
            format!("Replace the list and the loop with `{replacement}`"),
            edits,
        )
    } else {
        Fix::display_only(
            format!("Replace the list and the loop with `{replacement}` (by hand: comments, loop variables used later, or arrays not known to be one-dimensional)"),
            Vec::new(),
        )
    };
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}
