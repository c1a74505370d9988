# Recall site: OraneD/VectorComp Scripts/tokenize_and_clean.py (load_corpus), reads every text file of a corpus glob before tokenising (with a leftover unused temporary).
import glob
import re


def load_corpus(pattern):
    files = glob.glob(pattern)
    documents = []
    for path in files:  # recall: PAR202
        unused = []
        with open(path, 'r') as handle:
            body = handle.read()
            documents.append(body)
    return documents


def tokenize(corpus):
    corpus = load_corpus("../Corpus/*/*.txt")
    return [re.sub(r"[^a-zA-Z\s]", "", doc).lower() for doc in corpus]
