import math

import numpy as np

# Sizes from a variable: arrays of unknown size (arrays known to be small are left alone).
SAMPLES = 9
arr = np.linspace(0.0, 1.0, SAMPLES)
roots = [math.sqrt(x) for x in arr]
gauss = [math.exp(-x * x) for x in arr]
sines = np.array([np.sin(x) for x in arr])
logs = list(map(math.log1p, arr))
angles = [math.degrees(math.atan2(y, x + 1)) for x, y in zip(arr, arr)]
for values in (roots, gauss, sines, logs, angles):
    print(type(values).__name__, [round(float(v), 9) for v in values])

import pandas as pd

frame = pd.DataFrame({"price": [1.0, 10.0, 100.0]}, index=[7, 8, 9])
prices = frame["price"]
print([round(float(v), 9) for v in [math.log10(p) for p in prices]])
print(np.array(list(map(np.sqrt, prices))).tolist(), type(np.array([p * 2 for p in prices])).__name__)
