//! PAR401 unpicklable-callable: a lambda, nested function or local class handed to a process
//! pool or `Process`, which must pickle it.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::names::{
    containing_body, expr_names, function_locals, function_names, lambda_names, stmt_names,
};
use crate::analysis::semantic::{
    Binding, BindingKind, PoolKind, Runner, RunnerCall, ScopeKind, StartMethod,
};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::{contains_word, stands_alone, unused_name, whole_lines};
use crate::fix::imports::{import_member, ImportStyle};
use crate::fix::indent;
use crate::rules::{FixAvailability, RuleSpec};
use crate::source::indentation_at;

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR401",
    name: "unpicklable-callable",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A lambda, nested function or locally defined class is passed to a process pool or `Process`, which must pickle it",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `lambda`, a function defined inside another function, or a class defined inside a
function (its instances and their methods too) passed to a process pool or a process:
`ProcessPoolExecutor.map`/`submit`, `multiprocessing.Pool.map`/`imap`/`imap_unordered`/
`starmap`/`apply`/`apply_async`/`map_async`/`starmap_async`, `loop.run_in_executor` with a
process pool, a pool's `initializer=`, and `multiprocessing.Process(target=...)`. Pools are
followed through `with ... as pool`, assignments, `self.pool = ...` and annotations, and
imports through every alias (`import multiprocessing as mp`, `from concurrent.futures
import ProcessPoolExecutor as PPE`, `mp.get_context("spawn").Pool()`).

Thread pools and `threading.Thread` never pickle, so they are not flagged; neither is
`Process(target=...)` under an explicit `fork` context.

## Why is this bad?
A process pool sends each task to a worker process by pickling the callable, and pickle
stores functions by their importable, module-level name. A lambda (`<lambda>`), a nested
function (`outer.<locals>.work`) or a local class cannot be found that way, so the call
fails with `PicklingError: Can't pickle <function <lambda>>` — CPU-bound work that was
meant to run on every core never runs. `Process(target=...)` pickles its target under the
`spawn` and `forkserver` start methods: the default on macOS and Windows, and on Linux from
Python 3.14, so code that worked on a Linux laptop fails on a colleague's Mac.

## Example
```python
from concurrent.futures import ProcessPoolExecutor

def checksum(block, seed):
    total = seed
    for byte in block:
        total = (total * 31 + byte) % 1_000_003
    return total

def checksums(blocks, seed):
    with ProcessPoolExecutor() as executor:
        return list(executor.map(lambda block: checksum(block, seed), blocks))
```

Use instead:
```python
import functools
from concurrent.futures import ProcessPoolExecutor

def checksum(block, seed):
    total = seed
    for byte in block:
        total = (total * 31 + byte) % 1_000_003
    return total

def _checksums_task(seed, block):
    return checksum(block, seed)


def checksums(blocks, seed):
    with ProcessPoolExecutor() as executor:
        return list(executor.map(functools.partial(_checksums_task, seed), blocks))
```

