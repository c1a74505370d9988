//! PAR306 sequential-dataframe-reads: files read into DataFrames one after another.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{Collector, IndependentLoop};
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::fix::edits::replaceable_by_one_line;
use crate::fix::imports::{import_member, ImportStyle};
use crate::fix::pool_rewrite::{executor_name, map_arguments, rewrite_for, with_block_replacing};
use crate::rules::cpu::candidates::header_range;
use crate::rules::io::candidates::THREAD_POOL;
use crate::rules::vectorize::rewrite::short;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR306",
    name: "sequential-dataframe-reads",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "Files read into DataFrames one after another: read them with a thread pool (or `dask.dataframe`)",
    docs: DOCS,
    kinds: &[NodeKind::Call, NodeKind::For],
    call_tails: &["concat"],
    check,
};

const DOCS: &str = r#"## What it does
Flags pandas reading many files one after another:
`pd.concat([pd.read_csv(f) for f in files])` (also a generator, `map(pd.read_csv, files)`,
and the other `pd.read_*` readers), and `for` loops that append `pd.read_*(f)` to a list,
store it in a dict per file, or grow a DataFrame with `df = pd.concat([df, pd.read_csv(f)])`.
This rule owns pandas reads: PAR202 (sequential-file-io) leaves them to it while it is enabled.

## Why is this bad?
Each read waits for the disk (or object storage) and then parses in C code that releases the
GIL for much of its work: reading the files with a thread pool overlaps the waits and part
of the parsing, a data-parallel load over files. Growing a DataFrame with `concat` in a loop
also copies everything read so far on every iteration (quadratic). For data larger than
memory, `dask.dataframe.read_csv("data/*.csv")` reads the files lazily and in parallel.

## Example
```python
import pandas as pd

frames = pd.concat([pd.read_csv(path) for path in paths])
```

Use instead:
```python
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

with ThreadPoolExecutor(max_workers=8) as executor:
    frames = pd.concat(executor.map(pd.read_csv, paths))
```

## Fix
The statement holding `pd.concat(...)` moves inside `with ThreadPoolExecutor(max_workers=8)
as executor:` and the comprehension becomes `executor.map(...)` (keyword arguments that do
not change per file are bound with `functools.partial`); `executor.map` returns the frames in
the order of the files, so the result is the same. A loop appending the frames becomes
`frames.extend(executor.map(...))` inside the same `with` block.

Loops as real code writes them (a temporary, `df = pd.concat([df, part])` or
`df = df.append(part)`, a progress print, a `continue` filter) are **outlined** when the
loop decomposition finds the iterations independent: the per-file work becomes a worker
function mapped over the files in the pool, and the parent keeps, concatenates or prints
each result in file order. Other shapes (frames kept by an inner loop, statements with
comments) get a display-only suggestion; `dask.dataframe` is mentioned in the message only.

## Fix safety
Unsafe: the files are read concurrently, so a reader with side effects, or an error in one
file, surfaces in a different order (the first error is still raised), and up to eight files
are held in memory at once.
"#;

/// pandas readers, and whether `dask.dataframe` has one of the same name.
fn reader(name: &str) -> Option<bool> {
    Some(match name {
        "read_csv" | "read_table" | "read_parquet" | "read_json" | "read_fwf" | "read_orc"
        | "read_hdf" | "read_sql_table" => true,
        "read_excel" | "read_feather" | "read_pickle" | "read_xml" | "read_stata" | "read_sas"
        | "read_spss" => false,
        _ => return None,
    })
}

/// The reader a callee names (`read_csv` for `pd.read_csv`), when it is a pandas reader.
fn pandas_reader<'a>(checker: &Checker<'a>, func: &'a Expr) -> Option<&'a str> {
    let tail = checker.semantic.resolved_tail(func)?;
    reader(tail)?;
    let name = checker.semantic.qualified_name(func)?;
    (name.segments() == ["pandas", tail]).then_some(tail)
}

/// Whether `call` is a pandas read (so PAR202 can leave it to this rule).
pub fn is_pandas_read<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    checker.settings.is_enabled(&RULE) && pandas_reader(checker, &call.func).is_some()
}

fn message(checker: &Checker, reader: &str, files: &Expr, shape: &str) -> String {
    let dask = if self::reader(reader) == Some(true) {
        format!("`dask.dataframe.{reader}(...)`")
    } else {
        "`dask.dataframe`".to_string()
    };
    format!(
        "data-parallel file reads: {shape} `pd.{reader}` reads the files of `{}` one at a time; read them with a thread pool (ThreadPoolExecutor.map keeps their order), or {dask} for data larger than memory",
        short(checker, files)
    )
}

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    if checker.semantic.in_async_function() {
        return;
    }
    match node {
        Node::Expr(Expr::Call(call)) => check_concat(checker, call),
        Node::Stmt(Stmt::For(for_stmt)) => check_loop(checker, for_stmt),
        _ => {}
    }
}

