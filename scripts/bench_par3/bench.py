"""Speed-up of each PAR3 fix over the original code, on data of at least 10**6 elements.

Run: python3 scripts/bench_par3/bench.py [RULE ...]   (e.g. PAR302 PAR305)

Each case times the original loop and the fixed code (as pyparallel writes it) several
times, checks they compute the same values, and prints the ratio of the medians.
"""

import math
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

N = 1_000_000
rng = np.random.default_rng(0)


def median_time(function, repeats):
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def par301():
    a = rng.random(1000)
    b = rng.random(1000)  # 1000 x 1000 = 10**6 pairs

    def original():
        return [[x * y for y in b] for x in a]

    def fixed():
        return np.outer(a, b).tolist()

    return original, fixed, lambda r: np.allclose(np.array(r[0]), np.array(r[1]))


def par302():
    a = rng.random(N)
    b = rng.random(N)

    def original():
        c = np.empty_like(a)
        for i in range(len(a)):
            c[i] = a[i] * b[i] + 1.0
        return c

    def fixed():
        c = np.empty_like(a)
        c[:] = a * b + 1.0
        return c

    return original, fixed, lambda r: np.array_equal(r[0], r[1])


def par303():
    a = rng.random(N)
    b = rng.random(N)

    def original():
        total = 0.0
        for i in range(len(a)):
            total += a[i] * b[i]
        return total

    def fixed():
        total = 0.0
        total += np.dot(a, b)
        return total

    return original, fixed, lambda r: math.isclose(r[0], r[1], rel_tol=1e-9)


def par304():
    arr = rng.random(N)

    def original():
        return [math.sqrt(x) for x in arr]

    def fixed():
        return np.sqrt(arr).tolist()

    return original, fixed, lambda r: r[0] == r[1]


def par305():
    df = pd.DataFrame({"price": rng.random(N), "quantity": rng.random(N)})

    def original():
        return df.apply(lambda row: row["price"] * row["quantity"], axis=1)

    def fixed():
        return df["price"] * df["quantity"]

    return original, fixed, lambda r: np.allclose(r[0].to_numpy(), r[1].to_numpy())


def par306():
    folder = tempfile.mkdtemp()
    files = []
    for n in range(16):  # 16 files x 62_500 rows x 2 columns = 2 * 10**6 values
        path = os.path.join(folder, f"part{n}.csv")
        pd.DataFrame(
            {"a": rng.random(N // 16), "b": rng.integers(0, 1000, N // 16)}
        ).to_csv(path, index=False)
        files.append(path)

    def original():
        return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)

    def fixed():
        with ThreadPoolExecutor(max_workers=8) as executor:
            return pd.concat(executor.map(pd.read_csv, files), ignore_index=True)

    return original, fixed, lambda r: r[0].equals(r[1])


CASES = {
    "PAR301": (par301, 5),
    "PAR302": (par302, 5),
    "PAR303": (par303, 5),
    "PAR304": (par304, 5),
    "PAR305": (par305, 3),
    "PAR306": (par306, 5),
}


def main():
    selected = sys.argv[1:] or list(CASES)
    print(f"numpy {np.__version__}, pandas {pd.__version__}, {os.cpu_count()} CPUs")
    for code in selected:
        make, repeats = CASES[code]
        original, fixed, same = make()
        before, result_before = median_time(original, repeats)
        after, result_after = median_time(fixed, repeats)
        assert same((result_before, result_after)), f"{code}: results differ"
        print(
            f"{code}: original {before * 1000:9.1f} ms, fixed {after * 1000:8.2f} ms, "
            f"speed-up {before / after:7.1f}x (median of {repeats})"
        )


if __name__ == "__main__":
    main()
