# Recall site: Python-World/python-mini-projects projects/Check_website_connectivity/check_connectivity.py (main), checks every site listed in a file and records whether it answers 200.
import csv

import requests


statuses = {"Website": "Status"}


def main():
    with open("websites.txt", "r") as listing:
        for entry in listing:  # recall: PAR201
            site = entry.strip()
            code = requests.get(site).status_code
            statuses[site] = "working" if code == 200 \
                else "not working"

    with open("website_status.csv", "w", newline="") as report:
        writer = csv.writer(report)
        for site in statuses.keys():
            writer.writerow([site, statuses[site]])


if __name__ == "__main__":
    main()
