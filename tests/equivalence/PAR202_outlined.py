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


def labelled(root):
    # An inner loop under two labels written out; a count under a guard the parent tests.
    texts = []
    labels = []
    long_ones = 0
    for label in ["pos", "neg"]:
        folder = os.path.join(root, label)
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name)) as review:
                texts.append(review.read())
            labels.append(label)
            if label == "neg":
                long_ones += 1
    return texts, labels, long_ones


def sizes_over(folder, limit):
    # A guarded count whose test is the read.
    over = 0
    for name in sorted(os.listdir(folder)):
        if len(Path(folder, name).read_bytes()) > limit:
            over = over + 1
    return over


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
    root = tempfile.mkdtemp()
    for label in ["pos", "neg"]:
        os.mkdir(os.path.join(root, label))
        for index in range(3):
            with open(os.path.join(root, label, f"r{index}.txt"), "w") as handle:
                handle.write(label * index)
    print(labelled(root))
    print(sizes_over(os.path.join(root, "pos"), 3))
