"""Where an asset is referenced: asset props of page and shared-section blocks (also inside list items), site
settings, posts, products.

Asset props are found through the component schemas, so a text that merely equals a file name is
not mistaken for a use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bgpub.db.models import BlogPost, Page, Product, Project, SharedSection
from bgpub.db.rows import tuple_rows
from bgpub.domain.page_fields import ASSET_FIELDS
from bgpub.domain.props import PropSpec
from bgpub.errors import BgpubError
from bgpub.render.components import ComponentLibrary, resolve_component
from bgpub.services.library import current_library, saved_components_of


def asset_values(specs: Iterable[PropSpec], props: Mapping[str, Any]) -> set[str]:
    """The asset names a block's props refer to."""
    found: set[str] = set()
    for spec in specs:
        value = props.get(spec.name)
        if spec.type == "asset" and isinstance(value, str) and value:
            found.add(value)
        elif spec.type == "list" and isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    found |= asset_values(spec.fields, item)
    return found


def block_assets(
    library: ComponentLibrary, block: Mapping[str, Any], saved: Iterable[Any]
) -> set[str]:
    try:
        spec, defaults = resolve_component(library, block.get("component", ""), "block", saved)
    except BgpubError:
        return set()
    return asset_values(spec.props, {**defaults, **(block.get("props") or {})})


def pages_using_asset(project: Project, name: str) -> list[str]:
    """Labels of everything in the project using asset `name`: `page about`, `settings`, `post x`..."""
    library = current_library()
    saved = saved_components_of(project.organization_id)
    users: list[str] = []
    if project.settings.get("seo_image") == name:
        users.append("settings (seo_image)")
    for setting in ASSET_FIELDS:  # a page's share image and any other asset setting
        column = getattr(Page, setting)
        for (slug,) in tuple_rows(
            Page.select(Page.slug)
            .where((Page.project == project) & (column == name))
            .order_by(Page.position)
        ):
            users.append(f"page {slug} ({setting})")
    query = tuple_rows(
        Page.select(Page.slug, Page.blocks)
        .where((Page.project == project) & Page.blocks.cast("text").contains(name))
        .order_by(Page.position)
    )
    for slug, blocks in query:
        if any(
            name in block_assets(library, b, saved) for b in blocks or [] if isinstance(b, dict)
        ):
            users.append(f"page {slug}")
    sections = SharedSection.select().where(
        (SharedSection.project == project) & SharedSection.blocks.cast("text").contains(name)
    )
    for section in sections.order_by(
        SharedSection.name
    ):  # the shared header, footer and named sections
        if any(
            name in block_assets(library, b, saved)
            for b in section.blocks or []
            if isinstance(b, dict)
        ):
            users.append(f"section {section.name}")
    for (slug,) in tuple_rows(
        BlogPost.select(BlogPost.slug)
        .where((BlogPost.project == project) & (BlogPost.cover_asset == name))
        .order_by(BlogPost.slug)
    ):
        users.append(f"post {slug}")
    for slug, images in tuple_rows(
        Product.select(Product.slug, Product.images).where(Product.project == project)
    ):
        if name in (images or []):
            users.append(f"product {slug}")
    return users
