# Recall site: geekcomputers/Python pythonVideoDownloader.py (download_video_series), downloads every lecture video of an archive page, streaming each to disk, with progress prints.
import requests
from bs4 import BeautifulSoup

archive = "http://www-personal.umich.edu/~csev/books/py4inf/media/"


def find_videos():
    page = requests.get(archive)
    tree = BeautifulSoup(page.content, "html5lib")
    anchors = tree.findAll("a")
    return [archive + a["href"] for a in anchors if a["href"].endswith("mp4")]


def download_all(videos):
    for video in videos:  # recall: PAR201
        """fetch the videos one by one"""

        name = video.split("/")[-1]

        print("Downloading the file:%s" % name)

        stream = requests.get(video, stream=True)

        with open(name, "wb") as out:
            for block in stream.iter_content(chunk_size=1024 * 1024):
                if block:
                    out.write(block)

        print("%s downloaded!\n" % name)

    print("All videos are downloaded!")
    return


if __name__ == "__main__":
    download_all(find_videos())
