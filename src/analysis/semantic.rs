//! Per-file facts shared by every rule: scopes and bindings, qualified names through every
//! import style, which names hold which kind of pool, and module-level vs nested definitions.
//!
//! Module-level bindings are collected by a shallow pass over the top-level statements (so a
//! function body sees module names defined below it); function scopes are filled in source
//! order by the checker's single walk.

use ruff_python_ast::{
    self as ast, Expr, ExprCall, ExprLambda, Stmt, StmtClassDef, StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::analysis::library::ClientKind;

/// A dotted name such as `concurrent.futures.ProcessPoolExecutor`, split into segments.
/// Builtins resolve to `["builtins", name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifiedName<'a>(SmallVec<[&'a str; 6]>);

impl<'a> QualifiedName<'a> {
    fn from_dotted(dotted: &'a str) -> Self {
        Self(dotted.split('.').collect())
    }

    pub fn segments(&self) -> &[&'a str] {
        &self.0
    }

    /// Whether this is the dotted name `expected` (e.g. `"concurrent.futures.ThreadPoolExecutor"`).
    pub fn is(&self, expected: &str) -> bool {
        let mut parts = expected.split('.');
        for segment in &self.0 {
            if parts.next() != Some(*segment) {
                return false;
            }
        }
        parts.next().is_none()
    }

    pub fn is_any(&self, expected: &[&str]) -> bool {
        expected.iter().any(|name| self.is(name))
    }

    pub fn last(&self) -> &'a str {
        self.0.last().copied().unwrap_or_default()
    }
}

impl std::fmt::Display for QualifiedName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// The kinds of pool the rules tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolKind {
    /// `concurrent.futures.ProcessPoolExecutor`
    ProcessExecutor,
    /// `multiprocessing.Pool` and `ctx.Pool()`
    ProcessPool,
    /// `concurrent.futures.InterpreterPoolExecutor` (3.14): pickles callables too.
    InterpreterExecutor,
    /// `concurrent.futures.ThreadPoolExecutor`
    ThreadExecutor,
    /// `multiprocessing.pool.ThreadPool`, `multiprocessing.dummy.Pool`
    ThreadPool,
}

impl PoolKind {
    pub fn is_process(self) -> bool {
        matches!(self, PoolKind::ProcessExecutor | PoolKind::ProcessPool)
    }

    pub fn is_thread(self) -> bool {
        matches!(self, PoolKind::ThreadExecutor | PoolKind::ThreadPool)
    }

    /// Whether tasks reach the workers by pickling the callable.
    pub fn pickles_callables(self) -> bool {
        !self.is_thread()
    }

    pub fn class_name(self) -> &'static str {
        match self {
            PoolKind::ProcessExecutor => "ProcessPoolExecutor",
            PoolKind::ProcessPool => "multiprocessing.Pool",
            PoolKind::InterpreterExecutor => "InterpreterPoolExecutor",
            PoolKind::ThreadExecutor => "ThreadPoolExecutor",
            PoolKind::ThreadPool => "ThreadPool",
        }
    }
}

/// How a `multiprocessing` context starts processes, when the code says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartMethod {
    /// The platform default (spawn on macOS and Windows, and on Linux from Python 3.14).
    Default,
    Fork,
    Spawn,
    Forkserver,
}

/// What a name is bound to, as far as the rules care.
#[derive(Debug, Clone, Copy)]
pub enum BindingKind<'a> {
    /// `import a.b` binds `a` to module `a`; `import a.b as x` binds `x` to `a.b`.
    Import {
        module: &'a str,
    },
    /// `from module import member [as name]`
    FromImport {
        module: &'a str,
        member: &'a str,
    },
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
    Lambda(&'a ExprLambda),
    Pool(PoolKind),
    ProcessContext(StartMethod),
    /// An instance of a class defined in this file.
    Instance(&'a StmtClassDef),
    /// An instance of a module-level class of this file (`Instance` is kept for classes
    /// defined inside functions, which PAR401 flags as unpicklable).
    Object(&'a StmtClassDef),
    /// An object whose methods do I/O: a `requests.Session()`, an `aiohttp.ClientSession()`,
    /// an `sqlite3.connect()` connection or its cursor, a `pathlib.Path`, an open file, a lock
    /// (see [`crate::analysis::summarize::client_kind`]).
    Client(ClientKind),
    Parameter,
    /// Anything else (kept so a local name shadows a module-level one).
    Value,
}

#[derive(Debug, Clone, Copy)]
pub struct Binding<'a> {
    pub kind: BindingKind<'a>,
    /// Where the name is bound.
    pub range: TextRange,
    /// Whether the binding lives in the module scope.
    pub module_level: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum ScopeKind<'a> {
    Module,
    Class(&'a StmtClassDef),
    Function(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
    Comprehension,
}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind<'a>,
    bindings: Vec<(&'a str, Binding<'a>)>,
    /// `self.x = ...` in the methods of a class scope.
    self_attributes: Vec<(&'a str, Binding<'a>)>,
    /// Names declared `global` or `nonlocal` here: they bind outside.
    declared_outer: Vec<&'a str>,
}

impl<'a> Scope<'a> {
    fn new(kind: ScopeKind<'a>) -> Self {
        Self {
            kind,
            bindings: Vec::new(),
            self_attributes: Vec::new(),
            declared_outer: Vec::new(),
        }
    }

    fn push_binding(&mut self, name: &'a str, binding: Binding<'a>) {
        self.bindings.push((name, binding));
    }

    /// The latest binding of `name` in this scope so far.
    fn binding(&self, name: &str) -> Option<&Binding<'a>> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, binding)| binding)
    }

    /// Whether this scope's bindings so far include `name`.
    pub fn binds(&self, name: &str) -> bool {
        self.binding(name).is_some()
    }

    /// The names this scope binds so far.
    pub fn bound_names(&self) -> Vec<&'a str> {
        self.bindings.iter().map(|(name, _)| *name).collect()
    }

    pub fn is_function_like(&self) -> bool {
        matches!(self.kind, ScopeKind::Function(_) | ScopeKind::Lambda(_))
    }
}

