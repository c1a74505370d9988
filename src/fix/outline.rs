//! The outlining fix (RULES.md, "Loop decomposition"): the per-item work of a loop becomes a
//! worker function, and the loop runs it in a pool, applying the combine steps to each result
//! in the parent, in the items' order.
//!
//! ```python
//! for url in urls:                        def fetch_one(url):
//!     print("fetching", url)                  r = requests.get(url)
//!     r = requests.get(url)          →        if r.status_code != 200:
//!     if r.status_code != 200:                    return None
//!         continue                            return url, r
//!     pages.append(r.json())              with ThreadPoolExecutor(max_workers=8) as executor:
//!                                             for result in executor.map(fetch_one, urls):
//!                                                 if result is None:
//!                                                     continue
//!                                                 url, r = result
//!                                                 ...
//! ```
//!
//! The work is the body's statements up to the last one that does the work (and the combine
//! steps right after it); what follows (the tail) stays in the parent. Combine steps inside the work that run on every path that
//! reaches the end of the work (at the top level, or at the top level of a `with` block) are
//! moved to the parent too, their arguments that call something computed by the worker; any
//! other combine step in the work (a `print` in an `except` handler) makes the fix a
//! suggestion, since its output would no longer come in order. `continue` in the work becomes
//! `return None`, and the parent skips those items.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;

use crate::analysis::loop_model::{
    calls_anything, collect_bound, collect_target, CombineKind, LoopModel,
};
use crate::analysis::semantic::ScopeKind;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::edits::{contains_comment, contains_word, splice, stands_alone, whole_lines};
use crate::fix::imports::{import_member, ImportStyle};
use crate::fix::pool_rewrite::{executor_name, PoolSpec};
use crate::source::indentation_at;

/// How the outlined workers run.
pub enum Runner<'s> {
    /// `with Pool(...) as executor: for ... in executor.map(worker, items):`.
    Pool(&'s PoolSpec<'s>),
    /// In a coroutine: `for ... in await asyncio.gather(*(worker(x) for x in items)):`, the
    /// worker an `async def`.
    Gather,
    /// A process pool: as [`Runner::Pool`], the worker a module-level function (workers import
    /// it by name) taking the values it reads from the enclosing scope as keyword arguments
    /// (`functools.partial(worker, limit=limit)`), so it also runs under spawn.
    Processes(&'s PoolSpec<'s>),
}

/// Outlines the work `for_stmt.body[..=work_end]` into a nested function named after
/// `worker_base` and runs it with `runner`. `None` when the loop's shape is outside what
/// this rewrite proves equivalent (the rule then offers a suggestion).
pub fn outline_loop<'a>(
    checker: &Checker<'a>,
    model: &LoopModel<'a>,
    work_end: usize,
    worker_base: &str,
    runner: &Runner,
    does_work: &dyn Fn(&'a Stmt) -> bool,
) -> Option<Vec<Edit>> {
    outline_plain(checker, model, work_end, worker_base, runner)
        .or_else(|| outline_capturing(checker, model, work_end, worker_base, runner, does_work))
}

