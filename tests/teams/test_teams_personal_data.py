"""Personal data (export, anonymising delete) and the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from teams_world import ORG, PROJECT, ROLE_EMAILS

from bgpub.db.enums import Role
from bgpub.db.fields import utcnow
from bgpub.db.models import AuditLog, BlogPost, OrganizationMember, Project, User
from bgpub.errors import Conflict, PermissionDenied
from bgpub.services import audit, members, pages, users

EDITOR = ROLE_EMAILS[Role.EDITOR]
OWNER = ROLE_EMAILS[Role.OWNER]


def test_export_holds_everything_about_the_user(world, run_cli):
    editor = world.member(Role.EDITOR)
    pages.update_page(editor, PROJECT, "about", title="About the editor")
    data = users.export_user(editor, EDITOR)
    assert data["user"]["email"] == EDITOR
    assert data["memberships"] == [
        {"organization": ORG, "role": "EDITOR", "since": data["memberships"][0]["since"]}
    ]
    assert (
        data["pages_last_edited"][0]["page"] == "about"
        and data["pages_last_edited"][0]["project"] == "acme/site"
    )
    assert [e["action"] for e in data["audit_entries"]] == ["page.update"]
    owner_data = users.export_user(world.member(Role.OWNER), OWNER)
    assert "acme/site" in owner_data["projects_created"]
    assert owner_data["api_keys_created"][0]["name"] == "ci" and "key_hash" not in json.dumps(
        owner_data
    )
    assert [v["number"] for v in owner_data["versions_published"]] == [1, 2]
    with pytest.raises(PermissionDenied, match="only"):
        users.export_user(world.member(Role.OWNER), EDITOR)
    shown = run_cli("user", "export", EDITOR, as_email=EDITOR)
    assert shown.code == 0 and json.loads(shown.out)["user"]["email"] == EDITOR


def test_delete_anonymises_and_keeps_the_audit_trail(world, run_cli):
    editor = world.member(Role.EDITOR)
    pages.update_page(editor, PROJECT, "about", title="Edited")
    members.add_member(world.member(Role.OWNER), ORG, "friend@acme.test", "VIEWER")
    # an older row mentioning the email in its summary, as a label would
    AuditLog.create(
        organization=world.organization(),
        actor=None,
        actor_label="",
        action="note",
        summary={"text": f"talked to {EDITOR}"},
    )
    post = BlogPost.create(
        project=Project.get(Project.name == PROJECT),
        author=editor,
        author_name="Eddie Tor",
        title="Notes",
        slug="notes",
    )
    rows_before = AuditLog.select().count()
    done = run_cli("user", "delete", EDITOR, "--yes", as_email=EDITOR)
    assert done.code == 0, done.err
    gone = User.get_by_id(editor.id)
    assert gone.email.startswith("deleted-") and gone.name == "" and gone.deleted_at is not None
    assert not OrganizationMember.select().where(OrganizationMember.user == gone).exists()
    assert (
        AuditLog.select().count() == rows_before + 1
    )  # nothing removed; the deletion itself recorded
    for row in AuditLog.select():
        assert EDITOR not in row.actor_label and EDITOR not in json.dumps(row.summary)
    edited = AuditLog.get((AuditLog.action == "page.update") & (AuditLog.actor == editor.id))
    assert edited.actor_label == users.ANONYMOUS_LABEL and edited.summary
    assert not User.select().where(User.email == EDITOR).exists()
    assert BlogPost.get_by_id(post.id).author_name == ""  # the byline named them


def test_the_last_owner_cannot_be_deleted(world, run_cli):
    refused = run_cli("user", "delete", OWNER, "--yes")
    assert refused.code != 0 and "last OWNER of acme" in refused.err
    assert User.select().where(User.email == OWNER).exists()
    with pytest.raises(PermissionDenied):
        users.delete_user(world.member(Role.ADMIN), ROLE_EMAILS[Role.VIEWER])
    members.change_role(world.member(Role.OWNER), ORG, ROLE_EMAILS[Role.ADMIN], "OWNER")
    users.delete_user(world.member(Role.OWNER), OWNER)
    with pytest.raises(Conflict, match="last OWNER"):
        users.delete_user(world.user(ROLE_EMAILS[Role.ADMIN]), ROLE_EMAILS[Role.ADMIN])


def test_audit_log_lists_every_change_for_admins(world, run_cli):
    admin = world.member(Role.ADMIN)
    entries = audit.list_entries(admin, ORG)
    actions = [e.action for e in entries]
    assert actions[0] == "org.create" and "member.add" in actions and "integration.add" in actions
    assert all(e.organization_id == world.organization().id for e in entries)
    with pytest.raises(PermissionDenied, match="ADMIN"):
        audit.list_entries(world.member(Role.EDITOR), ORG)
    later = utcnow() + timedelta(days=1)
    assert audit.list_entries(admin, ORG, since=later) == []
    listed = run_cli("audit", ORG, "--since", (utcnow() - timedelta(days=1)).date().isoformat())
    assert listed.code == 0 and f"{OWNER}\torg.create" in listed.out
    assert len(listed.out.splitlines()) == len(entries)
    bad = run_cli("audit", ORG, "--since", "last tuesday")
    assert bad.code != 0 and "--since" in bad.err
