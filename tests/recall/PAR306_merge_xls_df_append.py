# Recall site: GiraffeUpstart/perlicious merge_all_xls.py (module level), reads every .xls file of the working folder and grows one frame with DataFrame.append per file.
import os

import pandas as pd

here = os.getcwd()
names = os.listdir(here)
sheets = [n for n in names if n[-3:] == "xls"]

merged = pd.DataFrame()

for sheet in sheets:  # recall: PAR306
    part = pd.read_excel(sheet)
    merged = merged.append(part)

merged.to_excel("merged_all.xls")
