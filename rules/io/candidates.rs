//! What PAR201, PAR202 and PAR204 share: a loop making one blocking I/O call per item, of one
//! kind, rewritten into a bounded thread pool.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::{Collector, IndependentLoop};
use crate::analysis::names::{expr_names, function_names};
use crate::analysis::semantic::{BindingKind, ScopeKind};
use crate::analysis::workload::{IoKind, Workload};
use crate::checker::{Checker, Node};
use crate::diagnostic::{Diagnostic, Fix};
use crate::fix::pool_rewrite::{rewrite_for, rewrite_statement_value, PoolSpec};
use crate::rules::cpu::candidates::{header_range, short};
use crate::rules::RuleSpec;

/// Threads for blocking I/O: enough to overlap many waits, bounded so a long list of items
/// does not open hundreds of connections or files at once.
pub const THREAD_POOL: PoolSpec<'static> = PoolSpec {
    module: "concurrent.futures",
    class: "ThreadPoolExecutor",
    arguments: "max_workers=8",
};

/// The per-item call, when it is blocking I/O of `kind` (followed through the module's own
/// functions) and the callable does not itself change per item.
fn io_call<'a>(checker: &Checker<'a>, value: &'a Expr, kind: IoKind) -> Option<IoCall<'a>> {
    let Expr::Call(call) = value else {
        return None;
    };
    let (workload, in_callable) = match checker.workload_of_callable(&call.func) {
        Workload::Unknown => (checker.workload_of_call(call), false),
        known => (known, true),
    };
    if workload.io_kind() != Some(kind) || callee_reports_progress(checker, call) {
        return None;
    }
    Some(IoCall { call, in_callable })
}

/// The per-item call, and whether its function does the I/O. In `process(load(x))` the I/O
/// is in the argument: mapping `process` over a thread pool would still load sequentially,
/// so that shape gets the suggestion only (a helper doing both must be written by hand).
struct IoCall<'a> {
    call: &'a ast::ExprCall,
    in_callable: bool,
}

/// Shapes of per-item I/O that are too stateful to overlap safely, found on the corpus:
/// methods of `self` (django's `self.load_label(label)` loads fixtures that depend on each
/// other), a variable shared by every call (tornado's `_check_file(modify_times, path)`
/// updates the dict it is given), recursion into the enclosing function (loky's
/// `_posix_recursive_kill`), and per-item temporaries (pandas wrapping bytes in a buffer).
fn is_stateful_shape(
    checker: &Checker,
    independent: &IndependentLoop,
    call: &ast::ExprCall,
) -> bool {
    if !independent.setup.is_empty() {
        return true;
    }
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        if matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == "self" || base.id.as_str() == "cls")
        {
            return true;
        }
    }
    if let Expr::Name(name) = call.func.as_ref() {
        let recursive = checker.semantic.scopes().iter().any(|scope| {
            matches!(scope.kind, ScopeKind::Function(def) if def.name.as_str() == name.id.as_str())
        });
        if recursive {
            return true;
        }
    }
    let varies = |expr: &Expr| {
        expr_names(expr)
            .free()
            .iter()
            .any(|name| independent.iteration_names.contains(name))
    };
    call.arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
        .any(|argument| !varies(argument) && !is_literal(argument))
}

/// A constant: the same value for every call, and nothing a call could change.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::UnaryOp(unary) => is_literal(&unary.operand),
        Expr::Tuple(tuple) => tuple.elts.iter().all(is_literal),
        _ => false,
    }
}

/// Whether the called module function prints or logs: run concurrently, its output would
/// interleave, so the loop is left as it is.
fn callee_reports_progress<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> bool {
    let Expr::Name(name) = call.func.as_ref() else {
        return false;
    };
    let Some(BindingKind::Function(def)) = checker
        .semantic
        .lookup(name.id.as_str(), name.start())
        .map(|b| b.kind)
    else {
        return false;
    };
    function_names(def, true).loads.iter().any(|(name, _)| {
        matches!(
            *name,
            "print" | "logging" | "logger" | "log" | "LOGGER" | "_logger"
        )
    })
}

