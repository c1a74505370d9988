//! Computes [`Summary`]s: one walk of a function's body, the first time anything asks about
//! the function (or about a function that calls it), memoised per file. Calls to the
//! module's own functions and methods are summarised first and their summaries composed at
//! the call site (bottom-up over the call graph, to any depth); recursion is iterated to a
//! fixed point. Library calls are answered by the tables of [`crate::analysis::library`].
//!
//! Precision comes first: whatever cannot be seen (a callable parameter, a method of an
//! object of unknown type, an unknown library) sets [`Summary::unknown`], and the rules stay
//! silent where their fact depends on it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, CmpOp, Expr, ExprCall, Operator, Stmt, StmtClassDef, StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextRange, TextSize};
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

use crate::analysis::library::{self, ClientKind, Fact, IoKind, Library};
use crate::analysis::names::function_locals;
use crate::analysis::semantic::{
    import_binding, import_from_binding, qualified_name_with, BindingKind, QualifiedName,
    ScopeKind, Semantic,
};
use crate::analysis::summary::{
    prepend, Affinity, Blocking, CallPath, Condition, Constant, Cost, CpuWork, Guard, Step,
    Summary, Suspension, EXPONENTIAL,
};

/// How many function bodies one file may walk in all (recursion that keeps a large group of
/// functions unsettled re-walks them): past it, calls are unknown.
const MAX_ANALYSES: usize = 20_000;

/// How deep summaries nest while being computed (a stack bound, not a precision one: every
/// finished summary is memoised, so long chains of helpers are followed in full).
const MAX_NESTING: usize = 64;

/// Arithmetic operations per step that make a loop counting to a number CPU-bound work: the
/// work grows with a number while the data handed over does not.
const SCALAR_LOOP_WORK: u32 = 1;

/// Arithmetic operations per item that make a loop over a collection CPU-bound work. Handing
/// the collection to another process costs about as much per item as a few operations
/// (pickling, the pipe, unpickling), so only heavy per-item work counts.
const COLLECTION_LOOP_WORK: u32 = 8;

/// Where a range `for` loop counts as bounded: `range(1000)` is a fixed cost, not a growing
/// one; `range(10_000_000)` is real work whatever the input.
const SMALL_RANGE: u64 = 10_000;

// ---- name resolution ---------------------------------------------------------------------

/// What names mean where an expression is evaluated.
pub trait Resolve<'a> {
    /// What `name` is bound to (`None`: nothing, so a builtin).
    fn binding(&self, name: &'a ast::ExprName) -> Option<BindingKind<'a>>;
    /// What `self.attr` holds, inside a method.
    fn self_attribute(&self, attribute: &'a ast::ExprAttribute) -> Option<BindingKind<'a>>;
}

/// During the walk: names mean what the walk's current scopes say.
impl<'a> Resolve<'a> for Semantic<'a> {
    fn binding(&self, name: &'a ast::ExprName) -> Option<BindingKind<'a>> {
        self.lookup(name.id.as_str(), name.range.start())
            .map(|binding| binding.kind)
    }

    fn self_attribute(&self, attribute: &'a ast::ExprAttribute) -> Option<BindingKind<'a>> {
        Semantic::self_attribute(self, attribute).map(|binding| binding.kind)
    }
}

fn qualified<'a>(expr: &'a Expr, resolve: &impl Resolve<'a>) -> Option<QualifiedName<'a>> {
    qualified_name_with(expr, &|name| resolve.binding(name))
}

/// The client object `value` evaluates to: a `requests.Session()`, `aiohttp.ClientSession()`,
/// socket (network); an `sqlite3`/DB-API connection and its `cursor()`, an awaited
/// `asyncpg.connect()` (database); a `pathlib.Path`, derived paths (`p / "x"`, `p.parent`,
/// `p.with_suffix(..)`) and open files (files); a lock or queue (waits). Names bound to such
/// objects carry [`BindingKind::Client`].
pub fn client_kind<'a>(value: &'a Expr, resolve: &impl Resolve<'a>) -> Option<ClientKind> {
    match value {
        Expr::Name(name) => match resolve.binding(name)? {
            BindingKind::Client(kind) => Some(kind),
            _ => None,
        },
        Expr::Await(await_expr) => client_kind(&await_expr.value, resolve),
        Expr::Call(call) => {
            if let Expr::Attribute(method) = call.func.as_ref() {
                if let Some(kind) = client_kind(&method.value, resolve) {
                    return library::returns_client(kind, method.attr.as_str());
                }
            }
            annotated_client_kind(&call.func, resolve)
        }
        Expr::Attribute(attribute) => {
            if let Some(BindingKind::Client(kind)) = resolve.self_attribute(attribute) {
                return Some(kind);
            }
            let file = ClientKind::sync(IoKind::File);
            (attribute.attr.as_str() == "parent"
                && client_kind(&attribute.value, resolve) == Some(file))
            .then_some(file)
        }
        Expr::BinOp(binop) if binop.op == Operator::Div => {
            let file = ClientKind::sync(IoKind::File);
            (client_kind(&binop.left, resolve) == Some(file)).then_some(file)
        }
        _ => None,
    }
}

/// The client a class expression makes: the constructor called in `aiohttp.ClientSession()`,
/// or the annotation in `session: aiohttp.ClientSession`.
pub fn annotated_client_kind<'a>(
    annotation: &'a Expr,
    resolve: &impl Resolve<'a>,
) -> Option<ClientKind> {
    // Cheap rejection by the last name before resolving it.
    let tail = match annotation {
        Expr::Attribute(attribute) => attribute.attr.as_str(),
        Expr::Name(name) => match resolve.binding(name) {
            None => name.id.as_str(),
            Some(BindingKind::FromImport { member, .. }) => member,
            Some(_) => return None,
        },
        _ => return None,
    };
    if !is_client_constructor_name(tail) {
        return None;
    }
    let name = qualified(annotation, resolve)?;
    Library::builtin().fact(name.segments())?.client
}

/// The last names of every client constructor in the tables (a filter before resolving).
fn is_client_constructor_name(tail: &str) -> bool {
    matches!(
        tail,
        "Session"
            | "session"
            | "Client"
            | "AsyncClient"
            | "PoolManager"
            | "ProxyManager"
            | "HTTPConnectionPool"
            | "HTTPSConnectionPool"
            | "ClientSession"
            | "socket"
            | "socketpair"
            | "create_connection"
            | "HTTPConnection"
            | "HTTPSConnection"
            | "SMTP"
            | "SMTP_SSL"
            | "FTP"
            | "FTP_TLS"
            | "connect"
            | "create_pool"
            | "Connection"
            | "Cursor"
            | "Pool"
            | "Redis"
            | "StrictRedis"
            | "from_url"
            | "open"
            | "Path"
            | "PosixPath"
            | "WindowsPath"
            | "PurePath"
            | "home"
            | "cwd"
            | "Popen"
            | "Lock"
            | "RLock"
            | "Condition"
            | "Semaphore"
            | "BoundedSemaphore"
            | "Event"
            | "Barrier"
            | "Thread"
            | "Queue"
            | "LifoQueue"
            | "PriorityQueue"
            | "SimpleQueue"
            | "JoinableQueue"
            | "Process"
            | "StreamReader"
            | "StreamWriter"
    )
}

// ---- cheap expressions -------------------------------------------------------------------

/// Whether `expr` is one cheap expression: names, constants, attribute and subscript reads,
/// and at most a few operators or comparisons on them, calling nothing but `len`, `str`,
/// `int`, `float`, `abs`, `bool`, `round` and two-argument `min`/`max`. Such a body costs
/// less than handing it to a pool (pickling and a round trip per item), so rules do not
/// propose parallelising it. A large constant power (`x ** 1000`) is not cheap.
pub fn is_cheap_expr<'a>(expr: &'a Expr, resolve: &impl Resolve<'a>) -> bool {
    let mut operators = 0;
    cheap_inner(expr, resolve, &mut operators)
}

fn cheap_inner<'a>(expr: &'a Expr, resolve: &impl Resolve<'a>, operators: &mut u32) -> bool {
    const MAX_OPERATORS: u32 = 4;
    let mut operator = || {
        *operators += 1;
        *operators <= MAX_OPERATORS
    };
    match expr {
        Expr::Name(_)
        | Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::Attribute(attribute) => cheap_inner(&attribute.value, resolve, operators),
        Expr::Subscript(subscript) => {
            operator()
                && cheap_inner(&subscript.value, resolve, operators)
                && cheap_inner(&subscript.slice, resolve, operators)
        }
        Expr::Slice(slice) => [&slice.lower, &slice.upper, &slice.step]
            .into_iter()
            .flatten()
            .all(|part| cheap_inner(part, resolve, operators)),
        Expr::BinOp(binop) => {
            if binop.op == Operator::Pow && !is_small_int(&binop.right) {
                return false;
            }
            operator()
                && cheap_inner(&binop.left, resolve, operators)
                && cheap_inner(&binop.right, resolve, operators)
        }
        Expr::UnaryOp(unary) => cheap_inner(&unary.operand, resolve, operators),
        Expr::Compare(compare) => {
            operator()
                && cheap_inner(&compare.left, resolve, operators)
                && compare
                    .comparators
                    .iter()
                    .all(|comparator| cheap_inner(comparator, resolve, operators))
        }
        Expr::BoolOp(boolop) => {
            operator()
                && boolop
                    .values
                    .iter()
                    .all(|value| cheap_inner(value, resolve, operators))
        }
        Expr::If(if_expr) => {
            operator()
                && cheap_inner(&if_expr.test, resolve, operators)
                && cheap_inner(&if_expr.body, resolve, operators)
                && cheap_inner(&if_expr.orelse, resolve, operators)
        }
        Expr::Tuple(tuple) => {
            tuple.elts.len() <= 4
                && tuple
                    .elts
                    .iter()
                    .all(|elt| cheap_inner(elt, resolve, operators))
        }
        Expr::Call(call) => {
            let arguments = &call.arguments;
            if !arguments.keywords.is_empty()
                || arguments.args.iter().any(Expr::is_starred_expr)
                || arguments.args.len() > 3
            {
                return false;
            }
            let Some(name) = qualified(&call.func, resolve) else {
                return false;
            };
            let cheap = match name.segments() {
                ["builtins", "min" | "max"] => arguments.args.len() >= 2,
                ["builtins", function] => library::is_cheap_builtin(function),
                _ => false,
            };
            cheap
                && operator()
                && arguments
                    .args
                    .iter()
                    .all(|arg| cheap_inner(arg, resolve, operators))
        }
        _ => false,
    }
}

fn is_small_int(expr: &Expr) -> bool {
    matches!(expr, Expr::NumberLiteral(ast::ExprNumberLiteral { value: ast::Number::Int(int), .. })
        if int.as_u8().is_some_and(|n| n <= 16))
}

/// The body of `def`, without a leading docstring.
fn body_without_docstring(def: &StmtFunctionDef) -> &[Stmt] {
    match def.body.first() {
        Some(Stmt::Expr(expr)) if expr.value.is_string_literal_expr() => &def.body[1..],
        _ => &def.body,
    }
}

/// Whether a constant operand makes `op` string or container work rather than arithmetic:
/// concatenation and `%`-formatting are not number crunching.
fn is_non_numeric_literal(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::FString(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::ListComp(_)
    )
}

/// The constant an expression is, as far as a guard can test it.
pub fn constant_of(expr: &Expr) -> Option<Constant> {
    Some(match expr {
        Expr::NoneLiteral(_) => Constant::None,
        Expr::BooleanLiteral(literal) => {
            if literal.value {
                Constant::Truthy
            } else {
                Constant::Falsy
            }
        }
        Expr::NumberLiteral(number) => match &number.value {
            ast::Number::Int(int) if int.as_u8() == Some(0) => Constant::Falsy,
            ast::Number::Float(value) if *value == 0.0 => Constant::Falsy,
            _ => Constant::Truthy,
        },
        Expr::StringLiteral(string) => {
            if string.value.is_empty() {
                Constant::Falsy
            } else {
                Constant::Truthy
            }
        }
        Expr::List(list) if list.elts.is_empty() => Constant::Falsy,
        Expr::Tuple(tuple) if tuple.elts.is_empty() => Constant::Falsy,
        Expr::Dict(dict) if dict.is_empty() => Constant::Falsy,
        _ => return None,
    })
}

/// An argument that is the same small value on every call: a literal (a number below
/// [`SMALL_RANGE`]: `estimate(26_666_667)` is a lot of work), or a literal container of them.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_) => true,
        Expr::NumberLiteral(number) => match &number.value {
            ast::Number::Int(int) => int.as_u64().is_some_and(|n| n < SMALL_RANGE),
            _ => true,
        },
        Expr::UnaryOp(unary) => is_literal(&unary.operand),
        Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::List(ast::ExprList { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().all(is_literal),
        _ => false,
    }
}

/// `requests.get`, `self.session.get`: a callee written as a dotted name, for evidence.
pub fn callee_text(expr: &Expr) -> Box<str> {
    fn write(expr: &Expr, out: &mut String) -> bool {
        match expr {
            Expr::Name(name) => {
                out.push_str(name.id.as_str());
                true
            }
            Expr::Attribute(attribute) => {
                if !write(&attribute.value, out) {
                    out.push_str("...");
                }
                out.push('.');
                out.push_str(attribute.attr.as_str());
                true
            }
            Expr::Call(call) => {
                let ok = write(&call.func, out);
                out.push_str("()");
                ok
            }
            _ => false,
        }
    }
    let mut text = String::new();
    if !write(expr, &mut text) {
        text.push_str("...");
    }
    text.into_boxed_str()
}

// ---- frames --------------------------------------------------------------------------------

/// Where names not bound in a frame are looked up.
#[derive(Clone, Copy)]
pub(crate) enum Outer<'a, 'p> {
    /// A module-level function or a method of a module-level class: the module's names as
    /// function bodies see them (the last binding).
    Module,
    /// Wherever the walk is now (a nested function or lambda asked about from its enclosing
    /// function, or an expression at the walk's position).
    Walk,
    /// The frame of the enclosing function being summarised.
    Frame(&'p Frame<'a, 'p>),
}

/// A function body's names, as the summary sees them.
pub(crate) struct Frame<'a, 'p> {
    /// Every name local to the function (parameters and anything assigned anywhere in it).
    locals: FxHashSet<&'a str>,
    /// What locals are bound to so far, in source order.
    bound: FxHashMap<&'a str, BindingKind<'a>>,
    /// Lambda parameters and comprehension targets in scope at this point.
    shadowed: Vec<&'a str>,
    /// For a method: its class and the name of its `self` parameter.
    class: Option<(&'a StmtClassDef, &'a str)>,
    outer: Outer<'a, 'p>,
}

impl<'a, 'p> Frame<'a, 'p> {
    fn empty(outer: Outer<'a, 'p>, class: Option<(&'a StmtClassDef, &'a str)>) -> Self {
        Self {
            locals: FxHashSet::default(),
            bound: FxHashMap::default(),
            shadowed: Vec::new(),
            class,
            outer,
        }
    }

