# Recall site: tahbee/findPopularJavaRepos utils/clone_repositories.py (main block), clones every popular repository of a list with GitPython's Repo.clone_from (a git subprocess each).
from git import Repo
projects_root = 'REPLACE_WITH_PROJECTS_DIRECTORY'

if __name__ == '__main__':
    with open('github_repos_to_clone') as listing:
        urls = listing.readlines()
        urls = [line.rstrip() for line in urls]
        for url in urls:  # recall: PAR204
            parts = url.split('/')
            name = '/' + parts[len(parts) - 1]
            Repo.clone_from(url, projects_root + name)
