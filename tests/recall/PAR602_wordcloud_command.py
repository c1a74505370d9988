# Recall site: AlexLVuc/VuchiBot2 cogs/data/word_cloud.py (simpleWordCloud), builds a word cloud from up to 100,000 channel messages with WordCloud().generate inside the command coroutine.
import os
from os import path

import discord
from discord.ext import commands
from wordcloud import WordCloud


class WordCloudCog(commands.Cog):

    def __init__(self, bot):
        self.bot = bot

    @commands.command(name='simpleWordCloud')
    async def simpleWordCloud(self, ctx, *, arg: str):
        corpus = ""
        here = path.dirname(__file__) if "__file__" in locals() else os.getcwd()

        async for message in ctx.channel.history(limit=100000):
            if int(arg) == message.author.id:
                corpus += message.content + " "

        cloud = WordCloud().generate(corpus)  # recall: PAR602
        cloud.to_file(path.join(here, f'{arg}.png'))
        image_path = path.join(here, f'{arg}.png')
        with open(image_path, 'rb') as image:
            await ctx.channel.send(file=discord.File(image, image_path))


def setup(bot):
    bot.add_cog(WordCloudCog(bot))
