//! The rewrite the candidate rules share: an independent loop or comprehension becomes a
//! `with <Pool>(...) as executor:` block around `executor.map(...)`, keeping the result's
//! type and order and the statements around it.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::loops::{iteration_names_read_after, Collector, IndependentLoop};
use crate::analysis::names::expr_names;
use crate::analysis::semantic::ScopeKind;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::edits::{
    contains_word, count_word, replaceable_by_one_line, stands_alone, whole_lines,
};
use crate::fix::imports::{import_member, ImportStyle};
use crate::source::indentation_at;

/// The pool to create: `from {module} import {class}`; `{class}({arguments})`.
pub struct PoolSpec<'s> {
    pub module: &'static str,
    pub class: &'static str,
    pub arguments: &'s str,
}

/// The arguments of `executor.map(...)` for the loop's work `call`: the function, then one
/// iterable per positional argument — the items themselves for the loop target, a generator
/// for an expression of it, `itertools.repeat(value)` for a loop-invariant value. `None` when
/// the call has keywords, starred arguments, or more than one argument that depends on the item.
pub(crate) fn map_arguments(
    checker: &Checker,
    independent: &IndependentLoop,
    call: &ast::ExprCall,
    edits: &mut Vec<Edit>,
) -> Option<String> {
    let depends = |expr: &Expr| {
        expr_names(expr)
            .free()
            .iter()
            .any(|name| independent.iteration_names.contains(name))
    };
    if depends(&call.func) {
        return None;
    }
    let function = checker.source.slice(call.func.range()).to_string();
    // Keywords that do not change per item are bound once: `partial(f, timeout=10)`.
    let function = if call.arguments.keywords.is_empty() {
        function
    } else {
        if call
            .arguments
            .keywords
            .iter()
            .any(|keyword| keyword.arg.is_none() || depends(&keyword.value))
        {
            return None;
        }
        let partial = import_member(
            checker,
            "functools",
            "partial",
            ImportStyle::Module,
            call.start(),
        )?;
        edits.extend(partial.edit);
        let keywords: Vec<&str> = call
            .arguments
            .keywords
            .iter()
            .map(|keyword| checker.source.slice(keyword.range()))
            .collect();
        format!("{}({function}, {})", partial.text, keywords.join(", "))
    };
    let mut dependent = 0;
    let mut parts = vec![function];
    for argument in &*call.arguments.args {
        if matches!(argument, Expr::Starred(_)) {
            return None;
        }
        if depends(argument) {
            dependent += 1;
            parts.push(items_for(checker, independent, argument));
        } else {
            let repeat = import_member(
                checker,
                "itertools",
                "repeat",
                ImportStyle::Module,
                call.start(),
            )?;
            edits.extend(repeat.edit);
            parts.push(format!(
                "{}({})",
                repeat.text,
                checker.source.slice(argument.range())
            ));
        }
    }
    (dependent == 1).then(|| parts.join(", "))
}

/// `xs` when the argument is the loop target and nothing filters, else `(arg for x in xs if c)`.
fn items_for(checker: &Checker, independent: &IndependentLoop, argument: &Expr) -> String {
    let is_target =
        matches!((argument, independent.target), (Expr::Name(a), Expr::Name(t)) if a.id == t.id);
    if is_target && independent.conditions.is_empty() {
        return match independent.iter {
            // `for x in a, *b:` iterates a tuple: pass that tuple, not its parts as arguments.
            Expr::Tuple(tuple) if !tuple.parenthesized => {
                grouped_tuple(checker.source.slice(independent.iter.range()), tuple)
            }
            Expr::Starred(_) => format!("({},)", checker.source.slice(independent.iter.range())),
            iter => checker.source.slice(iter.range()).to_string(),
        };
    }
    generator_text(checker, independent, checker.source.slice(argument.range()))
}

