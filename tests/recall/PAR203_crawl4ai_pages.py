# Recall site: Tuprott991/UniAdvise_Machine_Learning_Final_Project data/craw4AI.py (main), crawls each URL of a list with one shared crawl4ai crawler, awaiting the pages one by one and writing each page's markdown to its own file.
import asyncio
import os

from crawl4ai import AsyncWebCrawler


async def main():
    with open("links.txt", "r", encoding="utf-8") as src:
        links = [line.strip() for line in src if line.strip()]

    out_dir = "pages_md"
    os.makedirs(out_dir, exist_ok=True)

    async with AsyncWebCrawler() as crawler:
        for n, link in enumerate(links, start=1):  # recall: PAR203
            print(f"Fetching {n}/{len(links)}: {link}")
            try:
                page = await crawler.arun(url=link)
                target = os.path.join(out_dir, f"page_{n}.md")
                with open(target, "w", encoding="utf-8") as dst:
                    dst.write(page.markdown)
            except Exception as err:
                print(f"Could not crawl {link}: {err}")


if __name__ == "__main__":
    asyncio.run(main())
