"""The renderer reads no environment variable: the pipeline's callers hand folders and worker counts in,
so the same snapshot renders the same bytes whatever the environment says."""

from __future__ import annotations

import re
from pathlib import Path

import bgpub.render
from bgpub.render import render_site
from bgpub.render.components import load_library
from bgpub.render.paths import REPOSITORY_ROOT
from bgpub.render.themes import load_themes

HOSTILE_ENV = {
    "BGPUB_COMPONENTS_PATH": "/nonexistent/components",
    "BGPUB_THEMES_PATH": "/nonexistent/themes",
    "BGPUB_RENDER_WORKERS": "64",
    "BGPUB_HOME": "/nonexistent/home",
    "TZ": "Pacific/Kiritimati",
    "LANG": "tr_TR.UTF-8",
    "LC_ALL": "tr_TR.UTF-8",
}


def test_render_output_does_not_change_with_the_environment(
    library, themes, blob_store, make_snapshot, monkeypatch
) -> None:
    snapshot = make_snapshot()
    before = render_site(snapshot, library, themes, blob_store)
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
    after = render_site(snapshot, library, themes, blob_store)
    assert sorted(after) == sorted(before)
    assert [p for p in before if before[p] != after[p]] == []


def test_the_renderer_default_folders_ignore_the_environment(monkeypatch) -> None:
    for name, value in HOSTILE_ENV.items():
        monkeypatch.setenv(name, value)
    assert load_library().keys() == load_library([REPOSITORY_ROOT / "components"]).keys()
    assert set(load_themes()) == set(load_themes([REPOSITORY_ROOT / "themes"]))


def test_no_render_module_reads_the_environment() -> None:
    reads = re.compile(r"os\.environ|getenv|environ\.get|from os import environ")
    found = [
        str(path.relative_to(REPOSITORY_ROOT))
        for path in Path(bgpub.render.__file__).parent.rglob("*.py")
        if reads.search(path.read_text("utf-8"))
    ]
    assert found == []
