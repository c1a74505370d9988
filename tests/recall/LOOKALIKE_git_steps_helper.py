# Look-alike: Skilledgamer101/deltahacks transfer.py, sends add, commit and push to git through a helper, one command after the other: the commands depend on each other's effect on the repository.
import subprocess

steps = [["git", "add", "."], ["git", "commit", "-m", "added file"], ["git", "push", "origin", "test"]]


def send(argv):
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
        print(done.stdout)
    except subprocess.CalledProcessError as err:
        print(f"Error: {err.returncode}\n{err.stderr}")


for argv in steps:  # lookalike: PAR204
    send(argv)
