# Recall site: elitwilliams/project-euler 14.py (module-level loop), builds the Collatz sequence of every start below one million, one after another.
# (The original is Python 2; rewritten here in Python 3 with the same shape.)
chains = []
chain_lengths = []


def halve(value):
    return value / 2


def triple_plus_one(value):
    return 3 * value + 1


def collatz_sequence(start):
    current = start
    steps = [start]
    while current > 1:
        if current % 2 == 0:
            steps.append(current / 2)
            current /= 2
        else:
            steps.append(3 * current + 1)
            current = 3 * current + 1
    return steps


for start in range(0, 1000000):  # recall: PAR101
    chains.append(collatz_sequence(start))

for position in range(0, 1000000):
    chain_lengths.append(len(chains[position]))

longest = chain_lengths.index(max(chain_lengths))
print(longest)
print(chains[longest])
