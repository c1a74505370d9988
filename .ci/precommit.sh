#!/usr/bin/env bash
# Proves the pre-commit hooks with the real client: installs pre-commit from PyPI into a fresh
# virtual environment, makes a throwaway git repository whose .pre-commit-config.yaml points at
# this checkout's current commit, and shows the hook failing on a file with a finding, fixing
# it (`pyparallel-fix`), then passing. Fails loudly on any deviation.
#
#   bash .ci/precommit.sh [DIST_DIR]   (from anywhere; tests HEAD, not uncommitted changes)
#
# With DIST_DIR (holding the wheel CI built), also the prebuilt hooks: the pre-commit mirror
# repository the release workflow writes (scripts/pre-commit-mirror.sh) is made locally, and
# its `language: python` hook installs the wheel (pip finds it in DIST_DIR, as it finds the
# released one on PyPI) with neither cargo nor rustc on PATH: nothing is compiled.
#
# pre-commit's `language: rust` runs `cargo install --path` on its own clone; with
# CARGO_TARGET_DIR pointing at this checkout's target folder the dependencies built by the
# release build are reused, and only the pyparallel crate itself is compiled again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
python=${PYTHON:-python3}

fail() {
    echo "precommit.sh: FAIL: $*" >&2
    exit 1
}

rev=$(git -C "$root" rev-parse HEAD)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    echo "note: the checkout has uncommitted changes; the hooks are tested at HEAD ($rev)"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home" # a fresh hook cache: nothing reused by accident

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check pre-commit
precommit="$work/venv/bin/pre-commit"
"$precommit" --version

repo="$work/repo"
mkdir "$repo"
cd "$repo"
git init --quiet
git config user.email ci@example.invalid
git config user.name ci
git config commit.gpgsign false

write_config() {
    {
        echo "repos:"
        echo "  - repo: $root"
        echo "    rev: $rev"
        echo "    hooks:"
        for hook in "$@"; do
            echo "      - id: $hook"
        done
    } >.pre-commit-config.yaml
}

# A coroutine asking for the event loop the deprecated way: PAR603, with a safe fix.
cat >app.py <<'PY'
import asyncio


async def main():
    loop = asyncio.get_event_loop()
    return loop
PY
# The same in a notebook (pre-commit's `jupyter` type): a cell with PAR603, another cell's
# output that must survive the fix.
python3 - <<'PY'
import json

cells = [
    {"cell_type": "markdown", "id": "title", "metadata": {}, "source": ["# Loop"]},
    {"cell_type": "code", "execution_count": 1, "id": "imports", "metadata": {},
     "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n"]}],
     "source": ["import asyncio\n", "print('ok')"]},
    {"cell_type": "code", "execution_count": None, "id": "main", "metadata": {}, "outputs": [],
     "source": ["async def main():\n", "    return asyncio.get_event_loop()"]},
]
notebook = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
with open("loop.ipynb", "w", encoding="utf-8") as f:
    json.dump(notebook, f, indent=1, ensure_ascii=False, sort_keys=True)
    f.write("\n")
PY
write_config pyparallel
git add -A

run_hooks() {
    set +e
    "$precommit" run --all-files --color never 2>&1 | tee "$work/out"
    status=${PIPESTATUS[0]}
    set -e
}

echo
echo "--- 1. pyparallel on a file with a finding: must fail"
run_hooks
[ "$status" -eq 1 ] || fail "expected the hook to fail (exit 1), got $status"
grep -q "app.py:5:12" "$work/out" || fail "the hook's output does not name app.py's finding"
grep -q "loop.ipynb:cell 3:2:12" "$work/out" || fail "the hook did not check the notebook (cell 3)"
grep -Eq "^pyparallel\.+Failed" "$work/out" || fail "pre-commit did not report the hook as Failed"

echo
echo "--- 2. pyparallel-fix: fixes the file (pre-commit fails a run that modified files)"
write_config pyparallel-fix pyparallel
git add -A
run_hooks
[ "$status" -eq 1 ] || fail "expected the fixing run to report modified files (exit 1), got $status"
grep -q "files were modified by this hook" "$work/out" || fail "pyparallel-fix did not modify the file"
grep -q "asyncio.get_running_loop()" app.py || fail "app.py was not fixed: $(cat app.py)"
grep -q '"    return asyncio.get_running_loop()"' loop.ipynb || fail "loop.ipynb was not fixed"
grep -q '"ok\\n"' loop.ipynb || fail "the notebook lost its output"
git add -A

echo
echo "--- 3. both hooks on the fixed file: must pass"
run_hooks
[ "$status" -eq 0 ] || fail "expected the hooks to pass on the fixed file, got $status"
[ "$(grep -c "Passed" "$work/out")" -eq 2 ] || fail "expected both hooks to pass"

if [ -n "${1:-}" ]; then
    dist=$(cd "$1" && pwd)
    echo
    echo "--- 4. the prebuilt hooks (the pre-commit mirror): the wheel installed, nothing compiled"
    mirror="$work/mirror"
    bash "$root/scripts/pre-commit-mirror.sh" "$mirror"
    git -C "$mirror" init --quiet
    git -C "$mirror" config user.email ci@example.invalid
    git -C "$mirror" config user.name ci
    git -C "$mirror" config commit.gpgsign false
    git -C "$mirror" add -A
    git -C "$mirror" commit --quiet -m "pyparallel mirror"
    mirror_rev=$(git -C "$mirror" rev-parse HEAD)
    cat >app.py <<'PY'
import asyncio


async def main():
    loop = asyncio.get_event_loop()
    return loop
PY
    {
        echo "repos:"
        echo "  - repo: $mirror"
        echo "    rev: $mirror_rev"
        echo "    hooks:"
        echo "      - id: pyparallel"
    } >.pre-commit-config.yaml
    git add -A
    # No Rust: a hook that tried to build pyparallel would fail.
    bare_path="/usr/bin:/bin"
    ! PATH=$bare_path command -v cargo >/dev/null || fail "cargo is still reachable"
    set +e
    PATH=$bare_path PIP_FIND_LINKS="$dist" PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$precommit" run --all-files --color never 2>&1 | tee "$work/out"
    status=${PIPESTATUS[0]}
    set -e
    [ "$status" -eq 1 ] || fail "expected the prebuilt hook to fail on app.py (exit 1), got $status"
    grep -q "app.py:5:12" "$work/out" || fail "the prebuilt hook did not report app.py's finding"
    hook_env=$(find "$PRE_COMMIT_HOME" -path '*/py_env-*/bin/pyparallel' | head -1)
    [ -n "$hook_env" ] || fail "no pyparallel in the hook's environment"
    "$hook_env" --version
fi

echo
echo "precommit.sh: OK (fail, fix, pass with pre-commit $("$precommit" --version | awk '{print $2}'))"
