"""The shipped fonts as a browser sees them: every family a theme names loads (`document.fonts`), a page
loads at most 100 KB of fonts, and each starter in each theme is photographed at 1366 and 390 px.

Screenshots go to BGPUB_SCREENSHOT_DIR when set (.ci/run keeps them as artefacts), else to pytest's
temporary folder.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from output_support import FONT_BUDGET
from PIL import Image, ImageStat

# The design's families per theme: the first name of its font-body and font-heading stacks
FAMILIES = {
    "aurora": {"Inter", "Plus Jakarta Sans"},
    "midnight": {"IBM Plex Sans", "JetBrains Mono"},
    "terracotta": {"Inter", "Fraunces"},
}
LOADED = """async () => { await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/["']/g, '')); }"""
CHECK = """families => families.filter(f => !document.fonts.check(`16px "${f}"`))"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("BGPUB_SCREENSHOT_DIR")
    target = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_every_named_family_loads_within_the_budget_and_shows_in_screenshots(
    browser, builds, shots
):
    from output_support import Origins

    problems = []
    for width in (1366, 390):
        origins = Origins(builds)
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.route("**/*", origins)
        page = context.new_page()
        fonts: list[tuple[str, int]] = []
        page.on(
            "response",
            lambda r, seen=fonts: (
                seen.append((r.url, len(r.body()))) if r.url.endswith(".woff2") else None
            ),
        )
        for build in builds:
            for url in ["/"] + [u for u in build.pages() if u != "/"][:2]:
                fonts.clear()
                page.goto(build.origin + url, wait_until="load")
                loaded = set(page.evaluate(LOADED))
                wanted = FAMILIES[build.theme]
                if not wanted <= loaded:
                    problems.append(
                        f"{build.name}{url} {width}px: {sorted(wanted - loaded)} not loaded"
                    )
                if unusable := page.evaluate(CHECK, sorted(wanted)):
                    problems.append(
                        f"{build.name}{url} {width}px: document.fonts.check fails for {unusable}"
                    )
                total = sum(size for _, size in fonts)
                if total > FONT_BUDGET:
                    problems.append(f"{build.name}{url} {width}px: {total} bytes of fonts {fonts}")
                if not fonts:
                    problems.append(f"{build.name}{url} {width}px: no font was requested")
                if url == "/":
                    png = page.screenshot(full_page=True)
                    (shots / f"{build.name}-{width}.png").write_bytes(png)
                    image = Image.open(io.BytesIO(png)).convert("L")
                    assert image.width == width and ImageStat.Stat(image).stddev[0] > 10, build.name
        assert not origins.outside, origins.outside[:3]
        context.close()
    assert not problems, "\n".join(problems)
    assert len(list(shots.glob("*.png"))) >= len(builds) * 2


ITALIC_FACES = """async () => { await document.fonts.ready;
  return [...document.fonts].filter(f => f.status === 'loaded' && f.style === 'italic')
    .map(f => [f.family.replace(/["']/g, ''), f.weight]); }"""
EM_STYLE = """() => [...document.querySelectorAll('em')].map(e => getComputedStyle(e).fontStyle)"""
CONTROL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>italics</title>'
    '<link rel="stylesheet" href="/{css}"></head><body><main><h2><em>Heading italic</em></h2>'
    "<p>Upright <em>italic body</em> and <strong><em>bold italic</em></strong>.</p></main></body></html>"
)


def test_italic_text_uses_a_shipped_italic_face_not_a_synthesised_slant(browser, builds):
    """Every family a theme names ships 400 and 700 italics: the stylesheet declares them, the build
    writes their files, and Chromium loads them for <em> (body and headings, regular and bold); a real
    page with italic text still loads at most the font budget."""
    from output_support import Origins

    origins = Origins(builds)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.route("**/*", origins)
    page = context.new_page()
    fonts: list[int] = []
    page.on("response", lambda r: fonts.append(len(r.body())) if r.url.endswith(".woff2") else None)
    problems = []
    for build in builds:
        css_path = next(
            p for p in build.files if p.startswith("assets/style.") and p.endswith(".css")
        )
        css = build.files[css_path].decode("utf-8")
        for family in FAMILIES[build.theme]:
            for weight in ("400", "700"):
                rule = f'font-family:"{family}";font-style:italic;font-weight:{weight};'
                if rule not in css:
                    problems.append(f"{build.name}: no italic {weight} @font-face for {family}")
        italic_files = [p for p in build.files if p.endswith(".woff2") and "-italic." in p]
        if not italic_files or any(len(build.files[p]) < 1000 for p in italic_files):
            problems.append(f"{build.name}: italic WOFF2 files missing or empty")
        origins.extra[f"{build.name}.test/__italics__/"] = CONTROL.format(css=css_path).encode()
        page.goto(f"{build.origin}/__italics__/", wait_until="load")
        loaded = {(family, weight) for family, weight in page.evaluate(ITALIC_FACES)}
        body, heading = (stack_first(css, token) for token in ("--font-body", "--font-heading"))
        for wanted in ((body, "400"), (body, "700"), (heading, "700")):
            if wanted not in loaded:
                problems.append(f"{build.name}: italic face {wanted} not loaded ({sorted(loaded)})")
        real = next((u for u in build.pages() if b"<em>" in build.files[_file_of(u)]), None)
        if real is not None:
            fonts.clear()
            page.goto(build.origin + real, wait_until="load")
            if "italic" not in set(page.evaluate(EM_STYLE)) or not page.evaluate(ITALIC_FACES):
                problems.append(f"{build.name}{real}: <em> shows no loaded italic face")
            if sum(fonts) > FONT_BUDGET:
                problems.append(f"{build.name}{real}: {sum(fonts)} bytes of fonts")
    context.close()
    assert not origins.outside, origins.outside[:3]
    assert not problems, "\n".join(problems)


def stack_first(css: str, token: str) -> str:
    """The first family of a `--font-*` custom property in the built stylesheet."""
    import re

    value = re.search(re.escape(token) + r"\s*:\s*([^;}]+)", css)
    assert value is not None, token
    return value.group(1).split(",")[0].strip().strip("\"'")


def _file_of(url: str) -> str:
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path
