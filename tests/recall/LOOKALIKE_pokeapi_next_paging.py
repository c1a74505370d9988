# Look-alike: bgodii/x-devops pokemon.py, walks PokeAPI's paginated listing through the `next` link of each page: every request depends on the previous answer.
import requests


def list_pokemon_urls():
    BASE = "https://pokeapi.co/api/v2/"

    entries = list()

    page = requests.get(f"{BASE}/pokemon/").json()
    entries.extend(page["results"])

    while page.get("next"):  # lookalike: PAR201
        page = requests.get(page.get("next")).json()
        entries.extend(page["results"])

    print(entries)


list_pokemon_urls()
