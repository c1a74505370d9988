import numpy as np

# Sizes from a variable: arrays of unknown size (arrays known to be small are left alone).
N = 4
a = np.arange(1.0, N + 1.0)
b = np.linspace(0.5, 2.0, 3)


def show(table):
    print([[round(float(v), 6) for v in row] for row in table])


show([[x * y for y in b] for x in a])
show(np.array([[a[i] - b[j] for j in range(len(b))] for i in range(len(a))]))
show([[(x - y) ** 2 for y in b] for x in a])
out = np.zeros((len(a), len(b)))
for i in range(len(a)):
    for j in range(len(b)):
        out[i, j] = a[i] + 2 * b[j]
show(out)
rows_table = []
for x in a:
    row = []
    for y in b:
        row.append(x / y)
    rows_table.append(row)
show(rows_table)
print(type(rows_table).__name__, type(rows_table[0]).__name__)
