import numpy as np

# Sizes from a variable: arrays of unknown size (arrays known to be small are left alone).
POINTS = 11
a = np.linspace(0.0, 1.0, POINTS)
b = np.arange(float(POINTS))

dot = 0.0
for i in range(len(a)):
    dot += a[i] * b[i]
total = 0
for x in b:
    total += x
squares = 0.0
for x, y in zip(a, b):
    squares = squares + (x - y) ** 2


def norm(v: np.ndarray) -> float:
    s = 0.0
    for i in range(len(v)):
        s += v[i] * v[i]
    return s


COLUMNS = 4
grid = np.ones((3, COLUMNS))
rows = 0
for row in grid:
    rows += row
print(round(float(dot), 9), round(float(total), 9), round(float(squares), 9))
print(round(float(norm(a)), 9), [float(v) for v in rows])
print(round(float(sum(x * y for x, y in zip(a, b))), 9), round(float(sum([abs(x - 5) for x in b])), 9))
