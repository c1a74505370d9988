import numpy as np

a = np.linspace(0.0, 1.0, 11)
b = np.arange(11.0)

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


grid = np.ones((3, 4))
rows = 0
for row in grid:
    rows += row
print(round(float(dot), 9), round(float(total), 9), round(float(squares), 9))
print(round(float(norm(a)), 9), [float(v) for v in rows])
print(round(float(sum(x * y for x, y in zip(a, b))), 9), round(float(sum([abs(x - 5) for x in b])), 9))
