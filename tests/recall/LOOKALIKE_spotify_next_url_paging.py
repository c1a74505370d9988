# Look-alike: dlccyes/playlastify main/helper.py, follows Spotify's `next` URL page by page: each request's URL comes from the previous response, so the pages cannot be fetched in parallel.
import json

import requests


def iterate_all(next_url, token):
    collected = []
    more = True
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Bearer " + token,
    }
    body = {}
    guard = 1
    while more:  # lookalike: PAR201
        guard += 1
        if guard > 500:
            break
        reply = requests.request("GET", next_url, headers=headers, data=body)
        page = json.loads(reply.text)
        collected += page["items"]
        if page["next"]:
            next_url = page["next"]
        else:
            more = False
    return collected
