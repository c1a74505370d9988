#!/usr/bin/env bash
# Fix round trip over real code (docs/performance.md, "Fix round trip"):
#
#   scripts/fix_roundtrip.sh [CORPUS] [BINARY]
#
# Copies the corpus (default: /tmp/pyparallel-corpus, from ../shared/corpus/fetch.sh), runs
# `check --fix --unsafe-fixes --select ALL` on the copy, and fails unless
#   - no internal error is reported,
#   - every file that compiled before still compiles (Python's own `compile`),
#   - a second run changes nothing (the fixes reached a fixed point).
# Prints the files changed and the fixes applied per rule.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=${1:-/tmp/pyparallel-corpus}
binary=${2:-target/release/pyparallel}
if [[ ! -d $corpus ]]; then
    echo "error: no corpus at $corpus (run ../shared/corpus/fetch.sh)" >&2
    exit 2
fi
if [[ ! -x $binary ]]; then
    cargo build --release --quiet
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/before"
cp -r "$corpus" "$work/after"

compiles() {
    # The .py files under $1 that Python compiles, one relative path per line.
    python3 - "$1" <<'PY'
import pathlib, sys, warnings
root = pathlib.Path(sys.argv[1])
warnings.simplefilter("ignore")
for path in sorted(root.rglob("*.py")):
    try:
        compile(path.read_bytes(), str(path), "exec")
    except (SyntaxError, ValueError):
        continue
    print(path.relative_to(root))
PY
}

echo "==> fixing a copy of $corpus"
set +e
"$binary" check "$work/after" --select ALL --fix --unsafe-fixes --show-fixes --exit-zero \
    --output-format concise -q >"$work/fix.out" 2>"$work/fix.err"
status=$?
set -e
if grep -q "internal error" "$work/fix.err"; then
    echo "error: internal errors while fixing:" >&2
    grep "internal error" "$work/fix.err" >&2
    exit 1
fi
if grep -q "would produce invalid syntax" "$work/fix.err"; then
    echo "error: fixes rejected for breaking the syntax:" >&2
    grep "would produce invalid syntax" "$work/fix.err" >&2
    exit 1
fi
# Exit 2 is expected only for inputs the linter refuses (non-UTF-8 files): show why.
if ((status == 2)); then
    echo "note: exit 2 from files the linter refuses:"
    sed 's/^/    /' "$work/fix.err"
fi

changed=$(diff -rq "$work/before" "$work/after" | grep -c '^Files ' || true)
echo "files changed: $changed"
echo "fixes applied per rule:"
grep -E '^ +[0-9]+ × PAR' "$work/fix.out" \
    | awk '{ count[$3] += $1 } END { for (rule in count) printf "    %s %d\n", rule, count[rule] }' \
    | sort

echo "==> every file that compiled before still compiles"
compiles "$work/before" >"$work/compiled.before"
compiles "$work/after" >"$work/compiled.after"
broken=$(comm -23 "$work/compiled.before" "$work/compiled.after")
if [[ -n $broken ]]; then
    echo "error: these files no longer compile after the fixes:" >&2
    echo "$broken" >&2
    exit 1
fi
echo "    $(wc -l <"$work/compiled.after") files compile"

echo "==> a second run changes nothing"
cp -r "$work/after" "$work/again"
"$binary" check "$work/again" --select ALL --fix --unsafe-fixes --exit-zero -q \
    --output-format concise >/dev/null 2>&1 || true
if ! diff -rq "$work/after" "$work/again" >/dev/null; then
    echo "error: the second run changed files:" >&2
    diff -rq "$work/after" "$work/again" >&2 || true
    exit 1
fi
echo "    fixed point reached"
