# Recall site: geekcomputers/Python ping_servers.py (module-level loop), pings every server of a config file and writes alive/not responding lines to a log file.
import os
import subprocess
import sys

if os.name == "posix":
    ping_cmd = "ping -c 1 "
elif os.name in ("nt", "dos", "ce"):
    ping_cmd = "ping -n 1 "

group = sys.argv[1] if len(sys.argv) > 1 else "dms"
location = sys.argv[2] if len(sys.argv) > 2 else "155"

log_path = os.path.join(os.getenv("logs"), "ping_" + group + "_" + location + ".log")
servers_path = os.path.join(os.getenv("my_config"), group + "_servers_" + location + ".txt")

log = open(log_path, "w")
for host in open(servers_path):  # recall: PAR204
    code = subprocess.call(
        ping_cmd + host, shell=True, stdout=log, stderr=subprocess.STDOUT
    )
    if code == 0:
        log.write(
            host.strip() + " is alive" + "\n"
        )
    else:
        log.write(
            host.strip() + " did not respond" + "\n"
        )

print("\n\tYou can see the results in the logfile : " + log_path)
