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
    /// The names of functions and methods called once per item somewhere in the module (in
    /// a loop or comprehension body), or from their own body: building blocks of a larger
    /// computation, where a pool of their own would be one pool per item.
    pub called_per_item: FxHashSet<&'a str>,
    /// The names of the functions and methods that run when the module runs as a program:
    /// called from module-level code (the `if __name__ == "__main__":` block included), named
    /// `main` or `cli` (console-script entry points), or made command-line commands by a
    /// decorator (`@click.command()`, `@app.command()`), and everything they call, by name.
    /// The top of the work: where a process pool belongs.
    pub runs_as_program: FxHashSet<&'a str>,
}

impl<'a> ModuleIndex<'a> {
    pub fn build(module: &'a [Stmt]) -> Self {
        let mut builder = Builder {
            index: ModuleIndex::default(),
            loop_depth: 0,
            functions: Vec::new(),
            calls: FxHashMap::default(),
            entries: Vec::new(),
        };
        builder.visit_body(module);
        let Builder {
            mut index,
            calls,
            entries,
            ..
        } = builder;
        // Everything reachable by name from the entry points.
        let mut pending = entries;
        while let Some(name) = pending.pop() {
            if index.runs_as_program.insert(name) {
                if let Some(callees) = calls.get(name) {
                    pending.extend(callees.iter().copied());
                }
            }
        }
        index
    }
}

/// Decorators that make a function a command-line entry point (click, typer, argh, fire).
fn is_command_decorator(decorator: &ast::Decorator) -> bool {
    let callee = match &decorator.expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    matches!(callee, Expr::Attribute(attribute) if matches!(attribute.attr.as_str(), "command" | "group" | "callback"))
        || matches!(callee, Expr::Name(name) if matches!(name.id.as_str(), "command" | "group"))
}

struct Builder<'a> {
    index: ModuleIndex<'a>,
    /// Loops and comprehensions around the node, within the innermost function.
    loop_depth: u32,
    /// The names of the functions around the node, innermost last.
    functions: Vec<&'a str>,
    /// The names each function calls, by the name of the outermost function around the call.
    calls: FxHashMap<&'a str, Vec<&'a str>>,
    /// Functions run when the module runs as a program.
    entries: Vec<&'a str>,
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
            Stmt::FunctionDef(def) => {
                if def.is_async || has_opaque_decorator(def) {
                    self.index.awaitable_defs.insert(def.name.as_str());
                }
                if matches!(def.name.as_str(), "main" | "cli")
                    || def.decorator_list.iter().any(is_command_decorator)
                {
                    self.entries.push(def.name.as_str());
                }
                let outer_depth = std::mem::replace(&mut self.loop_depth, 0);
                self.functions.push(def.name.as_str());
                visitor::walk_stmt(self, stmt);
                self.functions.pop();
                self.loop_depth = outer_depth;
                return;
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.visit_expr(&for_stmt.target);
                self.loop_depth += 1;
                self.visit_body(&for_stmt.body);
                self.loop_depth -= 1;
                self.visit_body(&for_stmt.orelse);
                return;
            }
            Stmt::While(while_stmt) => {
                self.loop_depth += 1;
                self.visit_expr(&while_stmt.test);
                self.visit_body(&while_stmt.body);
                self.loop_depth -= 1;
                self.visit_body(&while_stmt.orelse);
                return;
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
        match expr {
            Expr::Named(named) => self.bind(&named.target, &named.value),
            Expr::Call(call) => {
                let callee = match call.func.as_ref() {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
                    _ => None,
                };
                if let Some(callee) = callee {
                    if self.loop_depth > 0 || self.functions.contains(&callee) {
                        self.index.called_per_item.insert(callee);
                    }
                    // Functions handed on as arguments (`pool.map(work, items)`, callbacks)
                    // run too.
                    let handed_on =
                        call.arguments
                            .args
                            .iter()
                            .filter_map(|argument| match argument {
                                Expr::Name(name) => Some(name.id.as_str()),
                                _ => None,
                            });
                    match self.functions.first() {
                        Some(caller) => {
                            let calls = self.calls.entry(caller).or_default();
                            calls.push(callee);
                            calls.extend(handed_on);
                        }
                        None => {
                            self.entries.push(callee);
                            self.entries.extend(handed_on);
                        }
                    }
                    // A function mapped over items (`map(f, xs)`, `pool.map(f, xs)`).
                    if matches!(
                        callee,
                        "map"
                            | "imap"
                            | "imap_unordered"
                            | "starmap"
                            | "submit"
                            | "apply_async"
                            | "filter"
                    ) {
                        match call.arguments.args.first() {
                            Some(Expr::Name(name)) => {
                                self.index.called_per_item.insert(name.id.as_str());
                            }
                            Some(Expr::Attribute(attribute)) => {
                                self.index.called_per_item.insert(attribute.attr.as_str());
                            }
                            _ => {}
                        }
                    }
                }
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.loop_depth += 1;
                visitor::walk_expr(self, expr);
                self.loop_depth -= 1;
                return;
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
