//! Module-wide lookups some rules need at many call sites: built by one pass over the module
//! the first time a rule asks (never for files that do not need it), then answered from hash
//! maps, so no rule walks the module per call.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Default)]
pub struct ModuleIndex<'a> {
    /// Names of `async def`s, and of `def`s with decorators other than `staticmethod` /
    /// `classmethod` (which may return awaitables), anywhere in the module.
    pub awaitable_defs: FxHashSet<&'a str>,
    /// The value bound to each assignment, annotated assignment, `with ... as` or walrus
    /// target (a name or an attribute), keyed by the target's range.
    pub bound_values: FxHashMap<TextRange, &'a Expr>,
}

impl<'a> ModuleIndex<'a> {
    pub fn build(module: &'a [Stmt]) -> Self {
        let mut builder = Builder {
            index: ModuleIndex::default(),
        };
        builder.visit_body(module);
        builder.index
    }
}

struct Builder<'a> {
    index: ModuleIndex<'a>,
}

impl<'a> Builder<'a> {
    fn bind(&mut self, target: &'a Expr, value: &'a Expr) {
        if matches!(target, Expr::Name(_) | Expr::Attribute(_)) {
            self.index
                .bound_values
                .entry(target.range())
                .or_insert(value);
        }
    }
}

fn has_opaque_decorator(def: &ast::StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|decorator| {
        !matches!(&decorator.expression, Expr::Name(name)
            if matches!(name.id.as_str(), "staticmethod" | "classmethod"))
    })
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) if def.is_async || has_opaque_decorator(def) => {
                self.index.awaitable_defs.insert(def.name.as_str());
            }
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    self.bind(target, &assign.value);
                }
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) => self.bind(target, value),
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(target) = item.optional_vars.as_deref() {
                        self.bind(target, &item.context_expr);
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Named(named) = expr {
            self.bind(&named.target, &named.value);
        }
        visitor::walk_expr(self, expr);
    }
}
