"""A script that starts a pool at import time, with definitions after it."""
import multiprocessing as mp

SIZE = 8


def cube(x):
    return x ** 3


values = list(range(SIZE))
with mp.Pool(2) as pool:  # workers
    cubes = pool.map(cube, values)

TEMPLATE = """total:
  {}"""


def describe(items):
    return f"{len(items)} items, max {max(items)}"


print(TEMPLATE.format(sum(cubes)))
print(describe(cubes))
