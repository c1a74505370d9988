# Recall site: 3DG/GBot bot/main.py (pixel command and on_message), downloads an attachment with requests.get nested in try/finally/if, and posts to a webhook through the `req` alias of requests.
import os
import random
from io import BytesIO as to_image

import discord
import requests
import requests as req
from discord.ext import commands as cmds
from PIL import Image

bot = cmds.Bot(command_prefix="g!", help_command=None)


def random_name(length, alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"):
    name = ""
    for _ in range(length):
        name += alphabet[random.randint(0, len(alphabet) - 1)]
    return name


@bot.command()
async def pixel(ctx, factor_w=None, factor_h=None):
    if factor_w is None:
        factor_w = 24.0
    try:
        factor_w = float(factor_w)
    except Exception:
        await ctx.send("Scale factors must be a number")
    finally:
        factor_w = float(factor_w)
        if ctx.message.attachments != []:
            if factor_h is None:
                factor_h = factor_w
            factor_h = float(factor_h)
            url = ctx.message.attachments[0].url
            if url.endswith(".png") or url.endswith(".jpg") or url.endswith(".gif"):
                download = requests.get(url)  # recall: PAR601
                picture = Image.open(to_image(download.content))
                name = random_name(24)
                picture = picture.convert("RGBA")
                width, height = picture.size
                picture = picture.resize((round(width / factor_w) + 1, round(height / factor_h) + 1), resample=Image.BILINEAR)
                picture = picture.resize((width, height), resample=Image.NEAREST)
                picture.save("./temp/img/" + name + "pixel.png")
                handle = open("./temp/img/" + name + "pixel.png", "rb", buffering=0)
                await ctx.send("Here is your image!", file=discord.File(handle, filename="convertedimage.png"))
                handle.close()
                os.remove("./temp/img/" + name + "pixel.png")
            else:
                await ctx.send("Your image must be a PNG, JPG, or GIF image.")
        else:
            await ctx.send("This command requires an image!")


def mask(text):
    letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    out = ""
    for i in range(len(text)):
        out += '#' if text[i] in letters else text[i]
    return out


@bot.event
async def on_message(ctx):
    filtered_channel = 907790324997443634
    if ctx.channel.id == filtered_channel and ctx.author.bot == False:
        hook = ""
        avatar = "https://cdn.discordapp.com/avatars/" + str(ctx.author.id) + "/" + str(ctx.author.avatar) + ".webp?size=256"
        body = {"username": ctx.author.name, "avatar_url": avatar, "content": mask(ctx.content), "embeds": None}
        answer = req.post(hook, data=body)  # recall: PAR601
        if str(answer) == "<Response [204]>":
            await ctx.delete()
    await bot.process_commands(ctx)
bot.run("token")
