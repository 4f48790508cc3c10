"""One slug rule: what the services accept as a page's slug is exactly what the renderer renders."""

from __future__ import annotations

import pytest

from bgpub.domain.slugs import RESERVED_PAGE_SLUGS, is_page_slug, is_reserved_page_slug, is_slug
from bgpub.errors import InvalidInput, RenderError
from bgpub.render.plan import check_slug
from bgpub.services import validation

SLUGS = [
    "about",
    "about-us",
    "2024",
    "legal/terms",
    "guides/setup/linux",
    "a" * 200,
    # refused by both
    "",
    "About",
    "a--b",
    "-a",
    "a-",
    "a b",
    "a/",
    "/a",
    "a//b",
    "a/../b",
    "..",
    "a\n",
    "\nabout",
    "ü",
    "a" * 201,
    "x" * 100_000,
    "a\x00b",
    "café",
    "a_b",
    "a.b",
    *sorted(RESERVED_PAGE_SLUGS),
    "assets/logo",
    "blog/post",
]


@pytest.mark.parametrize("slug", SLUGS, ids=lambda s: s[:20] or "empty")
def test_services_and_renderer_agree_on_page_slugs(slug: str) -> None:
    try:
        validation.page_slug(slug)
        accepted = True
    except InvalidInput:
        accepted = False
    try:
        check_slug(slug, "page x")
        rendered = True
    except RenderError:
        rendered = False
    assert accepted == rendered == (is_page_slug(slug) and not is_reserved_page_slug(slug))


@pytest.mark.parametrize("value", [None, 3, b"about", ["about"]])
def test_non_strings_are_refused_everywhere(value: object) -> None:
    assert not is_page_slug(value) and not is_slug(value)
    with pytest.raises(InvalidInput):
        validation.page_slug(value)
    with pytest.raises(RenderError):
        check_slug(value, "page x")  # type: ignore[arg-type]


def test_a_post_slug_is_one_segment() -> None:
    check_slug("hello-world", "post x", page=False)
    with pytest.raises(RenderError, match="not a safe path"):
        check_slug("2024/hello", "post x", page=False)
