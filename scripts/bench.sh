#!/usr/bin/env bash
# Benchmark: pyparallel against Ruff and against a parse-only pass over the same files.
#
#   scripts/bench.sh [CORPUS]          (default: /tmp/pyparallel-corpus; N=5 repetitions)
#   N=9 scripts/bench.sh /path/to/code
#
# A  pyparallel check --exit-zero --output-format concise -q CORPUS      (release build)
# B  ruff check --no-cache --exit-zero --select PERF,ASYNC,B023,RUF006 CORPUS  (the newest ruff on PyPI when measured: 0.17.6)
# C  pyparallel-parse-bench CORPUS: same discovery, threads, reading and parser as A, no rules
#
# The three commands run alternately (A B C A B C ...) after one untimed warm-up each, so the
# file cache and machine load affect them alike. Reports the median wall time of each, the
# ratios A/B and A/C, lines per second, and CPU time and peak RSS (from /usr/bin/time -v).
# See docs/performance.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-/tmp/pyparallel-corpus}
reps=${N:-5}
ruff_version=${RUFF_VERSION:-0.17.6}

if [[ ! -d $corpus ]]; then
    fetch="$root/../shared/corpus/fetch.sh"
    if [[ ! -f $fetch ]]; then
        echo "error: $corpus does not exist and $fetch is not there to download it" >&2
        exit 2
    fi
    echo "== downloading the corpus into $corpus" >&2
    bash "$fetch" "$corpus"
fi

# GNU time for peak RSS.
if [[ ! -x /usr/bin/time ]]; then
    echo "== installing GNU time" >&2
    sudo_cmd=()
    [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq && "${sudo_cmd[@]}" apt-get install -y -qq time >/dev/null
fi

# Ruff, at the pinned version: the binary itself, not `python -m ruff` or a pyenv shim (their
# start-up would be timed too). RUFF=/path/to/ruff overrides.
find_ruff() {
    python3 - <<'PY' 2>/dev/null
from ruff.__main__ import find_ruff_bin
print(find_ruff_bin())
PY
}
ruff=${RUFF:-}
if [[ -z $ruff ]]; then
    ruff=$(find_ruff || true)
    if [[ -z $ruff || $("$ruff" --version 2>/dev/null) != "ruff $ruff_version" ]]; then
        echo "== installing ruff==$ruff_version" >&2
        python3 -m pip install -q "ruff==$ruff_version" 2>/dev/null \
            || python3 -m pip install -q --user "ruff==$ruff_version"
        ruff=$(find_ruff)
    fi
fi
if [[ $("$ruff" --version 2>/dev/null) != "ruff $ruff_version" ]]; then
    echo "error: $ruff is not ruff $ruff_version" >&2
    exit 2
fi

echo "== building release binaries" >&2
(cd "$root" && cargo build --release --quiet --bins --features parse-bench)
target=${CARGO_TARGET_DIR:-$root/target}
pyparallel="$target/release/pyparallel"
parse_bench="$target/release/pyparallel-parse-bench"

cmd_a=("$pyparallel" check --exit-zero --output-format concise -q "$corpus")
cmd_b=("$ruff" check --no-cache --exit-zero --select PERF,ASYNC,B023,RUF006 "$corpus")
cmd_c=("$parse_bench" "$corpus")

counts=$("${cmd_c[@]}")
files=$(sed -E 's/.*files=([0-9]+).*/\1/' <<<"$counts")
lines=$(sed -E 's/.*lines=([0-9]+).*/\1/' <<<"$counts")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run NAME CMD...: appends "wall_microseconds peak_rss_kb cpu_seconds" to $work/NAME.
run() {
    local name=$1
    shift
    local start end
    local start end status=0
    start=$(date +%s%N)
    /usr/bin/time -v -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || status=$?
    end=$(date +%s%N)
    # Exit 2 with per-file errors (e.g. a file that is not UTF-8) still checked everything
    # else; anything above 2 is a crash.
    if ((status > 2)); then
        echo "error: $name exited with $status: $*" >&2
        cat "$work/stderr.txt" >&2
        exit 1
    fi
    if [[ $name == warmup && -s $work/stderr.txt ]]; then
        echo "note: $1 exited with $status and said:" >&2
        sed 's/^/    /' "$work/stderr.txt" | grep -v 'Command exited with non-zero status' | head -5 >&2
    fi
    local rss cpu
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {s += $2} END {print s}' "$work/time.txt")
    echo "$(( (end - start) / 1000 )) $rss $cpu" >>"$work/$name"
}

echo "== warm-up" >&2
run warmup "${cmd_a[@]}"
run warmup "${cmd_b[@]}"
run warmup "${cmd_c[@]}"
for ((i = 1; i <= reps; i++)); do
    echo "== repetition $i/$reps" >&2
    run A "${cmd_a[@]}"
    run B "${cmd_b[@]}"
    run C "${cmd_c[@]}"
done

python3 - "$work" "$files" "$lines" "$reps" "$corpus" "$("$ruff" --version)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import statistics, sys
work, files, lines, reps, corpus, ruff_version, cores, loadavg = sys.argv[1:]
files, lines = int(files), int(lines)

def load(name):
    rows = [line.split() for line in open(f"{work}/{name}")]
    return (
        [int(us) / 1e6 for us, _, _ in rows],
        [int(kb) for _, kb, _ in rows],
        [float(cpu) for _, _, cpu in rows],
    )

a, a_rss, a_cpu = load("A")
b, b_rss, b_cpu = load("B")
c, c_rss, c_cpu = load("C")
ma, mb, mc = (statistics.median(x) for x in (a, b, c))
print(f"corpus: {corpus}: {files} files, {lines} lines; {reps} repetitions, {cores} cores; {ruff_version}")
print(f"load average (1, 5, 15 min) at the end: {loadavg}")
print()
print(f"{'':<32}{'median':>9}{'min':>9}{'max':>9}{'lines/s':>12}{'CPU (user+sys)':>16}{'peak RSS':>11}")
for label, times, rss, cpu in (
    ("A pyparallel check", a, a_rss, a_cpu),
    ("B ruff check (PERF,ASYNC,...)", b, b_rss, b_cpu),
    ("C parse only (same parser)", c, c_rss, c_cpu),
):
    median = statistics.median(times)
    print(
        f"{label:<32}{median:>8.3f}s{min(times):>8.3f}s{max(times):>8.3f}s"
        f"{lines / median:>12,.0f}{statistics.median(cpu):>15.2f}s{max(rss) / 1024:>7.1f} MiB"
    )
print()
print(f"A/B (pyparallel / ruff):       {ma / mb:.2f}")
print(f"A/C (pyparallel / parse only): {ma / mc:.2f}")
print(
    f"CPU time ratios (less sensitive to other load): A/B {statistics.median(a_cpu) / statistics.median(b_cpu):.2f}, "
    f"A/C {statistics.median(a_cpu) / statistics.median(c_cpu):.2f}"
)
PY
