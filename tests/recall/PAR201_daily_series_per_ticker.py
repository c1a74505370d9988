# Recall site: roman-schuster/atvtest raspy.py (second module-level loop), one Alpha Vantage daily-series request per ticker, printing one day's bar from each.
import requests

ENDPOINT = "https://www.alphavantage.co/query"

queries = []
symbols = ['ALB', 'PCG', 'KMB', 'LYB', 'WBA']

for symbol in symbols:

    params = {
        "function": "TIME_SERIES_DAILY",
        "symbol": symbol,
        "outputsize": "compact",
        "datatype": "json",
        "apikey": "demo",
    }

    queries.append(params)

for query in queries:  # recall: PAR201
    reply = requests.get(ENDPOINT, query)
    body = reply.json()
    series = body['Time Series (Daily)']
    that_day = series['2018-07-20']
    print(that_day)
