//! What PAR101 and PAR102 share: recognising CPU-bound work on each item of an independent
//! loop, and rewriting the loop into a process pool.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::loops::IndependentLoop;
use crate::analysis::semantic::BindingKind;
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Fix};
use crate::fix::pool_rewrite::{rewrite_for, PoolSpec};
use crate::rules::RuleSpec;

pub const PROCESS_POOL: PoolSpec<'static> = PoolSpec {
    module: "concurrent.futures",
    class: "ProcessPoolExecutor",
    arguments: "",
};

/// A call doing CPU-bound work on each item, and the evidence for it.
pub struct CpuCall<'a> {
    pub call: &'a ast::ExprCall,
    /// "`simulate` loops over `range(steps)` (line 4): grows with the input".
    pub evidence: String,
}

/// The work call when it runs a picklable (module-level or imported) function whose cost
/// grows with its input (or that is heavy), and that does not change its arguments in place
/// (in a worker process the change would be lost).
pub fn cpu_bound_call<'a>(checker: &Checker<'a>, value: &'a Expr) -> Option<CpuCall<'a>> {
    let Expr::Call(call) = value else {
        return None;
    };
    cpu_bound(checker, call)
}

/// [`cpu_bound_call`] for a call.
fn cpu_bound<'a>(checker: &Checker<'a>, call: &'a ast::ExprCall) -> Option<CpuCall<'a>> {
    if !is_picklable_function(checker, &call.func) || calls_enclosing_function(checker, &call.func)
    {
        return None;
    }
    let effects = checker.call_summary(call);
    let work = effects.cpu_work()?;
    if checker
        .callee_summary(&call.func)
        .is_some_and(|summary| summary.mutation.mutates_arguments())
        || !at_top_of_the_work(checker)
    {
        return None;
    }
    let own = checker.callee_summary(&call.func);
    let cost = own.as_ref().map_or(&effects.cost, |summary| &summary.cost);
    let evidence = match crate::rules::evidence::cost(checker, cost) {
        Some(cost) => format!(
            "`{}` {cost}",
            short(checker.source.slice(call.func.range()))
        ),
        None => format!(
            "`{}`: {}",
            short(checker.source.slice(call.func.range())),
            work.describe()
        ),
    };
    Some(CpuCall { call, evidence })
}

/// Whether the loop is at the top of the work, where a process pool belongs: in code that
/// runs when the module runs as a program (module-level code, the `__main__` block, `main`,
/// a command-line command, and the functions they call), and not in a building block of a
/// larger computation — a function the module calls once per item (in a loop, a
/// comprehension or a `map`) or recursively, where a pool would be one pool per item. A
/// library function is a building block of its callers: the pool belongs to them.
pub fn at_top_of_the_work<'a>(checker: &Checker<'a>) -> bool {
    use crate::analysis::semantic::ScopeKind;
    let scopes = checker.semantic.scopes();
    let Some(index) = scopes.iter().rposition(|scope| scope.is_function_like()) else {
        // Module-level code of a script.
        return true;
    };
    let ScopeKind::Function(def) = scopes[index].kind else {
        return false;
    };
    let class = match index.checked_sub(1).map(|outer| scopes[outer].kind) {
        Some(ScopeKind::Class(class)) => Some(class),
        _ => None,
    };
    let module_index = checker.module_index();
    let name = def.name.as_str();
    module_index.runs_as_program.contains(name)
        && !module_index.called_per_item.contains(name)
        && !checker
            .summaries()
            .of_function(&checker.semantic, def, class)
            .recursive
}

/// Whether `func` names a function the loop is inside: parallelising a recursive function's
/// own recursion from within itself is never the intent.
fn calls_enclosing_function(checker: &Checker, func: &Expr) -> bool {
    let Expr::Name(name) = func else {
        return false;
    };
    checker.semantic.scopes().iter().any(|scope| {
        matches!(scope.kind, crate::analysis::semantic::ScopeKind::Function(def) if def.name.as_str() == name.id.as_str())
    })
}

/// A function workers can import by name: a module-level `def` or an imported function.
pub fn is_picklable_function<'a>(checker: &Checker<'a>, func: &'a Expr) -> bool {
    match func {
        Expr::Name(name) => matches!(
            checker.semantic.lookup(name.id.as_str(), name.start()),
            Some(binding) if binding.module_level
                && matches!(binding.kind, BindingKind::Function(_) | BindingKind::FromImport { .. })
        ),
        Expr::Attribute(_) => checker
            .semantic
            .qualified_name(func)
            .is_some_and(|name| name.segments().first() != Some(&"builtins")),
        _ => false,
    }
}

