"""Counts primes below each limit: pure-Python CPU work, one limit after another."""


def count_primes(limit):
    count = 0
    for candidate in range(2, limit):
        divisor = 2
        while divisor * divisor <= candidate:
            if candidate % divisor == 0:
                break
            divisor += 1
        else:
            count += 1
    return count


def report(limits):
    counts = []
    for limit in limits:
        counts.append(count_primes(limit))
    return dict(zip(limits, counts))


if __name__ == "__main__":
    print(report([10_000, 20_000, 40_000, 80_000]))
