"""pandas reads in loops as real code writes them, outlined into a worker."""
import glob
import os
import tempfile

import pandas as pd


def through_a_temporary(folder):
    parts = []
    for match in sorted(glob.glob(folder + "/*.csv")):
        frame = pd.read_csv(match, index_col=None)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def grown_with_concat_and_progress(paths):
    combined = pd.DataFrame()
    for path in paths:
        print("reading", os.path.basename(path))
        part = pd.read_csv(path)
        combined = pd.concat([combined, part], ignore_index=True)
    return combined


def skips_empty(paths):
    frames = []
    for path in paths:
        frame = pd.read_csv(path)
        if frame.empty:
            continue
        frames.append(frame.assign(source=os.path.basename(path)))
    return pd.concat(frames, ignore_index=True)


if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    paths = []
    for index in range(4):
        path = os.path.join(folder, f"part{index}.csv")
        rows = "".join(f"{index},{row}\n" for row in range(index))
        with open(path, "w") as handle:
            handle.write("a,b\n" + rows)
        paths.append(path)
    print(through_a_temporary(folder).to_string())
    print(grown_with_concat_and_progress(paths).to_string())
    print(skips_empty(paths).to_string())
