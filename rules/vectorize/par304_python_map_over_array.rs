//! PAR304 python-map-over-array: a function with a NumPy ufunc twin applied to each element of
//! an array in Python.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::vectorize::rewrite::{
    array_wrapper, comprehension, is_array, is_small, is_ufunc_like, short,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR304",
    name: "python-map-over-array",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    opt_in: false,
    summary: "A ufunc-able function mapped over a NumPy array in Python: call the NumPy ufunc on the whole array",
    docs: DOCS,
    kinds: &[NodeKind::ListComp, NodeKind::Call],
    call_tails: &["list"],
    check,
};

const DOCS: &str = r#"## What it does
Flags a comprehension or `map` applying a function that has a NumPy ufunc twin to each
element of a NumPy array: `[math.sqrt(x) for x in arr]`, `[math.exp(-x * x) for x in arr]`,
`np.array([np.sin(x) for x in arr])`, `list(map(math.log10, arr))`. The functions are the
`math` ones with a ufunc (`sqrt`, `exp`, `log10`, `sin`, `atan2`, `hypot`, `pow`, ...),
NumPy's own ufuncs, and `abs`; the rest of the element may be arithmetic (see PAR302). The
array must be known to be one, or a single pandas Series (see PAR302); plain lists and
unknown iterables are left alone, and so is an array known to hold fewer than 1,000
elements (`np.arange(1, 9)`, `np.array([1.0, 4.0])`, see PAR302): test data, not a hot path.

The diagnostic covers the expression the fix replaces: the `np.array(...)` /
`list(map(...))` call, or the comprehension itself.

## Why is this bad?
Calling a scalar function per element goes through the interpreter for every element (and
`math` functions convert each NumPy scalar to a Python float first). The ufunc applies the
same function to the whole array in compiled code: a data-parallel pass, typically 10–50×
faster on large arrays.

## Example
```python
import math
import numpy as np

arr = np.linspace(0.0, 1.0, 1_000_000)
roots = [math.sqrt(x) for x in arr]
logs = np.array(list(map(math.log1p, arr)))
```

Use instead:
```python
roots = np.sqrt(arr).tolist()
logs = np.log1p(arr)
```

## Fix
The comprehension or `list(map(...))` becomes the ufunc applied to the array, ending in
`.tolist()` so code expecting a list still gets one; inside `np.array(...)` the wrapper goes
too and the array is used directly (`.to_numpy()` over a Series). `numpy` is imported when needed (reusing `np`).

## Fix safety
Unsafe: `math` functions raise `ValueError` on a bad domain (`math.sqrt(-1.0)`) where NumPy
returns `nan` with a warning; `.tolist()` hands on Python floats where the comprehension of
NumPy functions produced NumPy scalars; and the array is assumed to be one-dimensional.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Expr(Expr::ListComp(comp)) => check_comprehension(checker, comp),
        Node::Expr(Expr::Call(call)) => check_map(checker, call),
        _ => {}
    }
}

fn check_comprehension<'a>(checker: &mut Checker<'a>, comp: &'a ast::ExprListComp) {
    let Some(candidate) = comprehension(checker, comp) else {
        return;
    };
    if !candidate.vectorized.calls {
        return;
    }
    let message = format!(
        "data-parallel comprehension applies `{}` to each element of `{}` in Python; vectorize with the NumPy ufunc on the whole array: `{}`",
        short(checker, &*comp.elt),
        short(checker, &comp.generators[0].iter),
        crate::rules::cpu::candidates::short(&candidate.replacement)
    );
    let fix = candidate.fix();
    checker.report(Diagnostic::new(&RULE, message, candidate.range).with_fix(Some(fix)));
}

/// `list(map(f, arr))` with a ufunc-able `f`.
fn check_map<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Name(list) = call.func.as_ref() else {
        return;
    };
    if list.id.as_str() != "list"
        || checker.semantic.lookup("list", list.start()).is_some()
        || !call.arguments.keywords.is_empty()
    {
        return;
    }
    let [Expr::Call(map)] = &*call.arguments.args else {
        return;
    };
    let Expr::Name(map_name) = map.func.as_ref() else {
        return;
    };
    if map_name.id.as_str() != "map"
        || checker.semantic.lookup("map", map_name.start()).is_some()
        || !map.arguments.keywords.is_empty()
    {
        return;
    }
    let [function, array] = &*map.arguments.args else {
        return;
    };
    // `map(f, arr)` walks `arr` element by element, as `for x in arr` does.
    let kind = checker.kind_of(array);
    let series = kind == Some(crate::analysis::array_kinds::Kind::Series);
    if !is_array(checker, array) && !series {
        return;
    }
    // A small array (`np.arange(1, 9)`) is test data or a constant, not a hot path.
    if is_small(kind.and_then(crate::analysis::array_kinds::Kind::size)) {
        return;
    }
    let Some((ufunc, imports)) = is_ufunc_like(checker, function, call.start()) else {
        return;
    };
    let array_text = checker.source.slice(array.range());
    let vectorized = format!("{ufunc}({array_text})");
    let (range, replacement) = match array_wrapper(checker, call.range()) {
        // Over a Series the ufunc gives a Series: `np.array(...)` wanted an array.
        Some(wrapper) if series => (wrapper.range(), format!("{vectorized}.to_numpy()")),
        Some(wrapper) => (wrapper.range(), vectorized),
        None => (call.range(), format!("{vectorized}.tolist()")),
    };
    let message = format!(
        "data-parallel `map` applies `{}` to each element of `{}` in Python; vectorize with the NumPy ufunc on the whole array: `{}`",
        short(checker, function),
        short(checker, array),
        crate::rules::cpu::candidates::short(&replacement)
    );
    let mut edits = imports;
    edits.push(Edit::replace(range, replacement.clone()));
    let fix = Fix::unsafe_(format!("Replace with `{replacement}`"), edits);
    checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
}