/// `resize` for `resize(path)`, shortened for messages.
pub fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 40 || line.len() < text.len() {
        format!("{}...", line.chars().take(37).collect::<String>())
    } else {
        line.to_string()
    }
}

/// The `for` header, from `for` (or `async`) to its colon: where loop findings start and what
/// they underline (a header over several lines is covered whole, the body never).
pub fn header_range(checker: &Checker, for_stmt: &ast::StmtFor) -> TextRange {
    let tokens = checker.tokens;
    let after_iter = tokens.partition_point(|token| token.start() < for_stmt.iter.end());
    let colon = tokens[after_iter..]
        .iter()
        .take_while(|token| token.start() < for_stmt.end())
        .find(|token| token.kind() == TokenKind::Colon);
    let end = colon.map_or_else(
        || {
            checker
                .source
                .line_end(for_stmt.start())
                .min(for_stmt.end())
        },
        Ranged::end,
    );
    TextRange::new(for_stmt.start(), end)
}

/// A CPU-bound `for` loop's finding with the compact process-pool rewrite (or a suggestion).
pub fn for_diagnostic<'a>(
    checker: &Checker<'a>,
    rule: &'static RuleSpec,
    for_stmt: &'a ast::StmtFor,
    independent: &IndependentLoop<'a>,
    work: &CpuCall<'a>,
    strategy: &str,
) -> Diagnostic {
    let call = work.call;
    let message = format!(
        "CPU-bound loop calls `{}` on each item of `{}` ({}); {strategy}",
        short(checker.source.slice(call.func.range())),
        short(checker.source.slice(independent.iter.range())),
        work.evidence
    );
    let fix = match rewrite_for(checker, for_stmt, independent, call, &PROCESS_POOL) {
        Some(edits) => Fix::unsafe_("Run the loop's calls in a `ProcessPoolExecutor`", edits),
        None => Fix::display_only(
            "Map the function over the items with `ProcessPoolExecutor().map` (the loop body needs more than one call, comments or its variables after the loop: rewrite by hand)",
            Vec::new(),
        ),
    };
    Diagnostic::new(rule, message, header_range(checker, for_stmt)).with_fix(Some(fix))
}

/// A loop the compact rewrite does not take (temporaries, several collectors, a counter, a
/// guarded count, prints) whose per-item work calls a CPU-bound function: the dataflow
/// decomposition ([`crate::analysis::loop_model`]) finds the iterations independent, and the
/// summary of one iteration neither blocks on I/O nor changes shared state.
pub struct ModelledCpuLoop<'a> {
    /// The last top-level statement of the body calling the CPU-bound function.
    pub work_end: usize,
    pub work: CpuCall<'a>,
    /// The accumulators when the loop only sums or counts what the work computes (PAR102)
    /// rather than collecting it (PAR101, `None`).
    pub reduces: Option<Vec<&'a str>>,
}

pub fn modelled_cpu_loop<'a>(
    checker: &Checker<'a>,
    for_stmt: &'a ast::StmtFor,
) -> Option<ModelledCpuLoop<'a>> {
    use crate::analysis::loop_model::CombineKind;
    // In a loop nest the outer loop is the one to parallelize.
    if checker.in_enclosing_loop(for_stmt) {
        return None;
    }
    let facts = checker.loop_model(for_stmt);
    let iteration = &facts.iteration;
    // (No CPU-bound cost in the body at all: nothing to decompose. The module index behind
    // `at_top_of_the_work` is built on first use: asked last.)
    if !iteration.blocking.is_empty()
        || iteration.affinity.is_some()
        || iteration.cost.cpu.is_none()
        || !at_top_of_the_work(checker)
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
    // The work: the last top-level statement calling a CPU-bound function with per-item
    // values.
    let (work_end, work) = for_stmt
        .body
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, stmt)| {
            crate::analysis::names::calls_in(stmt)
                .into_iter()
                .filter(|call| model.varies_per_item(call))
                .find_map(|call| cpu_bound(checker, call))
                .map(|work| (index, work))
        })?;
    let kept = || {
        model
            .combines
            .iter()
            .filter(|step| step.kind != CombineKind::Output)
    };
    let reduces = kept()
        .all(|step| matches!(step.kind, CombineKind::Reduce | CombineKind::Count))
        .then(|| kept().filter_map(|step| step.sink).collect());
    Some(ModelledCpuLoop {
        work_end,
        work,
        reduces,
    })
}

