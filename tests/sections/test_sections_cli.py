"""`bgpub section ...` and `bgpub page set --no-header` through Click in process: output, exit codes, and
one readable line (no traceback) for every refusal."""

from __future__ import annotations

import io
import json
import sys

import pytest

from bgpub.cli import main
from bgpub.db.models import Page, SharedSection


@pytest.fixture
def cli(db_target, capsys, monkeypatch):
    """Runs `bgpub ARGS...` through `bgpub.cli.main` in process: (exit code, stdout + stderr)."""

    def run(*args: str, stdin: str = "") -> tuple[int, str]:
        monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
        )
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        output = captured.out + captured.err
        assert "Traceback" not in output, output
        return code, output

    return run


def test_section_commands_end_to_end(cli, actor, site):
    code, out = cli("section", "list", "demo")
    assert code == 0 and "bgpub section lift demo" in out
    code, out = cli("section", "lift", "demo", "--dry-run")
    assert (
        code == 0
        and "would lift the navbar of 3 page(s) into the shared header; landing opt out" in out
    )
    assert not SharedSection.select().exists()
    assert cli("section", "lift", "demo")[0] == 0
    code, out = cli("section", "list", "demo", "--json")
    assert [(s["name"], s["pages"]) for s in json.loads(out)] == [
        ("footer", ["home", "about", "contact"]),
        ("header", ["home", "about", "contact"]),
    ]
    assert cli("section", "new", "demo", "offer")[0] == 0
    code, out = cli(
        "section", "add-block", "demo", "offer", "rich-text", "--prop", "body=*Half* price"
    )
    assert code == 0 and "1 block(s)" in out
    code, out = cli("section", "place", "demo", "offer", "--page", "about", "--at", "1")
    assert (code, out.strip()) == (0, "placed section offer as block 1 of page about")
    code, out = cli("section", "show", "demo", "offer", "--json")
    assert json.loads(out)["pages"] == ["about"]
    blocks = json.dumps([{"component": "navbar", "props": {"brand": "From stdin"}}])
    assert cli("section", "set", "demo", "header", "-", stdin=blocks)[0] == 0
    assert SharedSection.get(SharedSection.name == "header").blocks[0]["props"] == {
        "brand": "From stdin"
    }
    code, out = cli("page", "set", "demo", "about", "--no-header")
    assert code == 0 and Page.get(Page.slug == "about").show_header is False
    assert cli("section", "rename", "demo", "offer", "deal")[0] == 0
    assert Page.get(Page.slug == "about").blocks[0]["props"] == {"name": "deal"}


@pytest.mark.parametrize(
    "args, stdin, words",
    [
        (("section", "show", "demo", "ghost"), "", "no section 'ghost'"),
        (("section", "new", "demo", "bad\u202ename"), "", "U+202E"),
        (("section", "set", "demo", "header", "-"), "[{", "malformed JSON"),
        (
            ("section", "set", "demo", "header", "-"),
            '[{"component": "section", "props": {"name": "header"}}]',
            "would place itself (header -> header)",
        ),
        (
            ("section", "add-block", "demo", "header", "rich-text", "--prop", "width=huge"),
            "",
            "width",
        ),
        (("section", "place", "demo", "ghost", "--page", "about"), "", "no section 'ghost'"),
        (("section", "lift", "nowhere"), "", "nowhere"),
    ],
)
def test_refusals_are_one_line_and_non_zero(cli, actor, site, args, stdin, words):
    before = [(s.name, str(s.blocks)) for s in SharedSection.select()]
    code, out = cli(*args, stdin=stdin)
    assert code != 0 and words in out, out
    assert [(s.name, str(s.blocks)) for s in SharedSection.select()] == before


def test_deleting_a_placed_section_is_refused_naming_the_page(cli, actor, site):
    cli("section", "new", "demo", "offer")
    cli("section", "place", "demo", "offer", "--page", "contact")
    code, out = cli("section", "rm", "demo", "offer", "--yes")
    assert code != 0 and "page contact" in out
    assert cli("page", "set", "demo", "contact", "--title", "Contact us")[0] == 0