    /// What `name` is bound to, and where a function it names is defined.
    fn resolve<'s>(
        &'s self,
        semantic: &Semantic<'a>,
        name: &'a ast::ExprName,
    ) -> Option<(BindingKind<'a>, Outer<'a, 's>)> {
        let id = name.id.as_str();
        if self.shadowed.contains(&id) {
            return Some((BindingKind::Value, Outer::Frame(self)));
        }
        if let Some(kind) = self.bound.get(id) {
            return Some((*kind, Outer::Frame(self)));
        }
        if self.locals.contains(id) {
            // Local, but not bound yet in source order: unknown value.
            return Some((BindingKind::Value, Outer::Frame(self)));
        }
        match self.outer {
            Outer::Module => semantic
                .module_binding(id)
                .map(|binding| (binding.kind, Outer::Module)),
            Outer::Walk => semantic.lookup(id, name.range.start()).map(|binding| {
                let outer = if binding.module_level {
                    Outer::Module
                } else {
                    Outer::Walk
                };
                (binding.kind, outer)
            }),
            Outer::Frame(parent) => parent.resolve(semantic, name),
        }
    }

    /// Whether `name` is a module-level name here (not shadowed by any local).
    fn is_module_name(&self, semantic: &Semantic<'a>, name: &'a ast::ExprName) -> bool {
        let id = name.id.as_str();
        if self.shadowed.contains(&id) || self.locals.contains(id) {
            return false;
        }
        match self.outer {
            Outer::Module => semantic.is_module_name(id),
            Outer::Walk => semantic
                .lookup(id, name.range.start())
                .is_some_and(|binding| binding.module_level),
            Outer::Frame(parent) => parent.is_module_name(semantic, name),
        }
    }
}

/// A frame with the semantic model and the memos it falls back on.
struct FrameResolver<'f, 'a, 'p> {
    frame: &'f Frame<'a, 'p>,
    semantic: &'f Semantic<'a>,
    summaries: &'f Summaries<'a>,
}

impl<'a> Resolve<'a> for FrameResolver<'_, 'a, '_> {
    fn binding(&self, name: &'a ast::ExprName) -> Option<BindingKind<'a>> {
        self.frame
            .resolve(self.semantic, name)
            .map(|(kind, _)| kind)
    }

    fn self_attribute(&self, attribute: &'a ast::ExprAttribute) -> Option<BindingKind<'a>> {
        let Expr::Name(base) = attribute.value.as_ref() else {
            return None;
        };
        match self.frame.class {
            Some((class, self_name)) if base.id.as_str() == self_name => self
                .summaries
                .class_attribute(self.semantic, class, attribute.attr.as_str()),
            _ => None,
        }
    }
}

/// Whether `body` assigns `<self_name>.<attr>` (not in nested functions or classes).
pub fn assigns_self_attribute(body: &[Stmt], self_name: &str, attr: &str) -> bool {
    let mut found = false;
    for_each_self_assignment(body, self_name, attr, &mut |_| found = true);
    found
}

/// Calls `f` with the value of each `<self_name>.<attr> = value` in `body` (not in nested
/// functions or classes).
fn for_each_self_assignment<'a>(
    body: &'a [Stmt],
    self_name: &str,
    attr: &str,
    f: &mut dyn FnMut(&'a Expr),
) {
    let is_target = |target: &Expr| {
        matches!(target, Expr::Attribute(attribute)
            if attribute.attr.as_str() == attr
                && matches!(attribute.value.as_ref(), Expr::Name(base) if base.id.as_str() == self_name))
    };
    for stmt in body {
        match stmt {
            Stmt::Assign(assign) if assign.targets.iter().any(is_target) => f(&assign.value),
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) if is_target(target) => f(value),
            Stmt::If(if_stmt) => {
                for_each_self_assignment(&if_stmt.body, self_name, attr, f);
                for clause in &if_stmt.elif_else_clauses {
                    for_each_self_assignment(&clause.body, self_name, attr, f);
                }
            }
            Stmt::With(with) => for_each_self_assignment(&with.body, self_name, attr, f),
            Stmt::Try(try_stmt) => {
                for_each_self_assignment(&try_stmt.body, self_name, attr, f);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    for_each_self_assignment(&handler.body, self_name, attr, f);
                }
                for_each_self_assignment(&try_stmt.orelse, self_name, attr, f);
                for_each_self_assignment(&try_stmt.finalbody, self_name, attr, f);
            }
            _ => {}
        }
    }
}

/// Whether a method of `class` makes `self.<attr>` non-blocking
/// (`self.sock.setblocking(False)`, `self.sock.settimeout(0)`).
fn class_makes_nonblocking(class: &StmtClassDef, attr: &str) -> bool {
    struct Finder<'n> {
        attr: &'n str,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(method) = call.func.as_ref() {
                    if let Expr::Attribute(receiver) = method.value.as_ref() {
                        if receiver.attr.as_str() == self.attr && makes_nonblocking(call) {
                            self.found = true;
                        }
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { attr, found: false };
    finder.visit_body(&class.body);
    finder.found
}

/// Whether `body` makes the object named `receiver` non-blocking (`receiver.setblocking(False)`,
/// `receiver.settimeout(0)`) before `before`.
pub fn made_nonblocking_before(body: &[Stmt], receiver: &str, before: TextSize) -> bool {
    struct Finder<'n> {
        receiver: &'n str,
        before: TextSize,
        found: bool,
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.start() < self.before
                && !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
            {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Call(call) = expr {
                if let Expr::Attribute(method) = call.func.as_ref() {
                    if matches!(method.value.as_ref(), Expr::Name(name) if name.id.as_str() == self.receiver)
                        && makes_nonblocking(call)
                        && call.start() < self.before
                    {
                        self.found = true;
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder {
        receiver,
        before,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}

/// `x.setblocking(False)` / `x.settimeout(0)`: calls on `x` return at once from now on.
fn makes_nonblocking(call: &ExprCall) -> bool {
    let Expr::Attribute(method) = call.func.as_ref() else {
        return false;
    };
    let [argument] = call.arguments.args.as_ref() else {
        return false;
    };
    match method.attr.as_str() {
        "setblocking" => constant_of(argument) == Some(Constant::Falsy),
        "settimeout" => {
            constant_of(argument) == Some(Constant::Falsy)
                && !matches!(argument, Expr::NoneLiteral(_))
        }
        _ => false,
    }
}

/// Whether `handlers` catch the "would block" errors of non-blocking I/O: the calls in the
/// `try` body are attempts that return at once.
pub fn catches_would_block(handlers: &[ast::ExceptHandler]) -> bool {
    fn names_would_block(expr: &Expr) -> bool {
        match expr {
            Expr::Name(name) => matches!(
                name.id.as_str(),
                "BlockingIOError" | "SSLWantReadError" | "SSLWantWriteError"
            ),
            Expr::Attribute(attribute) => matches!(
                attribute.attr.as_str(),
                "SSLWantReadError" | "SSLWantWriteError"
            ),
            Expr::Tuple(tuple) => tuple.elts.iter().any(names_would_block),
            _ => false,
        }
    }
    handlers.iter().any(|handler| {
        let ast::ExceptHandler::ExceptHandler(handler) = handler;
        handler.type_.as_deref().is_some_and(names_would_block)
    })
}

fn is_staticmethod(def: &StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|decorator| {
        matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
    })
}

/// The method `name` defined in `class`'s own body (inherited methods are not followed).
pub fn method_of<'a>(class: &'a StmtClassDef, name: &str) -> Option<&'a StmtFunctionDef> {
    class.body.iter().rev().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.as_str() == name => Some(def),
        _ => None,
    })
}

/// The class and `self` name a method of `class` sees.
fn method_class<'a>(
    class: &'a StmtClassDef,
    def: &'a StmtFunctionDef,
) -> Option<(&'a StmtClassDef, &'a str)> {
    if is_staticmethod(def) {
        return None;
    }
    crate::analysis::semantic::first_parameter_name(def).map(|self_name| (class, self_name))
}

fn is_module_class(semantic: &Semantic, class: &StmtClassDef) -> bool {
    matches!(
        semantic.module_binding(class.name.as_str()).map(|binding| binding.kind),
        Some(BindingKind::Class(module_class)) if std::ptr::eq(module_class, class)
    )
}

fn is_module_function(semantic: &Semantic, def: &StmtFunctionDef) -> bool {
    matches!(
        semantic.module_binding(def.name.as_str()).map(|binding| binding.kind),
        Some(BindingKind::Function(module_def)) if std::ptr::eq(module_def, def)
    )
}

/// During the walk, inside a method: its class and `self` name.
fn walk_method_class<'a>(semantic: &Semantic<'a>) -> Option<(&'a StmtClassDef, &'a str)> {
    let scopes = semantic.scopes();
    let index = scopes
        .iter()
        .rposition(|scope| matches!(scope.kind, ScopeKind::Function(_)))?;
    let ScopeKind::Function(method) = scopes[index].kind else {
        return None;
    };
    let ScopeKind::Class(class) = scopes.get(index.checked_sub(1)?)?.kind else {
        return None;
    };
    method_class(class, method)
}

// ---- the parameters of a summarised function ----------------------------------------------

/// A parameter of the function being summarised.
#[derive(Debug, Clone, Copy)]
struct Parameter<'a> {
    name: &'a str,
    /// Position among the positional parameters; `None` for keyword-only ones.
    position: Option<u16>,
    default: Option<Constant>,
}

fn parameters_of(parameters: &ast::Parameters) -> SmallVec<[Parameter<'_>; 6]> {
    let mut out = SmallVec::new();
    for (position, parameter) in parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .enumerate()
    {
        out.push(Parameter {
            name: parameter.parameter.name.as_str(),
            position: u16::try_from(position).ok(),
            default: parameter.default.as_deref().and_then(constant_of),
        });
    }
    for parameter in &parameters.kwonlyargs {
        out.push(Parameter {
            name: parameter.parameter.name.as_str(),
            position: None,
            default: parameter.default.as_deref().and_then(constant_of),
        });
    }
    out
}

/// The argument a call passes for the parameter at `position` (among the positional ones,
/// counted after `offset` bound ones such as `self`) or named `name`. `None` when it is not
/// passed, or when a `*args`/`**kwargs` may pass it.
fn argument_for<'c>(
    call: &'c ExprCall,
    offset: u16,
    position: Option<u16>,
    name: &str,
) -> Result<Option<&'c Expr>, ()> {
    if let Some(keyword) = call
        .arguments
        .keywords
        .iter()
        .find(|keyword| keyword.arg.as_ref().is_some_and(|arg| arg.as_str() == name))
    {
        return Ok(Some(&keyword.value));
    }
    if let Some(position) = position {
        if let Some(index) = position.checked_sub(offset) {
            let mut args = call.arguments.args.iter();
            for (i, argument) in args.by_ref().enumerate() {
                if argument.is_starred_expr() {
                    return Err(());
                }
                if i == index as usize {
                    return Ok(Some(argument));
                }
            }
        }
    }
    if call
        .arguments
        .keywords
        .iter()
        .any(|keyword| keyword.arg.is_none())
    {
        return Err(());
    }
    Ok(None)
}

// ---- the walk ------------------------------------------------------------------------------

/// A loop around the work being walked.
#[derive(Debug)]
struct LoopFrame<'a> {
    /// The iterable (or the `while` test): what it loops over.
    what: TextRange,
    what_expr: Option<&'a Expr>,
    text: Box<str>,
    grows: bool,
    /// Its trips multiply the enclosing loops' trips. A loop over a part of an enclosing
    /// loop's item (`for k, v in record.items()` inside `for record in records`) walks a
    /// nested structure: all its trips together are the size of the input, not a product.
    multiplies: bool,
    /// The names its target binds.
    targets: SmallVec<[&'a str; 2]>,
    /// Its trip count is a number (`range(n)`, a `while` over a counter) rather than the
    /// size of a collection: the work grows while the data passed in does not.
    scalar: bool,
    /// The parameter whose value or size sets the trip count.
    driver: Option<u16>,
    /// Arithmetic and `math` calls in its body (not in nested loops).
    numeric: u32,
    /// Comparisons in its body.
    compares: u32,
    /// Calls of the module's own functions in its body.
    calls: u32,
}

/// A recursive call seen in the body.
#[derive(Debug, Clone)]
struct RecursiveSite {
    /// The `if` arms it is in (the `if`'s start and the arm's index).
    branches: SmallVec<[(TextSize, u8); 4]>,
    in_loop: bool,
    arithmetic: bool,
}

