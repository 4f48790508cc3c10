"""What every page's head and the site files say, read with real parsers (html5lib, json, ElementTree,
fontTools): fonts (swap, preloads, subsets, cache, budget, system stacks, languages), theme-color, 404
noindex and schema.org JSON-LD."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path

import pytest
from content_checks import load_starter, parse_strict, render, themes
from fontTools.ttLib import TTFont
from output_support import FONT_BUDGET

from bgpub.errors import RenderError
from bgpub.render import fontsubset
from bgpub.render.fonts import (
    SCRIPTS,
    face_ranges,
    language_scripts,
    read_fonts,
    stack_families,
)

FACE = re.compile(r"@font-face\{([^}]*)\}")


def _css(files: dict[str, bytes]) -> str:
    return next(
        data.decode()
        for path, data in files.items()
        if re.fullmatch(r"assets/style\.[0-9a-f]+\.css", path)
    )


def _codepoints(ranges: str) -> set[int]:
    return set(fontsubset._codepoints(ranges))


def _head(html: bytes):
    return parse_strict(html).find(".//head")


def _jsonld(html: bytes) -> list[dict]:
    tree = parse_strict(html)
    return [
        json.loads(s.text) for s in tree.iter("script") if s.get("type") == "application/ld+json"
    ]


def test_every_face_swaps_and_ships_a_real_subset_of_its_source(builds):
    for build in builds:
        css = _css(build.files)
        faces = FACE.findall(css)
        assert faces, build.name
        for face in faces:
            assert "font-display:swap" in face, face
            url = re.search(r'url\("([^"]+)"\)', face).group(1)
            ranges = re.search(r"unicode-range:([^;}]+)", face).group(1)
            data = build.files[url.lstrip("/")]
            font = TTFont(io.BytesIO(data))
            assert font.flavor == "woff2"
            mapped = set(font.getBestCmap())
            assert mapped and mapped <= _codepoints(ranges), (
                build.name
            )  # nothing beyond the language's ranges
            assert {ord(c) for c in "Aa0 é€"} <= mapped
        licences = [p for p in build.files if p.startswith("assets/fonts/") and p.endswith(".txt")]
        assert licences and all(b"SIL Open Font License" in build.files[p] for p in licences)


def test_preloads_name_shipped_fonts_and_every_page_stays_under_the_budget(builds):
    for build in builds:
        fonts = {p: d for p, d in build.files.items() if p.endswith(".woff2")}
        # every face of an English site covers latin only: a page loads the upright faces and, with
        # italic text, an italic face (each italic file is fetched only when a page uses it)
        upright = sum(len(d) for p, d in fonts.items() if "-italic." not in p)
        italic = max((len(d) for p, d in fonts.items() if "-italic." in p), default=0)
        assert italic and upright + italic <= FONT_BUDGET, (
            build.name,
            {p: len(d) for p, d in fonts.items()},
        )
        for path, html in build.files.items():
            if not path.endswith(".html") or html.startswith(b"<!DOCTYPE html><meta http-equiv"):
                continue
            head = _head(html)
            preloads = [link for link in head.iter("link") if link.get("rel") == "preload"]
            assert 1 <= len(preloads) <= 2, (build.name, path)
            for link in preloads:
                assert link.get("as") == "font" and link.get("crossorigin") is not None
                assert link.get("href").lstrip("/") in fonts


def test_theme_color_comes_from_the_theme(builds):
    wanted = {
        name: themes().tokens(name).get("color-theme") or themes().tokens(name)["color-primary"]
        for name in ("aurora", "midnight", "terracotta")
    }
    assert wanted["terracotta"] != wanted["aurora"]
    for build in builds:
        for path, html in build.files.items():
            if path.endswith(".html") and b"http-equiv" not in html[:200]:
                metas = [
                    m.get("content")
                    for m in _head(html).iter("meta")
                    if m.get("name") == "theme-color"
                ]
                assert metas == [wanted[build.theme]], (build.name, path, metas)


def test_the_404_page_is_noindex_and_never_in_the_sitemap(builds):
    for build in builds:
        head = _head(build.files["404.html"])
        robots = [m.get("content") for m in head.iter("meta") if m.get("name") == "robots"]
        assert robots == ["noindex"], build.name
        assert b"404" not in build.files["sitemap.xml"]


def test_home_pages_describe_the_site_and_nested_pages_their_breadcrumbs(builds):
    for build in builds:
        home = _jsonld(build.files["index.html"])
        graph = [node for data in home for node in data.get("@graph", [])]
        types = {node["@type"] for node in graph}
        assert {"WebSite", "Organization"} <= types, build.name
        website = next(n for n in graph if n["@type"] == "WebSite")
        assert website["url"].startswith("https://") and website["name"]
        snapshot, _ = load_starter(build.site)
        slugs = {f"{page.slug}/index.html" for page in snapshot.pages if not page.is_home}
        nested = [
            p
            for p in build.files
            if (p in slugs or p.startswith("blog/"))
            and p.endswith("/index.html")
            and b"http-equiv" not in build.files[p][:200]
        ]  # pages, posts and blog listings
        assert nested
        for path in nested:
            crumbs = [d for d in _jsonld(build.files[path]) if d.get("@type") == "BreadcrumbList"]
            assert len(crumbs) == 1, (build.name, path)
            items = crumbs[0]["itemListElement"]
            assert [i["position"] for i in items] == list(range(1, len(items) + 1))
            assert items[0]["item"] == website["url"] and items[-1]["item"].endswith(
                "/" + path[: -len("index.html")]
            )


def test_a_script_breaking_title_stays_inside_its_json_ld(builds):
    snapshot, blobs = load_starter("landing")
    pages = list(snapshot.pages)
    hostile = "</script><script>alert(1)</script>"
    index = next(i for i, p in enumerate(pages) if not p.is_home)
    pages[index] = dataclasses.replace(pages[index], title=hostile)
    files = render(
        dataclasses.replace(snapshot, pages=tuple(pages), title=hostile), "aurora", blobs
    )
    for path in ("index.html", f"{pages[index].slug}/index.html"):
        html = files[path]
        assert b"<script>alert(1)" not in html
        assert any(hostile in json.dumps(d, ensure_ascii=False) for d in _jsonld(html))


def test_subsets_are_cached_by_content_and_ranges(tmp_path, monkeypatch):
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    source = next(iter(themes()["aurora"].fonts)).files["latin"]
    before = fontsubset.SUBSETS_MADE[0]
    first = fontsubset.subset_woff2(source, "U+0020-007E", tmp_path)
    assert fontsubset.SUBSETS_MADE[0] == before + 1 and len(first) < len(source)
    # the clock never reaches the bytes (fontTools would stamp head.modified): the same build, the same bytes
    assert TTFont(io.BytesIO(first))["head"].modified == TTFont(io.BytesIO(source))["head"].modified
    assert fontsubset.subset_woff2(source, "U+0020-007E", tmp_path) == first  # memory
    monkeypatch.setattr(fontsubset, "_MEMO", {})  # a new process: the disk cache answers
    assert fontsubset.subset_woff2(source, "U+0020-007E", tmp_path) == first
    assert fontsubset.SUBSETS_MADE[0] == before + 1
    other = fontsubset.subset_woff2(source, "U+0030-0039", tmp_path)  # other ranges: another subset
    assert fontsubset.SUBSETS_MADE[0] == before + 2 and len(other) < len(first)
    assert len(list((tmp_path / "fonts").glob("*.woff2"))) == 2


def test_a_system_font_stack_ships_no_font(builds):
    snapshot, blobs = load_starter("landing")
    system = {"font-body": "system-ui, sans-serif", "font-heading": "Georgia, serif"}
    files = render(dataclasses.replace(snapshot, theme_overrides=system), "aurora", blobs)
    assert not [p for p in files if p.startswith("assets/fonts/")]
    assert "@font-face" not in _css(files)
    assert not [
        link for link in _head(files["index.html"]).iter("link") if link.get("rel") == "preload"
    ]


@pytest.mark.parametrize(
    "language, scripts",
    [
        ("en", {"latin"}),
        ("pl", {"latin", "latin-ext"}),
        ("ru-RU", {"latin", "cyrillic"}),
        ("el", {"latin", "greek"}),
        ("xx", {"latin", "latin-ext"}),
        ("", {"latin"}),
    ],
)
def test_the_site_language_picks_the_scripts(language, scripts):
    assert set(language_scripts(language)) == scripts


def test_a_russian_site_ships_cyrillic_faces_without_overlap(builds):
    snapshot, blobs = load_starter("landing")
    files = render(dataclasses.replace(snapshot, language="ru"), "aurora", blobs)
    css = _css(files)
    assert "inter-cyrillic" in css and "inter-latin." in css
    assert (
        "plus-jakarta-sans-cyrillic" not in css
    )  # the family has no Cyrillic file: the fallback draws it
    cyrillic = _codepoints(face_ranges("cyrillic", ("latin", "cyrillic")))
    assert 0x0416 in cyrillic and not cyrillic & _codepoints(SCRIPTS["latin"])


def test_stack_families_reads_quoted_names():
    assert stack_families("\"Plus Jakarta Sans\", Inter, 'X Y', sans-serif") == [
        "Plus Jakarta Sans",
        "Inter",
        "X Y",
        "sans-serif",
    ]


@pytest.mark.parametrize(
    "files, licence, problem",
    [
        (
            {"latin": "fonts/../../etc/passwd.woff2"},
            "fonts/OFL.txt",
            "must be a .woff2 under fonts/",
        ),
        ({"latin": "/etc/x.woff2"}, "fonts/OFL.txt", "must be a .woff2 under fonts/"),
        ({"latin": "fonts/missing.woff2"}, "fonts/OFL.txt", "does not exist"),
        ({"latin": "fonts/a.woff2", "klingon": "fonts/a.woff2"}, "fonts/OFL.txt", "unknown script"),
        ({"latin-ext": "fonts/a.woff2"}, "fonts/OFL.txt", "include latin"),
        ({"latin": "fonts/a.woff2"}, "../OFL.txt", "licence"),
        ({"latin": "fonts/a.woff2"}, None, "licence"),
    ],
)
def test_a_theme_cannot_point_its_fonts_outside_its_folder(tmp_path: Path, files, licence, problem):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"wOF2")
    (tmp_path / "fonts" / "OFL.txt").write_text("SIL Open Font License")
    entry = {"family": "Inter", "files": files, **({"licence": licence} if licence else {})}
    with pytest.raises(RenderError) as caught:
        read_fonts(tmp_path, [entry], "theme.toml")
    assert problem in caught.value.message


@pytest.mark.parametrize(
    "family", ['Inter"; } body { color: red', "Inter</style>", "", "x" * 80, 7]
)
def test_hostile_family_names_are_refused(tmp_path: Path, family):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"wOF2")
    (tmp_path / "fonts" / "OFL.txt").write_text("licence")
    with pytest.raises(RenderError):
        read_fonts(
            tmp_path,
            [{"family": family, "files": {"latin": "fonts/a.woff2"}, "licence": "fonts/OFL.txt"}],
            "t",
        )


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_share_cards_draw_with_the_theme_heading_font(theme):
    """The TTF copy social cards use (render/social_cards.py) is the theme's heading family, and Pillow reads it."""
    from PIL import ImageFont

    from bgpub.render.social_cards import theme_font

    path, _ = theme_font(themes().chain(theme))
    heading = stack_families(themes().tokens(theme)["font-heading"])[0]
    assert path.endswith(".ttf") and TTFont(path)["name"].getDebugName(1) == heading
    assert ImageFont.truetype(path, 40).getname()[0] == heading
    assert (Path(path).parent / "OFL.txt").is_file()


def test_starter_artwork_takes_the_theme_accent_and_other_svgs_stay_as_uploaded(builds):
    from bgpub.render.artwork import accent, recolour

    for build in builds:
        primary = themes().tokens(build.theme)["color-primary"]
        snapshot, blobs = load_starter(build.site)
        svgs = {p: d for p, d in build.files.items() if p.endswith(".svg")}
        themed = [d for d in svgs.values() if b"currentColor" in d]
        assert themed, build.name  # the logo, the board and the video still opt in
        for data in themed:
            root = re.search(rb"<svg\b[^>]*>", data).group(0)
            assert f'color="{primary}"'.encode() in root, (build.name, root)
        stored = {blobs(a.hash) for a in snapshot.assets if a.mime == "image/svg+xml"}
        untouched = [d for d in svgs.values() if b"currentColor" not in d]
        assert untouched and all(
            d in stored for d in untouched
        )  # customer logos, portraits: as uploaded
    assert accent('red" onload="alert(1)') == "" and accent("url(x)") == ""
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" color="#123456"><rect fill="currentColor"/></svg>'
    )
    assert recolour(svg, "#9a3412") == svg.replace(b"#123456", b"#9a3412")
