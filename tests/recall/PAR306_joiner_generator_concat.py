# Recall site: CaptainStabs/BountyScrapers 9_arts/maas/joiner.py (module level), reads every CSV of a folder through a generator expression handed to pd.concat and writes the combined file.
import os

import pandas as pd

folder = "./parts/"
paths = [os.path.join(folder, name) for name in os.listdir(folder)]

frames = (pd.read_csv(p) for p in paths)  # recall: PAR306
combined = pd.concat(frames, ignore_index=True)
combined.to_csv("joined.csv", index=False)
