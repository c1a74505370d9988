#!/usr/bin/env bash
# Installs pyparallel for the GitHub Action (action.yml) and puts it on the job's PATH.
#
# The version is the `version` input, else the release the action itself was used at
# (`uses: pyparallel/pyparallel@v0.1.0`). For a version, the prebuilt binary for the runner's
# platform is downloaded from that GitHub release and checked against its published SHA-256.
# Only when there is none (no version: a branch or a commit; no binary for this platform; the
# download fails) is it built from source with pip (maturin), which needs the Rust toolchain
# that GitHub's hosted runners have.
#
# Environment (set by action.yml from the runner): PYPARALLEL_VERSION, ACTION_PATH,
# ACTION_REPOSITORY, ACTION_REF, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH,
# GITHUB_SERVER_URL.
set -euo pipefail

version=${PYPARALLEL_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
    case "${ACTION_REF:-}" in
    v[0-9]*) version=${ACTION_REF#v} ;;
    esac
fi
repository=${ACTION_REPOSITORY:-pyparallel/pyparallel}
server=${GITHUB_SERVER_URL:-https://github.com}
install_dir="$RUNNER_TEMP/pyparallel"
mkdir -p "$install_dir/bin"

# The release archive built for this runner (scripts/package_binary.py names them). Linux
# gets the static musl build, which runs on any distribution and in Alpine containers.
target() {
    case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
    esac
}

sha256() {
    if command -v sha256sum >/dev/null; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

# Downloads and unpacks the prebuilt binary of $version; fails (returns 1) without changing
# anything when it cannot.
download() {
    local target archive url work expected actual
    target=$(target) || {
        echo "no prebuilt binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
        return 1
    }
    archive="pyparallel-$target.tar.gz"
    case "$target" in *windows*) archive="pyparallel-$target.zip" ;; esac
    url="$server/$repository/releases/download/v$version/$archive"
    work=$(mktemp -d)
    echo "downloading $url"
    if ! curl --fail --silent --show-error --location --retry 3 --output "$work/$archive" "$url" ||
        ! curl --fail --silent --show-error --location --retry 3 --output "$work/$archive.sha256" "$url.sha256"; then
        return 1
    fi
    expected=$(cut -d' ' -f1 <"$work/$archive.sha256")
    actual=$(sha256 "$work/$archive")
    if [ "$expected" != "$actual" ]; then
        echo "checksum mismatch for $archive: expected $expected, got $actual"
        return 1
    fi
    case "$archive" in
    *.zip) (cd "$work" && unzip -q "$archive") ;;
    *) tar -xzf "$work/$archive" -C "$work" ;;
    esac
    for binary in pyparallel pyparallel.exe; do
        if [ -f "$work/$binary" ]; then
            mv "$work/$binary" "$install_dir/bin/$binary"
            chmod +x "$install_dir/bin/$binary"
        fi
    done
    echo "installed the prebuilt $target binary of pyparallel $version"
}

# Builds from source into a virtual environment (pip runs maturin, which runs cargo).
build() {
    local source venv
    venv="$install_dir/venv"
    "$(command -v python3 || command -v python)" -m venv "$venv"
    if [ -n "$version" ] && [ "${ACTION_REF:-}" != "v$version" ]; then
        source="git+$server/$repository@v$version"
    else
        source="$ACTION_PATH"
    fi
    echo "building pyparallel from source ($source)"
    local python="$venv/bin/python"
    [ -x "$python" ] || python="$venv/Scripts/python.exe"
    "$python" -m pip install --disable-pip-version-check --quiet "$source"
    for binary in pyparallel pyparallel.exe; do
        for folder in bin Scripts; do
            if [ -f "$venv/$folder/$binary" ]; then
                cp "$venv/$folder/$binary" "$install_dir/bin/$binary"
            fi
        done
    done
}

if [ -z "$version" ] || ! download; then
    if [ -n "$version" ]; then
        echo "::warning title=pyparallel::no prebuilt binary of pyparallel $version could be installed; building it from source"
    fi
    build
fi

installed=$("$install_dir/bin/pyparallel" --version)
echo "$installed"
if [ -n "$version" ] && [ "$installed" != "pyparallel $version" ]; then
    echo "::error title=pyparallel::asked for version $version, installed '$installed'"
    exit 1
fi
echo "$install_dir/bin" >>"$GITHUB_PATH"
