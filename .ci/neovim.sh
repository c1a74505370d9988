#!/usr/bin/env bash
# A real editor against `pyparallel server`: Neovim's built-in LSP client, headless, driven by
# .ci/neovim/test.lua. It opens a copy of .ci/neovim/fixture.py, waits for the diagnostics,
# applies the quick fix of PAR603 and checks the buffer's text, then sees the diagnostic go.
# Prints the transcript (the diagnostics received, the code actions, the buffer after the fix).
# Then the Neovim 0.7 snippet of docs/editors.md, as a user would paste it, must attach the
# server by itself.
# Installs Neovim from Debian's packages when it is missing (apt-get; sudo unless root).
#
#   bash .ci/neovim.sh [PYPARALLEL_BINARY]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
binary=${1:-$target/release/pyparallel}

fail() {
    echo "neovim.sh: FAIL: $*" >&2
    exit 1
}

[ -x "$binary" ] || fail "no pyparallel binary at $binary (build it with cargo build --release)"
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
if ! command -v nvim >/dev/null; then
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    echo "installing neovim (apt-get)"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq neovim >/dev/null
fi
nvim --version | head -n 1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/.ci/neovim/fixture.py" "$work/app.py"
sed 's/get_event_loop/get_running_loop/' "$root/.ci/neovim/fixture.py" >"$work/expected.py"
cmp -s "$work/app.py" "$work/expected.py" && fail "the expected text must differ from the fixture"

cd "$work"
# -u NONE: no user configuration or plugins; -i NONE: no shada; -n: no swap file. The Lua
# script ends Neovim itself (`cquit 1` on failure); `timeout` guards against a hang.
PYPARALLEL="$binary" FIXTURE="$work/app.py" EXPECTED="$work/expected.py" \
    timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile $root/.ci/neovim/test.lua" ||
    fail "the Neovim test failed (exit $?)"

# The Neovim 0.7 snippet of docs/editors.md, as a user's init file, with `pyparallel` on PATH:
# it must attach the server to a Python buffer by itself.
awk '/<!-- neovim-0.7-snippet/ { found = 1; next }
     found && /^```lua/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$root/docs/editors.md" >"$work/init.lua"
[ -s "$work/init.lua" ] || fail "no Neovim 0.7 snippet in docs/editors.md"
cp "$root/.ci/neovim/fixture.py" "$work/snippet.py"
PATH="$(dirname "$binary"):$PATH" timeout 120 \
    nvim --headless -u "$work/init.lua" -i NONE -n -c "luafile $root/.ci/neovim/snippet.lua" snippet.py ||
    fail "the documented Neovim 0.7 setup failed (exit $?)"
echo
