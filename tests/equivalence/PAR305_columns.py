import pandas as pd

df = pd.DataFrame({"price": [1.5, 20.0, 3.25, 12.0], "quantity": [2.0, 1.0, 4.0, 3.0]})
df["total"] = df.apply(lambda row: row["price"] * row["quantity"], axis=1)
df["cheap"] = df.apply(lambda r: r["price"] < 10, axis="columns")


def typed(frame: pd.DataFrame):
    return frame.apply(lambda row: row["price"] - row["quantity"], axis=1) * 2


print(df["total"].tolist(), [bool(v) for v in df["cheap"]])
print(typed(df).tolist(), list(typed(df).index))
