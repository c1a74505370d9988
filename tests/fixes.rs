//! What `--fix` writes beyond each rule's own rewrite: generated names follow the source order
//! whatever pass a fix lands in, and an import a fix leaves without uses is removed (only such
//! imports: one that was already unused stays, that is another linter's call).

mod common;

use common::Project;

fn fix(source: &str) -> String {
    let project = Project::new();
    project.write("a.py", source);
    project
        .run(&["check", "--fix", "--unsafe-fixes", "-q", "--exit-zero"])
        .assert_code(0);
    project.read("a.py")
}

#[test]
fn executor_names_follow_the_source_order() {
    // `slow` needs `functools` as well, so its fix waits a pass behind `fast`'s: both blocks
    // still get the same, first name.
    let fixed = fix("import requests


def first_pass(urls):
    return [requests.get(u) for u in urls]


def both(urls, others):
    slow = [requests.get(u, timeout=5) for u in urls]
    fast = [requests.get(u) for u in others]
    return slow, fast
");
    assert_eq!(
        fixed,
        "import requests
from concurrent.futures import ThreadPoolExecutor
import functools


def first_pass(urls):
    with ThreadPoolExecutor(max_workers=8) as executor:
        return list(executor.map(requests.get, urls))


def both(urls, others):
    with ThreadPoolExecutor(max_workers=8) as executor:
        slow = list(executor.map(functools.partial(requests.get, timeout=5), urls))
    with ThreadPoolExecutor(max_workers=8) as executor:
        fast = list(executor.map(requests.get, others))
    return slow, fast
"
    );
}

#[test]
fn a_name_the_code_uses_otherwise_is_not_reused() {
    // `executor` is the caller's own object here: the new blocks take `executor_2`, both.
    let fixed = fix("import requests


def both(urls, others, executor):
    slow = [requests.get(u, timeout=5) for u in urls]
    fast = [requests.get(u) for u in others]
    executor.submit(print, slow, fast)
");
    assert_eq!(
        fixed,
        "import requests
from concurrent.futures import ThreadPoolExecutor
import functools


def both(urls, others, executor):
    with ThreadPoolExecutor(max_workers=8) as executor_2:
        slow = list(executor_2.map(functools.partial(requests.get, timeout=5), urls))
    with ThreadPoolExecutor(max_workers=8) as executor_2:
        fast = list(executor_2.map(requests.get, others))
    executor.submit(print, slow, fast)
"
    );
    // Nor inside a block that binds it: the inner pool must not shadow the outer one.
    let fixed = fix("import requests
from concurrent.futures import ThreadPoolExecutor


def nested(urls):
    with ThreadPoolExecutor() as executor:
        pages = [requests.get(u) for u in urls]
        executor.submit(print, pages)
");
    assert!(
        fixed.contains("with ThreadPoolExecutor(max_workers=8) as executor_2:"),
        "{fixed}"
    );
}

#[test]
fn an_import_the_fix_leaves_unused_is_removed() {
    let fixed = fix("import asyncio
import time


async def main():
    time.sleep(1)
    return 1
");
    assert_eq!(
        fixed,
        "import asyncio


async def main():
    await asyncio.sleep(1)
    return 1
"
    );
    // From a list of names, only the emptied one goes.
    let fixed = fix("import asyncio
from time import sleep, monotonic


async def main():
    sleep(1)
    return monotonic()
");
    assert_eq!(
        fixed,
        "import asyncio
from time import monotonic


async def main():
    await asyncio.sleep(1)
    return monotonic()
"
    );
}

#[test]
fn imports_that_keep_a_use_or_were_already_unused_stay() {
    // `time` is still used; `os` was unused before the fix (not the fix's doing); `sleep` is
    // still named by `__all__` (a string may use a name).
    let source = "import asyncio
import os
import time
from time import sleep

__all__ = [\"sleep\"]


async def main():
    time.sleep(1)
    sleep(2)
    return time.monotonic()
";
    assert_eq!(
        fix(source),
        "import asyncio
import os
import time
from time import sleep

__all__ = [\"sleep\"]


async def main():
    await asyncio.sleep(1)
    await asyncio.sleep(2)
    return time.monotonic()
"
    );
}

/// (fixes `--fix` would apply, more with `--unsafe-fixes`) as the footer announces them.
fn announced(footer: &str) -> (usize, usize) {
    let number = |text: &str| text.split_whitespace().next().unwrap().parse().unwrap();
    for line in footer.lines() {
        if let Some(rest) = line.strip_prefix("[*] ") {
            let more = rest.split_once('(').map_or(0, |(_, more)| number(more));
            return (number(rest), more);
        }
        if line.ends_with(" fixable with --fix --unsafe-fixes.") {
            return (0, number(line));
        }
    }
    (0, 0)
}

/// How many fixes the run reports as applied (`Found N diagnostics (K fixed, ...)`).
fn applied(footer: &str) -> usize {
    footer
        .lines()
        .find_map(|line| {
            let (_, rest) = line.split_once(" (")?;
            rest.split_once(" fixed,").map(|(n, _)| n.parse().unwrap())
        })
        .unwrap_or(0)
}

#[test]
fn the_footer_announces_exactly_the_fixes_fix_applies() {
    // Over every fixture and example: fixes that only become possible after another fix
    // (a lambda hoisted by PAR401 that PAR701 can then inline), fixes that another fix makes
    // moot, and fixes deferred to a later pass are all counted as `--fix` will count them.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<std::path::PathBuf> = ["tests/fixtures", "examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let project = Project::new();
        let source = std::fs::read(file).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap();
        let run = |args: &[&str]| {
            project.write(name, &source);
            let mut all = vec!["check", "--output-format", "concise"];
            all.extend_from_slice(args);
            all.push(name);
            project.run(&all).stdout
        };
        let (safe, more) = announced(&run(&[]));
        let (with_unsafe, none_more) = announced(&run(&["--unsafe-fixes"]));
        let fixed_safe = applied(&run(&["--fix"]));
        let fixed_all = applied(&run(&["--fix", "--unsafe-fixes"]));
        if (safe, safe + more, with_unsafe, none_more) != (fixed_safe, fixed_all, fixed_all, 0) {
            wrong.push(format!(
                "{name}: announced {safe} (+{more} unsafe), with --unsafe-fixes {with_unsafe} (+{none_more}); applied {fixed_safe}, with --unsafe-fixes {fixed_all}"
            ));
        }
    }
    assert!(files.len() > 40);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
