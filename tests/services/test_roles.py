"""Every mutating operation of the editing services checks the role: VIEWER refused, EDITOR edits,
ADMIN also creates and deletes projects; refusals name the role needed and write nothing."""

import pytest
from services_support import counts, png

from bgpub.db.enums import Role
from bgpub.db.models import OrganizationMember, User
from bgpub.errors import PermissionDenied
from bgpub.services import assets, blocks, importing, library, pages, projects, snapshots

EDITS = {
    "update_project": lambda a: projects.update_project(a, "demo", title="T"),
    "add_page": lambda a: pages.add_page(a, "demo", "new", "New"),
    "update_page": lambda a: pages.update_page(a, "demo", "home", title="T"),
    "move_page": lambda a: pages.move_page(a, "demo", "home", 0),
    "set_home": lambda a: pages.set_home(a, "demo", "home"),
    "remove_page": lambda a: pages.remove_page(a, "demo", "home"),
    "add_block": lambda a: blocks.add_block(a, "demo", "home", "counter", {}),
    "set_props": lambda a: blocks.set_props(a, "demo", "home", 0, {"count": 2}),
    "move_block": lambda a: blocks.move_block(a, "demo", "home", 0, 0),
    "duplicate_block": lambda a: blocks.duplicate_block(a, "demo", "home", 0),
    "remove_block": lambda a: blocks.remove_block(a, "demo", "home", 0),
    "add_asset": lambda a: assets.add_asset(a, "demo", png(2, 2, "green"), name="new.png"),
    "set_alt": lambda a: assets.set_alt(a, "demo", "logo.png", "x"),
    "remove_asset": lambda a: assets.remove_asset(a, "demo", "logo.png"),
    "sync_library": lambda a: library.sync_library(a),
    "save_component": lambda a: library.save_component(a, "mine", "hero"),
}
ADMIN_ONLY = {
    "create_project": lambda a: projects.create_project(a, "other"),
    "archive_project": lambda a: projects.archive_project(a, "demo"),
    "delete_project": lambda a: projects.delete_project(a, "demo"),
    "import_project": lambda a: importing.import_project(a, a._export_dir, name="copy"),
}


@pytest.fixture
def member(actor, org, project, tmp_path):
    pages.add_page(actor, "demo", "home", "Home")
    blocks.add_block(actor, "demo", "home", "counter", {})
    assets.add_asset(actor, "demo", png(), name="logo.png")
    snapshots.export_project(actor, "demo", tmp_path / "export")

    def make(role: Role) -> User:
        user = User.create(email=f"{role.value.lower()}@example.com", name=role.value)
        OrganizationMember.create(organization=org, user=user, role=role)
        user._export_dir = tmp_path / "export"
        return user

    return make


@pytest.mark.parametrize("operation", sorted(EDITS) + sorted(ADMIN_ONLY))
def test_viewer_is_refused_everything(member, operation):
    viewer = member(Role.VIEWER)
    before = counts()
    with pytest.raises(
        PermissionDenied, match="needs the (EDITOR|ADMIN) role; viewer@example.com is VIEWER"
    ):
        {**EDITS, **ADMIN_ONLY}[operation](viewer)
    assert counts() == before


@pytest.mark.parametrize("operation", sorted(EDITS))
def test_editor_may_edit(member, operation):
    EDITS[operation](member(Role.EDITOR))


@pytest.mark.parametrize("operation", sorted(ADMIN_ONLY))
def test_editor_may_not_manage_projects_but_admin_may(member, operation):
    with pytest.raises(PermissionDenied, match="needs the ADMIN role"):
        ADMIN_ONLY[operation](member(Role.EDITOR))
    ADMIN_ONLY[operation](member(Role.ADMIN))
