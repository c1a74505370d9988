import asyncio
import time


async def fetch():
    time.sleep(1)
    return asyncio.get_event_loop()


async def main():
    asyncio.create_task(fetch())
