#!/usr/bin/env python3
"""Packages the pyparallel binary of a wheel as a standalone release archive.

    python scripts/package_binary.py WHEEL TARGET OUT_DIR

The binary is taken out of the wheel maturin built (`<name>.data/scripts/pyparallel[.exe]`),
so the standalone download and the wheel carry the same build. Writes
`OUT_DIR/pyparallel-TARGET.tar.gz` (`.zip` for Windows targets) holding `pyparallel` (or
`pyparallel.exe`) at its top, and beside it `<archive>.sha256` in `sha256sum`'s format, which
the release workflow attaches to the GitHub release and action.yml downloads and checks.
Standard library only: it runs on every release runner, Windows included.
"""

import hashlib
import io
import os
import sys
import tarfile
import zipfile


def binary_from_wheel(wheel):
    """(file name, bytes) of the one executable under the wheel's `.data/scripts/`."""
    with zipfile.ZipFile(wheel) as archive:
        scripts = [
            name
            for name in archive.namelist()
            if ".data/scripts/" in name and not name.endswith("/")
        ]
        if len(scripts) != 1:
            sys.exit(f"package_binary: expected one executable in {wheel}, found {scripts}")
        name = scripts[0].rsplit("/", 1)[1]
        return name, archive.read(scripts[0])


def write_archive(name, data, target, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    if "windows" in target:
        path = os.path.join(out_dir, f"pyparallel-{target}.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o755 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    else:
        path = os.path.join(out_dir, f"pyparallel-{target}.tar.gz")
        with tarfile.open(path, "w:gz") as archive:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            archive.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    with open(path + ".sha256", "w", encoding="utf-8", newline="\n") as checksum:
        checksum.write(f"{digest}  {os.path.basename(path)}\n")
    return path


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    wheel, target, out_dir = sys.argv[1:]
    name, data = binary_from_wheel(wheel)
    print(write_archive(name, data, target, out_dir))


if __name__ == "__main__":
    main()
