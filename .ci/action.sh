#!/usr/bin/env bash
# Runs the steps of action.yml (the composite GitHub Action) as a runner would, with the
# runner's files (GITHUB_PATH, GITHUB_OUTPUT) faked: installs this checkout (version empty),
# then runs `check` on examples/ and expects annotations and exit code 1 in the step output.
#
#   bash .ci/action.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
python=${PYTHON:-python3}

fail() {
    echo "action.sh: FAIL: $*" >&2
    exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/yaml"
"$work/yaml/bin/python" -m pip install --quiet --disable-pip-version-check pyyaml
"$work/yaml/bin/python" - "$root/action.yml" "$work" <<'PY'
import sys, yaml

action = yaml.safe_load(open(sys.argv[1]))
assert action["runs"]["using"] == "composite", action["runs"]
assert set(action["inputs"]) == {"args", "version"}, action["inputs"]
for index, step in enumerate(action["runs"]["steps"]):
    open(f"{sys.argv[2]}/step{index}.sh", "w").write(step["run"])
PY

export RUNNER_TEMP="$work/runner" GITHUB_PATH="$work/github_path" GITHUB_OUTPUT="$work/github_output"
export GITHUB_ACTIONS=true ACTION_PATH="$root" PYPARALLEL_VERSION=""
mkdir -p "$RUNNER_TEMP"
: >"$GITHUB_PATH"
: >"$GITHUB_OUTPUT"

echo "--- step 1: install (version empty: the action's own checkout)"
bash -e "$work/step0.sh" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install step failed"; }
PATH="$(cat "$GITHUB_PATH"):$PATH"

echo "--- step 2: run (args: check examples)"
set +e
(cd "$root" && PYPARALLEL_ARGS="check examples" bash "$work/step1.sh") >"$work/out" 2>&1
status=$?
set -e
cat "$work/out"
[ "$status" -eq 1 ] || fail "expected exit 1 (diagnostics in examples/), got $status"
grep -q "^::error title=pyparallel (PAR401),file=examples/thumbnails.py," "$work/out" || fail "no annotation for PAR401"
grep -q "^exit-code=1$" "$GITHUB_OUTPUT" || fail "the exit-code output was not set"
echo "action.sh: OK"