## Fix
A lambda or nested function that uses only its parameters and module-level names is moved
to a module-level function (a new name that clashes with nothing in the file, or the nested
function's own name when that is free). One that reads local variables of the enclosing
function becomes `functools.partial(hoisted, captured, ...)`, the captured values passed as
leading parameters. A module-level `f = lambda ...` becomes `def f(...)`. Otherwise (a local
class, `nonlocal` state, a decorated or async function, a captured value that is itself
unpicklable) the suggested code is shown but not applied.

## Fix safety
Unsafe: `functools.partial` binds the captured values when the call is made, where the
closure would read them when the task runs; the hoisted function also changes the
function's `__qualname__`.
"#;

/// What cannot be pickled, and how it was written at the call.
enum Unpicklable<'a> {
    /// `lambda` written at the call.
    Lambda(&'a ast::ExprLambda),
    /// A name bound to a lambda.
    LambdaVariable {
        reference: &'a ast::ExprName,
        lambda: &'a ast::ExprLambda,
        binding: Binding<'a>,
    },
    /// A name bound to a function defined inside another function.
    NestedFunction {
        reference: &'a ast::ExprName,
        def: &'a ast::StmtFunctionDef,
    },
    /// A class defined inside a function, an instance of it, or one of its methods.
    LocalClass {
        class: &'a ast::StmtClassDef,
        what: &'static str,
    },
}

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let pickles = match run.runner {
        Runner::Pool(kind) => kind.pickles_callables(),
        Runner::Process(method) => method != StartMethod::Fork,
        Runner::Thread => false,
    };
    if !pickles {
        return;
    }
    let callable = unwrap_partial(checker, run.callable);
    let Some(found) = classify(checker, callable) else {
        return;
    };
    let what = match &found {
        Unpicklable::Lambda(_) => "A `lambda`".to_string(),
        Unpicklable::LambdaVariable { reference, .. } => format!("`{}` (a lambda)", reference.id),
        Unpicklable::NestedFunction { def, .. } => format!("Nested function `{}`", def.name),
        Unpicklable::LocalClass { class, what } => {
            format!("{what} of local class `{}`", class.name)
        }
    };
    let message = format!(
        "{what} passed to {} cannot be pickled: {}; define it at module level so the worker processes can import it",
        describe_entry(&run),
        why(&run)
    );
    let fix = build_fix(checker, &found, call.start());
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

fn describe_entry(run: &RunnerCall) -> String {
    match run.runner {
        Runner::Pool(kind) => match run.entry {
            "initializer" => format!("`{}(initializer=...)`", kind.class_name()),
            "run_in_executor" => format!("`run_in_executor` with a `{}`", kind.class_name()),
            entry => format!("`{}.{entry}`", kind.class_name()),
        },
        Runner::Process(_) => "`multiprocessing.Process(target=...)`".to_string(),
        Runner::Thread => "`Thread`".to_string(),
    }
}

fn why(run: &RunnerCall) -> &'static str {
    match run.runner {
        Runner::Pool(PoolKind::InterpreterExecutor) => {
            "an interpreter pool pickles each task's callable to send it to a worker interpreter"
        }
        Runner::Pool(_) if run.entry == "initializer" => {
            "the initializer is pickled to start worker processes under the spawn and forkserver start methods (the default on macOS, Windows, and Linux from Python 3.14)"
        }
        Runner::Pool(_) => "a process pool pickles each task's callable to send it to a worker process",
        _ => "the target is pickled to start the process under the spawn and forkserver start methods (the default on macOS, Windows, and Linux from Python 3.14)",
    }
}

/// `functools.partial(f, ...)` → `f`.
fn unwrap_partial<'a>(checker: &Checker<'a>, callable: &'a Expr) -> &'a Expr {
    if let Expr::Call(call) = callable {
        if checker
            .semantic
            .resolves_to(&call.func, "functools.partial")
        {
            if let Some(inner) = call.arguments.args.first() {
                return inner;
            }
        }
    }
    callable
}

fn classify<'a>(checker: &Checker<'a>, callable: &'a Expr) -> Option<Unpicklable<'a>> {
    match callable {
        Expr::Lambda(lambda) => Some(Unpicklable::Lambda(lambda)),
        Expr::Name(name) => {
            let binding = checker.semantic.lookup(name.id.as_str(), name.start())?;
            match binding.kind {
                BindingKind::Lambda(lambda) => Some(Unpicklable::LambdaVariable {
                    reference: name,
                    lambda,
                    binding,
                }),
                BindingKind::Function(def) if !binding.module_level => {
                    Some(Unpicklable::NestedFunction {
                        reference: name,
                        def,
                    })
                }
                BindingKind::Class(class) if !binding.module_level => {
                    Some(Unpicklable::LocalClass {
                        class,
                        what: "Constructor",
                    })
                }
                BindingKind::Instance(class) => Some(Unpicklable::LocalClass {
                    class,
                    what: "Instance",
                }),
                _ => None,
            }
        }
        Expr::Attribute(attribute) => {
            let class = match attribute.value.as_ref() {
                Expr::Name(base) => match checker
                    .semantic
                    .lookup(base.id.as_str(), base.start())?
                    .kind
                {
                    BindingKind::Instance(class) => class,
                    _ => return None,
                },
                Expr::Call(call) => match call.func.as_ref() {
                    Expr::Name(class_name) => {
                        let binding = checker
                            .semantic
                            .lookup(class_name.id.as_str(), class_name.start())?;
                        match binding.kind {
                            BindingKind::Class(class) if !binding.module_level => class,
                            _ => return None,
                        }
                    }
                    _ => return None,
                },
                _ => return None,
            };
            Some(Unpicklable::LocalClass {
                class,
                what: "Method",
            })
        }
        _ => None,
    }
}

