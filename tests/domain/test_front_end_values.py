"""Services hand front ends domain values, never Peewee rows (issue 11 item 2): each service function
the CLI, the editor, the preview or the collector calls returns frozen dataclasses from
`bgpub.domain` (or lists of them), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import peewee
import pytest
from tests.services.conftest import fixture_library, org, project  # noqa: F401 (fixtures)

from bgpub.services import (
    assets,
    members,
    organizations,
    page_windows,
    pages,
    projects,
    targets,
)

Call = Callable[[Any, Any], object]


def _targets_add(actor: Any, tmp_path: Any) -> object:
    return targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))


def _targets_update(actor: Any, tmp_path: Any) -> object:
    targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    return targets.update_target(actor, "demo", "www", path=str(tmp_path / "moved"))


def _targets_update_unchanged(actor: Any, tmp_path: Any) -> object:
    targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    return targets.update_target(actor, "demo", "www", path=str(tmp_path / "www"))


def _targets_list(actor: Any, tmp_path: Any) -> object:
    targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    return targets.list_targets(actor, "demo", tmp_path)


def _targets_show(actor: Any, tmp_path: Any) -> object:
    targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    return targets.show_target(actor, "demo", "www", tmp_path)


def _targets_check(actor: Any, tmp_path: Any) -> object:
    targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    return targets.check_target(actor, "demo", "www", tmp_path)


def _members_add(actor: Any, tmp_path: Any) -> object:
    return members.add_member(actor, _org_slug(actor), "ada@example.com", "EDITOR")


def _members_role(actor: Any, tmp_path: Any) -> object:
    members.add_member(actor, _org_slug(actor), "ada@example.com", "EDITOR")
    return members.change_role(actor, _org_slug(actor), "ada@example.com", "ADMIN")


def _members_role_unchanged(actor: Any, tmp_path: Any) -> object:
    members.add_member(actor, _org_slug(actor), "ada@example.com", "EDITOR")
    return members.change_role(actor, _org_slug(actor), "ada@example.com", "EDITOR")


def _members_list(actor: Any, tmp_path: Any) -> object:
    return members.list_members(actor, _org_slug(actor))


def _org_slug(actor: Any) -> str:
    return str(actor.memberships[0].organization.slug)


def _orgs_create(actor: Any, tmp_path: Any) -> object:
    return organizations.create_organization(actor, "acme", "Acme")


def _orgs_list(actor: Any, tmp_path: Any) -> object:
    return organizations.list_organizations(actor)


def _orgs_show(actor: Any, tmp_path: Any) -> object:
    return organizations.show_organization(actor, _org_slug(actor))


def _orgs_get(actor: Any, tmp_path: Any) -> object:
    return organizations.get_organization(actor, _org_slug(actor))


def _orgs_rename(actor: Any, tmp_path: Any) -> object:
    return organizations.rename_organization(actor, _org_slug(actor), "Renamed")


def _orgs_tier(actor: Any, tmp_path: Any) -> object:
    return organizations.change_tier(actor, _org_slug(actor), "ENTERPRISE")


def _orgs_transfer(actor: Any, tmp_path: Any) -> object:
    members.add_member(actor, _org_slug(actor), "ada@example.com", "ADMIN")
    return organizations.transfer_organization(actor, _org_slug(actor), "ada@example.com")


def _page(actor: Any) -> None:
    pages.create_page(actor, "demo", "home", "Home")
    pages.create_page(actor, "demo", "about", "About")


PAGE_CALLS: dict[str, Callable[[Any], object]] = {
    "pages.create_page": lambda a: pages.create_page(a, "demo", "contact", "Contact"),
    "page_windows.page_window": lambda a: page_windows.page_window(a, "demo", keep="about"),
    "pages.list_page_details": lambda a: pages.list_page_details(a, "demo"),
    "pages.show_page": lambda a: pages.show_page(a, "demo", "about"),
    "pages.load_page": lambda a: pages.load_page(a, "demo", "about"),
    "pages.update_page": lambda a: pages.update_page(a, "demo", "about", seo_title="About us"),
    "pages.update_page (unchanged)": lambda a: pages.update_page(a, "demo", "about"),
    "pages.rename_page": lambda a: pages.rename_page(a, "demo", "about", "About us"),
    "pages.change_slug": lambda a: pages.change_slug(a, "demo", "about", "about-us"),
    "pages.move_page": lambda a: pages.move_page(a, "demo", "about", 0),
    "pages.move_page (unchanged)": lambda a: pages.move_page(a, "demo", "about", 1),
    "pages.set_home": lambda a: pages.set_home(a, "demo", "about"),
    "pages.set_home (unchanged)": lambda a: pages.set_home(a, "demo", "home"),
}


def _page_call(name: str) -> Call:
    def call(actor: Any, tmp_path: Any) -> object:
        _page(actor)
        return PAGE_CALLS[name](actor)

    return call


PROJECT_CALLS: dict[str, Callable[[Any], object]] = {
    "projects.new_project": lambda a: projects.new_project(a, "fresh", title="Fresh"),
    "projects.show_project": lambda a: projects.show_project(a, "demo"),
    "projects.show_previewable_project": lambda a: projects.show_previewable_project(a, "demo"),
    "projects.list_projects": lambda a: projects.list_projects(a),
    "projects.update_project": lambda a: projects.update_project(a, "demo", title="Renamed"),
    "projects.update_project (unchanged)": lambda a: projects.update_project(a, "demo"),
    "projects.archive_project": lambda a: projects.archive_project(a, "demo"),
}


PNG = bytes.fromhex(  # a 1x1 transparent PNG, as Pillow writes it
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def _asset_call(call: Callable[[Any], object]) -> Call:
    def run(actor: Any, tmp_path: Any) -> object:
        assets.add_asset(actor, "demo", PNG, name="logo.png")
        return call(actor)

    return run


ASSET_CALLS: dict[str, Callable[[Any], object]] = {
    "assets.add_asset": lambda a: assets.add_asset(a, "demo", PNG, name="icon.png"),
    "assets.list_assets": lambda a: assets.list_assets(a, "demo"),
    "assets.show_asset": lambda a: assets.show_asset(a, "demo", "logo.png"),
    "assets.set_alt": lambda a: assets.set_alt(a, "demo", "logo.png", "Our logo"),
    "assets.set_focus": lambda a: assets.set_focus(a, "demo", "logo.png", 0.25, 0.75),
}


CALLS: dict[str, Call] = {
    **{name: _asset_call(call) for name, call in ASSET_CALLS.items()},
    **{name: (lambda a, _t, call=call: call(a)) for name, call in PROJECT_CALLS.items()},
    **{name: _page_call(name) for name in PAGE_CALLS},
    "organizations.create_organization": _orgs_create,
    "organizations.list_organizations": _orgs_list,
    "organizations.show_organization": _orgs_show,
    "organizations.get_organization": _orgs_get,
    "organizations.rename_organization": _orgs_rename,
    "organizations.change_tier": _orgs_tier,
    "organizations.transfer_organization": _orgs_transfer,
    "members.add_member": _members_add,
    "members.change_role": _members_role,
    "members.change_role (unchanged)": _members_role_unchanged,
    "members.list_members": _members_list,
    "targets.add_target": _targets_add,
    "targets.update_target": _targets_update,
    "targets.update_target (unchanged)": _targets_update_unchanged,
    "targets.list_targets": _targets_list,
    "targets.show_target": _targets_show,
    "targets.check_target": _targets_check,
}


def _values(result: object) -> list[object]:
    """The values a result carries: itself, or the items of a list or tuple (never empty)."""
    items = list(result) if isinstance(result, list | tuple) else [result]
    assert items, "the call returned nothing to check"
    return items


@pytest.mark.parametrize("name", sorted(CALLS))
def test_front_ends_receive_domain_values(name, actor, project, tmp_path):  # noqa: F811
    result = CALLS[name](actor, tmp_path)
    for value in _values(result):
        assert not isinstance(value, peewee.Model), f"{name} returned a row: {value!r}"
        assert dataclasses.is_dataclass(value), f"{name} returned {type(value).__name__}"
        assert type(value).__module__.startswith("bgpub.domain."), type(value).__module__
        assert type(value).__dataclass_params__.frozen, f"{type(value).__name__} is not frozen"


def test_an_added_target_echoes_what_was_stored(actor, project, tmp_path):  # noqa: F811
    from bgpub.domain.enums import TargetKind
    from bgpub.domain.targets import Target

    added = targets.add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    moved = targets.update_target(actor, "demo", "www", path=str(tmp_path / "moved"))
    assert added == Target("demo", "www", TargetKind.DIR, {"path": str(tmp_path / "www")})
    assert moved == Target("demo", "www", TargetKind.DIR, {"path": str(tmp_path / "moved")})


def test_a_membership_reads_as_who_and_which_role(actor, project, org):  # noqa: F811
    from bgpub.domain.enums import Role
    from bgpub.domain.members import Member

    added = members.add_member(actor, org.slug, "ada@example.com", "EDITOR")
    changed = members.change_role(actor, org.slug, "ada@example.com", "ADMIN")
    assert added == Member(org.slug, "ada@example.com", "", Role.EDITOR)
    assert changed == Member(org.slug, "ada@example.com", "", Role.ADMIN)


def test_an_organization_reads_as_its_subscription(actor, project, org):  # noqa: F811
    from bgpub.domain.enums import SubscriptionStatus, SubscriptionTier
    from bgpub.domain.tenants import Organization

    created = organizations.create_organization(actor, "acme", "Acme")
    assert created == Organization(
        "acme", "Acme", SubscriptionTier.FREE, SubscriptionStatus.ACTIVE, False
    )
    changed = organizations.change_tier(actor, "acme", "STARTER")
    assert (changed.tier, changed.subscription_status) == (
        SubscriptionTier.STARTER,
        SubscriptionStatus.ACTIVE,
    )
    renamed = organizations.rename_organization(actor, "acme", "Acme Inc")
    assert (renamed.slug, renamed.name, renamed.tier) == (
        "acme",
        "Acme Inc",
        SubscriptionTier.STARTER,
    )
    shown = organizations.show_organization(actor, "acme")
    assert (shown.slug, shown.role, shown.tier, shown.projects) == ("acme", "OWNER", "STARTER", 0)


def test_page_values_say_where_the_page_sits(actor, project):  # noqa: F811
    from bgpub.domain.page_details import PageDetails

    _page(actor)
    made = pages.create_page(actor, "demo", "contact", "Contact", position=1, show_in_nav=False)
    assert made == PageDetails("demo", "contact", "Contact", 1, False, False, False, 0, 1)
    moved = pages.move_page(actor, "demo", "contact", 2)
    assert (moved.position, moved.revision) == (2, 1)
    renamed = pages.rename_page(actor, "demo", "contact", "Write to us")
    assert (renamed.title, renamed.revision) == ("Write to us", 2)
    home = pages.set_home(actor, "demo", "contact")
    assert (home.is_home, home.url) == (True, "/")
    listed = pages.list_page_details(actor, "demo")
    assert [(p.slug, p.position, p.is_home) for p in listed] == [
        ("home", 0, False),
        ("about", 1, False),
        ("contact", 2, True),
    ]
    document = pages.load_page(actor, "demo", "contact")
    assert (document.project, document.slug, document.revision, document.blocks) == (
        "demo",
        "contact",
        2,
        (),
    )


def test_project_values_carry_the_settings(actor, project, org):  # noqa: F811
    from bgpub.domain.enums import ProjectStatus

    made = projects.new_project(actor, "fresh", title="Fresh", theme="midnight")
    assert (made.ref, made.title, made.theme, made.status) == (
        f"{org.slug}/fresh",
        "Fresh",
        "midnight",
        ProjectStatus.DRAFT,
    )
    changed = projects.update_project(
        actor, "fresh", custom_domain="www.example.com", settings={"footer_note": "Hi"}
    )
    assert (changed.custom_domain, changed.settings, changed.revision) == (
        "www.example.com",
        {"footer_note": "Hi"},
        made.revision + 1,
    )
    pages.create_page(actor, "fresh", "home", "Home")
    shown = projects.show_project(actor, "fresh")
    assert (shown.pages, shown.organization_id) == (1, org.id)
    assert projects.archive_project(actor, "fresh").status == ProjectStatus.ARCHIVED


def test_asset_values_carry_alt_text_and_focus(actor, project):  # noqa: F811
    added = assets.add_asset(actor, "demo", PNG, name="logo.png", alt="Logo")
    assert (added.name, added.type, added.mime, added.alt, added.width) == (
        "logo.png",
        "IMAGE",
        "image/png",
        "Logo",
        1,
    )
    assert assets.set_alt(actor, "demo", "logo.png", "Our logo").alt == "Our logo"
    assert assets.set_focus(actor, "demo", "logo.png", 0.25, 0.75).focus == (0.25, 0.75)
    assert assets.show_asset(actor, "demo", "logo.png").focus == (0.25, 0.75)


CONVERTED = ("targets", "members", "organizations", "pages", "projects", "assets")
FRONT_ENDS = ("cli", "tui", "preview", "collector")
# Front-end files not yet switched (owned elsewhere while this landed): each names its domain twin.
PENDING: dict[tuple[str, str], str] = {}  # (front-end file, row function): its domain twin


def _returns_rows(function: Any) -> bool:
    """Whether the annotated return is a Peewee model, or a list or tuple of them."""
    import typing

    hint = typing.get_type_hints(function).get("return")
    hints = [hint, *typing.get_args(hint)]
    return any(isinstance(h, type) and issubclass(h, peewee.Model) for h in hints)


def test_front_ends_import_no_row_returning_function_of_the_converted_services():
    """A static guard for the same rule: no front end imports a function of these services whose
    return annotation is a row (the row helpers stay for service-to-service use)."""
    import ast
    import importlib
    from pathlib import Path

    import bgpub

    root = Path(bgpub.__file__).parent
    found = set()
    for front_end in FRONT_ENDS:
        for path in sorted((root / front_end).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.module is None:
                    continue
                if node.module not in {f"bgpub.services.{m}" for m in CONVERTED}:
                    continue
                module = importlib.import_module(node.module)
                for alias in node.names:
                    function = getattr(module, alias.name)
                    if callable(function) and _returns_rows(function):
                        found.add((str(path.relative_to(root)), alias.name))
    assert found == set(PENDING), sorted(found ^ set(PENDING))
    assert _returns_rows(projects.get_project)  # the guard sees a row-returning function
