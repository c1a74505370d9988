#!/usr/bin/env bash
# A real notebook round trip: pyparallel fixes tests/notebooks/fetch.ipynb (a copy), then
# nbformat (Jupyter's own reader/writer, from PyPI) validates the result against the notebook
# schema and writes it again: the bytes must be exactly what Jupyter itself would save, so the
# fix kept outputs, metadata and formatting. Prints the notebook's code before and after.
#
#   bash .ci/notebook.sh [PYPARALLEL_BINARY]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
binary=${1:-$target/release/pyparallel}
python=${PYTHON:-python3}

fail() {
    echo "notebook.sh: FAIL: $*" >&2
    exit 1
}

[ -x "$binary" ] || fail "no pyparallel binary at $binary (build it with cargo build --release)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check nbformat

cp "$root/tests/notebooks/fetch.ipynb" "$work/fetch.ipynb"
cd "$work"
show() {
    "$work/venv/bin/python" - "$1" <<'PY'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
for number, cell in enumerate(nb.cells, 1):
    if cell.cell_type == "code":
        print(f"# cell {number} ({len(cell.outputs)} outputs)")
        print(cell.source)
PY
}
echo "--- before"
show fetch.ipynb
echo "--- pyparallel check (concise)"
set +e
"$binary" check fetch.ipynb --output-format concise
status=$?
set -e
[ "$status" -eq 1 ] || fail "expected diagnostics (exit 1), got $status"
echo "--- pyparallel check --fix --unsafe-fixes"
"$binary" check fetch.ipynb --fix --unsafe-fixes || fail "the fix left diagnostics or failed"
echo "--- after"
show fetch.ipynb

"$work/venv/bin/python" - fetch.ipynb "$root/tests/notebooks/fetch.ipynb" <<'PY'
import json, sys, nbformat

path, original = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
nb = nbformat.reads(text, as_version=4)
nbformat.validate(nb)  # raises on a schema violation
again = nbformat.writes(nb) + "\n"
if again != text:
    sys.exit("notebook.sh: FAIL: the fixed notebook is not byte-identical to what nbformat writes")
before, after = json.load(open(original, encoding="utf-8")), json.loads(text)
for a, b in zip(before["cells"], after["cells"]):
    a, b = dict(a), dict(b)
    a.pop("source"), b.pop("source")
    if a != b:
        sys.exit(f"notebook.sh: FAIL: a cell's outputs or metadata changed: {a} != {b}")
before.pop("cells"), after.pop("cells")
if before != after:
    sys.exit("notebook.sh: FAIL: the notebook's metadata changed")
print(f"nbformat {nbformat.__version__}: valid; byte-identical to nbformat's own output; outputs and metadata unchanged")
PY
echo "notebook.sh: OK"
