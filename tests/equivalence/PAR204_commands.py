import subprocess
import sys


def square_in_child(value):
    result = subprocess.run([sys.executable, "-c", f"print({value} * {value})"], capture_output=True, text=True)
    return result.stdout.strip()


def run_all(values):
    out = []
    for value in values:
        out.append(square_in_child(value))
    return out


def outputs(scripts):
    return [subprocess.check_output([sys.executable, "-c", script], text=True) for script in scripts]


if __name__ == "__main__":
    print(run_all([1, 2, 3, 4]))
    print(outputs(["print('a')", "print('b')"]))