/// Whether the loop runs over a collection written out in the code: a list, tuple, set or
/// dict display, or a name bound once to one (a module constant `FILES = ("a", "b")`). A
/// handful of items gains nothing from a pool. An empty display is filled elsewhere and
/// does not count.
pub fn is_fixed_collection<'a>(checker: &Checker<'a>, iter: &'a Expr) -> bool {
    fixed_collection_size(checker, iter).is_some_and(|size| size > 0)
}

/// How many items a collection written out in the code has (see [`is_fixed_collection`]).
pub fn fixed_collection_size<'a>(checker: &Checker<'a>, iter: &'a Expr) -> Option<usize> {
    let display = |expr: &Expr| match expr {
        Expr::List(list) => Some(list.elts.len()),
        Expr::Tuple(tuple) => Some(tuple.elts.len()),
        Expr::Set(set) => Some(set.elts.len()),
        Expr::Dict(dict) => Some(dict.items.len()),
        _ => None,
    };
    match iter {
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Attribute(method)
                if matches!(method.attr.as_str(), "items" | "keys" | "values")) =>
        {
            let Expr::Attribute(method) = call.func.as_ref() else {
                return None;
            };
            fixed_collection_size(checker, &method.value)
        }
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Name(name)
            if matches!(name.id.as_str(), "enumerate" | "sorted" | "reversed" | "zip")) =>
        {
            call.arguments
                .args
                .first()
                .and_then(|inner| fixed_collection_size(checker, inner))
        }
        Expr::Name(name) => {
            let id = name.id.as_str();
            let module_constant = checker
                .semantic
                .lookup(id, name.start())
                .is_some_and(|binding| binding.module_level)
                .then(|| checker.semantic.module_binding_value(id).and_then(display))
                .flatten();
            module_constant.or_else(|| {
                crate::analysis::names::single_assignment(
                    &checker.semantic,
                    checker.module,
                    id,
                    name.start(),
                )
                .and_then(display)
            })
        }
        // `range(2)`: a handful of items.
        Expr::Call(call)
            if matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "range")
                && call.arguments.args.len() == 1 =>
        {
            match &call.arguments.args[0] {
                Expr::NumberLiteral(number) => match &number.value {
                    ast::Number::Int(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
                    _ => None,
                },
                _ => None,
            }
        }
        other => display(other),
    }
}

/// Checks `node` for a loop of `kind` I/O calls and reports it under `rule`.
pub fn check_io_loop<'a>(
    checker: &mut Checker<'a>,
    node: Node<'a>,
    rule: &'static RuleSpec,
    kind: IoKind,
    what: &str,
) {
    if checker.semantic.in_async_function() {
        // Blocking calls in coroutines are the asyncio rules' concern.
        return;
    }
    match node {
        Node::Stmt(Stmt::For(for_stmt)) => {
            // The compact rewrite where it applies; else the outlined one, which also takes
            // the loops the compact shape reports with a suggestion only.
            let simple = simple_for(checker, for_stmt, rule, kind, what);
            if let Some(diagnostic) = crate::rules::prefer_applicable(simple, || {
                modelled_for(checker, for_stmt, rule, kind, what)
            }) {
                checker.report(diagnostic);
            }
        }
        Node::Expr(expr @ Expr::ListComp(comp)) => {
            let compact = compact_list_comprehension(checker, expr, comp, rule, kind, what);
            if let Some(diagnostic) = crate::rules::prefer_applicable(compact, || {
                modelled_comprehension(checker, expr, rule, kind, what)
            }) {
                checker.report(diagnostic);
            }
        }
        Node::Expr(expr @ (Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_))) => {
            if let Some(diagnostic) = modelled_comprehension(checker, expr, rule, kind, what) {
                checker.report(diagnostic);
            }
        }
        _ => {}
    }
}

