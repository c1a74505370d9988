//! The expression directly around a node: the walk keeps a stack of statements only, so a rule
//! that needs to know what consumes a call (`await call`, `call.result()`, `list(call)`) asks
//! here, searching just the innermost statement.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The innermost expression of `stmt` that has the node at `target` as a direct child, or
/// `None` when the node sits directly in the statement (or is not in it).
pub fn parent_expr(stmt: &Stmt, target: TextRange) -> Option<&Expr> {
    let mut finder = ParentFinder {
        target,
        stack: Vec::new(),
        found: None,
    };
    finder.visit_stmt(stmt);
    finder.found.flatten()
}

struct ParentFinder<'a> {
    target: TextRange,
    stack: Vec<&'a Expr>,
    /// `Some(parent)` once the target is seen.
    found: Option<Option<&'a Expr>>,
}

impl<'a> Visitor<'a> for ParentFinder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_none() && stmt.range().contains_range(self.target) {
            // Nested statements (bodies) start a fresh expression stack.
            let saved = std::mem::take(&mut self.stack);
            visitor::walk_stmt(self, stmt);
            self.stack = saved;
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found.is_some() || !expr.range().contains_range(self.target) {
            return;
        }
        if expr.range() == self.target {
            self.found = Some(self.stack.last().copied());
            return;
        }
        self.stack.push(expr);
        visitor::walk_expr(self, expr);
        self.stack.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_ast::Expr;

    fn parent_text(source: &str, target: &str) -> Option<String> {
        let parsed = ruff_python_parser::parse_module(source).unwrap();
        let start = source.find(target).unwrap();
        let range = TextRange::at((start as u32).into(), (target.len() as u32).into());
        let stmt = &parsed.syntax().body[0];
        parent_expr(stmt, range).map(|parent: &Expr| source[parent.range()].to_string())
    }

    #[test]
    fn finds_the_direct_parent() {
        assert_eq!(
            parent_text("x = await ex.submit(f)\n", "ex.submit(f)").as_deref(),
            Some("await ex.submit(f)")
        );
        assert_eq!(
            parent_text("ex.submit(f).result()\n", "ex.submit(f)").as_deref(),
            Some("ex.submit(f).result")
        );
        assert_eq!(parent_text("x = ex.submit(f)\n", "ex.submit(f)"), None);
        assert_eq!(
            parent_text("for i in xs:\n    list(ex.map(f, i))\n", "ex.map(f, i)").as_deref(),
            Some("list(ex.map(f, i))")
        );
    }
}
