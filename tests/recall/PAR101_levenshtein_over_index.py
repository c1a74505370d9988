# Recall site: comp4a/alt src/distanciatrie.py (distances), edit distance from a query word to every word of an index, keeping (word, distance) pairs.
import numpy as np


def edit_distance(left, right):
    row = np.zeros((1 + len(left)))
    previous = np.zeros((1 + len(left)))
    row[0] = 0
    for i in range(1, len(left) + 1):
        row[i] = row[i - 1] + 1
    for j in range(1, len(right) + 1):
        previous, row = row, previous
        row[0] = previous[0] + 1
        for i in range(1, len(left) + 1):
            row[i] = min(row[i - 1] + 1,
                         previous[i] + 1,
                         previous[i - 1] + (left[i - 1] != right[j - 1]))
    return row[len(left)]


def distances(index, query):
    vocabulary = index.keys()
    pairs = []
    for position, candidate in enumerate(vocabulary):  # recall: PAR101
        gap = edit_distance(candidate, query)
        pairs.append((candidate, gap))
    return pairs


postings = {"patata": [1, 2, 3], "patatero": [1, 2, 3], "patan": [1, 2, 3]}

print(distances(postings, "patata"))
