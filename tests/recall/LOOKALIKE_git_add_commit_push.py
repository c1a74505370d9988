# Look-alike: ARNAB-BOTMAS/sri_python github_repo.py, runs git add, commit and push in a loop over the three commands: each step needs the previous one done.
import os
import subprocess

os.chdir(os.path.dirname(os.path.abspath(__file__)))

note = "Automatic commit"

steps = [
    "git add .",
    f'git commit -m "{note}"',
    "git push",
]

for step in steps:  # lookalike: PAR204
    subprocess.run(step, shell=True)
