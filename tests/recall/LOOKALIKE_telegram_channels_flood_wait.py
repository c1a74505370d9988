# Look-alike: mwgnd/telescrapeR inst/scrape_messages.py, scrapes channel after channel through one Telegram user session and pauses 10 s between channels to avoid FloodWait bans: the pacing is the point.
import time

from telethon import TelegramClient

client = TelegramClient("session_name", 12345, "<api hash>")


async def scrape_messages(client, channel_id):
    messages = []
    async for message in client.iter_messages(channel_id, wait_time=3, limit=500):
        messages.append({"channel_id": message.chat.id, "text": message.raw_text})
    return messages


async def scrape_more_channels(client, channel_links):
    everything = []
    for channel_id in channel_links:  # lookalike: PAR203
        batch = await scrape_messages(client, channel_id)
        everything.extend(batch)
        time.sleep(10)
    return everything
