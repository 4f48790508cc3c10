"""Row-level security on PostgreSQL, shown with raw SQL under members' own database logins.

Logins are cluster-wide: each gets a unique name (from the user's id) and is dropped after the test.
"""

from __future__ import annotations

import hashlib
import importlib
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest
from teams_world import OUTSIDER, ROLE_EMAILS

from bgpub.db import schema
from bgpub.db.connection import connect_url, init_database
from bgpub.db.enums import Role, SubscriptionStatus
from bgpub.db.models import Organization, Page, PageChange, Project, User
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services import database_logins

rls = importlib.import_module("bgpub.db.migrations.0004_row_level_security")


def _login_url(url: str, role: str, password: str) -> str:
    parts = urlparse(url)
    return urlunparse(
        parts._replace(netloc=f"{role}:{password}@{parts.hostname}:{parts.port or 5432}")
    )


def _drop_role(url: str, role: str) -> None:
    admin = connect_url(url)
    admin.connect()
    admin.connection().autocommit = True
    try:
        if admin.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            admin.execute_sql(f'DROP OWNED BY "{role}"')
            admin.execute_sql(
                f'REVOKE ALL ON DATABASE "{urlparse(url).path.lstrip("/")}" FROM "{role}"'
            )
            admin.execute_sql(f'DROP ROLE "{role}"')
    finally:
        admin.close()


@pytest.fixture
def pg_world(db_target, request):
    if db_target.kind == "sqlite":
        pytest.skip(
            "row-level security is a PostgreSQL feature; SQLite has none (0004 is a no-op there)"
        )
    yield request.getfixturevalue("world")


@pytest.fixture
def logins(pg_world, db_target):
    """Database logins for the VIEWER, EDITOR and ADMIN of acme and for the outsider; dropped afterwards."""
    owner = pg_world.member(Role.OWNER)
    outsider = pg_world.user(OUTSIDER)
    made: dict[str, str] = {}
    created: list[str] = []
    try:
        for email in (ROLE_EMAILS[Role.VIEWER], ROLE_EMAILS[Role.EDITOR], ROLE_EMAILS[Role.ADMIN]):
            role, password = database_logins.grant_database_login(owner, email)
            created.append(role)
            made[email] = _login_url(db_target.url, role, password)
        role, password = database_logins.grant_database_login(outsider, OUTSIDER)
        created.append(role)
        made[OUTSIDER] = _login_url(db_target.url, role, password)
        yield made
    finally:
        init_database(db_target.url)  # back on the owner connection before dropping anything
        for role in created:
            _drop_role(db_target.url, role)


def _raw(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def test_outsider_sees_no_row_of_another_organization(pg_world, logins, db):
    acme = Organization.get(Organization.slug == "acme").id
    expressions = rls.organization_expressions(db)
    owned: dict[str, set[str]] = {}
    for table, expression in expressions.items():
        rows = db.execute_sql(f"SELECT id FROM {table} WHERE {expression} = %s", (acme,)).fetchall()
        owned[table] = {r[0] for r in rows}
    populated = {t for t, ids in owned.items() if ids}
    assert {
        "organizations",
        "organization_members",
        "projects",
        "pages",
        "assets",
        "integrations",
        "api_keys",
        "components",
        "audit_logs",
    } <= populated  # the test can fail
    acme_blob = db.execute_sql(
        "SELECT hash FROM assets WHERE organization_id = %s", (acme,)
    ).fetchone()[0]
    acme_emails = {u.email for u in User.select() if u.email.endswith("@acme.test")}

    conn = _raw(logins[OUTSIDER])
    try:
        cur = conn.cursor()
        cur.execute("SELECT current_user, session_user")
        assert cur.fetchone()[0].startswith("bgpub_outsider_")
        leaks = {}
        for table, ids in owned.items():
            cur.execute(f"SELECT id FROM {table}")
            seen = {r[0] for r in cur.fetchall()}
            if seen & ids:
                leaks[table] = len(seen & ids)
        assert not leaks, f"the outsider sees rows of acme: {leaks}"
        cur.execute("SELECT count(*) FROM blobs WHERE id = %s", (acme_blob,))
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT email FROM users")
        assert not {e for (e,) in cur.fetchall()} & acme_emails
        cur.execute("SELECT name FROM projects")  # their own organization stays visible
        assert [r[0] for r in cur.fetchall()] == ["elsewhere"]
        cur.execute("UPDATE pages SET title = 'pwned'")
        assert cur.rowcount == 0
    finally:
        conn.close()


def test_viewer_reads_but_cannot_change_a_page(pg_world, logins, db):
    conn = _raw(logins[ROLE_EMAILS[Role.VIEWER]])
    try:
        cur = conn.cursor()
        cur.execute("SELECT slug, title FROM pages ORDER BY slug")
        assert cur.fetchall() == [("about", "About"), ("home", "Home")]
        cur.execute("UPDATE pages SET title = 'Defaced' WHERE slug = 'about'")
        assert cur.rowcount == 0
        cur.execute("DELETE FROM pages")
        assert cur.rowcount == 0
        project = Project.get(Project.name == "site").id
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="row-level security"):
            cur.execute(
                "INSERT INTO pages (id, created_at, updated_at, project_id, slug, title, position, "
                "show_in_nav, is_home, noindex, blocks, revision) VALUES ('x1', now(), now(), %s, 'evil', "
                "'Evil', 9, true, false, false, '[]', 1)",
                (project,),
            )
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(
                "UPDATE users SET db_role = 'postgres'"
            )  # column privileges keep the mapping safe
    finally:
        conn.close()
    assert Page.get(Page.slug == "about").title == "About"
    assert Page.select().count() == 2


