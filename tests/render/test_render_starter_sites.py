"""Every starter site in sites/ renders in every theme: strict HTML5, no broken internal link, no script."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from render_reference import reference_render
from render_sitecheck import broken_links, parse_errors
from render_xss_check import executable_vectors

from bgpub.render import load_library, load_themes, render_site
from bgpub.render.paths import REPOSITORY_ROOT
from bgpub.snapshot import ProjectSnapshot

SITES = sorted(p.parent for p in (REPOSITORY_ROOT / "sites").glob("*/project.json"))


@pytest.fixture(scope="module")
def real():
    return load_library(), load_themes()


def _render(site: Path, theme: str | None, real, *, fresh: bool = True) -> dict[str, bytes]:
    """The site's files; not `fresh`: compiled templates and encoded images are the process's
    (`render_reference`), as for the checks of the output's HTML (determinism needs a new render)."""
    library, themes = real
    snapshot = ProjectSnapshot.from_json((site / "project.json").read_bytes())
    if theme:
        snapshot = replace(snapshot, theme=theme)
    render = render_site if fresh else reference_render
    return render(snapshot, library, themes, lambda digest: (site / "blobs" / digest).read_bytes())


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_starter_site_in_every_theme(site, real):
    for theme in real[1]:
        files = _render(site, theme, real, fresh=False)
        assert "index.html" in files and "404.html" in files and "sitemap.xml" in files
        for path, data in files.items():
            if path.endswith(".html"):
                assert parse_errors(data) == [], (theme, path)
                assert executable_vectors(data) == [], (theme, path)
        assert broken_links(files) == [], theme


@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_starter_site_renders_deterministically(site, real):
    assert _render(site, None, real) == _render(site, None, real)