/// The outlining of [`outline_loop`] without a `try` to split.
fn outline_plain<'a>(
    checker: &Checker<'a>,
    model: &LoopModel<'a>,
    work_end: usize,
    worker_base: &str,
    runner: &Runner,
) -> Option<Vec<Edit>> {
    let for_stmt = model.for_stmt;
    let source = checker.source;
    let body = &for_stmt.body;
    // Combine steps right after the work compute their arguments in the worker too
    // (`records.append(parse(response.read()))`): that is per-item work, and nothing between
    // could skip it.
    // Up to the first step that keeps something: a later step computed in the worker could
    // raise after the parent would have kept the earlier one.
    let mut work_end = work_end;
    while let Some(step) = body.get(work_end + 1).and_then(|stmt| {
        model
            .combines
            .iter()
            .find(|step| step.stmt.range() == stmt.range())
    }) {
        work_end += 1;
        if step.kind != CombineKind::Output {
            break;
        }
    }
    let work = &body[..=work_end];
    let tail = &body[work_end + 1..];
    let Layout {
        header_end,
        header_comment,
        unit,
        newline,
        for_indent,
        body_indent,
    } = layout(checker, for_stmt)?;

    // The combine steps the work holds: moved to the parent, or (nested deeper) a reason to
    // stop, except for logging, which is safe from any thread.
    let mut hoisted: Vec<&Stmt> = Vec::new();
    collect_unconditional(model, work, &mut hoisted);
    for step in &model.combines {
        let inside = work
            .iter()
            .any(|stmt| stmt.range().contains_range(step.stmt.range()));
        // (A worker process's logging is not configured under spawn.)
        let logs_safely = is_logging(step.stmt) && !matches!(runner, Runner::Processes(_));
        if inside
            && !hoisted
                .iter()
                .any(|stmt| stmt.range().contains_range(step.stmt.range()))
            && !logs_safely
        {
            return None;
        }
    }
    let continues = loop_continues(work);
    if let Some(last) = continues.last() {
        // A step before a `continue` ran even for the items skipped later.
        if hoisted.iter().any(|stmt| stmt.start() < last.start()) {
            return None;
        }
    }

    // The values the hoisted steps need from the worker, computed there into fresh names.
    let scope_text = scope_text(checker);
    let mut taken: Vec<String> = Vec::new();
    let mut fresh = |base: &str| {
        let name = (1..)
            .map(|n| match n {
                1 => base.to_string(),
                n => format!("{base}_{n}"),
            })
            .find(|name| {
                !contains_word(scope_text, name)
                    && !checker.semantic.is_module_name(name)
                    && !taken.contains(name)
            })
            .expect("an unused name");
        taken.push(name.clone());
        name
    };
    let mut worker_replacements: Vec<(TextRange, String)> = Vec::new();
    let mut parent_steps: Vec<String> = Vec::new();
    let mut parent_reads: FxHashSet<&str> = FxHashSet::default();
    let mut removed: Vec<&Stmt> = Vec::new();
    // The parts of hoisted steps the worker computes (their names are the worker's reads).
    let mut computed_in_worker: Vec<TextRange> = Vec::new();
    // A step inside a `with` block may use its resource (`lines.extend(f)`): in the parent
    // the resource is closed.
    let mut with_targets: FxHashSet<&str> = FxHashSet::default();
    for stmt in work {
        collect_with_targets(stmt, &mut with_targets);
    }
    // A step that keeps something (not output) must not come before other work: if that
    // work raised, the original had kept it already.
    for stmt in &hoisted {
        let keeps = keeps_something(model, stmt);
        // (A later step whose arguments the worker computes is work too.)
        let is_work = |later: &Stmt| {
            !hoisted.iter().any(|h| h.range() == later.range())
                || computed_arguments(later).into_iter().any(calls_anything)
        };
        if keeps && statements_after(work, stmt.end()).any(is_work) {
            return None;
        }
    }
    for stmt in &hoisted {
        let stmt_indent = indentation_at(source.text(), source.line_start(stmt.start()));
        let mut computed = String::new();
        let mut substitutions: Vec<(TextRange, String)> = Vec::new();
        for argument in computed_arguments(stmt) {
            // A closure built here sees the loop's last values when it runs later; built in
            // the worker it would see its own item's.
            if makes_closure(argument) {
                return None;
            }
            // Left to the parent, it must not use the `with` block's resource.
            if !calls_anything(argument) && reads_any_of(argument, &with_targets) {
                return None;
            }
            if calls_anything(argument) {
                let name = fresh("value");
                computed.push_str(&format!(
                    "{stmt_indent}{name} = {}{newline}",
                    source.slice(argument.range())
                ));
                substitutions.push((argument.range(), name));
                computed_in_worker.push(argument.range());
            }
        }
        let text = splice(source, stmt.range(), &mut substitutions.clone());
        if text.contains(['\n', '\r']) && (text.contains("\"\"\"") || text.contains("'''")) {
            return None;
        }
        let mut reads = NameReads::default();
        reads.visit_stmt(stmt);
        for (name, at) in reads.loads {
            if !substitutions
                .iter()
                .any(|(range, _)| range.contains_range(at))
            {
                parent_reads.insert(name);
            }
        }
        if computed.is_empty() {
            removed.push(*stmt);
        }
        worker_replacements.push((whole_lines(source, stmt.range()), computed));
        parent_steps.push(text);
    }
    if empties_a_block(work, &removed) {
        return None;
    }
    for at in &continues {
        worker_replacements.push((*at, "return None".to_string()));
    }

    // What the parent needs back: per-item names the work binds and the parent reads.
    let mut bound_in_work: FxHashSet<&str> = FxHashSet::default();
    collect_target(&for_stmt.target, &mut bound_in_work);
    for stmt in work {
        collect_bound(stmt, &mut bound_in_work);
    }
    // (A reduction under a guard rebinds its accumulator in the parent, not the worker.)
    for sink in model.sinks() {
        bound_in_work.remove(sink);
    }
    let mut tail_reads = NameReads::default();
    for stmt in tail {
        tail_reads.visit_stmt(stmt);
    }
    let needed_after = read_after_loop(checker, for_stmt);
    let mut returned: Vec<String> = Vec::new();
    let mut target_names = FxHashSet::default();
    collect_target(&for_stmt.target, &mut target_names);
    let consider = |name: &str, returned: &mut Vec<String>| {
        if bound_in_work.contains(name) && !returned.iter().any(|r| r == name) {
            returned.push(name.to_string());
        }
    };
    for (name, _) in &tail_reads.loads {
        consider(name, &mut returned);
    }
    let mut parent_read_names: Vec<&str> = parent_reads.iter().copied().collect();
    parent_read_names.sort_unstable();
    for name in parent_read_names {
        consider(name, &mut returned);
    }
    for name in &needed_after {
        if !bound_in_work.contains(name) || returned.iter().any(|r| r == name) {
            continue;
        }
        // Read after the loop: the parent must bind it too, as the last item's value. That
        // holds only without skipped items, for a name every iteration binds.
        if !continues.is_empty() || !definitely_bound(for_stmt, work, name) {
            return None;
        }
        consider(name, &mut returned);
    }
    // Names the hoisted values were computed into are returned as well; the loop's own
    // names first, as the loop wrote them.
    returned.extend(taken.iter().cloned());
    returned.sort_by_key(|name| !target_names.contains(name.as_str()));

    // The worker: at module level for processes, where its name must be new to the module.
    let worker = match runner {
        Runner::Processes(_) => {
            // A name the module uses already: the loop's line makes it one no other loop's
            // worker takes in the same pass.
            let free = |name: &str| {
                !contains_word(checker.text(), name)
                    && !checker.semantic.is_module_name(name)
                    && !taken.iter().any(|t| t == name)
            };
            let line = checker.source.row(for_stmt.start());
            [
                worker_base.to_string(),
                format!("{worker_base}_{line}"),
                format!("{worker_base}_line_{line}"),
            ]
            .into_iter()
            .find(|name| free(name))?
        }
        _ => fresh_unique(checker, worker_base, &taken),
    };
    let target_text = source.slice(for_stmt.target.range());
    let (parameter, unpack) = match for_stmt.target.as_ref() {
        Expr::Name(name) => (name.id.to_string(), String::new()),
        _ => {
            let item = fresh_unique(checker, "item", &taken);
            let unpack = format!("{body_indent}{target_text} = {item}{newline}");
            (item, unpack)
        }
    };
    let work_lines = TextRange::new(
        source.next_line_start(header_end),
        source.next_line_start(work[work.len() - 1].end()),
    );
    let work_text = splice(source, work_lines, &mut worker_replacements);
    let skips = !continues.is_empty();
    let result_name = fresh_unique(checker, "result", &taken);
    let return_value = match (returned.as_slice(), skips) {
        ([], false) => None,
        ([], true) => Some("True".to_string()),
        ([single], false) => Some(single.clone()),
        (names, _) => Some(format!(
            "{}{}",
            names.join(", "),
            if names.len() == 1 { "," } else { "" }
        )),
    };
    if return_value.is_none() && work_text.trim().is_empty() {
        return None;
    }
    let mut edits = Vec::new();
    let (mut text, callable) = match runner {
        Runner::Processes(_) => {
            let arguments = process_worker_arguments(
                checker,
                for_stmt,
                work,
                &hoisted,
                &computed_in_worker,
                &bound_in_work,
            )?;
            if !process_state_is_copied_safely(checker, model, work) {
                return None;
            }
            // What comes back is pickled: an open resource cannot be.
            if returned
                .iter()
                .any(|name| with_targets.contains(name.as_str()))
            {
                return None;
            }
            let worker_lines = WorkerLines {
                parameter: &parameter,
                target_text,
                work_text: &work_text,
                return_value: return_value.as_deref(),
            };
            let (def, callable) = module_level_worker(
                checker,
                for_stmt,
                &worker,
                &worker_lines,
                &arguments,
                &layout_parts(for_indent, unit, &newline),
                &mut edits,
            )?;
            (def, callable)
        }
        _ => {
            let def = match runner {
                Runner::Gather => "async def",
                _ => "def",
            };
            let mut text =
                format!("{for_indent}{def} {worker}({parameter}):{newline}{unpack}{work_text}");
            if !work_text.ends_with(['\n', '\r']) {
                text.push_str(&newline);
            }
            if let Some(value) = &return_value {
                text.push_str(&format!("{body_indent}return {value}{newline}"));
            }
            (text, worker.clone())
        }
    };

    // The parent loop: inside a `with` block for a pool, where the loop was for `gather`.
    let (mapped, loop_indent, shift) = runner_loop(
        checker,
        runner,
        for_stmt,
        &callable,
        &parameter,
        &layout_parts(for_indent, unit, &newline),
        &mut text,
        &mut edits,
    )?;
    let inner = format!("{loop_indent}{unit}");
    let mut loop_body = String::new();
    let pattern = if skips {
        loop_body.push_str(&format!(
            "{inner}if {result_name} is None:{newline}{inner}{unit}continue{newline}"
        ));
        if !returned.is_empty() {
            let names = returned.join(", ");
            let names = if returned.len() == 1 {
                format!("({names},)")
            } else {
                names
            };
            loop_body.push_str(&format!("{inner}{names} = {result_name}{newline}"));
        }
        result_name.clone()
    } else if returned.is_empty() {
        "_".to_string()
    } else {
        returned.join(", ")
    };
    for step in &parent_steps {
        let step = step.replace('\n', &format!("\n{shift}"));
        loop_body.push_str(&format!("{inner}{step}{newline}"));
    }
    if !tail.is_empty() {
        loop_body.push_str(&rest_of_loop(
            checker,
            for_stmt,
            &work[work.len() - 1],
            shift,
        ));
    }
    let comment = header_comment
        .map(|range| format!("  {}", source.slice(range)))
        .unwrap_or_default();
    if loop_body.trim().is_empty()
        || (skips && returned.is_empty() && parent_steps.is_empty() && tail.is_empty())
    {
        if !matches!(runner, Runner::Gather)
            && crate::fix::pool_rewrite::shadows_builtin(checker, "list")
        {
            return None;
        }
        let consumed = match runner {
            Runner::Pool(_) | Runner::Processes(_) => format!("list({mapped})"),
            Runner::Gather => mapped.clone(),
        };
        text.push_str(&format!("{loop_indent}{consumed}{comment}{newline}"));
    } else {
        text.push_str(&format!(
            "{loop_indent}for {pattern} in {mapped}:{comment}{newline}"
        ));
        text.push_str(&loop_body);
        if !loop_body.ends_with(['\n', '\r']) {
            text.push_str(&newline);
        }
    }
    edits.push(replace_loop(checker, for_stmt, text));
    Some(edits)
}

