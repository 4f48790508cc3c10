"""Golden files: each starter site (in its own theme) and the component showcase render to exactly `golden/<case>/`.

Regenerate only when an output change is intended:
`BGPUB_REGEN_GOLDEN=1 python -m pytest tests/content -k golden`, then review the diff before committing.
Pages are stored whole; everything under `assets/` (binary files, and the stylesheet, whose source is the
theme's and the components' CSS) as `path sha256` lines in `_binary.txt`.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from content_checks import load_starter, render
from showcase import BLOBS, showcase
from test_content_library import KEYS

GOLDEN = Path(__file__).parent / "golden"
TEXT_SUFFIXES = (".html", ".css", ".xml", ".txt")


def _case(name: str) -> dict[str, bytes]:
    if name == "showcase":
        return render(showcase(KEYS, chrome=False), "aurora", BLOBS.__getitem__)
    snapshot, blobs = load_starter(name)
    return render(snapshot, snapshot.theme, blobs)


def _stored(files: dict[str, bytes]) -> dict[str, bytes]:
    """What the golden folder holds for a rendered site: pages whole, plus one listing of the assets."""
    whole = {
        path for path in files if path.endswith(TEXT_SUFFIXES) and not path.startswith("assets/")
    }
    stored = {path: files[path] for path in whole}
    binary = [
        f"{path} {hashlib.sha256(data).hexdigest()}"
        for path, data in files.items()
        if path not in whole
    ]
    stored["_binary.txt"] = ("\n".join(sorted(binary)) + "\n").encode()
    return stored


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"golden/{path}",
        f"rendered/{path}",
        lineterm="",
        n=2,
    )
    return "\n".join(list(lines)[:60])


@pytest.mark.parametrize("name", ["blog", "landing", "shop", "showcase"])
def test_golden(name):
    folder = GOLDEN / name
    actual = _stored(_case(name))
    if os.environ.get("BGPUB_REGEN_GOLDEN") == "1":
        shutil.rmtree(folder, ignore_errors=True)
        for path, data in actual.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        pytest.skip("golden files regenerated")
    expected = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    hint = "if intended: BGPUB_REGEN_GOLDEN=1 python -m pytest tests/content -k golden"
    assert sorted(actual) == sorted(expected), f"output paths differ; {hint}"
    diffs = [_diff(p, expected[p], actual[p]) for p in sorted(actual) if actual[p] != expected[p]]
    assert not diffs, "\n\n".join(diffs) + "\n" + hint
