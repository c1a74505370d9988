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

/// Reports a CPU-bound `for` loop with the process-pool rewrite (or a suggestion).
pub fn report_for<'a>(
    checker: &mut Checker<'a>,
    rule: &'static RuleSpec,
    for_stmt: &'a ast::StmtFor,
    independent: &IndependentLoop<'a>,
    work: &CpuCall<'a>,
    strategy: &str,
) {
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
    checker.report(
        Diagnostic::new(rule, message, header_range(checker, for_stmt)).with_fix(Some(fix)),
    );
}
