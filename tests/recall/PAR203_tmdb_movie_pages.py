# Recall site: python-discord/sir-lancebot bot/exts/fun/movie.py (get_pages), fetches the details of each of N movies from TMDB one at a time, then formats a page for each.
from typing import Any

from aiohttp import ClientSession

BASE = "https://api.themoviedb.org/3/"
DETAIL_PARAMS = {"api_key": "secret", "language": "en-US"}


class Movie:
    def __init__(self, bot):
        self.bot = bot

    async def get_pages(self, client: ClientSession, listing: dict[str, Any], amount: int) -> list[tuple[str, str]]:
        pages = []

        for i in range(amount):  # recall: PAR203
            identifier = listing["results"][i]["id"]
            details = await self.get_movie(client, identifier)

            text, poster = await self.create_page(details)
            pages.append((text, poster))

        return pages

    async def get_movie(self, client: ClientSession, identifier: int) -> dict[str, Any]:
        if not isinstance(identifier, int):
            raise ValueError("movie id must be an integer")
        url = BASE + f"movie/{identifier}"

        async with client.get(url, params=DETAIL_PARAMS) as resp:
            return await resp.json()

    async def create_page(self, details: dict[str, Any]) -> tuple[str, str]:
        text = f"**{details['title']}**\n"
        if details["tagline"]:
            text += f"{details['tagline']}\n\n"
        else:
            text += "\n"
        text += f"**Rating:** {details['vote_average']}/10 :star:\n"
        text += f"**Release Date:** {details['release_date']}\n\n"
        poster = f"https://image.tmdb.org/t/p/w200{details['poster_path']}"
        return text, poster
