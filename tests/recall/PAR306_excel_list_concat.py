# Recall site: pgldev/Python-Excel python_excel_merge_files_in_folders.py (module level), reads each .xlsx of the folder into a list (named `list`, shadowing the builtin) and concatenates them into one workbook.
import glob

import pandas as pd

list = glob.glob("*.xlsx")
workbooks = []
for f in list:  # recall: PAR306
    workbooks.append(pd.read_excel(f))
joined = pd.concat(workbooks)
joined.to_excel("merged_01.xlsx")
