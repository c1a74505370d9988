"""Closures made in loops, run after the loop: the original sees only the last item."""
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor


def label(x):
    return f"item-{x}"


def with_executor(items):
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(gate.wait)  # the worker is busy until every task is queued
        jobs = [executor.submit(lambda: label(item)) for item in items]
        gate.set()
        return [job.result() for job in jobs]


def nested_def_in_threads(items):
    gate = threading.Event()
    out = []
    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(gate.wait)
        for item in items:
            def work(prefix, **options):
                out.append(prefix + str(item))
            executor.submit(work, "n")
        gate.set()
    return out


async def with_callbacks(items):
    loop = asyncio.get_running_loop()
    seen = []
    for item in items:
        loop.call_soon(lambda: seen.append(item))
    await asyncio.sleep(0)
    return seen


async def with_tasks(items):
    tasks = []
    for item in items:
        async def fetch():
            await asyncio.sleep(0)
            return label(item)
        tasks.append(asyncio.create_task(fetch()))
    return await asyncio.gather(*tasks)


print(with_executor([1, 2, 3]))
print(nested_def_in_threads([1, 2, 3]))
print(asyncio.run(with_callbacks([1, 2, 3])))
print(asyncio.run(with_tasks([1, 2, 3])))
