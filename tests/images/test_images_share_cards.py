"""Drawn share cards: a palette PNG with antialiased text that looks like Pillow's own RGB drawing,
the same bytes for the same input, and encoding spread over workers in batches."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from images_support import REPOSITORY, png
from PIL import Image, ImageChops, ImageDraw

from bgpub.render.card_drawing import card_font, draw_text
from bgpub.render.images import DRAWN_BATCH, ImageJob, job_batches, produce_group
from bgpub.render.social_cards import (
    HEIGHT,
    MARGIN,
    TITLE_LEADING,
    TITLE_SIZE,
    TITLE_TOP,
    WIDTH,
    _wrap,
    card_job,
    make_card,
    theme_font,
)

TITLE = "Twelve ways to keep a sourdough starter alive through August"


class _Theme:
    def __init__(self, name: str):
        self.directory = REPOSITORY / "themes" / name


def _job(title: str = TITLE, theme: str = "aurora", site: str = "Slow Miles") -> ImageJob:
    chain = [_Theme(theme)]
    tokens = tomllib.loads((Path(chain[0].directory) / "theme.toml").read_text("utf-8"))["tokens"]
    return card_job(title, site, tokens, theme_font(chain))


def _rgb(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT)
    return image.convert("RGB")


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_a_card_looks_like_pillows_own_rgb_drawing(theme):
    """The palette card's pixels match the title drawn by ImageDraw in RGB (what cards were before)
    within one level of rounding: same glyphs, same antialiasing, same place."""
    job = _job(theme=theme)
    params = dict(job.params)
    card = _rgb(make_card(job, None))
    font = card_font(dict(job.files).get(params["font"], ""), params["font"], TITLE_SIZE)
    reference = Image.new("RGB", (WIDTH, HEIGHT), params["background"])
    draw = ImageDraw.Draw(reference)
    draw.rectangle((0, 0, 24, HEIGHT), fill=params["primary"])
    lines = ["Twelve ways to keep a", "sourdough starter alive", "through August"]
    for n, line in enumerate(lines):  # how the card wraps this title at 1008 px
        draw.text((MARGIN, TITLE_TOP + n * TITLE_LEADING), line, fill=params["text"], font=font)
    title_area = (0, 0, WIDTH, HEIGHT - 160)
    difference = ImageChops.difference(card.crop(title_area), reference.crop(title_area))
    assert max(high for _, high in difference.getextrema()) <= 2
    # antialiased: many levels between the background and the text colour, not two
    assert len(card.crop(title_area).getcolors(maxcolors=4096) or ()) > 40


def test_the_card_is_a_small_palette_png_and_the_same_bytes_every_time():
    job = _job()
    first, second = make_card(job, None), make_card(_job(), None)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.mode == "P" and len(first) < 40_000
    assert set(image.info) <= {"transparency", "dpi"} and "transparency" not in image.info


def test_site_name_and_colours_come_from_the_job():
    aurora, midnight = _rgb(make_card(_job(), None)), _rgb(make_card(_job(theme="midnight"), None))
    assert aurora.getpixel((5, 5)) != midnight.getpixel((5, 5))  # the primary bar
    assert aurora.getpixel((WIDTH - 5, 5)) != midnight.getpixel((WIDTH - 5, 5))  # the background
    other_site = _rgb(make_card(_job(site="Another Site Entirely"), None))
    name_band = (MARGIN, HEIGHT - 140, WIDTH, HEIGHT)
    assert ImageChops.difference(aurora.crop(name_band), other_site.crop(name_band)).getbbox()


def test_long_titles_stop_at_three_lines_with_an_ellipsis():
    words = " ".join(
        f"word{n}" for n in range(5000)
    )  # a hostile title costs no more than a long one
    card = _rgb(make_card(_job(words), None))
    background = card.getpixel((WIDTH - 5, 5))
    below = card.crop((MARGIN, TITLE_TOP + 3 * TITLE_LEADING + 20, WIDTH, HEIGHT - 160))
    assert [colour for _, colour in below.getcolors()] == [background]  # nothing past line 3
    lines = _wrap(words, card_font("", "", TITLE_SIZE), WIDTH - 2 * MARGIN, 3)
    assert len(lines) == 3 and lines[-1].endswith("…") and lines[0].startswith("word0 word1")


def test_an_unbreakable_title_is_clipped_at_the_edge():
    canvas = Image.new("L", (300, 100))
    font = card_font("", "", 40)
    draw_text(canvas, (10, 10), "W" * 10_000, font, 127)
    assert canvas.getextrema() == (0, 127)


def test_drawn_cards_are_encoded_in_batches_and_crops_with_their_source():
    cards = [_job(f"Post {n}") for n in range(DRAWN_BATCH * 2 + 5)]
    cover = ImageJob("card", "a" * 64, "png", WIDTH, HEIGHT, 0, (("focus", (0.5, 0.5)),))
    batches = job_batches([*cards, cover, cards[0]])
    assert [len(jobs) for source, jobs in batches if not source] == [DRAWN_BATCH, DRAWN_BATCH, 5]
    assert [(source, len(jobs)) for source, jobs in batches if source] == [("a" * 64, 1)]


def test_a_cover_crop_is_still_an_rgb_photo_card():
    data = png(1600, 900, "#aa3300")
    job = ImageJob("card", "c" * 64, "png", WIDTH, HEIGHT, 0, (("focus", (0.5, 0.5)),))
    made = produce_group([job], data)[job.key]
    image = Image.open(io.BytesIO(made))
    assert image.mode == "RGB" and image.getpixel((600, 315)) == (170, 51, 0)
    assert made == produce_group([job], data)[job.key]
