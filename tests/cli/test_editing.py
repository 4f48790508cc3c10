"""The scriptable editing commands: project, new, page, block, asset, library (positions count from 1)."""

import json

import pytest

from bgpub.db.models import AuditLog, Page, Project

MY_COMMANDS = {
    "project": ["list", "show", "set", "archive", "rm"],
    "new": [],
    "page": ["add", "list", "rm", "move", "set-home", "set"],
    "block": ["add", "set", "move", "duplicate", "rm", "list"],
    "asset": ["add", "list", "rm", "alt"],
    "library": ["sync", "list", "save", "rm"],
    "export": [],
    "import": [],
    "build": [],
}


def test_help_on_every_command(bgpub):
    for command, subcommands in MY_COMMANDS.items():
        for sub in [None, *subcommands]:
            args = [command] + ([sub] if sub else []) + ["--help"]
            result = bgpub(*args)
            assert result.code == 0, (args, result.err)
            assert "Usage:" in result.out


def ok(result):
    assert result.code == 0, result.err
    return result.out


def test_project_and_page_flow(bgpub):
    assert "created project demo" in ok(bgpub("new", "demo", "--title", "Demo"))
    for slug in ("home", "about", "contact"):
        ok(bgpub("page", "add", "demo", slug, "--title", slug.title()))
    ok(bgpub("page", "add", "demo", "pricing", "--title", "Pricing", "--at", "2"))
    ok(bgpub("page", "move", "demo", "contact", "1"))
    ok(bgpub("page", "set-home", "demo", "about"))
    ok(bgpub("page", "rm", "demo", "pricing", "--yes"))
    ok(bgpub("page", "set", "demo", "home", "--title", "Start", "--slug", "start", "--no-nav"))
    listed = json.loads(ok(bgpub("page", "list", "demo", "--json")))
    assert [(p["position"], p["slug"], p["home"], p["in_nav"]) for p in listed] == [
        (1, "contact", False, True),
        (2, "start", False, False),
        (3, "about", True, True),
    ]
    text = ok(bgpub("page", "list", "demo"))
    assert text.splitlines()[0].split()[:2] == ["1", "contact"]
    assert "demo" in ok(bgpub("project", "list"))
    ok(
        bgpub(
            "project",
            "set",
            "demo",
            "--theme",
            "midnight",
            "--token",
            "color-primary=#ff0066",
            "--setting",
            "footer_note=Hi",
        )
    )
    shown = ok(bgpub("project", "show", "demo"))
    assert "midnight" in shown and "#ff0066" in shown and "Hi" in shown
    ok(bgpub("project", "archive", "demo"))
    assert "demo" not in ok(bgpub("project", "list"))
    assert "demo" in ok(bgpub("project", "list", "--all"))
    ok(bgpub("project", "archive", "demo", "--undo"))
    ok(bgpub("project", "rm", "demo", "--yes"))
    assert Project.select().count() == 0


