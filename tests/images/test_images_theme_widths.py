"""Rendition widths per theme: `[images] widths` in theme.toml, inherited by child themes, overridden
by the site's `image_widths` setting, never upscaled; a bad declaration names the theme file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from images_support import REPOSITORY, asset, library, phone_jpeg, renditions, site

from bgpub.errors import RenderError
from bgpub.render.images import DEFAULT_WIDTHS, MemoryImages
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo
from bgpub.render.themes import load_themes


@pytest.fixture(scope="module")
def photo() -> bytes:
    return phone_jpeg(1400, 1050)


def _themes(tmp: Path, images: str, child: str = "") -> Path:
    """aurora copied as `wide` with an `[images]` table, and optionally `narrow`, a child of it."""
    root = tmp / "themes"
    shutil.copytree(REPOSITORY / "themes" / "aurora", root / "wide")
    manifest = root / "wide" / "theme.toml"
    text = manifest.read_text("utf-8").replace('name = "aurora"', 'name = "wide"', 1)
    manifest.write_text(text + "\n" + images, "utf-8")
    if child:
        (root / "narrow").mkdir()
        (root / "narrow" / "theme.toml").write_text(
            f'name = "narrow"\nparent = "wide"\n{child}', "utf-8"
        )
    return root


def _widths(root: Path, theme: str, photo: bytes, settings: dict | None = None) -> set[int]:
    pic = asset("trail.jpg", photo, "image/jpeg", 1400, 1050)
    snapshot = site((pic,), hero="trail.jpg", theme=theme, settings=settings)
    themes = load_themes([root, REPOSITORY / "themes"])
    renderer = Renderer(library(), themes, {pic.hash: photo}.__getitem__, images=MemoryImages())
    files = renderer.render(snapshot, BuildInfo(base_url="https://m.example.org")).files
    return {w for w, _ in renditions(files, "trail")}


def test_a_theme_declares_its_widths_never_upscaled(tmp_path, photo):
    root = _themes(tmp_path, "[images]\nwidths = [320, 640, 1280, 1920]\n")
    assert load_themes([root])["wide"].image_widths == (320, 640, 1280, 1920)
    assert _widths(root, "wide", photo) == {320, 640, 1280, 1400}  # 1920 > the photo's 1400


def test_a_child_theme_inherits_or_overrides_its_parents_widths(tmp_path, photo):
    root = _themes(tmp_path, "[images]\nwidths = [320, 640]\n", child="")
    (root / "narrow").mkdir()
    (root / "narrow" / "theme.toml").write_text('name = "narrow"\nparent = "wide"\n', "utf-8")
    assert _widths(root, "narrow", photo) == {320, 640}
    (root / "narrow" / "theme.toml").write_text(
        'name = "narrow"\nparent = "wide"\n[images]\nwidths = [200, 400]\n', "utf-8"
    )
    assert _widths(root, "narrow", photo) == {200, 400}


def test_the_site_setting_overrides_the_theme(tmp_path, photo):
    root = _themes(tmp_path, "[images]\nwidths = [320, 640]\n")
    assert _widths(root, "wide", photo, {"image_widths": [500, 1000]}) == {500, 1000}


def test_without_a_declaration_the_defaults(photo):
    themes = load_themes([REPOSITORY / "themes"])
    assert all(not themes[name].image_widths for name in themes)
    expected = {w for w in DEFAULT_WIDTHS if w <= 1400} | {1400}
    assert _widths(REPOSITORY / "themes", "aurora", photo) == expected


@pytest.mark.parametrize(
    "images",
    [
        "[images]\nwidths = []\n",
        "[images]\nwidths = [0]\n",
        '[images]\nwidths = ["480"]\n',
        "[images]\nwidths = [true]\n",
        "[images]\nwidths = [100000]\n",
        "[images]\nwidths = [1, 2, 3, 4, 5, 6, 7, 8, 9]\n",
        "[images]\nwidth = [480]\n",
        "[images]\nwidths = 480\n",
    ],
)
def test_a_bad_declaration_names_the_theme_file(tmp_path, images):
    root = _themes(tmp_path, images)
    with pytest.raises(RenderError) as caught:
        load_themes([root])
    assert "theme.toml" in caught.value.where and "images" in caught.value.where
