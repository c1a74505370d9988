//! Loop decomposition by dataflow (RULES.md, "Loop decomposition"): whether the iterations of
//! a `for` loop are independent, and how its body splits into the **per-item work** (which a
//! worker may run for each item, in any order, on another thread or process) and the
//! **combine step** the parent runs on each result, in the items' order: collectors
//! (`append`, `extend`, `add`, stores under per-item keys), reductions and counters (`+=`),
//! and ordered output (`print`, logging, progress bars, writes to one shared file).
//!
//! The body may have temporaries, `with` blocks, `try/except`, `continue` filters, nested
//! loops and several collectors. What makes a loop sequential is a fact with its place: a name
//! read in one iteration and written in an earlier one, work that reads what the combine step
//! writes, a write to shared state that is not a combine step, an early exit, a `global`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use crate::analysis::library::{is_logger_name, LOG_METHODS, MUTATORS};

/// What a combine step does with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CombineKind {
    /// `out.append(v)`, `out.extend(vs)`, `seen.add(v)`, `index.update(...)`.
    Collect,
    /// `by_key[k] = v`, `counts[k] += 1`.
    Store,
    /// `total += v`, `total = total + v`.
    Reduce,
    /// `done += 1`.
    Count,
    /// `print(...)`, `logger.info(...)`, `progress.update()`, `report.write(line)`.
    Output,
}

/// One statement of the combine step.
#[derive(Debug, Clone, Copy)]
pub struct CombineStep<'a> {
    pub stmt: &'a Stmt,
    pub kind: CombineKind,
    /// The outer name it writes (`None` for `print` and module-level logging).
    pub sink: Option<&'a str>,
    /// Whether it sits at the top level of the loop body (not in an `if`, `with`, `try` or a
    /// nested loop).
    pub top_level: bool,
}

/// Why the iterations cannot run in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependence<'a> {
    /// `for ... else:`.
    ElseClause,
    /// A name read before this iteration assigns it: the previous iteration's value.
    Carried { name: &'a str, at: TextRange },
    /// The work reads what the combine step writes (`if x in seen: ...; seen.add(x)`).
    ReadsCombined { name: &'a str, at: TextRange },
    /// A write to an object shared by the iterations that is not a combine step.
    SharedWrite { name: &'a str, at: TextRange },
    /// `break`, `return`, `yield`.
    EarlyExit { at: TextRange },
    /// `global` or `nonlocal`.
    OuterDeclaration { at: TextRange },
    /// `await` in a loop analysed for threads or processes.
    Suspends { at: TextRange },
    /// Every iteration stores under the same key.
    SameKey { at: TextRange },
}

impl Dependence<'_> {
    pub fn describe(&self) -> String {
        match self {
            Dependence::ElseClause => "the loop has an `else` clause".to_string(),
            Dependence::Carried { name, .. } => {
                format!("`{name}` is read before the iteration assigns it")
            }
            Dependence::ReadsCombined { name, .. } => {
                format!("the work reads `{name}`, which the loop also fills")
            }
            Dependence::SharedWrite { name, .. } => {
                format!("it writes `{name}`, which the iterations share")
            }
            Dependence::EarlyExit { .. } => "it can stop early".to_string(),
            Dependence::OuterDeclaration { .. } => "it declares `global`/`nonlocal`".to_string(),
            Dependence::Suspends { .. } => "it awaits".to_string(),
            Dependence::SameKey { .. } => "every iteration stores under the same key".to_string(),
        }
    }
}

/// An independent `for` loop, split into work and combine.
#[derive(Debug, Clone)]
pub struct LoopModel<'a> {
    pub for_stmt: &'a ast::StmtFor,
    /// The names bound anew in each iteration: the loop target and everything the body
    /// assigns (temporaries, `with` and `except` names, nested loops' targets).
    pub per_item: FxHashSet<&'a str>,
    /// The combine steps, in source order.
    pub combines: Vec<CombineStep<'a>>,
    /// Outer objects whose methods the work calls (`session.get(...)`): a rule decides
    /// whether sharing them between workers is safe (an HTTP session is; a database cursor
    /// is not).
    pub shared_receivers: SmallVec<[&'a Expr; 2]>,
}

impl<'a> LoopModel<'a> {
    /// The names the combine steps write.
    pub fn sinks(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.combines.iter().filter_map(|step| step.sink)
    }

    /// Whether the loop keeps anything of its work: a combine step other than output.
    pub fn keeps_results(&self) -> bool {
        self.combines
            .iter()
            .any(|step| step.kind != CombineKind::Output)
    }

    /// Whether the work calls methods of `self` or `cls`: the object's state is shared by
    /// every iteration.
    pub fn calls_methods_of_self(&self) -> bool {
        self.shared_receivers.iter().any(|receiver| {
            matches!(receiver, Expr::Name(name) if matches!(name.id.as_str(), "self" | "cls"))
        })
    }

    /// Whether an argument of `call` reads a per-item name.
    pub fn varies_per_item(&self, call: &ast::ExprCall) -> bool {
        call.arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .any(|argument| {
                crate::analysis::names::expr_names(argument)
                    .loads
                    .iter()
                    .any(|(name, _)| self.per_item.contains(name))
            })
    }

    pub fn is_combine(&self, stmt: &Stmt) -> bool {
        self.combines
            .iter()
            .any(|step| step.stmt.range() == stmt.range())
    }
}

/// Decomposes `for_stmt`; `allow_await` for a loop in a coroutine (PAR203: `await` is part of
/// the per-item work there).
pub fn decompose<'a>(
    for_stmt: &'a ast::StmtFor,
    allow_await: bool,
) -> Result<LoopModel<'a>, Dependence<'a>> {
    if !for_stmt.orelse.is_empty() {
        return Err(Dependence::ElseClause);
    }
    if for_stmt.is_async && !allow_await {
        return Err(Dependence::Suspends {
            at: for_stmt.range(),
        });
    }
    let mut bound = FxHashSet::default();
    collect_target(&for_stmt.target, &mut bound);
    for stmt in &for_stmt.body {
        collect_bound(stmt, &mut bound);
    }
    // `total = total + x` rebinds an outer accumulator: a reduction, not a temporary (also
    // under an `if`: `if f(x) == 89: count = count + 1`).
    let mut reductions: SmallVec<[&str; 2]> = SmallVec::new();
    for_each_simple_statement(&for_stmt.body, &mut |stmt| {
        reductions.extend(self_reduction(stmt));
    });
    for name in reductions {
        if bound_only_by_reductions(&for_stmt.body, name) {
            bound.remove(name);
        }
    }
    let mut walk = Walk {
        bound: &bound,
        allow_await,
        combines: Vec::new(),
        work_reads: Vec::new(),
        shared_receivers: SmallVec::new(),
        error: None,
        depth: 0,
    };
    let mut assigned: FxHashSet<&'a str> = FxHashSet::default();
    collect_target(&for_stmt.target, &mut assigned);
    walk.block(&for_stmt.body, &mut assigned);
    let Walk {
        combines,
        work_reads,
        shared_receivers,
        error,
        ..
    } = walk;
    if let Some(error) = error {
        return Err(error);
    }
    let sinks: FxHashSet<&str> = combines.iter().filter_map(|step| step.sink).collect();
    if let Some((name, at)) = work_reads.iter().find(|(name, _)| sinks.contains(name)) {
        return Err(Dependence::ReadsCombined { name, at: *at });
    }
    // The loop fills the collection it iterates, or what its items are computed from (a pool
    // takes the items all at once, before any result is combined).
    if let Some(iterated) = reads_of(&for_stmt.iter)
        .into_iter()
        .find(|name| sinks.contains(name))
    {
        return Err(Dependence::ReadsCombined {
            name: iterated,
            at: for_stmt.iter.range(),
        });
    }
    Ok(LoopModel {
        for_stmt,
        per_item: bound,
        combines,
        shared_receivers,
    })
}

