import os
import pathlib
import tempfile
import urllib.request


def fetch(url):
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


def fetch_all(urls):
    pages = []
    for url in urls:
        pages.append(fetch(url))
    return pages


def with_timeout(urls):
    sizes = []
    for url in urls:
        sizes.append(urllib.request.urlopen(url, timeout=5))
    return [len(response.read()) for response in sizes]


def comprehension(urls):
    return [fetch(url) for url in urls if url.endswith("1.txt") or url.endswith("2.txt")]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        urls = []
        for index in range(5):
            path = os.path.join(folder, f"page{index}.txt")
            with open(path, "w") as handle:
                handle.write(f"page {index}\n" * (index + 1))
            urls.append(pathlib.Path(path).as_uri())
        print(fetch_all(urls))
        print(with_timeout(urls))
        print(comprehension(urls))
