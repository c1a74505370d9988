//! Workload classification (RULES.md, "Shared analysis the rules rely on"): whether a call,
//! or a callable handed to a pool, is CPU-bound, I/O-bound, trivial or unknown.
//!
//! This is a per-file fact the rules query; it never walks the module. A `def` is analysed
//! on demand, the first time a rule asks about it (or about a function calling it), by a
//! walk of that one body, and the answer is memoised per function. Calls to the module's own
//! functions and methods are followed to [`MAX_DEPTH`].
//!
//! Precision comes first: a rule proposes a process pool for CPU-bound work and a thread pool
//! for I/O-bound work, and stays silent on [`Workload::Unknown`]; so every heuristic here
//! answers `Unknown` when it is unsure rather than guessing.

use std::cell::{Cell, RefCell};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprCall, Operator, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::TextSize;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::names::function_locals;
use crate::analysis::semantic::{
    import_binding, import_from_binding, qualified_name_with, BindingKind, QualifiedName,
    ScopeKind, Semantic,
};
use crate::settings::Settings;

/// How deep calls to the module's own functions are followed from the function asked about
/// (that function is depth 0). Deeper helpers count as opaque, so a long chain of wrappers
/// ends in `Unknown` rather than in a guess.
pub const MAX_DEPTH: u8 = 4;

/// The kind of I/O a call or callable waits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IoKind {
    /// HTTP clients, sockets, `urllib`.
    Network,
    /// `open`, `pathlib` reads and writes, `shutil` copies, directory listings.
    File,
    /// `subprocess`, `os.system`.
    Subprocess,
    /// `time.sleep`, `asyncio.sleep`.
    Sleep,
    /// DB-API connections and cursors.
    Database,
    /// A function named in the `io-functions` setting (which does not say what it waits on).
    Other,
}

impl IoKind {
    pub fn describe(self) -> &'static str {
        match self {
            IoKind::Network => "I/O-bound (network)",
            IoKind::File => "I/O-bound (files)",
            IoKind::Subprocess => "I/O-bound (subprocess)",
            IoKind::Sleep => "I/O-bound (sleep)",
            IoKind::Database => "I/O-bound (database)",
            IoKind::Other => "I/O-bound",
        }
    }

    /// When a function does several kinds of I/O, the one reported: the kind most likely to
    /// dominate its running time (a network round trip outweighs a local file write, and a
    /// `sleep` is usually a retry back-off beside the real work).
    fn rank(self) -> u8 {
        match self {
            IoKind::Network => 5,
            IoKind::Database => 4,
            IoKind::Subprocess => 3,
            IoKind::Other => 2,
            IoKind::File => 1,
            IoKind::Sleep => 0,
        }
    }
}

/// What running a call or a callable mostly spends its time on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Workload {
    /// Pure-Python computation (or a configured `cpu-functions` entry, assumed to hold the
    /// GIL): a process pool helps, threads do not.
    CpuBound,
    /// A known heavy C routine that releases the GIL while it runs (`hashlib.pbkdf2_hmac`,
    /// `zlib.compress`, `bz2`/`lzma`): CPU-bound, but threads do scale, so the GIL rule
    /// (PAR501) stays silent on it.
    NativeCpuBound,
    /// Waiting on I/O: threads (or `asyncio`) help.
    IoBound(IoKind),
    /// A single cheap expression: not worth a pool's overhead.
    Trivial,
    /// Not known: rules that need a class stay silent.
    Unknown,
}

impl Workload {
    pub fn describe(&self) -> &'static str {
        match self {
            Workload::CpuBound | Workload::NativeCpuBound => "CPU-bound",
            Workload::IoBound(kind) => kind.describe(),
            Workload::Trivial => "trivial",
            Workload::Unknown => "unknown",
        }
    }

    pub fn is_cpu(&self) -> bool {
        matches!(self, Workload::CpuBound | Workload::NativeCpuBound)
    }

    pub fn is_io(&self) -> bool {
        matches!(self, Workload::IoBound(_))
    }

    pub fn io_kind(&self) -> Option<IoKind> {
        match self {
            Workload::IoBound(kind) => Some(*kind),
            _ => None,
        }
    }
}

// ---- tables ------------------------------------------------------------------------------

