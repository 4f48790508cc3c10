"""PostgreSQL row-level security: a member's own database login sees and changes only their organizations.

Who is asking: `bgpub db grant EMAIL` creates a login role and stores its name in `users.db_role`;
the policies map `current_user` to that user and look up their role in each row's organization.
Write rights follow the role matrix of docs/permissions.md (VIEWER reads; EDITOR edits content;
ADMIN publishes, manages targets, webhooks, integrations, API keys and members below OWNER; OWNER
changes the organization itself), and a PAST_DUE or CANCELED organization is read-only.

RLS is ENABLEd, not FORCEd: the tables' owner (the connection that ran the migrations, which bgpub
uses by default) and superusers bypass it, so bgpub and administration work as before. The helper
functions are SECURITY DEFINER (owned by that owner) so a policy can read memberships without
recursing into the membership table's own policy. SQLite has no RLS: there this migration does nothing.
"""

from peewee import PostgresqlDatabase

VIEWER, EDITOR, ADMIN, OWNER = 0, 1, 2, 3

# Tables whose rows belong to one organization, by the expression giving it, and the least rank
# that may read, insert, update and delete.
DIRECT = {  # column organization_id
    "projects": (VIEWER, ADMIN, EDITOR, ADMIN),
    "assets": (VIEWER, EDITOR, EDITOR, EDITOR),
    "components": (VIEWER, EDITOR, EDITOR, EDITOR),
    "api_keys": (ADMIN, ADMIN, ADMIN, ADMIN),
}
BY_PROJECT = {  # column project_id
    "pages": (VIEWER, EDITOR, EDITOR, EDITOR),
    "blog_categories": (VIEWER, EDITOR, EDITOR, EDITOR),
    "blog_tags": (VIEWER, EDITOR, EDITOR, EDITOR),
    "blog_posts": (VIEWER, EDITOR, EDITOR, EDITOR),
    "products": (VIEWER, EDITOR, EDITOR, EDITOR),
    "form_submissions": (VIEWER, EDITOR, EDITOR, EDITOR),
    "page_views": (VIEWER, EDITOR, EDITOR, EDITOR),
    "orders": (VIEWER, ADMIN, ADMIN, ADMIN),
    "integrations": (VIEWER, ADMIN, ADMIN, ADMIN),
    "webhooks": (VIEWER, ADMIN, ADMIN, ADMIN),
    "versions": (VIEWER, ADMIN, ADMIN, ADMIN),
    "deploy_targets": (VIEWER, ADMIN, ADMIN, ADMIN),
    "deployments": (VIEWER, ADMIN, ADMIN, ADMIN),
}
BY_PARENT = {  # table: (column, parent table, ranks)
    "product_variants": ("product_id", "products", (VIEWER, EDITOR, EDITOR, EDITOR)),
    "order_items": ("order_id", "orders", (VIEWER, ADMIN, ADMIN, ADMIN)),
    "blog_post_tags": ("post_id", "blog_posts", (VIEWER, EDITOR, EDITOR, EDITOR)),
    "blog_comments": ("post_id", "blog_posts", (VIEWER, EDITOR, EDITOR, EDITOR)),
    "webhook_deliveries": ("webhook_id", "webhooks", (VIEWER, ADMIN, ADMIN, ADMIN)),
}
# Tables with their own policies below.
SPECIAL = (
    "organizations",
    "organization_members",
    "users",
    "audit_logs",
    "component_library",
    "blobs",
)
# Any other table (from later migrations) with one of these columns is covered with ADMIN writes.
DEFAULT_RANKS = (VIEWER, ADMIN, ADMIN, ADMIN)

