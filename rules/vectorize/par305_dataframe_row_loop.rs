//! PAR305 dataframe-row-loop: per-row Python code over a pandas DataFrame (`iterrows`,
//! `itertuples`, `apply(..., axis=1)`) computing what column operations compute.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::array_kinds::Kind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::cpu::candidates::header_range;
use crate::rules::vectorize::rewrite::short;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR305",
    name: "dataframe-row-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "Per-row Python code over a DataFrame (`iterrows`, `apply(axis=1)`): use pandas column operations",
    docs: DOCS,
    kinds: &[NodeKind::For, NodeKind::Call],
    call_tails: &["apply"],
    check,
};

const DOCS: &str = r#"## What it does
Flags per-row Python code over a pandas DataFrame that computes values from the row's
fields with arithmetic or comparisons:
- `df.apply(lambda row: row["a"] + row["b"], axis=1)` (also `axis="columns"`);
- `for _, row in df.iterrows():` and `for row in df.itertuples():` loops whose body computes
  from the row's fields (arithmetic or comparisons on `row["a"]` / `row.a`) and does nothing
  but assignments, `append`s and `if`s.

The DataFrame must be known to be one (`pd.DataFrame(...)`, `pd.read_csv(...)` and the other
readers, `pd.merge`, a column subset `df[["a", "b"]]`, or a parameter annotated
`pd.DataFrame`). Loops that call other functions per row (I/O, logging, a model) are left
alone.

## Why is this bad?
`iterrows` builds a Series object for every row and `apply(axis=1)` calls a Python function
per row: microseconds per row. Column operations (`df["a"] + df["b"]`) are data-parallel
passes over whole columns in compiled code, typically 100× faster or more.

## Example
```python
import pandas as pd

df = pd.read_csv("prices.csv")
df["total"] = df.apply(lambda row: row["price"] * row["quantity"], axis=1)
```

Use instead:
```python
df["total"] = df["price"] * df["quantity"]
```

## Fix
`apply(lambda row: <expression>, axis=1)` where the expression uses only `row["column"]`,
numbers, number-valued names, `+ - * / // % **`, unary minus and one comparison becomes the
same expression over the columns (`df["price"] * df["quantity"]`). Everything else (row
loops, functions defined elsewhere, attribute access `row.a`) gets a display-only suggestion.

## Fix safety
Unsafe: `apply(axis=1)` hands each row over as one Series, so mixed integer and float columns
are all upcast to float before the arithmetic, while column operations keep each column's
dtype (an integer result may stay integer); the resulting Series may carry a column's name
where `apply` gave none; on an empty DataFrame `apply` returns an empty DataFrame, the
column expression an empty Series.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    match node {
        Node::Expr(Expr::Call(call)) => check_apply(checker, call),
        Node::Stmt(Stmt::For(for_stmt)) => check_loop(checker, for_stmt),
        _ => {}
    }
}

fn is_dataframe<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker.kind_of(expr) == Some(Kind::DataFrame)
}

fn check_apply<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    if attribute.attr.as_str() != "apply" {
        return;
    }
    let axis_columns = call.arguments.keywords.iter().any(|keyword| {
        keyword
            .arg
            .as_ref()
            .is_some_and(|arg| arg.as_str() == "axis")
            && match &keyword.value {
                Expr::NumberLiteral(number) => {
                    matches!(&number.value, ast::Number::Int(int) if int.as_u8() == Some(1))
                }
                Expr::StringLiteral(string) => string.value.to_str() == "columns",
                _ => false,
            }
    });
    if !axis_columns || !is_dataframe(checker, &attribute.value) {
        return;
    }
    let [function] = &*call.arguments.args else {
        return;
    };
    let frame = checker.source.slice(attribute.value.range());
    let (row, body): (&str, &Expr) = match function {
        Expr::Lambda(lambda) => {
            let Some(parameters) = &lambda.parameters else {
                return;
            };
            let [parameter] = &*parameters.args else {
                return;
            };
            if !parameters.posonlyargs.is_empty()
                || !parameters.kwonlyargs.is_empty()
                || parameters.vararg.is_some()
                || parameters.kwarg.is_some()
                || parameter.default.is_some()
            {
                return;
            }
            (parameter.parameter.name.as_str(), &lambda.body)
        }
        _ => return,
    };
    let mut translation = Translation {
        checker,
        row,
        frame,
        replacements: Vec::new(),
        fields: 0,
        operators: 0,
        display_only: false,
    };
    if translation.visit(body).is_none() || translation.fields == 0 || translation.operators == 0 {
        return;
    }
    let only_keywords_axis = call.arguments.keywords.len() == 1;
    let columns = translation.text(body);
    let message = format!(
        "data-parallel row-wise `apply(..., axis=1)` over `{}` computes `{}` one row at a time; use pandas column operations: `{}`",
        short(checker, &*attribute.value),
        short(checker, body),
        crate::rules::cpu::candidates::short(&columns)
    );
    let fix = if translation.display_only
        || !only_keywords_axis
        || crate::fix::edits::contains_comment(checker.tokens, call.range())
    {
        Fix::display_only(format!("Compute `{columns}` on whole columns"), Vec::new())
    } else {
        let replacement = if is_whole_value(checker, call.range()) || is_atom(body) {
            columns.clone()
        } else {
            format!("({columns})")
        };
        Fix::unsafe_(
            format!("Replace with `{columns}`"),
            vec![Edit::replace(call.range(), replacement)],
        )
    };
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

