# Look-alike: ycs25/advanced-database topic-07-large-dataset/import.crew.tsv.py, streams one large TSV in chunks into SQLite: the chunks come from one reader in order and go to one connection, there is nothing to read in parallel.
import sqlite3

import pandas as pd

conn = sqlite3.connect("../imdb/imdb.db")
size = 10000
n = 1
for part in pd.read_csv("../imdb/title.crew.tsv", sep="\t", chunksize=size):  # lookalike: PAR306
    print("part #", n)
    n = n + 1
    part.to_sql("title_crew", conn, if_exists="append", index=False)
conn.close()
