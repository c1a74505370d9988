import asyncio
from asyncio import get_event_loop


async def add_later(a, b):
    loop = asyncio.get_event_loop()
    future = loop.create_future()
    loop.call_soon(future.set_result, a + b)
    return await future


async def same_loop():
    return get_event_loop() is asyncio.get_running_loop()


async def main():
    print(await add_later(2, 3))
    print(await same_loop())
    print(await asyncio.gather(*(add_later(i, i) for i in range(3))))


asyncio.run(main())