/// The compact list-comprehension rewrite: `[f(x) for x in xs]` with `f` doing the I/O.
fn compact_list_comprehension<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    comp: &'a ast::ExprListComp,
    rule: &'static RuleSpec,
    kind: IoKind,
    what: &str,
) -> Option<Diagnostic> {
    let independent = checker.independent_list_comprehension(comp)?;
    let IoCall { call, in_callable } = io_call(checker, &comp.elt, kind)?;
    if is_fixed_collection(checker, independent.iter)
        || is_stateful_shape(checker, &independent, call)
        || crate::rules::vectorize::par306_sequential_dataframe_reads::is_pandas_read(checker, call)
    {
        return None;
    }
    let message = message(checker, &independent, call, what, "comprehension");
    let rewrite = if in_callable {
        rewrite_statement_value(
            checker,
            expr,
            None,
            Some(&independent),
            Some(call),
            &THREAD_POOL,
        )
    } else {
        None
    };
    let fix = rewrite
        .map(|edits| {
            Fix::unsafe_(
                "Run the calls in a `ThreadPoolExecutor(max_workers=8)`",
                edits,
            )
        })
        .unwrap_or_else(suggestion);
    Some(Diagnostic::new(rule, message, expr.range()).with_fix(Some(fix)))
}

/// Comprehensions the compact rewrite does not take: the I/O nested in the element
/// (`requests.get(u).json()["id"]`), a dict or set comprehension, a generator consumed at
/// once by `sum`, `sorted`, `"".join`, ... The element must block on `kind` (not lazily),
/// through a call that reads the item; the conditions must not do I/O themselves; nothing
/// that asks for sequence (a sleep, a database, a lock). The fix maps a lambda of the
/// element over the items in a thread pool.
fn modelled_comprehension<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    rule: &'static RuleSpec,
    kind: IoKind,
    what: &str,
) -> Option<Diagnostic> {
    let comprehension = crate::fix::comprehension::comprehension(checker, expr)?;
    let generator = comprehension.generator;
    let Expr::Name(target) = &generator.target else {
        return None;
    };
    let item = target.id.as_str();
    let blocking_of = |call: &'a ast::ExprCall| checker.call_summary(call);
    let mut work: Option<&'a ast::ExprCall> = None;
    for part in &comprehension.parts {
        for call in crate::analysis::names::calls_in_expr(part) {
            // Methods of `self` share the object's state (a client, a session, counters),
            // as for loops (`LoopModel::calls_methods_of_self`).
            if calls_method_of_self(call) {
                return None;
            }
            let summary = blocking_of(call);
            if summary.blocking.iter().any(|blocking| {
                matches!(
                    blocking.kind,
                    IoKind::Sleep | IoKind::Database | IoKind::Wait
                )
            }) || summary.affinity.is_some()
            {
                return None;
            }
            let reads_item = std::iter::once(&*call.func)
                .chain(call.arguments.args.iter())
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .any(|part| {
                    crate::analysis::names::expr_names(part)
                        .loads
                        .iter()
                        .any(|(name, _)| *name == item)
                });
            if work.is_none()
                && reads_item
                && summary
                    .blocking
                    .iter()
                    .any(|blocking| blocking.kind == kind && !blocking.lazy)
            {
                work = Some(call);
            }
        }
    }
    let call = work?;
    if generator.ifs.iter().any(|condition| {
        crate::analysis::names::calls_in_expr(condition)
            .into_iter()
            .any(|inner| !blocking_of(inner).blocking.is_empty())
    }) {
        return None;
    }
    let iter = &generator.iter;
    let enough = match kind {
        IoKind::Network | IoKind::Subprocess => 4,
        _ => usize::MAX,
    };
    if fixed_collection_size(checker, iter).is_some_and(|size| size > 0 && size < enough)
        || from_command_line(checker, iter)
        || (kind == IoKind::File && !listed_from_disk(checker, iter))
        || crate::rules::vectorize::par306_sequential_dataframe_reads::is_pandas_read(checker, call)
        || callee_reports_progress(checker, call)
        || is_self_recursive(checker, call)
    {
        return None;
    }
    let shape = match expr {
        Expr::DictComp(_) => "dict comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::Generator(_) => "generator",
        _ => "comprehension",
    };
    let message = format!(
        "I/O-bound {shape} {what} one item of `{}` at a time with `{}`; overlap the waits in a thread pool (ThreadPoolExecutor.map)",
        short(checker.source.slice(iter.range())),
        short(checker.source.slice(call.func.range()))
    );
    let fix = crate::fix::comprehension::map_comprehension(checker, &comprehension, &THREAD_POOL)
        .map(|edits| {
            Fix::unsafe_(
                "Map the element over the items in a `ThreadPoolExecutor(max_workers=8)` (order kept)",
                edits,
            )
        })
        .unwrap_or_else(suggestion);
    Some(Diagnostic::new(rule, message, expr.range()).with_fix(Some(fix)))
}

