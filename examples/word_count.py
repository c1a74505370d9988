"""Count words in a set of text files with a process pool.

The pool is created at import time: under the spawn start method (the default on macOS and
Windows, and on Linux from Python 3.14) every worker re-imports this module and tries to
start a pool of its own.
"""

import multiprocessing
from collections import Counter
from pathlib import Path


def count_words(path: Path) -> Counter:
    counts: Counter = Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            counts.update(word.lower() for word in line.split())
    return counts


files = sorted(Path("corpus").glob("*.txt"))
pool = multiprocessing.Pool(processes=4)
totals: Counter = Counter()
for partial in pool.imap_unordered(count_words, files, chunksize=8):
    totals.update(partial)
pool.close()
pool.join()

for word, count in totals.most_common(20):
    print(f"{count:8d} {word}")
