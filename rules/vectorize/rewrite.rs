//! What the data-parallel rules (PAR301–PAR304) share: recognising how a loop walks NumPy
//! arrays (by index, by element, by `zip`), and turning a per-element expression into the
//! whole-array expression that computes the same values.
//!
//! The translation is a text substitution over the original expression: each element
//! reference (`a[i]`, or the loop variable `x` of `for x in a`) is an atom and becomes an
//! atom (`a`), so precedence and the user's spelling are kept. Anything the substitution
//! cannot prove element-wise (an index other than the loop's own, a read of the array being
//! written, a call that is not a NumPy ufunc or its `math` twin, chained comparisons,
//! `and`/`or`, conditional expressions) makes the loop not vectorizable, and the rules stay
//! silent: a recurrence such as `a[i] = a[i - 1] + x[i]` is never flagged. So do they where
//! every array is known to be small (fewer than [`SMALL_ARRAY_ELEMENTS`] elements, such as
//! `np.arange(1, 9)` or `np.array([1, 2, 3])`): test data and constants, not a hot path.

use ruff_python_ast::{self as ast, CmpOp, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::array_kinds::Kind;
use crate::checker::Checker;
use crate::diagnostic::Edit;
use crate::fix::imports::{import_member, ImportStyle};

/// Arrays known to hold fewer elements than this are not worth vectorizing: the loop costs
/// microseconds, and such arrays are test data or constants (`np.arange(0, 2, 0.25)`).
pub const SMALL_ARRAY_ELEMENTS: u64 = 1_000;

/// Whether an array of `size` elements (where known) is known to be small.
pub fn is_small(size: Option<u64>) -> bool {
    size.is_some_and(|size| size < SMALL_ARRAY_ELEMENTS)
}

/// How a loop walks its arrays.
#[derive(Debug, Clone)]
pub enum Walk<'a> {
    /// `for i in range(len(a))` (or `range(a.shape[0])`): `a[i]`, `b[i]` are elements.
    Index { var: &'a str },
    /// `for x in a` / `for x, y in zip(a, b)`: each variable is an element of its array.
    Elements(Vec<(&'a str, &'a Expr)>),
}

impl<'a> Walk<'a> {
    /// The loop variables the walk binds.
    pub fn names(&self) -> Vec<&'a str> {
        match self {
            Walk::Index { var, .. } => vec![var],
            Walk::Elements(elements) => elements.iter().map(|(name, _)| *name).collect(),
        }
    }
}

fn is_builtin(checker: &Checker, func: &Expr, name: &str) -> bool {
    matches!(func, Expr::Name(func_name) if func_name.id.as_str() == name
        && checker.semantic.lookup(name, func_name.start()).is_none())
}

pub fn is_array<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker.kind_of(expr).is_some_and(Kind::is_array)
}

/// An array or a pandas Series: both can be walked element by element (a Series' `s[i]` is
/// a label lookup, so index walks take arrays only).
pub fn is_elementwise<'a>(checker: &Checker<'a>, expr: &'a Expr) -> bool {
    checker
        .kind_of(expr)
        .is_some_and(|kind| kind.is_array() || kind == Kind::Series)
}

/// Recognises `target in iter` as a walk over NumPy arrays of known kind.
pub fn walk<'a>(checker: &Checker<'a>, target: &'a Expr, iter: &'a Expr) -> Option<Walk<'a>> {
    match (target, iter) {
        (Expr::Name(var), Expr::Call(call)) if is_builtin(checker, &call.func, "range") => {
            let [bound] = &*call.arguments.args else {
                return None;
            };
            if !call.arguments.keywords.is_empty() {
                return None;
            }
            let over = length_of(checker, bound)?;
            is_array(checker, over).then_some(Walk::Index {
                var: var.id.as_str(),
            })
        }
        (Expr::Tuple(tuple), Expr::Call(call)) if is_builtin(checker, &call.func, "zip") => {
            if !call.arguments.keywords.is_empty()
                || tuple.elts.len() != call.arguments.args.len()
                || tuple.elts.len() < 2
            {
                return None;
            }
            let mut elements = Vec::new();
            for (elt, array) in tuple.elts.iter().zip(&*call.arguments.args) {
                let Expr::Name(name) = elt else {
                    return None;
                };
                if !is_elementwise(checker, array) {
                    return None;
                }
                elements.push((name.id.as_str(), array));
            }
            Some(Walk::Elements(elements))
        }
        (Expr::Name(var), array) if is_elementwise(checker, array) => {
            Some(Walk::Elements(vec![(var.id.as_str(), array)]))
        }
        _ => None,
    }
}

