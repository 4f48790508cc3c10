"""SVG uploads: every hostile file is refused or stored rebuilt without anything active; drawings survive.

The corpus is in `svg_corpus.py`; `test_svg_browser.py` loads every rebuilt file in Chromium. Also here:
uploads are sized before they are read (a 1 GB file costs no memory) and read no further than the limit.
"""

from __future__ import annotations

import hashlib
import os
import re
import tracemalloc
from types import SimpleNamespace

import pytest
from defusedxml.ElementTree import fromstring
from services_support import counts
from svg_corpus import ALL, BENIGN, EDITOR_EXPORT, HOSTILE, PROBE_HOST, Case

from bgpub.errors import InvalidInput
from bgpub.services import assets, blobs, svg
from bgpub.services.svg import SVG_NS, XLINK_NS, sanitise_svg

EXTERNAL_URL = re.compile(rb"""url\(\s*(?!['"]?#)""", re.IGNORECASE)


def _ids(cases: list[Case]) -> list[str]:
    return [case.name for case in cases]


def assert_inert(data: bytes) -> None:
    """Static proof of what the browser test shows: nothing in the bytes can run or fetch."""
    lowered = data.lower()
    for needle in (
        PROBE_HOST.encode(),
        b"javascript",
        b"script",
        b"<?",
        b"<!",
        b"\\",
        b"@import",
        b"data:",
    ):
        assert needle not in lowered, f"{needle!r} left in {data[:300]!r}"
    assert EXTERNAL_URL.search(data) is None, data
    root = fromstring(data, forbid_dtd=True)
    for element in root.iter():
        ns, _, local = element.tag[1:].partition("}")
        assert ns == SVG_NS and local in svg.ELEMENTS, element.tag
        for name, value in element.attrib.items():
            attr_ns, _, attr = name[1:].partition("}") if name.startswith("{") else ("", "", name)
            assert not attr.lower().startswith("on"), name
            assert attr_ns in ("", XLINK_NS, "http://www.w3.org/XML/1998/namespace"), name
            if attr == "href":
                assert re.fullmatch(r"#[\w.:-]+", value), value


def test_the_corpus_covers_the_classes():
    assert len(HOSTILE) >= 30
    assert {c.outcome for c in HOSTILE} == {"refused", "stored"}


@pytest.mark.parametrize("case", ALL, ids=_ids(ALL))
def test_upload_is_refused_or_rebuilt_inert(case):
    where = f"project demo, asset {case.name}.svg"
    try:
        found = assets.detect(case.data, f"{case.name}.svg", where, already_clean=False)
    except InvalidInput as exc:
        assert case.outcome == "refused", f"refused: {exc}"
        assert case.reason in str(exc) and str(exc).startswith(where)
        return
    assert case.outcome == "stored", f"{case.name} was not refused: {found.svg.removed}"
    assert found.mime == "image/svg+xml" and found.svg is not None
    assert_inert(found.svg.data)
    again = sanitise_svg(found.svg.data, where)  # the rebuild is stable: nothing left to remove
    assert (again.data, again.removed) == (found.svg.data, ())


def _shape(data: bytes) -> list[tuple]:
    """Elements in order with their attributes and text; CSS compared without whitespace."""

    def squeeze(text: str | None) -> str:
        return re.sub(r"\s+", "", text or "")

    shape = []
    for element in fromstring(data).iter():
        attrs = {k: squeeze(v) if k == "style" else v for k, v in element.attrib.items()}
        text = (
            squeeze(element.text)
            if element.tag.endswith("}style")
            else (element.text or "").strip()
        )
        shape.append((element.tag, attrs, text, (element.tail or "").strip()))
    return shape


@pytest.mark.parametrize(
    ("case", "size"),
    zip(BENIGN, [(48, 48), (64, 32), (200, 60), (100, 100)], strict=True),
    ids=_ids(BENIGN),
)
def test_benign_drawings_survive_whole(case, size):
    clean = sanitise_svg(case.data, "test")
    assert clean.removed == ()
    assert _shape(clean.data) == _shape(case.data)
    assert (clean.width, clean.height) == size


