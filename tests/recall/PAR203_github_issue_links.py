# Recall site: python-discord/sir-lancebot bot/exts/utilities/githubinfo.py (on_message), fetches every GitHub issue/PR mentioned in a message, one API round trip (or two) per issue, through the bot's shared aiohttp session.
import random
from dataclasses import dataclass

import discord
from discord.ext import commands

ISSUE_URL = "https://api.github.com/repos/{user}/{repository}/issues/{number}"
PULL_URL = "https://api.github.com/repos/{user}/{repository}/pulls/{number}"
MAXIMUM_ISSUES = 5


@dataclass
class IssueState:
    repository: str
    number: int
    url: str
    title: str
    emoji: str


@dataclass
class FetchError:
    return_code: int
    message: str


class GithubInfo(commands.Cog):
    def __init__(self, bot):
        self.bot = bot

    async def fetch_data(self, url: str):
        async with self.bot.http_session.get(url) as r:
            return await r.json(), r

    async def fetch_issue(self, number: int, repository: str, user: str):
        url = ISSUE_URL.format(user=user, repository=repository, number=number)
        pulls_url = PULL_URL.format(user=user, repository=repository, number=number)

        data, response = await self.fetch_data(url)

        if response.status == 403:
            return FetchError(403, "Cannot access issue.")
        if response.status in (404, 410):
            return FetchError(response.status, "Issue not found.")
        if response.status != 200:
            return FetchError(response.status, "Error while fetching issue.")

        if "issues" in data["html_url"]:
            emoji = "issue_open" if data.get("state") != "closed" else "issue_closed"
        else:
            pull, _ = await self.fetch_data(pulls_url)
            emoji = "pull_request_draft" if pull["draft"] else "pull_request_open"

        return IssueState(repository, number, data["html_url"], data.get("title", ""), emoji)

    def format_embed(self, results):
        lines = [f"{r.emoji} [{r.repository}] #{r.number} {r.title}" for r in results]
        return discord.Embed(description="\n".join(lines))

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        mentioned = self.find_mentions(message.content)
        results = []

        if mentioned:
            if not message.guild:
                return
            mentioned = list(dict.fromkeys(mentioned))

            if len(mentioned) > MAXIMUM_ISSUES:
                embed = discord.Embed(title=random.choice(["No.", "Nope."]), description="Too many issues/PRs!")
                await message.channel.send(embed=embed, delete_after=5)
                return

            for mention in mentioned:  # recall: PAR203
                outcome = await self.fetch_issue(
                    int(mention.number),
                    mention.repository,
                    mention.organisation or "python-discord"
                )
                if isinstance(outcome, IssueState):
                    results.append(outcome)

        if not results:
            return

        await message.channel.send(embed=self.format_embed(results))

    def find_mentions(self, text):
        return []
