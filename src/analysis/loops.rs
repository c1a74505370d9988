//! Loop independence: whether the iterations of a `for` loop or a comprehension can run in any
//! order (in a pool), and the single result they feed. Shared by the candidate rules; run on
//! demand for the loop a rule is looking at, never as a walk of its own over the module.
//!
//! Precision first: a loop is independent only in the shapes below, where that is certain.
//! Anything else (nested blocks, early exits, attribute or item writes other than the one
//! collector, printing, logging, calls that mutate outer objects) is not a candidate.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Operator, Stmt};
use rustc_hash::FxHashSet;

use crate::analysis::library::{LOG_METHODS, MUTATORS};
use crate::analysis::names::expr_names;
use crate::analysis::semantic::Semantic;

/// The one outward effect of an independent loop.
#[derive(Debug, Clone, Copy)]
pub enum Collector<'a> {
    /// `results.append(value)`
    Append {
        list: &'a ast::ExprName,
        value: &'a Expr,
    },
    /// `total += value` or `total = total + value`
    Reduction {
        accumulator: &'a ast::ExprName,
        op: Operator,
        value: &'a Expr,
    },
    /// `by_key[key] = value`, the key computed from the item
    KeyedStore {
        mapping: &'a ast::ExprName,
        key: &'a Expr,
        value: &'a Expr,
    },
    /// A call made for its effect only: `download(url)` (the call expression).
    Effect { call: &'a Expr },
    /// The element of a comprehension: `[value for ...]`
    Element { value: &'a Expr },
}

impl<'a> Collector<'a> {
    /// The expression computed per item (for `Effect`, the call itself).
    pub fn value(&self) -> &'a Expr {
        match self {
            Collector::Append { value, .. }
            | Collector::Reduction { value, .. }
            | Collector::KeyedStore { value, .. }
            | Collector::Element { value }
            | Collector::Effect { call: value } => value,
        }
    }
}

/// An independent loop: per item, `setup` temporaries are computed, then `collector` fed.
#[derive(Debug, Clone)]
pub struct IndependentLoop<'a> {
    pub target: &'a Expr,
    pub iter: &'a Expr,
    /// Filters that guard the work (`if pred(x):` around the body, comprehension `if`s).
    pub conditions: Vec<&'a Expr>,
    /// `name = expr` statements computing per-iteration temporaries, in order.
    pub setup: Vec<&'a Stmt>,
    pub collector: Collector<'a>,
    /// The names bound anew in each iteration (loop targets and temporaries).
    pub iteration_names: Vec<&'a str>,
}

/// Whether the collected value may be `await <call>` (the shape PAR203 turns into
/// `asyncio.gather`); any other suspension makes iterations order-dependent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaits {
    Rejected,
    AllowedAtCollector,
}

/// Analyses a `for` loop.
pub fn independent_for<'a>(
    stmt: &'a ast::StmtFor,
    semantic: &Semantic<'a>,
) -> Option<IndependentLoop<'a>> {
    independent_for_with(stmt, semantic, Awaits::Rejected)
}

/// The call a value awaits, when it is `await <call>`.
pub fn awaited_call(value: &Expr) -> Option<&ast::ExprCall> {
    match value {
        Expr::Await(await_expr) => match await_expr.value.as_ref() {
            Expr::Call(call) => Some(call),
            _ => None,
        },
        _ => None,
    }
}

/// The expression whose effects are checked: for an allowed `await f(x)`, the call `f(x)`.
fn checked_value(value: &Expr, awaits: Awaits) -> Option<&Expr> {
    match (awaits, value) {
        (Awaits::AllowedAtCollector, Expr::Await(await_expr)) => {
            awaited_call(value)?;
            Some(&await_expr.value)
        }
        _ => Some(value),
    }
}

