# Recall site: chrisalleng/listfortress-ripper combiner.py (module-level loop), loads every scraped tournament JSON file and merges them into one file.
import glob
import json

merged = []
for name in glob.glob("data/*.json"):  # recall: PAR202
    with open(name, "r") as source:
        merged.append(json.load(source))

with open("merged_file.json", "w") as sink:
    json.dump(merged, sink)