/// The names that resolve to pool constructors.
const PROCESS_EXECUTORS: &[&str] = &[
    "concurrent.futures.ProcessPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor",
];
const PROCESS_POOLS: &[&str] = &["multiprocessing.Pool", "multiprocessing.pool.Pool"];
const INTERPRETER_EXECUTORS: &[&str] = &[
    "concurrent.futures.InterpreterPoolExecutor",
    "concurrent.futures.interpreter.InterpreterPoolExecutor",
];
const THREAD_EXECUTORS: &[&str] = &[
    "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.thread.ThreadPoolExecutor",
];
const THREAD_POOLS: &[&str] = &[
    "multiprocessing.pool.ThreadPool",
    "multiprocessing.dummy.Pool",
];
const PROCESS_CLASSES: &[&str] = &[
    "multiprocessing.Process",
    "multiprocessing.process.BaseProcess",
    "multiprocessing.context.Process",
    "multiprocessing.context.SpawnProcess",
    "multiprocessing.context.ForkServerProcess",
];
const THREAD_CLASSES: &[&str] = &["threading.Thread", "multiprocessing.dummy.Process"];

/// Methods that hand a callable to a pool (RULES.md, "Pool entry points").
pub const POOL_ENTRY_POINTS: &[&str] = &[
    "map",
    "submit",
    "imap",
    "imap_unordered",
    "starmap",
    "apply",
    "apply_async",
    "map_async",
    "starmap_async",
];

/// What runs a callable handed to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    Pool(PoolKind),
    /// `multiprocessing.Process(target=...)`
    Process(StartMethod),
    /// `threading.Thread(target=...)`
    Thread,
}

/// A call that hands `callable` to a pool, a process or a thread.
#[derive(Debug, Clone, Copy)]
pub struct RunnerCall<'a> {
    pub runner: Runner,
    /// What the callable was handed to, for messages (`executor.map`, `Process`).
    pub entry: &'a str,
    pub callable: &'a Expr,
    pub call: &'a ExprCall,
}

impl RunnerCall<'_> {
    /// What the callable was handed to, for messages: `` `ProcessPoolExecutor.map` ``,
    /// `` `run_in_executor` on a `ThreadPoolExecutor` ``, `` `threading.Thread` ``.
    pub fn describe(&self) -> String {
        match self.runner {
            Runner::Pool(kind) if self.entry == "run_in_executor" => {
                format!("`run_in_executor` on a `{}`", kind.class_name())
            }
            Runner::Pool(kind) => format!("`{}.{}`", kind.class_name(), self.entry),
            Runner::Process(_) => "`multiprocessing.Process`".to_string(),
            Runner::Thread => "`threading.Thread`".to_string(),
        }
    }
}

/// Scopes, bindings and the facts derived from them.
#[derive(Debug)]
pub struct Semantic<'a> {
    module_bindings: FxHashMap<&'a str, SmallVec<[Binding<'a>; 1]>>,
    scopes: Vec<Scope<'a>>,
    /// `multiprocessing.set_start_method(...)` seen at module level.
    default_start_method: StartMethod,
    /// For each module-level function: whether it creates a process pool or `Process`, and
    /// which module-level functions it calls (for the transitive question).
    function_facts: FxHashMap<&'a str, FunctionFacts<'a>>,
    /// The last bare name [`Semantic::resolved_tail`] resolved: the rules dispatched on one
    /// call ask about its callee one after another. Cleared whenever scopes or bindings change.
    tail_memo: std::cell::Cell<Option<(TextRange, Option<&'a str>)>>,
    /// The last call [`Semantic::pool_constructor`] classified (several rules, and the binding
    /// of an assignment's value, ask about each call). Cleared with `tail_memo`.
    pool_memo: std::cell::Cell<Option<(TextRange, Option<PoolKind>)>>,
    /// Bumped whenever scopes or bindings change, so memos of resolved facts can tell
    /// whether they still hold (see [`Semantic::generation`]).
    generation: u32,
    /// The value of each module-level name assigned by a plain assignment (the last one).
    module_values: FxHashMap<&'a str, &'a Expr>,
}

#[derive(Debug, Default)]
struct FunctionFacts<'a> {
    creates_process: bool,
    calls: SmallVec<[&'a str; 4]>,
}

impl<'a> Semantic<'a> {
    /// Builds the module scope from the top-level statements (not descending into bodies of
    /// functions and classes).
    pub fn new(module: &'a [Stmt]) -> Self {
        let mut semantic = Self {
            module_bindings: FxHashMap::default(),
            scopes: vec![Scope::new(ScopeKind::Module)],
            default_start_method: StartMethod::Default,
            function_facts: FxHashMap::default(),
            tail_memo: std::cell::Cell::new(None),
            pool_memo: std::cell::Cell::new(None),
            generation: 0,
            module_values: FxHashMap::default(),
        };
        semantic.collect_module_bindings(module);
        semantic
    }