/// Analyses a `for` loop, with `awaits` deciding whether the collected value may be awaited.
pub fn independent_for_with<'a>(
    stmt: &'a ast::StmtFor,
    semantic: &Semantic<'a>,
    awaits: Awaits,
) -> Option<IndependentLoop<'a>> {
    if stmt.is_async || !stmt.orelse.is_empty() {
        return None;
    }
    let mut iteration_names = Vec::new();
    target_names(&stmt.target, &mut iteration_names)?;

    // One optional `if` guard (no elif/else) around the whole body.
    let (conditions, body): (Vec<&Expr>, &[Stmt]) = match stmt.body.as_slice() {
        [Stmt::If(guard)] if guard.elif_else_clauses.is_empty() => {
            (vec![&*guard.test], &guard.body)
        }
        body => (Vec::new(), body),
    };
    let (last, setup_statements) = body.split_last()?;
    let collector = collector_of(last)?;

    // Temporaries: `name = expr` only, each read only after it is assigned.
    let mut setup = Vec::new();
    let mut temporaries: Vec<&str> = Vec::new();
    for statement in setup_statements {
        let (targets, value) = match statement {
            Stmt::Assign(assign) => (assign.targets.as_slice(), &*assign.value),
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) => (std::slice::from_ref(&**target), &**value),
            _ => return None,
        };
        let mut bound = Vec::new();
        for target in targets {
            target_names(target, &mut bound)?;
        }
        temporaries.extend(bound.iter().copied());
        setup.push((statement, value, bound));
    }
    iteration_names.extend(temporaries.iter().copied());
    let written: FxHashSet<&str> = iteration_names.iter().copied().collect();

    // Reads of per-iteration names must come after their assignment in the same iteration.
    let mut assigned: FxHashSet<&str> = FxHashSet::default();
    let mut targets = Vec::new();
    target_names(&stmt.target, &mut targets)?;
    assigned.extend(targets);
    for condition in &conditions {
        if reads_unassigned(condition, &written, &assigned) {
            return None;
        }
    }
    for (_, value, bound) in &setup {
        if reads_unassigned(value, &written, &assigned) {
            return None;
        }
        assigned.extend(bound.iter().copied());
    }
    let collector_reads_ok = match collector {
        Collector::KeyedStore { key, value, .. } => {
            !reads_unassigned(key, &written, &assigned)
                && !reads_unassigned(value, &written, &assigned)
        }
        other => !reads_unassigned(other.value(), &written, &assigned),
    };
    if !collector_reads_ok {
        return None;
    }

    // The collector is written only by its own statement, and not read anywhere in the body.
    if let Some(sink) = sink_name(&collector) {
        if written.contains(sink) {
            return None;
        }
        let reads_sink = |expr: &Expr| expr_names(expr).loads.iter().any(|(name, _)| *name == sink);
        let mut everything: Vec<&Expr> = conditions.clone();
        everything.extend(setup.iter().map(|(_, value, _)| *value));
        everything.push(&stmt.iter);
        match collector {
            Collector::KeyedStore { key, value, .. } => {
                everything.push(key);
                everything.push(value);
            }
            other => everything.push(other.value()),
        }
        if everything.into_iter().any(reads_sink) {
            return None;
        }
    }
    if let Collector::KeyedStore { key, .. } = collector {
        // Each item writes its own key.
        if !expr_names(key)
            .loads
            .iter()
            .any(|(name, _)| written.contains(name))
        {
            return None;
        }
    }

    // Effects: no printing, logging, suspension, walrus, or mutation of outer objects.
    let mut effects = Effects::new(semantic, &written);
    for condition in &conditions {
        effects.visit_expr(condition);
    }
    for (statement, _, _) in &setup {
        effects.visit_stmt(statement);
    }
    if let Collector::KeyedStore { key, .. } = collector {
        effects.visit_expr(key);
    }
    effects.visit_expr(checked_value(collector.value(), awaits)?);
    if effects.unsafe_effect || !effects.has_call {
        return None;
    }

    Some(IndependentLoop {
        target: &stmt.target,
        iter: &stmt.iter,
        conditions,
        setup: setup
            .into_iter()
            .map(|(statement, _, _)| statement)
            .collect(),
        collector,
        iteration_names,
    })
}

/// Analyses a list/set comprehension or generator expression with one `for` clause.
pub fn independent_comprehension<'a>(
    element: &'a Expr,
    generators: &'a [ast::Comprehension],
    semantic: &Semantic<'a>,
) -> Option<IndependentLoop<'a>> {
    independent_comprehension_with(element, generators, semantic, Awaits::Rejected)
}

