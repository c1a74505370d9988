//! Name occurrences inside one subtree: the free names of a lambda or nested function, the
//! locals of a function. Run on demand for the few nodes a fix needs, never over the module.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::TextRange;
use rustc_hash::FxHashSet;

/// What a subtree reads and binds.
#[derive(Debug, Default)]
pub struct NameUse<'a> {
    /// Names read, in source order (with repeats).
    pub loads: Vec<(&'a str, TextRange)>,
    /// Names bound anywhere inside (assignment targets, parameters, defs, imports, ...).
    pub stores: FxHashSet<&'a str>,
    /// The subtree declares `global` or `nonlocal` names.
    pub declares_outer: bool,
    /// The subtree contains `yield` or `await` directly (not in a nested function).
    pub suspends: bool,
}

impl<'a> NameUse<'a> {
    /// Names read but not bound inside, first occurrence order, without repeats.
    pub fn free(&self) -> Vec<&'a str> {
        let mut seen = FxHashSet::default();
        self.loads
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| !self.stores.contains(name) && seen.insert(*name))
            .collect()
    }

    pub fn load_count(&self, name: &str) -> usize {
        self.loads.iter().filter(|(n, _)| *n == name).count()
    }
}

struct Collector<'a> {
    uses: NameUse<'a>,
    /// Whether to look inside nested functions, lambdas and classes.
    descend: bool,
    depth: u32,
}

impl<'a> Collector<'a> {
    fn store_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            self.uses.stores.insert(parameter.name().as_str());
        }
    }
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                self.uses.stores.insert(def.name.as_str());
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
                if self.descend {
                    self.depth += 1;
                    self.store_parameters(&def.parameters);
                    self.visit_body(&def.body);
                    self.depth -= 1;
                }
            }
            Stmt::ClassDef(class) => {
                self.uses.stores.insert(class.name.as_str());
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                if self.descend {
                    self.depth += 1;
                    self.visit_body(&class.body);
                    self.depth -= 1;
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let (name, _) = crate::analysis::semantic::import_binding(alias);
                    self.uses.stores.insert(name);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    self.uses
                        .stores
                        .insert(alias.asname.as_ref().unwrap_or(&alias.name).as_str());
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {
                if self.depth == 0 {
                    self.uses.declares_outer = true;
                }
            }
            Stmt::Try(try_stmt) => {
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        self.uses.stores.insert(name.as_str());
                    }
                }
                visitor::walk_stmt(self, stmt);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(name) => match name.ctx {
                ExprContext::Load => self.uses.loads.push((name.id.as_str(), name.range)),
                _ => {
                    self.uses.stores.insert(name.id.as_str());
                }
            },
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                if self.descend {
                    self.depth += 1;
                    if let Some(parameters) = &lambda.parameters {
                        self.store_parameters(parameters);
                    }
                    self.visit_expr(&lambda.body);
                    self.depth -= 1;
                }
            }
            Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => {
                if self.depth == 0 {
                    self.uses.suspends = true;
                }
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// What a lambda reads and binds (its parameters count as bound).
pub fn lambda_names(lambda: &ast::ExprLambda) -> NameUse<'_> {
    let mut collector = Collector {
        uses: NameUse::default(),
        descend: true,
        depth: 0,
    };
    if let Some(parameters) = &lambda.parameters {
        collector.store_parameters(parameters);
    }
    collector.visit_expr(&lambda.body);
    collector.uses
}

/// What a function's body reads and binds, nested scopes included (its parameters count as
/// bound). With `descend = false`, nested functions contribute only their names and defaults:
/// the result's `stores` are then exactly the function's own locals.
pub fn function_names(def: &ast::StmtFunctionDef, descend: bool) -> NameUse<'_> {
    let mut collector = Collector {
        uses: NameUse::default(),
        descend,
        depth: 0,
    };
    collector.store_parameters(&def.parameters);
    collector.visit_body(&def.body);
    collector.uses
}

/// What an expression reads and binds (lambdas inside included).
pub fn expr_names(expr: &Expr) -> NameUse<'_> {
    let mut collector = Collector {
        uses: NameUse::default(),
        descend: true,
        depth: 0,
    };
    collector.visit_expr(expr);
    collector.uses
}

/// What a statement reads and binds, nested scopes included.
pub fn stmt_names(stmt: &Stmt) -> NameUse<'_> {
    let mut collector = Collector {
        uses: NameUse::default(),
        descend: true,
        depth: 0,
    };
    collector.visit_stmt(stmt);
    collector.uses
}

/// What a class body reads and binds.
pub fn class_names(class: &ast::StmtClassDef) -> NameUse<'_> {
    let mut collector = Collector {
        uses: NameUse::default(),
        descend: true,
        depth: 0,
    };
    collector.visit_body(&class.body);
    collector.uses
}

/// The names a function body binds as its own locals (`global`/`nonlocal` names excluded).
pub fn function_locals(def: &ast::StmtFunctionDef) -> FxHashSet<&str> {
    let mut uses = function_names(def, false);
    let mut outer = FxHashSet::default();
    collect_declared_outer(&def.body, &mut outer);
    uses.stores.retain(|name| !outer.contains(name));
    uses.stores
}

