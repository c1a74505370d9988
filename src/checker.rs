//! The single AST walk: keeps the semantic facts current and hands each node to the enabled
//! rules that asked for its kind.

use std::cell::Cell;

use ruff_python_ast::token::Tokens;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::analysis::loops::IndependentLoop;
use crate::analysis::semantic::{
    import_binding, import_from_binding, is_main_guard, BindingKind, RunnerCall, ScopeKind,
    Semantic,
};
use crate::analysis::workload::Workload;
use crate::diagnostic::Diagnostic;
use crate::rules::{RuleSpec, RULES};
use crate::settings::Settings;
use crate::source::{SourceText, Stylist};

/// The node kinds a rule can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum NodeKind {
    FunctionDef,
    ClassDef,
    For,
    While,
    With,
    If,
    Assign,
    AugAssign,
    AnnAssign,
    ExprStmt,
    Return,
    Call,
    /// A call that hands work to a pool, process or thread ([`Checker::runner_call`] is
    /// `Some`), dispatched right after [`NodeKind::Call`]. Rules about handoffs ask for this
    /// instead of every call, so the other calls never reach them.
    RunnerCall,
    /// A call in the body of an `async def` (comprehensions included, nested functions not),
    /// dispatched right after [`NodeKind::Call`].
    CoroutineCall,
    Lambda,
    Await,
    ListComp,
    SetComp,
    DictComp,
    Generator,
    /// Once per file, after the walk.
    ModuleEnd,
}

impl NodeKind {
    pub const COUNT: usize = NodeKind::ModuleEnd as usize + 1;

    fn of_stmt(stmt: &Stmt) -> Option<Self> {
        Some(match stmt {
            Stmt::FunctionDef(_) => NodeKind::FunctionDef,
            Stmt::ClassDef(_) => NodeKind::ClassDef,
            Stmt::For(_) => NodeKind::For,
            Stmt::While(_) => NodeKind::While,
            Stmt::With(_) => NodeKind::With,
            Stmt::If(_) => NodeKind::If,
            Stmt::Assign(_) => NodeKind::Assign,
            Stmt::AugAssign(_) => NodeKind::AugAssign,
            Stmt::AnnAssign(_) => NodeKind::AnnAssign,
            Stmt::Expr(_) => NodeKind::ExprStmt,
            Stmt::Return(_) => NodeKind::Return,
            _ => return None,
        })
    }

    fn of_expr(expr: &Expr) -> Option<Self> {
        Some(match expr {
            Expr::Call(_) => NodeKind::Call,
            Expr::Lambda(_) => NodeKind::Lambda,
            Expr::Await(_) => NodeKind::Await,
            Expr::ListComp(_) => NodeKind::ListComp,
            Expr::SetComp(_) => NodeKind::SetComp,
            Expr::DictComp(_) => NodeKind::DictComp,
            Expr::Generator(_) => NodeKind::Generator,
            _ => return None,
        })
    }
}

/// What a rule is handed.
#[derive(Debug, Clone, Copy)]
pub enum Node<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
    Module(&'a [Stmt]),
}

/// For each node kind, the indices (into [`RULES`]) of the enabled rules that want it.
#[derive(Debug, Clone, Default)]
pub struct DispatchTable {
    by_kind: [Vec<u16>; NodeKind::COUNT],
    /// The rules that want only calls of certain callees ([`RuleSpec::call_tails`]), by the
    /// callee's last name: one lookup per call instead of one rule call each.
    calls_by_tail: rustc_hash::FxHashMap<&'static str, Vec<u16>>,
}

impl DispatchTable {
    pub fn new(enabled: impl Fn(&'static RuleSpec) -> bool) -> Self {
        let mut table = Self::default();
        for (index, rule) in RULES.iter().enumerate() {
            if enabled(rule) {
                for kind in rule.kinds {
                    if *kind == NodeKind::Call && !rule.call_tails.is_empty() {
                        for tail in rule.call_tails {
                            table
                                .calls_by_tail
                                .entry(tail)
                                .or_default()
                                .push(index as u16);
                        }
                    } else {
                        table.by_kind[*kind as usize].push(index as u16);
                    }
                }
            }
        }
        table
    }

    /// The codes of the rules handed every node of `kind`, and of those handed calls of
    /// `tail`.
    #[cfg(test)]
    fn rule_codes(&self, kind: NodeKind, tail: Option<&str>) -> Vec<&'static str> {
        let indices = match tail {
            None => &self.by_kind[kind as usize],
            Some(tail) => match self.calls_by_tail.get(tail) {
                Some(indices) => indices,
                None => return Vec::new(),
            },
        };
        indices
            .iter()
            .map(|&index| RULES[index as usize].code)
            .collect()
    }
}