/// `len(a)` or `a.shape[0]`: the array whose length bounds the loop.
fn length_of<'a>(checker: &Checker<'a>, bound: &'a Expr) -> Option<&'a Expr> {
    match bound {
        Expr::Call(call) if is_builtin(checker, &call.func, "len") => {
            match (&*call.arguments.args, call.arguments.keywords.is_empty()) {
                ([array @ Expr::Name(_)], true) => Some(array),
                _ => None,
            }
        }
        Expr::Subscript(subscript) => {
            let Expr::Attribute(attribute) = subscript.value.as_ref() else {
                return None;
            };
            let zero = matches!(subscript.slice.as_ref(), Expr::NumberLiteral(number)
                if matches!(&number.value, ast::Number::Int(int) if int.as_u8() == Some(0)));
            (attribute.attr.as_str() == "shape" && zero && attribute.value.is_name_expr())
                .then_some(&*attribute.value)
        }
        _ => None,
    }
}

/// `math` functions and the NumPy ufunc computing the same per element.
fn math_ufunc(name: &str) -> Option<&'static str> {
    Some(match name {
        "sqrt" => "sqrt",
        "exp" => "exp",
        "expm1" => "expm1",
        "log10" => "log10",
        "log2" => "log2",
        "log1p" => "log1p",
        "sin" => "sin",
        "cos" => "cos",
        "tan" => "tan",
        "asin" => "arcsin",
        "acos" => "arccos",
        "atan" => "arctan",
        "atan2" => "arctan2",
        "sinh" => "sinh",
        "cosh" => "cosh",
        "tanh" => "tanh",
        "asinh" => "arcsinh",
        "acosh" => "arccosh",
        "atanh" => "arctanh",
        "fabs" => "fabs",
        "hypot" => "hypot",
        "degrees" => "degrees",
        "radians" => "radians",
        "pow" => "power",
        "copysign" => "copysign",
        _ => return None,
    })
}

/// NumPy ufuncs (and ufunc-like functions) that work on whole arrays as on elements.
const NUMPY_UFUNCS: &[&str] = &[
    "sqrt",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log10",
    "log2",
    "log1p",
    "sin",
    "cos",
    "tan",
    "arcsin",
    "arccos",
    "arctan",
    "arctan2",
    "sinh",
    "cosh",
    "tanh",
    "arcsinh",
    "arccosh",
    "arctanh",
    "abs",
    "absolute",
    "fabs",
    "hypot",
    "degrees",
    "radians",
    "power",
    "square",
    "sign",
    "floor",
    "ceil",
    "trunc",
    "rint",
    "cbrt",
    "maximum",
    "minimum",
    "copysign",
    "deg2rad",
    "rad2deg",
    "reciprocal",
];

/// The whole-array expression computing what a per-element expression computes.
#[derive(Debug, Clone)]
pub struct Vectorized {
    pub text: String,
    /// Imports the text needs (`numpy` for a `math` function turned ufunc).
    pub imports: Vec<Edit>,
    /// Whether the expression calls a ufunc (PAR304's shape) rather than only operators.
    pub calls: bool,
    /// Whether it calls a `math` function, which raises on anything but a number: if the
    /// original runs, its elements are numbers, so the arrays are one-dimensional.
    pub math_calls: bool,
    /// Whether the text is an atom (a name, call, subscript or attribute) that needs no
    /// parentheses before `.tolist()` or `.sum()`.
    pub atom: bool,
    /// The arrays the element references stand for, in order of appearance.
    pub arrays: Vec<String>,
    /// Their dimensions where known (`None` for an array of unknown shape).
    pub ndims: Vec<Option<u8>>,
    /// The roles of the element references met (PAR301 needs both loops' elements).
    pub roles: Vec<Role>,
    /// How many distinct pandas Series the elements come from: Series arithmetic aligns on
    /// the index where `zip` pairs by position, so more than one is not element-wise.
    pub series: usize,
}

impl Vectorized {
    /// Whether every array is known to be one-dimensional.
    pub fn all_one_dimensional(&self) -> bool {
        self.ndims.iter().all(|ndim| *ndim == Some(1))
    }

