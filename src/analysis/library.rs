//! Library knowledge, as data: which functions and methods of the standard library and of
//! common packages block the calling thread (and on what), suspend a coroutine on I/O, must
//! run on the event loop's thread, hand work to run later, are heavy native routines, return
//! lazy iterators, or make client objects whose methods do any of these.
//!
//! The summaries ([`crate::analysis::summarize`]) read these tables; nothing else decides
//! what a library call does. The `io-functions`, `cpu-functions` and `event-loop-functions`
//! settings extend them ([`Library::with_extensions`]).

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// What a blocking call waits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IoKind {
    /// HTTP clients, sockets, `urllib`.
    Network,
    /// `open`, `pathlib` reads and writes, `shutil` copies, directory listings and walks.
    File,
    /// `subprocess`, `os.system`.
    Subprocess,
    /// `time.sleep`.
    Sleep,
    /// DB-API connections and cursors, async database drivers.
    Database,
    /// A lock, queue, event, thread, pool or future waited on.
    Wait,
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
            IoKind::Wait => "blocking (lock, queue or future wait)",
            IoKind::Other => "I/O-bound",
        }
    }

    /// What the call waits on, for evidence: "waits on the network".
    pub fn waits_on(self) -> &'static str {
        match self {
            IoKind::Network => "the network",
            IoKind::File => "the file system",
            IoKind::Subprocess => "a subprocess",
            IoKind::Sleep => "a sleep",
            IoKind::Database => "the database",
            IoKind::Wait => "a lock, queue or future",
            IoKind::Other => "I/O",
        }
    }

    /// When a function does several kinds of I/O, the one reported: the kind most likely to
    /// dominate its running time (a network round trip outweighs a local file write, and a
    /// `sleep` is usually a retry back-off beside the real work).
    pub fn rank(self) -> u8 {
        match self {
            IoKind::Network => 6,
            IoKind::Database => 5,
            IoKind::Subprocess => 4,
            IoKind::Other => 3,
            IoKind::File => 2,
            IoKind::Wait => 1,
            IoKind::Sleep => 0,
        }
    }
}

/// An object whose methods do I/O: a `requests.Session()`, an `aiohttp.ClientSession()`, a
/// database connection, a path, a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKind {
    pub io: IoKind,
    /// Its I/O methods return awaitables (`aiohttp`, `httpx.AsyncClient`, `asyncpg`): they
    /// suspend a coroutine rather than block a thread.
    pub asynchronous: bool,
}

impl ClientKind {
    pub const fn sync(io: IoKind) -> Self {
        Self {
            io,
            asynchronous: false,
        }
    }

    pub const fn asynchronous(io: IoKind) -> Self {
        Self {
            io,
            asynchronous: true,
        }
    }
}

/// What a library function does when called, as far as the summaries care.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fact {
    /// Blocks the calling thread on this kind of I/O.
    pub blocks: Option<IoKind>,
    /// Returns a lazy iterator (`os.walk`, `Path.rglob`): the I/O happens as it is iterated.
    pub lazy: bool,
    /// A single metadata call (`os.path.exists`, `os.stat`): fast enough not to count.
    pub stat_like: bool,
    /// Heavy native work that releases the GIL (`hashlib.pbkdf2_hmac`, `zlib.compress`).
    pub heavy_native: bool,
    /// Configured CPU-heavy work (`cpu-functions`), assumed to hold the GIL.
    pub heavy_python: bool,
    /// Must run on the event loop's thread (`asyncio.create_task`, `get_running_loop`).
    pub loop_affine: bool,
    /// Awaiting what it returns waits on this kind of I/O.
    pub suspends: Option<IoKind>,
    /// Returns an awaitable that does not wait on I/O (`asyncio.sleep`, `Event.wait`).
    pub awaits_without_io: bool,
    /// Its awaitable waits on the awaitables given as arguments (`gather`, `wait_for`).
    pub awaits_arguments: bool,
    /// Runs a callable argument in a worker and returns an awaitable (`to_thread`).
    pub offloads: bool,
    /// Makes an object whose methods do I/O.
    pub client: Option<ClientKind>,
    /// One cheap operation per item, handed to a pool as a callable.
    pub trivial: bool,
    /// Runs the coroutine it is given to completion, blocking (`asyncio.run`).
    pub runs_coroutine: bool,
    /// Reads or writes the open file it is given (`json.dump(data, handle)`).
    pub uses_file_argument: bool,
}

use IoKind::{Database, File, Network, Sleep, Subprocess, Wait};

