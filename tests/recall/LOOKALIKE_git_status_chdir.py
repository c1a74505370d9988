# Look-alike: heitorchang/learn-code python-shared/gitall/statusall_windows.py, changes the process's working directory into each repository before running git status there: chdir is process-wide, so the calls must run one after the other.
import sys
from os import chdir
from subprocess import call

from gitall import GIT_REPOS, HOME_DIR

for repo in GIT_REPOS:  # lookalike: PAR204
    repo_dir = "{}{}".format(HOME_DIR, repo)
    print("Repository", repo_dir)
    sys.stdout.flush()
    chdir(repo_dir)
    call(["git", "status", "--short"])
    sys.stdout.flush()
