import asyncio

log = []


async def save(record):
    await asyncio.sleep(0)
    log.append(record)


class Buffer:
    def __init__(self):
        self.flushed = 0

    async def flush(self):
        await asyncio.sleep(0)
        self.flushed += 1

    async def close(self):
        self.flush()
        return self.flushed


async def main():
    save("a")
    save("b")
    print(sorted(log))
    print(await Buffer().close())


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore", RuntimeWarning)
    asyncio.run(main())