/// Library functions that block, by module: `(module, members, kind)`.
const BLOCKING: &[(&str, &[&str], IoKind)] = &[
    (
        "requests",
        &[
            "get", "post", "put", "patch", "delete", "head", "options", "request",
        ],
        Network,
    ),
    (
        "requests.api",
        &[
            "get", "post", "put", "patch", "delete", "head", "options", "request",
        ],
        Network,
    ),
    (
        "httpx",
        &[
            "get", "post", "put", "patch", "delete", "head", "options", "request", "stream",
        ],
        Network,
    ),
    ("urllib.request", &["urlopen", "urlretrieve"], Network),
    ("urllib3", &["request"], Network),
    (
        "socket",
        &[
            "create_connection",
            "getaddrinfo",
            "gethostbyname",
            "gethostbyname_ex",
            "gethostbyaddr",
            "getfqdn",
        ],
        Network,
    ),
    ("smtplib", &["SMTP", "SMTP_SSL"], Network),
    ("ftplib", &["FTP", "FTP_TLS"], Network),
    // Opening a file is one cheap system call, like `os.stat`: the waiting is in the reads
    // and writes on the file object (`blocking_method`) and in the functions that read or
    // write one (`FILE_OBJECT_FUNCTIONS`). Opening an archive reads its index.
    ("builtins", &["input"], File),
    ("tarfile", &["open"], File),
    ("zipfile", &["ZipFile"], File),
    (
        "shutil",
        &[
            "copy",
            "copy2",
            "copyfile",
            "copyfileobj",
            "copytree",
            "move",
            "rmtree",
            "make_archive",
            "unpack_archive",
        ],
        File,
    ),
    ("os", &["listdir", "read", "write", "fsync"], File),
    ("glob", &["glob"], File),
    (
        "numpy",
        &[
            "load",
            "save",
            "savez",
            "savez_compressed",
            "loadtxt",
            "savetxt",
            "genfromtxt",
            "fromfile",
        ],
        File,
    ),
    (
        "pandas",
        &[
            "read_csv",
            "read_parquet",
            "read_json",
            "read_excel",
            "read_feather",
            "read_pickle",
            "read_table",
            "read_sql",
            "read_html",
        ],
        File,
    ),
    (
        "subprocess",
        &[
            "run",
            "call",
            "check_call",
            "check_output",
            "getoutput",
            "getstatusoutput",
        ],
        Subprocess,
    ),
    ("os", &["system", "popen", "waitpid", "wait"], Subprocess),
    // GitPython runs the `git` command.
    ("git.Repo", &["clone_from"], Subprocess),
    ("git.repo.Repo", &["clone_from"], Subprocess),
    ("time", &["sleep"], Sleep),
    ("sqlite3", &["connect"], Database),
    ("psycopg2", &["connect"], Database),
    ("psycopg", &["connect"], Database),
    ("pymysql", &["connect"], Database),
    ("MySQLdb", &["connect"], Database),
    ("mysql.connector", &["connect"], Database),
    ("pyodbc", &["connect"], Database),
    ("cx_Oracle", &["connect"], Database),
    ("oracledb", &["connect"], Database),
    ("select", &["select", "poll"], Wait),
    ("concurrent.futures", &["wait", "as_completed"], Wait),
];

/// Functions that read or write the file object they are given (`json.dump(data, handle)`):
/// they block when an argument is an open file.
const FILE_OBJECT_FUNCTIONS: &[(&str, &[&str])] = &[
    ("json", &["load", "dump"]),
    ("pickle", &["load", "dump"]),
    ("marshal", &["load", "dump"]),
    ("tomllib", &["load"]),
    ("shutil", &["copyfileobj"]),
    (
        "yaml",
        &[
            "load",
            "safe_load",
            "load_all",
            "safe_load_all",
            "dump",
            "safe_dump",
            "dump_all",
        ],
    ),
];

/// Directory listings and walks that return lazy iterators: the I/O runs as they are
/// iterated, so handing the call itself to a thread would leave the walk on the caller.
const LAZY_LISTINGS: &[(&str, &[&str])] =
    &[("os", &["walk", "scandir", "fwalk"]), ("glob", &["iglob"])];

