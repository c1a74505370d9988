# Recall site: hutchmar001/CS50-public prophecy/propython.py (module level), inserts each row of a students CSV into SQLite with one execute per row (the original passes the two values as separate arguments; here they form the parameter tuple it meant).
import csv
import sqlite3

conn = sqlite3.connect("roster.db")

rows = csv.reader(open("pupils.csv", "r"))
for row in rows:  # recall: PAR205
    pupil_id = row[0]
    pupil_name = row[1]
    conn.execute("INSERT INTO pupil(id, pupil_name) VALUES (?,?)", (pupil_id, pupil_name))
conn.commit()
