"""Planning share cards again for the same site reuses the last plan's cards (a republish after a
one-page edit must not rebuild 10,000 jobs): the reused cards are exactly what a fresh plan makes."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from images_support import REPOSITORY

from bgpub.render import site_images
from bgpub.render.site_images import SiteImages
from bgpub.snapshot import ProjectSnapshot


class _Theme:
    def __init__(self, name: str):
        self.directory = REPOSITORY / "themes" / name


def _snapshot(titles: list[str], site: str = "Slow Miles") -> ProjectSnapshot:
    pages = ",".join(f'{{"slug":"p{i}","title":"{t}","blocks":[]}}' for i, t in enumerate(titles))
    return ProjectSnapshot.from_json(f'{{"name":"x","title":"{site}","pages":[{pages}]}}'.encode())


def _cards(snap: ProjectSnapshot, theme: str = "aurora") -> dict[str, object]:
    name, _, background = theme.partition("+")  # "aurora+#102030": the theme with its bg overridden
    chain = [_Theme(name)]
    tokens = tomllib.loads((Path(chain[0].directory) / "theme.toml").read_text("utf-8"))["tokens"]
    tokens |= {"color-bg": background} if background else {}
    images = SiteImages(snap, chain, tokens, lambda u: u, "project x")
    urls = [images.card(p.slug, p.title) for p in snap.pages]
    return {url: images.jobs[url.lstrip("/")] for url in urls}


def _fresh(snap: ProjectSnapshot, theme: str = "aurora") -> dict[str, object]:
    site_images._CARDS[:] = [None, {}]
    return _cards(snap, theme)


@pytest.mark.parametrize(
    "change",
    [
        lambda titles: (titles[:1] + ["An edited title"] + titles[2:], "Slow Miles", "aurora"),
        lambda titles: (titles, "A renamed site", "aurora"),
        lambda titles: (titles, "Slow Miles", "midnight"),
        lambda titles: (titles, "Slow Miles", "aurora+#102030"),
        lambda titles: (titles[:2], "Slow Miles", "aurora"),
    ],
    ids=["page title", "site name", "theme colours and font", "a colour override", "page removed"],
)
def test_reused_cards_equal_a_fresh_plan_after_any_change(change):
    titles = [f"Page number {i}" for i in range(5)]
    _fresh(_snapshot(titles))  # the last plan, remembered
    new_titles, site, theme = change(titles)
    snap = _snapshot(new_titles, site)
    reused = _cards(snap, theme)
    fresh = _fresh(snap, theme)
    assert reused == fresh
    assert [job.key for job in reused.values()] == [job.key for job in fresh.values()]


def test_an_unchanged_page_keeps_its_card_and_an_edited_one_gets_a_new_one():
    titles = [f"Page number {i}" for i in range(3)]
    before = list(_fresh(_snapshot(titles)))
    after = list(_cards(_snapshot(["Page number 0", "Edited", "Page number 2"])))
    assert before[0] == after[0] and before[2] == after[2]
    assert before[1] != after[1] and after[1].startswith("/assets/social/p1.")


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(site_images, "MAX_REMEMBERED_CARDS", 3)
    _fresh(_snapshot(["a", "b", "c"]))
    _cards(_snapshot(["d", "e", "f"]))  # the same site: remembered beside the first three
    assert len(site_images._CARDS[1]) <= 6
    _cards(_snapshot(["g"]))  # over the bound: the memo starts again
    assert len(site_images._CARDS[1]) == 1


def test_a_site_with_more_pages_than_the_bound_keeps_its_cards(monkeypatch):
    """The bound never falls below twice the site's cards: planned again, a site larger than it
    reuses every card instead of planning them all anew (each save of a 100,000-page preview)."""
    monkeypatch.setattr(site_images, "MAX_REMEMBERED_CARDS", 3)
    titles = [f"Page {i}" for i in range(8)]
    first = _fresh(_snapshot(titles))
    remembered = dict(site_images._CARDS[1])
    again = _cards(_snapshot(titles))
    assert again == first
    assert all(site_images._CARDS[1][k] is v for k, v in remembered.items())
