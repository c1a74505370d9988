#!/usr/bin/env bash
# The whole test suite on a machine that has only Rust and Python 3 (the README's test command):
#
#   scripts/test.sh [ARGS FOR cargo test ...]
#
# The execution-equivalence tests run Python programs that use NumPy and pandas. They are
# installed from PyPI (tests/requirements.txt) into a project-local virtual environment, `.venv`
# (created without the system's site packages, so a global NumPy neither helps nor hides
# anything), once; that environment's `python3` then comes first on PATH for the tests.
# `--no-fail-fast`: a failing test binary does not keep the later ones from running.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=${PYPARALLEL_TEST_VENV:-$PWD/.venv}
python=${PYTHON:-python3}

if ! "$venv/bin/python3" -c 'import numpy, pandas' >/dev/null 2>&1; then
    echo "==> installing the test requirements (tests/requirements.txt) into $venv" >&2
    # --clear: an environment left by another Python (or half-made) is rebuilt, not reused.
    "$python" -m venv --clear "$venv"
    "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check \
        -r tests/requirements.txt
fi
"$venv/bin/python3" -c 'import numpy, pandas, sys; print("==> python", sys.version.split()[0], "numpy", numpy.__version__, "pandas", pandas.__version__, "from", sys.prefix)' >&2

export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
exec cargo test --no-fail-fast "$@"
