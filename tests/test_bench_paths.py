"""bench/ scripts find the shared corpus relative to the repository (`../shared/anchors`), so they run
from any checkout; no absolute path of one machine."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABSOLUTE = re.compile(r"""["'](/(?:work|home|Users|root|tmp)/[^"']*)["']""")


def test_bench_scripts_use_no_machine_paths():
    found = {
        f"{path.name}:{number}": match.group(1)
        for path in sorted((ROOT / "bench").glob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        for match in [ABSOLUTE.search(line)]
        if match and not line.lstrip().startswith("#")
    }
    assert not found, f"absolute paths in bench/: {found}"


def test_the_corpus_path_is_beside_the_repository():
    for name in ("preview_bench.py", "publish_bench.py", "render_bench.py"):
        text = (ROOT / "bench" / name).read_text("utf-8")
        assert 'parents[2] / "shared" / "anchors"' in text, name
