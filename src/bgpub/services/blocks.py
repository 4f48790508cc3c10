"""Blocks: the ordered component instances of a page (add, set props, move, duplicate, remove, list,
and replace them all at once: the editor's Ctrl+S).

A page stores its blocks as `[{"component": key, "props": {...}}]`; props are validated against the
component's schema with the renderer's `validate_props` every time they are saved, and asset props
must name an asset of the project. Services take 0-based indexes; messages count from 1.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from bgpub.db.connection import database, is_postgres
from bgpub.db.mapping import page_document
from bgpub.db.models import Asset, Page, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.blocks import BlockView
from bgpub.domain.locations import Location, Where, item_at, prop_at
from bgpub.domain.pages import PageDocument
from bgpub.domain.props import PropSpec
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.render.components import (
    ComponentLibrary,
    ComponentSpec,
    block_where,
    resolve_component,
    validate_props,
)
from bgpub.render.sections import SECTION_BLOCK, reference_name
from bgpub.services import audit
from bgpub.services.library import current_library, saved_components_of
from bgpub.services.lookup import find_organization, find_page, find_project
from bgpub.services.permissions import Action, require
from bgpub.services.revisions import bump_project, check_expected, save_page

# `set_props` without an expected revision: how many times in all it applies its patch when others
# save the page meanwhile; from the third attempt on it first pauses up to PATCH_PAUSE seconds times
# the attempt number (random, so writers spread out).
PATCH_ATTEMPTS = 10
PATCH_PAUSE = 0.004


@dataclass
class _Editing:
    """What every block operation loads: the project, the page, its blocks and the checking context."""

    project: Project
    page: Page
    blocks: list[dict[str, Any]]

    def where(self, index: int, component: str) -> Location:
        return block_where(self.project.name, self.page.slug, index + 1, component)

    def block(self, index: object) -> dict[str, Any]:
        if (
            not isinstance(index, int)
            or isinstance(index, bool)
            or not 0 <= index < len(self.blocks)
        ):
            shown = index + 1 if isinstance(index, int) else repr(index)
            raise InvalidInput(
                f"no block {shown}: the page has {len(self.blocks)} block(s)",
                where=Location(self.project.name, self.page.slug),
                field="block",
            )
        return self.blocks[index]


def _load(actor: User, project: str | Project, slug: str, action: Action = Action.EDIT) -> _Editing:
    project = find_project(actor, project)
    require(actor, project.organization, action)
    page = find_page(project, slug)
    return _Editing(project, page, [dict(b) for b in (page.blocks or [])])


def _asset_names(project: Project) -> dict[str, str]:
    """The project's assets by name with their type, so an image prop can refuse a text file."""
    return {
        name: str(kind)
        for name, kind in tuple_rows(
            Asset.select(Asset.name, Asset.type).where(Asset.project == project)
        )
    }


def check_block(
    library: ComponentLibrary,
    component: object,
    props: object,
    where: Where,
    saved: Iterable[Any],
    assets: Mapping[str, str],
) -> dict[str, Any]:
    """Validates one block and returns the props to store (as given, without defaults)."""
    if not isinstance(component, str):
        raise InvalidInput("component must be a key such as 'hero'", where=where)
    if component == SECTION_BLOCK:  # places a shared section (services/sections.py): {"name": ...}
        return {"name": reference_name(props, where)}
    if not isinstance(props, Mapping):
        raise InvalidInput(f"props must be an object, got {type(props).__name__}", where=where)
    stored = {k: v for k, v in props.items() if v is not None}
    validate_props(library, component, stored, where, tuple(saved), assets=assets)
    return stored


