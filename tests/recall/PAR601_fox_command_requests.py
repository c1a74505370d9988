# Recall site: Radolyn/ShGbot main.py (fox command), a discord.py command that fetches a random fox picture with requests.get inside the coroutine.
import json

import discord
import requests
from discord.ext import commands
from config import settings

bot = commands.Bot(command_prefix=settings['PREFIX'])


@bot.command()
async def hello(ctx):
    who = ctx.message.author
    await ctx.send(f'Hello, {who.mention}!')


@bot.command()
async def fox(ctx):
    reply = requests.get('https://some-random-api.ml/img/fox')  # recall: PAR601
    payload = json.loads(reply.text)

    card = discord.Embed(color=0xff9900, title='Random Fox')
    card.set_image(url=payload['link'])
    await ctx.send(embed=card)

bot.run(settings['TOKEN'])
