//! PAR603 get-event-loop: `asyncio.get_event_loop()` inside a coroutine.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::fix::imports::{import_member, ImportStyle};
use crate::rules::{FixAvailability, RuleSpec};

pub static RULE: RuleSpec = RuleSpec {
    code: "PAR603",
    name: "get-event-loop",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    opt_in: false,
    summary: "`asyncio.get_event_loop()` inside a coroutine; use `asyncio.get_running_loop()`",
    docs: DOCS,
    kinds: &[NodeKind::Call],
    call_tails: &["get_event_loop"],
    check,
};

const DOCS: &str = r#"## What it does
Flags calls of `asyncio.get_event_loop()` made directly inside an `async def` (however
`asyncio` or `get_event_loop` was imported or aliased).

## Why is this bad?
Inside a coroutine there is always a running loop, and `asyncio.get_running_loop()` returns
it without ambiguity. `get_event_loop()` is the deprecated spelling. Inside a running
coroutine it returns the same running loop, so this is a modernisation, not a bug fix: but
the same call moved into code that runs outside the loop (a helper, a callback, a thread)
has emitted `DeprecationWarning` since Python 3.10, raises since 3.12 when no loop is set,
and consults the event loop policy, which can hand back a loop other than the one the
program runs. `get_running_loop()` states the intent (the loop running this code) and fails
loudly where there is none. Code that reads the loop this way is I/O-bound asyncio code;
the strategy is to use the loop that actually runs it.

Calls inside a nested plain `def` or a `lambda` are not flagged: their bodies may run
outside the loop, where `get_running_loop()` would raise.

## Example
```python
import asyncio

async def fetch_all(urls):
    loop = asyncio.get_event_loop()
    return await asyncio.gather(*(loop.run_in_executor(None, download, u) for u in urls))
```

Use instead:
```python
import asyncio

async def fetch_all(urls):
    loop = asyncio.get_running_loop()
    return await asyncio.gather(*(loop.run_in_executor(None, download, u) for u in urls))
```

## Fix
Replaces `get_event_loop` with `get_running_loop`, keeping the module alias
(`aio.get_event_loop()` → `aio.get_running_loop()`); where `get_event_loop` was imported by
name, `get_running_loop` is imported beside it.

## Fix safety
Safe: inside a coroutine run by an event loop both calls return the running loop.
"#;

fn check<'a>(checker: &mut Checker<'a>, node: Node<'a>) {
    let Node::Expr(Expr::Call(call)) = node else {
        return;
    };
    if !call.arguments.is_empty() || !checker.semantic.in_async_function() {
        return;
    }
    let is_get_event_loop = checker
        .semantic
        .resolves_to_any(
            &call.func,
            &["asyncio.get_event_loop", "asyncio.events.get_event_loop"],
        )
        .is_some();
    if !is_get_event_loop {
        return;
    }
    let fix = match call.func.as_ref() {
        Expr::Attribute(attribute) => Some(Fix::safe(
            "Replace with `get_running_loop()`",
            vec![Edit::replace(attribute.attr.range(), "get_running_loop")],
        )),
        Expr::Name(name) => import_member(
            checker,
            "asyncio",
            "get_running_loop",
            ImportStyle::Member,
            call.start(),
        )
        .map(|imported| {
            let mut edits = vec![Edit::replace(name.range(), imported.text)];
            edits.extend(imported.edit);
            Fix::safe("Replace with `get_running_loop()`", edits)
        }),
        _ => None,
    };
    checker.report(
        Diagnostic::new(
            &RULE,
            "`asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it",
            call.range(),
        )
        .with_fix(fix),
    );
}