/// The names an iterable reads while the loop runs: itself when it is a name (a list the
/// loop grows), and what a generator expression in it reads (evaluated lazily, item by
/// item; a pool takes the items all at once).
fn reads_of(iter: &Expr) -> Vec<&str> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Lazy<'a>(Vec<&'a str>);
    impl<'a> Visitor<'a> for Lazy<'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Generator(_) = expr {
                self.0.extend(
                    crate::analysis::names::expr_names(expr)
                        .loads
                        .into_iter()
                        .map(|(name, _)| name),
                );
                return;
            }
            visitor::walk_expr(self, expr);
        }
    }
    if let Expr::Name(name) = iter {
        return vec![name.id.as_str()];
    }
    let mut lazy = Lazy(Vec::new());
    lazy.visit_expr(iter);
    lazy.0
}

/// `name = name <op> value`: the name it rebinds.
fn self_reduction(stmt: &Stmt) -> Option<&str> {
    reduction_operands(stmt).map(|(name, _)| name)
}

/// `acc = acc <op> v`, `frame = frame.append(v, ...)` and `frame = pd.concat([frame, v], ...)`
/// (a DataFrame grown in order): the accumulator, and the operands the step folds in.
pub(crate) fn reduction_operands(stmt: &Stmt) -> Option<(&str, Vec<&Expr>)> {
    let Stmt::Assign(assign) = stmt else {
        return None;
    };
    let [Expr::Name(target)] = assign.targets.as_slice() else {
        return None;
    };
    let is_target = |expr: &Expr| matches!(expr, Expr::Name(name) if name.id == target.id);
    let operands = match assign.value.as_ref() {
        Expr::BinOp(binop) if is_target(&binop.left) => vec![binop.right.as_ref()],
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(method)
                if method.attr.as_str() == "append" && is_target(&method.value) =>
            {
                call.arguments
                    .args
                    .iter()
                    .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                    .collect()
            }
            func if last_name(func) == Some("concat") => match call.arguments.args.first() {
                Some(
                    Expr::List(ast::ExprList { elts, .. })
                    | Expr::Tuple(ast::ExprTuple { elts, .. }),
                ) if elts.first().is_some_and(is_target) => elts[1..]
                    .iter()
                    .chain(call.arguments.args[1..].iter())
                    .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                    .collect(),
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    Some((target.id.as_str(), operands))
}

/// `concat` for `pd.concat` or `concat`.
fn last_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// Whether every binding of `name` in `body` (at any depth) is `name = name <op> ...`.
fn bound_only_by_reductions(body: &[Stmt], name: &str) -> bool {
    let mut reductions = 0;
    let mut other = false;
    for_each_simple_statement(body, &mut |stmt| {
        if self_reduction(stmt) == Some(name) {
            reductions += 1;
            return;
        }
        let mut bindings = FxHashSet::default();
        collect_bound(stmt, &mut bindings);
        other |= bindings.contains(name);
    });
    reductions > 0 && !other
}

/// Calls `f` on each statement of `body`, descending into the blocks of compound statements
/// (not into functions or classes, which `f` sees whole). A compound statement whose header
/// binds names (`for x in`, `with ... as x`, `except E as x`) is passed to `f` as well when
/// its header binds something its blocks do not.
fn for_each_simple_statement<'a>(body: &'a [Stmt], f: &mut dyn FnMut(&'a Stmt)) {
    for stmt in body {
        let blocks: SmallVec<[&'a [Stmt]; 3]> = match stmt {
            Stmt::If(if_stmt) => std::iter::once(if_stmt.body.as_slice())
                .chain(if_stmt.elif_else_clauses.iter().map(|c| c.body.as_slice()))
                .collect(),
            Stmt::For(inner) => [inner.body.as_slice(), inner.orelse.as_slice()]
                .into_iter()
                .collect(),
            Stmt::While(inner) => [inner.body.as_slice(), inner.orelse.as_slice()]
                .into_iter()
                .collect(),
            Stmt::With(with) => std::iter::once(with.body.as_slice()).collect(),
            Stmt::Try(try_stmt) => [
                try_stmt.body.as_slice(),
                try_stmt.orelse.as_slice(),
                try_stmt.finalbody.as_slice(),
            ]
            .into_iter()
            .chain(try_stmt.handlers.iter().map(|handler| {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                handler.body.as_slice()
            }))
            .collect(),
            _ => {
                f(stmt);
                continue;
            }
        };
        let mut header = FxHashSet::default();
        collect_bound(stmt, &mut header);
        let mut inside = FxHashSet::default();
        for block in &blocks {
            for inner in *block {
                collect_bound(inner, &mut inside);
            }
        }
        if header.iter().any(|name| !inside.contains(name)) {
            f(stmt);
        }
        for block in blocks {
            for_each_simple_statement(block, f);
        }
    }
}

/// The names a target binds.
pub(crate) fn collect_target<'a>(target: &'a Expr, names: &mut FxHashSet<&'a str>) {
    match target {
        Expr::Name(name) => {
            names.insert(name.id.as_str());
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            for elt in elts {
                collect_target(elt, names);
            }
        }
        Expr::Starred(starred) => collect_target(&starred.value, names),
        _ => {}
    }
}

/// The names a statement binds anywhere inside it (nested blocks included, nested scopes
/// not): assignment, `for`, `with` and `except` targets, walrus targets, local imports and
/// definitions. Augmented assignments do not bind: `n += 1` on a name the body does not
/// otherwise assign updates an outer counter.
pub(crate) fn collect_bound<'a>(stmt: &'a Stmt, names: &mut FxHashSet<&'a str>) {
    struct Binder<'n, 'a> {
        names: &'n mut FxHashSet<&'a str>,
    }
    impl<'a> Visitor<'a> for Binder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Assign(assign) => {
                    for target in &assign.targets {
                        collect_target(target, self.names);
                    }
                }
                Stmt::AnnAssign(assign) if assign.value.is_some() => {
                    collect_target(&assign.target, self.names);
                }
                Stmt::For(for_stmt) => collect_target(&for_stmt.target, self.names),
                Stmt::With(with) => {
                    for item in &with.items {
                        if let Some(vars) = &item.optional_vars {
                            collect_target(vars, self.names);
                        }
                    }
                }
                Stmt::Try(try_stmt) => {
                    for handler in &try_stmt.handlers {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        if let Some(name) = &handler.name {
                            self.names.insert(name.as_str());
                        }
                    }
                }
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let (name, _) = crate::analysis::semantic::import_binding(alias);
                        self.names.insert(name);
                    }
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        self.names
                            .insert(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                    }
                }
                Stmt::FunctionDef(def) => {
                    self.names.insert(def.name.as_str());
                    return;
                }
                Stmt::ClassDef(class) => {
                    self.names.insert(class.name.as_str());
                    return;
                }
                _ => {}
            }
            visitor::walk_stmt(self, stmt);
        }

        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Named(named) => collect_target(&named.target, self.names),
                Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::Generator(_) => return,
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    Binder { names }.visit_stmt(stmt);
}

