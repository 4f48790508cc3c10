"""Image assets on both databases: upload limits, upright sizes, focal points (service, CLI, snapshot,
import) and the rendition cache: a rebuild, a build elsewhere or a republish encodes nothing but the
share cards a build draws (and leaves out of the store)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from images_support import phone_jpeg, png
from PIL import Image

from bgpub.db.models import Asset, AuditLog, Blob, ImageRendition
from bgpub.errors import InvalidInput
from bgpub.services import assets, blobs, blocks, building, pages, renditions
from bgpub.services.snapshots import project_snapshot


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size (a tiny file: the pixels are never there)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + _chunk(b"IEND", b"")
    )


def big_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")  # 1 bit a pixel: a few KB on disk
    return out.getvalue()


def state() -> tuple[int, int, int]:
    return Asset.select().count(), Blob.select().count(), AuditLog.select().count()


OVERSIZED = {
    "42mp-photo": (lambda: big_png(7000, 6000), "42.0 megapixels"),
    "long-strip": (lambda: big_png(40_001, 1000), "megapixels"),
    "bomb": (lambda: png_header(100_000, 100_000), "decompression bomb"),
    "header-only": (lambda: png_header(8000, 8000), "64.0 megapixels"),
}


@pytest.mark.parametrize("case", sorted(OVERSIZED))
def test_oversized_uploads_are_refused_and_nothing_is_stored(actor, project, tmp_path, case):
    make, words = OVERSIZED[case]
    data = make()
    before = state()
    path = tmp_path / "huge.png"
    path.write_bytes(data)
    with pytest.raises(InvalidInput) as caught:
        assets.add_asset(actor, "demo", path)
    assert words in caught.value.message and "huge.png" in caught.value.where
    assert state() == before


def test_a_photo_at_the_limit_is_accepted(actor, project):
    row = assets.add_asset(actor, "demo", big_png(8000, 5000), name="wide.png")
    assert (row.width, row.height) == (8000, 5000)


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (120, 90)), (3, (120, 90)), (6, (90, 120)), (8, (90, 120))]
)
def test_sizes_are_stored_upright(actor, project, orientation, size):
    row = assets.add_asset(actor, "demo", phone_jpeg(120, 90, orientation), name="p.jpg")
    assert (row.width, row.height) == size


def test_focus_through_the_cli_reaches_the_snapshot(actor, project, bgpub):
    assets.add_asset(actor, "demo", png(40, 30), name="team.png")
    plain = project_snapshot(actor, "demo").to_json()
    assert b"focus" not in plain  # unset focal points leave the JSON as it was
    done = bgpub("asset", "focus", "demo", "team.png", "30%", "0.8")
    assert done.code == 0 and "30% across, 80% down" in done.out
    row = Asset.get(Asset.name == "team.png")
    assert (row.focus_x, row.focus_y) == (0.3, 0.8)
    snap = project_snapshot(actor, "demo")
    assert (snap.assets[0].focus_x, snap.assets[0].focus_y) == (0.3, 0.8)
    assert AuditLog.select().where(AuditLog.action == "asset.focus").count() == 1
    listed = bgpub("asset", "list", "demo", "--json")
    assert '"focus_x": 0.3' in listed.out


@pytest.mark.parametrize(
    "args",
    [
        ("1.5", "0.5"),
        ("0.5", "-0.1"),
        ("abc", "0.5"),
        ("50", "50"),
        ("nan", "0.5"),
        ("0.5", "101%"),
    ],
)
def test_bad_focus_values_change_nothing(actor, project, bgpub, args):
    assets.add_asset(actor, "demo", png(40, 30), name="team.png")
    before = state()
    done = bgpub("asset", "focus", "demo", "team.png", *args)
    assert done.code != 0 and "Traceback" not in done.err
    assert Asset.get(Asset.name == "team.png").focus_x is None and state() == before


def test_only_images_have_a_focal_point(actor, project, bgpub):
    assets.add_asset(actor, "demo", b"notes\n", name="notes.txt")
    done = bgpub("asset", "focus", "demo", "notes.txt", "0.5", "0.5")
    assert done.code != 0 and "only images" in done.err and "notes.txt" in done.err
    assert bgpub("asset", "focus", "demo", "missing.png", "0.5", "0.5").code != 0


def _site(actor):
    assets.add_asset(actor, "demo", phone_jpeg(640, 480), name="trail.jpg", alt="A trail")
    assets.add_asset(actor, "demo", png(40, 30), name="team.png")
    pages.add_page(actor, "demo", "home", "Home")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Slow Miles", "image": "trail.jpg"})
    pages.add_page(actor, "demo", "about", "About")
    blocks.add_block(
        actor,
        "demo",
        "about",
        "gallery",
        {"images": [{"image": "team.png"}, {"image": "trail.jpg"}]},
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _drawn_cards(files: dict[str, bytes]) -> set[str]:
    """The share cards of a build of `_site` (whose pages have no cover image: all drawn)."""
    return {p for p in files if p.startswith("assets/social/")}


def test_a_rebuild_elsewhere_encodes_only_drawn_cards(actor, project, tmp_path, monkeypatch):
    """A build keeps what it encoded from uploaded images (and icons) in the rendition store, but
    not the share cards it drew from page titles: a build elsewhere draws those again, the same."""
    _site(actor)
    building.build_project(actor, "demo", tmp_path / "one")
    rows = ImageRendition.select().count()
    assert rows > 0 and Blob.select().count() >= rows // 2
    first = _tree(tmp_path / "one")
    drawn = {blobs.digest(first[p]) for p in _drawn_cards(first)}
    stored = {blob for (blob,) in ImageRendition.select(ImageRendition.blob).tuples()}
    assert drawn and not drawn & stored

    again: list[str] = []
    real = renditions.produce_group

    def only_cards(jobs, source):
        if not all(renditions.drawn_card(job) for job in jobs):
            raise AssertionError(f"encoded again: {[j.kind for j in jobs]}")
        again.extend(job.key for job in jobs)
        return real(jobs, source)

    monkeypatch.setattr(renditions, "produce_group", only_cards)
    monkeypatch.setattr(renditions, "PARALLEL_MIN", 10**9)  # in this process, so the list sees them
    building.build_project(actor, "demo", tmp_path / "one")  # the same folder
    assert again == []  # its render cache holds the cards
    building.build_project(actor, "demo", tmp_path / "two")  # a new folder: a cold renderer cache
    assert len(again) == len(_drawn_cards(first))
    assert _tree(tmp_path / "two") == first
    assert ImageRendition.select().count() == rows
    assert "GPS" not in str(
        [Image.open(io.BytesIO(d)).getexif() for p, d in first.items() if p.endswith(".jpg")]
    )


def test_a_build_reads_drawn_cards_a_publish_stored(actor, project, tmp_path, monkeypatch):
    """A publish keeps its drawn cards: a build (or a preview) then reads them instead of drawing."""
    from bgpub.services.publishing import publish_project
    from bgpub.services.targets import add_target

    _site(actor)
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    publish_project(actor, "demo", target="www", message="one", workspace=tmp_path / "ws")
    monkeypatch.setattr(
        renditions,
        "produce_group",
        lambda jobs, source: (_ for _ in ()).throw(AssertionError("encoded again")),
    )
    building.build_project(actor, "demo", tmp_path / "site")
    assert _drawn_cards(_tree(tmp_path / "site"))


def test_a_focus_change_encodes_only_crops(actor, project, tmp_path, monkeypatch):
    _site(actor)
    pages.add_page(actor, "demo", "team", "Team")
    building.build_project(actor, "demo", tmp_path / "out")
    made: list[str] = []
    real = renditions.produce_group
    monkeypatch.setattr(
        renditions,
        "produce_group",
        lambda jobs, source: made.extend(j.kind for j in jobs) or real(jobs, source),
    )
    monkeypatch.setattr(renditions, "PARALLEL_MIN", 10**9)  # in this process, so the list sees them
    assets.set_focus(actor, "demo", "trail.jpg", 0.1, 0.9)
    building.build_project(actor, "demo", tmp_path / "out")
    assert made == [] or set(made) == {"card"}  # pages have drawn cards: no rendition re-made
    assert b"object-position: 10% 90%" in (tmp_path / "out" / "index.html").read_bytes()


def test_stored_images_counts_encodes_and_reuse(actor, project, tmp_path):
    _site(actor)
    from bgpub.render.incremental import Renderer
    from bgpub.services import blobs
    from bgpub.services.library import current_library, current_themes

    snap = project_snapshot(actor, "demo")
    first = renditions.StoredImages(project.organization_id, workers=1)
    Renderer(current_library(), current_themes(), blobs.get, images=first).render(snap)
    second = renditions.StoredImages(project.organization_id, workers=1)
    Renderer(current_library(), current_themes(), blobs.get, images=second).render(snap)
    assert first.encoded > 0 and first.reused == 0
    assert second.encoded == 0 and second.reused == first.encoded


def test_renditions_are_kept_per_organization(actor, project):
    from bgpub.render.images import ImageJob

    job = ImageJob(
        "icon",
        "",
        "png",
        16,
        16,
        0,
        (
            ("letter", "S"),
            ("primary", "#000000"),
            ("contrast", "#ffffff"),
            ("background", "#ffffff"),
            ("svg", False),
            ("opaque", False),
        ),
    )
    mine = renditions.StoredImages(project.organization_id, workers=1)
    mine([job], lambda h: b"")
    other = renditions.StoredImages("someone-else-org", workers=1)
    assert other._stored([job.key]) == {}  # another organization's row is never read


def test_republishing_encodes_nothing(actor, project, tmp_path, monkeypatch):
    from bgpub.services.publishing import publish_project
    from bgpub.services.targets import add_target

    _site(actor)
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    publish_project(actor, "demo", target="www", message="one", workspace=tmp_path / "ws1")
    blobs_after_first = Blob.select().count()
    monkeypatch.setattr(
        renditions,
        "produce_group",
        lambda jobs, source: (_ for _ in ()).throw(AssertionError("encoded again")),
    )
    blocks.add_block(actor, "demo", "about", "hero", {"heading": "More"})
    publish_project(
        actor, "demo", target="www", message="two", workspace=tmp_path / "ws2"
    )  # fresh caches
    live = _tree(tmp_path / "www")
    assert any(p.endswith(".avif") or p.endswith(".webp") for p in live)
    assert (
        Blob.select().count() - blobs_after_first <= 3
    )  # the changed pages only: images stored once


def test_icon_and_image_widths_settings(actor, project, bgpub):
    assets.add_asset(actor, "demo", png(600, 600), name="logo.png")
    done = bgpub(
        "project", "set", "demo", "--setting", "icon=logo.png", "--setting", "image_widths=600, 300"
    )
    assert done.code == 0, done.err
    settings = project_snapshot(actor, "demo").settings
    assert settings["icon"] == "logo.png" and settings["image_widths"] == [300, 600]
    for bad in (
        "image_widths=0",
        "image_widths=480,x",
        "image_widths=1,2,3,4,5,6,7,8,9",
        "image_widths=99999",
        "icon=missing.png",
    ):
        refused = bgpub("project", "set", "demo", "--setting", bad)
        assert (
            refused.code != 0
            and bad.split("=")[0] in refused.err
            and "Traceback" not in refused.err
        )
    assert project_snapshot(actor, "demo").settings == settings
    assert bgpub("project", "set", "demo", "--setting", "image_widths=").code == 0
    assert "image_widths" not in project_snapshot(actor, "demo").settings


def test_stored_images_hand_over_each_group_from_one_pool(actor, project, monkeypatch):
    """The stored jobs first, then each encoded group as it comes (stored before the next is
    asked for), all of a render's groups from one pool of workers."""
    import concurrent.futures

    from bgpub.render.images import DRAWN_BATCH
    from bgpub.render.social_cards import card_job

    tokens = {"color-bg": "#fffdf8", "color-text": "#111", "color-primary": "#4338ca"}
    jobs = [card_job(f"Page {n}", "Site", tokens, ("", "")) for n in range(2 * DRAWN_BATCH + 3)]
    renditions.StoredImages(project.organization_id, workers=1)(jobs[:3], lambda h: b"")
    pools: list[object] = []
    real = concurrent.futures.ProcessPoolExecutor

    def counted(*args, **kwargs):
        pools.append(real(*args, **kwargs))
        return pools[-1]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", counted)
    monkeypatch.setattr(renditions.threading, "active_count", lambda: 1)
    provider = renditions.StoredImages(project.organization_id, workers=2)
    handed: list[set[str]] = []
    for group in provider.groups(jobs, lambda h: b""):
        assert provider._stored(sorted(group)).keys() == group.keys()  # kept before the next
        handed.append(set(group))
    assert handed[0] == {job.key for job in jobs[:3]}  # found stored: no encoding needed
    assert [len(g) for g in handed[1:]] == [DRAWN_BATCH, DRAWN_BATCH]
    assert len(pools) == 1 and (provider.reused, provider.encoded) == (3, 2 * DRAWN_BATCH)
