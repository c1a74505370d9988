//! PAR202 sequential-file-io: one blocking file read or write per item, one after another.

use crate::analysis::workload::IoKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::io::candidates::check_io_loop;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR202",
    name: "sequential-file-io",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A loop or comprehension reads or writes one file per item: overlap the I/O in a thread pool",
    docs: DOCS,
    kinds: &[
        NodeKind::For,
        NodeKind::ListComp,
        NodeKind::SetComp,
        NodeKind::DictComp,
        NodeKind::Generator,
    ],
    call_tails: &[],
    check,
};

const DOCS: &str = r#"## What it does
Flags a `for` loop collecting results with `append`, or a list comprehension, in synchronous
code that reads one file per item and keeps what it read: `open`, `pathlib.Path.read_text` /
`read_bytes`, directory listings, or a function of the module that does (followed through
the module's own functions), when the iterations are independent (no iteration reads what
another writes, no early exit, no writes to shared objects).

Loops as real code writes them count too: temporaries, `with` blocks over a per-item
resource, `try/except` that logs and continues, `continue` filters, progress prints,
counters and several collectors. The loop analysis splits the body into per-item work and a
combine step the parent runs in order (appends, stores under per-item keys, sums, counters,
prints); it stays silent when an iteration reads what an earlier one wrote, when the loop can
stop early (`break`, `return`, `sys.exit`), when it sleeps between items (a rate limit), or
when the work also uses a database connection, a lock or a queue, or changes shared state
other than through the combine step.

Not flagged: loops run only for their effect on files (copies, deletions, writes): local-disk
work, mostly metadata, that threads barely speed up; loops over a collection written out in
the code (a list or tuple display, a module constant such as `FILES = ("a.toml", "b.md")`):
a handful of items gains nothing from a pool; and test modules (`test_*.py`, `*_test.py`,
`conftest.py`), which run on toy data.

## Why is this bad?
Each call waits for the disk or a network file system before the next file is touched. This
is I/O-bound work: threads overlap those waits (the GIL is released during the system call),
which matters most on network drives, cloud-mounted storage and many small files.

## Example
```python
def load_all(paths):
    return [load(path) for path in paths]

def load(path):
    with open(path) as handle:
        return handle.read()
```

Use instead:
```python
from concurrent.futures import ThreadPoolExecutor

def load_all(paths):
    with ThreadPoolExecutor(max_workers=8) as executor:
        return list(executor.map(load, paths))
```

## Fix
Rewrites the loop into `with ThreadPoolExecutor(max_workers=8) as executor:` around
`executor.map`, results in item order; a loop run for its effect consumes the results with
`list(...)` so errors still surface. Other shapes get the suggestion only.

Other loops get the outlining fix: the per-item work (up to the last statement doing the
I/O) becomes a nested function (`read_one`) that returns what the rest of the loop needs,
and the loop becomes `for ... in executor.map(read_one, items):` running the rest, so
prints, counters and collectors still happen in item order in the parent. `continue` in the
work becomes `return None` and the parent skips those items. When the work sits in a `try`
whose handlers print or count, the worker hands any exception back and the parent re-raises
it inside the same `try`, so the same handler runs for the same item, in order. Other output
inside the work would come out of order: such loops get the suggestion only.

Comprehensions whose element does the I/O somewhere inside it (`[get(u).json()["id"] for u
in urls]`), dict and set comprehensions, and generators consumed at once by `sum`, `min`,
`max`, `sorted`, `list`, `set`, `tuple` or `"".join` map a lambda of the element over the
items (`dict(executor.map(lambda u: (u, get(u).text), urls))`), the conditions kept as a
generator over the items; a generator kept for later, or handed to `any`/`all` (which stop
early), is left alone.

## Fix safety
Unsafe: files are opened concurrently (up to eight at once), so writes to the same file or
directory can interleave, and side effects happen in a different order.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    check_io_loop(
        checker,
        node,
        &RULE,
        IoKind::File,
        "reads or writes a file for",
    );
}