/// Where hoisted definitions go: before the top-level statement holding the call.
fn hoist_point(checker: &Checker) -> TextSize {
    checker
        .top_level_statement()
        .map_or(TextSize::default(), |stmt| {
            checker.source.line_start(stmt.start())
        })
}

/// Which of `free` names are locals of the enclosing functions (and so must be passed in).
/// `None` when one of them is itself unpicklable.
fn captured_names<'a, 'n>(
    checker: &Checker<'a>,
    free: &[&'n str],
    at: TextSize,
) -> Option<Vec<&'n str>> {
    let mut captured = Vec::new();
    let mut function_scopes = Vec::new();
    for scope in checker.semantic.scopes().iter().rev() {
        match scope.kind {
            ScopeKind::Function(def) => function_scopes.push(Scope::Locals(function_locals(def))),
            ScopeKind::Lambda(lambda) => {
                let names = lambda
                    .parameters
                    .iter()
                    .flat_map(|parameters| parameters.iter().map(|p| p.name().as_str()))
                    .collect();
                function_scopes.push(Scope::Locals(names));
            }
            ScopeKind::Comprehension => function_scopes.push(Scope::Comprehension(scope)),
            ScopeKind::Class(_) | ScopeKind::Module => {}
        }
    }
    for name in free {
        let local = function_scopes.iter().any(|scope| match scope {
            Scope::Locals(names) => names.contains(*name),
            Scope::Comprehension(scope) => scope.binds(name),
        });
        if !local {
            continue;
        }
        let unpicklable = checker.semantic.lookup(name, at).is_some_and(|binding| {
            matches!(
                binding.kind,
                BindingKind::Lambda(_) | BindingKind::Instance(_) | BindingKind::Pool(_)
            ) || matches!(binding.kind, BindingKind::Function(_) | BindingKind::Class(_) if !binding.module_level)
        });
        if unpicklable {
            return None;
        }
        captured.push(*name);
    }
    Some(captured)
}

enum Scope<'s, 'a> {
    Locals(rustc_hash::FxHashSet<&'a str>),
    Comprehension(&'s crate::analysis::semantic::Scope<'a>),
}

/// `name` or `functools.partial(name, a, b)`, with the import the latter needs.
fn reference_text(
    checker: &Checker,
    name: &str,
    captured: &[&str],
    at: TextSize,
) -> Option<(String, Option<Edit>)> {
    if captured.is_empty() {
        return Some((name.to_string(), None));
    }
    let partial = import_member(checker, "functools", "partial", ImportStyle::Module, at)?;
    Some((
        format!("{}({name}, {})", partial.text, captured.join(", ")),
        partial.edit,
    ))
}

/// A module-level `def` equivalent to `lambda`, taking `captured` first.
fn lambda_as_def(
    checker: &Checker,
    name: &str,
    captured: &[&str],
    lambda: &ast::ExprLambda,
    indent_prefix: &str,
) -> Option<String> {
    let newline = checker.stylist.line_ending;
    let unit = &checker.stylist.indent_unit;
    let mut parameters: Vec<String> = captured.iter().map(ToString::to_string).collect();
    if let Some(own) = &lambda.parameters {
        parameters.push(checker.source.slice(own.range()).to_string());
    }
    let body = lambda_body_text(checker, lambda)?;
    Some(format!(
        "def {name}({}):{newline}{indent_prefix}{unit}return {body}",
        parameters.join(", ")
    ))
}

/// The lambda's body as source for a `return`: with its own parentheses when it has them (so
/// comments inside survive), wrapped in new ones when it spans lines. `None` when a comment
/// would be lost.
fn lambda_body_text(checker: &Checker, lambda: &ast::ExprLambda) -> Option<String> {
    let tokens = checker.tokens;
    let body = lambda.body.range();
    let significant = |token: &&ruff_python_ast::token::Token| !token.kind().is_trivia();
    let before = tokens[..tokens.partition_point(|t| t.start() < body.start())]
        .iter()
        .rev()
        .find(significant);
    let after = tokens[tokens.partition_point(|t| t.start() < body.end())..]
        .iter()
        .find(significant);
    if let (Some(open), Some(close)) = (before, after) {
        if open.kind() == TokenKind::Lpar
            && close.kind() == TokenKind::Rpar
            && open.start() > lambda.start()
        {
            return Some(
                checker
                    .source
                    .slice(TextRange::new(open.start(), close.end()))
                    .to_string(),
            );
        }
    }
    let inside = &tokens[tokens.partition_point(|t| t.start() < lambda.start())..];
    let has_comment = inside
        .iter()
        .take_while(|t| t.start() < body.end())
        .any(|t| t.kind() == TokenKind::Comment);
    if has_comment {
        return None;
    }
    let text = checker.source.slice(body);
    Some(if text.contains(['\n', '\r']) {
        format!("({text})")
    } else {
        text.to_string()
    })
}

fn task_name(checker: &Checker) -> String {
    let base = checker
        .semantic
        .scopes()
        .iter()
        .rev()
        .find_map(|scope| match scope.kind {
            ScopeKind::Function(def) => Some(def.name.as_str().trim_start_matches('_').to_string()),
            _ => None,
        })
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "pool".to_string());
    unused_name(checker.text(), &format!("_{base}_task"))
}

