//! Shared by the PAR7 resource rules: how a name holding a pool, a future or a list of futures
//! is used in the function that binds it, and which loop encloses a node.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::ScopeKind;
use crate::checker::Checker;

/// One occurrence of the tracked name.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Use<'a> {
    /// `name.attr` (called or not); `range` is the attribute expression's.
    Attribute {
        attr: &'a str,
        called: bool,
        range: TextRange,
    },
    /// `loop.run_in_executor(name, ...)`: the executor used for a task.
    RunInExecutor { range: TextRange },
    /// The name read any other way (passed, returned, compared, entered with `with` ...).
    Other { range: TextRange },
    /// The name bound (another assignment, a loop target, ...).
    Store { range: TextRange },
}

impl Use<'_> {
    pub(crate) fn range(&self) -> TextRange {
        match self {
            Use::Attribute { range, .. }
            | Use::RunInExecutor { range }
            | Use::Other { range }
            | Use::Store { range } => *range,
        }
    }
}

/// Every use of `name` in `body`; `nested` is set when one is inside a nested function,
/// lambda or class (a closure the name can escape through).
#[derive(Debug, Default)]
pub(crate) struct NameUses<'a> {
    pub uses: Vec<Use<'a>>,
    pub nested: bool,
    /// `global name` / `nonlocal name` in the body.
    pub declared_outer: bool,
}

impl<'a> NameUses<'a> {
    pub(crate) fn collect(name: &'a str, body: &'a [Stmt]) -> Self {
        let mut collector = UseCollector {
            name,
            uses: NameUses::default(),
            depth: 0,
        };
        collector.visit_body(body);
        collector.uses
    }

    /// The uses other than the binding at `except` (an assignment target's range).
    pub(crate) fn without_store(&self, except: TextRange) -> impl Iterator<Item = &Use<'a>> {
        self.uses
            .iter()
            .filter(move |u| !matches!(u, Use::Store { range } if *range == except))
    }
}

struct UseCollector<'a> {
    name: &'a str,
    uses: NameUses<'a>,
    depth: u32,
}

impl UseCollector<'_> {
    fn is_name(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(name) if name.id.as_str() == self.name)
    }
}

impl<'a> Visitor<'a> for UseCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                self.depth += 1;
                visitor::walk_stmt(self, stmt);
                self.depth -= 1;
            }
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                if self.depth == 0 && names.iter().any(|n| n.as_str() == self.name) {
                    self.uses.declared_outer = true;
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
            Expr::Call(call) => {
                if let Expr::Attribute(attribute) = call.func.as_ref() {
                    if self.is_name(&attribute.value) {
                        self.record(Use::Attribute {
                            attr: attribute.attr.as_str(),
                            called: true,
                            range: attribute.range,
                        });
                        self.visit_arguments(&call.arguments);
                        return;
                    }
                    if attribute.attr.as_str() == "run_in_executor"
                        && call.arguments.args.first().is_some_and(|a| self.is_name(a))
                    {
                        self.record(Use::RunInExecutor {
                            range: call.range(),
                        });
                        self.visit_expr(&call.func);
                        for argument in call.arguments.args.iter().skip(1) {
                            self.visit_expr(argument);
                        }
                        for keyword in &call.arguments.keywords {
                            self.visit_expr(&keyword.value);
                        }
                        return;
                    }
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Attribute(attribute) if self.is_name(&attribute.value) => {
                self.record(Use::Attribute {
                    attr: attribute.attr.as_str(),
                    called: false,
                    range: attribute.range,
                });
            }
            Expr::Name(name) if name.id.as_str() == self.name => {
                let found = if name.ctx.is_load() {
                    Use::Other { range: name.range }
                } else {
                    Use::Store { range: name.range }
                };
                self.record(found);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> UseCollector<'a> {
    fn record(&mut self, found: Use<'a>) {
        if self.depth > 0 {
            self.uses.nested = true;
        }
        self.uses.uses.push(found);
    }
}

/// The `def` whose body the walk is in directly (not a lambda or class body), if any.
pub(crate) fn enclosing_def<'a>(checker: &Checker<'a>) -> Option<&'a ast::StmtFunctionDef> {
    match checker
        .semantic
        .enclosing_function_like()
        .map(|scope| scope.kind)
    {
        Some(ScopeKind::Function(def)) => Some(def),
        _ => None,
    }
}

/// The statements that hold a name bound where the walk is now: the enclosing `def`'s body,
/// or the module (whose functions may read a module-level name too).
pub(crate) fn binding_body<'a>(checker: &Checker<'a>) -> &'a [Stmt] {
    match enclosing_def(checker) {
        Some(def) => &def.body,
        None => checker.module,
    }
}

