//! The thread-pool rewrite of a comprehension whose element does the I/O (RULES.md, "Loop
//! decomposition"): `[f(g(x)) for x in xs if c(x)]`, `{k(x): v(x) ...}`, `{...}` and a
//! generator consumed at once by `sum`, `min`, `max`, `sorted`, `list`, `set`, `tuple` or
//! `"".join` map a lambda of the element over the items, which keeps their order:
//!
//! ```python
//! pages = {url: requests.get(url).text for url in urls}
//! # becomes
//! with ThreadPoolExecutor(max_workers=8) as executor:
//!     pages = dict(executor.map(lambda url: (url, requests.get(url).text), urls))
//! ```

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::semantic::ScopeKind;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::edits::replaceable_by_one_line;
use crate::fix::imports::{import_member, ImportStyle};
use crate::fix::pool_rewrite::{executor_name, with_block_replacing, PoolSpec};

/// A comprehension taken apart: its one generator and what each item becomes.
pub struct Comprehension<'a> {
    pub expr: &'a Expr,
    pub generator: &'a ast::Comprehension,
    /// The element, or a dict comprehension's key and value.
    pub parts: Vec<&'a Expr>,
    /// `list`, `set` or `dict` for a comprehension; `None` for a generator, whose consumer
    /// takes the mapped results as they are.
    pub builder: Option<&'static str>,
}

/// Names the builtins that consume a generator at once, in order (not `any`/`all`, which
/// stop early).
const CONSUMERS: &[&str] = &["sum", "min", "max", "sorted", "list", "set", "tuple"];

/// `expr` as a [`Comprehension`]: one synchronous generator binding one name; a generator
/// only when the statement hands it straight to a consumer (`sum(f(x) for x in xs)`,
/// `", ".join(...)`).
pub fn comprehension<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<Comprehension<'a>> {
    let (generators, parts, builder): (&'a [ast::Comprehension], Vec<&'a Expr>, _) = match expr {
        Expr::ListComp(comp) => (&comp.generators, vec![&*comp.elt], Some("list")),
        Expr::SetComp(comp) => (&comp.generators, vec![&*comp.elt], Some("set")),
        Expr::DictComp(comp) => {
            let key = comp.key.as_deref()?;
            (&comp.generators, vec![key, &*comp.value], Some("dict"))
        }
        Expr::Generator(generator) => {
            if !consumed_at_once(checker, expr) {
                return None;
            }
            (&generator.generators, vec![&*generator.elt], None)
        }
        _ => return None,
    };
    let [generator] = generators else {
        return None;
    };
    if generator.is_async || !matches!(generator.target, Expr::Name(_)) {
        return None;
    }
    Some(Comprehension {
        expr,
        generator,
        parts,
        builder,
    })
}

/// Whether the generator `expr` is the only argument of a consumer call in its statement.
fn consumed_at_once<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'c, 'a> {
        checker: &'c Checker<'a>,
        generator: TextRange,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                let only = matches!(call.arguments.args.as_ref(), [argument] if argument.range() == self.generator)
                    && call.arguments.keywords.iter().all(|keyword| {
                        keyword
                            .arg
                            .as_ref()
                            .is_some_and(|arg| matches!(arg.as_str(), "key" | "reverse" | "start"))
                    });
                if only {
                    let consumer = match call.func.as_ref() {
                        Expr::Name(name) => {
                            CONSUMERS.contains(&name.id.as_str())
                                && self
                                    .checker
                                    .semantic
                                    .lookup(name.id.as_str(), name.start())
                                    .is_none()
                        }
                        Expr::Attribute(attribute) => {
                            attribute.attr.as_str() == "join"
                                && matches!(attribute.value.as_ref(), Expr::StringLiteral(_))
                        }
                        _ => false,
                    };
                    self.found |= consumer;
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let Some(statement) = checker.statements().last() else {
        return false;
    };
    let mut finder = Finder {
        checker,
        generator: expr.range(),
        found: false,
    };
    finder.visit_stmt(statement);
    finder.found
}

/// Rewrites the statement holding the comprehension: inside `with Pool(...) as executor:`,
/// the comprehension becomes `list(executor.map(lambda x: <element>, <items>))` (`set`,
/// `dict` of `(key, value)` pairs; the mapped results themselves for a generator's
/// consumer), the items filtered by a generator when the comprehension has conditions.
/// `None` when the statement spans lines or holds comments, or the comprehension sits where a
/// lambda would see other names (a class body, another comprehension).
pub fn map_comprehension(
    checker: &Checker,
    comprehension: &Comprehension,
    spec: &PoolSpec,
) -> Option<Vec<Edit>> {
    let source = checker.source;
    if !matches!(
        checker.semantic.current_scope().kind,
        ScopeKind::Function(_) | ScopeKind::Module
    ) {
        return None;
    }
    // The builder (`list`, `set`, `dict`) must be the builtin.
    if comprehension
        .builder
        .is_some_and(|builder| crate::fix::pool_rewrite::shadows_builtin(checker, builder))
    {
        return None;
    }
    let statement = *checker.statements().last()?;
    if !matches!(
        statement,
        Stmt::Assign(_) | Stmt::AnnAssign(_) | Stmt::Return(_) | Stmt::Expr(_)
    ) || !replaceable_by_one_line(source, checker.tokens, statement)
    {
        return None;
    }
    // A walrus in the element would bind in the lambda, not in the scope.
    if comprehension
        .parts
        .iter()
        .any(|part| source.slice(part.range()).contains(":="))
    {
        return None;
    }
    let generator = comprehension.generator;
    let target = source.slice(generator.target.range());
    let iter = match &generator.iter {
        Expr::Tuple(tuple) if !tuple.parenthesized => {
            format!("({})", source.slice(generator.iter.range()))
        }
        iter => source.slice(iter.range()).to_string(),
    };
    let items = if generator.ifs.is_empty() {
        iter
    } else {
        let conditions: Vec<String> = generator
            .ifs
            .iter()
            .map(|condition| format!(" if {}", source.slice(condition.range())))
            .collect();
        format!("({target} for {target} in {iter}{})", conditions.concat())
    };
    let body = match comprehension.parts.as_slice() {
        [element] => source.slice(element.range()).to_string(),
        [key, value] => format!(
            "({}, {})",
            source.slice(key.range()),
            source.slice(value.range())
        ),
        _ => return None,
    };
    let mut edits = Vec::new();
    let pool = import_member(
        checker,
        spec.module,
        spec.class,
        ImportStyle::Member,
        statement.start(),
    )?;
    edits.extend(pool.edit);
    let executor = executor_name(checker, statement.range());
    let mapped = format!("{executor}.map(lambda {target}: {body}, {items})");
    let replacement = match comprehension.builder {
        Some(builder) => format!("{builder}({mapped})"),
        None => mapped,
    };
    edits.push(with_block_replacing(
        checker,
        statement.range(),
        comprehension.expr.range(),
        &replacement,
        (&pool.text, spec.arguments, &executor),
    ));
    Some(edits)
}