struct Walker<'w, 'a, 'p> {
    summaries: &'w Summaries<'a>,
    semantic: &'w Semantic<'a>,
    frame: Frame<'a, 'p>,
    out: Summary,
    /// The function summarised (`None` for an expression at the walk's position).
    def: Option<&'a StmtFunctionDef>,
    parameters: SmallVec<[Parameter<'a>; 6]>,
    loops: Vec<LoopFrame<'a>>,
    guards: Vec<Guard>,
    branches: SmallVec<[(TextSize, u8); 4]>,
    recursion: SmallVec<[RecursiveSite; 2]>,
    /// The expression directly awaited (`await <expr>`).
    awaiting: Option<TextRange>,
    /// Inside `try` bodies that catch `BlockingIOError`.
    would_block_handled: u32,
    /// Locals made non-blocking (`sock.setblocking(False)`).
    nonblocking: SmallVec<[&'a str; 1]>,
    /// Locals known to hold numbers (counters, accumulators, `range` targets).
    numeric: SmallVec<[&'a str; 4]>,
    /// Locals holding the size of a collection (`n = len(items)`).
    sizes: SmallVec<[&'a str; 2]>,
    /// Locals bound to a literal container with items (`kinds = ("a", "b")`): fixed size.
    literals: SmallVec<[&'a str; 2]>,
    /// `name == "literal"` facts of the `if` bodies around the node.
    known_strings: SmallVec<[(&'a str, &'a str); 1]>,
    /// Locals bound to an in-memory buffer (`io.BytesIO()`): files opened on them do no I/O.
    memory_buffers: SmallVec<[&'a str; 1]>,
    /// Locals bound to an object made around an open file (`writer = csv.writer(handle)`).
    file_wrappers: SmallVec<[&'a str; 1]>,
    /// Locals that are a parameter's object or one of its parts (`for row in rows`,
    /// `first = rows[0]`): writing into them changes the argument.
    aliases: SmallVec<[(&'a str, Parameter<'a>); 2]>,
    /// Inside a subscript's index.
    index_depth: u32,
    declared_global: SmallVec<[&'a str; 2]>,
    self_reads: SmallVec<[&'a str; 4]>,
    /// The lowest index into the in-progress stack reached through recursion.
    cycle: usize,
    /// Record the outer names the statements change in place ([`Mutation::outer_names`]):
    /// only for statements summarised where the walk is (a loop's body).
    record_outer_names: bool,
}

impl<'w, 'a, 'p> Walker<'w, 'a, 'p> {
    fn new(summaries: &'w Summaries<'a>, semantic: &'w Semantic<'a>, frame: Frame<'a, 'p>) -> Self {
        Self {
            summaries,
            semantic,
            frame,
            out: Summary::default(),
            def: None,
            parameters: SmallVec::new(),
            loops: Vec::new(),
            guards: Vec::new(),
            branches: SmallVec::new(),
            recursion: SmallVec::new(),
            awaiting: None,
            would_block_handled: 0,
            nonblocking: SmallVec::new(),
            numeric: SmallVec::new(),
            sizes: SmallVec::new(),
            literals: SmallVec::new(),
            aliases: SmallVec::new(),
            known_strings: SmallVec::new(),
            memory_buffers: SmallVec::new(),
            file_wrappers: SmallVec::new(),
            index_depth: 0,
            declared_global: SmallVec::new(),
            self_reads: SmallVec::new(),
            record_outer_names: false,
            cycle: usize::MAX,
        }
    }

    fn resolver(&self) -> FrameResolver<'_, 'a, 'p> {
        FrameResolver {
            frame: &self.frame,
            semantic: self.semantic,
            summaries: self.summaries,
        }
    }

    fn library(&self) -> &'a Library {
        self.summaries.library
    }

    fn parameter(&self, name: &str) -> Option<Parameter<'a>> {
        self.parameters.iter().find(|p| p.name == name).copied()
    }

    fn alias(&self, name: &str) -> Option<Parameter<'a>> {
        self.aliases
            .iter()
            .rev()
            .find(|(alias, _)| *alias == name)
            .map(|(_, parameter)| *parameter)
    }

    /// The parameter whose object (or part of it) `expr` evaluates to: `rows`, `rows[0]`,
    /// `rows.items()`, `enumerate(rows)`, an alias of one of those.
    fn root_parameter(&self, expr: &Expr) -> Option<Parameter<'a>> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if Some(id) == self.self_name() {
                    return None;
                }
                self.parameter(id).or_else(|| self.alias(id))
            }
            Expr::Attribute(attribute) => self.root_parameter(&attribute.value),
            Expr::Subscript(subscript) => self.root_parameter(&subscript.value),
            Expr::Call(call) => match call.func.as_ref() {
                Expr::Attribute(method)
                    if matches!(
                        method.attr.as_str(),
                        "items" | "values" | "get" | "setdefault"
                    ) =>
                {
                    self.root_parameter(&method.value)
                }
                Expr::Name(function)
                    if matches!(
                        function.id.as_str(),
                        "enumerate" | "zip" | "reversed" | "iter" | "sorted"
                    ) =>
                {
                    call.arguments
                        .args
                        .iter()
                        .find_map(|argument| self.root_parameter(argument))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Records that the names `target` binds are parts of `value`'s parameter, if it has one.
    fn alias_target(&mut self, target: &'a Expr, value: &Expr) {
        let root = self.root_parameter(value);
        let mut names = SmallVec::<[&'a str; 2]>::new();
        target_names(target, &mut names);
        for name in names {
            self.aliases.retain(|(alias, _)| *alias != name);
            if let Some(parameter) = root {
                self.aliases.push((name, parameter));
            }
        }
    }

    /// `io.BytesIO()`, `io.StringIO(...)`, or a local bound to one.
    fn is_memory_buffer(&self, expr: &'a Expr) -> bool {
        match expr {
            Expr::Call(call) => qualified(&call.func, &self.resolver())
                .is_some_and(|name| matches!(name.segments(), ["io", "BytesIO" | "StringIO"])),
            Expr::Name(name) => self.memory_buffers.contains(&name.id.as_str()),
            _ => false,
        }
    }

    fn self_name(&self) -> Option<&'a str> {
        self.frame.class.map(|(_, self_name)| self_name)
    }

    fn growing_loops(&self) -> u8 {
        self.loops
            .iter()
            .filter(|frame| frame.grows && frame.multiplies)
            .count() as u8
    }

    fn guard(&self) -> Option<Guard> {
        self.guards.last().cloned()
    }

    // ---- recording effects -------------------------------------------------------------

    fn block(&mut self, kind: IoKind, step: Step, lazy: bool) {
        if self.would_block_handled > 0 {
            return;
        }
        let mut path = CallPath::new();
        path.push(step);
        let guard = self.guard();
        self.out.add_blocking(Blocking {
            kind,
            path,
            guard,
            lazy,
        });
    }

    fn affine(&mut self, step: Step) {
        let mut path = CallPath::new();
        path.push(step);
        let guard = self.guard();
        self.out.add_affinity(Affinity { path, guard });
    }

    fn suspend(&mut self, suspension: Suspension) {
        self.out.suspension.join(suspension);
    }

    fn unknown(&mut self) {
        self.out.unknown = true;
    }

    /// Arithmetic in the loop around it. Index arithmetic (`a[i + 1]`) is addressing, not
    /// work.
    fn numeric_work(&mut self) {
        if self.index_depth > 0 {
            return;
        }
        if let Some(frame) = self.loops.last_mut() {
            frame.numeric += 1;
        }
    }

    fn heavy(&mut self, work: CpuWork, step: &Step) {
        self.out.cost.join(&Cost {
            degree: self.growing_loops(),
            cpu: Some(work),
            evidence: Some((format!("calls `{}`", step.callee).into_boxed_str(), step.at)),
            drivers: 0,
            driven_elsewhere: true,
        });
    }

    /// Notes that `target` (an expression the body writes into) changes state outside.
    fn mutates(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => {
                let id = name.id.as_str();
                if Some(id) == self.self_name() {
                    return;
                }
                if let Some(parameter) = self.parameter(id).or_else(|| self.alias(id)) {
                    self.mutate_parameter(parameter);
                } else if (self.declared_global.contains(&id)
                    || (!self.frame.locals.contains(id)
                        && self.frame.is_module_name(self.semantic, name)))
                    && !self.out.mutation.globals.iter().any(|g| &**g == id)
                {
                    self.out.mutation.globals.push(id.into());
                } else if self.record_outer_names
                    && !self.out.mutation.outer_names.iter().any(|n| &**n == id)
                {
                    self.out.mutation.outer_names.push(id.into());
                }
            }
            Expr::Attribute(attribute) => {
                if let Expr::Name(base) = attribute.value.as_ref() {
                    if Some(base.id.as_str()) == self.self_name() {
                        let attr = attribute.attr.as_str();
                        if !self
                            .out
                            .mutation
                            .self_attributes
                            .iter()
                            .any(|a| &**a == attr)
                        {
                            self.out.mutation.self_attributes.push(attr.into());
                        }
                        return;
                    }
                }
                self.mutates(&attribute.value);
            }
            Expr::Subscript(subscript) => self.mutates(&subscript.value),
            _ => {}
        }
    }

    /// Whether `expr` is an HTTP client (a `requests.Session`, an `httpx.Client`): made to be
    /// shared by concurrent requests.
    fn is_http_client(&self, expr: &'a Expr) -> bool {
        let kind = match expr {
            Expr::Name(name) => match self.frame.resolve(self.semantic, name) {
                Some((BindingKind::Client(kind), _)) => Some(kind),
                _ => None,
            },
            Expr::Attribute(attribute) => match self.semantic.self_attribute(attribute) {
                Some(binding) => match binding.kind {
                    BindingKind::Client(kind) => Some(kind),
                    _ => None,
                },
                None => None,
            },
            _ => None,
        };
        kind.is_some_and(|kind| kind.io == IoKind::Network)
    }

    fn mutate_parameter(&mut self, parameter: Parameter<'a>) {
        match parameter.position {
            Some(position) if position < 32 => self.out.mutation.parameters |= 1 << position,
            Some(_) => {}
            None => {
                if !self
                    .out
                    .mutation
                    .keyword_parameters
                    .iter()
                    .any(|name| &**name == parameter.name)
                {
                    self.out
                        .mutation
                        .keyword_parameters
                        .push(parameter.name.into());
                }
            }
        }
    }

    // ---- composing a callee's summary at a call site --------------------------------------

    /// Adds what calling a function with summary `callee` here does: its effects whose
    /// guards the call's arguments do not turn off, its cost inside the loops around the
    /// call, and its changes to the arguments. `offset` is the number of positional
    /// parameters bound before the arguments (`self` of a bound method).
    fn compose(&mut self, call: &'a ExprCall, callee: &Summary, offset: u16, lazy: bool) {
        let step = Step {
            callee: callee_text(&call.func),
            at: call.start(),
        };
        for blocking in &callee.blocking {
            let Some(guard) = self.reguard(call, offset, blocking.guard.as_ref()) else {
                continue;
            };
            if self.would_block_handled > 0 {
                continue;
            }
            self.out.add_blocking(Blocking {
                kind: blocking.kind,
                path: prepend(step.clone(), &blocking.path),
                guard,
                lazy: blocking.lazy || lazy,
            });
        }
        if let Some(affinity) = &callee.affinity {
            if let Some(guard) = self.reguard(call, offset, affinity.guard.as_ref()) {
                self.out.add_affinity(Affinity {
                    path: prepend(step.clone(), &affinity.path),
                    guard,
                });
            }
        }
        self.out.unknown |= callee.unknown;
        self.compose_cost(call, callee, offset, &step);
        // Arguments changed in place by the callee.
        let mutation = &callee.mutation;
        if mutation.mutates_arguments() {
            for (index, argument) in call.arguments.args.iter().enumerate() {
                let position = index as u32 + u32::from(offset);
                if position < 32 && mutation.parameters & (1 << position) != 0 {
                    self.mutates(argument);
                }
            }
            for keyword in &call.arguments.keywords {
                if let Some(arg) = &keyword.arg {
                    if mutation
                        .keyword_parameters
                        .iter()
                        .any(|name| **name == *arg.as_str())
                    {
                        self.mutates(&keyword.value);
                    }
                }
            }
        }
        // Arguments the callee drives with calls of unknown effect.
        if mutation.driven_parameters != 0 {
            for (index, argument) in call.arguments.args.iter().enumerate() {
                let position = index as u32 + u32::from(offset);
                if position >= 32 || mutation.driven_parameters & (1 << position) == 0 {
                    continue;
                }
                match self.root_parameter(argument) {
                    Some(Parameter {
                        position: Some(own @ 0..32),
                        ..
                    }) => self.out.mutation.driven_parameters |= 1 << own,
                    Some(_) => {}
                    None if self.record_outer_names && !self.is_http_client(argument) => {
                        self.mutates(argument);
                    }
                    None => {}
                }
            }
        }
        for global in &mutation.globals {
            if !self.out.mutation.globals.contains(global) {
                self.out.mutation.globals.push(global.clone());
            }
        }
        // `self.method()` changes this object's attributes too.
        let on_self = matches!(call.func.as_ref(), Expr::Attribute(method)
            if matches!(method.value.as_ref(), Expr::Name(base) if Some(base.id.as_str()) == self.self_name()));
        if on_self {
            for attribute in &mutation.self_attributes {
                if !self.out.mutation.self_attributes.contains(attribute) {
                    self.out.mutation.self_attributes.push(attribute.clone());
                }
            }
            self.out.mutation.self_read_and_written |= mutation.self_read_and_written;
        }
    }

    /// A callee's guard as seen from this call: `None` when the call's constant argument
    /// turns the effect off; `Some(None)` when the effect happens unconditionally; a guard on
    /// this function's own parameter when the argument is that parameter.
    fn reguard(
        &self,
        call: &'a ExprCall,
        offset: u16,
        guard: Option<&Guard>,
    ) -> Option<Option<Guard>> {
        let Some(guard) = guard else {
            return Some(self.guard());
        };
        match argument_for(call, offset, guard.position, &guard.name) {
            Ok(Some(argument)) => {
                if let Some(value) = constant_of(argument) {
                    return guard.condition.holds(value).then(|| self.guard());
                }
                if let Expr::Name(name) = argument {
                    if let Some(parameter) = self.parameter(name.id.as_str()) {
                        return Some(Some(Guard {
                            position: parameter.position,
                            name: parameter.name.into(),
                            condition: guard.condition,
                            default: parameter.default,
                        }));
                    }
                }
                Some(self.guard())
            }
            Ok(None) => match guard.default {
                Some(value) if !guard.condition.holds(value) => None,
                _ => Some(self.guard()),
            },
            Err(()) => Some(self.guard()),
        }
    }

    fn compose_cost(&mut self, call: &'a ExprCall, callee: &Summary, offset: u16, step: &Step) {
        let cost = &callee.cost;
        let around = self.growing_loops();
        // Work that grows only with parameters given constants here is bounded here.
        let bounded_here = cost.cpu.is_some()
            && !cost.driven_elsewhere
            && cost.drivers != 0
            && (0..32u16).all(|position| {
                cost.drivers & (1 << position) == 0
                    || matches!(
                        argument_for(call, offset, Some(position), ""),
                        Ok(Some(argument)) if is_literal(argument)
                    )
            });
        if bounded_here {
            return;
        }
        let degree = if cost.degree == EXPONENTIAL {
            EXPONENTIAL
        } else {
            cost.degree.saturating_add(around)
        };
        let mut cpu = cost.cpu;
        if around > 0 && matches!(cpu, Some(CpuWork::Linear)) {
            cpu = Some(CpuWork::Superlinear);
        }
        // The callee's drivers, mapped onto this function's parameters.
        let mut drivers = 0;
        let mut driven_elsewhere = cost.driven_elsewhere || around > 0;
        for position in 0..32u16 {
            if cost.drivers & (1 << position) == 0 {
                continue;
            }
            match argument_for(call, offset, Some(position), "") {
                Ok(Some(Expr::Name(name))) => match self.parameter(name.id.as_str()) {
                    Some(Parameter {
                        position: Some(own),
                        ..
                    }) if own < 32 => drivers |= 1 << own,
                    _ => driven_elsewhere = true,
                },
                _ => driven_elsewhere = true,
            }
        }
        let evidence = cost.evidence.as_ref().map(|(text, at)| {
            (
                format!("calls `{}`, which {text}", step.callee).into_boxed_str(),
                *at,
            )
        });
        self.out.cost.join(&Cost {
            degree,
            cpu,
            evidence,
            drivers,
            driven_elsewhere,
        });
        if let Some(frame) = self.loops.last_mut() {
            // Calling a function of the module is work of this loop's iteration: in a loop
            // counting to a number, enough to grow with it.
            frame.calls += 1;
            if cost.degree > 0 {
                frame.compares += 1;
            }
        }
    }

    // ---- calls -------------------------------------------------------------------------

    /// What a call contributes (its arguments are visited separately).
    fn call(&mut self, call: &'a ExprCall) {
        let awaited = self.awaiting == Some(call.range());
        let func = call.func.as_ref();
        let step = || Step {
            callee: callee_text(func),
            at: call.start(),
        };
        if let Expr::Attribute(attribute) = func {
            let method = attribute.attr.as_str();
            if makes_nonblocking(call) {
                if let Expr::Name(name) = attribute.value.as_ref() {
                    self.nonblocking.push(name.id.as_str());
                }
                return;
            }
            if let Some(client) = client_kind(&attribute.value, &self.resolver()) {
                self.client_method(call, attribute, client, awaited);
                return;
            }
            if self.wraps_a_file(&attribute.value) {
                // `csv.writer(handle).writerow(row)`, `Pickler(handle).dump(data)`: a
                // method of an object made around an open file reads or writes it.
                let step = Step {
                    callee: callee_text(func),
                    at: call.start(),
                };
                self.block(IoKind::File, step, false);
                return;
            }
            if let Some((def, class)) = self.method_target(attribute) {
                let offset = u16::from(
                    !matches!(
                        self.frame
                            .resolve(
                                self.semantic,
                                match attribute.value.as_ref() {
                                    Expr::Name(base) => base,
                                    _ => return,
                                }
                            )
                            .map(|(kind, _)| kind),
                        Some(BindingKind::Class(_))
                    ) && !is_staticmethod(def),
                );
                let outer = if is_module_class(self.semantic, class) {
                    Outer::Module
                } else {
                    Outer::Walk
                };
                self.call_function(call, def, Some(class), outer, offset, awaited);
                return;
            }
            if library::LOG_METHODS.contains(&method) {
                let receiver = match attribute.value.as_ref() {
                    Expr::Name(name) => Some(name.id.as_str()),
                    Expr::Attribute(inner) => Some(inner.attr.as_str()),
                    _ => None,
                };
                if receiver.is_some_and(library::is_logger_name) {
                    return;
                }
            }
        }
        if let Some(name) = qualified(func, &self.resolver()) {
            self.library_call(call, &name, awaited);
            return;
        }
        match func {
            Expr::Name(name) => match self.frame.resolve(self.semantic, name) {
                Some((BindingKind::Function(def), outer)) => match outer {
                    Outer::Module => self.call_function(call, def, None, Outer::Module, 0, awaited),
                    Outer::Walk => self.call_function(call, def, None, Outer::Walk, 0, awaited),
                    Outer::Frame(_) => self.call_nested(call, def, awaited),
                },
                Some((BindingKind::Lambda(lambda), _)) => {
                    if !is_cheap_expr(&lambda.body, &self.resolver()) {
                        self.unknown();
                    }
                }
                Some((BindingKind::Class(class), _)) => {
                    // A constructor runs `__init__`.
                    if let Some(init) = method_of(class, "__init__") {
                        let outer = if is_module_class(self.semantic, class) {
                            Outer::Module
                        } else {
                            Outer::Walk
                        };
                        self.call_function(call, init, Some(class), outer, 1, false);
                    }
                }
                Some((BindingKind::Object(_) | BindingKind::Instance(_), _)) => {}
                // Calling a parameter or some other value: cannot be seen.
                _ => self.unknown(),
            },
            // A method of an object of unknown type: the common methods of builtin data
            // types (`line.split()`, `results.append(x)`) do not block; any other
            // (`self.client.fetch(u)`) might, so it is unknown.
            Expr::Attribute(attribute) => {
                let method = attribute.attr.as_str();
                if library::is_data_method(method) {
                    if library::MUTATORS.contains(&method) {
                        self.mutates(&attribute.value);
                    }
                } else if method == "call_soon_threadsafe" {
                } else if library::LOOP_AFFINE_METHODS.contains(&method) {
                    self.affine(step());
                    if awaited {
                        self.suspend(Suspension::Unknown);
                    }
                } else {
                    if let Some(Parameter {
                        position: Some(position @ 0..32),
                        ..
                    }) = self.root_parameter(&attribute.value)
                    {
                        self.out.mutation.driven_parameters |= 1 << position;
                    }
                    self.unknown();
                    if awaited {
                        self.suspend(Suspension::Unknown);
                    }
                }
            }
            _ => {
                self.unknown();
                if awaited {
                    self.suspend(Suspension::Unknown);
                }
            }
        }
    }

    fn client_method(
        &mut self,
        call: &'a ExprCall,
        attribute: &'a ast::ExprAttribute,
        client: ClientKind,
        awaited: bool,
    ) {
        let method = attribute.attr.as_str();
        let step = Step {
            callee: callee_text(&call.func),
            at: call.start(),
        };
        if client.asynchronous {
            if library::suspending_method(client.io, method) {
                if awaited {
                    let mut path = CallPath::new();
                    path.push(step);
                    self.suspend(Suspension::Io {
                        kind: client.io,
                        path,
                    });
                }
            } else if awaited && client.io != IoKind::Wait {
                self.suspend(Suspension::Unknown);
            }
            return;
        }
        if library::stat_like_method(client.io, method) {
            return;
        }
        if !library::blocking_method(client.io, method) {
            return;
        }
        if self.receiver_is_nonblocking(&attribute.value) {
            return;
        }
        if client.io == IoKind::Wait && waits_without_blocking(call) {
            return;
        }
        self.block(client.io, step, library::lazy_method(client.io, method));
    }

    fn receiver_is_nonblocking(&self, receiver: &'a Expr) -> bool {
        match receiver {
            Expr::Name(name) => self.nonblocking.contains(&name.id.as_str()),
            Expr::Attribute(attribute) => match (attribute.value.as_ref(), self.frame.class) {
                (Expr::Name(base), Some((class, self_name))) if base.id.as_str() == self_name => {
                    class_makes_nonblocking(class, attribute.attr.as_str())
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn library_call(&mut self, call: &'a ExprCall, name: &QualifiedName<'a>, awaited: bool) {
        let segments = name.segments();
        let step = || Step {
            callee: name.to_string().into_boxed_str(),
            at: call.start(),
        };
        let Some(fact) = self.library().fact(segments) else {
            self.unlisted_library_call(call, segments, awaited);
            return;
        };
        let Fact {
            blocks,
            lazy,
            stat_like,
            heavy_native,
            heavy_python,
            loop_affine,
            suspends,
            awaits_without_io,
            awaits_arguments,
            offloads,
            client: _,
            trivial: _,
            runs_coroutine,
            uses_file_argument,
        } = fact;
        if uses_file_argument {
            let file = ClientKind::sync(IoKind::File);
            let given_a_file = call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .any(|argument| client_kind(argument, &self.resolver()) == Some(file));
            if given_a_file {
                self.block(IoKind::File, step(), false);
            }
        }
        if let Some(kind) = blocks {
            let returns_at_once = match kind {
                IoKind::Wait => waits_without_blocking(call),
                IoKind::Sleep => sleeps_zero(call),
                IoKind::Network => {
                    library::is_resolver(segments)
                        && call.arguments.args.first().is_some_and(|host| {
                            resolves_locally(host, self.known_strings.iter().copied())
                        })
                }
                IoKind::File => call
                    .arguments
                    .args
                    .first()
                    .or_else(|| crate::analysis::semantic::keyword(call, "fileobj"))
                    .is_some_and(|target| self.is_memory_buffer(target)),
                _ => false,
            };
            if !stat_like && !returns_at_once {
                self.block(kind, step(), lazy);
            }
        }
        if heavy_native {
            self.heavy(CpuWork::HeavyNative, &step());
        }
        if heavy_python {
            self.heavy(CpuWork::Configured, &step());
        }
        if loop_affine {
            self.affine(step());
        }
        if let Some(kind) = suspends {
            if awaited {
                let mut path = CallPath::new();
                path.push(step());
                self.suspend(Suspension::Io { kind, path });
            }
        }
        if awaited && awaits_without_io {
            // `await asyncio.sleep(...)` yields to the loop; it neither blocks nor waits on
            // I/O.
        }
        if awaits_arguments && awaited {
            for argument in call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            {
                let argument = match argument {
                    Expr::Starred(starred) => &starred.value,
                    other => other,
                };
                let suspension = self.awaitable_suspension(argument);
                self.suspend(suspension);
            }
        }
        if offloads && awaited {
            let kind = call
                .arguments
                .args
                .first()
                .and_then(|callable| {
                    self.summaries
                        .callable_in_frame(self, callable)
                        .and_then(|summary| summary.dominant_blocking().map(|b| b.kind))
                })
                .unwrap_or(IoKind::Other);
            let mut path = CallPath::new();
            path.push(step());
            self.suspend(Suspension::Io { kind, path });
        }
        if runs_coroutine {
            if let Some(Suspension::Io { kind, path }) = call
                .arguments
                .args
                .first()
                .map(|argument| self.awaitable_suspension(argument))
            {
                let mut blocking_path = CallPath::new();
                blocking_path.push(step());
                blocking_path.extend(path);
                self.out.add_blocking(Blocking {
                    kind,
                    path: blocking_path,
                    guard: self.guard(),
                    lazy: false,
                });
            }
        }
        if segments.first() == Some(&"math")
            && !matches!(
                segments.last(),
                Some(&("isnan" | "isinf" | "isfinite" | "isclose"))
            )
        {
            // Predicates check values; the rest is numeric work.
            self.numeric_work();
        }
    }

    /// A library call the tables do not list: calls into modules known not to block are
    /// harmless; a builtin that calls its function argument runs that function's body;
    /// anything else is unknown.
    fn unlisted_library_call(&mut self, call: &'a ExprCall, segments: &[&'a str], awaited: bool) {
        if library::calls_its_function_argument(segments) {
            let callable = match segments {
                ["builtins", "sorted" | "min" | "max"] => {
                    crate::analysis::semantic::keyword(call, "key")
                }
                _ => call.arguments.args.first(),
            };
            if let Some(callable) = callable {
                if let Some(summary) = self.summaries.callable_in_frame(self, callable) {
                    // Run once per item.
                    self.loops.push(LoopFrame {
                        what: call.range(),
                        what_expr: None,
                        text: callee_text(&call.func),
                        grows: true,
                        multiplies: true,
                        targets: SmallVec::new(),
                        scalar: false,
                        driver: None,
                        numeric: 0,
                        compares: 0,
                        calls: 0,
                    });
                    self.compose(call, &summary, 0, false);
                    self.loops.pop();
                }
            }
            return;
        }
        if segments.first() == Some(&"math") {
            self.numeric_work();
            return;
        }
        let known_module = match segments {
            [first, second, ..] => {
                library::is_non_blocking_module(first)
                    || library::is_non_blocking_module(&format!("{first}.{second}"))
            }
            [first] => library::is_non_blocking_module(first),
            [] => false,
        };
        if !known_module {
            self.unknown();
        }
        if awaited {
            self.suspend(Suspension::Unknown);
        }
    }

    /// Whether awaiting `expr` waits on I/O: a call of a coroutine function of this module,
    /// of an async library, or a method of an async client.
    fn awaitable_suspension(&self, expr: &'a Expr) -> Suspension {
        let Expr::Call(call) = expr else {
            return Suspension::Unknown;
        };
        let mut probe = Walker::new(
            self.summaries,
            self.semantic,
            Frame {
                locals: FxHashSet::default(),
                bound: FxHashMap::default(),
                shadowed: Vec::new(),
                class: self.frame.class,
                outer: Outer::Frame(&self.frame),
            },
        );
        probe.awaiting = Some(call.range());
        probe.call(call);
        probe.out.suspension
    }

    /// A call of `def`: its summary composed here. Calling a coroutine function only makes a
    /// coroutine; awaiting it runs the body (which suspends as its summary says); calling a
    /// generator function runs the body as the generator is iterated.
    fn call_function(
        &mut self,
        call: &'a ExprCall,
        def: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
        outer: Outer<'a, '_>,
        offset: u16,
        awaited: bool,
    ) {
        let recursive = self.summaries.in_progress_index(def);
        if let Some(index) = recursive {
            self.recursive_call(call, index);
        }
        let (summary, cycle) = self.summaries.summarise(self.semantic, def, class, outer);
        self.cycle = self.cycle.min(cycle);
        self.apply(call, &summary, offset, awaited, recursive.is_some());
    }

    fn call_nested(&mut self, call: &'a ExprCall, def: &'a StmtFunctionDef, awaited: bool) {
        let recursive = self.summaries.in_progress_index(def);
        if let Some(index) = recursive {
            self.recursive_call(call, index);
        }
        let (summary, cycle) =
            self.summaries
                .summarise(self.semantic, def, None, Outer::Frame(&self.frame));
        self.cycle = self.cycle.min(cycle);
        self.apply(call, &summary, 0, awaited, recursive.is_some());
    }

    /// Composes a called function's summary. A recursive call's cost is the recursion's,
    /// added once the body is walked ([`Walker::close_recursion`]), not its summary's.
    fn apply(
        &mut self,
        call: &'a ExprCall,
        summary: &Summary,
        offset: u16,
        awaited: bool,
        recursive: bool,
    ) {
        if recursive {
            // A back edge: see `Summaries::summarise`.
            return;
        }
        if summary.coroutine {
            if awaited {
                let step = Step {
                    callee: callee_text(&call.func),
                    at: call.start(),
                };
                let suspension = match &summary.suspension {
                    Suspension::Io { kind, path } => Suspension::Io {
                        kind: *kind,
                        path: prepend(step, path),
                    },
                    other => other.clone(),
                };
                self.suspend(suspension);
                // The awaited body runs in this coroutine: its blocking calls block here.
                self.compose(call, summary, offset, false);
            }
            return;
        }
        self.compose(call, summary, offset, summary.generator);
    }

    fn recursive_call(&mut self, call: &'a ExprCall, index: usize) {
        self.cycle = self.cycle.min(index);
        let arithmetic = call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .any(|argument| match argument {
                // `n - 1`: a smaller number.
                Expr::BinOp(binop) => {
                    !is_non_numeric_literal(&binop.left) && !is_non_numeric_literal(&binop.right)
                }
                // `row[1:]`: a shorter sequence.
                Expr::Subscript(subscript) => subscript.slice.is_slice_expr(),
                _ => false,
            });
        self.recursion.push(RecursiveSite {
            branches: self.branches.clone(),
            in_loop: !self.loops.is_empty(),
            arithmetic,
        });
    }

    /// The method a call like `self.m()`, `obj.m()` or `Class.m()` runs, when its class is
    /// defined in this file.
    fn method_target(
        &self,
        attribute: &'a ast::ExprAttribute,
    ) -> Option<(&'a StmtFunctionDef, &'a StmtClassDef)> {
        let Expr::Name(base) = attribute.value.as_ref() else {
            return None;
        };
        let method = attribute.attr.as_str();
        if let Some((class, self_name)) = self.frame.class {
            if base.id.as_str() == self_name
                && self
                    .frame
                    .resolve(self.semantic, base)
                    .is_some_and(|(kind, _)| matches!(kind, BindingKind::Parameter))
            {
                return method_of(class, method).map(|def| (def, class));
            }
        }
        match self.frame.resolve(self.semantic, base)?.0 {
            BindingKind::Object(class)
            | BindingKind::Instance(class)
            | BindingKind::Class(class) => method_of(class, method).map(|def| (def, class)),
            _ => None,
        }
    }

    // ---- bindings ----------------------------------------------------------------------

    fn classify_value(&self, value: &'a Expr) -> BindingKind<'a> {
        match value {
            Expr::Lambda(lambda) => BindingKind::Lambda(lambda),
            Expr::Call(call) => {
                if let Expr::Name(name) = call.func.as_ref() {
                    if let Some((BindingKind::Class(class), _)) =
                        self.frame.resolve(self.semantic, name)
                    {
                        return BindingKind::Object(class);
                    }
                }
                client_kind(value, &self.resolver()).map_or(BindingKind::Value, BindingKind::Client)
            }
            _ => {
                client_kind(value, &self.resolver()).map_or(BindingKind::Value, BindingKind::Client)
            }
        }
    }

    fn is_numeric_value(&self, value: &'a Expr) -> bool {
        match value {
            Expr::NumberLiteral(_) => true,
            Expr::Name(name) => self.numeric.contains(&name.id.as_str()),
            Expr::UnaryOp(unary) => self.is_numeric_value(&unary.operand),
            Expr::BinOp(binop) => {
                self.is_numeric_value(&binop.left) || self.is_numeric_value(&binop.right)
            }
            Expr::Call(call) => matches!(call.func.as_ref(), Expr::Name(name)
                if matches!(name.id.as_str(), "int" | "float" | "len" | "abs" | "round" | "sum" | "ord")
                    && self.frame.resolve(self.semantic, name).is_none()),
            _ => false,
        }
    }

    /// Names bound in a loop's body from its item (`block = cast(dict, raw)`) are parts of
    /// that item too: a loop over them walks the item, it does not multiply the trips.
    fn derive_parts(&mut self, value: &'a Expr, targets: &'a [Expr]) {
        let Some(frame) = self.loops.last() else {
            return;
        };
        if !frame.grows {
            return;
        }
        let names = crate::analysis::names::expr_names(value).free();
        if !names.iter().any(|name| frame.targets.contains(name)) {
            return;
        }
        let mut bound = SmallVec::<[&'a str; 2]>::new();
        for target in targets {
            target_names(target, &mut bound);
        }
        if let Some(frame) = self.loops.last_mut() {
            frame.targets.extend(bound);
        }
    }

    /// Whether `receiver` is an object made around an open file (`csv.reader(handle)`,
    /// `Pickler(handle)`), or a local bound to one.
    fn wraps_a_file(&self, receiver: &'a Expr) -> bool {
        let file = ClientKind::sync(IoKind::File);
        match receiver {
            Expr::Call(call) => call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
                .any(|argument| client_kind(argument, &self.resolver()) == Some(file)),
            Expr::Name(name) => self.file_wrappers.contains(&name.id.as_str()),
            _ => false,
        }
    }

    /// Iterating an open file reads it, line by line.
    fn iterates(&mut self, iter: &'a Expr) {
        let file = ClientKind::sync(IoKind::File);
        if client_kind(iter, &self.resolver()) == Some(file) || self.wraps_a_file(iter) {
            let step = Step {
                callee: format!("iterating {}", callee_text(iter)).into_boxed_str(),
                at: iter.range().start(),
            };
            self.block(IoKind::File, step, false);
        }
    }

    /// Whether a loop test compares numbers (or tests a number).
    fn tests_a_number(&self, test: &'a Expr) -> bool {
        match test {
            Expr::Compare(compare) => std::iter::once(&*compare.left)
                .chain(compare.comparators.iter())
                .any(|operand| self.is_numeric_value(operand)),
            Expr::BoolOp(boolop) => boolop.values.iter().any(|value| self.tests_a_number(value)),
            Expr::Name(_) => self.is_numeric_value(test),
            _ => false,
        }
    }

    fn bind_target(&mut self, target: &'a Expr, kind: BindingKind<'a>, numeric: bool) {
        match target {
            Expr::Name(name) => {
                let id = name.id.as_str();
                self.frame.bound.insert(id, kind);
                if numeric {
                    if !self.numeric.contains(&id) {
                        self.numeric.push(id);
                    }
                } else {
                    self.numeric.retain(|n| *n != id);
                }
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, BindingKind::Value, false);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value, BindingKind::Value, false),
            Expr::Attribute(_) | Expr::Subscript(_) => self.mutates(target),
            _ => {}
        }
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            let kind = parameter
                .annotation()
                .and_then(|annotation| {
                    let name = qualified(annotation, &self.resolver())?;
                    Library::builtin().fact(name.segments())?.client
                })
                .map_or(BindingKind::Parameter, BindingKind::Client);
            self.frame.locals.insert(parameter.name().as_str());
            self.frame.bound.insert(parameter.name().as_str(), kind);
        }
    }

    /// Names bound by comprehension targets and lambda parameters.
    fn shadow_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => self.frame.shadowed.push(name.id.as_str()),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.shadow_target(elt);
                }
            }
            Expr::Starred(starred) => self.shadow_target(&starred.value),
            _ => {}
        }
    }

    // ---- loops -------------------------------------------------------------------------

    /// The loop frame for iterating `iter`: bounded for literals and small constant ranges,
    /// growing otherwise (with the parameter that drives it, when one does).
    fn loop_over(&self, iter: &'a Expr, target: &'a Expr) -> LoopFrame<'a> {
        let (grows, scalar, driver) = self.trip(iter);
        let multiplies = scalar || {
            let mut roots = SmallVec::<[&'a str; 2]>::new();
            iteration_roots(iter, &mut roots);
            !self.loops.iter().any(|outer| {
                outer.grows && outer.targets.iter().any(|target| roots.contains(target))
            })
        };
        let mut targets = SmallVec::new();
        target_names(target, &mut targets);
        LoopFrame {
            what: iter.range(),
            what_expr: Some(iter),
            text: callee_text_or_source(iter),
            grows,
            multiplies,
            targets,
            scalar,
            driver,
            numeric: 0,
            compares: 0,
            calls: 0,
        }
    }

    /// Whether `expr` is the size of a collection (`len(xs)`, `a.shape[0]`, `n` bound from
    /// `len(xs)`, `n - 1`): a range over it walks the collection.
    fn is_size(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => {
                matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "len")
            }
            Expr::Attribute(attribute) => matches!(attribute.attr.as_str(), "size" | "shape"),
            Expr::Subscript(subscript) => self.is_size(&subscript.value),
            Expr::Name(name) => self.sizes.contains(&name.id.as_str()),
            Expr::BinOp(binop) => self.is_size(&binop.left) || self.is_size(&binop.right),
            _ => false,
        }
    }

    /// `(grows, scalar, driver)` for a loop over `iter`.
    fn trip(&self, iter: &'a Expr) -> (bool, bool, Option<u16>) {
        match iter {
            Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Set(_)
            | Expr::Dict(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_) => (false, false, None),
            Expr::Call(call) => {
                let Some(name) = qualified(&call.func, &self.resolver()) else {
                    return self.trip_of_method(call);
                };
                match name.segments() {
                    ["builtins", "range"] => {
                        let bounds: Vec<&Expr> = call.arguments.args.iter().collect();
                        if bounds.iter().all(|bound| is_small_constant(bound)) {
                            return (false, false, None);
                        }
                        let driver = bounds.iter().find_map(|bound| self.driver_of(bound));
                        // `range(len(xs))` walks a collection; `range(n)` counts to a number.
                        let scalar = !bounds.iter().any(|bound| self.is_size(bound));
                        (true, scalar, driver)
                    }
                    ["builtins", "enumerate" | "reversed" | "sorted" | "zip" | "list" | "tuple" | "set"
                    | "iter"]
                    | ["itertools", "islice" | "chain" | "product" | "combinations" | "permutations"] => {
                        match call.arguments.args.first() {
                            Some(inner) => {
                                let (grows, scalar, driver) = self.trip(inner);
                                let product = matches!(
                                    name.segments(),
                                    ["itertools", "product" | "combinations" | "permutations"]
                                );
                                (grows || product, scalar, driver)
                            }
                            None => (false, false, None),
                        }
                    }
                    _ => (true, false, None),
                }
            }
            Expr::Name(name) if self.literals.contains(&name.id.as_str()) => (false, false, None),
            Expr::BinOp(binop) => {
                let (left, ..) = self.trip(&binop.left);
                let (right, ..) = self.trip(&binop.right);
                if left || right {
                    (true, false, None)
                } else {
                    (false, false, None)
                }
            }
            Expr::Name(name) => {
                let driver = self
                    .parameter(name.id.as_str())
                    .and_then(|parameter| parameter.position);
                match self.frame.resolve(self.semantic, name) {
                    // A module constant or a local literal: fixed.
                    Some((BindingKind::Value, Outer::Module)) if driver.is_none() => {
                        (!self.is_literal_module_constant(name), false, None)
                    }
                    _ => (true, false, driver),
                }
            }
            Expr::Attribute(attribute) => {
                let driver = match attribute.value.as_ref() {
                    Expr::Name(base) => self.parameter(base.id.as_str()).and_then(|p| p.position),
                    _ => None,
                };
                (true, false, driver)
            }
            _ => (true, false, None),
        }
    }

    fn trip_of_method(&self, call: &'a ExprCall) -> (bool, bool, Option<u16>) {
        match call.func.as_ref() {
            Expr::Attribute(attribute)
                if matches!(attribute.attr.as_str(), "items" | "keys" | "values") =>
            {
                self.trip(&attribute.value)
            }
            _ => (true, false, None),
        }
    }

    fn is_literal_module_constant(&self, name: &ast::ExprName) -> bool {
        self.semantic
            .module_binding_value(name.id.as_str())
            .is_some_and(|value| {
                matches!(
                    value,
                    Expr::List(_)
                        | Expr::Tuple(_)
                        | Expr::Set(_)
                        | Expr::Dict(_)
                        | Expr::StringLiteral(_)
                )
            })
    }

    /// The parameter a loop bound (`n`, `len(items)`, `n - 1`) comes from.
    fn driver_of(&self, bound: &Expr) -> Option<u16> {
        match bound {
            Expr::Name(name) => self.parameter(name.id.as_str())?.position,
            Expr::BinOp(binop) => self
                .driver_of(&binop.left)
                .or_else(|| self.driver_of(&binop.right)),
            Expr::Call(call) => call
                .arguments
                .args
                .first()
                .and_then(|arg| self.driver_of(arg)),
            Expr::Attribute(attribute) => self.driver_of(&attribute.value),
            _ => None,
        }
    }

    fn in_loop<F: FnOnce(&mut Self)>(&mut self, frame: LoopFrame<'a>, f: F) {
        self.loops.push(frame);
        f(self);
        let frame = self.loops.pop().expect("pushed above");
        self.close_loop(frame);
    }

    /// What a finished loop adds to the cost: it grows with its trip count when it does work
    /// on each step.
    fn close_loop(&mut self, frame: LoopFrame<'a>) {
        if !frame.grows {
            // A bounded loop's work counts as its enclosing loop's, once per trip.
            let trips = constant_trips(frame.what_expr).unwrap_or(1);
            if let Some(outer) = self.loops.last_mut() {
                outer.numeric = outer
                    .numeric
                    .saturating_add(frame.numeric.saturating_mul(trips));
                outer.compares = outer
                    .compares
                    .saturating_add(frame.compares.saturating_mul(trips));
            }
            return;
        }
        let enclosing = self.growing_loops();
        let nested = enclosing > 0 && frame.multiplies;
        let degree = enclosing + u8::from(frame.multiplies || enclosing == 0);
        let cpu = if nested && frame.numeric + frame.compares > 0 {
            Some(CpuWork::Superlinear)
        } else if (frame.scalar && frame.numeric + frame.calls >= SCALAR_LOOP_WORK)
            || frame.numeric >= COLLECTION_LOOP_WORK
        {
            Some(CpuWork::Linear)
        } else {
            None
        };
        let mut drivers = 0;
        let mut driven_elsewhere = false;
        if cpu.is_some() {
            for outer in self
                .loops
                .iter()
                .filter(|outer| outer.grows)
                .chain([&frame])
            {
                match outer.driver {
                    Some(position) if position < 32 => drivers |= 1 << position,
                    _ => driven_elsewhere = true,
                }
            }
        }
        let evidence = cpu.map(|work| {
            let text = if work == CpuWork::Superlinear {
                let outer: Vec<String> = self
                    .loops
                    .iter()
                    .filter(|outer| outer.grows && outer.multiplies)
                    .map(|outer| format!("`{}`", outer.text))
                    .collect();
                format!(
                    "loops over `{}` inside loops over {}",
                    frame.text,
                    outer.join(" and ")
                )
            } else {
                format!("loops over `{}`", frame.text)
            };
            (text.into_boxed_str(), frame.what.start())
        });
        self.out.cost.join(&Cost {
            degree,
            cpu,
            evidence,
            drivers,
            driven_elsewhere,
        });
    }

    fn comprehension(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        let mark = self.frame.shadowed.len();
        let Some(first) = generators.first() else {
            return;
        };
        self.visit_expr(&first.iter);
        self.comprehension_from(generators, 0, elements);
        self.frame.shadowed.truncate(mark);
    }

    fn comprehension_from(
        &mut self,
        generators: &'a [ast::Comprehension],
        index: usize,
        elements: &[&'a Expr],
    ) {
        let Some(generator) = generators.get(index) else {
            for element in elements {
                self.visit_expr(element);
            }
            return;
        };
        if index > 0 {
            self.visit_expr(&generator.iter);
        }
        self.iterates(&generator.iter);
        let frame = self.loop_over(&generator.iter, &generator.target);
        let numeric_target = is_range_call(&generator.iter);
        self.in_loop(frame, |this| {
            this.shadow_target(&generator.target);
            if let (true, Expr::Name(name)) = (numeric_target, &generator.target) {
                this.numeric.push(name.id.as_str());
            }
            for condition in &generator.ifs {
                this.visit_expr(condition);
            }
            this.comprehension_from(generators, index + 1, elements);
        });
    }

    // ---- guards ------------------------------------------------------------------------

    /// A guard for the body of `if test:` when `test` tests a parameter.
    fn guard_of(&self, test: &Expr, negated: bool) -> Option<Guard> {
        let (name, condition) = match test {
            Expr::Name(name) => (
                name,
                if negated {
                    Condition::Falsy
                } else {
                    Condition::Truthy
                },
            ),
            Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => {
                return self.guard_of(&unary.operand, !negated);
            }
            Expr::Compare(compare)
                if compare.ops.len() == 1
                    && matches!(compare.comparators[0], Expr::NoneLiteral(_)) =>
            {
                let Expr::Name(name) = compare.left.as_ref() else {
                    return None;
                };
                let is = match compare.ops[0] {
                    CmpOp::Is => !negated,
                    CmpOp::IsNot => negated,
                    _ => return None,
                };
                (
                    name,
                    if is {
                        Condition::IsNone
                    } else {
                        Condition::IsNotNone
                    },
                )
            }
            _ => return None,
        };
        let parameter = self.parameter(name.id.as_str())?;
        Some(Guard {
            position: parameter.position,
            name: parameter.name.into(),
            condition,
            default: parameter.default,
        })
    }

    fn guarded<F: FnOnce(&mut Self)>(&mut self, guard: Option<Guard>, arm: (TextSize, u8), f: F) {
        let pushed = guard.is_some();
        if let Some(guard) = guard {
            self.guards.push(guard);
        }
        self.branches.push(arm);
        f(self);
        self.branches.pop();
        if pushed {
            self.guards.pop();
        }
    }

    /// Adds the cost of the recursion seen in the body, once it is walked.
    fn close_recursion(&mut self) {
        if self.recursion.is_empty() {
            return;
        }
        let arithmetic = self.recursion.iter().any(|site| site.arithmetic);
        let both_run = self.recursion.iter().enumerate().any(|(i, a)| {
            self.recursion[i + 1..].iter().any(|b| {
                a.branches.iter().all(|(at, arm)| {
                    b.branches
                        .iter()
                        .all(|(other_at, other_arm)| other_at != at || other_arm == arm)
                })
            })
        });
        let backtracking = self
            .recursion
            .iter()
            .any(|site| site.in_loop && site.arithmetic);
        let memoised = self.def.is_some_and(|def| {
            def.decorator_list.iter().any(|decorator| {
                let callee = match &decorator.expression {
                    Expr::Call(call) => call.func.as_ref(),
                    other => other,
                };
                matches!(
                    crate::analysis::semantic::last_identifier(callee),
                    Some("cache" | "lru_cache" | "cached" | "memoize" | "memoized")
                )
            })
        });
        let (degree, cpu) = if arithmetic && (both_run || backtracking) && memoised {
            // A memoised recursion is a table filled once: polynomial, still real work.
            (2, Some(CpuWork::Superlinear))
        } else if arithmetic && (both_run || backtracking) {
            (EXPONENTIAL, Some(CpuWork::Exponential))
        } else if arithmetic {
            // One recursive call on a smaller number: a loop over that number.
            (1, Some(CpuWork::Linear))
        } else {
            // One recursive call per frame, or a traversal of a structure's parts: the cost
            // grows with the input, and is CPU work only as the loops in it say.
            (1, None)
        };
        let driver = self.def.and_then(|def| {
            parameters_of(&def.parameters)
                .first()
                .and_then(|p| p.position)
        });
        self.out.cost.join(&Cost {
            degree,
            cpu,
            evidence: cpu.map(|_| {
                (
                    "recurses more than once per call".into(),
                    self.def
                        .map_or(TextSize::default(), |def| def.name.range.start()),
                )
            }),
            drivers: driver.map_or(0, |position| 1 << position.min(31)),
            driven_elsewhere: driver.is_none(),
        });
    }
}

/// Whether `call` is a wait that returns at once (`get(block=False)`, `acquire(False)`,
/// `get_nowait`-style arguments, `timeout=0`).
/// `time.sleep(0)`: yields the thread's time slice, waits on nothing.
fn sleeps_zero(call: &ExprCall) -> bool {
    matches!(call.arguments.args.first(), Some(argument) if constant_of(argument) == Some(Constant::Falsy))
}

/// Whether a host name resolves without asking the network: `"localhost"`, or an address
/// literal (`"127.0.0.1"`, `"::1"`); a name the enclosing code compared equal to one counts.
pub fn resolves_locally<'a>(
    host: &Expr,
    mut known: impl Iterator<Item = (&'a str, &'a str)>,
) -> bool {
    let local = |text: &str| {
        text == "localhost"
            || text.parse::<std::net::IpAddr>().is_ok()
            || text.ends_with(".localhost")
    };
    match host {
        Expr::StringLiteral(literal) => local(literal.value.to_str()),
        Expr::Name(name) => {
            known.any(|(known_name, value)| known_name == name.id.as_str() && local(value))
        }
        _ => false,
    }
}