/// Analyses a comprehension, with `awaits` deciding whether the element may be awaited.
pub fn independent_comprehension_with<'a>(
    element: &'a Expr,
    generators: &'a [ast::Comprehension],
    semantic: &Semantic<'a>,
    awaits: Awaits,
) -> Option<IndependentLoop<'a>> {
    let [generator] = generators else {
        return None;
    };
    if generator.is_async {
        return None;
    }
    let mut iteration_names = Vec::new();
    target_names(&generator.target, &mut iteration_names)?;
    let written: FxHashSet<&str> = iteration_names.iter().copied().collect();
    let mut effects = Effects::new(semantic, &written);
    for condition in &generator.ifs {
        effects.visit_expr(condition);
    }
    effects.visit_expr(checked_value(element, awaits)?);
    if effects.unsafe_effect || !effects.has_call {
        return None;
    }
    Some(IndependentLoop {
        target: &generator.target,
        iter: &generator.iter,
        conditions: generator.ifs.iter().collect(),
        setup: Vec::new(),
        collector: Collector::Element { value: element },
        iteration_names,
    })
}

/// The per-iteration names of `independent` that code after the loop (anywhere in `scope`,
/// the enclosing function's or module's statements, after `loop_end`) reads: a rewrite into a
/// pool would leave them unbound, so such a loop's fix must not drop them.
pub fn iteration_names_read_after<'a>(
    independent: &IndependentLoop<'a>,
    loop_end: ruff_text_size::TextSize,
    scope: &'a [Stmt],
) -> Vec<&'a str> {
    let mut found = Vec::new();
    for statement in scope {
        if ruff_text_size::Ranged::end(statement) <= loop_end {
            continue;
        }
        for (name, range) in crate::analysis::names::stmt_names(statement).loads {
            if range.start() >= loop_end
                && independent.iteration_names.contains(&name)
                && !found.contains(&name)
            {
                found.push(name);
            }
        }
    }
    found
}

/// The names a loop target binds; `None` for targets that write attributes or items.
fn target_names<'a>(target: &'a Expr, names: &mut Vec<&'a str>) -> Option<()> {
    match target {
        Expr::Name(name) => {
            names.push(name.id.as_str());
            Some(())
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            for elt in elts {
                target_names(elt, names)?;
            }
            Some(())
        }
        Expr::Starred(starred) => target_names(&starred.value, names),
        _ => None,
    }
}

