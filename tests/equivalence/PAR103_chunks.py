import multiprocessing as mp
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def length(line):
    return len(line.strip())


def with_range(n):
    with ProcessPoolExecutor(max_workers=2) as executor:
        return sum(executor.map(square, range(n)))


def with_literal_range():
    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(square, range(2000)))[-3:]


def with_lines(path):
    with open(path) as handle:
        lines = handle.readlines()
    with mp.Pool(2) as pool:
        return sorted(pool.imap_unordered(length, lines))[-5:], list(pool.imap(length, lines))[:5]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "lines.txt")
        with open(path, "w") as handle:
            handle.write("".join("x" * (i % 17) + "\n" for i in range(1500)))
        print(with_range(3000))
        print(with_literal_range())
        print(with_lines(path))
