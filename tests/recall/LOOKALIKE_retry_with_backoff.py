# Look-alike: junnnnn06/Crawler python/training/error_handling.py, retries one URL with exponential backoff on temporary errors: the attempts are deliberately spaced out and stop at the first success.
import time

import requests

RETRYABLE = (408, 500, 502, 503, 504)


def main():
    reply = fetch("http://httpbin.org/status/200,404,503")
    if 200 <= reply.status_code < 300:
        print("ok")
    else:
        print("failed")


def fetch(address):
    limit = 3
    tries = 0
    while True:  # lookalike: PAR201
        try:
            print("requesting {0}...".format(address))
            reply = requests.get(address)
            print("status: {0}".format(reply.status_code))
            if reply.status_code not in RETRYABLE:
                return reply
        except requests.exceptions.RequestException as err:
            print("network error: {0}".format(err))
        tries += 1
        if tries >= limit:
            raise Exception("giving up after retries")
        pause = 2 ** (tries - 1)
        print("sleeping {0} s".format(pause))
        time.sleep(pause)


if __name__ == "__main__":
    main()