/// Library functions that do I/O, by qualified name.
fn io_function(name: &[&str]) -> Option<IoKind> {
    Some(match name {
        ["requests", "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "request"]
        | ["httpx", "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "request" | "stream"]
        | ["urllib", "request", "urlopen" | "urlretrieve"]
        | ["urllib3", "request"]
        | ["socket", "create_connection" | "getaddrinfo" | "gethostbyname" | "gethostbyname_ex"
        | "gethostbyaddr"]
        | ["asyncio", "open_connection"]
        | ["aiohttp", "request"] => IoKind::Network,
        ["builtins" | "io" | "codecs" | "gzip" | "bz2" | "lzma" | "aiofiles", "open"]
        | ["shutil", "copy" | "copy2" | "copyfile" | "copyfileobj" | "copytree" | "move" | "rmtree"]
        | ["os", "listdir" | "scandir" | "walk"]
        | ["glob", "glob" | "iglob"]
        | ["numpy", "load" | "save" | "savez" | "savez_compressed" | "loadtxt" | "savetxt" | "genfromtxt"
        | "fromfile"]
        | ["pandas", "read_csv" | "read_parquet" | "read_json" | "read_excel" | "read_feather"
        | "read_pickle" | "read_table"] => IoKind::File,
        ["subprocess", "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput"
        | "getstatusoutput"]
        | ["os", "system" | "popen"]
        | ["asyncio", "create_subprocess_exec" | "create_subprocess_shell"] => IoKind::Subprocess,
        ["time" | "asyncio", "sleep"] => IoKind::Sleep,
        _ => return database_connect(name).then_some(IoKind::Database),
    })
}

/// DB-API `connect` functions: opening a connection is itself I/O, and it returns a client.
fn database_connect(name: &[&str]) -> bool {
    matches!(
        name,
        [
            "sqlite3"
                | "psycopg2"
                | "psycopg"
                | "pymysql"
                | "MySQLdb"
                | "pyodbc"
                | "cx_Oracle"
                | "oracledb"
                | "asyncpg"
                | "aiosqlite",
            "connect"
        ] | ["mysql", "connector", "connect"]
    )
}

/// Library calls known to be CPU-heavy: key stretching and compression run for many
/// milliseconds per call in C code that does not help threads scale.
fn heavy_cpu_function(name: &[&str]) -> bool {
    matches!(
        name,
        ["hashlib", "pbkdf2_hmac" | "scrypt"]
            | ["zlib" | "bz2" | "lzma" | "gzip", "compress" | "decompress"]
    )
}

/// Constructors (and classes, for annotations) of objects whose methods do I/O.
fn client_constructor(name: &[&str]) -> Option<IoKind> {
    Some(match name {
        ["requests", "Session" | "session"]
        | ["requests", "sessions", "Session"]
        | ["httpx", "Client" | "AsyncClient"]
        | ["urllib3", "PoolManager" | "ProxyManager" | "HTTPConnectionPool" | "HTTPSConnectionPool"]
        | ["aiohttp", "ClientSession"]
        | ["socket", "socket" | "create_connection"]
        | ["http", "client", "HTTPConnection" | "HTTPSConnection"] => IoKind::Network,
        ["sqlite3", "Connection" | "Cursor"] => IoKind::Database,
        ["builtins" | "io" | "codecs" | "gzip" | "bz2" | "lzma" | "aiofiles", "open"]
        | ["pathlib", "Path" | "PosixPath" | "WindowsPath"]
        | ["pathlib", "Path", "home" | "cwd"] => IoKind::File,
        _ => return database_connect(name).then_some(IoKind::Database),
    })
}

/// Methods of a client of `kind` that do its I/O.
fn is_io_method(kind: IoKind, method: &str) -> bool {
    match kind {
        IoKind::Network => matches!(
            method,
            "get"
                | "post"
                | "put"
                | "patch"
                | "delete"
                | "head"
                | "options"
                | "request"
                | "send"
                | "stream"
                | "urlopen"
                | "connect"
                | "recv"
                | "recv_into"
                | "recvfrom"
                | "sendall"
                | "sendto"
                | "accept"
                | "getresponse"
                | "ws_connect"
        ),
        IoKind::File => matches!(
            method,
            "read_text"
                | "read_bytes"
                | "write_text"
                | "write_bytes"
                | "open"
                | "read"
                | "readline"
                | "readlines"
                | "write"
                | "writelines"
        ),
        IoKind::Database => matches!(
            method,
            "execute"
                | "executemany"
                | "executescript"
                | "fetchone"
                | "fetchall"
                | "fetchmany"
                | "commit"
                | "callproc"
        ),
        IoKind::Subprocess | IoKind::Sleep | IoKind::Other => false,
    }
}

/// Methods of a client of `kind` that return another client: a connection's `cursor()`, a
/// path's `open()` and derived paths.
fn returns_client(kind: IoKind, method: &str) -> bool {
    match kind {
        IoKind::Database => method == "cursor",
        IoKind::File => matches!(
            method,
            "open"
                | "with_suffix"
                | "with_name"
                | "with_stem"
                | "joinpath"
                | "resolve"
                | "absolute"
                | "expanduser"
                | "relative_to"
        ),
        _ => false,
    }
}

/// Modules whose other functions are known not to block on I/O (their I/O functions, where
/// they have any, are in the tables above). A call into any other imported module is opaque.
fn is_non_blocking_module(module: &str) -> bool {
    matches!(
        module,
        "builtins"
            | "math"
            | "cmath"
            | "statistics"
            | "operator"
            | "itertools"
            | "functools"
            | "collections"
            | "heapq"
            | "bisect"
            | "re"
            | "json"
            | "string"
            | "struct"
            | "random"
            | "decimal"
            | "fractions"
            | "copy"
            | "base64"
            | "binascii"
            | "hashlib"
            | "zlib"
            | "bz2"
            | "lzma"
            | "gzip"
            | "unicodedata"
            | "textwrap"
            | "difflib"
            | "dataclasses"
            | "typing"
            | "enum"
            | "datetime"
            | "time"
            | "calendar"
            | "array"
            | "numbers"
            | "logging"
            | "warnings"
            | "sys"
            | "os"
            | "contextlib"
            | "abc"
            | "uuid"
            | "pprint"
            | "asyncio"
            | "threading"
            | "concurrent"
            | "multiprocessing"
            | "requests"
            | "httpx"
            | "urllib"
            | "urllib3"
            | "pathlib"
            | "shutil"
            | "subprocess"
            | "sqlite3"
            | "numpy"
    )
}

/// Methods of `str`, `bytes`, `list`, `dict`, `set` (and the array reductions NumPy shares
/// with them) that compute without blocking. A call of another method on an object of
/// unknown type is opaque: it may be a client's I/O.
fn is_data_method(name: &str) -> bool {
    matches!(
        name,
        "append"
            | "extend"
            | "insert"
            | "pop"
            | "remove"
            | "clear"
            | "sort"
            | "reverse"
            | "copy"
            | "count"
            | "index"
            | "get"
            | "setdefault"
            | "items"
            | "keys"
            | "values"
            | "update"
            | "add"
            | "discard"
            | "union"
            | "intersection"
            | "difference"
            | "split"
            | "rsplit"
            | "splitlines"
            | "strip"
            | "lstrip"
            | "rstrip"
            | "join"
            | "replace"
            | "lower"
            | "upper"
            | "title"
            | "capitalize"
            | "casefold"
            | "startswith"
            | "endswith"
            | "find"
            | "rfind"
            | "format"
            | "encode"
            | "decode"
            | "isdigit"
            | "isalpha"
            | "isalnum"
            | "isspace"
            | "zfill"
            | "ljust"
            | "rjust"
            | "center"
            | "partition"
            | "rpartition"
            | "translate"
            | "hex"
            | "to_bytes"
            | "from_bytes"
            | "bit_length"
            | "is_integer"
            | "hexdigest"
            | "digest"
            | "sum"
            | "mean"
            | "reshape"
            | "astype"
            | "tolist"
            | "dot"
            | "transpose"
    )
}

/// Builtins cheap on scalars: the only calls a trivial expression may make.
fn is_cheap_builtin(name: &str) -> bool {
    matches!(
        name,
        "len" | "str" | "int" | "float" | "abs" | "min" | "max" | "bool" | "round"
    )
}

/// Library functions that, passed as a callable, do one cheap operation per item.
fn trivial_callable(name: &[&str]) -> bool {
    match name {
        ["builtins", "len" | "str" | "int" | "float" | "abs" | "bool" | "round" | "repr" | "hash" | "ord"
        | "chr" | "hex" | "bin" | "oct"] => true,
        ["operator", _] => true,
        // `math` on one scalar; not the ones that take iterables or grow with their input.
        ["math" | "cmath", function] => !matches!(
            *function,
            "factorial" | "comb" | "perm" | "prod" | "fsum" | "gcd" | "lcm" | "dist"
        ),
        _ => false,
    }
}

/// Methods of builtin types that, passed as `str.upper` and the like, are cheap per item.
fn trivial_type_method(type_name: &str, method: &str) -> bool {
    matches!(type_name, "str" | "bytes")
        && matches!(
            method,
            "upper"
                | "lower"
                | "strip"
                | "lstrip"
                | "rstrip"
                | "title"
                | "capitalize"
                | "casefold"
                | "isdigit"
                | "isalpha"
                | "isalnum"
                | "isspace"
                | "startswith"
                | "endswith"
        )
}

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

/// The kind of I/O the methods of the object `value` evaluates to do: a `requests.Session()`,
/// `httpx.Client()`, `urllib3.PoolManager()`, socket (network); an `sqlite3`/DB-API
/// connection and its `cursor()` (database); a `pathlib.Path`, derived paths (`p / "x"`,
/// `p.parent`, `p.with_suffix(..)`) and open files (files). Names bound to such objects carry
/// [`BindingKind::Client`].
pub fn client_kind<'a>(value: &'a Expr, resolve: &impl Resolve<'a>) -> Option<IoKind> {
    match value {
        Expr::Name(name) => match resolve.binding(name)? {
            BindingKind::Client(kind) => Some(kind),
            _ => None,
        },
        Expr::Call(call) => {
            if let Expr::Attribute(method) = call.func.as_ref() {
                if let Some(kind) = client_kind(&method.value, resolve) {
                    return returns_client(kind, method.attr.as_str()).then_some(kind);
                }
            }
            // Cheap rejection before resolving the callee.
            let tail = match call.func.as_ref() {
                Expr::Attribute(attribute) => attribute.attr.as_str(),
                Expr::Name(name) => match resolve.binding(name) {
                    None => name.id.as_str(),
                    Some(BindingKind::FromImport { member, .. }) => member,
                    Some(_) => return None,
                },
                _ => return None,
            };
            if !matches!(
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
                    | "create_connection"
                    | "HTTPConnection"
                    | "HTTPSConnection"
                    | "connect"
                    | "open"
                    | "Path"
                    | "PosixPath"
                    | "WindowsPath"
                    | "home"
                    | "cwd"
            ) {
                return None;
            }
            client_constructor(qualified(&call.func, resolve)?.segments())
        }
        Expr::Attribute(attribute) => {
            if let Some(BindingKind::Client(kind)) = resolve.self_attribute(attribute) {
                return Some(kind);
            }
            (attribute.attr.as_str() == "parent"
                && client_kind(&attribute.value, resolve) == Some(IoKind::File))
            .then_some(IoKind::File)
        }
        Expr::BinOp(binop) if binop.op == Operator::Div => {
            (client_kind(&binop.left, resolve) == Some(IoKind::File)).then_some(IoKind::File)
        }
        _ => None,
    }
}

// ---- cheap expressions -------------------------------------------------------------------

/// Whether `expr` is one cheap expression: names, constants, attribute and subscript reads,
/// and at most a few operators or comparisons on them, calling nothing but `len`, `str`,
/// `int`, `float`, `abs`, `bool`, `round` and two-argument `min`/`max`. Such a body costs
/// less than handing it to a pool (pickling and a round trip per item), so rules do not
/// propose parallelising it. A large constant power (`x ** 1000`) is not cheap.
fn is_cheap_expr<'a>(expr: &'a Expr, resolve: &impl Resolve<'a>) -> bool {
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
                ["builtins", function] => is_cheap_builtin(function),
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

/// Whether `op` between `left` and `right` is arithmetic: any arithmetic or bitwise operator
/// unless an operand is a string, bytes, f-string or container literal (concatenation and
/// `%`-formatting are not number crunching).
/// (Every `Operator` is arithmetic or bitwise; comparisons and boolean operators are other
/// nodes.)
fn is_arithmetic(left: &Expr, right: &Expr) -> bool {
    let non_numeric = |expr: &Expr| {
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
    };
    !non_numeric(left) && !non_numeric(right)
}

// ---- the analysis of one body ------------------------------------------------------------

/// What an analysed body was seen to do, merged over the calls it follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Facts {
    /// The dominant kind of I/O called (see [`IoKind::rank`]).
    io: Option<IoKind>,
    /// A configured `cpu-functions` call (assumed to hold the GIL).
    heavy: bool,
    /// A known heavy C call that releases the GIL (`hashlib.pbkdf2_hmac`, `zlib.compress`).
    native: bool,
    /// Pure-Python CPU work: arithmetic in a loop, `math` in a loop, recursion.
    loops: bool,
    /// Calls something whose workload cannot be seen (an imported function of an unknown
    /// library, a callable parameter, a helper beyond [`MAX_DEPTH`]).
    opaque: bool,
    /// The body is a single cheap `return` (only set on a function's own facts).
    trivial: bool,
}

