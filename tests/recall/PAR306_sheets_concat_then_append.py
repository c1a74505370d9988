# Recall site: janschatzBR/Python 2022_McD_MergeExcel/NoID/Jan-MergeExcel_sol2.py (module level), reads all sheets of every .xlsx in a folder, concatenates each workbook's sheets and appends it to one output frame.
import glob

import pandas as pd

folder = "C:\\merge\\"

workbooks = glob.glob(folder + "\\*.xlsx")
print("Workbooks:", workbooks)

output = pd.DataFrame()

for book in workbooks:  # recall: PAR306
    sheets = pd.concat(pd.read_excel(book, sheet_name=None), ignore_index=True, sort=False)

    output = output.append(sheets, ignore_index=True)

print("Merged workbook written next to the inputs:")
output.to_excel("merged_all_sheets.xlsx", index=False)