fn check_concat<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall) {
    if checker.semantic.resolved_tail(&call.func) != Some("concat")
        || !checker.semantic.resolves_to(&call.func, "pandas.concat")
    {
        return;
    }
    let Some(objs) = call
        .arguments
        .args
        .first()
        .or_else(|| crate::analysis::semantic::keyword(call, "objs"))
    else {
        return;
    };
    let (independent, read) = match objs {
        Expr::ListComp(ast::ExprListComp {
            elt, generators, ..
        })
        | Expr::Generator(ast::ExprGenerator {
            elt, generators, ..
        }) => {
            let Expr::Call(read) = &**elt else {
                return;
            };
            let Some(independent) = crate::analysis::loops::independent_comprehension(
                elt,
                generators,
                &checker.semantic,
            ) else {
                return;
            };
            (Some(independent), read)
        }
        Expr::Call(map) => {
            // `map(pd.read_csv, files)` or `list(map(...))`
            let map = match &*map.func {
                Expr::Name(name) if name.id.as_str() == "list" => match &*map.arguments.args {
                    [Expr::Call(inner)] => inner,
                    _ => return,
                },
                _ => map,
            };
            let Expr::Name(name) = &*map.func else {
                return;
            };
            if name.id.as_str() != "map"
                || checker.semantic.lookup("map", name.start()).is_some()
                || map.arguments.args.len() != 2
                || !map.arguments.keywords.is_empty()
            {
                return;
            }
            (None, map)
        }
        _ => return,
    };
    let (reader_name, files) = match &independent {
        Some(independent) => {
            let Some(reader_name) = pandas_reader(checker, &read.func) else {
                return;
            };
            (reader_name, independent.iter)
        }
        None => {
            let Some(reader_name) = pandas_reader(checker, &read.arguments.args[0]) else {
                return;
            };
            (reader_name, &read.arguments.args[1])
        }
    };
    let message = message(checker, reader_name, files, "`pd.concat` of");
    let fix = concat_fix(checker, objs, independent.as_ref(), read).unwrap_or_else(suggestion);
    checker.report(Diagnostic::new(&RULE, message, call.range()).with_fix(Some(fix)));
}

fn suggestion() -> Fix {
    Fix::display_only(
        "Read the files with `ThreadPoolExecutor(max_workers=8).map(pd.read_csv, files)` (results in file order) and concatenate once",
        Vec::new(),
    )
}

/// The statement around `objs` inside `with ThreadPoolExecutor(...) as executor:`, with
/// `objs` replaced by `executor.map(...)`.
fn concat_fix(
    checker: &Checker,
    objs: &Expr,
    independent: Option<&IndependentLoop>,
    read: &ast::ExprCall,
) -> Option<Fix> {
    let statement = *checker.statements().last()?;
    if !matches!(
        statement,
        Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Return(_) | Stmt::Expr(_)
    ) || !replaceable_by_one_line(checker.source, checker.tokens, statement)
    {
        return None;
    }
    let mut edits = Vec::new();
    let pool = import_member(
        checker,
        THREAD_POOL.module,
        THREAD_POOL.class,
        ImportStyle::Member,
        statement.start(),
    )?;
    edits.extend(pool.edit);
    let arguments = match independent {
        Some(independent) => {
            if !matches!(independent.target, Expr::Name(_)) {
                return None;
            }
            map_arguments(checker, independent, read, &mut edits)?
        }
        None => read
            .arguments
            .args
            .iter()
            .map(|argument| checker.source.slice(argument.range()))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let executor = executor_name(checker, statement.range());
    edits.push(with_block_replacing(
        checker,
        statement.range(),
        objs.range(),
        &format!("{executor}.map({arguments})"),
        (&pool.text, THREAD_POOL.arguments, &executor),
    ));
    Some(Fix::unsafe_(
        "Read the files in a `ThreadPoolExecutor(max_workers=8)` (file order kept)",
        edits,
    ))
}

fn check_loop<'a>(checker: &mut Checker<'a>, for_stmt: &'a ast::StmtFor) {
    let compact = compact_loop(checker, for_stmt);
    if let Some(diagnostic) =
        crate::rules::prefer_applicable(compact, || modelled_loop(checker, for_stmt))
    {
        checker.report(diagnostic);
    }
}