/// The `name == "literal"` facts an `if` test establishes for its body.
pub fn string_equalities(test: &Expr) -> SmallVec<[(&str, &str); 1]> {
    let mut found = SmallVec::new();
    match test {
        Expr::Compare(compare) if compare.ops.len() == 1 && matches!(compare.ops[0], CmpOp::Eq) => {
            match (compare.left.as_ref(), &compare.comparators[0]) {
                (Expr::Name(name), Expr::StringLiteral(literal))
                | (Expr::StringLiteral(literal), Expr::Name(name)) => {
                    found.push((name.id.as_str(), literal.value.to_str()));
                }
                _ => {}
            }
        }
        Expr::BoolOp(boolop) if boolop.op == ast::BoolOp::And => {
            for value in &boolop.values {
                found.extend(string_equalities(value));
            }
        }
        _ => {}
    }
    found
}

fn waits_without_blocking(call: &ExprCall) -> bool {
    let falsy = |expr: &Expr| constant_of(expr) == Some(Constant::Falsy);
    crate::analysis::semantic::keyword(call, "block").is_some_and(falsy)
        || crate::analysis::semantic::keyword(call, "blocking").is_some_and(falsy)
        || crate::analysis::semantic::keyword(call, "timeout").is_some_and(falsy)
        || matches!(call.func.as_ref(), Expr::Attribute(method)
            if matches!(method.attr.as_str(), "acquire" | "get")
                && call.arguments.args.first().is_some_and(falsy))
}

