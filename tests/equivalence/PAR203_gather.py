"""PAR203: coroutines that wait on I/O (worker threads, subprocesses), awaited one at a time,
rewritten to asyncio.gather. Later items finish first: the order must still follow the
inputs."""
import asyncio
import sys
import time


def slow_square(value):
    time.sleep(0.002 * (10 - value))
    return value * value


async def square_later(value):
    return await asyncio.to_thread(slow_square, value)


async def echo(value):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", f"print({value} * 3)", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    return int(out)


class Store:
    def __init__(self):
        self.prefix = "item"

    async def label(self, index, value):
        squared = await square_later(index)
        return f"{self.prefix}-{squared}-{value}"

    async def labels(self, values):
        out = []
        for index, value in enumerate(values):
            out.append(await self.label(index, value))
        return out


async def append_loop(values):
    squares = [-1]
    for value in values:
        squares.append(await square_later(value))
    return squares


async def guarded(values):
    odd = []
    for value in values:
        if value % 2:
            odd.append(await square_later(value))
    return odd


async def comprehensions(values):
    as_list = [await square_later(v) for v in values]
    first = [await square_later(v) for v in values if v > 2][0]
    as_set = {await square_later(v) for v in values}
    return as_list, first, sorted(as_set)


async def subprocesses(values):
    return [await echo(v) for v in values]


async def main():
    values = list(range(6))
    print(await append_loop(values))
    print(await guarded(values))
    print(await comprehensions(values))
    print(await Store().labels(["a", "b"]))
    print(await subprocesses(values[:3]))


asyncio.run(main())
