//! PAR403 worker-mutates-shared-state: a process worker writes a module global; the parent
//! never sees the change.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::names::stmt_names;
use crate::analysis::semantic::Runner;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::edits::stands_alone;
use crate::rules::shared_state::{
    shared_roots, shared_writes, shown, target_function, SharedWrite, WriteKind,
};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR403",
    name: "worker-mutates-shared-state",
    severity: Severity::Error,
    fix: FixAvailability::DisplayOnly,
    opt_in: false,
    summary: "A function run in worker processes writes module-level state: each process changes its own copy and the parent never sees it",
    docs: DOCS,
    kinds: &[NodeKind::RunnerCall],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags writes to module-level state inside a module-level function that a process pool or
`multiprocessing.Process` runs: `global total; total += x`, `results.append(x)`,
`cache[key] = value`, `counts[k] += 1` on a module-level list, dict, set, counter or number.

To stay precise it only reports state that the module reads somewhere else (the parent
expects to see the result; a function's own local of the same name does not count), and it
stays silent when the function consults the state before writing it (`if key in cache:`,
`cache.get(key)`, `return cache[key]`, `if _model is None:`: a per-process cache or lazy
initialisation, which is deliberate), for
pool `initializer=` functions (setting per-process globals is their job), for plain
`global x; x = value` rebinding, and for process-shared objects (`Manager()` proxies,
`multiprocessing.Value`/`Array`, queues).

## Why is this bad?
Each worker process has its own copy of the module. The data-parallel work runs, the worker
updates its copy, and the update vanishes with the process: the parent's `results` stays
empty and its `total` stays 0. Under `fork` the copy starts with the parent's values, under
`spawn` with fresh ones — either way nothing comes back, and no error says so.

## Example
```python
results = []

def work(item):
    results.append(transform(item))

with ProcessPoolExecutor() as executor:
    executor.map(work, items)
print(len(results))  # 0
```

Use instead:
```python
def work(item):
    return transform(item)

with ProcessPoolExecutor() as executor:
    results = list(executor.map(work, items))
```

## Fix
Display-only: the suggestion returns the value from the worker instead of storing it
(`return transform(item)`); the caller then combines what `map` returns. Where results
must be shared while running, use a `multiprocessing.Manager()` or a queue.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    let Some(run) = checker.runner_call(call) else {
        return;
    };
    let in_processes = match run.runner {
        Runner::Pool(kind) => kind.pickles_callables() && run.entry != "initializer",
        Runner::Process(_) => true,
        Runner::Thread => false,
    };
    if !in_processes {
        return;
    }
    let Some(target) = target_function(checker, run.callable) else {
        return;
    };
    if !target.module_level {
        return;
    }
    let roots = shared_roots(&target, true);
    let writes = shared_writes(checker, &target, &roots);
    for write in &writes {
        if write.kind == WriteKind::Rebind
            || !is_plain_state(checker, write.root)
            || guards_with_reads(target.def, write.root)
            || !read_elsewhere(checker, target.def, write.root)
        {
            continue;
        }
        let range = write.stmt.range();
        if checker.has_reported_at(&RULE, range) {
            continue;
        }
        let message = format!(
            "`{}` runs in worker processes ({}) and writes module-level `{}`: each process changes its own copy, so the parent never sees it; return the value and combine the results in the parent",
            target.def.name,
            run.describe(),
            shown(checker, write),
        );
        let fix = return_instead(checker, write);
        checker.report(Diagnostic::new(&RULE, message, range).with_fix(Some(fix)));
    }
}

/// A module-level number, string, list, dict, set or `collections` container: state a
/// process copies (not a `Manager()` proxy, `Value`, `Array` or queue, which are shared).
fn is_plain_state(checker: &Checker, root: &str) -> bool {
    let Some(binding) = checker.semantic.module_binding(root) else {
        return false;
    };
    if checker.semantic.module_binding_count(root) != 1 {
        return false;
    }
    let Some(value) = checker.module_index().bound_values.get(&binding.range) else {
        return false;
    };
    match value {
        Expr::List(_)
        | Expr::Dict(_)
        | Expr::Set(_)
        | Expr::ListComp(_)
        | Expr::DictComp(_)
        | Expr::SetComp(_)
        | Expr::NumberLiteral(_) => true,
        Expr::Call(call) => checker
            .semantic
            .resolves_to_any(
                &call.func,
                &[
                    "builtins.list",
                    "builtins.dict",
                    "builtins.set",
                    "collections.defaultdict",
                    "collections.Counter",
                    "collections.deque",
                    "collections.OrderedDict",
                ],
            )
            .is_some(),
        _ => false,
    }
}

/// Whether the worker consults `root` before writing it — `if key in cache:`,
/// `cache.get(key)`, `return cache[key]`, `if _model is None:` — a per-process cache or lazy
/// initialisation, which is deliberate. A plain read (`print(results)`) is not.
fn guards_with_reads(def: &ruff_python_ast::StmtFunctionDef, root: &str) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Guards<'n> {
        root: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Guards<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            let mentions =
                |expr: &Expr| crate::analysis::names::expr_names(expr).load_count(self.root) > 0;
            match stmt {
                Stmt::If(if_stmt) if mentions(&if_stmt.test) => self.found = true,
                Stmt::While(while_stmt) if mentions(&while_stmt.test) => self.found = true,
                Stmt::Return(ruff_python_ast::StmtReturn {
                    value: Some(value), ..
                }) if mentions(value) => self.found = true,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(attribute) = call.func.as_ref() {
                    if attribute.attr.as_str() == "get"
                        && matches!(attribute.value.as_ref(), Expr::Name(n) if n.id.as_str() == self.root)
                    {
                        self.found = true;
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut guards = Guards { root, found: false };
    guards.visit_body(&def.body);
    guards.found
}

/// Whether module code other than the worker reads the module-level `root`: the parent
/// expects the result. Functions where `root` is a local of their own do not count.
fn read_elsewhere(
    checker: &Checker,
    worker: &ruff_python_ast::StmtFunctionDef,
    root: &str,
) -> bool {
    checker.module.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) if std::ptr::eq(def, worker) => false,
        Stmt::FunctionDef(def) => {
            !crate::analysis::names::function_locals(def).contains(root)
                && crate::analysis::names::function_names(def, true).load_count(root) > 0
        }
        _ => stmt_names(stmt).load_count(root) > 0,
    })
}

/// The suggestion: return what the worker stored.
fn return_instead(checker: &Checker, write: &SharedWrite) -> Fix {
    let message = "Return the value from the worker and combine the results in the parent";
    let value = match write.stmt {
        Stmt::Expr(statement) => match statement.value.as_ref() {
            Expr::Call(call)
                if call.arguments.args.len() == 1 && call.arguments.keywords.is_empty() =>
            {
                Some(checker.text()[call.arguments.args[0].range()].to_string())
            }
            _ => None,
        },
        Stmt::AugAssign(assign) => Some(checker.text()[assign.value.range()].to_string()),
        Stmt::Assign(assign) => match assign.targets.as_slice() {
            [Expr::Subscript(subscript)] if write.kind == WriteKind::Store => Some(format!(
                "{}, {}",
                &checker.text()[subscript.slice.range()],
                &checker.text()[assign.value.range()]
            )),
            _ => None,
        },
        _ => None,
    };
    match value {
        Some(value) if stands_alone(checker.source, write.stmt) => Fix::display_only(
            message,
            vec![Edit::replace(write.stmt.range(), format!("return {value}"))],
        ),
        _ => Fix::display_only(message, Vec::new()),
    }
}