fn build_fix(checker: &Checker, found: &Unpicklable, at: TextSize) -> Fix {
    let fix = match found {
        Unpicklable::Lambda(lambda) => hoist_lambda(checker, lambda, lambda.range(), at),
        Unpicklable::LambdaVariable {
            reference,
            lambda,
            binding,
        } => {
            if binding.module_level {
                module_lambda_to_def(checker, reference.id.as_str(), lambda)
            } else if lambda.range().contains(at) {
                None
            } else {
                hoist_lambda(checker, lambda, reference.range(), at)
            }
        }
        Unpicklable::NestedFunction { reference, def } => {
            hoist_nested_function(checker, reference, def, at)
        }
        Unpicklable::LocalClass { .. } => None,
    };
    fix.unwrap_or_else(|| suggestion(checker, found))
}

/// The display-only suggestion: what to do, and (for a class) the class moved to module level.
fn suggestion(checker: &Checker, found: &Unpicklable) -> Fix {
    match found {
        Unpicklable::LocalClass { class, .. } => {
            let edits = move_to_module_level(checker, class.range(), None, &[]).unwrap_or_default();
            Fix::display_only(
                format!("Move class `{}` to module level (and pass what it uses from the enclosing function as arguments)", class.name),
                edits,
            )
        }
        _ => Fix::display_only(
            "Define the callable as a module-level function and pass the values it needs as arguments (`functools.partial`)",
            Vec::new(),
        ),
    }
}

fn hoist_lambda(
    checker: &Checker,
    lambda: &ast::ExprLambda,
    replace: TextRange,
    at: TextSize,
) -> Option<Fix> {
    let uses = lambda_names(lambda);
    if uses.suspends {
        return None;
    }
    let captured = captured_names(checker, &uses.free(), at)?;
    let name = task_name(checker);
    let (reference, import) = reference_text(checker, &name, &captured, at)?;
    let newline = checker.stylist.line_ending;
    let definition = lambda_as_def(checker, &name, &captured, lambda, "")?;
    let mut edits = vec![
        Edit::insert(
            hoist_point(checker),
            format!("{definition}{newline}{newline}{newline}"),
        ),
        Edit::replace(replace, reference),
    ];
    edits.extend(import);
    let message = if captured.is_empty() {
        format!("Move the lambda to a module-level function `{name}`")
    } else {
        format!("Move the lambda to a module-level function `{name}` and bind `{}` with `functools.partial`", captured.join("`, `"))
    };
    Some(Fix::unsafe_(message, edits))
}

/// `f = lambda x: ...` at module level → `def f(x): return ...`.
fn module_lambda_to_def(checker: &Checker, name: &str, lambda: &ast::ExprLambda) -> Option<Fix> {
    if checker.semantic.module_binding_count(name) != 1 {
        return None;
    }
    let assign = checker.module.iter().find(|stmt| match stmt {
        Stmt::Assign(assign) => {
            assign.targets.len() == 1
                && matches!(&assign.targets[0], Expr::Name(target) if target.id.as_str() == name)
                && assign.value.range() == lambda.range()
        }
        _ => false,
    })?;
    if !stands_alone(checker.source, assign) {
        return None;
    }
    let definition = lambda_as_def(checker, name, &[], lambda, "")?;
    Some(Fix::unsafe_(
        format!("Define `{name}` with `def` so it can be pickled"),
        vec![Edit::replace(assign.range(), definition)],
    ))
}