/// The compact rewrite's shape: one collector fed by one call with the item.
fn simple_for<'a>(
    checker: &Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    rule: &'static RuleSpec,
    kind: IoKind,
    what: &str,
) -> Option<Diagnostic> {
    let independent = checker.independent_for(for_stmt)?;
    if !matches!(
        independent.collector,
        Collector::Append { .. } | Collector::Effect { .. }
    ) {
        return None;
    }
    let IoCall { call, in_callable } = io_call(checker, independent.collector.value(), kind)?;
    if is_stateful_shape(checker, &independent, call)
        || independent.conditions.iter().any(|condition| {
            selects_one_value(condition, |name| {
                independent.iteration_names.contains(&name)
            })
        })
        || from_command_line(checker, independent.iter)
        || (kind == IoKind::Subprocess
            && matches!(independent.collector, Collector::Effect { .. })
            && runs_listed_command(checker, call, |name| {
                independent.iteration_names.contains(&name)
            }))
        || crate::rules::vectorize::par306_sequential_dataframe_reads::is_pandas_read(checker, call)
    {
        return None;
    }
    // Copies, deletions and writes of files run for their effect are local-disk work
    // (mostly metadata) that threads barely speed up; reads whose contents the loop
    // collects are the candidates.
    if kind == IoKind::File && matches!(independent.collector, Collector::Effect { .. }) {
        return None;
    }
    if is_fixed_collection(checker, independent.iter) {
        return None;
    }
    let message = message(checker, &independent, call, what, "loop");
    let rewrite = if in_callable {
        rewrite_for(checker, for_stmt, &independent, call, &THREAD_POOL)
    } else {
        None
    };
    let fix = match rewrite {
        Some(edits) => Fix::unsafe_(
            "Run the calls in a `ThreadPoolExecutor(max_workers=8)`",
            edits,
        ),
        None => suggestion(),
    };
    Some(Diagnostic::new(rule, message, header_range(checker, for_stmt)).with_fix(Some(fix)))
}

fn message<'a>(
    checker: &Checker<'a>,
    independent: &IndependentLoop,
    call: &'a ast::ExprCall,
    what: &str,
    shape: &str,
) -> String {
    // Through the module's own helpers: name the path to the I/O.
    let evidence = checker
        .call_summary(call)
        .dominant_blocking()
        .filter(|blocking| blocking.path.len() > 1)
        .map(|blocking| {
            format!(
                " ({})",
                crate::rules::evidence::call_path(checker, &blocking.path)
            )
        })
        .unwrap_or_default();
    format!(
        "I/O-bound {shape} {what} one item of `{}` at a time with `{}`{evidence}; overlap the waits in a thread pool (ThreadPoolExecutor.map)",
        short(checker.source.slice(independent.iter.range())),
        short(checker.source.slice(call.func.range()))
    )
}

fn suggestion() -> Fix {
    Fix::display_only(
        "Map a function doing the whole per-item I/O over the items with `ThreadPoolExecutor(max_workers=8).map` (rewrite by hand: the I/O is in an argument, or the loop has temporaries, comments or variables used after it)",
        Vec::new(),
    )
}

/// Loops the compact rewrite does not take (temporaries, `with` blocks, `try/except`,
/// filters, several collectors, prints): the dataflow decomposition
/// ([`crate::analysis::loop_model`]) must find the iterations independent, and the summary of
/// one iteration must block on `kind` and on nothing that asks for sequence (a sleep between
/// requests, a database connection, a lock). The fix outlines the per-item work.
fn modelled_for<'a>(
    checker: &Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    rule: &'static RuleSpec,
    kind: IoKind,
    what: &str,
) -> Option<Diagnostic> {
    let candidate = modelled_io_loop(checker, for_stmt, kind)?;
    let facts = checker.loop_model(for_stmt);
    let model = facts.model().as_ref().ok()?;
    let evidence = crate::rules::evidence::call_path(checker, &candidate.path);
    let message = format!(
        "I/O-bound loop {what} one item of `{}` at a time: {evidence}; overlap the waits in a thread pool (ThreadPoolExecutor.map)",
        short(checker.source.slice(for_stmt.iter.range())),
    );
    let worker = match kind {
        IoKind::Network => "fetch_one",
        IoKind::File => "read_one",
        _ => "run_one",
    };
    let fix = crate::fix::outline::outline_loop(
        checker,
        model,
        candidate.work_end,
        worker,
        &crate::fix::outline::Runner::Pool(&THREAD_POOL),
        &|stmt| does_io(checker, stmt, kind),
    )
    .map(|edits| {
        Fix::unsafe_(
            format!("Move the per-item work into `{worker}` and run it in a `ThreadPoolExecutor(max_workers=8)`"),
            edits,
        )
    })
    .unwrap_or_else(outline_suggestion);
    Some(Diagnostic::new(rule, message, header_range(checker, for_stmt)).with_fix(Some(fix)))
}

