# Recall site: NaveenBantu/csv-file-analysis combine2.py (module-level loop), reads every CSV export of a folder with pandas and concatenates them.
import glob
import os

import pandas as pd

os.chdir("F:\\python_test\\")

suffix = 'csv'
names = [n for n in glob.glob('*.{}'.format(suffix))]

print(names)

frames = []

for name in names:  # recall: PAR306
    frames.append(pd.read_csv(name, sep=',', encoding='utf-8'))
print(frames)

combined = pd.concat(frames)
print(combined)