/// The innermost `for` loop (same function) whose body holds `range`.
pub(crate) fn enclosing_for<'a>(
    checker: &Checker<'a>,
    range: TextRange,
) -> Option<&'a ast::StmtFor> {
    for stmt in checker.statements().iter().rev() {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return None,
            Stmt::For(for_stmt) => {
                let in_body =
                    for_stmt
                        .body
                        .first()
                        .zip(for_stmt.body.last())
                        .is_some_and(|(first, last)| {
                            TextRange::new(first.start(), last.end()).contains_range(range)
                        });
                if in_body {
                    return Some(for_stmt);
                }
            }
            _ => {}
        }
    }
    None
}

/// The number of items of a collection literal or a `range` of literals, when known.
pub(crate) fn literal_size<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<u64> {
    match expr {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => {
            (!elts.iter().any(Expr::is_starred_expr)).then_some(elts.len() as u64)
        }
        Expr::Dict(dict) => Some(dict.items.len() as u64),
        Expr::Call(call) if checker.semantic.resolves_to(&call.func, "builtins.range") => {
            let ints: Option<Vec<i64>> = call.arguments.args.iter().map(int_literal).collect();
            match ints?.as_slice() {
                [stop] => Some((*stop).max(0) as u64),
                [start, stop] => Some((stop - start).max(0) as u64),
                [start, stop, step] if *step > 0 => {
                    Some(((stop - start).max(0) as u64).div_ceil(*step as u64))
                }
                _ => None,
            }
        }
        // `[make() for _ in range(4)]`: as many items as the range.
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::Generator(ast::ExprGenerator { generators, .. })
            if generators.len() == 1 && generators[0].ifs.is_empty() =>
        {
            literal_size(checker, &generators[0].iter)
        }
        Expr::Name(name) => {
            let id = name.id.as_str();
            let value = crate::analysis::names::single_assignment(
                &checker.semantic,
                checker.module,
                id,
                name.start(),
            )
            .or_else(|| module_constant(checker, name))?;
            if matches!(value, Expr::Name(_)) {
                return None;
            }
            literal_size(checker, value)
        }
        _ => None,
    }
}

/// The value of a module-level name assigned exactly once at the top level (`SYMBOLS = (...)`),
/// when `name` refers to it.
fn module_constant<'a>(checker: &Checker<'a>, name: &'a ast::ExprName) -> Option<&'a Expr> {
    let id = name.id.as_str();
    let binding = checker.semantic.lookup(id, name.start())?;
    if !binding.module_level || checker.semantic.module_binding_count(id) != 1 {
        return None;
    }
    checker.module.iter().find_map(|stmt| match stmt {
        Stmt::Assign(assign) if assign.targets.len() == 1 => match &assign.targets[0] {
            Expr::Name(target) if target.id.as_str() == id => Some(assign.value.as_ref()),
            _ => None,
        },
        Stmt::AnnAssign(ast::StmtAnnAssign {
            target,
            value: Some(value),
            ..
        }) => match target.as_ref() {
            Expr::Name(target) if target.id.as_str() == id => Some(value.as_ref()),
            _ => None,
        },
        _ => None,
    })
}

/// An integer literal's value.
pub(crate) fn int_literal(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(value),
            ..
        }) => value.as_i64(),
        _ => None,
    }
}

/// The body of a `def` without its docstring.
pub(crate) fn body_without_docstring(def: &ast::StmtFunctionDef) -> &[Stmt] {
    match def.body.split_first() {
        Some((Stmt::Expr(first), rest)) if first.value.is_string_literal_expr() => rest,
        _ => &def.body,
    }
}
