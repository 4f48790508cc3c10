"""Drawn share cards written by render/card_png: the same pixels and palette as the cards Pillow
encoded before (tests/images/card_reference.py), a valid PNG by a second, zlib-level reading, the
same bytes whatever order cards are made in, the same deflate bytes from zlib-ng as from zlib, and
the spliced zlib stream's checksum arithmetic."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from card_reference import reference_card, wrap
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from test_images_share_cards import _job, _Theme

from bgpub.render import card_drawing, social_cards
from bgpub.render.card_drawing import card_font, text_length
from bgpub.render.card_png import adler32_combine, deflate, zlib_stream
from bgpub.render.images import ImageJob
from bgpub.render.social_cards import HEIGHT, MARGIN, TITLE_SIZE, WIDTH, make_card

THEMES = ["aurora", "midnight", "terracotta", "pillow-default"]
HOSTILE = [
    "",
    " ",
    "     ",
    "\u202eevil\u202c right-to-left override \u2067isolate\u2069",
    "NUL\x00in\x00the\x00middle",
    "e\u0301\u0300\u0302\u0303 combining marks a\u20dd\u0489 z\u0336\u0336\u0336",
    "W" * 5000,
    " ".join(f"word{n}" for n in range(1000)),  # ~5,000 characters of words
    "Emoji 😀👍🏽👨‍👩‍👧 and flags 🇫🇷🇯🇵",
    "日本語のタイトルと中文标题과 한국어 제목",
    "\u2028line\u2029paragraph\r\n\tcontrol\x7f\x1b[31m",
    "AVAVAV To Ty Wa Yo ff fi fl",
    "...;;;,,, trailing punctuation cut off ;;; " * 40,
    "\ufeffBOM and \ud800 lone surrogate",
    "\u00a0\u2003non-breaking and em spaces\u3000",
]
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


def _card_job(title: str, theme: str, site: str = "Slow Miles") -> ImageJob:
    """A drawn card's job in a theme's colours and font, or in aurora's colours with Pillow's
    default font (a theme that ships no font)."""
    if theme != "pillow-default":
        return _job(title, theme, site)
    tokens = {"color-bg": "#fdfbf7", "color-text": "#1b2030", "color-primary": "#4338ca"}
    return social_cards.card_job(title, site, tokens, ("", ""))


def _same_pixels(job: ImageJob) -> None:
    made, before = make_card(job, None), reference_card(job)
    new, old = Image.open(io.BytesIO(made)), Image.open(io.BytesIO(before))
    assert (new.mode, new.size) == (old.mode, old.size) == ("P", (WIDTH, HEIGHT))
    assert new.tobytes() == old.tobytes()
    assert new.getpalette() == old.getpalette()
    assert set(new.info) <= {"dpi"}  # no transparency, no text or time chunks
    assert _read_png(made) == (new.tobytes(), bytes(new.getpalette() or ()))


def _read_png(data: bytes) -> tuple[bytes, bytes]:
    """(indices, palette) of an 8-bit palette PNG, read without Pillow: chunk CRCs checked, IDAT
    inflated by zlib (which checks the Adler-32), every row's filter byte 0 ("none")."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert (
        kinds[0] == b"IHDR"
        and kinds[-1] == b"IEND"
        and set(kinds)
        == {
            b"IHDR",
            b"PLTE",
            b"IDAT",
            b"IEND",
        }
    )
    width, height, depth, colour, *methods = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, colour, methods) == (WIDTH, HEIGHT, 8, 3, [0, 0, 0])
    inflater = zlib.decompressobj()
    raw = inflater.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert inflater.eof and not inflater.unused_data
    assert len(raw) == height * (width + 1)
    rows = [raw[y * (width + 1) : (y + 1) * (width + 1)] for y in range(height)]
    assert {row[0] for row in rows} == {0}
    return b"".join(row[1:] for row in rows), dict(chunks)[b"PLTE"]


@pytest.mark.parametrize("title", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("theme", THEMES)
def test_hostile_titles_give_the_same_pixels_as_before(theme, title):
    _same_pixels(_card_job(title, theme))


@pytest.mark.parametrize("site", ["", "   ", "\u200b\x00", "S" * 500, "日本語 😀 \u202eevil"])
def test_blank_or_hostile_site_names_give_the_same_pixels_as_before(site):
    """With nothing printable in the title nor the site name no row is inked: the card is the site
    layer's rows alone."""
    for theme in THEMES:
        _same_pixels(_card_job("", theme, site=site))
        _same_pixels(_card_job(HOSTILE[3], theme, site=site))


@SLOW
@given(title=st.text(max_size=300), theme=st.sampled_from(THEMES))
def test_any_title_gives_the_same_pixels_as_before(title, theme):
    _same_pixels(_card_job(title, theme))


@SLOW
@given(
    words=st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=14), max_size=40),
    theme=st.sampled_from(THEMES),
)
def test_titles_of_many_words_wrap_and_draw_as_before(words, theme):
    """Word-shaped titles exercise wrapping (two or three lines, the ellipsis) more than any text."""
    _same_pixels(_card_job(" ".join(words), theme, site=" ".join(reversed(words))[:40]))


