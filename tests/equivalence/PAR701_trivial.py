import operator
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.pool import ThreadPool


def double(x):
    """Twice the value."""
    return x * 2


def lengths(words):
    with ThreadPoolExecutor(max_workers=4) as executor:
        return list(executor.map(len, words))


def doubled(values):
    with ThreadPool(2) as pool:
        return pool.map(double, values, 4)


def pair_sums(pairs):
    with ThreadPool(2) as pool:
        return pool.starmap(operator.add, pairs)


def lazily(values):
    out = []
    with ThreadPool(2) as pool:
        for value in pool.imap(lambda v: v + 1, values):
            out.append(value)
    return out


def zipped(a, b):
    with ThreadPoolExecutor() as executor:
        return sorted(executor.map(operator.mul, a, b))


if __name__ == "__main__":
    words = ["alpha", "be", "gamma", "", "delta"]
    print(lengths(words))
    print(doubled(list(range(10))))
    print(pair_sums([(1, 2), (3, 4), (5, 6)]))
    print(lazily([3, 1, 2]))
    print(zipped([1, 2, 3], [4, 5, 6]))
