# Recall site: adrianmrit/flickrdatasets downloader.py (download_images), downloads every image URL not already on disk and writes it to the dataset folder.
import os
import sys

import requests


def ensure_dir(target):
    if not os.path.isdir(target):
        os.makedirs(target)


def download_images(urls, target):
    ensure_dir(target)

    for address in urls:  # recall: PAR201
        filename = address.split("/")[-1]
        destination = os.path.join(target, filename)

        if not os.path.isfile(destination):
            reply = requests.get(address, stream=True)

            with open(destination, 'wb') as sink:
                sink.write(reply.content)
