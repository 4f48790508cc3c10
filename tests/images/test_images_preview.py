"""The preview serves renditions from the organization's image cache, as builds do: a second preview
start (a new process's renderer, nothing in memory) encodes nothing, and a build after a preview
encodes nothing either. Encodes are counted where every encode goes through (`produce_group`)."""

from __future__ import annotations

import io
import urllib.request

from images_support import parse, phone_jpeg
from PIL import Image

from bgpub.db.models import ImageRendition
from bgpub.preview.session import PreviewServer
from bgpub.services import assets, blocks, building, pages, renditions


def _counting(monkeypatch) -> list[str]:
    made: list[str] = []
    real = renditions.produce_group

    def produce_group(jobs, source):
        made.extend(job.kind for job in jobs)
        return real(jobs, source)

    monkeypatch.setattr(renditions, "produce_group", produce_group)
    monkeypatch.setattr(renditions, "PARALLEL_MIN", 10**9)  # in this process, so the list sees them
    return made


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return response.read()


def _start_and_read(workspace) -> tuple[bytes, bytes]:
    """Starts a preview, reads the home page and its hero's largest WebP, stops it."""
    server = PreviewServer(workspace, "demo", watch=False).start()
    try:
        home = _fetch(server.url)
        source = next(s for s in parse(home).iter("source") if s.get("type") == "image/webp")
        largest = source.get("srcset").split(", ")[-1].split(" ")[0]
        return home, _fetch(server.url.rstrip("/") + largest)
    finally:
        server.stop()


def test_a_second_preview_start_encodes_nothing(workspace, actor, project, monkeypatch, tmp_path):
    assets.add_asset(actor, "demo", phone_jpeg(900, 600), name="trail.jpg", alt="A trail")
    pages.add_page(actor, "demo", "home", "Home")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Slow Miles", "image": "trail.jpg"})
    made = _counting(monkeypatch)

    _, webp = _start_and_read(workspace)
    assert "rendition" in made and "card" in made  # the first start encodes, and stores
    stored = ImageRendition.select().count()
    assert stored > 0 and Image.open(io.BytesIO(webp)).format == "WEBP"

    made.clear()
    _, again = _start_and_read(workspace)
    assert made == [] and again == webp  # every image came from the cache
    assert ImageRendition.select().count() == stored

    building.build_project(actor, "demo", tmp_path / "out")  # a build after a preview: nothing new
    assert made == []
