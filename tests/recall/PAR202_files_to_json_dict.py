# Recall site: colinjbrown/cis569-project files2json.py (module level), reads every file of the data folder into a dict keyed by file name and dumps the dict as one JSON file.
import json
import os

texts = {}
for name in os.listdir("./corpus"):  # recall: PAR202
    with open("./corpus/" + name, "r") as handle:
        texts[name] = handle.read()
with open("corpus.json", "w") as out:
    json.dump(texts, out)
