"""PAR601: blocking calls in coroutines, rewritten to asyncio.sleep / asyncio.to_thread."""
import asyncio
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import urllib.request
from time import sleep


def read_lines(path):
    with open(path) as handle:
        return handle.read().splitlines()


async def pause_then(value):
    time.sleep(0.01)
    sleep(0.01)
    return value * 2


async def read_file(path):
    rows = read_lines(path)
    text = pathlib.Path(path).read_text()
    return len(rows), text.upper()


async def fetch_file_url(path):
    url = pathlib.Path(path).as_uri()
    with urllib.request.urlopen(url) as response:
        return response.read().decode().strip()


async def run_python():
    result = subprocess.run(
        [sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


async def count_files(root):
    # A lazy walk: the fix iterates it in the worker thread.
    total = 0
    for _folder, _dirs, files in os.walk(root):
        total += len(files)
    return total


async def text_files(root):
    return sorted(p.name for p in pathlib.Path(root).rglob("*.txt"))


async def entries(root):
    return [entry.name.upper() for entry in sorted(pathlib.Path(root).iterdir())]


async def main():
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "data.txt")
        with open(path, "w") as handle:
            handle.write("alpha\nbeta\n")
        os.mkdir(os.path.join(folder, "sub"))
        with open(os.path.join(folder, "sub", "more.txt"), "w") as handle:
            handle.write("gamma\n")
        print(await count_files(folder))
        print(await text_files(folder))
        print(await entries(folder))
        print(await pause_then(21))
        print(await read_file(path))
        print(await fetch_file_url(path))
        print(await run_python())
        print(pathlib.Path(path).read_text().split()[0])


if __name__ == "__main__":
    asyncio.run(main())
