# Recall site: python-discord/bot bot/exts/filtering/filtering.py (on_message), downloads every text attachment of a message, one after another, before filtering its content.
import re

import discord
from discord.ext.commands import Cog


async def attachment_preview(attachment: discord.Attachment) -> str:
    charset = re.search(r"charset=(\S+)", attachment.content_type).group(1)
    raw = await attachment.read()
    lines = raw.decode(charset).splitlines()
    head = "\n".join(lines[:30])[:2_000]
    return f"{attachment.filename}: {head}"


class Filtering(Cog):
    def __init__(self, bot):
        self.bot = bot

    @Cog.listener()
    async def on_message(self, msg: discord.Message) -> None:
        if msg.author.bot:
            return

        previews = [  # recall: PAR203
            await attachment_preview(a)
            for a in msg.attachments if a.content_type and "charset" in a.content_type
        ]

        if previews:
            extra = "\n\n".join(previews)
            await self.check(f"{msg.content}\n\n{extra}")

    async def check(self, content: str) -> None:
        pass
