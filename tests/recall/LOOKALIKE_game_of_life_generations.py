# Look-alike: japinol7/small-python-projects projects/cyber_dojo/task_game_of_life/take_01/run.py, computes Game of Life generations one after another: each generation is computed from the state the previous one left in the object.
from game_of_life import GameOfLife

STEPS = 5

START = (
    5, 8,
    "........\n"
    "....*...\n"
    "...***..\n"
    "........\n"
    "........",
)


def main():
    print(f"Initial grid\n{START[2]}\n")

    life = GameOfLife(*START)
    for gen in range(1, STEPS + 1):  # lookalike: PAR101
        board = life.calc_next_generation()
        print(f"Generation {gen}\n{board}\n")


if __name__ == "__main__":
    main()