/// The comment token between `start` and `end` (the rest of the header line), if any.
fn trailing_comment(
    checker: &Checker,
    start: ruff_text_size::TextSize,
    end: ruff_text_size::TextSize,
) -> Option<TextRange> {
    let tokens = checker.tokens;
    let first = tokens.partition_point(|token| token.start() < start);
    tokens[first..]
        .iter()
        .take_while(|token| token.start() < end)
        .find(|token| token.kind() == ruff_python_ast::token::TokenKind::Comment)
        .map(|token| token.range())
}

/// A name for a new local that is not among `taken` either.
fn fresh_unique(checker: &Checker, base: &str, taken: &[String]) -> String {
    let mut name = crate::fix::edits::fresh_local_name(checker, base);
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// The source of the enclosing function, or the module's.
fn scope_text<'a>(checker: &Checker<'a>) -> &'a str {
    match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => checker.source.slice(def.range()),
        _ => checker.text(),
    }
}

/// The combine steps in `block` that run whenever the block runs to its end: at its top
/// level, or at the top level of a `with` block in it; and guarded steps, an `if` (without
/// `else`) holding only combine steps, whose test the worker computes
/// (`if chain_end(n) == 89: count += 1`).
fn collect_unconditional<'a>(model: &LoopModel, block: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
    for stmt in block {
        if model.is_combine(stmt) || is_guarded_combine(model, stmt) {
            out.push(stmt);
        } else if let Stmt::With(with) = stmt {
            collect_unconditional(model, &with.body, out);
        }
    }
}

/// `if test: <combine steps>` with no `elif`/`else`.
fn is_guarded_combine(model: &LoopModel, stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::If(if_stmt)
        if if_stmt.elif_else_clauses.is_empty()
            && if_stmt.body.iter().all(|inner| model.is_combine(inner)))
}

/// Whether `stmt` is, or guards, a combine step that keeps something (not output).
fn keeps_something(model: &LoopModel, stmt: &Stmt) -> bool {
    model.combines.iter().any(|step| {
        stmt.range().contains_range(step.stmt.range()) && step.kind != CombineKind::Output
    })
}

/// Whether removing `removed` would leave a `with` block without statements.
fn empties_a_block(block: &[Stmt], removed: &[&Stmt]) -> bool {
    block.iter().any(|stmt| match stmt {
        Stmt::With(with) => {
            with.body
                .iter()
                .all(|inner| removed.iter().any(|h| h.range() == inner.range()))
                || empties_a_block(&with.body, removed)
        }
        _ => false,
    })
}

/// The expressions of a combine step that the work may compute: a call's arguments, a
/// store's key and value, a reduction's operand.
fn computed_arguments(stmt: &Stmt) -> Vec<&Expr> {
    match stmt {
        // A guarded step: the guard (the steps under it run in the parent as written).
        Stmt::If(if_stmt) => vec![if_stmt.test.as_ref()],
        Stmt::Expr(expr) => match expr.value.as_ref() {
            Expr::Call(call) => call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .collect(),
            _ => Vec::new(),
        },
        Stmt::Assign(assign) => {
            let mut values = Vec::new();
            if let [Expr::Subscript(subscript)] = assign.targets.as_slice() {
                values.push(subscript.slice.as_ref());
                values.push(assign.value.as_ref());
            } else if let Some((_, operands)) =
                crate::analysis::loop_model::reduction_operands(stmt)
            {
                values.extend(operands);
            }
            values
        }
        Stmt::AugAssign(assign) => {
            let mut values = vec![assign.value.as_ref()];
            if let Expr::Subscript(subscript) = assign.target.as_ref() {
                values.insert(0, subscript.slice.as_ref());
            }
            values
        }
        _ => Vec::new(),
    }
}

/// Whether evaluating `expr` makes a function or generator that outlives it.
fn makes_closure(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if matches!(expr, Expr::Lambda(_) | Expr::Generator(_)) {
                self.0 = true;
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}

/// Whether `expr` reads any of `names`.
fn reads_any_of(expr: &Expr, names: &FxHashSet<&str>) -> bool {
    let mut reads = NameReads::default();
    reads.visit_expr(expr);
    reads.loads.iter().any(|(name, _)| names.contains(name))
}

/// The names `with ... as name` binds in `stmt`.
fn collect_with_targets<'a>(stmt: &'a Stmt, names: &mut FxHashSet<&'a str>) {
    struct Finder<'n, 'a>(&'n mut FxHashSet<&'a str>);
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::With(with) => {
                    for item in &with.items {
                        if let Some(target) = &item.optional_vars {
                            collect_target(target, self.0);
                        }
                    }
                    visitor::walk_stmt(self, stmt);
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    Finder(names).visit_stmt(stmt);
}

/// The statements in `block` (at any depth) that start after `offset`.
fn statements_after(
    block: &[Stmt],
    offset: ruff_text_size::TextSize,
) -> impl Iterator<Item = &Stmt> {
    struct Collector<'a>(Vec<&'a Stmt>, ruff_text_size::TextSize);
    impl<'a> Visitor<'a> for Collector<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.start() >= self.1 {
                self.0.push(stmt);
                return;
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
    }
    let mut collector = Collector(Vec::new(), offset);
    collector.visit_body(block);
    collector.0.into_iter()
}

