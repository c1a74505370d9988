#!/usr/bin/env bash
# Proves the Python packaging: maturin (from PyPI, as the build backend) builds a wheel that
# carries the binary, the wheel (`pyparallel_lint-...`: PyPI's `pyparallel-lint`) installs into
# a fresh virtual environment and puts `pyparallel` on PATH, and `pip install .` works from the
# checkout. The version must equal Cargo.toml's. The standalone release archive cut from the
# wheel (scripts/package_binary.py) holds the same binary, which runs.
#
#   bash .ci/wheel.sh [DIST_DIR]     (DIST_DIR: where to leave a copy of the wheel)
#
# maturin builds with cargo's release profile into CARGO_TARGET_DIR, so after the release build
# of .ci/run nothing is compiled again.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
python=${PYTHON:-python3}

fail() {
    echo "wheel.sh: FAIL: $*" >&2
    exit 1
}

version=$(sed -nE 's/^version = "([^"]+)"/\1/p' "$root/Cargo.toml" | head -1)
[ -n "$version" ] || fail "no version in Cargo.toml"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pip_quiet=(--quiet --disable-pip-version-check --no-cache-dir)

echo "--- build the wheel (PEP 517, maturin from PyPI)"
"$python" -m venv "$work/build"
"$work/build/bin/python" -m pip wheel "${pip_quiet[@]}" --no-deps --wheel-dir "$work/dist" "$root"
wheels=("$work"/dist/pyparallel_lint-*.whl)
[ -f "${wheels[0]}" ] || fail "no wheel was built"
wheel=${wheels[0]}
echo "wheel: $(basename "$wheel")"
"$python" - "$wheel" <<'PY'
import sys, zipfile

names = zipfile.ZipFile(sys.argv[1]).namelist()
for info in zipfile.ZipFile(sys.argv[1]).infolist():
    print(f"  {info.file_size:>10}  {info.filename}")
scripts = [n for n in names if ".data/scripts/" in n]
if [s.rsplit("/", 1)[1] for s in scripts] != ["pyparallel"]:
    sys.exit(f"wheel.sh: FAIL: expected exactly the pyparallel executable in the scripts, got {scripts}")
PY
case "$(basename "$wheel")" in
pyparallel_lint-"$version"-*) ;;
*) fail "the wheel's version is not Cargo.toml's $version" ;;
esac

echo "--- install the wheel into a fresh virtual environment"
"$python" -m venv "$work/fresh"
"$work/fresh/bin/python" -m pip install "${pip_quiet[@]}" "$wheel"
installed="$work/fresh/bin/pyparallel"
[ -x "$installed" ] || fail "the wheel did not put pyparallel on the environment's PATH"
reported=$(PATH="$work/fresh/bin:$PATH" pyparallel --version)
echo "$reported"
[ "$reported" = "pyparallel $version" ] || fail "pyparallel --version says '$reported', Cargo.toml says $version"

echo "--- run it on examples/"
set +e
(cd "$root" && PATH="$work/fresh/bin:$PATH" pyparallel check examples --output-format concise) >"$work/out" 2>&1
status=$?
set -e
cat "$work/out"
# The examples are written to have findings: exit 1 with diagnostics is the expected result.
[ "$status" -eq 1 ] || fail "expected exit 1 (diagnostics in examples/), got $status"
grep -q "^examples/.*: PAR[0-9]" "$work/out" || fail "no diagnostics printed"

echo "--- the standalone release archive cut from the wheel"
"$python" "$root/scripts/package_binary.py" "$wheel" x86_64-unknown-linux-gnu "$work/archives"
(cd "$work/archives" && sha256sum --check pyparallel-x86_64-unknown-linux-gnu.tar.gz.sha256)
mkdir "$work/unpacked"
tar -xzf "$work/archives/pyparallel-x86_64-unknown-linux-gnu.tar.gz" -C "$work/unpacked"
[ "$(ls "$work/unpacked")" = "pyparallel" ] || fail "the archive holds $(ls "$work/unpacked")"
[ "$("$work/unpacked/pyparallel" --version)" = "pyparallel $version" ] || fail "the archived binary does not run"

echo "--- pip install . (from the checkout, into another fresh environment)"
"$python" -m venv "$work/direct"
"$work/direct/bin/python" -m pip install "${pip_quiet[@]}" "$root"
"$work/direct/bin/pyparallel" --version >/dev/null || fail "pip install . did not install a working pyparallel"

if [ -n "${1:-}" ]; then
    mkdir -p "$1"
    cp "$wheel" "$1/"
fi
echo "wheel.sh: OK ($(basename "$wheel"))"
