# Recall site: infinitygamer404/XtremeBot bot.py (on_message), the `$test <n>` message runs a trial-division primality test up to the user's number inside the event handler.
# (The original has an unreachable line with a syntax error after the first return; it is left out here.)
import os

from discord.ext import commands

client = commands.Bot(command_prefix='$')


def isprime(value):
    if type(value) != type(1):
        try:
            value = int(value)
        except ValueError:
            return "Incorrect input"
    if value > 1:
        for divisor in range(2, value):
            if (value % divisor) == 0:
                return str(value) + " is not a prime number"
        else:
            return str(value) + " is a prime number"

    else:
        return str(value) + " is not a prime number"


@client.event
async def on_ready():
    print("XtremeBot is ready.")


@client.event
async def on_message(message):
    if message.author == client.user:
        return

    if message.content.find("$b") != -1:
        await message.channel.send("🅱️🐝")

    if message.content.startswith("$test"):
        await message.channel.send(isprime(str(str(message.content) + " ")[6:-1]))  # recall: PAR602

    if message.content.startswith("$info"):
        await message.channel.send("I am XtremeBot.")

client.run(os.getenv('Token'))