    fn collect_module_bindings(&mut self, body: &'a [Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::FunctionDef(def) => {
                    self.bind_module(&def.name, BindingKind::Function(def));
                }
                Stmt::ClassDef(class) => self.bind_module(&class.name, BindingKind::Class(class)),
                Stmt::Import(import) => {
                    for alias in &import.names {
                        let (name, kind) = import_binding(alias);
                        self.bind_module_str(name, alias.range, kind);
                    }
                }
                Stmt::ImportFrom(import) => {
                    for alias in &import.names {
                        if let Some((name, kind)) = import_from_binding(import, alias) {
                            self.bind_module_str(name, alias.range, kind);
                        }
                    }
                }
                Stmt::Assign(assign) => {
                    let kind = self.classify_value(&assign.value);
                    for target in &assign.targets {
                        self.bind_module_target(target, kind);
                        if let Expr::Name(name) = target {
                            self.module_values.insert(name.id.as_str(), &assign.value);
                        }
                    }
                }
                Stmt::AnnAssign(assign) => {
                    let kind = match &assign.value {
                        Some(value) => self.classify_value(value),
                        None => self.classify_annotation(&assign.annotation),
                    };
                    self.bind_module_target(&assign.target, kind);
                }
                Stmt::AugAssign(assign) => {
                    self.bind_module_target(&assign.target, BindingKind::Value)
                }
                Stmt::For(for_stmt) => {
                    self.bind_module_target(&for_stmt.target, BindingKind::Value);
                    self.collect_module_bindings(&for_stmt.body);
                    self.collect_module_bindings(&for_stmt.orelse);
                }
                Stmt::While(while_stmt) => {
                    self.collect_module_bindings(&while_stmt.body);
                    self.collect_module_bindings(&while_stmt.orelse);
                }
                Stmt::If(if_stmt) => {
                    self.collect_module_bindings(&if_stmt.body);
                    for clause in &if_stmt.elif_else_clauses {
                        self.collect_module_bindings(&clause.body);
                    }
                }
                Stmt::With(with) => {
                    for item in &with.items {
                        if let Some(vars) = &item.optional_vars {
                            let kind = self.classify_value(&item.context_expr);
                            self.bind_module_target(vars, kind);
                        }
                    }
                    self.collect_module_bindings(&with.body);
                }
                Stmt::Try(try_stmt) => {
                    self.collect_module_bindings(&try_stmt.body);
                    for handler in &try_stmt.handlers {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        if let Some(name) = &handler.name {
                            self.bind_module(name, BindingKind::Value);
                        }
                        self.collect_module_bindings(&handler.body);
                    }
                    self.collect_module_bindings(&try_stmt.orelse);
                    self.collect_module_bindings(&try_stmt.finalbody);
                }
                Stmt::Match(match_stmt) => {
                    for case in &match_stmt.cases {
                        self.collect_module_bindings(&case.body);
                    }
                }
                Stmt::Expr(expr) => {
                    if let Expr::Call(call) = expr.value.as_ref() {
                        if let Some(method) = self.set_start_method(call) {
                            self.default_start_method = method;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn bind_module(&mut self, name: &'a ast::Identifier, kind: BindingKind<'a>) {
        self.bind_module_str(name.id.as_str(), name.range, kind);
    }

    fn bind_module_str(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        self.module_bindings.entry(name).or_default().push(Binding {
            kind,
            range,
            module_level: true,
        });
    }

    fn bind_module_target(&mut self, target: &'a Expr, kind: BindingKind<'a>) {
        match target {
            Expr::Name(name) => self.bind_module_str(name.id.as_str(), name.range, kind),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_module_target(elt, BindingKind::Value);
                }
            }
            Expr::Starred(starred) => self.bind_module_target(&starred.value, BindingKind::Value),
            _ => {}
        }
    }

    // ---- scopes -------------------------------------------------------------------------

    /// Forgets what was resolved under the old scopes and bindings.
    fn changed(&mut self) {
        self.tail_memo.set(None);
        self.pool_memo.set(None);
        self.generation = self.generation.wrapping_add(1);
    }

    /// A number that changes whenever scopes or bindings change: a fact resolved at one
    /// generation holds for the same node as long as the generation is the same.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    pub fn push_scope(&mut self, kind: ScopeKind<'a>) {
        self.changed();
        self.scopes.push(Scope::new(kind));
    }

    pub fn pop_scope(&mut self) {
        self.changed();
        debug_assert!(self.scopes.len() > 1, "the module scope is never popped");
        self.scopes.pop();
    }

    pub fn scopes(&self) -> &[Scope<'a>] {
        &self.scopes
    }

