"""Checks which service URLs answer: one blocking request after another."""
import sys
import urllib.request


def status(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status


def check_all(urls):
    return [status(url) for url in urls]


if __name__ == "__main__":
    print(check_all(sys.argv[1:]))
