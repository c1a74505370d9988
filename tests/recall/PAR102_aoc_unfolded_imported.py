# Recall site: nmolkent/aoc_2023 solutions/day_12/part2.py (solve), the per-line count comes from a recursive function imported from part 1; lines are read from an open file.
from solutions.day_12.part1 import recursive_combinations


def solve(path: str):
    total = 0
    with open(path) as handle:
        for text in handle:  # recall: PAR102
            pattern, sizes_text = tuple(text.split(" "))
            sizes = tuple(map(int, sizes_text.split(",")))
            total += recursive_combinations(sizes * 5, ((pattern + "?") * 5)[:-1])
    return total


if __name__ == "__main__":
    solve("test1.txt")
