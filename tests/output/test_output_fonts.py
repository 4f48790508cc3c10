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
