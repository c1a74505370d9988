# Recall site: lyjdwh/dotfiles scripts/update_watched_repo.py (module level), pulls every watched checkout with one shell command each and prints git's output.
import os
import subprocess

root = "~/src"
checkouts = ["org-roam-ui",
             "vertico-posframe",
             "telega-el",
             "citar",
             "ox-hugo",
             "lsp-bridge"]

for checkout in checkouts:  # recall: PAR204
    where = os.path.join(root, checkout)
    command = "cd " + where + "&& git pull origin master"
    result = subprocess.check_output([command], shell=True)
    print(result)