    /// Whether the elements the loop walks are numbers, so `.tolist()` gives the flat list
    /// the loop built (over a 2-D array the loop collects rows, `.tolist()` nested lists).
    pub fn elements_are_numbers(&self) -> bool {
        self.all_one_dimensional() || (self.math_calls && self.arrays.len() == 1)
    }
}

impl Vectorized {
    /// The text, parenthesised unless it is an atom: ready for `.tolist()`.
    pub fn grouped(&self) -> String {
        if self.atom {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

/// What an element reference becomes; `array` is the source text of its array.
pub type Render<'r> = &'r dyn Fn(&str, Role) -> String;

/// Which loop of a nested pair an element reference belongs to (PAR301).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Only,
    Outer,
    Inner,
}

/// The walks an expression is vectorized against: one, or an outer and an inner (PAR301).
pub struct Context<'w, 'a> {
    pub walks: Vec<(&'w Walk<'a>, Role)>,
    /// The array being written (`c` in `c[i] = ...`): readable only at the loop's own index.
    pub written: Option<&'a str>,
}

/// Vectorizes `expr` against the walks; `None` when it is not a pure element-wise
/// expression of at least one element.
pub fn vectorize<'a>(
    checker: &Checker<'a>,
    expr: &'a Expr,
    context: &Context<'_, 'a>,
    render: Render,
) -> Option<Vectorized> {
    let mut state = State {
        checker,
        context,
        render,
        replacements: Vec::new(),
        imports: Vec::new(),
        calls: false,
        math_calls: false,
        elements: 0,
        arrays: Vec::new(),
        ndims: Vec::new(),
        sizes: Vec::new(),
        roles: Vec::new(),
        series: 0,
    };
    state.visit(expr)?;
    if state.elements == 0 {
        return None;
    }
    // Small arrays everywhere: test data or constants, nothing to gain.
    if !state.sizes.is_empty() && state.sizes.iter().all(|size| is_small(*size)) {
        return None;
    }
    if crate::fix::edits::contains_comment(checker.tokens, expr.range()) {
        return None;
    }
    let mut text = crate::fix::edits::splice(checker.source, expr.range(), &mut state.replacements);
    // The rewrite may land outside the brackets that let the loop's expression span lines
    // (`df.apply(lambda r: r["a"] <\n 10, axis=1)` → `df["a"] < 10`), and PAR303 splits and
    // rejoins it (`np.dot(a, b)`): join its lines, backslash continuations included. Line
    // breaks inside a string cannot be joined, so such an expression is left alone.
    if text.contains(['\n', '\r']) {
        if text.contains(['"', '\'']) {
            return None;
        }
        let joined = text
            .replace("\\\r\n", "\n")
            .replace("\\\n", "\n")
            .replace("\\\r", "\n");
        text = joined
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    let atom = match expr {
        Expr::Name(_) | Expr::Call(_) | Expr::Subscript(_) | Expr::Attribute(_) => true,
        Expr::BinOp(_) | Expr::UnaryOp(_) | Expr::Compare(_) => false,
        _ => false,
    };
    Some(Vectorized {
        text,
        imports: state.imports,
        calls: state.calls,
        math_calls: state.math_calls,
        atom,
        arrays: state.arrays,
        ndims: state.ndims,
        roles: state.roles,
        series: state.series,
    })
}

struct State<'s, 'w, 'a> {
    checker: &'s Checker<'a>,
    context: &'s Context<'w, 'a>,
    render: Render<'s>,
    replacements: Vec<(TextRange, String)>,
    imports: Vec<Edit>,
    calls: bool,
    math_calls: bool,
    elements: usize,
    arrays: Vec<String>,
    ndims: Vec<Option<u8>>,
    /// The arrays' numbers of elements where known.
    sizes: Vec<Option<u64>>,
    roles: Vec<Role>,
    series: usize,
}

impl<'a> State<'_, '_, 'a> {
    fn array_text(&self, array: &Expr) -> String {
        let text = self.checker.source.slice(array.range());
        if matches!(
            array,
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::Call(_)
        ) {
            text.to_string()
        } else {
            format!("({text})")
        }
    }