    pub fn current_scope(&self) -> &Scope<'a> {
        self.scopes.last().expect("module scope")
    }

    /// Whether code here runs when the module is imported (not inside a def, lambda or class).
    pub fn at_module_level(&self) -> bool {
        self.scopes
            .iter()
            .all(|scope| matches!(scope.kind, ScopeKind::Module | ScopeKind::Comprehension))
    }

    /// The innermost enclosing `def` or `lambda` scope.
    pub fn enclosing_function_like(&self) -> Option<&Scope<'a>> {
        self.scopes
            .iter()
            .rev()
            .find(|scope| scope.is_function_like())
    }

    /// Whether the innermost enclosing function is an `async def` (a lambda or a nested sync
    /// `def` in between does not count: its body does not run in the coroutine).
    pub fn in_async_function(&self) -> bool {
        matches!(
            self.enclosing_function_like().map(|scope| scope.kind),
            Some(ScopeKind::Function(def)) if def.is_async
        )
    }

    /// The outermost enclosing module-level `def`, if any.
    pub fn enclosing_module_function(&self) -> Option<&'a StmtFunctionDef> {
        match self.scopes.get(1).map(|scope| scope.kind) {
            Some(ScopeKind::Function(def)) => Some(def),
            _ => None,
        }
    }

    /// Records a binding in the current scope (module-level bindings come from the prepass).
    pub fn bind(&mut self, name: &'a str, range: TextRange, kind: BindingKind<'a>) {
        self.changed();
        let Some(scope) = self.scopes.last_mut() else {
            return;
        };
        if matches!(scope.kind, ScopeKind::Module) {
            return;
        }
        if scope.declared_outer.contains(&name) {
            return;
        }
        scope.push_binding(
            name,
            Binding {
                kind,
                range,
                module_level: false,
            },
        );
    }

    /// Binds every name in an assignment target; a bare name gets `kind`.
    pub fn bind_target(&mut self, target: &'a Expr, kind: BindingKind<'a>) {
        match target {
            Expr::Name(name) => self.bind(name.id.as_str(), name.range, kind),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, BindingKind::Value);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value, BindingKind::Value),
            Expr::Attribute(attribute) => self.bind_self_attribute(attribute, kind),
            _ => {}
        }
    }

    /// `self.pool = ProcessPoolExecutor()` inside a method: remembered on the class.
    fn bind_self_attribute(&mut self, attribute: &'a ast::ExprAttribute, kind: BindingKind<'a>) {
        let Expr::Name(base) = attribute.value.as_ref() else {
            return;
        };
        let Some((class_index, method)) = self.method_context() else {
            return;
        };
        if first_parameter_name(method) != Some(base.id.as_str()) {
            return;
        }
        self.scopes[class_index].self_attributes.push((
            attribute.attr.id.as_str(),
            Binding {
                kind,
                range: attribute.range,
                module_level: false,
            },
        ));
    }

    /// When directly inside a method: the index of its class scope and the method.
    fn method_context(&self) -> Option<(usize, &'a StmtFunctionDef)> {
        let function_index = self
            .scopes
            .iter()
            .rposition(|scope| matches!(scope.kind, ScopeKind::Function(_)))?;
        let ScopeKind::Function(method) = self.scopes[function_index].kind else {
            return None;
        };
        let class_index = function_index.checked_sub(1)?;
        matches!(self.scopes[class_index].kind, ScopeKind::Class(_))
            .then_some((class_index, method))
    }

    pub fn declare_outer(&mut self, names: &'a [ast::Identifier]) {
        self.changed();
        if let Some(scope) = self.scopes.last_mut() {
            scope
                .declared_outer
                .extend(names.iter().map(|name| name.id.as_str()));
        }
    }

    /// The binding `name` refers to at `offset`, following Python's scoping (class scopes are
    /// invisible to the functions inside them).
    pub fn lookup(&self, name: &str, offset: TextSize) -> Option<Binding<'a>> {
        let innermost = self.scopes.len() - 1;
        let mut module_code = true;
        for (index, scope) in self.scopes.iter().enumerate().rev() {
            if matches!(scope.kind, ScopeKind::Module) {
                break;
            }
            if scope.declared_outer.contains(&name) {
                // `global x` / `nonlocal x`: resolve outside (approximated by the module).
                module_code = false;
                break;
            }
            if matches!(scope.kind, ScopeKind::Class(_)) && index != innermost {
                continue;
            }
            if scope.is_function_like() || matches!(scope.kind, ScopeKind::Class(_)) {
                module_code = false;
            }
            if let Some(binding) = scope.binding(name) {
                return Some(*binding);
            }
        }
        let bindings = self.module_bindings.get(name)?;
        if module_code {
            // Module code sees the latest binding above it (or the first, for a forward use).
            bindings
                .iter()
                .rev()
                .find(|binding| binding.range.start() <= offset)
                .or_else(|| bindings.first())
                .copied()
        } else {
            // Function bodies run later: the module's last binding is the one they see.
            bindings.last().copied()
        }
    }

    /// The kind of scope whose binding `name` refers to where the walk is now (`Module` for a
    /// module-level name), following the same visibility rules as [`Semantic::lookup`].
    pub fn binding_scope_kind(&self, name: &str) -> Option<ScopeKind<'a>> {
        let innermost = self.scopes.len() - 1;
        for (index, scope) in self.scopes.iter().enumerate().rev() {
            if matches!(scope.kind, ScopeKind::Module) || scope.declared_outer.contains(&name) {
                break;
            }
            if matches!(scope.kind, ScopeKind::Class(_)) && index != innermost {
                continue;
            }
            if scope.binds(name) {
                return Some(scope.kind);
            }
        }
        self.is_module_name(name).then_some(ScopeKind::Module)
    }

    /// The module-level binding of `name`, if it has exactly one kind of meaning.
    pub fn module_binding(&self, name: &str) -> Option<Binding<'a>> {
        self.module_bindings.get(name)?.last().copied()
    }

    /// The value a module-level name is bound to, when its only binding is a plain
    /// assignment.
    pub fn module_binding_value(&self, name: &str) -> Option<&'a Expr> {
        if self.module_binding_count(name) != 1 {
            return None;
        }
        self.module_values.get(name).copied()
    }

    /// How many times `name` is bound at module level.
    pub fn module_binding_count(&self, name: &str) -> usize {
        self.module_bindings.get(name).map_or(0, SmallVec::len)
    }

    /// Whether `name` is bound at module level at all.
    pub fn is_module_name(&self, name: &str) -> bool {
        self.module_bindings.contains_key(name)
    }

    /// Resolves `expr` to the dotted name of what it refers to through imports and aliases.
    pub fn qualified_name(&self, expr: &'a Expr) -> Option<QualifiedName<'a>> {
        qualified_name_with(expr, &|name: &'a ast::ExprName| {
            self.lookup(name.id.as_str(), name.range.start())
                .map(|binding| binding.kind)
        })
    }

    /// The last segment of what `expr` names, resolving a bare name through its import
    /// (`PPE` bound by `from concurrent.futures import ProcessPoolExecutor as PPE` gives
    /// `ProcessPoolExecutor`). A cheap filter before building the full qualified name.
    pub fn resolved_tail(&self, expr: &'a Expr) -> Option<&'a str> {
        match expr {
            Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
            Expr::Name(name) => {
                if let Some((range, tail)) = self.tail_memo.get() {
                    if range == name.range {
                        return tail;
                    }
                }
                let tail = match self.lookup(name.id.as_str(), name.range.start()) {
                    None => Some(name.id.as_str()),
                    Some(binding) => match binding.kind {
                        BindingKind::FromImport { member, .. } => Some(member),
                        BindingKind::Import { module } => module.rsplit('.').next(),
                        _ => None,
                    },
                };
                self.tail_memo.set(Some((name.range, tail)));
                tail
            }
            _ => None,
        }
    }

    /// Which of the dotted names `expected` `expr` resolves to: the callee is resolved once,
    /// however many names are tried.
    pub fn resolves_to_any<'n>(&self, expr: &'a Expr, expected: &[&'n str]) -> Option<&'n str> {
        let tail = self.resolved_tail(expr)?;
        let mut candidates = expected
            .iter()
            .filter(|name| last_segment_is(name, tail))
            .peekable();
        candidates.peek()?;
        let qualified = self.qualified_name(expr)?;
        candidates.find(|name| qualified.is(name)).copied()
    }

    /// Whether `expr` resolves to the dotted name `expected`.
    pub fn resolves_to(&self, expr: &'a Expr, expected: &str) -> bool {
        // Cheap rejection before resolving: the last segment must match.
        let Some(tail) = self.resolved_tail(expr) else {
            return false;
        };
        if !last_segment_is(expected, tail) {
            return false;
        }
        self.qualified_name(expr)
            .is_some_and(|name| name.is(expected))
    }

    // ---- pools, processes, threads -------------------------------------------------------

    /// The binding kind a value gives the names assigned from it.
    pub fn classify_value(&self, value: &'a Expr) -> BindingKind<'a> {
        match value {
            Expr::Lambda(lambda) => BindingKind::Lambda(lambda),
            Expr::Call(call) => {
                if let Some(kind) = self.pool_constructor(call) {
                    BindingKind::Pool(kind)
                } else if let Some(method) = self.process_context(call) {
                    BindingKind::ProcessContext(method)
                } else if let Some((class, module_level)) = self.class_of_call(call) {
                    if module_level {
                        BindingKind::Object(class)
                    } else {
                        BindingKind::Instance(class)
                    }
                } else if let Some(kind) = self.client_kind(value) {
                    BindingKind::Client(kind)
                } else {
                    BindingKind::Value
                }
            }
            _ => self
                .client_kind(value)
                .map_or(BindingKind::Value, BindingKind::Client),
        }
    }

    /// The kind of I/O the methods of the object `value` evaluates to do, resolving names
    /// where the walk is now.
    pub fn client_kind(&self, value: &'a Expr) -> Option<ClientKind> {
        crate::analysis::summarize::client_kind(value, self)
    }

    /// A parameter or variable annotated with a pool class holds that kind of pool.
    /// One annotated with a client class (`session: aiohttp.ClientSession`) holds that client.
    pub fn classify_annotation(&self, annotation: &'a Expr) -> BindingKind<'a> {
        if let Some(kind) = self.pool_class(annotation) {
            return BindingKind::Pool(kind);
        }
        match crate::analysis::summarize::annotated_client_kind(annotation, self) {
            Some(kind) => BindingKind::Client(kind),
            None => BindingKind::Value,
        }
    }

    /// The pool kind a class expression names (`ProcessPoolExecutor`, `cf.ThreadPoolExecutor`).
    fn pool_class(&self, class: &'a Expr) -> Option<PoolKind> {
        let last = self.resolved_tail(class)?;
        if !matches!(
            last,
            "ProcessPoolExecutor"
                | "Pool"
                | "InterpreterPoolExecutor"
                | "ThreadPoolExecutor"
                | "ThreadPool"
        ) {
            return None;
        }
        let name = self.qualified_name(class)?;
        if name.is_any(PROCESS_EXECUTORS) {
            Some(PoolKind::ProcessExecutor)
        } else if name.is_any(PROCESS_POOLS) {
            Some(PoolKind::ProcessPool)
        } else if name.is_any(INTERPRETER_EXECUTORS) {
            Some(PoolKind::InterpreterExecutor)
        } else if name.is_any(THREAD_EXECUTORS) {
            Some(PoolKind::ThreadExecutor)
        } else if name.is_any(THREAD_POOLS) {
            Some(PoolKind::ThreadPool)
        } else {
            None
        }
    }

    /// The kind of pool a constructor call makes, including `ctx.Pool()` on a
    /// `multiprocessing` context.
    pub fn pool_constructor(&self, call: &'a ExprCall) -> Option<PoolKind> {
        if let Some((range, kind)) = self.pool_memo.get() {
            if range == call.range() {
                return kind;
            }
        }
        let kind = self
            .pool_class(&call.func)
            .or_else(|| match call.func.as_ref() {
                Expr::Attribute(attribute) if attribute.attr.as_str() == "Pool" => self
                    .context_start_method(&attribute.value)
                    .map(|_| PoolKind::ProcessPool),
                _ => None,
            });
        self.pool_memo.set(Some((call.range(), kind)));
        kind
    }

    /// `multiprocessing.get_context(method)`: the start method it names.
    pub fn process_context(&self, call: &'a ExprCall) -> Option<StartMethod> {
        if !self.resolves_to(&call.func, "multiprocessing.get_context") {
            return None;
        }
        Some(start_method_argument(call))
    }

    fn set_start_method(&self, call: &'a ExprCall) -> Option<StartMethod> {
        self.resolves_to(&call.func, "multiprocessing.set_start_method")
            .then(|| start_method_argument(call))
    }

    /// The start method of an expression that evaluates to a `multiprocessing` context.
    fn context_start_method(&self, expr: &'a Expr) -> Option<StartMethod> {
        match expr {
            Expr::Call(call) => self.process_context(call),
            Expr::Name(name) => match self.lookup(name.id.as_str(), name.range.start())?.kind {
                BindingKind::ProcessContext(method) => Some(method),
                _ => None,
            },
            _ => None,
        }
    }

    /// `multiprocessing.Process(...)` or `ctx.Process(...)`: the start method that applies.
    pub fn process_constructor(&self, call: &'a ExprCall) -> Option<StartMethod> {
        if self
            .resolved_tail(&call.func)
            .is_none_or(|last| !last.ends_with("Process"))
        {
            return None;
        }
        if let Expr::Attribute(attribute) = call.func.as_ref() {
            if attribute.attr.as_str() == "Process" {
                if let Some(method) = self.context_start_method(&attribute.value) {
                    return Some(method);
                }
            }
        }
        let name = self.qualified_name(&call.func)?;
        if name.is_any(PROCESS_CLASSES) {
            Some(match name.last() {
                "SpawnProcess" => StartMethod::Spawn,
                "ForkServerProcess" => StartMethod::Forkserver,
                _ => self.default_start_method,
            })
        } else {
            None
        }
    }

    fn is_thread_constructor(&self, call: &'a ExprCall) -> bool {
        matches!(self.resolved_tail(&call.func), Some("Thread" | "Process"))
            && self
                .qualified_name(&call.func)
                .is_some_and(|name| name.is_any(THREAD_CLASSES))
    }

    /// The pool an expression evaluates to: a name or `self.attr` bound to one, or an inline
    /// constructor call.
    pub fn pool_kind(&self, expr: &'a Expr) -> Option<PoolKind> {
        match expr {
            Expr::Name(name) => match self.lookup(name.id.as_str(), name.range.start())?.kind {
                BindingKind::Pool(kind) => Some(kind),
                _ => None,
            },
            Expr::Attribute(attribute) => match self.self_attribute(attribute)?.kind {
                BindingKind::Pool(kind) => Some(kind),
                _ => None,
            },
            Expr::Call(call) => self.pool_constructor(call),
            _ => None,
        }
    }

    /// A `concurrent.futures.ProcessPoolExecutor` reachable here by name: a variable of an
    /// enclosing scope or of the module (not shadowed), or `self.<attr>` inside a method.
    /// Returns the expression text to use (`pool`, `self.executor`).
    pub fn process_executor_in_scope(&self, offset: TextSize) -> Option<String> {
        let is_executor = |binding: &Binding| {
            matches!(binding.kind, BindingKind::Pool(PoolKind::ProcessExecutor))
        };
        for scope in self.scopes.iter().rev() {
            if matches!(scope.kind, ScopeKind::Class(_)) {
                continue;
            }
            for (name, binding) in scope.bindings.iter().rev() {
                if is_executor(binding)
                    && self
                        .lookup(name, offset)
                        .is_some_and(|seen| seen.range == binding.range)
                {
                    return Some((*name).to_string());
                }
            }
        }
        for (name, bindings) in &self.module_bindings {
            if bindings.len() == 1
                && bindings.iter().all(is_executor)
                && self
                    .lookup(name, offset)
                    .is_some_and(|seen| is_executor(&seen))
            {
                return Some((*name).to_string());
            }
        }
        let (class_index, method) = self.method_context()?;
        let self_name = first_parameter_name(method)?;
        self.scopes[class_index]
            .self_attributes
            .iter()
            .rev()
            .find(|(_, binding)| is_executor(binding))
            .map(|(attr, _)| format!("{self_name}.{attr}"))
    }

    /// Inside a method: what `self.attr` was last bound to in the class's methods so far.
    pub fn self_attribute(&self, attribute: &ast::ExprAttribute) -> Option<Binding<'a>> {
        let Expr::Name(base) = attribute.value.as_ref() else {
            return None;
        };
        let (class_index, method) = self.method_context()?;
        if first_parameter_name(method) != Some(base.id.as_str()) {
            return None;
        }
        self.scopes[class_index]
            .self_attributes
            .iter()
            .rev()
            .find(|(attr, _)| *attr == attribute.attr.as_str())
            .map(|(_, binding)| *binding)
    }

    /// Recognises a call that hands a callable to a pool, a `Process` or a `Thread`:
    /// `pool.map(f, ...)` and the other entry points, `Process(target=f)`,
    /// `Thread(target=f)`, `loop.run_in_executor(pool, f)`, `Pool(initializer=f)`.
    pub fn runner_call(&self, call: &'a ExprCall) -> Option<RunnerCall<'a>> {
        match call.func.as_ref() {
            Expr::Attribute(attribute) => {
                let method = attribute.attr.as_str();
                if POOL_ENTRY_POINTS.contains(&method) {
                    let kind = self.pool_kind(&attribute.value)?;
                    let callable = call
                        .arguments
                        .args
                        .first()
                        .or_else(|| keyword(call, "fn"))
                        .or_else(|| keyword(call, "func"))?;
                    return Some(RunnerCall {
                        runner: Runner::Pool(kind),
                        entry: method,
                        callable,
                        call,
                    });
                }
                if method == "run_in_executor" {
                    let kind = call
                        .arguments
                        .args
                        .first()
                        .and_then(|executor| self.pool_kind(executor))
                        .unwrap_or(PoolKind::ThreadExecutor);
                    let callable = call.arguments.args.get(1)?;
                    return Some(RunnerCall {
                        runner: Runner::Pool(kind),
                        entry: method,
                        callable,
                        call,
                    });
                }
            }
            Expr::Name(_) => {}
            _ => return None,
        }
        // Only constructors of pools, processes and threads remain: reject the rest cheaply.
        let tail = self.resolved_tail(&call.func)?;
        if !matches!(
            tail,
            "ProcessPoolExecutor"
                | "Pool"
                | "InterpreterPoolExecutor"
                | "ThreadPoolExecutor"
                | "ThreadPool"
                | "Thread"
        ) && !tail.ends_with("Process")
        {
            return None;
        }
        if let Some(initializer) = keyword(call, "initializer") {
            if let Some(kind) = self.pool_constructor(call) {
                return Some(RunnerCall {
                    runner: Runner::Pool(kind),
                    entry: "initializer",
                    callable: initializer,
                    call,
                });
            }
        }
        let target = || keyword(call, "target").or_else(|| call.arguments.args.get(1));
        if let Some(method) = self.process_constructor(call) {
            return Some(RunnerCall {
                runner: Runner::Process(method),
                entry: "Process",
                callable: target()?,
                call,
            });
        }
        if self.is_thread_constructor(call) {
            return Some(RunnerCall {
                runner: Runner::Thread,
                entry: "Thread",
                callable: target()?,
                call,
            });
        }
        None
    }

    /// Whether a call creates a process pool (or interpreter pool) or a `Process`.
    pub fn creates_process(&self, call: &'a ExprCall) -> bool {
        match self.resolved_tail(&call.func) {
            Some("ProcessPoolExecutor" | "Pool" | "InterpreterPoolExecutor") => self
                .pool_constructor(call)
                .is_some_and(|kind| !kind.is_thread()),
            Some("Manager") => self.is_manager_constructor(call),
            Some(tail) if tail.ends_with("Process") => self.process_constructor(call).is_some(),
            _ => false,
        }
    }

    /// `multiprocessing.Manager()` (or `ctx.Manager()`): starts a server process.
    fn is_manager_constructor(&self, call: &'a ExprCall) -> bool {
        if self.resolved_tail(&call.func) != Some("Manager") {
            return false;
        }
        if let Expr::Attribute(attribute) = call.func.as_ref() {
            if self.context_start_method(&attribute.value).is_some() {
                return true;
            }
        }
        self.resolves_to(&call.func, "multiprocessing.Manager")
    }

    /// The class defined in this file that `call` instantiates, and whether it is defined at
    /// module level.
    fn class_of_call(&self, call: &'a ExprCall) -> Option<(&'a StmtClassDef, bool)> {
        let Expr::Name(name) = call.func.as_ref() else {
            return None;
        };
        match self.lookup(name.id.as_str(), name.range.start()) {
            Some(Binding {
                kind: BindingKind::Class(class),
                module_level,
                ..
            }) => Some((class, module_level)),
            _ => None,
        }
    }

    // ---- module functions that start processes (for the main-guard rule) -----------------

    /// Notes a call made inside the module-level function `function`.
    pub fn record_call_in_function(&mut self, function: &'a str, call: &'a ExprCall) {
        let creates = self.creates_process(call);
        let callee = match call.func.as_ref() {
            Expr::Name(name)
                if matches!(
                    self.module_binding(name.id.as_str()).map(|b| b.kind),
                    Some(BindingKind::Function(_))
                ) =>
            {
                Some(name.id.as_str())
            }
            _ => None,
        };
        if !creates && callee.is_none() {
            return;
        }
        let facts = self.function_facts.entry(function).or_default();
        facts.creates_process |= creates;
        if let Some(callee) = callee {
            if !facts.calls.contains(&callee) {
                facts.calls.push(callee);
            }
        }
    }

    /// Whether calling the module-level function `name` creates a process pool or `Process`,
    /// directly or through the module's own functions (bounded depth).
    pub fn function_creates_process(&self, name: &str) -> bool {
        let mut seen: SmallVec<[&str; 8]> = SmallVec::new();
        self.function_creates_process_inner(name, &mut seen, 0)
    }

    fn function_creates_process_inner<'s>(
        &'s self,
        name: &'s str,
        seen: &mut SmallVec<[&'s str; 8]>,
        depth: usize,
    ) -> bool {
        if depth > 8 || seen.contains(&name) {
            return false;
        }
        seen.push(name);
        let Some(facts) = self.function_facts.get(name) else {
            return false;
        };
        facts.creates_process
            || facts
                .calls
                .iter()
                .any(|callee| self.function_creates_process_inner(callee, seen, depth + 1))
    }
}

/// Whether the last dotted segment of `dotted` is `tail`, without splitting the name. The
/// byte before the segment is tested first: it rejects most names without comparing strings
/// (this runs for every call against every name a rule looks for).
fn last_segment_is(dotted: &str, tail: &str) -> bool {
    let bytes = dotted.as_bytes();
    match bytes.len().checked_sub(tail.len()) {
        Some(0) => dotted == tail,
        Some(start) => bytes[start - 1] == b'.' && &bytes[start..] == tail.as_bytes(),
        None => false,
    }
}

/// Resolves `expr` to a dotted name as [`Semantic::qualified_name`] does, with `resolve`
/// saying what a bare name is bound to (`None`: unbound, so a builtin). Lets an analysis of a
/// function body outside the walk's current scope (the workload classification) resolve
/// names through its own view of that body's locals.
pub fn qualified_name_with<'a, F>(expr: &'a Expr, resolve: &F) -> Option<QualifiedName<'a>>
where
    F: Fn(&'a ast::ExprName) -> Option<BindingKind<'a>>,
{
    match expr {
        Expr::Name(name) => {
            let id = name.id.as_str();
            match resolve(name) {
                None => Some(QualifiedName(SmallVec::from_slice(&["builtins", id]))),
                Some(BindingKind::Import { module }) => Some(QualifiedName::from_dotted(module)),
                Some(BindingKind::FromImport { module, member }) => {
                    let mut qualified = QualifiedName::from_dotted(module);
                    qualified.0.push(member);
                    Some(qualified)
                }
                Some(_) => None,
            }
        }
        Expr::Attribute(attribute) => {
            let mut qualified = qualified_name_with(&attribute.value, resolve)?;
            if qualified.0.first() == Some(&"builtins") {
                return None;
            }
            qualified.0.push(attribute.attr.id.as_str());
            Some(qualified)
        }
        _ => None,
    }
}

/// The binding an `import` alias creates.
pub fn import_binding(alias: &ast::Alias) -> (&str, BindingKind<'_>) {
    let dotted = alias.name.id.as_str();
    match &alias.asname {
        Some(asname) => (asname.id.as_str(), BindingKind::Import { module: dotted }),
        None => {
            let first = dotted.split('.').next().unwrap_or(dotted);
            (first, BindingKind::Import { module: first })
        }
    }
}

/// The binding a `from ... import` alias creates (relative imports resolve to nothing).
pub fn import_from_binding<'a>(
    import: &'a ast::StmtImportFrom,
    alias: &'a ast::Alias,
) -> Option<(&'a str, BindingKind<'a>)> {
    let bound = alias.asname.as_ref().unwrap_or(&alias.name).id.as_str();
    if alias.name.id.as_str() == "*" {
        return None;
    }
    let kind = match (&import.module, import.level) {
        (Some(module), 0) => BindingKind::FromImport {
            module: module.id.as_str(),
            member: alias.name.id.as_str(),
        },
        _ => BindingKind::Value,
    };
    Some((bound, kind))
}

/// `x` for `x`, `b` for `a.b`: the identifier an expression ends in.
pub fn last_identifier(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// The value of keyword argument `name`.
pub fn keyword<'a>(call: &'a ExprCall, name: &str) -> Option<&'a Expr> {
    call.arguments
        .keywords
        .iter()
        .find(|keyword| keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == name))
        .map(|keyword| &keyword.value)
}