/// `logger.info(...)`-style output: thread-safe, and fine to leave in a worker.
fn is_logging(stmt: &Stmt) -> bool {
    let Stmt::Expr(expr) = stmt else {
        return false;
    };
    let Expr::Call(call) = expr.value.as_ref() else {
        return false;
    };
    match call.func.as_ref() {
        Expr::Attribute(attribute) => {
            crate::analysis::library::LOG_METHODS.contains(&attribute.attr.as_str())
                && matches!(attribute.value.as_ref(), Expr::Name(name)
                    if crate::analysis::library::is_logger_name(name.id.as_str()))
        }
        _ => false,
    }
}

/// The `continue` statements of the loop in `block` (not those of nested loops).
fn loop_continues(block: &[Stmt]) -> Vec<TextRange> {
    struct Finder(Vec<TextRange>);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Continue(_) => self.0.push(stmt.range()),
                Stmt::For(_) | Stmt::While(_) | Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_body(block);
    finder.0
}

/// Whether `name` is bound on every path through the work: the loop target, or the target of
/// an assignment at the work's top level.
fn definitely_bound(for_stmt: &ast::StmtFor, work: &[Stmt], name: &str) -> bool {
    let mut names = FxHashSet::default();
    collect_target(&for_stmt.target, &mut names);
    for stmt in work {
        if let Stmt::Assign(assign) = stmt {
            for target in &assign.targets {
                collect_target(target, &mut names);
            }
        }
    }
    names.contains(name)
}

/// The names read outside the loop in its scope: after it, in a nested function defined
/// anywhere in the scope (it may run after the loop), and, for a module-level loop, in any
/// function of the module (the loop's names are globals). A loop's names stay bound after
/// it, so the parent must bind these too.
fn read_after_loop<'a>(checker: &Checker<'a>, for_stmt: &ast::StmtFor) -> Vec<&'a str> {
    let body: &'a [Stmt] = match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => &def.body,
        _ => checker.module,
    };
    // (A nested function's own locals are not the loop's names.)
    let mut reads = ScopedReads {
        enter_functions: true,
        ..ScopedReads::default()
    };
    reads.visit_body(body);
    let mut names: Vec<&str> = Vec::new();
    // Reads inside the loop's body are the loop's own (the decomposition proved each
    // iteration binds them before reading them); when an enclosing loop runs it again, its
    // header is evaluated after the previous run's last iteration.
    let enclosing_loop = checker.in_enclosing_loop(for_stmt);
    let rebinding_loops = later_loops(body, for_stmt);
    // Reads in the scope's own code run before the loop when they come before it (unless an
    // enclosing loop runs them again); a nested function's may run at any time.
    let mut direct = ScopedReads::default();
    direct.visit_body(body);
    let direct: FxHashSet<TextRange> = direct.loads.iter().map(|(_, at)| *at).collect();
    for (name, at) in reads.loads {
        let before = direct.contains(&at) && at.end() <= for_stmt.start() && !enclosing_loop;
        let outside = (!for_stmt.range().contains_range(at) && !before)
            || (enclosing_loop && for_stmt.iter.range().contains_range(at));
        // Liveness: a read in the body of a later loop that binds the name as its target
        // reads that loop's value (`for f in files:` twice).
        let rebound = rebinding_loops.iter().any(|later| {
            later
                .body
                .iter()
                .any(|stmt| stmt.range().contains_range(at))
                && {
                    let mut targets = FxHashSet::default();
                    collect_target(&later.target, &mut targets);
                    targets.contains(name)
                }
        });
        if outside && !rebound && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The `for` loops of `body` (not in nested functions) that start after `for_stmt` ends and
/// are not around it.
fn later_loops<'a>(body: &'a [Stmt], for_stmt: &ast::StmtFor) -> Vec<&'a ast::StmtFor> {
    struct Finder<'a>(Vec<&'a ast::StmtFor>, TextRange);
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(later) if later.start() >= self.1.end() => {
                    self.0.push(later);
                    visitor::walk_stmt(self, stmt);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(Vec::new(), for_stmt.range());
    finder.visit_body(body);
    finder.0
}

/// Every name loaded in some statements, in source order.
#[derive(Default)]
struct NameReads<'a> {
    loads: Vec<(&'a str, TextRange)>,
}

impl<'a> Visitor<'a> for NameReads<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            if name.ctx == ast::ExprContext::Load {
                self.loads.push((name.id.as_str(), name.range()));
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// Where the loop's text sits: its header comment and indentation.
struct Layout<'t> {
    header_end: ruff_text_size::TextSize,
    header_comment: Option<TextRange>,
    unit: &'t str,
    newline: String,
    for_indent: &'t str,
    body_indent: &'t str,
}

/// Every statement of the body on its own lines, the body one indent unit in, no comment in
/// the header except one ending its line (it moves to the new loop).
fn layout<'t>(checker: &'t Checker, for_stmt: &ast::StmtFor) -> Option<Layout<'t>> {
    let source = checker.source;
    let body = &for_stmt.body;
    if matches!(checker.semantic.current_scope().kind, ScopeKind::Class(_))
        || !binds_names_only(&for_stmt.target)
        || declares_outer_names(checker)
    {
        return None;
    }
    let header_end = source.line_end(for_stmt.iter.end());
    let header_comment = trailing_comment(checker, for_stmt.iter.end(), header_end);
    let comment_free_end = header_comment
        .map(|comment| comment.start())
        .unwrap_or(header_end);
    if contains_comment(
        checker.tokens,
        TextRange::new(for_stmt.start(), comment_free_end),
    ) || source.row(body[0].start()) == source.row(for_stmt.start())
        || !body.iter().all(|stmt| stands_alone(source, stmt))
    {
        return None;
    }
    let unit = checker.stylist.indent_unit.as_str();
    let for_indent = indentation_at(source.text(), source.line_start(for_stmt.start()));
    let body_indent = indentation_at(source.text(), source.line_start(body[0].start()));
    if body_indent != format!("{for_indent}{unit}") {
        return None;
    }
    Some(Layout {
        header_end,
        header_comment,
        unit,
        newline: checker.stylist.line_ending.to_string(),
        for_indent,
        body_indent,
    })
}

/// `x` or `i, (a, b)`: a target the worker can take as parameters (`for self.x in ...` would
/// set the attribute from the worker).
fn binds_names_only(target: &Expr) -> bool {
    match target {
        Expr::Name(_) => true,
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            elts.iter().all(binds_names_only)
        }
        _ => false,
    }
}

