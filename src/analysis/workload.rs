//! The workload class of a call or of a callable handed to a pool (CPU-bound, I/O-bound,
//! trivial or unknown): a view over the summaries ([`crate::analysis::summary`]) for the
//! rules that need only a class. Rules that need more (the evidence, the cost, loop
//! affinity, mutation) read the summaries themselves.

use ruff_python_ast::{Expr, ExprCall, StmtFunctionDef};

pub use crate::analysis::library::IoKind;
use crate::analysis::library::Library;
use crate::analysis::semantic::Semantic;
use crate::analysis::summarize::Summaries;
use crate::analysis::summary::{CpuWork, Summary};

/// What running a call or a callable mostly spends its time on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Workload {
    /// Pure-Python computation whose cost grows with the input (or a configured
    /// `cpu-functions` entry, assumed to hold the GIL): a process pool helps, threads do not.
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
    /// The class of a summary: any blocking I/O makes it I/O-bound (waiting dominates the
    /// computation around it); then CPU-bound work; then one cheap expression.
    pub fn of_summary(summary: &Summary) -> Workload {
        if let Some(blocking) = summary.dominant_blocking() {
            Workload::IoBound(blocking.kind)
        } else if let (true, Some(kind)) = (summary.coroutine, summary.suspension.io_kind()) {
            // A coroutine function whose coroutine waits on I/O.
            Workload::IoBound(kind)
        } else if let Some(work) = summary.cpu_work() {
            if work == CpuWork::HeavyNative {
                Workload::NativeCpuBound
            } else {
                Workload::CpuBound
            }
        } else if summary.trivial && !summary.unknown {
            Workload::Trivial
        } else {
            Workload::Unknown
        }
    }

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

/// The workload classes of one file's calls and callables, from its summaries.
#[derive(Debug)]
pub struct Workloads<'a> {
    summaries: Summaries<'a>,
}

impl<'a> Workloads<'a> {
    pub fn new(library: &'a Library) -> Self {
        Self {
            summaries: Summaries::new(library),
        }
    }

