//! What kind of data a name holds, as far as the data-parallel rules (PAR3) need: a NumPy
//! array, a pandas DataFrame or Series, a plain number, or a list. Small and honest: a name
//! has a kind only when every binding of it in its scope gives that same kind (constructors
//! such as `np.zeros`, `np.random.rand(n)`, `pd.read_csv`, a column selection `df["a"]`,
//! arithmetic of known arrays, or an annotation such as `np.ndarray` / `pd.DataFrame`); a name
//! rebound to anything else, or bound by a loop, `with`, unpacking or import, is unknown, and
//! the rules stay silent on unknown operands.
//!
//! Computed lazily, once per function (or module) scope, and memoised in a [`KindsMemo`]: a
//! scan of that scope's own statements, never a walk per node.

use std::rc::Rc;

use ruff_python_ast::{self as ast, Expr, Number, Operator, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextSize};
use rustc_hash::FxHashMap;

use crate::analysis::semantic::{ScopeKind, Semantic};

/// The kind of value an expression evaluates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `numpy.ndarray`; `ndim` where the constructor makes it certain.
    Array {
        ndim: Option<u8>,
    },
    DataFrame,
    Series,
    /// An `int` or `float` scalar.
    Number,
    /// A Python `list`.
    List,
    /// A NumPy random generator (`np.random.default_rng()`): its sampling methods with a
    /// `size` make arrays.
    Rng,
}

impl Kind {
    pub fn is_array(self) -> bool {
        matches!(self, Kind::Array { .. })
    }

    pub fn ndim(self) -> Option<u8> {
        match self {
            Kind::Array { ndim } => ndim,
            _ => None,
        }
    }
}

/// What the kinds are computed from: the file, the walk's scopes where a rule asks, and the
/// memo of answers.
#[derive(Clone, Copy)]
pub struct Context<'r, 'a> {
    pub semantic: &'r Semantic<'a>,
    pub module: &'a [Stmt],
    pub text: &'a str,
    pub memo: &'r KindsMemo<'a>,
}

impl<'a> Context<'_, 'a> {
    fn kinds_memo(&self) -> &KindsMemo<'a> {
        self.memo
    }

    fn text(&self) -> &'a str {
        self.text
    }
}

/// The kinds of the names bound in one scope (`None`: bound, but to something unknown).
pub type ScopeKinds<'a> = FxHashMap<&'a str, Option<Kind>>;

/// Memo of [`ScopeKinds`] per scope, keyed by the `def`'s start (the module by `u32::MAX`).
#[derive(Debug, Default)]
pub struct KindsMemo<'a> {
    scopes: std::cell::RefCell<FxHashMap<TextSize, Rc<ScopeKinds<'a>>>>,
    /// Whether the file mentions NumPy or pandas at all: without them nothing is an array
    /// or a DataFrame, and every question is answered at once.
    mentions_libraries: std::cell::OnceCell<bool>,
}

const MODULE_KEY: TextSize = TextSize::new(u32::MAX);

/// NumPy functions that always return an array; the value is how to learn `ndim` from the
/// arguments.
#[derive(Clone, Copy)]
enum Ndim {
    One,
    /// From the shape argument: an integer means 1, a tuple of n items means n.
    Shape,
    /// The same as the first argument's (`*_like`, `copy`).
    LikeFirst,
    /// `np.array([...])` of a flat list literal is 1-D.
    Literal,
    Unknown,
}

fn numpy_constructor(member: &str) -> Option<Ndim> {
    Some(match member {
        "arange" | "linspace" | "logspace" | "geomspace" => Ndim::One,
        "zeros" | "ones" | "empty" | "full" => Ndim::Shape,
        "zeros_like" | "ones_like" | "empty_like" | "full_like" | "copy" => Ndim::LikeFirst,
        "array" | "asarray" | "asanyarray" | "ascontiguousarray" | "fromiter" => Ndim::Literal,
        "concatenate" | "hstack" | "vstack" | "stack" | "eye" | "identity" | "diff" | "cumsum"
        | "cumprod" | "sort" | "unique" | "where" | "clip" | "outer" => Ndim::Unknown,
        _ => return None,
    })
}

