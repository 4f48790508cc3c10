"""The blog's fields of a snapshot: written only when set, read back exactly, refused when mistyped."""

from __future__ import annotations

import json

import pytest

from bgpub.errors import InvalidInput
from bgpub.snapshot import CommentSnapshot, PostSnapshot, ProjectSnapshot


def test_post_fields_round_trip_and_defaults_stay_out_of_the_json():
    post = PostSnapshot(
        slug="hello",
        title="Hello",
        date="2026-11-30",
        status="SCHEDULED",
        published_at="2026-12-24T09:00:00Z",
        updated_at="2026-12-25T10:00:00Z",
        aliases=("old-hello",),
        comments=(CommentSnapshot(author="Ada", body="<b>hi</b>", date="2026-12-24T10:00:00Z"),),
    )
    plain = PostSnapshot(slug="plain", title="Plain")
    snap = ProjectSnapshot(name="demo", posts=(post, plain), categories=("Guides",))
    raw = snap.to_json()
    assert ProjectSnapshot.from_json(raw) == snap
    data = json.loads(raw)
    assert set(data["posts"][1]) == {
        "slug",
        "title",
        "excerpt",
        "body",
        "date",
        "author",
        "category",
        "tags",
        "cover",
    }
    assert "categories" not in json.loads(ProjectSnapshot(name="x").to_json())


@pytest.mark.parametrize(
    "change",
    [
        {"aliases": "old"},
        {"comments": {"author": "a"}},
        {"comments": [{"author": "a", "body": "b", "date": "d", "extra": 1}]},
        {"comments": [{"author": "a"}]},
    ],
)
def test_mistyped_post_fields_are_refused(change):
    data = {"name": "demo", "posts": [{"slug": "p", "title": "P", **change}]}
    with pytest.raises(InvalidInput):
        ProjectSnapshot.from_dict(data)