/// Single metadata calls: each costs one system call, as cheap as a dict lookup in practice.
const STAT_LIKE: &[(&str, &[&str])] = &[
    (
        "os",
        &[
            "stat",
            "lstat",
            "getcwd",
            "remove",
            "unlink",
            "rename",
            "replace",
            "mkdir",
            "makedirs",
            "rmdir",
            "chmod",
            "access",
            "getpid",
            "cpu_count",
            "getenv",
            "close",
            "dup2",
            "kill",
            "symlink",
            "readlink",
            "utime",
            "truncate",
            "path",
        ],
    ),
    (
        "os.path",
        &[
            "exists",
            "isfile",
            "isdir",
            "islink",
            "getsize",
            "getmtime",
            "getctime",
            "getatime",
            "lexists",
            "samefile",
            "realpath",
            "abspath",
            "expanduser",
        ],
    ),
    ("shutil", &["which", "disk_usage", "chown"]),
    ("tempfile", &["mkdtemp", "mkstemp", "gettempdir"]),
];

/// Heavy native routines: milliseconds or more per call in C code that releases the GIL.
const HEAVY_NATIVE: &[(&str, &[&str])] = &[
    ("hashlib", &["pbkdf2_hmac", "scrypt"]),
    ("zlib", &["compress", "decompress"]),
    ("bz2", &["compress", "decompress"]),
    ("lzma", &["compress", "decompress"]),
    ("gzip", &["compress", "decompress"]),
    ("bcrypt", &["hashpw", "kdf", "checkpw"]),
];

/// Functions that need the running event loop, or its thread: off the loop thread they raise
/// ("no running event loop") or corrupt it (the loop is not thread-safe).
const LOOP_AFFINE: &[(&str, &[&str])] = &[(
    "asyncio",
    &[
        "create_task",
        "ensure_future",
        "get_running_loop",
        "get_event_loop",
        "current_task",
        "all_tasks",
        "Future",
        "Event",
        "Queue",
        "Lock",
        "Condition",
        "Semaphore",
        "BoundedSemaphore",
        "timeout",
    ],
)];

/// Methods that must run on the event loop's thread, whatever the object (the names are
/// distinctive: `call_soon_threadsafe` is the one loop method meant for other threads).
pub const LOOP_AFFINE_METHODS: &[&str] = &[
    "create_task",
    "call_soon",
    "call_later",
    "call_at",
    "create_future",
    "add_reader",
    "add_writer",
    "remove_reader",
    "remove_writer",
    "add_signal_handler",
    "set_result",
    "set_exception",
    "start_soon",
];

/// Awaitable library functions that wait on I/O: `(module, members, kind)`.
const SUSPENDING: &[(&str, &[&str], IoKind)] = &[
    (
        "asyncio",
        &["open_connection", "open_unix_connection", "start_server"],
        Network,
    ),
    (
        "asyncio",
        &["create_subprocess_exec", "create_subprocess_shell"],
        Subprocess,
    ),
    ("aiohttp", &["request"], Network),
    (
        "anyio",
        &["connect_tcp", "connect_unix", "getaddrinfo"],
        Network,
    ),
    ("anyio", &["open_file", "run_process"], File),
    (
        "trio",
        &["open_tcp_stream", "open_file", "run_process"],
        Network,
    ),
    ("aiofiles", &["open"], File),
    (
        "aiofiles.os",
        &["stat", "remove", "rename", "listdir", "scandir", "makedirs"],
        File,
    ),
    ("asyncpg", &["connect", "create_pool"], Database),
    ("aiosqlite", &["connect"], Database),
    ("websockets", &["connect"], Network),
];

/// Awaitables that never wait on I/O: they yield to the loop, or wait on other tasks.
const AWAITS_WITHOUT_IO: &[(&str, &[&str])] = &[
    ("asyncio", &["sleep"]),
    ("anyio", &["sleep", "sleep_forever", "checkpoint"]),
    ("trio", &["sleep", "sleep_forever", "checkpoint"]),
];

/// Awaitables that wait on the awaitables handed to them.
const AWAITS_ARGUMENTS: &[(&str, &[&str])] = &[(
    "asyncio",
    &["gather", "wait_for", "shield", "wait", "timeout_at"],
)];

/// Awaitables that run a callable in a worker thread: awaiting them waits on its work.
const OFFLOADING: &[(&str, &[&str])] = &[
    ("asyncio", &["to_thread"]),
    ("anyio.to_thread", &["run_sync"]),
    ("trio.to_thread", &["run_sync"]),
    ("starlette.concurrency", &["run_in_threadpool"]),
    ("asgiref.sync", &["sync_to_async"]),
];

/// Functions that run a coroutine to completion on a new event loop, blocking the caller.
const RUNS_COROUTINE: &[(&str, &[&str])] = &[
    ("asyncio", &["run"]),
    ("anyio", &["run"]),
    ("trio", &["run"]),
];