def test_editor_may_change_a_page_but_not_while_lapsed(pg_world, logins, db):
    conn = _raw(logins[ROLE_EMAILS[Role.EDITOR]])
    try:
        cur = conn.cursor()
        cur.execute("UPDATE pages SET title = 'About us' WHERE slug = 'about'")
        assert cur.rowcount == 1
        cur.execute("UPDATE projects SET name = 'renamed'")  # projects' site settings: EDITOR may
        assert cur.rowcount == 1
        cur.execute("DELETE FROM projects")  # deleting a project needs ADMIN
        assert cur.rowcount == 0
        cur.execute("UPDATE organization_members SET role = 'OWNER'")  # members: ADMIN and up
        assert cur.rowcount == 0
        honest = b"honest bytes"
        cur.execute(
            "INSERT INTO blobs (id, size, data, created_at) VALUES (%s, %s, %s, now())",
            (hashlib.sha256(honest).hexdigest(), len(honest), honest),
        )
        with pytest.raises(
            psycopg2.errors.InsufficientPrivilege
        ):  # a blob under someone else's hash
            cur.execute(
                "INSERT INTO blobs (id, size, data, created_at) VALUES (%s, 4, 'evil', now())",
                (hashlib.sha256(b"popular.js").hexdigest(),),
            )
        Organization.update(subscription_status=SubscriptionStatus.PAST_DUE).where(
            Organization.slug == "acme"
        ).execute()
        cur.execute("UPDATE pages SET title = 'Late' WHERE slug = 'about'")
        assert cur.rowcount == 0
    finally:
        conn.close()
    assert Page.get(Page.slug == "about").title == "About us"


def test_bgpub_works_under_a_member_login(pg_world, logins, db_target, home):
    from bgpub.services import blocks, members, organizations, pages
    from bgpub.services.workspace import open_workspace

    editor = open_workspace(logins[ROLE_EMAILS[Role.EDITOR]], workspace_path=home)
    assert editor.actor.email == ROLE_EMAILS[Role.EDITOR]  # the login decides who is acting
    pages.add_page(editor.actor, "site", "contact", "Contact")
    blocks.add_block(editor.actor, "site", "contact", "hero", {"heading": "Write to us"})
    assert [p.slug for p in pages.list_pages(editor.actor, "site")] == ["home", "about", "contact"]
    with pytest.raises(PermissionDenied, match="ADMIN"):
        members.add_member(editor.actor, "acme", "friend@acme.test", "VIEWER")
    from bgpub.services import users

    with pytest.raises(PermissionDenied, match="owner connection"):
        users.delete_user(editor.actor, ROLE_EMAILS[Role.EDITOR])

    admin = open_workspace(logins[ROLE_EMAILS[Role.ADMIN]], workspace_path=home)
    members.add_member(
        admin.actor, "acme", "friend@acme.test", "VIEWER"
    )  # an invitation creates the user
    created = organizations.create_organization(admin.actor, "admins-own")
    assert created.slug == "admins-own"
    assert {m.email for m in members.list_members(admin.actor, "acme")} >= {"friend@acme.test"}
    from bgpub.services import publishing

    published = publishing.publish_project(admin.actor, "site", message="from a member login")
    assert published.version == 3 and all(d.status == "SUCCEEDED" for d in published.deployments)
    rolled = publishing.rollback_project(admin.actor, "site", 1)
    assert all(d.status == "SUCCEEDED" for d in rolled.deployments)

    outsider = open_workspace(logins[OUTSIDER], workspace_path=home)
    with pytest.raises(PermissionDenied):
        _ = open_workspace(
            logins[OUTSIDER], as_email=ROLE_EMAILS[Role.OWNER], workspace_path=home
        ).actor
    assert [o.slug for o in organizations.list_organizations(outsider.actor)] == ["other"]


