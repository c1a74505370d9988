"""CPU-bound work in thread pools; after the fix it runs in process pools."""
import concurrent.futures as cf
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from multiprocessing.pool import ThreadPool


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def weighted(n, weight):
    return collatz_steps(n) * weight


def main():
    numbers = list(range(1, 200))
    with ThreadPoolExecutor(max_workers=2) as executor:
        print(sum(executor.map(collatz_steps, numbers)))
    with cf.ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(collatz_steps, n) for n in numbers[:20]]
        print([f.result() for f in futures])
    executor = ThreadPoolExecutor(max_workers=2)
    print(list(executor.map(partial(weighted, weight=3), numbers[:10])))
    executor.shutdown()
    with ThreadPool(2) as threads:
        print(threads.map(collatz_steps, numbers[:10]))


if __name__ == "__main__":
    main()