/// `(element for target in iter if condition ...)`, from the loop's own source text.
pub fn generator_text(checker: &Checker, independent: &IndependentLoop, element: &str) -> String {
    let text = |expr: &Expr| checker.source.slice(expr.range()).to_string();
    let grouped = |expr: &Expr| match expr {
        Expr::Tuple(tuple) if !tuple.parenthesized => grouped_tuple(&text(expr), tuple),
        // `for x in *values:` iterates the one-element tuple `(*values,)`.
        Expr::Starred(_) => format!("({},)", text(expr)),
        _ if needs_grouping_in_comprehension(expr) => format!("({})", text(expr)),
        _ => text(expr),
    };
    let mut generator = format!(
        "({element} for {} in {}",
        grouped(independent.target),
        grouped(independent.iter)
    );
    for condition in &independent.conditions {
        generator.push_str(&format!(" if {}", grouped(condition)));
    }
    generator.push(')');
    generator
}

/// An unparenthesised tuple's text in parentheses, with the trailing comma a one-element
/// tuple needs (`*values` → `(*values,)`).
fn grouped_tuple(text: &str, tuple: &ast::ExprTuple) -> String {
    if tuple.elts.len() == 1 && !text.trim_end().ends_with(',') {
        format!("({text},)")
    } else {
        format!("({text})")
    }
}

/// Whether `expr` must be parenthesised after `in` or `if` in a comprehension: those take an
/// `or_test`, so conditional expressions, lambdas, walrus and bare tuples need grouping.
pub fn needs_grouping_in_comprehension(expr: &Expr) -> bool {
    match expr {
        Expr::If(_)
        | Expr::Lambda(_)
        | Expr::Named(_)
        | Expr::Yield(_)
        | Expr::YieldFrom(_)
        | Expr::Starred(_) => true,
        Expr::Tuple(tuple) => !tuple.parenthesized,
        _ => false,
    }
}

/// The name of the executor of a new `with` block replacing the statement at `replaced`:
/// `executor`, else `executor_2`, ... — the first name the enclosing function (or the module)
/// either does not use, or uses only as the target of other `with` blocks, each use inside its
/// own block and `replaced` inside none of them. Those are the blocks earlier fixes made, so a
/// fix applied in a later pass takes the same name as the fixes before it: names follow the
/// source order, not the order of the passes.
pub(crate) fn executor_name(checker: &Checker, replaced: TextRange) -> String {
    let (body, text, in_function) = match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => (&def.body[..], checker.source.slice(def.range()), true),
        _ => (checker.module, checker.text(), false),
    };
    (1..)
        .map(|n| match n {
            1 => "executor".to_string(),
            n => format!("executor_{n}"),
        })
        .find(|name| {
            if !contains_word(text, name) {
                // A new local of a function cannot clash with a name its text never mentions.
                return in_function || !checker.semantic.is_module_name(name);
            }
            only_with_targets(body, text, name, replaced)
        })
        .expect("some suffix is free")
}

/// Whether `name` occurs in `text` (the source of `body`) only as the target of `with` blocks
/// (`with ... as name:`) and inside those blocks, and `replaced` is inside none of them.
fn only_with_targets(body: &[Stmt], text: &str, name: &str, replaced: TextRange) -> bool {
    let mut uses = WithTargetUses {
        name,
        blocks: Vec::new(),
        targets: Vec::new(),
        stores: Vec::new(),
        loads: Vec::new(),
    };
    uses.visit_body(body);
    let inside_a_block =
        |range: TextRange| uses.blocks.iter().any(|block| block.contains_range(range));
    // Any other occurrence (a parameter, an import, an attribute, a string) is not a Name node.
    count_word(text, name) == uses.stores.len() + uses.loads.len()
        && uses.stores.iter().all(|store| uses.targets.contains(store))
        && uses.loads.iter().all(|&load| inside_a_block(load))
        && !uses
            .blocks
            .iter()
            .any(|block| block.contains_range(replaced) || replaced.contains_range(*block))
}

