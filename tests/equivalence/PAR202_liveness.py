"""Names an outlined loop binds stay bound for code that reads them later: a nested function
defined before the loop, and module functions reading a module-level loop's globals
(found by review of the outlining fix)."""
import glob
import os
import tempfile

folder = tempfile.mkdtemp()
for index in range(4):
    with open(os.path.join(folder, f"f{index}.txt"), "w") as handle:
        handle.write(f"content{index}")


def nested_reader():
    sizes = []

    def show():
        print("last:", data)

    for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
        data = open(path).read()
        size = len(data)
        sizes.append(size)
    show()
    return sizes


def report():
    print("module last", os.path.basename(path), last)


print(nested_reader())
lengths = []
for path in sorted(glob.glob(os.path.join(folder, "*.txt"))):
    last = open(path).read()
    lengths.append(len(last))
report()
print(lengths)