/// `np.random.<sampler>`: the position of the `size` argument (an array only when it is given).
fn random_size_position(member: &str) -> Option<usize> {
    Some(match member {
        "random" | "random_sample" | "sample" | "ranf" | "standard_normal" => 0,
        "poisson" | "exponential" | "choice" | "standard_t" | "chisquare" | "geometric" => 1,
        "randint" | "uniform" | "normal" | "binomial" | "lognormal" | "gamma" | "beta"
        | "integers" | "laplace" | "logistic" | "triangular" => 2,
        _ => return None,
    })
}

/// pandas readers that return one DataFrame (unless the keywords below ask otherwise).
const PANDAS_READERS: &[&str] = &[
    "read_csv",
    "read_table",
    "read_parquet",
    "read_feather",
    "read_excel",
    "read_json",
    "read_sql",
    "read_sql_query",
    "read_sql_table",
    "read_fwf",
    "read_orc",
    "read_stata",
    "read_sas",
    "read_spss",
    "read_xml",
];

/// Keywords that make a pandas reader return something other than one DataFrame (an
/// iterator of chunks, a dict of sheets, a Series).
const READER_OTHER_RESULTS: &[&str] = &["chunksize", "iterator", "sheet_name", "typ"];

/// Methods returning an object of the receiver's kind (without `inplace=True`).
const SAME_KIND_METHODS: &[&str] = &[
    "copy",
    "astype",
    "abs",
    "round",
    "clip",
    "fillna",
    "dropna",
    "sort_values",
    "sort_index",
    "reset_index",
    "head",
    "tail",
    "rename",
    "drop",
    "query",
    "assign",
    "cumsum",
];

impl<'a> KindsMemo<'a> {
    fn get(&self, key: TextSize) -> Option<Rc<ScopeKinds<'a>>> {
        self.scopes.borrow().get(&key).cloned()
    }

    fn insert(&self, key: TextSize, kinds: Rc<ScopeKinds<'a>>) {
        self.scopes.borrow_mut().insert(key, kinds);
    }
}

/// The kind `expr` evaluates to where the walk is now, `None` when unknown.
pub fn kind_of<'a>(checker: &Context<'_, 'a>, expr: &'a Expr) -> Option<Kind> {
    let mentions = *checker.kinds_memo().mentions_libraries.get_or_init(|| {
        let text = checker.text();
        text.contains("numpy") || text.contains("pandas")
    });
    if !mentions {
        return None;
    }
    let scopes = scope_chain(checker);
    Resolver {
        checker,
        scopes: &scopes,
        local: None,
    }
    .kind(expr)
}

/// The scope maps from the innermost function-like scope outwards (with the scopes a name
/// can be hidden in: comprehension or lambda variables are per-element, never known).
enum ScopeMap<'a> {
    Kinds(Rc<ScopeKinds<'a>>),
    /// A comprehension, lambda or class scope: the names it binds are unknown.
    Opaque(Vec<&'a str>),
}

fn scope_chain<'a>(checker: &Context<'_, 'a>) -> Vec<ScopeMap<'a>> {
    let scopes = checker.semantic.scopes();
    let mut chain: Vec<ScopeMap<'a>> = Vec::with_capacity(scopes.len());
    // Outermost first, so each map can resolve its free names through the ones outside it.
    for scope in scopes {
        let map = match scope.kind {
            ScopeKind::Module => ScopeMap::Kinds(scope_kinds(checker, MODULE_KEY, None, &chain)),
            ScopeKind::Function(def) => {
                ScopeMap::Kinds(scope_kinds(checker, def.start(), Some(def), &chain))
            }
            ScopeKind::Comprehension | ScopeKind::Lambda(_) | ScopeKind::Class(_) => {
                ScopeMap::Opaque(scope.bound_names())
            }
        };
        chain.push(map);
    }
    chain.reverse();
    chain
}

fn scope_kinds<'a>(
    checker: &Context<'_, 'a>,
    key: TextSize,
    def: Option<&'a ast::StmtFunctionDef>,
    outer_first: &[ScopeMap<'a>],
) -> Rc<ScopeKinds<'a>> {
    if let Some(kinds) = checker.kinds_memo().get(key) {
        return kinds;
    }
    let mut outer: Vec<&ScopeMap<'a>> = outer_first.iter().collect();
    outer.reverse();
    let outer: Vec<ScopeMap<'a>> = outer
        .into_iter()
        .map(|map| match map {
            ScopeMap::Kinds(kinds) => ScopeMap::Kinds(kinds.clone()),
            ScopeMap::Opaque(names) => ScopeMap::Opaque(names.clone()),
        })
        .collect();
    let kinds = Rc::new(build(checker, def, &outer));
    checker.kinds_memo().insert(key, kinds.clone());
    kinds
}