    fn element(
        &mut self,
        range: TextRange,
        array: String,
        kind: Option<Kind>,
        ndim: Option<u8>,
        role: Role,
    ) {
        self.elements += 1;
        let rendered = (self.render)(&array, role);
        if !self.arrays.contains(&array) {
            self.arrays.push(array);
            self.ndims.push(ndim);
            self.sizes.push(kind.and_then(Kind::size));
        }
        if !self.roles.contains(&role) {
            self.roles.push(role);
        }
        self.replacements.push((range, rendered));
    }

    fn loop_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.context.walks.iter().flat_map(|(walk, _)| walk.names())
    }

    fn visit(&mut self, expr: &'a Expr) -> Option<()> {
        match expr {
            Expr::NumberLiteral(number) => {
                (!matches!(number.value, ast::Number::Complex { .. })).then_some(())
            }
            Expr::Name(name) => {
                let id = name.id.as_str();
                for (walk, role) in &self.context.walks {
                    if let Walk::Elements(elements) = walk {
                        if let Some((_, array)) = elements.iter().find(|(n, _)| *n == id) {
                            let text = self.array_text(array);
                            let kind = self.checker.kind_of(array);
                            // A Series is one-dimensional.
                            let ndim = match kind {
                                Some(Kind::Series) => Some(1),
                                other => other.and_then(Kind::ndim),
                            };
                            if kind == Some(Kind::Series) && !self.arrays.contains(&text) {
                                self.series += 1;
                            }
                            self.element(name.range, text, kind, ndim, *role);
                            return Some(());
                        }
                    }
                }
                if self.loop_names().any(|n| n == id) || self.context.written == Some(id) {
                    // The index itself as a value, or the written array read whole.
                    return None;
                }
                // A loop-invariant scalar.
                (self.checker.kind_of(expr) == Some(Kind::Number)).then_some(())
            }
            Expr::Subscript(subscript) => {
                let Expr::Name(array) = subscript.value.as_ref() else {
                    return None;
                };
                let Expr::Name(index) = subscript.slice.as_ref() else {
                    return None;
                };
                let (_, role) = self.context.walks.iter().find(|(walk, _)| {
                    matches!(walk, Walk::Index { var, .. } if *var == index.id.as_str())
                })?;
                let role = *role;
                if self.context.written != Some(array.id.as_str())
                    && !is_array(self.checker, &subscript.value)
                {
                    return None;
                }
                if self.context.written == Some(array.id.as_str()) && role != Role::Only {
                    return None;
                }
                let kind = self.checker.kind_of(&subscript.value);
                let ndim = kind.and_then(Kind::ndim);
                self.element(subscript.range, array.id.to_string(), kind, ndim, role);
                Some(())
            }
            Expr::BinOp(binop) => {
                if !crate::analysis::array_kinds::is_elementwise_arithmetic(binop.op) {
                    return None;
                }
                self.visit(&binop.left)?;
                self.visit(&binop.right)
            }
            Expr::UnaryOp(unary) => {
                if !matches!(unary.op, UnaryOp::USub | UnaryOp::UAdd) {
                    return None;
                }
                self.visit(&unary.operand)
            }
            Expr::Compare(compare) => {
                let [op] = &*compare.ops else {
                    return None;
                };
                if !matches!(
                    op,
                    CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE | CmpOp::Eq | CmpOp::NotEq
                ) {
                    return None;
                }
                self.visit(&compare.left)?;
                self.visit(&compare.comparators[0])
            }
            Expr::Call(call) => self.call(call),
            _ => None,
        }
    }

    fn call(&mut self, call: &'a ast::ExprCall) -> Option<()> {
        if !call.arguments.keywords.is_empty() || call.arguments.args.is_empty() {
            return None;
        }
        if is_builtin(self.checker, &call.func, "abs") {
            // `abs` works on arrays as on numbers.
        } else {
            let qualified = self.checker.semantic.qualified_name(&call.func)?;
            match qualified.segments() {
                ["math", name] => {
                    let ufunc = math_ufunc(name)?;
                    let numpy = import_member(
                        self.checker,
                        "numpy",
                        ufunc,
                        ImportStyle::Module,
                        call.start(),
                    )?;
                    self.imports.extend(numpy.edit);
                    self.replacements.push((call.func.range(), numpy.text));
                    self.math_calls = true;
                }
                ["numpy", name] if NUMPY_UFUNCS.contains(name) => {}
                _ => return None,
            }
        }
        self.calls = true;
        for argument in &*call.arguments.args {
            self.visit(argument)?;
        }
        Some(())
    }
}