/// Whether the enclosing function declares `global` or `nonlocal` names: a name the work
/// binds would become the worker's local instead.
fn declares_outer_names(checker: &Checker) -> bool {
    let Some(ScopeKind::Function(def)) = checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    else {
        return false;
    };
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(_) | Stmt::Nonlocal(_) => self.0 = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(&def.body);
    finder.0
}

/// Outlines a loop whose work sits in a `try` whose handlers the parent must run in order
/// (`except E: print(...); continue`). The worker runs the statements before the `try` and
/// the `try` body up to its last statement doing the work, catching any exception and
/// returning it; the parent keeps the `try` and its handlers, and re-raises the worker's
/// exception first thing in it, so the same handler runs for the same item, in order:
///
/// ```python
/// def fetch_one(url):                      for url, page, error in executor.map(...):
///     try:                                     try:
///         page = requests.get(url)                 if error is not None:
///     except BaseException as error:                   raise error
///         return url, None, error                  pages.append(page.text)
///     return url, page, None                   except Exception as exc:
///                                                  print("failed", url, exc)
/// ```
fn outline_capturing<'a>(
    checker: &Checker<'a>,
    model: &LoopModel<'a>,
    work_end: usize,
    worker_base: &str,
    runner: &Runner,
    does_work: &dyn Fn(&'a Stmt) -> bool,
) -> Option<Vec<Edit>> {
    let for_stmt = model.for_stmt;
    let source = checker.source;
    let body = &for_stmt.body;
    let Stmt::Try(try_stmt) = &body[work_end] else {
        return None;
    };
    // (An exception handed back from a worker process loses its traceback.)
    if matches!(runner, Runner::Processes(_)) {
        return None;
    }
    if !try_stmt.orelse.is_empty() || !try_stmt.finalbody.is_empty() || try_stmt.is_star {
        return None;
    }
    let split = try_stmt.body.iter().rposition(does_work)?;
    let before = &body[..work_end];
    let inside = &try_stmt.body[..=split];
    // No combine step may run in the worker (its order would change).
    let in_worker = |range: TextRange| {
        before.iter().any(|stmt| stmt.range().contains_range(range))
            || inside.iter().any(|stmt| stmt.range().contains_range(range))
    };
    if model
        .combines
        .iter()
        .any(|step| in_worker(step.stmt.range()) && !is_logging(step.stmt))
    {
        return None;
    }
    if !try_stmt.body.iter().all(|stmt| stands_alone(source, stmt)) {
        return None;
    }
    let layout = layout(checker, for_stmt)?;
    let Layout {
        header_end,
        header_comment,
        unit,
        ref newline,
        for_indent,
        body_indent,
    } = layout;

    // Names: bound before the `try` (always returned when read later) and in its work part
    // (`None` when the work raised; the handlers must not read them).
    let mut before_names: FxHashSet<&str> = FxHashSet::default();
    collect_target(&for_stmt.target, &mut before_names);
    for stmt in before {
        collect_bound(stmt, &mut before_names);
    }
    let mut work_names: FxHashSet<&str> = FxHashSet::default();
    for stmt in inside {
        collect_bound(stmt, &mut work_names);
    }
    let mut handler_reads = NameReads::default();
    for handler in &try_stmt.handlers {
        handler_reads.visit_except_handler(handler);
    }
    if handler_reads
        .loads
        .iter()
        .any(|(name, _)| work_names.contains(name) && !before_names.contains(name))
    {
        return None;
    }
    let mut later_reads = NameReads::default();
    for stmt in &try_stmt.body[split + 1..] {
        later_reads.visit_stmt(stmt);
    }
    for handler in &try_stmt.handlers {
        later_reads.visit_except_handler(handler);
    }
    for stmt in &body[work_end + 1..] {
        later_reads.visit_stmt(stmt);
    }
    let continues = loop_continues(before)
        .into_iter()
        .chain(loop_continues(inside))
        .collect::<Vec<_>>();
    let mut returned: Vec<String> = Vec::new();
    for (name, _) in &later_reads.loads {
        if (before_names.contains(name) || work_names.contains(name))
            && !returned.iter().any(|r| r == name)
        {
            returned.push((*name).to_string());
        }
    }
    for name in read_after_loop(checker, for_stmt) {
        if (before_names.contains(name) || work_names.contains(name))
            && !returned.iter().any(|r| r == name)
        {
            // The parent binds it as the last item's value; not without skips, and not for
            // a name the work may leave unbound.
            if !continues.is_empty() || !definitely_bound(for_stmt, before, name) {
                return None;
            }
            returned.push(name.to_string());
        }
    }
    let mut target_names = FxHashSet::default();
    collect_target(&for_stmt.target, &mut target_names);
    returned.sort_by_key(|name| !target_names.contains(name.as_str()));

    let taken: Vec<String> = returned.clone();
    let worker = fresh_unique(checker, worker_base, &taken);
    let error = fresh_unique(checker, "error", &taken);
    let result_name = fresh_unique(checker, "result", &taken);
    let target_text = source.slice(for_stmt.target.range());
    let (parameter, unpack) = match for_stmt.target.as_ref() {
        Expr::Name(name) => (name.id.to_string(), String::new()),
        _ => {
            let item = fresh_unique(checker, "item", &taken);
            let unpack = format!("{body_indent}{target_text} = {item}{newline}");
            (item, unpack)
        }
    };
    let mut replacements: Vec<(TextRange, String)> = continues
        .iter()
        .map(|at| (*at, "return None".to_string()))
        .collect();
    let worker_lines = TextRange::new(
        source.next_line_start(header_end),
        source.next_line_start(inside[inside.len() - 1].end()),
    );
    let mut work_text = splice(source, worker_lines, &mut replacements);
    if !work_text.ends_with(['\n', '\r']) {
        work_text.push_str(newline);
    }
    let tuple = |values: Vec<String>| {
        if values.len() == 1 {
            format!("{},", values[0])
        } else {
            values.join(", ")
        }
    };
    let on_error: Vec<String> = returned
        .iter()
        .map(|name| {
            if before_names.contains(name.as_str()) {
                name.clone()
            } else {
                "None".to_string()
            }
        })
        .chain(std::iter::once(error.clone()))
        .collect();
    let on_success: Vec<String> = returned
        .iter()
        .cloned()
        .chain(std::iter::once("None".to_string()))
        .collect();
    let def = match runner {
        Runner::Pool(_) | Runner::Processes(_) => "def",
        Runner::Gather => "async def",
    };
    let mut text = format!(
        "{for_indent}{def} {worker}({parameter}):{newline}{unpack}{work_text}\
         {body_indent}except BaseException as {error}:{newline}\
         {body_indent}{unit}return {}{newline}\
         {body_indent}return {}{newline}",
        tuple(on_error),
        tuple(on_success)
    );

    let mut edits = Vec::new();
    let (mapped, loop_indent, shift) = runner_loop(
        checker,
        runner,
        for_stmt,
        &worker,
        &parameter,
        &layout_parts(for_indent, unit, newline),
        &mut text,
        &mut edits,
    )?;
    let inner = format!("{loop_indent}{unit}");
    let names = if returned.is_empty() {
        format!("({error},)")
    } else {
        returned
            .iter()
            .cloned()
            .chain(std::iter::once(error.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let comment = header_comment
        .map(|range| format!("  {}", source.slice(range)))
        .unwrap_or_default();
    if continues.is_empty() {
        text.push_str(&format!(
            "{loop_indent}for {names} in {mapped}:{comment}{newline}"
        ));
    } else {
        text.push_str(&format!(
            "{loop_indent}for {result_name} in {mapped}:{comment}{newline}\
             {inner}if {result_name} is None:{newline}{inner}{unit}continue{newline}\
             {inner}{names} = {result_name}{newline}"
        ));
    }
    text.push_str(&format!(
        "{inner}try:{newline}{inner}{unit}if {error} is not None:{newline}{inner}{unit}{unit}raise {error}{newline}"
    ));
    text.push_str(&rest_of_loop(
        checker,
        for_stmt,
        &inside[inside.len() - 1],
        shift,
    ));
    if !text.ends_with(['\n', '\r']) {
        text.push_str(newline);
    }
    edits.push(replace_loop(checker, for_stmt, text));
    Some(edits)
}

/// The loop's lines after `last_moved` (the last statement the worker took), moved right by
/// `shift` to sit in the parent's new loop.
fn rest_of_loop(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    last_moved: &Stmt,
    shift: &str,
) -> String {
    let source = checker.source;
    let rest = TextRange::new(
        source.next_line_start(last_moved.end()),
        source.next_line_start(for_stmt.end()),
    );
    crate::fix::indent::indent(source.text(), checker.tokens, rest, shift)
}

/// The edit replacing the loop's lines with `text`, keeping a file that ends without a
/// newline that way.
fn replace_loop(checker: &Checker, for_stmt: &ast::StmtFor, mut text: String) -> Edit {
    let source = checker.source;
    let replaced = TextRange::new(
        source.line_start(for_stmt.start()),
        source.next_line_start(for_stmt.end()),
    );
    if usize::from(replaced.end()) == source.text().len() && !source.text().ends_with(['\n', '\r'])
    {
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        text.truncate(trimmed);
    }
    Edit::replace(replaced, text)
}

/// Indentation and line ending, for [`runner_loop`].
struct Parts<'t> {
    for_indent: &'t str,
    unit: &'t str,
    newline: &'t str,
}

fn layout_parts<'t>(for_indent: &'t str, unit: &'t str, newline: &'t str) -> Parts<'t> {
    Parts {
        for_indent,
        unit,
        newline,
    }
}