/// The name of a function's first parameter (`self` or `cls` for methods).
pub fn first_parameter_name(def: &StmtFunctionDef) -> Option<&str> {
    let parameters = &def.parameters;
    parameters
        .posonlyargs
        .first()
        .or_else(|| parameters.args.first())
        .map(|parameter| parameter.parameter.name.as_str())
}

fn start_method_argument(call: &ExprCall) -> StartMethod {
    let argument = call
        .arguments
        .args
        .first()
        .or_else(|| keyword(call, "method"));
    match argument {
        Some(Expr::StringLiteral(literal)) => match literal.value.to_str() {
            "fork" => StartMethod::Fork,
            "spawn" => StartMethod::Spawn,
            "forkserver" => StartMethod::Forkserver,
            _ => StartMethod::Default,
        },
        _ => StartMethod::Default,
    }
}

/// Whether a statement is `if __name__ == "__main__":` (either operand order, any quotes).
pub fn is_main_guard(test: &Expr) -> bool {
    let Expr::Compare(compare) = test else {
        return false;
    };
    if compare.ops.len() != 1 || !matches!(compare.ops[0], ast::CmpOp::Eq) {
        return false;
    }
    let is_name = |expr: &Expr| matches!(expr, Expr::Name(name) if name.id.as_str() == "__name__");
    let is_main = |expr: &Expr| matches!(expr, Expr::StringLiteral(literal) if literal.value.to_str() == "__main__");
    let (left, right) = (compare.left.as_ref(), &compare.comparators[0]);
    (is_name(left) && is_main(right)) || (is_main(left) && is_name(right))
}

