"""The one slug rule: titles in any script become short ASCII URL segments, unique within a set."""

from __future__ import annotations

import pytest

from bgpub.domain.slugs import is_slug, slugify, unique_slug

TITLES = [
    ("Hello, World!", "hello-world"),
    ("Crème brûlée à Zürich", "creme-brulee-a-zurich"),
    ("Straße & Co", "strasse-and-co"),
    ("Ærøskøbing, Łódź", "aeroskobing-lodz"),
    ("  --Spaces   and---dashes--  ", "spaces-and-dashes"),
    ("Ｆｕｌｌｗｉｄｔｈ １２３", "fullwidth-123"),
    ("ﬁne ligatures", "fine-ligatures"),
    ("Ελληνικά", "post"),
    ("日本語のタイトル", "post"),
    ("\u202eevil\u202c name", "evil-name"),
    ("", "post"),
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_slugify_transliterates_to_a_valid_slug(title, expected):
    slug = slugify(title)
    assert slug == expected
    assert is_slug(slug)


@pytest.mark.parametrize("title", ["word " * 80, "a" * 500, "x-" * 300, "é" * 300])
def test_slugify_respects_the_maximum_length_and_cuts_at_a_word(title):
    slug = slugify(title, max_length=50)
    assert is_slug(slug, max_length=50) and len(slug) <= 50
    if " " in title:
        assert slug.endswith("word")


@pytest.mark.parametrize(
    "value", ["Hello", "a--b", "-a", "a-", "a b", "a/b", "", "ü", None, 3, "a\n"]
)
def test_is_slug_refuses_what_slugify_never_returns(value):
    assert not is_slug(value)


def test_unique_slug_counts_up_and_keeps_within_the_length():
    assert unique_slug("hello", set()) == "hello"
    assert unique_slug("hello", {"hello"}) == "hello-2"
    assert unique_slug("hello", {"hello", "hello-2", "hello-3"}) == "hello-4"
    long = "a" * 10
    assert unique_slug(long, {long}, max_length=10) == "aaaaaaaa-2"