/// A [`ModelledCpuLoop`]'s finding with the outlining fix: the per-item work in a
/// module-level worker, mapped over the items in a process pool, the combine steps in the
/// parent.
fn modelled_diagnostic<'a>(
    checker: &Checker<'a>,
    rule: &'static RuleSpec,
    for_stmt: &'a ast::StmtFor,
    candidate: &ModelledCpuLoop<'a>,
    strategy: &str,
) -> Option<Diagnostic> {
    let facts = checker.loop_model(for_stmt);
    let model = facts.model().as_ref().ok()?;
    let message = format!(
        "CPU-bound loop calls `{}` on each item of `{}` ({}); {strategy}",
        short(checker.source.slice(candidate.work.call.func.range())),
        short(checker.source.slice(for_stmt.iter.range())),
        candidate.work.evidence
    );
    let worker = worker_name(checker, for_stmt);
    let fix = crate::fix::outline::outline_loop(
        checker,
        model,
        candidate.work_end,
        &worker,
        &crate::fix::outline::Runner::Processes(&PROCESS_POOL),
        &|_| true,
    )
    .map(|edits| {
        Fix::unsafe_(
            "Move the per-item work into a module-level function and run it in a `ProcessPoolExecutor`",
            edits,
        )
    })
    .unwrap_or_else(|| {
        Fix::display_only(
            "Move the per-item work into a module-level function and map it over the items with `ProcessPoolExecutor().map`, keeping the results' order (rewrite by hand: the work needs values that cannot go to another process, or the loop's shape is outside what the rewrite proves equivalent)",
            Vec::new(),
        )
    });
    Some(Diagnostic::new(rule, message, header_range(checker, for_stmt)).with_fix(Some(fix)))
}

/// Whether a loop's accumulators are numbers (PAR102's question about a sum).
pub type AccumulatorCheck<'a, 'f> = &'f dyn Fn(&Checker<'a>, &[&str]) -> bool;

/// PAR101 and PAR102 on a `for` loop: the compact rewrite (`compact`, the rule's finding for
/// the one-call shapes) where it applies, else the outlined one, which also takes the loops
/// the compact shape can only suggest a rewrite for. `sums` picks the loops that only sum or
/// count (PAR102: `Some`, deciding whether those accumulators are numbers) or, with `None`,
/// the loops that collect (PAR101).
pub fn check_cpu_loop<'a>(
    checker: &mut Checker<'a>,
    for_stmt: &'a ast::StmtFor,
    rule: &'static RuleSpec,
    sums: Option<AccumulatorCheck<'a, '_>>,
    strategy: &str,
    compact: Option<Diagnostic>,
) {
    let chosen = crate::rules::prefer_applicable(compact, || {
        modelled_cpu_loop(checker, for_stmt)
            .filter(|candidate| match (&candidate.reduces, sums) {
                (Some(accumulators), Some(numbers)) => numbers(checker, accumulators),
                (None, None) => true,
                _ => false,
            })
            .and_then(|candidate| {
                modelled_diagnostic(checker, rule, for_stmt, &candidate, strategy)
            })
    });
    if let Some(diagnostic) = chosen {
        checker.report(diagnostic);
    }
}

/// The module-level worker's name: `<function>_item` for the first loop of a module-level
/// function, `compute_one` for the first loop of module-level code, and the same with the
/// loop's line for any other loop (a later loop, a loop in a method or nested function):
/// the workers of several loops fixed in one pass all land at module level and must not take
/// one name.
fn worker_name(checker: &Checker, for_stmt: &ast::StmtFor) -> String {
    use crate::analysis::semantic::ScopeKind;
    use ruff_python_ast::visitor::{self, Visitor};
    use ruff_python_ast::Stmt;
    struct Loops(usize, ruff_text_size::TextSize);
    impl<'a> Visitor<'a> for Loops {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(_) if stmt.start() < self.1 => {
                    self.0 += 1;
                    visitor::walk_stmt(self, stmt);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
    }
    let scopes = checker.semantic.scopes();
    let (base, body, direct): (String, &[Stmt], bool) = match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => (
            format!("{}_item", def.name.as_str().trim_start_matches('_')),
            &def.body,
            // The module, then the function: nothing in between.
            scopes.len() == 2,
        ),
        _ => ("compute_one".to_string(), checker.module, true),
    };
    let mut loops = Loops(0, for_stmt.start());
    loops.visit_body(body);
    if direct && loops.0 == 0 {
        base
    } else {
        format!("{base}_{}", checker.source.row(for_stmt.start()))
    }
}
