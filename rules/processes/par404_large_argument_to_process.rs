//! PAR404 large-argument-to-process: the same big object pickled into every task.

use ruff_python_ast::{self as ast, Expr, Number, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::{keyword, BindingKind, PoolKind, ScopeKind};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR404",
    name: "large-argument-to-process",
    severity: Severity::Warning,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "The same large object (a NumPy array, a DataFrame, file contents) is pickled and sent to the worker processes with every task",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a large object sent unchanged with every task of a process pool:
- `executor.submit(f, big, x)` / `pool.apply_async(f, (big, x))` inside a loop or
  comprehension, where `big` is not the loop's item;
- `pool.map(functools.partial(f, big), xs)` (the partial, and `big` with it, is pickled
  with every chunk of tasks);
- `itertools.repeat(big)` among the iterables of `map`/`starmap`, or `(big, x)` pairs built
  for `starmap`;
- `multiprocessing.Process(target=f, args=(big, ...))` started in a loop.

"Large" means a value this file creates as one: a NumPy array (`np.zeros`, `np.ones`,
`np.empty`, `np.full`, `np.arange`, `np.linspace`, `np.array`, `np.load`, `np.random.*`,
...), a pandas DataFrame or Series (`pd.read_*`, `pd.DataFrame`, `pd.concat`), the contents
of a file (`Path.read_bytes()`, `open(...).read()`), or a parameter annotated `np.ndarray`,
`npt.NDArray`, `pd.DataFrame` or `pd.Series`. Sizes written as literals below 100,000
elements are not large.

## Why is this bad?
Process pools send each task's arguments through a pipe, pickled. A 100 MB array passed
with each of 1,000 tasks is 100 GB of copying: the data-parallel work is swamped by
serialization, and every worker holds its own copies in memory.

## Example
```python
frame = pd.read_parquet("events.parquet")
with ProcessPoolExecutor() as executor:
    futures = [executor.submit(score, frame, user) for user in users]
```

Use instead:
```python
_frame = None

def _share(frame):
    global _frame
    _frame = frame

def score_user(user):
    return score(_frame, user)

with ProcessPoolExecutor(initializer=_share, initargs=(frame,)) as executor:
    futures = [executor.submit(score_user, user) for user in users]
```
For NumPy arrays, `multiprocessing.shared_memory.SharedMemory` avoids even the one copy
per worker.

## Fix
Display-only: the suggestion drops the large argument from the task and passes it once per
worker through the pool's `initializer`/`initargs`; the worker function then reads it from
the module global the initializer sets, which only the author can write.
"#;

/// Literal sizes below this many elements are not worth flagging.
const LARGE_ELEMENTS: u128 = 100_000;

/// What was found, for the message.
struct Finding<'a> {
    /// The large value's name.
    name: &'a ast::ExprName,
    /// `NumPy array`, `DataFrame`, `file contents`.
    what: &'static str,
    /// How it reaches every task.
    how: String,
    /// What the suggestion deletes: the argument (`big`, `repeat(big)`, `image=image`) with
    /// its separating comma.
    removal: Option<Edit>,
}

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(finding) = find(checker, call) else {
        return;
    };
    let message = format!(
        "Large {} `{}` is pickled and sent to the worker processes with every task ({}): the copying can outweigh the data-parallel work; send it once per worker through the pool's `initializer` or `multiprocessing.shared_memory`",
        finding.what, finding.name.id, finding.how
    );
    let suggestion = Fix::display_only(
        format!(
            "Drop `{}` from the task and pass it once per worker: `initializer=<set a module global>, initargs=({},)`",
            finding.name.id, finding.name.id
        ),
        finding.removal.into_iter().collect(),
    );
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(suggestion)));
}