impl Facts {
    fn add_io(&mut self, kind: IoKind) {
        if self.io.is_none_or(|current| kind.rank() > current.rank()) {
            self.io = Some(kind);
        }
    }

    /// Merges what a called function does into its caller (its shape does not carry over).
    fn merge(&mut self, callee: Facts) {
        if let Some(kind) = callee.io {
            self.add_io(kind);
        }
        self.heavy |= callee.heavy;
        self.native |= callee.native;
        self.loops |= callee.loops;
        self.opaque |= callee.opaque;
    }

    /// The classification, by the rules of thumb in RULES.md:
    /// - any I/O makes the whole I/O-bound: waiting dominates the arithmetic around it;
    /// - a configured `cpu-functions` call makes it CPU-bound; a known heavy C call that
    ///   releases the GIL makes it natively CPU-bound unless pure-Python work is seen too;
    /// - loop arithmetic, `math` in loops or recursion make it CPU-bound only when nothing
    ///   opaque is called (an unknown library call in the loop may well be the I/O);
    /// - a single cheap `return` is trivial;
    /// - anything else is unknown.
    fn workload(self) -> Workload {
        if let Some(kind) = self.io {
            Workload::IoBound(kind)
        } else if self.heavy || (self.loops && !self.opaque) {
            Workload::CpuBound
        } else if self.native {
            Workload::NativeCpuBound
        } else if self.trivial {
            Workload::Trivial
        } else {
            Workload::Unknown
        }
    }
}

/// Where names not bound in a frame are looked up.
#[derive(Clone, Copy)]
enum Outer<'a, 'p> {
    /// A module-level function or a method of a module-level class: the module's names as
    /// function bodies see them (the last binding).
    Module,
    /// Wherever the walk is now (a nested function or lambda asked about from its enclosing
    /// function, or an expression at the walk's position).
    Walk,
    /// The frame of the enclosing function being analysed.
    Frame(&'p Frame<'a, 'p>),
}

/// A function body's names, as the analysis sees them.
struct Frame<'a, 'p> {
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
            // Local, but not bound yet in source order (or a parameter): unknown value.
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
}

/// A frame with the semantic model it falls back on.
struct FrameResolver<'f, 'a, 'p> {
    frame: &'f Frame<'a, 'p>,
    semantic: &'f Semantic<'a>,
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
            Some((class, self_name)) if base.id.as_str() == self_name => {
                class_attribute(self.semantic, class, attribute.attr.as_str())
            }
            _ => None,
        }
    }
}

/// What `self.<attr>` holds in `class`: the client kind every `self.<attr> = ...` in its
/// methods agrees on (a `self.session = requests.Session()` in `__init__`).
fn class_attribute<'a>(
    semantic: &Semantic<'a>,
    class: &'a StmtClassDef,
    attr: &'a str,
) -> Option<BindingKind<'a>> {
    let key = (class.range.start(), attr);
    if let Some(memo) = semantic.self_attribute_memo.borrow().get(&key) {
        return memo.map(BindingKind::Client);
    }
    // A placeholder first: `self.a = self.b` and `self.b = self.a` must not recurse forever.
    semantic.self_attribute_memo.borrow_mut().insert(key, None);
    let kind = class_attribute_kind(semantic, class, attr);
    semantic.self_attribute_memo.borrow_mut().insert(key, kind);
    kind.map(BindingKind::Client)
}

fn class_attribute_kind<'a>(
    semantic: &Semantic<'a>,
    class: &'a StmtClassDef,
    attr: &str,
) -> Option<IoKind> {
    let mut found: Option<IoKind> = None;
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

fn is_staticmethod(def: &StmtFunctionDef) -> bool {
    def.decorator_list.iter().any(|decorator| {
        matches!(&decorator.expression, Expr::Name(name) if name.id.as_str() == "staticmethod")
    })
}

/// The method `name` defined in `class`'s own body (inherited methods are not followed).
fn method_of<'a>(class: &'a StmtClassDef, name: &str) -> Option<&'a StmtFunctionDef> {
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

/// How a followed function reached the analysis.
struct Outcome {
    facts: Facts,
    /// The lowest index into the in-progress stack the analysis ran into (a recursive call):
    /// results that depend on a function still being analysed are not memoised.
    cycle: usize,
    /// Cut short by [`MAX_DEPTH`].
    truncated: bool,
}

/// One walk over one body (or one expression).
struct Analyser<'w, 'a, 'p> {
    workloads: &'w Workloads<'a>,
    semantic: &'w Semantic<'a>,
    frame: Frame<'a, 'p>,
    facts: Facts,
    loop_depth: u32,
    /// Depth of this body in the chain of followed calls.
    depth: u8,
    cycle: usize,
    truncated: bool,
    /// Whether the call being followed computes its arguments with arithmetic (`fib(n - 1)`):
    /// only such recursion is numeric work. Recursing on the parts of a structure
    /// (`[walk(child) for child in node]`) is a cheap traversal, not CPU-bound evidence.
    call_arithmetic: bool,
}

impl<'w, 'a, 'p> Analyser<'w, 'a, 'p> {
    fn new(
        workloads: &'w Workloads<'a>,
        semantic: &'w Semantic<'a>,
        frame: Frame<'a, 'p>,
        depth: u8,
    ) -> Self {
        Self {
            workloads,
            semantic,
            frame,
            facts: Facts::default(),
            loop_depth: 0,
            depth,
            cycle: usize::MAX,
            truncated: false,
            call_arithmetic: false,
        }
    }

