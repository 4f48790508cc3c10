"""Prepared theme fonts (`prepared = true` in [[fonts]]): the built-in themes ship the subsets a build
used to make, so a cold build of every starter in every theme runs no fontTools; the output bytes are
the shipped files, named by their own hash. An unprepared entry (a third-party theme shipping full
fonts) is still subset, and a `prepared` that is not a boolean is refused."""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from content_checks import THEME_NAMES, THEMES_DIR, load_starter, render, themes

from bgpub.errors import RenderError
from bgpub.render import fontsubset
from bgpub.render.environment import make_url
from bgpub.render.fonts import plan_fonts, read_fonts
from bgpub.render.themes import load_themes

SITES = ("landing", "blog", "shop")
WOFF2 = re.compile(r"assets/fonts/(?P<stem>[a-z0-9-]+)\.(?P<hash>[0-9a-f]{12})\.woff2")


def _no_subset(source: bytes, ranges: str) -> bytes:
    raise AssertionError("a prepared font reached the subsetter")


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_every_built_in_font_entry_is_prepared(theme):
    data = tomllib.loads((THEMES_DIR / theme / "theme.toml").read_text("utf-8"))
    assert data["fonts"] and all(entry.get("prepared") is True for entry in data["fonts"])


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_a_cold_build_of_each_starter_subsets_nothing_and_ships_the_files(theme, monkeypatch):
    monkeypatch.setattr(fontsubset, "_subset", _no_subset)
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    before = fontsubset.SUBSETS_MADE[0]
    shipped = {data for t in themes().chain(theme) for f in t.fonts for data in f.files.values()}
    for site in SITES:
        snapshot, blobs = load_starter(site)
        files = render(snapshot, theme, blobs)
        fonts = {p: d for p, d in files.items() if p.endswith(".woff2")}
        assert fonts, (site, theme)
        for path, data in fonts.items():
            name = WOFF2.fullmatch(path)
            assert name and data in shipped, path
            assert name["hash"] == hashlib.sha256(data).hexdigest()[:12], path  # content-addressed
    assert fontsubset.SUBSETS_MADE[0] == before


def test_a_prepared_name_does_not_depend_on_the_subsetter_version():
    chain = [t.fonts for t in themes().chain("aurora")]
    tokens = themes().tokens("aurora")
    one = plan_fonts(chain, tokens, "pl", make_url(""), "fonttools-4.50-2")
    other = plan_fonts(chain, tokens, "pl", make_url(""), "fonttools-9.99-7")
    assert list(one.files) == list(other.files) and one.css == other.css


def _unprepared(into: Path) -> Path:
    """aurora with its [[fonts]] not marked prepared: what a theme shipping full fonts looks like."""
    shutil.copytree(THEMES_DIR / "aurora", into / "aurora")
    manifest = into / "aurora" / "theme.toml"
    manifest.write_text(manifest.read_text("utf-8").replace("prepared = true\n", ""), "utf-8")
    return into


def test_an_unprepared_entry_is_still_subset(tmp_path, monkeypatch):
    made: list[str] = []

    def counting(source: bytes, ranges: str) -> bytes:
        made.append(ranges)
        return b"subset\0" + hashlib.sha256(source + ranges.encode()).digest()

    monkeypatch.setattr(fontsubset, "_subset", counting)  # fontTools takes ~1 s a font
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    local = load_themes([_unprepared(tmp_path / "themes")])
    assert not any(font.prepared for font in local["aurora"].fonts)
    plan = plan_fonts(
        [t.fonts for t in local.chain("aurora")],
        local.tokens("aurora"),
        "en",
        make_url(""),
        fontsubset.VERSION,
    )
    outputs = {path: file.data(fontsubset.subset_woff2) for path, file in plan.files.items()}
    assert len(made) == len(outputs) == 6  # two families, upright and two italics, latin only
    assert all(data.startswith(b"subset\0") for data in outputs.values())
    prepared = plan_fonts(
        [t.fonts for t in themes().chain("aurora")],
        themes().tokens("aurora"),
        "en",
        make_url(""),
        fontsubset.VERSION,
    )
    assert not set(outputs) & set(prepared.files)  # the version-keyed names, not content hashes


@pytest.mark.parametrize("value", ["true", 1, 0, "yes", [True], {"x": 1}])
def test_prepared_must_be_a_boolean(tmp_path, value):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"wOF2")
    (tmp_path / "fonts" / "OFL.txt").write_text("SIL Open Font License")
    good = {"family": "Inter", "files": {"latin": "fonts/a.woff2"}, "licence": "fonts/OFL.txt"}
    with pytest.raises(RenderError) as caught:
        read_fonts(tmp_path, [good, {**good, "prepared": value}], "themes/x/theme.toml")
    assert caught.value.where == "themes/x/theme.toml, fonts 2"
    assert "prepared must be true or false" in caught.value.message
