# Recall site: XanderG2/valheim-stats combine.py (module level), loads each JSON stats file of a folder and merges them into one dict with update, then writes the merged file.
import json
import os

listing = list(os.walk("stats/"))
paths = ["stats/" + entry for entry in listing[0][2]]

merged = {}

for path in paths:  # recall: PAR202
    with open(path, "r") as src:
        parsed = json.loads(src.read())
    merged.update(parsed)

with open("merged.json", "w") as dst:
    dst.write(json.dumps(merged, indent=2))
