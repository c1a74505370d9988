# Recall site: mixchel/MCserverbot bot.py (on_message), starts and stops a Minecraft server with os.system from the discord on_message event.
import os
import discord
from dotenv import load_dotenv
load_dotenv()
TOKEN = os.getenv('DISCORD_TOKEN')
client = discord.Client()


@client.event
async def on_message(message):
    if message.content == '/startMC':
        os.system('~/MCserverbot/start.sh')  # recall: PAR601
        await message.channel.send('Server Started')
    if message.content == '/stopMC':
        os.system('~/MCserverbot/stop.sh')  # recall: PAR601
        await message.channel.send('Server Stopped')
client.run(TOKEN)
