"""URL slugs: the one rule every layer checks and makes them by (pure, no I/O).

A slug is lower-case ASCII words and digits joined by single hyphens (`about-us`); a page's slug may
nest slugs with `/` (`legal/terms` sits under `legal`), and its first segment is never one of the
site's own files (`assets`, `blog`...). Services refuse what the renderer would refuse, with the
same rule; titles become slugs through `slugify`.

`slugify("Crème brûlée à Zürich")` gives `creme-brulee-a-zurich`: letters are decomposed (NFKD) and
their accents dropped; what has no ASCII form is dropped too, and a title with nothing left gets a
fallback word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

MAX_LENGTH = 200
PROJECT_NAME_MAX_LENGTH = 100  # a project's name is typed on the command line and names its folder
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*$")
# first path segments the site's own files use: a page there would overwrite or hide them
RESERVED_PAGE_SLUGS = frozenset({"assets", "blog", "404", "sitemap.xml", "robots.txt", "index"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not decompose into ASCII but that have a customary spelling.
_SPELLED = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ı": "i",
        "&": " and ",
    }
)


def slugify(text: str, *, max_length: int = MAX_LENGTH, fallback: str = "post") -> str:
    """Lower-case ASCII words joined by single hyphens, at most `max_length` characters, cut at a word."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_SPELLED))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = _NOT_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[1:] else slug[:max_length]
        slug = slug[:max_length].strip("-")
    return slug or fallback


def is_slug(value: object, *, max_length: int = MAX_LENGTH) -> bool:
    """Whether `value` is already a slug (what `slugify` could return)."""
    return (
        isinstance(value, str) and len(value) <= max_length and SLUG_RE.fullmatch(value) is not None
    )


def unique_slug(base: str, taken: Collection[str], *, max_length: int = MAX_LENGTH) -> str:
    """`base`, or `base-2`, `base-3`... : the first not in `taken` (shortened so the suffix fits)."""
    if base not in taken:
        return base
    counter = 2
    while True:
        suffix = f"-{counter}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        counter += 1


def is_page_slug(value: object, *, max_length: int = MAX_LENGTH) -> bool:
    """Whether `value` has a page slug's form: slugs joined by `/` (reserved names aside)."""
    return (
        isinstance(value, str)
        and len(value) <= max_length
        and PAGE_SLUG_RE.fullmatch(value) is not None
    )


def is_reserved_page_slug(value: str) -> bool:
    """Whether a page at `value` would collide with the site's own files (`assets/`, `blog/`...)."""
    return value.split("/", 1)[0] in RESERVED_PAGE_SLUGS