/// Opens the parent loop's runner (the pool's `with` line, appended to `text`, with its
/// import in `edits`): returns the mapped iterable, the parent loop's indentation and how
/// much the kept statements move right.
#[allow(clippy::too_many_arguments)]
fn runner_loop<'t>(
    checker: &Checker,
    runner: &Runner,
    for_stmt: &ast::StmtFor,
    worker: &str,
    parameter: &str,
    parts: &Parts<'t>,
    text: &mut String,
    edits: &mut Vec<Edit>,
) -> Option<(String, String, &'t str)> {
    let source = checker.source;
    let Parts {
        for_indent,
        unit,
        newline,
    } = *parts;
    let items = match for_stmt.iter.as_ref() {
        Expr::Tuple(tuple) if !tuple.parenthesized => {
            format!("({})", source.slice(for_stmt.iter.range()))
        }
        Expr::Starred(_) => return None,
        iter => source.slice(iter.range()).to_string(),
    };
    Some(match runner {
        Runner::Pool(spec) | Runner::Processes(spec) => {
            let pool = import_member(
                checker,
                spec.module,
                spec.class,
                ImportStyle::Member,
                for_stmt.start(),
            )?;
            edits.extend(pool.edit);
            let executor = executor_name(checker, for_stmt.range());
            text.push_str(&format!(
                "{for_indent}with {}({}) as {executor}:{newline}",
                pool.text, spec.arguments
            ));
            (
                format!("{executor}.map({worker}, {items})"),
                format!("{for_indent}{unit}"),
                unit,
            )
        }
        Runner::Gather => {
            let gather = import_member(
                checker,
                "asyncio",
                "gather",
                ImportStyle::Module,
                for_stmt.start(),
            )?;
            edits.extend(gather.edit);
            (
                format!(
                    "await {}(*({worker}({parameter}) for {parameter} in {items}))",
                    gather.text
                ),
                for_indent.to_string(),
                "",
            )
        }
    })
}

/// The worker's text pieces, for [`module_level_worker`].
struct WorkerLines<'t> {
    /// The worker's first parameter: the loop target, or a fresh name unpacked into it.
    parameter: &'t str,
    target_text: &'t str,
    /// The work's lines, indented as in the loop body, continues already turned to returns.
    work_text: &'t str,
    return_value: Option<&'t str>,
}

