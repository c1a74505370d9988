"""PAR602: CPU-bound calls in coroutines, run in the process pool that is in scope."""
import asyncio
import hashlib
from concurrent.futures import ProcessPoolExecutor


def checksum(data, modulus=1_000_003):
    total = 0
    for byte in data:
        total = (total * 31 + byte) % modulus
    return total


async def handle(data):
    with ProcessPoolExecutor(max_workers=2) as pool:
        plain = checksum(data)
        custom = checksum(data, modulus=97)
        key = hashlib.pbkdf2_hmac("sha256", data, b"salt", 1000)
    return plain, custom, key.hex()[:16]


async def main():
    print(await handle(b"hello world" * 100))


if __name__ == "__main__":
    asyncio.run(main())
