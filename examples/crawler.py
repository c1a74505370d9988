"""A small asyncio crawler that fetches pages with a blocking HTTP client in executor threads."""

import asyncio
import urllib.request
from concurrent.futures import ThreadPoolExecutor

URLS = [
    "https://example.com/",
    "https://example.org/",
    "https://example.net/",
]


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


async def fetch_all(urls: list[str]) -> list[bytes]:
    loop = asyncio.get_event_loop()
    with ThreadPoolExecutor(max_workers=8) as executor:
        futures = [loop.run_in_executor(executor, download, url) for url in urls]
        return await asyncio.gather(*futures)


async def main() -> None:
    pages = await fetch_all(URLS)
    for url, page in zip(URLS, pages):
        print(f"{url}: {len(page)} bytes")


if __name__ == "__main__":
    asyncio.run(main())
