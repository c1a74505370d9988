"""CPU-bound sums and counts as real code writes them, outlined into a module-level worker."""


def chain_end(number):
    while number != 89 and number != 1:
        digits = str(number)
        total = 0
        for d in digits:
            total = total + int(d) ** 2
        number = total
    return number


def arrangements(row, groups):
    if not row:
        return 0 if groups else 1
    if not groups:
        return 0 if "#" in row else 1
    count = 0
    if row[0] in ".?":
        count += arrangements(row[1:], groups)
    if row[0] in "#?":
        size = groups[0]
        if size <= len(row) and "." not in row[:size] and (size == len(row) or row[size] != "#"):
            count += arrangements(row[size + 1:], groups[1:])
    return count


def count_reaching(limit):
    # A guarded count: the test is the work.
    reaching = 0
    for start in range(1, limit):
        if chain_end(start) == 89:
            reaching = reaching + 1
    return reaching


def total_arrangements(lines):
    # Temporaries parsed from the line, then a sum through a temporary.
    total = 0
    for text in lines:
        row, sizes = text.split()
        groups = [int(g) for g in sizes.split(",")]
        per_line = arrangements(row, groups)
        total += per_line
    return total


if __name__ == "__main__":
    print(count_reaching(3000))
    print(total_arrangements(["???.### 1,1,3", ".??..??...?##. 1,1,3", "?###???????? 3,2,1"]))
