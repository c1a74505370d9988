# Recall site: christophergeiger3/sesoProgrammingClub titleFinder_webscraper.py (module level), downloads each home page with urllib and keeps the <title> matches, reporting pages without one.
import re
import urllib.request as fetcher

pages = ["https://duckduckgo.com", "https://wikipedia.org", "https://github.com", "https://python.org"]
found_titles = []
title_re = re.compile("<title>(.+?)</title>")

for page in pages:  # recall: PAR201
    handle = fetcher.urlopen(page)
    markup = str(handle.read())
    matches = re.findall(title_re, markup)
    if matches:
        found_titles.append(matches)
    else:
        print("no title at " + page)

if found_titles:
    for entry in found_titles:
        print(entry)

input()