def test_grant_needs_an_admin_of_their_organization(pg_world, db):
    viewer = pg_world.member(Role.VIEWER)
    with pytest.raises(PermissionDenied, match="ADMIN"):
        database_logins.grant_database_login(viewer, ROLE_EMAILS[Role.EDITOR])
    with pytest.raises(PermissionDenied, match="ADMIN"):
        database_logins.grant_database_login(pg_world.user(OUTSIDER), ROLE_EMAILS[Role.EDITOR])


def test_grant_is_refused_on_sqlite(db_target, request):
    if db_target.kind != "sqlite":
        pytest.skip("the PostgreSQL side is covered above")
    world = request.getfixturevalue("world")
    with pytest.raises(InvalidInput, match="PostgreSQL"):
        database_logins.grant_database_login(world.member(Role.OWNER), ROLE_EMAILS[Role.VIEWER])


def _rls_state(db) -> tuple[int, int, int]:
    policies = db.execute_sql(
        "SELECT count(*) FROM pg_policies WHERE left(policyname, 6) = 'bgpub_'"
    ).fetchone()[0]
    tables = db.execute_sql("SELECT count(*) FROM pg_class WHERE relrowsecurity").fetchone()[0]
    functions = db.execute_sql(
        "SELECT count(*) FROM pg_proc WHERE proname IN ('bgpub_may', 'bgpub_user_id', 'bgpub_project_org')"
    ).fetchone()[0]
    return policies, tables, functions


def test_migration_up_and_down(db_target, home, tmp_path):
    """0004 installs policies on PostgreSQL and `down()` removes them; on SQLite both do nothing."""
    if db_target.kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        handle = init_database(url)
        schema.migrate(handle, "0004_row_level_security")
        before = handle.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0]
        schema.rollback(handle, 1)
        assert "0004_row_level_security" not in schema.applied(handle)
        assert handle.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0] == before
        handle.close()
        return
    handle = init_database(db_target.url)
    policies, tables, functions = _rls_state(handle)
    assert policies >= 100 and tables >= 28 and functions == 3
    later = [name for name in schema.applied(handle) if name > "0004"]
    schema.rollback(handle, len(later) + 1)
    assert _rls_state(handle) == (0, 0, 0)
    schema.migrate(handle)
    assert _rls_state(handle) == (policies, tables, functions)
    handle.close()


def test_cli_db_grant_and_revoke(pg_world, db_target, run_cli):
    viewer = ROLE_EMAILS[Role.VIEWER]
    made = run_cli("db", "grant", viewer)
    role = None
    try:
        assert made.code == 0, made.err
        role = made.out.split()[1]
        password = made.out.split("password (shown once): ")[1].strip()
        assert User.get(User.email == viewer).db_role == role
        conn = _raw(_login_url(db_target.url, role, password))
        try:
            cur = conn.cursor()
            cur.execute("SELECT count(*) FROM organizations")
            assert cur.fetchone()[0] == 1
        finally:
            conn.close()
        denied = run_cli("db", "grant", ROLE_EMAILS[Role.EDITOR], as_email=viewer)
        assert denied.code != 0 and "needs the ADMIN role" in denied.err
        dropped = run_cli("db", "grant", viewer, "--revoke")
        assert dropped.code == 0 and f"dropped login {role}" in dropped.out
        assert User.get(User.email == viewer).db_role is None
        assert not db_target_has_role(db_target.url, role)
    finally:
        if role:
            _drop_role(db_target.url, role)


def db_target_has_role(url: str, role: str) -> bool:
    conn = _raw(url)
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
        return cur.fetchone() is not None
    finally:
        conn.close()


def test_the_page_change_feed_is_written_by_the_triggers_alone(pg_world, logins, db):
    """An EDITOR's page update is noted in `page_changes` (the trigger writes as the tables' owner),
    the EDITOR reads their organization's feed but cannot write it (a forged serial would hide a
    change from a team-mate's preview), and the outsider sees none of it."""
    about = Page.get(Page.slug == "about").id
    conn = _raw(logins[ROLE_EMAILS[Role.EDITOR]])
    try:
        cur = conn.cursor()
        cur.execute("UPDATE pages SET title = 'About us' WHERE slug = 'about'")
        assert cur.rowcount == 1
        cur.execute("SELECT page_id FROM page_changes WHERE page_id = %s", (about,))
        assert cur.fetchall() == [(about,)]
        for statement in (
            "UPDATE page_changes SET serial = 0",
            "DELETE FROM page_changes",
            "INSERT INTO page_changes (id, project_id, page_id, serial) "
            "SELECT 'forged', project_id, 'forged', 0 FROM pages LIMIT 1",
        ):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
    finally:
        conn.close()
    outsider = _raw(logins[OUTSIDER])
    try:
        cur = outsider.cursor()
        cur.execute("SELECT count(*) FROM page_changes")
        assert cur.fetchone() == (0,)
    finally:
        outsider.close()
    noted = [c.page_id for c in PageChange.select()]
    assert about in noted and "forged" not in noted
