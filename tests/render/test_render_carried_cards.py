"""A plan carries the last plan's page share cards over for the pages that are the same objects (a
running preview plans 100,000 on every save otherwise): what it carries equals what a plan made from
nothing gives, whatever else changed between the two plans, and only changed pages are planned."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bgpub.render import plan as plan_module
from bgpub.render.plan import BuildInfo, SitePlan
from bgpub.render.site_images import SiteImages


def _page(snap, i: int, **changes):
    pages = list(snap.pages)
    pages[i] = replace(pages[i], **changes)
    return replace(snap, pages=tuple(pages))


def _photo(snap):
    """A second raster asset (the logo's bytes under another name)."""
    return replace(snap, assets=(*snap.assets, replace(snap.assets[0], name="photo.png")))


EDITS = {
    "page title": lambda s: _page(s, 1, title="Renamed"),
    "page share title": lambda s: _page(s, 2, seo_title="Shared as"),
    "page share image": lambda s: _page(_photo(s), 1, social_image="photo.png"),
    "site share image dropped": lambda s: replace(s, settings={**s.settings, "seo_image": ""}),
    "site share image replaced": lambda s: replace(
        _photo(s), settings={**s.settings, "seo_image": "photo.png"}
    ),
    "site share image's bytes": lambda s: replace(
        s, assets=(replace(s.assets[0], width=640, height=480),)
    ),
    "site title": lambda s: replace(s, title="Another Site"),
    "base path": lambda s: replace(
        s, settings={**s.settings, "base_url": "https://demo.example.com/docs/"}
    ),
    "theme tokens": lambda s: replace(s, theme_overrides={"color-primary": "#123456"}),
    "home moved": lambda s: replace(
        s, pages=tuple(replace(p, is_home=(n == 1)) for n, p in enumerate(s.pages))
    ),
    "pages reordered": lambda s: replace(s, pages=(*s.pages[1:], s.pages[0])),
}


def _plan(snap, library, themes, blob_store) -> SitePlan:
    return SitePlan(snap, library, themes, blob_store, BuildInfo())


def _from_nothing(snap, library, themes, blob_store) -> SitePlan:
    plan_module._PAGE_CARDS[:] = [None, (), []]
    return _plan(snap, library, themes, blob_store)


@pytest.mark.parametrize("no_site_image", [False, True], ids=["site-image", "drawn"])
@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_carried_cards_equal_cards_planned_from_nothing(
    edit, no_site_image, library, themes, blob_store, make_snapshot
):
    before = make_snapshot()
    if no_site_image:  # pages then get drawn cards of their own, not the site's
        before = replace(before, settings={**before.settings, "seo_image": ""})
    after = EDITS[edit](before)
    _from_nothing(before, library, themes, blob_store)
    carried = _plan(after, library, themes, blob_store)
    fresh = _from_nothing(after, library, themes, blob_store)
    assert carried.page_cards == fresh.page_cards
    assert carried.site_card == fresh.site_card
    assert list(carried.images.jobs.items()) == list(fresh.images.jobs.items())


def test_only_the_pages_that_changed_are_planned_again(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    snap = make_snapshot(settings={"base_url": "https://demo.example.com"})  # drawn cards
    _from_nothing(snap, library, themes, blob_store)
    asked: list[str] = []
    original = SiteImages.card_parts

    def counted(self, slug, title, cover=None):
        asked.append(slug)
        return original(self, slug, title, cover)

    def pages_asked() -> list[str]:  # posts and products ask for theirs on every plan
        named = {"site", "home", *(p.slug for p in snap.pages)}
        return [slug for slug in asked if slug in named]

    monkeypatch.setattr(SiteImages, "card_parts", counted)
    _plan(_page(snap, 2, title="Only this one"), library, themes, blob_store)
    assert pages_asked() == ["site", snap.pages[2].slug]
    asked.clear()
    _from_nothing(snap, library, themes, blob_store)
    assert len(pages_asked()) == 1 + len(snap.pages)  # from nothing: every page's card