thread_local! {
    /// The rule running on this thread, so a panic can be attributed to it.
    static CURRENT_RULE: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// The rule that was running when the current thread last panicked inside a rule.
pub fn current_rule() -> Option<&'static str> {
    CURRENT_RULE.with(Cell::get)
}

pub fn clear_current_rule() {
    CURRENT_RULE.with(|rule| rule.set(None));
}

/// What one iteration of a loop does, and the loop's decomposition (computed when first
/// asked: most loops are ruled out by what their iteration does).
#[derive(Debug)]
pub struct LoopFacts<'a> {
    for_stmt: &'a ast::StmtFor,
    allow_await: bool,
    model: std::cell::OnceCell<
        Result<
            crate::analysis::loop_model::LoopModel<'a>,
            crate::analysis::loop_model::Dependence<'a>,
        >,
    >,
    pub iteration: crate::analysis::summary::Summary,
}

impl<'a> LoopFacts<'a> {
    /// Whether one iteration changes state the iterations share other than through the
    /// combine steps: globals or outer names that are not sinks (a module-level collector is
    /// a global and a sink), or attributes of `self`.
    pub fn changes_shared_state(&self, model: &crate::analysis::loop_model::LoopModel) -> bool {
        let mutation = &self.iteration.mutation;
        let sinks: Vec<&str> = model.sinks().collect();
        let shared = |name: &str| !sinks.contains(&name) && !model.per_item.contains(name);
        mutation.globals.iter().any(|name| shared(name))
            || !mutation.self_attributes.is_empty()
            || mutation.self_read_and_written
            || mutation.outer_names.iter().any(|name| shared(name))
    }

    /// The decomposition into per-item work and combine steps, or why there is none.
    pub fn model(
        &self,
    ) -> &Result<
        crate::analysis::loop_model::LoopModel<'a>,
        crate::analysis::loop_model::Dependence<'a>,
    > {
        self.model
            .get_or_init(|| crate::analysis::loop_model::decompose(self.for_stmt, self.allow_await))
    }
}

/// What a call does here, not awaited: its callee's summary composed with its arguments.
type CallSummary = std::rc::Rc<crate::analysis::summary::Summary>;

/// One answer memoised for one node at one scope generation ([`Semantic::generation`]).
type NodeMemo<T> = std::cell::Cell<Option<((ruff_text_size::TextRange, u32), T)>>;

