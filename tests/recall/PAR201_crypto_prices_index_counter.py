# Recall site: CodeMaster7000/Crypto-Information src/MultiCryptocurrencies.py (module level), asks the Binance ticker endpoint for each symbol; the symbol is picked by a hand-kept index counter instead of the loop variable.
import json
import requests

base = "https://api.binance.com/api/v3/ticker/price?symbol="

pairs = ["BTCUSDT", "ETHUSDT", "XRPUSDT", "ADAUSDT"]
k = 0

for _ in pairs:  # recall: PAR201
    query = base + pairs[k]
    quote = requests.get(query)
    quote = quote.json()
    k = k + 1
    print(f"{quote['symbol']} trades at {quote['price']}.")
