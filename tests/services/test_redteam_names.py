"""Red team: a pattern anchored with `$` also matches before a final newline, so `match` let names
through with one; every single-line name, key and tag a service checks with a pattern is refused
with a line break at its end (or anywhere), and nothing is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from services_support import counts, png

from bgpub.errors import InvalidInput
from bgpub.services import (
    assets,
    blobs,
    importing,
    integrations,
    organizations,
    pages,
    posts,
    projects,
    targets,
    taxonomy,
    validation,
)

ENDINGS = ["\n", "\u2028"]


def _tail(ending: str) -> str:
    return ending.encode("unicode_escape").decode()


# entry point -> (call with a value, a valid value it is built from)
ENTRIES: dict[str, tuple[Callable[..., object], str]] = {
    "asset name": (
        lambda actor, tmp, value: assets.add_asset(actor, "demo", png(), name=value),
        "logo.png",
    ),
    "target name": (
        lambda actor, tmp, value: targets.add_target(
            actor, "demo", value, "dir", path=str(tmp / "mirror")
        ),
        "mirror",
    ),
    "integration config key": (
        lambda actor, tmp, value: integrations.add_integration(
            actor, "demo", "CUSTOM", "hooks", {value: "x"}
        ),
        "token",
    ),
    "project language": (
        lambda actor, tmp, value: projects.update_project(actor, "demo", language=value),
        "en",
    ),
    # names and titles shown one to a line in listings: a line break would forge a row
    "page title": (
        lambda actor, tmp, value: pages.add_page(actor, "demo", "fresh", value),
        "Fresh",
    ),
    "project title": (
        lambda actor, tmp, value: projects.update_project(actor, "demo", title=value),
        "Demo",
    ),
    "organization name": (
        lambda actor, tmp, value: organizations.create_organization(actor, "fresh", value),
        "Fresh",
    ),
    "post title": (lambda actor, tmp, value: posts.create_post(actor, "demo", value), "Hello"),
    "category name": (
        lambda actor, tmp, value: taxonomy.add_category(actor, "demo", value),
        "Guides",
    ),
}


@pytest.mark.parametrize("ending", ENDINGS, ids=_tail)
@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_line_break_in_a_single_line_name_is_refused(actor, project, tmp_path: Path, entry, ending):
    call, valid = ENTRIES[entry]
    before = counts()
    with pytest.raises(InvalidInput):
        call(actor, tmp_path, valid + ending)
    assert counts() == before
    head, _, rest = valid.partition(".") if "." in valid else (valid[:1], "", valid[1:])
    with pytest.raises(InvalidInput):
        call(actor, tmp_path, f"{head}{ending}{'.' if '.' in valid else ''}{rest}")
    assert counts() == before
    call(actor, tmp_path, valid)  # the entry point itself works: the refusal above is the ending's


@pytest.mark.parametrize("ending", ENDINGS, ids=_tail)
def test_blob_hash_with_a_line_break_is_no_hash(ending):
    digest = blobs.digest(b"x")
    assert blobs.is_hash(digest)
    assert not blobs.is_hash(digest + ending)


def test_no_name_pattern_is_checked_with_match_alone():
    """A `^...$` name pattern (`*_RE`) used with `.match` accepts a trailing newline; services use `fullmatch`."""
    root = Path(assets.__file__).parent
    anchored = re.compile(r"^(\w+_RE) = re\.compile\(r\"\^.*\$\"\)", re.MULTILINE)
    offenders = []
    for module in sorted(root.glob("*.py")):
        text = module.read_text(encoding="utf-8")
        for pattern in anchored.findall(text):
            if re.search(rf"\b{pattern}\.match\(", text):
                offenders.append(f"{module.name}: {pattern}.match")
    assert offenders == []


# Characters that render as nothing yet are letters or marks, not format characters (Cf): a name
# "Admin" + U+3164 looks like "Admin". Unicode lists them as Default_Ignorable_Code_Point.
IGNORABLE_LOOKALIKES = {
    "combining-grapheme-joiner": "\u034f",
    "hangul-fillers": "\u115f\u1160\u3164\uffa0",
    "khmer-inherent-vowels": "\u17b4\u17b5",
    "mongolian-selectors": "\u180b\u180c\u180d\u180f",
    "unassigned-ignorables": "\u2065\ufff0\U000e0000\U000e0fff",
}


@pytest.mark.parametrize("kind", sorted(IGNORABLE_LOOKALIKES))
def test_blank_lookalike_characters_are_refused_in_names_and_text(kind):
    for char in IGNORABLE_LOOKALIKES[kind]:
        for check in (
            lambda v: validation.required_text(v, "title"),
            lambda v: validation.slug(v, "slug"),
            lambda v: validation.visible(v, "name"),
        ):
            with pytest.raises(InvalidInput, match=f"U\\+{ord(char):04X}"):
                check(f"admin{char}")


def test_every_default_ignorable_character_is_refused_in_text_but_variation_selectors():
    accepted = []
    for char in validation.IGNORABLE:
        try:
            validation.required_text(f"Ab{char}cd", "title")
        except InvalidInput:
            continue
        accepted.append(f"U+{ord(char):04X}")
    selectors = {f"U+{ord(c):04X}" for c in validation.TEXT_SELECTORS}
    assert set(accepted) == selectors


@pytest.mark.parametrize(
    "text", ["I \u2764\ufe0f it", "\u845b\U000e0100 city", "\u263a\ufe0e plain smile"]
)
def test_text_keeps_variation_selectors(text):
    assert validation.required_text(text, "title") == text


def test_an_import_refuses_a_filler_in_a_page_title(actor, project, tmp_path: Path):
    from bgpub.services import pages, snapshots

    pages.add_page(actor, "demo", "home", "Home")
    export = tmp_path / "export"
    snapshots.export_project(actor, "demo", export)
    manifest = json.loads((export / "project.json").read_text())
    manifest["pages"][0]["title"] = "Home\u3164"
    (export / "project.json").write_text(json.dumps(manifest))
    before = counts()
    with pytest.raises(InvalidInput, match="U\\+3164"):
        importing.import_project(actor, export, name="copy")
    assert counts() == before
