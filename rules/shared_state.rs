//! What PAR403 and PAR502 share: the function a pool, process or thread runs, and the writes
//! its body makes to state that outlives one call (module globals, closure variables, the
//! object behind `self`).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashSet;

use crate::analysis::names::{expr_names, function_locals};
use crate::analysis::semantic::{first_parameter_name, last_identifier, BindingKind, ScopeKind};
use crate::checker::Checker;

/// The function a runner calls.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub def: &'a ast::StmtFunctionDef,
    /// For a bound method (`self.work`): the method's `self` parameter, whose object every
    /// call shares.
    pub self_name: Option<&'a str>,
    pub module_level: bool,
}

/// Resolves what a runner is handed to the `def` it calls: `work`, `functools.partial(work,
/// ...)`, or `self.work` inside a method of the same class.
pub fn target_function<'a>(checker: &Checker<'a>, callable: &'a Expr) -> Option<Target<'a>> {
    match callable {
        Expr::Name(name) => {
            let binding = checker.semantic.lookup(name.id.as_str(), name.start())?;
            match binding.kind {
                BindingKind::Function(def) => Some(Target {
                    def,
                    self_name: None,
                    module_level: binding.module_level,
                }),
                _ => None,
            }
        }
        Expr::Call(call)
            if checker
                .semantic
                .resolves_to(&call.func, "functools.partial") =>
        {
            target_function(checker, call.arguments.args.first()?)
        }
        Expr::Attribute(attribute) => {
            let Expr::Name(base) = attribute.value.as_ref() else {
                return None;
            };
            let scopes = checker.semantic.scopes();
            let method_index = scopes
                .iter()
                .rposition(|scope| matches!(scope.kind, ScopeKind::Function(_)))?;
            let (ScopeKind::Function(method), ScopeKind::Class(class)) = (
                scopes[method_index].kind,
                scopes.get(method_index.checked_sub(1)?)?.kind,
            ) else {
                return None;
            };
            if first_parameter_name(method) != Some(base.id.as_str()) {
                return None;
            }
            let def = class.body.iter().find_map(|stmt| match stmt {
                Stmt::FunctionDef(def) if def.name.as_str() == attribute.attr.as_str() => Some(def),
                _ => None,
            })?;
            Some(Target {
                def,
                self_name: first_parameter_name(def),
                module_level: false,
            })
        }
        _ => None,
    }
}

/// How a statement changes shared state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    /// `n += 1`, `d[k] = d.get(k, 0) + 1`, `self.total = self.total + x`: reads, then writes.
    ReadModifyWrite,
    /// `results.append(x)`, `seen.add(x)`, `del cache[k]`.
    Mutation,
    /// `results[k] = v`, `obj.attr = v`: a store that does not read the old value.
    Store,
    /// `global n; n = v`.
    Rebind,
}

/// One write to shared state inside a target's body.
#[derive(Debug, Clone, Copy)]
pub struct SharedWrite<'a> {
    pub stmt: &'a Stmt,
    /// The shared name at the root of the target (`counter`, `results`, `self`).
    pub root: &'a str,
    /// The written expression (`counter`, `self.count`, `totals[key]`, `results`).
    pub target: &'a Expr,
    pub kind: WriteKind,
    /// Inside `with <lock>:`.
    pub locked: bool,
}

/// Methods that change a list, dict, set or deque in place.
const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "add",
    "update",
    "setdefault",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "appendleft",
    "extendleft",
    "popleft",
    "sort",
    "reverse",
];

/// Names the target's body can reach that outlive one call: `global`/`nonlocal`
/// declarations, free names bound outside (module or enclosing function), and `self` of a
/// bound method.
pub fn shared_roots<'a>(target: &Target<'a>, module_level_only: bool) -> SharedRoots<'a> {
    let locals = function_locals(target.def);
    let mut declared = FxHashSet::default();
    collect_declarations(&target.def.body, &mut declared);
    SharedRoots {
        locals,
        declared,
        self_name: target.self_name,
        module_level_only,
    }
}

/// The names writes are checked against (see [`shared_roots`]).
pub struct SharedRoots<'a> {
    locals: FxHashSet<&'a str>,
    declared: FxHashSet<&'a str>,
    self_name: Option<&'a str>,
    /// Only module globals count (process workers: their closure cells are copies too, but
    /// they cannot be pickled in the first place).
    module_level_only: bool,
}

impl<'a> SharedRoots<'a> {
    /// Whether `name` at the root of a written expression names shared state.
    fn is_shared(&self, checker: &Checker<'a>, name: &str) -> bool {
        if self.declared.contains(name) {
            return true;
        }
        if self.self_name == Some(name) {
            return !self.module_level_only;
        }
        if self.locals.contains(name) {
            return false;
        }
        if self.module_level_only {
            return checker.semantic.module_binding(name).is_some();
        }
        // A free name bound in the module or, for a nested target, in the function around
        // the handoff (where the walk is): not a builtin.
        checker.semantic.module_binding(name).is_some()
            || checker.semantic.lookup(name, TextSize::default()).is_some()
    }

    /// Whether `name` is declared `global`/`nonlocal` in the body.
    pub fn is_declared(&self, name: &str) -> bool {
        self.declared.contains(name)
    }
}

fn collect_declarations<'a>(body: &'a [Stmt], out: &mut FxHashSet<&'a str>) {
    for stmt in body {
        match stmt {
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                out.extend(names.iter().map(ast::Identifier::as_str));
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => for_each_nested_body(stmt, &mut |nested| collect_declarations(nested, out)),
        }
    }
}

