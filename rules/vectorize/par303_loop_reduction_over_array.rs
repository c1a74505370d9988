//! PAR303 loop-reduction-over-array: a sum over NumPy arrays accumulated in a Python loop.

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::names::expr_names;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::cpu::candidates::header_range;
use crate::rules::vectorize::rewrite::{
    loop_replaceable, numpy_member, plain, short, single_statement, vectorize, walk, Context, Role,
    Vectorized,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR303",
    name: "loop-reduction-over-array",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A Python loop sums over NumPy arrays: vectorize with `np.dot` / `.sum()`",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::Call],
    call_tails: &["sum"],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `for` loop whose only statement adds (or subtracts) an element-wise expression of
NumPy arrays to an accumulator: `s += a[i] * b[i]` over `range(len(a))`, `total += x` over
`for x in a`, `s = s + x * y` over `zip(a, b)`, and the same sum written with the builtin,
`sum(x * y for x, y in zip(a, b))` (the diagnostic then starts at the `sum` call), when
every operand is known to be an array or a number (see PAR302 for how kinds are known, and for what is not element-wise; a
recurrence is never flagged). pandas Series are left alone: `Series.sum()` skips missing
values where the loop's sum becomes NaN. Arrays all known to hold fewer than 1,000 elements
(see PAR302) are left alone too.

## Why is this bad?
The loop runs the interpreter once per element for what is a data-parallel reduction: NumPy
computes `np.dot(a, b)` or `a.sum()` in compiled code (BLAS and SIMD for the dot product),
one to two orders of magnitude faster on large arrays.

## Example
```python
import numpy as np

a = np.random.rand(1_000_000)
b = np.random.rand(1_000_000)
total = 0.0
for i in range(len(a)):
    total += a[i] * b[i]
```

Use instead:
```python
total = 0.0
total += np.dot(a, b)
```

## Fix
The loop becomes one statement (and `sum(...)` the expression): `total += np.dot(a, b)` for the product of two
one-dimensional arrays, `total += (<expression>).sum()` otherwise, and `.sum(axis=0)` when an
array's number of dimensions is not known (a loop over a 2-D array adds rows, and so does
`sum(axis=0)`). The accumulator's initial value is kept. Loops with comments, an `else:`, or
a loop variable read afterwards get the suggestion only.

## Fix safety
Unsafe: NumPy sums floats pairwise (and BLAS may reorder the dot product), so the last bits
of a float result can differ from the loop's left-to-right sum; the arrays are assumed to
have the loop's length; `math` functions that raise on bad input return `nan` in NumPy.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if let Node::Expr(Expr::Call(call)) = node {
        check_sum(checker, call);
        return;
    }
    let Node::Stmt(Stmt::For(for_stmt)) = node else {
        return;
    };
    let Some(statement) = single_statement(for_stmt) else {
        return;
    };
    let (accumulator, op, value, augmented) = match statement {
        Stmt::AugAssign(aug) => match &*aug.target {
            Expr::Name(name) => (name, aug.op, &*aug.value, true),
            _ => return,
        },
        Stmt::Assign(assign) => {
            let [Expr::Name(name)] = &*assign.targets else {
                return;
            };
            let Expr::BinOp(binop) = &*assign.value else {
                return;
            };
            if binop.op != Operator::Add {
                return;
            }
            let is_accumulator = |expr: &Expr| matches!(expr, Expr::Name(n) if n.id == name.id);
            if is_accumulator(&binop.left) {
                (name, Operator::Add, &*binop.right, false)
            } else if is_accumulator(&binop.right) {
                (name, Operator::Add, &*binop.left, false)
            } else {
                return;
            }
        }
        _ => return,
    };
    if !matches!(op, Operator::Add | Operator::Sub) {
        return;
    }
    let Some(walk) = walk(checker, &for_stmt.target, &for_stmt.iter) else {
        return;
    };
    let accumulator_name = accumulator.id.as_str();
    // The accumulator must not be what the loop walks (an array updated in place while
    // being iterated) nor feed the value.
    if walk.names().contains(&accumulator_name)
        || expr_names(&for_stmt.iter)
            .loads
            .iter()
            .any(|(name, _)| *name == accumulator_name)
        || expr_names(value)
            .loads
            .iter()
            .any(|(name, _)| *name == accumulator_name)
    {
        return;
    }
    let context = Context {
        walks: vec![(&walk, Role::Only)],
        written: None,
    };
    // `Series.sum()` skips NaN where the loop propagates it: arrays only.
    let Some(vectorized) =
        vectorize(checker, value, &context, &plain).filter(|vectorized| vectorized.series == 0)
    else {
        return;
    };
    let Some((reduction, mut edits)) = reduction(checker, for_stmt.start(), value, &vectorized)
    else {
        return;
    };
    let replacement = if augmented {
        format!("{accumulator_name} {}= {reduction}", op.as_str())
    } else {
        format!("{accumulator_name} = {accumulator_name} + {reduction}")
    };
    let message = format!(
        "data-parallel reduction into `{accumulator_name}` one element at a time over `{}`; vectorize with NumPy: `{}`",
        short(checker, &*for_stmt.iter),
        crate::rules::cpu::candidates::short(&replacement)
    );
    let fix = if loop_replaceable(checker, for_stmt, &walk.names()) {
        edits.extend(vectorized.imports.iter().cloned());
        edits.push(Edit::replace(for_stmt.range(), replacement.clone()));
        Fix::unsafe_(format!("Replace the loop with `{replacement}`"), edits)
    } else {
        Fix::display_only(
            format!("Replace the loop with `{replacement}` (by hand: the loop has comments, an `else:`, or its variable is used after it)"),
            Vec::new(),
        )
    };
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}