/// Where a name's value comes from in its scope.
enum Source<'a> {
    Value(&'a Expr),
    Known(Kind),
    Unknown,
}

fn build<'a>(
    checker: &Context<'_, 'a>,
    def: Option<&'a ast::StmtFunctionDef>,
    outer: &[ScopeMap<'a>],
) -> ScopeKinds<'a> {
    let mut sources: FxHashMap<&'a str, Vec<Source<'a>>> = FxHashMap::default();
    let body: &'a [Stmt] = match def {
        Some(def) => {
            for parameter in def.parameters.iter() {
                let name = parameter.name().as_str();
                let source = match (parameter.annotation(), parameter.default()) {
                    (Some(annotation), None) if !parameter.is_variadic() => {
                        match annotation_kind(checker, annotation) {
                            Some(kind) => Source::Known(kind),
                            None => Source::Unknown,
                        }
                    }
                    _ => Source::Unknown,
                };
                sources.entry(name).or_default().push(source);
            }
            &def.body
        }
        None => checker.module,
    };
    collect(checker, body, &mut sources);
    // A nested function's `global x` (for the module) or `nonlocal x` (for a function)
    // rebinds the name from elsewhere: unknown.
    for name in rebound_from_nested(body, def.is_none()) {
        sources.entry(name).or_default().push(Source::Unknown);
    }

    let mut kinds: ScopeKinds<'a> = sources.keys().map(|name| (*name, None)).collect();
    // Values may depend on each other (`b = a * 2`): settle in a few rounds.
    for _ in 0..4 {
        let resolver = Resolver {
            checker,
            scopes: outer,
            local: Some(&kinds),
        };
        let next: ScopeKinds<'a> = sources
            .iter()
            .map(|(name, name_sources)| (*name, settle(&resolver, name_sources)))
            .collect();
        if next == kinds {
            break;
        }
        kinds = next;
    }
    kinds
}

fn settle<'a>(resolver: &Resolver<'_, 'a>, sources: &[Source<'a>]) -> Option<Kind> {
    let mut kind: Option<Kind> = None;
    for source in sources {
        let this = match source {
            Source::Value(value) => resolver.kind(value)?,
            Source::Known(kind) => *kind,
            Source::Unknown => return None,
        };
        kind = match kind {
            None => Some(this),
            Some(previous) if previous == this => Some(this),
            Some(Kind::Array { .. }) if this.is_array() => Some(Kind::Array { ndim: None }),
            Some(_) => return None,
        };
    }
    kind
}

