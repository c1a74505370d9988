# Recall site: geekcomputers/Python news_articles__scraper.py (first module-level loop), fetches 158 listing pages of a fact-check site and collects the article links; errors are printed and skipped.
import sys

import requests
from bs4 import BeautifulSoup

article_links = []
for number in range(1, 159):  # recall: PAR201
    page_url = "https://www.boomlive.in/fake-news/" + str(number)
    try:
        listing = requests.get(page_url)

        listing = requests.get(page_url)
        parsed = BeautifulSoup(listing.text, "html.parser")

        for heading in parsed.find_all("h2", attrs={"class": "entry-title"}):
            anchor = heading.find("a")
            article_links.append(anchor.get("href"))

    except Exception:
        kind, value, trace = sys.exc_info()
        print("ERROR FOR LINK:", page_url)
        print(kind, "Line:", trace.tb_lineno)
        continue

article_links[:5]
