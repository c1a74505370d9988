#!/usr/bin/env bash
# Writes the pre-commit mirror repository's files (integrations/pre-commit-mirror/) into
# OUT_DIR, pinned to VERSION (default: Cargo.toml's). The release workflow pushes them to
# pyparallel/pyparallel-pre-commit and tags them vVERSION; CI installs a hook from them with
# the real pre-commit (.ci/precommit.sh).
#
#   scripts/pre-commit-mirror.sh OUT_DIR [VERSION]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:?usage: scripts/pre-commit-mirror.sh OUT_DIR [VERSION]}
version=${2:-$(sed -nE 's/^version = "([^"]+)"/\1/p' "$root/Cargo.toml" | head -1)}
template="$root/integrations/pre-commit-mirror"
pinned=$(sed -nE 's/^version = "([^"]+)"/\1/p' "$template/pyproject.toml")

mkdir -p "$out"
cp "$template/.pre-commit-hooks.yaml" "$template/README.md" "$out/"
# The template pins the current version; a release of another version rewrites the pins.
sed -e "s/^version = \"$pinned\"/version = \"$version\"/" \
    -e "s/pyparallel-lint==$pinned/pyparallel-lint==$version/" \
    "$template/pyproject.toml" >"$out/pyproject.toml"
sed -i.bak -e "s/rev: v$pinned/rev: v$version/" "$out/README.md" && rm -f "$out/README.md.bak"
grep -q "pyparallel-lint==$version\"" "$out/pyproject.toml" || {
    echo "pre-commit-mirror.sh: could not pin version $version" >&2
    exit 1
}
echo "$out: pre-commit mirror for pyparallel $version"
