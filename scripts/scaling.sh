#!/usr/bin/env bash
# Scaling (docs/performance.md, "Scaling"): time `pyparallel check` on a quarter, a half and
# all of the corpus's Python files, with 1 and with 2 threads.
#
#   N=7 scripts/scaling.sh [CORPUS] [BINARY]
#
# The fractions take every 4th / every 2nd file of the sorted file list, so each holds the
# same mix of packages. Prints the median wall time of N runs per cell (after a warm-up),
# the time per 100k lines, and the speed-up from the second thread.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus=${1:-/tmp/pyparallel-corpus}
binary=${2:-target/release/pyparallel}
reps=${N:-7}
[[ -x $binary ]] || cargo build --release --quiet

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$corpus" && find . -name '*.py' | LC_ALL=C sort) >"$work/all.txt"
for part in 4 2 1; do
    awk -v n="$part" '(NR - 1) % n == 0' "$work/all.txt" >"$work/list.$part"
    while IFS= read -r file; do
        mkdir -p "$work/part.$part/$(dirname "$file")"
        cp "$corpus/$file" "$work/part.$part/$file"
    done <"$work/list.$part"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_run() {
    local start end
    start=$(date +%s.%N)
    "$binary" check "$1" --threads "$2" --exit-zero -q --output-format concise >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

printf '%-8s %8s %12s %12s %12s %10s\n' part files lines "1 thread" "2 threads" speed-up
for part in 4 2 1; do
    folder="$work/part.$part"
    files=$(wc -l <"$work/list.$part")
    lines=$(cd "$folder" && cat $(cat "$work/list.$part") | wc -l)
    time_run "$folder" 1 >/dev/null
    one=$(for _ in $(seq "$reps"); do time_run "$folder" 1; done | median)
    two=$(for _ in $(seq "$reps"); do time_run "$folder" 2; done | median)
    label=$([[ $part == 1 ]] && echo all || echo "1/$part")
    printf '%-8s %8s %12s %11.3fs %11.3fs %9.2fx\n' "$label" "$files" "$lines" "$one" "$two" \
        "$(echo "$one / $two" | bc -l)"
    printf '%-8s %8s %12s %11.3fs %11.3fs   (per 100k lines)\n' "" "" "" \
        "$(echo "$one * 100000 / $lines" | bc -l)" "$(echo "$two * 100000 / $lines" | bc -l)"
done