/// Whether a `while` loop's body changes a name its test reads by arithmetic (`n -= 1`,
/// `lo = mid + 1`): it counts.
fn counts_in_body(test: &Expr, body: &[Stmt]) -> bool {
    let names = crate::analysis::names::expr_names(test).free();
    body.iter().any(|stmt| match stmt {
        Stmt::AugAssign(assign) => {
            matches!(assign.target.as_ref(), Expr::Name(name) if names.contains(&name.id.as_str()))
                && !is_non_numeric_literal(&assign.value)
        }
        Stmt::Assign(assign) => matches!(assign.value.as_ref(), Expr::BinOp(_))
            && assign.targets.iter().any(
                |target| matches!(target, Expr::Name(name) if names.contains(&name.id.as_str())),
            ),
        _ => false,
    })
}

/// The names a loop target binds.
fn target_names<'a>(target: &'a Expr, names: &mut SmallVec<[&'a str; 2]>) {
    match target {
        Expr::Name(name) => names.push(name.id.as_str()),
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            for elt in elts {
                target_names(elt, names);
            }
        }
        Expr::Starred(starred) => target_names(&starred.value, names),
        _ => {}
    }
}

/// The names whose objects a loop over `iter` walks: `record` for `record.items()`,
/// `enumerate(node.children)` and `record["tags"]`; not the index of a subscript
/// (`points[i + 1:]` walks `points`, not `i`).
fn iteration_roots<'a>(iter: &'a Expr, roots: &mut SmallVec<[&'a str; 2]>) {
    match iter {
        Expr::Name(name) => roots.push(name.id.as_str()),
        Expr::Attribute(attribute) => iteration_roots(&attribute.value, roots),
        Expr::Subscript(subscript) => iteration_roots(&subscript.value, roots),
        Expr::Call(call) => match call.func.as_ref() {
            Expr::Attribute(method) => iteration_roots(&method.value, roots),
            _ => {
                for argument in &call.arguments.args {
                    iteration_roots(argument, roots);
                }
            }
        },
        _ => {}
    }
}