/// The walk of one iteration's statements in order.
struct Walk<'b, 'a> {
    /// Names bound anywhere in the body (per-item candidates).
    bound: &'b FxHashSet<&'a str>,
    allow_await: bool,
    combines: Vec<CombineStep<'a>>,
    /// Names the work reads that are not per-item, with where.
    work_reads: Vec<(&'a str, TextRange)>,
    shared_receivers: SmallVec<[&'a Expr; 2]>,
    error: Option<Dependence<'a>>,
    /// Blocks around the statement (0 at the top level of the body).
    depth: u32,
}

/// How a block ends: whether control reaches the statement after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    FallsThrough,
    Leaves,
}

impl<'b, 'a> Walk<'b, 'a> {
    fn fail(&mut self, dependence: Dependence<'a>) {
        if self.error.is_none() {
            self.error = Some(dependence);
        }
    }

    fn is_outer(&self, name: &str) -> bool {
        !self.bound.contains(name)
    }

    /// Walks a block; `assigned` holds the per-item names definitely assigned so far in this
    /// iteration and is updated to what holds after the block.
    fn block(&mut self, body: &'a [Stmt], assigned: &mut FxHashSet<&'a str>) -> Flow {
        for stmt in body {
            if self.error.is_some() {
                return Flow::Leaves;
            }
            if self.stmt(stmt, assigned) == Flow::Leaves {
                return Flow::Leaves;
            }
        }
        Flow::FallsThrough
    }

