# Look-alike: mastermedia092/crypto_balance_tool main.py, checks each wallet on each network through one session with a random 10-20 s pause between checks so the API does not link or throttle the wallets (the original calls its sleep helper without await; the intent is the pause).
import asyncio

import aiohttp

from config import ADDRESSES
from modules import chainbase_get_balance, get_module
from network import Network
from sleeping import async_sleep


async def run_module(session, address, network, module):
    await chainbase_get_balance(session, address, network, module)


async def main(module):
    async with aiohttp.ClientSession() as session:
        for address in ADDRESSES:  # lookalike: PAR203
            for network in Network.networks:
                await run_module(session, address, network, module)
                await async_sleep(10, 20)


if __name__ == "__main__":
    module = get_module()
    asyncio.run(main(module))