/// A list, tuple, set or dict display with items (an empty one is usually filled later).
fn is_literal_container(expr: &Expr) -> bool {
    match expr {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => !elts.is_empty(),
        Expr::Dict(dict) => !dict.is_empty(),
        _ => false,
    }
}

/// How many times a bounded loop over `iter` runs, when it is plain: `range(16)`, `range(2, 9)`,
/// a literal tuple.
fn constant_trips(iter: Option<&Expr>) -> Option<u32> {
    let value = |expr: &Expr| match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(int),
            ..
        }) => int.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    match iter? {
        Expr::Call(call) if is_range_call(iter?) => match call.arguments.args.as_ref() {
            [stop] => value(stop),
            [start, stop, ..] => value(stop)?.checked_sub(value(start)?),
            [] => None,
        },
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => u32::try_from(elts.len()).ok(),
        _ => None,
    }
}

/// `range(...)`: its items are integers.
fn is_range_call(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call)
        if matches!(call.func.as_ref(), Expr::Name(name) if name.id.as_str() == "range"))
}

fn is_small_constant(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(int),
            ..
        }) => int.as_u64().is_some_and(|n| n < SMALL_RANGE),
        Expr::UnaryOp(unary) => is_small_constant(&unary.operand),
        _ => false,
    }
}

/// An expression as a short text for evidence (`range(len(items) + 1)`, `quotient > 0`):
/// the common forms rendered, anything longer elided.
fn callee_text_or_source(expr: &Expr) -> Box<str> {
    let mut text = String::new();
    render(expr, &mut text, 0);
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        text = format!("{short}...");
    }
    text.into_boxed_str()
}

fn render(expr: &Expr, out: &mut String, depth: u8) {
    if depth > 6 {
        out.push_str("...");
        return;
    }
    let depth = depth + 1;
    match expr {
        Expr::Name(name) => out.push_str(name.id.as_str()),
        Expr::Attribute(attribute) => {
            render(&attribute.value, out, depth);
            out.push('.');
            out.push_str(attribute.attr.as_str());
        }
        Expr::Call(call) => {
            render(&call.func, out, depth);
            out.push('(');
            for (index, argument) in call.arguments.args.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                render(argument, out, depth);
            }
            if !call.arguments.keywords.is_empty() {
                out.push_str(if call.arguments.args.is_empty() {
                    "..."
                } else {
                    ", ..."
                });
            }
            out.push(')');
        }
        Expr::NumberLiteral(number) => match &number.value {
            ast::Number::Int(int) => out.push_str(&int.to_string()),
            ast::Number::Float(value) => out.push_str(&value.to_string()),
            ast::Number::Complex { .. } => out.push_str("..."),
        },
        Expr::BooleanLiteral(literal) => out.push_str(if literal.value { "True" } else { "False" }),
        Expr::NoneLiteral(_) => out.push_str("None"),
        Expr::StringLiteral(_) => out.push_str("'...'"),
        Expr::BinOp(binop) => {
            render(&binop.left, out, depth);
            out.push(' ');
            out.push_str(binop.op.as_str());
            out.push(' ');
            render(&binop.right, out, depth);
        }
        Expr::UnaryOp(unary) => {
            out.push_str(match unary.op {
                ast::UnaryOp::Not => "not ",
                ast::UnaryOp::USub => "-",
                ast::UnaryOp::UAdd => "+",
                ast::UnaryOp::Invert => "~",
            });
            render(&unary.operand, out, depth);
        }
        Expr::Compare(compare) => {
            render(&compare.left, out, depth);
            for (op, comparator) in compare.ops.iter().zip(compare.comparators.iter()) {
                out.push(' ');
                out.push_str(op.as_str());
                out.push(' ');
                render(comparator, out, depth);
            }
        }
        Expr::BoolOp(boolop) => {
            let op = match boolop.op {
                ast::BoolOp::And => " and ",
                ast::BoolOp::Or => " or ",
            };
            for (index, value) in boolop.values.iter().enumerate() {
                if index > 0 {
                    out.push_str(op);
                }
                render(value, out, depth);
            }
        }
        Expr::Subscript(subscript) => {
            render(&subscript.value, out, depth);
            out.push('[');
            render(&subscript.slice, out, depth);
            out.push(']');
        }
        _ => out.push_str("..."),
    }
}