/// The `with ... as name:` blocks of a body and every use of `name` as a Name.
struct WithTargetUses<'n> {
    name: &'n str,
    blocks: Vec<TextRange>,
    targets: Vec<TextRange>,
    stores: Vec<TextRange>,
    loads: Vec<TextRange>,
}

impl<'a> Visitor<'a> for WithTargetUses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::With(with) = stmt {
            for item in &with.items {
                if let Some(Expr::Name(target)) = item.optional_vars.as_deref() {
                    if target.id.as_str() == self.name {
                        self.blocks.push(with.range());
                        self.targets.push(target.range());
                    }
                }
            }
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if name.id.as_str() == self.name {
                match name.ctx {
                    ast::ExprContext::Store => self.stores.push(name.range()),
                    _ => self.loads.push(name.range()),
                }
            }
        }
        walk_expr(self, expr);
    }
}

pub(crate) fn has_comment(checker: &Checker, range: TextRange) -> bool {
    crate::fix::edits::contains_comment(checker.tokens, range)
}

/// The statements of the innermost function (or the module) around the current node.
pub(crate) fn scope_body<'a>(checker: &Checker<'a>) -> Option<&'a [Stmt]> {
    match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => Some(&def.body),
        Some(_) => None,
        None => Some(checker.module),
    }
}

/// Whether an independent `for` loop can be replaced by one statement without losing
/// anything: no per-iteration temporaries, no comments inside, alone on its lines, and no
/// loop variable read after the loop (the replacement does not bind them).
pub fn loop_is_replaceable(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    independent: &IndependentLoop,
) -> bool {
    let Some(body) = scope_body(checker) else {
        return false;
    };
    independent.setup.is_empty()
        && !has_comment(checker, for_stmt.range())
        && stands_alone(checker.source, for_stmt)
        && iteration_names_read_after(independent, for_stmt.end(), body).is_empty()
}

/// `with Pool(args) as executor:` + `body` (one statement), indented like `statement`, as the
/// replacement of `statement`'s lines.
pub(crate) fn with_block(
    checker: &Checker,
    statement: TextRange,
    pool: &str,
    arguments: &str,
    executor: &str,
    body: &str,
) -> Edit {
    let source = checker.source;
    let lines = whole_lines(source, statement);
    let indent = indentation_at(source.text(), lines.start());
    let newline = checker.stylist.line_ending;
    let unit = &checker.stylist.indent_unit;
    Edit::replace(
        lines,
        format!(
            "{indent}with {pool}({arguments}) as {executor}:{newline}{indent}{unit}{body}{newline}"
        ),
    )
}

/// Rewrites an independent `for` loop whose collector is fed by `call`:
/// `out.append(f(x))` → `out.extend(executor.map(f, xs))`, `acc += f(x)` →
/// `acc += sum(executor.map(f, xs))`. `None` (the caller then offers a suggestion only) when
/// the loop holds comments or temporaries, its names are read after it, or the shape differs.
pub fn rewrite_for(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    independent: &IndependentLoop,
    call: &ast::ExprCall,
    spec: &PoolSpec,
) -> Option<Vec<Edit>> {
    if !loop_is_replaceable(checker, for_stmt, independent) {
        return None;
    }
    // The collected value must be exactly the call.
    if independent.collector.value().range() != call.range() {
        return None;
    }
    let mut edits = Vec::new();
    let pool = import_member(
        checker,
        spec.module,
        spec.class,
        ImportStyle::Member,
        for_stmt.start(),
    )?;
    edits.extend(pool.edit);
    let arguments = map_arguments(checker, independent, call, &mut edits)?;
    let executor = executor_name(checker, for_stmt.range());
    let mapped = format!("{executor}.map({arguments})");
    let builtin = match independent.collector {
        Collector::Reduction { .. } => Some("sum"),
        Collector::Effect { .. } => Some("list"),
        _ => None,
    };
    if builtin.is_some_and(|name| shadows_builtin(checker, name)) {
        return None;
    }
    let statement = match independent.collector {
        Collector::Append { list, .. } => format!("{}.extend({mapped})", list.id),
        Collector::Reduction {
            accumulator,
            op: ast::Operator::Add,
            ..
        } => format!("{} += sum({mapped})", accumulator.id),
        // Consumed so that every call finishes inside the block and exceptions propagate.
        Collector::Effect { .. } => format!("list({mapped})"),
        _ => return None,
    };
    edits.push(with_block(
        checker,
        for_stmt.range(),
        &pool.text,
        spec.arguments,
        &executor,
        &statement,
    ));
    Some(edits)
}