def test_editor_leftovers_are_dropped_and_the_drawing_kept():
    clean = sanitise_svg(EDITOR_EXPORT, "test")
    assert clean.data == (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><g id="layer1">'
        b'<rect id="r1" x="2" y="2" width="60" height="28" style="fill:#2563eb;stroke:none"/>'
        b"</g></svg>"
    )
    assert clean.active == () and len(clean.removed) >= 4


@pytest.mark.parametrize(
    ("attrs", "size"),
    [
        ('width="12" height="8.6px"', (12, 9)),
        ('width="100%" height="50%" viewBox="-5 -5, 30 20"', (30, 20)),
        ('width="2em" height="1em"', (None, None)),
        ('viewBox="0 0 1e999 5"', (None, None)),
        ('width="99999999" height="1"', (None, None)),
    ],
)
def test_size_comes_from_the_rebuilt_root(attrs, size):
    data = f'<svg xmlns="http://www.w3.org/2000/svg" {attrs}><rect/></svg>'.encode()
    assert (lambda c: (c.width, c.height))(sanitise_svg(data, "t")) == size


@pytest.mark.parametrize("case", ALL, ids=_ids(ALL))
def test_imported_svgs_must_already_be_clean(case):
    """An import stores bytes as they are: an SVG the rebuild would change in substance is refused."""
    try:
        clean = sanitise_svg(case.data, "import")
    except InvalidInput:
        return
    if clean.removed or clean.active:
        with pytest.raises(InvalidInput, match="not allowed|scripts"):
            assets.detect(case.data, "x.svg", "import")
    assert assets.detect(clean.data, "x.svg", "import").svg.data == clean.data


def test_every_upload_is_stored_rebuilt_or_refused_with_nothing_written(actor, project, tmp_path):
    for case in ALL:
        path = tmp_path / f"{case.name}.svg"
        path.write_bytes(case.data)
        before = counts()
        if case.outcome == "refused":
            with pytest.raises(InvalidInput, match=re.escape(case.reason) or None) as info:
                assets.add_asset(actor, "demo", path)
            assert f"asset {case.name}.svg" in str(info.value)
            assert counts() == before, case.name
            continue
        asset = assets.add_asset(actor, "demo", path)
        stored = blobs.get(asset.hash)
        assert stored == sanitise_svg(case.data, "x").data, case.name
        assert (asset.size, asset.hash, asset.mime) == (
            len(stored),
            hashlib.sha256(stored).hexdigest(),
            "image/svg+xml",
        )
        assert_inert(stored)


def test_a_1gb_file_is_refused_by_its_size_before_it_is_read(actor, project, tmp_path):
    path = tmp_path / "huge.png"
    path.touch()
    os.truncate(path, 1024**3)  # sparse: no disk used
    before = counts()
    tracemalloc.start()
    try:
        with pytest.raises(
            InvalidInput, match=r"asset huge.png: the file is larger than 100 MB \(1024 MB\)"
        ):
            assets.add_asset(actor, "demo", path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"peak {peak} bytes"
    assert counts() == before


def test_a_file_that_reports_no_size_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """Like /proc files (size 0) or a file that grows after the stat: the read stops at the limit."""
    path = tmp_path / "growing.bin"
    path.write_bytes(b"x" * (8 * 1024 * 1024))
    monkeypatch.setattr(assets.os, "fstat", lambda fd: SimpleNamespace(st_size=0))
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput, match="larger than 2 MB"):
            assets.read_upload(path, "asset growing.bin", limit=2 * 1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"peak {peak} bytes"


def test_upload_read_hashes_what_it_returns(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(os.urandom(3 * 1024 * 1024 + 7))
    data, digest = assets.read_upload(path, "asset f.bin")
    assert data == path.read_bytes() and digest == hashlib.sha256(data).hexdigest()


def test_plain_attributes_never_include_what_needs_a_check():
    """The rebuild keeps ATTRIBUTES without looking at their values: none may be a link, CSS or handler."""
    assert not svg.ATTRIBUTES & (svg.PRESENTATION | {"href", "style", "src"})
    assert not [name for name in svg.ATTRIBUTES if name.lower().startswith("on")]