impl<'a> Visitor<'a> for Walker<'_, 'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                // Decorators and defaults run now; the body only when called.
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in def.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
                self.frame
                    .bound
                    .insert(def.name.as_str(), BindingKind::Function(def));
            }
            Stmt::ClassDef(class) => {
                self.frame
                    .bound
                    .insert(class.name.as_str(), BindingKind::Class(class));
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let (name, kind) = import_binding(alias);
                    self.frame.bound.insert(name, kind);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if let Some((name, kind)) = import_from_binding(import, alias) {
                        self.frame.bound.insert(name, kind);
                    }
                }
            }
            Stmt::Global(global) => {
                self.declared_global
                    .extend(global.names.iter().map(ast::Identifier::as_str));
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let kind = self.classify_value(&assign.value);
                let numeric = self.is_numeric_value(&assign.value);
                let size = self.is_size(&assign.value);
                self.derive_parts(&assign.value, &assign.targets);
                for target in &assign.targets {
                    self.alias_target(target, &assign.value);
                    self.visit_target(target);
                    self.bind_target(target, kind, numeric);
                    if let Expr::Name(name) = target {
                        let id = name.id.as_str();
                        self.sizes.retain(|n| *n != id);
                        self.literals.retain(|n| *n != id);
                        self.memory_buffers.retain(|n| *n != id);
                        self.file_wrappers.retain(|n| *n != id);
                        if self.is_memory_buffer(&assign.value) {
                            self.memory_buffers.push(id);
                        } else if matches!(&*assign.value, Expr::Call(_))
                            && self.wraps_a_file(&assign.value)
                        {
                            self.file_wrappers.push(id);
                        }
                        if size {
                            self.sizes.push(id);
                        } else if is_literal_container(&assign.value) {
                            self.literals.push(id);
                        }
                    }
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    let kind = self.classify_value(value);
                    let numeric = self.is_numeric_value(value);
                    self.visit_target(&assign.target);
                    self.bind_target(&assign.target, kind, numeric);
                }
            }
            Stmt::AugAssign(assign) => {
                let numeric = !is_non_numeric_literal(&assign.value)
                    && (self.is_numeric_value(&assign.value)
                        || self.is_numeric_value(&assign.target)
                        || matches!(
                            assign.op,
                            Operator::Mult
                                | Operator::Mod
                                | Operator::FloorDiv
                                | Operator::Pow
                                | Operator::RShift
                                | Operator::LShift
                                | Operator::BitXor
                                | Operator::BitAnd
                        ));
                if numeric {
                    self.numeric_work();
                }
                self.visit_expr(&assign.value);
                self.visit_target(&assign.target);
                match assign.target.as_ref() {
                    Expr::Name(name) => {
                        let id = name.id.as_str();
                        if self.declared_global.contains(&id)
                            && !self.out.mutation.globals.iter().any(|g| &**g == id)
                        {
                            self.out.mutation.globals.push(id.into());
                        }
                    }
                    target => self.mutates(target),
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.visit_target(target);
                    if matches!(target, Expr::Subscript(_) | Expr::Attribute(_)) {
                        self.mutates(target);
                    }
                }
            }
            Stmt::With(with) => {
                for item in &with.items {
                    if with.is_async {
                        self.awaiting = Some(item.context_expr.range());
                        if !matches!(item.context_expr, Expr::Call(_)) {
                            self.suspend(Suspension::Unknown);
                        }
                    }
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        let kind = self.classify_value(&item.context_expr);
                        self.bind_target(vars, kind, false);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::For(for_stmt) => {
                if for_stmt.is_async {
                    let suspension = match &*for_stmt.iter {
                        Expr::Call(_) => self.awaitable_suspension(&for_stmt.iter),
                        _ => Suspension::Unknown,
                    };
                    self.suspend(match suspension {
                        Suspension::Never => Suspension::Unknown,
                        other => other,
                    });
                }
                self.visit_expr(&for_stmt.iter);
                self.iterates(&for_stmt.iter);
                let frame = self.loop_over(&for_stmt.iter, &for_stmt.target);
                let numeric_target = is_range_call(&for_stmt.iter);
                self.alias_target(&for_stmt.target, &for_stmt.iter);
                self.in_loop(frame, |this| {
                    this.bind_target(&for_stmt.target, BindingKind::Value, numeric_target);
                    this.visit_body(&for_stmt.body);
                });
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                let frame = LoopFrame {
                    what: while_stmt.test.range(),
                    what_expr: None,
                    text: callee_text_or_source(&while_stmt.test),
                    grows: true,
                    multiplies: true,
                    targets: SmallVec::new(),
                    // `while n > 1`, `while abs(x - y) > eps`: counting; `while queue:` or
                    // `while True:` is not.
                    scalar: self.tests_a_number(&while_stmt.test)
                        || counts_in_body(&while_stmt.test, &while_stmt.body),
                    driver: self.driver_of(&while_stmt.test),
                    numeric: 0,
                    compares: 0,
                    calls: 0,
                };
                self.in_loop(frame, |this| {
                    this.visit_expr(&while_stmt.test);
                    this.visit_body(&while_stmt.body);
                });
                self.visit_body(&while_stmt.orelse);
            }
            Stmt::If(if_stmt) => {
                self.visit_expr(&if_stmt.test);
                let at = if_stmt.range.start();
                let guard = self.guard_of(&if_stmt.test, false);
                let known = self.known_strings.len();
                self.known_strings.extend(string_equalities(&if_stmt.test));
                self.guarded(guard, (at, 0), |this| this.visit_body(&if_stmt.body));
                self.known_strings.truncate(known);
                let else_guard = self.guard_of(&if_stmt.test, true);
                for (index, clause) in if_stmt.elif_else_clauses.iter().enumerate() {
                    if let Some(test) = &clause.test {
                        self.visit_expr(test);
                    }
                    let guard = if index == 0 && clause.test.is_none() {
                        else_guard.clone()
                    } else {
                        None
                    };
                    let arm = (at, u8::try_from(index + 1).unwrap_or(u8::MAX));
                    self.guarded(guard, arm, |this| this.visit_body(&clause.body));
                }
            }
            Stmt::Try(try_stmt) => {
                let handled = catches_would_block(&try_stmt.handlers);
                self.would_block_handled += u32::from(handled);
                self.visit_body(&try_stmt.body);
                self.would_block_handled -= u32::from(handled);
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.visit_expr(type_);
                    }
                    self.visit_body(&handler.body);
                }
                self.visit_body(&try_stmt.orelse);
                self.visit_body(&try_stmt.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Await(await_expr) => {
                let previous = self.awaiting.replace(await_expr.value.range());
                if !matches!(*await_expr.value, Expr::Call(_)) {
                    // A task, future or stored coroutine: what it waits on is not seen here.
                    self.suspend(Suspension::Unknown);
                }
                self.visit_expr(&await_expr.value);
                self.awaiting = previous;
            }
            Expr::Call(call) => {
                self.call(call);
                let previous = self.awaiting.take();
                self.visit_expr(&call.func);
                self.visit_arguments(&call.arguments);
                self.awaiting = previous;
            }
            Expr::BinOp(binop) => {
                let numeric = !is_non_numeric_literal(&binop.left)
                    && !is_non_numeric_literal(&binop.right)
                    && (matches!(
                        binop.op,
                        Operator::Mod
                            | Operator::FloorDiv
                            | Operator::RShift
                            | Operator::LShift
                            | Operator::BitXor
                            | Operator::BitAnd
                    ) || self.is_numeric_value(&binop.left)
                        || self.is_numeric_value(&binop.right));
                if numeric {
                    self.numeric_work();
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Compare(_) => {
                if let Some(frame) = self.loops.last_mut() {
                    frame.compares += 1;
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Subscript(subscript) => {
                self.visit_expr(&subscript.value);
                self.index_depth += 1;
                self.visit_expr(&subscript.slice);
                self.index_depth -= 1;
            }
            Expr::Attribute(attribute) => {
                if let Expr::Name(base) = attribute.value.as_ref() {
                    if Some(base.id.as_str()) == self.self_name() {
                        let attr = attribute.attr.as_str();
                        if !self.self_reads.contains(&attr) {
                            self.self_reads.push(attr);
                        }
                    }
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(lambda) => {
                // The body runs when the lambda is called, if ever: only the defaults now.
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
            }
            Expr::ListComp(ast::ExprListComp {
                elt, generators, ..
            })
            | Expr::SetComp(ast::ExprSetComp {
                elt, generators, ..
            })
            | Expr::Generator(ast::ExprGenerator {
                elt, generators, ..
            }) => {
                self.comprehension(generators, &[elt]);
            }
            Expr::DictComp(comp) => {
                let mut elements: Vec<&'a Expr> = Vec::with_capacity(2);
                if let Some(key) = comp.key.as_deref() {
                    elements.push(key);
                }
                elements.push(&comp.value);
                self.comprehension(&comp.generators, &elements);
            }
            Expr::YieldFrom(yield_from) => {
                self.visit_expr(&yield_from.value);
                self.iterates(&yield_from.value);
            }
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                let kind = self.classify_value(&named.value);
                let numeric = self.is_numeric_value(&named.value);
                self.bind_target(&named.target, kind, numeric);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> Walker<'_, 'a, '_> {
    /// Visits an assignment target: the values it reads (`a[i]` reads `i`), not as a read
    /// of the object written.
    fn visit_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Subscript(subscript) => {
                self.visit_target_base(&subscript.value);
                self.visit_expr(&subscript.slice);
            }
            Expr::Attribute(attribute) => self.visit_target_base(&attribute.value),
            Expr::Tuple(tuple) => {
                for elt in &tuple.elts {
                    self.visit_target(elt);
                }
            }
            Expr::List(list) => {
                for elt in &list.elts {
                    self.visit_target(elt);
                }
            }
            Expr::Starred(starred) => self.visit_target(&starred.value),
            _ => {}
        }
    }

    fn visit_target_base(&mut self, base: &'a Expr) {
        match base {
            // `self.cache[k] = v`: writes `self.cache`, reads nothing of `self`.
            Expr::Attribute(attribute) if matches!(attribute.value.as_ref(), Expr::Name(_)) => {}
            Expr::Name(_) => {}
            other => self.visit_expr(other),
        }
    }
}

// ---- the memo ------------------------------------------------------------------------------

struct InProgress {
    key: TextSize,
    /// What a call back into it sees while it is being summarised: nothing but whether it
    /// is a coroutine function (a back edge adds no effect, see [`Summaries::summarise`]).
    placeholder: Rc<Summary>,
}

/// The summaries of one file's functions, computed on demand and memoised.
pub struct Summaries<'a> {
    library: &'a Library,
    memo: RefCell<FxHashMap<TextSize, Rc<Summary>>>,
    stack: RefCell<Vec<InProgress>>,
    analyses: Cell<usize>,
    /// What `self.<attr>` holds in a class (keyed by the class's start and the attribute).
    self_attributes: RefCell<FxHashMap<(TextSize, &'a str), Option<ClientKind>>>,
}

impl std::fmt::Debug for Summaries<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Summaries")
            .field("memoised", &self.memo.borrow().len())
            .field("analyses", &self.analyses.get())
            .finish()
    }
}

impl<'a> Summaries<'a> {
    pub fn new(library: &'a Library) -> Self {
        Self {
            library,
            memo: RefCell::default(),
            stack: RefCell::default(),
            analyses: Cell::new(0),
            self_attributes: RefCell::default(),
        }
    }

    /// How many function bodies have been walked (each once, unless recursion re-walks it).
    pub fn analyses(&self) -> usize {
        self.analyses.get()
    }

    fn in_progress_index(&self, def: &StmtFunctionDef) -> Option<usize> {
        let key = def.range.start();
        self.stack
            .borrow()
            .iter()
            .position(|entry| entry.key == key)
    }

    /// What `self.<attr>` holds in `class`: the client kind every `self.<attr> = ...` in its
    /// methods agrees on (a `self.session = requests.Session()` in `__init__`).
    fn class_attribute(
        &self,
        semantic: &Semantic<'a>,
        class: &'a StmtClassDef,
        attr: &'a str,
    ) -> Option<BindingKind<'a>> {
        let key = (class.range.start(), attr);
        if let Some(memo) = self.self_attributes.borrow().get(&key) {
            return memo.map(BindingKind::Client);
        }
        // A placeholder first: `self.a = self.b` and `self.b = self.a` must not recurse.
        self.self_attributes.borrow_mut().insert(key, None);
        let kind = self.class_attribute_kind(semantic, class, attr);
        self.self_attributes.borrow_mut().insert(key, kind);
        kind.map(BindingKind::Client)
    }

    fn class_attribute_kind(
        &self,
        semantic: &Semantic<'a>,
        class: &'a StmtClassDef,
        attr: &str,
    ) -> Option<ClientKind> {
        let mut found: Option<ClientKind> = None;
        for stmt in &class.body {
            let Stmt::FunctionDef(method) = stmt else {
                continue;
            };
            let Some(self_name) = crate::analysis::semantic::first_parameter_name(method) else {
                continue;
            };
            let frame = Frame::empty(Outer::Module, None);
            let resolver = FrameResolver {
                frame: &frame,
                semantic,
                summaries: self,
            };
            let mut conflict = false;
            for_each_self_assignment(
                &method.body,
                self_name,
                attr,
                &mut |value| match client_kind(value, &resolver) {
                    Some(kind) if found.is_none_or(|seen| seen == kind) => found = Some(kind),
                    _ => conflict = true,
                },
            );
            if conflict {
                return None;
            }
        }
        found
    }

    /// The summary of `def` (a module-level function, a method of `class`, or a nested
    /// function whose free names resolve through `outer`), and the lowest index into the
    /// in-progress stack it depended on (`usize::MAX`: none, so it is final).
    ///
    /// Recursion: a call back into a function still being summarised (a back edge of the
    /// depth-first walk) adds no effect — every effect of the cycle is met where it happens,
    /// on a path without the back edge — so the first walk of a cycle's entry already gives
    /// the least fixed point. Only the entry's summary is memoised: the other members of the
    /// cycle were summarised without the entry's effects, and are summarised again when asked
    /// about from outside. Recursion adds cost ([`Walker::close_recursion`]).
    fn summarise(
        &self,
        semantic: &Semantic<'a>,
        def: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
        outer: Outer<'a, '_>,
    ) -> (Rc<Summary>, usize) {
        let key = def.range.start();
        if let Some(summary) = self.memo.borrow().get(&key) {
            return (summary.clone(), usize::MAX);
        }
        if let Some(index) = self.in_progress_index(def) {
            return (self.stack.borrow()[index].placeholder.clone(), index);
        }
        if self.stack.borrow().len() >= MAX_NESTING || self.analyses.get() >= MAX_ANALYSES {
            let summary = Summary {
                unknown: true,
                coroutine: def.is_async,
                suspension: Suspension::Unknown,
                ..Summary::default()
            };
            return (Rc::new(summary), usize::MAX);
        }
        let index = {
            let mut stack = self.stack.borrow_mut();
            stack.push(InProgress {
                key,
                placeholder: Rc::new(Summary {
                    coroutine: def.is_async,
                    ..Summary::default()
                }),
            });
            stack.len() - 1
        };
        let class = class.and_then(|class| method_class(class, def));
        let (mut summary, cycle) = self.walk_function(semantic, def, class, outer);
        summary.recursive = cycle <= index;
        self.stack.borrow_mut().pop();
        let summary = Rc::new(summary);
        if cycle >= index {
            self.memo.borrow_mut().insert(key, summary.clone());
            (summary, usize::MAX)
        } else {
            (summary, cycle)
        }
    }

    fn walk_function(
        &self,
        semantic: &Semantic<'a>,
        def: &'a StmtFunctionDef,
        class: Option<(&'a StmtClassDef, &'a str)>,
        outer: Outer<'a, '_>,
    ) -> (Summary, usize) {
        self.analyses.set(self.analyses.get() + 1);
        let mut frame = Frame::empty(outer, class);
        frame.locals = function_locals(def);
        let mut walker = Walker::new(self, semantic, frame);
        walker.def = Some(def);
        walker.parameters = parameters_of(&def.parameters);
        walker.bind_parameters(&def.parameters);
        let body = body_without_docstring(def);
        let trivial = !def.is_async
            && matches!(body, [Stmt::Return(ast::StmtReturn { value: Some(value), .. })]
                if is_cheap_expr(value, &walker.resolver()));
        walker.visit_body(body);
        walker.close_recursion();
        let mut summary = walker.out;
        summary.trivial = trivial && summary.blocking.is_empty() && summary.cost.degree == 0;
        summary.coroutine = def.is_async;
        summary.generator = crate::analysis::names::is_generator(def);
        if !def.is_async {
            summary.suspension = Suspension::Never;
        }
        summary.mutation.self_read_and_written = summary
            .mutation
            .self_attributes
            .iter()
            .any(|written| walker.self_reads.contains(&&**written));
        (summary, walker.cycle)
    }

    /// What calling the callable `callable` does, resolved within a walker's frame.
    fn callable_in_frame(
        &self,
        walker: &Walker<'_, 'a, '_>,
        callable: &'a Expr,
    ) -> Option<Rc<Summary>> {
        match callable {
            Expr::Name(name) => match walker.frame.resolve(walker.semantic, name)?.0 {
                BindingKind::Function(def) => {
                    let outer = if is_module_function(walker.semantic, def) {
                        Outer::Module
                    } else {
                        Outer::Walk
                    };
                    Some(self.summarise(walker.semantic, def, None, outer).0)
                }
                _ => None,
            },
            Expr::Attribute(attribute) => {
                let (def, class) = walker.method_target(attribute)?;
                Some(
                    self.summarise(walker.semantic, def, Some(class), Outer::Module)
                        .0,
                )
            }
            _ => None,
        }
    }

    // ---- questions asked where the checker's walk is -----------------------------------

    /// What running `body` (a loop's body, say) where the walk is now does: its blocking,
    /// suspension, cost and unknown calls, as if it were the body of a function.
    pub fn of_statements(&self, semantic: &Semantic<'a>, body: &'a [Stmt]) -> Summary {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let mut walker = Walker::new(self, semantic, frame);
        walker.record_outer_names = true;
        walker.visit_body(body);
        walker.out
    }

    /// What the call `call` does where the walk is now, its arguments not included: the
    /// callee's summary composed with this call's arguments (guards, constants).
    pub fn of_call(&self, semantic: &Semantic<'a>, call: &'a ExprCall, awaited: bool) -> Summary {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let mut walker = Walker::new(self, semantic, frame);
        if awaited {
            walker.awaiting = Some(call.range());
        }
        walker.call(call);
        walker.out
    }

    /// What the call does where the walk is now, its callee and its arguments evaluated.
    pub fn of_call_with_arguments(&self, semantic: &Semantic<'a>, call: &'a ExprCall) -> Summary {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let mut walker = Walker::new(self, semantic, frame);
        walker.call(call);
        walker.visit_expr(&call.func);
        walker.visit_arguments(&call.arguments);
        walker.out
    }

    /// The summary of calling `def`, a function of this file (a method of `class` when
    /// given), however deep it is nested.
    pub fn of_function(
        &self,
        semantic: &Semantic<'a>,
        def: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
    ) -> Summary {
        let outer = match class {
            Some(class) if is_module_class(semantic, class) => Outer::Module,
            None if is_module_function(semantic, def) => Outer::Module,
            _ => Outer::Walk,
        };
        (*self.summarise(semantic, def, class, outer).0).clone()
    }

    /// The summary of the function a call runs, when it is one of this file's (a module
    /// function, a method, a nested function): its facts about itself (coroutine,
    /// generator, mutation) that [`Summaries::of_call`] does not carry.
    pub fn callee(&self, semantic: &Semantic<'a>, func: &'a Expr) -> Option<Rc<Summary>> {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let walker = Walker::new(self, semantic, frame);
        self.callable_in_frame(&walker, func)
    }

    /// What a callable handed to a pool does when called, resolved where the walk is now: a
    /// name bound to a `def` (module-level or nested) or a lambda, `self.method` /
    /// `obj.method` / `Class.method` of a class in this file, `functools.partial(f, ...)`, a
    /// client's method (`session.get`), or a library function. `None` when it cannot be seen.
    pub fn of_callable(&self, semantic: &Semantic<'a>, callable: &'a Expr) -> Option<Summary> {
        match callable {
            Expr::Lambda(lambda) => Some(self.of_lambda(semantic, lambda)),
            Expr::Name(name) => {
                let Some(binding) = semantic.lookup(name.id.as_str(), name.range.start()) else {
                    return self.of_library_callable(semantic, callable);
                };
                match binding.kind {
                    BindingKind::Function(def) => {
                        let outer = if is_module_function(semantic, def) {
                            Outer::Module
                        } else {
                            Outer::Walk
                        };
                        Some((*self.summarise(semantic, def, None, outer).0).clone())
                    }
                    BindingKind::Lambda(lambda) => Some(self.of_lambda(semantic, lambda)),
                    BindingKind::Import { .. } | BindingKind::FromImport { .. } => {
                        self.of_library_callable(semantic, callable)
                    }
                    _ => None,
                }
            }
            Expr::Attribute(attribute) => {
                let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
                let walker = Walker::new(self, semantic, frame);
                if let Some(client) = client_kind(&attribute.value, &walker.resolver()) {
                    let method = attribute.attr.as_str();
                    let mut summary = Summary::default();
                    if !client.asynchronous
                        && library::blocking_method(client.io, method)
                        && !library::stat_like_method(client.io, method)
                    {
                        let mut path = CallPath::new();
                        path.push(Step {
                            callee: callee_text(callable),
                            at: callable.range().start(),
                        });
                        summary.add_blocking(Blocking {
                            kind: client.io,
                            path,
                            guard: None,
                            lazy: library::lazy_method(client.io, method),
                        });
                        return Some(summary);
                    }
                    return None;
                }
                if let Some((def, class)) = walker.method_target(attribute) {
                    let outer = if is_module_class(semantic, class) {
                        Outer::Module
                    } else {
                        Outer::Walk
                    };
                    return Some((*self.summarise(semantic, def, Some(class), outer).0).clone());
                }
                if let Expr::Name(base) = attribute.value.as_ref() {
                    if semantic
                        .lookup(base.id.as_str(), base.range.start())
                        .is_none()
                        && library::trivial_type_method(base.id.as_str(), attribute.attr.as_str())
                    {
                        return Some(Summary {
                            trivial: true,
                            ..Summary::default()
                        });
                    }
                }
                self.of_library_callable(semantic, callable)
            }
            Expr::Call(call) if semantic.resolves_to(&call.func, "functools.partial") => call
                .arguments
                .args
                .first()
                .and_then(|inner| self.of_callable(semantic, inner)),
            _ => None,
        }
    }

    /// A lambda: trivial when its body is one cheap expression, else what its body does.
    pub fn of_lambda(&self, semantic: &Semantic<'a>, lambda: &'a ast::ExprLambda) -> Summary {
        let mut frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        if let Some(parameters) = &lambda.parameters {
            frame
                .locals
                .extend(parameters.iter().map(|parameter| parameter.name().as_str()));
        }
        let mut walker = Walker::new(self, semantic, frame);
        walker.visit_expr(&lambda.body);
        let trivial = is_cheap_expr(&lambda.body, &walker.resolver());
        let mut summary = walker.out;
        summary.trivial = trivial;
        summary
    }

    /// A library function handed to a pool: I/O, heavy work, or trivial per item.
    fn of_library_callable(&self, semantic: &Semantic<'a>, callable: &'a Expr) -> Option<Summary> {
        let name = semantic.qualified_name(callable)?;
        let fact = self.library.fact(name.segments())?;
        let step = Step {
            callee: name.to_string().into_boxed_str(),
            at: callable.range().start(),
        };
        let mut summary = Summary {
            trivial: fact.trivial,
            ..Summary::default()
        };
        if let Some(kind) = fact.blocks {
            if !fact.stat_like {
                let mut path = CallPath::new();
                path.push(step.clone());
                summary.add_blocking(Blocking {
                    kind,
                    path,
                    guard: None,
                    lazy: fact.lazy,
                });
            }
        }
        let heavy = if fact.heavy_python {
            Some(CpuWork::Configured)
        } else if fact.heavy_native {
            Some(CpuWork::HeavyNative)
        } else {
            None
        };
        if let Some(work) = heavy {
            summary.cost = Cost {
                degree: 0,
                cpu: Some(work),
                evidence: Some((format!("calls `{}`", step.callee).into_boxed_str(), step.at)),
                drivers: 0,
                driven_elsewhere: true,
            };
        }
        if fact.loop_affine {
            let mut path = CallPath::new();
            path.push(step);
            summary.affinity = Some(Affinity { path, guard: None });
        }
        (summary != Summary::default()).then_some(summary)
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::Stmt;
    use ruff_python_parser::parse_module;

    use super::*;

    /// The summary of the module-level function `name` in `source`.
    fn summary_of(source: &str, name: &str) -> Summary {
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let summaries = Summaries::new(Library::builtin());
        let def = body
            .iter()
            .find_map(|stmt| match stmt {
                Stmt::FunctionDef(def) if def.name.as_str() == name => Some(def),
                _ => None,
            })
            .expect("no such function");
        summaries.of_function(&semantic, def, None)
    }

    fn path(summary: &Summary) -> Vec<String> {
        summary
            .dominant_blocking()
            .map(|blocking| {
                blocking
                    .path
                    .iter()
                    .map(|step| step.callee.to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn blocking_is_found_through_helpers_with_its_path() {
        let source = "import requests\ndef post(item):\n    return requests.post('u', json=item)\ndef sync(items):\n    for item in items:\n        post(item)\ndef handle(order):\n    sync(order)\n";
        let summary = summary_of(source, "handle");
        assert_eq!(summary.dominant_blocking().unwrap().kind, IoKind::Network);
        assert_eq!(path(&summary), ["sync", "post", "requests.post"]);
    }

    #[test]
    fn scheduling_and_defining_do_not_run_a_body() {
        let source = "import asyncio, requests\nasync def notify(u):\n    return requests.get(u)\ndef schedule(u):\n    return asyncio.create_task(notify(u))\ndef define(u):\n    def worker():\n        return requests.get(u)\n    return worker\ndef make(u):\n    return notify(u)\n";
        let schedule = summary_of(source, "schedule");
        assert!(schedule.blocking.is_empty());
        assert!(
            schedule.affinity.is_some(),
            "create_task needs the loop's thread"
        );
        assert!(summary_of(source, "define").blocking.is_empty());
        assert!(summary_of(source, "make").blocking.is_empty());
        // Awaiting it runs the body: the coroutine function's own summary blocks.
        assert!(!summary_of(source, "notify").blocking.is_empty());
    }

    #[test]
    fn conditional_effects_follow_constant_arguments() {
        let source = "import requests\ndef export(rows, upload=False):\n    if upload:\n        requests.post('u', data=rows)\n    return rows\ndef off(rows):\n    return export(rows, upload=False)\ndef default(rows):\n    return export(rows)\ndef on(rows):\n    return export(rows, True)\ndef passes(rows, flag):\n    return export(rows, upload=flag)\n";
        let export = summary_of(source, "export");
        let guard = export.blocking[0].guard.as_ref().expect("guarded");
        assert_eq!(&*guard.name, "upload");
        assert!(summary_of(source, "off").blocking.is_empty());
        assert!(summary_of(source, "default").blocking.is_empty());
        assert!(!summary_of(source, "on").blocking.is_empty());
        // Passed on: guarded by the caller's own parameter.
        let passes = summary_of(source, "passes");
        assert_eq!(&*passes.blocking[0].guard.as_ref().unwrap().name, "flag");
    }

    #[test]
    fn non_blocking_sockets_and_would_block_handlers() {
        let source = "import socket\ndef a(host):\n    s = socket.create_connection((host, 1))\n    s.setblocking(False)\n    return s\ndef b(sock):\n    try:\n        return sock.recv(10)\n    except BlockingIOError:\n        return b''\ndef c(host):\n    s = socket.socket()\n    s.setblocking(False)\n    return s.recv(10)\n";
        assert!(
            !summary_of(source, "a").blocking.is_empty(),
            "connecting blocks"
        );
        assert!(summary_of(source, "b").blocking.is_empty());
        assert!(summary_of(source, "c").blocking.is_empty());
    }

    #[test]
    fn lazy_listings_and_generators() {
        let source = "import os\nfrom pathlib import Path\ndef walk(root):\n    return os.walk(root)\ndef glob(root):\n    return Path(root).rglob('*')\ndef gen(path):\n    with open(path) as f:\n        yield from f\ndef uses(path):\n    return list(gen(path))\n";
        assert!(summary_of(source, "walk").blocking[0].lazy);
        assert!(summary_of(source, "glob").blocking[0].lazy);
        assert!(summary_of(source, "gen").generator);
        assert!(summary_of(source, "uses").blocking[0].lazy);
        let stat = "import os\ndef f(p):\n    return os.path.exists(p) and os.stat(p)\n";
        assert!(
            summary_of(stat, "f").blocking.is_empty(),
            "metadata calls are cheap"
        );
    }

    #[test]
    fn suspension() {
        let source = "import asyncio, aiohttp\nasync def fetch(session: aiohttp.ClientSession, u):\n    async with session.get(u) as r:\n        return await r.text()\nasync def via(session, u):\n    return await fetch(session, u)\nasync def builds(x):\n    return {'x': x}\nasync def paces(x):\n    await asyncio.sleep(1)\n    return x\nasync def unknown(bot, x):\n    return await bot.send(x)\nasync def thread(x):\n    return await asyncio.to_thread(len, x)\n";
        assert_eq!(
            summary_of(source, "fetch").suspension.io_kind(),
            Some(IoKind::Network)
        );
        assert_eq!(
            summary_of(source, "via").suspension.io_kind(),
            Some(IoKind::Network)
        );
        assert_eq!(summary_of(source, "builds").suspension, Suspension::Never);
        assert_eq!(summary_of(source, "paces").suspension, Suspension::Never);
        assert_eq!(
            summary_of(source, "unknown").suspension,
            Suspension::Unknown
        );
        assert!(summary_of(source, "thread").suspension.io_kind().is_some());
    }

    #[test]
    fn mutation_of_parameters_self_and_globals() {
        let source = "CACHE = {}\ndef direct(rows):\n    rows.append(1)\ndef item(rows):\n    rows[0] = 1\ndef part(rows):\n    for row in rows:\n        row['x'] = 1\ndef through(rows):\n    direct(rows)\ndef local(rows):\n    out = []\n    out.append(rows)\n    return out\ndef cache(k, v):\n    CACHE[k] = v\nclass C:\n    def m(self, k):\n        if k in self.seen:\n            return\n        self.seen[k] = True\n";
        assert!(summary_of(source, "direct").mutation.mutates_arguments());
        assert!(summary_of(source, "item").mutation.mutates_arguments());
        assert!(summary_of(source, "part").mutation.mutates_arguments());
        assert!(summary_of(source, "through").mutation.mutates_arguments());
        assert!(!summary_of(source, "local").mutation.mutates_arguments());
        assert_eq!(&*summary_of(source, "cache").mutation.globals[0], "CACHE");
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let summaries = Summaries::new(Library::builtin());
        let Some(Stmt::ClassDef(class)) = body.last() else {
            panic!()
        };
        let m = method_of(class, "m").unwrap();
        let summary = summaries.of_function(&semantic, m, Some(class));
        assert!(
            summary.mutation.self_read_and_written,
            "a check-then-set cache"
        );
    }

    #[test]
    fn cost_classes() {
        let cpu = |source: &str| summary_of(source, "f").cpu_work();
        assert_eq!(
            cpu("def f(xs):\n    for x in (1, 2):\n        y = x * 3 % 7\n"),
            None
        );
        assert_eq!(
            cpu("def f(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\n"),
            Some(CpuWork::Linear)
        );
        assert_eq!(
            cpu("def f(n):\n    t = 0\n    for i in range(1000):\n        t += i\n    return t\n"),
            None,
            "a small constant trip count is bounded"
        );
        assert_eq!(
            cpu("def f(xs):\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i]\n    return t\n"),
            None,
            "walking a collection by index is light work per item"
        );
        assert_eq!(
            cpu("def f(xs):\n    best = 0\n    for a in xs:\n        for b in xs:\n            if a - b > best:\n                best = a - b\n    return best\n"),
            Some(CpuWork::Superlinear)
        );
        assert_eq!(
            cpu("def f(rows):\n    n = 0\n    for row in rows:\n        for cell in row.cells:\n            if cell > 0:\n                n += 1\n    return n\n"),
            None,
            "a loop over each row's parts walks the input once"
        );
        assert_eq!(
            cpu("def f(n):\n    return n if n < 2 else f(n - 1) + f(n - 2)\n"),
            Some(CpuWork::Exponential)
        );
        assert_eq!(
            cpu("def f(lo, hi):\n    if lo >= hi:\n        return lo\n    mid = (lo + hi) // 2\n    if mid > 3:\n        return f(lo, mid - 1)\n    else:\n        return f(mid + 1, hi)\n"),
            Some(CpuWork::Linear),
            "recursive calls in exclusive branches do not branch"
        );
        assert_eq!(
            cpu("def f(node):\n    return [f(child) for child in node.children]\n"),
            None,
            "a traversal of a structure"
        );
        assert_eq!(
            cpu("import hashlib\ndef f(p):\n    return hashlib.scrypt(p, salt=b'', n=2, r=8, p=1)\n"),
            Some(CpuWork::HeavyNative)
        );
        // A constant argument bounds work that grows with that parameter.
        let source = "def g(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\ndef f(x):\n    return g(10) + x\ndef h(n):\n    return g(n)\n";
        assert_eq!(summary_of(source, "f").cpu_work(), None);
        assert_eq!(summary_of(source, "h").cpu_work(), Some(CpuWork::Linear));
    }

    #[test]
    fn mutual_recursion_reaches_every_effect_once() {
        let source = "import requests\ndef a(n):\n    if n:\n        return b(n - 1)\n    return requests.get('u')\ndef b(n):\n    return a(n)\n";
        let a = summary_of(source, "a");
        assert!(a.recursive);
        assert_eq!(path(&a), ["requests.get"]);
        let b = summary_of(source, "b");
        assert_eq!(path(&b), ["a", "requests.get"]);
    }

    #[test]
    fn recursion_on_shorter_sequences_branches() {
        let source = "def count(row, groups):\n    if not row:\n        return 1 if not groups else 0\n    return count(row[1:], groups) + count(row[groups[0]:], groups[1:])\n";
        assert_eq!(
            summary_of(source, "count").cpu_work(),
            Some(CpuWork::Exponential)
        );
        let memoised = format!("import functools\n@functools.cache\n{source}");
        assert_eq!(
            summary_of(&memoised, "count").cpu_work(),
            Some(CpuWork::Superlinear)
        );
    }

    #[test]
    fn calls_in_a_loop_counting_to_a_number_are_work() {
        let source = "import random\ndef inside():\n    return random.random() < 0.5\ndef estimate(n):\n    return sum(inside() for _ in range(n)) / n\ndef f(x):\n    return estimate(26_666_667) + x\ndef g(x):\n    return estimate(100) + x\n";
        assert_eq!(
            summary_of(source, "estimate").cpu_work(),
            Some(CpuWork::Linear)
        );
        // A large constant is no bound: the work is there whatever the caller passes.
        assert_eq!(summary_of(source, "f").cpu_work(), Some(CpuWork::Linear));
        assert_eq!(summary_of(source, "g").cpu_work(), None);
    }

    /// The last steps of the paths of what the function `f` blocks on.
    fn blocks(source: &str) -> Vec<String> {
        summary_of(source, "f")
            .blocking
            .iter()
            .map(|blocking| blocking.path.last().unwrap().callee.to_string())
            .collect()
    }

    #[test]
    fn the_reads_and_writes_block_not_the_open() {
        assert!(blocks("def f(p):\n    return open(p)\n").is_empty());
        assert_eq!(
            blocks("def f(p):\n    with open(p) as h:\n        return h.read()\n"),
            ["h.read"]
        );
        assert_eq!(
            blocks(
                "import json\ndef f(p, d):\n    with open(p, 'w') as h:\n        json.dump(d, h)\n"
            ),
            ["json.dump"]
        );
        assert_eq!(
            blocks("import csv\ndef f(p, rows):\n    with open(p, 'w') as h:\n        writer = csv.writer(h)\n        for row in rows:\n            writer.writerow(row)\n"),
            ["writer.writerow"]
        );
        assert_eq!(
            blocks("import pickle\nclass P(pickle.Pickler):\n    pass\ndef f(p, d):\n    with open(p, 'wb') as h:\n        P(h).dump(d)\n"),
            ["P().dump"]
        );
        assert_eq!(
            blocks("def f(p):\n    with open(p) as h:\n        return [line for line in h]\n"),
            ["iterating h"]
        );
        // Data handed to an unknown function with the file is not the file's I/O here.
        assert!(blocks(
            "import json\ndef f(p, d):\n    with open(p) as h:\n        return json.dumps(d)\n"
        )
        .is_empty());
    }
}
