"""Who is acting, organizations and members: invitations, roles, the last OWNER, impersonation."""

from __future__ import annotations

import pytest
from teams_world import ORG, OUTSIDER, ROLE_EMAILS, TARGET

from bgpub.config import read_config_file
from bgpub.db.enums import Role
from bgpub.db.models import AuditLog, OrganizationMember, User
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import members, organizations

OWNER = ROLE_EMAILS[Role.OWNER]
ADMIN = ROLE_EMAILS[Role.ADMIN]


def _role(email: str, org: str = ORG) -> str | None:
    row = (
        OrganizationMember.select()
        .join(User)
        .where(User.email == email)
        .switch(OrganizationMember)
        .join(OrganizationMember.organization.rel_model)
        .where(OrganizationMember.organization.rel_model.slug == org)
        .first()
    )
    return row.role.value if row else None


def test_inviting_an_unknown_email_creates_the_user(world):
    owner = world.member(Role.OWNER)
    members.add_member(owner, ORG, "  New.Person@Example.COM ", "editor")
    user = User.get(User.email == "new.person@example.com")
    assert user.name == "" and _role(user.email) == "EDITOR"
    with pytest.raises(Conflict, match="already a member"):
        members.add_member(owner, ORG, "new.person@example.com", "VIEWER")
    with pytest.raises(InvalidInput, match="email"):
        members.add_member(owner, ORG, "not-an-email", "VIEWER")
    with pytest.raises(InvalidInput, match="role"):
        members.add_member(owner, ORG, "x@example.com", "SUPERUSER")
    assert not User.select().where(User.email == "x@example.com").exists()


def test_the_last_owner_can_be_neither_removed_nor_demoted(world):
    owner = world.member(Role.OWNER)
    with pytest.raises(Conflict, match="last OWNER"):
        members.remove_member(owner, ORG, OWNER)
    with pytest.raises(Conflict, match="last OWNER"):
        members.change_role(owner, ORG, OWNER, "ADMIN")
    members.change_role(owner, ORG, ADMIN, "OWNER")
    members.change_role(owner, ORG, OWNER, "VIEWER")  # now someone else owns it
    assert _role(OWNER) == "VIEWER" and _role(ADMIN) == "OWNER"
    with pytest.raises(Conflict, match="last OWNER"):
        members.remove_member(world.user(ADMIN), ORG, ADMIN)


def test_admins_manage_members_below_owner_only(world):
    admin = world.member(Role.ADMIN)
    members.change_role(admin, ORG, TARGET, "EDITOR")
    with pytest.raises(PermissionDenied, match="OWNER"):
        members.add_member(admin, ORG, "boss@acme.test", "OWNER")
    with pytest.raises(PermissionDenied, match="OWNER"):
        members.change_role(admin, ORG, TARGET, "OWNER")
    with pytest.raises(PermissionDenied, match="OWNER"):
        members.change_role(admin, ORG, OWNER, "VIEWER")
    with pytest.raises(PermissionDenied, match="OWNER"):
        members.remove_member(admin, ORG, OWNER)
    assert _role(OWNER) == "OWNER"


def test_anyone_may_leave_and_outsiders_see_nothing(world):
    viewer = world.member(Role.VIEWER)
    members.remove_member(viewer, ORG, ROLE_EMAILS[Role.VIEWER])
    assert _role(ROLE_EMAILS[Role.VIEWER]) is None
    with pytest.raises(NotFound):
        members.list_members(world.user(OUTSIDER), ORG)
    with pytest.raises(NotFound):
        organizations.get_organization(world.user(OUTSIDER), ORG)


def test_transfer_and_tier_and_delete(world):
    owner = world.member(Role.OWNER)
    organizations.transfer_organization(owner, ORG, ADMIN)
    assert _role(ADMIN) == "OWNER" and _role(OWNER) == "ADMIN"
    with pytest.raises(PermissionDenied, match="OWNER"):
        organizations.change_tier(owner, ORG, "FREE")
    new_owner = world.user(ADMIN)
    with pytest.raises(InvalidInput, match="confirm"):
        organizations.delete_organization(new_owner, ORG, confirm="nope")
    organizations.delete_organization(new_owner, ORG, confirm=ORG)
    assert organizations.list_organizations(new_owner) == []
    assert AuditLog.select().where(AuditLog.action == "org.delete").count() == 1


