"""A correctly parallelised pipeline: pyparallel reports nothing here.

- the worker is a module-level function, so it pickles;
- the pool is created under the main guard;
- the coroutine asks for the running loop.
"""

import asyncio
import hashlib
from concurrent.futures import ProcessPoolExecutor


def digest(block: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", block, b"salt", 100_000).hex()


def hash_blocks(blocks: list[bytes]) -> list[str]:
    with ProcessPoolExecutor() as executor:
        return list(executor.map(digest, blocks, chunksize=16))


async def hash_in_background(blocks: list[bytes]) -> list[str]:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, hash_blocks, blocks)


if __name__ == "__main__":
    data = [bytes([i]) * 1024 for i in range(64)]
    print(asyncio.run(hash_in_background(data))[:2])
