import asyncio


async def square_later(value):
    # Later items finish first: order must still follow the inputs.
    await asyncio.sleep(0.001 * (10 - value))
    return value * value


class Store:
    def __init__(self):
        self.prefix = "item"

    async def label(self, index, value):
        await asyncio.sleep(0)
        return f"{self.prefix}-{index}-{value}"

    async def labels(self, values):
        out = []
        for index, value in enumerate(values):
            out.append(await self.label(index, value))
        return out


async def append_loop(values):
    squares = [-1]
    for value in values:
        squares.append(await square_later(value))
    return squares


async def guarded(values):
    odd = []
    for value in values:
        if value % 2:
            odd.append(await square_later(value))
    return odd


async def comprehensions(values):
    as_list = [await square_later(v) for v in values]
    first = [await square_later(v) for v in values if v > 2][0]
    as_set = {await square_later(v) for v in values}
    return as_list, first, sorted(as_set)


async def main():
    values = list(range(6))
    print(await append_loop(values))
    print(await guarded(values))
    print(await comprehensions(values))
    print(await Store().labels(["a", "b"]))


asyncio.run(main())