fn find<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<Finding<'a>> {
    // Only a `Process(...)` or a pool method can send a task: reject the rest by name.
    let tail = checker.semantic.resolved_tail(&call.func)?;
    if !(tail.ends_with("Process")
        || matches!(
            tail,
            "submit"
                | "apply_async"
                | "apply"
                | "map"
                | "imap"
                | "imap_unordered"
                | "starmap"
                | "map_async"
                | "starmap_async"
        ))
    {
        return None;
    }
    if checker.semantic.process_constructor(call).is_some() {
        if !in_loop(checker) {
            return None;
        }
        let Some(Expr::Tuple(args)) = keyword(call, "args") else {
            return None;
        };
        return first_large_in_tuple(checker, args, "`Process(args=...)` in a loop".to_string());
    }
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    let kind = checker.semantic.pool_kind(&attribute.value)?;
    if !matches!(
        kind,
        PoolKind::ProcessExecutor | PoolKind::ProcessPool | PoolKind::InterpreterExecutor
    ) {
        return None;
    }
    let method = attribute.attr.as_str();
    let entry = format!("`{}.{method}`", kind.class_name());
    let args = &call.arguments.args;
    match method {
        "submit" | "apply_async" | "apply" if in_loop(checker) => {
            let how = format!("{entry} in a loop");
            if method == "submit" {
                return first_large(checker, args, 1, how.clone())
                    .or_else(|| keyword_large(checker, &call.arguments, &how));
            }
            // `apply_async(f, (big, x))` or `apply_async(f, args=(big, x), kwds={...})`.
            match args.get(1).or_else(|| keyword(call, "args")) {
                Some(Expr::Tuple(tuple)) => first_large_in_tuple(checker, tuple, how),
                _ => None,
            }
        }
        "map" | "imap" | "imap_unordered" | "starmap" | "map_async" | "starmap_async" => {
            let task = args.first()?;
            if let Expr::Call(partial) = task {
                if checker
                    .semantic
                    .resolves_to(&partial.func, "functools.partial")
                {
                    let how = format!("`functools.partial` in {entry}");
                    if let Some(found) =
                        first_large(checker, &partial.arguments.args, 1, how.clone())
                            .or_else(|| keyword_large(checker, &partial.arguments, &how))
                    {
                        return Some(found);
                    }
                }
            }
            for iterable in args.get(1..).unwrap_or_default() {
                if let Some(found) = repeated(checker, iterable, args, &entry) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

/// `itertools.repeat(big)` or `zip(repeat(big), xs)` or `[(big, x) for x in xs]`.
fn repeated<'a>(
    checker: &Checker<'a>,
    iterable: &'a Expr,
    siblings: &'a [Expr],
    entry: &str,
) -> Option<Finding<'a>> {
    match iterable {
        Expr::Call(repeat)
            if checker
                .semantic
                .resolves_to(&repeat.func, "itertools.repeat") =>
        {
            let Expr::Name(name) = repeat.arguments.args.first()? else {
                return None;
            };
            let what = large_kind(checker, name)?;
            Some(Finding {
                name,
                what,
                how: format!("`itertools.repeat` in {entry}"),
                removal: removal(iterable, siblings).map(Edit::delete),
            })
        }
        Expr::Call(zip) if checker.semantic.resolves_to(&zip.func, "builtins.zip") => zip
            .arguments
            .args
            .iter()
            .find_map(|inner| repeated(checker, inner, &zip.arguments.args, entry)),
        Expr::ListComp(ast::ExprListComp { elt, .. })
        | Expr::Generator(ast::ExprGenerator { elt, .. }) => {
            let Expr::Tuple(tuple) = elt.as_ref() else {
                return None;
            };
            first_large_in_tuple(checker, tuple, format!("a tuple per item in {entry}"))
        }
        _ => None,
    }
}

/// The first name among `arguments` (after the first `skip`: the task's function) bound to a
/// large value outside the current loop.
fn first_large<'a>(
    checker: &Checker<'a>,
    arguments: &'a [Expr],
    skip: usize,
    how: String,
) -> Option<Finding<'a>> {
    arguments.iter().skip(skip).find_map(|argument| {
        let Expr::Name(name) = argument else {
            return None;
        };
        let what = large_kind(checker, name)?;
        Some(Finding {
            name,
            what,
            how: how.clone(),
            removal: removal(argument, arguments).map(Edit::delete),
        })
    })
}

