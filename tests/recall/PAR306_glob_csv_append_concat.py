# Recall site: thecodesite/PythonCode create_df_from_csvpath.py (module level), reads every CSV matched by glob into a list of frames and concatenates them.
import glob

import pandas as pd

folder = ""

matches = glob.glob(folder + "/*.csv")

combined = pd.DataFrame()
parts = []

for match in matches:  # recall: PAR306

    frame = pd.read_csv(match, index_col=None)
    parts.append(frame)

combined = pd.concat(parts)
print(combined)