/// Whether running `stmt` here blocks on `kind` I/O (not lazily).
fn does_io<'a>(checker: &Checker<'a>, stmt: &'a Stmt, kind: IoKind) -> bool {
    checker
        .summaries()
        .of_statements(&checker.semantic, std::slice::from_ref(stmt))
        .blocking
        .iter()
        .any(|blocking| blocking.kind == kind && !blocking.lazy)
}

/// A loop whose per-item work blocks on one kind of I/O.
struct ModelledIoLoop {
    /// The last top-level statement of the body doing the I/O.
    work_end: usize,
    /// The call path to the I/O, for the message.
    path: crate::analysis::summary::CallPath,
}

fn modelled_io_loop<'a>(
    checker: &Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    kind: IoKind,
) -> Option<ModelledIoLoop> {
    // In a loop nest the outer loop is the one to parallelize (and an inner loop is often a
    // filter over an index where only a few items match); unless the outer loop goes over a
    // few values written out (`for label in ["pos", "neg"]:` around a folder's files).
    match checker.enclosing_loop(for_stmt) {
        None => {}
        Some(Stmt::For(outer))
            if fixed_collection_size(checker, &outer.iter).is_some_and(|size| size < 4) => {}
        Some(_) => return None,
    }
    // File reads: the items must be files listed from disk (a glob, a directory listing or
    // walk), which is where the many files come from; a loop over a few configured paths
    // gains nothing.
    if kind == IoKind::File && !listed_from_disk(checker, &for_stmt.iter) {
        return None;
    }
    let facts = checker.loop_model(for_stmt);
    let iteration = &facts.iteration;
    let blocking = iteration.dominant_blocking()?;
    if blocking.kind != kind || iteration.affinity.is_some() {
        return None;
    }
    // A handful of items written out in the code gains nothing from a pool; a few network
    // round trips or commands written out (four or more) already overlap well.
    let enough = match kind {
        IoKind::Network | IoKind::Subprocess => 4,
        _ => usize::MAX,
    };
    if fixed_collection_size(checker, &for_stmt.iter).is_some_and(|size| size > 0 && size < enough)
    {
        return None;
    }
    let model = facts.model().as_ref().ok()?;
    // Sleeping between items is a rate limit; a database connection, a lock or a queue serve
    // one caller at a time.
    if iteration
        .blocking
        .iter()
        .any(|other| matches!(other.kind, IoKind::Sleep | IoKind::Database | IoKind::Wait))
    {
        return None;
    }
    // State shared by the iterations, changed other than by a combine step.
    if facts.changes_shared_state(model) {
        return None;
    }
    if model.calls_methods_of_self() {
        return None;
    }
    // The work: the last top-level statement doing this kind of I/O, with the item.
    let body = &for_stmt.body;
    let work_end = body.iter().rposition(|stmt| does_io(checker, stmt, kind))?;
    let varies = body[..=work_end].iter().any(|stmt| {
        statement_reads(stmt)
            .iter()
            .any(|name| model.per_item.contains(name))
    });
    if !varies || is_search(model, &body[..=work_end]) || from_command_line(checker, &for_stmt.iter)
    {
        return None;
    }
    // File work the loop does for its effect (copies, deletions, writes) and directory
    // listings are mostly metadata that threads barely speed up: reads whose contents the
    // loop keeps are the candidates.
    if kind == IoKind::File && (!model.keeps_results() || !is_file_read(&blocking.path)) {
        return None;
    }
    // Name resolution goes through the system's resolver and cache: not the waits to overlap.
    if kind == IoKind::Network
        && blocking.path.last().is_some_and(|step| {
            matches!(
                step.callee.rsplit('.').next(),
                Some(
                    "getaddrinfo"
                        | "gethostbyname"
                        | "gethostbyname_ex"
                        | "gethostbyaddr"
                        | "getfqdn"
                )
            )
        })
    {
        return None;
    }
    let calls: Vec<&ast::ExprCall> = body[..=work_end]
        .iter()
        .flat_map(crate::analysis::names::calls_in)
        .collect();
    let mut targets = rustc_hash::FxHashSet::default();
    crate::analysis::loop_model::collect_target(&for_stmt.target, &mut targets);
    if calls.iter().any(|call| {
        (kind == IoKind::Subprocess
            && !model.keeps_results()
            && runs_listed_command(checker, call, |name| targets.contains(name)))
            || crate::rules::vectorize::par306_sequential_dataframe_reads::is_pandas_read(
                checker, call,
            )
            || callee_reports_progress(checker, call)
            || is_self_recursive(checker, call)
    }) {
        return None;
    }
    Some(ModelledIoLoop {
        work_end,
        path: blocking.path.clone(),
    })
}