def block_problems(
    library: ComponentLibrary,
    component: object,
    props: object,
    where: Where,
    saved: Iterable[Any],
    assets: Mapping[str, str],
) -> list[InvalidInput]:
    """Every problem of one block, one per prop (validate_props stops at the first), for an editor
    that shows each invalid field's message next to it as the user types; empty when the block is valid.

    Each prop is checked by the renderer's validate_props against the component reduced to that one
    prop, so the others' problems (a required prop still empty) cannot hide it.
    """
    try:
        check_block(library, component, props, where, saved, assets)
    except InvalidInput as error:
        first = error  # `error` itself is unbound when the except block ends
        if not isinstance(component, str) or not isinstance(props, Mapping):
            return [first]
    else:
        return []
    saved = tuple(saved)
    try:
        spec, defaults = resolve_component(library, component, where, saved)
    except InvalidInput:  # no such component (removed from the library): that is its one problem
        return [first]
    values = {**defaults, **{k: v for k, v in props.items() if v is not None}}
    known = {p.name for p in spec.props}
    problems = [
        InvalidInput(
            f"unknown prop (known: {', '.join(sorted(known)) or 'none'})",
            where=prop_at(where, name),
        )
        for name in sorted(set(values) - known)
    ]
    for prop in spec.props:
        problems.extend(_prop_problems(spec, prop, values, where, assets))
    return problems


def _prop_problems(
    spec: ComponentSpec,
    prop: PropSpec,
    values: Mapping[str, Any],
    where: Where,
    assets: Mapping[str, str],
) -> list[InvalidInput]:
    """The problem of one prop; for a list whose items are wrong, the problem of each item's field."""
    problem = _alone(
        spec, prop, {prop.name: values[prop.name]} if prop.name in values else {}, where, assets
    )
    items: Any = values.get(prop.name)  # JSON: a list for list props
    if problem is None or prop.type != "list" or not _inside_an_item(problem, prop.name):
        return [] if problem is None else [problem]
    found = []
    names = {f.name for f in prop.fields}
    for index, item in enumerate(items, start=1):
        here = item_at(prop_at(where, prop.name), index)
        if not isinstance(item, Mapping):
            found.append(
                InvalidInput(f"list item must be an object, got {type(item).__name__}", where=here)
            )
            continue
        found.extend(
            InvalidInput("unknown prop", where=prop_at(here, key))
            for key in sorted(set(item) - names)
        )
        for field in prop.fields:
            one = dataclasses.replace(prop, fields=(field,), min_items=None, max_items=None)
            value = [{field.name: item[field.name]} if field.name in item else {}]
            error = _alone(spec, one, {prop.name: value}, where, assets)
            if error is not None:
                found.append(
                    InvalidInput(
                        error.message, where=_at_item(error, prop.name, index), field=error.field
                    )
                )
    return found or [problem]


def _inside_an_item(problem: InvalidInput, name: str) -> bool:
    """Whether `problem` is about a field inside one item of list prop `name` (not the list as a whole)."""
    if problem.location is not None:
        path = problem.location.prop_path
        return len(path) > 1 and path[0] == name and isinstance(path[1], int)
    return f"prop {name}[" in (problem.where or "")


def _at_item(error: InvalidInput, name: str, position: int) -> Where:
    """The place of `error` (found on a one-item list) moved to item `position` of list prop `name`."""
    if error.location is not None:
        path = error.location.prop_path
        return dataclasses.replace(error.location, prop_path=(name, position, *path[2:]))
    return (error.where or "").replace(f"prop {name}[1]", f"prop {name}[{position}]", 1)


def _alone(
    spec: ComponentSpec,
    prop: PropSpec,
    props: dict[str, Any],
    where: Where,
    assets: Mapping[str, str],
) -> InvalidInput | None:
    """validate_props on the component reduced to one prop: that prop's first problem, or None."""
    try:
        validate_props(
            ComponentLibrary([dataclasses.replace(spec, props=(prop,))]),
            spec.key,
            props,
            where,
            assets=assets,
        )
    except InvalidInput as exc:
        return exc
    return None


def _save(
    actor: User,
    editing: _Editing,
    action: str,
    summary: dict[str, Any],
    expected_revision: int | None,
) -> Page:
    with database.atomic():
        save_page(
            editing.page, editing.project, actor, {"blocks": editing.blocks}, expected_revision
        )
        bump_project(editing.project)
        audit.record(
            actor,
            editing.project.organization,
            action,
            "page",
            editing.page.id,
            {"project": editing.project.name, "page": editing.page.slug, **summary},
        )
    return editing.page


