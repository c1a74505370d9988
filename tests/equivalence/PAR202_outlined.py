"""File reads in loops as real code writes them, outlined into a worker."""
import glob
import json
import os
import tempfile
from pathlib import Path


def load_configs(folder):
    configs = {}
    for path in sorted(Path(folder).glob("*.json")):
        with open(path) as handle:
            configs[path.stem] = json.load(handle)
    return configs


def count_lines(folder):
    total = 0
    for i, path in enumerate(sorted(glob.glob(os.path.join(folder, "*.json")))):
        with open(path) as f:
            text = f.read()
        total += text.count("\n")
        print(i, os.path.basename(path), len(text))
    return total


def skip_unreadable(folder):
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*"))):
        try:
            with open(path) as f:
                lines = f.read().splitlines()
        except IsADirectoryError:
            continue
        rows.extend(lines)
    return rows


def parse_bytes(folder):
    digests = []
    for name in sorted(os.listdir(folder)):
        digests.append(sum(Path(folder, name).read_bytes()) % 251)
    return digests


if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    paths = []
    for index in range(5):
        path = os.path.join(folder, f"c{index}.json")
        with open(path, "w") as handle:
            handle.write(json.dumps({"id": index, "tags": ["a"] * index}) + "\n" * index)
        paths.append(path)
    print(load_configs(folder))
    print(count_lines(folder))
    print(parse_bytes(folder))
    os.mkdir(os.path.join(folder, "c2.dir"))
    print(skip_unreadable(folder))
