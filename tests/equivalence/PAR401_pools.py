import functools
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

OFFSET = 100
double = lambda v: v * 2  # noqa: E731


def square(x):
    return x * x


def with_lambda(values):
    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(lambda v: v * v + OFFSET, values))


def with_capture(values, factor):
    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(lambda v: v * factor, values))


def with_nested(values):
    def work(v):
        return square(v) - 1

    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(work, values))


def with_closure(values, shift):
    def moved(v):
        return v + shift

    with mp.Pool(2) as pool:
        return pool.map(moved, values)


def with_submit(values):
    with ProcessPoolExecutor(max_workers=2) as executor:
        futures = [executor.submit(lambda v: square(v) + OFFSET, v) for v in values]
        return [future.result() for future in futures]


def with_partial(values):
    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(functools.partial(lambda a, b: a * b, 3), values))


def with_module_lambda(values):
    with ProcessPoolExecutor(max_workers=2) as executor:
        return list(executor.map(double, values))


def with_starmap(pairs):
    with mp.Pool(2) as pool:
        return pool.starmap(lambda a, b: a - b, pairs)


class Pipeline:
    def run(self, items, scale):
        def transform(item):
            """Scale one item.

            Indented docstring.
            """
            return item * scale

        with ProcessPoolExecutor(max_workers=2) as executor:
            return list(executor.map(transform, items))

    def run_multiline(self, items):
        with ProcessPoolExecutor(max_workers=2) as executor:
            return list(
                executor.map(
                    lambda item: (
                        item
                        + 1  # plus one
                    ),
                    items,
                )
            )


if __name__ == "__main__":
    print(Pipeline().run([1, 2, 3], 10))
    print(Pipeline().run_multiline([4, 5]))
    data = list(range(6))
    print(with_lambda(data))
    print(with_capture(data, 7))
    print(with_nested(data))
    print(with_closure(data, 3))
    print(with_submit(data))
    print(with_partial(data))
    print(with_module_lambda(data))
    print(with_starmap([(9, 1), (5, 5)]))
