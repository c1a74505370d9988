# Recall site: heleeparekh/google_adk_with_phoenix rag/run_batch.py (main), sends a random sample of CSV questions through the RAG agent one by one and prints context and answer for each.
import asyncio
import random

import pandas as pd

from rag.rag_agent_csv import run_rag

QUESTIONS_CSV = "sample_questions.csv"


async def main(n: int = 10, seed: int = 7):
    table = pd.read_csv(QUESTIONS_CSV)
    picker = random.Random(seed)
    order = list(range(len(table)))
    picker.shuffle(order)
    order = order[:n]

    for row in order:  # recall: PAR203
        question = str(table.loc[row, "sample_question"])
        print(f"\n--- Q{row} --- {question}")
        context, reply = await run_rag(question, query_id=str(row))
        print("---- context (cut) ----")
        print(context[:500] + ("..." if len(context) > 500 else ""))
        print("---- reply ----")
        print(reply)


if __name__ == "__main__":
    asyncio.run(main(n=12))