HELPERS = """
CREATE OR REPLACE FUNCTION bgpub_rank(role text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE role WHEN 'OWNER' THEN 3 WHEN 'ADMIN' THEN 2 WHEN 'EDITOR' THEN 1 WHEN 'VIEWER' THEN 0 END
$$;

-- The bgpub user behind a database login; only answers for the session's own role (or one it may SET ROLE to).
CREATE OR REPLACE FUNCTION bgpub_user_id(who name) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT u.id FROM users u
  WHERE u.db_role = who AND u.deleted_at IS NULL AND pg_has_role(session_user, who, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION bgpub_may(org text, who name, minimum integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT coalesce((
    SELECT bgpub_rank(m.role) >= minimum FROM organization_members m
    WHERE m.organization_id = org AND m.user_id = bgpub_user_id(who)
  ), false)
$$;

-- Writing also needs a live subscription (PAST_DUE and CANCELED organizations are read-only).
CREATE OR REPLACE FUNCTION bgpub_may_write(org text, who name, minimum integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT bgpub_may(org, who, minimum) AND EXISTS (
    SELECT 1 FROM organizations o WHERE o.id = org AND o.subscription_status NOT IN ('PAST_DUE', 'CANCELED'))
$$;

CREATE OR REPLACE FUNCTION bgpub_best_rank(who name) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT coalesce(max(bgpub_rank(m.role)), -1) FROM organization_members m WHERE m.user_id = bgpub_user_id(who)
$$;

CREATE OR REPLACE FUNCTION bgpub_org_is_empty(org text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = org)
$$;

CREATE OR REPLACE FUNCTION bgpub_project_org(project text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT p.organization_id FROM projects p WHERE p.id = project
$$;

-- Users one may see: oneself, people sharing an organization, and invitations not yet in any.
CREATE OR REPLACE FUNCTION bgpub_user_visible(target text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT target = bgpub_user_id(who)
      OR EXISTS (SELECT 1 FROM organization_members mine JOIN organization_members theirs
                 ON theirs.organization_id = mine.organization_id
                 WHERE mine.user_id = bgpub_user_id(who) AND theirs.user_id = target)
      OR (bgpub_user_id(who) IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.user_id = target))
$$;

-- A blob is readable when an asset of one of the reader's organizations uses it, or when no asset
-- uses it at all (rendered site files and uploads in progress).
CREATE OR REPLACE FUNCTION bgpub_blob_visible(blob text, who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT bgpub_user_id(who) IS NOT NULL AND (
    NOT EXISTS (SELECT 1 FROM assets a WHERE a.hash = blob)
    OR EXISTS (SELECT 1 FROM assets a WHERE a.hash = blob AND bgpub_may(a.organization_id, who, 0)))
$$;
"""

FUNCTIONS = (
    "bgpub_rank(text)",
    "bgpub_user_id(name)",
    "bgpub_may(text, name, integer)",
    "bgpub_may_write(text, name, integer)",
    "bgpub_best_rank(name)",
    "bgpub_org_is_empty(text)",
    "bgpub_project_org(text)",
    "bgpub_user_visible(text, name)",
    "bgpub_blob_visible(text, name)",
)


def _parent_function(parent: str) -> tuple[str, str]:
    name = f"bgpub_{parent}_org"
    return (
        name,
        f"""
CREATE OR REPLACE FUNCTION {name}(parent text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_catalog AS $$
  SELECT bgpub_project_org(x.project_id) FROM {parent} x WHERE x.id = parent
$$;
""",
    )


def _standard(table: str, org: str, ranks: tuple[int, int, int, int]) -> list[str]:
    read, insert, update, delete = ranks
    return [
        f"CREATE POLICY bgpub_read ON {table} FOR SELECT USING (bgpub_may({org}, current_user, {read}))",
        f"CREATE POLICY bgpub_insert ON {table} FOR INSERT "
        f"WITH CHECK (bgpub_may_write({org}, current_user, {insert}))",
        f"CREATE POLICY bgpub_update ON {table} FOR UPDATE USING (bgpub_may_write({org}, current_user, {update})) "
        f"WITH CHECK (bgpub_may_write({org}, current_user, {update}))",
        f"CREATE POLICY bgpub_delete ON {table} FOR DELETE USING (bgpub_may_write({org}, current_user, {delete}))",
    ]


OWNER_ROWS = "(role <> 'OWNER' OR bgpub_may(organization_id, current_user, 3))"

