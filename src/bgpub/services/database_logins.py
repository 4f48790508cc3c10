"""A member's own PostgreSQL login (`bgpub db grant EMAIL`), under which row-level security applies.

The login gets table privileges but no ownership, so the policies of migration 0004 decide which
rows it sees and may change; `users.db_role` maps it back to the member. Creating roles needs a
connection allowed to (the database owner's, usually a superuser or a CREATEROLE role).
"""

from __future__ import annotations

import re
import secrets as token_source

from peewee import DatabaseError

from bgpub.db.connection import database, is_postgres
from bgpub.db.enums import Role
from bgpub.db.models import OrganizationMember, User
from bgpub.errors import Conflict, InvalidInput, PermissionDenied
from bgpub.services import audit
from bgpub.services.permissions import RANK
from bgpub.services.users import find_user

# Columns of `users` a member may change (their own row only, by policy): never email or db_role,
# which decide who a login is and which invitations reach it (migration 0009 also refuses them).
USER_UPDATABLE = ("name", "avatar_url", "deleted_at", "updated_at")
READ_ONLY_TABLES = (
    "schema_migrations",
    "page_changes",
)  # page_changes: written by triggers only (0023)
RLS_PROBE_TABLE = "pages"


def role_name(user: User) -> str:
    """`bgpub_<local part>_<id prefix>`: readable, unique per user, a safe identifier."""
    local = (
        re.sub(r"[^a-z0-9]+", "_", user.email.partition("@")[0].lower()).strip("_")[:20] or "user"
    )
    return f"bgpub_{local}_{user.id[:10].lower()}"


def _quote(identifier: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", identifier):
        raise InvalidInput(f"unsafe role name {identifier!r}", where="db grant")
    return f'"{identifier}"'


def _check(actor: User, user: User) -> None:
    """The actor must manage members (ADMIN or OWNER) of an organization the user belongs to."""
    if not is_postgres():
        raise InvalidInput("database logins exist only on PostgreSQL", where="db grant")
    theirs = {
        m.organization_id
        for m in OrganizationMember.select().where(OrganizationMember.user == user)
    }
    mine = OrganizationMember.select().where(
        (OrganizationMember.user == actor) & OrganizationMember.organization.in_(theirs or {""})
    )
    if not any(RANK[Role(m.role)] >= RANK[Role.ADMIN] for m in mine):
        raise PermissionDenied(
            f"granting a database login needs the {Role.ADMIN.value} role in one of {user.email}'s organizations",
            where=f"user {user.email}",
        )
    protected = database.execute_sql(
        "SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(%s)", (RLS_PROBE_TABLE,)
    ).fetchone()
    if not protected or not protected[0]:
        raise Conflict(
            "row-level security is not installed; run 'bgpub db migrate' first", where="db grant"
        )


def _tables() -> list[str]:
    rows = database.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ).fetchall()
    return [name for (name,) in rows]


def grant_database_login(actor: User, email: str, password: str | None = None) -> tuple[str, str]:
    """Creates (or resets the password of) the member's login; returns (role, password), shown once."""
    user = find_user(email)
    _check(actor, user)
    name = role_name(user)
    quoted = _quote(name)
    password = password or token_source.token_urlsafe(24)
    try:
        with database.atomic():
            exists = database.execute_sql(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            verb = "ALTER" if exists else "CREATE"
            database.execute_sql(
                f"{verb} ROLE {quoted} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %s",
                (password,),
            )
            database.execute_sql(f"GRANT CONNECT ON DATABASE {_quote_db()} TO {quoted}")
            database.execute_sql(f"GRANT USAGE ON SCHEMA {_quote_schema()} TO {quoted}")
            for table in _tables():
                if table in READ_ONLY_TABLES:
                    database.execute_sql(f'GRANT SELECT ON "{table}" TO {quoted}')
                elif table == "users":
                    columns = ", ".join(USER_UPDATABLE)
                    database.execute_sql(
                        f'GRANT SELECT, INSERT, UPDATE ({columns}) ON "users" TO {quoted}'
                    )
                else:
                    database.execute_sql(
                        f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {quoted}'
                    )
            User.update(db_role=name).where(User.id == user.id).execute()
            audit.record(actor, None, "db.grant", "user", user.id, {"role": name})
    except DatabaseError as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise PermissionDenied(f"cannot create the login: {detail}", where="db grant") from None
    return name, password


def revoke_database_login(actor: User, email: str) -> str | None:
    """Drops the member's login (its privileges in this database first); returns the role dropped."""
    user = find_user(email)
    _check(actor, user)
    name = user.db_role
    if not name:
        return None
    with database.atomic():
        drop_login(name)
        User.update(db_role=None).where(User.id == user.id).execute()
        audit.record(actor, None, "db.revoke", "user", user.id, {"role": name})
    return name


def drop_login(name: str) -> None:
    """Drops a login role and its privileges in this database (no permission check: callers do it)."""
    quoted = _quote(name)
    try:
        with database.atomic():
            if database.execute_sql(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone():
                database.execute_sql(f"DROP OWNED BY {quoted}")
                database.execute_sql(f"REVOKE ALL ON DATABASE {_quote_db()} FROM {quoted}")
                database.execute_sql(f"DROP ROLE {quoted}")
    except DatabaseError as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise Conflict(f"cannot drop the login {name}: {detail}", where="database login") from None


def _quote_db() -> str:
    (name,) = database.execute_sql("SELECT current_database()").fetchone()
    found: str = '"' + name.replace('"', '""') + '"'
    return found


def _quote_schema() -> str:
    (name,) = database.execute_sql("SELECT current_schema()").fetchone()
    found: str = '"' + name.replace('"', '""') + '"'
    return found