/// Constructors of objects whose methods do I/O: `(module, members, client)`.
const CLIENTS: &[(&str, &[&str], ClientKind)] = &[
    (
        "requests",
        &["Session", "session"],
        ClientKind::sync(Network),
    ),
    ("requests.sessions", &["Session"], ClientKind::sync(Network)),
    ("httpx", &["Client"], ClientKind::sync(Network)),
    ("httpx", &["AsyncClient"], ClientKind::asynchronous(Network)),
    (
        "urllib3",
        &[
            "PoolManager",
            "ProxyManager",
            "HTTPConnectionPool",
            "HTTPSConnectionPool",
        ],
        ClientKind::sync(Network),
    ),
    (
        "aiohttp",
        &["ClientSession"],
        ClientKind::asynchronous(Network),
    ),
    (
        "socket",
        &["socket", "create_connection", "socketpair"],
        ClientKind::sync(Network),
    ),
    (
        "http.client",
        &["HTTPConnection", "HTTPSConnection"],
        ClientKind::sync(Network),
    ),
    ("smtplib", &["SMTP", "SMTP_SSL"], ClientKind::sync(Network)),
    ("ftplib", &["FTP", "FTP_TLS"], ClientKind::sync(Network)),
    (
        "sqlite3",
        &["connect", "Connection", "Cursor"],
        ClientKind::sync(Database),
    ),
    ("psycopg2", &["connect"], ClientKind::sync(Database)),
    (
        "psycopg",
        &["connect", "Connection", "Cursor"],
        ClientKind::sync(Database),
    ),
    ("pymysql", &["connect"], ClientKind::sync(Database)),
    ("MySQLdb", &["connect"], ClientKind::sync(Database)),
    ("mysql.connector", &["connect"], ClientKind::sync(Database)),
    ("pyodbc", &["connect"], ClientKind::sync(Database)),
    ("cx_Oracle", &["connect"], ClientKind::sync(Database)),
    ("oracledb", &["connect"], ClientKind::sync(Database)),
    (
        "redis",
        &["Redis", "StrictRedis", "from_url"],
        ClientKind::sync(Database),
    ),
    (
        "redis.asyncio",
        &["Redis", "from_url"],
        ClientKind::asynchronous(Database),
    ),
    (
        "asyncpg",
        &["connect", "create_pool", "Connection", "Pool"],
        ClientKind::asynchronous(Database),
    ),
    (
        "aiosqlite",
        &["connect", "Connection"],
        ClientKind::asynchronous(Database),
    ),
    (
        "sqlalchemy.ext.asyncio",
        &["AsyncSession", "AsyncConnection", "async_sessionmaker"],
        ClientKind::asynchronous(Database),
    ),
    ("sqlalchemy.orm", &["Session"], ClientKind::sync(Database)),
    (
        "motor.motor_asyncio",
        &[
            "AsyncIOMotorClient",
            "AsyncIOMotorDatabase",
            "AsyncIOMotorCollection",
        ],
        ClientKind::asynchronous(Database),
    ),
    ("builtins", &["open"], ClientKind::sync(File)),
    ("io", &["open"], ClientKind::sync(File)),
    ("codecs", &["open"], ClientKind::sync(File)),
    ("gzip", &["open"], ClientKind::sync(File)),
    ("bz2", &["open"], ClientKind::sync(File)),
    ("lzma", &["open"], ClientKind::sync(File)),
    (
        "pathlib",
        &["Path", "PosixPath", "WindowsPath", "PurePath"],
        ClientKind::sync(File),
    ),
    ("aiofiles", &["open"], ClientKind::asynchronous(File)),
    ("subprocess", &["Popen"], ClientKind::sync(Subprocess)),
    (
        "threading",
        &[
            "Lock",
            "RLock",
            "Condition",
            "Semaphore",
            "BoundedSemaphore",
            "Event",
            "Barrier",
            "Thread",
        ],
        ClientKind::sync(Wait),
    ),
    (
        "queue",
        &["Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"],
        ClientKind::sync(Wait),
    ),
    (
        "multiprocessing",
        &["Queue", "JoinableQueue", "Process", "Event", "Lock"],
        ClientKind::sync(Wait),
    ),
    (
        "asyncio",
        &[
            "Lock",
            "Event",
            "Condition",
            "Semaphore",
            "BoundedSemaphore",
            "Queue",
            "LifoQueue",
            "PriorityQueue",
        ],
        ClientKind::asynchronous(Wait),
    ),
    (
        "asyncio",
        &["StreamReader", "StreamWriter"],
        ClientKind::asynchronous(Network),
    ),
    // Bot frameworks: their objects' API methods are HTTP requests.
    (
        "discord",
        &[
            "Attachment",
            "Client",
            "AutoShardedClient",
            "Guild",
            "TextChannel",
            "User",
            "Member",
        ],
        ClientKind::asynchronous(Network),
    ),
    (
        "discord.ext.commands",
        &["Bot", "AutoShardedBot"],
        ClientKind::asynchronous(Network),
    ),
    ("aiogram", &["Bot"], ClientKind::asynchronous(Network)),
    ("telegram", &["Bot"], ClientKind::asynchronous(Network)),
];