impl Ranged for Binding<'_> {
    fn range(&self) -> TextRange {
        self.range
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_python_parser::parse_module;

    use super::*;

    /// The value of the last top-level statement, which must be an expression or assignment.
    fn last_value(body: &[Stmt]) -> &Expr {
        match body.last().unwrap() {
            Stmt::Expr(expr) => &expr.value,
            Stmt::Assign(assign) => &assign.value,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn last_segment_matches_whole_segments_only() {
        assert!(last_segment_is("asyncio.sleep", "sleep"));
        assert!(last_segment_is("sleep", "sleep"));
        assert!(last_segment_is("a.b.c", "c"));
        assert!(!last_segment_is("asyncio.sleep", "leep"));
        assert!(!last_segment_is("asyncio.sleep", "asyncio.sleep.x"));
        assert!(!last_segment_is("time.sleep", "time"));
        assert!(!last_segment_is("timesleep", "sleep"));
        assert!(!last_segment_is("sleep", "sleeps"));
    }

    fn qualified(source: &str) -> Option<String> {
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let value = last_value(body);
        let callee = match value {
            Expr::Call(call) => call.func.as_ref(),
            other => other,
        };
        semantic.qualified_name(callee).map(|name| name.to_string())
    }

    #[test]
    fn qualified_names_through_every_import_style() {
        let expected = Some("concurrent.futures.ProcessPoolExecutor".to_string());
        assert_eq!(
            qualified("import concurrent.futures as cf\ncf.ProcessPoolExecutor()"),
            expected
        );
        assert_eq!(
            qualified("import concurrent.futures\nconcurrent.futures.ProcessPoolExecutor()"),
            expected
        );
        assert_eq!(
            qualified("from concurrent.futures import ProcessPoolExecutor as PPE\nPPE()"),
            expected
        );
        assert_eq!(
            qualified("from concurrent import futures\nfutures.ProcessPoolExecutor()"),
            expected
        );
        assert_eq!(
            qualified("from multiprocessing import Pool as P\nP()"),
            Some("multiprocessing.Pool".to_string())
        );
        assert_eq!(
            qualified("import multiprocessing.pool\nmultiprocessing.pool.ThreadPool()"),
            Some("multiprocessing.pool.ThreadPool".to_string())
        );
        assert_eq!(qualified("open()"), Some("builtins.open".to_string()));
        // Rebinding an imported name to a value: no longer the import.
        assert_eq!(
            qualified("from asyncio import sleep\nsleep = 3\nsleep"),
            None
        );
        // Relative imports resolve to nothing.
        assert_eq!(qualified("from . import pool\npool.Pool()"), None);
    }

    fn pool_of_last(source: &str) -> Option<PoolKind> {
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        semantic.pool_kind(last_value(body))
    }

    #[test]
    fn names_bound_to_pools() {
        assert_eq!(
            pool_of_last("from concurrent.futures import ProcessPoolExecutor\nex = ProcessPoolExecutor()\nex"),
            Some(PoolKind::ProcessExecutor)
        );
        assert_eq!(
            pool_of_last("import concurrent.futures as cf\nwith cf.ThreadPoolExecutor(4) as ex:\n    pass\nex"),
            Some(PoolKind::ThreadExecutor)
        );
        assert_eq!(
            pool_of_last("import multiprocessing as mp\nctx = mp.get_context('spawn')\npool = ctx.Pool()\npool"),
            Some(PoolKind::ProcessPool)
        );
        assert_eq!(
            pool_of_last("from multiprocessing.dummy import Pool\np = Pool()\np"),
            Some(PoolKind::ThreadPool)
        );
        assert_eq!(
            pool_of_last(
                "from concurrent.futures import ProcessPoolExecutor as P\nx: P = make()\nx"
            ),
            None,
            "an annotated assignment with a value is classified by the value"
        );
        assert_eq!(
            pool_of_last("from psycopg_pool import Pool\np = Pool()\np"),
            None
        );
        assert_eq!(pool_of_last("p = make_pool()\np"), None);
    }

    #[test]
    fn main_guard_in_either_order_and_quote_style() {
        for source in [
            "if __name__ == '__main__':\n    pass",
            "if \"__main__\" == __name__:\n    pass",
        ] {
            let parsed = parse_module(source).unwrap();
            let Stmt::If(if_stmt) = &parsed.syntax().body[0] else {
                panic!()
            };
            assert!(is_main_guard(&if_stmt.test), "{source}");
        }
        let parsed = parse_module("if __name__ != '__main__':\n    pass").unwrap();
        let Stmt::If(if_stmt) = &parsed.syntax().body[0] else {
            panic!()
        };
        assert!(!is_main_guard(&if_stmt.test));
    }
}
