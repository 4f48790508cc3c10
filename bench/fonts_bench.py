"""Theme fonts at build: their cost cold, from the cache folder, and from memory; bytes shipped.

`python bench/fonts_bench.py` prints one JSON line: per theme, the seconds a build spends on its faces
cold, from a build's cache folder (a new process: `fonts/` read back) and from memory, the number of
fontTools subsets made (0 for prepared faces: shipped as they are), how many faces are prepared, the
seconds fontTools takes to cut the same faces (what a build paid before the themes were prepared, and
what `bgpub theme prepare-fonts` pays once per release), and the WOFF2 bytes a page can load (every
face of an English site).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "src"))

from bgpub.render import fontsubset  # noqa: E402
from bgpub.render.environment import make_url  # noqa: E402
from bgpub.render.fonts import plan_fonts  # noqa: E402
from bgpub.render.themes import load_themes  # noqa: E402


def main() -> None:
    themes = load_themes([REPOSITORY / "themes"])
    figures = {}
    for name in ("aurora", "midnight", "terracotta"):
        plan = plan_fonts(
            [t.fonts for t in themes.chain(name)],
            themes.tokens(name),
            "en",
            make_url(""),
            fontsubset.VERSION,
        )
        with tempfile.TemporaryDirectory() as cache:
            timings = {}
            for phase in ("cold_s", "cache_folder_s", "memory_s"):
                if phase != "memory_s":
                    fontsubset._MEMO.clear()
                made = fontsubset.SUBSETS_MADE[0]
                started = time.perf_counter()
                sizes = [
                    len(f.data(lambda s, r: fontsubset.subset_woff2(s, r, cache)))
                    for f in plan.files.values()
                ]
                timings[phase] = round(time.perf_counter() - started, 6)
                timings[phase.replace("_s", "_subsets_made")] = fontsubset.SUBSETS_MADE[0] - made
        fontsubset._MEMO.clear()
        started = time.perf_counter()
        for f in plan.files.values():
            fontsubset.subset_woff2(f.source, f.ranges)
        figures[name] = {
            **timings,
            "prepared_faces": sum(f.prepared for f in plan.files.values()),
            "fonttools_cut_s": round(time.perf_counter() - started, 4),
            "families": plan.families,
            "faces": len(plan.files),
            "page_font_bytes": sum(sizes),
            "source_bytes": sum(len(f.source) for f in plan.files.values()),
        }
    print(json.dumps({"bench": "fonts", "themes": figures}, sort_keys=True))


if __name__ == "__main__":
    main()
