"""Search across a project's content: every text in any block prop (list items too, at any depth),
page titles and SEO fields, shared sections and blog posts.

Matching runs in Python on the rows as stored, so SQLite and PostgreSQL answer alike: the query is
literal text (regex metacharacters are just characters), matched case-insensitively with Unicode
case folding on NFC-normalised text, so "É" finds "é" and a decomposed "é" finds a composed one.
A hit is one field (its first match), with the place (page, block, prop path) and a short excerpt
holding the match's span, so the editor can highlight it and jump to the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from bgpub.db.models import BlogPost, Page, Project, SharedSection, User
from bgpub.domain.search import PAGE, POST, SECTION, Path, SearchHit, SearchResults
from bgpub.errors import InvalidInput
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for

MAX_QUERY = 200  # characters: a search is a phrase, not a document
MAX_HITS = 500  # a list to scan, not an export; `truncated` says when more matched
EXCERPT = 36  # characters of context each side of the match


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def check_query(query: object, where: str) -> str:
    """The query, NFC-normalised and trimmed; empty, over-long or control-character queries refused."""
    if not isinstance(query, str):
        raise InvalidInput("the search text must be text", where=where, field="query")
    text = _normal(query).strip()
    if not text:
        raise InvalidInput("type something to search for", where=where, field="query")
    if len(text) > MAX_QUERY:
        raise InvalidInput(
            f"the search text is {len(text)} characters; at most {MAX_QUERY}",
            where=where,
            field="query",
        )
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidInput("the search text holds a control character", where=where, field="query")
    return text


def _excerpt(text: str, match: re.Match[str]) -> tuple[str, int, int]:
    """A window of `text` around the match, on one line, with "…" where it was cut."""
    start = max(0, match.start() - EXCERPT)
    end = min(len(text), match.end() + EXCERPT)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    window = text[start:end].replace("\r", " ").replace("\n", " ").replace("\t", " ")
    offset = len(head) - start
    return head + window + tail, match.start() + offset, match.end() + offset


def _strings(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string inside a prop value with its path (dict keys and 0-based list indexes)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


class _Search:
    def __init__(self, query: str) -> None:
        self.pattern = re.compile(re.escape(query), re.IGNORECASE)
        self.hits: list[SearchHit] = []
        self.truncated = False

    @property
    def full(self) -> bool:
        return len(self.hits) >= MAX_HITS

    def text(
        self,
        kind: str,
        owner: str,
        title: str,
        block: int | None,
        component: str,
        path: Path,
        value: str,
    ) -> None:
        if self.full:
            self.truncated = self.truncated or bool(self.pattern.search(_normal(value)))
            return
        normal = _normal(value)
        match = self.pattern.search(normal)
        if match is None:
            return
        excerpt, start, end = _excerpt(normal, match)
        self.hits.append(SearchHit(kind, owner, title, block, component, path, excerpt, start, end))

    def blocks(self, kind: str, owner: str, title: str, blocks: Any) -> None:
        for index, block in enumerate(blocks if isinstance(blocks, list) else []):
            if not isinstance(block, Mapping):
                continue
            component = str(block.get("component", ""))
            for path, value in _strings(block.get("props") or {}):
                self.text(kind, owner, title, index, component, path, value)


def search_content(actor: User, project: str | Project, query: str) -> SearchResults:
    """Every place in the project's pages, shared sections and posts holding `query`, in page order
    (pages, then sections by name, then posts newest first); a read, so any member may search."""
    found = project_for(actor, project, Action.READ)
    text = check_query(query, f"project {found.name}, search")
    search = _Search(text)
    pages = (
        Page.select(Page.slug, Page.title, Page.seo_title, Page.seo_description, Page.blocks)
        .where(Page.project == found)
        .order_by(Page.position, Page.slug)
    )
    for page in pages:
        for name in ("title", "seo_title", "seo_description"):
            search.text(PAGE, page.slug, page.title, None, "", (name,), getattr(page, name) or "")
        search.blocks(PAGE, page.slug, page.title, page.blocks)
    sections = (
        SharedSection.select(SharedSection.name, SharedSection.blocks)
        .where(SharedSection.project == found)
        .order_by(SharedSection.name)
    )
    for section in sections:
        search.blocks(SECTION, section.name, f"section {section.name}", section.blocks)
    posts = (
        BlogPost.select(BlogPost.slug, BlogPost.title, BlogPost.excerpt, BlogPost.body)
        .where(BlogPost.project == found)
        .order_by(BlogPost.created_at.desc(), BlogPost.slug)
    )
    for post in posts:
        for name in ("title", "excerpt", "body"):
            search.text(POST, post.slug, post.title, None, "", (name,), getattr(post, name) or "")
    return SearchResults(text, tuple(search.hits), search.truncated)
