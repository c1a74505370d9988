import multiprocessing.pool
from concurrent.futures import ThreadPoolExecutor, as_completed


def tripled(n):
    value = n * 3 + 1
    return value if n % 2 else n


def collect(values):
    executor = ThreadPoolExecutor(max_workers=4)
    # Results in input order.
    results = list(executor.map(tripled, values))
    print("collected", len(results))
    return results


def branches(values, twice):
    out = []
    if values:
        executor = ThreadPoolExecutor(max_workers=2)
        out.extend(executor.map(tripled, values))
        if twice:
            text = """keep
   this indentation"""
            out.extend(executor.map(tripled, values))
            out.append(text)
    return out


def futures(values):
    executor = ThreadPoolExecutor()
    pending = [executor.submit(tripled, v) for v in values]
    return sorted(f.result() for f in as_completed(pending))


def thread_pool(values):
    pool = multiprocessing.pool.ThreadPool(2)
    first = pool.map(tripled, values)
    second = pool.starmap(max, zip(values, first))
    return first, second


if __name__ == "__main__":
    print(collect([1, 2, 3, 4]))
    print(branches([5, 6], True))
    print(futures([7, 8, 9]))
    print(thread_pool([1, 4, 2]))
