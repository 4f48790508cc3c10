"""Share-card benchmark: the cost of drawing and encoding one generated 1200x630 `og:image` PNG.

Draws N cards with distinct titles in the aurora theme's colours and card font (as a build of an
N-page site does), timing each `make_card` call in this process (the first call pays for loading
the font and drawing the constant layer, as each build worker's first card does). Then encodes the
same N jobs through the build's image pipeline (`StoredImages._encode`, forked workers when the
machine has several cores) to show the wall time per card a build sees. Prints ONE JSON line with
ms per card (min/median/max), bytes per card and the load average before and after.

    python bench/social_cards_bench.py [--cards 400] [--theme aurora]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORDS = (
    "bread morning oven crust flour garden winter harbour notes on a small table, with the "
    "lamp light and twelve ways to keep a sourdough starter alive through August"
).split()


def titles(count: int) -> list[str]:
    """Distinct titles of 2 to 14 words (some wrap to three lines and get an ellipsis)."""
    return [
        " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(2 + i % 13)).capitalize() + f" {i}"
        for i in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=400)
    parser.add_argument("--theme", default="aurora")
    args = parser.parse_args()

    import tomllib

    from bgpub.render.images import job_batches
    from bgpub.render.parallel import worker_count
    from bgpub.render.social_cards import card_job, make_card, theme_font

    class Theme:
        directory = ROOT / "themes" / args.theme

    tokens = tomllib.loads((Theme.directory / "theme.toml").read_text("utf-8"))["tokens"]
    font = theme_font([Theme])
    jobs = [card_job(t, "The Corner Bakery", tokens, font) for t in titles(args.cards)]
    load_before = os.getloadavg()
    times, sizes = [], []
    cpu = time.process_time()
    for job in jobs:
        started = time.perf_counter()
        data = make_card(job, None)
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(data))
    cpu = time.process_time() - cpu

    from bgpub.services.renditions import StoredImages

    provider = StoredImages("bench", workers=worker_count())
    started = time.perf_counter()
    made = sum(len(m) for m in provider._encode(jobs, lambda digest: b""))
    pipeline = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "social_cards",
                "cards": args.cards,
                "theme": args.theme,
                "font": Path(font[0]).name if font[0] else "pillow-default",
                "ms_per_card": {
                    "min": round(min(times), 2),
                    "median": round(statistics.median(times), 2),
                    "max": round(max(times), 2),
                    "first": round(times[0], 2),
                    "cpu_mean": round(cpu * 1000 / len(jobs), 2),  # steadier on a busy machine
                },
                "bytes_per_card": {
                    "min": min(sizes),
                    "median": int(statistics.median(sizes)),
                    "max": max(sizes),
                },
                "pipeline": {
                    "workers": provider.workers,
                    "batches": len(job_batches(jobs)),
                    "encoded": made,
                    "ms_per_card": round(pipeline * 1000 / max(1, made), 2),
                },
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
