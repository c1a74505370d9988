# Recall site: kmarsha/python-basic crud/insert_many.py (module level), inserts a list of customers into MySQL with one execute and one commit per row.
import mysql.connector

conn = mysql.connector.connect(
    host="localhost",
    user="root",
    passwd="",
    database="shop_db",
)

cur = conn.cursor()
statement = "INSERT INTO clients (name, city) VALUES (%s, %s)"
people = [
    ("Rina", "Bandung"),
    ("Tomo", "Malang"),
    ("Sari", "Medan"),
]

for person in people:  # recall: PAR205
    cur.execute(statement, person)
    conn.commit()

print("{} rows added".format(len(people)))