def list_blocks(actor: User, project: str | Project, slug: str) -> list[BlockView]:
    editing = _load(actor, project, slug, Action.READ)
    return [
        BlockView(i, b.get("component", ""), dict(b.get("props") or {}))
        for i, b in enumerate(editing.blocks)
    ]


def describe_blocks(actor: User, project: str | Project, slug: str) -> list[BlockView]:
    """The page's blocks as they render: props with the component's (or saved component's) defaults
    filled in, and the component's display name; for listings, where a default heading is still a heading."""
    editing = _load(actor, project, slug, Action.READ)
    library = current_library()
    saved = saved_components_of(editing.project.organization_id)
    views = []
    for index, block in enumerate(editing.blocks):
        key = str(block.get("component", ""))
        stored = dict(block.get("props") or {})
        try:
            spec, saved_defaults = resolve_component(library, key, editing.where(index, key), saved)
        except InvalidInput:  # an unknown component still lists, as stored
            views.append(BlockView(index, key, stored, key))
            continue
        name = next((s.name for s in saved if s.key == key), spec.name)
        defaults = {p.name: p.default for p in spec.props if p.default is not None}
        views.append(BlockView(index, key, {**defaults, **saved_defaults, **stored}, name))
    return views


def add_block(
    actor: User,
    project: str | Project,
    slug: str,
    component: str,
    props: Mapping[str, Any] | None = None,
    *,
    at: int | None = None,
    expected_revision: int | None = None,
) -> BlockView:
    """Inserts a block of `component` at index `at` (default: last)."""
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    at = len(editing.blocks) if at is None else at
    if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= len(editing.blocks):
        shown = at + 1 if isinstance(at, int) else repr(at)
        raise InvalidInput(
            f"position {shown} is outside 1..{len(editing.blocks) + 1}",
            where=f"project {editing.project.name}, page {editing.page.slug}",
            field="at",
        )
    where = editing.where(at, str(component))
    stored = check_block(
        current_library(),
        component,
        props or {},
        where,
        saved_components_of(editing.project.organization_id),
        _asset_names(editing.project),
    )
    editing.blocks.insert(at, {"component": component, "props": stored})
    _save(actor, editing, "block.add", {"block": at + 1, "component": component}, expected_revision)
    return BlockView(at, component, stored)


def set_props(
    actor: User,
    project: str | Project,
    slug: str,
    index: int,
    props: Mapping[str, Any],
    *,
    replace: bool = False,
    expected_revision: int | None = None,
) -> BlockView:
    """Merges `props` into the block's props (a None value removes one); `replace=True` replaces them all.

    With `expected_revision` any change of the page since that revision is a Conflict. Without it, a
    save of the page by someone else meanwhile does not fail the edit: the page is read again, locked,
    and the patch applied again (at most PATCH_ATTEMPTS attempts in all); only a change since the first
    read of a prop this edit writes, or of the page's list of blocks, is a Conflict.
    """
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    block = editing.block(index)
    component = block.get("component", "")
    where = editing.where(index, component)
    if not isinstance(props, Mapping):
        raise InvalidInput(f"props must be an object, got {type(props).__name__}", where=where)
    first = [copy.deepcopy(b) for b in editing.blocks]
    library = current_library()
    saved = saved_components_of(editing.project.organization_id)

    def apply(editing: _Editing, block: Mapping[str, Any]) -> BlockView:
        merged = dict(props) if replace else {**(block.get("props") or {}), **props}
        stored = check_block(
            library, component, merged, where, saved, _asset_names(editing.project)
        )
        editing.blocks[index] = {"component": component, "props": stored}
        _save(
            actor,
            editing,
            "block.set",
            {"block": index + 1, "component": component, "props": sorted(props)},
            expected_revision,
        )
        return BlockView(index, component, stored)

    try:
        return apply(editing, block)  # optimistic: most edits meet no other writer
    except Conflict as exc:
        if expected_revision is not None:
            raise
        missed = exc
    for attempt in range(2, PATCH_ATTEMPTS + 1):
        if attempt > 2:  # the lock did not hold (a database without one): spread the writers out
            time.sleep(random.uniform(0, PATCH_PAUSE * attempt))
        with _writing():
            editing = _reread(editing)
            block = _rebased(first, editing, index, props, replace, where)
            try:
                return apply(editing, block)
            except Conflict as exc:
                missed = exc
    raise Conflict(
        f"the page kept changing while this edit was applied ({PATCH_ATTEMPTS} attempts); try again",
        where=where,
    ) from missed


