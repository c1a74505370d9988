# Recall site: Cajivah/nlp-information-extraction data-analysis/src/datasets.py (load), reads every classified-document JSON file of a folder for the analysis notebooks.
import glob
import json
import os


def load(folder):
    pattern = os.path.join(folder, '*.json')
    records = []
    paths = glob.glob(pattern)
    for path in paths:  # recall: PAR202
        with open(path) as handle:
            record = json.load(handle)
            records.append(record)
    return records
