import os
import tempfile

import pandas as pd

folder = tempfile.mkdtemp()
files = []
for n in range(5):
    path = os.path.join(folder, f"part{n}.csv")
    pd.DataFrame({"n": [n, n * 10], "sq": [n * n, n * n * 100]}).to_csv(path, index=False)
    files.append(path)

combined = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
semicolons = pd.concat([pd.read_csv(f, usecols=["n"]) for f in files])


def load_each(paths):
    frames = []
    for path in paths:
        frames.append(pd.read_csv(path))
    return frames


print(combined.to_dict("list"))
print(semicolons["n"].tolist())
print([frame["sq"].tolist() for frame in load_each(files)])