/// The names `global` and `nonlocal` statements in `body` declare (nested blocks included,
/// nested functions not).
pub(crate) fn collect_declared_outer<'a>(body: &'a [Stmt], outer: &mut FxHashSet<&'a str>) {
    for stmt in body {
        match stmt {
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                outer.extend(names.iter().map(ast::Identifier::as_str));
            }
            Stmt::If(if_stmt) => {
                collect_declared_outer(&if_stmt.body, outer);
                for clause in &if_stmt.elif_else_clauses {
                    collect_declared_outer(&clause.body, outer);
                }
            }
            Stmt::For(ast::StmtFor { body, orelse, .. })
            | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                collect_declared_outer(body, outer);
                collect_declared_outer(orelse, outer);
            }
            Stmt::With(with) => collect_declared_outer(&with.body, outer),
            Stmt::Try(try_stmt) => {
                collect_declared_outer(&try_stmt.body, outer);
                collect_declared_outer(&try_stmt.orelse, outer);
                collect_declared_outer(&try_stmt.finalbody, outer);
            }
            _ => {}
        }
    }
}

/// The statement list that directly contains `target` within `body` (searching nested blocks
/// but not nested functions or classes other than along the way to `target`).
pub fn containing_body(body: &[Stmt], target: TextRange) -> Option<&[Stmt]> {
    for stmt in body {
        if ruff_text_size::Ranged::range(stmt) == target {
            return Some(body);
        }
        let found = match stmt {
            Stmt::FunctionDef(def) => containing_body(&def.body, target),
            Stmt::ClassDef(class) => containing_body(&class.body, target),
            Stmt::If(if_stmt) => containing_body(&if_stmt.body, target).or_else(|| {
                if_stmt
                    .elif_else_clauses
                    .iter()
                    .find_map(|clause| containing_body(&clause.body, target))
            }),
            Stmt::For(ast::StmtFor { body, orelse, .. })
            | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                containing_body(body, target).or_else(|| containing_body(orelse, target))
            }
            Stmt::With(with) => containing_body(&with.body, target),
            Stmt::Try(try_stmt) => containing_body(&try_stmt.body, target)
                .or_else(|| {
                    try_stmt.handlers.iter().find_map(|handler| {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        containing_body(&handler.body, target)
                    })
                })
                .or_else(|| containing_body(&try_stmt.orelse, target))
                .or_else(|| containing_body(&try_stmt.finalbody, target)),
            Stmt::Match(match_stmt) => match_stmt
                .cases
                .iter()
                .find_map(|case| containing_body(&case.body, target)),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The value last assigned to `name` by a plain `name = value` before `at` in the innermost
/// function (or the module), when it is assigned only there.
pub fn single_assignment<'a>(
    semantic: &crate::analysis::semantic::Semantic<'a>,
    module: &'a [Stmt],
    name: &str,
    at: ruff_text_size::TextSize,
) -> Option<&'a Expr> {
    let body: &'a [Stmt] = match semantic.enclosing_function_like().map(|scope| scope.kind) {
        Some(crate::analysis::semantic::ScopeKind::Function(def)) => &def.body,
        Some(_) => return None,
        None => module,
    };
    let mut found = None;
    let mut assignments = 0;
    find_assignments(body, name, &mut |value| {
        assignments += 1;
        if ruff_text_size::Ranged::start(value) < at {
            found = Some(value);
        }
    });
    (assignments == 1).then_some(found).flatten()
}

fn find_assignments<'a>(body: &'a [Stmt], name: &str, found: &mut dyn FnMut(&'a Expr)) {
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    if matches!(target, Expr::Name(target) if target.id.as_str() == name) {
                        found(&assign.value);
                    }
                }
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) if matches!(target.as_ref(), Expr::Name(target) if target.id.as_str() == name) => {
                found(value)
            }
            Stmt::If(if_stmt) => {
                find_assignments(&if_stmt.body, name, found);
                for clause in &if_stmt.elif_else_clauses {
                    find_assignments(&clause.body, name, found);
                }
            }
            Stmt::With(with) => find_assignments(&with.body, name, found),
            Stmt::For(ast::StmtFor { body, orelse, .. })
            | Stmt::While(ast::StmtWhile { body, orelse, .. }) => {
                // A rebinding in a loop: treat as a second assignment.
                find_assignments(body, name, found);
                find_assignments(body, name, found);
                find_assignments(orelse, name, found);
            }
            Stmt::Try(try_stmt) => {
                find_assignments(&try_stmt.body, name, found);
                find_assignments(&try_stmt.orelse, name, found);
                find_assignments(&try_stmt.finalbody, name, found);
            }
            _ => {}
        }
    }
}

/// Whether `def` is a generator function (its body yields, nested scopes aside).
pub fn is_generator(def: &ast::StmtFunctionDef) -> bool {
    struct Yields(bool);
    impl<'a> Visitor<'a> for Yields {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Yield(_) | Expr::YieldFrom(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut yields = Yields(false);
    yields.visit_body(&def.body);
    yields.0
}

/// The calls in a statement, nested ones included, in source order.
pub fn calls_in(stmt: &Stmt) -> Vec<&ast::ExprCall> {
    let mut calls = Calls(Vec::new());
    calls.visit_stmt(stmt);
    calls.0
}

/// The calls in an expression, nested ones included, in source order.
pub fn calls_in_expr(expr: &Expr) -> Vec<&ast::ExprCall> {
    let mut calls = Calls(Vec::new());
    calls.visit_expr(expr);
    calls.0
}

struct Calls<'a>(Vec<&'a ast::ExprCall>);

impl<'a> Visitor<'a> for Calls<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.0.push(call);
        }
        visitor::walk_expr(self, expr);
    }
}
