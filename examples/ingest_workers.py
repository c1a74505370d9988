"""Ingest worker: hashes records in threads, counts them, and schedules retries.

Three thread pitfalls: CPU-bound hashing in a thread pool (the GIL serialises it), a shared
counter updated without a lock, and retry callbacks that all see the last record.
"""
import threading
from concurrent.futures import ThreadPoolExecutor

ingested = 0


def fingerprint(record):
    digest = 0
    for char in record:
        digest = (digest * 131 + ord(char)) % 2_147_483_647
    return digest


def ingest(record):
    global ingested
    fingerprint(record)
    ingested += 1


def retry_later(records, delay=5.0):
    timers = []
    for record in records:
        timer = threading.Timer(delay, lambda: ingest(record))
        timer.start()
        timers.append(timer)
    return timers


def main(records):
    with ThreadPoolExecutor(max_workers=8) as executor:
        fingerprints = list(executor.map(fingerprint, records))
        list(executor.map(ingest, records))
    return fingerprints, ingested
