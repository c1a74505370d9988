# Recall site: kumailkhan1/masters-thesis backend/scripts/retrieval_test.py (run_experiment), runs each evaluation query through the RAG pipeline and the evaluator one at a time, printing and skipping queries that fail.
import asyncio

from evaluation.deep_eval import deep_evaluate
from llm import query_llm

RESULTS_TABLE = "RetrievalRun_with_papers"


async def run_experiment(questions):
    for question in questions:  # recall: PAR203
        try:
            print("=" * 10)
            print("Question: ", question)
            print("=" * 10)
            answer = await query_llm(question)
            text = answer["response"]
            nodes = answer["retrieved_nodes"]
            rewrites = answer["generated_queries"]

            print("Scoring the answer...")
            scores = await deep_evaluate(question, text, nodes, rewrites, RESULTS_TABLE)
            print(f"Scores for '{question}': {scores}")

        except Exception as err:
            print(f"Failed on '{question}': {err}")


questions = [
    "the evaluation questions go here"
]

asyncio.run(run_experiment(questions))