def test_create_organization_checks_the_slug(world):
    owner = world.member(Role.OWNER)
    with pytest.raises(Conflict, match="taken"):
        organizations.create_organization(owner, ORG)
    with pytest.raises(InvalidInput, match="slug"):
        organizations.create_organization(owner, "Bad Slug!")
    org = organizations.create_organization(owner, "acme-labs", "Acme Labs")
    summary = organizations.show_organization(owner, org.slug)
    assert (summary.role, summary.tier, summary.projects_allowed) == ("OWNER", "FREE", 1)


def test_cli_org_and_member_commands(world, run_cli):
    assert run_cli("org", "create", "team-x").code == 0
    listed = run_cli("org", "list")
    assert "team-x\tOWNER\tFREE" in listed.out and "acme\tOWNER\tENTERPRISE" in listed.out
    assert run_cli("member", "add", "team-x", "pat@example.com", "--role", "editor").code == 0
    assert "EDITOR\tpat@example.com" in run_cli("member", "list", "team-x").out
    assert run_cli("member", "role", "team-x", "pat@example.com", "admin").code == 0
    refused = run_cli("member", "remove", "team-x", OWNER)
    assert refused.code != 0 and refused.err.startswith("error:") and "last OWNER" in refused.err
    shown = run_cli("org", "show", "acme")
    assert "ENTERPRISE" in shown.out and "projects: 1 (unlimited)" in shown.out
    denied = run_cli("member", "add", "acme", "z@example.com", as_email=ROLE_EMAILS[Role.EDITOR])
    assert denied.code != 0 and "needs the ADMIN role" in denied.err
    assert "Traceback" not in denied.err
    assert run_cli("member", "remove", "team-x", "pat@example.com").code == 0


def test_whoami_and_impersonation(world, run_cli, monkeypatch):
    who = run_cli("whoami", as_email=ROLE_EMAILS[Role.EDITOR])
    assert who.out.splitlines()[0] == ROLE_EMAILS[Role.EDITOR] and "acme: EDITOR" in who.out
    refused = run_cli("--as", ROLE_EMAILS[Role.VIEWER], "whoami")
    assert refused.code != 0 and "impersonation" in refused.err
    monkeypatch.setenv("BGPUB_ALLOW_IMPERSONATION", "1")
    allowed = run_cli("--as", ROLE_EMAILS[Role.VIEWER], "whoami")
    assert allowed.code == 0 and "acme: VIEWER" in allowed.out


def test_config_like_git(home, run_cli):
    assert run_cli("config", "user.email", "Ada@Example.com", as_email=None).code == 0
    assert read_config_file(home)["user.email"] == "ada@example.com"
    assert run_cli("config", "user.email", as_email=None).out == "ada@example.com\n"
    assert run_cli("config", "user.impersonation", "yes", as_email=None).code == 0
    assert read_config_file(home)["user.impersonation"] is True
    bad = run_cli("config", "user.impersonation", "maybe", as_email=None)
    assert bad.code != 0 and "true or false" in bad.err
    assert run_cli("config", "nosection", "x", as_email=None).code != 0
    assert run_cli("config", "user.impersonation", "--unset", as_email=None).code == 0
    assert (
        run_cli("config", "user.impersonation", as_email=None).code == 1
    )  # unset: no output, like git
    assert "user.email=ada@example.com" in run_cli("config", "--list", as_email=None).out


def test_fresh_workspace_bootstraps_the_configured_user(db_target, db, home, run_cli):
    run_cli("config", "user.email", "ada@example.com", as_email=None)
    who = run_cli("whoami", as_email=None)
    assert who.code == 0, who.err
    assert who.out.startswith("ada <ada@example.com>") and "ada: OWNER (personal)" in who.out