/// Names that functions nested in `body` declare `global` (when `module`) or `nonlocal`.
fn rebound_from_nested(body: &[Stmt], module: bool) -> Vec<&str> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'n> {
        module: bool,
        depth: u32,
        names: Vec<&'n str>,
    }
    impl<'n> Visitor<'n> for Finder<'n> {
        fn visit_stmt(&mut self, stmt: &'n Stmt) {
            match stmt {
                Stmt::FunctionDef(def) => {
                    self.depth += 1;
                    self.visit_body(&def.body);
                    self.depth -= 1;
                }
                Stmt::Global(global) if self.module && self.depth > 0 => {
                    self.names.extend(global.names.iter().map(|n| n.as_str()));
                }
                Stmt::Nonlocal(nonlocal) if !self.module && self.depth > 0 => {
                    self.names.extend(nonlocal.names.iter().map(|n| n.as_str()));
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, _expr: &'n Expr) {}
    }
    let mut finder = Finder {
        module,
        depth: 0,
        names: Vec::new(),
    };
    finder.visit_body(body);
    finder.names
}

/// Collects the bindings of a scope's own statements (not those of nested functions,
/// classes, lambdas or comprehensions).
fn collect<'a>(
    checker: &Context<'_, 'a>,
    body: &'a [Stmt],
    sources: &mut FxHashMap<&'a str, Vec<Source<'a>>>,
) {
    let mut add = |name: &'a str, source: Source<'a>| {
        sources.entry(name).or_default().push(source);
    };
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) => {
                for target in &assign.targets {
                    match target {
                        Expr::Name(name) => add(name.id.as_str(), Source::Value(&assign.value)),
                        other => unknown_targets(other, &mut add),
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Expr::Name(name) = assign.target.as_ref() {
                    let source = match annotation_kind(checker, &assign.annotation) {
                        Some(kind) => Source::Known(kind),
                        None => match &assign.value {
                            Some(value) => Source::Value(value),
                            None => continue,
                        },
                    };
                    add(name.id.as_str(), source);
                }
            }
            // `a += 1` keeps an array an array and a number a number; on other kinds the
            // value is unknown.
            Stmt::AugAssign(aug) => {
                if let Expr::Name(name) = aug.target.as_ref() {
                    if !matches!(
                        aug.op,
                        Operator::Add
                            | Operator::Sub
                            | Operator::Mult
                            | Operator::Div
                            | Operator::Pow
                    ) {
                        add(name.id.as_str(), Source::Unknown);
                    }
                }
            }
            Stmt::For(for_stmt) => {
                unknown_targets(&for_stmt.target, &mut add);
                collect_nested(checker, &for_stmt.body, &mut add);
                collect_nested(checker, &for_stmt.orelse, &mut add);
            }
            Stmt::While(while_stmt) => {
                collect_nested(checker, &while_stmt.body, &mut add);
                collect_nested(checker, &while_stmt.orelse, &mut add);
            }
            Stmt::If(if_stmt) => {
                collect_nested(checker, &if_stmt.body, &mut add);
                for clause in &if_stmt.elif_else_clauses {
                    collect_nested(checker, &clause.body, &mut add);
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if let Some(vars) = &item.optional_vars {
                        unknown_targets(vars, &mut add);
                    }
                }
                collect_nested(checker, &with.body, &mut add);
            }
            Stmt::Try(try_stmt) => {
                collect_nested(checker, &try_stmt.body, &mut add);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(name) = &handler.name {
                        add(name.as_str(), Source::Unknown);
                    }
                    collect_nested(checker, &handler.body, &mut add);
                }
                collect_nested(checker, &try_stmt.orelse, &mut add);
                collect_nested(checker, &try_stmt.finalbody, &mut add);
            }
            Stmt::FunctionDef(def) => add(def.name.as_str(), Source::Unknown),
            Stmt::ClassDef(class) => add(class.name.as_str(), Source::Unknown),
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    add(bound.split('.').next().unwrap_or(bound), Source::Unknown);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    add(
                        alias.asname.as_ref().unwrap_or(&alias.name).as_str(),
                        Source::Unknown,
                    );
                }
            }
            Stmt::Global(ast::StmtGlobal { names, .. })
            | Stmt::Nonlocal(ast::StmtNonlocal { names, .. }) => {
                for name in names {
                    add(name.as_str(), Source::Unknown);
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    unknown_targets(target, &mut add);
                }
            }
            Stmt::Match(match_stmt) => {
                for case in &match_stmt.cases {
                    collect_nested(checker, &case.body, &mut add);
                }
            }
            _ => {}
        }
        // Walrus targets anywhere in the statement's own expressions are unknown.
        if let Some(names) = walrus_names(stmt) {
            for name in names {
                add(name, Source::Unknown);
            }
        }
    }
}

fn collect_nested<'a>(
    checker: &Context<'_, 'a>,
    body: &'a [Stmt],
    add: &mut impl FnMut(&'a str, Source<'a>),
) {
    let mut nested: FxHashMap<&'a str, Vec<Source<'a>>> = FxHashMap::default();
    collect(checker, body, &mut nested);
    for (name, sources) in nested {
        for source in sources {
            add(name, source);
        }
    }
}

