# Recall site: softblueish/LinuxDiscord linuxdiscord.py (bash command), runs a shell command with subprocess.check_output inside a discord.py command and posts the output line by line.
import os
import subprocess

from discord.ext import commands
from dotenv import load_dotenv

load_dotenv('token.env')
TOKEN = os.getenv('DISCORD_TOKEN')

bot = commands.Bot(command_prefix='$')


@bot.command(name='bash')
async def bash(ctx, command):

    lines = str(subprocess.check_output(command, shell=True)).split('\\n')  # recall: PAR601
    for n in range(len(lines)):
        await ctx.send(f"```{lines[n]}```")

bot.run(TOKEN)