/// Calls `f` on each statement list directly nested in `stmt` (not inside functions or
/// classes).
fn for_each_nested_body<'a>(stmt: &'a Stmt, f: &mut dyn FnMut(&'a [Stmt])) {
    match stmt {
        Stmt::If(if_stmt) => {
            f(&if_stmt.body);
            for clause in &if_stmt.elif_else_clauses {
                f(&clause.body);
            }
        }
        Stmt::For(ast::StmtFor { body, orelse, .. })
        | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
            f(body);
            f(orelse);
        }
        Stmt::With(with) => f(&with.body),
        Stmt::Try(try_stmt) => {
            f(&try_stmt.body);
            for handler in &try_stmt.handlers {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                f(&handler.body);
            }
            f(&try_stmt.orelse);
            f(&try_stmt.finalbody);
        }
        Stmt::Match(match_stmt) => {
            for case in &match_stmt.cases {
                f(&case.body);
            }
        }
        _ => {}
    }
}

/// The name at the root of `counter`, `self.count`, `totals[key].items`.
pub fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => root_name(&attribute.value),
        Expr::Subscript(subscript) => root_name(&subscript.value),
        _ => None,
    }
}

/// Every write to shared state in the target's own body (nested functions excluded), in
/// source order.
pub fn shared_writes<'a>(
    checker: &Checker<'a>,
    target: &Target<'a>,
    roots: &SharedRoots<'a>,
) -> Vec<SharedWrite<'a>> {
    let mut writes = Vec::new();
    collect_writes(checker, roots, &target.def.body, false, &mut writes);
    writes
}

fn collect_writes<'a>(
    checker: &Checker<'a>,
    roots: &SharedRoots<'a>,
    body: &'a [Stmt],
    locked: bool,
    out: &mut Vec<SharedWrite<'a>>,
) {
    for stmt in body {
        let mut push = |target: &'a Expr, kind: WriteKind| {
            if let Some(root) = root_name(target) {
                // Assigning a bare name binds a local unless it is declared `global` or
                // `nonlocal`; mutating through a name reaches whatever it is bound to.
                let rebinds_name = matches!(target, Expr::Name(_)) && kind != WriteKind::Mutation;
                if (rebinds_name && roots.is_declared(root))
                    || (!rebinds_name && roots.is_shared(checker, root))
                {
                    out.push(SharedWrite {
                        stmt,
                        root,
                        target,
                        kind,
                        locked,
                    });
                }
            }
        };
        match stmt {
            Stmt::AugAssign(assign) => push(&assign.target, WriteKind::ReadModifyWrite),
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    let reads_old = root_name(target)
                        .is_some_and(|root| expr_names(&assign.value).load_count(root) > 0);
                    let kind = match (target, reads_old) {
                        (_, true) => WriteKind::ReadModifyWrite,
                        (Expr::Name(_), false) => WriteKind::Rebind,
                        _ => WriteKind::Store,
                    };
                    push(target, kind);
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    if matches!(target, Expr::Subscript(_)) {
                        push(target, WriteKind::Mutation);
                    }
                }
            }
            Stmt::Expr(statement) => {
                if let Expr::Call(call) = statement.value.as_ref() {
                    if let Expr::Attribute(attribute) = call.func.as_ref() {
                        if MUTATORS.contains(&attribute.attr.as_str()) {
                            push(&attribute.value, WriteKind::Mutation);
                        }
                    }
                }
            }
            Stmt::With(with) => {
                let guarded = locked
                    || with
                        .items
                        .iter()
                        .any(|item| is_lock(checker, &item.context_expr));
                collect_writes(checker, roots, &with.body, guarded, out);
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            _ => for_each_nested_body(stmt, &mut |nested| {
                collect_writes(checker, roots, nested, locked, out);
            }),
        }
    }
}

/// A lock, semaphore or condition: bound from a `threading`/`multiprocessing`/`asyncio`
/// primitive, or named like one (`self._lock`, `mutex`) — precision first: a `with` on
/// anything that looks like a lock counts as synchronisation.
pub fn is_lock<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    let expr = match expr {
        // `with lock.acquire_timeout(...)`-style helpers and `with lock:` alike.
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    let named_like_a_lock = last_identifier(expr).is_some_and(|name| {
        let name = name.to_ascii_lowercase();
        [
            "lock",
            "mutex",
            "semaphore",
            "sema",
            "cond",
            "guard",
            "latch",
        ]
        .iter()
        .any(|word| name.contains(word))
    });
    named_like_a_lock
        || checker.semantic.qualified_name(expr).is_some_and(|name| {
            matches!(
                name.last(),
                "Lock" | "RLock" | "Semaphore" | "BoundedSemaphore" | "Condition"
            )
        })
}

/// Whether the body takes a lock by hand (`lock.acquire()`): then the writes' protection
/// cannot be told from the block structure.
pub fn acquires_by_hand(def: &ast::StmtFunctionDef) -> bool {
    contains_acquire_call(&def.body)
}

fn contains_acquire_call(body: &[Stmt]) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Attribute(attribute) = expr {
                if attribute.attr.as_str() == "acquire" {
                    self.0 = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    finder.visit_body(body);
    finder.0
}

/// The text of a write's target, for messages.
pub fn shown<'a>(checker: &Checker<'a>, write: &SharedWrite<'a>) -> &'a str {
    &checker.text()[write.target.range()]
}
