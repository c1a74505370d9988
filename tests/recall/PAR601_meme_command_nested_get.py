# Recall site: Catto-Bot/Catto modules/meme.py (meme command), the blocking requests.get sits inside json.loads(...) in a discord.py command.
import json

import discord
import requests
from discord.ext import commands


@commands.command(name="meme")
async def meme(ctx):
    post = json.loads(
        requests.get("https://meme-api.com/gimme").text  # recall: PAR601
    )

    card = discord.Embed(
        title=post['title'],
        url=post['postLink'],
    )
    card.set_image(url=post['url'])
    card.set_footer(text=post['author'])
    sent = await ctx.send(embed=card)
    await sent.add_reaction("👍")
    await sent.add_reaction("👎")
