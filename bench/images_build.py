"""Images benchmark: `bgpub build` of a 1,000-page site with 200 phone photos (SQLite by default).

Imports the corpus project of publish_bench.py with a photo-bearing hero on 200 of its pages (each a
distinct 1600x1200 JPEG with GPS EXIF), then times whole `bgpub build` processes: a cold build (no
renditions stored, empty folder and cache), a warm build into the same folder, and a build into a
new folder (a cold renderer cache: every image is asked for again, from the rendition store).
Encodes are counted as rows of `image_renditions` (one per encoded image, keys unique). Prints ONE
JSON line, with the load average before and after.

    python bench/images_build.py [--pages 1000] [--photos 200] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_bench import snapshot  # noqa: E402  (the same corpus pages)


def _command(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bgpub", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bgpub {' '.join(args)} failed: {done.stderr}")
    return seconds


def photos(count: int, width: int = 1600, height: int = 1200) -> list[bytes]:
    """Distinct photo-like JPEGs with a phone's EXIF (make, orientation, GPS position)."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    small = (width // 4, height // 4)
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(small),
            Image.radial_gradient("L").resize(small),
            Image.linear_gradient("L").rotate(90).resize(small),
        ),
    )
    grain = Image.effect_noise(small, 60).convert("RGB")
    result = []
    for i in range(count):
        image = base.copy()
        draw = ImageDraw.Draw(image)
        for j in range(12):
            x, y = (i * 37 + j * 91) % small[0], (i * 53 + j * 67) % small[1]
            draw.ellipse(
                (x, y, x + 40 + j * 7, y + 30 + i % 50),
                fill=((i * 7 + j * 40) % 255, (i * 13) % 255, (j * 60) % 255),
            )
        image = ImageChops.blend(image, grain, 0.2).resize(
            (width, height), Image.Resampling.BICUBIC
        )
        image = image.filter(ImageFilter.GaussianBlur(1.0))
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (52.0, float(i % 60), 1.0), "E", (13.0, 24.0, 1.0)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90, exif=exif)
        result.append(out.getvalue())
    return result


def with_photos(pages: int, data: list[bytes]):
    """The corpus snapshot with a hero showing photo i on page i (i < number of photos)."""
    import dataclasses
    import hashlib

    from bgpub.domain.blocks import Block
    from bgpub.snapshot import AssetSnapshot

    base = snapshot(pages)
    assets = tuple(
        AssetSnapshot(
            name=f"photo-{i:03d}.jpg",
            hash=hashlib.sha256(d).hexdigest(),
            mime="image/jpeg",
            size=len(d),
            width=1600,
            height=1200,
            alt=f"Photo {i}",
        )
        for i, d in enumerate(data)
    )
    new_pages = []
    for i, page in enumerate(base.pages):
        if i < len(data):
            hero = Block("hero", {"heading": page.title, "image": assets[i].name})
            page = dataclasses.replace(page, blocks=(hero, *page.blocks))
        new_pages.append(page)
    snap = dataclasses.replace(base, pages=tuple(new_pages), assets=assets)
    return snap, {a.hash: d for a, d in zip(assets, data, strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary workspace")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bgpub-images-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    url = args.database_url or f"sqlite:///{home / 'bgpub.db'}"
    load_before = os.getloadavg()

    from bgpub.db.enums import SubscriptionTier
    from bgpub.db.models import ImageRendition, Organization
    from bgpub.render.images import avif_supported
    from bgpub.services.importing import import_snapshot
    from bgpub.services.workspace import open_workspace

    ws = open_workspace(url, workspace_path=home)
    Organization.update(tier=SubscriptionTier.ENTERPRISE).execute()
    snap, data = with_photos(args.pages, photos(args.photos))
    project = import_snapshot(ws.actor, snap, data, name=f"images{os.getpid()}").project
    env = {**os.environ, "BGPUB_DATABASE_URL": url}
    out = home / "site"

    def encoded() -> int:
        return (
            ImageRendition.select()
            .where(ImageRendition.organization == project.organization_id)
            .count()
        )

    cold_s = _command(["build", project.name, "--out", str(out)], env)
    after_cold = encoded()
    warm_s = _command(["build", project.name, "--out", str(out)], env)
    after_warm = encoded()
    new_folder_s = _command(["build", project.name, "--out", str(home / "elsewhere")], env)
    after_new_folder = encoded()
    files = [p for p in out.rglob("*") if p.is_file()]
    images = [
        p for p in files if p.suffix in (".avif", ".webp", ".jpg") and p.parent.name == "assets"
    ]
    print(
        json.dumps(
            {
                "pages": args.pages,
                "photos": args.photos,
                "photo_px": "1600x1200",
                "backend": "postgresql" if url.startswith("postgres") else "sqlite",
                "avif": avif_supported(),
                "cold_build_s": round(cold_s, 2),
                "warm_build_s": round(warm_s, 2),
                "new_folder_build_s": round(new_folder_s, 2),
                "encoded_cold": after_cold,
                "encoded_warm": after_warm - after_cold,
                "encoded_new_folder": after_new_folder - after_warm,
                "image_files": len(images),
                "files": len(files),
                "output_mb": round(sum(p.stat().st_size for p in files) / 1e6, 1),
                "cpus": len(os.sched_getaffinity(0)),
                "loadavg_before": [round(v, 2) for v in load_before],
                "loadavg_after": [round(v, 2) for v in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
