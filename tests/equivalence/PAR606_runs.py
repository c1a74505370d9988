import asyncio


async def double_later(value):
    await asyncio.sleep(0.001 * (5 - value))
    return value * 2


def collect(values):
    return [asyncio.run(double_later(v)) for v in values]


def appending(values):
    out = [-1]
    for value in values:
        out.append(asyncio.run(double_later(value)))
    return out


def filtered(values):
    seen = []
    for value in values:
        if value % 2:
            seen.append(asyncio.run(double_later(value)))
    return seen


if __name__ == "__main__":
    values = list(range(5))
    print(collect(values))
    print(appending(values))
    print(filtered(values))
