"""Helpers of the CLI tests (a distinct module name: test folders share sys.modules)."""

from __future__ import annotations

import io


def png(width: int = 4, height: int = 3, colour: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()
