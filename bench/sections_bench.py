"""Shared sections at render: a 500-page site with its navbar and footer on every page, then lifted.

`python bench/sections_bench.py` prints one JSON line: seconds of a full render per copy and lifted
(the outputs are byte-identical), of an incremental render after editing the shared header (every page
re-renders) and after editing a named section placed on 10 pages (only those 10), with the counts.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPOSITORY / "src"), str(REPOSITORY / "tests" / "sections")]

from section_support import lifted  # noqa: E402

from bgpub.domain.blocks import Block  # noqa: E402
from bgpub.render import Renderer  # noqa: E402
from bgpub.render.components import load_library  # noqa: E402
from bgpub.render.themes import load_themes  # noqa: E402
from bgpub.snapshot import PageSnapshot, ProjectSnapshot, SectionSnapshot  # noqa: E402

PAGES = 500


def _site() -> ProjectSnapshot:
    nav = Block(
        "navbar",
        {"brand": "Acme", "links": [{"label": f"L{i}", "url": f"/p{i}/"} for i in range(6)]},
    )
    foot = Block("footer", {"brand": "Acme", "note": "© Acme"})
    pages = tuple(
        PageSnapshot(
            f"p{i}",
            f"Page {i}",
            is_home=i == 0,
            show_in_nav=i < 6,
            blocks=(nav, Block("rich-text", {"body": f"Text of *page {i}*."}), foot),
        )
        for i in range(PAGES)
    )
    return ProjectSnapshot(name="bench", title="Bench", pages=pages)


def _timed(renderer: Renderer, snapshot: ProjectSnapshot) -> tuple[float, int, dict]:
    start = time.perf_counter()
    result = renderer.render(snapshot)
    return round(time.perf_counter() - start, 3), len(result.rendered), result.files


def _none(digest: str) -> bytes:
    raise KeyError(digest)


def main() -> None:
    library, themes = (
        load_library([REPOSITORY / "components"]),
        load_themes([REPOSITORY / "themes"]),
    )
    copies = _site()
    shared = lifted(copies)
    copies_s, _, copy_files = _timed(Renderer(library, themes, _none, workers=1), copies)
    renderer = Renderer(library, themes, _none, workers=1)
    shared_s, _, shared_files = _timed(renderer, shared)
    identical = dict(copy_files.items()) == dict(shared_files.items())
    offer = SectionSnapshot("offer", (Block("rich-text", {"body": "Half price"}),))
    pages = tuple(
        dataclasses.replace(p, blocks=(*p.blocks, Block("section", {"name": "offer"})))
        if i % 50 == 1
        else p
        for i, p in enumerate(shared.pages)
    )
    placed = dataclasses.replace(shared, pages=pages, sections=(*shared.sections, offer))
    _timed(renderer, placed)
    header = dataclasses.replace(
        placed,
        sections=tuple(
            SectionSnapshot("header", (Block("navbar", {"brand": "NewCo"}),))
            if s.name == "header"
            else s
            for s in placed.sections
        ),
    )
    header_s, header_n, _ = _timed(renderer, header)
    named = dataclasses.replace(
        header,
        sections=tuple(
            SectionSnapshot("offer", (Block("rich-text", {"body": "Free shipping"}),))
            if s.name == "offer"
            else s
            for s in header.sections
        ),
    )
    named_s, named_n, _ = _timed(renderer, named)
    print(
        json.dumps(
            {
                "pages": PAGES,
                "full_copies_s": copies_s,
                "full_lifted_s": shared_s,
                "byte_identical": identical,
                "header_edit_s": header_s,
                "header_edit_rendered": header_n,
                "named_edit_s": named_s,
                "named_edit_rendered": named_n,
            }
        )
    )


if __name__ == "__main__":
    main()