/// `subprocess.run(command)` where the item is the whole command: the loop runs a list of
/// commands, a script whose steps may each need what the previous one made.
fn runs_listed_command<'a>(
    checker: &Checker<'a>,
    call: &'a ast::ExprCall,
    is_item: impl Fn(&str) -> bool,
) -> bool {
    let direct = checker
        .call_summary(call)
        .blocking
        .iter()
        .any(|blocking| blocking.kind == IoKind::Subprocess && blocking.path.len() == 1);
    // (The command itself: `subprocess.run(cmd)`, `os.system(cmd)`; not a library that runs a
    // fixed program on the item, as `git.Repo.clone_from(url, ...)`.)
    let runs_command = checker
        .semantic
        .qualified_name(&call.func)
        .is_some_and(|name| {
            matches!(
                name.segments().first(),
                Some(&("subprocess" | "os" | "asyncio"))
            )
        });
    if !direct || !runs_command {
        return false;
    }
    let command = call.arguments.args.first().or_else(|| {
        call.arguments
            .keywords
            .iter()
            .find(|keyword| {
                keyword
                    .arg
                    .as_ref()
                    .is_some_and(|arg| arg.as_str() == "args")
            })
            .map(|keyword| &keyword.value)
    });
    matches!(command, Some(Expr::Name(name)) if is_item(name.id.as_str()))
}

/// Whether the file I/O at the end of `path` reads contents (`f.read`, `read_text`,
/// `json.load`), as opposed to writing, copying, deleting or listing.
fn is_file_read(path: &crate::analysis::summary::CallPath) -> bool {
    let Some(last) = path.last() else {
        return false;
    };
    if last.callee.starts_with("iterating ") {
        return false;
    }
    let method = last.callee.rsplit('.').next().unwrap_or(&last.callee);
    matches!(
        method,
        "read"
            | "read_text"
            | "read_bytes"
            | "readlines"
            | "readline"
            | "load"
            | "safe_load"
            | "full_load"
            | "read_csv"
            | "read_json"
            | "imread"
            | "loadtxt"
            | "genfromtxt"
    )
}

/// Whether the work runs only for the items equal to one value (`if code == wanted:`): a
/// search for a few matches, not a batch.
pub(crate) fn is_search(model: &crate::analysis::loop_model::LoopModel, work: &[Stmt]) -> bool {
    work.iter().any(|stmt| match stmt {
        Stmt::If(if_stmt) => selects_one_value(&if_stmt.test, |name| model.per_item.contains(name)),
        _ => false,
    })
}

/// `item == value` (either way round): true for the items equal to one value only.
fn selects_one_value(test: &Expr, is_item: impl Fn(&str) -> bool) -> bool {
    let Expr::Compare(compare) = test else {
        return false;
    };
    let [ast::CmpOp::Eq] = &*compare.ops else {
        return false;
    };
    let reads_item = |expr: &Expr| expr_names(expr).free().iter().any(|name| is_item(name));
    reads_item(&compare.left) != reads_item(&compare.comparators[0])
}