    /// Reads of `expr`: a per-item name must be assigned already (else it carries the
    /// previous iteration's value); an outer name is noted as read by the work.
    fn reads(&mut self, expr: &'a Expr, assigned: &FxHashSet<&'a str>) {
        let mut reads = Reads {
            walk: self,
            assigned,
            shadowed: Vec::new(),
            in_parent: false,
        };
        reads.visit_expr(expr);
    }

    fn bind(&self, target: &'a Expr, assigned: &mut FxHashSet<&'a str>) {
        collect_target(target, assigned);
    }

    /// Reads of an assignment target's sub-expressions (`a[i] = ...` reads `a` and `i`).
    fn target_reads(&mut self, target: &'a Expr, assigned: &FxHashSet<&'a str>) {
        match target {
            Expr::Subscript(subscript) => {
                self.reads(&subscript.value, assigned);
                self.reads(&subscript.slice, assigned);
            }
            Expr::Attribute(attribute) => self.reads(&attribute.value, assigned),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.target_reads(elt, assigned);
                }
            }
            Expr::Starred(starred) => self.target_reads(&starred.value, assigned),
            _ => {}
        }
    }

    fn combine(&mut self, stmt: &'a Stmt, kind: CombineKind, sink: Option<&'a str>) {
        self.combines.push(CombineStep {
            stmt,
            kind,
            sink,
            top_level: self.depth == 0,
        });
    }

    /// The outer name at the root of a written target (`out` for `out[k]`, `obj` for
    /// `obj.x.y`), when it is outer.
    fn outer_root(&self, target: &'a Expr) -> Option<&'a ast::ExprName> {
        match target {
            Expr::Name(name) => self.is_outer(name.id.as_str()).then_some(name),
            Expr::Attribute(attribute) => self.outer_root(&attribute.value),
            Expr::Subscript(subscript) => self.outer_root(&subscript.value),
            _ => None,
        }
    }

    fn stmt(&mut self, stmt: &'a Stmt, assigned: &mut FxHashSet<&'a str>) -> Flow {
        match stmt {
            Stmt::Expr(expr_stmt) => {
                if let Some((kind, sink)) = self.combine_call(&expr_stmt.value) {
                    // A combine step: its arguments are per-item values (evaluated in the
                    // work) or outer combine state (read in the parent, in order).
                    let Expr::Call(call) = expr_stmt.value.as_ref() else {
                        unreachable!("combine_call only accepts calls")
                    };
                    self.combine_arguments(call, assigned);
                    self.combine(stmt, kind, sink);
                } else {
                    self.reads(&expr_stmt.value, assigned);
                }
                Flow::FallsThrough
            }
            Stmt::Assign(assign) => {
                // `by_key[k] = v` on an outer mapping: a store under a per-item key.
                if let [target @ Expr::Subscript(subscript)] = assign.targets.as_slice() {
                    if let Expr::Name(mapping) = subscript.value.as_ref() {
                        if self.is_outer(mapping.id.as_str()) {
                            self.reads(&assign.value, assigned);
                            self.reads(&subscript.slice, assigned);
                            if !reads_any(&subscript.slice, self.bound) {
                                self.fail(Dependence::SameKey { at: target.range() });
                            }
                            self.combine(stmt, CombineKind::Store, Some(mapping.id.as_str()));
                            return Flow::FallsThrough;
                        }
                    }
                }
                // `total = total + v` on an outer accumulator.
                if let Some((name, operands)) = reduction_operands(stmt) {
                    if self.is_outer(name) {
                        for operand in operands {
                            self.reads(operand, assigned);
                        }
                        self.combine(stmt, CombineKind::Reduce, Some(name));
                        return Flow::FallsThrough;
                    }
                }
                self.reads(&assign.value, assigned);
                for target in &assign.targets {
                    self.target_reads(target, assigned);
                    if let Some(root) = self.outer_root(target) {
                        self.fail(Dependence::SharedWrite {
                            name: root.id.as_str(),
                            at: target.range(),
                        });
                    }
                }
                for target in &assign.targets {
                    self.bind(target, assigned);
                }
                Flow::FallsThrough
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.reads(value, assigned);
                    self.target_reads(&assign.target, assigned);
                    if let Some(root) = self.outer_root(&assign.target) {
                        self.fail(Dependence::SharedWrite {
                            name: root.id.as_str(),
                            at: assign.target.range(),
                        });
                    }
                    self.bind(&assign.target, assigned);
                }
                Flow::FallsThrough
            }
            Stmt::AugAssign(assign) => {
                self.reads(&assign.value, assigned);
                match assign.target.as_ref() {
                    Expr::Name(name) if self.is_outer(name.id.as_str()) => {
                        let kind = if matches!(assign.value.as_ref(), Expr::NumberLiteral(_)) {
                            CombineKind::Count
                        } else {
                            CombineKind::Reduce
                        };
                        self.combine(stmt, kind, Some(name.id.as_str()));
                    }
                    Expr::Name(name) => {
                        // A per-item name updated: it must be assigned first.
                        if !assigned.contains(name.id.as_str()) {
                            self.fail(Dependence::Carried {
                                name: name.id.as_str(),
                                at: name.range(),
                            });
                        }
                    }
                    Expr::Subscript(subscript) => {
                        self.reads(&subscript.slice, assigned);
                        match subscript.value.as_ref() {
                            Expr::Name(mapping) if self.is_outer(mapping.id.as_str()) => {
                                self.combine(stmt, CombineKind::Store, Some(mapping.id.as_str()));
                            }
                            other => {
                                self.reads(other, assigned);
                                if let Some(root) = self.outer_root(other) {
                                    self.fail(Dependence::SharedWrite {
                                        name: root.id.as_str(),
                                        at: other.range(),
                                    });
                                }
                            }
                        }
                    }
                    other => {
                        self.target_reads(other, assigned);
                        if let Some(root) = self.outer_root(other) {
                            self.fail(Dependence::SharedWrite {
                                name: root.id.as_str(),
                                at: other.range(),
                            });
                        }
                    }
                }
                Flow::FallsThrough
            }
            Stmt::If(if_stmt) => {
                self.reads(&if_stmt.test, assigned);
                self.depth += 1;
                let mut after: Option<FxHashSet<&'a str>> = None;
                let mut merge = |state: FxHashSet<&'a str>, flow: Flow| {
                    if flow == Flow::FallsThrough {
                        after = Some(match after.take() {
                            None => state,
                            Some(previous) => previous.intersection(&state).copied().collect(),
                        });
                    }
                };
                let mut branch = assigned.clone();
                let flow = self.block(&if_stmt.body, &mut branch);
                merge(branch, flow);
                let mut has_else = false;
                for clause in &if_stmt.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.reads(test, assigned);
                    } else {
                        has_else = true;
                    }
                    let mut branch = assigned.clone();
                    let flow = self.block(&clause.body, &mut branch);
                    merge(branch, flow);
                }
                if !has_else {
                    merge(assigned.clone(), Flow::FallsThrough);
                }
                self.depth -= 1;
                match after {
                    Some(state) => {
                        *assigned = state;
                        Flow::FallsThrough
                    }
                    None => Flow::Leaves,
                }
            }
            Stmt::For(inner) => {
                if inner.is_async && !self.allow_await {
                    self.fail(Dependence::Suspends { at: inner.range() });
                }
                self.reads(&inner.iter, assigned);
                self.depth += 1;
                let mut body = assigned.clone();
                self.bind(&inner.target, &mut body);
                self.inner_loop_body(&inner.body, &mut body);
                let mut orelse = assigned.clone();
                self.block(&inner.orelse, &mut orelse);
                self.depth -= 1;
                Flow::FallsThrough
            }
            Stmt::While(inner) => {
                self.reads(&inner.test, assigned);
                self.depth += 1;
                let mut body = assigned.clone();
                self.inner_loop_body(&inner.body, &mut body);
                let mut orelse = assigned.clone();
                self.block(&inner.orelse, &mut orelse);
                self.depth -= 1;
                Flow::FallsThrough
            }
            Stmt::With(with) => {
                if with.is_async && !self.allow_await {
                    self.fail(Dependence::Suspends { at: with.range() });
                }
                for item in &with.items {
                    self.reads(&item.context_expr, assigned);
                    if let Some(vars) = &item.optional_vars {
                        self.bind(vars, assigned);
                    }
                }
                self.depth += 1;
                let flow = self.block(&with.body, assigned);
                self.depth -= 1;
                flow
            }
            Stmt::Try(try_stmt) => {
                self.depth += 1;
                let before = assigned.clone();
                let mut body = assigned.clone();
                let mut flow = self.block(&try_stmt.body, &mut body);
                if flow == Flow::FallsThrough {
                    flow = self.block(&try_stmt.orelse, &mut body);
                }
                let mut after: Option<FxHashSet<&'a str>> =
                    (flow == Flow::FallsThrough).then_some(body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.reads(type_, &before);
                    }
                    // A handler may run after any part of the body: only what was assigned
                    // before the `try` is certain.
                    let mut state = before.clone();
                    if let Some(name) = &handler.name {
                        state.insert(name.as_str());
                    }
                    if self.block(&handler.body, &mut state) == Flow::FallsThrough {
                        after = Some(match after.take() {
                            None => state,
                            Some(previous) => previous.intersection(&state).copied().collect(),
                        });
                    }
                }
                let mut state = after.clone().unwrap_or_else(|| before.clone());
                self.block(&try_stmt.finalbody, &mut state);
                self.depth -= 1;
                match after {
                    Some(after) => {
                        *assigned = after;
                        Flow::FallsThrough
                    }
                    None => Flow::Leaves,
                }
            }
            Stmt::Continue(_) | Stmt::Raise(_) => {
                if let Stmt::Raise(raise) = stmt {
                    if let Some(exc) = &raise.exc {
                        self.reads(exc, assigned);
                    }
                }
                Flow::Leaves
            }
            Stmt::Break(_) | Stmt::Return(_) => {
                self.fail(Dependence::EarlyExit { at: stmt.range() });
                Flow::Leaves
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {
                self.fail(Dependence::OuterDeclaration { at: stmt.range() });
                Flow::FallsThrough
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.target_reads(target, assigned);
                    if let Some(root) = self.outer_root(target) {
                        self.fail(Dependence::SharedWrite {
                            name: root.id.as_str(),
                            at: target.range(),
                        });
                    }
                }
                Flow::FallsThrough
            }
            Stmt::Assert(assert) => {
                self.reads(&assert.test, assigned);
                Flow::FallsThrough
            }
            Stmt::FunctionDef(def) => {
                // Defaults and decorators run now; the body when called (its free names are
                // read then: approximated as now).
                for decorator in &def.decorator_list {
                    self.reads(&decorator.expression, assigned);
                }
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.reads(default, assigned);
                    }
                }
                assigned.insert(def.name.as_str());
                Flow::FallsThrough
            }
            Stmt::ClassDef(class) => {
                assigned.insert(class.name.as_str());
                Flow::FallsThrough
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                let mut names = FxHashSet::default();
                collect_bound(stmt, &mut names);
                assigned.extend(names);
                Flow::FallsThrough
            }
            Stmt::Pass(_) => Flow::FallsThrough,
            Stmt::Match(_) | Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {
                self.fail(Dependence::EarlyExit { at: stmt.range() });
                Flow::Leaves
            }
        }
    }

    /// A nested loop's body: run twice over, so a name read at the top of its body and
    /// assigned at the bottom (carried by the nested loop) is seen as assigned the second
    /// time; what the nested loop carries is its own business, as long as nothing leaks to
    /// the outer loop.
    fn inner_loop_body(&mut self, body: &'a [Stmt], assigned: &mut FxHashSet<&'a str>) {
        let mut names = FxHashSet::default();
        for stmt in body {
            collect_bound(stmt, &mut names);
        }
        // Names the nested loop binds are its own: reads of them inside it are fine.
        let mut state = assigned.clone();
        state.extend(names.iter().copied());
        let saved = self.error.clone();
        self.block(body, &mut state);
        // `break` and `continue` inside a nested loop act on that loop.
        if let Some(Dependence::EarlyExit { at }) = &self.error {
            let inner_break = body.iter().any(|stmt| stmt.range().contains_range(*at))
                && saved.is_none()
                && is_break(body, *at);
            if inner_break {
                self.error = None;
            }
        }
    }

    /// For `X.m(...)` as a statement: the combine step it is, if any.
    fn combine_call(&self, expr: &'a Expr) -> Option<(CombineKind, Option<&'a str>)> {
        let Expr::Call(call) = expr else {
            return None;
        };
        match call.func.as_ref() {
            Expr::Name(name) if name.id.as_str() == "print" && self.is_outer("print") => {
                Some((CombineKind::Output, None))
            }
            Expr::Attribute(attribute) => {
                let method = attribute.attr.as_str();
                let receiver = attribute.value.as_ref();
                let root = self.outer_root(receiver)?;
                let name = root.id.as_str();
                if LOG_METHODS.contains(&method)
                    && (is_logger_name(name)
                        || matches!(receiver, Expr::Attribute(inner) if is_logger_name(inner.attr.as_str())))
                {
                    return Some((CombineKind::Output, None));
                }
                if !matches!(receiver, Expr::Name(_)) {
                    // `self.items.append(...)`: shared state on an object.
                    return None;
                }
                let output = match method {
                    "write" | "writelines" | "writerow" | "writerows" | "set_postfix"
                    | "set_description" | "refresh" => true,
                    "update" => is_progress_update(call),
                    _ => false,
                };
                if output {
                    return Some((CombineKind::Output, Some(name)));
                }
                MUTATORS
                    .contains(&method)
                    .then_some((CombineKind::Collect, Some(name)))
            }
            _ => None,
        }
    }

    /// The arguments of a combine step. One that calls something (`out.append(fetch(u))`)
    /// is per-item work, computed by the worker: it must not read what the loop fills. One
    /// that only reads values (`print(i, url, done)`) is evaluated by the parent, in order,
    /// where reading the loop's own counters and collections is fine.
    fn combine_arguments(&mut self, call: &'a ast::ExprCall, assigned: &FxHashSet<&'a str>) {
        let arguments = call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value));
        for argument in arguments {
            if calls_anything(argument) {
                self.reads(argument, assigned);
            } else {
                let mut reads = Reads {
                    walk: self,
                    assigned,
                    shadowed: Vec::new(),
                    in_parent: true,
                };
                reads.visit_expr(argument);
            }
        }
    }
}

