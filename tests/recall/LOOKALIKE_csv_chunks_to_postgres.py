# Look-alike: placeholderzap/etal-2024-hackathon back/db-small-copy.py, copies one big CSV into Postgres chunk by chunk to bound memory: a single streamed file, appended in order.
import pandas as pd
from sqlalchemy import create_engine

RAW = "./raw"
TABLE = "consumer_unit"

engine = create_engine("postgresql://postgres:postgres@localhost:5432/etal")

rows_per_chunk = 10_000

for block in pd.read_csv(f"{RAW}/{TABLE}", chunksize=rows_per_chunk):  # lookalike: PAR306
    block.to_sql(f"{TABLE}", con=engine, if_exists="append", index=False)
    print(f"Loaded another block of {len(block)} rows.")