/// `np.dot(a, b)` for the product of two 1-D arrays' elements, else `(...).sum()` (with
/// `axis=0` where a dimension count is unknown).
fn reduction(
    checker: &Checker,
    at: ruff_text_size::TextSize,
    value: &Expr,
    vectorized: &Vectorized,
) -> Option<(String, Vec<Edit>)> {
    let one_dimensional = vectorized.all_one_dimensional();
    if let Expr::BinOp(binop) = value {
        let is_element = |expr: &Expr| matches!(expr, Expr::Name(_) | Expr::Subscript(_));
        if binop.op == Operator::Mult
            && is_element(&binop.left)
            && is_element(&binop.right)
            && one_dimensional
            && vectorized.arrays.len() == 2
        {
            let (dot, edits) = numpy_member(checker, "dot", at)?;
            // The arrays appear in the text in the order of the product.
            let (left, right) = vectorized.text.split_once('*')?;
            return Some((format!("{dot}({}, {})", left.trim(), right.trim()), edits));
        }
    }
    let axis = if one_dimensional { "" } else { "axis=0" };
    Some((format!("{}.sum({axis})", vectorized.grouped()), Vec::new()))
}

/// `sum(a[i] * b[i] for i in range(len(a)))`, `sum(x * y for x, y in zip(a, b))`: the same
/// reduction written with the builtin `sum` over a generator.
fn check_sum<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Name(name) = call.func.as_ref() else {
        return;
    };
    if name.id.as_str() != "sum"
        || checker.semantic.lookup("sum", name.start()).is_some()
        || !call.arguments.keywords.is_empty()
    {
        return;
    }
    let [argument] = &*call.arguments.args else {
        return;
    };
    let (element, generators) = match argument {
        Expr::Generator(generator) => (&*generator.elt, &generator.generators),
        Expr::ListComp(comp) => (&*comp.elt, &comp.generators),
        _ => return,
    };
    let [generator] = &**generators else {
        return;
    };
    if generator.is_async || !generator.ifs.is_empty() {
        return;
    }
    let Some(walk) = walk(checker, &generator.target, &generator.iter) else {
        return;
    };
    let context = Context {
        walks: vec![(&walk, Role::Only)],
        written: None,
    };
    let Some(vectorized) =
        vectorize(checker, element, &context, &plain).filter(|vectorized| vectorized.series == 0)
    else {
        return;
    };
    let Some((reduction, mut edits)) = reduction(checker, call.start(), element, &vectorized)
    else {
        return;
    };
    let message = format!(
        "data-parallel reduction `sum(...)` adds `{}` one element at a time over `{}`; vectorize with NumPy: `{}`",
        short(checker, element),
        short(checker, &generator.iter),
        crate::rules::cpu::candidates::short(&reduction)
    );
    edits.extend(vectorized.imports.iter().cloned());
    edits.push(Edit::replace(call.range(), reduction.clone()));
    let fix = Fix::unsafe_(format!("Replace with `{reduction}`"), edits);
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}