/// Rewrites `[f(x) for x in xs]` (or `list(map(f, xs))`, passed as `mapped_iterable`) that is
/// the whole value of an assignment or `return`: the statement moves inside a `with` block
/// and the value becomes `list(executor.map(...))`.
pub fn rewrite_statement_value(
    checker: &Checker,
    value: &Expr,
    map_arguments_text: Option<String>,
    independent: Option<&IndependentLoop>,
    call: Option<&ast::ExprCall>,
    spec: &PoolSpec,
) -> Option<Vec<Edit>> {
    let statement = *checker.statements().last()?;
    let is_whole_value = match statement {
        Stmt::Assign(assign) => assign.value.range() == value.range(),
        Stmt::AnnAssign(assign) => assign
            .value
            .as_ref()
            .is_some_and(|v| v.range() == value.range()),
        Stmt::Return(ret) => ret
            .value
            .as_ref()
            .is_some_and(|v| v.range() == value.range()),
        _ => false,
    };
    if !is_whole_value
        || !replaceable_by_one_line(checker.source, checker.tokens, statement)
        || shadows_builtin(checker, "list")
    {
        return None;
    }
    let mut edits = Vec::new();
    let pool = import_member(
        checker,
        spec.module,
        spec.class,
        ImportStyle::Member,
        statement.start(),
    )?;
    edits.extend(pool.edit);
    let arguments = match (map_arguments_text, independent, call) {
        (Some(text), _, _) => text,
        (None, Some(independent), Some(call)) => {
            if independent.collector.value().range() != call.range() {
                return None;
            }
            map_arguments(checker, independent, call, &mut edits)?
        }
        _ => return None,
    };
    let executor = executor_name(checker, statement.range());
    edits.push(with_block_replacing(
        checker,
        statement.range(),
        value.range(),
        &format!("list({executor}.map({arguments}))"),
        (&pool.text, spec.arguments, &executor),
    ));
    Some(edits)
}

/// [`with_block`] for the one-line `statement` with the text of `replaced` (inside it)
/// swapped for `replacement`; `pool` is the pool's name, its arguments and the executor's
/// name.
pub(crate) fn with_block_replacing(
    checker: &Checker,
    statement: TextRange,
    replaced: TextRange,
    replacement: &str,
    (pool, arguments, executor): (&str, &str, &str),
) -> Edit {
    let text = checker.source.slice(statement);
    let start = usize::from(replaced.start() - statement.start());
    let end = usize::from(replaced.end() - statement.start());
    let new_statement = format!("{}{replacement}{}", &text[..start], &text[end..]);
    with_block(
        checker,
        statement,
        pool,
        arguments,
        executor,
        &new_statement,
    )
}

/// Whether the enclosing function (or, at module level, the module) binds `name` itself: a
/// rewrite that calls the builtin `name` (`sum`, `list`) would call that value instead.
pub(crate) fn shadows_builtin(checker: &Checker, name: &str) -> bool {
    match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => {
            crate::analysis::names::function_locals(def).contains(name)
                || checker.semantic.is_module_name(name)
        }
        _ => checker.semantic.is_module_name(name),
    }
}
