# Recall site: gabsschrodinger/estimate-pi test.py (module level), ten independent 26.7-million-point estimates of pi, printed as they finish.
import random as rnd


def pi_from_points(count):
    points = [(rnd.uniform(-1, 1), rnd.uniform(-1, 1)) for _ in range(count)]
    hits = [(x, y) for (x, y) in points if x ** 2 + y ** 2 < 1]
    return 4 * len(hits) / len(points)


estimates = []
index = 0

for _ in range(10):  # recall: PAR101
    estimates.append(pi_from_points(26666667))
    print(estimates[index])
    index += 1