/// The same for the elements of a tuple of task arguments (`(big, x)`), whose suggestion
/// rewrites the tuple so that one element left keeps its trailing comma.
fn first_large_in_tuple<'a>(
    checker: &Checker<'a>,
    tuple: &'a ast::ExprTuple,
    how: String,
) -> Option<Finding<'a>> {
    let mut found = first_large(checker, &tuple.elts, 0, how)?;
    let rest: Vec<&str> = tuple
        .elts
        .iter()
        .filter(|element| !matches!(element, Expr::Name(n) if n.id == found.name.id))
        .map(|element| &checker.text()[element.range()])
        .collect();
    let rebuilt = match rest.as_slice() {
        [one] => format!("({one},)"),
        many => format!("({})", many.join(", ")),
    };
    found.removal = Some(Edit::replace(tuple.range(), rebuilt));
    Some(found)
}

/// The first keyword argument (`image=image`) bound to a large value.
fn keyword_large<'a>(
    checker: &Checker<'a>,
    arguments: &'a ast::Arguments,
    how: &str,
) -> Option<Finding<'a>> {
    arguments.keywords.iter().find_map(|keyword| {
        let Expr::Name(name) = &keyword.value else {
            return None;
        };
        let what = large_kind(checker, name)?;
        // From the end of whatever precedes it, so the comma goes too.
        let previous_end = arguments
            .args
            .iter()
            .map(Ranged::end)
            .chain(arguments.keywords.iter().map(Ranged::end))
            .filter(|end| *end <= keyword.start())
            .max();
        Some(Finding {
            name,
            what,
            how: how.to_string(),
            removal: previous_end.map(|end| Edit::delete(TextRange::new(end, keyword.end()))),
        })
    })
}

/// Whether the walk is inside a loop or comprehension of the current function.
fn in_loop(checker: &Checker) -> bool {
    checker
        .statements()
        .iter()
        .rev()
        .take_while(|stmt| !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)))
        .any(|stmt| matches!(stmt, Stmt::For(_) | Stmt::While(_)))
        || checker
            .semantic
            .scopes()
            .iter()
            .rev()
            .take_while(|scope| !scope.is_function_like())
            .any(|scope| matches!(scope.kind, ScopeKind::Comprehension))
}

/// What large thing `name` holds, when it is bound once, outside the current loop, to a value
/// known to be large.
fn large_kind<'a>(checker: &Checker<'a>, name: &'a ast::ExprName) -> Option<&'static str> {
    let binding = checker.semantic.lookup(name.id.as_str(), name.start())?;
    if matches!(
        checker.semantic.binding_scope_kind(name.id.as_str()),
        Some(ScopeKind::Comprehension)
    ) || checker.statements().iter().any(|stmt| {
        matches!(stmt, Stmt::For(_) | Stmt::While(_)) && stmt.range().contains_range(binding.range)
    }) {
        // Rebound per item: a different object each task.
        return None;
    }
    if matches!(binding.kind, BindingKind::Parameter) {
        return annotated_kind(checker, name.id.as_str());
    }
    let value = checker.module_index().bound_values.get(&binding.range)?;
    value_kind(checker, value)
}

/// A parameter of the enclosing function annotated as an array or frame.
fn annotated_kind<'a>(checker: &Checker<'a>, parameter: &str) -> Option<&'static str> {
    let ScopeKind::Function(def) = checker.semantic.enclosing_function_like()?.kind else {
        return None;
    };
    let annotation = def
        .parameters
        .iter()
        .find(|p| p.name().as_str() == parameter)?
        .annotation()?;
    let annotation = match annotation {
        Expr::Subscript(subscript) => subscript.value.as_ref(),
        other => other,
    };
    let name = checker.semantic.qualified_name(annotation)?;
    match name.segments() {
        ["numpy", "ndarray"] | ["numpy", "typing", "NDArray"] => Some("NumPy array"),
        ["pandas", "DataFrame"] => Some("DataFrame"),
        ["pandas", "Series"] => Some("Series"),
        _ => None,
    }
}

