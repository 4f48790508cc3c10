"""Taking over identity or ownership through raw SQL under members' own logins (migration 0009).

Each test attacks one class of takeover on PostgreSQL with the logins `bgpub db grant` creates:
changing one's own identity columns, leaving an organization without an OWNER, claiming a
member-less organization, adding members without the right, asking the SECURITY DEFINER helpers
about other organizations, and reading other organizations' change notices.

Building the tenants and their logins costs seconds, so the module shares one database; every test
leaves it as it found it (refused attacks change nothing; what a test adds, it removes).
"""

from __future__ import annotations

import hashlib
import importlib
import itertools
import os
import select
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

import psycopg2
import pytest

from bgpub.db.connection import database, init_database
from bgpub.db.enums import AssetType, Role
from bgpub.db.models import (
    Asset,
    Blob,
    BlogPost,
    Order,
    Organization,
    OrganizationMember,
    Product,
    Project,
    User,
    Webhook,
)
from bgpub.preview.changes import ProjectListener
from bgpub.services import database_logins, members, organizations, pages, projects

hardening = importlib.import_module("bgpub.db.migrations.0009_rls_hardening")

PG_URL = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
WAIT = 20.0
ACME = {role: f"{role.value.lower()}@acme.test" for role in Role}
OUTSIDER = "outsider@other.test"
# Tables without row-level security, each with its reason.
WITHOUT_RLS = {
    "schema_migrations": "migration history: member logins get SELECT only, and it holds no tenant data",
}


@dataclass
class Tenants:
    url: str
    ids: dict[str, str]  # acme, site (acme's project), other (the outsider's organization)
    logins: dict[str, str]  # email -> login URL, for every acme member and the outsider


def _url_of(name: str) -> str:
    return f"{PG_URL.rpartition('/')[0]}/{name}"


def _login_url(url: str, role: str, password: str) -> str:
    parts = urlparse(url)
    return urlunparse(
        parts._replace(netloc=f"{role}:{password}@{parts.hostname}:{parts.port or 5432}")
    )


def _connect(url: str, autocommit: bool = True):
    conn = psycopg2.connect(url)
    conn.autocommit = autocommit
    return conn


def _as_owner(url: str, sql: str, args=None) -> None:
    """One autocommit statement as the tables' owner (row-level security does not apply to it)."""
    conn = _connect(url)
    try:
        conn.cursor().execute(sql, args)
    finally:
        conn.close()


def _build() -> dict[str, str]:
    """acme (one member per role; project `site` with a row under every parent table) and the
    outsider's `other`."""
    owner = User.create(email=ACME[Role.OWNER], name="Olive Owner")
    organizations.create_organization(owner, "acme", "Acme")
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        members.add_member(owner, "acme", ACME[role], role)
    outsider = User.create(email=OUTSIDER, name="Otto Outsider")
    organizations.create_organization(outsider, "other", "Other")
    site = projects.create_project(owner, "site", organization="acme")
    pages.add_page(owner, "site", "home", "Home")
    acme = Organization.get(Organization.slug == "acme")
    data = b"acme's own notes\n"
    blob = Blob.create(id=hashlib.sha256(data).hexdigest(), size=len(data), data=data)
    Asset.create(
        organization=acme,
        project=site,
        name="notes.txt",
        type=AssetType.DOCUMENT,
        mime="text/plain",
        size=len(data),
        hash=blob.id,
    )
    Product.create(project=site, name="Mug", slug="mug", price_cents=900)
    Order.create(project=site, number=1, customer_email="buyer@example.test", total_cents=900)
    BlogPost.create(project=site, title="Hello", slug="hello")
    Webhook.create(project=site, url="https://hooks.example.test/acme")
    return {
        "acme": acme.id,
        "site": site.id,
        "other": Organization.get(Organization.slug == "other").id,
    }


