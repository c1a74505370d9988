"""Process-pool outlining, from an independent review that ran fixed programs under fork and
spawn: workers of several loops fixed in one pass take distinct names (an existing
`compute_one`, two `__main__` blocks, a nested function named like a top-level one)."""


def steps(n):
    count = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        count += 1
    return count


def compute_one(n):
    return -n


def outer():
    def work(ns):
        found = []
        for n in ns:
            s = steps(n * 3)
            found.append(s)
        return found

    return work(range(1, 30))


def outer_work(ns):
    found = []
    for n in ns:
        s = steps(n * 7)
        found.append(s + 1)
    return found


if __name__ == "__main__":
    first = []
    for n in range(1, 25):
        s = steps(n)
        first.append(s)
    print(first, compute_one(3))

if __name__ == "__main__":
    second = []
    for n in range(40, 60):
        s = steps(n * 5)
        second.append(s * 2)
    print(second)
    print(outer())
    print(outer_work(range(1, 20)))
