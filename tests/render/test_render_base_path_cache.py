"""Templates compiled for one base path are never reused for another: Jinja folds filters of
constants (`'/thanks/'|url`) into the compiled code, so a render cache's compiled templates belong
to the base path they were compiled for (a site moved from / to /docs/ kept links to /thanks/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bgpub.render import load_library, load_themes
from bgpub.render.incremental import Renderer
from bgpub.render.site import BuildInfo, render_site
from bgpub.snapshot import ProjectSnapshot

SITES = Path(__file__).resolve().parents[2] / "sites"
BASES = ["https://x.example/", "https://x.example/a/b/", ""]


def _starter(name: str) -> ProjectSnapshot:
    data = json.loads((SITES / name / "project.json").read_text("utf-8"))
    settings = {
        **data.get("settings", {}),
        "collector": {"url": "https://c.example", "project": "p", "stamp": "s"},
    }
    return ProjectSnapshot.from_dict({**data, "settings": settings})


def _blob(folder: Path):
    return lambda digest: (folder / "blobs" / digest).read_bytes()


@pytest.mark.parametrize("starter", ["landing", "shop"])
def test_a_cached_render_at_another_base_path_equals_a_fresh_one(
    starter: str, tmp_path: Path
) -> None:
    library, themes = load_library(), load_themes()
    snapshot, blobs = _starter(starter), _blob(SITES / starter)
    cache = tmp_path / "cache"
    for before, after in zip(BASES, [*BASES[1:], BASES[0]], strict=True):
        Renderer(library, themes, blobs, cache_dir=cache).render(
            snapshot, BuildInfo(base_url=before)
        )
        cached = Renderer(library, themes, blobs, cache_dir=cache).render(
            snapshot, BuildInfo(base_url=after)
        )
        fresh = render_site(snapshot, library, themes, blobs, BuildInfo(base_url=after))
        differing = sorted(p for p in fresh if cached.files[p] != fresh[p])
        assert differing == [], (before, after, differing[:5])
