"""The asset screen's preview: the image drawn in the terminal, and the facts (size in pixels, format, bytes,
alt text) with a file:// link to a copy of the file, for every asset.

Images are drawn by `textual-image` (Sixel or Kitty's graphics protocol where the terminal speaks them,
coloured half cells elsewhere, Unicode shades when there is no terminal, as under test). It asks the
terminal what it supports when imported, which cannot work once Textual reads the keyboard, so
`bgpub.tui.app` imports this module before the app starts. Version 0.12 is the last for Python 3.11.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image as PILImage
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_image.widget import Image as TerminalImage

from bgpub.tui.widgets.asset_picker import human_size

PREVIEW_PIXELS = (
    1024  # decoded images are shrunk to this box: a 40-megapixel photo costs no more to show
)
DRAWN_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/x-icon")


def preview_image(path: Path, mime: str) -> PILImage.Image | None:
    """The image to draw, shrunk for the terminal; None for what cannot be drawn (SVG, PDF, fonts...)."""
    if mime not in DRAWN_TYPES:
        return None
    try:
        with PILImage.open(path) as image:
            image.draft(
                "RGB", (PREVIEW_PIXELS, PREVIEW_PIXELS)
            )  # JPEG decodes at a smaller scale at once
            image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
            return image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None


def facts(
    name: str, mime: str, size: int, width: int | None, height: int | None, alt: str, url: str
) -> str:
    """The lines shown under the picture (or instead of it); plain text, never markup."""
    fmt = mime.split("/")[-1].upper() if "/" in mime else mime
    lines = [
        name,
        f"{width} × {height} px · {fmt} · {human_size(size)}"
        if width and height
        else f"{fmt} · {human_size(size)}",
    ]
    lines.append(f"alt: {alt}" if alt else "alt: (none: e adds one)")
    lines.append(url)
    return "\n".join(lines)


class AssetPreview(Vertical):
    """Shows one asset: `show(...)` with its facts and the decoded image (or None), `clear()` for none."""

    DEFAULT_CSS = """
    AssetPreview { width: 36; height: 1fr; border-left: vkey $primary 30%; padding: 0 1; }
    AssetPreview > #asset-image { width: 1fr; height: 1fr; max-height: 16; }
    AssetPreview > #asset-image.-none { display: none; }
    AssetPreview > #asset-facts { height: auto; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield TerminalImage(None, id="asset-image", classes="-none")
        yield Static("no asset selected", id="asset-facts", markup=False)

    @property
    def drawn(self) -> bool:
        """Whether a picture is shown (not only the facts)."""
        return not self.query_one("#asset-image").has_class("-none")

    def show(self, text: str, image: PILImage.Image | None) -> None:
        picture = self.query_one("#asset-image", TerminalImage)
        picture.image = image
        picture.set_class(image is None, "-none")
        self.query_one("#asset-facts", Static).update(text)

    def clear(self) -> None:
        self.show("no asset selected", None)