/// Library functions that, passed as a callable, do one cheap operation per item.
const TRIVIAL_CALLABLES: &[(&str, &[&str])] = &[(
    "builtins",
    &[
        "len", "str", "int", "float", "abs", "bool", "round", "repr", "hash", "ord", "chr", "hex",
        "bin", "oct",
    ],
)];

/// Every table, indexed by dotted name; extended by configuration.
#[derive(Debug, Clone, Default)]
pub struct Library {
    facts: FxHashMap<String, Fact>,
}

impl Library {
    /// The built-in tables.
    pub fn builtin() -> &'static Library {
        static BUILTIN: OnceLock<Library> = OnceLock::new();
        BUILTIN.get_or_init(Library::from_tables)
    }

    fn from_tables() -> Self {
        let mut library = Library::default();
        for (module, members, kind) in BLOCKING {
            library.each(module, members, |fact| fact.blocks = Some(*kind));
        }
        for (module, members) in LAZY_LISTINGS {
            library.each(module, members, |fact| {
                fact.blocks = Some(File);
                fact.lazy = true;
            });
        }
        for (module, members) in STAT_LIKE {
            library.each(module, members, |fact| fact.stat_like = true);
        }
        for (module, members) in HEAVY_NATIVE {
            library.each(module, members, |fact| fact.heavy_native = true);
        }
        for (module, members) in LOOP_AFFINE {
            library.each(module, members, |fact| fact.loop_affine = true);
        }
        for (module, members, kind) in SUSPENDING {
            library.each(module, members, |fact| fact.suspends = Some(*kind));
        }
        for (module, members) in AWAITS_WITHOUT_IO {
            library.each(module, members, |fact| fact.awaits_without_io = true);
        }
        for (module, members) in AWAITS_ARGUMENTS {
            library.each(module, members, |fact| fact.awaits_arguments = true);
        }
        for (module, members) in OFFLOADING {
            library.each(module, members, |fact| fact.offloads = true);
        }
        for (module, members) in RUNS_COROUTINE {
            library.each(module, members, |fact| fact.runs_coroutine = true);
        }
        for (module, members, client) in CLIENTS {
            library.each(module, members, |fact| fact.client = Some(*client));
        }
        for (module, members) in FILE_OBJECT_FUNCTIONS {
            library.each(module, members, |fact| fact.uses_file_argument = true);
        }
        for (module, members) in TRIVIAL_CALLABLES {
            library.each(module, members, |fact| fact.trivial = true);
        }
        library
    }

    fn each(&mut self, module: &str, members: &[&str], mut set: impl FnMut(&mut Fact)) {
        for member in members {
            set(self.facts.entry(format!("{module}.{member}")).or_default());
        }
    }

    /// The built-in tables extended by the `io-functions`, `cpu-functions` and
    /// `event-loop-functions` settings (dotted names).
    pub fn with_extensions(io: &[String], cpu: &[String], event_loop: &[String]) -> Self {
        let mut library = Library::builtin().clone();
        for name in io {
            library
                .facts
                .entry(name.trim().to_string())
                .or_default()
                .blocks = Some(IoKind::Other);
        }
        for name in cpu {
            library
                .facts
                .entry(name.trim().to_string())
                .or_default()
                .heavy_python = true;
        }
        for name in event_loop {
            library
                .facts
                .entry(name.trim().to_string())
                .or_default()
                .loop_affine = true;
        }
        library
    }

    /// What calling the function with these dotted-name segments does, when known.
    pub fn fact(&self, segments: &[&str]) -> Option<Fact> {
        let mut dotted = String::with_capacity(segments.iter().map(|s| s.len() + 1).sum());
        for (index, segment) in segments.iter().enumerate() {
            if index > 0 {
                dotted.push('.');
            }
            dotted.push_str(segment);
        }
        self.facts
            .get(&dotted)
            .copied()
            .or_else(|| prefix_fact(segments))
    }
}