/// `progress.update()` / `progress.update(1)`: a progress bar's tick, not a dict merge.
fn is_progress_update(call: &ast::ExprCall) -> bool {
    call.arguments.keywords.is_empty()
        && matches!(call.arguments.args.as_ref(), [] | [Expr::NumberLiteral(_)])
}

fn is_break(body: &[Stmt], at: TextRange) -> bool {
    struct Finder {
        at: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::Break(_)) && stmt.range() == self.at {
                self.found = true;
            }
            // A `break` in a loop nested deeper belongs to that loop anyway.
            visitor::walk_stmt(self, stmt);
        }
    }
    let mut finder = Finder { at, found: false };
    finder.visit_body(body);
    finder.found
}

/// `sys.exit(...)`, `exit()`, `quit()`, `os._exit(...)`: the loop stops there.
fn is_process_exit(call: &ast::ExprCall) -> bool {
    match call.func.as_ref() {
        Expr::Name(name) => matches!(name.id.as_str(), "exit" | "quit"),
        Expr::Attribute(attribute) => {
            matches!(
                (attribute.value.as_ref(), attribute.attr.as_str()),
                (Expr::Name(module), "exit") if module.id.as_str() == "sys"
            ) || matches!(
                (attribute.value.as_ref(), attribute.attr.as_str()),
                (Expr::Name(module), "_exit") if module.id.as_str() == "os"
            )
        }
        _ => false,
    }
}