fn unknown_targets<'a>(target: &'a Expr, add: &mut impl FnMut(&'a str, Source<'a>)) {
    match target {
        Expr::Name(name) => add(name.id.as_str(), Source::Unknown),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            for elt in elts {
                unknown_targets(elt, add);
            }
        }
        Expr::Starred(starred) => unknown_targets(&starred.value, add),
        _ => {}
    }
}

/// Names bound by `:=` in a statement's own expressions, and by `match` patterns: bound in
/// ways the scan does not follow, so unknown.
fn walrus_names(stmt: &Stmt) -> Option<Vec<&str>> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'n> {
        names: Vec<&'n str>,
    }
    impl<'n> Visitor<'n> for Finder<'n> {
        fn visit_stmt(&mut self, _stmt: &'n Stmt) {}
        fn visit_pattern(&mut self, pattern: &'n ast::Pattern) {
            match pattern {
                ast::Pattern::MatchAs(ast::PatternMatchAs {
                    name: Some(name), ..
                })
                | ast::Pattern::MatchStar(ast::PatternMatchStar {
                    name: Some(name), ..
                })
                | ast::Pattern::MatchMapping(ast::PatternMatchMapping {
                    rest: Some(name), ..
                }) => self.names.push(name.as_str()),
                _ => {}
            }
            visitor::walk_pattern(self, pattern);
        }
        fn visit_expr(&mut self, expr: &'n Expr) {
            if let Expr::Named(named) = expr {
                if let Expr::Name(name) = named.target.as_ref() {
                    self.names.push(name.id.as_str());
                }
            }
            if !matches!(expr, Expr::Lambda(_)) {
                visitor::walk_expr(self, expr);
            }
        }
    }
    let mut finder = Finder { names: Vec::new() };
    // The statement's own expressions (nested statements are collected on their own).
    visitor::walk_stmt(&mut finder, stmt);
    (!finder.names.is_empty()).then_some(finder.names)
}

/// The kind an annotation promises: `np.ndarray`, `npt.NDArray[...]`, `pd.DataFrame`,
/// `pd.Series`, `int`, `float`.
pub fn annotation_kind<'a>(checker: &Context<'_, 'a>, annotation: &'a Expr) -> Option<Kind> {
    let class = match annotation {
        Expr::Subscript(subscript) => &*subscript.value,
        other => other,
    };
    if let Expr::Name(name) = class {
        if checker
            .semantic
            .lookup(name.id.as_str(), name.start())
            .is_none()
        {
            return match name.id.as_str() {
                "int" | "float" if !matches!(annotation, Expr::Subscript(_)) => Some(Kind::Number),
                _ => None,
            };
        }
    }
    let qualified = checker.semantic.qualified_name(class)?;
    if qualified.is_any(&["numpy.ndarray", "numpy.typing.NDArray"]) {
        Some(Kind::Array { ndim: None })
    } else if qualified.is("pandas.DataFrame") {
        Some(Kind::DataFrame)
    } else if qualified.is("pandas.Series") {
        Some(Kind::Series)
    } else {
        None
    }
}

/// The binary operators NumPy and pandas apply element by element with the same meaning as
/// Python's on numbers (`@`, bit operations and shifts excluded).
pub fn is_elementwise_arithmetic(op: Operator) -> bool {
    matches!(
        op,
        Operator::Add
            | Operator::Sub
            | Operator::Mult
            | Operator::Div
            | Operator::FloorDiv
            | Operator::Mod
            | Operator::Pow
    )
}

struct Resolver<'r, 'a> {
    checker: &'r Context<'r, 'a>,
    /// Innermost first.
    scopes: &'r [ScopeMap<'a>],
    /// The map being built (names of the scope under construction).
    local: Option<&'r ScopeKinds<'a>>,
}