/// Facts that hold for whole modules: `math` on one scalar is trivial, `operator` functions
/// are trivial.
fn prefix_fact(segments: &[&str]) -> Option<Fact> {
    let trivial = match segments {
        ["operator", _] => true,
        // `math` on one scalar; not the ones that take iterables or grow with their input.
        ["math" | "cmath", function] => !matches!(
            *function,
            "factorial" | "comb" | "perm" | "prod" | "fsum" | "gcd" | "lcm" | "dist"
        ),
        _ => false,
    };
    trivial.then_some(Fact {
        trivial: true,
        ..Fact::default()
    })
}

/// Host name resolvers: they wait on the network only for names that are not local.
pub fn is_resolver(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "socket",
            "gethostbyname" | "gethostbyname_ex" | "getaddrinfo" | "gethostbyaddr" | "getfqdn"
        ]
    )
}

/// Coroutines that run once, when a program, server or object starts or stops (`flush`
/// persists buffered state when it stops): nothing else is running on the loop to be starved
/// yet (or any more), so a blocking call there costs nothing but its own time.
pub fn is_lifecycle_hook(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    matches!(
        name,
        "start"
            | "start_unsafe"
            | "startup"
            | "on_startup"
            | "setup"
            | "async_setup"
            | "initialize"
            | "initialise"
            | "init"
            | "post_init"
            | "close"
            | "aclose"
            | "shutdown"
            | "on_shutdown"
            | "teardown"
            | "cleanup"
            | "stop"
            | "flush"
            | "lifespan"
            | "aenter__"
            | "aexit__"
    ) || name.starts_with("start_")
        || name.starts_with("setup_")
        || name.starts_with("shutdown_")
}

/// Methods of a synchronous client of `kind` that block on its I/O.
pub fn blocking_method(kind: IoKind, method: &str) -> bool {
    match kind {
        Network => matches!(
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
                | "sendmail"
                | "send_message"
                | "login"
                | "retrbinary"
                | "storbinary"
        ),
        File => matches!(
            method,
            "read_text"
                | "read_bytes"
                | "write_text"
                | "write_bytes"
                | "read"
                | "readline"
                | "readlines"
                | "write"
                | "writelines"
                | "glob"
                | "rglob"
                | "iterdir"
                | "walk"
                | "rmdir"
                | "unlink"
                | "touch"
                | "mkdir"
                | "rename"
                | "replace"
                | "exists"
                | "is_file"
                | "is_dir"
                | "stat"
                | "resolve"
                | "extractall"
        ),
        Database => matches!(
            method,
            "execute"
                | "executemany"
                | "executescript"
                | "fetchone"
                | "fetchall"
                | "fetchmany"
                | "commit"
                | "rollback"
                | "callproc"
                | "hget"
                | "hset"
                | "set"
                | "get"
                | "delete"
                | "publish"
        ),
        Subprocess => matches!(method, "wait" | "communicate"),
        Wait => matches!(method, "acquire" | "wait" | "join" | "get" | "result"),
        Sleep | IoKind::Other => false,
    }
}

/// The file-system methods of a path that return lazy iterators.
pub fn lazy_method(kind: IoKind, method: &str) -> bool {
    kind == File && matches!(method, "glob" | "rglob" | "iterdir" | "walk")
}

/// The file-system methods of a path that only read or change metadata: one cheap system
/// call each.
pub fn stat_like_method(kind: IoKind, method: &str) -> bool {
    kind == File
        && matches!(
            method,
            "exists"
                | "is_file"
                | "is_dir"
                | "stat"
                | "resolve"
                | "unlink"
                | "touch"
                | "mkdir"
                | "rmdir"
                | "rename"
                | "replace"
        )
}