/// Whether the items come from the command line (`sys.argv`), directly or through one
/// binding: a handful typed by hand.
pub(crate) fn from_command_line<'a>(checker: &Checker<'a>, iter: &'a Expr) -> bool {
    let mentions_argv = |expr: &Expr| checker.source.slice(expr.range()).contains("argv");
    if mentions_argv(iter) {
        return true;
    }
    expr_names(iter).free().iter().any(|name| {
        crate::analysis::names::single_assignment(
            &checker.semantic,
            checker.module,
            name,
            iter.start(),
        )
        .is_some_and(mentions_argv)
    })
}

/// Whether `iter` lists files from disk: `glob.glob`, `Path.glob`/`rglob`/`iterdir`,
/// `os.listdir`/`scandir`/`walk`, possibly wrapped in `sorted`, `list`, `enumerate`, or a
/// name bound once to one.
fn listed_from_disk<'a>(checker: &Checker<'a>, iter: &'a Expr) -> bool {
    listed_from_disk_within(checker, iter, 4)
}

/// [`listed_from_disk`] following at most `depth` names (`files = sorted(files)` refers to
/// itself).
fn listed_from_disk_within<'a>(checker: &Checker<'a>, iter: &'a Expr, depth: u8) -> bool {
    match iter {
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Name(name)
                if matches!(
                    name.id.as_str(),
                    "sorted" | "list" | "enumerate" | "reversed" | "tqdm"
                ) =>
            {
                call.arguments
                    .args
                    .first()
                    .is_some_and(|inner| listed_from_disk_within(checker, inner, depth))
            }
            Expr::Name(name) => {
                matches!(name.id.as_str(), "glob" | "iglob" | "listdir" | "scandir")
            }
            Expr::Attribute(attribute) => matches!(
                attribute.attr.as_str(),
                "glob" | "iglob" | "rglob" | "iterdir" | "listdir" | "scandir" | "walk"
            ),
            _ => false,
        },
        // `[folder + name for name in os.listdir(folder)]`, `list(os.walk(root))[0][2]`.
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. }) => generators
            .first()
            .is_some_and(|generator| listed_from_disk_within(checker, &generator.iter, depth)),
        Expr::Subscript(subscript) => listed_from_disk_within(checker, &subscript.value, depth),
        Expr::Name(name) if depth > 0 => crate::analysis::names::single_assignment(
            &checker.semantic,
            checker.module,
            name.id.as_str(),
            name.start(),
        )
        .is_some_and(|value| listed_from_disk_within(checker, value, depth - 1)),
        _ => false,
    }
}

/// A call of the function the loop is in.
fn is_self_recursive(checker: &Checker, call: &ast::ExprCall) -> bool {
    let Expr::Name(name) = call.func.as_ref() else {
        return false;
    };
    checker.semantic.scopes().iter().any(
        |scope| matches!(scope.kind, ScopeKind::Function(def) if def.name.as_str() == name.id.as_str()),
    )
}

/// The names a statement reads.
fn statement_reads(stmt: &Stmt) -> Vec<&str> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Reads<'a>(Vec<&'a str>);
    impl<'a> Visitor<'a> for Reads<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Name(name) = expr {
                if name.ctx == ast::ExprContext::Load {
                    self.0.push(name.id.as_str());
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut reads = Reads(Vec::new());
    reads.visit_stmt(stmt);
    reads.0
}

fn outline_suggestion() -> Fix {
    Fix::display_only(
        "Move the per-item work into a function and map it over the items with `ThreadPoolExecutor(max_workers=8).map`, applying the rest of the loop to each result in order (rewrite by hand: output or state in the work would change order)",
        Vec::new(),
    )
}

/// `self.fetch(x)` or `self.client.get(x)`: a method reached through `self` or `cls`.
fn calls_method_of_self(call: &ast::ExprCall) -> bool {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return false;
    };
    let mut root = attribute.value.as_ref();
    while let Expr::Attribute(inner) = root {
        root = &inner.value;
    }
    matches!(root, Expr::Name(name) if matches!(name.id.as_str(), "self" | "cls"))
}