    fn resolver(&self) -> FrameResolver<'_, 'a, 'p> {
        FrameResolver {
            frame: &self.frame,
            semantic: self.semantic,
        }
    }

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

    fn bind_target(&mut self, target: &'a Expr, kind: BindingKind<'a>) {
        match target {
            Expr::Name(name) => {
                self.frame.bound.insert(name.id.as_str(), kind);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.bind_target(elt, BindingKind::Value);
                }
            }
            Expr::Starred(starred) => self.bind_target(&starred.value, BindingKind::Value),
            _ => {}
        }
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for parameter in parameters.iter() {
            let kind = parameter
                .annotation()
                .and_then(|annotation| {
                    client_constructor(qualified(annotation, &self.resolver())?.segments())
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

    fn in_loop<F: FnOnce(&mut Self)>(&mut self, f: F) {
        self.loop_depth += 1;
        f(self);
        self.loop_depth -= 1;
    }

    fn follow(
        &mut self,
        def: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
        outer: Outer<'a, '_>,
    ) {
        let recursive = self.workloads.is_in_progress(def);
        let mut outcome =
            self.workloads
                .analyse_function(self.semantic, def, class, outer, self.depth + 1);
        if recursive && !self.call_arithmetic {
            outcome.facts.loops = false;
        }
        self.facts.merge(outcome.facts);
        self.cycle = self.cycle.min(outcome.cycle);
        self.truncated |= outcome.truncated;
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
                && !self
                    .frame
                    .bound
                    .get(self_name)
                    .is_some_and(|kind| !matches!(kind, BindingKind::Parameter))
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

    /// What a call contributes (its arguments are visited separately).
    fn call(&mut self, call: &'a ExprCall) {
        self.call_arithmetic = call
            .arguments
            .args
            .iter()
            .chain(call.arguments.keywords.iter().map(|keyword| &keyword.value))
            .any(|argument| matches!(argument, Expr::BinOp(binop) if is_arithmetic(&binop.left, &binop.right)));
        let func = call.func.as_ref();
        if let Expr::Attribute(attribute) = func {
            if let Some(kind) = client_kind(&attribute.value, &self.resolver()) {
                if is_io_method(kind, attribute.attr.as_str()) {
                    self.facts.add_io(kind);
                }
                return;
            }
            if let Some((def, class)) = self.method_target(attribute) {
                let outer = if is_module_class(self.semantic, class) {
                    Outer::Module
                } else {
                    Outer::Walk
                };
                self.follow(def, Some(class), outer);
                return;
            }
        }
        if let Some(name) = qualified(func, &self.resolver()) {
            self.library_call(&name);
            return;
        }
        match func {
            Expr::Name(name) => match self.frame.resolve(self.semantic, name) {
                Some((BindingKind::Function(def), outer)) => {
                    // `outer` borrows the frame; copy it to a frame-independent form when
                    // it can be, so the follow can borrow `self` mutably.
                    match outer {
                        Outer::Module => self.follow(def, None, Outer::Module),
                        Outer::Walk => self.follow(def, None, Outer::Walk),
                        Outer::Frame(_) => self.follow_nested(def),
                    }
                }
                Some((BindingKind::Lambda(lambda), _)) => {
                    if !is_cheap_expr(&lambda.body, &self.resolver()) {
                        self.facts.opaque = true;
                    }
                }
                // Constructors of the file's own classes, calls on instances.
                Some((
                    BindingKind::Class(_) | BindingKind::Object(_) | BindingKind::Instance(_),
                    _,
                )) => {}
                // Calling a parameter or some other value: cannot be seen.
                _ => self.facts.opaque = true,
            },
            // A method of an object of unknown type: the common methods of builtin data
            // types (`line.split()`, `results.append(x)`) do not block; any other
            // (`self.client.fetch(u)`) might, so it is opaque.
            Expr::Attribute(attribute) => {
                if !is_data_method(attribute.attr.as_str()) {
                    self.facts.opaque = true;
                }
            }
            _ => self.facts.opaque = true,
        }
    }

    /// A call to a function defined inside the body being analysed: its free names resolve
    /// through this frame.
    fn follow_nested(&mut self, def: &'a StmtFunctionDef) {
        let recursive = self.workloads.is_in_progress(def);
        let mut outcome = self.workloads.analyse_function(
            self.semantic,
            def,
            None,
            Outer::Frame(&self.frame),
            self.depth + 1,
        );
        if recursive && !self.call_arithmetic {
            outcome.facts.loops = false;
        }
        self.facts.merge(outcome.facts);
        self.cycle = self.cycle.min(outcome.cycle);
        self.truncated |= outcome.truncated;
    }

    fn library_call(&mut self, name: &QualifiedName<'a>) {
        let segments = name.segments();
        if let Some(kind) = io_function(segments) {
            self.facts.add_io(kind);
        } else if heavy_cpu_function(segments) {
            self.facts.native = true;
        } else if self.workloads.is_configured_io(name) {
            self.facts.add_io(IoKind::Other);
        } else if self.workloads.is_configured_cpu(name) {
            self.facts.heavy = true;
        } else if client_constructor(segments).is_some() {
            // `requests.Session()`, `Path(..)`: making the object does no I/O.
        } else if matches!(segments.first(), Some(&("math" | "cmath"))) {
            // Predicates (`math.isnan` in an `assert all(...)`) check values; they are not
            // the numeric work that makes a loop CPU-bound (dask's `format_blocks`).
            let predicate = matches!(
                segments.last(),
                Some(&("isnan" | "isinf" | "isfinite" | "isclose"))
            );
            if self.loop_depth > 0 && !predicate {
                self.facts.loops = true;
            }
        } else if !segments
            .first()
            .is_some_and(|module| is_non_blocking_module(module))
        {
            self.facts.opaque = true;
        }
    }
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

impl<'a> Visitor<'a> for Analyser<'_, 'a, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => {
                // Decorators and defaults run now; the body only when called (followed then).
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
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let kind = self.classify_value(&assign.value);
                for target in &assign.targets {
                    self.visit_expr(target);
                    self.bind_target(target, kind);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                    let kind = self.classify_value(value);
                    self.bind_target(&assign.target, kind);
                }
            }
            Stmt::AugAssign(assign) => {
                if self.loop_depth > 0 && is_arithmetic(&assign.target, &assign.value) {
                    self.facts.loops = true;
                }
                self.visit_expr(&assign.value);
                self.visit_expr(&assign.target);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        let kind = self.classify_value(&item.context_expr);
                        self.bind_target(vars, kind);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_target(&for_stmt.target, BindingKind::Value);
                self.in_loop(|this| this.visit_body(&for_stmt.body));
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.in_loop(|this| {
                    this.visit_expr(&while_stmt.test);
                    this.visit_body(&while_stmt.body);
                });
                self.visit_body(&while_stmt.orelse);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.call(call);
                visitor::walk_expr(self, expr);
            }
            Expr::BinOp(binop) => {
                if self.loop_depth > 0 && is_arithmetic(&binop.left, &binop.right) {
                    self.facts.loops = true;
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Lambda(lambda) => {
                let mark = self.frame.shadowed.len();
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                    for parameter in parameters.iter() {
                        self.frame.shadowed.push(parameter.name().as_str());
                    }
                }
                self.visit_expr(&lambda.body);
                self.frame.shadowed.truncate(mark);
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
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                let kind = self.classify_value(&named.value);
                self.bind_target(&named.target, kind);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> Analyser<'_, 'a, '_> {
    /// A comprehension is a loop: its element and conditions run once per item.
    fn comprehension(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        let mark = self.frame.shadowed.len();
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.in_loop(|this| {
            for (index, generator) in generators.iter().enumerate() {
                if index > 0 {
                    this.visit_expr(&generator.iter);
                }
                this.shadow_target(&generator.target);
                for condition in &generator.ifs {
                    this.visit_expr(condition);
                }
            }
            for element in elements {
                this.visit_expr(element);
            }
        });
        self.frame.shadowed.truncate(mark);
    }
}

// ---- the shared fact ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Memo {
    facts: Facts,
    /// Not cut short by the depth bound.
    complete: bool,
    /// The depth it was analysed at (a cut-short result is reused only as deep or deeper).
    depth: u8,
}

/// The workload classification of one file: queried by rules, memoised per function.
pub struct Workloads<'a> {
    io_functions: &'a [String],
    cpu_functions: &'a [String],
    memo: RefCell<FxHashMap<TextSize, Memo>>,
    /// The functions being analysed, outermost first (recursion shows up as a call to one).
    in_progress: RefCell<Vec<TextSize>>,
    analyses: Cell<usize>,
}

impl std::fmt::Debug for Workloads<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workloads")
            .field("memoised", &self.memo.borrow().len())
            .field("analyses", &self.analyses.get())
            .finish()
    }
}

impl<'a> Workloads<'a> {
    /// A classification extended by the `io-functions` and `cpu-functions` dotted names.
    pub fn new(io_functions: &'a [String], cpu_functions: &'a [String]) -> Self {
        Self {
            io_functions,
            cpu_functions,
            memo: RefCell::default(),
            in_progress: RefCell::default(),
            analyses: Cell::new(0),
        }
    }

    pub fn from_settings(settings: &'a Settings) -> Self {
        Self::new(&settings.io_functions, &settings.cpu_functions)
    }

    /// How many function bodies have been analysed (each at most once when complete).
    /// Whether `def` is being analysed now (a call to it is recursion).
    fn is_in_progress(&self, def: &StmtFunctionDef) -> bool {
        self.in_progress.borrow().contains(&def.range.start())
    }

    pub fn analyses(&self) -> usize {
        self.analyses.get()
    }

    fn is_configured_io(&self, name: &QualifiedName) -> bool {
        self.io_functions.iter().any(|entry| name.is(entry.trim()))
    }

    fn is_configured_cpu(&self, name: &QualifiedName) -> bool {
        self.cpu_functions.iter().any(|entry| name.is(entry.trim()))
    }

    /// The workload of evaluating `expr` where the walk is now: the calls in it (a library
    /// call from the tables, a client's method, the module's own functions followed), or
    /// trivial when it is one cheap expression.
    pub fn of_expr(&self, semantic: &Semantic<'a>, expr: &'a Expr) -> Workload {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let mut analyser = Analyser::new(self, semantic, frame, 0);
        analyser.visit_expr(expr);
        let mut facts = analyser.facts;
        facts.trivial = is_cheap_expr(expr, &analyser.resolver());
        facts.workload()
    }

    /// The workload of a call expression where the walk is now (its arguments included):
    /// `requests.get(url)` is network I/O, `work(x)` is whatever `work`'s body is.
    pub fn of_call(&self, semantic: &Semantic<'a>, call: &'a ExprCall) -> Workload {
        let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        let mut analyser = Analyser::new(self, semantic, frame, 0);
        analyser.call(call);
        analyser.visit_expr(&call.func);
        analyser.visit_arguments(&call.arguments);
        analyser.facts.workload()
    }

    /// The workload of a callable as handed to a pool, resolved where the walk is now: a
    /// name bound to a `def` (module-level or nested) or a lambda, `self.method` /
    /// `obj.method` / `Class.method` of a class in this file, `functools.partial(f, ...)`,
    /// a lambda, a client's method (`session.get`), or a library function.
    pub fn of_callable(&self, semantic: &Semantic<'a>, callable: &'a Expr) -> Workload {
        match callable {
            Expr::Lambda(lambda) => self.of_lambda(semantic, lambda),
            Expr::Name(name) => {
                let Some(binding) = semantic.lookup(name.id.as_str(), name.range.start()) else {
                    return library_callable(self, semantic, callable);
                };
                match binding.kind {
                    BindingKind::Function(def) => self.of_function(semantic, def),
                    BindingKind::Lambda(lambda) => self.of_lambda(semantic, lambda),
                    BindingKind::Import { .. } | BindingKind::FromImport { .. } => {
                        library_callable(self, semantic, callable)
                    }
                    _ => Workload::Unknown,
                }
            }
            Expr::Attribute(attribute) => {
                let frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
                let analyser = Analyser::new(self, semantic, frame, 0);
                if let Some(kind) = client_kind(&attribute.value, &analyser.resolver()) {
                    return if is_io_method(kind, attribute.attr.as_str()) {
                        Workload::IoBound(kind)
                    } else {
                        Workload::Unknown
                    };
                }
                if let Some((def, class)) = analyser.method_target(attribute) {
                    return self.of_method(semantic, def, class);
                }
                if let Expr::Name(base) = attribute.value.as_ref() {
                    if semantic
                        .lookup(base.id.as_str(), base.range.start())
                        .is_none()
                        && trivial_type_method(base.id.as_str(), attribute.attr.as_str())
                    {
                        return Workload::Trivial;
                    }
                }
                library_callable(self, semantic, callable)
            }
            Expr::Call(call) if semantic.resolves_to(&call.func, "functools.partial") => call
                .arguments
                .args
                .first()
                .map_or(Workload::Unknown, |inner| self.of_callable(semantic, inner)),
            _ => Workload::Unknown,
        }
    }

    /// The workload of calling `def` (a module-level or nested function), memoised.
    pub fn of_function(&self, semantic: &Semantic<'a>, def: &'a StmtFunctionDef) -> Workload {
        let outer = if is_module_function(semantic, def) {
            Outer::Module
        } else {
            Outer::Walk
        };
        self.analyse_function(semantic, def, None, outer, 0)
            .facts
            .workload()
    }

    /// The workload of calling method `def` of `class` (a class in this file), memoised.
    pub fn of_method(
        &self,
        semantic: &Semantic<'a>,
        def: &'a StmtFunctionDef,
        class: &'a StmtClassDef,
    ) -> Workload {
        let outer = if is_module_class(semantic, class) {
            Outer::Module
        } else {
            Outer::Walk
        };
        self.analyse_function(semantic, def, Some(class), outer, 0)
            .facts
            .workload()
    }

    /// A lambda: trivial when its body is one cheap expression, else what its body calls.
    pub fn of_lambda(&self, semantic: &Semantic<'a>, lambda: &'a ast::ExprLambda) -> Workload {
        let mut frame = Frame::empty(Outer::Walk, walk_method_class(semantic));
        if let Some(parameters) = &lambda.parameters {
            frame
                .locals
                .extend(parameters.iter().map(|parameter| parameter.name().as_str()));
        }
        let mut analyser = Analyser::new(self, semantic, frame, 0);
        analyser.visit_expr(&lambda.body);
        let mut facts = analyser.facts;
        facts.trivial = is_cheap_expr(&lambda.body, &analyser.resolver());
        facts.workload()
    }

    fn analyse_function(
        &self,
        semantic: &Semantic<'a>,
        def: &'a StmtFunctionDef,
        class: Option<&'a StmtClassDef>,
        outer: Outer<'a, '_>,
        depth: u8,
    ) -> Outcome {
        let key = def.range.start();
        if let Some(memo) = self.memo.borrow().get(&key) {
            if memo.complete || memo.depth <= depth {
                return Outcome {
                    facts: memo.facts,
                    cycle: usize::MAX,
                    truncated: !memo.complete,
                };
            }
        }
        if let Some(index) = self.in_progress.borrow().iter().position(|k| *k == key) {
            // Recursion: repeated pure-Python work, unless the rest of the body says I/O.
            return Outcome {
                facts: Facts {
                    loops: true,
                    ..Facts::default()
                },
                cycle: index,
                truncated: false,
            };
        }
        if depth >= MAX_DEPTH {
            return Outcome {
                facts: Facts {
                    opaque: true,
                    ..Facts::default()
                },
                cycle: usize::MAX,
                truncated: true,
            };
        }
        self.analyses.set(self.analyses.get() + 1);
        let index = {
            let mut in_progress = self.in_progress.borrow_mut();
            in_progress.push(key);
            in_progress.len() - 1
        };
        let class = class.and_then(|class| method_class(class, def));
        let mut frame = Frame::empty(outer, class);
        frame.locals = function_locals(def);
        let mut analyser = Analyser::new(self, semantic, frame, depth);
        analyser.bind_parameters(&def.parameters);
        let body = body_without_docstring(def);
        let trivial = !def.is_async
            && matches!(body, [Stmt::Return(ast::StmtReturn { value: Some(value), .. })]
                if is_cheap_expr(value, &analyser.resolver()));
        if !trivial {
            analyser.visit_body(body);
        }
        let mut facts = analyser.facts;
        facts.trivial = trivial;
        let (cycle, truncated) = (analyser.cycle, analyser.truncated);
        self.in_progress.borrow_mut().pop();
        if cycle >= index {
            self.memo.borrow_mut().insert(
                key,
                Memo {
                    facts,
                    complete: !truncated,
                    depth,
                },
            );
        }
        Outcome {
            facts,
            cycle: if cycle >= index { usize::MAX } else { cycle },
            truncated,
        }
    }
}

/// A library function handed to a pool: I/O, heavy CPU, configured, or trivial per item.
fn library_callable<'a>(
    workloads: &Workloads<'a>,
    semantic: &Semantic<'a>,
    callable: &'a Expr,
) -> Workload {
    let Some(name) = semantic.qualified_name(callable) else {
        return Workload::Unknown;
    };
    let segments = name.segments();
    if let Some(kind) = io_function(segments) {
        Workload::IoBound(kind)
    } else if heavy_cpu_function(segments) {
        Workload::NativeCpuBound
    } else if workloads.is_configured_io(&name) {
        Workload::IoBound(IoKind::Other)
    } else if workloads.is_configured_cpu(&name) {
        Workload::CpuBound
    } else if trivial_callable(segments) {
        Workload::Trivial
    } else {
        Workload::Unknown
    }
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

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_python_parser::parse_module;

    use super::*;
    use crate::analysis::semantic::ScopeKind;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(ToString::to_string).collect()
    }

    fn last_expr(body: &[Stmt]) -> &Expr {
        match body.last().expect("a statement") {
            Stmt::Expr(expr) => &expr.value,
            other => panic!("the last statement must be an expression: {other:?}"),
        }
    }

    /// The workload of the module's last statement, an expression: as a call when `as_call`
    /// (it must be one), else as a callable handed to a pool.
    fn classify_with(source: &str, as_call: bool, io: &[&str], cpu: &[&str]) -> Workload {
        let (io, cpu) = (strings(io), strings(cpu));
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let workloads = Workloads::new(&io, &cpu);
        let expr = last_expr(body);
        if as_call {
            let Expr::Call(call) = expr else {
                panic!("not a call: {expr:?}")
            };
            workloads.of_call(&semantic, call)
        } else {
            workloads.of_callable(&semantic, expr)
        }
    }

    fn call(source: &str) -> Workload {
        classify_with(source, true, &[], &[])
    }

    fn callable(source: &str) -> Workload {
        classify_with(source, false, &[], &[])
    }

    /// The workload of the callable that is the last statement of method `method` of class
    /// `class`, with the walk's scopes set up as the checker would have them there.
    fn callable_in_method(source: &str, class: &str, method: &str) -> Workload {
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let mut semantic = Semantic::new(body);
        let workloads = Workloads::new(&[], &[]);
        let Some(BindingKind::Class(class)) =
            semantic.module_binding(class).map(|binding| binding.kind)
        else {
            panic!("no class");
        };
        let def = method_of(class, method).expect("no method");
        semantic.push_scope(ScopeKind::Class(class));
        semantic.push_scope(ScopeKind::Function(def));
        for parameter in def.parameters.iter() {
            semantic.bind(
                parameter.name().as_str(),
                parameter.name().range,
                BindingKind::Parameter,
            );
        }
        workloads.of_callable(&semantic, last_expr(&def.body))
    }

    const NETWORK: Workload = Workload::IoBound(IoKind::Network);
    const FILE: Workload = Workload::IoBound(IoKind::File);
    const DATABASE: Workload = Workload::IoBound(IoKind::Database);

    #[test]
    fn library_calls_through_every_import_style() {
        assert_eq!(call("import requests\nrequests.get(url)"), NETWORK);
        assert_eq!(call("import requests as rq\nrq.get(url)"), NETWORK);
        assert_eq!(
            call("from requests import get as fetch\nfetch(url)"),
            NETWORK
        );
        assert_eq!(
            call("from urllib.request import urlopen\nurlopen(url)"),
            NETWORK
        );
        assert_eq!(
            call("import urllib.request\nurllib.request.urlopen(url)"),
            NETWORK
        );
        assert_eq!(call("import httpx\nhttpx.post(url, json={})"), NETWORK);
        assert_eq!(call("import urllib3\nurllib3.request('GET', url)"), NETWORK);
        assert_eq!(
            call("import socket\nsocket.create_connection((h, 80))"),
            NETWORK
        );
        assert_eq!(call("open(path)"), FILE);
        assert_eq!(call("import shutil\nshutil.copy2(a, b)"), FILE);
        assert_eq!(call("from shutil import copyfile as cp\ncp(a, b)"), FILE);
        assert_eq!(
            call("import subprocess as sp\nsp.run(['ls'])"),
            Workload::IoBound(IoKind::Subprocess)
        );
        assert_eq!(
            call("from subprocess import check_output\ncheck_output(cmd)"),
            Workload::IoBound(IoKind::Subprocess)
        );
        assert_eq!(
            call("from time import sleep\nsleep(1)"),
            Workload::IoBound(IoKind::Sleep)
        );
        assert_eq!(call("import sqlite3\nsqlite3.connect('x.db')"), DATABASE);
        assert_eq!(
            call("import hashlib\nhashlib.pbkdf2_hmac('sha256', p, s, 100_000)"),
            Workload::NativeCpuBound
        );
        assert_eq!(
            call("from zlib import compress\ncompress(data)"),
            Workload::NativeCpuBound
        );
        assert_eq!(
            call("import lzma\nlzma.compress(data)"),
            Workload::NativeCpuBound
        );
        assert_eq!(
            call("import bz2\nbz2.compress(data)"),
            Workload::NativeCpuBound
        );
        // The arguments are evaluated too.
        assert_eq!(
            call("import requests\nresults.append(requests.get(u))"),
            NETWORK
        );
    }

    #[test]
    fn library_functions_as_callables() {
        assert_eq!(callable("import requests as rq\nrq.get"), NETWORK);
        assert_eq!(
            callable("from time import sleep\nsleep"),
            Workload::IoBound(IoKind::Sleep)
        );
        assert_eq!(
            callable("import zlib\nzlib.compress"),
            Workload::NativeCpuBound
        );
        assert_eq!(callable("open"), FILE);
        assert_eq!(callable("import json\njson.loads"), Workload::Unknown);
        assert_eq!(callable("print"), Workload::Unknown);
    }

    #[test]
    fn client_objects() {
        assert_eq!(
            call("import requests\ns = requests.Session()\ns.get(url)"),
            NETWORK
        );
        assert_eq!(
            call("from requests import Session\ns = Session()\ns.post(url)"),
            NETWORK
        );
        assert_eq!(
            call("import httpx\nwith httpx.Client() as c:\n    pass\nc.get(url)"),
            NETWORK
        );
        assert_eq!(
            call("import urllib3\nhttp = urllib3.PoolManager()\nhttp.request('GET', url)"),
            NETWORK
        );
        assert_eq!(
            call("import requests\nrequests.Session().get(url)"),
            NETWORK
        );
        // A client's method handed to a pool.
        assert_eq!(
            callable("import requests\ns = requests.Session()\ns.get"),
            NETWORK
        );
        // A client's other methods do no I/O.
        assert_eq!(
            call("import requests\ns = requests.Session()\ns.mount(p, a)"),
            Workload::Unknown
        );
        // Making the client is not I/O.
        assert_eq!(
            call("import requests\nrequests.Session()"),
            Workload::Unknown
        );
    }

    #[test]
    fn client_binding_kinds_in_semantic() {
        let parsed = parse_module(
            "import requests, sqlite3\nfrom pathlib import Path\nclass C: pass\ns = requests.Session()\nconn = sqlite3.connect('x')\ncur = conn.cursor()\np = Path('a') / 'b'\nobj = C()\nn = 3\n",
        )
        .unwrap();
        let semantic = Semantic::new(&parsed.syntax().body);
        let kind = |name: &str| semantic.module_binding(name).unwrap().kind;
        assert!(matches!(kind("s"), BindingKind::Client(IoKind::Network)));
        assert!(matches!(
            kind("conn"),
            BindingKind::Client(IoKind::Database)
        ));
        assert!(matches!(kind("cur"), BindingKind::Client(IoKind::Database)));
        assert!(matches!(kind("p"), BindingKind::Client(IoKind::File)));
        assert!(matches!(kind("obj"), BindingKind::Object(_)));
        assert!(matches!(kind("n"), BindingKind::Value));
    }

    #[test]
    fn path_objects() {
        assert_eq!(call("from pathlib import Path\nPath(p).read_text()"), FILE);
        assert_eq!(
            call("import pathlib\np = pathlib.Path('x')\np.read_bytes()"),
            FILE
        );
        assert_eq!(
            call("from pathlib import Path\np = Path('x')\n(p / 'a').write_text(s)"),
            FILE
        );
        assert_eq!(
            call("from pathlib import Path\np = Path('x')\np.parent.write_bytes(b)"),
            FILE
        );
        assert_eq!(
            call("from pathlib import Path\np = Path('x').with_suffix('.txt')\np.read_text()"),
            FILE
        );
        assert_eq!(
            call("def f(p):\n    with open(p) as fh:\n        return fh.read()\nf(x)"),
            FILE
        );
        // A parameter annotated as a Path.
        assert_eq!(
            call("from pathlib import Path\ndef f(p: Path):\n    return p.read_text()\nf(x)"),
            FILE
        );
        // Not a Path.
        assert_eq!(call("doc.read_text()"), Workload::Unknown);
        assert_eq!(
            call("def f(doc):\n    return doc.read_text()\nf(x)"),
            Workload::Unknown
        );
        assert_eq!(
            call("from pathlib import Path\np = Path('x')\np.with_suffix('.y')"),
            Workload::Unknown
        );
    }

    #[test]
    fn database_cursors() {
        let source = "import sqlite3\nconn = sqlite3.connect('db')\ncur = conn.cursor()\n";
        assert_eq!(call(&format!("{source}cur.execute('select 1')")), DATABASE);
        assert_eq!(call(&format!("{source}cur.fetchall()")), DATABASE);
        assert_eq!(call(&format!("{source}conn.execute('select 1')")), DATABASE);
        assert_eq!(
            call(&format!("{source}conn.cursor().executemany(q, rows)")),
            DATABASE
        );
        assert_eq!(
            call("import psycopg2 as pg\ndef load(q):\n    with pg.connect(dsn) as conn:\n        cur = conn.cursor()\n        cur.execute(q)\n        return cur.fetchall()\nload(x)"),
            DATABASE
        );
        // A user class with an `execute` method is not a cursor.
        assert_eq!(
            call("class Db:\n    def execute(self, q):\n        self.log.append(q)\ndb = Db()\ndb.execute('x')"),
            Workload::Unknown
        );
        assert_eq!(
            call("def f(cur, q):\n    cur.execute(q)\nf(c, x)"),
            Workload::Unknown
        );
    }

    #[test]
    fn functions_are_classified_by_their_body() {
        let io = "import requests\ndef fetch(url):\n    r = requests.get(url, timeout=5)\n    return r.json()\n";
        assert_eq!(callable(&format!("{io}fetch")), NETWORK);
        assert_eq!(call(&format!("{io}fetch(u)")), NETWORK);
        // I/O dominates the arithmetic around it.
        let mixed = "import requests\ndef f(urls):\n    n = 0\n    for u in urls:\n        n += len(requests.get(u).content) * 2\n    return n\nf";
        assert_eq!(callable(mixed), NETWORK);
        // A module-level session used in a function.
        let session = "import requests\nSESSION = requests.Session()\ndef f(u):\n    return SESSION.get(u).text\nf";
        assert_eq!(callable(session), NETWORK);
        // A session made in the body.
        let local =
            "import httpx\ndef f(u):\n    client = httpx.Client()\n    return client.get(u)\nf";
        assert_eq!(callable(local), NETWORK);
        // An import inside the body.
        assert_eq!(
            callable("def f(u):\n    import requests as r\n    return r.get(u)\nf"),
            NETWORK
        );
        // Subprocess and sleep.
        assert_eq!(
            callable("import subprocess\ndef f(c):\n    return subprocess.run(c, check=True)\nf"),
            Workload::IoBound(IoKind::Subprocess)
        );
        // Several kinds: the dominant one.
        assert_eq!(
            callable("import time, requests\ndef f(u):\n    time.sleep(1)\n    return requests.get(u)\nf"),
            NETWORK
        );
    }

    #[test]
    fn cpu_bound_bodies() {
        let loop_arith = "def work(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\nwork";
        assert_eq!(callable(loop_arith), Workload::CpuBound);
        let collatz = "def steps(n):\n    s = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        s += 1\n    return s\nsteps";
        assert_eq!(callable(collatz), Workload::CpuBound);
        let fib =
            "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nfib";
        assert_eq!(callable(fib), Workload::CpuBound);
        let mutual = "def even(n):\n    if n == 0:\n        return True\n    return odd(n - 1)\ndef odd(n):\n    if n == 0:\n        return False\n    return even(n - 1)\neven";
        assert_eq!(callable(mutual), Workload::CpuBound);
        let math_loop = "import math as m\ndef f(xs):\n    out = []\n    for x in xs:\n        out.append(m.sqrt(x))\n    return out\nf";
        assert_eq!(callable(math_loop), Workload::CpuBound);
        let comprehension = "def f(n):\n    return sum(i * i for i in range(n))\nf";
        assert_eq!(callable(comprehension), Workload::CpuBound);
        let heavy = "import hashlib\ndef derive(p):\n    return hashlib.pbkdf2_hmac('sha256', p, b'salt', 200_000)\nderive";
        // The C routine releases the GIL: CPU-bound, but threads scale.
        assert_eq!(callable(heavy), Workload::NativeCpuBound);
        assert!(callable(heavy).is_cpu());
        // Python arithmetic around it holds the GIL again.
        let mixed = "import hashlib\ndef derive(ps):\n    t = 0\n    for p in ps:\n        t += len(hashlib.pbkdf2_hmac('sha256', p, b'salt', 9)) * 3\n    return t\nderive";
        assert_eq!(callable(mixed), Workload::CpuBound);
        // Recursion that does I/O is I/O-bound.
        let crawl = "import os\ndef walk(d):\n    for e in os.listdir(d):\n        walk(e)\nwalk";
        assert_eq!(callable(crawl), FILE); // Recursing on the parts of a structure is a traversal, not numeric work (found on
                                           // dask's `subs` and distributed's `_tuple_to_list` in the corpus).
        let traversal = "def to_list(node):\n    if isinstance(node, (list, tuple)):\n        return [to_list(el) for el in node]\n    return node\nto_list";
        assert_eq!(callable(traversal), Workload::Unknown);
        let keyed = "def clean(key, value, sep=','):\n    if isinstance(value, list):\n        return [clean(key, v, separator=sep) for v in value]\n    return value\nclean";
        assert_eq!(callable(keyed), Workload::Unknown);
        let validation = "import math\ndef check(blocks):\n    assert all(isinstance(x, int) or math.isnan(x) for x in blocks)\n    return blocks\ncheck";
        assert_eq!(callable(validation), Workload::Unknown);
    }

    #[test]
    fn precision_first_unknowns() {
        // Arithmetic in a loop that also calls an unknown library: the call may be the cost.
        let opaque = "from mylib import fetch\ndef f(xs):\n    n = 0\n    for x in xs:\n        n += fetch(x)\n    return n\nf";
        assert_eq!(callable(opaque), Workload::Unknown);
        // Calling a callable parameter.
        let parameter =
            "def f(fn, xs):\n    n = 0\n    for x in xs:\n        n += fn(x)\n    return n\nf";
        assert_eq!(callable(parameter), Workload::Unknown);
        // String building is not number crunching.
        let strings = "def f(xs):\n    s = ''\n    for x in xs:\n        s += 'a'\n    return s\nf";
        assert_eq!(callable(strings), Workload::Unknown);
        // No loop, no I/O, not a single cheap return.
        let plain = "def f(x):\n    y = x.strip()\n    return y.lower()\nf";
        assert_eq!(callable(plain), Workload::Unknown);
        // A loop calling a method of an object of unknown type that may be a client.
        let method = "def f(self, urls):\n    t = 0\n    for u in urls:\n        t += self.client.fetch(u)\n    return t\nf";
        assert_eq!(callable(method), Workload::Unknown);
        // ... while the common data methods do not hide I/O.
        let data = "def f(lines):\n    out = []\n    for line in lines:\n        out.append(int(line.strip()) * 2)\n    return out\nf";
        assert_eq!(callable(data), Workload::CpuBound);
        // Arithmetic outside any loop.
        assert_eq!(
            callable("def f(x):\n    y = x * 2\n    return y + 1\nf"),
            Workload::Unknown
        );
        // Classes and unknown objects.
        assert_eq!(callable("class C: pass\nC"), Workload::Unknown);
        assert_eq!(callable("handler"), Workload::Unknown);
    }

    #[test]
    fn module_functions_are_followed_to_a_bounded_depth() {
        let chain = "import requests\ndef a(u):\n    return b(u)\ndef b(u):\n    return c(u)\ndef c(u):\n    return requests.get(u)\na";
        assert_eq!(callable(chain), NETWORK);
        // Defined below the caller, CPU helper called in a comprehension.
        let cpu = "def outer(xs):\n    return [inner(x) for x in xs]\ndef inner(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nouter";
        assert_eq!(callable(cpu), Workload::CpuBound);
        // I/O five calls deep is past the bound: unknown, not a guess.
        let deep = "import requests\ndef f0(u):\n    return f1(u)\ndef f1(u):\n    return f2(u)\ndef f2(u):\n    return f3(u)\ndef f3(u):\n    return f4(u)\ndef f4(u):\n    return requests.get(u)\nf0";
        assert_eq!(callable(deep), Workload::Unknown);
        // ... and a CPU loop calling past the bound is opaque, so unknown too.
        let deep_cpu = "def g(xs):\n    t = 0\n    for x in xs:\n        t += f0(x)\n    return t\ndef f0(u):\n    return f1(u)\ndef f1(u):\n    return f2(u)\ndef f2(u):\n    return f3(u)\ndef f3(u):\n    return f4(u)\ndef f4(u):\n    return fetch(u)\ng";
        assert_eq!(callable(deep_cpu), Workload::Unknown);
    }

    #[test]
    fn memoised_per_function() {
        let source = "import requests\ndef helper(u):\n    return requests.get(u)\ndef a(u):\n    return helper(u)\ndef b(u):\n    return helper(u) and helper(u)\n";
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let workloads = Workloads::new(&[], &[]);
        let def = |name: &str| match semantic.module_binding(name).unwrap().kind {
            BindingKind::Function(def) => def,
            _ => panic!(),
        };
        assert_eq!(workloads.of_function(&semantic, def("a")), NETWORK);
        assert_eq!(workloads.analyses(), 2, "a and helper");
        assert_eq!(workloads.of_function(&semantic, def("a")), NETWORK);
        assert_eq!(workloads.of_function(&semantic, def("helper")), NETWORK);
        assert_eq!(workloads.analyses(), 2, "answered from the memo");
        assert_eq!(workloads.of_function(&semantic, def("b")), NETWORK);
        assert_eq!(workloads.analyses(), 3, "b analysed, helper reused");

        // Recursive functions are memoised too.
        let parsed =
            parse_module("def fib(n):\n    return fib(n - 1) + fib(n - 2) if n > 1 else n\n")
                .unwrap();
        let semantic = Semantic::new(&parsed.syntax().body);
        let workloads = Workloads::new(&[], &[]);
        let Some(BindingKind::Function(fib)) = semantic.module_binding("fib").map(|b| b.kind)
        else {
            panic!()
        };
        assert_eq!(workloads.of_function(&semantic, fib), Workload::CpuBound);
        assert_eq!(workloads.of_function(&semantic, fib), Workload::CpuBound);
        assert_eq!(workloads.analyses(), 1);
    }

    #[test]
    fn configured_functions_extend_the_tables() {
        let source = "from mycompany.storage import fetch_blob as fb\nfb(key)";
        assert_eq!(call(source), Workload::Unknown);
        assert_eq!(
            classify_with(source, true, &["mycompany.storage.fetch_blob"], &[]),
            Workload::IoBound(IoKind::Other)
        );
        let crunch = "import imgkit\ndef f(x):\n    return imgkit.render(x)\nf";
        assert_eq!(callable(crunch), Workload::Unknown);
        assert_eq!(
            classify_with(crunch, false, &[], &["imgkit.render"]),
            Workload::CpuBound
        );
        assert_eq!(
            classify_with(
                "import imgkit\nimgkit.render",
                false,
                &[],
                &["imgkit.render"]
            ),
            Workload::CpuBound
        );
    }

    #[test]
    fn trivial_callables() {
        assert_eq!(callable("lambda x: x * 2"), Workload::Trivial);
        assert_eq!(callable("lambda a, b: a[b] + 1"), Workload::Trivial);
        assert_eq!(callable("lambda s: len(s) > 3"), Workload::Trivial);
        assert_eq!(callable("str"), Workload::Trivial);
        assert_eq!(callable("len"), Workload::Trivial);
        assert_eq!(callable("int"), Workload::Trivial);
        assert_eq!(callable("import operator\noperator.add"), Workload::Trivial);
        assert_eq!(
            callable("from operator import itemgetter as ig\nig"),
            Workload::Trivial
        );
        assert_eq!(callable("str.upper"), Workload::Trivial);
        assert_eq!(
            callable("def double(x):\n    \"\"\"Doc.\"\"\"\n    return x * 2 + 1\ndouble"),
            Workload::Trivial
        );
        assert_eq!(
            callable("def f(p):\n    return max(p.x, 0)\nf"),
            Workload::Trivial
        );
        // Not cheap.
        assert_eq!(callable("lambda x: x ** 100000"), Workload::Unknown);
        assert_eq!(callable("lambda xs: max(xs)"), Workload::Unknown);
        assert_eq!(callable("lambda x: transform(x)"), Workload::Unknown);
        // A lambda is classified by what it calls.
        assert_eq!(
            callable("import requests\nlambda u: requests.get(u, timeout=3)"),
            NETWORK
        );
        let named = "def work(n):\n    t = 0\n    for i in range(n):\n        t += i\n    return t\nf = lambda n: work(n)\nf";
        assert_eq!(callable(named), Workload::CpuBound);
        // A string method on a user's `str` is not the builtin.
        assert_eq!(callable("str = Thing()\nstr.upper"), Workload::Unknown);
    }

    #[test]
    fn partial_is_unwrapped() {
        let body = "def work(n, k):\n    t = 0\n    for i in range(n):\n        t += i * k\n    return t\n";
        assert_eq!(
            callable(&format!(
                "import functools\n{body}functools.partial(work, k=3)"
            )),
            Workload::CpuBound
        );
        assert_eq!(
            callable(&format!(
                "from functools import partial as p\n{body}p(work, k=3)"
            )),
            Workload::CpuBound
        );
        assert_eq!(
            callable("import functools, requests\nfunctools.partial(requests.get, timeout=3)"),
            NETWORK
        );
        assert_eq!(
            callable(&format!("{body}partial(work, 3)")),
            Workload::Unknown,
            "an unknown `partial`"
        );
    }

    #[test]
    fn methods() {
        let source = "import requests\nclass Crawler:\n    def __init__(self):\n        self.session = requests.Session()\n    def fetch(self, url):\n        return self.session.get(url).text\n    def run(self, urls):\n        self.fetch\n    def crunch(self, n):\n        return self.helper(n)\n    def helper(self, n):\n        t = 0\n        while n:\n            t += n\n            n -= 1\n        return t\n    def go(self):\n        self.crunch\n";
        assert_eq!(callable_in_method(source, "Crawler", "run"), NETWORK);
        assert_eq!(
            callable_in_method(source, "Crawler", "go"),
            Workload::CpuBound
        );
        // An instance of a module-level class, and the class's function itself.
        assert_eq!(
            callable(&format!("{source}c = Crawler()\nc.fetch")),
            NETWORK
        );
        assert_eq!(
            callable(&format!("{source}Crawler.crunch")),
            Workload::CpuBound
        );
        // A method not defined in the class is not known.
        assert_eq!(
            callable(&format!("{source}c = Crawler()\nc.missing")),
            Workload::Unknown
        );
    }

    #[test]
    fn nested_functions_resolve_through_the_walk() {
        let source = "import requests\ndef outer(urls):\n    s = requests.Session()\n    def inner(u):\n        return s.get(u)\n    inner\n";
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let mut semantic = Semantic::new(body);
        let workloads = Workloads::new(&[], &[]);
        let Stmt::FunctionDef(outer) = &body[1] else {
            panic!()
        };
        let Stmt::Assign(assign) = &outer.body[0] else {
            panic!()
        };
        let Stmt::FunctionDef(inner) = &outer.body[1] else {
            panic!()
        };
        semantic.push_scope(ScopeKind::Function(outer));
        semantic.bind(
            "urls",
            outer.parameters.args[0].parameter.name.range,
            BindingKind::Parameter,
        );
        let kind = semantic.classify_value(&assign.value);
        semantic.bind_target(&assign.targets[0], kind);
        semantic.bind("inner", inner.name.range, BindingKind::Function(inner));
        assert_eq!(
            workloads.of_callable(&semantic, last_expr(&outer.body)),
            NETWORK
        );
    }

    #[test]
    fn async_clients() {
        let source = "import aiohttp\nasync def fetch(u):\n    async with aiohttp.ClientSession() as s:\n        async with s.get(u) as r:\n            return await r.text()\nfetch";
        assert_eq!(callable(source), NETWORK);
        assert_eq!(
            callable("import asyncio\nasync def f():\n    await asyncio.sleep(1)\nf"),
            Workload::IoBound(IoKind::Sleep)
        );
    }

    #[test]
    fn look_alikes_are_not_io() {
        // A local function named like a library one.
        assert_eq!(
            call("def get(u):\n    print(u)\n    return u\nget(url)"),
            Workload::Unknown
        );
        assert_eq!(
            call("from requests import get\ndef get(u):\n    print(u)\nget(url)"),
            Workload::Unknown
        );
        // dict.get
        assert_eq!(call("d = {}\nd.get(k)"), Workload::Unknown);
        assert_eq!(
            call("def f(d, k):\n    return d.get(k)\nf(a, b)"),
            Workload::Unknown
        );
        // `open` shadowed by a parameter, or rebound.
        assert_eq!(
            call("def f(open):\n    return open('x')\nf(g)"),
            Workload::Unknown
        );
        assert_eq!(call("open = make_opener()\nopen('x')"), Workload::Unknown);
        // A local variable named like a module.
        assert_eq!(
            call("def f(requests, u):\n    return requests.get(u)\nf(r, u)"),
            Workload::Unknown
        );
        // `.read_text` on an unknown object, `.execute` on an unknown object.
        assert_eq!(call("thing.read_text()"), Workload::Unknown);
        assert_eq!(call("thing.execute(q)"), Workload::Unknown);
        // A session-like name that is not a session.
        assert_eq!(call("session = make()\nsession.get(u)"), Workload::Unknown);
        // `sleep` from a look-alike module.
        assert_eq!(
            call("from mytime import sleep\nsleep(1)"),
            Workload::Unknown
        );
    }

    #[test]
    fn describe() {
        assert_eq!(Workload::CpuBound.describe(), "CPU-bound");
        assert_eq!(NETWORK.describe(), "I/O-bound (network)");
        assert_eq!(FILE.describe(), "I/O-bound (files)");
        assert_eq!(DATABASE.describe(), "I/O-bound (database)");
        assert_eq!(Workload::Trivial.describe(), "trivial");
        assert_eq!(Workload::Unknown.describe(), "unknown");
    }
}
