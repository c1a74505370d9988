"""CPU-bound loops as real code writes them, outlined into a module-level worker."""
import math


def edit_distance(left, right):
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        current = [i]
        for j, b in enumerate(right, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def collatz_steps(limit):
    longest = 0
    for start in range(1, limit):
        n, steps = start, 0
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        longest = max(longest, steps)
    return longest


def nearest(words, query):
    # A temporary, an invariant from the enclosing function, a tuple collected.
    pairs = []
    for position, word in enumerate(words):
        gap = edit_distance(word, query)
        pairs.append((position, word, gap))
    return pairs


def by_limit(limits, scale):
    # A dict store under a per-item key, a progress print, a counter.
    table = {}
    done = 0
    for limit in limits:
        print("limit", limit)
        steps = collatz_steps(limit * scale)
        table[limit] = steps
        done += 1
    print("done", done)
    return table


def filtered(limits):
    # A `continue` filter before the work, two collectors.
    kept = []
    roots = []
    for limit in limits:
        if limit % 2:
            continue
        steps = collatz_steps(limit)
        kept.append(steps)
        roots.append(math.isqrt(steps))
    return kept, roots


if __name__ == "__main__":
    print(nearest(["kitten", "sitting", "mitten", "fitting"], "sitting"))
    print(by_limit([50, 80, 120, 30], 3))
    print(filtered([10, 21, 40, 55, 64, 90]))
    found = []
    for limit in [200, 100, 300]:
        steps = collatz_steps(limit)
        found.append(steps * 2)
    print(found, steps)