fn is_atom(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Subscript(_) | Expr::Name(_) | Expr::Call(_) | Expr::Attribute(_)
    )
}

fn is_whole_value(checker: &Checker, range: TextRange) -> bool {
    checker.statements().last().is_some_and(|statement| {
        let value = match statement {
            Stmt::Assign(assign) => Some(&*assign.value),
            Stmt::AnnAssign(assign) => assign.value.as_deref(),
            Stmt::Return(ret) => ret.value.as_deref(),
            _ => None,
        };
        value.is_some_and(|value| value.range() == range)
    })
}

/// Attributes every row Series has: `row.<attr>` with these names is not a column.
const SERIES_ATTRIBUTES: &[&str] = &[
    "name", "index", "values", "array", "dtype", "dtypes", "size", "shape", "ndim", "T", "empty",
    "axes", "attrs", "flags", "hasnans", "nbytes", "iloc", "loc", "at", "iat", "str", "dt", "cat",
    "plot",
];

/// Rewrites a per-row expression over whole columns: `row["a"]` → `df["a"]`.
struct Translation<'c, 'a> {
    checker: &'c Checker<'a>,
    row: &'c str,
    frame: &'c str,
    replacements: Vec<(TextRange, String)>,
    fields: usize,
    /// Operators met: a bare `row["a"]` selects a column, it computes nothing.
    operators: usize,
    /// Translatable only as a suggestion (`row.a` may name a Series attribute).
    display_only: bool,
}

impl<'a> Translation<'_, 'a> {
    fn visit(&mut self, expr: &'a Expr) -> Option<()> {
        match expr {
            Expr::NumberLiteral(_) => Some(()),
            Expr::Name(name) => (name.id.as_str() != self.row
                && self.checker.kind_of(expr) == Some(Kind::Number))
            .then_some(()),
            Expr::Subscript(subscript) => {
                let Expr::Name(name) = &*subscript.value else {
                    return None;
                };
                let Expr::StringLiteral(_) = &*subscript.slice else {
                    return None;
                };
                if name.id.as_str() != self.row {
                    return None;
                }
                self.fields += 1;
                self.replacements
                    .push((subscript.value.range(), self.frame.to_string()));
                Some(())
            }
            Expr::Attribute(attribute) => {
                let Expr::Name(name) = &*attribute.value else {
                    return None;
                };
                // `row.name` is the row's index label, `row.values` its data: not columns.
                if name.id.as_str() != self.row
                    || SERIES_ATTRIBUTES.contains(&attribute.attr.as_str())
                {
                    return None;
                }
                self.fields += 1;
                self.display_only = true;
                self.replacements.push((
                    attribute.range(),
                    format!("{}[\"{}\"]", self.frame, attribute.attr),
                ));
                Some(())
            }
            Expr::BinOp(binop) => {
                if !crate::analysis::array_kinds::is_elementwise_arithmetic(binop.op) {
                    return None;
                }
                self.operators += 1;
                self.visit(&binop.left)?;
                self.visit(&binop.right)
            }
            Expr::UnaryOp(unary) if matches!(unary.op, UnaryOp::USub | UnaryOp::UAdd) => {
                self.visit(&unary.operand)
            }
            Expr::Compare(compare) => {
                let [op] = &*compare.ops else {
                    return None;
                };
                if !matches!(
                    op,
                    CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE | CmpOp::Eq | CmpOp::NotEq
                ) {
                    return None;
                }
                self.operators += 1;
                self.visit(&compare.left)?;
                self.visit(&compare.comparators[0])
            }
            _ => None,
        }
    }

    fn text(&mut self, expr: &Expr) -> String {
        let mut text =
            crate::fix::edits::splice(self.checker.source, expr.range(), &mut self.replacements);
        // The lambda's body could span lines inside `apply(...)`'s brackets; standing alone
        // it needs brackets of its own.
        if text.contains(['\n', '\r']) {
            text = format!("({text})");
        }
        text
    }
}