    /// The summaries behind the classes.
    pub fn summaries(&self) -> &Summaries<'a> {
        &self.summaries
    }

    /// How many function bodies have been walked.
    pub fn analyses(&self) -> usize {
        self.summaries.analyses()
    }

    /// The workload of a call expression where the walk is now, its arguments included:
    /// `requests.get(url)` is network I/O, `work(x)` is whatever `work`'s body is.
    pub fn of_call(&self, semantic: &Semantic<'a>, call: &'a ExprCall) -> Workload {
        Workload::of_summary(&self.summaries.of_call_with_arguments(semantic, call))
    }

    /// The workload of a callable as handed to a pool, resolved where the walk is now.
    pub fn of_callable(&self, semantic: &Semantic<'a>, callable: &'a Expr) -> Workload {
        self.summaries
            .of_callable(semantic, callable)
            .map_or(Workload::Unknown, |summary| Workload::of_summary(&summary))
    }

    /// The workload of calling `def` (a module-level function of this file).
    pub fn of_function(&self, semantic: &Semantic<'a>, def: &'a StmtFunctionDef) -> Workload {
        Workload::of_summary(&self.summaries.of_function(semantic, def, None))
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_python_parser::parse_module;

    use super::*;
    use crate::analysis::library::ClientKind;
    use crate::analysis::semantic::{BindingKind, ScopeKind};

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
        let library = Library::with_extensions(&io, &cpu, &[]);
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let workloads = Workloads::new(&library);
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
        let workloads = Workloads::new(Library::builtin());
        let Some(BindingKind::Class(class)) =
            semantic.module_binding(class).map(|binding| binding.kind)
        else {
            panic!("no class");
        };
        let def = crate::analysis::summarize::method_of(class, method).expect("no method");
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
        // Opening is one cheap system call; reading is the I/O.
        assert_eq!(call("open(path)"), Workload::Unknown);
        assert_eq!(call("open(path).read()"), FILE);
        assert_eq!(
            call("import json\nwith open(p) as f:\n    pass\njson.load(f)"),
            FILE
        );
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
        assert_eq!(callable("open"), Workload::Unknown);
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
        assert!(matches!(
            kind("s"),
            BindingKind::Client(ClientKind {
                io: IoKind::Network,
                ..
            })
        ));
        assert!(matches!(
            kind("conn"),
            BindingKind::Client(ClientKind {
                io: IoKind::Database,
                ..
            })
        ));
        assert!(matches!(
            kind("cur"),
            BindingKind::Client(ClientKind {
                io: IoKind::Database,
                ..
            })
        ));
        assert!(matches!(
            kind("p"),
            BindingKind::Client(ClientKind {
                io: IoKind::File,
                ..
            })
        ));
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
        // One cheap operation per item of a collection is not CPU-bound work: pickling the
        // collection for a pool costs about as much as the loop.
        let math_loop = "import math as m\ndef f(xs):\n    out = []\n    for x in xs:\n        out.append(m.sqrt(x))\n    return out\nf";
        assert_eq!(callable(math_loop), Workload::Unknown);
        // Nor are a few: pickling the collection for another process costs about as much.
        let checksum = "def checksum(data):\n    total = 0\n    for byte in data:\n        total = (total * 31 + byte) % 1_000_003\n    return total\nchecksum";
        assert_eq!(callable(checksum), Workload::Unknown);
        // Heavy work per item is.
        let heavy_items = "def score(xs):\n    s = 0.0\n    for x in xs:\n        s += (x * x * 3 + x * 7 - 11) ** 2 % 1013 / (x * 2 + 1)\n    return s\nscore";
        assert_eq!(callable(heavy_items), Workload::CpuBound);
        // A loop over each item's parts walks a nested structure: linear, not quadratic.
        let nested = "def merge(dicts):\n    out = {}\n    for d in dicts:\n        for k, v in d.items():\n            if k not in out and v is not None:\n                out[k] = v\n    return out\nmerge";
        assert_eq!(callable(nested), Workload::Unknown);
        // Nested data-dependent loops doing work.
        let pairs = "def closest(points):\n    best = None\n    for a in points:\n        for b in points:\n            if a != b and dist(a, b) < best:\n                best = dist(a, b)\n    return best\ndef dist(a, b):\n    return abs(a - b)\nclosest";
        assert_eq!(callable(pairs), Workload::CpuBound);
        // A bounded loop is a fixed cost.
        let bounded = "def f(x):\n    t = 0\n    for k in (1, 2, 3):\n        t += x * k % 7\n    return t\nf";
        assert_eq!(callable(bounded), Workload::Unknown);
        let comprehension = "def f(n):\n    return sum(i * i for i in range(n))\nf";
        assert_eq!(callable(comprehension), Workload::CpuBound);
        let heavy = "import hashlib\ndef derive(p):\n    return hashlib.pbkdf2_hmac('sha256', p, b'salt', 200_000)\nderive";
        // The C routine releases the GIL: CPU-bound, but threads scale.
        assert_eq!(callable(heavy), Workload::NativeCpuBound);
        assert!(callable(heavy).is_cpu());
        // A little Python arithmetic around it does not change that: the native work
        // dominates.
        let mixed = "import hashlib\ndef derive(ps):\n    t = 0\n    for p in ps:\n        t += len(hashlib.pbkdf2_hmac('sha256', p, b'salt', 9)) * 3\n    return t\nderive";
        assert_eq!(callable(mixed), Workload::NativeCpuBound);
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
        // ... while the common data methods do not hide I/O: this one is unknown only
        // because one multiplication per line is no CPU-bound work.
        let data = "def f(lines):\n    out = []\n    for line in lines:\n        out.append(int(line.strip()) * 2)\n    return out\nf";
        assert_eq!(callable(data), Workload::Unknown);
        let heavier = "def f(lines):\n    out = []\n    for line in lines:\n        v = int(line.strip())\n        out.append((v * v + 3 * v) % 97 * (v - 1) // (v + 2) ** 2 - v * 5)\n    return out\nf";
        assert_eq!(callable(heavier), Workload::CpuBound);
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
        // Summaries compose bottom-up: I/O five calls deep is still found.
        let deep = "import requests\ndef f0(u):\n    return f1(u)\ndef f1(u):\n    return f2(u)\ndef f2(u):\n    return f3(u)\ndef f3(u):\n    return f4(u)\ndef f4(u):\n    return requests.get(u)\nf0";
        assert_eq!(callable(deep), NETWORK);
        // A CPU loop calling an unknown function at the end of a chain is unknown.
        let deep_cpu = "def g(xs):\n    t = 0\n    for x in xs:\n        t += f0(x)\n    return t\ndef f0(u):\n    return f1(u)\ndef f1(u):\n    return f2(u)\ndef f2(u):\n    return f3(u)\ndef f3(u):\n    return f4(u)\ndef f4(u):\n    return fetch(u)\ng";
        assert_eq!(callable(deep_cpu), Workload::Unknown);
    }

    #[test]
    fn memoised_per_function() {
        let source = "import requests\ndef helper(u):\n    return requests.get(u)\ndef a(u):\n    return helper(u)\ndef b(u):\n    return helper(u) and helper(u)\n";
        let parsed = parse_module(source).unwrap();
        let body = &parsed.syntax().body;
        let semantic = Semantic::new(body);
        let workloads = Workloads::new(Library::builtin());
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
        let workloads = Workloads::new(Library::builtin());
        let Some(BindingKind::Function(fib)) = semantic.module_binding("fib").map(|b| b.kind)
        else {
            panic!()
        };
        assert_eq!(workloads.of_function(&semantic, fib), Workload::CpuBound);
        assert_eq!(workloads.of_function(&semantic, fib), Workload::CpuBound);
        assert_eq!(
            workloads.analyses(),
            1,
            "one walk; the second answer is the memo's"
        );
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
        let workloads = Workloads::new(Library::builtin());
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
        // `await asyncio.sleep` yields to the loop: no I/O is waited on.
        assert_eq!(
            callable("import asyncio\nasync def f():\n    await asyncio.sleep(1)\nf"),
            Workload::Unknown
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
