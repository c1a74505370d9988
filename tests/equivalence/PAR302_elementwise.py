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
