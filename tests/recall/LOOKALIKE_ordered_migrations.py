# Look-alike: akku1139/ActivityLove migration/main.py, imports the migration modules in sorted file order and runs each one's coroutine: migrations must apply in order, one at a time.
import asyncio
import importlib
import os

steps = sorted(os.listdir("."))

for step in steps:  # lookalike: PAR606
    if step != "main.py":
        mod = importlib.import_module(step.removesuffix(".py"))
        asyncio.run(mod.run())
