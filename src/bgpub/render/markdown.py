"""CommonMark via cmark (cmarkgfm's C bindings) in safe mode, links filtered, cached by the source's hash.

cmark's safe mode omits raw HTML and empties `javascript:`/`vbscript:`/`file:`/`data:` targets; on top
of that, every link and image target must pass the same check as `url` props (http(s), mailto:, tel:,
`#anchor`, site-relative `/x/`): a link that fails keeps only its text, an image only its alt text.
Site-relative targets get the site's base path. The HTML cmark writes is well-formed and escapes every
`<` of the text, so its `<a href="...">` and `<img src="...">` tags are exactly the links and images
of the source (links cannot nest), which is what lets a regular expression filter them.
"""

from __future__ import annotations

import ctypes
import hashlib
import html
import re
from collections.abc import Mapping

from cmarkgfm import _cmark
from markupsafe import Markup

from bgpub.domain.urls import is_safe_url

_LIB = _cmark.lib
_FFI = _cmark.ffi
_FREE = ctypes.CDLL(None).free  # cmark allocates with the C library's malloc
_FREE.argtypes = (ctypes.c_void_p,)
_FREE.restype = None
_LINK = re.compile(r'<a href="([^"]*)"((?: title="[^"]*")?)>(.*?)</a>', re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"((?: title="[^"]*")?) />')
CMARK_VERSION = _FFI.string(_LIB.cmark_version_string()).decode()  # the C library decides the bytes


def _cmark_html(text: str) -> str:
    """cmark_markdown_to_html in safe mode (options 0), freeing the C string (the binding's own
    `markdown_to_html` never frees it: ~2 KB lost per call)."""
    data = text.encode("utf-8")
    raw = _LIB.cmark_markdown_to_html(data, len(data), 0)
    try:
        html: str = _FFI.string(raw).decode("utf-8")
        return html
    finally:
        _FREE(int(_FFI.cast("uintptr_t", raw)))


def _target(escaped: str, prefix: str) -> str | None:
    """The href/src to write for a target as cmark escaped it, or None when the policy refuses it."""
    if not is_safe_url(html.unescape(escaped)):
        return None
    if prefix and escaped.startswith("/") and not escaped.startswith("//"):
        return prefix + escaped
    return escaped


def convert(text: str, prefix: str = "") -> str:
    """Markdown -> HTML with the link policy applied; `prefix` is the base path (`/docs`) or ""."""
    out = _cmark_html(text)
    if "<a href=" in out:

        def link(match: re.Match[str]) -> str:
            target = _target(match.group(1), prefix)
            if target is None:
                return str(match.group(3))  # the link's text, unlinked
            return f'<a href="{target}"{match.group(2)}>{match.group(3)}</a>'

        out = _LINK.sub(link, out)
    if "<img src=" in out:

        def image(match: re.Match[str]) -> str:
            target = _target(match.group(1), prefix)
            if target is None:
                return str(match.group(2))  # the alt text (already escaped)
            return f'<img src="{target}" alt="{match.group(2)}"{match.group(3)} />'

        out = _IMAGE.sub(image, out)
    return out


_SALT = f"cmarkgfm {CMARK_VERSION}, bgpub 2\0".encode()  # a new converter, new keys


def source_key(text: str) -> str:
    """The cache key of a Markdown source: sha256 of the converter version and the text (32 hex digits)."""
    return hashlib.sha256(_SALT + text.encode("utf-8")).hexdigest()[:32]


class MarkdownRenderer:
    """Renders Markdown to safe HTML; remembers each source's HTML by hash so unchanged text is free."""

    def __init__(self, cache: Mapping[str, str] | None = None):
        self._cache: dict[str, str] = dict(cache or {})
        self._by_text: dict[str, Markup] = {}
        self.new: dict[str, str] = {}  # entries added since the cache was last saved
        self.misses = 0

    def preload(self, entries: Mapping[str, str], new: bool = False) -> None:
        """Adds hash -> HTML entries: a saved cache, or (`new=True`) what worker processes rendered."""
        for key, value in entries.items():
            if isinstance(key, str) and isinstance(value, str) and key not in self._cache:
                self._cache[key] = value
                if new:
                    self.new[key] = value

    def render(self, text: str, prefix: str = "") -> Markup:
        """HTML for `text`; raw HTML in the source is omitted, unsafe links are left unlinked.

        `prefix` is the site's base path (`/docs`), put before site-relative link targets.
        """
        source = prefix + "\0" + text if prefix else text
        hit = self._by_text.get(source)
        if hit is not None:
            return hit
        key = source_key(source)
        out = self._cache.get(key)
        if out is None:
            out = convert(text, prefix)
            self._cache[key] = out
            self.new[key] = out
            self.misses += 1
        markup = Markup(out)
        if len(self._by_text) < 200_000:
            self._by_text[source] = markup
        return markup

    def mark(self) -> int:
        """A point to `forget_since` (how many sources are remembered by text)."""
        return len(self._by_text)

    def forget_since(self, mark: int) -> None:
        """Forgets the entries added since `mark` and `new` was last cleared: a render worker has
        handed them to its parent and keeps none (kept, they were ~0.2 GB a worker at 100,000
        pages, issue 18); a text seen again is converted again, to the same HTML."""
        for key in self.new:
            self._cache.pop(key, None)
        self.new.clear()
        for _ in range(len(self._by_text) - mark):
            self._by_text.popitem()  # the newest first: those remembered since `mark`

    def __len__(self) -> int:
        return len(self._cache)

    def entries(self) -> dict[str, str]:
        """The hash -> HTML cache, to persist between processes."""
        return dict(self._cache)


_DEFAULT: MarkdownRenderer | None = None


def render_markdown(text: str) -> Markup:
    """Module-level convenience over one shared `MarkdownRenderer`."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MarkdownRenderer()
    return _DEFAULT.render(text)