SPECIAL_POLICIES = [
    # organizations: members read; any mapped user creates one (and sees it until they join it);
    # only OWNERs change (the tier, even when lapsed) or delete it
    "CREATE POLICY bgpub_read ON organizations FOR SELECT USING (bgpub_may(id, current_user, 0) "
    "OR (bgpub_org_is_empty(id) AND bgpub_user_id(current_user) IS NOT NULL))",
    "CREATE POLICY bgpub_insert ON organizations FOR INSERT WITH CHECK (bgpub_user_id(current_user) IS NOT NULL)",
    "CREATE POLICY bgpub_update ON organizations FOR UPDATE USING (bgpub_may(id, current_user, 3)) "
    "WITH CHECK (bgpub_may(id, current_user, 3))",
    "CREATE POLICY bgpub_delete ON organizations FOR DELETE USING (bgpub_may(id, current_user, 3))",
    # members: ADMINs manage roles below OWNER, OWNERs anyone; the creator of an empty organization
    # joins it as OWNER; anyone may leave
    "CREATE POLICY bgpub_read ON organization_members FOR SELECT USING (bgpub_may(organization_id, current_user, 0) "
    "OR user_id = bgpub_user_id(current_user))",
    "CREATE POLICY bgpub_insert ON organization_members FOR INSERT WITH CHECK ("
    f"(bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS}) OR "
    "(bgpub_org_is_empty(organization_id) AND role = 'OWNER' AND user_id = bgpub_user_id(current_user)))",
    "CREATE POLICY bgpub_update ON organization_members FOR UPDATE "
    f"USING (bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS}) "
    f"WITH CHECK (bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS})",
    "CREATE POLICY bgpub_delete ON organization_members FOR DELETE USING ("
    f"(bgpub_may_write(organization_id, current_user, 2) AND {OWNER_ROWS}) "
    "OR user_id = bgpub_user_id(current_user))",
    # users: see oneself, co-members and fresh invitations; create invitations (never with a login);
    # change only oneself (column privileges keep db_role out of reach)
    "CREATE POLICY bgpub_read ON users FOR SELECT USING (bgpub_user_visible(id, current_user))",
    "CREATE POLICY bgpub_insert ON users FOR INSERT WITH CHECK (bgpub_user_id(current_user) IS NOT NULL "
    "AND db_role IS NULL)",
    "CREATE POLICY bgpub_update ON users FOR UPDATE USING (id = bgpub_user_id(current_user)) "
    "WITH CHECK (id = bgpub_user_id(current_user))",
    # audit: ADMINs read their organizations' trail, everyone their own rows; rows are only added,
    # by their actor
    "CREATE POLICY bgpub_read ON audit_logs FOR SELECT USING (actor_id = bgpub_user_id(current_user) "
    "OR bgpub_may(organization_id, current_user, 2))",
    "CREATE POLICY bgpub_insert ON audit_logs FOR INSERT WITH CHECK (actor_id = bgpub_user_id(current_user) "
    "AND (organization_id IS NULL OR bgpub_may(organization_id, current_user, 0)))",
    # the shared component library: everyone reads, an EDITOR of any organization syncs it
    "CREATE POLICY bgpub_read ON component_library FOR SELECT USING (true)",
    "CREATE POLICY bgpub_insert ON component_library FOR INSERT WITH CHECK (bgpub_best_rank(current_user) >= 1)",
    "CREATE POLICY bgpub_update ON component_library FOR UPDATE USING (bgpub_best_rank(current_user) >= 1) "
    "WITH CHECK (bgpub_best_rank(current_user) >= 1)",
    # blobs: content-addressed and shared, see bgpub_blob_visible; added, never changed by members,
    # and only under their true hash (a blob planted under another content's hash would be served
    # to whoever later stores that content)
    "CREATE POLICY bgpub_read ON blobs FOR SELECT USING (bgpub_blob_visible(id, current_user))",
    "CREATE POLICY bgpub_insert ON blobs FOR INSERT WITH CHECK (bgpub_best_rank(current_user) >= 1 "
    "AND id = encode(sha256(data), 'hex'))",
]


def _existing_tables(db) -> dict[str, set[str]]:
    rows = db.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema()"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def organization_expressions(db) -> dict[str, str]:
    """For each tenant table, the SQL expression giving a row's organization id (tests use it)."""
    tables = _existing_tables(db)
    found = {
        "organizations": "id",
        "organization_members": "organization_id",
        "audit_logs": "organization_id",
    }
    for table, columns in tables.items():
        if table in BY_PARENT:
            column, parent, _ = BY_PARENT[table]
            found[table] = f"{_parent_function(parent)[0]}({column})"
        elif table in found or table in SPECIAL:
            continue
        elif "organization_id" in columns:
            found[table] = "organization_id"
        elif "project_id" in columns:
            found[table] = "bgpub_project_org(project_id)"
    return found


def protected_tables(db) -> dict[str, list[str]]:
    """Every table this migration protects, with the statements creating its policies."""
    tables = _existing_tables(db)
    plan: dict[str, list[str]] = {}
    for table in SPECIAL:
        if table in tables:
            plan[table] = [p for p in SPECIAL_POLICIES if f" ON {table} " in p]
    for table, ranks in DIRECT.items():
        if table in tables:
            plan[table] = _standard(table, "organization_id", ranks)
    for table, ranks in BY_PROJECT.items():
        if table in tables:
            plan[table] = _standard(table, "bgpub_project_org(project_id)", ranks)
    for table, (column, parent, ranks) in BY_PARENT.items():
        if table in tables:
            function, _ = _parent_function(parent)
            plan[table] = _standard(table, f"{function}({column})", ranks)
    for table, columns in sorted(tables.items()):
        if table in plan:
            continue
        if "organization_id" in columns:
            plan[table] = _standard(table, "organization_id", DEFAULT_RANKS)
        elif "project_id" in columns:
            plan[table] = _standard(table, "bgpub_project_org(project_id)", DEFAULT_RANKS)
    return plan


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(HELPERS)
    for _, (_, parent, _) in BY_PARENT.items():
        db.execute_sql(_parent_function(parent)[1])
    for table, policies in protected_tables(db).items():
        db.execute_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for statement in policies:
            db.execute_sql(statement)


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    rows = db.execute_sql(
        "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() "
        "AND left(policyname, 6) = 'bgpub_'"
    ).fetchall()
    for table, policy in rows:
        db.execute_sql(f'DROP POLICY IF EXISTS "{policy}" ON "{table}"')
    for table in protected_tables(db):
        db.execute_sql(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    for parent in sorted({parent for _, parent, _ in BY_PARENT.values()}):
        db.execute_sql(f"DROP FUNCTION IF EXISTS bgpub_{parent}_org(text)")
    for signature in FUNCTIONS:
        db.execute_sql(f"DROP FUNCTION IF EXISTS {signature}")
