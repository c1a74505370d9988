"""Loops as real code writes them, outlined into a worker run in a thread pool."""
import json
import os
import pathlib
import sys
import tempfile
import urllib.error
import urllib.request


def temporaries_and_attribute(names, base):
    records = []
    for name in names:
        url = base + name
        response = urllib.request.urlopen(url)
        records.append(json.loads(response.read())["n"])
    return records


def try_except_continue(urls):
    bodies = {}
    for url in urls:
        try:
            reply = urllib.request.urlopen(url)
        except urllib.error.URLError as exc:
            print("failed", url.rsplit("/", 1)[-1], type(exc).__name__)
            continue
        bodies[url.rsplit("/", 1)[-1]] = reply.read().decode()
    return bodies


def several_collectors_and_prints(urls):
    sizes, firsts = [], {}
    done = 0
    for i, url in enumerate(urls):
        print(f"[{i + 1}/{len(urls)}] fetching")
        with urllib.request.urlopen(url) as handle:
            data = handle.read()
        if not data:
            continue
        sizes.append(len(data))
        firsts[i] = data[:6].decode()
        done += 1
    print("done", done)
    return sizes, firsts


def nested_call(urls):
    counts = []
    for url in urls:
        counts.append(len(urllib.request.urlopen(url).read().split()))
    return counts


def by_index(urls):
    lengths = []
    for i in range(len(urls)):
        body = urllib.request.urlopen(urls[i]).read()
        lengths.append((i, len(body)))
    return lengths


def last_item_used_after(urls):
    for url in urls:
        page = urllib.request.urlopen(url).read()
        print(len(page))
    print("last", url.rsplit("/", 1)[-1], len(page))


if __name__ == "__main__":
    folder = tempfile.mkdtemp()
    urls = []
    for index in range(6):
        path = os.path.join(folder, f"{index}.json")
        with open(path, "w") as handle:
            handle.write(json.dumps({"n": index * index}) if index else "")
        urls.append(pathlib.Path(path).as_uri())
    print(temporaries_and_attribute([f"{i}.json" for i in range(1, 6)], pathlib.Path(folder).as_uri() + "/"))
    print(sorted(try_except_continue(urls + [pathlib.Path(folder, "missing").as_uri()]).items()))
    print(several_collectors_and_prints(urls))
    print(nested_call(urls))
    print(by_index(urls))
    last_item_used_after(urls)
    # A module-level loop in a script.
    for url in urls[1:]:
        text = urllib.request.urlopen(url).read().decode()
        print(url.rsplit("/", 1)[-1], json.loads(text)["n"])
    sys.stdout.flush()