@pytest.fixture(scope="module")
def tenants(pg_template, tmp_path_factory):
    """The module's database with both tenants and their logins (PostgreSQL only: the template
    fixture skips, or fails under BGPUB_REQUIRE_POSTGRES=1, when there is none)."""
    name = f"bgpub_t_{uuid.uuid4().hex[:12]}"
    url = _url_of(name)
    _as_owner(PG_URL, f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    roles: list[str] = []
    with pytest.MonkeyPatch.context() as env:
        env.setenv("BGPUB_HOME", str(tmp_path_factory.mktemp("home")))
        for var in ("BGPUB_DATABASE_URL", "DATABASE_URL", "BGPUB_USER_EMAIL"):
            env.delenv(var, raising=False)
        init_database(url)
        try:
            ids = _build()
            logins = {}
            grants = [(ACME[Role.OWNER], email) for email in ACME.values()] + [(OUTSIDER, OUTSIDER)]
            for actor, email in grants:
                role, password = database_logins.grant_database_login(_user(actor), email)
                roles.append(role)
                logins[email] = _login_url(url, role, password)
            yield Tenants(url, ids, logins)
        finally:
            database.close()
            _as_owner(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in roles:
                _as_owner(PG_URL, f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def world(tenants) -> Tenants:
    """The module's tenants, with bgpub's database handle on their database."""
    init_database(tenants.url)
    yield tenants
    database.close()


def _user(email: str) -> User:
    return User.get(User.email == email)


def _role(org: str, email: str) -> str | None:
    member = OrganizationMember.get_or_none(
        (OrganizationMember.organization == org) & (OrganizationMember.user == _user(email))
    )
    return member.role.value if member else None


def _memberships(org: str) -> set[tuple[str, str]]:
    rows = OrganizationMember.select().where(OrganizationMember.organization == org)
    return {(m.user_id, m.role.value) for m in rows}


# --- identity: a login's own users row ------------------------------------------------------

IDENTITY = {
    "email": "ceo@victim.test",  # an address another organization is about to invite
    "db_role": "postgres",  # somebody else's login
    "id": "someone-elses-id",
}


def test_no_login_may_change_its_own_identity(world):
    before = {u.email: (u.id, u.db_role) for u in User.select()}
    refused = []
    for (email, url), (column, value) in itertools.product(world.logins.items(), IDENTITY.items()):
        role = _user(email).db_role
        # as `db grant` leaves the login, then after a DBA's wider grant
        for broad in (False, True):
            if broad:
                _as_owner(world.url, f'GRANT UPDATE ON users TO "{role}"')
            conn = _connect(url)
            try:
                with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                    conn.cursor().execute(
                        f"UPDATE users SET {column} = %s WHERE email = %s", (value, email)
                    )
                refused.append((email, column, broad))
                cur = conn.cursor()
                cur.execute("UPDATE users SET name = name WHERE email = %s", (email,))
                assert cur.rowcount == 1, f"{email}: harmless columns stay theirs"
            finally:
                conn.close()
        _as_owner(world.url, f'REVOKE UPDATE ON users FROM "{role}"')
        _as_owner(
            world.url,
            f'GRANT UPDATE ({", ".join(database_logins.USER_UPDATABLE)}) ON users TO "{role}"',
        )
    assert len(refused) == len(world.logins) * len(IDENTITY) * 2
    assert {u.email: (u.id, u.db_role) for u in User.select()} == before
    # the owner connection (administration, `user delete`) still may
    User.update(email="moved@acme.test").where(User.email == ACME[Role.VIEWER]).execute()
    User.update(email=ACME[Role.VIEWER]).where(User.email == "moved@acme.test").execute()


# --- the last OWNER ---------------------------------------------------------------------------

LOSING_THE_OWNER = {
    "leave": "DELETE FROM organization_members WHERE user_id = (SELECT id FROM users WHERE email = %(me)s)",
    "demote oneself": "UPDATE organization_members SET role = 'ADMIN' "
    "WHERE user_id = (SELECT id FROM users WHERE email = %(me)s)",
    "demote everyone": "UPDATE organization_members SET role = 'VIEWER' WHERE organization_id = %(org)s",
    "remove everyone": "DELETE FROM organization_members WHERE organization_id = %(org)s",
    "move the membership": "UPDATE organization_members SET organization_id = %(other)s "
    "WHERE user_id = (SELECT id FROM users WHERE email = %(me)s)",
    "delete the owner": "DELETE FROM users WHERE email = %(me)s",
}


def test_the_last_owner_stays(world):
    args = {"me": ACME[Role.OWNER], "org": world.ids["acme"], "other": world.ids["other"]}
    before = _memberships(world.ids["acme"])
    outcomes = {}
    for attack, sql in LOSING_THE_OWNER.items():
        conn = _connect(world.logins[ACME[Role.OWNER]], autocommit=False)
        try:
            cur = conn.cursor()
            try:
                cur.execute(sql, args)
                with pytest.raises(psycopg2.errors.CheckViolation, match="without an OWNER"):
                    conn.commit()  # checked at commit, so a transfer inside one transaction works
                outcomes[attack] = "refused at commit"
            except psycopg2.errors.InsufficientPrivilege:
                conn.rollback()  # refused earlier, by a policy or a privilege
                outcomes[attack] = "refused"
        finally:
            conn.close()
        with pytest.raises(psycopg2.errors.CheckViolation):  # not even the owner connection may
            _as_owner(world.url, sql, args)
    assert outcomes["leave"] == outcomes["demote oneself"] == "refused at commit"
    assert _memberships(world.ids["acme"]) == before


def test_ownership_moves_inside_one_transaction_and_organizations_still_delete(world):
    acme, owner, admin = world.ids["acme"], ACME[Role.OWNER], ACME[Role.ADMIN]
    conn = _connect(world.logins[owner], autocommit=False)
    try:
        cur = conn.cursor()
        for email, role in ((admin, "OWNER"), (owner, "ADMIN")):
            cur.execute(
                "UPDATE organization_members SET role = %s WHERE organization_id = %s AND "
                "user_id = (SELECT id FROM users WHERE email = %s)",
                (role, acme, email),
            )
            assert cur.rowcount == 1
        conn.commit()
    finally:
        conn.close()
    assert (_role(acme, admin), _role(acme, owner)) == ("OWNER", "ADMIN")
    with database.atomic():  # back, in the other order: no OWNER for a moment, one again at commit
        for email, role in ((admin, Role.ADMIN), (owner, Role.OWNER)):
            OrganizationMember.update(role=role).where(
                (OrganizationMember.organization == acme)
                & (OrganizationMember.user == _user(email))
            ).execute()
    assert (_role(acme, admin), _role(acme, owner)) == ("ADMIN", "OWNER")

    # deleting a whole organization takes its last OWNER with it
    conn = _connect(world.logins[OUTSIDER], autocommit=False)
    try:
        cur = conn.cursor()
        doomed = _insert_org(cur, "doomed")
        _insert_member(cur, doomed, OUTSIDER, "OWNER")
        conn.commit()
        cur.execute("DELETE FROM organizations WHERE id = %s", (doomed,))
        assert cur.rowcount == 1
        conn.commit()
    finally:
        conn.close()
    assert Organization.get_or_none(Organization.id == doomed) is None
    assert _memberships(doomed) == set()


# --- member-less organizations and who adds members ------------------------------------------


def _insert_org(cur, slug: str) -> str:
    org = uuid.uuid4().hex
    slug = f"{slug}-{org[:8]}"
    cur.execute(
        "INSERT INTO organizations (id, created_at, updated_at, name, slug, tier, subscription_status, "
        "is_personal) VALUES (%s, now(), now(), %s, %s, 'FREE', 'ACTIVE', false) RETURNING id",
        (org, slug, slug),
    )
    assert cur.fetchone() == (org,)  # its creator sees what it creates (peewee reads the id back)
    return org


def _insert_member(cur, org: str, email: str, role: str) -> None:
    cur.execute(
        "INSERT INTO organization_members (id, created_at, updated_at, organization_id, user_id, role) "
        "VALUES (%s, now(), now(), %s, (SELECT id FROM users WHERE email = %s), %s)",
        (uuid.uuid4().hex, org, email, role),
    )


def test_a_member_less_organization_is_invisible_and_unclaimable(world):
    # member-less, as the last OWNER could leave it before 0009
    orphan = Organization.create(name="Orphan", slug=f"orphan-{uuid.uuid4().hex[:8]}")
    try:
        for email, url in world.logins.items():
            conn = _connect(url)
            try:
                cur = conn.cursor()
                cur.execute(
                    "SELECT count(*) FROM organizations WHERE id = %s OR slug = %s",
                    (orphan.id, orphan.slug),
                )
                assert cur.fetchone() == (0,), email
                for role in ("OWNER", "ADMIN", "VIEWER"):
                    with pytest.raises(
                        psycopg2.errors.InsufficientPrivilege, match="row-level security"
                    ):
                        _insert_member(cur, orphan.id, email, role)
            finally:
                conn.close()
            conn = _connect(url, autocommit=False)  # not even from a transaction creating its own
            try:
                cur = conn.cursor()
                _insert_member(cur, _insert_org(cur, "mine"), email, "OWNER")
                with pytest.raises(
                    psycopg2.errors.InsufficientPrivilege, match="row-level security"
                ):
                    _insert_member(cur, orphan.id, email, "OWNER")
            finally:
                conn.rollback()
                conn.close()
        assert _memberships(orphan.id) == set()
    finally:
        orphan.delete_instance()


@pytest.mark.parametrize("savepoint", [False, True], ids=["plain", "in a savepoint"])
def test_a_login_creates_an_organization_and_owns_it(world, savepoint):
    viewer = ACME[Role.VIEWER]
    conn = _connect(world.logins[viewer], autocommit=False)
    try:
        cur = conn.cursor()
        cur.execute("SAVEPOINT creating" if savepoint else "SELECT 1")
        org = _insert_org(cur, "viewers-own")
        _insert_member(cur, org, viewer, "OWNER")
        cur.execute("RELEASE SAVEPOINT creating" if savepoint else "SELECT 1")
        conn.commit()
    finally:
        conn.close()
    assert _role(org, viewer) == "OWNER"
    Organization.delete().where(Organization.id == org).execute()

    # created and left without an OWNER: refused at commit
    conn = _connect(world.logins[viewer], autocommit=False)
    try:
        _insert_org(conn.cursor(), "nobodys")
        with pytest.raises(psycopg2.errors.CheckViolation, match="has no OWNER"):
            conn.commit()
    finally:
        conn.close()
    assert Organization.select().where(Organization.slug.startswith("nobodys")).count() == 0


# who may add whom: (login, organization, role given) -> allowed
ADDING = {
    (Role.VIEWER, "acme", "VIEWER"): False,
    (Role.EDITOR, "acme", "VIEWER"): False,
    (Role.EDITOR, "acme", "OWNER"): False,
    (Role.ADMIN, "acme", "EDITOR"): True,
    (Role.ADMIN, "acme", "OWNER"): False,
    (Role.OWNER, "acme", "OWNER"): True,
    (Role.OWNER, "other", "VIEWER"): False,
    (Role.ADMIN, "other", "OWNER"): False,
    ("outsider", "acme", "VIEWER"): False,
    ("outsider", "acme", "OWNER"): False,
}


def test_only_an_owner_or_admin_of_the_organization_adds_members(world):
    outcomes = {}
    for who, org, role in ADDING:
        email = OUTSIDER if who == "outsider" else ACME[who]
        newcomer = User.create(email=f"new-{uuid.uuid4().hex[:8]}@example.test")
        conn = _connect(world.logins[email])
        try:
            _insert_member(conn.cursor(), world.ids[org], newcomer.email, role)
            outcomes[(who, org, role)] = True
        except psycopg2.errors.InsufficientPrivilege as refused:
            assert "row-level security" in str(refused)
            outcomes[(who, org, role)] = False
        finally:
            conn.close()
            newcomer.delete_instance()  # with the membership: acme keeps its own OWNER
    assert outcomes == ADDING


# --- SECURITY DEFINER helpers ----------------------------------------------------------------

NOTHING = (None, False, -1)
EXPECTED_HELPERS = (
    "bgpub_project_org",
    "bgpub_products_org",
    "bgpub_may",
    "bgpub_user_visible",
    "bgpub_blob_visible",
    "bgpub_org_is_new",
    "bgpub_session_knows",
)
MADE_UP = {
    "text": "no-such-thing-anywhere",
    "name": "pg_monitor",
    "integer": 0,
}  # exist for no tenant


def _definer_functions(cur) -> list[tuple[str, list[str]]]:
    cur.execute(
        "SELECT p.proname, coalesce(array_agg(format_type(t.type, NULL) ORDER BY t.ord) "
        "FILTER (WHERE t.type IS NOT NULL), '{}') "
        "FROM pg_proc p LEFT JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS t(type, ord) ON true "
        "WHERE p.pronamespace = current_schema()::regnamespace AND p.prosecdef "
        "AND p.prorettype <> 'trigger'::regtype GROUP BY p.oid, p.proname ORDER BY p.proname"
    )
    return [(name, list(types)) for name, types in cur.fetchall()]


def _acme_identifiers(world) -> dict[str, list[str]]:
    """What an outsider could have learnt or guessed of acme, by argument type."""
    site = world.ids["site"]
    texts = [
        world.ids["acme"],
        site,
        *(u.id for u in User.select() if u.email.endswith("@acme.test")),
    ]
    for model in (Product, Order, BlogPost, Webhook):
        texts += [row.id for row in model.select(model.id).where(model.project == site)]
    texts += [a.hash for a in Asset.select(Asset.hash).where(Asset.project == site)]
    names = [u.db_role for u in User.select() if u.email.endswith("@acme.test") and u.db_role]
    return {"text": texts, "name": names}


def _told(cur, world, own_role: str) -> dict[str, object]:
    """Every definer helper asked about acme's identifiers (with the caller's own role where a role
    is asked for): the answers that differ from the answer about a made-up identifier and are not
    nothing, i.e. what the caller learns about acme."""
    acme = _acme_identifiers(world)
    pools = {"text": acme["text"], "name": [*acme["name"], own_role], "integer": [0]}
    foreign = set(acme["text"] + acme["name"])
    told = {}
    for name, types in _definer_functions(cur):
        unknown = [t for t in types if t not in pools]
        assert not unknown, (
            f"{name}({', '.join(types)}): add probe values for {unknown} to this test"
        )
        call = f"SELECT {name}({', '.join(['%s'] * len(types))})"
        for args in itertools.product(*(pools[t] for t in types)):
            if not foreign & set(args):
                continue  # only about the caller itself
            cur.execute(call, args)
            answer = cur.fetchone()[0]
            cur.execute(
                call, [MADE_UP[t] if a in foreign else a for t, a in zip(types, args, strict=True)]
            )
            if answer not in NOTHING and answer != cur.fetchone()[0]:
                told[f"{name}{args}"] = answer
    return told


def test_definer_helpers_answer_nothing_about_other_organizations(world):
    outsider = _connect(world.logins[OUTSIDER])
    insider = _connect(world.logins[ACME[Role.VIEWER]])
    try:
        names = {name for name, _ in _definer_functions(outsider.cursor())}
        assert set(EXPECTED_HELPERS) <= names
        told = _told(outsider.cursor(), world, _user(OUTSIDER).db_role)
        assert not told, f"helpers tell an outsider about acme: {told}"
        # the same questions from a member of acme are answered: the probe can see a leak
        known = _told(insider.cursor(), world, _user(ACME[Role.VIEWER]).db_role)
        assert world.ids["acme"] in known.values() and True in known.values()
    finally:
        outsider.close()
        insider.close()


# --- every table, now and later ---------------------------------------------------------------


def test_every_table_has_row_level_security(world):
    """Row-level security on (a table with no policy at all is closed to every member login)."""
    rows = database.execute_sql(
        "SELECT relname, relrowsecurity FROM pg_class "
        "WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') ORDER BY relname"
    ).fetchall()
    assert {"users", "organizations", "organization_members", "pages"} <= dict(rows).keys()
    bare = {table for table, secured in rows if not secured} - WITHOUT_RLS.keys()
    assert not bare, (
        f"tables without row-level security (enable it in a migration, or list it in WITHOUT_RLS): {bare}"
    )
    assert hardening.uncovered_tenant_tables(database) == {}


def test_a_tenant_table_0009_did_not_know_is_covered(world):
    database.execute_sql(
        "CREATE TABLE late_notes (id text PRIMARY KEY, project_id text NOT NULL, body text)"
    )
    try:
        database.execute_sql(
            "INSERT INTO late_notes VALUES ('n1', %s, 'acme only')", (world.ids["site"],)
        )
        assert hardening.uncovered_tenant_tables(database) == {
            "late_notes": "bgpub_project_org(project_id)"
        }
        for email in world.logins:
            database.execute_sql(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON late_notes TO "{_user(email).db_role}"'
            )
        assert hardening.protect_tenant_tables(database) == ["late_notes"]
        seen = {}
        for email in (ACME[Role.VIEWER], OUTSIDER):
            conn = _connect(world.logins[email])
            try:
                cur = conn.cursor()
                cur.execute("SELECT body FROM late_notes")
                seen[email] = cur.fetchall()
                cur.execute("UPDATE late_notes SET body = 'defaced'")
                assert cur.rowcount == 0  # writes need an ADMIN of the organization
            finally:
                conn.close()
        assert seen == {ACME[Role.VIEWER]: [("acme only",)], OUTSIDER: []}
    finally:
        database.execute_sql("DROP TABLE late_notes")


# --- change notices ---------------------------------------------------------------------------


def test_change_notices_name_nothing_and_listeners_check_access(world):
    heard, pried = threading.Event(), threading.Event()
    insider = ProjectListener(world.logins[ACME[Role.VIEWER]], world.ids["site"], heard.set).start()
    prying = ProjectListener(world.logins[OUTSIDER], world.ids["site"], pried.set).start()
    raw = _connect(world.logins[OUTSIDER])
    try:
        raw.cursor().execute("LISTEN bgpub_project_changed")
        # row-level security decides what a listener may learn
        assert insider.revision is not None and prying.revision is None
        pages.add_page(
            _user(ACME[Role.OWNER]), "site", f"contact-{uuid.uuid4().hex[:6]}", "Contact"
        )
        assert heard.wait(WAIT)
        assert Project.get_by_id(world.ids["site"]).revision == insider.revision
        notices = []
        while not notices:
            assert select.select([raw], [], [], WAIT)[0], "no notice reached the outsider's session"
            raw.poll()
            notices += raw.notifies
        assert {n.channel for n in notices} == {"bgpub_project_changed"}
        # no project, organization or revision in what every login may hear
        assert [n.payload for n in notices] == [""] * len(notices)
    finally:
        raw.close()
        insider.stop()
        prying.stop()
    assert prying.revision is None and not pried.is_set()


# --- the migration itself ---------------------------------------------------------------------


HARDENING_TRIGGERS = (
    "users_identity_guard",
    "organization_members_keep_an_owner",
    "organizations_start_with_an_owner",
)


def _hardening_state(db) -> dict[str, object]:
    q = db.execute_sql
    return {
        "policies": q(
            "SELECT tablename, policyname, qual, with_check FROM pg_policies ORDER BY 1, 2"
        ).fetchall(),
        "triggers": q("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1").fetchall(),
        "functions": q(
            "SELECT proname, prosrc FROM pg_proc WHERE left(proname, 6) = 'bgpub_' ORDER BY 1"
        ).fetchall(),
        "grants": q(
            "SELECT grantee, column_name FROM information_schema.column_privileges "
            "WHERE table_name = 'users' AND privilege_type = 'UPDATE' ORDER BY 1, 2"
        ).fetchall(),
    }


def test_0009_down_and_up_again(db_target, db, home):
    """0009 is reversible on PostgreSQL (down puts back what 0004 and 0006 had) and a no-op on SQLite.

    Its own up() and down() run directly, in one transaction as the runner does, so the later
    migrations (which 0009 does not know) stay applied."""
    if db_target.kind == "sqlite":
        catalogue = "SELECT type, name, sql FROM sqlite_master ORDER BY 2"
        before = db.execute_sql(catalogue).fetchall()
        with db.atomic():
            hardening.down(None, db)
        assert db.execute_sql(catalogue).fetchall() == before
        with db.atomic():
            hardening.up(None, db)
        assert db.execute_sql(catalogue).fetchall() == before
        return
    login = f"bgpub_probe_{uuid.uuid4().hex[:10]}"  # a login granted by a bgpub before 0009
    db.execute_sql(f'CREATE ROLE "{login}" NOLOGIN')
    try:
        User.create(email="probe@acme.test", db_role=login)
        applied = _hardening_state(db)
        with db.atomic():
            hardening.down(None, db)
        reverted = _hardening_state(db)
        names = {name for name, _ in reverted["functions"]}
        assert (
            "bgpub_org_is_empty" in names
            and not {"bgpub_org_is_new", "bgpub_session_knows"} & names
        )
        triggers = {t for (t,) in reverted["triggers"]}
        assert "projects_revision_notify" in triggers and not set(HARDENING_TRIGGERS) & triggers
        assert "NEW.id::text" in dict(reverted["functions"])["bgpub_notify_project_changed"]
        assert (login, "email") in reverted["grants"] and (login, "email") not in applied["grants"]
        with db.atomic():
            hardening.up(None, db)
        assert _hardening_state(db) == applied
    finally:
        db.execute_sql(f'DROP OWNED BY "{login}"')
        db.execute_sql(f'DROP ROLE "{login}"')
