"""The preview server: the draft site over HTTP with live reload (no Textual).

`from bgpub.preview import PreviewServer` loads the server lazily, so importing the package is free.
"""

from __future__ import annotations

__all__ = ["PreviewServer"]


def __getattr__(name: str) -> type:
    if name == "PreviewServer":
        from bgpub.preview.session import PreviewServer

        return PreviewServer
    raise AttributeError(f"module 'bgpub.preview' has no attribute {name!r}")
