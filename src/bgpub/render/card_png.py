"""Writing drawn share cards as PNG with zlib directly, compressing only the rows a card draws itself.

Every drawn card of a site shares most of its rows: the title sits in a band of ~170 rows, and the
rows above and below it (the accent bars, the rule, the site name) are the same in every card of the
site. A PNG's pixel data is one zlib stream of its filtered rows (a filter byte, then the row), so
the shared row ranges are deflated once per site, each ending on a byte boundary (`Z_SYNC_FLUSH`)
so that independently deflated parts concatenate into one stream, and a card deflates only its own
rows. The stream's Adler-32 is combined from the parts' checksums instead of re-reading the whole
image. Writing the chunks here also drops Pillow's per-save overhead (~40% of a card was its encoder).
"""

from __future__ import annotations

import functools
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# zlib-ng (python-zlib-ng): the same run-length deflate as zlib, byte for byte (its deflate_rle and
# block splitting are zlib's; tests/images/test_images_card_png.py compares the two on any bytes),
# in ~0.23 ms instead of ~0.40 ms for a corpus card's band, and Adler-32 in ~0.016 ms instead of
# ~0.050 ms (1,500 corpus titles, CPU time): about a quarter of a card
from zlib_ng import zlib_ng

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chosen by measurement when Pillow still encoded the cards (bench/social_cards_bench.py, levels 1-9
# and zlib's strategies): zlib's run-length strategy (Z_RLE, the same bytes at any level) encoded a
# palette card in ~2.9 ms to ~19.8 KB, against ~3.5 ms / 19.4 KB at level 3 and ~8 ms / 15.6 KB at
# level 6 with the default strategy (the RGB card at level 7 took ~25 ms for ~33 KB).
LEVEL, STRATEGY = 1, zlib.Z_RLE
# zlib's default memory level: ~5-10% faster than 9 on a card's rows (less state to set up per
# stream, as the run-length strategy uses no hash chains), for ~0.05% more bytes; smaller levels
# cut the deflate blocks shorter and cost time and bytes.
MEMORY = 8
# The rows every card of a site shares (the bars, the rule, the site name: ~480 of the 630 rows) are
# deflated once per process and range, so they can afford zlib's best: level 9 (default strategy,
# memory level 9) took ~70 ms in all for the 14 ranges 10,000 corpus cards met and made those rows
# 2,079 bytes a card instead of Z_RLE's 3,111 (~8% of a card); a card's own band stays Z_RLE level
# 1 (measured on the corpus titles, level 3 ~0.70 ms / 8.4 KB a band, level 6 ~1.8 ms / 7.5 KB,
# against ~0.48 ms / 9.0 KB; the Up and Sub row filters made the band no smaller).
SHARED_LEVEL, SHARED_STRATEGY, SHARED_MEMORY = 9, zlib.Z_DEFAULT_STRATEGY, 9
ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KB window, "fastest" level hint; 0x7801 % 31 == 0
FINAL_BLOCK = b"\x03\x00"  # an empty final fixed-Huffman block: what ends a raw deflate stream
ADLER_BASE = 65521
SEGMENTS_CACHED = 64  # per site: (start, end) ranges seen; a few dozen cover a whole build


@dataclass(frozen=True, slots=True)
class Deflated:
    """Raw deflate blocks of some bytes, none final, ending on a byte boundary, with their Adler-32
    and length: what is needed to splice them into a longer zlib stream."""

    data: bytes
    adler: int
    length: int


def deflate(raw: bytes | memoryview, *, shared: bool = False) -> Deflated:
    """`raw` as spliceable deflate blocks: a card's own rows fast (Z_RLE, level 1), rows that many
    cards share (`shared`, deflated once) as small as zlib makes them."""
    if shared:  # zlib's own level 9 (once per site; zlib-ng's level 9 matches differently)
        engine = zlib.compressobj(SHARED_LEVEL, zlib.DEFLATED, -15, SHARED_MEMORY, SHARED_STRATEGY)
        data = engine.compress(raw) + engine.flush(zlib.Z_SYNC_FLUSH)
    else:
        fast = zlib_ng.compressobj(LEVEL, zlib_ng.DEFLATED, -15, MEMORY, STRATEGY)
        data = fast.compress(raw) + fast.flush(zlib_ng.Z_SYNC_FLUSH)
    return Deflated(data, zlib_ng.adler32(raw), len(raw))


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of A + B from those of A and B and B's length (zlib's adler32_combine, which
    Python's zlib does not expose). With a = 1 + sum of bytes and b = sum of the running a's:
    a(AB) = a(A) + a(B) - 1 and b(AB) = b(A) + b(B) + len(B) * (a(A) - 1), modulo 65521."""
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % ADLER_BASE
    high = ((first >> 16) + (second >> 16) + second_length * ((first & 0xFFFF) - 1)) % ADLER_BASE
    return (high << 16) | low


def zlib_stream(parts: Iterable[Deflated]) -> bytes:
    """One zlib stream (header, the parts' blocks, a final empty block, Adler-32 of all they hold)."""
    adler, pieces = 1, [ZLIB_HEADER]
    for part in parts:
        if part.length:
            pieces.append(part.data)
            adler = adler32_combine(adler, part.adler, part.length)
    pieces += (FINAL_BLOCK, struct.pack(">I", adler))
    return b"".join(pieces)


def chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC-32 of type and data."""
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@functools.lru_cache(maxsize=64)
def _header(width: int, height: int, palette: tuple[int, ...]) -> bytes:
    """Signature, IHDR (8-bit palette, no interlace) and PLTE of a card: the same for a theme."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    return SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"PLTE", bytes(palette))


IEND = chunk(b"IEND", b"")


def palette_png(
    width: int, height: int, palette: tuple[int, ...], rows: Iterable[Deflated]
) -> bytes:
    """An 8-bit palette PNG of `rows` (deflated filtered rows, top to bottom, together `height`
    rows of a filter byte 0 and `width` indices) and `palette` (flat RGB, up to 256 entries).
    No tRNS, no timestamp or text chunks: the same pixels give the same bytes."""
    return _header(width, height, palette) + chunk(b"IDAT", zlib_stream(rows)) + IEND


class SharedRows:
    """The filtered rows of an image that many cards share except for a band of rows of their own;
    any range of them is deflated once and kept (cards of a site mostly meet the same few ranges)."""

    def __init__(self, filtered: bytes, stride: int) -> None:
        self.filtered = filtered  # rows of `stride` bytes: the filter byte 0, then the indices
        self.stride = stride
        self._ranges: dict[tuple[int, int], Deflated] = {}

    @property
    def height(self) -> int:
        return len(self.filtered) // self.stride

    def raw(self, start: int, end: int) -> bytes:
        """Rows start..end-1 as they are (filtered, not deflated)."""
        return self.filtered[start * self.stride : end * self.stride]

    def rows(self, start: int, end: int) -> Deflated:
        """Rows start..end-1, deflated (kept: the next card of the site likely needs them too)."""
        found = self._ranges.get((start, end))
        if found is None:
            if len(self._ranges) >= SEGMENTS_CACHED:
                self._ranges.clear()
            view = memoryview(self.filtered)[start * self.stride : end * self.stride]
            found = self._ranges[(start, end)] = deflate(view, shared=True)
        return found

    def around(self, start: int, end: int, own: bytes) -> Sequence[Deflated]:
        """The whole image's rows with rows start..end-1 replaced by `own` (filtered rows)."""
        return (self.rows(0, start), deflate(own), self.rows(end, self.height))