/// Methods of an asynchronous client of `kind` whose awaitables wait on its I/O.
pub fn suspending_method(kind: IoKind, method: &str) -> bool {
    match kind {
        // `fetch_user`, `fetch_channel`: API requests of bot frameworks' clients.
        Network if method.starts_with("fetch") => true,
        Network => matches!(
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
                | "ws_connect"
                | "text"
                | "json"
                | "read"
                | "readline"
                | "readexactly"
                | "readuntil"
                | "drain"
                | "aread"
                | "recv"
                | "save"
                | "to_file"
                | "get_file"
                | "download_file"
                | "get_chat"
                | "get_chat_member"
        ),
        File => matches!(
            method,
            "read" | "write" | "readline" | "readlines" | "writelines"
        ),
        Database => matches!(
            method,
            "execute"
                | "executemany"
                | "fetch"
                | "fetchrow"
                | "fetchval"
                | "fetchone"
                | "fetchall"
                | "fetchmany"
                | "commit"
                | "rollback"
                | "get"
                | "set"
                | "hget"
                | "hset"
                | "delete"
                | "publish"
                | "acquire"
                | "copy_records_to_table"
                | "scalar"
                | "scalars"
                | "flush"
                | "refresh"
                | "find_one"
                | "insert_one"
                | "insert_many"
                | "update_one"
                | "update_many"
                | "delete_one"
                | "delete_many"
                | "replace_one"
                | "count_documents"
        ),
        Subprocess => matches!(method, "wait" | "communicate"),
        Wait | Sleep | IoKind::Other => false,
    }
}

/// Methods of a client of `kind` that return another client: a connection's `cursor()`, a
/// path's `open()` and derived paths, an async session's request (its response).
pub fn returns_client(client: ClientKind, method: &str) -> Option<ClientKind> {
    let same = match (client.io, client.asynchronous) {
        (Database, _) => matches!(method, "cursor" | "acquire" | "transaction"),
        (File, false) => matches!(
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
        (Network, true) => matches!(
            method,
            "get"
                | "post"
                | "put"
                | "patch"
                | "delete"
                | "head"
                | "request"
                | "stream"
                | "ws_connect"
        ),
        _ => false,
    };
    same.then_some(client)
}

/// Modules whose other functions are known not to block or wait (their blocking functions,
/// where they have any, are in the tables above). A call into any other imported module is
/// unknown.
pub fn is_non_blocking_module(module: &str) -> bool {
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
            | "hmac"
            | "secrets"
            | "zlib"
            | "bz2"
            | "lzma"
            | "gzip"
            | "unicodedata"
            | "textwrap"
            | "difflib"
            | "dataclasses"
            | "typing"
            | "typing_extensions"
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
            | "weakref"
            | "inspect"
            | "types"
            | "traceback"
            | "shlex"
            | "fnmatch"
            | "posixpath"
            | "ntpath"
            | "html"
            | "ipaddress"
            | "keyword"
            | "codecs"
            | "io"
            | "glob"
            | "tempfile"
            | "pickle"
            | "socket"
            | "queue"
            | "select"
            | "signal"
            | "platform"
            | "locale"
            | "gettext"
            | "email"
            | "mimetypes"
            | "urllib.parse"
            | "xml"
            | "csv"
            | "zipfile"
            | "tarfile"
            | "aiohttp"
            | "aiofiles"
            | "anyio"
            | "trio"
            | "asyncpg"
            | "aiosqlite"
    )
}

/// Methods of `str`, `bytes`, `list`, `dict`, `set` (and the array reductions NumPy shares
/// with them) that compute without blocking. A call of another method on an object of
/// unknown type is unknown: it may be a client's I/O.
pub fn is_data_method(name: &str) -> bool {
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
            | "issubset"
            | "issuperset"
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
            | "format_map"
            | "encode"
            | "decode"
            | "isdigit"
            | "isalpha"
            | "isalnum"
            | "isspace"
            | "isidentifier"
            | "zfill"
            | "ljust"
            | "rjust"
            | "center"
            | "partition"
            | "rpartition"
            | "translate"
            | "expandtabs"
            | "hex"
            | "fromhex"
            | "to_bytes"
            | "from_bytes"
            | "bit_length"
            | "bit_count"
            | "is_integer"
            | "conjugate"
            | "hexdigest"
            | "digest"
            | "sum"
            | "mean"
            | "reshape"
            | "astype"
            | "tolist"
            | "dot"
            | "transpose"
            | "popleft"
            | "appendleft"
            | "most_common"
            | "isoformat"
            | "strftime"
            | "timestamp"
            | "match"
            | "fullmatch"
            | "search"
            | "sub"
            | "findall"
            | "finditer"
            | "group"
            | "groups"
            | "groupdict"
            | "span"
    )
}

/// Methods that change the object they are called on.
pub const MUTATORS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "add",
    "discard",
    "update",
    "setdefault",
    "popitem",
    "sort",
    "reverse",
    "write",
    "writelines",
    "put",
    "put_nowait",
    "send",
    "sendall",
    "appendleft",
    "extendleft",
];

/// Methods of loggers.
pub const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "log",
];