/// The worker as a module-level function, inserted before the top-level statement that holds
/// the loop (above the comments leading into it), or returned as the start of the loop's
/// replacement when the loop is that statement. Returns that text (empty when inserted) and
/// the callable to map: the worker, or `partial(worker, name=name, ...)` with the values of
/// `arguments`.
fn module_level_worker(
    checker: &Checker,
    for_stmt: &ast::StmtFor,
    worker: &str,
    lines: &WorkerLines,
    arguments: &[&str],
    parts: &Parts,
    edits: &mut Vec<Edit>,
) -> Option<(String, String)> {
    let source = checker.source;
    let Parts {
        for_indent,
        unit,
        newline,
    } = *parts;
    // Moving the work left must not change a string's value.
    let body_range = TextRange::new(source.line_start(for_stmt.body[0].start()), for_stmt.end());
    if !for_indent.is_empty()
        && !crate::fix::indent::multiline_strings(source.text(), checker.tokens, body_range)
            .is_empty()
    {
        return None;
    }
    let mut parameters = lines.parameter.to_string();
    if !arguments.is_empty() {
        parameters.push_str(", *, ");
        parameters.push_str(&arguments.join(", "));
    }
    let mut def = format!("def {worker}({parameters}):{newline}");
    if lines.parameter != lines.target_text {
        def.push_str(&format!(
            "{unit}{} = {}{newline}",
            lines.target_text, lines.parameter
        ));
    }
    for line in lines.work_text.split_inclusive('\n') {
        match line.strip_prefix(for_indent) {
            Some(rest) => def.push_str(rest),
            None if line.trim().is_empty() => def.push_str(line),
            // A continuation line left of the loop's body: keep it where it is.
            None => def.push_str(line),
        }
    }
    if !def.ends_with(['\n', '\r']) {
        def.push_str(newline);
    }
    if let Some(value) = lines.return_value {
        def.push_str(&format!("{unit}return {value}{newline}"));
    }
    def.push_str(newline);
    def.push_str(newline);
    let blank_lines_before = |at: ruff_text_size::TextSize| {
        let mut count = 0;
        let mut line = at;
        while line > ruff_text_size::TextSize::new(0) && count < 2 {
            let previous = source.line_start(line - ruff_text_size::TextSize::new(1));
            if !source
                .slice(TextRange::new(previous, line))
                .trim()
                .is_empty()
            {
                break;
            }
            count += 1;
            line = previous;
        }
        if line == ruff_text_size::TextSize::new(0) {
            2
        } else {
            count
        }
    };
    let callable = if arguments.is_empty() {
        worker.to_string()
    } else {
        let partial = import_member(
            checker,
            "functools",
            "partial",
            ImportStyle::Member,
            for_stmt.start(),
        )?;
        edits.extend(partial.edit);
        let keywords = arguments
            .iter()
            .map(|name| format!("{name}={name}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{}({worker}, {keywords})", partial.text)
    };
    let top = checker
        .module
        .iter()
        .find(|stmt| stmt.range().contains_range(for_stmt.range()))?;
    if top.range() == for_stmt.range() {
        let at = source.line_start(for_stmt.start());
        let spacing = newline.repeat(2 - blank_lines_before(at));
        return Some((format!("{spacing}{def}"), callable));
    }
    // Above the comment lines that lead into the statement.
    let mut at = source.line_start(top.start());
    while at > ruff_text_size::TextSize::new(0) {
        let previous = source.line_start(at - ruff_text_size::TextSize::new(1));
        if !source
            .slice(TextRange::new(previous, at))
            .trim_start()
            .starts_with('#')
        {
            break;
        }
        at = previous;
    }
    let spacing = newline.repeat(2 - blank_lines_before(at));
    edits.push(Edit::insert(at, format!("{spacing}{def}")));
    Some((String::new(), callable))
}

/// The values a module-level worker needs from the loop's scope, passed as keyword arguments:
/// the names the work reads (the hoisted steps only where the worker computes them) that it
/// does not bind itself and that are not module-level functions, classes or imports (a worker
/// process imports those) or builtins. `None` when one of them cannot go to another process:
/// `self`, a lambda or nested function, an open resource or client, a local import, or a name
/// the analysis cannot place; or when the work defines functions or classes.
fn process_worker_arguments<'a>(
    checker: &Checker<'a>,
    for_stmt: &ast::StmtFor,
    work: &'a [Stmt],
    hoisted: &[&Stmt],
    computed_in_worker: &[TextRange],
    bound_in_work: &FxHashSet<&str>,
) -> Option<Vec<&'a str>> {
    use crate::analysis::semantic::BindingKind;
    let mut reads = ScopedReads::default();
    for stmt in work {
        reads.visit_stmt(stmt);
    }
    if reads.defines {
        return None;
    }
    let mut arguments: Vec<&str> = Vec::new();
    for (name, at) in reads.loads {
        let in_parent = hoisted.iter().any(|stmt| stmt.range().contains_range(at))
            && !computed_in_worker
                .iter()
                .any(|range| range.contains_range(at));
        if in_parent || bound_in_work.contains(name) || arguments.contains(&name) {
            continue;
        }
        if matches!(name, "self" | "cls") {
            return None;
        }
        let Some(binding) = checker.semantic.lookup(name, for_stmt.start()) else {
            if crate::analysis::library::is_builtin_name(name) {
                continue;
            }
            return None;
        };
        let importable = binding.module_level
            && checker.semantic.module_binding_count(name) == 1
            && !in_module_main_guard(checker.module, binding.range)
            && matches!(
                binding.kind,
                BindingKind::Function(_)
                    | BindingKind::Class(_)
                    | BindingKind::Import { .. }
                    | BindingKind::FromImport { .. }
            );
        if importable {
            continue;
        }
        match binding.kind {
            BindingKind::Parameter => arguments.push(name),
            // The parent evaluates the argument before the first item: the name must be bound
            // on every path that reaches the loop (not only in an earlier loop's body).
            BindingKind::Value | BindingKind::Object(_)
                if binding.module_level
                    || assigned_on_the_way(scope_body(checker), for_stmt, name) =>
            {
                arguments.push(name);
            }
            _ => return None,
        }
    }
    Some(arguments)
}

/// Whether `range` lies in a module-level `if __name__ == "__main__":` block (a worker
/// process started by spawn does not run it).
fn in_module_main_guard(module: &[Stmt], range: TextRange) -> bool {
    module.iter().any(|stmt| {
        matches!(stmt, Stmt::If(if_stmt)
            if crate::analysis::semantic::is_main_guard(&if_stmt.test)
                && if_stmt.range().contains_range(range))
    })
}

/// The names loaded in some statements, leaving out those a comprehension or lambda inside
/// binds for itself; notes whether the statements define functions or classes.
#[derive(Default)]
struct ScopedReads<'a> {
    loads: Vec<(&'a str, TextRange)>,
    /// Names bound by the comprehensions and lambdas being visited.
    masked: Vec<&'a str>,
    defines: bool,
    /// Whether to read inside nested functions too (their own locals masked).
    enter_functions: bool,
}

