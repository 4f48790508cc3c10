"""The services converted for issue 11's second pass hand front ends frozen domain values that say
what was stored: the audit trail, users, saved components, webhooks, saved blocks, page copies and
the API's project (both databases)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import peewee
import pytest
from tests.services.conftest import fixture_library, org, project  # noqa: F401 (fixtures)

from bgpub.db.models import AuditLog, Component, Page, Webhook
from bgpub.domain.audit import AuditEntry
from bgpub.domain.blocks import Block
from bgpub.domain.components import SavedComponent
from bgpub.domain.enums import ProjectStatus
from bgpub.domain.page_details import PageDetails
from bgpub.domain.pages import PageDocument
from bgpub.domain.users import User
from bgpub.domain.webhooks import AddedWebhook
from bgpub.services import (
    api_access,
    api_keys,
    audit,
    blocks,
    library,
    page_copies,
    pages,
    users,
    webhooks,
)

HERO = [{"component": "hero", "props": {"heading": "Hi"}}]


def _ada(actor: Any) -> Any:
    """An EDITOR of the actor's organization (the actor, its last OWNER, may not be deleted)."""
    from bgpub.services import members

    members.add_member(actor, actor.memberships[0].organization.slug, "ada@example.com", "EDITOR")
    return users.find_user("ada@example.com")


def _api_project(actor: Any) -> object:
    _, plain = api_keys.create_api_key(actor, actor.memberships[0].organization.slug, "ci")
    return api_access.api_project(api_access.verify_bearer(plain), "demo", "read")


CALLS: dict[str, Callable[[Any], object]] = {
    "audit.list_entries": lambda a: audit.list_entries(a, a.memberships[0].organization.slug),
    "users.rename_user": lambda a: users.rename_user(a, "renamed@example.com"),
    "users.rename_user (unchanged)": lambda a: users.rename_user(a, a.email),
    "users.check_user_deletable": lambda a: users.check_user_deletable(_ada(a), "ada@example.com"),
    "users.delete_user": lambda a: users.delete_user(_ada(a), "ada@example.com"),
    "library.save_component": lambda a: library.save_component(a, "big-hero", "hero"),
    "webhooks.new_webhook": lambda a: webhooks.new_webhook(a, "demo", "https://example.com/h"),
    "blocks.save_blocks": lambda a: blocks.save_blocks(a, "demo", "home", HERO),
    "page_copies.copy_page": lambda a: page_copies.copy_page(a, "demo", "home", "home-copy"),
    "api_access.api_project": _api_project,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_front_ends_receive_domain_values(name, actor, project):  # noqa: F811
    pages.create_page(actor, "demo", "home", "Home")
    result = CALLS[name](actor)
    for value in result if isinstance(result, list) else [result]:
        assert not isinstance(value, peewee.Model), f"{name} returned a row: {value!r}"
        assert dataclasses.is_dataclass(value), f"{name} returned {type(value).__name__}"
        assert type(value).__module__.startswith("bgpub.domain."), type(value).__module__
        assert type(value).__dataclass_params__.frozen, f"{type(value).__name__} is not frozen"


def test_audit_entries_read_as_the_rows_say(actor, project, org):  # noqa: F811
    pages.create_page(actor, "demo", "home", "Home")
    entries = audit.list_entries(actor, org.slug)
    rows = list(
        AuditLog.select()
        .where(AuditLog.organization == org)
        .order_by(AuditLog.created_at, AuditLog.id)
    )
    assert entries == [
        AuditEntry(
            r.id,
            org.id,
            r.actor_label,
            r.action,
            r.target_type,
            r.target_id,
            r.created_at,
            r.summary,
        )
        for r in rows
    ]
    assert entries[-1].action == "page.add" and entries[-1].actor_label == actor.email


def test_a_user_reads_as_their_address_and_whether_deleted(actor, project):  # noqa: F811
    renamed = users.rename_user(actor, "Renamed@Example.com")
    assert renamed == User(actor.id, "renamed@example.com", actor.name or "", None)
    assert not renamed.deleted
    ada = _ada(actor)
    assert users.check_user_deletable(ada, "ada@example.com") == User(ada.id, "ada@example.com", "")


def test_deleting_a_user_reports_the_anonymised_user(actor, project):  # noqa: F811
    ada = _ada(actor)
    gone = users.delete_user(ada, "ada@example.com")
    assert (gone.id, gone.email, gone.name) == (ada.id, f"deleted-{ada.id}@deleted.invalid", "")
    assert gone.deleted and gone.deleted_at is not None


def test_a_saved_component_is_what_the_snapshot_carries(actor, project, org):  # noqa: F811
    saved = library.save_component(
        actor, "big-hero", "hero", name="Big hero", defaults={"heading": "Welcome"}
    )
    assert saved == SavedComponent("big-hero", "hero", "Big hero", "", {"heading": "Welcome"})
    assert library.saved_components_of(org) == (saved,)
    assert Component.get(Component.key == "big-hero").name == "Big hero"


def test_an_added_webhook_carries_its_secret_once(actor, project):  # noqa: F811
    added = webhooks.new_webhook(
        actor, "demo", "https://example.com/hook?token=s3cret", events=["publish"]
    )
    row = Webhook.get_by_id(added.id)
    assert added == AddedWebhook(row.id, row.url, ("publish",), False, webhooks.webhook_secret(row))
    assert "s3cret" not in added.url and added.secret.startswith("whsec_")
    assert [w.id for w in webhooks.list_webhooks(actor, "demo")] == [added.id]


def test_saved_blocks_come_back_as_the_editors_document(actor, project):  # noqa: F811
    pages.create_page(actor, "demo", "home", "Home")
    saved = blocks.save_blocks(actor, "demo", "home", HERO, expected_revision=1)
    row = Page.get((Page.project == project) & (Page.slug == "home"))
    assert saved == PageDocument(
        "demo", "home", "Home", row.revision, (Block("hero", row.blocks[0]["props"]),), True
    )
    assert saved == pages.load_page(actor, "demo", "home")


def test_a_page_copy_reads_as_its_details(actor, project):  # noqa: F811
    pages.create_page(actor, "demo", "home", "Home")
    blocks.save_blocks(actor, "demo", "home", HERO)
    copy = page_copies.copy_page(actor, "demo", "home", "home-copy")
    assert copy == PageDetails("demo", "home-copy", "Home (copy)", 1, False, True, False, 1, 2)
    assert copy == pages.show_page(actor, "demo", "home-copy")


def test_the_api_project_is_the_keys_project(actor, project, org):  # noqa: F811
    shown = _api_project(actor)
    assert (shown.id, shown.name, shown.organization, shown.status) == (
        project.id,
        "demo",
        org.slug,
        ProjectStatus.DRAFT,
    )
