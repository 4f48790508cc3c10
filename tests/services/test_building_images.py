"""A big build stages its image outputs (share cards, renditions, icons) into the folder as the
provider hands each group over, like its pages, and a failure while encoding them leaves the folder
as it was."""

import os
from pathlib import Path

import pytest
from services_support import png
from test_building import tree

from bgpub.errors import RenderError
from bgpub.render.output import FolderWriter
from bgpub.services import assets, blocks, building, pages, renditions


@pytest.fixture
def staged_site(actor, project, monkeypatch):
    """A small site built the way a big one is: pages and images staged while the render runs."""
    monkeypatch.setattr(building, "STAGE_MIN", 1)
    assets.add_asset(actor, "demo", png(), name="logo.png", alt="Logo")
    for n in range(6):
        pages.add_page(actor, "demo", f"p{n}", f"Page {n}")
        blocks.add_block(actor, "demo", f"p{n}", "hero", {"heading": f"H{n}", "image": "logo.png"})
    return project


def _staged(out: Path) -> set[str]:
    """Files written but not in place yet: under a temporary name in the folder, or in the new
    folder beside it that a first build fills."""
    found = {
        p.relative_to(out).as_posix().removesuffix(FolderWriter.SUFFIX)
        for p in out.rglob(f"*{FolderWriter.SUFFIX}")
    }
    for fresh in out.parent.glob(f".{out.name}{FolderWriter.SUFFIX}-*"):
        found |= {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    return found


def _leftovers(out: Path) -> list[Path]:
    return [*out.rglob(f"*{FolderWriter.SUFFIX}"), *out.parent.glob(f".{out.name}*")]


@pytest.mark.parametrize("first", [True, False])
def test_images_are_staged_as_each_group_comes(actor, staged_site, tmp_path, monkeypatch, first):
    out = tmp_path / "out"
    if not first:  # a folder holding files already: each file staged under a temporary name
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    seen: list[set[str]] = []  # files staged when the provider hands over each group
    made: list[set[str]] = []
    groups = renditions.StoredImages.groups

    def watched(self, jobs, source):
        for group in groups(self, jobs, source):
            seen.append(_staged(out))
            made.append(set(group))
            yield group

    monkeypatch.setattr(renditions.StoredImages, "groups", watched)
    report = building.build_project(actor, "demo", out)
    images = {p for p in report.rendered_paths if p.endswith((".png", ".webp", ".avif", ".ico"))}
    assert len(made) > 1 and images
    # the pages are there before any image, and each group's images before the next group comes
    assert "p1/index.html" in seen[0] and not images & seen[0]
    assert images & seen[-1] and len(seen[-1] & images) < len(images)
    assert not _leftovers(out)  # all renamed into place once the render succeeded
    full = tmp_path / "full"
    monkeypatch.setattr(building, "STAGE_MIN", 10_000)  # written after the render, one by one
    building.build_project(actor, "demo", full)
    assert tree(out) == {**tree(full), **({} if first else {"notes.txt": b"mine"})}


def test_a_failure_encoding_images_leaves_the_folder(actor, staged_site, tmp_path, monkeypatch):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    before = tree(out)
    for n in range(6):  # new titles: new share cards to encode
        pages.rename_page(actor, "demo", f"p{n}", f"Renamed {n}")
    groups = renditions.StoredImages.groups

    def failing(self, jobs, source):
        for group in groups(self, jobs, source):
            yield group
            assert set(group) and _staged(out)  # the first group is staged already
            raise RenderError("encoder broke", where="cards")

    monkeypatch.setattr(renditions.StoredImages, "groups", failing)
    with pytest.raises(RenderError, match="encoder broke"):
        building.build_project(actor, "demo", out)
    assert tree(out) == before and not _leftovers(out)  # no staged file left, nothing replaced
    monkeypatch.setattr(renditions.StoredImages, "groups", groups)
    building.build_project(actor, "demo", out)
    building.build_project(actor, "demo", tmp_path / "full")
    assert tree(out) == tree(tmp_path / "full")


def test_a_failed_first_build_leaves_no_folder(actor, staged_site, tmp_path, monkeypatch):
    out = tmp_path / "new" / "out"
    groups = renditions.StoredImages.groups

    def failing(self, jobs, source):
        for group in groups(self, jobs, source):
            yield group
            assert _staged(out) and not out.exists()  # written beside it, under its own names
            raise RenderError("encoder broke", where="cards")

    monkeypatch.setattr(renditions.StoredImages, "groups", failing)
    with pytest.raises(RenderError, match="encoder broke"):
        building.build_project(actor, "demo", out)
    assert not out.exists() and not _leftovers(out)
    monkeypatch.setattr(renditions.StoredImages, "groups", groups)
    building.build_project(actor, "demo", out)
    assert (out / "p1" / "index.html").is_file() and not _leftovers(out)
    assert oct(out.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
