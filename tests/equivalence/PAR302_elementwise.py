import math

import numpy as np


def scale(a: np.ndarray, b: np.ndarray, k: float):
    c = np.empty_like(a)
    for i in range(len(a)):
        c[i] = a[i] * b[i] + k
    for i in range(a.shape[0]):
        c[i] += 2 * a[i]
    diffs = [x - y for x, y in zip(a, b)]
    doubled = np.array([2 * x + 1 for x in a])
    flags = [a[i] > b[i] for i in range(len(a))]
    return c, diffs, doubled, flags


def into_list(a: np.ndarray):
    out = [0.0] * len(a)
    for i in range(len(a)):
        out[i] = math.sqrt(a[i]) + 1
    return out


def recurrence(x: np.ndarray):
    a = np.zeros(len(x))
    for i in range(1, len(x)):
        a[i] = a[i - 1] + x[i]
    return a


a = np.linspace(0.0, 3.0, 7)
b = np.arange(7.0)
c, diffs, doubled, flags = scale(a, b, 0.5)
print([round(float(v), 9) for v in c], type(diffs).__name__, [round(float(v), 9) for v in diffs])
print(type(doubled).__name__, doubled.dtype, [round(float(v), 9) for v in doubled])
print([bool(v) for v in flags])
print(type(into_list(a)).__name__, [round(float(v), 9) for v in into_list(a)])
print([round(float(v), 9) for v in recurrence(b)])


def appended(a: np.ndarray):
    ones = np.ones(len(a)) * 1.5
    shifted = []
    for i in range(len(ones)):
        shifted.append(ones[i] * 3 - 1)
    halves = []
    for v in ones:
        halves.append(v / 2)
    roots = []
    for v in a:
        roots.append(math.sqrt(v))
    return shifted, halves, roots


for values in appended(a):
    print(type(values).__name__, [round(float(v), 9) for v in values])

# Known one-dimensional arrays: the comprehensions are rewritten too.
# Sizes from a variable: arrays of unknown size (arrays known to be small are left alone).
SIZE = 5
u = np.linspace(-1.0, 1.0, SIZE)
w = np.arange(5.0)
print([round(float(v), 9) for v in [x - y for x, y in zip(u, w)]])
print([bool(v) for v in [u[i] > w[i] - 2 for i in range(len(u))]])
print([round(float(v), 9) for v in [2 * x ** 2 + 1 for x in u]])
