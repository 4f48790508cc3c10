"""PostgreSQL row-level security, hardened against a member taking over identity or ownership by SQL.

Under a member's own login (`bgpub db grant`), migration 0004 let a member change their own
`users.email` (and so receive an invitation meant for another address), let the last OWNER leave,
after which any login could claim the member-less organization, let its helper functions answer
about any organization, and sent every project's id to every listener. This migration:

- refuses a change of `users.id`, `email` or `db_role` by any login row-level security applies to
  (a trigger, whatever the column grants say; the grants lose `email` too);
- keeps an OWNER in every organization: removing or demoting the last one is refused at commit
  (a deferred constraint trigger, so a transfer inside one transaction works and deleting the
  organization itself still cascades), and an organization a member login creates must have its
  creator as OWNER by commit;
- makes a member-less organization invisible and unclaimable: only the transaction that created
  it sees it and may join it as OWNER (told by the row's `xmin`, which no login can forge);
- lets the SECURITY DEFINER helpers answer only about organizations the session belongs to;
- empties the `bgpub_project_changed` payload: a listener re-reads its own project's revision,
  under its own login, so a notice says nothing another organization may not see;
- covers, with ADMIN-write policies, any table with an organization or project that has none yet.

SQLite has no RLS, triggers of this kind or NOTIFY: there this migration does nothing.
"""

from peewee import PostgresqlDatabase

VIEWER, ADMIN = 0, 2
OWNER_ROWS = "(role <> 'OWNER' OR bgpub_may(organization_id, current_user, 3))"
LATE_POLICY = "bgpub_0009_"  # policies this migration puts on tables 0004 did not know

FUNCTIONS = """
-- Whether the session (its login, or a role it may SET ROLE to) may know about the organization:
-- the tables' owner and roles that bypass RLS know everything, a member's login its organizations.
CREATE OR REPLACE FUNCTION bgpub_session_knows(org text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND (r.rolsuper OR r.rolbypassrls))
      OR pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'organizations'::regclass),
                     'MEMBER')
      OR EXISTS (SELECT 1 FROM organization_members m JOIN users u ON u.id = m.user_id
                 JOIN pg_roles r ON r.rolname = u.db_role
                 WHERE m.organization_id = org AND u.deleted_at IS NULL
                   AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

CREATE OR REPLACE FUNCTION bgpub_project_org(project text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT p.organization_id FROM projects p WHERE p.id = project AND bgpub_session_knows(p.organization_id)
$$;

-- Whether a row version was written by this transaction (or one of its savepoints): its xmin,
-- widened to 64 bits from this transaction's id, is still in progress (a visible row written by
-- another transaction is committed). An id that would lie in the future is not one of ours.
CREATE OR REPLACE FUNCTION bgpub_xact_is_mine(x xid) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
  top bigint := pg_current_xact_id_if_assigned()::text::bigint;
  widened bigint;
BEGIN
  IF top IS NULL THEN
    RETURN false;  -- this transaction has written nothing, so no row is its own
  END IF;
  widened := top + mod(x::text::bigint - mod(top, 4294967296) + 4294967296, 4294967296);
  RETURN widened = top OR pg_xact_status(widened::text::xid8) = 'in progress';
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN false;
END
$$;

-- An organization this transaction is creating: no member yet and no row of it written elsewhere
-- (while its INSERT checks that its creator may see it, there is no row at all).
CREATE OR REPLACE FUNCTION bgpub_org_is_new(org text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = org)
     AND NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = org AND NOT bgpub_xact_is_mine(o.xmin))
$$;

CREATE OR REPLACE FUNCTION bgpub_guard_user_identity() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_catalog AS $$
BEGIN
  IF row_security_active('users') THEN
    RAISE EXCEPTION 'a member''s database login may not change users.id, users.email or users.db_role'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'an administrator changes them on the owner connection';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER users_identity_guard BEFORE UPDATE ON users FOR EACH ROW
WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.email IS DISTINCT FROM NEW.email
      OR OLD.db_role IS DISTINCT FROM NEW.db_role)
EXECUTE FUNCTION bgpub_guard_user_identity();

-- Checked at commit, for everyone: an organization that still exists has an OWNER.
CREATE OR REPLACE FUNCTION bgpub_keep_an_owner() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
DECLARE
  slug text;
BEGIN
  SELECT o.slug INTO slug FROM organizations o WHERE o.id = OLD.organization_id;
  IF slug IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM organization_members m WHERE m.organization_id = OLD.organization_id AND m.role = 'OWNER') THEN
    RAISE EXCEPTION USING MESSAGE = 'organization ' || slug || ' would be left without an OWNER',
      ERRCODE = 'check_violation',
            HINT = 'make another member OWNER first (in the same transaction is fine), or delete the organization';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER organization_members_keep_an_owner AFTER UPDATE OR DELETE ON organization_members
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.role = 'OWNER')
EXECUTE FUNCTION bgpub_keep_an_owner();

-- Checked at commit, for member logins: an organization they create has an OWNER (its creator).
CREATE OR REPLACE FUNCTION bgpub_new_organization_has_owner() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_catalog AS $$
BEGIN
  IF row_security_active('organizations')
     AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = NEW.id)
     AND NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = NEW.id AND m.role = 'OWNER') THEN
    RAISE EXCEPTION USING MESSAGE = 'organization ' || NEW.slug || ' has no OWNER',
      ERRCODE = 'check_violation',
            HINT = 'its creator joins it as OWNER in the transaction that creates it';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER organizations_start_with_an_owner AFTER INSERT ON organizations
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
EXECUTE FUNCTION bgpub_new_organization_has_owner();

CREATE OR REPLACE FUNCTION bgpub_notify_project_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bgpub_project_changed', '');
  RETURN NULL;
END;
$$;
"""

