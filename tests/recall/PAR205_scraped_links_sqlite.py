# Recall site: kinfolklives/Learn_webscraping scraping/insertToDB.py (module level), parses a saved HTML page and inserts each paragraph's text and id into SQLite, one execute per element, rebinding the loop variable inside.
import sqlite3

from bs4 import BeautifulSoup

source = "pages/sample03.html"
with open(source, "rt", encoding="UTF8") as fp:
    soup = BeautifulSoup(fp, features="lxml")
    items = soup.select("p[id]")
    with sqlite3.connect("site.sqlite3") as con:
        cur = con.cursor()
        heading = ""
        item = ""
        insert = """
        insert into sample03 (heading, anchor, created) values (?,?,datetime('now'))
        """
        for item in items:  # recall: PAR205
            heading = str.strip(item.get_text())
            item = item["id"]
            cur.execute(insert, (heading, item))
        con.commit()
