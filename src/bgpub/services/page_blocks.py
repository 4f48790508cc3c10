"""Saving a page's whole block list at once: what an editor does when the user presses Ctrl+S.

Every block is validated like `block add`/`block set` (the renderer's validate_props, asset names);
the write names the revision the editor loaded, so a concurrent save raises Conflict instead of
being silently overwritten. One transaction, one audit row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bgpub.db.models import Page, Project, User
from bgpub.errors import InvalidInput
from bgpub.services.blocks import _asset_names, _Editing, _load, _save, check_block
from bgpub.services.library import current_library, saved_components_of
from bgpub.services.revisions import check_expected


def replace_blocks(actor: User, project: str | Project, slug: str, blocks: Sequence[Mapping[str, Any]], *,
                   expected_revision: int | None = None) -> Page:
    """Sets the page's blocks to `blocks` ([{"component", "props"}] in order); returns the saved page.

    `expected_revision` None overwrites whatever is stored (the user chose to).
    """
    editing: _Editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    if not isinstance(blocks, Sequence) or isinstance(blocks, str | bytes):
        raise InvalidInput("blocks must be a list", where=f"project {editing.project.name}, page {slug}")
    library = current_library()
    saved = saved_components_of(editing.project.organization_id)
    assets = _asset_names(editing.project)
    checked = []
    for index, block in enumerate(blocks):
        where = editing.where(index, str(block.get("component", "")) if isinstance(block, Mapping) else "?")
        if not isinstance(block, Mapping):
            raise InvalidInput("a block must be an object with component and props", where=where)
        component = block.get("component")
        props = check_block(library, component, block.get("props") or {}, where, saved, assets)
        checked.append({"component": component, "props": props})
    editing.blocks = checked
    base = editing.page.revision if expected_revision is None else expected_revision
    return _save(actor, editing, "page.blocks", {"blocks": len(checked)}, base)
