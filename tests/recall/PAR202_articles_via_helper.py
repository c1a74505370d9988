# Recall site: shayde-rnd/cluster_and_classify files_content_loader.py (loadFiles), reads every article of a directory through a small helper that opens, reads and closes the file.
from os import listdir


def read_article(name):
    handle = open("articles/{0}".format(name), "r")
    content = handle.read()
    handle.close()
    return content


def read_articles(directory):
    names = listdir(directory)
    corpus = []

    for name in names:  # recall: PAR202
        content = read_article(name)
        corpus.append(content)
    return corpus
