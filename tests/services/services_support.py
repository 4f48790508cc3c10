"""Helpers of the services tests (a distinct module name: test folders share sys.modules)."""

from __future__ import annotations

import io

from bgpub.db.models import (
    Asset,
    AuditLog,
    Blob,
    BlogPost,
    Component,
    ComponentLibrary,
    Page,
    Product,
    Project,
)

COUNTED = (Project, Page, Asset, Blob, Component, ComponentLibrary, BlogPost, Product, AuditLog)


def png(width: int = 4, height: int = 3, colour: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows per table, to show a refused operation wrote nothing."""
    return {model.__name__: model.select().count() for model in COUNTED}


def counts_without_audit() -> dict[str, int]:
    result = counts()
    result.pop("AuditLog")
    return result