/// Renders element references as the arrays themselves.
pub fn plain(array: &str, _role: Role) -> String {
    array.to_string()
}

/// Whether a name is read by a statement of `scope` after `end` (so a fix that stops
/// binding it would break the code after the loop). Reads inside a comprehension or a later
/// `for` that binds the name afresh do not count.
pub fn read_after(checker: &Checker, names: &[&str], end: TextSize) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Reads<'n> {
        names: &'n [&'n str],
        end: TextSize,
        /// Names bound by the comprehensions or loops being walked.
        shadowed: Vec<&'n str>,
        found: bool,
    }
    fn bound<'n>(target: &'n Expr, out: &mut Vec<&'n str>) {
        match target {
            Expr::Name(name) => out.push(name.id.as_str()),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    bound(elt, out);
                }
            }
            _ => {}
        }
    }
    impl<'n> Visitor<'n> for Reads<'n> {
        fn visit_stmt(&mut self, stmt: &'n Stmt) {
            if self.found || stmt.end() <= self.end {
                return;
            }
            if let Stmt::For(later) = stmt {
                if later.start() >= self.end {
                    self.visit_expr(&later.iter);
                    let depth = self.shadowed.len();
                    bound(&later.target, &mut self.shadowed);
                    self.visit_body(&later.body);
                    self.visit_body(&later.orelse);
                    self.shadowed.truncate(depth);
                    return;
                }
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'n Expr) {
            if self.found {
                return;
            }
            match expr {
                Expr::Name(name) => {
                    let id = name.id.as_str();
                    if name.start() >= self.end
                        && self.names.contains(&id)
                        && !self.shadowed.contains(&id)
                        && name.ctx.is_load()
                    {
                        self.found = true;
                    }
                }
                Expr::ListComp(ast::ExprListComp { generators, .. })
                | Expr::SetComp(ast::ExprSetComp { generators, .. })
                | Expr::Generator(ast::ExprGenerator { generators, .. })
                | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                    let depth = self.shadowed.len();
                    for generator in generators {
                        bound(&generator.target, &mut self.shadowed);
                    }
                    visitor::walk_expr(self, expr);
                    self.shadowed.truncate(depth);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let Some(scope) = crate::fix::pool_rewrite::scope_body(checker) else {
        return true;
    };
    let mut reads = Reads {
        names,
        end,
        shadowed: Vec::new(),
        found: false,
    };
    reads.visit_body(scope);
    reads.found
}

/// Whether a `for` statement can be replaced by one line: alone on its lines, no comment
/// inside, no `else`, and its variables unused after it.
pub fn loop_replaceable(checker: &Checker, for_stmt: &ast::StmtFor, names: &[&str]) -> bool {
    for_stmt.orelse.is_empty()
        && crate::fix::edits::stands_alone(checker.source, for_stmt)
        && !crate::fix::edits::contains_comment(checker.tokens, for_stmt.range())
        && !read_after(checker, names, for_stmt.end())
}

/// The one statement of a loop body (nothing else, no `else:` clause).
pub fn single_statement(for_stmt: &ast::StmtFor) -> Option<&Stmt> {
    match (
        &*for_stmt.body,
        for_stmt.orelse.is_empty(),
        for_stmt.is_async,
    ) {
        ([statement], true, false) => Some(statement),
        _ => None,
    }
}

/// A `numpy` name usable at `at` (`np.outer`), with the import edit if one is needed.
pub fn numpy_member(checker: &Checker, member: &str, at: TextSize) -> Option<(String, Vec<Edit>)> {
    let imported = import_member(checker, "numpy", member, ImportStyle::Module, at)?;
    Some((imported.text, imported.edit.into_iter().collect()))
}

/// The expression that directly wraps `inner` as the only argument of `np.array(...)` or
/// `np.asarray(...)` in the current statement: the result is then only used as an array, so
/// the fix needs no `.tolist()` and replaces the wrapper too.
pub fn array_wrapper<'a>(checker: &Checker<'a>, inner: TextRange) -> Option<&'a ast::ExprCall> {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder<'c, 'a> {
        checker: &'c Checker<'a>,
        inner: TextRange,
        found: Option<&'a ast::ExprCall>,
    }
    impl<'a> Visitor<'a> for Finder<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.range().contains_range(self.inner) && self.found.is_none() {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.found.is_some() || !expr.range().contains_range(self.inner) {
                return;
            }
            if let Expr::Call(call) = expr {
                if let ([argument], true) =
                    (&*call.arguments.args, call.arguments.keywords.is_empty())
                {
                    if argument.range() == self.inner
                        && self
                            .checker
                            .semantic
                            .resolves_to_any(&call.func, &["numpy.array", "numpy.asarray"])
                            .is_some()
                    {
                        self.found = Some(call);
                        return;
                    }
                }
            }
            visitor::walk_expr(self, expr);
        }
    }
    let statement = *checker.statements().last()?;
    let mut finder = Finder {
        checker,
        inner,
        found: None,
    };
    finder.visit_stmt(statement);
    finder.found
}

