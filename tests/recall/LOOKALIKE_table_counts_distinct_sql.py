# Look-alike: woai-art/shorts-news check_db.py, counts the rows of every table with a SELECT built per table name: the SQL text differs on each iteration and reads a result, so executemany does not apply.
import sqlite3

conn = sqlite3.connect("data/news.db")
cur = conn.cursor()
cur.execute("SELECT name FROM sqlite_master WHERE type='table'")
tables = cur.fetchall()
print("Tables:", tables)

if tables:
    for table in tables:  # lookalike: PAR205
        name = table[0]
        cur.execute(f"SELECT COUNT(*) FROM {name}")
        total = cur.fetchone()[0]
        print(f"Table {name}: {total} rows")

conn.close()
