"""A loop with temporaries and comments inserting one row per item: it collects the rows and
sends them with one executemany."""
import sqlite3


def load(connection, records):
    cursor = connection.cursor()
    for record in records:
        # Normalise the name first.
        name = record["name"].strip().title()
        score = int(record["score"])
        cursor.execute("INSERT INTO scores (name, score) VALUES (?, ?)", (name, score))
    connection.commit()


if __name__ == "__main__":
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE scores (name TEXT, score INTEGER)")
    load(connection, [{"name": " ada ", "score": "3"}, {"name": "bob", "score": "-1"}, {"name": "cy", "score": "7"}])
    print(connection.execute("SELECT name, score FROM scores ORDER BY rowid").fetchall())
