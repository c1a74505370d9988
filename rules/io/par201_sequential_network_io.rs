//! PAR201 sequential-network-io: one blocking network request per item, one after another.

use crate::analysis::workload::IoKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::io::candidates::check_io_loop;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR201",
    name: "sequential-network-io",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A loop or comprehension makes one blocking network request per item: overlap them in a thread pool",
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
Flags a `for` loop (collecting results with `append`, or calling for the effect) or a list
comprehension in synchronous code that makes one blocking network call per item:
`requests.get(url)`, `httpx.get`, `urllib.request.urlopen`, `urllib3`, `socket` calls, methods
of a `requests.Session()` / `httpx.Client()` object, or a function of the module that makes
such a call (followed through the module's own functions). The iterations must be
independent: no iteration reads what another writes, no `break`/`return`, no writes to shared objects.

Loops as real code writes them count too: temporaries, `with` blocks over a per-item
resource, `try/except` that logs and continues, `continue` filters, progress prints,
counters and several collectors. The loop analysis splits the body into per-item work and a
combine step the parent runs in order (appends, stores under per-item keys, sums, counters,
prints); it stays silent when an iteration reads what an earlier one wrote, when the loop can
stop early (`break`, `return`, `sys.exit`), when it sleeps between items (a rate limit), or
when the work also uses a database connection, a lock or a queue, or changes shared state
other than through the combine step.

## Why is this bad?
Each request spends most of its time waiting for the network, and the loop waits for one
response before sending the next request. This is I/O-bound work: threads overlap the waits
(the GIL is released while a thread waits on a socket), so ten requests take about as long
as the slowest one.

## Example
```python
import requests

def fetch_all(urls):
    pages = []
    for url in urls:
        pages.append(requests.get(url, timeout=10).text)
    return pages
```

Use instead:
```python
from concurrent.futures import ThreadPoolExecutor

def fetch(url):
    return requests.get(url, timeout=10).text

def fetch_all(urls):
    pages = []
    with ThreadPoolExecutor(max_workers=8) as executor:
        pages.extend(executor.map(fetch, urls))
    return pages
```

## Fix
Rewrites the loop into `with ThreadPoolExecutor(max_workers=8) as executor:` around
`executor.map` (results in the order of the items; a loop run for its effect consumes the
results with `list(...)` so errors still surface). Eight workers bound the number of open
connections; raise it for many slow servers. Loops whose per-item expression is more than one
call with the item (temporaries, keyword arguments, comments, loop variables used after the
loop) get the suggestion only.

Other loops get the outlining fix: the per-item work (up to the last statement doing the
I/O) becomes a nested function (`fetch_one`) that returns what the rest of the loop needs,
and the loop becomes `for ... in executor.map(fetch_one, items):` running the rest, so
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
Unsafe: requests now run concurrently, so a server sees up to eight at once, a shared
session or client must be thread-safe, and side effects happen in a different order.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    check_io_loop(
        checker,
        node,
        &RULE,
        IoKind::Network,
        "makes a network request for",
    );
}
