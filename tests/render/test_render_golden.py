"""Golden files: each case's input.json renders to exactly its expected/ tree.

Regenerate (only when an HTML change is intended): `BGPUB_REGEN_GOLDEN=1 python -m pytest tests/render -k golden`.
A case folder holds `input.json` (a project snapshot, optionally with `"build": {"base_url": ...}` beside
it under the key `_build`), `blobs/<sha256>` for its assets, and `expected/`.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import pytest

from bgpub.render import BuildInfo, render_site
from bgpub.snapshot import ProjectSnapshot

GOLDEN = Path(__file__).parent / "golden"
CASES = (
    sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").is_file())
    if GOLDEN.is_dir()
    else []
)


def _render(case: Path, library, themes) -> dict[str, bytes]:
    data = json.loads((case / "input.json").read_text("utf-8"))
    build = BuildInfo(**data.pop("_build", {}))
    snapshot = ProjectSnapshot.from_dict(data)
    return render_site(
        snapshot, library, themes, lambda digest: (case / "blobs" / digest).read_bytes(), build
    )


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"expected/{path}",
        f"actual/{path}",
        lineterm="",
        n=2,
    )
    return "\n".join(list(lines)[:80])


@pytest.mark.parametrize("name", CASES)
def test_golden(name, library, themes):
    case = GOLDEN / name
    files = _render(case, library, themes)
    expected_dir = case / "expected"
    if os.environ.get("BGPUB_REGEN_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, data in files.items():
            (expected_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / path).write_bytes(data)
        pytest.skip("golden files regenerated")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_bytes()
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(files) == sorted(expected), "output paths differ"
    diffs = [_diff(p, expected[p], files[p]) for p in sorted(files) if files[p] != expected[p]]
    assert not diffs, "\n\n".join(diffs)


def test_there_are_golden_cases():
    assert len(CASES) >= 3