impl<'a> Resolver<'_, 'a> {
    fn name(&self, name: &str) -> Option<Kind> {
        if let Some(local) = self.local {
            if let Some(kind) = local.get(name) {
                return *kind;
            }
        }
        for scope in self.scopes {
            match scope {
                ScopeMap::Kinds(kinds) => {
                    if let Some(kind) = kinds.get(name) {
                        return *kind;
                    }
                }
                ScopeMap::Opaque(names) => {
                    if names.contains(&name) {
                        return None;
                    }
                }
            }
        }
        None
    }

    fn kind(&self, expr: &'a Expr) -> Option<Kind> {
        match expr {
            Expr::Name(name) => self.name(name.id.as_str()),
            Expr::NumberLiteral(number) => match number.value {
                Number::Int(_) | Number::Float(_) => Some(Kind::Number),
                Number::Complex { .. } => None,
            },
            Expr::List(_) | Expr::ListComp(_) => Some(Kind::List),
            Expr::UnaryOp(unary) if matches!(unary.op, UnaryOp::USub | UnaryOp::UAdd) => {
                self.kind(&unary.operand)
            }
            Expr::BinOp(binop) => self.binop(binop),
            Expr::Call(call) => self.call(call),
            Expr::Subscript(subscript) => self.subscript(subscript),
            Expr::Attribute(attribute) => {
                let receiver = self.kind(&attribute.value)?;
                match (receiver, attribute.attr.as_str()) {
                    (Kind::DataFrame | Kind::Series, "values") => Some(Kind::Array { ndim: None }),
                    (Kind::Array { ndim }, "T") => Some(Kind::Array { ndim }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn binop(&self, binop: &'a ast::ExprBinOp) -> Option<Kind> {
        let left = self.kind(&binop.left);
        let right = self.kind(&binop.right);
        if binop.op == Operator::Mult {
            // `[0.0] * n` is a list.
            if matches!((left, right), (Some(Kind::List), Some(Kind::Number))) {
                return Some(Kind::List);
            }
        }
        if !is_elementwise_arithmetic(binop.op) {
            return None;
        }
        match (left?, right?) {
            (Kind::Number, Kind::Number) => Some(Kind::Number),
            (Kind::Array { ndim: a }, Kind::Array { ndim: b }) => Some(Kind::Array {
                ndim: if a == b { a } else { None },
            }),
            (Kind::Array { ndim }, Kind::Number) | (Kind::Number, Kind::Array { ndim }) => {
                Some(Kind::Array { ndim })
            }
            (Kind::Series, Kind::Series | Kind::Number) | (Kind::Number, Kind::Series) => {
                Some(Kind::Series)
            }
            (Kind::DataFrame, Kind::DataFrame | Kind::Number) | (Kind::Number, Kind::DataFrame) => {
                Some(Kind::DataFrame)
            }
            _ => None,
        }
    }

    fn subscript(&self, subscript: &'a ast::ExprSubscript) -> Option<Kind> {
        match self.kind(&subscript.value)? {
            Kind::DataFrame => match subscript.slice.as_ref() {
                Expr::StringLiteral(_) => Some(Kind::Series),
                Expr::List(list) if list.elts.iter().all(Expr::is_string_literal_expr) => {
                    Some(Kind::DataFrame)
                }
                _ => None,
            },
            // A slice keeps the array's dimensions.
            Kind::Array { ndim } if matches!(subscript.slice.as_ref(), Expr::Slice(_)) => {
                Some(Kind::Array { ndim })
            }
            _ => None,
        }
    }

    fn call(&self, call: &'a ast::ExprCall) -> Option<Kind> {
        let checker = self.checker;
        if let Expr::Attribute(attribute) = call.func.as_ref() {
            // Methods of known objects.
            if let Some(receiver) = self.kind(&attribute.value) {
                let method = attribute.attr.as_str();
                return match receiver {
                    Kind::Rng => {
                        let position = random_size_position(method)?;
                        has_argument(call, position, "size").then_some(Kind::Array { ndim: None })
                    }
                    Kind::DataFrame | Kind::Series if method == "to_numpy" => {
                        Some(Kind::Array { ndim: None })
                    }
                    Kind::Array { ndim } => match method {
                        "copy" | "astype" | "clip" | "round" => Some(Kind::Array { ndim }),
                        "ravel" | "flatten" => Some(Kind::Array { ndim: Some(1) }),
                        "reshape" => Some(Kind::Array { ndim: None }),
                        _ => None,
                    },
                    Kind::DataFrame | Kind::Series
                        if SAME_KIND_METHODS.contains(&method)
                            && crate::analysis::semantic::keyword(call, "inplace").is_none() =>
                    {
                        Some(receiver)
                    }
                    _ => None,
                };
            }
        }
        let tail = checker.semantic.resolved_tail(&call.func)?;
        if tail == "len" {
            if let Expr::Name(name) = call.func.as_ref() {
                if checker.semantic.lookup("len", name.start()).is_none() {
                    return Some(Kind::Number);
                }
            }
            return None;
        }
        if matches!(tail, "float" | "int") {
            if let Expr::Name(name) = call.func.as_ref() {
                if checker.semantic.lookup(tail, name.start()).is_none() {
                    return Some(Kind::Number);
                }
            }
            return None;
        }
        if tail == "list" {
            if let Expr::Name(name) = call.func.as_ref() {
                if checker.semantic.lookup("list", name.start()).is_none() {
                    return Some(Kind::List);
                }
            }
            return None;
        }
        let qualified = checker.semantic.qualified_name(&call.func)?;
        match qualified.segments() {
            ["numpy", "random", "default_rng" | "RandomState" | "Generator"] => Some(Kind::Rng),
            ["numpy", "random", "rand" | "randn"] => match call.arguments.args.len() {
                0 => None,
                n => Some(Kind::Array {
                    ndim: u8::try_from(n).ok(),
                }),
            },
            ["numpy", "random", "permutation"] => Some(Kind::Array { ndim: None }),
            ["numpy", "random", member] => {
                let position = random_size_position(member)?;
                has_argument(call, position, "size").then_some(Kind::Array { ndim: None })
            }
            ["numpy", member] => {
                let ndim = match numpy_constructor(member)? {
                    Ndim::One => Some(1),
                    Ndim::Shape => match call
                        .arguments
                        .args
                        .first()
                        .or_else(|| crate::analysis::semantic::keyword(call, "shape"))?
                    {
                        Expr::Tuple(tuple) => u8::try_from(tuple.elts.len()).ok(),
                        other if self.kind(other) == Some(Kind::Number) => Some(1),
                        _ => None,
                    },
                    Ndim::LikeFirst => call
                        .arguments
                        .args
                        .first()
                        .and_then(|first| self.kind(first))
                        .and_then(Kind::ndim),
                    Ndim::Literal => match call.arguments.args.first() {
                        Some(Expr::List(list))
                            if !list.elts.is_empty()
                                && list.elts.iter().all(|elt| {
                                    matches!(elt, Expr::NumberLiteral(_) | Expr::UnaryOp(_))
                                }) =>
                        {
                            Some(1)
                        }
                        Some(first) => match self.kind(first) {
                            Some(Kind::Array { ndim }) => ndim,
                            _ => None,
                        },
                        None => return None,
                    },
                    Ndim::Unknown => None,
                };
                Some(Kind::Array { ndim })
            }
            ["pandas", "DataFrame"] => Some(Kind::DataFrame),
            ["pandas", "Series"] => Some(Kind::Series),
            ["pandas", "merge"] => Some(Kind::DataFrame),
            ["pandas", reader] if PANDAS_READERS.contains(reader) => {
                let other_result = call.arguments.keywords.iter().any(|keyword| {
                    keyword
                        .arg
                        .as_ref()
                        .is_none_or(|arg| READER_OTHER_RESULTS.contains(&arg.as_str()))
                });
                (!other_result).then_some(Kind::DataFrame)
            }
            _ => None,
        }
    }
}

/// Whether the call passes its argument at `position` or by the keyword `name`.
fn has_argument(call: &ast::ExprCall, position: usize, name: &str) -> bool {
    call.arguments.args.len() > position && !call.arguments.args.iter().any(Expr::is_starred_expr)
        || crate::analysis::semantic::keyword(call, name)
            .is_some_and(|value| !value.is_none_literal_expr())
}
