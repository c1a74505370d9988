# Recall site: DoraFun/FileCompare main.py (gethash), reads every file of a folder and keeps its MD5 and its name in two module-level lists, then reports duplicates.
import glob
import hashlib


digests = []
paths = []


def collect_digests(files):
    for name in files:  # recall: PAR202
        with open(name, 'rb') as blob:
            content = blob.read()
            digest = hashlib.md5(content).hexdigest()
            digests.append(digest)
            paths.append(name)


def report_copies():
    for i in range(len(digests)):
        for j in range(i + 1, len(digests)):
            if digests[i] == digests[j]:
                print(paths[i], " ", paths[j])
