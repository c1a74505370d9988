"""Comprehensions and generators whose element runs a subprocess or reads a file, mapped
over the items in a thread pool."""
import glob
import os
import subprocess
import sys
import tempfile


def exit_codes(snippets):
    return {s: subprocess.run([sys.executable, "-c", s]).returncode for s in snippets}


def doubled(values):
    out = [int(subprocess.check_output([sys.executable, "-c", f"print({v} * 2)"], text=True)) for v in values if v != "0"]
    return out


def total_length(values):
    return sum(len(subprocess.check_output([sys.executable, "-c", f"print({v!r})"], text=True)) for v in values)


def joined(folder):
    return "|".join(open(path).read().strip() for path in sorted(glob.glob(os.path.join(folder, "*.txt"))))


if __name__ == "__main__":
    print(exit_codes(["import sys; sys.exit(0)", "import sys; sys.exit(3)", "pass", "import sys; sys.exit(1)"]))
    print(doubled(["1", "0", "5", "7", "11"]))
    print(total_length(["a", "bb", "ccc", "dddd"]))
    folder = tempfile.mkdtemp()
    for index in range(5):
        with open(os.path.join(folder, f"f{index}.txt"), "w") as handle:
            handle.write(f"line {index}\n")
    print(joined(folder))