/// The compact shapes: one read per item appended or stored, or `df = pd.concat([df, read])`.
fn compact_loop<'a>(checker: &Checker<'a>, for_stmt: &'a ast::StmtFor) -> Option<Diagnostic> {
    if let Some(independent) = checker.independent_for(for_stmt) {
        let Expr::Call(read) = independent.collector.value() else {
            return None;
        };
        let reader_name = pandas_reader(checker, &read.func)?;
        if !matches!(
            independent.collector,
            Collector::Append { .. } | Collector::KeyedStore { .. }
        ) {
            return None;
        }
        let message = message(checker, reader_name, independent.iter, "loop calling");
        let fix = match independent.collector {
            Collector::Append { .. } => {
                rewrite_for(checker, for_stmt, &independent, read, &THREAD_POOL).map(|edits| {
                    Fix::unsafe_(
                        "Read the files in a `ThreadPoolExecutor(max_workers=8)` (file order kept)",
                        edits,
                    )
                })
            }
            _ => None,
        }
        .unwrap_or_else(suggestion);
        return Some(
            Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
        );
    }
    // `df = pd.concat([df, pd.read_csv(f)])`: sequential and quadratic.
    let [Stmt::Assign(assign)] = &*for_stmt.body else {
        return None;
    };
    let [Expr::Name(frame)] = &*assign.targets else {
        return None;
    };
    let Expr::Call(concat) = &*assign.value else {
        return None;
    };
    if !checker.semantic.resolves_to(&concat.func, "pandas.concat") {
        return None;
    }
    let Some(Expr::List(list)) = concat.arguments.args.first() else {
        return None;
    };
    let [Expr::Name(previous), Expr::Call(read)] = &*list.elts else {
        return None;
    };
    if previous.id != frame.id {
        return None;
    }
    let reader_name = pandas_reader(checker, &read.func)?;
    let message = message(
        checker,
        reader_name,
        &for_stmt.iter,
        "loop growing a DataFrame with `pd.concat` and",
    );
    Some(
        Diagnostic::new(&RULE, message, header_range(checker, for_stmt))
            .with_fix(Some(suggestion())),
    )
}

/// Loops the compact shape does not take (a temporary, `df = df.append(part)`, a progress
/// print, a `continue` filter): the dataflow decomposition finds the iterations independent,
/// and the work reads a file per item with a pandas reader. The fix outlines the reads into a
/// worker run by a thread pool; the frames are combined in the parent, in file order.
fn modelled_loop<'a>(checker: &Checker<'a>, for_stmt: &'a ast::StmtFor) -> Option<Diagnostic> {
    use crate::analysis::library::IoKind;
    // A pandas read in the body first: cheaper than the loop's summary and decomposition.
    if checker.in_enclosing_loop(for_stmt)
        || !for_stmt.body.iter().any(|stmt| {
            crate::analysis::names::calls_in(stmt)
                .into_iter()
                .any(|call| pandas_reader(checker, &call.func).is_some())
        })
    {
        return None;
    }
    let facts = checker.loop_model(for_stmt);
    let iteration = &facts.iteration;
    if iteration.affinity.is_some()
        || iteration
            .blocking
            .iter()
            .any(|blocking| !matches!(blocking.kind, IoKind::File))
    {
        return None;
    }
    let model = facts.model().as_ref().ok()?;
    if !model.keeps_results() || facts.changes_shared_state(model) {
        return None;
    }
    if model.calls_methods_of_self() {
        return None;
    }
    let per_item_read = |stmt: &'a Stmt| {
        crate::analysis::names::calls_in(stmt)
            .into_iter()
            .filter_map(|call| {
                let reader = pandas_reader(checker, &call.func)?;
                model.varies_per_item(call).then_some(reader)
            })
            .next()
    };
    let (work_end, reader_name) = for_stmt
        .body
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, stmt)| per_item_read(stmt).map(|reader| (index, reader)))?;
    // `df = pd.concat([df, part])` copies everything read so far on every iteration.
    let grows = model.combines.iter().any(|step| {
        step.kind == crate::analysis::loop_model::CombineKind::Reduce
            && matches!(step.stmt, Stmt::Assign(assign) if matches!(assign.value.as_ref(), Expr::Call(_)))
    });
    let shape = if grows {
        "loop growing a DataFrame and calling"
    } else {
        "loop calling"
    };
    let message = message(checker, reader_name, &for_stmt.iter, shape);
    let fix = crate::fix::outline::outline_loop(
        checker,
        model,
        work_end,
        "read_one",
        &crate::fix::outline::Runner::Pool(&THREAD_POOL),
        &|stmt| per_item_read(stmt).is_some(),
    )
    .map(|edits| {
        Fix::unsafe_(
            "Move the per-file reads into `read_one` and run it in a `ThreadPoolExecutor(max_workers=8)` (file order kept)",
            edits,
        )
    })
    .unwrap_or_else(suggestion);
    Some(Diagnostic::new(&RULE, message, header_range(checker, for_stmt)).with_fix(Some(fix)))
}
