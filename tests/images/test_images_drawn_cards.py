"""Drawn share cards planned from parts computed once per site (`DrawnCards`) are the very jobs
`card_job` makes, key included, whatever the title holds (quotes, escapes, other scripts, controls),
and the shortcut steps aside when its key would differ from `ImageJob.key`'s own formula."""

from __future__ import annotations

import pytest

from bgpub.render import site_images
from bgpub.render.site_images import DrawnCards
from bgpub.render.social_cards import card_job

TOKENS = {"color-bg": "#fffdf8", "color-text": "#111", "color-primary": "#4338ca"}
FONTS = [("", ""), ("/themes/x/fonts/Inter.ttf", "ab" * 32)]
TITLES = [
    "Home",
    "",
    'It\'s "quoted" \\ back',
    "Ünïcode — 日本語 🚲",
    "line\nbreak\x00nul\u202eoverride",
    "x" * 2000,
    "\x00title\x00",  # the marker the shortcut splits on, as a real title
]


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("site", ["Slow Miles", "It's a 'site'"])
def test_drawn_card_jobs_equal_card_job(site, font):
    cards = DrawnCards(site, TOKENS, font)
    for title in TITLES:
        fast, general = cards.job(title), card_job(title, site, TOKENS, font)
        assert fast == general and fast.files == general.files
        assert fast.key == general.key
        assert fast.key == card_job(title, site, TOKENS, font).__class__.key.func(general)


def test_a_changed_key_formula_turns_the_shortcut_off(monkeypatch):
    monkeypatch.setattr(site_images, "IMAGE_ENGINE", "another-engine")
    cards = DrawnCards("Site", TOKENS, FONTS[1])
    assert cards.job("Home").key == card_job("Home", "Site", TOKENS, FONTS[1]).key