/// Short source text for messages.
pub fn short(checker: &Checker, expr: &impl Ranged) -> String {
    crate::rules::cpu::candidates::short(checker.source.slice(expr.range()))
}

/// A list comprehension over NumPy arrays with an element-wise element, and what replaces it.
pub struct ComprehensionFix {
    pub vectorized: Vectorized,
    /// What the fix replaces: the comprehension, or the `np.array(...)` around it.
    pub range: TextRange,
    /// The replacement text (`(a + b).tolist()`, or `a + b` when only an array is wanted).
    pub replacement: String,
    /// Whether the replacement computes the same list: `.tolist()` needs one-dimensional
    /// arrays (else the fix is display-only).
    pub exact: bool,
}

impl ComprehensionFix {
    /// The unsafe replacement, or the suggestion alone where `.tolist()` could change the
    /// shape of the result.
    pub fn fix(&self) -> crate::diagnostic::Fix {
        use crate::diagnostic::Fix;
        if self.exact {
            let mut edits = self.vectorized.imports.clone();
            edits.push(Edit::replace(self.range, self.replacement.clone()));
            Fix::unsafe_(format!("Replace with `{}`", self.replacement), edits)
        } else {
            Fix::display_only(
                format!(
                    "Replace with `{}` (by hand: the arrays are not known to be one-dimensional, and over a 2-D array `.tolist()` gives nested lists where the comprehension collected rows)",
                    self.replacement
                ),
                Vec::new(),
            )
        }
    }
}

/// `[a op b for ...]` over arrays: one `for` clause, no filter, an element-wise element that
/// is more than the element itself.
pub fn comprehension<'a>(
    checker: &Checker<'a>,
    comp: &'a ast::ExprListComp,
) -> Option<ComprehensionFix> {
    let [generator] = &*comp.generators else {
        return None;
    };
    if generator.is_async || !generator.ifs.is_empty() {
        return None;
    }
    if matches!(&*comp.elt, Expr::Name(_) | Expr::Subscript(_)) {
        return None;
    }
    let walk = walk(checker, &generator.target, &generator.iter)?;
    let context = Context {
        walks: vec![(&walk, Role::Only)],
        written: None,
    };
    let vectorized = vectorize(checker, &comp.elt, &context, &plain)?;
    if vectorized.series > 1 {
        return None;
    }
    let (range, replacement, exact) = match array_wrapper(checker, comp.range()) {
        // Over a Series the expression is a Series: `np.array(...)` wanted an array.
        Some(wrapper) if vectorized.series > 0 => (
            wrapper.range(),
            format!("{}.to_numpy()", vectorized.grouped()),
            true,
        ),
        Some(wrapper) => (
            wrapper.range(),
            standing_in(checker, wrapper.range(), &vectorized),
            true,
        ),
        None => (
            comp.range(),
            format!("{}.tolist()", vectorized.grouped()),
            vectorized.elements_are_numbers(),
        ),
    };
    Some(ComprehensionFix {
        vectorized,
        range,
        replacement,
        exact,
    })
}

/// The text replacing the expression at `range`: bare when it is a statement's whole value
/// (or a call's whole argument list), parenthesised otherwise so precedence cannot change.
pub fn standing_in(checker: &Checker, range: TextRange, vectorized: &Vectorized) -> String {
    if vectorized.atom {
        return vectorized.text.clone();
    }
    let whole_value = checker.statements().last().is_some_and(|statement| {
        let value = match statement {
            Stmt::Assign(assign) => Some(&*assign.value),
            Stmt::AnnAssign(assign) => assign.value.as_deref(),
            Stmt::Return(ret) => ret.value.as_deref(),
            Stmt::Expr(expr) => Some(&*expr.value),
            _ => None,
        };
        value.is_some_and(|value| value.range() == range)
    });
    if whole_value {
        vectorized.text.clone()
    } else {
        vectorized.grouped()
    }
}

