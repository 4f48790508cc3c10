"""`bgpub page template save|list|rm` and `bgpub page add --template`: one line per outcome, errors as
`error: ...` with a non-zero exit and nothing written."""

from __future__ import annotations

import json

from bgpub.db.models import PageTemplate


def test_save_list_use_and_remove(bgpub):
    assert bgpub("new", "demo", "--title", "Demo").code == 0
    assert bgpub("page", "add", "demo", "pricing", "--title", "Pricing").code == 0
    assert bgpub("block", "add", "demo", "pricing", "hero", "--prop", "heading=Plans").code == 0

    saved = bgpub(
        "page", "template", "save", "demo", "pricing", "pricing-page", "--description", "Plans"
    )
    assert saved.code == 0, saved.err
    assert "saved page pricing as template pricing-page (1 blocks)" in saved.out

    listed = bgpub("page", "template", "list", "demo", "--json")
    rows = json.loads(listed.out)
    assert [(r["name"], r["blocks"], r["components"], r["source"]) for r in rows] == [
        ("pricing-page", 1, ["hero"], "demo/pricing")
    ]
    assert (
        "pricing-page  [1 blocks]  from demo/pricing  Plans"
        in bgpub("page", "template", "list", "demo").out
    )

    made = bgpub("page", "add", "demo", "prices", "--template", "pricing-page", "--at", "1")
    assert made.code == 0, made.err
    assert "added page prices at position 1 from template pricing-page (1 blocks)" in made.out
    pages = json.loads(bgpub("page", "list", "demo", "--json").out)
    assert [(p["slug"], p["title"], p["blocks"]) for p in pages][0] == ("prices", "Pricing", 1)

    gone = bgpub("page", "template", "rm", "demo", "pricing-page", "--yes")
    assert gone.code == 0 and "removed page template pricing-page" in gone.out
    assert "no page templates yet" in bgpub("page", "template", "list", "demo").out


def test_errors_are_one_line_and_write_nothing(bgpub):
    bgpub("new", "demo", "--title", "Demo")
    bgpub("page", "add", "demo", "home", "--title", "Home")
    bad = bgpub("page", "template", "save", "demo", "home", "Bad Name!")
    assert bad.code != 0 and bad.err.startswith("error: ") and "template name" in bad.err
    assert "Traceback" not in bad.err and PageTemplate.select().count() == 0
    missing = bgpub("page", "add", "demo", "x", "--template", "nope")
    assert missing.code != 0 and "no page template 'nope'" in missing.err
    no_title = bgpub("page", "add", "demo", "y")
    assert no_title.code != 0 and "--title" in no_title.err
    refused = bgpub("page", "template", "rm", "demo", "nope", "--yes")
    assert refused.code != 0 and "no page template" in refused.err
