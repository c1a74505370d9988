# Look-alike: ZeroPM-H2020/global-chemical-inventory-database src/examples/example-api-pagination.py, follows the Link: rel="next" header from page to page: the next URL is only known from the previous response.
import requests


def get_api_pagination(address):
    rows = []
    while address:  # lookalike: PAR201
        reply = requests.get(address)
        try:
            address = reply.links.get("next").get("url")
            print(address)
        except AttributeError:
            address = None
        rows.extend(reply.json())

    return rows


start = "https://database.example.org/chemicals.json?_labels=on"
chemicals = get_api_pagination(start)
