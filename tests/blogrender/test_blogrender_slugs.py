"""Category and tag pages live at the slug the one slug module gives (the same as `bgpub category list`)."""

from __future__ import annotations

import pytest

from bgpub.domain import slugs
from bgpub.render.blog import term_slug


@pytest.mark.parametrize(
    "name", ["Guides", "Crème & Brûlée", "Straße", "C++ tips", "  spaced  out  "]
)
def test_term_pages_use_the_one_slug_rule(name):
    assert term_slug(name) == slugs.slugify(name, max_length=60)


@pytest.mark.parametrize("name", ["日本", "Ελλάδα", "!!!"])
def test_names_without_ascii_get_distinct_safe_segments(name):
    segment = term_slug(name)
    assert slugs.is_slug(segment) and segment.startswith("t-")
    assert len({term_slug(n) for n in ["日本", "Ελλάδα", "!!!"]}) == 3
