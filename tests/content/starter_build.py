"""Writes the starter sites (`sites/<name>/project.json` + `blobs/`) from their Python sources.

Run `python tests/content/starter_build.py` after editing a starter's source; the test suite checks
that the files on disk equal what the sources produce, so the two never drift apart.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgpub.snapshot import ProjectSnapshot

REPOSITORY = Path(__file__).resolve().parents[2]
SITES_DIR = REPOSITORY / "sites"


@dataclass
class Starter:
    """A starter site being assembled: its snapshot data and the bytes of its assets."""

    data: dict[str, Any]
    blobs: dict[str, bytes] = field(default_factory=dict)
    assets: list[dict[str, Any]] = field(default_factory=list)

    def asset(self, name: str, data: bytes, alt: str, width: int, height: int) -> str:
        """Registers an image and returns its name, for use in props."""
        mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
        digest = hashlib.sha256(data).hexdigest()
        self.blobs[digest] = data
        self.assets.append(
            {
                "name": name,
                "hash": digest,
                "mime": mime,
                "size": len(data),
                "type": "IMAGE",
                "alt": alt,
                "width": width,
                "height": height,
            }
        )
        return name

    def snapshot(self) -> ProjectSnapshot:
        """The canonical snapshot: built from plain data and read back the way import reads it."""
        raw = {**self.data, "assets": sorted(self.assets, key=lambda a: a["name"])}
        return ProjectSnapshot.from_dict(raw, where=f"starter {self.data['name']}")


def page(
    slug: str,
    title: str,
    blocks: list[tuple[str, dict[str, Any]]],
    *,
    home: bool = False,
    nav: bool = True,
    seo_title: str = "",
    seo_description: str = "",
) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": title,
        "is_home": home,
        "show_in_nav": nav,
        "seo_title": seo_title,
        "seo_description": seo_description,
        "blocks": [{"component": key, "props": props} for key, props in blocks],
    }


def starters() -> dict[str, Starter]:
    """Every starter by name (imported lazily so this module stays importable on its own)."""
    from starter_blog import build as blog
    from starter_landing import build as landing
    from starter_shop import build as shop

    return {"blog": blog(), "landing": landing(), "shop": shop()}


def expected_files(starter: Starter) -> dict[str, bytes]:
    """Relative path -> bytes of a starter's folder."""
    files = {"project.json": starter.snapshot().to_json()}
    for digest, data in starter.blobs.items():
        files[f"blobs/{digest}"] = data
    return files


def write(name: str, starter: Starter, root: Path = SITES_DIR) -> None:
    target = root / name
    wanted = expected_files(starter)
    if (target / "blobs").is_dir():
        for old in (target / "blobs").iterdir():
            if f"blobs/{old.name}" not in wanted:
                old.unlink()
    for rel, data in wanted.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for site_name, site in starters().items():
        write(site_name, site)
        print(f"wrote sites/{site_name}")