def test_page_noindex_flag(bgpub):
    ok(bgpub("new", "demo", "--title", "Demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    ok(bgpub("page", "add", "demo", "thanks", "--title", "Thanks"))
    assert "updated page thanks" in ok(bgpub("page", "set", "demo", "thanks", "--noindex"))
    assert (
        Page.get(Page.slug == "thanks").noindex is True
        and Page.get(Page.slug == "home").noindex is False
    )
    listed = json.loads(ok(bgpub("page", "list", "demo", "--json")))
    assert [(p["slug"], p["noindex"]) for p in listed] == [("home", False), ("thanks", True)]
    assert "(noindex)" in ok(bgpub("page", "list", "demo")).splitlines()[1]
    ok(bgpub("page", "set", "demo", "thanks", "--index"))
    assert Page.get(Page.slug == "thanks").noindex is False


def test_page_canonical_url_option(bgpub):
    """`--canonical-url` comes from the page-field registry; a bad address is one line, exit 2."""
    ok(bgpub("new", "demo", "--title", "Demo"))
    ok(bgpub("page", "add", "demo", "copy", "--title", "Copy"))
    assert "--canonical-url URL" in ok(bgpub("page", "set", "--help"))
    address = "https://original.example/post?id=7"
    ok(bgpub("page", "set", "demo", "copy", "--canonical-url", address))
    assert Page.get(Page.slug == "copy").canonical_url == address
    for bad in ("javascript:alert(1)", "/copy", "https://exa mple.com/"):
        refused = bgpub("page", "set", "demo", "copy", "--canonical-url", bad, "--title", "New")
        assert refused.code == 2 and refused.out == "", refused  # 2: bad input
        assert refused.err.startswith("error: ") and "canonical_url" in refused.err, refused.err
        assert len(refused.err.strip().splitlines()) == 1 and "Traceback" not in refused.err
    page = Page.get(Page.slug == "copy")
    assert (page.canonical_url, page.title) == (address, "Copy")  # nothing of a refused call
    ok(bgpub("page", "set", "demo", "copy", "--canonical-url", ""))
    assert Page.get(Page.slug == "copy").canonical_url == ""


def test_block_flow(bgpub):
    ok(bgpub("new", "demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    ok(
        bgpub(
            "block",
            "add",
            "demo",
            "home",
            "hero",
            "--prop",
            "heading=Hello world",
            "--prop",
            "text=Hi",
        )
    )
    ok(
        bgpub(
            "block",
            "add",
            "demo",
            "home",
            "counter",
            "--prop",
            "count=5",
            "--prop",
            "visible=false",
        )
    )
    ok(
        bgpub(
            "block",
            "add",
            "demo",
            "home",
            "features",
            "--at",
            "1",
            "--prop",
            'items=[{"name": "Fast", "body": "**yes**"}]',
        )
    )
    ok(bgpub("block", "set", "demo", "home", "2", "heading=Changed", "link=https://example.com"))
    ok(bgpub("block", "move", "demo", "home", "3", "1"))
    ok(bgpub("block", "duplicate", "demo", "home", "1"))
    ok(bgpub("block", "rm", "demo", "home", "2", "--yes"))
    blocks = json.loads(ok(bgpub("block", "list", "demo", "home", "--json")))
    assert [(b["position"], b["component"]) for b in blocks] == [
        (1, "counter"),
        (2, "features"),
        (3, "hero"),
    ]
    assert blocks[0]["props"] == {"count": 5, "visible": False}
    assert blocks[1]["props"] == {"items": [{"body": "**yes**", "name": "Fast"}]}
    assert blocks[2]["props"] == {"heading": "Changed", "link": "https://example.com", "text": "Hi"}
    lines = ok(bgpub("block", "list", "demo", "home")).splitlines()
    assert lines[2].split()[:3] == ["3", "hero", "Changed"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "block",
                "add",
                "demo",
                "home",
                "hero",
                "--prop",
                "heading=x",
                "--prop",
                "link=javascript:alert(1)",
            ],
            "error: project demo, page home, block 2 (hero), prop link: the URL scheme 'javascript' is not allowed",
        ),
        (
            ["block", "add", "demo", "home", "ghost"],
            "error: project demo, page home, component ghost: unknown",
        ),
        (
            ["block", "add", "demo", "home", "counter", "--prop", "count=lots"],
            "prop count: expected a number",
        ),
        (
            ["block", "add", "demo", "home", "features", "--prop", "items=[oops"],
            "prop items: a list prop is given",
        ),
        (["block", "set", "demo", "home", "1", "heading="], "prop heading: required prop is empty"),
        (["block", "set", "demo", "home", "7", "heading=x"], "no block 7: the page has 1 block"),
        (["block", "move", "demo", "home", "1", "0"], "Invalid value for 'TO'"),
        (["page", "add", "demo", "../x", "--title", "X"], "invalid slug '../x'"),
        (["page", "add", "demo", "home", "--title", "Again"], "already exists"),
        (["page", "move", "demo", "home", "5"], "position 5 is outside 1..1"),
        (["page", "rm", "demo", "ghost"], "no page 'ghost'"),
        (["project", "set", "demo", "--theme", "ghost"], "unknown theme 'ghost'"),
        (["new", "demo"], "already exists"),
        (["asset", "rm", "demo", "ghost.png"], "no asset 'ghost.png'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(bgpub, args, message):
    ok(bgpub("new", "demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    ok(bgpub("block", "add", "demo", "home", "hero", "--prop", "heading=Hi"))
    pages_before = [(p.slug, p.revision, p.blocks) for p in Page.select().order_by(Page.slug)]
    audits = AuditLog.select().count()
    result = bgpub(*args)
    assert result.code != 0
    assert message in result.err
    assert result.err.startswith("error:") and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert [
        (p.slug, p.revision, p.blocks) for p in Page.select().order_by(Page.slug)
    ] == pages_before
    assert AuditLog.select().count() == audits


def test_asset_flow(bgpub, tmp_path):
    from cli_support import png

    ok(bgpub("new", "demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    path = tmp_path / "Team Photo.png"
    path.write_bytes(png(6, 4))
    assert "added asset team-photo.png (image/png" in ok(
        bgpub("asset", "add", "demo", path, "--alt", "Our team")
    )
    listed = json.loads(ok(bgpub("asset", "list", "demo", "--json")))
    assert [(a["name"], a["width"], a["height"], a["alt"]) for a in listed] == [
        ("team-photo.png", 6, 4, "Our team")
    ]
    ok(
        bgpub(
            "block",
            "add",
            "demo",
            "home",
            "hero",
            "--prop",
            "heading=Hi",
            "--prop",
            "image=team-photo.png",
        )
    )
    refused = bgpub("asset", "rm", "demo", "team-photo.png", "--yes")
    assert refused.code != 0 and "still used by page home" in refused.err
    ok(bgpub("block", "set", "demo", "home", "1", "image="))
    ok(bgpub("asset", "rm", "demo", "team-photo.png", "--yes"))
    assert json.loads(ok(bgpub("asset", "list", "demo", "--json"))) == []
    bad = tmp_path / "fake.png"
    bad.write_text("hello")
    result = bgpub("asset", "add", "demo", bad)
    assert result.code != 0 and "unsupported file type" in result.err


def test_library_commands(bgpub):
    assert "3 added" in ok(bgpub("library", "sync"))
    assert "0 added, 0 updated, 3 unchanged" in ok(bgpub("library", "sync"))
    ok(
        bgpub(
            "library", "save", "tall-counter", "counter", "--default", "count=50", "--name", "Tall"
        )
    )
    entries = json.loads(ok(bgpub("library", "list", "--json")))
    assert [e["key"] for e in entries] == ["counter", "features", "hero", "tall-counter"]
    assert entries[-1]["defaults"] == {"count": 50}
    ok(bgpub("new", "demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    ok(bgpub("block", "add", "demo", "home", "tall-counter", "--prop", "visible=no"))
    refused = bgpub("library", "rm", "tall-counter", "--yes")
    assert refused.code != 0 and "still used by 1 page(s): demo/home" in refused.err