def _writing() -> AbstractContextManager[Any]:
    """A transaction that holds the write lock from its start (SQLite); PostgreSQL locks rows as read."""
    return database.atomic() if is_postgres() else database.atomic(lock_type="IMMEDIATE")


def _reread(editing: _Editing) -> _Editing:
    """The page as stored now, locked until the transaction ends (by id: a concurrent rename of its
    slug does not lose it)."""
    query = Page.select().where(Page.id == editing.page.id)
    page = (query.for_update() if is_postgres() else query).first()
    if page is None:
        raise NotFound(
            f"page {editing.page.slug!r} was deleted meanwhile",
            where=f"project {editing.project.name}",
        )
    return _Editing(editing.project, page, [dict(b) for b in (page.blocks or [])])


def _rebased(
    first: list[dict[str, Any]],
    now: _Editing,
    index: int,
    props: Mapping[str, Any],
    replace: bool,
    where: Where,
) -> dict[str, Any]:
    """Block `index` as stored now, when what changed since the first read leaves this edit's props alone.

    The page must still hold the same components in the same order (blocks have no ids: else the index
    may name another block), and each prop the edit writes must hold what it held at the first read,
    or already what the edit writes; otherwise someone else edited the same prop meanwhile and this
    edit is a Conflict.
    """
    if [b.get("component") for b in now.blocks] != [b.get("component") for b in first]:
        raise Conflict(
            "blocks of the page were added, moved or removed meanwhile; list them and set the prop again",
            where=where,
        )
    before, current = first[index].get("props") or {}, now.blocks[index].get("props") or {}
    names = set(before) | set(current) | set(props) if replace else set(props)
    for name in sorted(names):
        wanted = props.get(name)
        was, is_now = before.get(name), current.get(name)
        if not _same(was, is_now) and not _same(wanted, is_now):
            raise Conflict(
                f"someone else changed this prop meanwhile (from {_shown(was)} to {_shown(is_now)}); "
                "look at it and set it again",
                where=prop_at(where, name),
                field=name,
            )
    return now.blocks[index]


