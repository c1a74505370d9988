import sqlite3

INSERT = "INSERT INTO scores VALUES (?, ?)"


def insert_rows(connection, rows):
    cursor = connection.cursor()
    for name, score in rows:
        cursor.execute("INSERT INTO scores VALUES (?, ?)", (name, score * 2))


def insert_plain(connection, rows):
    for row in rows:
        connection.execute(INSERT, row)


def bump(connection, rows):
    # An UPDATE per row: left alone (`executemany` would loop `execute` the same way).
    cursor = connection.cursor()
    for name, score in rows:
        if score > 2:
            cursor.execute("UPDATE scores SET score = score + ? WHERE name = ?", (score, name))


if __name__ == "__main__":
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE scores (name TEXT, score INTEGER)")
    rows = [("a", 1), ("b", 2), ("c", 3), ("d", 4)]
    insert_rows(connection, rows)
    insert_plain(connection, [("e", 5), ("f", 6)])
    bump(connection, rows)
    print(connection.execute("SELECT name, score FROM scores ORDER BY rowid").fetchall())
