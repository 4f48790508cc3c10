"""Issue 2 end to end: migrate, status, seed twice, erd, pending migrations, and bad values refused.

Each test drives the real `bgpub` command against a fresh database of each kind (SQLite, PostgreSQL).
"""

from __future__ import annotations

import pytest
from tests.e2e.e2e_cli import Bgpub, count_rows, execute, query

TABLES = (
    "users",
    "organizations",
    "organization_members",
    "projects",
    "pages",
    "component_library",
    "components",
    "assets",
    "versions",
    "integrations",
    "api_keys",
    "products",
    "product_variants",
    "orders",
    "order_items",
    "blog_posts",
    "blog_categories",
    "blog_tags",
    "blog_comments",
    "form_submissions",
    "page_views",
    "webhooks",
    "audit_logs",
    "deployments",
)
COUNTED = ("users", "organizations", "organization_members", "projects", "pages", "audit_logs")


def table_names(url: str) -> set[str]:
    if url.startswith("sqlite"):
        rows = query(url, "SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = query(
            url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    return {r[0] for r in rows}


@pytest.mark.subprocess  # this command group once through a real `python -m bgpub`
def test_migrate_status_seed_twice_and_erd(cli, db_target):
    status = cli.ok("db", "status").stdout
    assert "up to date" in status and "pending" not in status.replace("0 pending", "")
    assert "nothing to do" in cli.ok("db", "migrate").stdout

    assert set(TABLES) <= table_names(db_target.url)

    cli.ok("db", "seed")
    after_first = count_rows(db_target.url, COUNTED)
    assert after_first["projects"] >= 1 and after_first["pages"] >= 2
    roles = {r[0] for r in query(db_target.url, "SELECT role FROM organization_members")}
    assert {"OWNER", "ADMIN", "EDITOR", "VIEWER"} <= roles

    second = cli.ok("db", "seed")
    assert "nothing to do" in second.stdout
    assert count_rows(db_target.url, COUNTED) == after_first

    erd = cli.ok("db", "erd").stdout
    assert erd.lstrip().startswith("erDiagram")
    for table in TABLES:
        assert f"    {table} {{" in erd, f"{table} missing from the ERD"
    assert "projects ||--o{ pages" in erd


def test_bad_email_slug_and_enum_are_refused_with_nothing_written(cli, db_target):
    org = cli.ok("org", "list").stdout.split()[0]  # the personal organization of qa@example.com
    cli.ok("new", "site", "--from", "landing")
    before = count_rows(db_target.url, COUNTED)
    pages_before = cli.ok("page", "list", "site").stdout

    cli.fails(
        "member",
        "add",
        org,
        "not-an-email",
        "--role",
        "viewer",
        mentions=("invalid email", "not-an-email"),
    )
    cli.fails("config", "user.email", "bad email", mentions=("bad email",))
    cli.fails("org", "create", "Bad Slug", mentions=("slug", "Bad Slug"))
    cli.fails("page", "add", "site", "../x", "--title", "X", mentions=("slug", "../x"))
    cli.fails("page", "add", "site", "About Us", "--title", "X", mentions=("slug", "About Us"))
    cli.fails("member", "add", org, "v@example.com", "--role", "god", mentions=("god",))
    cli.fails("org", "tier", org, "GOLD", mentions=("GOLD",))

    assert count_rows(db_target.url, COUNTED) == before
    assert cli.ok("page", "list", "site").stdout == pages_before
    assert cli.ok("member", "list", org).stdout.count("@") == 1

    # the database itself refuses an enum value outside the set, written with raw SQL
    with pytest.raises(Exception):  # noqa: B017 - sqlite3 and psycopg2 raise their own IntegrityError/DataError
        execute(db_target.url, "UPDATE organizations SET tier = 'GOLD'")
    assert {r[0] for r in query(db_target.url, "SELECT tier FROM organizations")} <= {
        "FREE",
        "STARTER",
        "PRO",
        "ENTERPRISE",
    }


def test_pending_migrations_tell_what_to_run(cli):
    cli.ok("new", "site", "--from", "landing")
    reverted = cli.ok("db", "rollback", "--yes").stdout
    assert "reverted" in reverted
    assert "pending" in cli.ok("db", "status").stdout

    for command in (("project", "list"), ("whoami",), ("build", "site", "--out", "out")):
        cli.fails(*command, mentions=("pending", "bgpub db migrate"))

    cli.ok("db", "migrate")
    assert "site" in cli.ok("project", "list").stdout


@pytest.mark.parametrize(
    "url, words",
    [
        ("mysql://x/y", ("mysql",)),
        ("postgresql://postgres@127.0.0.1:1/nowhere", ("cannot connect",)),
    ],
)
def test_unreachable_or_unsupported_database_is_one_line(tmp_path, url, words):
    Bgpub(url, tmp_path, tmp_path).fails("project", "list", mentions=words)
