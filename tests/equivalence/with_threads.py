"""Runs a program with process pools replaced by thread pools.

The original of a PAR401 program cannot run under real process pools (that is the bug), so
before/after outputs are compared with threads, which run the same callables without
pickling them; the fixed program is then also run with real processes.
"""
import concurrent.futures
import multiprocessing
import multiprocessing.pool
import runpy
import sys
import threading

concurrent.futures.ProcessPoolExecutor = concurrent.futures.ThreadPoolExecutor
multiprocessing.Pool = multiprocessing.pool.ThreadPool
multiprocessing.Process = threading.Thread

runpy.run_path(sys.argv[1], run_name="__main__")
