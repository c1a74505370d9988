# Recall site: niangu/Python- 博客标题存储到MySQL.py (module level), scrapes the post titles of one blog page and stores each title and link in MySQL with one execute per post.
import pymysql
import requests
from bs4 import BeautifulSoup

db = pymysql.connect(host="localhost", user="root", passwd="<pw>", db="crawl", charset="utf8")
cursor = db.cursor()

home = "http://www.example-blog.com/"
agent = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0 Safari/537.36"
}
page = requests.get(home, headers=agent)

soup = BeautifulSoup(page.text, "lxml")
headings = soup.find_all("h1", class_="post-title")
for heading in headings:  # recall: PAR205
    link = heading.a["href"]
    text = heading.a.text.strip()

    cursor.execute("insert into posts (link, title) values (%s, %s)", (link, text))

cursor.close()
db.commit()
db.close()