@SLOW
@given(text=st.text(max_size=80), font=st.sampled_from(["aurora", "midnight", "", "terracotta"]))
def test_text_length_is_the_fonts_own_length(text, font):
    """Wrapping sums cached advances and kernings: exactly what basic layout's getlength returns."""
    path, digest = social_cards.theme_font([_Theme(font)]) if font else ("", "")
    face = card_font(path, digest, TITLE_SIZE)
    assert text_length(face, text) == face.getlength(text)
    width = WIDTH - 2 * MARGIN
    assert social_cards._wrap(text, face, width, 3) == wrap(text, face, width, 3)


def test_the_same_card_is_the_same_bytes_whatever_was_made_before():
    """Shared rows are deflated once and kept: a card's bytes must not depend on what the cache
    held, nor on the order cards are made in."""
    jobs = [_card_job(title, theme) for theme in THEMES for title in HOSTILE[:4] + ["A title"]]
    jobs += [_card_job(f"Post number {n} about bread", "aurora") for n in range(80)]
    first = [make_card(job, None) for job in jobs]
    social_cards._site_layer.cache_clear()
    card_drawing._glyph.cache_clear()
    again = [make_card(job, None) for job in reversed(jobs)]
    assert first == again[::-1]
    assert first[-1] == make_card(jobs[-1], None)


def _runs_of_extremes(rng: random.Random, size: int) -> bytes:
    """`size` bytes in up to four runs, each all zeros, all 0xFF (the sums' largest steps, where a
    modulo slip shows) or random, made at C speed (a byte-by-byte generator took ~10 s of the test)."""
    cuts = sorted(rng.randint(0, size) for _ in range(3))
    runs = []
    for start, end in zip([0, *cuts], [*cuts, size], strict=True):
        kind = rng.randrange(3)
        n = end - start
        runs.append(b"\x00" * n if kind == 0 else b"\xff" * n if kind == 1 else rng.randbytes(n))
    return b"".join(runs)


def test_adler32_combines_like_zlib_over_random_splits():
    rng = random.Random(18)
    for _ in range(300):
        size = rng.choice([0, 1, 2, 100, 5552, 65521, 200_000])
        data = _runs_of_extremes(rng, size)
        cut = rng.randint(0, size)
        head, tail = data[:cut], data[cut:]
        combined = adler32_combine(zlib.adler32(head), zlib.adler32(tail), len(tail))
        assert combined == zlib.adler32(data)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(parts=st.lists(st.binary(max_size=3000) | st.just(b"\xff" * 70_000), max_size=6))
def test_spliced_deflate_parts_are_one_zlib_stream(parts):
    """Independently deflated parts (sync-flushed, none final) concatenate into one stream."""
    stream = zlib_stream(deflate(part) for part in parts)
    inflater = zlib.decompressobj()
    assert inflater.decompress(stream) == b"".join(parts)
    assert inflater.eof and not inflater.unused_data
    assert zlib.decompress(stream) == b"".join(parts)


def test_the_final_block_is_what_zlib_ends_an_empty_raw_stream_with():
    from bgpub.render.card_png import FINAL_BLOCK, ZLIB_HEADER

    assert zlib.compressobj(1, zlib.DEFLATED, -15).flush() == FINAL_BLOCK
    assert int.from_bytes(ZLIB_HEADER, "big") % 31 == 0


def _stdlib_rle(raw: bytes) -> bytes:
    engine = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    return engine.compress(raw) + engine.flush(zlib.Z_SYNC_FLUSH)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    runs=st.lists(
        st.tuples(st.integers(0, 255), st.integers(1, 3000)) | st.binary(max_size=400),
        max_size=200,
    )
)
def test_a_cards_own_rows_deflate_to_the_bytes_stdlib_zlib_gives(runs):
    """card_png deflates a card's own rows with zlib-ng for speed: its run-length deflate must be
    stdlib zlib's byte for byte (a machine without zlib-ng, or a zlib-ng update, must not change a
    card's bytes), on run-heavy bytes as card rows are (blocks split past 16 K symbols) and any."""
    raw = b"".join(bytes([r[0]]) * r[1] if isinstance(r, tuple) else r for r in runs)
    assert deflate(raw).data == _stdlib_rle(raw)


def test_drawn_cards_bands_deflate_to_the_bytes_stdlib_zlib_gives():
    """The same on the rows real cards ink (titles of one to three lines, every theme's font)."""
    from bgpub.render.card_png import SharedRows

    seen: list[bytes] = []
    real = SharedRows.around

    def spy(self, start, end, own):
        seen.append(own)
        return real(self, start, end, own)

    SharedRows.around = spy
    try:
        for theme in THEMES:
            for title in ["A title", "Post number 7 about bread " * 6, HOSTILE[9], HOSTILE[6]]:
                make_card(_card_job(title, theme), None)
    finally:
        SharedRows.around = real
    assert len(seen) == 16
    assert all(deflate(own).data == _stdlib_rle(own) for own in seen)
