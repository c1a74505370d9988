//! PAR204 sequential-subprocess: one subprocess per item, each waited for before the next.

use crate::analysis::workload::IoKind;
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::io::candidates::check_io_loop;
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR204",
    name: "sequential-subprocess",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    opt_in: false,
    summary: "A loop or comprehension runs one subprocess per item and waits for each: run them from a thread pool",
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
comprehension in synchronous code that runs one subprocess per item and waits for it:
`subprocess.run`, `check_output`, `check_call`, `call`, or a function of the module that
does (followed through the module's own functions), when the iterations are independent.
A loop whose item is the whole command (`for command in commands: subprocess.run(command)`)
and that keeps nothing is a script of steps, each of which may need what the previous one
made: it is not flagged.

Loops as real code writes them count too: temporaries, `with` and `try/except` blocks,
`continue` filters, progress prints and several collectors; the loop analysis splits the body
into per-item work and an in-order combine step, and stays silent when the iterations depend
on each other or the loop can stop early (`break`, `sys.exit`).

## Why is this bad?
The Python process only waits while each command runs; the next command starts only when
the previous one has finished, even though the machine has cores to run several. Waiting is
I/O-bound: a thread pool starts several commands at once and waits for all of them.

## Example
```python
import subprocess

def compress_all(paths):
    for path in paths:
        subprocess.run(["gzip", "-k", path], check=True)
```

Use instead:
```python
from concurrent.futures import ThreadPoolExecutor

def compress(path):
    subprocess.run(["gzip", "-k", path], check=True)

def compress_all(paths):
    with ThreadPoolExecutor(max_workers=8) as executor:
        list(executor.map(compress, paths))
```

## Fix
Rewrites the loop into `with ThreadPoolExecutor(max_workers=8) as executor:` around
`executor.map` (results in item order; a loop run for its effect consumes the results with
`list(...)`, so a failing command still raises). Other shapes get the suggestion only.

Other loops get the outlining fix: the per-item work (up to the last statement doing the
I/O) becomes a nested function (`run_one`) that returns what the rest of the loop needs,
and the loop becomes `for ... in executor.map(run_one, items):` running the rest, so
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
Unsafe: up to eight commands now run at once, which changes the order of their effects and
their combined load on the machine.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    check_io_loop(
        checker,
        node,
        &RULE,
        IoKind::Subprocess,
        "runs a subprocess for",
    );
}