/// Whether a receiver's name is a logger's (`logger`, `log`, `_LOGGER`, `self.logger`).
pub fn is_logger_name(name: &str) -> bool {
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    lower == "log" || lower == "logger" || lower.ends_with("_logger") || lower == "logging"
}

/// Builtins cheap on scalars: the only calls a trivial expression may make.
pub fn is_cheap_builtin(name: &str) -> bool {
    matches!(
        name,
        "len" | "str" | "int" | "float" | "abs" | "min" | "max" | "bool" | "round"
    )
}

/// Methods of builtin types that, passed as `str.upper` and the like, are cheap per item.
pub fn trivial_type_method(type_name: &str, method: &str) -> bool {
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

/// Builtins that call a function argument (`map`, `sorted(key=...)`): its body runs.
pub fn calls_its_function_argument(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["builtins", "map" | "filter" | "sorted" | "min" | "max"] | ["functools", "reduce"]
    )
}

/// Builtins whose cost grows with the size of their argument, but in C: linear, cheap per
/// item, no evidence of CPU-heavy work on their own.
pub fn is_native_linear(segments: &[&str]) -> bool {
    matches!(
        segments,
        [
            "builtins",
            "sorted"
                | "sum"
                | "min"
                | "max"
                | "list"
                | "tuple"
                | "set"
                | "dict"
                | "any"
                | "all"
                | "reversed"
        ]
    )
}

/// The names Python's `builtins` module provides (3.11, plus module dunders every module has):
/// a name the analysis cannot find bound is one of these or unknown.
pub const PYTHON_BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "__doc__",
    "__file__",
    "__name__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

/// Whether `name` is a builtin (the list is sorted).
pub fn is_builtin_name(name: &str) -> bool {
    PYTHON_BUILTINS.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_answer_by_dotted_name() {
        let library = Library::builtin();
        assert_eq!(
            library.fact(&["requests", "get"]).unwrap().blocks,
            Some(Network)
        );
        assert_eq!(
            library
                .fact(&["urllib", "request", "urlopen"])
                .unwrap()
                .blocks,
            Some(Network)
        );
        let walk = library.fact(&["os", "walk"]).unwrap();
        assert_eq!(walk.blocks, Some(File));
        assert!(walk.lazy);
        assert!(library.fact(&["os", "path", "exists"]).unwrap().stat_like);
        assert!(
            library
                .fact(&["hashlib", "pbkdf2_hmac"])
                .unwrap()
                .heavy_native
        );
        let create_task = library.fact(&["asyncio", "create_task"]).unwrap();
        assert!(create_task.loop_affine);
        assert!(
            library
                .fact(&["asyncio", "sleep"])
                .unwrap()
                .awaits_without_io
        );
        assert_eq!(
            library.fact(&["aiohttp", "ClientSession"]).unwrap().client,
            Some(ClientKind::asynchronous(Network))
        );
        assert!(library.fact(&["operator", "add"]).unwrap().trivial);
        assert!(library.fact(&["math", "sqrt"]).unwrap().trivial);
        assert!(library.fact(&["math", "factorial"]).is_none());
        assert!(library.fact(&["json", "loads"]).is_none());
        assert!(library.fact(&["mylib", "get"]).is_none());
    }

    #[test]
    fn configuration_extends_the_tables() {
        let library = Library::with_extensions(
            &["acme.storage.fetch".to_string()],
            &["acme.render".to_string()],
            &["acme.loop.schedule".to_string()],
        );
        assert_eq!(
            library.fact(&["acme", "storage", "fetch"]).unwrap().blocks,
            Some(IoKind::Other)
        );
        assert!(library.fact(&["acme", "render"]).unwrap().heavy_python);
        assert!(
            library
                .fact(&["acme", "loop", "schedule"])
                .unwrap()
                .loop_affine
        );
        // The built-in facts are still there.
        assert_eq!(
            library.fact(&["requests", "get"]).unwrap().blocks,
            Some(Network)
        );
    }

    #[test]
    fn methods() {
        assert!(blocking_method(Network, "get"));
        assert!(!blocking_method(Network, "close"));
        assert!(lazy_method(File, "rglob"));
        assert!(stat_like_method(File, "exists"));
        assert!(suspending_method(Network, "json"));
        assert_eq!(
            returns_client(ClientKind::asynchronous(Network), "get"),
            Some(ClientKind::asynchronous(Network))
        );
        assert_eq!(returns_client(ClientKind::sync(Network), "get"), None);
    }
}
