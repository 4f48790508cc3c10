"""What the shop tests share besides fixtures: a real image to add as an asset."""

from __future__ import annotations

import base64

# A 1x1 PNG: the smallest real image the asset service accepts.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
