# Recall site: YaluLiu/spark_flask util/solve_json.py (get_datas), loads every JSON file of a folder through a helper of the same module into a dict keyed by file name, skipping directories.
import json
import os


def load_json(path):
    with open(path, "r") as fp:
        content = json.load(fp)
    return content


def dump_json(content, path):
    with open(path, "w") as fp:
        json.dump(content, fp, indent=4)


def get_datas(folder):
    found = {}

    for entry in os.listdir(folder):  # recall: PAR202
        if not os.path.isdir(entry):
            full = os.path.join(folder, entry)
            found[entry] = load_json(full)
    return found


if __name__ == "__main__":
    datas = get_datas("records")
    print(datas.keys())
    first = datas["1.json"]
    print(len(first), type(first))
