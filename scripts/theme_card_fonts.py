"""Writes each theme's share-card font: its heading family's Latin WOFF2 as a static bold TrueType file.

Pillow draws the generated og:image cards (render/social_cards.py) with the first TTF/OTF a theme ships
under `fonts/`; browsers get the WOFF2 files. Run after changing a theme's fonts:
`python scripts/theme_card_fonts.py`. The OFL licence is copied beside each file.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

THEMES = Path(__file__).resolve().parents[1] / "themes"
CARD_FONTS = {  # theme -> its heading family's folder and the weight cards draw titles in
    "aurora": ("plus-jakarta-sans", 700),
    "midnight": ("jetbrains-mono", 700),
    "terracotta": ("fraunces", 600),
}


def card_font(source: Path, weight: int) -> bytes:
    font = TTFont(io.BytesIO(source.read_bytes()), recalcTimestamp=False)
    if "fvar" in font:
        font = instancer.instantiateVariableFont(font, {"wght": weight})
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> None:
    for theme, (family, weight) in CARD_FONTS.items():
        folder = THEMES / theme / "fonts"
        target = folder / "card"
        target.mkdir(exist_ok=True)
        data = card_font(folder / family / f"{family}-latin.woff2", weight)
        (target / f"{family}-{weight}.ttf").write_bytes(data)
        shutil.copyfile(folder / family / "OFL.txt", target / "OFL.txt")
        print(f"themes/{theme}/fonts/card/{family}-{weight}.ttf: {len(data)} bytes")


if __name__ == "__main__":
    main()