/// The kind of large value an expression creates.
fn value_kind<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<&'static str> {
    let Expr::Call(call) = value else {
        return None;
    };
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        // `Path(p).read_bytes()`, `open(p).read()`: a whole file in memory.
        if matches!(attribute.attr.as_str(), "read_bytes" | "read_text" | "read")
            && matches!(attribute.value.as_ref(), Expr::Call(inner)
                if checker.semantic.resolves_to_any(&inner.func, &["pathlib.Path", "builtins.open"]).is_some())
        {
            return Some("file contents");
        }
    }
    let name = checker.semantic.qualified_name(&call.func)?;
    match name.segments() {
        ["numpy", "zeros" | "ones" | "empty" | "full"] => {
            (!small_shape(call.arguments.args.first()?)).then_some("NumPy array")
        }
        ["numpy", "random", function] => {
            let args = &call.arguments.args;
            let size = match *function {
                // `rand(d0, d1, ...)`: the dimensions are the arguments.
                "rand" | "randn" => {
                    if args.is_empty() {
                        return None;
                    }
                    let elements = args.iter().try_fold(1u128, |product, arg| {
                        Some(product.saturating_mul(element_count(arg)?))
                    });
                    return elements
                        .is_none_or(|n| n >= LARGE_ELEMENTS)
                        .then_some("NumPy array");
                }
                "random" | "random_sample" | "sample" | "ranf" => {
                    keyword(call, "size").or_else(|| args.first())
                }
                "seed" | "default_rng" | "RandomState" | "Generator" | "get_state" => return None,
                _ => keyword(call, "size").or_else(|| args.get(2)),
            };
            // No size: one number, not an array.
            (!small_shape(size?)).then_some("NumPy array")
        }
        ["numpy", "arange" | "linspace"] => {
            let count = if name.last() == "linspace" {
                call.arguments.args.get(2).or_else(|| keyword(call, "num"))
            } else {
                call.arguments.args.last()
            };
            (!count.is_some_and(small_shape)).then_some("NumPy array")
        }
        ["numpy", "array" | "asarray"] => {
            let literal = matches!(
                call.arguments.args.first(),
                Some(Expr::List(_) | Expr::Tuple(_))
            );
            (!literal).then_some("NumPy array")
        }
        ["numpy", "load" | "fromfile" | "loadtxt" | "genfromtxt" | "memmap"] => Some("NumPy array"),
        ["pandas", reader] if reader.starts_with("read_") => Some("DataFrame"),
        ["pandas", "concat"] => Some("DataFrame"),
        ["pandas", "DataFrame"] => {
            let literal = matches!(
                call.arguments.args.first(),
                Some(Expr::Dict(_) | Expr::List(_))
            );
            (!literal).then_some("DataFrame")
        }
        _ => None,
    }
}

/// A literal size or shape with fewer than [`LARGE_ELEMENTS`] elements.
fn small_shape(shape: &Expr) -> bool {
    element_count(shape).is_some_and(|elements| elements < LARGE_ELEMENTS)
}

/// The number of elements a literal size or shape (`1000`, `(4000, 4000)`) describes.
fn element_count(expr: &Expr) -> Option<u128> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: Number::Int(int),
            ..
        }) => int.as_u64().map(u128::from),
        Expr::Tuple(tuple) => tuple.elts.iter().try_fold(1u128, |product, e| {
            Some(product.saturating_mul(element_count(e)?))
        }),
        _ => None,
    }
}

/// The edit that removes `argument` (and its separating comma) from `siblings`.
fn removal(argument: &Expr, siblings: &[Expr]) -> Option<TextRange> {
    let index = siblings
        .iter()
        .position(|s| s.range() == argument.range())?;
    let range = if let Some(next) = siblings.get(index + 1) {
        TextRange::new(argument.start(), next.start())
    } else if index > 0 {
        TextRange::new(siblings[index - 1].end(), argument.end())
    } else {
        argument.range()
    };
    Some(range)
}
