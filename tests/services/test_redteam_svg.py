"""Red team on SVG uploads, as an outside corpus attacks them.

- CSS nested deeper than Python's recursion limit (functions, blocks, selectors, `@media`) in
  `<style>`, `style=` and presentation attributes used to end in a RecursionError traceback; now
  the nesting is bounded and the rebuild drops it, like anything else it cannot prove inert.
- A name that says a compressed file (`logo.svgz`, `x.svg.gz`) gave an SVG a published path the
  `_headers` rule for `*.svg` does not match; such names are refused.
- An import stores the bytes as given: every hostile SVG of the corpus is refused there too, and
  nothing is written.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from services_support import counts
from svg_corpus import BENIGN, HOSTILE, PROBE_HOST
from test_svg_hostile import assert_inert

from bgpub.errors import InvalidInput
from bgpub.services import assets, blobs, importing, snapshots
from bgpub.services.svg import sanitise_svg

SVG = 'xmlns="http://www.w3.org/2000/svg"'
PROBE = f"http://{PROBE_HOST}"
DEPTHS = [40, 3000]  # just past the CSS bound; past Python's recursion limit (1000)


def _nested(depth: int) -> dict[str, str]:
    """Every place CSS can nest, each `depth` levels deep, each with an external URL at the bottom."""
    url = f"url({PROBE}/x)"
    return {
        "function-in-presentation-attribute": f'<rect fill="{"calc(" * depth}{url}{")" * depth}"/>',
        "block-in-style-attribute": f'<rect style="fill:{"(" * depth}{url}{")" * depth}"/>',
        "function-in-style-element": f"<style>rect{{fill:{'min(' * depth}{url}{')' * depth}}}</style>",
        "selector": f"<style>{':is(' * depth}rect{')' * depth}{{fill:{url}}}</style>",
        "attribute-selector": f"<style>rect{'[a]' * 3}{'(' * depth}{')' * depth}{{fill:red}}</style>",
        "media": f"<style>{'@media screen{' * depth}rect{{fill:{url}}}{'}' * depth}</style>",
    }


CASES = [(depth, place) for depth in DEPTHS for place in _nested(DEPTHS[0])]


@pytest.mark.parametrize(("depth", "place"), CASES, ids=[f"{p}-{d}" for d, p in CASES])
def test_deeply_nested_css_is_dropped_not_a_traceback(depth, place):
    data = (
        f'<svg {SVG} width="9" height="9">{_nested(depth)[place]}<rect width="4" height="4"/></svg>'
    )
    clean = sanitise_svg(data.encode(), "asset deep.svg")
    assert clean.removed, "the nesting was kept"
    assert_inert(clean.data)
    assert b'<rect width="4" height="4"/>' in clean.data  # the drawing itself survives
    found = assets.detect(data.encode(), "deep.svg", "asset deep.svg", already_clean=False)
    assert found.svg.data == clean.data


def test_shallow_css_nesting_is_kept():
    """The bound leaves real drawings alone: calc() inside calc(), @media inside @media."""
    data = (
        f"<svg {SVG}><style>@media screen{{@media (min-width:1px){{rect{{fill:red}}}}}}</style>"
        '<rect width="calc(2 * calc(1px + (2px * 3)))" style="stroke-width:calc(1px + (2px))"/></svg>'
    ).encode()
    clean = sanitise_svg(data, "asset ok.svg")
    assert clean.removed == ()


COMPRESSED = [
    "logo.svgz",
    "logo.svg.gz",
    "photo.png.gz",
    "logo.svg.br",
    "logo.svg.bz2",
    "logo.svg.xz",
]


@pytest.mark.parametrize("name", COMPRESSED)
def test_names_that_say_compressed_are_refused(name):
    data = BENIGN[0].data
    with pytest.raises(InvalidInput, match="compressed"):
        assets.detect(data, name, f"asset {name}", already_clean=False)


@pytest.mark.parametrize("explicit", [False, True], ids=["file-name", "given-name"])
def test_an_svgz_upload_writes_nothing(actor, project, tmp_path: Path, explicit):
    source = tmp_path / "logo.svgz"
    source.write_bytes(BENIGN[0].data)
    before = counts()
    with pytest.raises(InvalidInput, match="compressed"):
        assets.add_asset(actor, "demo", source, name="logo.svgz" if explicit else None)
    assert counts() == before


def test_every_hostile_svg_is_refused_by_import(actor, project, tmp_path: Path):
    """An export whose SVG blob is swapped for each hostile corpus file (hash and size made to match)."""
    assets.add_asset(actor, "demo", BENIGN[0].data, name="logo.svg")
    export = tmp_path / "export"
    snapshots.export_project(actor, "demo", export)
    manifest = json.loads((export / "project.json").read_text())
    (entry,) = [a for a in manifest["assets"] if a["name"] == "logo.svg"]
    clean_blob = export / "blobs" / entry["hash"]
    imported = importing.import_project(
        actor, export, name="roundtrip"
    )  # the control: clean bytes import
    assert imported is not None
    before = counts()
    accepted = []
    for case in HOSTILE:
        folder = tmp_path / case.name
        shutil.copytree(export, folder)
        (folder / "blobs" / entry["hash"]).unlink()
        digest = blobs.digest(case.data)
        (folder / "blobs" / digest).write_bytes(case.data)
        entry_copy = {**entry, "hash": digest, "size": len(case.data)}
        copy = {**manifest, "assets": [entry_copy if a is entry else a for a in manifest["assets"]]}
        (folder / "project.json").write_text(json.dumps(copy))
        try:
            importing.import_project(actor, folder, name="hostile")
        except InvalidInput:
            continue
        accepted.append(case.name)
    assert accepted == []
    assert counts() == before
    assert clean_blob.is_file()
