#!/usr/bin/env bash
# Runs the steps of action.yml (the composite GitHub Action) as a runner would, with the
# runner's files (GITHUB_PATH, GITHUB_OUTPUT) faked and a GitHub release served from a local
# folder (GITHUB_SERVER_URL=file://...):
#   1. used at a release tag (`@v<version>`): the prebuilt binary for the runner is downloaded
#      from the release, its SHA-256 checked, and nothing is built (no cargo, no pip on PATH);
#   2. the same with the release's archive missing: a warning, then the action's own checkout
#      is built from source (pip, maturin), as for a branch or a commit;
# then runs `check` on examples/ and expects annotations and exit code 1 in the step output.
#
#   bash .ci/action.sh WHEEL     (the Linux wheel; the release archive is cut from it)
#
# The runner here is Linux x86_64, whose release archive is the static musl build; the wheel
# built in CI (glibc) stands in for it under that name: what is tested is how the action finds,
# checks and installs the archive, and the binary it runs.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
python=${PYTHON:-python3}
wheel=${1:?usage: bash .ci/action.sh WHEEL}
version=$(sed -nE 's/^version = "([^"]+)"/\1/p' "$root/Cargo.toml" | head -1)

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

# The release: the archive the action asks for on Linux x86_64, and its checksum.
release="$work/server/pyparallel/pyparallel/releases/download/v$version"
"$python" "$root/scripts/package_binary.py" "$wheel" x86_64-unknown-linux-musl "$release" >/dev/null

export GITHUB_SERVER_URL="file://$work/server" ACTION_REPOSITORY=pyparallel/pyparallel
export RUNNER_OS=Linux RUNNER_ARCH=X64 GITHUB_ACTIONS=true ACTION_PATH="$root"
export PYPARALLEL_VERSION="" ACTION_REF="v$version"

# install NAME PATH_FOR_THE_STEP: runs the install step in a fresh runner folder.
install() {
    export RUNNER_TEMP="$work/$1/runner" GITHUB_PATH="$work/$1/github_path" GITHUB_OUTPUT="$work/$1/github_output"
    mkdir -p "$RUNNER_TEMP"
    : >"$GITHUB_PATH"
    : >"$GITHUB_OUTPUT"
    set +e
    PATH="$2" bash -e "$work/step0.sh" >"$work/$1/install.log" 2>&1
    local status=$?
    set -e
    cat "$work/$1/install.log"
    [ "$status" -eq 0 ] || fail "$1: the install step failed"
}

echo "--- 1. at @v$version: the prebuilt binary, nothing built"
# Only the system's tools: no cargo, no maturin, no pip of this project on PATH.
install download "/usr/bin:/bin"
grep -q "installed the prebuilt x86_64-unknown-linux-musl binary of pyparallel $version" "$work/download/install.log" \
    || fail "the prebuilt binary was not installed"
! grep -q "building pyparallel from source" "$work/download/install.log" || fail "it built from source"
[ "$(cat "$GITHUB_PATH")" = "$RUNNER_TEMP/pyparallel/bin" ] || fail "GITHUB_PATH: $(cat "$GITHUB_PATH")"

echo "--- the run step (args: check examples)"
set +e
(cd "$root" && PATH="$(cat "$GITHUB_PATH"):$PATH" PYPARALLEL_ARGS="check examples" bash "$work/step1.sh") >"$work/out" 2>&1
status=$?
set -e
cat "$work/out"
[ "$status" -eq 1 ] || fail "expected exit 1 (diagnostics in examples/), got $status"
grep -q "^::error title=pyparallel (PAR401),file=examples/thumbnails.py," "$work/out" || fail "no annotation for PAR401"
grep -q "^exit-code=1$" "$GITHUB_OUTPUT" || fail "the exit-code output was not set"

echo "--- 2. the release has no archive for this runner: built from the action's checkout"
rm "$release"/pyparallel-x86_64-unknown-linux-musl.tar.gz*
install fallback "$PATH"
grep -q "^::warning title=pyparallel::no prebuilt binary of pyparallel $version could be installed; building it from source" "$work/fallback/install.log" \
    || fail "no warning before building from source"
grep -q "building pyparallel from source ($root)" "$work/fallback/install.log" || fail "it did not build the checkout"
[ "$("$RUNNER_TEMP/pyparallel/bin/pyparallel" --version)" = "pyparallel $version" ] || fail "the built binary is not $version"
echo "action.sh: OK"
