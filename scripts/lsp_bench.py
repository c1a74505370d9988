#!/usr/bin/env python3
"""Measures `pyparallel server`: diagnostics latency on a large file against `pyparallel check`
on the same file, and the server's memory (RSS) over many edits.

    python3 scripts/lsp_bench.py [--binary target/release/pyparallel] [--edits 10000] [FILE]

FILE defaults to a generated 5,000-line module with loops, pools and coroutines, three
diagnostics per 34 lines (a real file of that size, e.g. the corpus's redis/redis/cluster.py,
usually has none). Figures printed:

- `check`: the median wall time of `pyparallel check --isolated --exit-zero -q FILE` (a whole
  process: start, read, lint, print), and its own per-file lint time from `-v`;
- `open`: the median time from sending `textDocument/didOpen` to receiving its
  `publishDiagnostics` (the server lints at once on open);
- `change`: the same from a `didChange` (that includes the server's debounce);
- `pull`: the median time of a `textDocument/diagnostic` request after an edit (no debounce);
- RSS (from /proc, Linux) after the first lint and every 1,000 edits, and the peak; every
  edit is followed by a pull request, so each edit is linted, and every 100th by a code
  action request for the whole file (which runs the fix-all passes).

Only the standard library is used: it speaks LSP over the server's stdin/stdout itself. With
`_RJEM_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0` in the environment, jemalloc returns
freed pages at once, so RSS shows the live memory (slower, but a leak cannot hide).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generated_module(lines):
    """A module of `lines` lines with loops, pools and coroutines (some flagged, most not)."""
    block = '''

def transform_{n}(items, factor={n}):
    """Scale and filter the items of batch {n}."""
    results = []
    for item in items:
        if item % 3 == 0:
            continue
        results.append(item * factor)
    return results


async def fetch_{n}(session, urls):
    pages = []
    for url in urls:
        response = await session.get(url)
        pages.append(await response.text())
    time.sleep(0.1)
    loop = asyncio.get_event_loop()
    asyncio.create_task(session.close())
    return pages, loop


class Worker{n}:
    def __init__(self, size):
        self.size = size
        self.cache = {{}}

    def run(self, values):
        total = 0
        for value in values:
            total += sum(v * v for v in range(value))
        return total
'''
    header = "import asyncio\nimport time\nfrom concurrent.futures import ThreadPoolExecutor\n"
    text = header
    n = 0
    while text.count("\n") < lines:
        text += block.format(n=n)
        n += 1
    return "\n".join(text.split("\n")[:lines]) + "\n"


class Server:
    def __init__(self, binary, root):
        self.process = subprocess.Popen(
            [binary, "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=root,
        )
        self.next_id = 0
        self.pending = []

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        message = json.loads(self.process.stdout.read(length))
        if "method" in message and "id" in message:
            # A request from the server (configuration, registration): answer it.
            result = [None] * len(message["params"].get("items", [])) if message["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        return message

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version):
        while True:
            message = self.read()
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params["uri"] == uri and params.get("version") == version:
                return params["diagnostics"]

    def rss_kib(self, field="VmRSS"):
        with open(f"/proc/{self.process.pid}/status") as status:
            return int(re.search(field + r":\s+(\d+)", status.read()).group(1))

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.process.wait(timeout=30)


def median_ms(samples):
    return statistics.median(samples) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/pyparallel"))
    parser.add_argument("--edits", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="pyparallel-lsp-bench-")
    path = os.path.join(work, "module.py")
    if args.file:
        source = args.file
        with open(source, encoding="utf-8") as f:
            text = f.read()
    else:
        source = "a generated module"
        text = generated_module(5000)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    lines = text.count("\n")
    print(f"file: {source} ({lines} lines, {len(text.encode())} bytes)")

    # The command line, as a whole process and its own lint time (`-v`).
    command = [args.binary, "check", "--isolated", "--exit-zero", "-q", "--output-format", "concise", path]
    subprocess.run(command, capture_output=True, check=True)  # warm-up
    walls, lints = [], []
    # `-v` cannot go with `-q`; JSON output has no footer, so no fixes are counted for it.
    verbose = [args.binary, "check", "--isolated", "--exit-zero", "--output-format", "json", "-v", path]
    for _ in range(args.runs):
        started = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - started)
        timed = subprocess.run(verbose, capture_output=True, text=True, check=True)
        found = re.search(r"Checked \S+ in ([\d.]+) ?(ms|µs|s)\b", timed.stderr)
        if found:
            value, unit = float(found.group(1)), found.group(2)
            lints.append(value / {"s": 1, "ms": 1e3, "µs": 1e6}[unit])
    diagnostics_cli = len(run.stdout.splitlines())
    print(f"check: median wall {median_ms(walls):.1f} ms (whole process), lint {median_ms(lints):.1f} ms (-v), {diagnostics_cli} diagnostics")

    server = Server(args.binary, work)
    server.request("initialize", {
        "processId": os.getpid(),
        "rootUri": f"file://{work}",
        "capabilities": {},
        "workspaceFolders": [{"uri": f"file://{work}", "name": "bench"}],
        "initializationOptions": {},
    })
    server.notify("initialized", {})
    uri = f"file://{path}"

    opens = []
    for run in range(args.runs + 1):
        started = time.perf_counter()
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        diagnostics = server.wait_diagnostics(uri, 1)
        if run:  # the first is a warm-up
            opens.append(time.perf_counter() - started)
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        server.wait_diagnostics(uri, None)
    print(f"open: median {median_ms(opens):.1f} ms to publishDiagnostics, {len(diagnostics)} diagnostics")

    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    server.wait_diagnostics(uri, 1)
    version = 1
    # An edit at the end of the first line: insert a space, then take it out again.
    first_line = text.split("\n", 1)[0]

    def edit(version):
        at = len(first_line)
        if version % 2 == 0:
            change = {"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}}, "text": " "}
        else:
            change = {"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at + 1}}, "text": ""}
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})

    changes = []
    for _ in range(args.runs):
        version += 1
        started = time.perf_counter()
        edit(version)
        server.wait_diagnostics(uri, version)
        changes.append(time.perf_counter() - started)
    print(f"change: median {median_ms(changes):.1f} ms to publishDiagnostics (includes the debounce)")

    pulls = []
    actions_first, actions_again = [], []
    rss = [(0, server.rss_kib())]
    for n in range(1, args.edits + 1):
        version += 1
        edit(version)
        started = time.perf_counter()
        server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        pulls.append(time.perf_counter() - started)
        if n % 1000 == 0:
            rss.append((n, server.rss_kib()))
        if n % 100 == 0:
            # Twice: the first works out the fix-all edits for this version, the second (the
            # cursor moved) reuses them.
            for timings in (actions_first, actions_again):
                started = time.perf_counter()
                server.request("textDocument/codeAction", {
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
                    "context": {"diagnostics": []},
                })
                timings.append(time.perf_counter() - started)
    print(f"pull: median {median_ms(pulls):.1f} ms per textDocument/diagnostic after an edit ({len(pulls)} edits)")
    print(f"codeAction for the whole file: median {median_ms(actions_first):.1f} ms after an edit, {median_ms(actions_again):.1f} ms asked again ({len(actions_first)} of each)")
    print("RSS after N edits: " + ", ".join(f"{n}: {kib / 1024:.1f} MiB" for n, kib in rss))
    print(f"peak RSS (VmHWM): {server.rss_kib('VmHWM') / 1024:.1f} MiB")
    code = server.stop()
    print(f"exit code after shutdown/exit: {code}")
    ratio = median_ms(opens) / median_ms(walls)
    print(f"open latency / check wall time: {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
