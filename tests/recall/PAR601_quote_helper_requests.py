# Recall site: Jbodangles/inspo-2.0 main.py (on_message), the event handler calls a module helper that does requests.get for a random quote.
import json

import discord
import requests

client = discord.Client()


def fetch_quote():
    reply = requests.get("https://zenquotes.io/api/random")
    data = json.loads(reply.text)
    text = data[0]['q'] + "-" + data[0]['a']
    return text


@client.event
async def on_ready():
    print('We have logged in as {0.user}'.format(client))


@client.event
async def on_message(message):
    if message.author == client.user:
        return

    if message.content.startswith('/inspire'):
        text = fetch_quote()  # recall: PAR601
        await message.channel.send(text)

client.run("token")