fn hoist_nested_function(
    checker: &Checker,
    reference: &ast::ExprName,
    def: &ast::StmtFunctionDef,
    at: TextSize,
) -> Option<Fix> {
    // A function handing itself to a pool from its own body cannot be moved from under
    // the call.
    if def.is_async || !def.decorator_list.is_empty() || def.range().contains(at) {
        return None;
    }
    let uses = function_names(def, true);
    if uses.declares_outer {
        return None;
    }
    // Defaults are evaluated where the function is defined: they must not need local values.
    let mut free = uses.free();
    for parameter in def.parameters.iter() {
        if let Some(default) = parameter.default() {
            let default_uses = expr_names(default);
            if !captured_names(checker, &default_uses.free(), at)?.is_empty() {
                return None;
            }
        }
    }
    free.retain(|name| *name != def.name.as_str());
    let captured = captured_names(checker, &free, at)?;
    let top = checker.top_level_statement()?;
    let old_name = def.name.as_str();
    let references = stmt_names(top).load_count(old_name);
    let text = checker.text();
    let top_range = top.range();
    let used_outside = contains_word(&text[..usize::from(top_range.start())], old_name)
        || contains_word(&text[usize::from(top_range.end())..], old_name);
    let keep_name = !used_outside && !checker.semantic.is_module_name(old_name);
    let other_references = references > 1;
    if other_references && (!captured.is_empty() || !keep_name) {
        return None;
    }
    let new_name = if keep_name {
        old_name.to_string()
    } else {
        unused_name(text, &format!("_{}", old_name.trim_start_matches('_')))
    };
    let edits = move_to_module_level(checker, def.range(), Some((old_name, &new_name)), &captured)?;
    let (reference_text, import) = reference_text(checker, &new_name, &captured, at)?;
    let mut edits = edits;
    edits.push(Edit::replace(reference.range(), reference_text));
    edits.extend(import);
    let message = if captured.is_empty() {
        format!("Move `{old_name}` to module level")
    } else {
        format!(
            "Move `{old_name}` to module level and bind `{}` with `functools.partial`",
            captured.join("`, `")
        )
    };
    Some(Fix::unsafe_(message, edits))
}

/// Edits that move the definition at `range` (a nested `def` or `class`, alone on its lines)
/// to module level before the current top-level statement, optionally renamed and taking
/// `captured` as leading parameters. An emptied block gets `pass`.
fn move_to_module_level(
    checker: &Checker,
    range: TextRange,
    rename: Option<(&str, &str)>,
    captured: &[&str],
) -> Option<Vec<Edit>> {
    let source = checker.source;
    let top = checker.top_level_statement()?;
    let body = containing_body(std::slice::from_ref(top), range)?;
    let stmt = body.iter().find(|stmt| stmt.range() == range)?;
    if !stands_alone(source, stmt) {
        return None;
    }
    let lines = whole_lines(source, range);
    let prefix = indentation_at(source.text(), lines.start()).to_string();
    let mut moved = indent::dedent(source.text(), checker.tokens, lines, &prefix);
    if let Some((old, new)) = rename {
        let header = format!("def {old}");
        let position = moved.find(&header)?;
        moved.replace_range(position..position + header.len(), &format!("def {new}"));
        if !captured.is_empty() {
            let open = position + moved[position..].find('(')?;
            let rest = moved[open + 1..].trim_start();
            let separator = if rest.starts_with(')') { "" } else { ", " };
            moved.insert_str(open + 1, &format!("{}{separator}", captured.join(", ")));
        }
    }
    let newline = checker.stylist.line_ending;
    if !moved.ends_with('\n') {
        moved.push_str(newline);
    }
    let removal = if body.len() == 1 {
        Edit::replace(lines, format!("{prefix}pass{newline}"))
    } else if std::ptr::eq(&body[0], stmt) {
        // The definition opened its block: take the blank lines after it too.
        let mut end = lines.end();
        while usize::from(end) < source.text().len()
            && source.line_text(source.row(end)).trim().is_empty()
        {
            end = source.next_line_start(end);
        }
        Edit::delete(TextRange::new(
            lines.start(),
            end.min(source.line_start(body[1].start())),
        ))
    } else {
        Edit::delete(lines)
    };
    Some(vec![
        Edit::insert(
            checker.source.line_start(top.start()),
            format!("{moved}{newline}{newline}"),
        ),
        removal,
    ])
}
