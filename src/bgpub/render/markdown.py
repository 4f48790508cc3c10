"""CommonMark via markdown-it-py with raw HTML off and link filtering, cached by the source's hash."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import markdown_it
from markdown_it import MarkdownIt
from markupsafe import Markup

from bgpub.render.markdown_fast import fast_markdown
from bgpub.render.urls import is_safe_url


def _parser(prefix: str = "") -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # Links and images go through the same check as url props: no javascript:, data:, vbscript:...
    md.validateLink = is_safe_url
    if prefix:  # site-relative links honour the base path, like the url() filter
        normalize = md.normalizeLink

        def normalize_link(url: str) -> str:
            url = normalize(url)
            return prefix + url if url.startswith("/") and not url.startswith("//") else url

        md.normalizeLink = normalize_link
    return md


_SALT = f"markdown-it-py {markdown_it.__version__}, bgpub 1\0".encode()  # a new parser, new keys


def source_key(text: str) -> str:
    """The cache key of a Markdown source: sha256 of the parser version and the text (32 hex digits)."""
    return hashlib.sha256(_SALT + text.encode("utf-8")).hexdigest()[:32]


class MarkdownRenderer:
    """Renders Markdown to safe HTML; remembers each source's HTML by hash so unchanged text is free."""

    def __init__(self, cache: Mapping[str, str] | None = None, fast: bool = True):
        self.fast = fast  # try `fast_markdown` first: same HTML as markdown-it-py for the plainest text
        self._parsers: dict[str, MarkdownIt] = {}
        self._cache: dict[str, str] = dict(cache or {})
        self._by_text: dict[str, Markup] = {}
        self.new: dict[str, str] = {}  # entries added since the cache was last saved
        self.misses = 0

    def preload(self, entries: Mapping[str, str], new: bool = False) -> None:
        """Adds hash -> HTML entries: a saved cache, or (`new=True`) what worker processes rendered."""
        for key, html in entries.items():
            if isinstance(key, str) and isinstance(html, str) and key not in self._cache:
                self._cache[key] = html
                if new:
                    self.new[key] = html

    def render(self, text: str, prefix: str = "") -> Markup:
        """HTML for `text`; raw HTML in the source is shown as text, unsafe links are left unlinked.

        `prefix` is the site's base path (`/docs`), put before site-relative link targets.
        """
        source = prefix + "\0" + text if prefix else text
        hit = self._by_text.get(source)
        if hit is not None:
            return hit
        key = source_key(source)
        html = self._cache.get(key)
        if html is None:
            html = fast_markdown(text) if self.fast else None  # it makes no site-relative links
            if html is None:
                parser = self._parsers.get(prefix)
                if parser is None:
                    parser = self._parsers[prefix] = _parser(prefix)
                html = parser.render(text)
            self._cache[key] = html
            self.new[key] = html
            self.misses += 1
        markup = Markup(html)
        if len(self._by_text) < 200_000:
            self._by_text[source] = markup
        return markup

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
