# Recall site: Yoatn/images_post_telegram_bot download_images/fetch_images_from_url.py (fetch_images), downloads every image URL into a folder, numbering the files with a counter that starts after the files already there.
import os

import requests


def fetch_images(links, folder="images", stem="picture"):
    os.makedirs(folder, exist_ok=True)
    next_number = len(os.listdir(path=folder)) + 1
    for link in links:  # recall: PAR201
        target = f"{stem}_{next_number}{os.path.splitext(link)[1]}"
        reply = requests.get(link)

        with open(f"{folder}/{target}", "wb") as sink:
            sink.write(reply.content)
        next_number += 1
