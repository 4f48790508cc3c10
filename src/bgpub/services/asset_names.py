"""Renaming an asset, and every use of it with it: asset props of page and shared-section blocks (list items
too), the site's default SEO image, pages' share images, post covers and product galleries, in one
transaction.

Uses are found through the component schemas (as `references.py` finds them), so a text that merely
equals the file name is left alone. After the rewrite, `pages_using_asset` must find nothing left
under the old name; if it does (a kind of use this module does not know yet), nothing is changed and
the error names what still uses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bgpub.db.connection import database
from bgpub.db.fields import utcnow
from bgpub.db.models import Asset, BlogPost, Page, Product, Project, SharedSection, User
from bgpub.domain.assets import AssetRenamed
from bgpub.domain.page_fields import ASSET_FIELDS
from bgpub.errors import BgpubError, Conflict, InvalidInput
from bgpub.render.components import PropSpec, resolve_component  # PropSpec: re-exported from domain
from bgpub.services import audit
from bgpub.services.assets import NAME_RE, stored_asset
from bgpub.services.library import current_library, saved_components_of
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.references import pages_using_asset
from bgpub.services.revisions import bump_project


def renamed_props(
    specs: Iterable[PropSpec], props: Mapping[str, Any], old: str, new: str
) -> dict[str, Any]:
    """`props` with every asset prop naming `old` (also inside list items) naming `new`."""
    result = dict(props)
    for spec in specs:
        value = props.get(spec.name)
        if spec.type == "asset" and value == old:
            result[spec.name] = new
        elif spec.type == "list" and isinstance(value, list):
            result[spec.name] = [
                renamed_props(spec.fields, item, old, new) if isinstance(item, Mapping) else item
                for item in value
            ]
    return result


def _renamed_blocks(
    blocks: list[Any], old: str, new: str, library: Any, saved: tuple[Any, ...]
) -> list[Any]:
    out = []
    for block in blocks:
        if isinstance(block, dict) and isinstance(block.get("props"), dict):
            try:
                spec, _ = resolve_component(library, block.get("component", ""), "block", saved)
            except BgpubError:
                out.append(block)
                continue
            block = {**block, "props": renamed_props(spec.props, block["props"], old, new)}
        out.append(block)
    return out


def check_new_name(name: str, new: str, where: str) -> str:
    """A valid asset file name that keeps the file's extension (the extension says what the bytes are)."""
    new = new.strip() if isinstance(new, str) else new
    if not isinstance(new, str) or not NAME_RE.fullmatch(new):
        raise InvalidInput(
            f"invalid asset name {new!r}: lower-case letters, digits, '.-_' and an extension",
            where=where,
            field="name",
        )
    old_ext, new_ext = name.rsplit(".", 1)[-1], new.rsplit(".", 1)[-1]
    if old_ext != new_ext:
        raise InvalidInput(
            f"keep the extension .{old_ext}: it says what the file is (got .{new_ext})",
            where=where,
            field="name",
        )
    return new


def rename_asset(actor: User, project: str | Project, name: str, new: str) -> AssetRenamed:
    """Renames asset `name` to `new` and points every use of it at the new name."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = stored_asset(project, name)
    where = f"project {project.name}, asset {name}"
    new = check_new_name(name, new, where)
    if new == name:
        return AssetRenamed(name, ())
    if Asset.select().where((Asset.project == project) & (Asset.name == new)).exists():
        raise Conflict(f"an asset called {new!r} already exists", where=f"project {project.name}")
    library, saved = current_library(), saved_components_of(project.organization_id)
    updated: list[str] = []
    with database.atomic():
        Asset.update(name=new).where(Asset.id == asset.id).execute()
        if project.settings.get("seo_image") == name:
            project.settings = {**project.settings, "seo_image": new}
            Project.update(settings=project.settings).where(Project.id == project.id).execute()
            updated.append("settings (seo_image)")
        for page in Page.select().where(
            (Page.project == project) & Page.blocks.cast("text").contains(name)
        ):
            blocks = _renamed_blocks(list(page.blocks or []), name, new, library, saved)
            if blocks != page.blocks:
                Page.update(
                    blocks=blocks,
                    revision=Page.revision + 1,
                    updated_at=utcnow(),
                    updated_by=actor.id,
                ).where(Page.id == page.id).execute()
                updated.append(f"page {page.slug}")
        for setting in ASSET_FIELDS:  # a page's share image and any other asset setting
            column = getattr(Page, setting)
            for page in Page.select().where((Page.project == project) & (column == name)):
                Page.update({column: new, Page.revision: Page.revision + 1}).where(
                    Page.id == page.id
                ).execute()
                updated.append(f"page {page.slug} ({setting})")
        for section in SharedSection.select().where(
            (SharedSection.project == project) & SharedSection.blocks.cast("text").contains(name)
        ):
            blocks = _renamed_blocks(list(section.blocks or []), name, new, library, saved)
            if blocks != section.blocks:
                SharedSection.update(
                    blocks=blocks,
                    revision=SharedSection.revision + 1,
                    updated_at=utcnow(),
                    updated_by=actor.id,
                ).where(SharedSection.id == section.id).execute()
                updated.append(f"section {section.name}")
        for post in BlogPost.select().where(
            (BlogPost.project == project) & (BlogPost.cover_asset == name)
        ):
            BlogPost.update(cover_asset=new).where(BlogPost.id == post.id).execute()
            updated.append(f"post {post.slug}")
        for product in Product.select().where(Product.project == project):
            if name in (product.images or []):
                images = [new if image == name else image for image in product.images]
                Product.update(images=images).where(Product.id == product.id).execute()
                updated.append(f"product {product.slug}")
        left = pages_using_asset(project, name)
        if left:  # raised inside the transaction: every change above is undone
            raise Conflict(
                f"cannot point {', '.join(left[:10])} at the new name; nothing was renamed",
                where=where,
            )
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "asset.rename",
            "asset",
            asset.id,
            {"project": project.name, "name": name, "new": new, "updated": updated},
        )
    return AssetRenamed(new, tuple(updated))
