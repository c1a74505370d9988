# Look-alike: MarekLorenz/Wikipedia_Graph Scraping/wiki_1000.py, fetches the page of each link stored in SQLite and inserts its HTML through the same cursor, stopping after 1000 pages: one sqlite3 cursor used in order, and a break.
import sqlite3

import requests
from bs4 import BeautifulSoup

conn = sqlite3.connect("wiki.db")

cur = conn.cursor()
cur.execute("SELECT id, url FROM links")

links = cur.fetchall()

seen = 0
for link in links:  # lookalike: PAR201
    if seen > 1000:
        break
    print(link[0])
    page = requests.get(link[1])
    soup = BeautifulSoup(page.text, "html.parser")
    html = soup.prettify()
    text = soup.get_text()
    values = (link[0], html, text)
    insert = "INSERT INTO content (id, html, text) VALUES (?, ?, ?)"
    cur.execute(insert, values)
    seen += 1

conn.commit()
