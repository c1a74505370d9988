# Look-alike: hadizamanii77/telegram-crawler start.py, collects each channel listed in a file through a collector that logs in with the one Telegram user session, running the event loop once per channel: one session file and Telegram's flood limits keep it sequential.
import asyncio

from gathering.gathering_posts import TelegramPostCollector

if __name__ == "__main__":
    loop = asyncio.get_event_loop()
    with open("channels.txt") as listing:
        for entry in listing.readlines():  # lookalike: PAR606
            print("fetching channel {}".format(entry))
            collector = TelegramPostCollector()
            loop.run_until_complete(collector.collect_posts(entry))
