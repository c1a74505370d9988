# Look-alike: Thiagofox/trybe-exercises bloco_34/dia_3/exemplos/exemplo_04.py, hits an endpoint limited to 10 requests a minute and sleeps 6 s between requests on purpose to stay under the limit.
import time

import requests

for _ in range(15):  # lookalike: PAR201
    reply = requests.get("https://www.cloudflare.com/rate-limit-test/")
    print(reply)
    time.sleep(6)
