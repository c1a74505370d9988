import os
import tempfile
from pathlib import Path


def load(path):
    with open(path) as handle:
        return handle.read()


def store(path):
    Path(path).write_text(path[-5:])


def load_all(paths):
    texts = [load(path) for path in paths]
    return texts


def sizes(paths):
    out = []
    for path in paths:
        out.append(len(load(path)))
    return out


def write_each(paths):
    for path in paths:
        store(path)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        paths = [os.path.join(folder, f"f{i}.txt") for i in range(6)]
        write_each(paths)
        print(load_all(paths))
        print(sizes(paths))