POLICIES = [
    "DROP POLICY bgpub_read ON organizations",
    "CREATE POLICY bgpub_read ON organizations FOR SELECT USING (bgpub_may(id, current_user, 0) "
    "OR (bgpub_user_id(current_user) IS NOT NULL AND bgpub_org_is_new(id)))",
    "DROP POLICY bgpub_insert ON organization_members",
    "CREATE POLICY bgpub_insert ON organization_members FOR INSERT WITH CHECK ("
    f"(bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS}) OR "
    "(role = 'OWNER' AND user_id = bgpub_user_id(current_user) AND bgpub_org_is_new(organization_id)))",
]

# What 0004 and 0006 had, put back by down().
FORMER = """
CREATE OR REPLACE FUNCTION bgpub_org_is_empty(org text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = org)
$$;

CREATE OR REPLACE FUNCTION bgpub_project_org(project text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT p.organization_id FROM projects p WHERE p.id = project
$$;

CREATE OR REPLACE FUNCTION bgpub_notify_project_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('bgpub_project_changed', NEW.id::text);
    RETURN NULL;
END;
$$;
"""

FORMER_POLICIES = [
    "DROP POLICY bgpub_read ON organizations",
    "CREATE POLICY bgpub_read ON organizations FOR SELECT USING (bgpub_may(id, current_user, 0) "
    "OR (bgpub_org_is_empty(id) AND bgpub_user_id(current_user) IS NOT NULL))",
    "DROP POLICY bgpub_insert ON organization_members",
    "CREATE POLICY bgpub_insert ON organization_members FOR INSERT WITH CHECK ("
    f"(bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS}) OR "
    "(bgpub_org_is_empty(organization_id) AND role = 'OWNER' AND user_id = bgpub_user_id(current_user)))",
]

DROPPED = [
    "DROP TRIGGER IF EXISTS users_identity_guard ON users",
    "DROP TRIGGER IF EXISTS organization_members_keep_an_owner ON organization_members",
    "DROP TRIGGER IF EXISTS organizations_start_with_an_owner ON organizations",
    "DROP FUNCTION IF EXISTS bgpub_guard_user_identity()",
    "DROP FUNCTION IF EXISTS bgpub_keep_an_owner()",
    "DROP FUNCTION IF EXISTS bgpub_new_organization_has_owner()",
    "DROP FUNCTION IF EXISTS bgpub_org_is_new(text)",
    "DROP FUNCTION IF EXISTS bgpub_xact_is_mine(xid)",
    "DROP FUNCTION IF EXISTS bgpub_session_knows(text)",
]


def uncovered_tenant_tables(db) -> dict[str, str]:
    """Tables with an organization or project but no row-level security yet, with the expression
    giving a row's organization."""
    rows = db.execute_sql(
        "SELECT c.relname, bool_or(a.attname = 'organization_id'), bool_or(a.attname = 'project_id') "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity "
        "GROUP BY c.relname ORDER BY c.relname"
    ).fetchall()
    found = {}
    for table, by_organization, by_project in rows:
        if by_organization:
            found[table] = "organization_id"
        elif by_project:
            found[table] = "bgpub_project_org(project_id)"
    return found


def _late_policies(table: str, org: str) -> list[str]:
    """Members read; ADMINs of a live organization write (0004's rule for tables it did not list)."""
    read = f"bgpub_may({org}, current_user, {VIEWER})"
    write = f"bgpub_may_write({org}, current_user, {ADMIN})"
    on = f'ON "{table}"'
    return [
        f'CREATE POLICY "{LATE_POLICY}read" {on} FOR SELECT USING ({read})',
        f'CREATE POLICY "{LATE_POLICY}insert" {on} FOR INSERT WITH CHECK ({write})',
        f'CREATE POLICY "{LATE_POLICY}update" {on} FOR UPDATE USING ({write}) WITH CHECK ({write})',
        f'CREATE POLICY "{LATE_POLICY}delete" {on} FOR DELETE USING ({write})',
    ]


def protect_tenant_tables(db) -> list[str]:
    """Enables row-level security on every uncovered tenant table; returns their names. A later
    migration adding a table writes its own policies (as 0008 does) or calls this."""
    found = uncovered_tenant_tables(db)
    for table, org in found.items():
        db.execute_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        for statement in _late_policies(table, org):
            db.execute_sql(statement)
    return sorted(found)


def _member_logins(db) -> list[str]:
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(FUNCTIONS)
    for statement in POLICIES:
        db.execute_sql(statement)
    # 0004's bgpub_org_is_empty answered for any organization; nothing uses it any more
    db.execute_sql("DROP FUNCTION bgpub_org_is_empty(text)")
    protect_tenant_tables(db)
    for login in _member_logins(db):
        db.execute_sql(f'REVOKE UPDATE (email) ON users FROM "{login}"')


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    for login in _member_logins(db):
        db.execute_sql(f'GRANT UPDATE (email) ON users TO "{login}"')
    late = db.execute_sql(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() "
        "AND left(policyname, %s) = %s ORDER BY 1, 2",
        (len(LATE_POLICY), LATE_POLICY),
    ).fetchall()
    for table, policy in late:
        db.execute_sql(f'DROP POLICY "{policy}" ON "{table}"')
    for table in sorted({table for table, _ in late}):
        db.execute_sql(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    db.execute_sql(FORMER)
    for statement in FORMER_POLICIES:
        db.execute_sql(statement)
    for statement in DROPPED:
        db.execute_sql(statement)
