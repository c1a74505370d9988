#!/usr/bin/env bash
# Validates pyparallel's SARIF with Microsoft's SARIF validator (the npm package
# @microsoft/sarif-multitool, which bundles a self-contained build: no .NET install needed):
# the official SARIF 2.1.0 schema plus the validator's rules. Any error or warning fails.
#
#   bash .ci/sarif.sh [PYPARALLEL_BINARY]     (default: the release build in the target folder)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
binary=${1:-$target/release/pyparallel}
validator_version=5.7.0 # pinned: a new validator release must not turn CI red by itself

fail() {
    echo "sarif.sh: FAIL: $*" >&2
    exit 1
}

[ -x "$binary" ] || fail "no pyparallel binary at $binary (build it with cargo build --release)"
command -v npx >/dev/null || fail "npx (Node.js) is required to run the SARIF validator"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sarif="$work/pyparallel.sarif"
report="$work/validation.sarif"

# Every rule's fixture (diagnostics, fixes, display-only suggestions) plus the notebook
# fixture, from the repository root as a CI job runs it.
(cd "$root" && "$binary" check tests/fixtures tests/notebooks --output-format sarif --exit-zero) >"$sarif"
results=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$sarif")
[ "$results" -gt 0 ] || fail "the SARIF file has no results: nothing would be validated"
echo "SARIF file: $results results from tests/fixtures and tests/notebooks"

# npx runs the command through a shell: the level list's `;` must reach the validator.
(cd "$work" && npx --yes "@microsoft/sarif-multitool@$validator_version" validate "$sarif" \
    --output "$report" --level 'Error\;Warning\;Note') >"$work/log" 2>&1 \
    || { cat "$work/log"; fail "the validator did not run"; }
[ -s "$report" ] || { cat "$work/log"; fail "the validator wrote no report"; }

python3 - "$report" <<'PY'
import collections, json, sys

run = json.load(open(sys.argv[1]))["runs"][0]
results = run.get("results", [])
rules = {rule["id"]: rule.get("name", "") for rule in run["tool"]["driver"].get("rules", [])}
counts = collections.Counter(result.get("level", "warning") for result in results)
print("validator: {} {}".format(run["tool"]["driver"]["name"], run["tool"]["driver"].get("version", "")))
print("summary: {} errors, {} warnings, {} notes".format(counts["error"], counts["warning"], counts["note"]))
by_rule = collections.Counter((r["ruleId"], r.get("level", "warning")) for r in results)
for (rule, level), n in sorted(by_rule.items()):
    print(f"  {level:7} {rule} {rules.get(rule, '')}: {n}")
bad = [r for r in results if r.get("level", "warning") in ("error", "warning")]
for r in bad[:20]:
    args = r["message"].get("arguments", [])
    print("  ->", r["ruleId"], r.get("level", "warning"), args, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "sarif.sh: OK (zero errors, zero warnings)"
