"""Subprocess loops as real code writes them, outlined into a worker."""
import subprocess
import sys


def exit_codes(snippets):
    failed = []
    for snippet in snippets:
        code = f"import sys; sys.exit({snippet})"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True)
        if result.returncode != 0:
            failed.append(snippet)
    return failed


def outputs(values):
    found = {}
    for value in values:
        try:
            text = subprocess.check_output([sys.executable, "-c", f"print({value} * 2)"], text=True)
        except subprocess.CalledProcessError:
            continue
        found[value] = text.strip()
    return found


if __name__ == "__main__":
    print(exit_codes(["0", "1", "0", "3"]))
    print(outputs(["1", "2", "raise SystemExit(1)", "4"]))
