# Recall site: eaglesfrogs/adventofcode2023 day12/day12.py (module-level loop), sums the number of spring arrangements of every input line (branching recursion per line).
import re


def arrangements(row, groups):
    if row == '':
        if groups:
            return 0
        else:
            return 1

    if not groups:
        if '#' in row:
            return 0
        else:
            return 1

    count = 0

    if row[0] in '.?':
        count += arrangements(row[1:], groups)

    if row[0] in '#?':
        size = groups[0]
        if size <= len(row) and '.' not in row[:size] and (size == len(row) or row[size] != '#'):
            count += arrangements(row[size + 1:], groups[1:])

    return count


handle = open('day12/day12data.txt', 'r')
records = handle.readlines()

total = 0

for record in records:  # recall: PAR102
    record = record.strip()
    row = record.split(' ')[0]
    groups = [int(n) for n in record.split(' ')[1].split(',')]

    total += arrangements(row, groups)

print(total)
