# Recall site: MarcusChong123/pokemon_tracker get_all_pokemon.py (main), requests the first 150 Pokemon from PokeAPI by number and prints each name.
import requests
from datetime import datetime


def main():
    for number in range(1, 151):  # recall: PAR201
        reply = requests.get(f"https://pokeapi.co/api/v2/pokemon/{number}/")
        record = reply.json()
        print(record["name"])


main()
print(datetime.now())