/// The walk's state, and the context every rule's check receives.
pub struct Checker<'a> {
    pub source: &'a SourceText,
    pub tokens: &'a Tokens,
    pub stylist: &'a Stylist,
    pub settings: &'a Settings,
    pub module: &'a [Stmt],
    pub semantic: Semantic<'a>,
    /// The file's shared facts (summaries, array kinds, module index), memoised.
    pub analysis: crate::analysis::Analysis<'a>,
    table: &'a DispatchTable,
    /// The statements enclosing the current node, outermost first.
    statements: Vec<&'a Stmt>,
    /// Depth of `if __name__ == "__main__":` bodies around the current node.
    main_guard_depth: u32,
    diagnostics: Vec<Diagnostic>,
    /// The last loop analysed for independence: the candidate rules all ask about the same
    /// node one after another, so one slot spares them re-walking it.
    loop_memo: std::cell::RefCell<Option<(ruff_text_size::TextSize, Option<IndependentLoop<'a>>)>>,
    /// The last call asked about by [`Checker::runner_call`]: up to ten rules ask about each
    /// call node in turn.
    runner_memo: NodeMemo<Option<RunnerCall<'a>>>,
    /// The last callable [`Checker::workload_of_callable`] classified.
    callable_memo: NodeMemo<Workload>,
    /// The last loop [`Checker::loop_model`] decomposed.
    model_memo: std::cell::RefCell<Option<(ruff_text_size::TextSize, std::rc::Rc<LoopFacts<'a>>)>>,
    /// The summary of the last call [`Checker::call_summary`] was asked about (PAR601 and
    /// PAR602 ask about each call in a coroutine in turn).
    call_memo: std::cell::RefCell<Option<((ruff_text_size::TextRange, u32), CallSummary)>>,
    /// The operand of the innermost `await` entered: the call visited right after it is
    /// awaited when its range matches, without searching the statement for its parent.
    awaited: Option<ruff_text_size::TextRange>,
}

impl<'a> Checker<'a> {
    /// The loop-independence analysis of a `for` loop ([`crate::analysis::loops::independent_for`]),
    /// computed once however many rules ask about it.
    pub fn independent_for(&self, for_stmt: &'a ast::StmtFor) -> Option<IndependentLoop<'a>> {
        self.memoised_loop(for_stmt.range.start(), || {
            crate::analysis::loops::independent_for(for_stmt, &self.semantic)
        })
    }

    /// The dataflow decomposition of a `for` loop into per-item work and an in-order combine
    /// step ([`crate::analysis::loop_model::decompose`]), and what one iteration of its body
    /// does (its summary), computed once however many loop rules ask.
    pub fn loop_model(&self, for_stmt: &'a ast::StmtFor) -> std::rc::Rc<LoopFacts<'a>> {
        let key = for_stmt.range.start();
        if let Some((cached, facts)) = &*self.model_memo.borrow() {
            if *cached == key {
                return facts.clone();
            }
        }
        let facts = std::rc::Rc::new(LoopFacts {
            for_stmt,
            allow_await: self.semantic.in_async_function(),
            model: std::cell::OnceCell::new(),
            iteration: self
                .summaries()
                .of_statements(&self.semantic, &for_stmt.body),
        });
        *self.model_memo.borrow_mut() = Some((key, facts.clone()));
        facts
    }

    /// Whether `for_stmt` sits in another loop of the same function (or module): that loop
    /// runs it again, and is the one to parallelize.
    pub fn in_enclosing_loop(&self, for_stmt: &ast::StmtFor) -> bool {
        self.enclosing_loop(for_stmt).is_some()
    }

    /// The innermost `for` or `while` of the same function (or module) around `for_stmt`.
    pub fn enclosing_loop(&self, for_stmt: &ast::StmtFor) -> Option<&'a Stmt> {
        self.statements
            .iter()
            .rev()
            .take_while(|stmt| !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)))
            .filter(|stmt| stmt.range() != for_stmt.range())
            .find(|stmt| matches!(stmt, Stmt::For(_) | Stmt::While(_)))
            .copied()
    }

    /// The same for a list comprehension ([`crate::analysis::loops::independent_comprehension`]).
    pub fn independent_list_comprehension(
        &self,
        comp: &'a ast::ExprListComp,
    ) -> Option<IndependentLoop<'a>> {
        self.memoised_loop(comp.range.start(), || {
            crate::analysis::loops::independent_comprehension(
                &comp.elt,
                &comp.generators,
                &self.semantic,
            )
        })
    }

    fn memoised_loop(
        &self,
        key: ruff_text_size::TextSize,
        analyse: impl FnOnce() -> Option<IndependentLoop<'a>>,
    ) -> Option<IndependentLoop<'a>> {
        if let Some((cached, result)) = &*self.loop_memo.borrow() {
            if *cached == key {
                return result.clone();
            }
        }
        let result = analyse();
        *self.loop_memo.borrow_mut() = Some((key, result.clone()));
        result
    }

    /// What a call hands to a pool, process or thread ([`Semantic::runner_call`]), computed
    /// once per call node however many rules ask.
    pub fn runner_call(&self, call: &'a ast::ExprCall) -> Option<RunnerCall<'a>> {
        let key = (call.range(), self.semantic.generation());
        if let Some((cached_key, cached)) = self.runner_memo.get() {
            if cached_key == key {
                return cached;
            }
        }
        let result = self.semantic.runner_call(call);
        self.runner_memo.set(Some((key, result)));
        result
    }

    /// Module-wide lookups (awaitable defs, values bound to targets), built once per file on
    /// first use.
    pub fn module_index(&self) -> &crate::analysis::index::ModuleIndex<'a> {
        self.analysis.index()
    }

    /// The effect and cost summaries of the file's functions.
    pub fn summaries(&self) -> &crate::analysis::summarize::Summaries<'a> {
        self.analysis.summaries()
    }

    /// What `expr` holds here (NumPy array, DataFrame, Series, number, list), `None` when
    /// unknown (see [`crate::analysis::array_kinds`]).
    pub fn kind_of(&self, expr: &'a Expr) -> Option<crate::analysis::array_kinds::Kind> {
        self.analysis.kind_of(&self.semantic, expr)
    }

    pub fn new(
        source: &'a SourceText,
        tokens: &'a Tokens,
        stylist: &'a Stylist,
        settings: &'a Settings,
        module: &'a [Stmt],
    ) -> Self {
        Self {
            source,
            tokens,
            stylist,
            settings,
            module,
            semantic: Semantic::new(module),
            analysis: crate::analysis::Analysis::new(module, source.text(), &settings.library),
            table: &settings.dispatch,
            statements: Vec::new(),
            main_guard_depth: 0,
            diagnostics: Vec::new(),
            loop_memo: std::cell::RefCell::new(None),
            runner_memo: std::cell::Cell::new(None),
            callable_memo: std::cell::Cell::new(None),
            call_memo: std::cell::RefCell::new(None),
            model_memo: std::cell::RefCell::new(None),
            awaited: None,
        }
    }

    /// Walks the module once, then runs the module-end rules; returns the diagnostics.
    pub fn run(mut self) -> Vec<Diagnostic> {
        let module = self.module;
        self.visit_body(module);
        self.dispatch(NodeKind::ModuleEnd, Node::Module(module));
        clear_current_rule();
        self.diagnostics
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn has_reported(&self, rule: &RuleSpec) -> bool {
        self.diagnostics.iter().any(|d| d.rule == rule)
    }

    /// Whether `rule` already reported this range (rules that report inside a callable they
    /// reach from several call sites report it once).
    pub fn has_reported_at(&self, rule: &RuleSpec, range: ruff_text_size::TextRange) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.rule == rule && d.range == range)
    }

    pub fn text(&self) -> &'a str {
        self.source.text()
    }

    /// The statements around the current node, outermost first.
    pub fn statements(&self) -> &[&'a Stmt] {
        &self.statements
    }

    /// The top-level statement containing the current node.
    pub fn top_level_statement(&self) -> Option<&'a Stmt> {
        self.statements.first().copied()
    }

    /// The workload of a callable handed to a pool here (see [`Workloads::of_callable`]).
    pub fn workload_of_callable(&self, callable: &'a Expr) -> Workload {
        // PAR601 and PAR602 ask about the same callee of each call in a coroutine in turn.
        let key = (callable.range(), self.semantic.generation());
        if let Some((cached_key, cached)) = self.callable_memo.get() {
            if cached_key == key {
                return cached;
            }
        }
        let workload = self
            .analysis
            .workloads
            .of_callable(&self.semantic, callable);
        self.callable_memo.set(Some((key, workload)));
        workload
    }

    /// What the call does where the walk is now, not awaited and its arguments not
    /// included: its callee's summary composed with its arguments (guards turned off by
    /// constant arguments are dropped; see [`crate::analysis::summarize::Summaries::of_call`]).
    pub fn call_summary(&self, call: &'a ast::ExprCall) -> CallSummary {
        let key = (call.range(), self.semantic.generation());
        if let Some((cached_key, cached)) = &*self.call_memo.borrow() {
            if *cached_key == key {
                return cached.clone();
            }
        }
        let summary = std::rc::Rc::new(self.summaries().of_call(&self.semantic, call, false));
        *self.call_memo.borrow_mut() = Some((key, summary.clone()));
        summary
    }

    /// The summary of the function `func` names, when it is one of this file's (its own
    /// facts: coroutine, generator, what it mutates).
    pub fn callee_summary(&self, func: &'a Expr) -> Option<CallSummary> {
        self.summaries().callee(&self.semantic, func)
    }

    /// The workload of a call here, its arguments included (see
    /// [`crate::analysis::workload::Workloads::of_call`]).
    pub fn workload_of_call(&self, call: &'a ast::ExprCall) -> Workload {
        self.analysis.workloads.of_call(&self.semantic, call)
    }

    /// Whether `expr` is directly the operand of `await` (`await expr`): an awaitable, so
    /// not a blocking call. Valid while `expr` itself is being visited.
    pub fn is_awaited(&self, expr: &impl Ranged) -> bool {
        self.awaited == Some(expr.range())
    }

    pub fn in_main_guard(&self) -> bool {
        self.main_guard_depth > 0
    }

    fn dispatch(&mut self, kind: NodeKind, node: Node<'a>) {
        let table = self.table;
        self.dispatch_rules(&table.by_kind[kind as usize], node);
    }

    fn dispatch_rules(&mut self, rules: &[u16], node: Node<'a>) {
        for &index in rules {
            let rule = RULES[index as usize];
            CURRENT_RULE.with(|current| current.set(Some(rule.code)));
            #[cfg(debug_assertions)]
            debug_panic_hook(rule);
            (rule.check)(self, node);
        }
    }

    /// Hands `call` to the rules that asked for calls of its callee's last name
    /// ([`RuleSpec::call_tails`]), and to those that asked for [`NodeKind::RunnerCall`] or
    /// [`NodeKind::CoroutineCall`] when it is one: each fact is computed once here rather than
    /// in every rule.
    fn dispatch_gated_call(&mut self, call: &'a ast::ExprCall, expr: &'a Expr) {
        let table = self.table;
        if !table.calls_by_tail.is_empty() {
            if let Some(rules) = self
                .semantic
                .resolved_tail(&call.func)
                .and_then(|tail| table.calls_by_tail.get(tail))
            {
                self.dispatch_rules(rules, Node::Expr(expr));
            }
        }
        if !table.by_kind[NodeKind::RunnerCall as usize].is_empty()
            && self.runner_call(call).is_some()
        {
            self.dispatch(NodeKind::RunnerCall, Node::Expr(expr));
        }
        if !table.by_kind[NodeKind::CoroutineCall as usize].is_empty()
            && crate::rules::asyncio::calls::coroutine(self).is_some()
        {
            self.dispatch(NodeKind::CoroutineCall, Node::Expr(expr));
        }
    }

    fn visit_parameters_in_scope(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            let parameter = parameter.as_parameter();
            let kind = match &parameter.annotation {
                Some(annotation) => self.semantic.classify_annotation(annotation),
                None => BindingKind::Parameter,
            };
            let kind = if matches!(kind, BindingKind::Value) {
                BindingKind::Parameter
            } else {
                kind
            };
            self.semantic
                .bind(parameter.name.as_str(), parameter.name.range, kind);
        }
    }

    fn visit_parameter_defaults(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            if let Some(default) = parameter.default() {
                self.visit_expr(default);
            }
            if let Some(annotation) = parameter.annotation() {
                self.visit_annotation(annotation);
            }
        }
    }

    fn visit_comprehension_scope(
        &mut self,
        generators: &'a [ast::Comprehension],
        elements: &[&'a Expr],
    ) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.semantic.push_scope(ScopeKind::Comprehension);
        for (index, generator) in generators.iter().enumerate() {
            if index > 0 {
                self.visit_expr(&generator.iter);
            }
            self.semantic
                .bind_target(&generator.target, BindingKind::Value);
            self.visit_expr(&generator.target);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.semantic.pop_scope();
    }
}

