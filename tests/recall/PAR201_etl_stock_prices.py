# Recall site: Frankdonze/Finance-data-analysis etl/extracts/stockprice.py (module-level loop), ETL extract step: one price-history request per ticker, each saved as a bronze JSON file.
import json
import os

import requests

key = os.getenv("APIKEY")
symbols = ["AAPL", "NVDA", "TSLA", "AMZN"]
for symbol in symbols:  # recall: PAR201
    endpoint = "https://financialmodelingprep.com/stable/historical-price-eod/light?symbol=" + symbol + "&apikey=" + key
    reply = requests.get(endpoint)
    payload = reply.json()

    if reply.status_code == 200:
        with open("/home/frank/fin-da/data/bronze/" + symbol + ".json", "w") as out:
            json.dump(payload, out, indent=4)
    else:
        print("Error:", reply.status_code)