fn check_loop<'a>(checker: &mut Checker<'a>, for_stmt: &'a ast::StmtFor) {
    let Expr::Call(call) = &*for_stmt.iter else {
        return;
    };
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return;
    };
    let row = match (attribute.attr.as_str(), &*for_stmt.target) {
        ("iterrows", Expr::Tuple(tuple)) if tuple.elts.len() == 2 => match &tuple.elts[1] {
            Expr::Name(row) => row.id.as_str(),
            _ => return,
        },
        ("itertuples", Expr::Name(row)) => row.id.as_str(),
        _ => return,
    };
    if !is_dataframe(checker, &attribute.value) {
        return;
    }
    let mut body = RowBody {
        checker,
        row,
        computes: false,
        other: false,
    };
    body.visit_body(&for_stmt.body);
    body.visit_body(&for_stmt.orelse);
    if !body.computes || body.other {
        return;
    }
    let message = format!(
        "data-parallel row loop over `{}` computes per-row values in Python; use pandas column operations (e.g. `{}[\"a\"] * {}[\"b\"]`, `np.where` for conditions)",
        short(checker, &*for_stmt.iter),
        short(checker, &*attribute.value),
        short(checker, &*attribute.value),
    );
    let fix = Fix::display_only(
        "Compute the values on whole columns (`df[\"a\"] * df[\"b\"]`, `np.where(cond, x, y)`, `.map`) instead of row by row",
        Vec::new(),
    );
    checker.report(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}

/// Whether a row loop's body computes from the row with arithmetic or comparisons, and does
/// nothing else: only assignments, `append`s, `if`s, and calls of number builtins / `math`.
struct RowBody<'c, 'a> {
    checker: &'c Checker<'a>,
    row: &'c str,
    computes: bool,
    other: bool,
}

impl RowBody<'_, '_> {
    fn reads_row(&self, expr: &Expr) -> bool {
        crate::analysis::names::expr_names(expr)
            .loads
            .iter()
            .any(|(name, _)| *name == self.row)
    }
}

impl<'a> Visitor<'a> for RowBody<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // Per-row values kept in local names; stores into other objects (a scatter
            // such as `out.loc[..., row["k"]] += ...`) are a different pattern.
            Stmt::Assign(assign) if assign.targets.iter().all(Expr::is_name_expr) => {
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AugAssign(aug) if aug.target.is_name_expr() => visitor::walk_stmt(self, stmt),
            Stmt::AnnAssign(ann) if ann.target.is_name_expr() => visitor::walk_stmt(self, stmt),
            Stmt::If(_) => visitor::walk_stmt(self, stmt),
            Stmt::Expr(expr) => match &*expr.value {
                Expr::Call(call)
                    if matches!(&*call.func, Expr::Attribute(method)
                        if method.attr.as_str() == "append") =>
                {
                    visitor::walk_expr(self, &expr.value);
                }
                _ => self.other = true,
            },
            Stmt::Pass(_) | Stmt::Continue(_) => {}
            _ => self.other = true,
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::BinOp(binop) if self.reads_row(&binop.left) || self.reads_row(&binop.right) => {
                self.computes = true;
            }
            Expr::Compare(compare) if self.reads_row(expr) => {
                let _ = compare;
                self.computes = true;
            }
            Expr::Call(call) => {
                let allowed = match call.func.as_ref() {
                    Expr::Name(name) => {
                        matches!(
                            name.id.as_str(),
                            "float" | "int" | "abs" | "round" | "min" | "max" | "bool"
                        ) && self
                            .checker
                            .semantic
                            .lookup(name.id.as_str(), name.start())
                            .is_none()
                    }
                    Expr::Attribute(method) if method.attr.as_str() == "append" => true,
                    other => self
                        .checker
                        .semantic
                        .qualified_name(other)
                        .is_some_and(|name| name.segments().first() == Some(&"math")),
                };
                if !allowed {
                    self.other = true;
                    return;
                }
            }
            Expr::Lambda(_) | Expr::Await(_) | Expr::Yield(_) | Expr::Named(_) => {
                self.other = true;
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
