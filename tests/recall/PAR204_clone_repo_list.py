# Recall site: Youngermaster/Eunomia plugins/repo_list_cloner.py (get_repos), clones every repository URL listed in a file through a helper running `git clone` with os.system.
from os import system
from sys import argv


def clone_all(list_path: str, location: str):
    system("cd {}".format(location))
    with open(list_path) as listing:
        entries = listing.readlines()
        for entry in entries:  # recall: PAR204
            print("Cloning {}...".format(entry.strip()))
            clone_one(entry.strip())


def clone_one(url: str):
    system("git clone {}".format(url))


if __name__ == "__main__":
    print(argv[1], argv[2])
    clone_all(str(argv[1]), str(argv[2]))