/// `os.chdir(path)`, `os.putenv(...)`, `os.umask(...)`: a change to state every thread of
/// the process shares; the function's name.
fn changes_process_state(call: &ast::ExprCall) -> Option<&str> {
    let name = match call.func.as_ref() {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        _ => return None,
    };
    matches!(
        name,
        "chdir" | "fchdir" | "putenv" | "unsetenv" | "umask" | "setlocale"
    )
    .then_some(name)
}

/// Whether `expr` reads any of `names`.
fn reads_any(expr: &Expr, names: &FxHashSet<&str>) -> bool {
    crate::analysis::names::expr_names(expr)
        .free()
        .iter()
        .any(|name| names.contains(name))
}

/// The reads of one expression.
struct Reads<'w, 'b, 'a, 's> {
    walk: &'w mut Walk<'b, 'a>,
    assigned: &'s FxHashSet<&'a str>,
    /// Comprehension and lambda names in scope.
    shadowed: Vec<&'a str>,
    /// Evaluated by the parent, in order: reads of outer state are not the work's.
    in_parent: bool,
}

/// Whether evaluating `expr` calls anything other than a cheap builtin (`len`, `str`).
pub(crate) fn calls_anything(expr: &Expr) -> bool {
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let cheap = matches!(call.func.as_ref(), Expr::Name(name)
                    if crate::analysis::library::is_cheap_builtin(name.id.as_str())
                        || matches!(name.id.as_str(), "repr" | "format" | "sorted" | "list"));
                if !cheap {
                    self.0 = true;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(expr);
    finder.0
}

impl<'a> Visitor<'a> for Reads<'_, '_, 'a, '_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) if name.ctx == ast::ExprContext::Load => {
                let id = name.id.as_str();
                if self.shadowed.contains(&id) {
                    return;
                }
                if self.walk.bound.contains(id) {
                    if !self.assigned.contains(id) {
                        self.walk.fail(Dependence::Carried {
                            name: id,
                            at: name.range(),
                        });
                    }
                } else if !self.in_parent {
                    self.walk.work_reads.push((id, name.range()));
                }
            }
            Expr::Await(_) if !self.walk.allow_await => {
                self.walk.fail(Dependence::Suspends { at: expr.range() });
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                self.walk.fail(Dependence::EarlyExit { at: expr.range() });
            }
            Expr::Call(call) if is_process_exit(call) => {
                self.walk.fail(Dependence::EarlyExit { at: call.range() });
            }
            Expr::Call(call) if changes_process_state(call).is_some() => {
                let name = changes_process_state(call).unwrap_or_default();
                self.walk.fail(Dependence::SharedWrite {
                    name,
                    at: call.range(),
                });
            }
            Expr::Call(call) => {
                // A mutating method of an outer object inside an expression (its value used):
                // not a combine step, a write to shared state.
                if let Expr::Attribute(attribute) = call.func.as_ref() {
                    if let Expr::Name(receiver) = attribute.value.as_ref() {
                        let id = receiver.id.as_str();
                        if !self.shadowed.contains(&id) && self.walk.is_outer(id) {
                            if MUTATORS.contains(&attribute.attr.as_str()) {
                                self.walk.fail(Dependence::SharedWrite {
                                    name: id,
                                    at: call.range(),
                                });
                            } else {
                                self.walk.shared_receivers.push(&attribute.value);
                            }
                        }
                    }
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                // The walrus target is per-item (collected as bound): assigned from here on.
            }
            Expr::Lambda(lambda) => {
                let mark = self.shadowed.len();
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                        self.shadowed.push(parameter.name().as_str());
                    }
                }
                self.visit_expr(&lambda.body);
                self.shadowed.truncate(mark);
            }
            Expr::ListComp(ast::ExprListComp {
                elt, generators, ..
            })
            | Expr::SetComp(ast::ExprSetComp {
                elt, generators, ..
            })
            | Expr::Generator(ast::ExprGenerator {
                elt, generators, ..
            }) => self.comprehension(generators, &[elt]),
            Expr::DictComp(comp) => {
                let mut elements: Vec<&'a Expr> = Vec::with_capacity(2);
                if let Some(key) = comp.key.as_deref() {
                    elements.push(key);
                }
                elements.push(&comp.value);
                self.comprehension(&comp.generators, &elements);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> Reads<'_, '_, 'a, '_> {
    fn comprehension(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        let mark = self.shadowed.len();
        for generator in generators {
            self.visit_expr(&generator.iter);
            let mut names = FxHashSet::default();
            collect_target(&generator.target, &mut names);
            self.shadowed.extend(names);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.shadowed.truncate(mark);
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_parser::parse_module;

    use super::*;

    /// The verdict on the first `for` loop of `source`: the combine steps as `kind sink`, or
    /// the dependence.
    fn verdict(source: &str) -> Result<Vec<String>, String> {
        let parsed = parse_module(source).unwrap();
        let for_stmt = parsed
            .syntax()
            .body
            .iter()
            .find_map(|stmt| match stmt {
                Stmt::For(for_stmt) => Some(for_stmt),
                _ => None,
            })
            .expect("a for loop");
        // The test outlives `parsed` only through owned strings.
        let result = decompose(for_stmt, false)
            .map(|model| {
                model
                    .combines
                    .iter()
                    .map(|step| format!("{:?} {}", step.kind, step.sink.unwrap_or("-")))
                    .collect()
            })
            .map_err(|dependence| dependence.describe());
        result
    }

    #[test]
    fn shapes_real_loops_take() {
        // A temporary, an attribute of the result.
        assert_eq!(
            verdict(
                "for url in urls:\n    page = requests.get(url)\n    pages.append(page.text)\n"
            ),
            Ok(vec!["Collect pages".to_string()])
        );
        // Several collectors, a counter, a progress print.
        assert_eq!(
            verdict("for i, url in enumerate(urls):\n    r = get(url)\n    codes.append(r.status)\n    sizes[url] = len(r.body)\n    done += 1\n    print(i, url, done)\n"),
            Ok(vec![
                "Collect codes".to_string(),
                "Store sizes".to_string(),
                "Count done".to_string(),
                "Output -".to_string()
            ])
        );
        // A `with` block over a per-item resource.
        assert_eq!(
            verdict(
                "for path in paths:\n    with open(path) as f:\n        texts.append(f.read())\n"
            ),
            Ok(vec!["Collect texts".to_string()])
        );
        // `try/except` that logs and continues; a `continue` filter.
        assert_eq!(
            verdict("for url in urls:\n    try:\n        r = get(url)\n    except Exception as e:\n        logger.warning(e)\n        continue\n    if r.status != 200:\n        continue\n    out.append(r.json())\n"),
            Ok(vec!["Output -".to_string(), "Collect out".to_string()])
        );
        // A reduction spelled out, a sum.
        assert_eq!(
            verdict("for x in xs:\n    total = total + cost(x)\n"),
            Ok(vec!["Reduce total".to_string()])
        );
        // A nested loop over each item's parts, filling an outer list.
        assert_eq!(
            verdict(
                "for page in pages:\n    for link in parse(page):\n        links.append(link)\n"
            ),
            Ok(vec!["Collect links".to_string()])
        );
        // A write to one shared output file, in order.
        assert_eq!(
            verdict("for row in rows:\n    line = render(row)\n    report.write(line)\n"),
            Ok(vec!["Output report".to_string()])
        );
        // Effect only.
        assert_eq!(verdict("for url in urls:\n    download(url)\n"), Ok(vec![]));
    }

    #[test]
    fn dependences_keep_a_loop_sequential() {
        let dependent = [
            (
                "for x in xs:\n    out.append(f(prev))\n    prev = x\n",
                "`prev` is read before",
            ),
            (
                "for x in xs:\n    if x in seen:\n        continue\n    seen.add(x)\n",
                "reads `seen`",
            ),
            (
                "for x in xs:\n    out.append(f(x, out[-1]))\n",
                "reads `out`",
            ),
            (
                "for x in xs:\n    if bad(x):\n        break\n    out.append(f(x))\n",
                "stop early",
            ),
            ("for x in xs:\n    obj.total = f(x)\n", "writes `obj`"),
            ("for x in xs:\n    d['k'] = f(x)\n", "same key"),
            (
                "for x in xs:\n    r = cache.setdefault(x, f(x))\n",
                "writes `cache`",
            ),
            ("for x in xs:\n    out.append(await f(x))\n", "awaits"),
            (
                "for x in xs:\n    if x:\n        y = f(x)\n    out.append(y)\n",
                "`y` is read before",
            ),
            ("for x in xs:\n    global n\n    n = f(x)\n", "global"),
            (
                "for x in xs:\n    out.append(f(x))\nelse:\n    done()\n",
                "else",
            ),
            (
                "for c in cs:\n    if run(c).returncode:\n        sys.exit(1)\n",
                "stop early",
            ),
            (
                "for d in ds:\n    os.chdir(d)\n    call(['git', 'status'])\n",
                "writes `chdir`",
            ),
        ];
        for (source, expected) in dependent {
            match verdict(source) {
                Err(reason) => assert!(reason.contains(expected), "{source}: {reason}"),
                Ok(steps) => panic!("{source}: independent with {steps:?}"),
            }
        }
    }

    #[test]
    fn names_assigned_on_every_path_are_per_item() {
        // Assigned in both branches, or in the body of a `try` whose handler continues.
        assert!(verdict("for x in xs:\n    if x:\n        y = f(x)\n    else:\n        y = g(x)\n    out.append(y)\n").is_ok());
        assert!(verdict("for x in xs:\n    try:\n        y = f(x)\n    except E:\n        continue\n    out.append(y)\n").is_ok());
        assert!(verdict(
            "for x in xs:\n    if not x:\n        continue\n    y = f(x)\n    out.append(y)\n"
        )
        .is_ok());
        // A nested loop carrying its own state is fine.
        assert!(verdict("for row in rows:\n    acc = 0\n    for v in row:\n        acc += v\n    out.append(acc)\n").is_ok());
        // A `break` of the nested loop is the nested loop's.
        assert!(verdict("for row in rows:\n    for v in row:\n        if v:\n            break\n    out.append(row)\n").is_ok());
    }
}
