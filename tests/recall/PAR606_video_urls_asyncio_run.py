# Recall site: herbpot/videoDownloaderFor_mp4 app.py (module level), asks for video URLs until "end", then downloads each one with its own asyncio.run of a coroutine (which itself calls urlretrieve).
import asyncio
import re
import urllib
import urllib.request as rq
from urllib.parse import urlparse


async def save_video(link: str):
    target = re.sub("[/\\:*?\"<>|]", "", link.split("/")[-1])
    if len(target.split(".")) < 2:
        target += ".mp4"
    print(f"downloading {target}..")
    try:
        rq.urlretrieve(link, target)
        print(f"{target} saved")
    except urllib.error.HTTPError as err:
        print(err)
    except urllib.error.URLError as err:
        print(err)


links = []
answer = ""
while True:
    answer = input("video url to save (end to stop)>>>")
    if answer == "end":
        break
    parsed = urlparse(answer)
    parsed = parsed._replace(scheme="https")
    links.append(answer)

for link in links:  # recall: PAR606
    asyncio.run(save_video(link))