fn collector_of(statement: &Stmt) -> Option<Collector<'_>> {
    match statement {
        Stmt::Expr(expr) => {
            let Expr::Call(call) = expr.value.as_ref() else {
                return None;
            };
            if let Expr::Attribute(attribute) = call.func.as_ref() {
                if attribute.attr.as_str() == "append" && call.arguments.keywords.is_empty() {
                    if let (Expr::Name(list), [value]) =
                        (attribute.value.as_ref(), &*call.arguments.args)
                    {
                        return Some(Collector::Append { list, value });
                    }
                }
            }
            Some(Collector::Effect { call: &expr.value })
        }
        Stmt::AugAssign(assign) => match assign.target.as_ref() {
            Expr::Name(accumulator) => Some(Collector::Reduction {
                accumulator,
                op: assign.op,
                value: &assign.value,
            }),
            _ => None,
        },
        Stmt::Assign(assign) => {
            let [target] = assign.targets.as_slice() else {
                return None;
            };
            match (target, assign.value.as_ref()) {
                (Expr::Name(accumulator), Expr::BinOp(binop)) if matches!(binop.left.as_ref(), Expr::Name(left) if left.id == accumulator.id) => {
                    Some(Collector::Reduction {
                        accumulator,
                        op: binop.op,
                        value: &binop.right,
                    })
                }
                (Expr::Subscript(subscript), value) => match subscript.value.as_ref() {
                    Expr::Name(mapping) => Some(Collector::KeyedStore {
                        mapping,
                        key: &subscript.slice,
                        value,
                    }),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

fn sink_name<'a>(collector: &Collector<'a>) -> Option<&'a str> {
    match collector {
        Collector::Append { list, .. } => Some(list.id.as_str()),
        Collector::Reduction { accumulator, .. } => Some(accumulator.id.as_str()),
        Collector::KeyedStore { mapping, .. } => Some(mapping.id.as_str()),
        Collector::Effect { .. } | Collector::Element { .. } => None,
    }
}

/// Whether `expr` reads a per-iteration name before this iteration assigned it (so it would
/// see the previous iteration's value: a loop-carried dependency).
fn reads_unassigned(expr: &Expr, written: &FxHashSet<&str>, assigned: &FxHashSet<&str>) -> bool {
    expr_names(expr)
        .free()
        .into_iter()
        .any(|name| written.contains(name) && !assigned.contains(name))
}

/// Looks for effects that make iterations depend on each other or on their order.
struct Effects<'s, 'a> {
    semantic: &'s Semantic<'a>,
    /// Per-iteration names: calling mutators on these is fine.
    local: &'s FxHashSet<&'a str>,
    unsafe_effect: bool,
    has_call: bool,
}

impl<'s, 'a> Effects<'s, 'a> {
    fn new(semantic: &'s Semantic<'a>, local: &'s FxHashSet<&'a str>) -> Self {
        Self {
            semantic,
            local,
            unsafe_effect: false,
            has_call: false,
        }
    }

    fn is_output_call(&self, call: &'a ast::ExprCall) -> bool {
        if let Some(name) = self.semantic.qualified_name(&call.func) {
            let segments = name.segments();
            if name.is("builtins.print")
                || segments.first() == Some(&"logging")
                || name.is_any(&["sys.stdout.write", "sys.stderr.write", "warnings.warn"])
            {
                return true;
            }
        }
        if let Expr::Attribute(attribute) = call.func.as_ref() {
            if LOG_METHODS.contains(&attribute.attr.as_str()) {
                let receiver = match attribute.value.as_ref() {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(inner) => Some(inner.attr.as_str()),
                    _ => None,
                };
                if receiver.is_some_and(|r| {
                    let r = r.trim_start_matches('_').to_ascii_lowercase();
                    r == "log" || r == "logger" || r.ends_with("_logger") || r == "logging"
                }) {
                    return true;
                }
            }
        }
        false
    }

    fn mutates_outer_object(&self, call: &ast::ExprCall) -> bool {
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return false;
        };
        if !MUTATORS.contains(&attribute.attr.as_str()) {
            return false;
        }
        match attribute.value.as_ref() {
            Expr::Name(name) => !self.local.contains(name.id.as_str()),
            // `self.items.append(...)`, `obj.cache.update(...)`: shared state.
            _ => true,
        }
    }
}

impl<'a> Visitor<'a> for Effects<'_, 'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.has_call = true;
                if self.is_output_call(call) || self.mutates_outer_object(call) {
                    self.unsafe_effect = true;
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Await(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Named(_) => {
                self.unsafe_effect = true;
            }
            Expr::Lambda(_) => {
                // A lambda's body runs later, if at all: its calls are not this iteration's work.
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_parser::parse_module;

    use super::*;

    /// Analyses the first `for` loop or comprehension expression found at module level.
    fn analyse(source: &str) -> Option<String> {
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        for stmt in body {
            let found = match stmt {
                Stmt::For(for_stmt) => independent_for(for_stmt, &semantic),
                Stmt::Assign(assign) => match assign.value.as_ref() {
                    Expr::ListComp(comp) => {
                        independent_comprehension(&comp.elt, &comp.generators, &semantic)
                    }
                    Expr::SetComp(comp) => {
                        independent_comprehension(&comp.elt, &comp.generators, &semantic)
                    }
                    Expr::Generator(comp) => {
                        independent_comprehension(&comp.elt, &comp.generators, &semantic)
                    }
                    _ => continue,
                },
                _ => continue,
            };
            return found.map(|independent| {
                let kind = match independent.collector {
                    Collector::Append { list, .. } => format!("append to {}", list.id),
                    Collector::Reduction { accumulator, .. } => {
                        format!("reduce into {}", accumulator.id)
                    }
                    Collector::KeyedStore { mapping, .. } => format!("store into {}", mapping.id),
                    Collector::Effect { .. } => "effect".to_string(),
                    Collector::Element { .. } => "element".to_string(),
                };
                format!(
                    "{kind}; setup {}; conditions {}; names {}",
                    independent.setup.len(),
                    independent.conditions.len(),
                    independent.iteration_names.join(",")
                )
            });
        }
        panic!("no loop in {source}");
    }

    #[test]
    fn independent_shapes() {
        assert_eq!(
            analyse("out = []\nfor x in xs:\n    out.append(f(x))").as_deref(),
            Some("append to out; setup 0; conditions 0; names x")
        );
        assert_eq!(
            analyse("for x in xs:\n    y = g(x)\n    z: int = y + 1\n    out.append(f(z))")
                .as_deref(),
            Some("append to out; setup 2; conditions 0; names x,y,z")
        );
        assert_eq!(
            analyse("for x in xs:\n    total += cost(x)").as_deref(),
            Some("reduce into total; setup 0; conditions 0; names x")
        );
        assert_eq!(
            analyse("for x in xs:\n    total = total + cost(x)").as_deref(),
            Some("reduce into total; setup 0; conditions 0; names x")
        );
        assert_eq!(
            analyse("for path in paths:\n    sizes[path] = measure(path)").as_deref(),
            Some("store into sizes; setup 0; conditions 0; names path")
        );
        assert_eq!(
            analyse("for url in urls:\n    download(url)").as_deref(),
            Some("effect; setup 0; conditions 0; names url")
        );
        assert_eq!(
            analyse("for k, v in items:\n    if keep(k):\n        out.append(f(k, v))").as_deref(),
            Some("append to out; setup 0; conditions 1; names k,v")
        );
        assert_eq!(
            analyse("r = [f(x) for x in xs if x]").as_deref(),
            Some("element; setup 0; conditions 1; names x")
        );
        assert_eq!(
            analyse("for x in xs:\n    buf = []\n    buf.append(x)\n    out.append(f(buf))")
                .as_deref(),
            None,
            "a statement that is neither an assignment nor the collector"
        );
    }

    #[test]
    fn names_read_after_the_loop() {
        let source = "for x in xs:\n    y = g(x)\n    out.append(f(y))\nprint(x, out)\n";
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let Stmt::For(for_stmt) = &body[0] else {
            panic!()
        };
        let independent = independent_for(for_stmt, &semantic).unwrap();
        let end = ruff_text_size::Ranged::end(for_stmt);
        assert_eq!(
            iteration_names_read_after(&independent, end, body),
            vec!["x"]
        );
    }

    #[test]
    fn dependent_or_effectful_loops_are_rejected() {
        let rejected = [
            // Loop-carried dependency: reads the previous iteration's value.
            "for x in xs:\n    out.append(f(prev))\n    prev = x",
            "for x in xs:\n    y = g(prev)\n    prev = y\n    out.append(f(y))",
            // The accumulator is read by the work.
            "for x in xs:\n    total += f(x, total)",
            "for x in xs:\n    out.append(f(out[-1]))",
            // Early exits and other control flow.
            "for x in xs:\n    if bad(x):\n        break\n    out.append(f(x))",
            "for x in xs:\n    out.append(f(x))\nelse:\n    done()",
            // Printing and logging.
            "for x in xs:\n    print(f(x))",
            "for x in xs:\n    out.append(f(x))\n    print(x)",
            "import logging\nfor x in xs:\n    logging.info(f(x))",
            "for x in xs:\n    logger.warning(f(x))",
            // Writes to shared objects.
            "for x in xs:\n    seen.add(x)\n    out.append(f(x))",
            "for x in xs:\n    out.append(f(x, cache.update(x)))",
            "for x in xs:\n    self.items.append(f(x))",
            "for x in xs:\n    obj.total = f(x)",
            // Suspension and walrus.
            "async def g():\n    pass\nfor x in xs:\n    out.append(f(y := x))",
            // No work at all: nothing to parallelise.
            "for x in xs:\n    out.append(x * 2)",
            // A key that does not depend on the item: every iteration overwrites it.
            "for x in xs:\n    d['k'] = f(x)",
            // Comprehensions with effects.
            "r = [print(x) for x in xs]",
            "r = [out.append(f(x)) for x in xs]",
            "r = [f(x, y) for x in xs for y in ys]",
            "r = [f(y := x) for x in xs]",
        ];
        for source in rejected {
            let source_owned;
            let source = if source.starts_with("async def") {
                source_owned = source.replace("async def g():\n    pass\n", "");
                source_owned.as_str()
            } else {
                source
            };
            assert_eq!(analyse(source), None, "{source}");
        }
    }
}
