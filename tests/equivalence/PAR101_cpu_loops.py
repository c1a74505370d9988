import hashlib


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def stretch(key, rounds):
    return hashlib.pbkdf2_hmac("sha256", key, b"salt", rounds).hex()[:12]


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Route:
    def __init__(self, points):
        self.points = points


def distance(points):
    total = 0
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            total += abs(b - a) * abs(b - a)
    return total


def loop_append(numbers):
    steps = [0]
    for n in numbers:
        steps.append(collatz_steps(n))
    return steps


def filtered_loop(numbers):
    steps = []
    for n in numbers:
        if n % 3:
            steps.append(collatz_steps(n))
    return steps


def invariant_argument(keys, rounds):
    digests = []
    for key in keys:
        digests.append(stretch(key, rounds))
    return digests


def item_expression(routes):
    lengths = []
    for route in routes:
        lengths.append(distance(route.points))
    return lengths


def comprehension(numbers):
    results = [fib(n) for n in numbers]
    return results


def returned_map(numbers):
    return list(map(collatz_steps, numbers))


if __name__ == "__main__":
    numbers = list(range(1, 30))
    print(loop_append(numbers))
    print(filtered_loop(numbers))
    print(invariant_argument([b"a", b"b", b"c"], 1000))
    print(item_expression([Route([1, 4, 9]), Route([2, 2, 7, 1])]))
    print(comprehension(range(15)))
    print(returned_map(numbers))
