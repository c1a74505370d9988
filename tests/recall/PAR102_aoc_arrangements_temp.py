# Recall site: Alexander-Tengborg/adventofcode 2023/12/day12_1.py (module-level loop), the per-line arrangement count goes through a temporary before it is added to the total.
source = open("day12_data.txt", "r")


def count_arrangements(states, groups):
    found = 0

    if not states:
        return not groups

    if not groups:
        return not '#' in states

    if states[0] in '.?':
        found += count_arrangements(states[1:], groups)

    if (states[0] in '#?'
            and groups[0] <= len(states)
            and '.' not in states[:groups[0]]
            and (groups[0] == len(states) or states[groups[0]] != '#')):
        found += count_arrangements(states[groups[0] + 1:], groups[1:])

    return found


grand_total = 0

for n, text in enumerate(source.readlines()):  # recall: PAR102
    states = text.split()[0]
    groups = [int(g) for g in text.split()[1].split(',')]

    per_line = count_arrangements(states, groups)
    grand_total += per_line

print(grand_total)