/// A function with a NumPy ufunc twin, as the text naming the ufunc (`np.sqrt` for
/// `math.sqrt`, with the import edit when `numpy` is not imported yet).
pub fn is_ufunc_like<'a>(
    checker: &Checker<'a>,
    function: &'a Expr,
    at: TextSize,
) -> Option<(String, Vec<Edit>)> {
    if is_builtin(checker, function, "abs") {
        return Some(("abs".to_string(), Vec::new()));
    }
    let qualified = checker.semantic.qualified_name(function)?;
    match qualified.segments() {
        // `map` over one array calls with one argument.
        ["math", "atan2" | "hypot" | "pow" | "copysign"] => None,
        ["math", name] => numpy_member(checker, math_ufunc(name)?, at),
        ["numpy", name] if NUMPY_UFUNCS.contains(name) => Some((
            checker.source.slice(function.range()).to_string(),
            Vec::new(),
        )),
        _ => None,
    }
}

/// The statement right before `stmt` in the block that holds it (looked up through the
/// enclosing statement, not by searching the module).
pub fn preceding_statement<'a>(checker: &Checker<'a>, stmt: TextRange) -> Option<&'a Stmt> {
    let bodies: Vec<&'a [Stmt]> = match checker.statements().last() {
        None => vec![checker.module],
        Some(parent) => match parent {
            Stmt::FunctionDef(def) => vec![&def.body],
            Stmt::ClassDef(class) => vec![&class.body],
            Stmt::If(if_stmt) => std::iter::once(&*if_stmt.body)
                .chain(if_stmt.elif_else_clauses.iter().map(|c| &*c.body))
                .collect(),
            Stmt::For(for_stmt) => vec![&for_stmt.body, &for_stmt.orelse],
            Stmt::While(while_stmt) => vec![&while_stmt.body, &while_stmt.orelse],
            Stmt::With(with) => vec![&with.body],
            Stmt::Try(try_stmt) => {
                let mut bodies: Vec<&'a [Stmt]> = vec![&try_stmt.body];
                for handler in &try_stmt.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    bodies.push(&handler.body);
                }
                bodies.push(&try_stmt.orelse);
                bodies.push(&try_stmt.finalbody);
                bodies
            }
            Stmt::Match(match_stmt) => match_stmt.cases.iter().map(|c| &*c.body).collect(),
            _ => return None,
        },
    };
    for body in bodies {
        if let Some(index) = body.iter().position(|s| s.range() == stmt) {
            return index.checked_sub(1).map(|previous| &body[previous]);
        }
    }
    None
}

/// `name = []`: the statement that starts the list a loop then appends to.
pub fn empty_list_assignment(stmt: &Stmt) -> Option<&ast::ExprName> {
    let Stmt::Assign(assign) = stmt else {
        return None;
    };
    let [Expr::Name(name)] = &*assign.targets else {
        return None;
    };
    match &*assign.value {
        Expr::List(list) if list.elts.is_empty() => Some(name),
        _ => None,
    }
}

/// `name.append(value)` as a statement: the list's name and the value.
pub fn append_of(stmt: &Stmt) -> Option<(&ast::ExprName, &Expr)> {
    let Stmt::Expr(expr) = stmt else {
        return None;
    };
    let Expr::Call(call) = &*expr.value else {
        return None;
    };
    let Expr::Attribute(attribute) = &*call.func else {
        return None;
    };
    let (Expr::Name(list), [value], true) = (
        &*attribute.value,
        &*call.arguments.args,
        call.arguments.keywords.is_empty(),
    ) else {
        return None;
    };
    (attribute.attr.as_str() == "append" && !value.is_starred_expr()).then_some((list, value))
}

/// Whether `[start, end)` (two statements and what lies between) can be replaced by one
/// line: the first statement starts its line, the last ends it, no comment inside.
pub fn span_replaceable(checker: &Checker, first: &Stmt, last: &impl Ranged) -> bool {
    let range = TextRange::new(first.start(), last.end());
    crate::fix::edits::stands_alone(checker.source, first)
        && crate::fix::edits::stands_alone(checker.source, last)
        && !crate::fix::edits::contains_comment(checker.tokens, range)
}
