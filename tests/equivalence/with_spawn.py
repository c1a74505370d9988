"""Runs a program with the `spawn` start method (the default on macOS and Windows)."""
import multiprocessing
import runpy
import sys

multiprocessing.set_start_method("spawn")
runpy.run_path(sys.argv[1], run_name="__main__")