impl<'a> Visitor<'a> for ScopedReads<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) if self.enter_functions => {
                self.defines = true;
                let depth = self.masked.len();
                self.masked
                    .extend(crate::analysis::names::function_locals(def));
                visitor::walk_stmt(self, stmt);
                self.masked.truncate(depth);
            }
            Stmt::ClassDef(_) if self.enter_functions => {
                self.defines = true;
                visitor::walk_stmt(self, stmt);
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => {
                self.defines = true;
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let generators = match expr {
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }) => Some(generators),
            _ => None,
        };
        if let Some(generators) = generators {
            let depth = self.masked.len();
            for generator in generators {
                let mut names = FxHashSet::default();
                collect_target(&generator.target, &mut names);
                self.masked.extend(names);
            }
            visitor::walk_expr(self, expr);
            self.masked.truncate(depth);
            return;
        }
        if let Expr::Lambda(lambda) = expr {
            let depth = self.masked.len();
            if let Some(parameters) = &lambda.parameters {
                for parameter in parameters.iter() {
                    self.masked.push(parameter.name().as_str());
                }
            }
            visitor::walk_expr(self, expr);
            self.masked.truncate(depth);
            return;
        }
        if let Expr::Name(name) = expr {
            if name.ctx == ast::ExprContext::Load && !self.masked.contains(&name.id.as_str()) {
                self.loads.push((name.id.as_str(), name.range()));
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether the work may run in worker processes as far as state goes: each task gets a copy
/// of what it reads, and a worker started by spawn has only what importing the module sets
/// up. Not when the work calls methods of an object the iterations share (`rng.randint()`,
/// `it.send()`; each task would start from the same copy), draws from the `random` or
/// `numpy.random` module state, advances a shared iterator with `next`, or when a function
/// of the module reads a global that only the `__main__` block or a `global` statement binds
/// (spawned workers never run those).
fn process_state_is_copied_safely<'a>(
    checker: &Checker<'a>,
    model: &LoopModel<'a>,
    work: &'a [Stmt],
) -> bool {
    use crate::analysis::semantic::BindingKind;
    let importable = |name: &str| {
        matches!(
            checker
                .semantic
                .lookup(name, model.for_stmt.start())
                .map(|binding| binding.kind),
            Some(
                BindingKind::Import { .. }
                    | BindingKind::FromImport { .. }
                    | BindingKind::Class(_)
                    | BindingKind::Function(_)
            )
        )
    };
    for receiver in &model.shared_receivers {
        let mut root = *receiver;
        while let Expr::Attribute(attribute) = root {
            root = &attribute.value;
        }
        match root {
            Expr::Name(name) if importable(name.id.as_str()) => {}
            _ => return false,
        }
    }
    for call in work.iter().flat_map(crate::analysis::names::calls_in) {
        if let Some(name) = checker.semantic.qualified_name(&call.func) {
            if matches!(name.segments(), ["random", ..] | ["numpy", "random", ..]) {
                return false;
            }
        }
        if matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "next")
            && call.arguments.args.first().is_some_and(|argument| {
                matches!(argument, Expr::Name(name) if !model.per_item.contains(name.id.as_str()))
            })
        {
            return false;
        }
    }
    // A module global the parent fills, read by a function of the module: each worker has
    // its own copy, which the parent's combine steps never reach.
    let global_sinks: Vec<&str> = model
        .sinks()
        .filter(|sink| {
            checker
                .semantic
                .lookup(sink, model.for_stmt.start())
                .is_some_and(|binding| binding.module_level)
        })
        .collect();
    if !global_sinks.is_empty() && module_functions_read(checker, &global_sinks) {
        return false;
    }
    // Process-wide settings the module changes (a spawned worker has the defaults).
    if checker.text().contains("setrecursionlimit") {
        return false;
    }
    !defines_local_types(checker) && !reads_globals_spawn_lacks(checker)
}

/// Whether a module-level function reads one of `names` as a global.
fn module_functions_read(checker: &Checker, names: &[&str]) -> bool {
    checker.module.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) => global_reads(def).any(|name| names.contains(&name)),
        _ => false,
    })
}

/// Whether the enclosing function or the `__main__` block defines a class or a named tuple:
/// its instances (items, arguments, results) cannot be pickled by a worker that cannot
/// import the class.
fn defines_local_types(checker: &Checker) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::ClassDef(_)) {
                self.0 = true;
                return;
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let tail = match call.func.as_ref() {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
                    _ => None,
                };
                if matches!(
                    tail,
                    Some("namedtuple" | "NamedTuple" | "make_dataclass" | "type")
                ) {
                    self.0 = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    if let Some(ScopeKind::Function(def)) = checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        finder.visit_body(&def.body);
    }
    for stmt in checker.module {
        if let Stmt::If(if_stmt) = stmt {
            if crate::analysis::semantic::is_main_guard(&if_stmt.test) {
                finder.visit_body(&if_stmt.body);
            }
        }
    }
    finder.0
}

/// Whether a module-level function reads a global that the `__main__` block or a `global`
/// statement binds (a spawned worker has the module's other value, or none).
fn reads_globals_spawn_lacks(checker: &Checker) -> bool {
    let mut lacking: FxHashSet<&str> = FxHashSet::default();
    for stmt in checker.module {
        match stmt {
            Stmt::If(if_stmt) if crate::analysis::semantic::is_main_guard(&if_stmt.test) => {
                for inner in &if_stmt.body {
                    collect_bound(inner, &mut lacking);
                }
            }
            Stmt::FunctionDef(def) => {
                crate::analysis::names::collect_declared_outer(&def.body, &mut lacking);
            }
            _ => {}
        }
    }
    // (A name also bound outside the block has that other value in a spawned worker.)
    if lacking.is_empty() {
        return false;
    }
    checker.module.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) => global_reads(def).any(|name| lacking.contains(name)),
        _ => false,
    })
}

/// The names a function reads as globals: not its own locals (parameters included) nor
/// those of the functions nested in it.
fn global_reads(def: &ast::StmtFunctionDef) -> impl Iterator<Item = &str> {
    let mut reads = ScopedReads {
        enter_functions: true,
        ..ScopedReads::default()
    };
    reads
        .masked
        .extend(crate::analysis::names::function_locals(def));
    reads.visit_body(&def.body);
    reads.loads.into_iter().map(|(name, _)| name)
}

/// The body of the enclosing function, or the module's.
fn scope_body<'a>(checker: &Checker<'a>) -> &'a [Stmt] {
    match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => &def.body,
        _ => checker.module,
    }
}

/// Whether a statement that always runs before `for_stmt` (in its block or the blocks around
/// it, up to `body`) assigns `name`.
fn assigned_on_the_way(body: &[Stmt], for_stmt: &ast::StmtFor, name: &str) -> bool {
    for stmt in body {
        if stmt.range().contains_range(for_stmt.range()) {
            if stmt.range() == for_stmt.range() {
                return false;
            }
            let blocks: Vec<&[Stmt]> = match stmt {
                Stmt::If(if_stmt) => std::iter::once(if_stmt.body.as_slice())
                    .chain(if_stmt.elif_else_clauses.iter().map(|c| c.body.as_slice()))
                    .collect(),
                Stmt::With(with) => vec![&with.body],
                Stmt::For(inner) => vec![&inner.body, &inner.orelse],
                Stmt::While(inner) => vec![&inner.body, &inner.orelse],
                Stmt::Try(try_stmt) => {
                    let mut blocks = vec![
                        try_stmt.body.as_slice(),
                        try_stmt.orelse.as_slice(),
                        try_stmt.finalbody.as_slice(),
                    ];
                    blocks.extend(try_stmt.handlers.iter().map(|handler| {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        handler.body.as_slice()
                    }));
                    blocks
                }
                _ => return false,
            };
            return blocks
                .into_iter()
                .find(|block| {
                    block
                        .iter()
                        .any(|inner| inner.range().contains_range(for_stmt.range()))
                })
                .is_some_and(|block| assigned_on_the_way(block, for_stmt, name));
        }
        let assigns = match stmt {
            Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::AugAssign(_) | Stmt::With(_) => {
                let mut names = FxHashSet::default();
                collect_bound(stmt, &mut names);
                names.contains(name)
            }
            _ => false,
        };
        if assigns {
            return true;
        }
    }
    false
}