def _same(a: Any, b: Any) -> bool:
    """Equal as stored JSON (True is not 1; a missing prop is None, as a None value removes it)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _shown(value: Any) -> str:
    text = "(unset)" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def move_block(
    actor: User,
    project: str | Project,
    slug: str,
    index: int,
    to: int,
    *,
    expected_revision: int | None = None,
) -> BlockView:
    """Moves block `index` so it ends up at index `to`."""
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    block = editing.block(index)
    editing.block(to)
    editing.blocks.insert(to, editing.blocks.pop(index))
    _save(actor, editing, "block.move", {"from": index + 1, "to": to + 1}, expected_revision)
    return BlockView(to, block.get("component", ""), dict(block.get("props") or {}))


def duplicate_block(
    actor: User,
    project: str | Project,
    slug: str,
    index: int,
    *,
    expected_revision: int | None = None,
) -> BlockView:
    """Inserts a copy of block `index` right after it."""
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    block = copy.deepcopy(editing.block(index))
    editing.blocks.insert(index + 1, block)
    _save(actor, editing, "block.duplicate", {"block": index + 1}, expected_revision)
    return BlockView(index + 1, block.get("component", ""), dict(block.get("props") or {}))


def remove_block(
    actor: User,
    project: str | Project,
    slug: str,
    index: int,
    *,
    expected_revision: int | None = None,
) -> BlockView:
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    block = editing.block(index)
    editing.blocks.pop(index)
    _save(
        actor,
        editing,
        "block.remove",
        {"block": index + 1, "component": block.get("component", "")},
        expected_revision,
    )
    return BlockView(index, block.get("component", ""), dict(block.get("props") or {}))


def replace_blocks(
    actor: User,
    project: str | Project,
    slug: str,
    blocks: Sequence[Mapping[str, Any]],
    *,
    expected_revision: int | None = None,
) -> Page:
    """Sets the page's blocks to `blocks` ([{"component", "props"}] in order); returns the saved page.

    Each block is checked like `add_block`; `expected_revision` is the revision the editor loaded, so a
    concurrent save raises Conflict; None overwrites whatever is stored (the user chose to).
    """
    return _replace_blocks(actor, project, slug, blocks, expected_revision)[0]


def save_blocks(
    actor: User,
    project: str | Project,
    slug: str,
    blocks: Sequence[Mapping[str, Any]],
    *,
    expected_revision: int | None = None,
) -> PageDocument:
    """`replace_blocks` for front ends: the saved page as the document the editor edits."""
    page, project_name = _replace_blocks(actor, project, slug, blocks, expected_revision)
    return page_document(page, project_name)


def _replace_blocks(
    actor: User,
    project: str | Project,
    slug: str,
    blocks: Sequence[Mapping[str, Any]],
    expected_revision: int | None,
) -> tuple[Page, str]:
    """The saved page and its project's name (what `save_blocks` maps without another query)."""
    editing = _load(actor, project, slug)
    check_expected(editing.page, editing.project, expected_revision)
    if not isinstance(blocks, Sequence) or isinstance(blocks, str | bytes):
        raise InvalidInput(
            "blocks must be a list", where=f"project {editing.project.name}, page {slug}"
        )
    library = current_library()
    saved = saved_components_of(editing.project.organization_id)
    assets = _asset_names(editing.project)
    checked = []
    for index, block in enumerate(blocks):
        where = editing.where(
            index, str(block.get("component", "")) if isinstance(block, Mapping) else "?"
        )
        if not isinstance(block, Mapping):
            raise InvalidInput("a block must be an object with component and props", where=where)
        component = block.get("component")
        props = check_block(library, component, block.get("props") or {}, where, saved, assets)
        checked.append({"component": component, "props": props})
    editing.blocks = checked
    base = editing.page.revision if expected_revision is None else expected_revision
    return _save(
        actor, editing, "page.blocks", {"blocks": len(checked)}, base
    ), editing.project.name


def parse_assignments(
    actor: User,
    project: str | Project | None,
    component: str | None,
    assignments: Iterable[str],
    *,
    slug: str | None = None,
    index: int | None = None,
) -> dict[str, Any]:
    """`NAME=VALUE` texts from the command line as typed props, by the component's schema.

    Numbers and booleans are parsed, list props are JSON text, everything else stays a string;
    an empty VALUE of a non-text prop removes it (the default applies). With `slug` and `index`
    the component is the one of that block; without a project, the actor's organization's saved
    components are known.
    """
    where: Where
    if project is None:
        org = find_organization(actor)
        require(actor, org, Action.READ)
        org_id, where = org.id, f"component {component}"
    else:
        project = find_project(actor, project)
        require(actor, project.organization, Action.READ)
        org_id = project.organization_id
        where = (
            f"project {project.name}"
            + (f", page {slug}" if slug else "")
            + f", component {component}"
        )
    if component is None:
        assert project is not None  # a block by position is always a project's (the CLI names one)
        editing = _load(actor, project, slug or "", Action.READ)
        component = editing.block(index).get("component", "")
        where = editing.where(index or 0, component)
    spec, _ = resolve_component(current_library(), component, where, saved_components_of(org_id))
    props: dict[str, Any] = {}
    for text in assignments:
        name, sep, raw = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInput(f"expected NAME=VALUE, got {text!r}", where=where)
        prop = spec.prop(name)
        props[name] = prop.coerce(raw, prop_at(where, name)) if prop else raw
    return props
