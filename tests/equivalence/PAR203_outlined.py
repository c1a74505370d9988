"""Awaits in loops as real code writes them, outlined into a coroutine and gathered."""
import asyncio
import os
import sys
import tempfile


async def read_size(path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", f"import os; print(os.path.getsize({path!r}))",
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    return int(out)


async def sizes_with_temporaries(paths):
    report = {}
    done = 0
    for i, path in enumerate(paths):
        name = os.path.basename(path)
        size = await read_size(path)
        if size == 0:
            continue
        report[name] = size * 2
        done += 1
        print(i, name, size)
    print("done", done)
    return report


async def main():
    folder = tempfile.mkdtemp()
    paths = []
    for index in range(5):
        path = os.path.join(folder, f"f{index}.txt")
        with open(path, "w") as handle:
            handle.write("x" * (index * 3))
        paths.append(path)
    print(await sizes_with_temporaries(paths))


if __name__ == "__main__":
    asyncio.run(main())