/// Debug builds only: `PYPARALLEL_DEBUG_PANIC=CODE` makes that rule panic, so tests can prove
/// a crashing rule is reported and the run goes on.
#[cfg(debug_assertions)]
fn debug_panic_hook(rule: &RuleSpec) {
    if let Ok(code) = std::env::var("PYPARALLEL_DEBUG_PANIC") {
        if code == rule.code {
            panic!("debug panic requested for {}", rule.code);
        }
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Some(kind) = NodeKind::of_stmt(stmt) {
            self.dispatch(kind, Node::Stmt(stmt));
        }
        self.statements.push(stmt);
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                self.visit_parameter_defaults(&def.parameters);
                if let Some(returns) = &def.returns {
                    self.visit_annotation(returns);
                }
                self.semantic.bind(
                    def.name.as_str(),
                    def.name.range,
                    BindingKind::Function(def),
                );
                self.semantic.push_scope(ScopeKind::Function(def));
                self.visit_parameters_in_scope(&def.parameters);
                self.visit_body(&def.body);
                self.semantic.pop_scope();
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.semantic.bind(
                    class.name.as_str(),
                    class.name.range,
                    BindingKind::Class(class),
                );
                self.semantic.push_scope(ScopeKind::Class(class));
                self.visit_body(&class.body);
                self.semantic.pop_scope();
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let (name, kind) = import_binding(alias);
                    self.semantic.bind(name, alias.range, kind);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if let Some((name, kind)) = import_from_binding(import, alias) {
                        self.semantic.bind(name, alias.range, kind);
                    }
                }
            }
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                self.semantic.declare_outer(names);
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let kind = self.semantic.classify_value(&assign.value);
                for target in &assign.targets {
                    self.visit_expr(target);
                    self.semantic.bind_target(target, kind);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                self.visit_annotation(&assign.annotation);
                let kind = match &assign.value {
                    Some(value) => self.semantic.classify_value(value),
                    None => self.semantic.classify_annotation(&assign.annotation),
                };
                self.visit_expr(&assign.target);
                self.semantic.bind_target(&assign.target, kind);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        self.visit_expr(vars);
                        let kind = self.semantic.classify_value(&item.context_expr);
                        self.semantic.bind_target(vars, kind);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.semantic
                    .bind_target(&for_stmt.target, BindingKind::Value);
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                let guard = self.semantic.at_module_level() && is_main_guard(&if_stmt.test);
                self.main_guard_depth += u32::from(guard);
                self.visit_body(&if_stmt.body);
                self.main_guard_depth -= u32::from(guard);
                for clause in &if_stmt.elif_else_clauses {
                    self.visit_elif_else_clause(clause);
                }
            }
            Stmt::Try(try_stmt) => {
                self.visit_body(&try_stmt.body);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.visit_expr(type_);
                    }
                    if let Some(name) = &handler.name {
                        self.semantic
                            .bind(name.as_str(), name.range, BindingKind::Value);
                    }
                    self.visit_body(&handler.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.statements.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Await(await_expr) = expr {
            self.awaited = Some(await_expr.value.range());
        }
        if let Some(kind) = NodeKind::of_expr(expr) {
            self.dispatch(kind, Node::Expr(expr));
        }
        match expr {
            Expr::Call(call) => {
                self.dispatch_gated_call(call, expr);
                if let Some(function) = self.semantic.enclosing_module_function() {
                    self.semantic
                        .record_call_in_function(function.name.as_str(), call);
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameter_defaults(parameters);
                }
                self.semantic.push_scope(ScopeKind::Lambda(lambda));
                if let Some(parameters) = &lambda.parameters {
                    self.visit_parameters_in_scope(parameters);
                }
                self.visit_expr(&lambda.body);
                self.semantic.pop_scope();
            }
            Expr::ListComp(comp) => self.visit_comprehension_scope(&comp.generators, &[&comp.elt]),
            Expr::SetComp(comp) => self.visit_comprehension_scope(&comp.generators, &[&comp.elt]),
            Expr::Generator(comp) => {
                self.visit_comprehension_scope(&comp.generators, &[&comp.elt]);
            }
            Expr::DictComp(comp) => {
                let mut elements: Vec<&'a Expr> = Vec::with_capacity(2);
                if let Some(key) = comp.key.as_deref() {
                    elements.push(key);
                }
                elements.push(&comp.value);
                self.visit_comprehension_scope(&comp.generators, &elements);
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.visit_expr(&named.target);
                self.semantic.bind_target(&named.target, BindingKind::Value);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// The statement's range start, for callers that only need a position.
pub fn stmt_start(stmt: &Stmt) -> ruff_text_size::TextSize {
    stmt.range().start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_tails_are_only_given_with_the_call_kind() {
        for rule in RULES {
            if !rule.call_tails.is_empty() {
                assert!(
                    rule.kinds.contains(&NodeKind::Call),
                    "{} names call tails without asking for calls",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn rules_with_call_tails_get_only_those_calls() {
        let table = DispatchTable::new(|_| true);
        let every_call = table.rule_codes(NodeKind::Call, None);
        // PAR702 asks for pool constructors only, PAR503 for every call.
        assert!(!every_call.contains(&"PAR702"), "{every_call:?}");
        assert!(every_call.contains(&"PAR503"), "{every_call:?}");
        assert!(table
            .rule_codes(NodeKind::Call, Some("ThreadPoolExecutor"))
            .contains(&"PAR702"));
        assert!(table.rule_codes(NodeKind::Call, Some("append")).is_empty());
        // Its other kinds are unaffected: PAR101 still gets every `for` loop.
        assert!(table.rule_codes(NodeKind::For, None).contains(&"PAR101"));
        assert_eq!(
            table.rule_codes(NodeKind::Call, Some("list")),
            ["PAR101", "PAR304"]
        );
        // A disabled rule is in neither list.
        let without = DispatchTable::new(|rule| rule.code != "PAR702");
        assert!(!without
            .rule_codes(NodeKind::Call, Some("Pool"))
            .contains(&"PAR702"));
    }
}
