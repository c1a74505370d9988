# Recall site: rossmarco/thesis pdftotext.py (module level), converts every PDF of a folder to text with pdf2txt.py, one Popen(...).communicate() per file; only the last error is shown.
import os
import subprocess
from os import listdir
from os.path import isfile, join

folder = "/data/papers/oncology"
docs = [d for d in listdir(folder) if isfile(join(folder, d))]

os.chdir(folder)

for doc in docs:  # recall: PAR204
    line = "python pdf2txt.py -o %s.txt %s" % (doc.split(".")[0], doc)
    proc = subprocess.Popen(line, shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()

if err:
    print(err)
