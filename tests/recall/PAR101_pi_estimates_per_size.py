# Recall site: ruiseixasm/LearningConcepts Python/Profilers/pyinstrument_call_stack.py (module level), five Monte Carlo estimates of pi for each sample size up to ten million.
from random import uniform


def monte_carlo_pi(samples):
    return 4 * sum(inside(random_point()) for _ in range(samples)) / samples


def inside(point):
    return abs(point) <= 1


def random_point():
    return complex(uniform(0, 1), uniform(0, 1))


for power in range(1, 8):
    samples = 10 ** power
    runs = [monte_carlo_pi(samples) for _ in range(5)]  # recall: PAR101
    print(f"{samples = :<10,} {runs}")
